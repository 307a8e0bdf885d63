//! Test support: a fresh working folder per test and the real binary run
//! in it (after xsv's `tests/workdir.rs`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const SEED: &str = "input/pages/2024-07-03-cloud-temoignages.md";

/// The project root (where Cargo.toml is).
pub fn racine() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Self {
        Workdir { dir: tempfile::Builder::new().prefix("temoignages-test").tempdir().expect("tempdir") }
    }
    pub fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }
    pub fn write(&self, p: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
    /// Copies a file of the project into the working folder.
    pub fn copy(&self, from_project: &str, to: &str) -> PathBuf {
        let bytes = std::fs::read(racine().join(from_project)).unwrap();
        self.write(to, bytes)
    }
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_temoignages"));
        c.args(args).current_dir(self.dir.path());
        c
    }
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run temoignages")
    }
    pub fn read(&self, p: &str) -> String {
        std::fs::read_to_string(self.path(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
    }
    /// Rows of a CSV file of a built dataset, as header → cell maps.
    pub fn csv(&self, p: &str) -> Vec<std::collections::HashMap<String, String>> {
        let mut r = csv::Reader::from_path(self.path(p)).unwrap();
        let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        r.records().map(|rec| h.iter().cloned().zip(rec.unwrap().iter().map(str::to_string)).collect()).collect()
    }
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file under `dir`, as relative path → bytes, sorted.
pub fn fichiers(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push((
                    p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}
