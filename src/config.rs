//! All defaults in one place: the CLI gives arguments, `Config` resolves
//! them (input `input/`, output `output/`, reference tables
//! `input/referentiels/` when present, else the copies built into the tool).

use std::path::PathBuf;

pub const ENTREE_PAR_DEFAUT: &str = "input";
pub const SORTIE_PAR_DEFAUT: &str = "output";
pub const REFERENTIELS_PAR_DEFAUT: &str = "input/referentiels";

#[derive(Debug, Clone)]
pub struct BuildConfig {
    pub entrees: Vec<PathBuf>,
    pub sortie: PathBuf,
    /// `None`: use the tables built into the tool.
    pub referentiels: Option<PathBuf>,
    pub quiet: bool,
    /// Threads extracting pages; the output does not depend on it.
    pub jobs: usize,
}

impl BuildConfig {
    pub fn resoudre(
        entrees: Vec<PathBuf>,
        sortie: Option<PathBuf>,
        referentiels: Option<PathBuf>,
        quiet: bool,
        jobs_demandes: Option<usize>,
    ) -> Self {
        let entrees = if entrees.is_empty() { vec![PathBuf::from(ENTREE_PAR_DEFAUT)] } else { entrees };
        let referentiels = referentiels.or_else(|| {
            let p = PathBuf::from(REFERENTIELS_PAR_DEFAUT);
            p.is_dir().then_some(p)
        });
        // Threads past a few per core only cost memory (each keeps pages in
        // flight): a request beyond four per core is brought down to that.
        let coeurs = std::thread::available_parallelism().map_or(1, |n| n.get());
        let jobs = jobs_demandes.filter(|&n| n > 0).map_or(coeurs, |n| n.min(4 * coeurs));
        BuildConfig {
            entrees,
            sortie: sortie.unwrap_or_else(|| PathBuf::from(SORTIE_PAR_DEFAUT)),
            referentiels,
            quiet,
            jobs,
        }
    }
}
