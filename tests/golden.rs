//! Golden files: the committed `output/`, `schemas/` and `--help` must be
//! what the code produces. Run with `TEMOIGNAGES_BLESS=1` to rewrite them
//! after an intended change, then review the diff.

mod common;
use common::*;

fn bless() -> bool {
    std::env::var_os("TEMOIGNAGES_BLESS").is_some()
}

#[test]
fn golden_output_is_a_fresh_build_of_input() {
    let wd = Workdir::new();
    let input = racine().join("input");
    let o = wd.run(&[
        "build",
        input.to_str().unwrap(),
        "--out",
        "ds",
        "--referentiels",
        racine().join("input/referentiels").to_str().unwrap(),
    ]);
    assert!(code(&o) == 0, "{}", stderr(&o));
    let frais = fichiers(&wd.path("ds"));
    let committed_dir = racine().join("output");
    if bless() {
        let _ = std::fs::remove_dir_all(&committed_dir);
        for (p, b) in &frais {
            let dest = committed_dir.join(p);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::write(dest, b).unwrap();
        }
    }
    let committed = fichiers(&committed_dir);
    let noms = |v: &Vec<(String, Vec<u8>)>| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(noms(&committed), noms(&frais), "output/ is stale: rerun with TEMOIGNAGES_BLESS=1");
    for ((p, a), (_, b)) in committed.iter().zip(&frais) {
        assert!(a == b, "output/{p} is stale: rerun with TEMOIGNAGES_BLESS=1 and review the diff");
    }
}

#[test]
fn golden_schemas_match_the_catalogue() {
    let wd = Workdir::new();
    assert_eq!(code(&wd.run(&["schemas", "s"])), 0);
    for (p, b) in fichiers(&wd.path("s")) {
        let committed = racine().join("schemas").join(&p);
        if bless() {
            std::fs::write(&committed, &b).unwrap();
        }
        let c =
            std::fs::read(&committed).unwrap_or_else(|_| panic!("schemas/{p} missing: rerun with TEMOIGNAGES_BLESS=1"));
        assert!(c == b, "schemas/{p} is stale: rerun with TEMOIGNAGES_BLESS=1");
    }
}

#[test]
fn golden_help_texts() {
    for (args, file) in [
        (&["--help"][..], "help.txt"),
        (&["build", "--help"][..], "help-build.txt"),
        (&["validate", "--help"][..], "help-validate.txt"),
    ] {
        let o = Workdir::new().run(args);
        assert_eq!(code(&o), 0);
        let p = racine().join("tests/golden").join(file);
        if bless() {
            std::fs::write(&p, &o.stdout).unwrap();
        }
        let c = std::fs::read(&p).unwrap_or_else(|_| panic!("{file} missing: rerun with TEMOIGNAGES_BLESS=1"));
        assert!(c == o.stdout, "tests/golden/{file} is stale:\n{}", stdout(&o));
    }
}
