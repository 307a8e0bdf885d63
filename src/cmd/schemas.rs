//! `temoignages schemas [DIR]`: writes the Table Schema of every table, as
//! `build` does into `DIR/schemas/`, and the data dictionary
//! `dictionnaire.md` (the committed `schemas/` is this output).

use super::Sortie;
use crate::export::schema::{dictionnaire, table_schema};
use crate::fields::TABLES;
use anyhow::Result;
use std::path::Path;

pub fn run(dir: &Path) -> Result<Sortie> {
    if dir.exists() && !dir.is_dir() {
        eprintln!("erreur : {} existe et n'est pas un dossier ; rien n'est écrit", dir.display());
        return Ok(Sortie::Impossible);
    }
    // Inside a dataset folder (its csv/, say), the files would be foreign
    // to it: the next build would refuse to replace it.
    if let Some(jeu) = dir.ancestors().skip(1).find(|a| a.join("datapackage.json").is_file()) {
        eprintln!(
            "erreur : {} est dans le jeu de données {} ; rien n'est écrit (build y écrit déjà schemas/ ; choisissez un dossier hors du jeu)",
            dir.display(),
            jeu.display()
        );
        return Ok(Sortie::Impossible);
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("création de {} : {}", dir.display(), crate::read::erreur_io(&e)))?;
    for t in TABLES {
        let mut s = serde_json::to_vec_pretty(&table_schema(t))?;
        s.push(b'\n');
        let p = dir.join(format!("{}.json", t.name));
        std::fs::write(&p, s)
            .map_err(|e| anyhow::anyhow!("écriture de {} : {}", p.display(), crate::read::erreur_io(&e)))?;
        crate::dire!("{}", p.display());
    }
    let p = dir.join("dictionnaire.md");
    std::fs::write(&p, dictionnaire())
        .map_err(|e| anyhow::anyhow!("écriture de {} : {}", p.display(), crate::read::erreur_io(&e)))?;
    crate::dire!("{}", p.display());
    Ok(Sortie::Succes)
}
