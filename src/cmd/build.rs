//! `temoignages build [INPUT…] [--out DIR]`: read → parse → normalise →
//! export into a temporary sibling of DIR → validate it → swap it in.
//! One bad page is reported and skipped; the others are still published.

use super::Sortie;
use crate::config::BuildConfig;
use crate::model::{Extraction, Severite};
use crate::normalise::{self, Referentiels, Source};
use crate::{export, parse, read, validate};
use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn referentiels(cfg: &BuildConfig) -> Result<Referentiels> {
    match &cfg.referentiels {
        None => Ok(Referentiels::embarques()),
        Some(dir) => {
            let lire = |nom: &str| -> Result<String> {
                let p = dir.join(nom);
                std::fs::read_to_string(&p).with_context(|| format!("lecture de {}", p.display()))
            };
            Referentiels::depuis_csv(&lire("organisations.csv")?, &lire("mentions.csv")?)
                .map_err(|e| anyhow::anyhow!("{} : {e}", dir.display()))
        }
    }
}

/// Reads and extracts every page; problems are reported on stderr.
pub fn extraire(cfg: &BuildConfig, refs: &Referentiels) -> (Vec<Extraction>, usize, usize) {
    let (entrees, erreurs) = read::trouver(&cfg.entrees);
    let mut echecs = 0;
    for e in &erreurs {
        eprintln!("erreur : {} : {}", e.chemin, e.message);
        echecs += 1;
    }
    let mut extractions = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for entree in &entrees {
        let lu = match read::lire(entree) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("erreur : {} : illisible : {e}", entree.chemin.display());
                echecs += 1;
                continue;
            }
        };
        let bytes = &lu.octets;
        let decodage = read::decoder(entree, &lu);
        let texte = decodage.texte;
        let mut anomalies: Vec<_> = decodage.constats.into_iter().map(|(c, s, m)| (c, s, m, None)).collect();
        let mut identifiant = entree.identifiant();
        let n = ids.entry(identifiant.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let nouveau = format!("{identifiant}-{n}");
            anomalies.push((
                "document-duplique",
                Severite::Avertissement,
                format!(
                    "Un autre fichier porte déjà l'identifiant « {identifiant} » ; {} devient « {nouveau} ».",
                    entree.relatif
                ),
                Some(entree.relatif.clone()),
            ));
            identifiant = nouveau;
        }
        let source = Source {
            identifiant,
            fichier_source: entree.relatif.clone(),
            empreinte: format!("sha256:{}", hex::encode(Sha256::digest(bytes))),
            anomalies,
        };
        let page = parse::parse_page(&texte, decodage.format);
        let ex = normalise::normaliser(&source, &page, refs);
        for a in ex.anomalies.iter().filter(|a| a.severite == Severite::Erreur) {
            eprintln!("erreur : {} : {} : {}", entree.chemin.display(), a.code, a.message);
            echecs += 1;
        }
        extractions.push(ex);
    }
    let lus = entrees.len();
    (extractions, lus, echecs)
}

/// The temporary folder a build writes into: a hidden sibling of DIR, on the
/// same file system, so the final swap is a rename.
fn dossier_temporaire(sortie: &Path) -> Result<PathBuf> {
    let nom = sortie.file_name().context("le dossier de sortie n'a pas de nom")?.to_string_lossy().into_owned();
    let parent = sortie.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{nom}.tmp-{}", std::process::id())))
}

/// Puts `nouveau` in place of `sortie` in one step when the system allows
/// it (Linux `renameat2(RENAME_EXCHANGE)`): at every moment `sortie` is
/// either the previous dataset or the new one. The previous one ends up at
/// `nouveau`'s path and is removed.
fn remplacer(nouveau: &Path, sortie: &Path) -> Result<()> {
    if !sortie.exists() {
        std::fs::rename(nouveau, sortie).with_context(|| format!("renommage en {}", sortie.display()))?;
        return Ok(());
    }
    echanger(nouveau, sortie).with_context(|| format!("remplacement de {}", sortie.display()))?;
    std::fs::remove_dir_all(nouveau).with_context(|| format!("suppression de l'ancien jeu ({})", nouveau.display()))?;
    Ok(())
}

#[cfg(target_os = "linux")]
fn echanger(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings for the call.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn echanger(a: &Path, b: &Path) -> std::io::Result<()> {
    // No atomic exchange here: move the old one aside, then the new one in.
    let ancien = a.with_extension("ancien");
    std::fs::rename(b, &ancien)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&ancien, a)
}

pub fn run(cfg: &BuildConfig) -> Result<Sortie> {
    let refs = referentiels(cfg)?;
    let (extractions, lus, echecs) = extraire(cfg, &refs);
    if lus == 0 {
        eprintln!(
            "erreur : aucune page à lire dans {}",
            cfg.entrees.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
        return Ok(Sortie::Impossible);
    }
    let tmp = dossier_temporaire(&cfg.sortie)?;
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).with_context(|| format!("nettoyage de {}", tmp.display()))?;
    }
    let ecrit = export::dossier::ecrire_dossier(&tmp, &extractions);
    if let Err(e) = ecrit {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e.context(format!("{} laissé tel quel", cfg.sortie.display())));
    }
    let constats = validate::valider_dossier(&tmp);
    if !constats.is_empty() {
        for c in &constats {
            eprintln!("erreur : jeu produit invalide : {c}");
        }
        let _ = std::fs::remove_dir_all(&tmp);
        bail!("le jeu produit ne passe pas la validation ; {} laissé tel quel", cfg.sortie.display());
    }
    if let Err(e) = remplacer(&tmp, &cfg.sortie) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if !cfg.quiet {
        let compte = |f: fn(&Extraction) -> usize| extractions.iter().map(f).sum::<usize>();
        let anomalies = compte(|e| e.anomalies.len());
        let erreurs = extractions.iter().flat_map(|e| &e.anomalies).filter(|a| a.severite == Severite::Erreur).count();
        crate::dire!(
            "{lus} page(s) lue(s) → {} : {} témoignages, {} questions/réponses, {} indicateurs, {} qualifications, {} mentions, {} liens, {anomalies} anomalies ({erreurs} erreur(s))",
            cfg.sortie.display(),
            compte(|e| e.temoignages.len()),
            compte(|e| e.questions_reponses.len()),
            compte(|e| e.indicateurs.len()),
            compte(|e| e.qualifications.len()),
            compte(|e| e.mentions.len()),
            compte(|e| e.liens.len()),
        );
    }
    Ok(if echecs > 0 { Sortie::Echec } else { Sortie::Succes })
}
