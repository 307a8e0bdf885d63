//! One page → `PageBrute`: front matter, then the accordion items with their
//! blocks of text (paragraphs, list items, headings; bold or not) and links,
//! and the links outside the items. Markdown is rendered with pulldown-cmark
//! (raw HTML passed through), then parsed once by html5ever, which repairs
//! the broken nesting real pages have (an unclosed `<i>`, a `<div>` too many):
//! that is why items are found as `div.accordion-item`, never through their
//! wrappers, and why an item's walk stops at any item nested inside it.

use super::frontmatter::{self, FrontMatter};
use crate::normalise::texte::normaliser_espaces;
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;

/// How the source is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Jekyll post: front matter, then Markdown with HTML blocks.
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

/// One accordion item, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementBrut {
    /// `aria-controls` of the title, else the content's `id`.
    pub id: Option<String>,
    pub titre: String,
    pub blocs: Vec<Bloc>,
    pub liens: Vec<LienBrut>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageBrute {
    pub format: Format,
    pub front: FrontMatter,
    /// The YAML error, with its line in the file, when the front matter is invalid.
    pub erreur_front: Option<String>,
    /// `h1`, `og:title` or `<title>` of a rendered page.
    pub titre_html: Option<String>,
    pub elements: Vec<ElementBrut>,
    pub liens_hors_elements: Vec<LienBrut>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

static ITEM: LazyLock<Selector> = LazyLock::new(|| sel("div.accordion-item"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel(".accordion-title"));
static CONTENT: LazyLock<Selector> = LazyLock::new(|| sel(".accordion-content"));
static ROOT: LazyLock<Selector> = LazyLock::new(|| sel("article, main, [role=main], body"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static OG_TITLE: LazyLock<Selector> = LazyLock::new(|| sel("meta[property='og:title']"));
static TITLE_TAG: LazyLock<Selector> = LazyLock::new(|| sel("title"));

/// Elements whose content is never page text.
fn ignore(name: &str) -> bool {
    matches!(name, "script" | "style" | "template" | "noscript" | "iframe" | "svg" | "head")
}

/// Elements outside the article on a rendered page.
fn hors_article(name: &str) -> bool {
    matches!(name, "header" | "nav" | "footer" | "aside")
}

fn bloc_genre(name: &str) -> Option<Genre> {
    match name {
        "li" | "dt" | "dd" => Some(Genre::ElementListe),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(Genre::Titre),
        "p" | "div" | "ul" | "ol" | "dl" | "blockquote" | "section" | "article" | "table" | "tr" | "td" | "th"
        | "thead" | "tbody" | "pre" | "figure" | "figcaption" | "hr" | "main" | "header" | "footer" | "nav"
        | "aside" | "form" | "fieldset" | "details" | "summary" | "address" => Some(Genre::Paragraphe),
        _ => None,
    }
}

fn est_element(e: &ElementRef<'_>) -> bool {
    e.value().classes().any(|c| c == "accordion-item") && e.value().name() == "div"
}

/// Parses one page. Never fails: what cannot be read is reported in
/// `erreur_front` and the rest is still read.
pub fn parse_page(text: &str, format: Format) -> PageBrute {
    let split = frontmatter::split(text);
    let (front, erreur_front) = match split.yaml {
        Some(yaml) => match frontmatter::parse(yaml) {
            Ok(f) => (f, None),
            // The front matter starts on line 2 of the file.
            Err(e) => (FrontMatter::default(), Some(format!("{e} (le front matter commence à la ligne 2)"))),
        },
        None => (FrontMatter::default(), None),
    };
    let html = match format {
        Format::Markdown => render_markdown(split.body),
        Format::Html => split.body.to_string(),
    };
    let doc = Html::parse_document(&html);
    let root = doc.select(&ROOT).next().unwrap_or_else(|| doc.root_element());

    let titre_html = match format {
        Format::Markdown => None,
        Format::Html => doc
            .select(&H1)
            .map(|h| texte_de(h))
            .find(|t| !t.is_empty())
            .or_else(|| {
                doc.select(&OG_TITLE)
                    .filter_map(|m| m.value().attr("content"))
                    .map(normaliser_espaces)
                    .find(|t| !t.is_empty())
            })
            .or_else(|| doc.select(&TITLE_TAG).map(|t| texte_de(t)).find(|t| !t.is_empty())),
    };

    let mut elements = Vec::new();
    for item in root.select(&ITEM) {
        elements.push(lire_element(item));
    }
    let mut liens_hors_elements = Vec::new();
    collecter_liens_hors(root, &mut liens_hors_elements);

    PageBrute { format, front, erreur_front, titre_html, elements, liens_hors_elements }
}

/// CommonMark → HTML, raw HTML passed through unchanged.
pub fn render_markdown(body: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    html::push_html(&mut out, parser);
    out
}

/// Selects within `item` but not inside an item nested in it.
fn first_own<'a>(item: ElementRef<'a>, selector: &Selector) -> Option<ElementRef<'a>> {
    item.select(selector).find(|e| {
        e.ancestors().filter_map(ElementRef::wrap).take_while(|a| a.id() != item.id()).all(|a| !est_element(&a))
    })
}

fn lire_element(item: ElementRef<'_>) -> ElementBrut {
    let title = first_own(item, &TITLE);
    let content = first_own(item, &CONTENT);
    let id = title
        .and_then(|t| t.value().attr("aria-controls"))
        .or_else(|| content.and_then(|c| c.value().attr("id")))
        .or_else(|| title.and_then(|t| t.value().attr("href")).map(|h| h.trim_start_matches('#')))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let titre = title.map(texte_de).unwrap_or_default();
    let mut walker = Walker::default();
    if let Some(c) = content {
        walker.walk(c, false);
        walker.flush();
    }
    ElementBrut { id, titre, blocs: walker.blocs, liens: walker.liens }
}

/// Visible text of an element, whitespace collapsed.
fn texte_de(e: ElementRef<'_>) -> String {
    let mut s = String::new();
    push_text(e, &mut s);
    normaliser_espaces(&s)
}

fn push_text(e: ElementRef<'_>, out: &mut String) {
    for child in e.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(el) if !ignore(el.name()) => {
                if el.name() == "br" {
                    out.push(' ');
                } else if let Some(c) = ElementRef::wrap(child) {
                    push_text(c, out);
                }
            }
            _ => {}
        }
    }
}

/// Cuts an item's content into blocks.
#[derive(Default)]
struct Walker {
    blocs: Vec<Bloc>,
    liens: Vec<LienBrut>,
    texte: String,
    gras: usize,
    visibles: usize,
    genre: Option<Genre>,
}

impl Walker {
    fn walk(&mut self, e: ElementRef<'_>, gras: bool) {
        for child in e.children() {
            match child.value() {
                Node::Text(t) => {
                    self.texte.push_str(t);
                    let n = t.chars().filter(|c| !c.is_whitespace()).count();
                    self.visibles += n;
                    if gras {
                        self.gras += n;
                    }
                }
                Node::Element(el) => {
                    let name = el.name();
                    if ignore(name) {
                        continue;
                    }
                    let Some(c) = ElementRef::wrap(child) else { continue };
                    if est_element(&c) {
                        continue;
                    }
                    if name == "br" {
                        self.texte.push(' ');
                        continue;
                    }
                    if name == "a" {
                        if let Some(href) = el.attr("href") {
                            self.liens.push(LienBrut { href: href.trim().to_string(), texte: texte_de(c) });
                        }
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

    fn flush(&mut self) {
        let texte = normaliser_espaces(&self.texte);
        if !texte.is_empty() {
            self.blocs.push(Bloc {
                genre: self.genre.unwrap_or(Genre::Paragraphe),
                texte,
                gras: self.visibles > 0 && self.gras == self.visibles,
            });
        }
        self.texte.clear();
        self.gras = 0;
        self.visibles = 0;
    }
}

/// Links of the page outside any item, not in scripts, nor in a rendered
/// page's header, navigation or footer.
fn collecter_liens_hors(e: ElementRef<'_>, out: &mut Vec<LienBrut>) {
    for child in e.children() {
        let Some(c) = ElementRef::wrap(child) else { continue };
        let name = c.value().name();
        if ignore(name) || hors_article(name) || est_element(&c) {
            continue;
        }
        if name == "a" {
            if let Some(href) = c.value().attr("href") {
                out.push(LienBrut { href: href.trim().to_string(), texte: texte_de(c) });
            }
        }
        collecter_liens_hors(c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
