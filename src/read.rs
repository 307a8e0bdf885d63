//! Read: finds the input pages (files and folders, walked recursively,
//! sorted, hidden entries and symlink loops skipped; `http(s)://` URLs
//! fetched with a bounded HTTP client) and decodes their bytes to text
//! (BOM, HTTP `charset`, `<meta charset>`, else UTF-8, with encoding_rs for
//! the legacy encodings browsers save pages in). The only stage that touches
//! the input file system or the network; it knows nothing of what pages say.

use crate::model::Severite;
use crate::normalise::texte::plier_identifiant;
use crate::parse::Format;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use regex::bytes::Regex as RegexOctets;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

/// Extensions read when walking a folder. A file named explicitly is read
/// whatever its extension.
const EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm"];

/// One page to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entree {
    /// Path relative to the folder given on the command line (with `/`), or
    /// the file name of a file given explicitly, or the URL itself: stable
    /// whatever the current directory; the path as given when two inputs
    /// hold the same relative path.
    pub relatif: String,
    pub chemin: PathBuf,
    /// Set for a page given as an `http://` or `https://` URL.
    pub url: Option<String>,
}

impl Entree {
    /// The document identifier: the file name without its extension, folded.
    pub fn identifiant(&self) -> String {
        if let Some(u) = &self.url {
            return identifiant_url(u);
        }
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
        match self.extension().as_str() {
            "html" | "htm" | "xhtml" => Format::Html,
            "md" | "markdown" => Format::Markdown,
            _ => {
                if ressemble_html(texte.trim_start_matches('\u{feff}').as_bytes()) {
                    Format::Html
                } else {
                    Format::Markdown
                }
            }
        }
    }

    /// The extension of the file (or of the URL's path), lowercased.
    fn extension(&self) -> String {
        let chemin = match &self.url {
            Some(u) => url::Url::parse(u).map(|u| u.path().to_string()).unwrap_or_default(),
            None => self.relatif.clone(),
        };
        let nom = chemin.rsplit('/').next().unwrap_or("");
        nom.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
    }
}

/// A document identifier for a URL: its last path segment without extension
/// (`…/actualites/focus-cloud/` → `focus-cloud`), else its host.
fn identifiant_url(u: &str) -> String {
    let Ok(parsed) = url::Url::parse(u) else { return plier_identifiant(u) };
    let segment = parsed.path_segments().and_then(|mut s| s.rfind(|s| !s.is_empty())).unwrap_or("");
    let stem = match segment.rfind('.') {
        Some(i) if i > 0 => &segment[..i],
        _ => segment,
    };
    let decode: String =
        url::form_urlencoded::parse(stem.as_bytes()).map(|(k, _)| k.into_owned()).next().unwrap_or_default();
    let mut id = plier_identifiant(&decode);
    if id.is_empty() {
        id = plier_identifiant(parsed.host_str().unwrap_or(""));
    }
    if id.is_empty() {
        "document".into()
    } else {
        id
    }
}

/// Does the start of these bytes look like an HTML document? Pages saved
/// from a browser may open with a comment (`<!-- saved from url=… -->`).
fn ressemble_html(octets: &[u8]) -> bool {
    let debut: Vec<u8> = octets.iter().take(512).map(u8::to_ascii_lowercase).collect();
    let debut = String::from_utf8_lossy(&debut);
    let debut = debut.trim_start();
    debut.starts_with("<!doctype html")
        || debut.starts_with("<html")
        || debut.starts_with("<?xml")
        || (debut.starts_with("<!--") && debut.contains("<html"))
}

/// A file system error in French for the common cases (the system's own
/// text otherwise, with its code).
pub fn erreur_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "introuvable (ni fichier ni dossier à ce chemin)".into(),
        K::PermissionDenied => "accès refusé".into(),
        K::NotADirectory => "un élément du chemin n'est pas un dossier".into(),
        K::IsADirectory => "c'est un dossier".into(),
        K::AlreadyExists => "existe déjà".into(),
        K::StorageFull => "disque plein".into(),
        K::ConnectionRefused => "connexion refusée".into(),
        K::ConnectionReset | K::ConnectionAborted => "connexion interrompue".into(),
        K::TimedOut => "délai dépassé".into(),
        _ if e.raw_os_error() == Some(libc::ELOOP) => "boucle de liens symboliques".into(),
        // The system resolver's failure, as std reports it.
        _ if e.to_string().contains("lookup address") => "hôte introuvable".into(),
        _ => e.to_string(),
    }
}

/// An HTTP client's error in French for the common cases (its own text
/// otherwise).
pub fn erreur_reseau(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "délai dépassé".into(),
        ureq::Error::HostNotFound => "hôte introuvable".into(),
        ureq::Error::ConnectionFailed => "connexion impossible".into(),
        ureq::Error::TooManyRedirects => "trop de redirections".into(),
        ureq::Error::RedirectFailed => "redirection impossible à suivre".into(),
        ureq::Error::BodyExceedsLimit(n) => format!("réponse trop grande (plus de {n} octets)"),
        ureq::Error::Io(e) => erreur_io(e),
        autre => autre.to_string(),
    }
}

/// A problem with an input path itself (missing, unreadable folder…).
#[derive(Debug, Clone, PartialEq)]
pub struct ErreurEntree {
    pub chemin: String,
    pub message: String,
}

/// What [`trouver`] finds under the inputs.
#[derive(Debug, Default)]
pub struct Trouvees {
    /// The pages, sorted by relative path.
    pub entrees: Vec<Entree>,
    /// Inputs that cannot be read (missing, unreadable folder…).
    pub erreurs: Vec<ErreurEntree>,
    /// Markdown files met in a folder with no front matter: Jekyll copies
    /// them as they are (a `README.md`, notes), so they are not pages.
    pub sans_entete: Vec<String>,
    /// Folders reached a second time through a symbolic link (a loop, a
    /// link to a folder already read): read once, so nothing is missed.
    pub deja_parcourus: Vec<String>,
}

/// Lists the pages under the given paths, sorted by relative path.
pub fn trouver(inputs: &[PathBuf]) -> Trouvees {
    let mut entrees = Vec::new();
    let mut erreurs = Vec::new();
    let mut sans_entete = Vec::new();
    let mut deja = Vec::new();
    for input in inputs {
        if let Some(u) = input.to_str().filter(|s| est_url(s)) {
            entrees.push(Entree { relatif: u.to_string(), chemin: input.clone(), url: Some(u.to_string()) });
            continue;
        }
        match std::fs::metadata(input) {
            Err(e) => erreurs.push(ErreurEntree { chemin: input.display().to_string(), message: erreur_io(&e) }),
            Ok(m) if m.is_dir() => {
                let mut vus = HashSet::new();
                parcourir(input, input, &mut vus, &mut entrees, &mut erreurs, (&mut sans_entete, &mut deja));
            }
            Ok(m) if !m.is_file() => erreurs.push(ErreurEntree {
                chemin: input.display().to_string(),
                message: "n'est pas un fichier ordinaire (tube, socket ou périphérique) : ignoré".into(),
            }),
            Ok(_) => {
                let nom = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                entrees.push(Entree { relatif: nom, chemin: input.clone(), url: None });
            }
        }
    }
    entrees.sort();
    entrees.dedup_by(|a, b| a.chemin == b.chemin);
    // Two inputs can hold the same relative path (`a/page.md` and
    // `b/page.md` read as `a` and `b`): `fichier_source` is unique, so those
    // files are named by their path as given instead.
    let mut vus: HashMap<&str, usize> = HashMap::new();
    for e in &entrees {
        *vus.entry(e.relatif.as_str()).or_insert(0) += 1;
    }
    let doubles: HashSet<String> = vus.into_iter().filter(|(_, n)| *n > 1).map(|(r, _)| r.to_string()).collect();
    if !doubles.is_empty() {
        for e in entrees.iter_mut().filter(|e| e.url.is_none() && doubles.contains(&e.relatif)) {
            let chemin = e.chemin.to_string_lossy();
            e.relatif = chemin.strip_prefix("./").unwrap_or(&chemin).to_string();
        }
        entrees.sort();
    }
    // Inputs that overlap name a file once; a file also named on its own is read.
    if !sans_entete.is_empty() {
        let reel = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let lus: HashSet<PathBuf> = entrees.iter().filter(|e| e.url.is_none()).map(|e| reel(&e.chemin)).collect();
        let mut vus = HashSet::new();
        sans_entete.retain(|p| {
            let r = reel(Path::new(p));
            !lus.contains(&r) && vus.insert(r)
        });
    }
    Trouvees { entrees, erreurs, sans_entete, deja_parcourus: deja }
}

/// Whether a Markdown file opens with a front matter fence: Jekyll's test
/// (`---`, then only blanks up to the end of the first line). Jekyll renders
/// such a file as a page and copies any other one as it is. One departure:
/// a byte order mark is allowed before the fence (Jekyll tests the raw
/// bytes), UTF-8 or UTF-16, whose start is then decoded for the test. A file that cannot be read, or an empty
/// one, counts as a page: reading it reports the problem.
pub fn a_une_entete(chemin: &Path) -> bool {
    use std::io::Read;
    let mut debut = Vec::with_capacity(256);
    const LUS: u64 = 256;
    let lu = std::fs::File::open(chemin).and_then(|f| f.take(LUS).read_to_end(&mut debut));
    lu.is_err() || debut.is_empty() || entete_en_tete(&debut, debut.len() as u64 == LUS)
}

/// [`a_une_entete`] on the first bytes of the file; `tronque` when the file
/// goes on after them.
fn entete_en_tete(debut: &[u8], tronque: bool) -> bool {
    // One byte order mark, as the reader strips one: UTF-8, or UTF-16 whose
    // start is decoded for the test.
    match Encoding::for_bom(debut) {
        Some((enc, n)) if enc != UTF_8 => {
            let (texte, _) = enc.decode_without_bom_handling(&debut[n..]);
            cloture(texte.as_bytes(), tronque)
        }
        Some((_, n)) => cloture(&debut[n..], tronque),
        None => cloture(debut, tronque),
    }
}

/// Whether `debut`, after its byte order mark, opens with a fence line.
fn cloture(debut: &[u8], tronque: bool) -> bool {
    let Some(reste) = debut.strip_prefix(b"---") else { return false };
    match reste.iter().position(|&b| !matches!(b, b' ' | b'\t' | b'\r' | b'\x0B' | b'\x0C')) {
        Some(i) => reste[i] == b'\n',
        // Only blanks up to where the reading stopped: the end of the file
        // (no line end, no fence), or of the bytes read.
        None => tronque,
    }
}

fn parcourir(
    racine: &Path,
    dir: &Path,
    vus: &mut HashSet<PathBuf>,
    entrees: &mut Vec<Entree>,
    erreurs: &mut Vec<ErreurEntree>,
    (sans_entete, deja): (&mut Vec<String>, &mut Vec<String>),
) {
    // A folder reached twice through symlinks is walked once: no loop.
    match std::fs::canonicalize(dir) {
        Ok(c) => {
            if !vus.insert(c) {
                deja.push(dir.display().to_string());
                return;
            }
        }
        Err(e) => {
            erreurs.push(ErreurEntree { chemin: dir.display().to_string(), message: erreur_io(&e) });
            return;
        }
    }
    let lecture = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            erreurs.push(ErreurEntree { chemin: dir.display().to_string(), message: erreur_io(&e) });
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
            Ok(m) if m.is_dir() => parcourir(racine, &p, vus, entrees, erreurs, (&mut *sans_entete, &mut *deja)),
            // A FIFO or a device would block or never end: not a page.
            Ok(m) if !m.is_file() => erreurs.push(ErreurEntree {
                chemin: p.display().to_string(),
                message: "n'est pas un fichier ordinaire (tube, socket ou périphérique) : ignoré".into(),
            }),
            Ok(_) => {
                let ext = nom.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
                if matches!(ext.as_str(), "md" | "markdown") && !a_une_entete(&p) {
                    sans_entete.push(p.display().to_string());
                } else if EXTENSIONS.contains(&ext.as_str()) {
                    let relatif = p
                        .strip_prefix(racine)
                        .unwrap_or(&p)
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    entrees.push(Entree { relatif, chemin: p, url: None });
                }
            }
            Err(e) => erreurs.push(ErreurEntree { chemin: p.display().to_string(), message: erreur_io(&e) }),
        }
    }
}

/// `http://…` or `https://…`, given on the command line as an input.
pub fn est_url(s: &str) -> bool {
    let s = s.trim_start().to_ascii_lowercase();
    s.starts_with("http://") || s.starts_with("https://")
}

/// The bytes of one page, and what the server said of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lu {
    pub octets: Vec<u8>,
    /// The HTTP `Content-Type`, for a page fetched by URL.
    pub type_contenu: Option<String>,
}

/// Bounds of one download: a page is a few hundred kilobytes at most, so a
/// larger answer is a mistake (a video, an archive) and is refused.
#[derive(Debug, Clone)]
pub struct Limites {
    /// For the whole exchange: connection, redirections and body.
    pub delai: Duration,
    pub taille_max: u64,
    pub redirections: u32,
}

pub const LIMITES: Limites = Limites { delai: Duration::from_secs(30), taille_max: 20 * 1024 * 1024, redirections: 5 };

/// Reads a file, or fetches a URL with `LIMITES`. The error is a French
/// sentence naming the cause.
pub fn lire(entree: &Entree) -> Result<Lu, String> {
    match &entree.url {
        Some(u) => telecharger(u, &LIMITES),
        None => {
            let taille = std::fs::metadata(&entree.chemin).map_err(|e| format!("illisible : {}", erreur_io(&e)))?.len();
            if taille > TAILLE_MAX_PAGE {
                return Err(TropGrande(taille).to_string());
            }
            std::fs::read(&entree.chemin)
                .map(|octets| Lu { octets, type_contenu: None })
                .map_err(|e| format!("illisible : {}", erreur_io(&e)))
        }
    }
}

/// Asks the kernel to start reading `entree` into the page cache, without
/// waiting for it (`posix_fadvise(WILLNEED)`): announced a few pages ahead,
/// a page not yet in memory comes from the disk while the pages before it
/// are extracted, instead of stalling the thread that reads it. A hint
/// only: any failure is ignored, and [`lire`] reports what is wrong.
pub fn annoncer(entree: &Entree) {
    #[cfg(target_os = "linux")]
    if entree.url.is_none() {
        use std::os::fd::AsRawFd;
        // A file too large to be a page is not read (see `lire`): not
        // announced either.
        if let Ok(f) = std::fs::File::open(&entree.chemin) {
            if let Ok(taille) = f.metadata().map(|m| m.len()) {
                if taille <= TAILLE_MAX_PAGE {
                    // SAFETY: a valid descriptor, owned by `f` for the whole call.
                    unsafe { libc::posix_fadvise(f.as_raw_fd(), 0, taille as libc::off_t, libc::POSIX_FADV_WILLNEED) };
                }
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = entree;
}

/// Largest page read from disk: the largest real page is a few hundred
/// kilobytes; beyond this, a file is not a page and is not loaded at all,
/// which bounds memory and time per page.
pub const TAILLE_MAX_PAGE: u64 = 16 * 1024 * 1024;

/// The message of a page over `TAILLE_MAX_PAGE`.
pub struct TropGrande(pub u64);

impl std::fmt::Display for TropGrande {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "page trop grande : {} octets (limite {} octets) ; non lue", self.0, TAILLE_MAX_PAGE)
    }
}

/// GET `url` with ureq (rustls): redirects followed up to the limit, one
/// timeout for the whole exchange, the body cut off at `taille_max`. Only a
/// 2xx answer is a page. Proxies come from the environment, except for
/// loopback hosts, which no proxy can reach.
pub fn telecharger(url: &str, limites: &Limites) -> Result<Lu, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("URL invalide : {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("schéma « {} » non pris en charge (http ou https seulement)", parsed.scheme()));
    }
    let boucle = match parsed.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let mut config = ureq::Agent::config_builder()
        .timeout_global(Some(limites.delai))
        .max_redirects(limites.redirections)
        .http_status_as_error(false)
        .user_agent(concat!("temoignages/", env!("CARGO_PKG_VERSION")));
    if boucle {
        config = config.proxy(None);
    }
    let agent: ureq::Agent = config.build().into();
    let secondes = limites.delai.as_secs_f64();
    let decrire = |e: ureq::Error| -> String {
        match e {
            ureq::Error::Timeout(_) => format!("délai dépassé ({secondes} s)"),
            ureq::Error::TooManyRedirects => format!("trop de redirections (plus de {})", limites.redirections),
            autre => erreur_reseau(&autre),
        }
    };
    let mut reponse = agent.get(url).call().map_err(decrire)?;
    let statut = reponse.status();
    if !statut.is_success() {
        return Err(format!("le serveur a répondu HTTP {}", statut.as_u16()));
    }
    if let Some(n) = reponse
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n > limites.taille_max)
    {
        return Err(format!("réponse trop grande ({n} octets annoncés, limite {})", limites.taille_max));
    }
    let type_contenu = reponse.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
    let octets = reponse.body_mut().with_config().limit(limites.taille_max).read_to_vec().map_err(decrire)?;
    Ok(Lu { octets, type_contenu })
}

/// A page's text, its format, and what decoding met.
#[derive(Debug, Clone, PartialEq)]
pub struct Decodage {
    pub texte: String,
    pub format: Format,
    /// Findings (code, severity, French message).
    pub constats: Vec<(&'static str, Severite, String)>,
}

static META_CHARSET: LazyLock<RegexOctets> = LazyLock::new(|| {
    RegexOctets::new(
        r#"(?i)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)|<\?xml\s[^>]*?encoding\s*=\s*["']([a-z0-9_.:\-]+)"#,
    )
    .unwrap()
});

/// The charset a page declares: the HTTP header's, else the first
/// `<meta charset>` (or `http-equiv` content type, or XML declaration) in
/// the head. Browsers look further than the 1024 bytes of the prescan when
/// the parser meets a later `<meta>`, so the head is searched up to 8 KiB.
fn charset_declare(octets: &[u8], type_contenu: Option<&str>) -> Option<String> {
    if let Some(c) = type_contenu.and_then(|t| {
        t.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches(['"', '\'']).to_string())
        })
    }) {
        return Some(c);
    }
    let tete = &octets[..octets.len().min(8192)];
    let c = META_CHARSET.captures(tete)?;
    let m = c.get(1).or_else(|| c.get(2))?;
    let declare = String::from_utf8_lossy(m.as_bytes()).into_owned();
    // As browsers do (HTML's prescan): a `<meta>` read as ASCII cannot be
    // UTF-16, which means UTF-8 there; x-user-defined means windows-1252.
    Some(match Encoding::for_label(declare.trim().as_bytes()) {
        Some(e) if e == UTF_16LE || e == UTF_16BE => UTF_8.name().to_string(),
        Some(e) if e == encoding_rs::X_USER_DEFINED => WINDOWS_1252.name().to_string(),
        _ => declare,
    })
}

/// Bytes → text, the way a browser would, with findings:
/// 1. a BOM wins (UTF-8, UTF-16);
/// 2. else the declared charset (HTTP header, `<meta charset>`) of an HTML
///    page, decoded by encoding_rs (`iso-8859-1` is windows-1252, and UTF-16
///    in a `<meta>` is UTF-8, as in browsers). A page declared windows-1252 whose bytes are valid UTF-8
///    with non-ASCII characters was re-saved as UTF-8 with its old `<meta>`:
///    it is read as UTF-8 and the contradiction reported;
/// 3. else UTF-8; bytes that are not UTF-8 at all (no multi-byte sequence
///    anywhere) are a legacy file, read as windows-1252; a UTF-8 file with a
///    few bad bytes keeps U+FFFD in their place and is reported as an error.
pub fn decoder(entree: &Entree, lu: &Lu) -> Decodage {
    let octets = lu.octets.as_slice();
    let mut constats = Vec::new();
    let type_html = lu.type_contenu.as_deref().map(|t| t.to_ascii_lowercase());
    let format_http = type_html.as_deref().and_then(|t| {
        if t.contains("html") {
            Some(Format::Html)
        } else if t.contains("markdown") {
            Some(Format::Markdown)
        } else {
            None
        }
    });
    let markdown = format_http == Some(Format::Markdown) || matches!(entree.extension().as_str(), "md" | "markdown");
    // UTF-16 (said by its byte order mark or the HTTP header) has a zero
    // byte in every ASCII character: the null check looks at what was
    // decoded instead.
    let mut utf16 = false;
    let texte = if let Some((enc, n)) = Encoding::for_bom(octets) {
        utf16 = enc != UTF_8;
        let (t, erreurs) = enc.decode_without_bom_handling(&octets[n..]);
        if erreurs {
            constats.push((
                "encodage-invalide",
                Severite::Erreur,
                format!("{} : octets invalides en {} ; remplacés par U+FFFD", entree.relatif, enc.name()),
            ));
        }
        t.into_owned()
    } else {
        let declare = if markdown { None } else { charset_declare(octets, lu.type_contenu.as_deref()) };
        let encodage = declare.as_deref().and_then(|d| {
            let e = Encoding::for_label(d.trim().as_bytes());
            if e.is_none() {
                constats.push((
                    "encodage-inconnu",
                    Severite::Avertissement,
                    format!(
                        "{} : le jeu de caractères déclaré « {d} » est inconnu ; la page est lue comme UTF-8",
                        entree.relatif
                    ),
                ));
            }
            e
        });
        match encodage {
            // The declaration is honoured, except when the bytes prove the
            // page was re-saved as UTF-8 (the replacement-free UTF-8 decode
            // of non-ASCII bytes is not a coincidence in practice).
            Some(enc) if enc != UTF_8 && (octets.is_ascii() || simdutf8::basic::from_utf8(octets).is_err()) => {
                // UTF-16 said by the HTTP header, without a byte order mark.
                utf16 = enc == UTF_16LE || enc == UTF_16BE;
                let (t, _, erreurs) = enc.decode(octets);
                if erreurs {
                    constats.push((
                        "encodage-invalide",
                        Severite::Erreur,
                        format!("{} : octets invalides en {} ; remplacés par U+FFFD", entree.relatif, enc.name()),
                    ));
                }
                t.into_owned()
            }
            Some(enc) if enc != UTF_8 => {
                constats.push((
                    "encodage-contradictoire",
                    Severite::Avertissement,
                    format!(
                        "{} : la page déclare {} mais ses octets sont de l'UTF-8 ; elle est lue comme UTF-8",
                        entree.relatif,
                        enc.name()
                    ),
                ));
                String::from_utf8(octets.to_vec()).unwrap_or_default()
            }
            _ => match simdutf8::compat::from_utf8(octets) {
                Ok(s) => s.to_string(),
                Err(e) if a_du_multioctet(octets) => {
                    constats.push((
                        "encodage-invalide",
                        Severite::Erreur,
                        format!(
                            "{} : octets non UTF-8 à partir de l'octet {} ; remplacés par U+FFFD",
                            entree.relatif,
                            e.valid_up_to()
                        ),
                    ));
                    String::from_utf8_lossy(octets).into_owned()
                }
                Err(_) => {
                    constats.push((
                        "encodage-devine",
                        Severite::Avertissement,
                        format!("{} : la page n'est pas en UTF-8 et ne déclare pas son jeu de caractères ; elle est lue comme windows-1252", entree.relatif),
                    ));
                    WINDOWS_1252.decode_without_bom_handling(octets).0.into_owned()
                }
            },
        }
    };
    let mut texte = texte;
    if octets.is_empty() {
        constats.push(("page-vide", Severite::Erreur, format!("{} : le fichier est vide (0 octet)", entree.relatif)));
    } else if utf16 {
        if let Some(pos) = texte.chars().position(|c| c == '\0') {
            let n = texte.chars().filter(|&c| c == '\0').count();
            constats.push((
                "octets-nuls",
                Severite::Erreur,
                format!(
                    "{} : {n} caractère(s) nul(s) (U+0000), le premier au caractère {pos} ; ce n'est pas du texte",
                    entree.relatif
                ),
            ));
        }
    } else if let Some(pos) = memchr::memchr(0, octets) {
        let n = octets.iter().filter(|&&b| b == 0).count();
        constats.push((
            "octets-nuls",
            Severite::Erreur,
            format!("{} : {n} octet(s) nul(s), le premier à l'octet {pos} ; ce n'est pas du texte", entree.relatif),
        ));
    }
    if est_binaire(&texte) {
        constats.push((
            "contenu-binaire",
            Severite::Erreur,
            format!("{} : le contenu est binaire (caractères de contrôle) ; rien n'en est extrait", entree.relatif),
        ));
        texte.clear();
    }
    let format = format_http.unwrap_or_else(|| entree.format(&texte));
    Decodage { texte, format, constats }
}

/// More than 5 % control characters (other than tab, line ends and form
/// feed) in the first 64 Ki characters: an image, an archive, not a page.
/// (Bytes that are not UTF-8 are `encodage-invalide`, not binary.)
fn est_binaire(texte: &str) -> bool {
    // Control characters are below U+0020 (tab, line ends and form feed
    // aside), U+007F, or U+0080–U+009F (bytes C2 80–C2 9F): without such
    // bytes there is nothing to count.
    let debut = &texte.as_bytes()[..texte.len().min(256 * 1024)];
    // By blocks without early exit inside, so that the test is vectorised.
    let c0 = debut.chunks(64).any(|bloc| {
        bloc.iter().fold(false, |vu, &b| vu | ((b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f))
    });
    let c1 = || memchr::memchr_iter(0xc2, debut).any(|i| debut.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)));
    if !c0 && !c1() {
        return false;
    }
    let mut total = 0usize;
    let mut controle = 0usize;
    for c in texte.chars().take(64 * 1024) {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            controle += 1;
        }
    }
    total >= 16 && controle * 20 > total
}

/// Whether the bytes hold at least one well-formed multi-byte UTF-8 sequence.
fn a_du_multioctet(octets: &[u8]) -> bool {
    octets.windows(2).any(|w| (0xC2..=0xF4).contains(&w[0]) && (0x80..=0xBF).contains(&w[1]))
        && String::from_utf8_lossy(octets).chars().any(|c| c as u32 > 0x7F && c != '\u{fffd}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(r: &str) -> Entree {
        Entree { relatif: r.into(), chemin: PathBuf::from(r), url: None }
    }

    #[test]
    fn front_matter_fence_as_jekyll_tests_it() {
        for oui in [&b"---\ntitle: x\n---\n"[..], b"---\r\n", b"--- \t\n", b"\xEF\xBB\xBF---\n"] {
            assert!(entete_en_tete(oui, false), "{:?}", String::from_utf8_lossy(oui));
        }
        let utf16 = |t: &str, le: bool| -> Vec<u8> {
            let mut v = if le { b"\xFF\xFE".to_vec() } else { b"\xFE\xFF".to_vec() };
            v.extend(t.encode_utf16().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }));
            v
        };
        for le in [true, false] {
            assert!(entete_en_tete(&utf16("---\ntitle: x\n---\n", le), false), "UTF-16, decoded");
            assert!(!entete_en_tete(&utf16("# Notes\n", le), false), "UTF-16 without front matter");
            // Two byte order marks: the reader strips one, so the second hides the fence.
            assert!(!entete_en_tete(&utf16("\u{feff}---\n", le), false), "UTF-16, two marks");
            // Blanks up to the end of the 256 bytes read: the line may go on.
            let long = utf16(&format!("---{}", " ".repeat(200)), le);
            assert!(entete_en_tete(&long[..256], true) && !entete_en_tete(&long[..256], false));
        }
        assert!(!entete_en_tete(b"\xEF\xBB\xBF\xEF\xBB\xBF---\n", false), "UTF-8, two marks");
        for non in [&b"# SOURCE\n---\n"[..], b"----\n", b"---title\n", b"\n---\n", b"---", b"--- ", b""] {
            assert!(!entete_en_tete(non, false), "{:?}", String::from_utf8_lossy(non));
        }
        // A first line of blanks longer than what was read.
        assert!(entete_en_tete(format!("---{}", " ".repeat(253)).as_bytes(), true));
    }

    #[test]
    fn identifiers_from_file_names() {
        assert_eq!(e("pages/2024-07-03-cloud-temoignages.md").identifiant(), "2024-07-03-cloud-temoignages");
        assert_eq!(
            e("focus-sur-les-succes-du-cloud-public@00fe889.markdown").identifiant(),
            "focus-sur-les-succes-du-cloud-public-00fe889"
        );
        assert_eq!(e("Été.html").identifiant(), "ete");
        assert_eq!(e("x.txt").format("<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(e("x.txt").format("<!-- saved from url=(0042)https://x/ -->\r\n<html>"), Format::Html);
        assert_eq!(e("x.txt").format("---\ntitle: a\n---"), Format::Markdown);
    }

    #[test]
    fn identifiers_from_urls() {
        let u = |s: &str| Entree { relatif: s.into(), chemin: PathBuf::from(s), url: Some(s.into()) };
        assert_eq!(u("https://www.numerique.gouv.fr/actualites/focus-cloud/").identifiant(), "focus-cloud");
        assert_eq!(u("http://127.0.0.1:8080/pages/Été%20cloud.html?x=1").identifiant(), "ete-cloud");
        assert_eq!(u("https://www.numerique.gouv.fr/").identifiant(), "www-numerique-gouv-fr");
        assert!(est_url("https://a.fr/x") && est_url("HTTP://a.fr") && !est_url("pages/https.md"));
    }

    fn lu(octets: &[u8]) -> Lu {
        Lu { octets: octets.to_vec(), type_contenu: None }
    }

    #[test]
    fn decoding_utf8_and_bom() {
        let d = decoder(&e("a.md"), &lu(b"\xEF\xBB\xBFabc"));
        assert_eq!((d.texte.as_str(), d.constats.len()), ("abc", 0));
        let d = decoder(&e("a.md"), &lu(&[b"\xC3\xA9t\xC3\xA9".as_slice(), b"\xFFc"].concat()));
        assert_eq!(d.constats[0].0, "encodage-invalide");
        assert!(d.texte.contains('\u{fffd}'));
    }

    #[test]
    fn decoding_utf16_with_bom() {
        let texte = "---\ntitle: Été\n---\n<p>Cloud</p>";
        let le: Vec<u8> = texte.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = texte.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for octets in [[&b"\xFF\xFE"[..], &le].concat(), [&b"\xFE\xFF"[..], &be].concat()] {
            let d = decoder(&e("a.md"), &lu(&octets));
            assert_eq!(d.texte, texte);
            assert!(d.constats.is_empty(), "{:?}", d.constats);
        }
        // A null character in UTF-16 is still reported, counted in characters.
        let nul: Vec<u8> = "a\0b\0".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = decoder(&e("a.md"), &lu(&[&b"\xFF\xFE"[..], &nul].concat()));
        assert_eq!(d.constats[0].0, "octets-nuls");
        assert!(
            d.constats[0].2.contains("2 caractère(s) nul(s) (U+0000), le premier au caractère 1"),
            "{}",
            d.constats[0].2
        );
    }

    #[test]
    fn decoding_declared_utf16() {
        // In a `<meta>`, UTF-16 means UTF-8, as in browsers.
        let d = decoder(&e("p.html"), &lu("<html><meta charset=\"utf-16\"><p>Été</p>".as_bytes()));
        assert!(d.texte.ends_with("<p>Été</p>"), "{}", d.texte);
        assert!(d.constats.is_empty(), "{:?}", d.constats);
        // Said by the HTTP header, without a byte order mark: decoded, no "null bytes".
        let texte = "<html><p>Été</p>";
        let l = Lu {
            octets: texte.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            type_contenu: Some("text/html; charset=utf-16le".into()),
        };
        let d = decoder(&e("p"), &l);
        assert_eq!(d.texte, texte);
        assert!(d.constats.is_empty(), "{:?}", d.constats);
    }

    #[test]
    fn decoding_declared_windows_1252() {
        let html = b"<!DOCTYPE html>\r\n<html><head><meta charset=\"windows-1252\"></head><body><p>\xC9t\xE9 \x96 \x80</p></body></html>";
        let d = decoder(&e("page.html"), &lu(html));
        assert!(d.texte.contains("Été – €"), "{}", d.texte);
        assert!(d.constats.is_empty());
        assert_eq!(d.format, Format::Html);
        // ISO-8859-1 is read as windows-1252, as browsers do.
        let d = decoder(
            &e("p.html"),
            &lu(b"<html><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">\xE9"),
        );
        assert!(d.texte.ends_with('é'));
        // A page re-saved as UTF-8 that kept its old declaration.
        let d = decoder(&e("p.html"), &lu("<html><meta charset=windows-1252>été".as_bytes()));
        assert!(d.texte.ends_with("été"));
        assert_eq!(d.constats[0].0, "encodage-contradictoire");
        // The HTTP header wins over the page.
        let l = Lu {
            octets: b"<html><meta charset=utf-8>\xE9".to_vec(),
            type_contenu: Some("text/html; charset=iso-8859-1".into()),
        };
        assert!(decoder(&e("p"), &l).texte.ends_with('é'));
    }

    #[test]
    fn decoding_undeclared_legacy_bytes() {
        let d = decoder(&e("vieux.md"), &lu(b"---\ntitle: \xC9t\xE9\n---\n"));
        assert!(d.texte.contains("Été"));
        assert_eq!(d.constats[0].0, "encodage-devine");
    }
}
