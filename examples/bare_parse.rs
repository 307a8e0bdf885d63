//! html5ever's bare parse throughput, the yardstick of `scripts/bench`.
//!
//! Reads every file of a folder (recursively) into memory first, strips the
//! Jekyll front matter, then times `scraper::Html::parse_document` alone over
//! all the bodies, on one thread, and prints one JSON line:
//! `{"files":N,"bytes":B,"file_bytes":F,"seconds":S,"mb_per_s":M}` where `bytes`
//! counts the parsed bodies and `file_bytes` the files as read (1 MB = 10^6 bytes).
//!
//! ```text
//! cargo build --release --example bare_parse
//! target/release/examples/bare_parse target/bench/corpus-100
//! ```

mod commun;

use commun::{body, collect};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let dir = std::env::args_os().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        eprintln!("usage: bare_parse DIR");
        std::process::exit(2);
    });
    let mut paths = Vec::new();
    if let Err(e) = collect(&dir, &mut paths) {
        eprintln!("bare_parse: {}: {e}", dir.display());
        std::process::exit(2);
    }
    paths.sort();
    let mut file_bytes = 0usize;
    let texts: Vec<String> = paths
        .iter()
        .map(|p| {
            let raw = std::fs::read(p).expect("read");
            file_bytes += raw.len();
            String::from_utf8_lossy(&raw).into_owned()
        })
        .collect();
    let bodies: Vec<&str> = texts.iter().map(|t| body(t)).collect();
    let bytes: usize = bodies.iter().map(|b| b.len()).sum();

    let start = Instant::now();
    for b in &bodies {
        let doc = scraper::Html::parse_document(b);
        std::hint::black_box(&doc);
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"files\":{},\"bytes\":{},\"file_bytes\":{},\"seconds\":{:.6},\"mb_per_s\":{:.3}}}",
        paths.len(),
        bytes,
        file_bytes,
        seconds,
        bytes as f64 / 1e6 / seconds
    );
}
