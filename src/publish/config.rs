//! Every setting of `publish` resolved in one place: the command line wins,
//! then `input/dataset.toml` (the dataset metadata), then the copy of that
//! file built into the tool. The API key comes from `DATAGOUV_API_KEY` only
//! and is held in a type that never prints it.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const METADONNEES_PAR_DEFAUT: &str = "input/dataset.toml";
pub const API_PAR_DEFAUT: &str = "https://www.data.gouv.fr/api/1";
pub const VARIABLE_CLE: &str = "DATAGOUV_API_KEY";
pub const RAPPORT: &str = "publish-report.json";
const METADONNEES_EMBARQUEES: &str = include_str!("../../input/dataset.toml");

/// The dataset metadata as `input/dataset.toml` writes it (udata field names).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadonnees {
    pub api_url: Option<String>,
    pub dataset: Option<String>,
    #[serde(default)]
    pub organization: String,
    pub title: String,
    pub description: String,
    pub license: String,
    pub frequency: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub private: bool,
    pub temporal_coverage: Option<Couverture>,
    pub spatial: Option<Spatial>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Couverture {
    pub start: String,
    pub end: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spatial {
    pub zones: Vec<String>,
    pub granularity: String,
}

impl Metadonnees {
    pub fn lire(texte: &str) -> Result<Metadonnees> {
        let mut m: Metadonnees = toml::from_str(texte)?;
        m.title = m.title.trim().to_string();
        m.description = m.description.trim().to_string();
        m.organization = m.organization.trim().to_string();
        m.dataset = m.dataset.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
        m.verifier()?;
        // data.gouv.fr stores every tag slugified: sent as such, they
        // compare equal to what it gives back, run after run.
        m.tags = m.tags.iter().map(|t| slug_de_tag(t)).collect();
        Ok(m)
    }

    /// The rules data.gouv.fr applies (DatasetForm) and its quality score
    /// asks for, checked before any request so a typo costs no round trip.
    fn verifier(&self) -> Result<()> {
        if self.title.is_empty() || self.title.chars().count() > 350 {
            bail!("title : obligatoire, 350 caractères au plus");
        }
        if self.description.chars().count() <= 100 {
            bail!("description : plus de 100 caractères attendus (score de qualité de data.gouv.fr)");
        }
        if self.license.trim().is_empty() || self.frequency.trim().is_empty() {
            bail!("license et frequency sont obligatoires (ex. « lov2 », « irregular »)");
        }
        for t in &self.tags {
            let n = slug_de_tag(t).chars().count();
            if !(3..=96).contains(&n) {
                bail!("tags : « {t} » doit compter de 3 à 96 caractères (une fois écrit en minuscules, sans accents, les espaces en tirets)");
            }
        }
        let date = |d: &str| {
            d.len() == 10
                && d.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
        };
        if let Some(c) = &self.temporal_coverage {
            if !date(&c.start) || c.end.as_deref().is_some_and(|e| !date(e)) {
                bail!("temporal_coverage : dates AAAA-MM-JJ attendues");
            }
        }
        Ok(())
    }
}

/// A tag as data.gouv.fr stores it: lowercase, accents removed, every run
/// of other characters than letters, digits and `-` `_` one `-`, none at
/// either end (« Cloud Public » → `cloud-public`, « Données » → `donnees`).
pub fn slug_de_tag(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in crate::normalise::texte::sans_accents(t).chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The API key. Its `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct Cle(String);

impl Cle {
    pub fn valeur(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Cle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cle(***)")
    }
}

/// Which dataset to publish to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cible {
    Existant(String),
    Creer,
}

/// What the command line gives (see `cli.rs`).
#[derive(Debug, Clone, Default)]
pub struct Arguments {
    pub dir: Option<PathBuf>,
    pub api_url: Option<String>,
    pub dataset: Option<String>,
    pub create: bool,
    pub apply: bool,
    pub check: bool,
    pub metadata: Option<PathBuf>,
    pub report: Option<PathBuf>,
    pub timeout: Option<f64>,
    pub retries: Option<u32>,
    pub backoff_ms: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct PublishConfig {
    pub dossier: PathBuf,
    pub api_url: String,
    pub cible: Cible,
    pub appliquer: bool,
    pub verifier: bool,
    pub cle: Option<Cle>,
    pub metadonnees: Metadonnees,
    pub rapport: PathBuf,
    /// Where the metadata came from, for messages: the file, or the copy
    /// built into the tool.
    pub source_metadonnees: String,
    pub delai: Duration,
    pub tentatives: u32,
    pub attente: Duration,
}

impl PublishConfig {
    /// `cle` is the value of `DATAGOUV_API_KEY` (read by the caller, so
    /// tests and the library never touch the environment).
    pub fn resoudre(a: Arguments, cle: Option<String>) -> Result<PublishConfig> {
        let (metadonnees, source) = match &a.metadata {
            Some(p) => (lire_fichier(p)?, p.display().to_string()),
            None if Path::new(METADONNEES_PAR_DEFAUT).is_file() => {
                (lire_fichier(Path::new(METADONNEES_PAR_DEFAUT))?, METADONNEES_PAR_DEFAUT.to_string())
            }
            None => (
                Metadonnees::lire(METADONNEES_EMBARQUEES).context("métadonnées intégrées")?,
                "les métadonnées intégrées".to_string(),
            ),
        };
        let dossier = a.dir.unwrap_or_else(|| PathBuf::from(crate::config::SORTIE_PAR_DEFAUT));
        let origine_api = if a.api_url.is_some() { "--api-url".to_string() } else { format!("{source} (api_url)") };
        let api_url = a
            .api_url
            .or_else(|| metadonnees.api_url.clone())
            .unwrap_or_else(|| API_PAR_DEFAUT.to_string())
            .trim_end_matches('/')
            .to_string();
        if !(api_url.starts_with("https://") || api_url.starts_with("http://")) {
            bail!("{origine_api} : adresse http(s) attendue, reçu « {api_url} »");
        }
        let cible = match (a.create, a.dataset.or_else(|| metadonnees.dataset.clone())) {
            (true, _) => Cible::Creer,
            (false, Some(id)) if !id.trim().is_empty() => {
                let id = id.trim();
                // data.gouv.fr's dataset ids are ObjectIds; a slug would
                // be answered too, but changes with the title.
                if id.len() != 24 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                    bail!("« {id} » n'est pas un identifiant de jeu de données data.gouv.fr (24 caractères hexadécimaux, celui de l'URL de l'API ; jamais le slug, qui change avec le titre)");
                }
                Cible::Existant(id.to_string())
            }
            _ => {
                let fichier = if Path::new(METADONNEES_PAR_DEFAUT).is_file() {
                    format!("ajoutez `dataset = \"ID\"` à {METADONNEES_PAR_DEFAUT}")
                } else {
                    format!("écrivez `dataset = \"ID\"` dans {METADONNEES_PAR_DEFAUT} (absent ici)")
                };
                bail!("aucun jeu de données désigné : passez --dataset ID, {fichier}, ou créez-le avec --create")
            }
        };
        let rapport = a.report.unwrap_or_else(|| {
            let parent = dossier.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            parent.join(RAPPORT)
        });
        // The report is not a file of the dataset: written inside DIR, it
        // would make the next build refuse the folder as foreign.
        let dans_le_dossier = match (
            std::fs::canonicalize(&dossier),
            rapport
                .parent()
                .map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p })
                .map(std::fs::canonicalize),
        ) {
            (Ok(d), Some(Ok(p))) => p.starts_with(&d),
            _ => false,
        };
        if dans_le_dossier {
            bail!(
                "--report {} : le rapport ne peut pas être écrit dans le dossier publié {} (il n'est pas un fichier du jeu, et le prochain build refuserait ce dossier) ; choisissez un chemin hors de ce dossier",
                rapport.display(),
                dossier.display()
            );
        }
        let delai = Duration::from_secs_f64(a.timeout.filter(|t| *t > 0.0).unwrap_or(60.0));
        Ok(PublishConfig {
            dossier,
            api_url,
            cible,
            appliquer: a.apply,
            verifier: a.check,
            cle: cle.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).map(Cle),
            metadonnees,
            rapport,
            source_metadonnees: source,
            delai,
            tentatives: a.retries.unwrap_or(4),
            attente: Duration::from_millis(a.backoff_ms.unwrap_or(1000)),
        })
    }
}

fn lire_fichier(p: &Path) -> Result<Metadonnees> {
    let texte =
        std::fs::read_to_string(p).map_err(|e| anyhow::anyhow!("{} : {}", p.display(), crate::read::erreur_io(&e)))?;
    Metadonnees::lire(&texte).with_context(|| format!("{} invalide", p.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_metadata_is_valid() {
        let m = Metadonnees::lire(METADONNEES_EMBARQUEES).unwrap();
        assert_eq!(m.license, "lov2");
        assert!(m.dataset.is_none());
        assert!(!m.description.ends_with('\n'));
    }

    #[test]
    fn key_never_shows_in_debug() {
        let c = PublishConfig::resoudre(
            Arguments { dataset: Some("65a1b2c3d4e5f60718293a4b".into()), ..Default::default() },
            Some("secret-123".into()),
        )
        .unwrap();
        assert!(!format!("{c:?}").contains("secret-123"));
    }

    #[test]
    fn a_slug_is_not_a_dataset_id() {
        for id in ["cloud-temoignages", "65a1b2c3d4e5f60718293a4", "65a1b2c3d4e5f60718293a4g"] {
            let e = PublishConfig::resoudre(Arguments { dataset: Some(id.into()), ..Default::default() }, None)
                .unwrap_err()
                .to_string();
            assert!(e.contains(id) && e.contains("24 caractères hexadécimaux"), "{e}");
        }
        let ok = PublishConfig::resoudre(
            Arguments { dataset: Some(" 65A1b2c3d4e5f60718293a4b ".into()), ..Default::default() },
            None,
        );
        assert_eq!(ok.unwrap().cible, Cible::Existant("65A1b2c3d4e5f60718293a4b".into()));
    }
}
