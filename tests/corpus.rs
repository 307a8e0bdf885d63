//! The 46 real pages of numerique.gouv.fr in `../shared/corpus/numerique-gouv/`
//! (see its SOURCE.md), read in place, never copied (their licence is not
//! stated). One build over all of them; per-file expectations written from
//! reading the files. Skipped, with a message, where the folder is absent.

mod common;
use common::*;
use std::collections::HashMap;
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let dir = racine().join("../shared/corpus/numerique-gouv");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("corpus test skipped: {} is absent", dir.display());
        None
    }
}

/// Document id → expected number of testimonials, for the pages that have
/// some; every other page has none.
const AVEC_TEMOIGNAGES: &[(&str, usize)] = &[
    // 2 copies of the DILE accordion item + 8 Markdown sections.
    ("focus-sur-les-succes-du-cloud-public-00fe889", 10),
    // 5 Markdown sections, one of them a "???" placeholder.
    ("focus-sur-les-succes-du-cloud-public-253145c", 5),
];

#[test]
fn corpus_all_pages_in_one_build() {
    let Some(dir) = corpus() else { return };
    let wd = Workdir::new();
    let old =
        dir.join("le-gouvernement-lance-l-experimentation-de-l’intelligence-artificielle-dans-l’administration.old");
    let o = wd.run(&["build", dir.to_str().unwrap(), old.to_str().unwrap(), "--out", "ds"]);
    // Exit 1: the draft @00fe889 repeats an accordion id (an error finding).
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    let v = wd.run(&["validate", "ds"]);
    assert_eq!(code(&v), 0, "{}", stderr(&v));

    let docs = wd.csv("ds/csv/documents.csv");
    // 45 pages walked (.md/.markdown) + the .old page named explicitly;
    // SOURCE.md has no front matter: Jekyll would not make it a page.
    assert_eq!(docs.len(), 46);
    assert!(!docs.iter().any(|d| d["fichier_source"] == "SOURCE.md"));
    assert!(stderr(&o).contains("SOURCE.md : pas de front matter"), "{}", stderr(&o));
    let attendus: HashMap<&str, usize> = AVEC_TEMOIGNAGES.iter().copied().collect();
    let anomalies = wd.csv("ds/csv/anomalies.csv");
    for d in &docs {
        let id = d["identifiant"].as_str();
        let n: usize = d["nombre_temoignages"].parse().unwrap();
        assert_eq!(n, attendus.get(id).copied().unwrap_or(0), "{id}");
        if n == 0 {
            assert!(
                anomalies
                    .iter()
                    .any(|a| a["document"] == id && a["code"] == "aucun-temoignage" && a["severite"] == "info"),
                "{id}: no finding says why it has no testimonial"
            );
        }
    }
    let motif = |id: &str| -> String {
        anomalies
            .iter()
            .find(|a| a["document"] == id && a["code"] == "aucun-temoignage")
            .map(|a| a["message"].clone())
            .unwrap_or_default()
    };
    for guichet in [
        "guichet-financement-exploitation-valorisation-des-donnees",
        "guichet-financement-ftap-adoption-du-cloud-computing",
        "dinum",
        "test-accordeon-idx27462873382",
        "focus-sur-les-succes-du-cloud-public-idx27761660204",
    ] {
        assert!(motif(guichet).contains("accordéon d'information"), "{guichet}: {}", motif(guichet));
    }
    for citations in [
        "talents-feminins-du-numerique-etat-coaching",
        "le-gouvernement-annonce-sa-strategie-en-matiere-de-cloud",
        "la-dinum-devient-organisme-certificateur",
        "le-gouvernement-lance-l-experimentation-de-l-intelligence-artificielle-dans-l-administration",
    ] {
        assert!(motif(citations).contains("citation(s)"), "{citations}: {}", motif(citations));
    }
    assert!(motif("acc-eig6").contains("lien-important"));
    assert!(motif("cloud-faq").contains("question(s)"));

    // Front matter as found.
    let doc = |id: &str| docs.iter().find(|d| d["identifiant"] == id).unwrap_or_else(|| panic!("{id}"));
    assert_eq!(doc("pages-dinsic")["titre"], "La DINSIC");
    assert_eq!(doc("pages-dinsic")["date_publication"], "", "no date, none in the file name");
    assert!(doc("pages-dinsic")["chapeau"].len() > 20, "`chapeau:` (old key) is read");
    assert_eq!(doc("2016-03-23-welcome-to-jekyll")["date_publication"], "2016-03-23");
    assert_eq!(doc("ami-ia-2")["publie"], "false");
    // A front matter title is HTML text once on the site: its references are
    // decoded, a bare `&` stays.
    assert_eq!(
        doc("fonds-pour-la-transformation-de-l-action-publique-deux-projets-dinsic-laureats-du-1er-appel-a-projets")
            ["titre"],
        "Fonds pour la transformation de l'action publique\u{a0}: deux projets DINSIC lauréats du 1er appel à projets"
    );
    assert!(doc("festival-futur-e-s-dinsic")["chapeau"].contains("les 13 & 14 juin"));
    assert!(anomalies.iter().all(|a| a["code"] != "front-matter-invalide"), "every corpus front matter is valid YAML");
    // The dataset's own page (index.html) has a script of its own.
    for (path, bytes) in fichiers(&wd.path("ds")).into_iter().filter(|(p, _)| p != "index.html") {
        let s = String::from_utf8_lossy(&bytes);
        assert!(!s.contains("{% highlight") && !s.contains("getElementById"), "Liquid or script text in {path}");
    }

    // The links of an accordion panel that is no testimonial are the page's.
    let liens = wd.csv("ds/csv/liens.csv");
    let guichet: Vec<&str> = liens
        .iter()
        .filter(|r| r["document"] == "guichet-financement-ftap-adoption-du-cloud-computing")
        .map(|r| r["url"].as_str())
        .collect();
    assert!(guichet.iter().any(|u| u.starts_with("https://cyber.gouv.fr/produits-services-qualifies")), "{guichet:?}");
    assert_eq!(guichet.len(), 7, "{guichet:?}");

    // The two drafts of the seed.
    let t = wd.csv("ds/csv/temoignages.csv");
    let de = |doc: &str| t.iter().filter(|r| r["document"] == doc).collect::<Vec<_>>();
    let brouillon = de("focus-sur-les-succes-du-cloud-public-00fe889");
    let titres: Vec<&str> = brouillon.iter().map(|r| r["titre"].as_str()).collect();
    assert_eq!(
        titres,
        [
            "Démarche d'inscription sur les listes électorales (DILE)",
            "Démarche d'inscription sur les listes électorales (DILE)",
            "Démarche d'inscription sur les listes électorales (DILE)",
            "Laboé-SI",
            "La Géoplateforme",
            "Les systèmes d'information en santé",
            "Le SHOM",
            "La plateforme de données en cancérologie",
            "vie-publique.fr",
            "Albert",
        ]
    );
    let geo = brouillon.iter().find(|r| r["titre"] == "La Géoplateforme").unwrap();
    assert_eq!(geo["organisation_sigle"], "IGN");
    assert_eq!(geo["fournisseurs_cloud"], "OVHcloud");
    // Its second answer is quoted item by item (`*"… suivants :"*`, then
    // `* *"Une application…"*`): no quote is left at a line's ends.
    let qr = wd.csv("ds/csv/questions_reponses.csv");
    let deployer = qr
        .iter()
        .find(|r| r["temoignage"] == geo["identifiant"] && r["question"] == "Déployer des applications évolutives")
        .unwrap();
    assert_eq!(deployer["reponse"].lines().count(), 3, "{}", deployer["reponse"]);
    assert!(deployer["reponse"].lines().all(|l| !l.starts_with('"') && !l.ends_with('"')), "{}", deployer["reponse"]);
    assert!(deployer["reponse"].contains("« Cartes IGN »"), "inner quotes kept");
    let ans = brouillon.iter().find(|r| r["titre"] == "Les systèmes d'information en santé").unwrap();
    assert_eq!((ans["secnumcloud"].as_str(), ans["hds"].as_str()), ("obtenue", "obtenue"));
    let ind = wd.csv("ds/csv/indicateurs.csv");
    let sante = ind.iter().filter(|r| r["temoignage"] == ans["identifiant"]).collect::<Vec<_>>();
    assert!(sante.iter().any(|r| r["valeur"] == "30000000" && r["unite"] == "appel" && r["periode"] == "an"));
    assert!(ind.iter().any(|r| r["temoignage"].ends_with("00fe889--vie-publique-fr") && r["valeur"] == "30000000"));
    let code_de =
        |doc: &str, code: &str| anomalies.iter().filter(|a| a["document"] == doc && a["code"] == code).count();
    // The DILE item: twice in the accordion (word for word), once in the
    // Markdown layout (same title, attribution and opening paragraph).
    assert_eq!(code_de("focus-sur-les-succes-du-cloud-public-00fe889", "temoignage-repete"), 2);
    assert_eq!(code_de("focus-sur-les-succes-du-cloud-public-00fe889", "lien-provisoire"), 1, "Albert's LIEN");
    // The second DILE copy writes `**…**` inside its HTML block: the site
    // shows the asterisks, the text keeps them, a finding says so.
    let brut = anomalies.iter().filter(|a| a["code"] == "markdown-non-rendu").collect::<Vec<_>>();
    assert_eq!(brut.len(), 1, "{brut:?}");
    assert!(brut[0]["temoignage"].ends_with("00fe889--projets-proactive-2"), "{:?}", brut[0]);
    assert_eq!(brut[0]["extrait"], "**Une adaptation et une protection renforcée**");
    assert!(anomalies.iter().any(|a| a["document"] == "focus-sur-les-succes-du-cloud-public-00fe889"
        && a["code"] == "texte-provisoire"
        && a["extrait"] == "FIN"));
    let premier = de("focus-sur-les-succes-du-cloud-public-253145c");
    assert_eq!(premier.len(), 5);
    assert_eq!(premier[4]["titre"], "La plateforme de données en cancérologie");
    assert_eq!(premier[4]["organisation"], "Institut national du cancer");
    let provisoires = anomalies
        .iter()
        .filter(|a| a["document"] == "focus-sur-les-succes-du-cloud-public-253145c" && a["code"] == "texte-provisoire")
        .map(|a| a["extrait"].as_str())
        .collect::<Vec<_>>();
    assert_eq!(provisoires.len(), 3, "two (?) attributions and one ??? body: {provisoires:?}");
    assert_eq!(premier[0]["organisation_sigle"], "", "LABOé-SI's « (?) » attribution is resolved without the doubt");
}
