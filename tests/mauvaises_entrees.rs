//! Bad input: each bad file is reported by name, the run goes on, the seed's
//! testimonials are still published, in bounded time and memory.

mod common;
use common::*;
use std::collections::HashMap;
use std::time::{Duration, Instant};

#[test]
fn mauvaises_entrees_each_bad_file_is_named_and_the_seed_is_still_published() {
    let wd = Workdir::new();
    wd.copy(SEED, "p/2024-07-03-cloud-temoignages.md");
    wd.write("p/vide.md", b"");
    let mut binaire = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    binaire.extend((0..4000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    wd.write("p/binaire.html", binaire);
    // Not a page for Jekyll (no front matter): named on stderr, no document.
    wd.write("p/README.md", "# Notes\n\nCe dossier contient les pages.\n");
    wd.write("p/latin1.md", b"---\ntitle: Essai\n---\n<p>T\xe9moignage de la direction \xe0 tester</p>\n");
    wd.write("p/coupee.html", "<html><body><div class=\"accordion-item\"><button class=\"accordion-title\" aria-con");
    wd.write("p/yaml.md", "---\ntitle: [pas fermé\ndate: 2024-01-01\n---\nCorps lisible.\n");
    wd.write("p/nul.md", "---\ntitle: Nul\n---\nUn texte\0avec un octet nul.\n");
    // The seed saved as UTF-16 (little-endian, with its byte order mark): decoded, not "null bytes".
    let seed = std::fs::read_to_string(wd.path("p/2024-07-03-cloud-temoignages.md")).unwrap();
    wd.write(
        "p/utf16.md",
        [&b"\xFF\xFE"[..], &seed.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()].concat(),
    );
    let enorme = std::fs::File::create(wd.path("p/enorme.html")).unwrap();
    enorme.set_len(100 * 1024 * 1024).unwrap(); // 100 MB, sparse: never read
    wd.write(
        "p/profond.html",
        format!("<html><body>{}x{}</body></html>", "<div>".repeat(200_000), "</div>".repeat(200_000)),
    );
    wd.write(
        "p/attribut.html",
        format!(
            "<html><body><div class=\"accordion-item\"><button class=\"accordion-title\" aria-controls=\"{}\">T</button><div class=\"accordion-content\"><p><a href=\"https://exemple.fr/{}\">l</a></p><p>Témoignage de la DINUM</p></div></div></body></html>",
            "a".repeat(5_000_000),
            "b".repeat(1_000_000)
        ),
    );
    std::os::unix::fs::symlink("nulle-part.md", wd.path("p/illisible.md")).unwrap();
    std::os::unix::fs::symlink(".", wd.path("p/boucle")).unwrap();
    let tube = std::process::Command::new("mkfifo").arg(wd.path("p/tube.md")).status().is_ok_and(|s| s.success());

    let debut = Instant::now();
    let o = wd.run(&["build", "p", "--out", "ds"]);
    let duree = debut.elapsed();
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(duree < Duration::from_secs(120), "took {duree:?}");
    // Files that give no document are named on stderr.
    for f in ["enorme.html", "illisible.md", "boucle"] {
        assert!(err.contains(f), "{f} not named:\n{err}");
    }
    assert!(err.contains("page trop grande"), "{err}");
    assert!(err.contains("README.md : pas de front matter"), "{err}");
    if tube {
        assert!(err.contains("tube.md") && err.contains("fichier ordinaire"), "{err}");
    }
    // A loop is walked once and said so, but it loses nothing: not an
    // unread file.
    assert!(err.contains("boucle : dossier déjà parcouru"), "{err}");
    // The summary counts them beside the findings.
    let non_lus = 2 + usize::from(tube);
    assert!(stdout(&o).contains(&format!(" ; {non_lus} fichier(s) non lu(s), nommé(s) plus haut)")), "{}", stdout(&o));
    // The others are documents with findings naming the file.
    let a = wd.csv("ds/csv/anomalies.csv");
    let mut par_doc: HashMap<String, Vec<String>> = HashMap::new();
    for r in &a {
        par_doc.entry(r["document"].clone()).or_default().push(r["code"].clone());
    }
    let attendu = [
        ("vide", "page-vide"),
        ("binaire", "contenu-binaire"),
        ("latin1", "encodage-devine"),
        ("coupee", "page-tronquee"),
        ("yaml", "front-matter-invalide"),
        ("nul", "octets-nuls"),
        ("profond", "imbrication-trop-profonde"),
        ("attribut", "identifiant-trop-long"),
        ("attribut", "lien-trop-long"),
    ];
    for (doc, code_attendu) in attendu {
        let codes = par_doc.get(doc).unwrap_or_else(|| panic!("no document {doc}: {par_doc:?}"));
        assert!(codes.iter().any(|c| c == code_attendu), "{doc}: {code_attendu} not in {codes:?}");
        let ligne = a.iter().find(|r| r["document"] == doc && r["code"] == code_attendu).unwrap();
        if code_attendu != "identifiant-trop-long" && code_attendu != "lien-trop-long" {
            assert!(ligne["message"].contains(doc), "the message names the file: {ligne:?}");
        }
    }
    let nul = a.iter().find(|r| r["document"] == "nul" && r["code"] == "octets-nuls").unwrap();
    assert!(nul["message"].contains("octet 27"), "byte offset given: {nul:?}");
    // The latin-1 page is read, not garbled.
    let d = wd.csv("ds/csv/documents.csv");
    assert!(d.iter().any(|r| r["identifiant"] == "latin1"));
    assert!(!d.iter().any(|r| r["identifiant"] == "readme"), "README.md is not a page");
    let t = wd.csv("ds/csv/temoignages.csv");
    assert_eq!(t.iter().filter(|r| r["document"] == "2024-07-03-cloud-temoignages").count(), 10);
    assert!(t.iter().all(|r| r["identifiant"].len() < 200), "no huge identifier");
    assert_eq!(t.iter().filter(|r| r["document"] == "utf16").count(), 10, "the UTF-16 copy is read");
    let utf16 = par_doc.get("utf16").cloned().unwrap_or_default();
    assert!(!utf16.iter().any(|c| c == "octets-nuls" || c.starts_with("encodage")), "{utf16:?}");
    assert_eq!(code(&wd.run(&["validate", "ds"])), 0);
}

#[test]
fn mauvaises_entrees_a_folder_of_ten_thousand_files() {
    let wd = Workdir::new();
    for i in 0..10_000 {
        wd.write(
            &format!("p/{:02}/page-{i:05}.md", i % 50),
            format!("---\ntitle: Page {i}\n---\n<div class=\"accordion-item\"><button class=\"accordion-title\" aria-controls=\"p{i}\">Projet {i}</button><div class=\"accordion-content\" id=\"p{i}\"><p><strong>Pouvez-vous décrire le projet ?</strong></p><p>Plus de {i} agents.</p><p>Témoignage de la DINUM</p></div></div>\n"),
        );
    }
    let o = wd.run(&["build", "p", "--out", "ds", "--quiet"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(wd.csv("ds/csv/documents.csv").len(), 10_000);
    assert_eq!(wd.csv("ds/csv/temoignages.csv").len(), 10_000);
}

/// A page whose text never ends a sentence, and one long sentence naming
/// the same qualifications thousands of times: read in pieces of at most
/// 2,000 bytes (each fact's evidence is its piece, not the whole text), the
/// cut reported, the facts still found. Before the bound, the first page
/// took about a minute and gigabytes of memory, its evidence columns being
/// the whole paragraph once per figure, and the second ran for minutes.
/// An accordion item `id` asking one question, followed by `corps`.
fn item(id: &str, corps: &str) -> String {
    format!(
        "<div class=\"accordion-item\"><button class=\"accordion-title\" aria-controls=\"{id}\">Projet {id}</button><div class=\"accordion-content\" id=\"{id}\"><p><strong>Pouvez-vous décrire le projet ?</strong></p>{corps}</div></div>\n"
    )
}

#[test]
fn mauvaises_entrees_a_text_without_full_stops_is_read_in_pieces() {
    let wd = Workdir::new();
    let element = |id: &str, texte: &str| {
        format!("---\ntitle: {id}\n---\n{}", item(id, &format!("<p>{texte}</p><p>Témoignage de la DINUM</p>")))
    };
    let chiffres: Vec<String> =
        (1..=3000).map(|i| format!("plus de {i} millions de requêtes par jour hébergées chez OVHcloud")).collect();
    wd.write("p/chiffres.md", element("chiffres", &chiffres.join(" ")));
    let qualifs = vec!["SecNumCloud, HDS, ISO 27001 et HDS obtenues"; 3000];
    wd.write("p/qualifs.md", element("qualifs", &format!("{}.", qualifs.join(" "))));
    // A figure written with no-break spaces right where a cut would fall.
    let mots = "mot ".repeat(496);
    wd.write("p/insecable.md", element("insecable", &format!("{mots}compte 1\u{a0}500\u{a0}000 utilisateurs {mots}")));
    let o = wd.run(&["build", "p", "--out", "ds", "--quiet"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    let a = wd.csv("ds/csv/anomalies.csv");
    for doc in ["chiffres", "qualifs", "insecable"] {
        let r = a
            .iter()
            .find(|r| r["document"] == doc && r["code"] == "phrase-trop-longue")
            .unwrap_or_else(|| panic!("{doc}: no phrase-trop-longue in {a:?}"));
        assert_eq!(r["severite"], "avertissement");
        assert!(r["message"].starts_with("1 phrase(s)"), "{r:?}");
    }
    let ind = wd.csv("ds/csv/indicateurs.csv");
    assert!(ind.iter().all(|r| r["phrase"].len() <= 2000), "an evidence sentence over 2,000 bytes");
    assert!(ind.iter().all(|r| r["phrase"].contains(&r["texte"])), "each figure lies in its piece");
    // A piece may cut one figure in two; all the others are read.
    let lus = ind.iter().filter(|r| r["temoignage"] == "chiffres--chiffres" && r["unite"] == "requete").count();
    assert!((2900..=3000).contains(&lus), "{lus} figures read of 3,000");
    let insecable: Vec<&str> =
        ind.iter().filter(|r| r["temoignage"] == "insecable--insecable").map(|r| r["valeur"].as_str()).collect();
    assert_eq!(insecable, ["1500000"], "the figure is read whole");
    let q = wd.csv("ds/csv/qualifications.csv");
    let mut noms: Vec<(&str, &str)> = q
        .iter()
        .filter(|r| r["temoignage"] == "qualifs--qualifs")
        .map(|r| (r["qualification"].as_str(), r["statut"].as_str()))
        .collect();
    noms.sort();
    assert_eq!(noms, [("HDS", "obtenue"), ("ISO 27001", "obtenue"), ("SecNumCloud", "obtenue")]);
    assert!(q.iter().chain(&wd.csv("ds/csv/mentions.csv")).all(|r| r["preuve"].len() <= 2000));
    assert_eq!(code(&wd.run(&["validate", "ds"])), 0);
}

/// Each figure copies its sentence: a page of figures alone would make the
/// dataset over a hundred times its size. A page keeps 10,000 of them.
#[test]
fn mauvaises_entrees_a_page_keeps_ten_thousand_figures() {
    let wd = Workdir::new();
    let texte = "mot 12 serveurs, ".repeat(12_000);
    wd.write(
        "p/flot.md",
        format!("---\ntitle: flot\n---\n{}", item("flot", &format!("<p>{texte}</p><p>Témoignage de la DINUM</p>"))),
    );
    let o = wd.run(&["build", "p", "--out", "ds", "--quiet"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(wd.csv("ds/csv/indicateurs.csv").len(), 10_000);
    let a = wd.csv("ds/csv/anomalies.csv");
    let r = a.iter().find(|r| r["code"] == "indicateurs-trop-nombreux").expect("finding");
    assert_eq!(r["temoignage"], "flot--flot");
    assert!(r["message"].starts_with("2000 quantité(s)"), "{r:?}");
}

#[test]
fn mauvaises_entrees_a_flood_of_findings_is_summed_up() {
    let wd = Workdir::new();
    let element = |id: &str, corps: &str| item(id, &format!("<p>Un projet hébergé chez OVHcloud.</p>{corps}"));
    // One item with 3,000 attribution lines, then the same id 30 times.
    let lignes: String = (1..=3000).map(|i| format!("<p>Témoignage de la direction numéro {i}</p>")).collect();
    let mut page = format!("---\ntitle: Crue\n---\n{}", element("crue", &lignes));
    for _ in 0..30 {
        page.push_str(&element("double", "<p>Témoignage de la DINUM</p>"));
    }
    wd.write("p/crue.md", page);
    wd.copy(SEED, "p/2024-07-03-cloud-temoignages.md");
    let o = wd.run(&["build", "p", "--out", "ds"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");

    let a = wd.csv("ds/csv/anomalies.csv");
    let multiples: Vec<_> = a.iter().filter(|r| r["code"] == "attribution-multiple").collect();
    assert_eq!(multiples.len(), 1, "one finding for the testimonial, not one per line");
    assert_eq!(multiples[0]["temoignage"], "crue--crue");
    assert!(multiples[0]["message"].contains("3000 lignes"), "{:?}", multiples[0]);
    assert_eq!(multiples[0]["extrait"], "Témoignage de la direction numéro 2");
    let t = wd.csv("ds/csv/temoignages.csv");
    let crue = t.iter().find(|r| r["identifiant"] == "crue--crue").expect("the testimonial is kept");
    assert_eq!(crue["attribution"], "Témoignage de la direction numéro 1", "the first line is kept");

    // Every duplicated id is in the dataset; stderr names ten, then a count.
    let doubles = a.iter().filter(|r| r["document"] == "crue" && r["severite"] == "erreur").count();
    assert_eq!(doubles, 29);
    let lignes_crue: Vec<&str> = err.lines().filter(|l| l.contains("p/crue.md")).collect();
    assert_eq!(lignes_crue.len(), 11, "{err}");
    assert!(lignes_crue[..10].iter().all(|l| l.contains("identifiant-duplique")), "{err}");
    assert!(lignes_crue[10].contains("… et 19 autre(s) erreur(s), toutes dans anomalies.csv"), "{err}");
    assert!(stdout(&o).contains("(29 erreur(s))"), "the summary counts them all: {}", stdout(&o));
    assert_eq!(code(&wd.run(&["validate", "ds"])), 0);
}

#[test]
fn mauvaises_entrees_a_front_matter_never_closed_is_reported_and_read() {
    let wd = Workdir::new();
    wd.write(
        "p/ouvert.md",
        format!("---\ntitle: Essai\ndate: 2024-01-01\n{}", item("x", "<p>Réponse.</p><p>Témoignage de la DINUM</p>")),
    );
    wd.write("p/nu.md", format!("---\n{}", item("y", "<p>Réponse.</p><p>Témoignage de la DINUM</p>")));
    let o = wd.run(&["build", "p", "--out", "ds"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("p/ouvert.md : front-matter-non-ferme") && err.contains("ligne 1"), "{err}");
    assert!(err.contains("les lignes 2 à 3 sont lues comme front matter"), "{err}");
    assert!(err.contains("p/nu.md : front-matter-non-ferme") && err.contains("sans front matter"), "{err}");
    let d = wd.csv("ds/csv/documents.csv");
    let ouvert = d.iter().find(|r| r["identifiant"] == "ouvert").unwrap();
    assert_eq!((ouvert["titre"].as_str(), ouvert["date_publication"].as_str()), ("Essai", "2024-01-01"));
    let t = wd.csv("ds/csv/temoignages.csv");
    assert!(t.iter().any(|r| r["identifiant"] == "ouvert--x") && t.iter().any(|r| r["identifiant"] == "nu--y"));
    assert_eq!(code(&wd.run(&["validate", "ds"])), 0);
}
