//! The publish report (`publish-report.json` next to the dataset folder,
//! never inside it: its files are hashed): what was done to the dataset and
//! to each file, with the resource ids and URLs a CI job needs afterwards.
//! It holds no clock and no key.

use anyhow::{Context, Result};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct Rapport {
    pub api_url: String,
    /// `plan` or `application`.
    pub mode: String,
    pub dataset: EtatDataset,
    pub ressources: Vec<EtatRessource>,
    /// Remote resources matching no local file, left alone.
    pub ignorees: Vec<Ignoree>,
    pub bilan: Bilan,
}

#[derive(Debug, Clone, Serialize)]
pub struct EtatDataset {
    pub id: Option<String>,
    pub slug: Option<String>,
    pub page: Option<String>,
    /// `creer`, `mettre_a_jour`, `laisser`.
    pub action: String,
    pub champs: Vec<String>,
    /// `prevu`, `fait`, `echec`, `non_traite`.
    pub statut: String,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EtatRessource {
    pub chemin: String,
    pub sha1: String,
    pub octets: u64,
    pub titre: String,
    pub type_ressource: String,
    /// `creer`, `remplacer`, `mettre_a_jour`, `laisser`.
    pub action: String,
    pub champs: Vec<String>,
    pub statut: String,
    pub id: Option<String>,
    pub url: Option<String>,
    pub latest: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ignoree {
    pub id: String,
    pub titre: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Bilan {
    pub creees: usize,
    pub remplacees: usize,
    pub mises_a_jour: usize,
    pub laissees: usize,
    pub echecs: usize,
    pub code_sortie: u8,
}

impl Rapport {
    /// Written to a temporary sibling, then renamed: a crash never leaves half a report.
    pub fn ecrire(&self, chemin: &Path) -> Result<()> {
        let mut texte = serde_json::to_string_pretty(self)?;
        texte.push('\n');
        let nom = chemin.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "rapport".into());
        let tmp = chemin.with_file_name(format!(".{nom}.tmp-{}", std::process::id()));
        if let Some(p) = chemin.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(p).with_context(|| format!("création de {}", p.display()))?;
        }
        std::fs::write(&tmp, texte).with_context(|| format!("écriture de {}", tmp.display()))?;
        std::fs::rename(&tmp, chemin).with_context(|| format!("écriture de {}", chemin.display()))?;
        Ok(())
    }
}
