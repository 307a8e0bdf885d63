//! The files of a dataset folder as `publish` sends them: relative path
//! (the stable key of each resource), SHA-1 (what data.gouv.fr computes on
//! upload), resource type, title and description (from `datapackage.json`
//! when it lists the file). Schemas come first so CSV resources can point
//! at their published schema; nothing here talks to the network.

use anyhow::{bail, Context, Result};
use serde_json::Value as Json;
use sha1::{Digest, Sha1};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// udata resource types used here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    Donnees,
    Documentation,
}

impl Genre {
    pub fn type_udata(self) -> &'static str {
        match self {
            Genre::Donnees => "main",
            Genre::Documentation => "documentation",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FichierLocal {
    /// Relative path with `/`, e.g. `csv/temoignages.csv`.
    pub chemin: String,
    pub disque: PathBuf,
    pub taille: u64,
    pub sha1: String,
    pub genre: Genre,
    pub titre: String,
    pub description: String,
    /// For `csv/<table>.csv`: `schemas/<table>.json` when that file exists.
    pub schema: Option<String>,
}

impl FichierLocal {
    pub fn nom(&self) -> &str {
        self.chemin.rsplit('/').next().unwrap_or(&self.chemin)
    }

    /// Media type of the multipart part; the server derives its own.
    pub fn type_mime(&self) -> &'static str {
        match self.chemin.rsplit('.').next().unwrap_or("") {
            "csv" => "text/csv",
            "json" => "application/json",
            "parquet" => "application/vnd.apache.parquet",
            "md" => "text/markdown",
            "txt" => "text/plain",
            "html" | "htm" => "text/html",
            "pdf" => "application/pdf",
            _ => "application/octet-stream",
        }
    }
}

/// Top-level files published as documentation when present. Not HTML:
/// data.gouv.fr refuses HTML uploads (415 « Incorrect file content type:
/// HTML »), so `index.html` stays with the files to host elsewhere.
const DOCUMENTATION: &[&str] = &["md", "txt", "pdf"];

pub fn sha1_fichier(p: &Path) -> std::io::Result<(String, u64)> {
    let mut f = std::fs::File::open(p)?;
    let mut h = Sha1::new();
    let mut buf = [0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    Ok((hex::encode(h.finalize()), n))
}

fn lister(dossier: &Path, sous: &str, ext: &[&str]) -> Result<Vec<String>> {
    let d = if sous.is_empty() { dossier.to_path_buf() } else { dossier.join(sous) };
    if !d.is_dir() {
        return Ok(Vec::new());
    }
    let mut noms = Vec::new();
    for e in std::fs::read_dir(&d).with_context(|| format!("lecture de {}", d.display()))? {
        let e = e?;
        if !e.file_type()?.is_file() {
            continue;
        }
        let nom = e.file_name().to_string_lossy().into_owned();
        let extension = nom.rsplit_once('.').map(|(_, x)| x.to_ascii_lowercase()).unwrap_or_default();
        if nom.starts_with('.') || !ext.contains(&extension.as_str()) {
            continue;
        }
        noms.push(if sous.is_empty() { nom } else { format!("{sous}/{nom}") });
    }
    noms.sort();
    Ok(noms)
}

/// Lists DIR in publishing order: schemas, `datapackage.json`,
/// documentation, then CSV, Parquet and JSON data.
pub fn fichiers(dossier: &Path) -> Result<Vec<FichierLocal>> {
    if !dossier.is_dir() {
        bail!("{} n'est pas un dossier (lancez d'abord `temoignages build`)", dossier.display());
    }
    let descripteur =
        std::fs::read(dossier.join("datapackage.json")).ok().and_then(|b| serde_json::from_slice::<Json>(&b).ok());
    let mut connus: HashMap<String, (String, String)> = HashMap::new();
    // What `validate` checks (the resources the descriptor lists and their
    // schemas), with the descriptor and the documentation a build writes.
    let mut verifies: HashSet<String> = ["datapackage.json", "documentation.md"].map(String::from).into();
    if let Some(Json::Array(rs)) = descripteur.as_ref().and_then(|d| d.get("resources")) {
        for r in rs {
            let champ = |k: &str| r.get(k).and_then(Json::as_str).unwrap_or("").to_string();
            connus.insert(champ("path"), (champ("title"), champ("description")));
            verifies.insert(champ("path"));
            verifies.insert(champ("schema"));
        }
    }
    let schemas = lister(dossier, "schemas", &["json"])?;
    let racine: Vec<String> = lister(dossier, "", &["json"])?.into_iter().filter(|n| n == "datapackage.json").collect();
    let docs = lister(dossier, "", DOCUMENTATION)?;
    let csv = lister(dossier, "csv", &["csv"])?;
    let parquet = lister(dossier, "parquet", &["parquet"])?;
    let json = lister(dossier, "json", &["json"])?;
    let schemas_presents: HashSet<&String> = schemas.iter().collect();
    // A file the descriptor does not list was never checked: published, it
    // would be a resource nobody validated (a note, a table someone edited
    // and struck from the descriptor).
    if descripteur.is_some() {
        let tous = schemas.iter().chain(&racine).chain(&docs).chain(&csv).chain(&parquet).chain(&json);
        let hors: Vec<&str> = tous.filter(|c| !verifies.contains(c.as_str())).map(String::as_str).collect();
        if !hors.is_empty() {
            let montres = hors.iter().take(5).copied().collect::<Vec<_>>().join(", ");
            bail!(
                "{} contient {} fichier(s) que datapackage.json ne déclare pas ({montres}{}) : `validate` ne les vérifie pas ; rien n'est publié (retirez-les, ou refaites le dossier avec `temoignages build`)",
                dossier.display(),
                hors.len(),
                if hors.len() > 5 { ", …" } else { "" }
            );
        }
    }

    let mut sortie = Vec::new();
    let mut titres = HashSet::new();
    for chemin in schemas.iter().chain(&racine).chain(&docs).chain(&csv).chain(&parquet).chain(&json) {
        let disque = dossier.join(chemin);
        let (sha1, taille) = sha1_fichier(&disque).with_context(|| format!("lecture de {}", disque.display()))?;
        let nom = chemin.rsplit('/').next().unwrap_or(chemin);
        let (genre, titre, description, schema) = if let Some(table) =
            chemin.strip_prefix("schemas/").and_then(|n| n.strip_suffix(".json"))
        {
            let titre_table = std::fs::read(&disque)
                .ok()
                .and_then(|b| serde_json::from_slice::<Json>(&b).ok())
                .and_then(|s| s.get("title").and_then(Json::as_str).map(str::to_string))
                .unwrap_or_else(|| table.to_string());
            (
                Genre::Documentation,
                format!("Schéma : {titre_table} (Table Schema)"),
                format!("Table Schema de la table `{table}` : noms, types, descriptions et contraintes des colonnes de `csv/{table}.csv`."),
                None,
            )
        } else if chemin == "datapackage.json" {
            (
                Genre::Documentation,
                "Descripteur du jeu de données (datapackage.json)".to_string(),
                "Data Package Frictionless : la liste des fichiers du jeu, avec leur format, leur taille, leur empreinte et leur schéma.".to_string(),
                None,
            )
        } else if !chemin.contains('/') {
            (
                Genre::Documentation,
                format!("Documentation ({nom})"),
                format!("Documentation du jeu de données (`{nom}`)."),
                None,
            )
        } else {
            let (t, d) = connus.get(chemin.as_str()).cloned().unwrap_or_default();
            let schema = chemin
                .strip_prefix("csv/")
                .and_then(|n| n.strip_suffix(".csv"))
                .map(|table| format!("schemas/{table}.json"))
                .filter(|s| schemas_presents.contains(s));
            let titre = if t.is_empty() { chemin.clone() } else { t };
            let description = if d.is_empty() { format!("Fichier `{chemin}` du jeu de données.") } else { d };
            (Genre::Donnees, titre, description, schema)
        };
        // Titles are a matching key (see `plan`): keep them unique.
        let titre = if titres.contains(&titre) { format!("{titre} — {chemin}") } else { titre };
        titres.insert(titre.clone());
        sortie.push(FichierLocal { chemin: chemin.clone(), disque, taille, sha1, genre, titre, description, schema });
    }
    if sortie.is_empty() {
        bail!(
            "{} ne contient aucun fichier à publier (csv/, parquet/, json/, schemas/, datapackage.json)",
            dossier.display()
        );
    }
    Ok(sortie)
}
