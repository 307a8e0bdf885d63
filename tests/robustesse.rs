//! Robustness of `build`: killed runs, concurrent runs, a full disk or a
//! read-only folder never lose or corrupt the dataset already built.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Two different inputs: `a/` (the seed) and `b/` (the seed and 30 variants).
fn deux_entrees(wd: &Workdir) {
    let seed = std::fs::read_to_string(racine().join(SEED)).unwrap();
    wd.write("a/2024-07-03-cloud-temoignages.md", &seed);
    for i in 0..30 {
        wd.write(
            &format!("b/2024-07-03-copie-{i:02}.md"),
            seed.replace("1700 membres", &format!("{} membres", 1800 + i)),
        );
    }
}

fn meme_contenu(a: &Path, b: &Path) -> bool {
    fichiers(a) == fichiers(b)
}

#[test]
fn robustesse_sigkill_at_random_moments_never_loses_the_dataset() {
    let wd = Workdir::new();
    deux_entrees(&wd);
    for (input, out) in [("a", "ref-a"), ("b", "ref-b"), ("a", "ds")] {
        let o = wd.run(&["build", input, "--out", out, "--quiet"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    // How long a full build of `b` takes here, to spread the kills over it.
    let t0 = Instant::now();
    assert_eq!(code(&wd.run(&["build", "b", "--out", "mesure", "--quiet"])), 0);
    let duree = t0.elapsed().as_millis().max(20) as u64;
    let mut graine: u64 = 0x2545_f491_4f6c_dd1d;
    let mut tues = 0;
    for i in 0..30 {
        graine ^= graine << 13;
        graine ^= graine >> 7;
        graine ^= graine << 17;
        let attente = graine % (duree + duree / 2);
        let input = if i % 2 == 0 { "b" } else { "a" };
        let mut enfant = wd.command(&["build", input, "--out", "ds", "--quiet"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(attente));
        if enfant.try_wait().unwrap().is_none() {
            enfant.kill().unwrap(); // SIGKILL
            tues += 1;
        }
        enfant.wait().unwrap();
        let ds = wd.path("ds");
        assert!(
            meme_contenu(&ds, &wd.path("ref-a")) || meme_contenu(&ds, &wd.path("ref-b")),
            "after a kill at {attente} ms, ds is neither the previous dataset nor the new one"
        );
        let v = wd.run(&["validate", "ds"]);
        assert_eq!(code(&v), 0, "{}", stdout(&v));
    }
    assert!(tues >= 5, "only {tues} builds were killed: the test did not test much");
    // A later build cleans the temporary folders the killed ones left.
    assert_eq!(code(&wd.run(&["build", "a", "--out", "ds", "--quiet"])), 0);
    let restes: Vec<_> = std::fs::read_dir(wd.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(restes.is_empty(), "{} temporary folders left", restes.len());
}

#[test]
fn robustesse_two_builds_into_one_folder_do_not_interleave() {
    let wd = Workdir::new();
    deux_entrees(&wd);
    for (input, out) in [("a", "ref-a"), ("b", "ref-b")] {
        assert_eq!(code(&wd.run(&["build", input, "--out", out, "--quiet"])), 0);
    }
    for _ in 0..3 {
        let un = wd.command(&["build", "b", "--out", "ds"]).stderr(std::process::Stdio::piped()).spawn().unwrap();
        let deux = wd.command(&["build", "a", "--out", "ds"]).stderr(std::process::Stdio::piped()).spawn().unwrap();
        let (o1, o2) = (un.wait_with_output().unwrap(), deux.wait_with_output().unwrap());
        assert_eq!(code(&o1), 0, "{}", stderr(&o1));
        assert_eq!(code(&o2), 0, "{}", stderr(&o2));
        let ds = wd.path("ds");
        assert!(meme_contenu(&ds, &wd.path("ref-a")) || meme_contenu(&ds, &wd.path("ref-b")));
        assert_eq!(code(&wd.run(&["validate", "ds"])), 0);
    }
}

/// Mounts a small tmpfs at `dir`; `None` when this machine does not allow it
/// (not root, or no mount in this sandbox): the test then says so and stops.
struct Montage(std::path::PathBuf);

impl Montage {
    fn nouveau(dir: &Path, taille: &str) -> Option<Montage> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={taille}"), "tmpfs"])
            .arg(dir)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!(
                "SKIPPED: cannot mount a tmpfs here (needs root); the disk-full and read-only cases are not tested"
            );
            return None;
        }
        Some(Montage(dir.to_path_buf()))
    }
    fn lecture_seule(&self) -> bool {
        Command::new("mount").args(["-o", "remount,ro"]).arg(&self.0).status().is_ok_and(|s| s.success())
    }
}

impl Drop for Montage {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn robustesse_full_disk_is_an_error_and_keeps_the_previous_dataset() {
    let wd = Workdir::new();
    deux_entrees(&wd);
    let Some(_m) = Montage::new_or_skip(&wd.path("disque"), "1m") else { return };
    let o = wd.run(&["build", "a", "--out", "disque/ds", "--quiet"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let avant = fichiers(&wd.path("disque/ds"));
    // Thirty pages do not fit in what is left: with the writer thread of
    // `--jobs 1` and with the extraction threads writing in turn.
    for jobs in ["1", "2", "3"] {
        let o = wd.run(&["build", "b", "--out", "disque/ds", "--jobs", jobs]);
        assert_eq!(code(&o), 2, "--jobs {jobs}: {}", stderr(&o));
        assert!(stderr(&o).contains("No space left") || stderr(&o).contains("espace"), "{}", stderr(&o));
        assert!(fichiers(&wd.path("disque/ds")) == avant, "--jobs {jobs}: the previous dataset changed");
    }
    assert_eq!(code(&wd.run(&["validate", "disque/ds"])), 0);
}

#[test]
fn robustesse_read_only_folder_is_an_error_and_keeps_the_previous_dataset() {
    let wd = Workdir::new();
    deux_entrees(&wd);
    let Some(m) = Montage::new_or_skip(&wd.path("ro"), "4m") else { return };
    assert_eq!(code(&wd.run(&["build", "a", "--out", "ro/ds", "--quiet"])), 0);
    let avant = fichiers(&wd.path("ro/ds"));
    assert!(m.lecture_seule(), "remount read-only");
    let o = wd.run(&["build", "b", "--out", "ro/ds"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("Read-only") || stderr(&o).contains("lecture seule"), "{}", stderr(&o));
    assert!(fichiers(&wd.path("ro/ds")) == avant);
}

impl Montage {
    fn new_or_skip(dir: &Path, taille: &str) -> Option<Montage> {
        Montage::nouveau(dir, taille)
    }
}

#[test]
fn robustesse_formula_like_cells_are_reported_not_changed() {
    let wd = Workdir::new();
    wd.write(
        "p/formule.md",
        "---\ntitle: '=HYPERLINK(\"http://exemple.invalid\")'\n---\n<div class=\"accordion-item\"><button class=\"accordion-title\" aria-controls=\"f\">@Projet</button><div class=\"accordion-content\" id=\"f\"><p><strong>Pouvez-vous décrire le projet ?</strong></p><p>+33 1 23 45 67 89 est le numéro.</p><p>Témoignage de la DINUM</p></div></div>\n",
    );
    let o = wd.run(&["build", "p", "--out", "ds"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let d = wd.csv("ds/csv/documents.csv");
    assert_eq!(d[0]["titre"], "=HYPERLINK(\"http://exemple.invalid\")", "data left as written");
    let a = wd.csv("ds/csv/anomalies.csv");
    let f: Vec<_> = a.iter().filter(|r| r["code"] == "cellule-formule").collect();
    assert!(f.iter().any(|r| r["message"].contains("documents.titre")), "{f:?}");
    assert!(f.iter().any(|r| r["message"].contains("temoignages.titre")), "{f:?}");
}
