//! Where one thread's time goes, stage by stage, against html5ever's bare
//! parse of the same pages, all measured in one process.
//!
//! Reads every file of a folder (recursively) into memory, then times over
//! all of them, on one thread:
//!
//! - `bare`: `scraper::Html::parse_document` on the body after the front
//!   matter, as `examples/bare_parse.rs` does (the yardstick);
//! - `parse`: decoding and [`temoignages::parse::parse_page`] (front
//!   matter, Markdown rendered to HTML, html5ever's tree, the page walk);
//! - `extract`: the whole extraction of a page as `build` runs it on an
//!   extraction thread, the file read aside (decode, parse, normalise, rows,
//!   record-level checks);
//! - `render`: `extract` plus the page's JSON and CSV text, which `build
//!   --jobs 2` also makes on the extraction threads.
//!
//! Each round runs the four stages one after the other, in an order that
//! turns from one round to the next; the figures are the medians over the
//! rounds. The allocator is the binary's (mimalloc). It prints one line
//! per stage: seconds, MB/s (bodies as `bare_parse` counts them, 1 MB =
//! 10^6 bytes) and the stage's throughput divided by the bare parse's, the
//! ratio `build --jobs 1` would reach if the stage were all it did. `--json` prints one JSON object instead;
//! `--only=STAGE` runs that stage alone (to profile it: `perf record`).
//!
//! ```text
//! cargo build --release --example stages
//! target/release/examples/stages target/bench/corpus-100 [ROUNDS] [--json] [--only=STAGE]
//! ```

mod commun;

use commun::{body, collect};
use std::path::PathBuf;
use std::time::Instant;
use temoignages::{cmd, export, normalise, parse, read};

/// The allocator of the `temoignages` binary (src/main.rs), so that each
/// stage costs here what it costs in a build.
#[global_allocator]
static ALLOCATEUR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const STAGES: [&str; 4] = ["bare", "parse", "extract", "render"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let only = args.iter().find_map(|a| a.strip_prefix("--only="));
    if let Some(o) = only.filter(|o| !STAGES.contains(o)) {
        eprintln!("stages: unknown stage {o:?} (one of {})", STAGES.join(", "));
        std::process::exit(2);
    }
    let mut positional = args.iter().filter(|a| !a.starts_with("--"));
    let Some(dir) = positional.next().map(PathBuf::from) else {
        eprintln!("usage: stages DIR [ROUNDS] [--json] [--only=STAGE]");
        std::process::exit(2);
    };
    let rounds: usize = positional.next().and_then(|r| r.parse().ok()).filter(|&r| r > 0).unwrap_or(3);
    let mut paths = Vec::new();
    if let Err(e) = collect(&dir, &mut paths) {
        eprintln!("stages: {}: {e}", dir.display());
        std::process::exit(2);
    }
    paths.sort();
    let pages: Vec<(read::Entree, read::Lu, String, String)> = paths
        .iter()
        .map(|p| {
            let octets = std::fs::read(p).unwrap_or_else(|e| {
                eprintln!("stages: {}: {e}", p.display());
                std::process::exit(2);
            });
            let texte = String::from_utf8_lossy(&octets).into_owned();
            let relatif = p.strip_prefix(&dir).unwrap_or(p).to_string_lossy().replace('\\', "/");
            let identifiant = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let entree = read::Entree { relatif, chemin: p.clone(), url: None };
            (entree, read::Lu { octets, type_contenu: None }, texte, identifiant)
        })
        .collect();
    let bytes: usize = pages.iter().map(|p| body(&p.2).len()).sum();
    let refs = normalise::Referentiels::embarques();

    let run = |stage: &str| -> f64 {
        let start = Instant::now();
        for (entree, lu, texte, identifiant) in &pages {
            match stage {
                "bare" => {
                    std::hint::black_box(scraper::Html::parse_document(body(texte)));
                }
                "parse" => {
                    let d = read::decoder(entree, lu);
                    std::hint::black_box(parse::parse_page(&d.texte, d.format));
                }
                "extract" => {
                    std::hint::black_box(cmd::build::extraire_page_lignes(entree, lu, identifiant, Vec::new(), &refs));
                }
                _ => {
                    let page = cmd::build::extraire_page_lignes(entree, lu, identifiant, Vec::new(), &refs);
                    std::hint::black_box(export::dossier::Rendu::de(&page.1));
                    std::hint::black_box(page);
                }
            }
        }
        start.elapsed().as_secs_f64()
    };

    if let Some(o) = only {
        let mut t: Vec<f64> = (0..rounds).map(|_| run(o)).collect();
        t.sort_by(f64::total_cmp);
        println!("{o}: {:.3} s, {:.1} MB/s (median of {rounds})", t[t.len() / 2], bytes as f64 / 1e6 / t[t.len() / 2]);
        return;
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); STAGES.len()];
    for r in 0..rounds {
        for k in 0..STAGES.len() {
            let s = (k + r) % STAGES.len();
            times[s].push(run(STAGES[s]));
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let medians: Vec<f64> = times.iter_mut().map(median).collect();
    let bare = medians[0];
    if json {
        let fields: Vec<String> = STAGES
            .iter()
            .zip(&medians)
            .map(|(s, t)| format!("\"{s}\":{{\"seconds\":{t:.6},\"mb_per_s\":{:.3}}}", bytes as f64 / 1e6 / t))
            .collect();
        println!("{{\"files\":{},\"bytes\":{},\"rounds\":{},{}}}", pages.len(), bytes, rounds, fields.join(","));
        return;
    }
    println!("{} files, {:.1} MB of bodies, median of {rounds} rounds, one thread", pages.len(), bytes as f64 / 1e6);
    println!("{:<8} {:>9} {:>9} {:>14}", "stage", "seconds", "MB/s", "÷ bare parse");
    for (s, t) in STAGES.iter().zip(&medians) {
        println!("{:<8} {:>9.3} {:>9.1} {:>14.3}", s, t, bytes as f64 / 1e6 / t, bare / t);
    }
}
