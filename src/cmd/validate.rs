//! `temoignages validate [DIR]`: lists every problem of a dataset folder,
//! one per line on stdout (paths relative to the folder), and exits 1 when
//! there is any.

use super::Sortie;
use crate::validate::valider_dossier;
use anyhow::Result;
use std::path::Path;

pub fn run(dir: &Path) -> Result<Sortie> {
    if !dir.is_dir() {
        let quoi = if dir.exists() { "n'est pas un dossier" } else { "n'existe pas" };
        eprintln!("erreur : {} {quoi}", dir.display());
        return Ok(Sortie::Impossible);
    }
    if !dir.join("datapackage.json").is_file() {
        eprintln!("erreur : {} ne contient pas de datapackage.json", dir.display());
        return Ok(Sortie::Impossible);
    }
    let constats = valider_dossier(dir);
    for c in &constats {
        crate::dire!("{}", c);
    }
    if constats.is_empty() {
        crate::dire!("{} : valide", dir.display());
        Ok(Sortie::Succes)
    } else {
        // The report is the command's output: problems and their count on
        // stdout alike (errors that stop the check go to stderr).
        crate::dire!("{} : {} problème(s)", dir.display(), constats.len());
        Ok(Sortie::Echec)
    }
}
