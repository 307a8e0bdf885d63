//! The dataset page (`index.html`) and documentation (`documentation.md`)
//! that `build` writes (issue 8): escaping of page texts, every testimonial
//! and every table of the catalogue shown, a self-contained page, the
//! accessibility basics, byte-reproducible output. The same page is also
//! rendered in a real browser by `scripts/browser-test`.

mod common;
use common::*;
use regex::Regex;
use temoignages::export::page::echapper;
use temoignages::fields::TABLES;

const HOSTILE: &str = "tests/fixtures/hostile/2024-08-01-page-hostile.md";

/// Builds the seed plus the hostile page into `ds/`.
fn build_hostile(wd: &Workdir) {
    wd.copy(SEED, "in/2024-07-03-cloud-temoignages.md");
    wd.copy(HOSTILE, "in/2024-08-01-page-hostile.md");
    let o = wd.run(&["build", "in", "--out", "ds"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// Tags of the page (not text): `<name …>`.
fn tags(html: &str) -> Vec<String> {
    Regex::new(r"<[a-zA-Z][^<>]*>").unwrap().find_iter(html).map(|m| m.as_str().to_string()).collect()
}

#[test]
fn escape_handles_markup_quotes_and_ampersands() {
    assert_eq!(echapper("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
    assert_eq!(echapper(r#"il a dit "oui" & l'a fait"#), "il a dit &quot;oui&quot; &amp; l&#39;a fait");
    assert_eq!(echapper("&lt;"), "&amp;lt;");
    assert_eq!(echapper("déjà « vu » — ’"), "déjà « vu » — ’");
}

#[test]
fn page_shows_markup_from_pages_as_text() {
    let wd = Workdir::new();
    build_hostile(&wd);
    let html = wd.read("ds/index.html");
    // The item title, the answer and the page title, escaped.
    assert!(html.contains(
        "Projet &lt;img src=x onerror=&quot;document.title=&#39;PWNED&#39;&quot;&gt; &amp; \
         &lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt; (PWN)"
    ));
    assert!(html.contains("&lt;p id=pwned&gt;PWNED&lt;/p&gt;"));
    assert!(html.contains("Page hostile &lt;img src=x onerror="));
    // No tag of the page carries anything from it.
    for t in tags(&html) {
        assert!(!t.contains("PWNED") && !t.to_lowercase().contains("onerror") && !t.contains("onload"), "{t}");
        assert!(!t.starts_with("<img") && !t.starts_with("<iframe"), "{t}");
    }
    assert_eq!(html.matches("<script").count(), 1, "only the page's own script");
}

#[test]
fn page_lists_every_testimonial() {
    let wd = Workdir::new();
    build_hostile(&wd);
    let html = wd.read("ds/index.html");
    let rows = wd.csv("ds/csv/temoignages.csv");
    assert_eq!(rows.len(), 11);
    for r in rows {
        let id = &r["identifiant"];
        assert!(html.contains(&format!("<tr id=\"t-{id}\">")), "{id}");
        assert!(html.contains(&echapper(&r["titre"])), "{id}");
    }
    // Key figures and statuses of the seed.
    assert!(html.contains("plus de 250 millions de requêtes utilisateurs par jour"));
    assert!(html.contains("<span class=\"statut s-non_retenue\">non retenue</span>"));
}

#[test]
fn page_has_the_dictionary_of_every_table_and_links_every_file() {
    let wd = Workdir::new();
    build_hostile(&wd);
    let html = wd.read("ds/index.html");
    for t in TABLES {
        assert!(html.contains(&format!("<h3 id=\"table-{n}\"><code>{n}</code>", n = t.name)), "{}", t.name);
        for f in t.fields {
            assert!(html.contains(&format!("<th scope=\"row\"><code>{}</code></th>", f.name)), "{}.{}", t.name, f.name);
        }
        for p in
            [format!("csv/{}.csv", t.name), format!("parquet/{}.parquet", t.name), format!("schemas/{}.json", t.name)]
        {
            assert!(html.contains(&format!("href=\"{p}\"")), "{p}");
            assert!(wd.path("ds").join(&p).is_file(), "{p}");
        }
    }
    for p in ["json/temoignages.json", "datapackage.json", "documentation.md"] {
        assert!(html.contains(&format!("href=\"{p}\"")), "{p}");
    }
}

#[test]
fn page_is_self_contained() {
    let wd = Workdir::new();
    build_hostile(&wd);
    let html = wd.read("ds/index.html");
    assert!(!html.contains("<script src") && !html.contains("<link"), "no external script or stylesheet");
    assert!(!html.contains("@import") && !html.contains("url("), "no resource pulled by CSS");
    let charge = Regex::new(r"\s(src|srcset|data|poster)=").unwrap();
    for t in tags(&html) {
        assert!(!charge.is_match(&t), "{t}");
    }
    // The only absolute URLs: the licence (a link) and the SVG namespace.
    for m in Regex::new(r#"https?://[^\s"'<>]+"#).unwrap().find_iter(&html) {
        let u = m.as_str();
        assert!(
            u == "http://www.w3.org/2000/svg" || u.starts_with("https://www.etalab.gouv.fr/"),
            "unexpected URL {u}"
        );
    }
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"));
}

#[test]
fn page_meets_accessibility_basics() {
    let wd = Workdir::new();
    build_hostile(&wd);
    let html = wd.read("ds/index.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    // Headings in order: one h1, never a skipped level.
    let niveaux: Vec<u32> =
        Regex::new(r"<h([1-6])[ >]").unwrap().captures_iter(&html).map(|c| c[1].parse().unwrap()).collect();
    assert_eq!(niveaux.iter().filter(|n| **n == 1).count(), 1);
    assert_eq!(niveaux[0], 1);
    for w in niveaux.windows(2) {
        assert!(w[1] <= w[0] + 1, "heading level jumps from h{} to h{}", w[0], w[1]);
    }
    // Every table header says what it heads.
    for t in tags(&html).iter().filter(|t| t.starts_with("<th ") || t.as_str() == "<th>") {
        assert!(t.contains("scope=\"col\"") || t.contains("scope=\"row\""), "{t}");
    }
    // Charts: role, label, title and description, and a table of their numbers.
    let svgs: Vec<String> = tags(&html).into_iter().filter(|t| t.starts_with("<svg")).collect();
    assert_eq!(svgs.len(), 3);
    for s in &svgs {
        assert!(s.contains("role=\"img\"") && s.contains("aria-label=\"") && s.contains("aria-labelledby=\""), "{s}");
    }
    assert_eq!(html.matches("<desc id=").count(), 3);
    assert_eq!(html.matches("<summary>Données du graphique sous forme de tableau</summary>").count(), 3);
    // The filter is a labelled input; ids are unique.
    assert!(html.contains("<label for=\"filtre\">") && html.contains("<input type=\"search\" id=\"filtre\""));
    let mut ids: Vec<String> =
        Regex::new(r#"\sid="([^"]+)""#).unwrap().captures_iter(&html).map(|c| c[1].to_string()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate id");
}

#[test]
fn page_and_documentation_are_reproducible_and_not_resources() {
    let wd = Workdir::new();
    build_hostile(&wd);
    let o = wd.run(&["build", "in", "--out", "ds2"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for f in ["index.html", "documentation.md"] {
        assert!(wd.read(&format!("ds/{f}")) == wd.read(&format!("ds2/{f}")), "{f} differs between two builds");
    }
    let dp = wd.read("ds/datapackage.json");
    assert!(!dp.contains("index.html") && !dp.contains("documentation.md"));
}

#[test]
fn documentation_covers_provenance_method_vocabularies_and_gaps() {
    let wd = Workdir::new();
    build_hostile(&wd);
    let doc = wd.read("ds/documentation.md");
    for section in [
        "## Provenance",
        "## Méthode",
        "### Organisations et ministères",
        "### Qualifications et statuts",
        "### Indicateurs chiffrés",
        "### Questions, réponses et thèmes",
        "## Vocabulaires",
        "## Limites connues",
        "## Dictionnaire des données",
    ] {
        assert!(doc.contains(section), "{section}");
    }
    for t in TABLES {
        assert!(doc.contains(&format!("### `{}` — {}", t.name, t.title)), "{}", t.name);
        for f in t.fields {
            assert!(doc.contains(&format!("| `{}` |", f.name)), "{}.{}", t.name, f.name);
            for v in f.vocabulary {
                assert!(doc.contains(&format!("- `{v}` : ")), "{v}");
            }
        }
    }
    // Provenance names both pages with their fingerprints.
    for r in wd.csv("ds/csv/documents.csv") {
        assert!(doc.contains(&r["empreinte_source"]) && doc.contains(&r["fichier_source"]));
    }
    assert!(doc.contains("`question-repetee`"), "this build's findings are listed");
}
