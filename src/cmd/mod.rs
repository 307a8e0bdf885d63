//! One file per command: glue between the CLI and the pipeline stages.

pub mod build;
pub mod publish;
pub mod schemas;
pub mod validate;

/// Exit codes (SPEC.md): 0 success; 1 the run finished but some input or
/// check failed (reported); 2 usage error or nothing could be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sortie {
    Succes = 0,
    Echec = 1,
    Impossible = 2,
}

/// Writes a line to stdout; a closed pipe (`temoignages … | head`) is not an error.
#[macro_export]
macro_rules! dire {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}
