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
        /// Files or folders to read (folders: .md, .markdown, .html, .htm, recursively).
        #[arg(default_value = crate::config::ENTREE_PAR_DEFAUT)]
        inputs: Vec<PathBuf>,
        /// Dataset folder to write.
        #[arg(long, short, value_name = "DIR", default_value = crate::config::SORTIE_PAR_DEFAUT)]
        out: PathBuf,
        /// Folder holding organisations.csv and mentions.csv [default: input/referentiels if present, else the built-in copies].
        #[arg(long, value_name = "DIR")]
        referentiels: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check a dataset folder against its datapackage.json and Table Schemas.
    Validate {
        /// Dataset folder.
        #[arg(default_value = crate::config::SORTIE_PAR_DEFAUT)]
        dir: PathBuf,
    },
    /// Write the Table Schemas of every table into DIR.
    Schemas {
        /// Folder to write <table>.json into.
        #[arg(default_value = "schemas")]
        dir: PathBuf,
    },
}
