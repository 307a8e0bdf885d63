//! The whole page pipeline: bytes → decoding → front matter → Markdown/HTML
//! extraction → normalisation, as `build` runs it on one file.
//!
//! The first byte picks how the page is presented: `m` a `.md` file, `h` an
//! `.html` file, `t` a `.txt` file (format sniffed), `w` an HTML page fetched
//! with a `Content-Type` header; any other byte picks one of these by value.
//! The rest is the page's bytes.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use temoignages::cmd::build::extraire_page;
use temoignages::normalise::Referentiels;
use temoignages::parse::{parse_page, Format};
use temoignages::read::{Entree, Lu};

static REFS: LazyLock<Referentiels> = LazyLock::new(Referentiels::embarques);

fuzz_target!(|data: &[u8]| {
    let Some((&mode, octets)) = data.split_first() else { return };
    let mode = match mode {
        b'm' | b'h' | b't' | b'w' => mode,
        n => [b'm', b'h', b't', b'w'][usize::from(n) % 4],
    };
    let (nom, type_contenu) = match mode {
        b'm' => ("page.md", None),
        b'h' => ("page.html", None),
        b't' => ("page.txt", None),
        _ => ("page", Some("text/html; charset=windows-1252".to_string())),
    };
    let entree = Entree { relatif: nom.to_string(), chemin: PathBuf::from(nom), url: None };
    let lu = Lu { octets: octets.to_vec(), type_contenu };
    let _ = extraire_page(&entree, &lu, "page", Vec::new(), &REFS);

    // The parser alone on valid UTF-8, in the other format too.
    if let Ok(texte) = std::str::from_utf8(octets) {
        let format = if mode == b'm' { Format::Html } else { Format::Markdown };
        let _ = parse_page(texte, format);
    }
});
