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

/// Memory freed by a page is what the next page needs: keep it. A build's
/// working set is about a hundred megabytes whatever the corpus, and memory
/// the process hands back then touches again costs a fault and a zeroing
/// each time (a 2 MiB huge page for a few bytes of a zstd context, the
/// Parquet writer allocates one per page). Measured on the 100 MB corpus:
/// about 8 % less time, peak memory about the same.
fn regler_la_memoire() {
    // mimalloc v2's `mi_option_purge_delay` (mimalloc.h): -1, never purge.
    const PURGE_DELAY: std::ffi::c_int = 15;
    extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // SAFETY: sets one of mimalloc's options, read each time it would purge.
    unsafe { mi_option_set(PURGE_DELAY, -1) };
    #[cfg(target_os = "linux")]
    // SAFETY: a process-wide flag with no pointer argument; what mimalloc's
    // own `allow_thp=0` does, too late here since it reads it at start.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    regler_la_memoire();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help, --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{}", temoignages::cli::erreur_d_usage(&e));
            return ExitCode::from(Sortie::Impossible as u8);
        }
    };
    let result = match cli.command {
        Command::Build { inputs, out, referentiels, quiet, jobs } => {
            cmd::build::run(&BuildConfig::resoudre(inputs, Some(out), referentiels, quiet, jobs.map(usize::from)))
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
