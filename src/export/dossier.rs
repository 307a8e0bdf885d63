//! Writes a whole dataset folder as documents arrive: `csv/`, `parquet/`,
//! `json/`, `schemas/` and, once every file is closed, `datapackage.json`
//! with each file's size and SHA-256. Rows are streamed: CSV rows are
//! written at once, Parquet rows are buffered per table and flushed as
//! record batches (bounded row groups), the JSON document is written one
//! source document at a time. Nothing holds the whole corpus, so memory
//! stays flat as the corpus grows. The caller chooses the folder
//! (`cmd::build` gives a temporary one, then swaps it in).

use super::schema::{self, Fichier};
use crate::fields::{Table, TABLES};
use crate::model::{Extraction, Row};
use anyhow::{Context, Result};
use parquet::arrow::ArrowWriter;
use serde_json::{json, Map};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows buffered per table before they become one Parquet record batch.
const LOT_PARQUET: usize = 4096;
/// Row group bounds: they cap what the Parquet writer holds in memory on big
/// corpora, whichever is reached first. The writer keeps a row group's pages
/// and dictionaries until it closes: 8 Ki rows hold a 100 MB build to about
/// 120 MB of memory instead of 165 MB with 64 Ki rows, files a little
/// smaller (dictionaries reset), and fresh memory is what costs most here.
const LIGNES_PAR_GROUPE: usize = 8 * 1024;
const OCTETS_PAR_GROUPE: usize = 16 * 1024 * 1024;

/// Rendered text at least this long goes to its file without the copy
/// into the file's buffer.
const DIRECT: usize = 32 * 1024;

fn creer(dir: &Path, relatif: &str) -> Result<Sortie> {
    let path = dir.join(relatif);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("création de {}", parent.display()))?;
    }
    let f = File::create(&path).with_context(|| format!("écriture de {}", path.display()))?;
    Ok(BufWriter::with_capacity(256 * 1024, Empreinte::new(f)))
}

/// A file being written that counts and hashes its bytes on the way, so
/// `datapackage.json` gets each file's size and SHA-256 without reading
/// it back.
pub struct Empreinte<W: Write> {
    inner: W,
    sha: Sha256,
    octets: u64,
}

impl<W: Write> Empreinte<W> {
    fn new(inner: W) -> Self {
        Empreinte { inner, sha: Sha256::new(), octets: 0 }
    }

    /// Size in bytes and lowercase hex SHA-256 of everything written.
    fn finir(self) -> (u64, String) {
        (self.octets, hex::encode(self.sha.finalize()))
    }
}

impl<W: Write> Write for Empreinte<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        self.octets += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

type Sortie = BufWriter<Empreinte<File>>;

/// Flushes a writer and gives the size and hash of its file.
fn fermer(w: Sortie, chemin: &str) -> Result<(u64, String)> {
    let e = w.into_inner().map_err(|e| e.into_error()).with_context(|| format!("écriture de {chemin}"))?;
    Ok(e.finir())
}

struct TableOuverte {
    table: &'static Table,
    csv: super::csv::Ecrivain<Sortie>,
    parquet: ArrowWriter<Sortie>,
    /// The rows waiting for the next record batch, already in columns.
    lot: super::parquet::Lot,
}

/// Where rows go once written: back to the thread that made them, whose
/// allocator frees them fastest (set by [`Exporteur::rendre_les_lignes`]).
type Rebut = Box<dyn FnMut(usize, Vec<Row>) + Send>;

/// One page's text in the JSON document and in each table's CSV file, made
/// from its rows wherever they are built, so that the writer only appends
/// bytes.
pub struct Rendu {
    /// The page's object in the JSON document, preceded by the `,\n` that
    /// separates it from the page before (the first page's is written from
    /// its second byte): one write per page.
    json: Vec<u8>,
    csv: [Vec<u8>; 8],
}

impl Rendu {
    pub fn de(rows: &[Vec<Row>; 8]) -> Rendu {
        // Pages of a corpus are alike: each buffer starts at the size the
        // same one reached for the thread's last page, which spares the
        // copies of growing it from nothing (a page's JSON is about 80 KB).
        thread_local! {
            static TAILLES: std::cell::Cell<[usize; 9]> = const { std::cell::Cell::new([0; 9]) };
        }
        // Capped: a page far larger than the rest does not size the next one.
        let tailles = TAILLES.get().map(|n| n.min(1 << 20));
        let mut json = Vec::with_capacity(tailles[8]);
        json.extend_from_slice(b",\n");
        super::json::ecrire_document(rows, b"    ", &mut json).expect("writing to memory");
        let csv: [Vec<u8>; 8] = std::array::from_fn(|t| {
            let mut csv = Vec::with_capacity(tailles[t]);
            for row in &rows[t] {
                super::csv::enregistrement(&mut csv, row);
            }
            csv
        });
        let mut nouvelles = [0; 9];
        for (n, c) in nouvelles.iter_mut().zip(csv.iter()) {
            *n = c.len();
        }
        nouvelles[8] = json.len();
        TAILLES.set(nouvelles);
        Rendu { json, csv }
    }
}

/// A dataset folder being written.
pub struct Exporteur {
    dir: PathBuf,
    tables: Vec<TableOuverte>,
    json: Sortie,
    documents: usize,
    sources: Vec<String>,
    /// What `index.html` and `documentation.md` show, gathered as documents pass.
    synthese: super::page::Synthese,
    rebut: Option<Rebut>,
}

impl Exporteur {
    /// Creates the folder's files and writes the schemas and headers.
    pub fn nouveau(dir: &Path) -> Result<Self> {
        let mut tables = Vec::new();
        for table in TABLES {
            let mut s = creer(dir, &format!("schemas/{}.json", table.name))?;
            serde_json::to_writer_pretty(&mut s, &schema::table_schema(table))?;
            s.write_all(b"\n")?;
            s.flush()?;
            let csv = super::csv::Ecrivain::new(table, creer(dir, &format!("csv/{}.csv", table.name))?)?;
            let props = super::parquet::properties_builder()
                .set_max_row_group_row_count(Some(LIGNES_PAR_GROUPE))
                .set_max_row_group_bytes(Some(OCTETS_PAR_GROUPE))
                .build();
            let parquet = ArrowWriter::try_new(
                creer(dir, &format!("parquet/{}.parquet", table.name))?,
                Arc::new(super::parquet::arrow_schema(table)),
                Some(props),
            )?;
            tables.push(TableOuverte { table, csv, parquet, lot: super::parquet::Lot::new(table) });
        }
        let mut json = creer(dir, "json/temoignages.json")?;
        let mut meta = Map::new();
        meta.insert("jeu_de_donnees".into(), json!(schema::DATASET_NAME));
        meta.insert("version".into(), json!(schema::VERSION));
        // The document is `{ meta…, "documents": [ … ] }`, pretty-printed;
        // the array is written one element at a time by `ajouter`.
        let tete = serde_json::to_string_pretty(&serde_json::Value::Object(meta))?;
        let tete = tete.strip_suffix("\n}").unwrap_or(&tete);
        write!(json, "{tete},\n  \"documents\": [")?;
        Ok(Exporteur {
            dir: dir.to_path_buf(),
            tables,
            json,
            documents: 0,
            sources: Vec::new(),
            synthese: Default::default(),
            rebut: None,
        })
    }

    /// Hands the rows of each page, once written, to `f` with the number
    /// given with them to [`Exporteur::ajouter_rendu`], instead of freeing
    /// them here.
    pub fn rendre_les_lignes(&mut self, f: impl FnMut(usize, Vec<Row>) + Send + 'static) {
        self.rebut = Some(Box::new(f));
    }

    /// Writes the rows of one source document.
    pub fn ajouter(&mut self, ex: &Extraction) -> Result<()> {
        self.ajouter_lignes(ex, ex.rows())
    }

    /// [`Exporteur::ajouter`] with the page's rows already built (`ex.rows()`).
    pub fn ajouter_lignes(&mut self, ex: &Extraction, rows: [Vec<Row>; 8]) -> Result<()> {
        let rendu = Rendu::de(&rows);
        self.ajouter_rendu(ex, rows, &rendu, 0)
    }

    /// [`Exporteur::ajouter_lignes`] with the page's JSON and CSV text
    /// already made from `rows` ([`Rendu::de`], on the extraction threads);
    /// `fil` is the number of the thread that made the rows.
    pub fn ajouter_rendu(&mut self, ex: &Extraction, rows: [Vec<Row>; 8], rendu: &Rendu, fil: usize) -> Result<()> {
        let json = if self.documents == 0 { &rendu.json[1..] } else { &rendu.json[..] };
        if json.len() >= DIRECT {
            // A page's JSON is tens of kilobytes: hashed and written from
            // where it was rendered, not copied into the buffer first.
            self.json.flush()?;
            self.json.get_mut().write_all(json)?;
        } else {
            self.json.write_all(json)?;
        }
        for ((t, rows), csv) in self.tables.iter_mut().zip(rows).zip(&rendu.csv) {
            t.csv.ecrire_encodes(csv)?;
            if rows.is_empty() {
                continue;
            }
            t.lot.ajouter(&rows);
            if let Some(f) = &mut self.rebut {
                f(fil, rows);
            }
            if t.lot.lignes() >= LOT_PARQUET {
                t.lot.ecrire(&mut t.parquet)?;
            }
        }
        self.documents += 1;
        self.synthese.ajouter(ex);
        self.sources.push(match &ex.document.titre {
            Some(t) => format!("{t} ({})", ex.document.fichier_source),
            None => ex.document.fichier_source.clone(),
        });
        Ok(())
    }

    /// Closes every file and writes `datapackage.json`.
    pub fn terminer(self) -> Result<()> {
        self.fermer()?.ecrire_pages()
    }

    /// Closes every file and writes `datapackage.json`, the tables each on
    /// its own (in parallel on the current rayon pool); gives back what the
    /// dataset page and the documentation need.
    pub fn fermer(mut self) -> Result<Pages> {
        use rayon::prelude::*;
        self.json.write_all(if self.documents == 0 { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
        // Nothing more to hand back.
        drop(self.rebut.take());
        let json = self.json;
        let (tables, json) = rayon::join(
            || self.tables.into_par_iter().map(TableOuverte::fermer).collect::<Result<Vec<_>>>(),
            || fermer(json, "json/temoignages.json"),
        );
        let (fichiers, parquets): (Vec<Fichier>, Vec<Fichier>) = tables?.into_iter().unzip();
        let mut fichiers = fichiers;
        fichiers.extend(parquets);
        let (bytes, sha256) = json?;
        fichiers.push(Fichier {
            name: "temoignages-json".into(),
            path: "json/temoignages.json".into(),
            format: "json",
            mediatype: "application/json",
            bytes,
            sha256,
            schema: None,
            title: "Jeu complet (JSON imbriqué)".into(),
            description:
                "Un seul document : documents → témoignages → leurs lignes, mêmes noms et valeurs que les tables (les lignes de la table qualifications sous qualifications_lignes)."
                    .into(),
        });
        let mut dp = creer(&self.dir, "datapackage.json")?;
        serde_json::to_writer_pretty(&mut dp, &schema::datapackage(&fichiers, &self.sources))?;
        dp.write_all(b"\n")?;
        dp.flush()?;
        Ok(Pages { dir: self.dir, synthese: self.synthese, fichiers })
    }
}

impl TableOuverte {
    /// Writes the last batch and closes both files: their CSV and Parquet
    /// entries of `datapackage.json`.
    fn fermer(mut self) -> Result<(Fichier, Fichier)> {
        if self.lot.lignes() > 0 {
            self.lot.ecrire(&mut self.parquet)?;
        }
        let table = self.table;
        let path = format!("csv/{}.csv", table.name);
        let (bytes, sha256) = fermer(self.csv.into_inner(), &path)?;
        let csv = Fichier {
            name: table.name.to_string(),
            path,
            format: "csv",
            mediatype: "text/csv",
            bytes,
            sha256,
            schema: Some(format!("schemas/{}.json", table.name)),
            title: format!("{} (CSV)", table.title),
            description: table.description.to_string(),
        };
        let path = format!("parquet/{}.parquet", table.name);
        let (bytes, sha256) = fermer(self.parquet.into_inner()?, &path)?;
        let parquet = Fichier {
            name: format!("{}-parquet", table.name),
            path,
            format: "parquet",
            mediatype: "application/vnd.apache.parquet",
            bytes,
            sha256,
            schema: None,
            title: format!("{} (Parquet)", table.title),
            description: format!("{} Mêmes colonnes que le CSV, typées.", table.description),
        };
        Ok((csv, parquet))
    }
}

/// What is left to write once the dataset's files are closed: its page and
/// its documentation, which read the files' sizes and hashes. Not resources
/// of the package, so the check of the folder can run beside them.
pub struct Pages {
    dir: PathBuf,
    synthese: super::page::Synthese,
    fichiers: Vec<Fichier>,
}

impl Pages {
    /// Writes `documentation.md` and `index.html`.
    pub fn ecrire_pages(self) -> Result<()> {
        // Documentation for people, not resources of the package (frictionless
        // would read them as tables); `publish` uploads them as documentation.
        let doc = super::documentation::documentation(&self.synthese, &self.fichiers);
        std::fs::write(self.dir.join("documentation.md"), doc).context("écriture de documentation.md")?;
        let page = super::page::index(&self.synthese, &self.fichiers);
        std::fs::write(self.dir.join("index.html"), page).context("écriture de index.html")?;
        Ok(())
    }
}

/// Writes every file of the dataset built from `extractions` into `dir`.
pub fn ecrire_dossier(dir: &Path, extractions: &[Extraction]) -> Result<()> {
    let mut e = Exporteur::nouveau(dir)?;
    for ex in extractions {
        e.ajouter(ex)?;
    }
    e.terminer()
}
