//! The command examples of the README and of docs/publish.md are real
//! outputs: each is run again here on the shipped `output/` (a fresh build
//! of `input/`, as the golden test checks) and compared with what the
//! documentation shows. A change of the dataset that moves a size or a hash
//! fails here until the documentation says it too.

#[path = "support/publish_standin.rs"]
mod standin;

use standin::StandIn;
use std::path::{Path, PathBuf};
use std::process::Command;

const CLE: &str = "udata_cle-de-test-7f3a9c1e5b";
const DATASET: &str = "65a1b2c3d4e5f60718293a4b";
const API_MONTREE: &str = "https://demo.data.gouv.fr/api/1";

fn racine() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The lines of the fenced block of `doc` that starts with the line
/// `commande`, up to the end of the block.
fn bloc(doc: &str, commande: &str) -> Vec<String> {
    let texte = std::fs::read_to_string(racine().join(doc)).unwrap();
    let mut lignes = texte.lines().skip_while(|l| *l != commande);
    assert!(lignes.next().is_some(), "{doc} : pas d'exemple « {commande} »");
    lignes.take_while(|l| !l.starts_with("```")).map(str::to_string).collect()
}

/// `TEMOIGNAGES_BLESS=1`: the example after the line `commande` of `doc`
/// is rewritten from the real output before it is compared: its first
/// `n` lines by `reel`, or, for a plan cut with "[…]" (`coupe`), each line
/// it shows by the real line of the same file.
fn benir(doc: &str, commande: &str, n: usize, reel: &[String], coupe: bool) {
    if std::env::var_os("TEMOIGNAGES_BLESS").is_none() {
        return;
    }
    let chemin = racine().join(doc);
    let texte = std::fs::read_to_string(&chemin).unwrap();
    let montre = bloc(doc, commande);
    let debut = texte.find(&format!("{commande}\n")).unwrap() + commande.len() + 1;
    let fin = debut + montre[..n].iter().map(|l| l.len() + 1).sum::<usize>();
    let fichier = |l: &str| l.split_whitespace().nth(1).map(str::to_string);
    let nouveau: Vec<String> = if coupe {
        montre[..n]
            .iter()
            .map(|l| {
                let meme = |r: &&String| {
                    (l.starts_with("  créer") && fichier(r) == fichier(l))
                        || (l.starts_with("  mettre à jour") && r.starts_with("  mettre à jour"))
                };
                reel.iter().find(meme).cloned().unwrap_or_else(|| l.clone())
            })
            .collect()
    } else {
        reel.to_vec()
    };
    let remplace: String = nouveau.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&chemin, format!("{}{remplace}{}", &texte[..debut], &texte[fin..])).unwrap();
}

/// Runs the binary in `dir`; stdout and stderr, as a terminal shows them
/// (here: stdout, then stderr).
fn lancer(dir: &Path, args: &[&str], base: Option<&str>) -> (Vec<String>, i32) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_temoignages"));
    c.current_dir(dir).args(args).env_remove("DATAGOUV_API_KEY");
    let o = c.output().unwrap();
    let mut texte = String::from_utf8_lossy(&o.stdout).into_owned();
    texte.push_str(&String::from_utf8_lossy(&o.stderr));
    let texte = match base {
        Some(b) => texte.replace(b, API_MONTREE),
        None => texte,
    };
    (texte.lines().map(str::to_string).collect(), o.status.code().unwrap_or(-1))
}

/// A copy of the shipped dataset in a fresh folder, next to `input/` as in
/// the repository (publish reads `input/dataset.toml`).
fn copie_du_depot(tmp: &Path) -> PathBuf {
    let dir = tmp.join("depot");
    std::fs::create_dir_all(dir.join("input")).unwrap();
    std::fs::copy(racine().join("input/dataset.toml"), dir.join("input/dataset.toml")).unwrap();
    copier(&racine().join("output"), &dir.join("output"));
    dir
}

fn copier(de: &Path, vers: &Path) {
    std::fs::create_dir_all(vers).unwrap();
    for e in std::fs::read_dir(de).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copier(&e.path(), &vers.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), vers.join(e.file_name())).unwrap();
        }
    }
}

/// The README's `validate` example: a date rewritten in a copy.
fn copie_retouchee(dir: &Path, nom: &str) {
    copier(&dir.join("output"), &dir.join(nom));
    let csv = dir.join(nom).join("csv/temoignages.csv");
    let texte = std::fs::read_to_string(&csv).unwrap();
    let mut lignes: Vec<String> = texte.lines().map(str::to_string).collect();
    lignes[1] = lignes[1].strip_suffix(",2024-07-03").map(|l| format!("{l},03/07/2024")).expect("ligne 2 datée");
    std::fs::write(&csv, lignes.join("\n") + "\n").unwrap();
}

#[test]
fn readme_validate_example_is_real() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copie_du_depot(tmp.path());
    copie_retouchee(&dir, "copie");
    let (ok, code) = lancer(&dir, &["validate", "output"], None);
    let montre = bloc("README.md", "$ temoignages validate output");
    assert_eq!((code, ok[0].as_str()), (0, montre[0].as_str()));
    let commande = "$ temoignages validate copie";
    let (reel, code) = lancer(&dir, &["validate", "copie"], None);
    let n = bloc("README.md", commande).iter().position(|l| l == "$ echo $?").unwrap();
    benir("README.md", commande, n, &reel, false);
    let montre = bloc("README.md", commande);
    assert_eq!(reel, montre[..n], "README.md, exemple de validate");
    assert_eq!(code.to_string(), montre[n + 1]);
}

#[test]
fn publish_plan_examples_are_real() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copie_du_depot(tmp.path());
    let api = StandIn::demarrer(CLE);
    api.creer_dataset(DATASET);
    // Public: the examples show a run without the key, which reads only
    // what anyone can.
    api.etat.lock().unwrap().datasets.get_mut(DATASET).unwrap()["private"] = serde_json::json!(false);
    let commande = format!("$ temoignages publish --dataset {DATASET} --api-url {API_MONTREE}");
    let (reel, code) = lancer(&dir, &["publish", "--dataset", DATASET, "--api-url", &api.base], Some(&api.base));
    assert_eq!(code, 0, "{reel:?}");
    // docs/publish.md shows the whole plan (the note on the key aside).
    let n = reel.iter().filter(|l| !l.starts_with("note :")).count();
    benir("docs/publish.md", &commande, n, &reel[..n], false);
    let montre = bloc("docs/publish.md", &commande);
    assert_eq!(reel[..n], montre[..n], "docs/publish.md, premier plan");
    // The README cuts it ("[…]"): what it shows is there, in that order.
    let n = bloc("README.md", &commande).len();
    benir("README.md", &commande, n, &reel, true);
    let montre = bloc("README.md", &commande);
    let mut suite = reel.iter();
    for l in montre.iter().filter(|l| l.trim() != "[…]") {
        assert!(
            suite.any(|r| r == l),
            "README.md, plan : « {l} » n'est pas dans la sortie réelle :\n{}",
            reel.join("\n")
        );
    }
    // A folder edited by hand is refused (docs/publish.md).
    copie_retouchee(&dir, "ed");
    let commande = format!("$ temoignages publish ed --dataset {DATASET} --api-url {API_MONTREE}");
    let (reel, code) = lancer(&dir, &["publish", "ed", "--dataset", DATASET, "--api-url", &api.base], Some(&api.base));
    let n = bloc("docs/publish.md", &commande).iter().position(|l| l == "$ echo $?").unwrap();
    benir("docs/publish.md", &commande, n, &reel, false);
    let montre = bloc("docs/publish.md", &commande);
    assert_eq!(reel, montre[..n], "docs/publish.md, dossier retouché");
    assert_eq!(code.to_string(), montre[n + 1]);
}

#[test]
fn readme_corpus_build_example_is_real() {
    let corpus = racine().join("../shared/corpus/numerique-gouv");
    if !corpus.is_dir() {
        eprintln!("../shared/corpus absent : exemple non vérifié");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let sortie = tmp.path().join("corpus-ds");
    let o = Command::new(env!("CARGO_BIN_EXE_temoignages"))
        .current_dir(racine())
        .args(["build", "../shared/corpus/numerique-gouv", "--out"])
        .arg(&sortie)
        .output()
        .unwrap();
    let dit = |b: &[u8]| String::from_utf8_lossy(b).replace(&sortie.display().to_string(), "corpus-ds");
    // As a terminal shows it: the notes and errors, then the summary.
    let reel: Vec<String> = dit(&o.stderr).lines().chain(dit(&o.stdout).lines()).map(str::to_string).collect();
    let commande = "$ temoignages build ../shared/corpus/numerique-gouv --out corpus-ds";
    let n = bloc("README.md", commande).len();
    benir("README.md", commande, n, &reel, false);
    assert_eq!(reel, bloc("README.md", commande), "README.md, construction du corpus");
}

#[test]
fn readme_main_build_example_is_real() {
    let tmp = tempfile::tempdir().unwrap();
    let sortie = tmp.path().join("output");
    let o = Command::new(env!("CARGO_BIN_EXE_temoignages"))
        .current_dir(racine())
        .args(["build", "--out"])
        .arg(&sortie)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reel: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .replace(&sortie.display().to_string(), "output")
        .lines()
        .map(str::to_string)
        .collect();
    let commande = "$ cargo run --release -- build";
    let n = bloc("README.md", commande).len();
    benir("README.md", commande, n, &reel, false);
    assert_eq!(reel, bloc("README.md", commande), "README.md, la tâche principale");
}
