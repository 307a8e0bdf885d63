//! Thin binary: parse the command line, run the command, map the outcome to
//! an exit code (0 success, 1 some input or check failed, 2 usage or nothing
//! could be done).

use clap::Parser;
use std::process::ExitCode;
use temoignages::cli::{Cli, Command};
use temoignages::cmd::{self, Sortie};
use temoignages::config::BuildConfig;

// Pages are parsed into many small strings and trees: the system allocator
// costs more than a sixth of a build, mimalloc a fraction of that. Its v2
// series (feature `v2`) keeps a 100 MB build about 35 MB smaller than v3,
// which spends more on fresh pages.
#[global_allocator]
static ALLOCATEUR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { Sortie::Impossible as u8 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Build { inputs, out, referentiels, quiet, jobs } => {
            cmd::build::run(&BuildConfig::resoudre(inputs, Some(out), referentiels, quiet, jobs))
        }
        Command::Validate { dir } => cmd::validate::run(&dir),
        Command::Schemas { dir } => cmd::schemas::run(&dir),
        Command::Publish(p) => cmd::publish::run(p.into()),
    };
    match result {
        Ok(s) => ExitCode::from(s as u8),
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::from(Sortie::Impossible as u8)
        }
    }
}
