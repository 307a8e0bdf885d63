//! What Jekyll does to a post before and beyond CommonMark, done just enough
//! for the text to come out right: Liquid tags are resolved or dropped
//! (`{% highlight %}` becomes a code fence, `{% comment %}` is removed, any
//! other tag or `{{ output }}` disappears), and kramdown attribute lists are
//! applied where they carry meaning (`{: .citation}` after a blockquote
//! gives it its class) or dropped (`{:target="_blank"}`). Then pulldown-cmark
//! renders the result. Text in, text out: no HTML parsing here.

use regex::Regex;
use std::sync::LazyLock;

/// `{% comment %}…{% endcomment %}`: never shown by Jekyll.
static LIQUID_COMMENTAIRE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}").unwrap());
/// `{% highlight ruby %}` (2016-03-23-welcome-to-jekyll.md).
static LIQUID_HIGHLIGHT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%-?\s*highlight\s+([A-Za-z0-9_+\-]*)[^%]*-?%\}").unwrap());
static LIQUID_FIN_HIGHLIGHT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\{%-?\s*endhighlight\s*-?%\}").unwrap());
/// Any other tag (`{% include … %}`, `{% raw %}`, `{% if %}`…) and any output
/// (`{{ site.baseurl }}`): without the site's data there is nothing to print.
static LIQUID_AUTRE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)\{%.*?%\}|\{\{.*?\}\}").unwrap());
/// A kramdown block attribute list on its own line: `{: .citation}`.
static IAL_BLOC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s{0,3}\{:\s*([^}]*)\}\s*$").unwrap());
/// An inline attribute list after a span: `[texte](url){:target="_blank"}` (_pages/dinsic.md).
static IAL_LIGNE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\{:[^}\n]*\}").unwrap());
static CLASSE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\.([A-Za-z][A-Za-z0-9_\-]*)").unwrap());

/// Resolves Liquid and kramdown attribute lists in a post's body.
pub fn pretraiter(body: &str) -> String {
    // Most pages hold no Liquid and no attribute list: skip those passes.
    let body = if contient(body, "{%") || contient(body, "{{") {
        let body = LIQUID_COMMENTAIRE.replace_all(body, "");
        let body = LIQUID_HIGHLIGHT.replace_all(&body, "```$1");
        let body = LIQUID_FIN_HIGHLIGHT.replace_all(&body, "```");
        std::borrow::Cow::Owned(LIQUID_AUTRE.replace_all(&body, "").into_owned())
    } else {
        std::borrow::Cow::Borrowed(body)
    };
    let body = souder_blocs_html(&body);
    if contient(&body, "{:") {
        appliquer_ial(&body)
    } else {
        body
    }
}

/// `texte.contains(motif)` by SIMD search (the body of a page is long).
fn contient(texte: &str, motif: &str) -> bool {
    memchr::memmem::find(texte.as_bytes(), motif.as_bytes()).is_some()
}

/// Block-level tags whose opening and closing are counted to know whether
/// an HTML block is still open (`p` and `li` are left out: pages leave them
/// unclosed, and HTML closes them implicitly).
static BALISE_BLOC: LazyLock<Regex> = LazyLock::new(|| {
    // ASCII word boundary: tag names are ASCII, and a Unicode `\b` keeps the
    // regex engine off its fast path.
    Regex::new(r"(?i)</?(?:div|ul|ol|table|blockquote|section|article|details|figure|dl|aside|main|nav|header|footer|tbody|thead|tr|td|th)(?-u:\b)[^>]*>")
        .unwrap()
});
static COMMENTAIRE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").unwrap());

/// kramdown reads an HTML block up to its matching end tag, blank lines
/// included; CommonMark ends it at the first blank line, after which the
/// indented HTML of an accordion becomes a code block (the items of
/// focus-sur-les-succes-du-cloud-public@00fe889 and of the guichet pages
/// have a blank line after `<div class="accordion-content">`). So, while a
/// block-level element opened at the start of a line is not closed, blank
/// lines followed by more HTML are dropped. A blank line followed by text
/// that is not HTML ends the block anyway: that is how a page writes
/// Markdown inside a `<div>`, and how the drafts' accordion `<div>`s that
/// are never closed give the Markdown after them back.
fn souder_blocs_html(body: &str) -> String {
    let lignes: Vec<&str> = body.split_inclusive('\n').collect();
    let mut out = String::with_capacity(body.len());
    let mut profondeur: i64 = 0;
    let mut commentaire = false;
    for (i, ligne) in lignes.iter().enumerate() {
        let nue = ligne.trim();
        if nue.is_empty() && profondeur > 0 && !commentaire {
            let suivante = lignes[i + 1..].iter().map(|l| l.trim()).find(|l| !l.is_empty());
            match suivante {
                Some(l) if l.starts_with('<') => continue,
                _ => profondeur = 0,
            }
        }
        if profondeur == 0 && !commentaire && !ligne.trim_start().starts_with('<') {
            out.push_str(ligne);
            continue;
        }
        // Count the tags of the line outside comments (most lines have none).
        static OUVRE_COMMENTAIRE: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new(b"<!--"));
        if !commentaire && OUVRE_COMMENTAIRE.find(ligne.as_bytes()).is_none() {
            compter_balises(ligne, &mut profondeur);
            out.push_str(ligne);
            // `<h4>Titre</h4>` then a line of Markdown: kramdown ends the
            // HTML block with the line of its end tag and reads the next
            // line as Markdown (a link there is a link); CommonMark would
            // keep that line in the block, as raw text.
            let suivante = lignes.get(i + 1).map(|l| l.trim()).unwrap_or("");
            if profondeur == 0 && !suivante.is_empty() && !suivante.starts_with('<') && element_ferme(nue) {
                if !ligne.ends_with('\n') {
                    out.push('\n');
                }
                out.push('\n');
            }
            continue;
        }
        let mut visible = String::new();
        let mut reste: &str = ligne;
        loop {
            if commentaire {
                match reste.find("-->") {
                    Some(j) => {
                        commentaire = false;
                        reste = &reste[j + 3..];
                    }
                    None => break,
                }
            } else {
                match reste.find("<!--") {
                    Some(j) => {
                        visible.push_str(&reste[..j]);
                        commentaire = true;
                        reste = &reste[j + 4..];
                    }
                    None => {
                        visible.push_str(reste);
                        break;
                    }
                }
            }
        }
        let visible = if visible.contains("<!--") { COMMENTAIRE.replace_all(&visible, "") } else { visible.into() };
        compter_balises(&visible, &mut profondeur);
        out.push_str(ligne);
    }
    out
}

/// A line that is one whole block-level element, `<h4 …>…</h4>`: it
/// opens with the tag its last tag closes.
fn element_ferme(nue: &str) -> bool {
    let Some(reste) = nue.strip_prefix('<') else { return false };
    let nom_len = reste.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let nom = &reste[..nom_len];
    let bloc = matches!(
        nom.to_ascii_lowercase().as_str(),
        "h1" | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "p"
            | "div"
            | "table"
            | "ul"
            | "ol"
            | "dl"
            | "blockquote"
            | "section"
            | "figure"
            | "hr"
    );
    if !bloc || !reste[nom_len..].starts_with([' ', '>', '\t', '/']) {
        return false;
    }
    let Some(fin) = nue.strip_suffix('>') else { return false };
    let Some(lt) = fin.rfind("</") else { return nom.eq_ignore_ascii_case("hr") };
    fin[lt + 2..].trim().eq_ignore_ascii_case(nom)
}

/// Adds the block-level tags a line opens and subtracts those it closes
/// (never below zero).
fn compter_balises(visible: &str, profondeur: &mut i64) {
    // `(?i)` folds "s" with "ſ" and "k" with the Kelvin sign: lines holding
    // either go to the regex, the others are scanned byte by byte.
    let ecart = if visible.contains('ſ') || visible.contains('\u{212a}') {
        balises_regex(visible)
    } else {
        balises_octets(visible)
    };
    *profondeur = (*profondeur + ecart).max(0);
}

/// The net count of [`BALISE_BLOC`] in `visible`: `<div/>` opens nothing;
/// `</div>` closes.
fn balises_regex(visible: &str) -> i64 {
    let mut ecart = 0;
    for balise in BALISE_BLOC.find_iter(visible) {
        let balise = balise.as_str();
        if balise.ends_with("/>") {
            continue;
        }
        ecart += if balise.starts_with("</") { -1 } else { 1 };
    }
    ecart
}

/// [`balises_regex`] without the regex engine, for text without "ſ" or "K"
/// (Kelvin): at each '<', an optional '/', a name of the list in any ASCII
/// case, a word boundary, then everything up to the first '>'.
fn balises_octets(visible: &str) -> i64 {
    let o = visible.as_bytes();
    let mut ecart = 0;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &o[i..]) {
        let debut = i + p;
        i = debut + 1;
        let fermante = o.get(i) == Some(&b'/');
        let nom = if fermante { i + 1 } else { i };
        // The names of the list, by their first letter.
        let noms: &[&[u8]] = match o.get(nom).map(u8::to_ascii_lowercase) {
            Some(b'd') => &[b"div", b"dl", b"details"],
            Some(b't') => &[b"table", b"tbody", b"thead", b"tr", b"td", b"th"],
            Some(b'u') => &[b"ul"],
            Some(b'o') => &[b"ol"],
            Some(b'b') => &[b"blockquote"],
            Some(b's') => &[b"section"],
            Some(b'a') => &[b"article", b"aside"],
            Some(b'f') => &[b"figure", b"footer"],
            Some(b'm') => &[b"main"],
            Some(b'n') => &[b"nav"],
            Some(b'h') => &[b"header"],
            _ => continue,
        };
        let Some(longueur) = noms.iter().find_map(|n| {
            let fin = nom + n.len();
            let suite = o.get(fin).copied();
            (o.get(nom..fin).is_some_and(|m| m.eq_ignore_ascii_case(n))
                && !suite.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .then_some(n.len())
        }) else {
            continue;
        };
        let Some(q) = memchr::memchr(b'>', &o[nom + longueur..]) else { continue };
        let fin = nom + longueur + q;
        i = fin + 1;
        if o[fin - 1] == b'/' {
            continue;
        }
        ecart += if fermante { -1 } else { 1 };
    }
    ecart
}

/// kramdown applies a block IAL to the block just before it. Only
/// blockquotes matter here: `> citation` + `{: .citation}` /
/// `{: .auteur-citation}` (le-gouvernement-annonce-sa-strategie-en-matiere-de-cloud)
/// and `{: .lien-important}` (acc-eig5). The quoted lines are rewritten as
/// an HTML `<blockquote class="…">` whose inside is still Markdown (blank
/// lines around it, as CommonMark wants). Other IALs are dropped.
fn appliquer_ial(body: &str) -> String {
    let mut lignes: Vec<String> = Vec::new();
    // Index of the first line of the current run of quoted lines, if any.
    let mut debut_citation: Option<usize> = None;
    for ligne in body.split_inclusive('\n') {
        let nue = ligne.trim_end_matches(['\n', '\r']);
        if let Some(c) = IAL_BLOC.captures(nue) {
            let classes: Vec<&str> = CLASSE.captures_iter(&c[1]).map(|m| m.get(1).unwrap().as_str()).collect();
            if let (Some(debut), false) = (debut_citation, classes.is_empty()) {
                let dedans: Vec<String> = lignes.drain(debut..).map(|l| sans_chevron(&l)).collect();
                lignes.push(format!("\n<blockquote class=\"{}\">\n\n", classes.join(" ")));
                lignes.extend(dedans);
                lignes.push("\n\n</blockquote>\n\n".into());
            }
            debut_citation = None;
            continue;
        }
        if nue.trim().is_empty() {
            debut_citation = None;
        } else if nue.trim_start().starts_with('>') {
            debut_citation.get_or_insert(lignes.len());
        }
        // A lazy continuation line stays in the quote run.
        lignes.push(IAL_LIGNE.replace_all(ligne, "").into_owned());
    }
    lignes.concat()
}

/// `> texte` → `texte`; a lazy continuation line is kept as is.
fn sans_chevron(ligne: &str) -> String {
    let t = ligne.trim_start();
    match t.strip_prefix('>') {
        Some(r) => r.strip_prefix(' ').unwrap_or(r).to_string(),
        None => ligne.to_string(),
    }
}

/// CommonMark → HTML, raw HTML passed through unchanged, after `pretraiter`.
pub fn rendre(body: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let source = pretraiter(body);
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    let parser = Parser::new_ext(&source, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte scan counts the tags the regex finds.
        #[test]
        fn balises_comme_la_regex(
            morceaux in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<", "</", ">", "/>", "div", "DIV", "Div", "divx", "th", "thead", "tr", "td", "t", "ul", "ol",
                    "blockquote", "section", "SECTION", "aside", "p", " ", "=", "\"", "é", "_", "1", "-", "\n",
                ]),
                0..24,
            )
        ) {
            let t = morceaux.concat();
            proptest::prop_assert_eq!(balises_octets(&t), balises_regex(&t), "{}", t);
        }
    }

    #[test]
    fn balises_en_toute_casse() {
        assert_eq!(balises_octets("<DIV class='a'><Section></div><div/><divx><th>"), 2);
        assert_eq!(balises_regex("<DIV class='a'><Section></div><div/><divx><th>"), 2);
        // The regex folds "ſ" with "s": such lines go to it.
        let mut p = 0;
        compter_balises("<ſection>", &mut p);
        assert_eq!(p, 1);
    }

    #[test]
    fn liquid_never_breaks_a_page() {
        let html = rendre("Avant {{ site.url }}\n\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\n{% include x.html %}{% comment %}caché{% endcomment %}Après {% if a %}\n");
        assert!(html.contains("<code class=\"language-ruby\">puts 1"), "{html}");
        assert!(!html.contains("{%") && !html.contains("{{") && !html.contains("caché"), "{html}");
        // An unclosed tag is left as text rather than eating the page.
        assert!(rendre("a {% oups\n\nb").contains("b"));
    }

    #[test]
    fn html_blocks_keep_their_blank_lines_like_kramdown() {
        let md = "<div class=\"accordion-item\">\n  <div class=\"accordion-content\">\n\n      <p>Dedans</p>\n  </div>\n</div>\n\n#### Après\n";
        let html = rendre(md);
        assert!(html.contains("<p>Dedans</p>") && !html.contains("<pre>"), "{html}");
        assert!(html.contains("<h4>Après</h4>"), "{html}");
        // An accordion never closed does not swallow the Markdown after it.
        let html = rendre(
            "<div class=\"accordion\">\n  <div class=\"accordion-item\">\n\n    <p>Item</p>\n\nFIN\n\n#### **Titre**\n",
        );
        assert!(html.contains("<p>FIN</p>") && html.contains("<h4><strong>Titre</strong></h4>"), "{html}");
        // Markdown inside a <div>, CommonMark style, still renders.
        assert!(rendre("<div class=\"x\">\n\n*texte*\n\n</div>\n").contains("<em>texte</em>"));
    }

    #[test]
    fn markdown_after_a_closed_html_line_is_markdown() {
        let html = rendre("<h4 style=\"x\">Comment nous joindre ?</h4>\nÉcrivez à [l'équipe](mailto:a@b.fr).\n");
        assert!(html.contains("<a href=\"mailto:a@b.fr\">l'équipe</a>"), "{html}");
        // Inside an open `<div>`, kramdown keeps it raw, as does CommonMark.
        let html = rendre("<div>\n<h4>T</h4>\nÉcrivez à [l'équipe](mailto:a@b.fr).\n</div>\n");
        assert!(html.contains("[l'équipe](mailto:a@b.fr)"), "{html}");
        assert!(element_ferme("<p class=\"a\">x</p>") && element_ferme("<H4>x</h4>"));
        assert!(!element_ferme("<h4>x</h5>") && !element_ferme("<span>x</span>") && !element_ferme("<div>x"));
        assert!(!element_ferme("<pre>x</pre>") && !element_ferme("<p>a</p><p>b"));
    }

    #[test]
    fn kramdown_citation_classes() {
        let html = rendre("> Une phrase.\n{: .citation}\n> **Une personne**, sa fonction\n{: .auteur-citation}\n\nSuite [lien](/x){:target=\"_blank\"}\n");
        assert!(html.contains("<blockquote class=\"citation\">\n<p>Une phrase.</p>"), "{html}");
        assert!(html.contains("<blockquote class=\"auteur-citation\">\n<p><strong>Une personne</strong>"), "{html}");
        assert!(html.contains("<a href=\"/x\">lien</a></p>") && !html.contains("{:"), "{html}");
    }
}
