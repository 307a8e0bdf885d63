//! Validate: checks a dataset folder against its own descriptors, the way a
//! user's tools would: every resource of `datapackage.json` exists with the
//! declared bytes and SHA-256; every CSV table matches its Table Schema
//! (header, types, required, enum, pattern, unique, primary and foreign
//! keys); every Parquet file has the schema's columns with the Arrow types
//! and the CSV's row count. It reads the schemas from the folder, not from
//! the catalogue, so it also checks what `build` wrote.

use crate::export::parquet::arrow_type;
use crate::fields::Kind;
use chrono::NaiveDate;
use rayon::prelude::*;
use regex::Regex;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Component, Path};

mod lecteur;

/// One problem found in a dataset folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Constat {
    /// Path relative to the folder.
    pub fichier: String,
    /// 1-based line of a CSV file (the header is line 1).
    pub ligne: Option<usize>,
    pub colonne: Option<String>,
    /// Stable kebab-case code.
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Constat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.fichier)?;
        if let Some(l) = self.ligne {
            write!(f, ":{l}")?;
        }
        if let Some(c) = &self.colonne {
            write!(f, " [{c}]")?;
        }
        write!(f, " : {} : {}", self.code, self.message)
    }
}

struct Champ {
    name: String,
    kind: Option<Kind>,
    required: bool,
    unique: bool,
    vocabulary: Vec<String>,
    pattern: Option<Regex>,
}

struct SchemaLu {
    champs: Vec<Champ>,
    primary_key: Vec<String>,
    foreign_keys: Vec<(Vec<String>, String, Vec<String>)>,
}

fn kind_of(t: &str) -> Option<Kind> {
    Some(match t {
        "string" => Kind::Texte,
        "integer" => Kind::Entier,
        "number" => Kind::Nombre,
        "boolean" => Kind::Booleen,
        "date" => Kind::Date,
        "list" => Kind::Liste,
        _ => return None,
    })
}

fn strings(v: Option<&Json>) -> Vec<String> {
    match v {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// How a table's schema differs from the one this version of the tool
/// writes for it, if it does: a schema edited by hand (a type, a
/// constraint, a description) is published with the data, so it is
/// checked as the data is. A table the tool does not know is not compared.
fn ecart_au_schema_de_l_outil(table: &str, lu: &Json) -> Option<String> {
    let t = crate::fields::TABLES.iter().find(|t| t.name == table)?;
    let attendu = crate::export::schema::table_schema(t);
    if *lu == attendu {
        return None;
    }
    let champs = |s: &Json| -> Vec<(String, Json)> {
        s.get("fields")
            .and_then(Json::as_array)
            .map(|f| {
                f.iter().map(|x| (x.get("name").and_then(Json::as_str).unwrap_or("").to_string(), x.clone())).collect()
            })
            .unwrap_or_default()
    };
    let (a, l) = (champs(&attendu), champs(lu));
    let ou = if a.iter().map(|x| &x.0).ne(l.iter().map(|x| &x.0)) {
        "la liste des champs".to_string()
    } else if let Some((nom, _)) = a.iter().zip(&l).find(|(x, y)| x.1 != y.1).map(|(x, _)| x) {
        format!("le champ « {nom} »")
    } else {
        let cles = attendu.as_object().into_iter().flatten().chain(lu.as_object().into_iter().flatten());
        let cle = cles.map(|(k, _)| k).find(|k| attendu.get(k.as_str()) != lu.get(k.as_str()));
        format!("« {} »", cle.map_or("?", |k| k.as_str()))
    };
    Some(format!(
        "diffère du schéma que cette version de temoignages écrit pour la table « {table} » ({ou}) : retouché à la main ou écrit par une autre version ; `temoignages build` le réécrit"
    ))
}

fn lire_schema(j: &Json) -> Result<SchemaLu, String> {
    let fields = j.get("fields").and_then(Json::as_array).ok_or("pas de `fields`")?;
    let mut champs = Vec::new();
    for f in fields {
        let name = f.get("name").and_then(Json::as_str).ok_or("champ sans `name`")?.to_string();
        let t = f.get("type").and_then(Json::as_str).unwrap_or("string");
        let c = f.get("constraints");
        let pattern = match c.and_then(|c| c.get("pattern")).and_then(Json::as_str) {
            Some(p) => Some(Regex::new(&format!("^(?:{p})$")).map_err(|e| format!("motif de {name} invalide : {e}"))?),
            None => None,
        };
        champs.push(Champ {
            kind: kind_of(t),
            required: c.and_then(|c| c.get("required")).and_then(Json::as_bool).unwrap_or(false),
            unique: c.and_then(|c| c.get("unique")).and_then(Json::as_bool).unwrap_or(false),
            vocabulary: strings(c.and_then(|c| c.get("enum"))),
            pattern,
            name,
        });
    }
    let mut foreign_keys = Vec::new();
    for fk in j.get("foreignKeys").and_then(Json::as_array).into_iter().flatten() {
        let r = fk.get("reference");
        foreign_keys.push((
            strings(fk.get("fields")),
            r.and_then(|r| r.get("resource")).and_then(Json::as_str).unwrap_or("").to_string(),
            strings(r.and_then(|r| r.get("fields"))),
        ));
    }
    Ok(SchemaLu { champs, primary_key: strings(j.get("primaryKey")), foreign_keys })
}

/// Checks one cell against its field; `None` when it is fine.
fn verifier_cellule(champ: &Champ, cell: &str) -> Option<(&'static str, String)> {
    if cell.is_empty() {
        return champ.required.then(|| ("valeur-requise", "cellule vide dans une colonne obligatoire".to_string()));
    }
    let ok = match champ.kind {
        Some(Kind::Entier) => cell.parse::<i64>().is_ok() && !cell.starts_with('+'),
        Some(Kind::Nombre) => {
            cell.parse::<f64>().is_ok_and(f64::is_finite) && !cell.contains(['e', 'E']) && !cell.starts_with('+')
        }
        Some(Kind::Booleen) => cell == "true" || cell == "false",
        Some(Kind::Date) => cell.len() == 10 && NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_ok(),
        _ => true,
    };
    if !ok {
        let t = champ.kind.map_or("?", Kind::table_schema_type);
        return Some(("type-invalide", format!("« {cell} » n'est pas du type {t}")));
    }
    if !champ.vocabulary.is_empty() {
        let items: Vec<&str> = if champ.kind == Some(Kind::Liste) { cell.split(';').collect() } else { vec![cell] };
        if let Some(bad) = items.iter().find(|i| !champ.vocabulary.iter().any(|v| v == *i)) {
            return Some((
                "hors-vocabulaire",
                format!("« {bad} » n'est pas une valeur permise ({})", champ.vocabulary.join(", ")),
            ));
        }
    }
    if let Some(p) = &champ.pattern {
        if !p.is_match(cell) {
            return Some(("motif-non-respecte", format!("« {cell} » ne suit pas le motif {}", p.as_str())));
        }
    }
    None
}

/// A path from a descriptor that stays inside the folder.
fn chemin_sur(p: &str) -> bool {
    let path = Path::new(p);
    !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// What is kept of a CSV table once read: only hashed keys, so memory does
/// not grow with the text of the corpus.
#[derive(Default)]
struct TableLue {
    lignes: usize,
    /// Every record was read (no unreadable header or record): `lignes` is
    /// the table's row count, which the Parquet file must have.
    complet: bool,
    /// For each column list another table references: the keys present.
    references: HashMap<Vec<String>, Empreintes>,
    /// For each foreign key of this table whose referenced keys were not
    /// known while it was read: (line, hashed key) of each row whose key is
    /// not empty.
    etrangeres: Vec<Vec<(usize, u128, Box<str>)>>,
    /// For each foreign key checked while the table was read: the lines
    /// whose key the referenced table does not hold, with that key.
    orphelines: Vec<Vec<(usize, String)>>,
}

/// The keys of a referenced table (its name, the referenced columns), when
/// it has been read already.
type Connues<'a> = dyn Fn(&str, &[String]) -> Option<&'a Empreintes> + Sync + 'a;

/// A set of key fingerprints, in 64 parts chosen by their top bits. One
/// table of every key of a big CSV is one block of several megabytes
/// (9 MB for the 278,000 answers of the 300 MB benchmark), which the
/// allocator cannot carve out of the memory the build has just freed, and
/// growing it holds the old and the new block at once; parts of a
/// sixty-fourth of that fit in freed memory and grow one at a time.
#[derive(Default)]
struct Empreintes {
    parts: Vec<HashSet<u128, std::hash::BuildHasherDefault<Repli>>>,
}

impl Empreintes {
    const PARTS: usize = 64;

    fn part(n: u128) -> usize {
        (n >> 122) as usize
    }

    /// True when `n` was not in the set.
    fn insert(&mut self, n: u128) -> bool {
        if self.parts.is_empty() {
            self.parts.resize_with(Self::PARTS, Default::default);
        }
        self.parts[Self::part(n)].insert(n)
    }

    fn contains(&self, n: &u128) -> bool {
        self.parts.get(Self::part(*n)).is_some_and(|p| p.contains(n))
    }

    fn remove(&mut self, n: &u128) {
        if let Some(p) = self.parts.get_mut(Self::part(*n)) {
            p.remove(n);
        }
    }
}

#[derive(Default)]
struct Repli(u64);

impl std::hash::Hasher for Repli {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, octets: &[u8]) {
        // Not reached for `u128` keys; a plain fold keeps it correct anyway.
        for &b in octets {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = (n as u64) ^ ((n >> 64) as u64);
    }
}

/// A 128-bit fingerprint of a key (XXH3-128 of the parts, each preceded by
/// its length, so that ("ab", "c") and ("a", "bc") differ): collisions are out
/// of reach for the sizes at hand.
fn empreinte_cle(parts: &[&str]) -> u128 {
    if let [seule] = parts {
        return twox_hash::XxHash3_128::oneshot(seule.as_bytes());
    }
    thread_local! {
        static TAMPON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    TAMPON.with_borrow_mut(|t| {
        t.clear();
        for p in parts {
            t.extend_from_slice(&(p.len() as u64).to_le_bytes());
            t.extend_from_slice(p.as_bytes());
        }
        twox_hash::XxHash3_128::oneshot(t)
    })
}

/// Validates a dataset folder; an empty list means it is valid.
pub fn valider_dossier(dir: &Path) -> Vec<Constat> {
    valider(dir, true)
}

/// [`valider_dossier`] for the folder `build` has just written: sizes are
/// checked, hashes are not computed again (the writer hashed every byte it
/// wrote; `validate` and frictionless recompute them).
pub fn valider_dossier_ecrit(dir: &Path) -> Vec<Constat> {
    valider(dir, false)
}

fn valider(dir: &Path, empreintes: bool) -> Vec<Constat> {
    let mut out = Vec::new();
    let mut c = |fichier: &str, ligne: Option<usize>, colonne: Option<&str>, code: &'static str, message: String| {
        out.push(Constat { fichier: fichier.to_string(), ligne, colonne: colonne.map(str::to_string), code, message })
    };
    let dp_path = dir.join("datapackage.json");
    let dp: Json = match std::fs::read(&dp_path)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(j) => j,
        Err(e) => {
            c("datapackage.json", None, None, "descripteur-illisible", e);
            return out;
        }
    };
    let resources = dp.get("resources").and_then(Json::as_array).cloned().unwrap_or_default();
    if resources.is_empty() {
        c("datapackage.json", None, None, "descripteur-invalide", "aucune ressource".into());
    }
    let mut tables: HashMap<String, TableLue> = HashMap::new();
    // (table, its file, key columns, referenced table, referenced columns)
    type Cle = (String, String, Vec<String>, String, Vec<String>);
    let mut fks: Vec<Cle> = Vec::new();
    // The column lists other tables reference, known before any table is
    // read, so each table is read once and only their keys are kept.
    let mut besoins: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    for r in &resources {
        let schema = r
            .get("schema")
            .and_then(Json::as_str)
            .filter(|p| chemin_sur(p))
            .and_then(|p| std::fs::read(dir.join(p)).ok())
            .and_then(|b| serde_json::from_slice::<Json>(&b).ok())
            .and_then(|j| lire_schema(&j).ok());
        for (_, rt, rf) in schema.iter().flat_map(|s| &s.foreign_keys) {
            let v = besoins.entry(rt.clone()).or_default();
            if !v.contains(rf) {
                v.push(rf.clone());
            }
        }
    }
    let mut parquets: Vec<(String, String, SchemaLu)> = Vec::new();
    // Each resource is hashed and read on its own (in parallel on the
    // current rayon pool); the findings keep the resources' order.
    enum Lu {
        Rien,
        Csv(String, TableLue, Vec<Cle>),
        Parquet(String, String, SchemaLu),
    }
    let lire = |r: &Json, connues: &Connues| -> (Vec<Constat>, Lu) {
        let mut out = Vec::new();
        let mut c =
            |fichier: &str, ligne: Option<usize>, colonne: Option<&str>, code: &'static str, message: String| {
                out.push(Constat {
                    fichier: fichier.to_string(),
                    ligne,
                    colonne: colonne.map(str::to_string),
                    code,
                    message,
                })
            };
        let lu = (|| {
            let name = r.get("name").and_then(Json::as_str).unwrap_or("").to_string();
            let Some(path) = r.get("path").and_then(Json::as_str) else {
                c(
                    "datapackage.json",
                    None,
                    None,
                    "descripteur-invalide",
                    format!("la ressource « {name} » n'a pas de `path`"),
                );
                return Lu::Rien;
            };
            if !chemin_sur(path) {
                c("datapackage.json", None, None, "chemin-interdit", format!("« {path} » sort du dossier"));
                return Lu::Rien;
            }
            let lu = if empreintes {
                crate::empreinte::fichier(&dir.join(path)).map(|(t, h)| (t, Some(h)))
            } else {
                std::fs::metadata(dir.join(path)).map(|m| (m.len(), None))
            };
            let (taille, hex) = match lu {
                Ok(x) => x,
                Err(e) => {
                    c(path, None, None, "fichier-absent", crate::read::erreur_io(&e));
                    return Lu::Rien;
                }
            };
            if let Some(n) = r.get("bytes").and_then(Json::as_u64) {
                if n != taille {
                    c(path, None, None, "taille-differente", format!("{taille} octets, le descripteur en annonce {n}"));
                }
            }
            match r.get("hash").and_then(Json::as_str) {
                Some(h) => match (h.strip_prefix("sha256:"), hex) {
                    (Some(_), None) => {}
                    (Some(want), Some(hex)) if want == hex => {}
                    (Some(want), Some(hex)) => c(
                        path,
                        None,
                        None,
                        "empreinte-differente",
                        format!("sha256:{hex}, le descripteur annonce sha256:{want}"),
                    ),
                    (None, _) => c(
                        path,
                        None,
                        None,
                        "empreinte-non-verifiee",
                        format!("algorithme d'empreinte non pris en charge : {h}"),
                    ),
                },
                None => c(path, None, None, "empreinte-absente", "la ressource n'a pas d'empreinte".into()),
            }
            let format = r.get("format").and_then(Json::as_str);
            // A Parquet file is checked against the schema of its CSV twin
            // (`<table>-parquet` ↔ `<table>`).
            let jumeau = (format == Some("parquet"))
                .then(|| name.strip_suffix("-parquet"))
                .flatten()
                .and_then(|t| resources.iter().find(|x| x.get("name").and_then(Json::as_str) == Some(t)))
                .and_then(|x| x.get("schema"));
            let Some(schema_path) = r.get("schema").or(jumeau).and_then(Json::as_str) else { return Lu::Rien };
            let schema = match chemin_sur(schema_path)
                .then(|| std::fs::read(dir.join(schema_path)).ok())
                .flatten()
                .and_then(|b| serde_json::from_slice::<Json>(&b).ok())
                .ok_or_else(|| format!("schéma « {schema_path} » illisible"))
                .inspect(|j| {
                    // Once per schema (the CSV's, not its Parquet twin's).
                    if r.get("schema").is_some() {
                        if let Some(e) = ecart_au_schema_de_l_outil(&name, j) {
                            c(schema_path, None, None, "schema-different", e);
                        }
                    }
                })
                .and_then(|j| lire_schema(&j))
            {
                Ok(s) => s,
                Err(e) => {
                    c(path, None, None, "schema-illisible", e);
                    return Lu::Rien;
                }
            };
            match format {
                Some("csv") => {
                    let lue =
                        valider_csv(dir, path, &schema, besoins.get(&name).map_or(&[][..], |v| v), connues, &mut c);
                    let cles = schema
                        .foreign_keys
                        .iter()
                        .map(|(fields, rt, rf)| {
                            (name.clone(), path.to_string(), fields.clone(), rt.clone(), rf.clone())
                        })
                        .collect();
                    Lu::Csv(name, lue, cles)
                }
                Some("parquet") => Lu::Parquet(name, path.to_string(), schema),
                _ => Lu::Rien,
            }
        })();
        (out, lu)
    };
    // The tables other tables reference are read first; the others are then
    // checked against their keys row by row, so that memory holds the keys
    // of the referenced tables, not those of every row of every table.
    let referencee = |r: &Json| r.get("name").and_then(Json::as_str).is_some_and(|n| besoins.contains_key(n));
    // Within each group the largest files start first (on two cores, the
    // largest table left for last would run alone); findings keep the
    // resources' order.
    let par_taille = |garder: &dyn Fn(&Json) -> bool| -> Vec<(usize, &Json)> {
        let taille = |r: &Json| {
            r.get("path")
                .and_then(Json::as_str)
                .filter(|p| chemin_sur(p))
                .map_or(0, |p| std::fs::metadata(dir.join(p)).map_or(0, |m| m.len()))
        };
        let mut v: Vec<(u64, usize, &Json)> =
            resources.iter().enumerate().filter(|(_, r)| garder(r)).map(|(i, r)| (taille(r), i, r)).collect();
        v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        v.into_iter().map(|(_, i, r)| (i, r)).collect()
    };
    let aucune: &Connues = &|_, _| None;
    let mut lus: Vec<(usize, (Vec<Constat>, Lu))> =
        par_taille(&|r| referencee(r)).into_par_iter().with_max_len(1).map(|(i, r)| (i, lire(r, aucune))).collect();
    let autres: Vec<(usize, (Vec<Constat>, Lu))> = {
        let cles: HashMap<&str, &TableLue> = lus
            .iter()
            .filter_map(|(_, (_, lu))| match lu {
                Lu::Csv(name, lue, _) => Some((name.as_str(), lue)),
                _ => None,
            })
            .collect();
        let connues: &Connues = &|rt, rf| cles.get(rt).and_then(|t| t.references.get(rf));
        par_taille(&|r| !referencee(r)).into_par_iter().with_max_len(1).map(|(i, r)| (i, lire(r, connues))).collect()
    };
    lus.extend(autres);
    lus.sort_by_key(|(i, _)| *i);
    for (_, (constats, lu)) in lus {
        for k in constats {
            c(&k.fichier, k.ligne, k.colonne.as_deref(), k.code, k.message);
        }
        match lu {
            Lu::Csv(name, lue, cles) => {
                fks.extend(cles);
                tables.insert(name, lue);
            }
            Lu::Parquet(name, path, schema) => parquets.push((name, path, schema)),
            Lu::Rien => {}
        }
    }
    let declarees: HashSet<&str> = resources.iter().filter_map(|r| r.get("name").and_then(Json::as_str)).collect();
    // Foreign keys, once every table is read. A row whose key cells are all
    // empty references nothing (Table Schema's rule for null keys).
    let mut rangs: HashMap<String, usize> = HashMap::new();
    for (name, path, fields, rt, rf) in &fks {
        let k = rangs.entry(name.clone()).or_insert(0);
        let rang = *k;
        *k += 1;
        let (Some(t), Some(cles)) = (tables.get(name), tables.get(rt).and_then(|r| r.references.get(rf))) else {
            // A table the descriptor lists but that could not be read has
            // had its own finding: no second one for each table naming it.
            if !declarees.contains(rt.as_str()) {
                c(path, None, None, "cle-etrangere-invalide", format!("table référencée « {rt} » absente"));
            }
            continue;
        };
        // Checked while the table was read when the referenced keys were
        // known then, afterwards otherwise.
        let orphelines = t.orphelines.get(rang).into_iter().flatten().map(|(l, k)| (*l, k.as_str()));
        let apres = t
            .etrangeres
            .get(rang)
            .into_iter()
            .flatten()
            .filter(|(_, h, _)| !cles.contains(h))
            .map(|(l, _, k)| (*l, &**k));
        for (ligne, valeur) in orphelines.chain(apres) {
            let valeur = format!("« {valeur} »");
            c(
                path,
                Some(ligne),
                Some(&fields.join(",")),
                "cle-etrangere-orpheline",
                format!("{valeur} n'existe pas dans {rt} ({})", rf.join(",")),
            );
        }
    }
    for (name, path, schema) in &parquets {
        // A CSV not read through has no row count to compare with.
        let lignes_csv = tables.get(name.trim_end_matches("-parquet")).filter(|t| t.complet).map(|t| t.lignes);
        valider_parquet(dir, path, schema, lignes_csv, &mut c);
    }
    out
}

fn valider_csv(
    dir: &Path,
    path: &str,
    schema: &SchemaLu,
    references: &[Vec<String>],
    connues: &Connues,
    c: &mut impl FnMut(&str, Option<usize>, Option<&str>, &'static str, String),
) -> TableLue {
    let mut lue = TableLue::default();
    let file = match std::fs::File::open(dir.join(path)) {
        Ok(f) => f,
        Err(e) => {
            c(path, None, None, "fichier-absent", e.to_string());
            return lue;
        }
    };
    // Our reader gives the csv crate's records, lines and errors, several
    // times faster (see `lecteur`).
    let mut r = lecteur::Lecteur::new(file, 256 * 1024);
    let mut brut = lecteur::Enregistrement::default();
    let lu = r.lire(&mut brut);
    if r.bom() {
        c(path, Some(1), None, "bom-present", "le fichier commence par un BOM".into());
    }
    let header: Vec<String> = match lu.map(|_| brut.en_tete()) {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => {
            c(path, Some(1), None, "csv-illisible", e);
            return lue;
        }
        Err(e) => {
            c(path, Some(1), None, "csv-illisible", e.to_string());
            return lue;
        }
    };
    let attendu: Vec<&str> = schema.champs.iter().map(|f| f.name.as_str()).collect();
    if header != attendu {
        c(
            path,
            Some(1),
            None,
            "en-tete-different",
            format!("en-tête « {} », le schéma attend « {} »", header.join(","), attendu.join(",")),
        );
        return lue;
    }
    lue.complet = true;
    let position =
        |noms: &[String]| -> Vec<usize> { noms.iter().filter_map(|k| attendu.iter().position(|a| a == k)).collect() };
    let refs: Vec<(Vec<String>, Vec<usize>)> = references.iter().map(|r| (r.clone(), position(r))).collect();
    let fks: Vec<Vec<usize>> = schema.foreign_keys.iter().map(|(f, _, _)| position(f)).collect();
    lue.etrangeres = vec![Vec::new(); fks.len()];
    lue.orphelines = vec![Vec::new(); fks.len()];
    let deja_lues: Vec<Option<&Empreintes>> = schema.foreign_keys.iter().map(|(_, rt, rf)| connues(rt, rf)).collect();
    for (noms, _) in &refs {
        lue.references.insert(noms.clone(), Empreintes::default());
    }
    let mut uniques: Vec<Empreintes> = schema.champs.iter().map(|_| Empreintes::default()).collect();
    let mut cles = Empreintes::default();
    let pk = position(&schema.primary_key);
    // One set serves a primary key and what repeats it: a unique column
    // that is the whole key (its duplicates are the key's, empty cells
    // aside), and the key's columns as other tables reference them (the
    // set, without the empty key, becomes that reference once read).
    let pk_seule = if let [j] = pk[..] { Some(j) } else { None };
    let ref_pk: Option<Vec<String>> =
        refs.iter().find(|(_, idx)| !pk.is_empty() && *idx == pk).map(|(noms, _)| noms.clone());
    let mut cle_vide_vue = false;
    // Byte records, each checked as UTF-8 at once (SIMD), then read as text.
    let mut bornes: Vec<std::ops::Range<usize>> = Vec::with_capacity(attendu.len());
    let mut ligne = 1;
    loop {
        // Lines as in a text editor: a record whose cells hold line breaks
        // spans several, and the next record starts after them.
        ligne = r.position().ligne.max(ligne as u64 + 1) as usize;
        match r.lire(&mut brut) {
            Ok(true) => ligne = brut.position().ligne as usize,
            Ok(false) => break,
            Err(e) => {
                let lecteur::Erreur::Inegales { position, .. } = &e else {
                    // An I/O error does not move the reader forward.
                    c(path, Some(ligne), None, "csv-illisible", e.to_string());
                    lue.complet = false;
                    break;
                };
                c(path, Some(position.ligne as usize), None, "csv-illisible", e.to_string());
                lue.complet = false;
                continue;
            }
        }
        // The cells lie end to end in `octets`: the record is text when the
        // whole is UTF-8 and no cell boundary cuts a character.
        bornes.clear();
        let mut debut = 0;
        for &fin in brut.fins() {
            bornes.push(debut..fin);
            debut = fin;
        }
        let tout = match simdutf8::compat::from_utf8(brut.octets()) {
            Ok(t) if bornes.iter().all(|b| t.is_char_boundary(b.start) && t.is_char_boundary(b.end)) => t,
            Ok(_) => {
                c(path, Some(ligne), None, "csv-illisible", "une cellule coupe un caractère UTF-8".into());
                lue.complet = false;
                continue;
            }
            Err(e) => {
                c(path, Some(ligne), None, "csv-illisible", format!("octets non UTF-8 : {e}"));
                lue.complet = false;
                continue;
            }
        };
        // The cells by number, without a vector of them per record.
        let rec = |j: usize| -> &str { &tout[bornes[j].clone()] };
        if bornes.len() != attendu.len() {
            c(
                path,
                Some(ligne),
                None,
                "nombre-de-cellules",
                format!("{} cellules, {} attendues", bornes.len(), attendu.len()),
            );
            lue.complet = false;
            continue;
        }
        let cle = |idx: &[usize]| -> (bool, u128) {
            if let [j] = idx {
                let p = rec(*j);
                return (p.is_empty(), empreinte_cle(&[p]));
            }
            let parts: Vec<&str> = idx.iter().map(|&j| rec(j)).collect();
            (parts.iter().all(|p| p.is_empty()), empreinte_cle(&parts))
        };
        // Whether the row's primary key is new (None without a key).
        let pk_nouvelle = (!pk.is_empty()).then(|| {
            let (vide, h) = cle(&pk);
            cle_vide_vue |= vide;
            cles.insert(h)
        });
        for (j, champ) in schema.champs.iter().enumerate() {
            let cell = rec(j);
            if let Some((code, msg)) = verifier_cellule(champ, cell) {
                c(path, Some(ligne), Some(&champ.name), code, msg);
            }
            if champ.unique
                && !cell.is_empty()
                && match (pk_seule, pk_nouvelle) {
                    (Some(k), Some(nouvelle)) if k == j => !nouvelle,
                    _ => !uniques[j].insert(empreinte_cle(&[cell])),
                }
            {
                c(
                    path,
                    Some(ligne),
                    Some(&champ.name),
                    "valeur-dupliquee",
                    format!("« {cell} » apparaît plusieurs fois"),
                );
            }
        }
        if pk_nouvelle == Some(false) {
            let k: Vec<&str> = pk.iter().map(|&j| rec(j)).collect();
            c(
                path,
                Some(ligne),
                Some(&schema.primary_key.join(",")),
                "cle-primaire-dupliquee",
                format!("la clé « {} » apparaît plusieurs fois", k.join(",")),
            );
        }
        for (noms, idx) in refs.iter().filter(|(noms, _)| ref_pk.as_ref() != Some(noms)) {
            let (vide, h) = cle(idx);
            if !vide {
                lue.references.get_mut(noms).expect("reference").insert(h);
            }
        }
        for (n, idx) in fks.iter().enumerate() {
            let (vide, h) = cle(idx);
            match (vide, deja_lues[n]) {
                (true, _) => {}
                (false, Some(cles)) => {
                    if !cles.contains(&h) {
                        let k: Vec<&str> = idx.iter().map(|&j| rec(j)).collect();
                        lue.orphelines[n].push((ligne, k.join(",")));
                    }
                }
                (false, None) => {
                    let k: Vec<&str> = idx.iter().map(|&j| rec(j)).collect();
                    lue.etrangeres[n].push((ligne, h, k.join(",").into()));
                }
            }
        }
        lue.lignes += 1;
    }
    if let Some(noms) = ref_pk {
        if cle_vide_vue {
            cles.remove(&empreinte_cle(&vec![""; pk.len()]));
        }
        lue.references.insert(noms, cles);
    }
    lue
}

fn valider_parquet(
    dir: &Path,
    path: &str,
    schema: &SchemaLu,
    lignes_csv: Option<usize>,
    c: &mut impl FnMut(&str, Option<usize>, Option<&str>, &'static str, String),
) {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = match std::fs::File::open(dir.join(path)) {
        Ok(f) => f,
        Err(e) => return c(path, None, None, "fichier-absent", e.to_string()),
    };
    let builder = match ParquetRecordBatchReaderBuilder::try_new(file) {
        Ok(b) => b,
        Err(e) => return c(path, None, None, "parquet-illisible", e.to_string()),
    };
    let arrow = builder.schema().clone();
    let noms: Vec<&str> = arrow.fields().iter().map(|f| f.name().as_str()).collect();
    let attendu: Vec<&str> = schema.champs.iter().map(|f| f.name.as_str()).collect();
    if noms != attendu {
        c(
            path,
            None,
            None,
            "colonnes-differentes",
            format!("colonnes « {} », le schéma attend « {} »", noms.join(","), attendu.join(",")),
        );
        return;
    }
    for (f, champ) in arrow.fields().iter().zip(&schema.champs) {
        if let Some(k) = champ.kind {
            if f.data_type() != &arrow_type(k) {
                c(
                    path,
                    None,
                    Some(&champ.name),
                    "type-parquet-different",
                    format!("type {}, le schéma attend {}", f.data_type(), arrow_type(k)),
                );
            }
        }
    }
    let n = builder.metadata().file_metadata().num_rows() as usize;
    if let Some(m) = lignes_csv {
        if m != n {
            c(path, None, None, "lignes-differentes", format!("{n} lignes, le CSV en a {m}"));
        }
    }
}

/// Text cells a spreadsheet would run as a formula (CSV injection, OWASP):
/// those starting with `=`, `+`, `-`, `@`, a tab or a carriage return. They
/// are reported as `cellule-formule` findings and left as written: the data
/// is the page's, and a tool that reads CSV as data is not at risk.
///
/// `rows` are the page's rows (`ex.rows()`), built once for this check and
/// the writer; findings go to `ex.anomalies` only.
pub fn formules(ex: &mut crate::model::Extraction, rows: &[Vec<crate::model::Row>; 8]) {
    use crate::fields::{Kind, TABLES};
    use crate::model::{Anomalie, Severite, Value};
    let mut nouveaux = Vec::new();
    for (table, rows) in TABLES.iter().zip(rows.iter()).filter(|(t, _)| t.name != "anomalies") {
        let tid = table
            .field("temoignage")
            .map(|_| table.index("temoignage"))
            .or_else(|| (table.name == "temoignages").then(|| table.index("identifiant")));
        for row in rows {
            for (f, v) in table.fields.iter().zip(&row.0) {
                let textes: &[String] = match (f.kind, v) {
                    (Kind::Texte, Value::Texte(s)) => std::slice::from_ref(s),
                    (Kind::Liste, Value::Liste(l)) => l,
                    _ => continue,
                };
                for t in textes {
                    if t.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                        let temoignage = tid.and_then(|i| match &row.0[i] {
                            Value::Texte(s) => Some(s.clone()),
                            _ => None,
                        });
                        let c = t.chars().next().unwrap_or(' ');
                        nouveaux.push((
                            temoignage,
                            format!(
                                "La cellule {}.{} commence par « {} » : un tableur pourrait l'exécuter comme une formule. La donnée est laissée telle quelle ; ouvrir le CSV comme du texte.",
                                table.name,
                                f.name,
                                c.escape_default()
                            ),
                            t.chars().take(80).collect::<String>(),
                        ));
                    }
                }
            }
        }
    }
    for (temoignage, message, extrait) in nouveaux {
        let rang = ex.anomalies.len() as i64 + 1;
        ex.anomalies.push(Anomalie {
            document: ex.document.identifiant.clone(),
            rang,
            temoignage,
            code: "cellule-formule",
            severite: Severite::Avertissement,
            message,
            extrait: Some(extrait),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn champ(kind: Kind) -> Champ {
        Champ { name: "x".into(), kind: Some(kind), required: true, unique: false, vocabulary: vec![], pattern: None }
    }

    #[test]
    fn cells() {
        assert!(verifier_cellule(&champ(Kind::Date), "2024-07-03").is_none());
        assert_eq!(verifier_cellule(&champ(Kind::Date), "03/07/2024").unwrap().0, "type-invalide");
        assert_eq!(verifier_cellule(&champ(Kind::Nombre), "2.5e8").unwrap().0, "type-invalide");
        assert!(verifier_cellule(&champ(Kind::Nombre), "250000000").is_none());
        assert_eq!(verifier_cellule(&champ(Kind::Entier), "").unwrap().0, "valeur-requise");
        assert_eq!(verifier_cellule(&champ(Kind::Booleen), "oui").unwrap().0, "type-invalide");
        assert!(!chemin_sur("../x.csv"));
        assert!(!chemin_sur("/etc/passwd"));
        assert!(chemin_sur("csv/x.csv"));
    }
}
