//! The command line (clap derive). The doc comments are the help text.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Turns French public-sector pages of project testimonials into a validated
/// open dataset: CSV, Parquet and JSON, with Table Schemas and a
/// datapackage.json, ready for data.gouv.fr.
#[derive(Debug, Parser)]
#[command(name = "temoignages", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read pages (Jekyll posts or rendered HTML) and write the dataset.
    ///
    /// The dataset is written to a temporary folder next to DIR, checked,
    /// then swapped in: a failed or interrupted build leaves DIR as it was.
    Build {
        /// Files, folders or http(s):// URLs to read (folders: .md, .markdown, .html, .htm, recursively).
        #[arg(default_value = crate::config::ENTREE_PAR_DEFAUT)]
        inputs: Vec<PathBuf>,
        /// Dataset folder to write: absent, empty, or a dataset written by build (anything else is refused).
        #[arg(long, short, value_name = "DIR", default_value = crate::config::SORTIE_PAR_DEFAUT)]
        out: PathBuf,
        /// Folder holding organisations.csv and mentions.csv [default: input/referentiels if present, else the built-in copies].
        #[arg(long, value_name = "DIR")]
        referentiels: Option<PathBuf>,
        /// Print nothing but errors (no progress bar, no summary).
        #[arg(long, short)]
        quiet: bool,
        /// Threads extracting pages, 1 to 256 [default: all cores]; more than four per core is brought down to that. The output is the same whatever N.
        #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
        jobs: Option<u16>,
    },
    /// Check a dataset folder against its datapackage.json and Table Schemas.
    Validate {
        /// Dataset folder.
        #[arg(default_value = crate::config::SORTIE_PAR_DEFAUT)]
        dir: PathBuf,
    },
    /// Write the Table Schemas of every table and the data dictionary into DIR.
    Schemas {
        /// Folder to write <table>.json into.
        #[arg(default_value = "schemas")]
        dir: PathBuf,
    },
    /// Publish a dataset folder on data.gouv.fr (plan first; --apply to write).
    ///
    /// Without --apply, prints what would be created, replaced, updated or
    /// left, and sends no write. The API key is read from DATAGOUV_API_KEY
    /// only. Defaults come from input/dataset.toml.
    Publish(PublishArgs),
}

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// Dataset folder to publish [default: output].
    pub dir: Option<PathBuf>,
    /// udata API base [default: api_url of the metadata file, else https://www.data.gouv.fr/api/1].
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// Id of the dataset to publish to: 24 hex characters, never the slug [default: dataset of the metadata file].
    #[arg(long, value_name = "ID", conflicts_with = "create")]
    pub dataset: Option<String>,
    /// Create a new dataset (kept private until its files are uploaded).
    #[arg(long)]
    pub create: bool,
    /// Send the changes (default: print the plan only).
    #[arg(long)]
    pub apply: bool,
    /// With the plan: exit with 1 when anything would change (for CI).
    #[arg(long, conflicts_with = "apply")]
    pub check: bool,
    /// Dataset metadata file [default: input/dataset.toml].
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,
    /// Where to write the JSON report [default: publish-report.json next to DIR; plan: only when given].
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Timeout of each request, in seconds [default: 60].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Retries on 429, 5xx and network errors [default: 4].
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,
    /// First retry delay in milliseconds, doubled each retry [default: 1000].
    #[arg(long, value_name = "MS")]
    pub backoff_ms: Option<u64>,
}

/// A usage error in French, as every other message of the tool, with what
/// clap found (the argument, the value, a close name) and where to look:
/// "erreur : valeur invalide « 0 » pour --jobs <N> (de 1 à 256) ; voir
/// `temoignages build --help`". Kinds not translated keep clap's text.
pub fn erreur_d_usage(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let texte = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    };
    let arg = texte(ContextKind::InvalidArg).or_else(|| texte(ContextKind::InvalidSubcommand)).unwrap_or_default();
    let valeur = texte(ContextKind::InvalidValue).unwrap_or_default();
    let proche = texte(ContextKind::SuggestedArg)
        .or_else(|| texte(ContextKind::SuggestedSubcommand))
        .map(|s| format!(" (vouliez-vous dire « {s} » ?)"))
        .unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::InvalidValue if valeur.is_empty() => format!("{arg} attend une valeur"),
        ErrorKind::InvalidValue => {
            let admises =
                texte(ContextKind::ValidValue).map(|v| format!(" (valeurs admises : {v})")).unwrap_or_default();
            format!("valeur invalide « {valeur} » pour {arg}{admises}")
        }
        ErrorKind::ValueValidation => {
            // clap's own reason is English: what the values must be is said instead.
            let attendu = if arg.starts_with("--jobs") {
                " (un nombre de 1 à 256)".to_string()
            } else if arg.starts_with("--timeout") {
                " (un nombre de secondes)".to_string()
            } else if arg.starts_with("--retries") || arg.starts_with("--backoff") {
                " (un nombre entier positif)".to_string()
            } else {
                String::new()
            };
            format!("valeur invalide « {valeur} » pour {arg}{attendu}")
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') && arg[1..].starts_with(|c: char| c.is_ascii_digit()) => {
            format!("valeur inattendue « {arg} » (un nombre négatif n'est pas accepté ici)")
        }
        ErrorKind::UnknownArgument if !arg.starts_with('-') => format!("argument en trop « {arg} »"),
        ErrorKind::UnknownArgument => format!("option inconnue « {arg} »{proche}"),
        ErrorKind::InvalidSubcommand => {
            format!("commande inconnue « {arg} »{proche} ; commandes : build, validate, schemas, publish")
        }
        // No command at all: the help, as clap shows it.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return e.render().to_string().trim_end().to_string(),
        ErrorKind::MissingSubcommand => "commande attendue : build, validate, schemas ou publish".to_string(),
        ErrorKind::MissingRequiredArgument => format!("argument obligatoire manquant : {arg}"),
        ErrorKind::ArgumentConflict => {
            let autre = texte(ContextKind::PriorArg).unwrap_or_default();
            if autre == arg {
                format!("{arg} donné plusieurs fois")
            } else {
                format!("{arg} ne peut pas être utilisé avec {autre}")
            }
        }
        ErrorKind::TooManyValues => format!("{arg} donné plusieurs fois ou avec trop de valeurs"),
        _ => return e.to_string().trim_end().to_string(),
    };
    let commande =
        std::env::args().nth(1).filter(|c| matches!(c.as_str(), "build" | "validate" | "schemas" | "publish"));
    let aide = match commande {
        Some(c) => format!("temoignages {c} --help"),
        None => "temoignages --help".to_string(),
    };
    format!("erreur : {message} ; voir `{aide}`")
}
