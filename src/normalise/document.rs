//! A whole page: document fields (title, dates, categories), the decision
//! "testimonial or not" for each candidate item (see `retenir`), item
//! identifiers made unique, links, draft placeholders, and page-level
//! findings. The retained items themselves are handed to `temoignage`.

use super::temoignage::{normaliser_element, signaux, Contexte, Signaux};
use super::texte::{normaliser_espaces, plier_identifiant, references_decodees};
use super::Referentiels;
use crate::model::{Anomalie, Document, Extraction, Lien, Severite};
use crate::parse::{Disposition, ElementBrut, Format, Genre, LienBrut, PageBrute};
use chrono::NaiveDate;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// What is known of a page besides its content.
#[derive(Debug, Clone)]
pub struct Source {
    /// Document identifier (file name folded), already unique in the run.
    pub identifiant: String,
    /// Path relative to the input folder, with `/`.
    pub fichier_source: String,
    /// `sha256:<hex>` of the bytes.
    pub empreinte: String,
    /// Findings met while reading (encoding…), added before the page's own.
    pub anomalies: Vec<(&'static str, Severite, String, Option<String>)>,
    /// When the page's time is up: the items not yet normalised are dropped
    /// with a `delai-depasse` finding. `None`: no limit.
    pub echeance: Option<std::time::Instant>,
}

/// Collects findings with their rank in the document.
pub(crate) struct Constats<'a> {
    pub document: &'a str,
    pub liste: Vec<Anomalie>,
}

impl Constats<'_> {
    pub fn ajouter(
        &mut self,
        temoignage: Option<&str>,
        code: &'static str,
        severite: Severite,
        message: String,
        extrait: Option<String>,
    ) {
        let rang = self.liste.len() as i64 + 1;
        self.liste.push(Anomalie {
            document: self.document.to_string(),
            rang,
            temoignage: temoignage.map(str::to_string),
            code,
            severite,
            message,
            extrait,
        });
    }
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?$",
    )
    .unwrap()
});
static DATE_FICHIER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})-").unwrap());

/// `2024-07-03 13:49:00 +02:00` → (2024-07-03, `2024-07-03T13:49:00+02:00`).
/// The date is the one written, in the page's own offset (not moved to UTC).
pub(crate) fn lire_date(s: &str) -> Option<(NaiveDate, Option<String>)> {
    let c = DATE.captures(s.trim())?;
    let n = |i: usize| c.get(i).map(|m| m.as_str().parse::<u32>().unwrap_or(99));
    let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, n(2)?, n(3)?)?;
    let heure = match (n(4), n(5)) {
        (Some(h), Some(m)) if h < 24 && m < 60 => {
            let s = n(6).unwrap_or(0);
            if s >= 60 {
                return None;
            }
            let offset = match c.get(7).map(|m| m.as_str()) {
                None => String::new(),
                Some("Z") => "Z".into(),
                Some(o) if o.contains(':') => o.into(),
                Some(o) => format!("{}:{}", &o[..3], &o[3..]),
            };
            Some(format!("{}T{h:02}:{m:02}:{s:02}{offset}", date.format("%Y-%m-%d")))
        }
        (Some(_), _) => return None,
        _ => None,
    };
    Some((date, heure))
}

static LIEN_MD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"!?\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\s*\)"#).unwrap());
static BALISE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</?([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>").unwrap());

/// The text a reader sees of a front matter field written in Markdown (the
/// site renders `chapeau` with `markdownify`): links and images by their
/// text, tags gone (`<br>` and block tags as a space), `**bold**` markers
/// gone. "… dans le cadre du [Fonds pour la transformation de l'action
/// publique](https://…)" → "… du Fonds pour la transformation de l'action
/// publique".
pub(crate) fn texte_de_markdown_en_ligne(s: &str) -> String {
    if !s.contains(['[', '<', '*']) {
        return s.to_string();
    }
    let s = LIEN_MD.replace_all(s, "$1");
    let s = BALISE.replace_all(&s, |c: &regex::Captures| {
        let nom = c[1].to_ascii_lowercase();
        if matches!(
            nom.as_str(),
            "br" | "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "hr"
        ) {
            " "
        } else {
            ""
        }
    });
    let mut texte = s.into_owned();
    for gras in super::temoignage::gras_markdown(&texte.clone()) {
        texte = texte.replacen(gras, &gras[2..gras.len() - 2], 1);
    }
    normaliser_espaces(&texte)
}

fn date_du_fichier(fichier: &str) -> Option<NaiveDate> {
    let nom = fichier.rsplit('/').next().unwrap_or(fichier);
    let c = DATE_FICHIER.captures(nom)?;
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

/// The host of an absolute URL, lowercased; `None` for a relative link.
pub(crate) fn domaine(href: &str) -> Option<String> {
    let u = url::Url::parse(href).ok()?;
    u.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase()).filter(|h| !h.is_empty())
}

/// Normalises one parsed page.
pub fn normaliser(source: &Source, page: &PageBrute, refs: &Referentiels) -> Extraction {
    let doc_id = source.identifiant.as_str();
    // Binary content is not read at all: it has no title and no
    // testimonial to miss, which its own finding says.
    let illisible = source.anomalies.iter().any(|(code, ..)| *code == "contenu-binaire");
    let mut constats = Constats { document: doc_id, liste: Vec::new() };
    for (code, sev, msg, extrait) in &source.anomalies {
        constats.ajouter(None, code, *sev, msg.clone(), extrait.clone());
    }
    for (code, severite, message) in &page.constats {
        constats.ajouter(None, code, *severite, format!("{} : {message}", source.fichier_source), None);
    }
    if let Some(e) = &page.erreur_front {
        constats.ajouter(
            None,
            "front-matter-invalide",
            Severite::Erreur,
            format!("Le front matter YAML de {} est invalide : {e}", source.fichier_source),
            None,
        );
    }

    let front = &page.front;
    let (mut date_publication, mut date_heure_publication) = (None, None);
    if let Some(d) = &front.date {
        match lire_date(d) {
            Some((date, heure)) => {
                date_publication = Some(date);
                date_heure_publication = heure;
            }
            None => constats.ajouter(
                None,
                "date-invalide",
                Severite::Avertissement,
                format!("La date « {d} » du front matter n'est pas une date lisible ; la date du nom de fichier est utilisée s'il y en a une."),
                Some(d.clone()),
            ),
        }
    }
    if date_publication.is_none() {
        if let Some((date, heure)) = page.date_html.as_deref().and_then(lire_date) {
            date_publication = Some(date);
            date_heure_publication = heure;
        }
    }
    if date_publication.is_none() {
        date_publication = date_du_fichier(&source.fichier_source);
    }
    let titre = front
        .title
        .as_deref()
        .map(references_decodees)
        .or_else(|| page.titre_html.as_deref().map(std::borrow::Cow::Borrowed))
        .map(|t| normaliser_espaces(&t));
    if titre.is_none() && !illisible {
        constats.ajouter(None, "titre-absent", Severite::Avertissement, "La page n'a pas de titre.".into(), None);
    }

    let mut ex = Extraction::default();
    let ctx = Contexte { document: doc_id, date_publication, refs };
    let mut vus: HashMap<String, usize> = HashMap::new();
    let mut liens: Vec<(Option<String>, &LienBrut)> = Vec::new();
    let retenus = retenir(page, &mut constats, illisible);
    // Repeats are compared on their letters and digits only: the second
    // DILE copy of draft @00fe889 adds literal `**` and quotes to the first.
    let empreinte = |e: &ElementBrut| -> Vec<u8> {
        let mut lettres = Vec::new();
        for b in &e.blocs {
            let (texte, octets) = (b.texte.as_str(), b.texte.as_bytes());
            let mut i = 0;
            while i < octets.len() {
                if octets[i].is_ascii() {
                    if octets[i].is_ascii_alphanumeric() {
                        lettres.push(octets[i]);
                    }
                    i += 1;
                    continue;
                }
                let c = texte[i..].chars().next().unwrap_or(' ');
                if c.is_alphanumeric() {
                    lettres.extend_from_slice(&octets[i..i + c.len_utf8()]);
                }
                i += c.len_utf8();
            }
        }
        lettres
    };
    // (title, letters) → identifier of the first item with them.
    let mut deja: HashMap<(&str, Vec<u8>), String> = HashMap::new();
    // (title, attribution, opening paragraph) → the first testimonial with them.
    let mut ouvertures: HashMap<(String, Option<String>, String), String> = HashMap::new();
    let titres_partages: std::collections::HashSet<&str> = {
        let mut vus = std::collections::HashSet::new();
        retenus.iter().filter(|e| !vus.insert(e.titre.as_str())).map(|e| e.titre.as_str()).collect()
    };
    for (i, element) in retenus.iter().enumerate() {
        if source.echeance.is_some_and(|e| std::time::Instant::now() > e) {
            constats.ajouter(
                None,
                "delai-depasse",
                Severite::Erreur,
                format!(
                    "{} : le temps alloué à la page est écoulé ; {} élément(s) sur {} ne sont pas lus",
                    source.fichier_source,
                    retenus.len() - i,
                    retenus.len()
                ),
                None,
            );
            break;
        }
        let rang = i as i64 + 1;
        // The findings about the item's identifier, linked below to the
        // testimonial it becomes.
        let constats_id = constats.liste.len();
        let mut id = element.id.as_deref().map(plier_identifiant).unwrap_or_default();
        if id.len() > ID_MAX {
            // A huge attribute must not become a huge identifier (and a file
            // name nobody can open); the cut is reported.
            constats.ajouter(
                None,
                "identifiant-trop-long",
                Severite::Avertissement,
                format!("L'identifiant de l'élément {rang} fait {} caractères ; il est coupé à {ID_MAX}.", id.len()),
                Some(id.chars().take(80).collect()),
            );
            id = identifiant_de_titre(&id[..ID_MAX]);
        }
        if id.is_empty() {
            id = identifiant_de_titre(&element.titre);
            let repli = match (id.is_empty(), element.disposition) {
                (true, Disposition::Citation) => format!("citation-{rang}"),
                (true, _) => format!("element-{rang}"),
                (false, _) => id.clone(),
            };
            // A Markdown section has no id by design: its title names it.
            if element.disposition == Disposition::Accordeon {
                constats.ajouter(
                    None,
                    "identifiant-absent",
                    Severite::Avertissement,
                    format!("L'élément {rang} n'a ni `aria-controls` ni `id` ; son identifiant est tiré de son titre : « {repli} »."),
                    Some(element.titre.clone()),
                );
            }
            id = repli;
        }
        if let Some(autre) = &element.id_discordant {
            constats.ajouter(
                None,
                "identifiant-discordant",
                Severite::Info,
                format!("Le titre de l'élément {rang} annonce `aria-controls=\"{autre}\"` mais ouvre le contenu `id=\"{}\"` : c'est ce dernier qui nomme le témoignage.", element.id.as_deref().unwrap_or("")),
                Some(autre.clone()),
            );
        }
        let n = vus.entry(id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let mut unique = format!("{id}-{n}");
            while vus.contains_key(&unique) {
                *vus.get_mut(&id).unwrap() += 1;
                unique = format!("{id}-{}", vus[&id]);
            }
            constats.ajouter(
                None,
                "identifiant-duplique",
                Severite::Erreur,
                format!(
                    "L'identifiant « {id} » est porté par plusieurs éléments ; l'élément {rang} devient « {unique} »."
                ),
                element.id.clone(),
            );
            vus.insert(unique.clone(), 1);
            id = unique;
        }
        let tid = format!("{doc_id}--{id}");
        // Only items sharing their title with another can repeat it.
        let texte = if titres_partages.contains(element.titre.as_str()) { empreinte(element) } else { Vec::new() };
        let repete = deja.get(&(element.titre.as_str(), texte.clone())).cloned();
        if let Some(autre) = &repete {
            constats.ajouter(
                Some(&tid),
                "temoignage-repete",
                Severite::Avertissement,
                format!(
                    "Le témoignage « {} » reprend mot pour mot un témoignage précédent de la page ({autre}).",
                    element.titre
                ),
                Some(element.titre.clone()),
            );
        }
        deja.entry((element.titre.as_str(), texte)).or_insert_with(|| tid.clone());
        provisoires(element.blocs.iter().map(|b| b.texte.as_str()), &element.liens, Some(&tid), &mut constats);
        let repete = repete.is_some();
        let propre = sans_marqueurs(element);
        let avant = ex.temoignages.len();
        normaliser_element(&ctx, &propre, &tid, rang, &mut ex, &mut constats);
        if ex.temoignages.len() > avant {
            for a in &mut constats.liste[constats_id..] {
                if a.temoignage.is_none()
                    && matches!(
                        a.code,
                        "identifiant-trop-long"
                            | "identifiant-absent"
                            | "identifiant-discordant"
                            | "identifiant-duplique"
                    )
                {
                    a.temoignage = Some(tid.clone());
                }
            }
        }
        // The same testimonial in another layout (an accordion item and its
        // Markdown draft): same title and attribution, and a description
        // opening with the same paragraph of some length. Looked up by key
        // (a page of thousands of items stays linear).
        if let Some(t) = ex.temoignages.get(avant) {
            let ouverture = t.description.as_deref().and_then(|d| d.lines().next()).filter(|l| l.len() >= 80);
            if let Some(o) = ouverture {
                let cle = (t.titre.clone(), t.attribution.clone(), o.to_string());
                match ouvertures.get(&cle) {
                    Some(autre) if !repete => constats.ajouter(
                        Some(&tid),
                        "temoignage-repete",
                        Severite::Avertissement,
                        format!(
                            "Le témoignage « {} » reprend le titre, l'attribution et le début de la description d'un témoignage précédent de la page ({autre}), sous une autre mise en forme.",
                            t.titre
                        ),
                        Some(t.titre.clone()),
                    ),
                    Some(_) => {}
                    None => {
                        ouvertures.insert(cle, t.identifiant.clone());
                    }
                }
            }
        }
        liens.extend(element.liens.iter().map(|l| (Some(tid.clone()), l)));
    }
    provisoires(
        page.blocs_hors_elements.iter().map(|b| b.texte.as_str()),
        &page.liens_hors_elements,
        None,
        &mut constats,
    );
    // The links of candidates set aside (an information panel of an
    // accordion, a quote) are links of the page all the same.
    for e in page.elements.iter().filter(|e| !retenus.iter().any(|r| std::ptr::eq(*r, *e))) {
        liens.extend(e.liens.iter().map(|l| (None, l)));
    }
    liens.extend(page.liens_hors_elements.iter().map(|l| (None, l)));
    // The files the site offers with the page (a press release…).
    let fichiers: Vec<crate::parse::page::LienBrut> = front
        .fichiers
        .iter()
        .map(|(href, nom)| crate::parse::page::LienBrut { href: href.clone(), texte: nom.clone() })
        .collect();
    provisoires(std::iter::empty(), &fichiers, None, &mut constats);
    liens.extend(fichiers.iter().map(|l| (None, l)));
    // An empty `href` links nowhere; a huge one is not a URL anybody wrote.
    let mut longs = 0;
    liens.retain(|(_, l)| {
        if l.href.len() > URL_MAX {
            longs += 1;
        }
        !l.href.is_empty() && l.href.len() <= URL_MAX
    });
    if longs > 0 {
        constats.ajouter(
            None,
            "lien-trop-long",
            Severite::Avertissement,
            format!("{longs} lien(s) de plus de {URL_MAX} caractères ignoré(s)."),
            None,
        );
    }
    for (i, (temoignage, l)) in liens.into_iter().enumerate() {
        ex.liens.push(Lien {
            document: doc_id.to_string(),
            rang: i as i64 + 1,
            temoignage,
            url: l.href.clone(),
            texte: Some(l.texte.clone()),
            domaine: domaine(&l.href),
        });
    }

    ex.document = Document {
        identifiant: doc_id.to_string(),
        titre,
        date_publication,
        date_heure_publication,
        categories: elements_de_liste(&front.categories, "categories", &mut constats),
        mots_cles: elements_de_liste(&front.tags, "tags", &mut constats),
        chapeau: front
            .chapeau
            .as_deref()
            .map(|c| std::borrow::Cow::Owned(texte_de_markdown_en_ligne(&references_decodees(c))))
            .or_else(|| page.description_html.as_deref().map(std::borrow::Cow::Borrowed))
            .map(|t| normaliser_espaces(&t)),
        publie: front.published,
        format_source: page.format.as_str(),
        fichier_source: source.fichier_source.clone(),
        empreinte_source: source.empreinte.clone(),
        nombre_temoignages: ex.temoignages.len() as i64,
    };
    ex.anomalies = constats.liste;
    ex
}

/// The items of a front matter list, each item holding `;` (the cell
/// delimiter of list fields) cut into several: a CSV reader could not tell
/// "Cloud; sécurité" from two items, so the item is read as the two its
/// author most likely meant, in every format alike, and an `info` finding
/// says so.
fn elements_de_liste(elements: &[String], cle: &str, constats: &mut Constats<'_>) -> Vec<String> {
    if !elements.iter().any(|e| e.contains(';')) {
        return elements.to_vec();
    }
    let mut sortie = Vec::new();
    for e in elements {
        if !e.contains(';') {
            sortie.push(e.clone());
            continue;
        }
        let morceaux: Vec<String> = e.split(';').map(str::trim).filter(|m| !m.is_empty()).map(String::from).collect();
        constats.ajouter(
            None,
            "liste-point-virgule",
            Severite::Info,
            format!(
                "L'élément « {e} » de `{cle}` contient « ; », le séparateur des listes : il est lu comme {} élément(s).",
                morceaux.len()
            ),
            Some(e.chars().take(200).collect()),
        );
        sortie.extend(morceaux);
    }
    sortie
}

/// A draft's placeholder: "???" for a missing text, "(?)" after an unsure
/// attribution (focus-sur-les-succes-du-cloud-public@253145c), "FIN" left
/// after the last item (@00fe889), "TODO", "à compléter".
static PROVISOIRE: LazyLock<Regex> = LazyLock::new(|| {
    // ASCII word boundaries: a Unicode `\b` sends the regex engine to its
    // slow path on French text, and these markers are ASCII anyway. The end
    // of "à compléter" is checked by `provisoire` for the same reason.
    Regex::new(r"\?{3,}|\(\s*\?\s*\)|(?-u:\b)(?:TODO|TBD|XXX)(?-u:\b)|^\s*FIN\s*$|(?i:(?:^|[\s(«\x22'])à\s+compléter)")
        .unwrap()
});

/// The first placeholder of `t`: a match of [`PROVISOIRE`] that, when it is
/// "à compléter", ends a word and has no complement after it ("Texte à
/// compléter.", "(à compléter)"; not "à compléterai", nor the ordinary
/// "le temps que vous consacrerez à compléter ce questionnaire").
fn provisoire(t: &str) -> Option<regex::Match<'_>> {
    PROVISOIRE.find_iter(t).find(|m| {
        !m.as_str().ends_with(['r', 'R'])
            || !t[m.end()..].trim_start().chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}
/// Whether `t` may hold a match of [`PROVISOIRE`]: a superset test that lets
/// most text skip the regex. "?" by memchr, the words by SIMD search on
/// 3-byte fingerprints (with "?" among the patterns every "o" of the text
/// would be a candidate). "à compléter" is matched case-insensitively by the
/// regex, so every casing of "plét" is a pattern ("ComPLÉter" too).
fn peut_contenir_marqueur(t: &str) -> bool {
    static MOTS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        let mut motifs: Vec<String> = ["TODO", "TBD", "XXX", "FIN"].map(String::from).into();
        for masque in 0..16u8 {
            let lettre = |i: u8, bas: char, haut: char| if masque & (1 << i) == 0 { bas } else { haut };
            motifs.push(
                [lettre(0, 'p', 'P'), lettre(1, 'l', 'L'), lettre(2, 'é', 'É'), lettre(3, 't', 'T')].iter().collect(),
            );
        }
        // Leftmost semantics (same yes/no answer) let the SIMD searcher run.
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(motifs)
            .expect("fixed words")
    });
    memchr::memchr(b'?', t.as_bytes()).is_some() || MOTS.is_match(t)
}

/// A link target left as a placeholder: `<a href="LIEN">Albert</a>` (@00fe889).
static LIEN_PROVISOIRE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:LIEN|TODO|TBD|XXX|URL|\?+|#?)$").unwrap());
/// A block that is nothing but a placeholder, dropped from the text.
static BLOC_PROVISOIRE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\?{2,}|\(\s*\?\s*\)|TODO|TBD|XXX|FIN)\s*[.!]?\s*$").unwrap());

/// Reports every placeholder of a draft in these texts and links.
fn provisoires<'a>(
    textes: impl Iterator<Item = &'a str>,
    liens: &[LienBrut],
    temoignage: Option<&str>,
    constats: &mut Constats<'_>,
) {
    for t in textes {
        if !peut_contenir_marqueur(t) {
            continue;
        }
        if let Some(m) = provisoire(t) {
            constats.ajouter(
                temoignage,
                "texte-provisoire",
                Severite::Avertissement,
                format!("Un marqueur de brouillon « {} » est resté dans le texte.", m.as_str().trim()),
                Some(t.chars().take(200).collect()),
            );
        }
    }
    for l in liens {
        // `href="#"` is how Foundation accordion titles are written; only a
        // link whose text names something and points nowhere is a placeholder.
        if LIEN_PROVISOIRE.is_match(l.href.trim()) && !(l.href.trim() == "#" || l.href.trim().is_empty()) {
            constats.ajouter(
                temoignage,
                "lien-provisoire",
                Severite::Avertissement,
                format!(
                    "Le lien « {} » pointe vers « {} », un marqueur de brouillon, pas une adresse.",
                    l.texte, l.href
                ),
                Some(l.href.clone()),
            );
        } else if let Some(raison) = non_perenne(&l.href) {
            constats.ajouter(
                temoignage,
                "lien-non-perenne",
                Severite::Avertissement,
                format!("Le lien « {} » {raison} : il ne mènera nulle part une fois publié.", l.texte),
                Some(l.href.chars().take(200).collect()),
            );
        }
    }
}

/// Why a link will not last, if it will not: a single-use sign-in address
/// (OpenID Connect or OAuth: `state`, `nonce` or `code_challenge` with a
/// `client_id`, `redirect_uri` or `response_type`), a session or access
/// token in the query, or a test server copied from a draft (a subdomain
/// label `integ`, `recette`, `preprod`, `pre-prod`, `staging`, `qualif`,
/// alone or followed by digits or a dash: `integ01`, `staging-app`; or
/// `localhost`).
fn non_perenne(href: &str) -> Option<String> {
    const SESSION: &[&str] = &["session_state", "access_token", "id_token", "jsessionid", "sessionid"];
    const CONNEXION: &[&str] = &["state", "nonce", "code_challenge"];
    const CLIENT: &[&str] = &["client_id", "redirect_uri", "response_type"];
    const HOTES: &[&str] = &["integ", "recette", "preprod", "pre-prod", "staging", "qualif"];
    let href = href.trim();
    if !(href.starts_with("http://") || href.starts_with("https://")) {
        return None;
    }
    let url = url::Url::parse(href).ok()?;
    let cles: Vec<String> = url.query_pairs().map(|(k, _)| k.to_ascii_lowercase()).collect();
    let a = |noms: &[&str]| cles.iter().find(|k| noms.contains(&k.as_str())).cloned();
    if let Some(p) = a(SESSION).or_else(|| a(CLIENT).and(a(CONNEXION))) {
        return Some(format!("est une adresse de connexion ou de session à usage unique (paramètre « {p} »)"));
    }
    let hote = url.host_str()?.to_ascii_lowercase();
    let labels: Vec<&str> = hote.split('.').collect();
    let sous_domaines = &labels[..labels.len().saturating_sub(2)];
    let test = |l: &str| {
        HOTES.iter().any(|h| {
            l.strip_prefix(h).is_some_and(|reste| {
                reste.is_empty() || reste.starts_with('-') || reste.bytes().all(|b| b.is_ascii_digit())
            })
        })
    };
    (hote == "localhost" || hote == "127.0.0.1" || sous_domaines.iter().any(|l| test(l)))
        .then(|| format!("pointe vers un serveur de test ou de recette (« {hote} »)"))
}

/// The element without the blocks that are only a placeholder ("???").
fn sans_marqueurs(element: &ElementBrut) -> ElementBrut {
    let mut e = element.clone();
    e.blocs.retain(|b| !BLOC_PROVISOIRE.is_match(&b.texte));
    e
}

/// An identifier from a title, cut at a word boundary: Markdown sections are
/// named by their project link ("La Géoplateforme" → `la-geoplateforme`).
/// Longest item identifier kept (after folding) and longest link target.
const ID_MAX: usize = 120;
const URL_MAX: usize = 8192;

fn identifiant_de_titre(titre: &str) -> String {
    let id = plier_identifiant(titre);
    if id.len() <= 60 {
        return id;
    }
    let coupe = id[..60].rfind('-').unwrap_or(60);
    id[..coupe].to_string()
}

/// Decides which candidates are testimonials, and records why a page has
/// none. The signals, strongest first:
/// 1. an attribution line "Témoignage de …" in the item: a testimonial
///    (every testimonial of the seed and of its drafts has one; no FAQ
///    panel, org chart or quote of the corpus does);
/// 2. no attribution, but another item of the page has one: the page is a
///    series of testimonials, and this accordion item is one whose
///    attribution was forgotten (kept; `attribution-absente` says so);
/// 3. a question asked and answered is NOT enough on its own: the guichet
///    panels ask theirs ("Quels projets … sont acceptés ?") and are a FAQ;
/// 4. anything else is not: information panels, a `.lien-important` link
///    no attribution follows (`acc-eig6`), quotes (`blockquote.citation`,
///    kramdown `{: .citation}`: one person's words, no questions, no
///    attribution line), an interview or FAQ written as loose headings.
///
/// A Markdown section is only a candidate when an attribution closes it, so
/// signal 1 holds for every section.
fn retenir<'p>(page: &'p PageBrute, constats: &mut Constats<'_>, illisible: bool) -> Vec<&'p ElementBrut> {
    let s: Vec<Signaux> = page.elements.iter().map(signaux).collect();
    let atteste = s.iter().any(|s| s.attribution);
    let mut retenus = Vec::new();
    for (e, sig) in page.elements.iter().zip(&s) {
        let serie = atteste && e.disposition == Disposition::Accordeon;
        if sig.attribution || serie {
            retenus.push(e);
        } else if atteste {
            constats.ajouter(
                None,
                "element-non-temoignage",
                Severite::Info,
                format!("L'élément « {} » n'est pas retenu comme témoignage : aucune ligne « Témoignage de … » dans l'élément ni ailleurs dans la page.", e.titre),
                Some(e.titre.clone()),
            );
        }
    }
    if retenus.is_empty() && !illisible {
        let mut motifs: Vec<String> = Vec::new();
        if page.format == Format::Markdown && !page.a_front_matter {
            motifs.push("le fichier n'a pas de front matter Jekyll (Jekyll ne le publie pas comme une page)".into());
        }
        let n = page.elements.len();
        if n > 0 {
            motifs.push(format!("{n} élément(s) d'accordéon sans ligne « Témoignage de … » : un accordéon d'information (FAQ, organigramme, détails d'un guichet), pas des témoignages"));
        }
        if !page.sections_ouvertes.is_empty() {
            motifs.push(format!(
                "{} lien(s) « lien-important » qu'aucune ligne « Témoignage de … » ne suit",
                page.sections_ouvertes.len()
            ));
        }
        if !page.citations.is_empty() {
            motifs.push(format!(
                "{} citation(s) seulement : une citation isolée n'a ni questions/réponses ni ligne « Témoignage de … »",
                page.citations.len()
            ));
        }
        let questions = page
            .blocs_hors_elements
            .iter()
            .filter(|b| (b.genre == Genre::Titre || b.gras) && b.texte.trim_end().ends_with('?'))
            .count();
        if questions > 0 {
            motifs.push(format!("{questions} question(s) en intertitre ou en gras, mais aucune ligne « Témoignage de … » : un entretien ou une FAQ, pas un témoignage de projet"));
        }
        if page.blocs_hors_elements.is_empty() && n == 0 && page.citations.is_empty() {
            motifs.push("la page n'a pas de texte".into());
        }
        if motifs.is_empty() {
            motifs.push(
                "ni accordéon, ni section « lien-important » close par une ligne « Témoignage de … », ni citation"
                    .into(),
            );
        }
        if page.images_sans_texte > 0 {
            motifs.push(format!(
                "{} image(s) sans texte de remplacement (alt vide ou nom de fichier)",
                page.images_sans_texte
            ));
            // "11 témoignages pour valoriser…" and only images: the
            // testimonials are there for who sees them, not in the text.
            let annonce =
                page.front.title.as_deref().is_some_and(|t| super::texte::forme_comparable(t).contains("temoignage"));
            if annonce {
                constats.ajouter(
                    None,
                    "temoignages-en-images",
                    Severite::Avertissement,
                    format!(
                        "Le titre annonce des témoignages, mais la page n'en donne aucun en texte et montre {} image(s) sans texte de remplacement : les témoignages ne sont sans doute lisibles qu'en image (ni dans ce jeu, ni pour un lecteur d'écran).",
                        page.images_sans_texte
                    ),
                    None,
                );
            }
        }
        constats.ajouter(
            None,
            "aucun-temoignage",
            Severite::Info,
            format!("Aucun témoignage dans cette page : {}.", motifs.join(" ; ")),
            None,
        );
    }
    retenus
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liens_qui_ne_dureront_pas() {
        let session = "https://laboesi.integ.sante.gouv.fr/auth/realms/saisie/protocol/openid-connect/auth?client_id=x&state=abc&nonce=def&code_challenge=g";
        assert!(non_perenne(session).unwrap().contains("« state »"));
        assert!(non_perenne("https://laboesi.integ.sante.gouv.fr/").unwrap().contains("laboesi.integ.sante.gouv.fr"));
        assert!(non_perenne("https://recette.exemple.gouv.fr/page").is_some());
        assert!(non_perenne("http://localhost:8080/admin").is_some());
        assert!(non_perenne("https://fcp.integ01.dev-franceconnect.fr/api").is_some());
        assert!(non_perenne("https://staging-app.exemple.fr/").is_some());
        assert!(non_perenne("https://x.fr/?jsessionid=1").is_some());
        for durable in [
            "https://gitlab.com/g/p/-/issues?state=opened",
            "https://www.code.gouv.fr/sill?search=x&state=all",
            "https://integration.univ-rennes.fr/",
            "https://www.integration.gouv.fr/",
            "https://recette.fr/",
            "https://www.numerique.gouv.fr/services/cloud/",
            "https://geoservices.ign.fr/documentation?statut=ok",
            "https://integrateurs.exemple.fr/",
            "/uploads/note.pdf",
            "mailto:contact@exemple.fr",
        ] {
            assert_eq!(non_perenne(durable), None, "{durable}");
        }
    }

    #[test]
    fn chapeau_en_markdown_lu_comme_le_lecteur_le_voit() {
        let cas = [
            (
                "Un guichet du [Fonds pour la transformation de l'action publique](https://www.modernisation.gouv.fr/x_(y)).",
                "Un guichet du Fonds pour la transformation de l'action publique.",
            ),
            ("(lire l'arrêté). <br> [Lire aussi Rapport](https://x.fr) et <br/>**fin**", "(lire l'arrêté). Lire aussi Rapport et fin"),
            ("Un texte sans balisage, 2 * 3 = 6, 2**10 + 3**2 et mon__fichier__v2.csv.", "Un texte sans balisage, 2 * 3 = 6, 2**10 + 3**2 et mon__fichier__v2.csv."),
            ("Les sites en .gouv.fr et les applications .NET", "Les sites en .gouv.fr et les applications .NET"),
            ("L'<abbr title=\"Institut\">INSEE</abbr> publie le <a href=\"x\">guide</a>).", "L'INSEE publie le guide)."),
            ("Une image ![logo](a.png \"titre\") et [a] [b]", "Une image logo et [a] [b]"),
        ];
        for (brut, attendu) in cas {
            assert_eq!(texte_de_markdown_en_ligne(brut), attendu, "{brut}");
        }
    }

    #[test]
    fn dates() {
        let (d, h) = lire_date("2024-07-03 13:49:00 +02:00").unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2024, 7, 3).unwrap());
        assert_eq!(h.as_deref(), Some("2024-07-03T13:49:00+02:00"));
        assert_eq!(lire_date("2021-1-5").unwrap().1, None);
        assert_eq!(lire_date("2021-01-05T08:00:00+0100").unwrap().1.as_deref(), Some("2021-01-05T08:00:00+01:00"));
        assert!(lire_date("2021-02-30").is_none());
        assert!(lire_date("juin 2023").is_none());
        assert_eq!(date_du_fichier("pages/2024-07-03-cloud.md"), NaiveDate::from_ymd_opt(2024, 7, 3));
    }

    #[test]
    fn domains() {
        assert_eq!(domaine("https://WWW.Service-Public.fr/x").as_deref(), Some("www.service-public.fr"));
        assert_eq!(domaine("/services/cloud"), None);
        assert_eq!(domaine("LIEN"), None);
    }
    #[test]
    fn marqueurs_de_toute_casse() {
        for t in ["Texte à compléter.", "À COMPLÉTER", "(à ComPLÉter)", "« À compLéteR", "TODO", "??? ", "FIN"]
        {
            assert!(provisoire(t).is_some(), "{t}");
            assert!(peut_contenir_marqueur(t), "{t}");
        }
        assert!(provisoire("à compléterai").is_none());
        assert!(provisoire("le temps que vous consacrerez à compléter ce questionnaire").is_none());
        assert!(provisoire("Champ à compléter\u{a0}: nom du projet").is_some());
        assert!(!peut_contenir_marqueur("Un texte ordinaire, sans marqueur."));
    }

    proptest::proptest! {
        /// The prefilter never hides a placeholder the regex would report.
        #[test]
        fn filtre_des_marqueurs_sans_perte(
            avant in "[ a-zA-Z(«'\"]{0,6}",
            casse in proptest::collection::vec(proptest::bool::ANY, 11),
            espaces in "[ \t\u{a0}]{1,3}",
            apres in "[ a-z.,]{0,4}",
        ) {
            let mot: String = "àcompléter"
                .chars()
                .zip(&casse)
                .map(|(c, &h)| if h { c.to_uppercase().next().unwrap() } else { c })
                .collect();
            let (a, reste) = mot.split_at(mot.chars().next().unwrap().len_utf8());
            let t = format!("{avant}{a}{espaces}{reste}{apres}");
            if provisoire(&t).is_some() {
                proptest::prop_assert!(peut_contenir_marqueur(&t), "{}", t);
            }
        }
    }
}
