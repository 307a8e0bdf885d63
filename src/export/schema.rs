//! Table Schemas (`schemas/<table>.json`) and the Data Package descriptor
//! (`datapackage.json`), generated from the catalogue with the metadata
//! schema.data.gouv.fr asks for (name, title, description, version,
//! homepage, contributors, licenses; fields with title, description, type,
//! format, example, constraints; primaryKey, foreignKeys).

use crate::fields::{Kind, Table};
use serde_json::{json, Map, Value as Json};

/// Where the project is published: the `homepage` of every schema.
pub const HOMEPAGE: &str = "https://github.com/temoignages/temoignages";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const DATASET_NAME: &str = "temoignages-cloud-public";
pub const DATASET_TITLE: &str = "Témoignages de projets cloud du secteur public";

pub fn licenses() -> Json {
    json!([{
        "name": "etalab-2.0",
        "title": "Licence Ouverte / Open Licence version 2.0",
        "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    }])
}

fn contributors() -> Json {
    json!([{ "title": "Projet temoignages", "roles": ["author"], "role": "author" }])
}

/// The Table Schema of one table.
pub fn table_schema(table: &Table) -> Json {
    let fields: Vec<Json> = table
        .fields
        .iter()
        .map(|f| {
            let mut o = Map::new();
            o.insert("name".into(), json!(f.name));
            o.insert("title".into(), json!(f.title));
            o.insert("description".into(), json!(f.description));
            o.insert("type".into(), json!(f.kind.table_schema_type()));
            o.insert("format".into(), json!("default"));
            if f.kind == Kind::Liste {
                o.insert("delimiter".into(), json!(";"));
                o.insert("itemType".into(), json!("string"));
            }
            o.insert("example".into(), json!(f.example));
            let mut c = Map::new();
            c.insert("required".into(), json!(f.required));
            if f.unique {
                c.insert("unique".into(), json!(true));
            }
            if !f.vocabulary.is_empty() {
                c.insert("enum".into(), json!(f.vocabulary));
            }
            if let Some(p) = f.pattern {
                c.insert("pattern".into(), json!(p));
            }
            o.insert("constraints".into(), Json::Object(c));
            Json::Object(o)
        })
        .collect();
    let foreign_keys: Vec<Json> = table
        .foreign_keys
        .iter()
        .map(|fk| json!({ "fields": fk.fields, "reference": { "resource": fk.reference_table, "fields": fk.reference_fields } }))
        .collect();
    json!({
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "version": VERSION,
        "homepage": HOMEPAGE,
        "countryCode": "FR",
        "contributors": contributors(),
        "licenses": licenses(),
        "missingValues": [""],
        "fields": fields,
        "primaryKey": table.primary_key,
        "foreignKeys": foreign_keys,
    })
}

/// One file of the dataset as `datapackage.json` lists it.
#[derive(Debug, Clone)]
pub struct Fichier {
    pub name: String,
    pub path: String,
    pub format: &'static str,
    pub mediatype: &'static str,
    pub bytes: u64,
    pub sha256: String,
    /// `schemas/<table>.json` for a table resource.
    pub schema: Option<String>,
    pub title: String,
    pub description: String,
}

/// `sources`: one title per source page.
pub fn datapackage(fichiers: &[Fichier], sources: &[String]) -> Json {
    let resources: Vec<Json> = fichiers
        .iter()
        .map(|f| {
            let mut o = Map::new();
            o.insert("name".into(), json!(f.name));
            o.insert("path".into(), json!(f.path));
            if f.schema.is_some() {
                o.insert("type".into(), json!("table"));
            } else if f.format == "parquet" {
                // frictionless-py reads a Parquet `table` through pandas and
                // reports false type errors (lists, nullable integers), and
                // crashes on one with no `type`; as a `file` it still checks
                // `bytes` and `hash`. Its columns are checked by `validate`.
                o.insert("type".into(), json!("file"));
            }
            o.insert("title".into(), json!(f.title));
            o.insert("description".into(), json!(f.description));
            o.insert("format".into(), json!(f.format));
            o.insert("mediatype".into(), json!(f.mediatype));
            if f.format != "parquet" {
                o.insert("encoding".into(), json!("utf-8"));
            }
            o.insert("bytes".into(), json!(f.bytes));
            o.insert("hash".into(), json!(format!("sha256:{}", f.sha256)));
            if f.format == "csv" {
                o.insert("dialect".into(), json!({ "delimiter": ",", "quoteChar": "\"", "header": true }));
            }
            if let Some(s) = &f.schema {
                o.insert("schema".into(), json!(s));
            }
            Json::Object(o)
        })
        .collect();
    json!({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": DATASET_NAME,
        "title": DATASET_TITLE,
        "description": "Témoignages de responsables de projets publics sur leur recours au cloud, extraits de pages de numerique.gouv.fr : projets, organisations et ministères, qualifications (SecNumCloud, HDS…) et leur statut, fournisseurs cloud et technologies, indicateurs chiffrés, questions et réponses, liens et anomalies de qualité.",
        "version": VERSION,
        "homepage": HOMEPAGE,
        "keywords": ["cloud", "secnumcloud", "numérique", "administration", "témoignages"],
        "contributors": contributors(),
        "licenses": licenses(),
        "sources": sources.iter().map(|title| json!({ "title": title })).collect::<Vec<_>>(),
        "resources": resources,
    })
}

/// How the files are written, in one French paragraph (inline Markdown):
/// shared by the data dictionary, the documentation and the dataset page.
pub const FORMATS_FICHIERS: &str = "CSV : UTF-8 sans BOM, virgule, guillemets `\"`, fins de ligne `\\n`, cellule vide = valeur absente, listes séparées par `;`. Parquet : types réels (date32, int64, float64, list<utf8>), compression zstd ; une liste qui ne nomme rien y est `[]`, comme dans le JSON, jamais null.";

/// The headers of a data dictionary table, in the order of `DictionnaireTable::lignes`.
pub const EN_TETES_DICTIONNAIRE: [&str; 5] = ["colonne", "type", "obligatoire", "description", "valeurs"];

/// One table of the data dictionary, as texts in inline Markdown (code in
/// backticks), so the Markdown and HTML renderings say the same thing.
pub struct DictionnaireTable {
    pub table: &'static Table,
    /// "Clé primaire : …" then one "Clé étrangère : …" line per foreign key.
    pub cles: Vec<String>,
    /// One row per column, cells in `EN_TETES_DICTIONNAIRE` order.
    pub lignes: Vec<[String; 5]>,
}

/// The data dictionary of every table, from the catalogue, in `TABLES` order.
pub fn dictionnaire_tables() -> Vec<DictionnaireTable> {
    crate::fields::TABLES
        .iter()
        .map(|&t| {
            let mut cles = vec![format!("Clé primaire : `{}`.", t.primary_key.join("`, `"))];
            for fk in t.foreign_keys {
                cles.push(format!(
                    "Clé étrangère : `{}` → `{}.{}`.",
                    fk.fields.join("`, `"),
                    fk.reference_table,
                    fk.reference_fields.join(", ")
                ));
            }
            let lignes = t
                .fields
                .iter()
                .map(|f| {
                    let vocab = if f.vocabulary.is_empty() {
                        String::new()
                    } else {
                        format!("`{}`", f.vocabulary.join("`, `"))
                    };
                    [
                        format!("`{}`", f.name),
                        f.kind.table_schema_type().to_string(),
                        if f.required { "oui" } else { "non" }.to_string(),
                        f.description.to_string(),
                        vocab,
                    ]
                })
                .collect();
            DictionnaireTable { table: t, cles, lignes }
        })
        .collect()
}

/// The tables of the data dictionary in Markdown, each under a heading of
/// level `niveau` (2 in `dictionnaire.md`, deeper inside the documentation).
pub fn dictionnaire_markdown(niveau: usize) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let dieses = "#".repeat(niveau);
    for d in dictionnaire_tables() {
        let t = d.table;
        let _ = writeln!(s, "{dieses} `{}` — {}\n\n{}\n", t.name, t.title, t.description);
        for c in &d.cles {
            let _ = writeln!(s, "{c}");
        }
        let _ = writeln!(s, "\n| {} |\n|---|---|---|---|---|", EN_TETES_DICTIONNAIRE.join(" | "));
        for l in &d.lignes {
            let cells: Vec<String> = l.iter().map(|c| c.replace('|', "\\|")).collect();
            let _ = writeln!(s, "| {} |", cells.join(" | "));
        }
        let _ = writeln!(s);
    }
    s
}

/// The data dictionary of every table, in Markdown (French), from the
/// catalogue: `schemas/dictionnaire.md`.
pub fn dictionnaire() -> String {
    let mut s = format!("# Dictionnaire des données — {DATASET_TITLE}\n\n");
    s.push_str(
        "Généré depuis le catalogue des colonnes (`src/fields.rs`) par `temoignages schemas` ; ne pas modifier à la main.\n\n",
    );
    s.push_str(FORMATS_FICHIERS);
    s.push_str("\n\n");
    s.push_str(&dictionnaire_markdown(2));
    s
}
