//! One page → `PageBrute`: front matter, then the raw testimonial candidates
//! in every layout the site uses, with their blocks of text (paragraphs,
//! list items, headings; bold or not) and links, plus what lies outside them
//! (loose blocks, links, quotes). Markdown is rendered first (`kramdown`),
//! then parsed once by html5ever, which repairs the broken nesting real
//! pages have (an unclosed `<i>`, an accordion `<div>` never closed): that is
//! why the page is read as one flat walk in document order, where items are
//! recognised by their own class, never through their wrappers.
//!
//! Layouts (see `tests/fixtures/layouts/`):
//! - accordion items `div.accordion-item` (title `.accordion-title`, a
//!   `<button>` or a Foundation `<a>`; body `.accordion-content`);
//! - Markdown sections: a `.lien-important` link naming the project, then
//!   paragraphs, `####` questions and quoted answers, closed by a
//!   "Témoignage de …" line (focus-sur-les-succes-du-cloud-public drafts);
//! - quotes: `blockquote.citation` (+ `.auteur-citation`), plain blockquotes.
//!
//! On a rendered page only the article counts: `<article>`, `<main>` or
//! `[role=main]` when there is one, and never a header, navigation, footer,
//! sidebar, script or HTML comment.

use super::frontmatter::{self, FrontMatter};
use super::kramdown;
use crate::normalise::texte::normaliser_espaces;
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;

/// How the source is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A Jekyll post: front matter, then Markdown with HTML blocks.
    #[default]
    Markdown,
    /// A rendered HTML page.
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// The kind of a block of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    Paragraphe,
    ElementListe,
    Titre,
}

/// A block of text as the reader sees it: a paragraph, a list item, a heading,
/// or a run of loose text between blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Bloc {
    pub genre: Genre,
    /// Whitespace collapsed; no-break spaces kept.
    pub texte: String,
    /// Every visible character is inside `<strong>`/`<b>`.
    pub gras: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LienBrut {
    pub href: String,
    pub texte: String,
}

/// Which layout a candidate item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// `div.accordion-item`.
    Accordeon,
    /// A Markdown section opened by a `.lien-important` link and closed by a
    /// "Témoignage de …" line.
    Section,
    /// A quote (`blockquote.citation`, `{: .citation}`) whose author line or
    /// last line is a "Témoignage de …" line.
    Citation,
}

/// One testimonial candidate, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementBrut {
    /// Accordion: the content's `id`, else the title's `aria-controls` or
    /// `href`. Section: none (the identifier comes from the title).
    pub id: Option<String>,
    /// The title's `aria-controls` when it names another element than the
    /// content's `id` (a copy-paste left-over: the button opens the content).
    pub id_discordant: Option<String>,
    pub titre: String,
    pub blocs: Vec<Bloc>,
    pub liens: Vec<LienBrut>,
    pub disposition: Disposition,
}

/// A quotation outside any item: `blockquote.citation` or a plain blockquote.
#[derive(Debug, Clone, PartialEq)]
pub struct CitationBrute {
    pub texte: String,
    /// A `blockquote.citation` (or its `.auteur-citation`), not a plain
    /// blockquote, which is text of the page (a section's quoted answers).
    pub classee: bool,
    /// The `.auteur-citation` block that follows, when there is one.
    pub auteur: Option<String>,
    /// The number of text blocks met before it (where it stands among them).
    pub position: usize,
    /// The number of item and section markers met before it: a quote and
    /// a marker at the same block are told apart by it.
    pub marques_avant: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageBrute {
    pub format: Format,
    pub front: FrontMatter,
    /// Whether the page opens with a `---` front matter block.
    pub a_front_matter: bool,
    /// The YAML error, with its line in the file, when the front matter is invalid.
    pub erreur_front: Option<String>,
    /// `h1` of the article, `og:title` or `<title>` of a rendered page.
    pub titre_html: Option<String>,
    /// Publication date of a rendered page (`article:published_time`,
    /// `<time datetime>`, a French date in a `date` element), as
    /// `YYYY-MM-DD[Thh:mm:ss±hh:mm]`.
    pub date_html: Option<String>,
    /// `<meta name="description">` (or `og:description`) of a rendered page.
    pub description_html: Option<String>,
    /// Candidates of every layout, in page order.
    pub elements: Vec<ElementBrut>,
    pub liens_hors_elements: Vec<LienBrut>,
    /// The page's text outside the candidates, in order.
    pub blocs_hors_elements: Vec<Bloc>,
    pub citations: Vec<CitationBrute>,
    /// `.lien-important` links that no "Témoignage de …" line followed.
    pub sections_ouvertes: Vec<LienBrut>,
    /// What makes the page itself suspect (too deep, cut short).
    pub constats: Vec<(&'static str, crate::model::Severite, String)>,
    /// Images of the page without a text alternative (see `sans_alternative`).
    pub images_sans_texte: usize,
}

/// Deepest element nesting read. Real pages nest a few dozen levels;
/// html5ever's tree builder checks scopes along the stack of open elements,
/// so 200,000 nested elements would take minutes: such a page is refused.
pub const PROFONDEUR_MAX: usize = 2_000;

/// A cheap estimate of the deepest nesting, before parsing: start tags
/// open, end tags close; void elements and elements the parser closes by
/// itself (`p`, `li`, cells…) are not counted. Comments are skipped.
pub fn profondeur_estimee(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut i, mut prof, mut max) = (0usize, 0usize, 0usize);
    while let Some(k) = memchr_lt(&b[i..]) {
        i += k + 1;
        if b[i..].starts_with(b"!--") {
            match memchr::memmem::find(&b[i..], b"-->") {
                Some(f) => {
                    i += f + 3;
                    continue;
                }
                None => break,
            }
        }
        let fermant = b.get(i) == Some(&b'/');
        let debut = if fermant { i + 1 } else { i };
        let fin = b[debut..].iter().position(|c| !c.is_ascii_alphanumeric()).map_or(b.len(), |n| debut + n);
        if fin == debut || !b[debut].is_ascii_alphabetic() {
            continue;
        }
        if sans_profondeur(&b[debut..fin]) {
            continue;
        }
        if fermant {
            prof = prof.saturating_sub(1);
        } else {
            let auto = memchr::memchr(b'>', &b[fin..]).is_some_and(|n| n > 0 && b[fin + n - 1] == b'/');
            if !auto {
                prof += 1;
                max = max.max(prof);
            }
        }
    }
    max
}

/// Void elements and elements the parser closes by itself (`p`, `li`,
/// cells…), in any ASCII case: they add no depth.
fn sans_profondeur(nom: &[u8]) -> bool {
    let mut bas = [0u8; 8];
    let Some(bas) = bas.get_mut(..nom.len()) else { return false };
    for (d, s) in bas.iter_mut().zip(nom) {
        *d = s.to_ascii_lowercase();
    }
    matches!(
        &*bas,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"source"
            | b"track"
            | b"wbr"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"tr"
            | b"td"
            | b"th"
            | b"option"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"colgroup"
    )
}

/// `Html::parse_document`, the tree's node vector sized at once from the
/// number of '<' instead of doubling, with a copy each time, as the parser
/// adds nodes. A page has about 1.2 nodes per '<' (an element has two tags
/// and one or two text nodes); 1.5 spares most pages a copy and stays
/// under what doubling would reserve for a page of tags alone.
fn analyser(html: &str) -> Html {
    use html5ever::tendril::TendrilSink;
    let mut doc = Html::new_document();
    let balises = memchr::memchr_iter(b'<', html.as_bytes()).count();
    doc.tree = ego_tree::Tree::with_capacity(scraper::Node::Document, balises + balises / 2 + 16);
    html5ever::driver::parse_document(scraper::HtmlTreeSink::new(doc), Default::default()).one(html)
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    memchr::memchr(b'<', b)
}

/// Byte offset where a page ends inside a tag (`…<div cla`), if it does.
pub fn coupee_dans_une_balise(texte: &str) -> Option<usize> {
    let t = texte.trim_end();
    let lt = t.rfind('<')?;
    let suite = t[lt + 1..].chars().next()?;
    let ouverte = t[lt..].find('>').is_none();
    (ouverte && (suite.is_ascii_alphabetic() || suite == '/' || suite == '!')).then_some(lt)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

static TITLE: LazyLock<Selector> = LazyLock::new(|| sel(".accordion-title"));
static CONTENT: LazyLock<Selector> = LazyLock::new(|| sel(".accordion-content"));
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static A_HREF: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));
static TITLE_TAG: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static META: LazyLock<Selector> = LazyLock::new(|| sel("meta[content]"));
static TIME: LazyLock<Selector> = LazyLock::new(|| sel("time"));
static CLASSE_DATE: LazyLock<Selector> = LazyLock::new(|| sel("[class*=date], [class*=Date]"));

/// "Témoignage de …" at the start of a block: what closes a Markdown section.
/// The same signal `normalise` reads as the attribution line.
/// A « Témoignage de … » line ("Témoignage conjoint de …" too).
pub(crate) static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*[«“\x22]?\s*t[ée]moignage\s+(?:conjointe?\s+)?(?:d[eu]s?\b|d['’]|de\s+la\b|:)").unwrap()
});
static DATE_FR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:er)?\s+(janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)\s+(\d{4})\b|\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
        .unwrap()
});
static DATE_ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?").unwrap()
});

/// Elements whose content is never page text.
fn ignore(name: &str) -> bool {
    matches!(name, "script" | "style" | "template" | "noscript" | "iframe" | "svg" | "head")
}

/// Elements around the article on a rendered page: by tag, by ARIA role, or
/// (rendered pages only) by the class or id themes give them.
fn hors_article(e: &ElementRef<'_>, format: Format) -> bool {
    let v = e.value();
    if matches!(v.name(), "header" | "nav" | "footer" | "aside") {
        // An article's own header holds its title and date, not site chrome;
        // it is kept out of the text all the same (it is not content).
        return true;
    }
    if let Some(role) = v.attr("role") {
        if matches!(role, "banner" | "navigation" | "contentinfo" | "complementary" | "search") {
            return true;
        }
    }
    if format == Format::Html {
        const MOTS: &[&str] = &[
            "header",
            "footer",
            "navbar",
            "nav",
            "menu",
            "breadcrumb",
            "fil-ariane",
            "skip-link",
            "skiplinks",
            "cookie",
            "cookies",
            "banner",
            "sidebar",
            "share",
            "partage",
            "social",
            "newsletter",
        ];
        let motif = |s: &str| {
            s.split(|c: char| c.is_whitespace() || c == '_').any(|t| {
                MOTS.iter().any(|m| {
                    let (t, m) = (t.as_bytes(), m.as_bytes());
                    t.eq_ignore_ascii_case(m)
                        || (t.get(..m.len()).is_some_and(|p| p.eq_ignore_ascii_case(m))
                            && t.get(m.len()) == Some(&b'-'))
                })
            })
        };
        if v.attr("class").is_some_and(motif) || v.attr("id").is_some_and(motif) {
            return true;
        }
    }
    false
}

fn bloc_genre(name: &str) -> Option<Genre> {
    match name {
        "li" | "dt" | "dd" => Some(Genre::ElementListe),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(Genre::Titre),
        "p" | "div" | "ul" | "ol" | "dl" | "blockquote" | "section" | "article" | "table" | "tr" | "td" | "th"
        | "thead" | "tbody" | "pre" | "figure" | "figcaption" | "hr" | "main" | "header" | "footer" | "nav"
        | "aside" | "form" | "fieldset" | "details" | "summary" | "address" | "button" => Some(Genre::Paragraphe),
        _ => None,
    }
}

/// Whether the `class` attribute lists `classe`. Read from the attribute:
/// scraper's `classes()` interns every class name in a global table shared
/// by all threads.
fn a_classe(e: &ElementRef<'_>, classe: &str) -> bool {
    e.value().attr("class").is_some_and(|v| v.split_ascii_whitespace().any(|c| c == classe))
}

fn est_element(e: &ElementRef<'_>) -> bool {
    e.value().name() == "div" && a_classe(e, "accordion-item")
}

/// Parses one page. Never fails: what cannot be read is reported in
/// `erreur_front` and the rest is still read.
pub fn parse_page(text: &str, format: Format) -> PageBrute {
    let mut constats = Vec::new();
    let mut split = frontmatter::split(text);
    let mut front_non_ferme = false;
    if let Some(s) = frontmatter::split_non_ferme(text) {
        constats.push((
            "front-matter-non-ferme",
            crate::model::Severite::Erreur,
            format!(
                "ligne 1 : le front matter ouvert par `---` n'est jamais fermé (aucune ligne `---` ou `...` après) : Jekyll ne lit alors aucun front matter (la page perd son titre et sa date, ces lignes s'affichent dans le texte) ; {}",
                match s.body_line {
                    2 => "la suite est lue comme corps, sans front matter".to_string(),
                    3 => "la ligne 2 est lue comme front matter, la suite comme corps".to_string(),
                    n => format!("les lignes 2 à {} sont lues comme front matter, la suite comme corps", n - 1),
                }
            ),
        ));
        split = s;
        front_non_ferme = true;
    }
    let (front, erreur_front) = match split.yaml {
        // What the lines before the body give, read one by one.
        Some(yaml) if front_non_ferme => (frontmatter::recuperer(yaml), None),
        Some(yaml) => match frontmatter::parse(yaml) {
            Ok(f) => (f, None),
            // The front matter starts on line 2 of the file; what can be
            // salvaged line by line (title, date…) still is.
            Err(e) => (frontmatter::recuperer(yaml), Some(e)),
        },
        None => (FrontMatter::default(), None),
    };
    let html = match format {
        Format::Markdown => kramdown::rendre(split.body),
        Format::Html => split.body.to_string(),
    };
    if let Some(pos) = coupee_dans_une_balise(text) {
        constats.push((
            "page-tronquee",
            crate::model::Severite::Erreur,
            format!("la page s'arrête au milieu d'une balise (octet {pos}) : elle est sans doute incomplète"),
        ));
    }
    let profondeur = profondeur_estimee(&html);
    let html = if profondeur > PROFONDEUR_MAX {
        constats.push((
            "imbrication-trop-profonde",
            crate::model::Severite::Erreur,
            format!(
                "environ {profondeur} éléments imbriqués (limite {PROFONDEUR_MAX}) : le corps de la page n'est pas lu"
            ),
        ));
        String::new()
    } else {
        html
    };
    let doc = analyser(&html);
    let root = racine(&doc, format);
    let (titre_html, date_html, description_html) = match format {
        Format::Markdown => (None, None, None),
        Format::Html => (titre_rendu(&doc, root), date_rendue(&doc, root), description_rendue(&doc)),
    };

    let mut plat = Walker { format, plat: true, ..Walker::default() };
    plat.walk(root, false);
    plat.flush();
    let mut page = PageBrute {
        format,
        front,
        a_front_matter: split.yaml.is_some(),
        erreur_front,
        titre_html,
        date_html,
        description_html,
        elements: Vec::new(),
        liens_hors_elements: Vec::new(),
        blocs_hors_elements: Vec::new(),
        citations: plat.citations,
        sections_ouvertes: Vec::new(),
        constats,
        images_sans_texte: plat.images_sans_texte,
    };
    decouper(&mut page, plat.blocs, plat.liens, plat.marques, plat.items);
    citations_attestees(&mut page);
    page
}

/// Turns the quotes attributed by a "Témoignage de …" line (their author
/// block, or their own last line) into testimonial candidates, after the
/// page's other items; the attribution starts at "Témoignage" ("**Marie
/// Durand**, directrice — Témoignage de la DGFiP" gives "Témoignage de la
/// DGFiP").
fn citations_attestees(page: &mut PageBrute) {
    /// Where a "Témoignage de …" line starts in `ligne`: at its start, or
    /// after a dash, a comma, a colon or a closing quote ("**Marie Durand**,
    /// directrice — Témoignage de …", "« … » Témoignage de …"); not inside a
    /// sentence ("le témoignage de nos agents").
    fn attribution(ligne: &str) -> Option<usize> {
        ligne.char_indices().map(|(i, _)| i).find(|&i| {
            let avant = ligne[..i].trim_end();
            (avant.is_empty() || avant.ends_with(['—', '–', '-', ',', ':', '|', '»', '"', '”', '.', ')']))
                && ATTRIBUTION.is_match(&ligne[i..])
        })
    }
    let citations = std::mem::take(&mut page.citations);
    for c in citations {
        if !c.classee {
            page.citations.push(c);
            continue;
        }
        let mut lignes: Vec<&str> = c.texte.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let attestee = match c.auteur.as_deref() {
            Some(a) => attribution(a).map(|i| a[i..].trim().to_string()),
            None => None,
        }
        .or_else(|| {
            // The quote's own last line, or the end of it: "« … » Témoignage
            // de …" keeps the quote.
            let derniere = *lignes.last()?;
            let i = attribution(derniere)?;
            lignes.pop();
            let citee = derniere[..i].trim();
            if !citee.is_empty() {
                lignes.push(citee);
            }
            Some(derniere[i..].trim().to_string())
        });
        let Some(attestee) = attestee else {
            page.citations.push(c);
            continue;
        };
        let bloc = |texte: &str| Bloc { genre: Genre::Paragraphe, texte: texte.to_string(), gras: false };
        let mut blocs: Vec<Bloc> = lignes.iter().map(|l| bloc(l)).collect();
        blocs.push(bloc(&attestee));
        page.elements.push(ElementBrut {
            id: None,
            id_discordant: None,
            titre: String::new(),
            blocs,
            liens: Vec::new(),
            disposition: Disposition::Citation,
        });
    }
}

/// A marker met during the flat walk, at a block index.
enum Marque {
    /// The accordion item with this index in `items`.
    Item(usize),
    /// A `.lien-important` block (its first link).
    Important(LienBrut),
}

/// Cuts the flat walk into candidates: accordion items where they stand,
/// Markdown sections from a `.lien-important` link to the "Témoignage de …"
/// line that closes it. A section no attribution closes is not a candidate:
/// its text stays outside (and is listed in `sections_ouvertes`).
fn decouper(
    page: &mut PageBrute,
    blocs: Vec<Bloc>,
    liens: Vec<(usize, LienBrut)>,
    marques: Vec<(usize, Marque)>,
    mut items: Vec<Option<ElementBrut>>,
) {
    struct Ouverte {
        lien: LienBrut,
        blocs: Vec<Bloc>,
        liens: Vec<LienBrut>,
        /// The `.citation` quotes met inside it, their lines taken into
        /// `blocs` from this index: text of the section once an attribution
        /// closes it, quotes of the page again if none does.
        citations: Vec<(usize, usize, CitationBrute)>,
    }
    let mut ouverte: Option<Ouverte> = None;
    let mut citations = std::mem::take(&mut page.citations).into_iter().peekable();
    // The block index right after the line that closed the last section.
    let mut derniere_fermee: Option<usize> = None;
    let mut marques = marques.into_iter().peekable();
    let mut liens = liens.into_iter().peekable();
    let fermer_sans_attribution = |mut o: Ouverte, page: &mut PageBrute| {
        for (debut, n, _) in o.citations.iter().rev() {
            o.blocs.drain(*debut..*debut + *n);
        }
        page.citations.extend(o.citations.into_iter().map(|(_, _, c)| c));
        page.sections_ouvertes.push(o.lien.clone());
        page.liens_hors_elements.push(o.lien);
        page.blocs_hors_elements.extend(o.blocs);
        page.liens_hors_elements.extend(o.liens);
    };
    let n = blocs.len();
    let mut blocs = blocs.into_iter();
    let mut marques_vues = 0;
    for i in 0..=n {
        // Markers, quotes and links that stand before block `i`, markers
        // and quotes in the order they were met.
        loop {
            if let Some(c) = citations.next_if(|c| c.position <= i && c.marques_avant <= marques_vues) {
                // A `.citation` quote inside an open section is the
                // section's text ("Projet X" … « quote » … "Témoignage de
                // …"), not a testimonial of its own; one with its own
                // attribution stays one.
                let attestee =
                    c.auteur.as_deref().is_some_and(|a| ATTRIBUTION.is_match(a)) || ATTRIBUTION.is_match(&c.texte);
                match ouverte.as_mut() {
                    Some(o) if c.classee && !c.texte.trim().is_empty() && !attestee => {
                        let debut = o.blocs.len();
                        o.blocs.extend(c.texte.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Bloc {
                            genre: Genre::Paragraphe,
                            texte: l.to_string(),
                            gras: false,
                        }));
                        let n = o.blocs.len() - debut;
                        o.citations.push((debut, n, c));
                    }
                    _ => page.citations.push(c),
                }
                continue;
            }
            let Some((_, m)) = marques.next_if(|(at, _)| *at <= i) else { break };
            marques_vues += 1;
            match m {
                Marque::Item(n) => {
                    if let Some(e) = items.get_mut(n).and_then(Option::take) {
                        page.elements.push(e);
                    }
                }
                Marque::Important(l) => {
                    if let Some(o) = ouverte.take() {
                        fermer_sans_attribution(o, page);
                    }
                    ouverte = Some(Ouverte { lien: l, blocs: Vec::new(), liens: Vec::new(), citations: Vec::new() });
                }
            }
        }
        while let Some((_, l)) = liens.next_if(|(at, _)| *at <= i) {
            match ouverte.as_mut() {
                Some(o) => o.liens.push(l),
                None => page.liens_hors_elements.push(l),
            }
        }
        let Some(bloc) = blocs.next() else { break };
        match ouverte.as_mut() {
            Some(o) => {
                let fin = ATTRIBUTION.is_match(&bloc.texte);
                o.blocs.push(bloc);
                if fin {
                    let o = ouverte.take().expect("open section");
                    let mut liens_section = vec![o.lien.clone()];
                    liens_section.extend(o.liens);
                    page.elements.push(ElementBrut {
                        id: None,
                        id_discordant: None,
                        titre: o.lien.texte.clone(),
                        blocs: o.blocs,
                        liens: liens_section,
                        disposition: Disposition::Section,
                    });
                    derniere_fermee = Some(i + 1);
                }
            }
            // A second "Témoignage de …" line right after the one that
            // closed a section belongs to it (reported as
            // `attribution-multiple`), not to the page.
            None => match page.elements.last_mut() {
                Some(e)
                    if e.disposition == Disposition::Section
                        && derniere_fermee == Some(i)
                        && ATTRIBUTION.is_match(&bloc.texte) =>
                {
                    e.blocs.push(bloc);
                    derniere_fermee = Some(i + 1);
                }
                _ => page.blocs_hors_elements.push(bloc),
            },
        }
    }
    page.citations.extend(citations);
    // Links met after the last block belong to the open section or to the page.
    for (_, l) in liens {
        match ouverte.as_mut() {
            Some(o) => o.liens.push(l),
            None => page.liens_hors_elements.push(l),
        }
    }
    for (_, m) in marques {
        if let Marque::Item(n) = m {
            if let Some(e) = items.get_mut(n).and_then(Option::take) {
                page.elements.push(e);
            }
        }
    }
    if let Some(o) = ouverte.take() {
        fermer_sans_attribution(o, page);
    }
}

/// `render_markdown` as the seed code knew it: kept for callers and tests
/// that render a post the way `parse_page` does.
pub fn render_markdown(body: &str) -> String {
    kramdown::rendre(body)
}

/// Selects within `item` but not inside an item nested in it.
fn first_own<'a>(item: ElementRef<'a>, selector: &Selector) -> Option<ElementRef<'a>> {
    item.select(selector).find(|e| {
        e.ancestors().filter_map(ElementRef::wrap).take_while(|a| a.id() != item.id()).all(|a| !est_element(&a))
    })
}

fn lire_element(item: ElementRef<'_>, format: Format) -> ElementBrut {
    let title = first_own(item, &TITLE);
    let content = first_own(item, &CONTENT);
    let nettoyer = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let controle = title.and_then(|t| t.value().attr("aria-controls")).and_then(nettoyer);
    let id_contenu = content.and_then(|c| c.value().attr("id")).and_then(nettoyer);
    // The button opens the content: when its `aria-controls` names something
    // else (`aria-controls="qui"` copied from item to item in the guichet
    // pages and in draft @00fe889), the content's `id` is the item's name.
    let id_discordant = match (&controle, &id_contenu) {
        (Some(c), Some(i)) if c != i => Some(c.clone()),
        _ => None,
    };
    let id = id_contenu
        .or(controle)
        .or_else(|| title.and_then(|t| t.value().attr("href")).map(|h| h.trim_start_matches('#')).and_then(nettoyer));
    let titre = title.map(texte_de).unwrap_or_default();
    let mut walker = Walker { format, ..Walker::default() };
    if let Some(c) = content {
        walker.walk(c, false);
        walker.flush();
    }
    ElementBrut {
        id,
        id_discordant,
        titre,
        blocs: walker.blocs,
        liens: walker.liens.into_iter().map(|(_, l)| l).collect(),
        disposition: Disposition::Accordeon,
    }
}

/// Visible text of an element, whitespace collapsed.
fn texte_de(e: ElementRef<'_>) -> String {
    let mut s = String::new();
    push_text(e, &mut s, false);
    normaliser_espaces(&s)
}

/// The text of a quote, one line per paragraph or list item.
fn paragraphes_de(e: ElementRef<'_>) -> String {
    let mut s = String::new();
    push_text(e, &mut s, true);
    s.lines().map(normaliser_espaces).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// Appends the visible text of `e`; with `lignes`, a line end after each
/// block (paragraph, list item, heading, division) and no other.
fn push_text(e: ElementRef<'_>, out: &mut String, lignes: bool) {
    // Iterative (edge traversal), so a deep page cannot exhaust the stack.
    use ego_tree::iter::Edge;
    let mut ignore_jusqua: Option<ego_tree::NodeId> = None;
    for edge in e.traverse() {
        match edge {
            Edge::Open(n) => {
                if ignore_jusqua.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Text(t) if lignes => out.extend(t.chars().map(|c| if c == '\n' { ' ' } else { c })),
                    Node::Text(t) => out.push_str(t),
                    Node::Element(el) if ignore(el.name()) => ignore_jusqua = Some(n.id()),
                    Node::Element(el) if el.name() == "br" => out.push(if lignes { '\n' } else { ' ' }),
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if ignore_jusqua == Some(n.id()) {
                    ignore_jusqua = None;
                } else if lignes
                    && ignore_jusqua.is_none()
                    && n.value().as_element().is_some_and(|el| bloc_genre(el.name()).is_some() || el.name() == "div")
                {
                    out.push('\n');
                }
            }
        }
    }
}

/// The article of a rendered page: the only `<article>` outside the page
/// chrome, else `<main>`/`[role=main]`, else the longest `<article>`, else
/// `<body>`. A Markdown post is its own article (its body).
fn racine(doc: &Html, format: Format) -> ElementRef<'_> {
    let libre = |e: &ElementRef<'_>| !e.ancestors().filter_map(ElementRef::wrap).any(|a| hors_article(&a, format));
    // `article` and `main, [role=main]` in one pass, in the order (and with
    // the attached-node rule) of `Html::select`.
    let (mut articles, mut mains) = (Vec::new(), Vec::new());
    for e in doc.tree.nodes().filter_map(ElementRef::wrap).filter(|e| e.parent().is_some()) {
        let v = e.value();
        if v.name() == "article" {
            articles.push(e);
        }
        if v.name() == "main" || v.attr("role") == Some("main") {
            mains.push(e);
        }
    }
    articles.retain(|e| libre(e) && !hors_article(e, format));
    if articles.len() == 1 {
        return articles[0];
    }
    if let Some(m) = mains.into_iter().find(libre) {
        return m;
    }
    if let Some(a) = articles.into_iter().max_by_key(|a| texte_de(*a).len()) {
        return a;
    }
    doc.select(&BODY).next().unwrap_or_else(|| doc.root_element())
}

/// The title of a rendered page: the article's `h1` (its own `<header>`
/// allowed), else `og:title`, else an `h1` outside the page chrome, else
/// `<title>` without the site name after a ` | ` or ` – `.
fn titre_rendu(doc: &Html, root: ElementRef<'_>) -> Option<String> {
    let corps = root.value().name() == "body";
    let chrome = |h: &ElementRef<'_>, permettre_header: bool| {
        h.ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|a| a.id() != root.id())
            .any(|a| hors_article(&a, Format::Html) && !(permettre_header && a.value().name() == "header"))
    };
    let h1_article =
        if corps { None } else { root.select(&H1).filter(|h| !chrome(h, true)).map(texte_de).find(|t| !t.is_empty()) };
    h1_article
        .or_else(|| meta(doc, &["og:title", "twitter:title"]))
        .or_else(|| root.select(&H1).filter(|h| !chrome(h, false)).map(texte_de).find(|t| !t.is_empty()))
        .or_else(|| {
            doc.select(&TITLE_TAG).map(texte_de).find(|t| !t.is_empty()).map(|t| {
                match t.rfind(" | ").or_else(|| t.rfind(" – ")).or_else(|| t.rfind(" — ")) {
                    Some(i) if i > 0 => t[..i].trim().to_string(),
                    _ => t,
                }
            })
        })
}

/// The `content` of the first `<meta>` whose `property`, `name` or
/// `itemprop` is one of `noms` (case-insensitive), in the order of `noms`.
fn meta(doc: &Html, noms: &[&str]) -> Option<String> {
    noms.iter().find_map(|nom| {
        doc.select(&META).find_map(|m| {
            let v = m.value();
            let cle = v.attr("property").or_else(|| v.attr("name")).or_else(|| v.attr("itemprop"))?;
            if cle.eq_ignore_ascii_case(nom) {
                Some(normaliser_espaces(v.attr("content")?)).filter(|c| !c.is_empty())
            } else {
                None
            }
        })
    })
}

fn description_rendue(doc: &Html) -> Option<String> {
    meta(doc, &["description", "og:description", "twitter:description"])
}

/// The publication date a rendered page states, most machine-readable first.
fn date_rendue(doc: &Html, root: ElementRef<'_>) -> Option<String> {
    let iso = |s: &str| -> Option<String> {
        let c = DATE_ISO.captures(s)?;
        let mut out = c[1].to_string();
        if let Some(h) = c.get(2) {
            out.push(' ');
            out.push_str(h.as_str());
            if let Some(z) = c.get(3) {
                out.push(' ');
                out.push_str(z.as_str());
            }
        }
        Some(out)
    };
    if let Some(d) = meta(
        doc,
        &["article:published_time", "datePublished", "date", "dcterms.date", "DC.date", "dc.date.issued", "pubdate"],
    )
    .and_then(|m| iso(&m))
    {
        return Some(d);
    }
    let dans_racine = |s: &Selector| -> Vec<ElementRef<'_>> {
        doc.select(s).filter(|e| e.ancestors().any(|a| a.id() == root.id()) || e.id() == root.id()).collect()
    };
    for t in dans_racine(&TIME).into_iter().chain(doc.select(&TIME)) {
        if let Some(d) = t.value().attr("datetime").and_then(iso) {
            return Some(d);
        }
        if let Some(d) = date_francaise(&texte_de(t)) {
            return Some(d);
        }
    }
    dans_racine(&CLASSE_DATE).into_iter().find_map(|e| date_francaise(&texte_de(e)))
}

/// "3 juillet 2024" or "03/07/2024" → `2024-07-03`.
fn date_francaise(s: &str) -> Option<String> {
    let c = DATE_FR.captures(s)?;
    let (j, m, a) = if let Some(j) = c.get(1) {
        let mois = crate::normalise::texte::sans_accents(&c[2].to_lowercase());
        const MOIS: [&str; 12] = [
            "janvier",
            "fevrier",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "aout",
            "septembre",
            "octobre",
            "novembre",
            "decembre",
        ];
        let m = MOIS.iter().position(|x| *x == mois)? + 1;
        (j.as_str().parse::<u32>().ok()?, m as u32, c[3].parse::<i32>().ok()?)
    } else {
        (c[4].parse().ok()?, c[5].parse().ok()?, c[6].parse().ok()?)
    };
    chrono::NaiveDate::from_ymd_opt(a, m, j).map(|d| d.format("%Y-%m-%d").to_string())
}

/// Cuts content into blocks. In `plat` mode (the whole article) it also
/// notes where accordion items, `.lien-important` links and quotes stand,
/// and reads each item on its own.
#[derive(Default)]
struct Walker {
    format: Format,
    plat: bool,
    blocs: Vec<Bloc>,
    /// Each link with the index of the block it stands in.
    liens: Vec<(usize, LienBrut)>,
    marques: Vec<(usize, Marque)>,
    items: Vec<Option<ElementBrut>>,
    citations: Vec<CitationBrute>,
    texte: String,
    /// The block so far has visible (non-whitespace) text; some of it is
    /// outside bold. A block is bold when it has the first and not the
    /// second.
    visible: bool,
    visible_hors_gras: bool,
    genre: Option<Genre>,
    /// Current depth of the recursive walk, and whether content deeper than
    /// `PROFONDEUR_PARCOURS` was left out.
    profondeur: usize,
    tronque: bool,
    /// Images whose text alternative is missing or only a file name.
    images_sans_texte: usize,
}

/// An image that says nothing to who cannot see it: no `alt`, an empty
/// one, or a file name ("3-fb77c4.png", as Markdown writes an image left
/// without a description).
fn sans_alternative(alt: Option<&str>) -> bool {
    let alt = alt.unwrap_or("").trim().to_ascii_lowercase();
    alt.is_empty()
        || [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"].iter().any(|x| alt.ends_with(x) && !alt.contains(' '))
}

/// Deepest element the walk descends into. The estimate before parsing
/// does not see the formatting elements html5ever reopens in every block
/// (an unclosed `<i>` repeated in each copy of the seed): the walk guards
/// itself, so the stack it needs stays bounded whatever the page.
const PROFONDEUR_PARCOURS: usize = 1_000;

impl Walker {
    fn format(&self) -> Format {
        self.format
    }

    fn walk(&mut self, e: ElementRef<'_>, gras: bool) {
        if self.profondeur >= PROFONDEUR_PARCOURS {
            self.tronque = true;
            return;
        }
        self.profondeur += 1;
        self.walk_enfants(e, gras);
        self.profondeur -= 1;
    }

    fn walk_enfants(&mut self, e: ElementRef<'_>, gras: bool) {
        for child in e.children() {
            match child.value() {
                Node::Text(t) => {
                    self.texte.push_str(t);
                    // Only whether the node shows something matters: the
                    // first visible character answers.
                    if !(self.visible && (gras || self.visible_hors_gras)) && t.chars().any(|c| !c.is_whitespace()) {
                        self.visible = true;
                        self.visible_hors_gras |= !gras;
                    }
                }
                Node::Element(el) => {
                    let name = el.name();
                    if ignore(name) {
                        continue;
                    }
                    let Some(c) = ElementRef::wrap(child) else { continue };
                    if hors_article(&c, self.format()) {
                        continue;
                    }
                    if est_element(&c) {
                        if self.plat {
                            self.flush();
                            self.item(c);
                        }
                        continue;
                    }
                    if name == "br" {
                        self.texte.push(' ');
                        continue;
                    }
                    if name == "img" {
                        if self.plat && sans_alternative(el.attr("alt")) {
                            self.images_sans_texte += 1;
                        }
                        continue;
                    }
                    if self.plat && a_classe(&c, "lien-important") {
                        self.flush();
                        if let Some(a) = c.select(&A_HREF).next() {
                            let l = LienBrut {
                                href: a.value().attr("href").unwrap_or("").trim().to_string(),
                                texte: texte_de(a),
                            };
                            self.marques.push((self.blocs.len(), Marque::Important(l)));
                            // Further links of the block are links like any other.
                            for a in c.select(&A_HREF).skip(1) {
                                self.lien(a);
                            }
                        } else {
                            self.walk(c, gras);
                            self.flush();
                        }
                        continue;
                    }
                    if self.plat && name == "blockquote" {
                        if a_classe(&c, "auteur-citation") {
                            let auteur = texte_de(c);
                            match self.citations.last_mut() {
                                Some(q) if q.auteur.is_none() => q.auteur = Some(auteur),
                                _ => self.citations.push(CitationBrute {
                                    texte: String::new(),
                                    classee: true,
                                    auteur: Some(auteur),
                                    position: self.blocs.len(),
                                    marques_avant: self.marques.len(),
                                }),
                            }
                            for a in c.select(&A_HREF) {
                                self.lien(a);
                            }
                            continue;
                        }
                        self.citations.push(CitationBrute {
                            texte: paragraphes_de(c),
                            classee: a_classe(&c, "citation"),
                            auteur: None,
                            position: self.blocs.len(),
                            marques_avant: self.marques.len(),
                        });
                        if a_classe(&c, "citation") {
                            for a in c.select(&A_HREF) {
                                self.lien(a);
                            }
                            continue;
                        }
                        // A plain blockquote is also text of the page.
                    }
                    if name == "a" {
                        self.lien(c);
                    }
                    let g = gras || matches!(name, "strong" | "b");
                    match bloc_genre(name) {
                        Some(genre) => {
                            self.flush();
                            let outer = self.genre.replace(genre);
                            self.walk(c, g);
                            self.flush();
                            self.genre = outer;
                        }
                        None => self.walk(c, g),
                    }
                }
                _ => {}
            }
        }
    }

    fn lien(&mut self, a: ElementRef<'_>) {
        if let Some(href) = a.value().attr("href") {
            self.liens.push((self.blocs.len(), LienBrut { href: href.trim().to_string(), texte: texte_de(a) }));
        }
    }

    /// An accordion item met in the flat walk: read on its own, with the
    /// items nested in it after it (html5ever nests an item in the previous
    /// one when a `</div>` is missing).
    fn item(&mut self, c: ElementRef<'_>) {
        let format = self.format();
        for e in std::iter::once(c).chain(c.descendants().skip(1).filter_map(ElementRef::wrap).filter(est_element)) {
            let n = self.items.len();
            self.items.push(Some(lire_element(e, format)));
            self.marques.push((self.blocs.len(), Marque::Item(n)));
        }
    }

    fn flush(&mut self) {
        let texte = normaliser_espaces(&self.texte);
        if !texte.is_empty() {
            self.blocs.push(Bloc {
                genre: self.genre.unwrap_or(Genre::Paragraphe),
                texte,
                gras: self.visible && !self.visible_hors_gras,
            });
        }
        self.texte.clear();
        self.visible = false;
        self.visible_hors_gras = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nesting estimate as first written (a list of names, compared
    /// one by one): the reference for [`profondeur_estimee`].
    fn profondeur_par_liste(html: &str) -> usize {
        const VIDES: &[&str] = &[
            "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p",
            "li", "dt", "dd", "tr", "td", "th", "option", "tbody", "thead", "tfoot", "colgroup",
        ];
        let b = html.as_bytes();
        let (mut i, mut prof, mut max) = (0usize, 0usize, 0usize);
        while let Some(k) = memchr_lt(&b[i..]) {
            i += k + 1;
            if b[i..].starts_with(b"!--") {
                match html[i..].find("-->") {
                    Some(f) => {
                        i += f + 3;
                        continue;
                    }
                    None => break,
                }
            }
            let fermant = b.get(i) == Some(&b'/');
            let debut = if fermant { i + 1 } else { i };
            let fin = b[debut..].iter().position(|c| !c.is_ascii_alphanumeric()).map_or(b.len(), |n| debut + n);
            if fin == debut || !b[debut].is_ascii_alphabetic() {
                continue;
            }
            let nom = &b[debut..fin];
            if VIDES.iter().any(|v| v.as_bytes().eq_ignore_ascii_case(nom)) {
                continue;
            }
            if fermant {
                prof = prof.saturating_sub(1);
            } else {
                let auto = b[fin..].iter().position(|&c| c == b'>').is_some_and(|n| n > 0 && b[fin + n - 1] == b'/');
                if !auto {
                    prof += 1;
                    max = max.max(prof);
                }
            }
        }
        max
    }

    proptest::proptest! {
        #[test]
        fn profondeur_comme_par_liste(
            morceaux in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<div>", "</div>", "<DIV class=x>", "<p>", "</P>", "<br/>", "<img src=a>", "<colgroup>", "<COLGROUP>",
                    "<Td>", "<li>", "<section/>", "<!-- <div> -->", "<!--", "-->", "<", ">", "</", "<1>", "<a b='>'>",
                    "texte", " ", "<tbodyx>", "<wbr>", "<colgroupe>",
                ]),
                0..40,
            )
        ) {
            let html: String = morceaux.concat();
            proptest::prop_assert_eq!(profondeur_estimee(&html), profondeur_par_liste(&html));
        }
    }

    const ITEM: &str = r#"<div class="accordion">
  <div class="accordion-item">
    <button class="accordion-title" aria-controls="Mon-Projet">Le projet (MP)</button>
    <div class="accordion-content" id="Mon-Projet">
      <p><strong>Pouvez-vous décrire le projet ?</strong></p>
      <ul>
        <p><i>"Un texte avec un <a href="https://exemple.gouv.fr/a ">lien</a>.</p>
        <li><i><strong>Un point</strong>, et la suite.</i></li>
        <li>Deux</li>
        <p>Témoignage de la direction du test</p>
      </ul>
      <script>var x = "secret";</script>
    </div>
  </div>
<div class="accordion-item"><button class="accordion-title" aria-controls="b">B</button><div class="accordion-content" id="b">texte libre</div></div>
<p>hors <a href="/x">item</a></p>"#;

    #[test]
    fn the_article_of_a_rendered_page() {
        let racine_de = |html: &str| {
            let doc = Html::parse_document(html);
            texte_de(racine(&doc, Format::Html))
        };
        // The only article outside the chrome.
        assert_eq!(racine_de("<body><aside><article>A</article></aside><article>B</article><p>C</p></body>"), "B");
        // No free article: `main` or `[role=main]`, the first one.
        assert_eq!(racine_de("<body><nav><main>N</main></nav><div role=\"main\">M</div><main>O</main></body>"), "M");
        // Two free articles and no main: the longest.
        assert_eq!(racine_de("<body><article>court</article><article>plus long</article></body>"), "plus long");
        // Nothing of the kind: the body.
        assert_eq!(racine_de("<body><p>P</p><div role=\"Main\">Q</div></body>"), "PQ");
    }

    #[test]
    fn site_chrome_by_class_or_id_is_left_out() {
        let html = r#"<html><body><div class="Cookie-consent">Cookies</div><div id="fil-ariane">Accueil</div>
<div class="x NAVBAR">Menu</div><div class="menuitem">Gardé un</div><p class="partagez">Gardé deux</p><p class="note_Partage-x">Retiré</p>
<div class="share_links">Partager</div><p>Texte</p></body></html>"#;
        let page = parse_page(html, Format::Html);
        let textes: Vec<&str> = page.blocs_hors_elements.iter().map(|b| b.texte.as_str()).collect();
        assert_eq!(textes, ["Gardé un", "Gardé deux", "Texte"]);
    }

    #[test]
    fn items_blocks_and_links() {
        let page = parse_page(ITEM, Format::Html);
        assert_eq!(page.elements.len(), 2);
        let e = &page.elements[0];
        assert_eq!(e.id.as_deref(), Some("Mon-Projet"));
        assert_eq!(e.titre, "Le projet (MP)");
        let textes: Vec<_> = e.blocs.iter().map(|b| (b.genre, b.texte.as_str(), b.gras)).collect();
        assert_eq!(
            textes,
            vec![
                (Genre::Paragraphe, "Pouvez-vous décrire le projet ?", true),
                (Genre::Paragraphe, "\"Un texte avec un lien.", false),
                (Genre::ElementListe, "Un point, et la suite.", false),
                (Genre::ElementListe, "Deux", false),
                (Genre::Paragraphe, "Témoignage de la direction du test", false),
            ]
        );
        assert_eq!(e.liens, vec![LienBrut { href: "https://exemple.gouv.fr/a".into(), texte: "lien".into() }]);
        assert_eq!(page.elements[1].blocs[0].texte, "texte libre");
        assert_eq!(page.liens_hors_elements, vec![LienBrut { href: "/x".into(), texte: "item".into() }]);
        assert!(!format!("{page:?}").contains("secret"));
    }

    #[test]
    fn markdown_renders_html_blocks() {
        let page = parse_page("---\ntitle: T\n---\n\nIntro [lien](https://a.fr)\n\n<div class=\"accordion-item\"><button class=\"accordion-title\" aria-controls=\"x\">X</button><div class=\"accordion-content\" id=\"x\"><p>t</p></div></div>\n", Format::Markdown);
        assert_eq!(page.front.title.as_deref(), Some("T"));
        assert_eq!(page.elements.len(), 1);
        assert_eq!(page.liens_hors_elements[0].href, "https://a.fr");
    }
}
