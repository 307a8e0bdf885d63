//! Every testimonial layout of numerique.gouv.fr, on fixtures of our own
//! (`tests/fixtures/layouts/`: the corpus layouts with invented content),
//! and the same posts as a browser saves them once rendered: a full page
//! with header, navigation, footer and scripts, CRLF, entities and a
//! windows-1252 `<meta charset>`. Both must give the same records.

mod common;
use common::*;
use std::collections::HashMap;

const LAYOUTS: &str = "tests/fixtures/layouts";

fn build(wd: &Workdir, dir: &str) -> std::process::Output {
    let o = wd.run(&["build", dir, "--out", &format!("{dir}-ds")]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    o
}

fn lignes(wd: &Workdir, dir: &str, table: &str) -> Vec<HashMap<String, String>> {
    wd.csv(&format!("{dir}-ds/csv/{table}.csv"))
}

#[test]
fn layouts_accordion_variants_and_foundation_titles() {
    let wd = Workdir::new();
    wd.copy(&format!("{LAYOUTS}/accordeon.md"), "p/accordeon.md");
    build(&wd, "p");
    let t = lignes(&wd, "p", "temoignages");
    let ids: Vec<&str> = t.iter().map(|r| r["identifiant"].as_str()).collect();
    assert_eq!(ids, ["accordeon--portail-fictif", "accordeon--outil-imaginaire"], "the commented item is not read");
    assert_eq!(t[1]["titre"], "L'outil imaginaire");
    assert_eq!(t[0]["fournisseurs_cloud"], "OVHcloud");
    let i = lignes(&wd, "p", "indicateurs");
    assert!(i.iter().any(|r| r["valeur"] == "3000000" && r["unite"] == "visiteur"), "{i:?}");
    for (_, bytes) in fichiers(&wd.path("p-ds")) {
        assert!(!String::from_utf8_lossy(&bytes).contains("myFunction"), "script text in the dataset");
    }
}

#[test]
fn layouts_markdown_sections_and_placeholders() {
    let wd = Workdir::new();
    wd.copy(&format!("{LAYOUTS}/sections.md"), "p/sections.md");
    build(&wd, "p");
    let t = lignes(&wd, "p", "temoignages");
    let ids: Vec<&str> = t.iter().map(|r| r["identifiant"].as_str()).collect();
    assert_eq!(ids, ["sections--la-plateforme-inventee", "sections--le-brouillon"]);
    assert_eq!(t[0]["organisation_sigle"], "ANS");
    let qr = lignes(&wd, "p", "questions_reponses");
    assert_eq!(qr[0]["question"], "Gagner en souplesse");
    assert_eq!(qr[0]["reponse"], "Le cloud nous a permis de déployer en 3 minutes chez OVHcloud.");
    let i = lignes(&wd, "p", "indicateurs");
    assert!(i.iter().any(|r| r["valeur"] == "2000000" && r["periode"] == "jour"), "{i:?}");
    let a = lignes(&wd, "p", "anomalies");
    let codes: Vec<(&str, &str)> = a.iter().map(|r| (r["code"].as_str(), r["extrait"].as_str())).collect();
    assert!(codes.contains(&("lien-provisoire", "LIEN")), "{codes:?}");
    assert!(codes.iter().any(|(c, e)| *c == "texte-provisoire" && *e == "???"), "{codes:?}");
    assert!(codes.iter().any(|(c, e)| *c == "texte-provisoire" && e.ends_with("(?)")), "{codes:?}");
    assert!(codes.iter().any(|(c, e)| *c == "texte-provisoire" && *e == "FIN"), "{codes:?}");
    let l = lignes(&wd, "p", "liens");
    let autres = l.iter().find(|r| r["url"] == "https://exemple.gouv.fr/autres").unwrap();
    assert_eq!(autres["temoignage"], "", "a link after the last attribution is the page's");
}

#[test]
fn layouts_quotes_and_faq_accordions_are_not_testimonials() {
    let wd = Workdir::new();
    wd.copy(&format!("{LAYOUTS}/citations.md"), "p/citations.md");
    wd.copy(&format!("{LAYOUTS}/faq-guichet.md"), "p/faq-guichet.md");
    build(&wd, "p");
    assert!(lignes(&wd, "p", "temoignages").is_empty());
    let d = lignes(&wd, "p", "documents");
    assert!(d.iter().all(|r| r["nombre_temoignages"] == "0"));
    let a = lignes(&wd, "p", "anomalies");
    let motif = |doc: &str| {
        a.iter().find(|r| r["document"] == doc && r["code"] == "aucun-temoignage").map(|r| r["message"].clone())
    };
    assert!(motif("citations").unwrap().contains("2 citation(s)"), "{a:?}");
    assert!(motif("faq-guichet").unwrap().contains("accordéon d'information"), "{a:?}");
    assert!(a.iter().all(|r| r["severite"] != "erreur"));
    // Liquid tags are gone, not printed.
    for (_, bytes) in fichiers(&wd.path("p-ds")) {
        let s = String::from_utf8_lossy(&bytes);
        assert!(!s.contains("{%") && !s.contains("{{"), "Liquid in the dataset");
    }
}

#[test]
fn layouts_quotes_attributed_by_a_testimonial_line_are_testimonials() {
    let wd = Workdir::new();
    wd.copy(&format!("{LAYOUTS}/citations-temoignages.md"), "p/citations-temoignages.md");
    build(&wd, "p");
    let t = lignes(&wd, "p", "temoignages");
    let ids: Vec<&str> = t.iter().map(|r| r["identifiant"].as_str()).collect();
    assert_eq!(ids, ["citations-temoignages--citation-1", "citations-temoignages--citation-2"]);
    // The attribution starts at « Témoignage », after the person's name.
    assert_eq!(t[0]["attribution"], "Témoignage de la Direction générale des finances publiques");
    assert_eq!(t[0]["organisation_sigle"], "DGFiP");
    assert_eq!(t[0]["fournisseurs_cloud"], "Scaleway");
    assert_eq!(t[1]["organisation_sigle"], "ANS");
    assert_eq!(t[1]["hds"], "obtenue");
    let i = lignes(&wd, "p", "indicateurs");
    assert!(i.iter().any(|r| r["valeur"] == "8000000" && r["periode"] == "an"), "{i:?}");
    assert!(i.iter().any(|r| r["valeur"] == "12000" && r["unite"] == "professionnel"), "{i:?}");
    let a = lignes(&wd, "p", "anomalies");
    assert!(a.iter().all(|r| r["code"] != "titre-element-absent"), "a quote has no title by design: {a:?}");
}

/// A quote inside a Markdown section is the section's text, not a
/// testimonial of its own; a section no attribution closes gives its quote
/// back to the page.
#[test]
fn layouts_a_quote_inside_a_section_is_the_sections_text() {
    let wd = Workdir::new();
    let section = |titre: &str, attribution: &str| {
        format!(
            "<div class=\"lien-important\"><p><a href=\"https://exemple.gouv.fr/{titre}\">{titre}</a></p></div>\n\nNous avons 300 agents.\n\n> « Grâce à l'offre de Scaleway, nous servons 8 millions d'usagers. »\n{{: .citation}}\n> **Personne Inventée**, directrice — Témoignage de la DINUM\n{{: .auteur-citation}}\n\n{attribution}\n"
        )
    };
    wd.write(
        "p/section-citee.md",
        format!(
            "---\ntitle: Une section citée\ndate: 2024-01-01\n---\n\n{}",
            section("Projet", "Témoignage de la DINUM")
        ),
    );
    wd.write("p/ouverte.md", format!("---\ntitle: Ouverte\ndate: 2024-01-01\n---\n\n{}", section("Brouillon", "")));
    // A quote just before a section, and one inside a section with its own
    // attribution: testimonials of their own.
    wd.write(
        "p/voisines.md",
        "---\ntitle: Voisines\ndate: 2024-01-01\n---\n\n> « 12 000 agents utilisent Outscale. »\n{: .citation}\n> Témoignage de la DGFiP\n{: .auteur-citation}\n\n<div class=\"lien-important\"><p><a href=\"https://exemple.gouv.fr/a\">Projet A</a></p></div>\n\nNous avons 30 agents.\n\n> « Nous stockons 50 To chez OVHcloud. »\n{: .citation}\n> Témoignage de l'IGN\n{: .auteur-citation}\n\nTémoignage de la DINUM\n",
    );
    build(&wd, "p");
    let t = lignes(&wd, "p", "temoignages");
    let ids: Vec<&str> = t.iter().map(|r| r["identifiant"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "ouverte--citation-1",
            "section-citee--projet",
            "voisines--projet-a",
            "voisines--citation-2",
            "voisines--citation-3"
        ]
    );
    let org = |id: &str| t.iter().find(|r| r["identifiant"] == id).unwrap()["organisation_sigle"].clone();
    assert_eq!(
        (org("voisines--projet-a"), org("voisines--citation-2"), org("voisines--citation-3")),
        ("DINUM".into(), "DGFiP".into(), "IGN".into())
    );
    assert_eq!(t[1]["fournisseurs_cloud"], "Scaleway");
    let i = lignes(&wd, "p", "indicateurs");
    let de = |tid: &str| i.iter().filter(|r| r["temoignage"] == tid).map(|r| r["valeur"].as_str()).collect::<Vec<_>>();
    assert_eq!(de("section-citee--projet"), ["300", "8000000"]);
    assert_eq!(de("ouverte--citation-1"), ["8000000"]);
}

/// A page announcing testimonials that only shows images without a text
/// alternative says so; a page with such images but no such title only
/// counts them in its `aucun-temoignage` reason.
#[test]
fn layouts_testimonials_given_only_as_images_are_reported() {
    let wd = Workdir::new();
    wd.write(
        "p/images.md",
        "---\ntitle: 3 témoignages de femmes du numérique\ndate: 2024-01-01\n---\n\n![1-ab12.png](/uploads/1.png)\n\n![2-cd34.png](/uploads/2.png)\n\n![Portrait de Marie, cheffe de projet](/uploads/3.png)\n",
    );
    wd.write("p/photos.md", "---\ntitle: Une journée\ndate: 2024-01-01\n---\n\nUne journée.\n\n![](/uploads/4.png)\n");
    build(&wd, "p");
    let a = lignes(&wd, "p", "anomalies");
    let de = |doc: &str, code: &str| {
        a.iter().find(|r| r["document"] == doc && r["code"] == code).map(|r| r["message"].clone())
    };
    let m = de("images", "temoignages-en-images").expect("temoignages-en-images");
    assert!(m.contains("2 image(s) sans texte de remplacement"), "{m}");
    assert!(de("photos", "temoignages-en-images").is_none());
    assert!(de("photos", "aucun-temoignage").unwrap().contains("1 image(s) sans texte de remplacement"));
}

/// A fake site template: what a browser saves of a post page.
fn page_rendue(md: &str) -> Vec<u8> {
    let texte = std::fs::read_to_string(racine().join(md)).unwrap();
    let fin = texte[3..].find("\n---\n").unwrap() + 3;
    let yaml = &texte[3..fin];
    let body = &texte[fin + 5..];
    let champ = |k: &str| {
        yaml.lines().find_map(|l| l.strip_prefix(&format!("{k}: "))).unwrap_or("").trim_matches('"').to_string()
    };
    let titre = champ("title");
    let date = champ("date");
    let iso = format!("{}T{}{}", &date[..10], &date[11..19], &date[20..]);
    let article = temoignages::parse::page::render_markdown(body);
    let html = format!(
        r##"<!-- saved from url=(0050)https://www.numerique.gouv.fr/actualites/exemple/ -->
<!DOCTYPE html>
<html lang="fr"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>{titre} | numerique.gouv.fr</title>
<meta property="og:title" content="{titre}">
<meta property="article:published_time" content="{iso}">
<script>var menu = "Témoignage de la rédaction"; function myFunction(id) {{}}</script>
<style>.accordion {{ color: red; }}</style>
</head><body>
<a class="skip-link" href="#contenu">Aller au contenu</a>
<header class="site-header"><h1 class="logo">numerique.gouv.fr</h1>
<nav><ul><li><a href="/actualites/">Actualit&eacute;s</a></li>
<li><div class="accordion-item"><button class="accordion-title" aria-controls="menu-cloud">Cloud</button>
<div class="accordion-content" id="menu-cloud"><p><strong>Un menu ?</strong></p><p>T&eacute;moignage de la navigation</p></div></div></li></ul></nav>
</header>
<main id="contenu"><article>
<header><h1>{titre}</h1><p class="date">Publi&eacute; le <time datetime="{iso}">{date}</time></p></header>
{article}
</article></main>
<footer><p>T&eacute;moignage de l&rsquo;&eacute;quipe du site, 3 millions de visiteurs</p><a href="/mentions-legales/">Mentions l&eacute;gales</a></footer>
<script>document.write("Témoignage de script");</script>
</body></html>
"##
    );
    let crlf = html.replace("\r\n", "\n").replace('\n', "\r\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&crlf);
    bytes.into_owned()
}

#[test]
fn layouts_rendered_pages_give_the_same_records_as_their_posts() {
    for nom in ["accordeon", "sections"] {
        let wd = Workdir::new();
        let md = format!("{LAYOUTS}/{nom}.md");
        wd.copy(&md, &format!("md/{nom}.md"));
        let html = page_rendue(&md);
        assert!(!html.contains(&0xC3), "the page is really windows-1252");
        wd.write(&format!("html/{nom}.html"), html);
        build(&wd, "md");
        build(&wd, "html");
        for table in ["temoignages", "questions_reponses", "indicateurs", "qualifications", "mentions", "liens"] {
            assert_eq!(lignes(&wd, "md", table), lignes(&wd, "html", table), "{nom}: table {table}");
        }
        let (d_md, d_html) = (&lignes(&wd, "md", "documents")[0], &lignes(&wd, "html", "documents")[0]);
        for col in ["titre", "date_publication", "date_heure_publication", "nombre_temoignages"] {
            assert_eq!(d_md[col], d_html[col], "{nom}: documents.{col}");
        }
        assert_eq!(d_html["format_source"], "html");
        for (p, bytes) in fichiers(&wd.path("html-ds")) {
            let s = String::from_utf8_lossy(&bytes);
            for intrus in [
                "Témoignage de la navigation",
                "équipe du site",
                "Témoignage de la rédaction",
                "Témoignage de script",
                "Mentions légales",
                "menu-cloud",
            ] {
                assert!(!s.contains(intrus), "{nom}: « {intrus} » from the page chrome in {p}");
            }
        }
    }
}
