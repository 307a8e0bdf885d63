//! `temoignages build`: the main job, run as users run it.

mod common;
use common::*;

#[test]
fn build_seed_gives_ten_testimonials_in_page_order() {
    let wd = Workdir::new();
    wd.copy(SEED, "pages/2024-07-03-cloud-temoignages.md");
    let o = wd.run(&["build", "pages", "--out", "ds"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("10 témoignages"), "{}", stdout(&o));
    let t = wd.csv("ds/csv/temoignages.csv");
    let ids: Vec<&str> = t.iter().map(|r| r["identifiant"].rsplit("--").next().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "listes-electorales",
            "laboe-si",
            "geoplateforme",
            "numerique-en-sante",
            "oceanographique",
            "cancerologie",
            "albert",
            "vie-publique",
            "sesame-vitale",
            "visioconferences"
        ]
    );
    assert!(t.iter().all(|r| r["attribution"].starts_with("Témoignage")), "ten attributions");
    assert!(t.iter().all(|r| r["date_publication"] == "2024-07-03"));
    let qr = wd.csv("ds/csv/questions_reponses.csv");
    assert!(qr.len() >= 25, "{} question/answer pairs", qr.len());
    let d = wd.csv("ds/csv/documents.csv");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["identifiant"], "2024-07-03-cloud-temoignages");
    assert_eq!(d[0]["titre"], "Cloud : série de témoignages portant sur les succès du cloud public");
    assert_eq!(d[0]["date_heure_publication"], "2024-07-03T13:49:00+02:00");
    assert_eq!(d[0]["mots_cles"], "Cloud;Numérique;Sécurité");
    assert_eq!(d[0]["nombre_temoignages"], "10");
    assert!(d[0]["empreinte_source"].starts_with("sha256:"));
}

#[test]
fn build_seed_reports_the_known_anomalies_and_links() {
    let wd = Workdir::new();
    wd.copy(SEED, "p/2024-07-03-cloud-temoignages.md");
    assert_eq!(code(&wd.run(&["build", "p", "--out", "ds"])), 0);
    let a = wd.csv("ds/csv/anomalies.csv");
    let laboe = a.iter().find(|r| r["code"] == "question-repetee").expect("repeated question");
    assert!(laboe["temoignage"].ends_with("--laboe-si"));
    let note = a.iter().find(|r| r["code"] == "note-editoriale").expect("editorial note");
    assert!(note["temoignage"].ends_with("--listes-electorales"));
    assert!(note["extrait"].contains("commentaire peut être trop en lien avec l’actualité"));
    let liens = wd.csv("ds/csv/liens.csv");
    let sp = liens.iter().find(|r| r["url"] == "https://www.service-public.fr/").expect("service-public.fr link");
    assert_eq!(sp["domaine"], "www.service-public.fr");
    assert!(sp["temoignage"].ends_with("--listes-electorales"));
    // A link written with a trailing space is trimmed.
    assert!(liens.iter().any(|r| r["url"] == "https://maree.shom.fr"));
}

#[test]
fn build_never_takes_text_from_scripts() {
    let wd = Workdir::new();
    wd.copy(SEED, "p/seed.md");
    assert_eq!(code(&wd.run(&["build", "p", "--out", "ds"])), 0);
    for (path, bytes) in fichiers(&wd.path("ds")) {
        let text = String::from_utf8_lossy(&bytes);
        // The seed's script defines myFunction and calls getElementById; the
        // dataset's own page has a script of its own, so only the name the
        // seed's script alone uses is searched there.
        assert!(!text.contains("myFunction"), "script text in {path}");
        if path != "index.html" {
            assert!(!text.contains("getElementById"), "script text in {path}");
        }
    }
}

#[test]
fn build_twice_is_byte_identical() {
    let wd = Workdir::new();
    wd.copy(SEED, "p/2024-07-03-cloud-temoignages.md");
    assert_eq!(code(&wd.run(&["build", "p", "--out", "a"])), 0);
    assert_eq!(code(&wd.run(&["build", "p", "--out", "b"])), 0);
    let a = fichiers(&wd.path("a"));
    let b = fichiers(&wd.path("b"));
    assert_eq!(a.len(), 28);
    assert!(a == b, "two builds differ");
}

#[test]
fn build_writes_the_spec_layout() {
    let wd = Workdir::new();
    wd.copy(SEED, "p/seed.md");
    assert_eq!(code(&wd.run(&["build", "p", "--out", "ds"])), 0);
    for t in [
        "documents",
        "temoignages",
        "questions_reponses",
        "indicateurs",
        "qualifications",
        "mentions",
        "liens",
        "anomalies",
    ] {
        for f in [format!("ds/csv/{t}.csv"), format!("ds/parquet/{t}.parquet"), format!("ds/schemas/{t}.json")] {
            assert!(wd.path(&f).is_file(), "{f}");
        }
    }
    assert!(wd.path("ds/json/temoignages.json").is_file());
    let dp: serde_json::Value = serde_json::from_str(&wd.read("ds/datapackage.json")).unwrap();
    let r = &dp["resources"][0];
    assert_eq!(r["path"], "csv/documents.csv");
    assert_eq!(r["type"], "table");
    assert_eq!(r["schema"], "schemas/documents.json");
    assert!(r["hash"].as_str().unwrap().starts_with("sha256:"));
    let json: serde_json::Value = serde_json::from_str(&wd.read("ds/json/temoignages.json")).unwrap();
    let t = &json["documents"][0]["temoignages"];
    assert_eq!(t.as_array().unwrap().len(), 10);
    assert!(t[0]["questions_reponses"].as_array().unwrap().len() >= 3);
    // The testimonial's own column keeps its value beside the rows of the
    // table of the same name.
    let dile = t.as_array().unwrap().iter().find(|x| x["sigle"] == "DILE").unwrap();
    assert_eq!(dile["qualifications"], serde_json::json!(["SecNumCloud"]));
    let lignes = dile["qualifications_lignes"].as_array().unwrap();
    assert_eq!(lignes.len(), 1);
    assert_eq!(lignes[0]["qualification"], "SecNumCloud");
    assert_eq!(lignes[0]["statut"], "obtenue");
}

#[test]
fn build_reports_a_bad_page_and_publishes_the_others() {
    let wd = Workdir::new();
    wd.copy(SEED, "p/2024-07-03-cloud-temoignages.md");
    wd.write("p/casse.md", "---\ntitle: [pas fermé\n---\n<div class=\"accordion-item\"><button class=\"accordion-title\" aria-controls=\"x\">X</button><div class=\"accordion-content\" id=\"x\"><p><strong>Q ?</strong></p><p>R</p><p>Témoignage de la DINUM</p></div></div>\n");
    let o = wd.run(&["build", "p", "--out", "ds"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("casse.md"), "the bad file is named: {}", stderr(&o));
    assert!(stderr(&o).contains("front-matter-invalide"));
    let t = wd.csv("ds/csv/temoignages.csv");
    assert_eq!(t.iter().filter(|r| r["document"] == "2024-07-03-cloud-temoignages").count(), 10);
    // The body of the page with the broken front matter is still read.
    assert!(t.iter().any(|r| r["identifiant"] == "casse--x"));
}

#[test]
fn build_reads_two_inputs_holding_the_same_file_name() {
    let wd = Workdir::new();
    wd.copy(SEED, "a/page.md");
    wd.copy(SEED, "b/page.md");
    wd.copy(SEED, "b/autre.md");
    let o = wd.run(&["build", "a", "b", "--out", "ds"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let d = wd.csv("ds/csv/documents.csv");
    let mut vus: Vec<(&str, &str)> =
        d.iter().map(|r| (r["identifiant"].as_str(), r["fichier_source"].as_str())).collect();
    vus.sort();
    assert_eq!(vus, [("autre", "autre.md"), ("page", "a/page.md"), ("page-2", "b/page.md")]);
    let a = wd.csv("ds/csv/anomalies.csv");
    assert!(a.iter().any(|r| r["code"] == "document-duplique" && r["document"] == "page-2"), "{a:?}");
    let v = wd.run(&["validate", "ds"]);
    assert_eq!(code(&v), 0, "{}", stdout(&v));
}

#[test]
fn build_failure_leaves_the_previous_dataset_whole() {
    let wd = Workdir::new();
    wd.copy(SEED, "p/seed.md");
    assert_eq!(code(&wd.run(&["build", "p", "--out", "ds"])), 0);
    let avant = fichiers(&wd.path("ds"));
    let o = wd.run(&["build", "absent", "--out", "ds"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("absent"));
    assert!(fichiers(&wd.path("ds")) == avant);
    // No temporary folder is left behind.
    let restes: Vec<_> = std::fs::read_dir(wd.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(restes.is_empty(), "{restes:?}");
}

#[test]
fn build_replaces_an_existing_dataset() {
    let wd = Workdir::new();
    wd.copy(SEED, "p/seed.md");
    assert_eq!(code(&wd.run(&["build", "p", "--out", "ds"])), 0);
    wd.write("p/autre.md", "---\ntitle: Autre\ndate: 2025-01-02\n---\nRien.\n");
    assert_eq!(code(&wd.run(&["build", "p", "--out", "ds"])), 0);
    assert_eq!(wd.csv("ds/csv/documents.csv").len(), 2);
    assert_eq!(code(&wd.run(&["validate", "ds"])), 0);
}

#[test]
fn build_never_replaces_what_is_not_its_own_dataset() {
    let wd = Workdir::new();
    wd.copy(SEED, "p/seed.md");
    let refuse = |out: &str, attendu: &str| {
        let o = wd.run(&["build", "p", "--out", out]);
        assert_eq!(code(&o), 2, "{out}: {}", stderr(&o));
        assert!(stderr(&o).contains(attendu) && stderr(&o).contains("rien n'est écrit"), "{out}: {}", stderr(&o));
    };
    // A folder of other things: refused, left as it was, no lock file beside it.
    wd.write("notes/important.txt", "à garder");
    refuse("notes", "n'est ni vide ni un jeu produit par temoignages");
    assert_eq!(wd.read("notes/important.txt"), "à garder");
    assert!(!wd.path(".notes.lock").exists());
    // Another data package (not this dataset) is not ours either.
    wd.write("autre/datapackage.json", r#"{"name": "autre-jeu", "resources": []}"#);
    refuse("autre", "n'est ni vide ni un jeu produit par temoignages");
    assert!(wd.path("autre/datapackage.json").is_file());
    // A file.
    wd.write("fichier", "bonjour");
    refuse("fichier", "existe et n'est pas un dossier");
    assert_eq!(wd.read("fichier"), "bonjour");
    // The input folder itself, or a folder holding an input.
    refuse("p", "l'entrée p est dans le dossier de sortie p");
    assert!(wd.path("p/seed.md").is_file());
    let o = wd.run(&["build", "p/seed.md", "--out", "."]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(wd.path("p/seed.md").is_file());
    // A folder inside an input folder, existing or not: the next build
    // would read it back as pages.
    refuse("p/sortie", "le dossier de sortie p/sortie est dans l'entrée p");
    refuse("p/./a/b/../b", "est dans l'entrée p");
    assert!(!wd.path("p/sortie").exists() && !wd.path("p/.sortie.lock").exists());
    let restes: Vec<_> = std::fs::read_dir(wd.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(restes.is_empty(), "{restes:?}");

    // An empty folder, then the dataset written there, are replaced.
    std::fs::create_dir(wd.path("vide")).unwrap();
    assert_eq!(code(&wd.run(&["build", "p", "--out", "vide"])), 0);
    assert_eq!(code(&wd.run(&["build", "p", "--out", "vide"])), 0);
    assert_eq!(wd.csv("vide/csv/temoignages.csv").len(), 10);
    // A link to the dataset stays a link; the folder it points to is replaced.
    std::os::unix::fs::symlink("vide", wd.path("lien")).unwrap();
    assert_eq!(code(&wd.run(&["build", "p", "--out", "lien"])), 0);
    assert!(std::fs::symlink_metadata(wd.path("lien")).unwrap().file_type().is_symlink());
    assert_eq!(code(&wd.run(&["validate", "vide"])), 0);
    // A file or folder of someone's put in the dataset: refused, kept.
    wd.write("vide/NOTES.txt", "à garder");
    std::fs::create_dir(wd.path("vide/.git")).unwrap();
    wd.write("vide/csv/lisez-moi.txt", "idem");
    refuse("vide", "contient 3 fichier(s) ou dossier(s) qu'un build n'écrit pas (.git, NOTES.txt, csv/lisez-moi.txt)");
    assert_eq!(wd.read("vide/NOTES.txt"), "à garder");
    assert_eq!(wd.read("vide/csv/lisez-moi.txt"), "idem");
    for f in ["vide/NOTES.txt", "vide/csv/lisez-moi.txt"] {
        std::fs::remove_file(wd.path(f)).unwrap();
    }
    std::fs::remove_dir(wd.path("vide/.git")).unwrap();
    assert_eq!(code(&wd.run(&["build", "p", "--out", "vide"])), 0);
}

#[test]
fn build_accepts_a_bom_and_an_explicit_file_of_any_extension() {
    let wd = Workdir::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(racine().join(SEED)).unwrap());
    wd.write("page.txt", bytes);
    let o = wd.run(&["build", "page.txt", "--out", "ds"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(wd.csv("ds/csv/temoignages.csv").len(), 10);
    assert_eq!(wd.csv("ds/csv/documents.csv")[0]["fichier_source"], "page.txt");
}

#[test]
fn build_flags_duplicate_item_ids_missing_attribution_and_empty_answers() {
    let wd = Workdir::new();
    let item = |id: &str, corps: &str| {
        format!("<div class=\"accordion-item\"><button class=\"accordion-title\" aria-controls=\"{id}\">Projet {id}</button><div class=\"accordion-content\" id=\"{id}\">{corps}</div></div>\n")
    };
    let page = format!(
        "---\ntitle: Essai\ndate: 2025-03-04 10:00:00 +01:00\n---\n\n{}{}{}",
        item("Même", "<p><strong>Pouvez-vous décrire le projet ?</strong></p><p>Oui.</p><p>Témoignage de la DINUM</p>"),
        item(
            "même",
            "<p><strong>Pouvez-vous décrire le projet ?</strong></p><p><strong>Quels défis ?</strong></p><p>Aucun.</p>"
        ),
        item("", "<p>Texte sans question.</p>"),
    );
    wd.write("p/essai.md", page);
    let o = wd.run(&["build", "p", "--out", "ds"]);
    // A duplicate identifier is an error in the input: reported, exit 1, data still written.
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let t = wd.csv("ds/csv/temoignages.csv");
    let ids: Vec<&str> = t.iter().map(|r| r["identifiant"].as_str()).collect();
    assert_eq!(ids, ["essai--meme", "essai--meme-2", "essai--projet"]);
    assert_eq!(t[0]["organisation_sigle"], "DINUM");
    let a = wd.csv("ds/csv/anomalies.csv");
    let codes: Vec<&str> = a.iter().map(|r| r["code"].as_str()).collect();
    for c in ["identifiant-duplique", "attribution-absente", "reponse-vide", "identifiant-absent"] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
    assert_eq!(code(&wd.run(&["validate", "ds"])), 0);
}

#[test]
fn build_output_is_the_same_whatever_the_number_of_threads() {
    let wd = Workdir::new();
    let seed = std::fs::read_to_string(racine().join(SEED)).unwrap();
    // More pages than the extraction runs ahead of the writer, of unequal
    // lengths (every fifth one carries ten times the text, so pages finish
    // out of order), and an empty file among them, reported in its place.
    let long = "\n\nUne ligne de texte en plus pour allonger la page.".repeat(2000);
    for i in 0..150 {
        let mut page = seed.replace("plus de 1700 membres", &format!("plus de {} membres", 1700 + i));
        if i % 5 == 0 {
            page.push_str(&long);
        }
        wd.write(&format!("p/2024-07-{:02}-copie-{i:03}.md", 1 + i % 28), page);
    }
    wd.write("p/2024-07-15-vide.md", "");
    let mut sorties = Vec::new();
    for (jobs, out) in [("1", "un"), ("2", "deux"), ("5", "cinq")] {
        let o = wd.run(&["build", "p", "--out", out, "--jobs", jobs, "--quiet"]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(stdout(&o).is_empty(), "--quiet prints nothing: {}", stdout(&o));
        assert!(stderr(&o).contains("2024-07-15-vide.md"), "{}", stderr(&o));
        sorties.push(stderr(&o));
    }
    assert!(sorties.iter().all(|s| s == &sorties[0]), "messages differ with the number of threads: {sorties:?}");
    let un = fichiers(&wd.path("un"));
    assert!(un == fichiers(&wd.path("deux")), "--jobs 1 and --jobs 2 differ");
    assert!(un == fichiers(&wd.path("cinq")), "--jobs 1 and --jobs 5 differ");
    assert_eq!(wd.csv("un/csv/temoignages.csv").len(), 1500);
}

/// Usage errors speak French, as every other message, name what is wrong
/// and where to look, and exit 2.
#[test]
fn usage_errors_are_in_french_with_exit_2() {
    let wd = Workdir::new();
    for (args, attendu) in [
        (
            &["build", "--jobs", "0"][..],
            "erreur : valeur invalide « 0 » pour --jobs <N> (un nombre de 1 à 256) ; voir `temoignages build --help`",
        ),
        (&["build", "--jobz", "2"][..], "erreur : option inconnue « --jobz » (vouliez-vous dire « --jobs » ?)"),
        (&["buidl"][..], "erreur : commande inconnue « buidl » (vouliez-vous dire « build » ?)"),
        (
            &["publish", "--timeout", "abc"][..],
            "erreur : valeur invalide « abc » pour --timeout <SECONDS> (un nombre de secondes)",
        ),
    ] {
        let o = wd.run(args);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(stderr(&o).starts_with(attendu), "{args:?}: {}", stderr(&o));
    }
    // --help is no error.
    let o = wd.run(&["build", "--help"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("--jobs"));
}
