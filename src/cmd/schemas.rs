//! `temoignages schemas [DIR]`: writes the Table Schema of every table, as
//! `build` does into `DIR/schemas/`, and the data dictionary
//! `dictionnaire.md` (the committed `schemas/` is this output).

use super::Sortie;
use crate::export::schema::{dictionnaire, table_schema};
use crate::fields::TABLES;
use anyhow::{Context, Result};
use std::path::Path;

pub fn run(dir: &Path) -> Result<Sortie> {
    std::fs::create_dir_all(dir).with_context(|| format!("création de {}", dir.display()))?;
    for t in TABLES {
        let mut s = serde_json::to_vec_pretty(&table_schema(t))?;
        s.push(b'\n');
        let p = dir.join(format!("{}.json", t.name));
        std::fs::write(&p, s).with_context(|| format!("écriture de {}", p.display()))?;
        crate::dire!("{}", p.display());
    }
    let p = dir.join("dictionnaire.md");
    std::fs::write(&p, dictionnaire()).with_context(|| format!("écriture de {}", p.display()))?;
    crate::dire!("{}", p.display());
    Ok(Sortie::Succes)
}
