//! Writes a whole dataset folder: `csv/`, `parquet/`, `json/`, `schemas/`
//! and `datapackage.json` (with each file's size and SHA-256), into a folder
//! the caller chose (`cmd::build` gives a temporary one, then swaps it in).

use super::schema::{self, Fichier};
use crate::fields::TABLES;
use crate::model::{Extraction, Row};
use anyhow::{Context, Result};
use serde_json::{json, Map};
use sha2::{Digest, Sha256};
use std::path::Path;

fn ecrire(dir: &Path, relatif: &str, bytes: &[u8]) -> Result<(u64, String)> {
    let path = dir.join(relatif);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("création de {}", parent.display()))?;
    }
    std::fs::write(&path, bytes).with_context(|| format!("écriture de {}", path.display()))?;
    Ok((bytes.len() as u64, hex::encode(Sha256::digest(bytes))))
}

/// Writes every file of the dataset built from `extractions` into `dir`.
pub fn ecrire_dossier(dir: &Path, extractions: &[Extraction]) -> Result<()> {
    let mut tables: Vec<Vec<Row>> = vec![Vec::new(); TABLES.len()];
    for ex in extractions {
        for (i, rows) in ex.rows().into_iter().enumerate() {
            tables[i].extend(rows);
        }
    }
    let mut fichiers = Vec::new();
    for (table, rows) in TABLES.iter().zip(&tables) {
        let schema_path = format!("schemas/{}.json", table.name);
        let mut s = serde_json::to_vec_pretty(&schema::table_schema(table))?;
        s.push(b'\n');
        ecrire(dir, &schema_path, &s)?;

        let mut buf = Vec::new();
        super::csv::write(table, rows, &mut buf)?;
        let path = format!("csv/{}.csv", table.name);
        let (bytes, sha256) = ecrire(dir, &path, &buf)?;
        fichiers.push(Fichier {
            name: table.name.to_string(),
            path,
            format: "csv",
            mediatype: "text/csv",
            bytes,
            sha256,
            schema: Some(schema_path.clone()),
            title: format!("{} (CSV)", table.title),
            description: table.description.to_string(),
        });
    }
    for (table, rows) in TABLES.iter().zip(&tables) {
        let mut buf = Vec::new();
        super::parquet::write(table, rows, &mut buf)?;
        let path = format!("parquet/{}.parquet", table.name);
        let (bytes, sha256) = ecrire(dir, &path, &buf)?;
        fichiers.push(Fichier {
            name: format!("{}-parquet", table.name),
            path,
            format: "parquet",
            mediatype: "application/vnd.apache.parquet",
            bytes,
            sha256,
            schema: None,
            title: format!("{} (Parquet)", table.title),
            description: format!("{} Mêmes colonnes que le CSV, typées.", table.description),
        });
    }
    let mut meta = Map::new();
    meta.insert("jeu_de_donnees".into(), json!(schema::DATASET_NAME));
    meta.insert("version".into(), json!(schema::VERSION));
    let doc = super::json::document(extractions, meta);
    let mut buf = Vec::new();
    super::json::write(&doc, &mut buf)?;
    let path = "json/temoignages.json".to_string();
    let (bytes, sha256) = ecrire(dir, &path, &buf)?;
    fichiers.push(Fichier {
        name: "temoignages-json".into(),
        path,
        format: "json",
        mediatype: "application/json",
        bytes,
        sha256,
        schema: None,
        title: "Jeu complet (JSON imbriqué)".into(),
        description: "Un seul document : documents → témoignages → leurs lignes, mêmes noms et valeurs que les tables."
            .into(),
    });

    let sources: Vec<String> = extractions
        .iter()
        .map(|e| match &e.document.titre {
            Some(t) => format!("{t} ({})", e.document.fichier_source),
            None => e.document.fichier_source.clone(),
        })
        .collect();
    let mut dp = serde_json::to_vec_pretty(&schema::datapackage(&fichiers, &sources))?;
    dp.push(b'\n');
    ecrire(dir, "datapackage.json", &dp)?;
    Ok(())
}
