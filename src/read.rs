//! Read: finds the input pages (files and folders, walked recursively,
//! sorted, hidden entries and symlink loops skipped) and decodes their bytes
//! to text (UTF-8, a BOM accepted). The only stage that touches the input
//! file system; it knows nothing of what the pages say.

use crate::normalise::texte::plier_identifiant;
use crate::parse::Format;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

/// Extensions read when walking a folder. A file named explicitly is read
/// whatever its extension.
const EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm"];

/// One page to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entree {
    /// Path relative to the folder given on the command line (with `/`), or
    /// the file name of a file given explicitly: stable whatever the
    /// current directory.
    pub relatif: String,
    pub chemin: PathBuf,
}

impl Entree {
    /// The document identifier: the file name without its extension, folded.
    pub fn identifiant(&self) -> String {
        let nom = self.relatif.rsplit('/').next().unwrap_or(&self.relatif);
        let stem = match nom.rfind('.') {
            Some(i) if i > 0 => &nom[..i],
            _ => nom,
        };
        let id = plier_identifiant(stem);
        if id.is_empty() {
            "document".into()
        } else {
            id
        }
    }

    /// Markdown for `.md`/`.markdown`, HTML for `.html`/`.htm`; otherwise
    /// sniffed from the first bytes.
    pub fn format(&self, texte: &str) -> Format {
        let ext = self.relatif.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "html" | "htm" => Format::Html,
            "md" | "markdown" => Format::Markdown,
            _ => {
                let debut =
                    texte.trim_start_matches('\u{feff}').trim_start().get(..15).unwrap_or("").to_ascii_lowercase();
                if debut.starts_with("<!doctype html") || debut.starts_with("<html") {
                    Format::Html
                } else {
                    Format::Markdown
                }
            }
        }
    }
}

/// A problem with an input path itself (missing, unreadable folder…).
#[derive(Debug, Clone, PartialEq)]
pub struct ErreurEntree {
    pub chemin: String,
    pub message: String,
}

/// Lists the pages under the given paths, sorted by relative path.
pub fn trouver(inputs: &[PathBuf]) -> (Vec<Entree>, Vec<ErreurEntree>) {
    let mut entrees = Vec::new();
    let mut erreurs = Vec::new();
    for input in inputs {
        match std::fs::metadata(input) {
            Err(e) => erreurs.push(ErreurEntree { chemin: input.display().to_string(), message: e.to_string() }),
            Ok(m) if m.is_dir() => {
                let mut vus = HashSet::new();
                parcourir(input, input, &mut vus, &mut entrees, &mut erreurs);
            }
            Ok(_) => {
                let nom = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                entrees.push(Entree { relatif: nom, chemin: input.clone() });
            }
        }
    }
    entrees.sort();
    entrees.dedup_by(|a, b| a.chemin == b.chemin);
    (entrees, erreurs)
}

fn parcourir(
    racine: &Path,
    dir: &Path,
    vus: &mut HashSet<PathBuf>,
    entrees: &mut Vec<Entree>,
    erreurs: &mut Vec<ErreurEntree>,
) {
    // A folder reached twice through symlinks is walked once: no loop.
    match std::fs::canonicalize(dir) {
        Ok(c) => {
            if !vus.insert(c) {
                return;
            }
        }
        Err(e) => {
            erreurs.push(ErreurEntree { chemin: dir.display().to_string(), message: e.to_string() });
            return;
        }
    }
    let lecture = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            erreurs.push(ErreurEntree { chemin: dir.display().to_string(), message: e.to_string() });
            return;
        }
    };
    let mut enfants: Vec<PathBuf> = lecture.filter_map(Result::ok).map(|e| e.path()).collect();
    enfants.sort();
    for p in enfants {
        let nom = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if nom.starts_with('.') {
            continue;
        }
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => parcourir(racine, &p, vus, entrees, erreurs),
            Ok(_) => {
                let ext = nom.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
                if EXTENSIONS.contains(&ext.as_str()) {
                    let relatif = p
                        .strip_prefix(racine)
                        .unwrap_or(&p)
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    entrees.push(Entree { relatif, chemin: p });
                }
            }
            Err(e) => erreurs.push(ErreurEntree { chemin: p.display().to_string(), message: e.to_string() }),
        }
    }
}

pub fn lire(entree: &Entree) -> io::Result<Vec<u8>> {
    std::fs::read(&entree.chemin)
}

/// Bytes → text. UTF-8, with or without BOM. Invalid sequences are replaced
/// by U+FFFD and reported with the byte offset of the first one.
pub fn decoder(bytes: &[u8]) -> (String, Option<String>) {
    let sans_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(sans_bom) {
        Ok(s) => (s.to_string(), None),
        Err(e) => {
            let offset = e.valid_up_to() + (bytes.len() - sans_bom.len());
            (
                String::from_utf8_lossy(sans_bom).into_owned(),
                Some(format!("octets non UTF-8 à partir de l'octet {offset} ; remplacés par U+FFFD")),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_from_file_names() {
        let e = |r: &str| Entree { relatif: r.into(), chemin: PathBuf::from(r) };
        assert_eq!(e("pages/2024-07-03-cloud-temoignages.md").identifiant(), "2024-07-03-cloud-temoignages");
        assert_eq!(
            e("focus-sur-les-succes-du-cloud-public@00fe889.markdown").identifiant(),
            "focus-sur-les-succes-du-cloud-public-00fe889"
        );
        assert_eq!(e("Été.html").identifiant(), "ete");
        assert_eq!(e("x.txt").format("<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(e("x.txt").format("---\ntitle: a\n---"), Format::Markdown);
    }

    #[test]
    fn decoding() {
        assert_eq!(decoder(b"\xEF\xBB\xBFabc"), ("abc".into(), None));
        let (t, err) = decoder(b"ab\xFFc");
        assert_eq!(t, "ab\u{fffd}c");
        assert!(err.unwrap().contains("octet 2"));
    }
}
