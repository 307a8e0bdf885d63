//! `temoignages build [INPUT…] [--out DIR]`: read → parse → normalise →
//! export into a temporary sibling of DIR → validate it → swap it in.
//! One bad page is reported and skipped; the others are still published.

use super::Sortie;
use crate::config::BuildConfig;
use crate::model::{Extraction, Row, Severite};
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
                std::fs::read_to_string(&p).map_err(|e| anyhow::anyhow!("{} : {}", p.display(), read::erreur_io(&e)))
            };
            Referentiels::depuis_csv(&lire("organisations.csv")?, &lire("mentions.csv")?)
                .map_err(|e| anyhow::anyhow!("{} : {e}", dir.display()))
        }
    }
}

/// One page to extract, with what is decided before extraction (its
/// identifier must not depend on the order pages finish in).
struct Travail {
    entree: read::Entree,
    identifiant: String,
    anomalies: Vec<(&'static str, Severite, String, Option<String>)>,
}

/// Gives every page a unique document identifier, in input order.
fn planifier(entrees: Vec<read::Entree>) -> Vec<Travail> {
    let mut ids: HashMap<String, usize> = HashMap::new();
    entrees
        .into_iter()
        .map(|entree| {
            let mut anomalies = Vec::new();
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
            Travail { entree, identifiant, anomalies }
        })
        .collect()
}

/// How many pages ahead of the one being read the next ones are announced
/// to the kernel ([`read::annoncer`]).
const PAGES_ANNONCEES: usize = 32;

/// Reads, parses and normalises page `i` (pure but for the read), after
/// announcing the page [`PAGES_ANNONCEES`] further on (the first page
/// announces all those before it).
fn traiter(travaux: &[Travail], i: usize, refs: &Referentiels) -> Result<(Page, u64), String> {
    let debut = if i == 0 { 1 } else { i + PAGES_ANNONCEES };
    for t in travaux.iter().take(i + PAGES_ANNONCEES + 1).skip(debut) {
        read::annoncer(&t.entree);
    }
    let t = &travaux[i];
    let lu = read::lire(&t.entree).map_err(|e| format!("{} : {e}", t.entree.chemin.display()))?;
    let page = extraire_page_lignes(&t.entree, &lu, &t.identifiant, t.anomalies.clone(), refs);
    Ok((page, lu.octets.len() as u64))
}

/// Time allowed to one page. Size and nesting limits already bound it (a
/// 16 MiB page takes about a second); this is the guard for what they miss:
/// the items left when it runs out are reported, not extracted.
pub const TEMPS_MAX_PAGE: std::time::Duration = std::time::Duration::from_secs(30);

/// The whole pipeline for one page's bytes: decode, parse, normalise, and
/// the record-level checks. Pure; used by `build`, the property tests and
/// the fuzz targets.
pub fn extraire_page(
    entree: &read::Entree,
    lu: &read::Lu,
    identifiant: &str,
    anomalies: Vec<(&'static str, Severite, String, Option<String>)>,
    refs: &Referentiels,
) -> Extraction {
    extraire_page_lignes(entree, lu, identifiant, anomalies, refs).0
}

/// A page's records and their rows, built once on the extraction thread for
/// the record-level checks and the writer.
pub type Page = (Extraction, [Vec<Row>; 8]);

/// [`extraire_page`] that also returns the rows (built once, used for the
/// formula check and by the writer).
pub fn extraire_page_lignes(
    entree: &read::Entree,
    lu: &read::Lu,
    identifiant: &str,
    anomalies: Vec<(&'static str, Severite, String, Option<String>)>,
    refs: &Referentiels,
) -> Page {
    let echeance = std::time::Instant::now() + TEMPS_MAX_PAGE;
    let decodage = read::decoder(entree, lu);
    let mut anomalies = anomalies;
    anomalies.extend(decodage.constats.into_iter().map(|(c, s, m)| (c, s, m, None)));
    let source = Source {
        identifiant: identifiant.to_string(),
        fichier_source: entree.relatif.clone(),
        empreinte: format!("sha256:{}", hex::encode(Sha256::digest(&lu.octets))),
        anomalies,
        echeance: Some(echeance),
    };
    let page = parse::parse_page(&decodage.texte, decodage.format);
    let mut ex = normalise::normaliser(&source, &page, refs);
    let mut rows = ex.rows();
    let avant = ex.anomalies.len();
    validate::formules(&mut ex, &rows);
    if ex.anomalies.len() != avant {
        rows[7] = ex.anomalies.iter().map(crate::model::Anomalie::row).collect();
    }
    (ex, rows)
}

/// Counts for the summary line.
#[derive(Default)]
struct Bilan {
    lus: usize,
    /// Markdown files of the folders read that are not pages (no front matter).
    sans_entete: usize,
    echecs: usize,
    octets: u64,
    comptes: [usize; 8],
    erreurs: usize,
    chrono: Chrono,
    /// The dataset's page and documentation, left to write beside the check
    /// of the folder.
    pages: Option<export::dossier::Pages>,
}

/// Where a build's time goes, printed on stderr when `TEMOIGNAGES_CHRONO` is
/// set (for `scripts/bench` and profiling; not part of the normal output).
#[derive(Default)]
struct Chrono {
    /// Summed over the extraction threads: read, decode, parse, normalise.
    extraction: std::time::Duration,
    /// Writing the pages (CSV, JSON, Parquet row groups): the writer
    /// thread's time with `--jobs 1`, the time the extraction threads held
    /// the pen otherwise.
    ecriture: std::time::Duration,
    /// Closing the files, hashes, datapackage.json, index.html.
    fin: std::time::Duration,
}

/// Pages extracted ahead of the one the writer waits for, at most (and,
/// with `--jobs 1`, pages queued for the writer thread): enough to keep every core busy while a
/// long page holds up the order, few enough that memory does not grow with
/// the corpus. Each page in flight holds its text, records, rows and output
/// text (about 300 KB for a seed-sized page): with 64 and 64, a build whose
/// writer was held up by the disk peaked 40 MB higher than usual; 16 and 16
/// run as fast (100 MB corpus, `--jobs 2`, interleaved runs).
const PAGES_EN_AVANCE: usize = 16;

/// What an extraction thread hands back: a page's records, rows and text,
/// or why it could not be read, and the time it took.
type Resultat = (Result<(Page, Option<export::dossier::Rendu>, u64), String>, std::time::Duration, usize);

/// What the writer is done with, handed back to be freed by the thread that
/// allocated it: mimalloc frees a block fastest on its own thread (another
/// thread's free goes through a shared list the owner must collect).
#[allow(dead_code, reason = "held only to be dropped where it was made")]
enum Rebut {
    Lignes(Vec<Row>),
    Page(Box<(Extraction, Option<export::dossier::Rendu>)>),
}

/// Hands out page numbers in input order, never more than
/// [`PAGES_EN_AVANCE`] ahead of the pages already passed to the writer.
struct Guichet {
    etat: std::sync::Mutex<(usize, usize, bool)>,
    signal: std::sync::Condvar,
    avance: usize,
}

impl Guichet {
    /// The next page to extract, or None when every page is taken or the
    /// run stops.
    fn suivant(&self, total: usize) -> Option<usize> {
        let mut e = self.etat.lock().expect("guichet");
        loop {
            let (prochain, rendus, arret) = *e;
            if arret || prochain >= total {
                return None;
            }
            if prochain < rendus + self.avance {
                e.0 += 1;
                return Some(prochain);
            }
            e = self.signal.wait(e).expect("guichet");
        }
    }

    /// `n` pages have gone to the writer (or, with `arret`, no more will).
    fn rendus(&self, n: usize, arret: bool) {
        let mut e = self.etat.lock().expect("guichet");
        e.1 = n;
        e.2 |= arret;
        self.signal.notify_all();
    }
}

/// Extracts every page on `jobs` threads and streams the records to the
/// exporter in input order, so the output does not depend on `jobs`.
fn extraire_et_ecrire(cfg: &BuildConfig, refs: &Referentiels, pool: &rayon::ThreadPool, tmp: &Path) -> Result<Bilan> {
    let read::Trouvees { entrees, erreurs, sans_entete, deja_parcourus } = read::trouver(&cfg.entrees);
    let mut bilan = Bilan::default();
    for e in &erreurs {
        eprintln!("erreur : {} : {}", e.chemin, e.message);
        bilan.echecs += 1;
    }
    if !cfg.quiet {
        for chemin in &deja_parcourus {
            eprintln!(
                "note : {chemin} : dossier déjà parcouru (lien symbolique en boucle ou vers un dossier déjà lu) : ses pages sont lues une fois"
            );
        }
        for chemin in &sans_entete {
            eprintln!(
                "note : {chemin} : pas de front matter (`---` en première ligne) : Jekyll copie ce fichier tel quel, ce n'est pas une page ; ignoré (nommez-le pour le lire)"
            );
        }
    }
    bilan.sans_entete = sans_entete.len();
    if entrees.is_empty() {
        return Ok(bilan);
    }
    let travaux = planifier(entrees);
    let suivi = Suivi { barre: progression(cfg, travaux.len()), debut: std::time::Instant::now() };
    let exp = export::dossier::Exporteur::nouveau(tmp)?;
    let guichet = Guichet {
        etat: std::sync::Mutex::new((0, 0, false)),
        signal: Default::default(),
        avance: PAGES_EN_AVANCE.max(cfg.jobs * 8),
    };
    let exp = if cfg.jobs > 1 {
        plume_partagee(&travaux, refs, pool, &guichet, &suivi, exp, &mut bilan)?
    } else {
        avec_ecrivain(&travaux, refs, pool, &guichet, &suivi, exp, &mut bilan)?
    };
    if let Some(b) = suivi.barre {
        b.finish_and_clear();
    }
    let debut = std::time::Instant::now();
    bilan.pages = Some(pool.install(|| exp.fermer())?);
    bilan.chrono.fin = debut.elapsed();
    Ok(bilan)
}

/// The progress bar, if any, and when the extraction started.
struct Suivi {
    barre: Option<indicatif::ProgressBar>,
    debut: std::time::Instant,
}

/// At most this many `erreur` lines per page on stderr; the rest are
/// counted on one more line (all of them are in `anomalies`).
const ERREURS_AFFICHEES: usize = 10;

impl Suivi {
    /// Prints on stderr through `dire`, the progress bar (if any) set aside.
    fn dire(&self, dire: impl FnOnce()) {
        match &self.barre {
            Some(b) => b.suspend(dire),
            None => dire(),
        }
    }
}

/// Accounts for page `t`, the next one in input order: counts, errors on
/// stderr, progress. Gives back what is to be written, if anything.
fn compter(
    bilan: &mut Bilan,
    suivi: &Suivi,
    t: &Travail,
    rang: usize,
    total: usize,
    (r, duree, fil): Resultat,
) -> Option<(Page, Option<export::dossier::Rendu>, usize)> {
    bilan.chrono.extraction += duree;
    let a_ecrire = match r {
        Err(message) => {
            suivi.dire(|| eprintln!("erreur : {message}"));
            bilan.echecs += 1;
            None
        }
        Ok(((ex, rows), rendu, octets)) => {
            bilan.lus += 1;
            bilan.octets += octets;
            for (compte, n) in bilan.comptes.iter_mut().zip(ex.nombres_de_lignes()) {
                *compte += n;
            }
            let chemin = t.entree.chemin.display();
            // A message that starts with the file's name (it stands alone in
            // the anomalies table) does not repeat it after the path.
            let nom = format!("{} : ", t.entree.chemin.file_name().unwrap_or_default().to_string_lossy());
            let mut n = 0;
            for a in ex.anomalies.iter().filter(|a| a.severite == Severite::Erreur) {
                n += 1;
                if n <= ERREURS_AFFICHEES {
                    let message = a.message.strip_prefix(&nom).unwrap_or(&a.message);
                    suivi.dire(|| eprintln!("erreur : {chemin} : {} : {message}", a.code));
                }
                bilan.echecs += 1;
                bilan.erreurs += 1;
            }
            if n > ERREURS_AFFICHEES {
                let reste = n - ERREURS_AFFICHEES;
                suivi.dire(|| {
                    eprintln!("erreur : {chemin} : … et {reste} autre(s) erreur(s), toutes dans anomalies.csv")
                });
            }
            Some(((ex, rows), rendu, fil))
        }
    };
    if let Some(b) = &suivi.barre {
        b.inc(1);
        if rang.is_multiple_of(16) || rang == total {
            let s = suivi.debut.elapsed().as_secs_f64().max(1e-3);
            b.set_message(format!("{:.1} Mo/s, {} anomalies", bilan.octets as f64 / 1e6 / s, bilan.comptes[7]));
        }
    }
    a_ecrire
}

/// `--jobs 1`: one thread extracts, a second one renders and writes the
/// pages beside it, and this one puts them in order between the two.
fn avec_ecrivain(
    travaux: &[Travail],
    refs: &Referentiels,
    pool: &rayon::ThreadPool,
    guichet: &Guichet,
    suivi: &Suivi,
    mut exp: export::dossier::Exporteur,
    bilan: &mut Bilan,
) -> Result<export::dossier::Exporteur> {
    let total = travaux.len();
    std::thread::scope(|scope| -> Result<export::dossier::Exporteur> {
        // The writer runs beside the extraction, a bounded queue ahead.
        let (envoi, reception) =
            std::sync::mpsc::sync_channel::<(Page, Option<export::dossier::Rendu>, usize)>(PAGES_EN_AVANCE);
        let (rebuts, poubelles): (Vec<_>, Vec<_>) = (0..pool.current_num_threads())
            .map(|_| std::sync::mpsc::channel::<Rebut>())
            .map(|(e, r)| (e, std::sync::Mutex::new(r)))
            .unzip();
        let vers = rebuts.clone();
        exp.rendre_les_lignes(move |fil, rows| {
            let _ = vers[fil].send(Rebut::Lignes(rows));
        });
        let ecrivain = scope.spawn(move || -> (Result<export::dossier::Exporteur>, std::time::Duration) {
            let mut duree = std::time::Duration::ZERO;
            let r = (|| {
                for ((ex, rows), rendu, fil) in reception {
                    let debut = std::time::Instant::now();
                    let rendu = rendu.unwrap_or_else(|| export::dossier::Rendu::de(&rows));
                    exp.ajouter_rendu(&ex, rows, &rendu, fil)?;
                    let _ = rebuts[fil].send(Rebut::Page(Box::new((ex, Some(rendu)))));
                    duree += debut.elapsed();
                }
                Ok(exp)
            })();
            (r, duree)
        });
        let (retour, resultats) = std::sync::mpsc::channel::<(usize, Resultat)>();
        let extracteurs = scope.spawn(move || {
            pool.broadcast(|ctx| {
                let poubelle = poubelles[ctx.index()].lock().expect("poubelle");
                while let Some(i) = guichet.suivant(total) {
                    while poubelle.try_recv().is_ok() {}
                    let debut = std::time::Instant::now();
                    let r = traiter(travaux, i, refs).map(|(page, octets)| (page, None, octets));
                    if retour.send((i, (r, debut.elapsed(), ctx.index()))).is_err() {
                        break;
                    }
                }
            })
        });
        // Pages come back in any order; they leave in input order.
        let mut en_attente: std::collections::BTreeMap<usize, Resultat> = Default::default();
        let mut suivant = 0;
        let mut arret = false;
        'reception: for (i, r) in resultats.iter() {
            en_attente.insert(i, r);
            while let Some(r) = en_attente.remove(&suivant) {
                suivant += 1;
                if let Some(page) = compter(bilan, suivi, &travaux[suivant - 1], suivant, total, r) {
                    if envoi.send(page).is_err() {
                        arret = true; // the writer stopped on an error, reported below
                    }
                }
                guichet.rendus(suivant, arret);
                if arret {
                    break 'reception;
                }
            }
            if suivant == total {
                break;
            }
        }
        guichet.rendus(suivant, true);
        drop(resultats);
        drop(envoi);
        extracteurs.join().map_err(|_| anyhow::anyhow!("un fil d'extraction s'est arrêté"))?;
        let (exp, duree) = ecrivain.join().map_err(|_| anyhow::anyhow!("le fil d'écriture s'est arrêté"))?;
        bilan.chrono.ecriture = duree;
        exp
    })
}

/// What the thread that writes needs; one thread at a time holds it.
struct Plume<'a> {
    exp: export::dossier::Exporteur,
    bilan: &'a mut Bilan,
    /// The next page to write, in input order.
    suivant: usize,
    erreur: Option<anyhow::Error>,
}

/// `--jobs 2` and more: each thread extracts a page, renders its text and
/// leaves it with the others done; then, if no other thread is writing, it
/// writes every page that is next in input order. No thread is there only
/// to write or to put pages in order, so there are no more busy threads
/// than cores and no hand-off that wakes a thread for each page.
fn plume_partagee(
    travaux: &[Travail],
    refs: &Referentiels,
    pool: &rayon::ThreadPool,
    guichet: &Guichet,
    suivi: &Suivi,
    mut exp: export::dossier::Exporteur,
    bilan: &mut Bilan,
) -> Result<export::dossier::Exporteur> {
    use std::sync::{Arc, Mutex, TryLockError};
    let total = travaux.len();
    // Written rows and pages go back to the thread that made them, to be
    // freed there at its next page (see `Rebut`).
    let poubelles: Arc<[Mutex<Vec<Rebut>>]> = (0..pool.current_num_threads()).map(|_| Mutex::default()).collect();
    let vers = Arc::clone(&poubelles);
    exp.rendre_les_lignes(move |fil, rows| vers[fil].lock().expect("poubelle").push(Rebut::Lignes(rows)));
    let faits: Mutex<std::collections::BTreeMap<usize, Resultat>> = Default::default();
    let plume = Mutex::new(Plume { exp, bilan, suivant: 0, erreur: None });
    // Writes the pages that are next in order, unless another thread is
    // at it. A page left after the pen is put down was left while this
    // thread held it: its thread could not take the pen, so this one
    // takes it again.
    let ecrire_les_prets = || loop {
        let mut p = match plume.try_lock() {
            Ok(p) => p,
            Err(TryLockError::WouldBlock) => return,
            Err(TryLockError::Poisoned(_)) => {
                guichet.rendus(0, true);
                return;
            }
        };
        let debut = std::time::Instant::now();
        loop {
            let s = p.suivant;
            let Some(r) = faits.lock().expect("pages faites").remove(&s) else { break };
            p.suivant += 1;
            let Plume { exp, bilan, erreur, .. } = &mut *p;
            if let Some(((ex, rows), rendu, fil)) = compter(bilan, suivi, &travaux[s], s + 1, total, r) {
                let rendu = rendu.unwrap_or_else(|| export::dossier::Rendu::de(&rows));
                if let Err(e) = exp.ajouter_rendu(&ex, rows, &rendu, fil) {
                    *erreur = Some(e);
                }
                poubelles[fil].lock().expect("poubelle").push(Rebut::Page(Box::new((ex, Some(rendu)))));
            }
            guichet.rendus(p.suivant, p.erreur.is_some());
            if p.erreur.is_some() {
                break;
            }
        }
        p.bilan.chrono.ecriture += debut.elapsed();
        let (s, arret) = (p.suivant, p.erreur.is_some());
        drop(p);
        if arret || !faits.lock().expect("pages faites").contains_key(&s) {
            return;
        }
    };
    pool.broadcast(|ctx| {
        let fil = ctx.index();
        while let Some(i) = guichet.suivant(total) {
            drop(std::mem::take(&mut *poubelles[fil].lock().expect("poubelle")));
            let debut = std::time::Instant::now();
            let r = traiter(travaux, i, refs).map(|(page, octets)| {
                let rendu = export::dossier::Rendu::de(&page.1);
                (page, Some(rendu), octets)
            });
            faits.lock().expect("pages faites").insert(i, (r, debut.elapsed(), fil));
            ecrire_les_prets();
        }
    });
    let p = plume.into_inner().map_err(|_| anyhow::anyhow!("un fil d'extraction s'est arrêté"))?;
    match p.erreur {
        Some(e) => Err(e),
        None => Ok(p.exp),
    }
}

/// A progress bar on stderr for a terminal, never in a pipe or with --quiet.
fn progression(cfg: &BuildConfig, total: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if cfg.quiet || !std::io::stderr().is_terminal() || total < 2 {
        return None;
    }
    let b = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} fichiers  {msg}  [{elapsed}]") {
        b.set_style(style);
    }
    Some(b)
}

/// The temporary folder a build writes into: a hidden sibling of DIR, on the
/// same file system, so the final swap is a rename.
fn dossier_temporaire(sortie: &Path) -> Result<PathBuf> {
    let nom = sortie.file_name().context("le dossier de sortie n'a pas de nom")?.to_string_lossy().into_owned();
    let parent = sortie.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{nom}.tmp-{}", std::process::id())))
}

/// Holds an exclusive lock on DIR for the whole build: a second build into
/// the same DIR waits for the first (flock on a hidden sibling file, released
/// by the kernel even when the holder is killed).
pub struct Verrou {
    _fichier: std::fs::File,
}

fn verrouiller(sortie: &Path, quiet: bool) -> Result<Verrou> {
    let nom = sortie.file_name().context("le dossier de sortie n'a pas de nom")?.to_string_lossy().into_owned();
    let parent = sortie.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("création de {}", parent.display()))?;
    let chemin = parent.join(format!(".{nom}.lock"));
    let fichier = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&chemin).map_err(|e| {
        anyhow::anyhow!(
            "{} : impossible d'écrire à côté du dossier de sortie (le verrou {} : {}) ; rien n'est écrit",
            sortie.display(),
            chemin.display(),
            read::erreur_io(&e)
        )
    })?;
    verrou_exclusif(&fichier, || {
        if !quiet {
            eprintln!("attente : un autre build écrit dans {} ({})", sortie.display(), chemin.display());
        }
    })
    .with_context(|| format!("verrouillage de {}", chemin.display()))?;
    // Temporary folders left by a build that was killed: nobody else can be
    // writing them while we hold the lock.
    if let Ok(entrees) = std::fs::read_dir(parent) {
        let prefixe = format!(".{nom}.tmp-");
        for e in entrees.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefixe) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    Ok(Verrou { _fichier: fichier })
}

#[cfg(unix)]
fn verrou_exclusif(f: &std::fs::File, attente: impl FnOnce()) -> std::io::Result<()> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a file descriptor we own.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    if e.raw_os_error() != Some(libc::EWOULDBLOCK) {
        return Err(e);
    }
    attente();
    // SAFETY: as above; this call blocks until the other build ends.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(unix))]
fn verrou_exclusif(_f: &std::fs::File, _attente: impl FnOnce()) -> std::io::Result<()> {
    Ok(())
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

/// The process's peak resident memory so far (`VmHWM`), for the phase
/// timings; "?" where the system does not tell it.
fn pic_memoire() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().to_string())))
        .unwrap_or_else(|| "?".into())
}

/// What may be replaced by a build: nothing, an empty folder, or a dataset
/// this tool wrote (its `datapackage.json` names the dataset). A symbolic
/// link is followed, so that the folder it points to is the one replaced.
/// Anything else (a file, a folder of other things, a folder holding one of
/// the inputs) is refused before anything is written, since the swap would
/// remove what it holds. Gives the folder to write.
/// `p` made absolute with its symbolic links resolved, for the part of it
/// that exists (a folder still to create keeps its last components).
fn chemin_resolu(p: &Path) -> Option<PathBuf> {
    // "." and ".." taken lexically, for the part that does not exist yet.
    let mut absolu = PathBuf::new();
    for c in std::path::absolute(p).ok()?.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                absolu.pop();
            }
            c => absolu.push(c),
        }
    }
    let mut reste = Vec::new();
    let mut courant = absolu.as_path();
    loop {
        if let Ok(c) = std::fs::canonicalize(courant) {
            return Some(reste.iter().rev().fold(c, |acc: PathBuf, n: &&std::ffi::OsStr| acc.join(n)));
        }
        reste.push(courant.file_name()?);
        courant = courant.parent()?;
    }
}

fn verifier_sortie(cfg: &BuildConfig) -> Result<PathBuf> {
    let demande = &cfg.sortie;
    // An output folder inside an input folder would be read back as pages
    // by the next build (its index.html, its documentation).
    if let Some(cible) = chemin_resolu(demande) {
        for e in cfg.entrees.iter().filter(|e| e.is_dir()) {
            if let Ok(entree) = std::fs::canonicalize(e) {
                if cible.starts_with(&entree) && cible != entree {
                    bail!(
                        "le dossier de sortie {} est dans l'entrée {} : la construction suivante lirait ses fichiers comme des pages ; rien n'est écrit (choisissez un --out hors des entrées)",
                        demande.display(),
                        e.display()
                    );
                }
            }
        }
    }
    let sortie = match std::fs::symlink_metadata(demande) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(demande.clone()),
        Err(e) => bail!("{} : {e} ; rien n'est écrit", demande.display()),
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(demande) {
            Ok(cible) => cible,
            // A link to nothing: the folder is created where it points.
            Err(_) => bail!("{} est un lien symbolique vers un chemin absent ; rien n'est écrit", demande.display()),
        },
        Ok(_) => demande.clone(),
    };
    if !sortie.is_dir() {
        bail!("{} existe et n'est pas un dossier ; rien n'est écrit (choisissez un autre --out)", demande.display());
    }
    let racine = std::fs::canonicalize(&sortie).with_context(|| format!("{}", demande.display()))?;
    // The new dataset is written beside DIR, then put in its place in one
    // rename: a mount point (a container's volume) cannot be renamed.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let parent = racine.parent().unwrap_or(&racine);
        if let (Ok(d), Ok(p)) = (std::fs::metadata(&racine), std::fs::metadata(parent)) {
            if d.dev() != p.dev() || racine == parent {
                bail!(
                    "{} est un point de montage : build écrit le jeu à côté puis le met à sa place d'un seul renommage, ce qu'un point de montage ne permet pas ; rien n'est écrit (choisissez un sous-dossier, par exemple --out {})",
                    demande.display(),
                    demande.join("jeu").display()
                );
            }
        }
    }
    for e in &cfg.entrees {
        if let Ok(entree) = std::fs::canonicalize(e) {
            if entree.starts_with(&racine) {
                bail!(
                    "l'entrée {} est dans le dossier de sortie {} : build remplace tout ce dossier ; rien n'est écrit (choisissez un autre --out)",
                    e.display(),
                    demande.display()
                );
            }
        }
    }
    let vide =
        std::fs::read_dir(&sortie).with_context(|| format!("lecture de {}", demande.display()))?.next().is_none();
    let jeu = std::fs::read(sortie.join("datapackage.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .is_some_and(|d| d["name"] == export::schema::DATASET_NAME);
    if !vide && !jeu {
        bail!(
            "{} n'est ni vide ni un jeu produit par temoignages (pas de datapackage.json nommé « {} ») : build remplacerait tout son contenu ; rien n'est écrit (videz-le ou choisissez un autre --out)",
            demande.display(),
            export::schema::DATASET_NAME
        );
    }
    // A dataset folder is replaced whole: a file someone put there (notes,
    // a `.git`) would be lost with it.
    let etrangers = etrangers_au_jeu(&sortie);
    if !etrangers.is_empty() {
        let montres: Vec<&str> = etrangers.iter().take(5).map(String::as_str).collect();
        bail!(
            "{} contient {} fichier(s) ou dossier(s) qu'un build n'écrit pas ({}{}) : build remplacerait tout le dossier et les perdrait ; rien n'est écrit (déplacez-les ou choisissez un autre --out)",
            demande.display(),
            etrangers.len(),
            montres.join(", "),
            if etrangers.len() > montres.len() { ", …" } else { "" }
        );
    }
    Ok(sortie)
}

/// What a dataset folder holds that no build writes, relative paths sorted:
/// a build writes `datapackage.json`, `documentation.md`, `index.html` and
/// the files of `csv/`, `parquet/`, `json/` and `schemas/` (any name there,
/// so that a table an older version wrote is not foreign).
fn etrangers_au_jeu(dossier: &Path) -> Vec<String> {
    const SOUS_DOSSIERS: &[(&str, &[&str])] =
        &[("csv", &["csv"]), ("parquet", &["parquet"]), ("json", &["json"]), ("schemas", &["json", "md"])];
    const RACINE: &[&str] = &["datapackage.json", "documentation.md", "index.html"];
    let mut etrangers = Vec::new();
    let Ok(entrees) = std::fs::read_dir(dossier) else { return etrangers };
    for e in entrees.flatten() {
        let nom = e.file_name().to_string_lossy().into_owned();
        let genre = e.file_type().ok();
        if genre.is_some_and(|g| g.is_file()) && RACINE.contains(&nom.as_str()) {
            continue;
        }
        let Some((_, extensions)) = SOUS_DOSSIERS.iter().find(|(d, _)| *d == nom) else {
            etrangers.push(nom);
            continue;
        };
        if !genre.is_some_and(|g| g.is_dir()) {
            etrangers.push(nom);
            continue;
        }
        for f in std::fs::read_dir(e.path()).into_iter().flatten().flatten() {
            let n = f.file_name().to_string_lossy().into_owned();
            let ext = n.rsplit_once('.').map(|(_, x)| x).unwrap_or("");
            let fichier = f.file_type().is_ok_and(|g| g.is_file());
            if !fichier || n.starts_with('.') || !extensions.contains(&ext) {
                etrangers.push(format!("{nom}/{n}"));
            }
        }
    }
    etrangers.sort();
    etrangers
}

pub fn run(cfg: &BuildConfig) -> Result<Sortie> {
    let debut = std::time::Instant::now();
    let refs = referentiels(cfg)?;
    let sortie = verifier_sortie(cfg)?;
    let _verrou = verrouiller(&sortie, cfg.quiet)?;
    let tmp = dossier_temporaire(&sortie)?;
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).with_context(|| format!("nettoyage de {}", tmp.display()))?;
    }
    // `--jobs` threads, for the extraction and for the check of what it wrote.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs)
        // The page walk is recursive, bounded at `parse` depth limits: give
        // each thread a main thread's stack and more.
        .stack_size(64 * 1024 * 1024)
        .build()
        .context("création des fils de calcul")?;
    let mut bilan = match extraire_et_ecrire(cfg, &refs, &pool, &tmp) {
        Ok(b) => b,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e.context(format!("{} laissé tel quel", cfg.sortie.display())));
        }
    };
    if bilan.lus == 0 {
        let _ = std::fs::remove_dir_all(&tmp);
        eprintln!(
            "erreur : aucune page à lire dans {}{}",
            cfg.entrees.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            match bilan.sans_entete {
                0 => String::new(),
                n => format!(" ({n} fichier(s) Markdown sans front matter ignoré(s))"),
            }
        );
        return Ok(Sortie::Impossible);
    }
    let pic_avant_validation = pic_memoire();
    let debut_validation = std::time::Instant::now();
    let pages = bilan.pages.take();
    let (constats, pages) = pool.install(|| {
        rayon::join(|| validate::valider_dossier_ecrit(&tmp), || pages.map(export::dossier::Pages::ecrire_pages))
    });
    let validation = debut_validation.elapsed();
    if let Some(Err(e)) = pages {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e.context(format!("{} laissé tel quel", cfg.sortie.display())));
    }
    if !constats.is_empty() {
        for c in &constats {
            eprintln!("erreur : jeu produit invalide : {c}");
        }
        let _ = std::fs::remove_dir_all(&tmp);
        bail!("le jeu produit ne passe pas la validation ; {} laissé tel quel", cfg.sortie.display());
    }
    if let Err(e) = remplacer(&tmp, &sortie) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if !cfg.quiet {
        let c = bilan.comptes;
        crate::dire!(
            "{} page(s) lue(s){} → {} : {} témoignages, {} questions/réponses, {} indicateurs, {} qualifications, {} mentions, {} liens, {} anomalies ({} erreur(s){})",
            bilan.lus,
            match bilan.sans_entete {
                0 => String::new(),
                n => format!(" ({n} fichier(s) Markdown sans front matter ignoré(s))"),
            },
            cfg.sortie.display(),
            c[1],
            c[2],
            c[3],
            c[4],
            c[5],
            c[6],
            c[7],
            bilan.erreurs,
            // Files that gave no page (unreadable, too large, a URL that
            // failed) are not in the anomalies table: named above, counted here.
            match bilan.echecs - bilan.erreurs {
                0 => String::new(),
                n => format!(" ; {n} fichier(s) non lu(s), nommé(s) plus haut"),
            },
        );
    }
    if std::env::var_os("TEMOIGNAGES_CHRONO").is_some() {
        let c = &bilan.chrono;
        eprintln!(
            "chrono : extraction {:.3} s (cumul des fils), écriture {:.3} s, fin {:.3} s, validation {:.3} s, total {:.3} s ; pic de mémoire {} avant la validation, {} à la fin",
            c.extraction.as_secs_f64(),
            c.ecriture.as_secs_f64(),
            c.fin.as_secs_f64(),
            validation.as_secs_f64(),
            debut.elapsed().as_secs_f64(),
            pic_avant_validation,
            pic_memoire(),
        );
    }
    Ok(if bilan.echecs > 0 { Sortie::Echec } else { Sortie::Succes })
}
