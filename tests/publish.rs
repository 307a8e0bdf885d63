//! `temoignages publish`, run as users run it (the real binary, a fresh
//! folder) against an in-process stand-in for the data.gouv.fr API that
//! enforces its contract (`support/publish_standin.rs`).

#[path = "support/publish_standin.rs"]
mod standin;

use serde_json::{json, Value as Json};
use sha1::{Digest, Sha1};
use standin::StandIn;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CLE: &str = "udata_cle-de-test-7f3a9c1e5b";
const DATASET: &str = "65a1b2c3d4e5f60718293a4b";

fn racine() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The dataset built from the seed page, as `temoignages build` writes it.
fn jeu_construit(tmp: &Path) -> PathBuf {
    let sortie = tmp.join("jeu");
    let o = Command::new(env!("CARGO_BIN_EXE_temoignages"))
        .current_dir(racine())
        .args(["build", "input/pages/2024-07-03-cloud-temoignages.md", "--quiet", "--out"])
        .arg(&sortie)
        .output()
        .unwrap();
    assert!(o.status.success(), "build : {}", String::from_utf8_lossy(&o.stderr));
    sortie
}

/// A dataset folder for the tests of one failure or another: the seed's
/// (`publish` sends only a folder that `validate` accepts).
fn petit_jeu(tmp: &Path) -> PathBuf {
    jeu_construit(tmp)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn publier(dir: &Path, base: &str, cle: Option<&str>, extra: &[&str]) -> Run {
    let mut c = Command::new(env!("CARGO_BIN_EXE_temoignages"));
    c.current_dir(dir.parent().unwrap())
        .arg("publish")
        .arg(dir)
        .args(["--api-url", base, "--timeout", "1", "--retries", "3", "--backoff-ms", "20"])
        .args(extra)
        .env_remove("DATAGOUV_API_KEY");
    if !extra.contains(&"--metadata") {
        c.arg("--metadata").arg(racine().join("input/dataset.toml"));
    }
    if let Some(k) = cle {
        c.env("DATAGOUV_API_KEY", k);
    }
    let o: Output = c.output().unwrap();
    let r = Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    for (nom, texte) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        assert!(!texte.contains(CLE), "la clé apparaît sur {nom}");
    }
    r
}

/// `input/dataset.toml` with each (from, to) replaced, written into `tmp`;
/// its path.
fn metadonnees_modifiees(tmp: &Path, remplacements: &[(&str, &str)]) -> PathBuf {
    let mut meta = std::fs::read_to_string(racine().join("input/dataset.toml")).unwrap();
    for (de, vers) in remplacements {
        assert!(meta.contains(de), "{de}");
        meta = meta.replace(de, vers);
    }
    let fichier = tmp.join("dataset.toml");
    std::fs::write(&fichier, meta).unwrap();
    fichier
}

fn sha1(p: &Path) -> String {
    hex::encode(Sha1::digest(std::fs::read(p).unwrap()))
}

/// Every publishable file of `dir`, relative, sorted.
fn fichiers(dir: &Path) -> Vec<String> {
    let mut v = vec!["datapackage.json".to_string()];
    // The documentation a build writes; its index.html is never sent.
    if dir.join("documentation.md").is_file() {
        v.push("documentation.md".to_string());
    }
    for (s, ext) in [("csv", "csv"), ("parquet", "parquet"), ("json", "json"), ("schemas", "json")] {
        for e in std::fs::read_dir(dir.join(s)).unwrap() {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            if n.ends_with(ext) {
                v.push(format!("{s}/{n}"));
            }
        }
    }
    v.sort();
    v
}

fn ressource<'a>(d: &'a Json, chemin: &str) -> &'a Json {
    d["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["extras"]["temoignages:chemin"] == json!(chemin))
        .unwrap_or_else(|| panic!("pas de ressource pour {chemin}"))
}

#[test]
fn publish_full_cycle_plan_apply_rerun_replace() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = jeu_construit(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    let locaux = fichiers(&dir);

    // Plan: everything to create, the metadata to update, no write sent.
    let plan = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    assert!(api.ecritures().is_empty(), "le plan a écrit : {:?}", api.ecritures());
    assert!(plan.stdout.contains("métadonnées : title, description, license"), "{}", plan.stdout);
    for f in &locaux {
        assert!(
            plan.stdout.lines().any(|l| l.contains("créer") && l.contains(f.as_str())),
            "{f} absent du plan :\n{}",
            plan.stdout
        );
    }
    assert!(!tmp.path().join("publish-report.json").exists(), "un plan n'écrit pas de rapport sans --report");
    let check = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--check"]);
    assert_eq!(check.code, 1);
    assert!(api.ecritures().is_empty());

    // Apply: every file uploaded once, then titled, typed and linked to its schema.
    let run = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let uploads = api.televersements();
    assert_eq!(uploads.len(), locaux.len());
    for f in &locaux {
        let h = sha1(&dir.join(f));
        assert_eq!(uploads.iter().filter(|a| a.fichier.as_ref().unwrap().1 == h).count(), 1, "{f} téléversé une fois");
        assert!(uploads.iter().all(|a| a.chemin == format!("/api/1/datasets/{DATASET}/upload/")));
    }
    let d = api.dataset(DATASET);
    assert_eq!(d["resources"].as_array().unwrap().len(), locaux.len());
    assert_eq!(d["license"], "lov2");
    assert_eq!(d["private"], false);
    assert_eq!(d["spatial"], json!({ "zones": ["country:fr"], "granularity": "country" }));
    let put_meta: Vec<_> =
        api.ecritures().into_iter().filter(|a| a.chemin == format!("/api/1/datasets/{DATASET}/")).collect();
    assert_eq!(put_meta.len(), 1);
    let corps = put_meta[0].json.as_ref().unwrap();
    assert_eq!(corps["private"], json!(false), "private explicite");
    assert_eq!(corps["license"], "lov2");
    assert!(corps["description"].as_str().unwrap().chars().count() > 100);
    assert!(api.ecritures().iter().all(|a| a.cle.as_deref() == Some(CLE)), "X-API-KEY sur chaque écriture");
    assert!(api.proteges_recus().is_empty(), "champs protégés envoyés : {:?}", api.proteges_recus());
    for f in &locaux {
        let r = ressource(&d, f);
        let nom = f.rsplit('/').next().unwrap();
        assert_ne!(r["title"], json!(nom), "{f} garde le titre par défaut");
        assert_eq!(r["checksum"]["value"], json!(sha1(&dir.join(f))));
        let documentation = f.starts_with("schemas/") || f == "datapackage.json" || f == "documentation.md";
        let attendu = if documentation { "documentation" } else { "main" };
        assert_eq!(r["type"], attendu, "{f}");
        if let Some(table) = f.strip_prefix("csv/").and_then(|n| n.strip_suffix(".csv")) {
            let schema = ressource(&d, &format!("schemas/{table}.json"));
            assert_eq!(r["schema"]["url"], schema["url"], "{f} pointe vers son schéma publié");
        }
    }
    assert_eq!(ressource(&d, "csv/temoignages.csv")["title"], "Témoignages (CSV)");
    let rapport: Json =
        serde_json::from_slice(&std::fs::read(tmp.path().join("publish-report.json")).unwrap()).unwrap();
    assert!(!rapport.to_string().contains(CLE));
    assert_eq!(rapport["dataset"]["id"], DATASET);
    let rid = ressource(&d, "csv/temoignages.csv")["id"].clone();
    let dans_rapport =
        rapport["ressources"].as_array().unwrap().iter().find(|r| r["chemin"] == "csv/temoignages.csv").unwrap();
    assert_eq!(dans_rapport["id"], rid);
    assert!(dans_rapport["url"].as_str().unwrap().starts_with("http"));

    // Rerun with no change: nothing written at all, and --check agrees.
    let avant = api.ecritures().len();
    let rerun = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    assert_eq!(api.ecritures().len(), avant, "{:?}", &api.ecritures()[avant..]);
    assert!(
        rerun.stdout.contains(&format!("0 créée(s), 0 remplacée(s), 0 mise(s) à jour, {} laissée(s)", locaux.len())),
        "{}",
        rerun.stdout
    );
    assert_eq!(publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--check"]).code, 0);

    // A file edited by hand: the folder no longer validates, nothing is sent.
    let csv = dir.join("csv/temoignages.csv");
    let original = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, original.replacen("Géoplateforme", "Géoplateforme (retouchée)", 1)).unwrap();
    let n = api.journal().len();
    let refuse = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(refuse.code, 2, "{}", refuse.stderr);
    assert!(
        refuse.stderr.contains("n'est pas un jeu de données valide") && refuse.stderr.contains("csv/temoignages.csv"),
        "{}",
        refuse.stderr
    );
    assert_eq!(api.journal().len(), n, "un dossier invalide n'appelle pas l'API");
    std::fs::write(&csv, original).unwrap();

    // The page changes and the dataset is rebuilt: the files that changed
    // are replaced in place (same resource ids), the others left alone.
    let avant: Vec<(String, String)> = locaux.iter().map(|f| (f.clone(), sha1(&dir.join(f)))).collect();
    let ids: Vec<Json> = locaux.iter().map(|f| ressource(&d, f)["id"].clone()).collect();
    let pages = tmp.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let seed = std::fs::read_to_string(racine().join("input/pages/2024-07-03-cloud-temoignages.md")).unwrap();
    assert!(seed.contains("Géoplateforme"));
    let page = pages.join("2024-07-03-cloud-temoignages.md");
    std::fs::write(&page, seed.replacen("Géoplateforme", "Géoplateforme (mise à jour)", 1)).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_temoignages"))
        .arg("build")
        .arg(&page)
        .args(["--quiet", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "build : {}", String::from_utf8_lossy(&o.stderr));
    let changes: Vec<usize> = (0..locaux.len()).filter(|&k| sha1(&dir.join(&avant[k].0)) != avant[k].1).collect();
    assert!(changes.iter().any(|&k| locaux[k].starts_with("csv/")), "{changes:?}");
    assert!(changes.len() < locaux.len(), "tout a changé : {changes:?}");
    let plan = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET]);
    for &k in &changes {
        assert!(
            plan.stdout.lines().any(|l| l.contains("remplacer") && l.contains(locaux[k].as_str())),
            "{}",
            plan.stdout
        );
    }
    let n = api.televersements().len();
    let change = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(change.code, 0, "{}", change.stderr);
    let nouveaux: Vec<String> = api.televersements()[n..].iter().map(|t| t.chemin.clone()).collect();
    let attendus: Vec<String> = changes
        .iter()
        .map(|&k| format!("/api/1/datasets/{DATASET}/resources/{}/upload/", ids[k].as_str().unwrap()))
        .collect();
    let mut tries = nouveaux.clone();
    tries.sort();
    let mut attendus_tries = attendus.clone();
    attendus_tries.sort();
    assert_eq!(tries, attendus_tries, "seuls les fichiers changés, chacun dans sa ressource");
    let d = api.dataset(DATASET);
    assert_eq!(d["resources"].as_array().unwrap().len(), locaux.len(), "aucun doublon");
    for &k in &changes {
        let r = ressource(&d, &locaux[k]);
        assert_eq!(r["id"], ids[k]);
        assert_eq!(r["checksum"]["value"], json!(sha1(&dir.join(&locaux[k]))));
    }
    assert_eq!(ressource(&d, "csv/temoignages.csv")["id"], rid);
    assert_eq!(ressource(&d, "csv/temoignages.csv")["title"], "Témoignages (CSV)", "titre gardé");
    assert!(api.proteges_recus().is_empty());
}

#[test]
fn publish_create_makes_a_draft_then_publishes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    let plan = publier(&dir, &api.base, Some(CLE), &["--create"]);
    assert_eq!(plan.code, 0);
    assert!(api.journal().is_empty(), "un plan de création n'appelle pas l'API");
    let run = publier(&dir, &api.base, Some(CLE), &["--create", "--apply"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let e = api.ecritures();
    assert_eq!(e[0].chemin, "/api/1/datasets/");
    assert_eq!(e[0].json.as_ref().unwrap()["private"], true);
    let dernier = e.last().unwrap();
    assert_eq!(dernier.json.as_ref().unwrap()["private"], false);
    let etat = api.etat.lock().unwrap();
    let (id, d) = etat.datasets.iter().next().unwrap();
    assert_eq!(d["private"], false);
    assert_eq!(d["resources"].as_array().unwrap().len(), fichiers(&dir).len());
    assert!(run.stdout.contains(&format!("dataset = \"{id}\"")));
}

#[test]
fn publish_apply_without_key_sends_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    let r = publier(&dir, &api.base, None, &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("DATAGOUV_API_KEY"), "{}", r.stderr);
    assert!(api.ecritures().is_empty());
}

#[test]
fn publish_401_wrong_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    let mauvaise = "udata_mauvaise-cle-0000";
    let r = publier(&dir, &api.base, Some(mauvaise), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("401") && r.stderr.contains("clé API refusée") && r.stderr.contains("DATAGOUV_API_KEY"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(mauvaise) && !r.stdout.contains(mauvaise));
    assert!(api.dataset(DATASET)["resources"].as_array().unwrap().is_empty());
}

#[test]
fn publish_stopped_before_the_metadata_reports_them_not_done() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    // The key is revoked in the middle of the run.
    api.panne("POST", "/upload/", 401, json!({ "message": "Invalid API token" }), 0, 1);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let rapport: Json =
        serde_json::from_slice(&std::fs::read(tmp.path().join("publish-report.json")).unwrap()).unwrap();
    assert_eq!(rapport["mode"], "application");
    assert_eq!(rapport["dataset"]["statut"], "non_traite");
}

#[test]
fn publish_403_forbidden() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    api.panne("POST", "/upload/", 403, json!({ "message": "Forbidden" }), 0, 1);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("accès refusé"), "{}", r.stderr);
}

#[test]
fn publish_404_unknown_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", "000000000000000000000000", "--apply"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("404") && r.stderr.contains("introuvable"), "{}", r.stderr);
    assert!(api.ecritures().is_empty());
}

#[test]
fn publish_410_deleted_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    api.supprimer(DATASET);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("410") && r.stderr.contains("supprimé") && r.stderr.contains("--create"), "{}", r.stderr);
}

#[test]
fn publish_400_shows_the_errors_dict() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let fichier = metadonnees_modifiees(tmp.path(), &[("zones = [\"country:fr\"]", "zones = [\"country:xx\"]")]);
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    let r = publier(
        &dir,
        &api.base,
        Some(CLE),
        &["--dataset", DATASET, "--apply", "--metadata", fichier.to_str().unwrap()],
    );
    assert_eq!(r.code, 1, "les fichiers sont partis, les métadonnées non : {}", r.stderr);
    assert!(
        r.stderr.contains("400") && r.stderr.contains("champs en erreur : spatial : Zone ou granularité inconnue"),
        "{}",
        r.stderr
    );
    let rapport: Json =
        serde_json::from_slice(&std::fs::read(tmp.path().join("publish-report.json")).unwrap()).unwrap();
    assert_eq!(rapport["dataset"]["statut"], "echec");
    assert_eq!(rapport["bilan"]["code_sortie"], 1);
}

#[test]
fn publish_413_too_large_other_files_go_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    api.panne("POST", "/upload/", 413, json!({ "message": "Request Entity Too Large" }), 0, 1);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("413") && r.stderr.contains("trop volumineux"), "{}", r.stderr);
    assert_eq!(
        api.dataset(DATASET)["resources"].as_array().unwrap().len(),
        fichiers(&dir).len() - 1,
        "les autres fichiers sont publiés"
    );
    // The next run sends only the missing file.
    let n = api.televersements().len();
    assert_eq!(publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]).code, 0);
    assert_eq!(api.televersements().len(), n + 1);
}

#[test]
fn publish_415_html_documentation_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    // The dataset's own page is never sent: data.gouv.fr refuses HTML.
    std::fs::write(dir.join("index.html"), "<html><body>Page</body></html>\n").unwrap();
    std::fs::write(dir.join("documentation.md"), "# Documentation\n").unwrap();
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    api.panne("POST", "/upload/", 415, json!({ "message": "Incorrect file content type: HTML" }), 0, 1);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("415") && r.stderr.contains("type de fichier refusé") && !r.stdout.contains("index.html"),
        "{}",
        r.stderr
    );
}

#[test]
fn publish_refuses_files_the_descriptor_does_not_declare() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    // A stray note, a stray table: `validate` never reads them.
    std::fs::write(dir.join("notes.txt"), "mot de passe : x\n").unwrap();
    std::fs::write(dir.join("csv/secret.csv"), "a,b\n").unwrap();
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("2 fichier(s) que datapackage.json ne déclare pas (notes.txt, csv/secret.csv)"),
        "{}",
        r.stderr
    );
    std::fs::remove_file(dir.join("notes.txt")).unwrap();
    std::fs::remove_file(dir.join("csv/secret.csv")).unwrap();
    // A table struck from the descriptor, its files edited: the descriptor
    // alone still validates, its files would go unchecked.
    let chemin = dir.join("datapackage.json");
    let mut d: Json = serde_json::from_slice(&std::fs::read(&chemin).unwrap()).unwrap();
    d["resources"].as_array_mut().unwrap().retain(|r| !r["path"].as_str().unwrap().contains("mentions"));
    std::fs::write(&chemin, serde_json::to_vec_pretty(&d).unwrap()).unwrap();
    std::fs::write(dir.join("csv/mentions.csv"), "n'importe quoi\n").unwrap();
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("csv/mentions.csv") && r.stderr.contains("rien n'est publié"), "{}", r.stderr);
    assert!(api.dataset(DATASET)["resources"].as_array().unwrap().is_empty());
}

#[test]
fn publish_documentation_file_is_a_documentation_resource() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    std::fs::write(dir.join("documentation.md"), "# Documentation\n").unwrap();
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    assert_eq!(publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]).code, 0);
    let d = api.dataset(DATASET);
    assert_eq!(ressource(&d, "documentation.md")["type"], "documentation");
    assert_eq!(ressource(&d, "csv/temoignages.csv")["schema"]["url"], ressource(&d, "schemas/temoignages.json")["url"]);
}

#[test]
fn publish_423_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.panne("POST", "/datasets/", 423, json!({ "message": "Creation of new content is currently disabled" }), 0, 1);
    let r = publier(&dir, &api.base, Some(CLE), &["--create", "--apply"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("423") && r.stderr.contains("anti-spam"), "{}", r.stderr);
}

#[test]
fn publish_429_then_success() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    api.panne("GET", "/datasets/", 429, json!({ "message": "Too many requests" }), 0, 2);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("réponse 429, nouvel essai"), "{}", r.stderr);
    assert_eq!(api.televersements().len(), fichiers(&dir).len());
}

#[test]
fn publish_500_then_success() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    api.panne("POST", "/upload/", 503, json!({ "message": "Service Unavailable" }), 0, 2);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("réponse 503, nouvel essai"), "{}", r.stderr);
    assert_eq!(api.dataset(DATASET)["resources"].as_array().unwrap().len(), fichiers(&dir).len(), "pas de doublon");
}

#[test]
fn publish_upload_done_but_its_answer_lost_is_not_sent_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    // The server creates the resource, the client gives up waiting (1 s).
    api.reponse_tardive("POST", "/upload/", 1500, 1);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("délai dépassé") && r.stderr.contains("elle est reprise"), "{}", r.stderr);
    let d = api.dataset(DATASET);
    assert_eq!(d["resources"].as_array().unwrap().len(), fichiers(&dir).len(), "pas de doublon");
    // Each resource got its metadata, the one taken back too.
    for f in fichiers(&dir) {
        ressource(&d, &f);
    }
    let again = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--check"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
}

#[test]
fn publish_takes_back_an_upload_left_without_metadata_even_rebuilt_since() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    // An earlier run uploaded csv/temoignages.csv, then failed to set its
    // metadata; the folder was rebuilt since (another SHA-1).
    api.etat.lock().unwrap().datasets.get_mut(DATASET).unwrap()["resources"] = json!([{
        "id": "orpheline", "title": "temoignages.csv", "type": "main", "extras": {},
        "url": "http://127.0.0.1/r/temoignages.csv",
        "checksum": { "type": "sha1", "value": "0000000000000000000000000000000000000000" }
    }]);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("remplacé") && r.stdout.contains("csv/temoignages.csv → ressource orpheline"),
        "{}",
        r.stdout
    );
    let d = api.dataset(DATASET);
    assert_eq!(d["resources"].as_array().unwrap().len(), fichiers(&dir).len(), "pas de doublon");
    assert_eq!(ressource(&d, "csv/temoignages.csv")["id"], "orpheline");
}

#[test]
fn publish_checks_license_frequency_and_granularity_before_any_write() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let fichier = metadonnees_modifiees(
        tmp.path(),
        &[("license = \"lov2\"", "license = \"etalab-2.0\""), ("granularity = \"country\"", "granularity = \"pays\"")],
    );
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    let r = publier(
        &dir,
        &api.base,
        Some(CLE),
        &["--dataset", DATASET, "--apply", "--metadata", fichier.to_str().unwrap()],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("dataset.toml : license « etalab-2.0 » n'est pas un identifiant que la plateforme connaît (GET /datasets/licenses/) : lov2, ")
            && r.stderr.contains("spatial.granularity « pays »")
            && r.stderr.contains("rien n'est publié"),
        "{}",
        r.stderr
    );
    assert!(api.ecritures().is_empty());
}

#[test]
fn publish_sends_tags_as_the_platform_stores_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let fichier = metadonnees_modifiees(
        tmp.path(),
        &[("tags = [\"cloud\", \"cloud-public\",", "tags = [\"Cloud\", \"Cloud  Public !\", \"Données\",")],
    );
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    let args = ["--dataset", DATASET, "--apply", "--metadata", fichier.to_str().unwrap()];
    assert_eq!(publier(&dir, &api.base, Some(CLE), &args).code, 0);
    let tags = api.dataset(DATASET)["tags"].clone();
    assert_eq!(tags.as_array().unwrap()[0..3], [json!("cloud"), json!("cloud-public"), json!("donnees")]);
    // Run after run, nothing to change.
    let args = ["--dataset", DATASET, "--check", "--metadata", fichier.to_str().unwrap()];
    let r = publier(&dir, &api.base, Some(CLE), &args);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn publish_report_inside_the_dataset_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    let dedans = dir.join("rapport.json");
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--report", dedans.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("le rapport ne peut pas être écrit dans le dossier publié"), "{}", r.stderr);
    assert!(!dedans.exists() && api.journal().is_empty());
}

#[test]
fn publish_500_persistent_fails_with_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    api.panne("POST", "/upload/", 500, json!({ "message": "Internal error" }), 0, 4);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET, "--apply"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("erreur du serveur, toujours en échec après 4 essai(s)"), "{}", r.stderr);
}

#[test]
fn publish_timeout_then_success() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    // The stand-in answers after 2.5 s; the client waits 1 s, then retries.
    api.panne("GET", "/datasets/", 0, Json::Null, 2500, 1);
    let r = publier(&dir, &api.base, Some(CLE), &["--dataset", DATASET]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("délai dépassé, nouvel essai"), "{}", r.stderr);
}

#[test]
fn publish_network_down_is_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let r = publier(&dir, &format!("http://127.0.0.1:{port}/api/1"), Some(CLE), &["--dataset", DATASET]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("erreur réseau"), "{}", r.stderr);
}

#[test]
fn publish_without_dataset_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = petit_jeu(tmp.path());
    let api = StandIn::demarrer(CLE);
    let r = publier(&dir, &api.base, Some(CLE), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--create"), "{}", r.stderr);
    assert!(api.journal().is_empty());
}
