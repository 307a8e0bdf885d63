//! Normalise: a parsed page (`parse::PageBrute`) → the dataset's records
//! (`model::Extraction`): stable identifiers, question/answer pairs with their
//! theme, attributions resolved to organisations, and the facts the text
//! states (qualifications, providers and technologies, quantities), plus the
//! data-quality findings met on the way. Pure: no I/O; the reference tables
//! come in through `Referentiels`.

pub mod mentions;
pub mod organisations;
pub mod qualifications;
pub mod quantites;
pub mod texte;

mod document;
mod temoignage;

pub use document::{normaliser, Source};

/// The reference tables normalisation relies on (`input/referentiels/`).
pub struct Referentiels {
    pub organisations: organisations::Registre,
    pub mentions: mentions::Referentiel,
}

/// The reference tables shipped with the tool, used when no folder is given.
pub const ORGANISATIONS_CSV: &str = include_str!("../../input/referentiels/organisations.csv");
pub const MENTIONS_CSV: &str = include_str!("../../input/referentiels/mentions.csv");

impl Referentiels {
    /// Parses the two CSV tables; the error names the table and the line.
    pub fn depuis_csv(organisations: &str, mentions: &str) -> Result<Self, String> {
        Ok(Referentiels {
            organisations: organisations::Registre::depuis_csv(organisations)
                .map_err(|e| format!("organisations.csv : {e}"))?,
            mentions: mentions::Referentiel::depuis_csv(mentions).map_err(|e| format!("mentions.csv : {e}"))?,
        })
    }

    /// The tables compiled into the binary.
    pub fn embarques() -> Self {
        Self::depuis_csv(ORGANISATIONS_CSV, MENTIONS_CSV).expect("the shipped reference tables are valid (tested)")
    }
}

/// A CSV reader's error in French, with its line: "ligne 94 : 3 champs au
/// lieu de 5".
pub(crate) fn erreur_csv(e: &csv::Error) -> String {
    let ligne = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} champ(s) au lieu de {expected_len} (une virgule ou un guillemet de trop ou de moins ?)")
        }
        csv::ErrorKind::Utf8 { .. } => "texte qui n'est pas de l'UTF-8".to_string(),
        _ => e.to_string(),
    };
    match ligne {
        Some(l) => format!("ligne {l} : {message}"),
        None => message,
    }
}
