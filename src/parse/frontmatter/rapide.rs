//! The fast path of `parse`: a reader for the strict subset of YAML the
//! site's front matters are written in, which gives the values serde-saphyr
//! gives, or `None` ("not sure") for anything outside it, read again by
//! serde-saphyr. It never reports an error: a text it accepts is one
//! serde-saphyr accepts, so errors and their messages stay serde-saphyr's.
//!
//! Written by hand because serde-saphyr, made for any YAML and for good
//! diagnostics, took 2.5–3 % of a build for blocks of about 1 KB; these pages
//! only use a handful of shapes, and the oracle test in this file holds the
//! reader to serde-saphyr on those shapes and on their near misses.
//!
//! The subset: a top-level block mapping (keys of letters, digits, `_`, `-`
//! and inner spaces, no duplicate at any level), whose values are
//! - plain scalars, on one line or folded over more indented lines, typed
//!   as serde-saphyr types them where that is sure (text, YAML 1.1 booleans,
//!   null, small decimal integers; anything that may be another number is
//!   left to serde-saphyr);
//! - single- or double-quoted scalars over any number of lines (escapes
//!   `\\ \" \/ \n \t \uXXXX`);
//! - literal block scalars `|`, `|-`, `|+`;
//! - block sequences (`- x`, `- k: v` items) and block mappings below.
//!
//! Never: comments, tabs, `\r`, flow collections, anchors, aliases, tags,
//! folded `>` scalars, explicit `?` keys, directives or document markers.

use super::{Flex, Raw};
use memchr::{memchr, memchr2};

/// Nesting beyond this is left to serde-saphyr, whose budget limits depth.
const PROFONDEUR_MAX: usize = 16;
/// Longer keys are left to serde-saphyr (a simple key spans at most 1,024
/// characters there).
const CLE_MAX: usize = 128;

/// The fields of `Raw`, when the whole block is within the subset.
pub(super) fn lire(yaml: &str) -> Option<Raw> {
    let mut raw = Raw::default();
    for (cle, valeur) in document(yaml)? {
        let champ = match cle {
            "title" => &mut raw.title,
            "date" => &mut raw.date,
            "categories" => &mut raw.categories,
            "category" => &mut raw.category,
            "tags" => &mut raw.tags,
            "chapeau" => &mut raw.chapeau,
            "chapeau-text" => &mut raw.chapeau_text,
            "published" => &mut raw.published,
            "files" => &mut raw.files,
            _ => continue,
        };
        *champ = Some(valeur);
    }
    Some(raw)
}

/// Every top-level entry, in order, with its value.
fn document(yaml: &str) -> Option<Vec<(&str, Flex)>> {
    if !caracteres_surs(yaml) {
        return None;
    }
    let lignes = yaml[..yaml.len() - 1]
        .split('\n')
        .map(|l| {
            let texte = l.trim_start_matches(' ');
            Ligne { indent: l.len() - texte.len(), texte }
        })
        .collect();
    let mut lecteur = Lecteur { lignes, pos: 0 };
    // At indentation 0 the mapping only stops at the end of the text.
    lecteur.mapping(0, 0)
}

/// A text ending with a line break, without tab, `\r`, control character,
/// byte order mark or Unicode line separator: the characters whose handling
/// differs between YAML readers, or which YAML forbids.
fn caracteres_surs(yaml: &str) -> bool {
    let b = yaml.as_bytes();
    if b.last() != Some(&b'\n') {
        return false;
    }
    // `b` is UTF-8: a lead byte is followed by its continuation bytes.
    b.iter().enumerate().all(|(i, &c)| match c {
        b'\n' | 0x20..=0x7E => true,
        0x00..=0x1F | 0x7F => false,
        // U+0080–U+009F (NEL included).
        0xC2 => !(0x80..=0x9F).contains(&b[i + 1]),
        // U+2028, U+2029.
        0xE2 => !(b[i + 1] == 0x80 && matches!(b[i + 2], 0xA8 | 0xA9)),
        // U+FEFF, U+FFFE, U+FFFF.
        0xEF => !matches!((b[i + 1], b[i + 2]), (0xBB, 0xBF) | (0xBF, 0xBE | 0xBF)),
        _ => true,
    })
}

#[derive(Clone, Copy)]
struct Ligne<'a> {
    /// Leading spaces.
    indent: usize,
    /// The rest of the line, trailing spaces included; empty for a blank line.
    texte: &'a str,
}

struct Lecteur<'a> {
    lignes: Vec<Ligne<'a>>,
    /// The next line to read.
    pos: usize,
}

impl<'a> Lecteur<'a> {
    /// Skips blank lines; the next line, not consumed.
    fn suivante(&mut self) -> Option<Ligne<'a>> {
        while let Some(l) = self.lignes.get(self.pos) {
            if !l.texte.is_empty() {
                return Some(*l);
            }
            self.pos += 1;
        }
        None
    }

    /// The block mapping whose keys are at column `n`, up to a less indented line.
    fn mapping(&mut self, n: usize, prof: usize) -> Option<Vec<(&'a str, Flex)>> {
        if prof > PROFONDEUR_MAX {
            return None;
        }
        let mut entrees: Vec<(&str, Flex)> = Vec::new();
        while let Some(l) = self.suivante() {
            if l.indent < n {
                break;
            }
            if l.indent > n {
                return None;
            }
            let (cle, reste) = cle(l.texte)?;
            if entrees.iter().any(|(c, _)| *c == cle) {
                return None;
            }
            self.pos += 1;
            let valeur = self.valeur(reste, n, prof)?;
            entrees.push((cle, valeur));
        }
        Some(entrees)
    }

    /// The value of a key at column `n`, `reste` being what follows its `:`.
    fn valeur(&mut self, reste: &'a str, n: usize, prof: usize) -> Option<Flex> {
        let v = reste.trim_start_matches(' ');
        if let Some(entete) = v.strip_prefix('|') {
            return self.litteral(entete, n);
        }
        if !v.is_empty() {
            return self.scalaire(v, n);
        }
        match self.suivante() {
            // A sequence may sit at the key's own column.
            Some(l) if l.indent >= n && est_tiret(l.texte) => self.sequence(l.indent, prof + 1),
            Some(l) if l.indent > n => Some(vers_map(self.mapping(l.indent, prof + 1)?)),
            _ => Some(Flex::Null(())),
        }
    }

    /// The block sequence whose dashes are at column `i`.
    fn sequence(&mut self, i: usize, prof: usize) -> Option<Flex> {
        if prof > PROFONDEUR_MAX {
            return None;
        }
        let mut elements = Vec::new();
        while let Some(l) = self.suivante() {
            if l.indent != i || !est_tiret(l.texte) {
                break;
            }
            let contenu = l.texte[1..].trim_start_matches(' ');
            // `- k: v`, `- - x`: a collection whose column is that of `k`
            // or of the second dash, read from this line as if the first
            // dash were a space.
            let c = i + l.texte.len() - contenu.len();
            if contenu.is_empty() {
                self.pos += 1;
                // `-` then a more indented line: the item is below, left to serde-saphyr.
                match self.suivante() {
                    Some(l) if l.indent > i => return None,
                    _ => elements.push(Flex::Null(())),
                }
            } else if est_tiret(contenu) {
                self.lignes[self.pos] = Ligne { indent: c, texte: contenu };
                elements.push(self.sequence(c, prof + 1)?);
            } else if cle(contenu).is_some() {
                self.lignes[self.pos] = Ligne { indent: c, texte: contenu };
                elements.push(vers_map(self.mapping(c, prof + 1)?));
            } else {
                self.pos += 1;
                elements.push(self.scalaire(contenu, i)?);
            }
        }
        Some(Flex::List(elements))
    }

    /// A flow scalar starting with `v`, within a collection at column `n`;
    /// `pos` is on the next line.
    fn scalaire(&mut self, v: &'a str, n: usize) -> Option<Flex> {
        match v.as_bytes()[0] {
            b'\'' => self.entre_apostrophes(&v[1..]),
            b'"' => self.entre_guillemets(&v[1..]),
            _ => self.nu(v, n),
        }
    }

    /// A plain scalar: more indented lines continue it, a line break
    /// becoming a space, or `\n` per blank line between.
    fn nu(&mut self, v: &'a str, n: usize) -> Option<Flex> {
        // `~` alone is null, `-`, `?`, `:` may start text: all left to serde-saphyr.
        const INDICATEURS: &[char] =
            &['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`', '\\', '~'];
        if v.starts_with(INDICATEURS) {
            return None;
        }
        let mut texte = String::from(ligne_nue(v)?);
        loop {
            let debut = self.pos;
            match self.suivante() {
                Some(l) if l.indent > n && !l.texte.starts_with('#') => {
                    let suite = ligne_nue(l.texte)?;
                    plier(&mut texte, self.pos - debut);
                    texte.push_str(suite);
                    self.pos += 1;
                }
                Some(l) if l.indent > n => return None,
                _ => break,
            }
        }
        typer(texte)
    }

    /// `'…'`: `''` is a quote; lines fold as in a plain scalar, at any
    /// indentation (serde-saphyr's default, relaxed about it).
    fn entre_apostrophes(&mut self, mut ligne: &'a str) -> Option<Flex> {
        let mut texte = String::new();
        loop {
            let mut reste = ligne;
            loop {
                match memchr(b'\'', reste.as_bytes()) {
                    Some(k) if reste.as_bytes().get(k + 1) == Some(&b'\'') => {
                        texte.push_str(&reste[..=k]);
                        reste = &reste[k + 2..];
                    }
                    Some(k) => {
                        texte.push_str(&reste[..k]);
                        return fin_de_ligne(&reste[k + 1..]).then_some(Flex::Text(texte));
                    }
                    None => {
                        texte.push_str(reste.trim_end_matches(' '));
                        break;
                    }
                }
            }
            ligne = self.continuation(&mut texte)?;
        }
    }

    /// `"…"`, with the common escapes; the others, and a `\` ending a line,
    /// are left to serde-saphyr.
    fn entre_guillemets(&mut self, mut ligne: &'a str) -> Option<Flex> {
        let mut texte = String::new();
        loop {
            // The spaces written after `garde` are raw ones, which a fold
            // drops; escaped characters stay.
            let mut garde = texte.len();
            let mut reste = ligne;
            loop {
                let k = memchr2(b'"', b'\\', reste.as_bytes());
                let brut = &reste[..k.unwrap_or(reste.len())];
                texte.push_str(brut);
                let espaces = brut.len() - brut.trim_end_matches(' ').len();
                if espaces < brut.len() {
                    garde = texte.len() - espaces;
                }
                let Some(k) = k else { break };
                if reste.as_bytes()[k] == b'"' {
                    return fin_de_ligne(&reste[k + 1..]).then_some(Flex::Text(texte));
                }
                let (c, lus) = echappement(&reste[k + 1..])?;
                texte.push(c);
                garde = texte.len();
                reste = &reste[k + 1 + lus..];
            }
            texte.truncate(garde);
            ligne = self.continuation(&mut texte)?;
        }
    }

    /// The next line of a quoted scalar, its indentation dropped, after the
    /// fold has been written; `None` at the end of the text (an unclosed
    /// quote) and on a document marker.
    fn continuation(&mut self, texte: &mut String) -> Option<&'a str> {
        let debut = self.pos;
        let l = self.suivante()?;
        if l.indent == 0 && (l.texte.starts_with("---") || l.texte.starts_with("...")) {
            return None;
        }
        plier(texte, self.pos - debut);
        self.pos += 1;
        Some(l.texte)
    }

    /// `|`, `|-` or `|+` after a key at column `n`: the lines below as
    /// written, less the indentation of the first one.
    fn litteral(&mut self, entete: &str, n: usize) -> Option<Flex> {
        let (clip, keep) = match entete.trim_end_matches(' ') {
            "" => (true, false),
            "-" => (false, false),
            "+" => (true, true),
            _ => return None,
        };
        // An empty scalar, or blank lines first: the indentation is guessed
        // from them, left to serde-saphyr.
        let premiere = self.lignes.get(self.pos)?;
        if premiere.texte.is_empty() || premiere.indent <= n {
            return None;
        }
        let ci = premiere.indent;
        let mut texte = String::new();
        let mut vides = 0;
        while let Some(l) = self.lignes.get(self.pos) {
            if l.texte.is_empty() {
                // A line of spaces only: content or not depending on its length.
                if l.indent > 0 {
                    return None;
                }
                vides += 1;
            } else if l.indent < ci {
                break;
            } else {
                if !texte.is_empty() {
                    texte.extend(std::iter::repeat_n('\n', 1 + vides));
                }
                vides = 0;
                texte.extend(std::iter::repeat_n(' ', l.indent - ci));
                texte.push_str(l.texte);
            }
            self.pos += 1;
        }
        if keep {
            texte.extend(std::iter::repeat_n('\n', 1 + vides));
        } else if clip {
            texte.push('\n');
        }
        Some(Flex::Text(texte))
    }
}

/// `key:` followed by a space or the end of the line: the key and the rest.
/// Keys that serde-saphyr could read as null or a boolean are left to it.
fn cle(t: &str) -> Option<(&str, &str)> {
    let b = t.as_bytes();
    if !b[0].is_ascii_alphabetic() {
        return None;
    }
    let fin = b.iter().position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b' ')))?;
    if b[fin] != b':' {
        return None;
    }
    let (cle, reste) = (&t[..fin], &t[fin + 1..]);
    if cle.ends_with(' ') || cle.len() > CLE_MAX || !(reste.is_empty() || reste.starts_with(' ')) {
        return None;
    }
    let reserve = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];
    (!reserve.iter().any(|r| cle.eq_ignore_ascii_case(r))).then_some((cle, reste))
}

fn est_tiret(t: &str) -> bool {
    t == "-" || t.starts_with("- ")
}

/// A line of a plain scalar, trailing spaces dropped, unless it holds what
/// would end the scalar: `: ` (a key) or ` #` (a comment).
fn ligne_nue(t: &str) -> Option<&str> {
    let t = t.trim_end_matches(' ');
    (!t.contains(": ") && !t.ends_with(':') && !t.contains(" #")).then_some(t)
}

/// What follows a closing quote: spaces only.
fn fin_de_ligne(t: &str) -> bool {
    t.bytes().all(|c| c == b' ')
}

/// Line folding: one line break becomes a space, more keep all but the first.
fn plier(texte: &mut String, lignes_vides: usize) {
    if lignes_vides == 0 {
        texte.push(' ');
    } else {
        texte.extend(std::iter::repeat_n('\n', lignes_vides));
    }
}

/// A double-quoted escape, `t` following the `\`: the character and the
/// length read.
fn echappement(t: &str) -> Option<(char, usize)> {
    let c = match *t.as_bytes().first()? {
        b'\\' => '\\',
        b'"' => '"',
        b'/' => '/',
        b'n' => '\n',
        b't' => '\t',
        b'u' => {
            let hex = t.get(1..5).filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))?;
            // Surrogates (pairs included) are left to serde-saphyr.
            return Some((char::from_u32(u32::from_str_radix(hex, 16).ok()?)?, 5));
        }
        _ => return None,
    };
    Some((c, 1))
}

/// A plain scalar typed as serde-saphyr's `deserialize_any` does (null, YAML
/// 1.1 booleans, integers, floats, else text), where the answer is sure.
fn typer(texte: String) -> Option<Flex> {
    let b = texte.as_bytes();
    if b.is_empty() {
        return None;
    }
    if b[0].is_ascii_digit() {
        if b.iter().all(u8::is_ascii_digit) {
            // Leading zeros (`0755` is a float there) and overflow are left to it.
            if (b[0] == b'0' && b.len() > 1) || b.len() > 18 {
                return None;
            }
            return texte.parse().ok().map(Flex::Int);
        }
        // No number has a space, `:`, `/`… nor letters other than those of
        // `0x`, `0o`, `0b`, hexadecimal digits, exponents, `inf` and `nan`.
        let date = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
        let pas_un_nombre = b.iter().any(|&c| {
            !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'+' | b'-' | b'.'))
                || b"ghjklmpqrsuvwzGHJKLMPQRSUVWZ".contains(&c)
        });
        return (date || pas_un_nombre).then_some(Flex::Text(texte));
    }
    if matches!(b[0], b'+' | b'.') {
        return None;
    }
    if b.len() <= 5 {
        if matches!(texte.as_str(), "null" | "Null" | "NULL") {
            return Some(Flex::Null(()));
        }
        if texte.eq_ignore_ascii_case("null") {
            return None;
        }
        for (mot, v) in [("true", true), ("yes", true), ("y", true), ("on", true)].into_iter().chain([
            ("false", false),
            ("no", false),
            ("n", false),
            ("off", false),
        ]) {
            if texte.eq_ignore_ascii_case(mot) {
                return Some(Flex::Bool(v));
            }
        }
    }
    Some(Flex::Text(texte))
}

fn vers_map(entrees: Vec<(&str, Flex)>) -> Flex {
    Flex::Map(entrees.into_iter().map(|(c, v)| (c.to_string(), v)).collect())
}

#[cfg(test)]
mod tests {
    use super::super::{depuis_raw, lire_saphyr, parse, split, FrontMatter};
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::select;
    use proptest::strategy::ValueTree;
    use std::collections::BTreeMap;

    /// `parse` as it was before the fast path: the reference.
    fn reference(yaml: &str) -> Result<FrontMatter, String> {
        if yaml.trim().is_empty() {
            return Ok(FrontMatter::default());
        }
        lire_saphyr(yaml).map(depuis_raw)
    }

    /// Same result as the reference; and when the fast path takes the
    /// block, every value (ignored keys included) as serde-saphyr reads it.
    /// `Ok(true)`: the fast path took it.
    fn verifier(yaml: &str) -> Result<bool, String> {
        let (nouveau, attendu) = (parse(yaml), reference(yaml));
        if nouveau != attendu {
            return Err(format!("{yaml:?}:\n  rapide {nouveau:?}\n  saphyr {attendu:?}"));
        }
        let Some(entrees) = document(yaml) else { return Ok(false) };
        let lu: BTreeMap<String, Flex> = entrees.into_iter().map(|(c, v)| (c.to_string(), v)).collect();
        let saphyr: Result<BTreeMap<String, Option<Flex>>, _> = serde_saphyr::from_str(yaml);
        match saphyr.map(|m| m.into_iter().map(|(c, v)| (c, v.unwrap_or(Flex::Null(())))).collect::<BTreeMap<_, _>>()) {
            Ok(s) if s == lu => Ok(true),
            s => Err(format!("{yaml:?}:\n  rapide {lu:?}\n  saphyr {s:?}")),
        }
    }

    /// A node of a generated block. Indentations are relative to the column
    /// of the collection holding the node: most are right, some are not.
    #[derive(Debug, Clone)]
    enum Noeud {
        /// The first line (after `key: ` or `- `), then the next ones with
        /// their indentation (≤ 0: not a continuation of a plain scalar).
        Scalaire(String, Vec<(i8, String)>),
        /// Header, lines.
        Bloc(String, Vec<(i8, String)>),
        Liste(usize, Vec<Noeud>),
        Table(usize, Vec<(String, String, Noeud)>),
    }

    /// Mostly pieces of the subset, sometimes a near miss.
    fn choix(bons: &'static [&'static str], douteux: &'static [&'static str]) -> BoxedStrategy<String> {
        prop_oneof![40 => select(bons), 1 => select(douteux)].prop_map(str::to_string).boxed()
    }

    #[rustfmt::skip]
    fn cle() -> BoxedStrategy<String> {
        const UTILES: &[&str] = &["title", "date", "categories", "category", "tags", "chapeau", "chapeau-text", "published"];
        const AUTRES: &[&str] = &["une", "une-ou-diaporama", "image", "alternative-textuelle", "layout", "Field name",
            "Key 1", "x  y", "a_b", "a-", "permalink", "position", "sous-titre", "menu", "weight", "lieu", "files", "nom",
            "lien", "style", "auteur", "redirection"];
        const DOUTEUSES: &[&str] = &["null", "Null", "~", "yes", "y", "On", "tRue", "1a", "-a", "é", "a ", "#a", "?a",
            "\"title\"", "'tags'", "<<", "a:b", "a#", "title "];
        prop_oneof![10 => select(UTILES), 10 => select(AUTRES), 1 => select(DOUTEUSES)].prop_map(str::to_string).boxed()
    }

    /// Plain scalars: the near misses are numbers serde-saphyr types
    /// otherwise, indicators, `: ` and ` #`.
    #[rustfmt::skip]
    fn mot() -> BoxedStrategy<String> {
        choix(
            &["Cloud", "Numérique", "Actualités", "a", "l'agent", "8 mars", "2 ou 3", "2019", "0", "12:30", "1,5", "1er",
                "2019-01-25", "2019-01-25 13:49:00 +02:00", "true", "False", "yes", "No", "on", "OFF", "y", "N", "null",
                "Null", "NULL", "nULL", "inf", "NaN", "e5", "x:y", "x# y", "a]", "https://a.b/c", "(x)", "<b>x</b>", "=",
                "<<", "«\u{a0}x\u{a0}»", "１２", "a \"b\" 'c'", "x - y", "x ? y"],
            &["07", "-3", "+5", "1.5", "1e3", ".5", ".inf", "0x1F", "0X1F", "0o7", "0b1", "1_000",
                "99999999999999999999", "9223372036854775807", "~", "~x", "x: y", "x #y", "x:", "[a, b]", "{a: 1}", "&a",
                "*a", "!t x", "|", ">", "%x", "@x", "`x", "- x", "-x", "? x", "?x", ": x", ":x", "'", "\"", "\\", "#",
                "  ", "---", "...", "x\t"],
        )
    }

    /// Indentation of a line after the first, relative to the collection:
    /// ≥ 1 continues a plain scalar.
    fn decalage(bons: std::ops::RangeInclusive<i8>, douteux: std::ops::RangeInclusive<i8>) -> BoxedStrategy<i8> {
        prop_oneof![25 => bons, 1 => douteux].boxed()
    }

    /// The lines of a scalar after the first: text, or blank, or spaces only.
    fn suites(decalage: BoxedStrategy<i8>, texte: BoxedStrategy<String>) -> BoxedStrategy<Vec<(i8, String)>> {
        let ligne = prop_oneof![
            5 => (decalage, texte),
            1 => select(vec!["", "   "]).prop_map(|t| (0, t.to_string())),
        ];
        proptest::collection::vec(ligne, 0..3).boxed()
    }

    #[rustfmt::skip]
    fn scalaire() -> impl Strategy<Value = Noeud> {
        let nu = (mot(), suites(decalage(1..=3, -1..=0), mot())).prop_map(|(t, s)| Noeud::Scalaire(t, s));
        let apostrophes = || choix(&["a", "l''agent", "''", " ", "é", "#", ": ", "\\n", "\"", "x ", " x", "---"], &["'"]);
        let guillemets = || choix(
            &["a", "\\\\", "\\\"", "\\/", "\\n", "\\t", "\\u00e9", "\\u0020", "'", " ", "  ", "é", "x ", "---", "...",
                ": ", " #"],
            &["\\uD800", "\\uDC00", "\\x41", "\\ ", "\\q", "\\", "\\U0001F600", "\\N", "\\0", "\"", "\\r"],
        );
        let cite = |q: &'static str, morceau: BoxedStrategy<String>| {
            let fin = choix(&["", " ", "  "], &[" # c", "x", " x", ":", ": y"]);
            (proptest::collection::vec(morceau.clone(), 0..4), suites(decalage(-2..=3, -2..=0), morceau), fin)
                .prop_map(move |(premiere, mut suite, fin)| {
                    let premiere = format!("{q}{}", premiere.concat());
                    match suite.last_mut() {
                        Some((_, t)) => t.push_str(&format!("{q}{fin}")),
                        None => return Noeud::Scalaire(format!("{premiere}{q}{fin}"), suite),
                    }
                    Noeud::Scalaire(premiere, suite)
                })
        };
        prop_oneof![
            3 => nu,
            2 => cite("'", apostrophes()),
            3 => cite("\"", guillemets()),
            1 => Just(Noeud::Scalaire(String::new(), Vec::new())),
        ]
    }

    /// A literal block scalar; its lines at the key's column + 1 + offset.
    #[rustfmt::skip]
    fn bloc() -> impl Strategy<Value = Noeud> {
        let entete = choix(&["|", "|-", "|+", "|-  "], &[">", "|2", "| # c", "|x", ">-"]);
        let ligne = choix(&[".a { color: red; }", "x", "# pas un commentaire", "  y", "- z", "k: v", "---", "'"],
            &["   "]);
        let premiere = proptest::option::weighted(0.95, (decalage(0..=3, -1..=-1), ligne.clone()));
        (entete, premiere, suites(decalage(0..=3, -1..=-1), ligne)).prop_map(|(e, p, l)| {
            Noeud::Bloc(e, p.into_iter().chain(l).collect())
        })
    }

    fn noeud() -> impl Strategy<Value = Noeud> {
        prop_oneof![10 => scalaire(), 1 => bloc()].prop_recursive(2, 12, 3, |interne| {
            let retrait = prop_oneof![25 => 1..=3usize, 1 => Just(0)];
            prop_oneof![
                (select(vec![0, 0, 1, 2, 4]), proptest::collection::vec(interne.clone(), 1..4))
                    .prop_map(|(d, e)| Noeud::Liste(d, e)),
                (retrait, proptest::collection::vec((cle(), separateur(), interne), 1..4))
                    .prop_map(|(d, e)| Noeud::Table(d, e)),
            ]
        })
    }

    fn separateur() -> BoxedStrategy<String> {
        choix(&[": ", ": ", ":  "], &[" : ", ":"])
    }

    fn indenter(sortie: &mut String, n: usize, decalage: i8) {
        sortie.extend(std::iter::repeat_n(' ', n.saturating_add_signed(decalage as isize)));
    }

    /// The lines after the first of a scalar in a collection at column `n`.
    fn ecrire_suites(sortie: &mut String, n: usize, suite: &[(i8, String)]) {
        for (d, t) in suite {
            if !t.trim().is_empty() {
                indenter(sortie, n, *d);
            }
            sortie.push_str(t);
            sortie.push('\n');
        }
    }

    /// A value after `key` + `sep`, the key being at column `n`.
    fn ecrire_valeur(sortie: &mut String, n: usize, sep: &str, valeur: &Noeud) {
        match valeur {
            Noeud::Scalaire(premiere, suite) => {
                sortie.push_str(if premiere.is_empty() { sep.trim_end() } else { sep });
                sortie.push_str(premiere);
                sortie.push('\n');
                ecrire_suites(sortie, n, suite);
            }
            Noeud::Bloc(entete, lignes) => {
                sortie.push_str(sep);
                sortie.push_str(entete);
                sortie.push('\n');
                // The first line sets the indentation, the next ones are
                // at least as indented (a negative offset: a near miss).
                let d0 = lignes.first().map_or(0, |(d, _)| *d);
                let lignes: Vec<_> =
                    lignes.iter().map(|(d, t)| (d0 + (*d).clamp(0, 2) - (*d < 0) as i8, t.clone())).collect();
                ecrire_suites(sortie, n + 1, &lignes);
            }
            Noeud::Liste(d, elements) => {
                sortie.push_str(sep.trim_end());
                sortie.push('\n');
                ecrire_liste(sortie, n + d, elements, false);
            }
            Noeud::Table(d, entrees) => {
                sortie.push_str(sep.trim_end());
                sortie.push('\n');
                ecrire_table(sortie, n + d, entrees, false);
            }
        }
    }

    fn ecrire_table(sortie: &mut String, n: usize, entrees: &[(String, String, Noeud)], apres_tiret: bool) {
        for (i, (cle, sep, valeur)) in entrees.iter().enumerate() {
            if !(apres_tiret && i == 0) {
                indenter(sortie, n, 0);
            }
            sortie.push_str(cle);
            ecrire_valeur(sortie, n, sep, valeur);
        }
    }

    fn ecrire_liste(sortie: &mut String, i: usize, elements: &[Noeud], apres_tiret: bool) {
        for (k, e) in elements.iter().enumerate() {
            if !(apres_tiret && k == 0) {
                indenter(sortie, i, 0);
            }
            sortie.push_str("- ");
            match e {
                Noeud::Scalaire(premiere, suite) => {
                    sortie.push_str(premiere);
                    sortie.push('\n');
                    ecrire_suites(sortie, i, suite);
                }
                Noeud::Table(_, entrees) => ecrire_table(sortie, i + 2, entrees, true),
                // `- - x`, `- |`: outside the subset, written all the same.
                Noeud::Liste(_, l) => ecrire_liste(sortie, i + 2, l, true),
                Noeud::Bloc(..) => ecrire_valeur(sortie, i, "", e),
            }
        }
    }

    /// A front matter block, perhaps damaged: a character inserted or
    /// removed, a line repeated.
    fn texte() -> impl Strategy<Value = String> {
        let entrees = proptest::collection::vec((cle(), separateur(), noeud()), 1..6);
        let degats = vec!["\t", "\r", "#", " #", "'", "\"", ":", " ", "\n", "-", "\u{feff}", "\u{85}", "\\", "  "];
        let degat = proptest::option::weighted(0.25, (0..3u8, any::<proptest::sample::Index>(), select(degats)));
        (entrees, degat).prop_map(|(entrees, degat)| {
            let mut y = String::new();
            ecrire_table(&mut y, 0, &entrees, false);
            if let Some((op, ou, quoi)) = degat {
                let limites: Vec<usize> = (0..=y.len()).filter(|&i| y.is_char_boundary(i)).collect();
                let i = limites[ou.index(limites.len())];
                match op {
                    0 => y.insert_str(i, quoi),
                    1 if i < y.len() => {
                        y.remove(i);
                    }
                    _ => {
                        let debut = y[..i].rfind('\n').map_or(0, |p| p + 1);
                        let fin = y[i..].find('\n').map_or(y.len(), |p| i + p + 1);
                        let ligne = y[debut..fin].to_string();
                        y.insert_str(fin, &ligne);
                    }
                }
            }
            y
        })
    }

    proptest! {
        // No regression file: this module's only file is its own.
        #![proptest_config(ProptestConfig { cases: 20_000, failure_persistence: None, ..ProptestConfig::default() })]

        /// The fast path says "not sure" or says what serde-saphyr says.
        #[test]
        fn rapide_comme_saphyr(y in texte()) {
            verifier(&y).map_err(TestCaseError::fail)?;
        }
    }

    /// The generator lands on both sides of the subset often enough for the
    /// property to mean something.
    #[test]
    fn generateur_des_deux_cotes() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategie = texte();
        let acceptes =
            (0..1000).filter(|_| document(&strategie.new_tree(&mut runner).unwrap().current()).is_some()).count();
        assert!((150..=850).contains(&acceptes), "{acceptes} blocs acceptés sur 1000");
    }

    /// Shapes met on real pages, one by one, all on the fast path.
    #[test]
    fn formes_reelles() {
        let formes = [
            "title: 'Cloud : série de témoignages portant sur les succès du cloud public (copie 2524)'\ndate: 2019-01-25 13:49:00 +02:00\ncategories:\n- Actualités\ntags:\n- Cloud\n- Numérique\nchapeau-text: \"L’informatique en nuage (Cloud computing) est une formidable opportunité\n  pour accélérer la transformation numérique des administrations. ... \\n\\nL’objectif\n  : encourager les acteurs publics ...\"\nune-ou-diaporama:\n- image: \"/uploads/Design%20sans%20titre(1).png\"\n",
            "title: 'Un an après l''annonce'\npublished: false\nchapeau-text: 'la DINSIC\n  des administrations.\n\n'\n",
            "title: La DINUM\nposition: 5\nune:\n  image: \"/a.jpg\"\n  alternative-textuelle: \nField name:\n  Key 1: \n",
            "chapeau-text: |-\n  Vous êtes agent ?\n\n  Vous souhaitez\nstyle: |\n  .a {\n\n      color: red;\n  }\nlayout: cloud\n",
            "files:\n- file: \"/x.pdf\"\n  nom: Télécharger\nchamps_informations:\n- intitule: Horaires\n  contenu: Envoyer une demande,\n    le lien.\n  lien: https://x.fr/\n",
            "chapeau-text: la DINSIC au Mobilier national\n  - Galerie des Gobelins.\ntags:\n- 8 mars\n- 2019\n",
            "menu:\n  title: <abbr title=\"Foire aux questions\">FAQ</abbr>\n  weight: 70\n",
        ];
        for y in formes {
            assert_eq!(verifier(y), Ok(true), "{y}");
        }
        let fm = parse(formes[0]).unwrap();
        assert_eq!(fm.tags, ["Cloud", "Numérique"]);
        assert!(fm.chapeau.unwrap().contains("administrations. ... \n\nL’objectif : encourager"));
    }

    /// Every real front matter beside the project (corpus and seeds) reads
    /// the same, nearly all on the fast path. Skipped without the corpus.
    #[test]
    fn corpus_reel() {
        let racine = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
        let mut fichiers: Vec<_> = ["corpus/numerique-gouv", "seeds"]
            .iter()
            .filter_map(|d| std::fs::read_dir(racine.join(d)).ok())
            .flatten()
            .filter_map(|e| Some(e.ok()?.path()))
            .collect();
        fichiers.sort();
        let (mut blocs, mut lents) = (0, Vec::new());
        for f in &fichiers {
            let Ok(texte) = std::fs::read_to_string(f) else { continue };
            let Some(yaml) = split(&texte).yaml else { continue };
            blocs += 1;
            match verifier(yaml) {
                Ok(true) => {}
                Ok(false) => lents.push(f.file_name().unwrap().to_string_lossy().into_owned()),
                Err(e) => panic!("{}: {e}", f.display()),
            }
        }
        eprintln!("{} front matters sur {blocs} par la voie rapide ; les autres : {lents:#?}", blocs - lents.len());
        assert!(lents.len() * 10 <= blocs, "{lents:?}");
    }
}
