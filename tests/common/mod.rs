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

/// Rows of a Parquet file, each cell rendered as text the way the CSV
/// writes it (dates `YYYY-MM-DD`, lists joined with `;`, missing = ""), read
/// through the Arrow reader with the file's own types: a type mismatch
/// panics.
pub fn parquet_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    use arrow_array::{Array, BooleanArray, Date32Array, Float64Array, Int64Array, ListArray, StringArray};
    use arrow_schema::DataType;
    let file = std::fs::File::open(path).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let schema = batch.schema();
        for i in 0..batch.num_rows() {
            let mut row = std::collections::HashMap::new();
            for (f, col) in schema.fields().iter().zip(batch.columns()) {
                let v = if col.is_null(i) {
                    String::new()
                } else {
                    match f.data_type() {
                        DataType::Utf8 => col.as_any().downcast_ref::<StringArray>().unwrap().value(i).to_string(),
                        DataType::Int64 => col.as_any().downcast_ref::<Int64Array>().unwrap().value(i).to_string(),
                        DataType::Float64 => {
                            format!("{}", col.as_any().downcast_ref::<Float64Array>().unwrap().value(i))
                        }
                        DataType::Boolean => col.as_any().downcast_ref::<BooleanArray>().unwrap().value(i).to_string(),
                        DataType::Date32 => {
                            let d = col.as_any().downcast_ref::<Date32Array>().unwrap().value_as_date(i).unwrap();
                            d.format("%Y-%m-%d").to_string()
                        }
                        DataType::List(_) => {
                            let l = col.as_any().downcast_ref::<ListArray>().unwrap().value(i);
                            let s = l.as_any().downcast_ref::<StringArray>().unwrap();
                            (0..s.len()).map(|j| s.value(j).to_string()).collect::<Vec<_>>().join(";")
                        }
                        t => panic!("unexpected type {t}"),
                    }
                };
                row.insert(f.name().clone(), v);
            }
            out.push(row);
        }
    }
    out
}
