//! Jekyll front matter: splits the `---` block off a post and reads the keys
//! the dataset uses (title, date, categories, tags, chapeau, published) into
//! typed fields. Values are accepted in the shapes pages really use (a list
//! or a single string, a scalar of any YAML type); the other keys (`une`,
//! `une-ou-diaporama`, `style`, keys with spaces…) are ignored whatever their
//! shape. An invalid block is salvaged line by line (`recuperer`).
//! YAML is read with serde-saphyr (maintained, no unsafe).

use serde::Deserialize;
use std::collections::BTreeMap;

mod rapide;

/// The front matter keys the dataset uses, typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    /// The date as written (`2024-07-03 13:49:00 +02:00`).
    pub date: Option<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub chapeau: Option<String>,
    pub published: Option<bool>,
    /// The files the site offers for download with the page (`files:`, a
    /// list of `file:` or `lien:` with its `nom:`): (address, label).
    pub fichiers: Vec<(String, String)>,
}

/// A YAML value in whatever shape a page gives it.
#[derive(Debug, Clone, PartialEq)]
enum Flex {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Flex>),
    Map(BTreeMap<String, Flex>),
    Null(()),
}

/// What `#[serde(untagged)]` over the variants in this order gives, read
/// straight from the parser's events (the untagged form buffers every
/// value, then tries each variant in turn).
impl<'de> Deserialize<'de> for Flex {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Flex, D::Error> {
        struct Visiteur;
        impl<'de> serde::de::Visitor<'de> for Visiteur {
            type Value = Flex;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Flex, E> {
                Ok(Flex::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Flex, E> {
                Ok(Flex::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Flex, E> {
                Ok(i64::try_from(v).map_or(Flex::Float(v as f64), Flex::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Flex, E> {
                Ok(Flex::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Flex, E> {
                Ok(Flex::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Flex, E> {
                Ok(Flex::Text(v))
            }
            fn visit_unit<E>(self) -> Result<Flex, E> {
                Ok(Flex::Null(()))
            }
            fn visit_none<E>(self) -> Result<Flex, E> {
                Ok(Flex::Null(()))
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Flex, D::Error> {
                Flex::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Flex, A::Error> {
                let mut l = Vec::new();
                while let Some(v) = a.next_element()? {
                    l.push(v);
                }
                Ok(Flex::List(l))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Flex, A::Error> {
                let mut m = BTreeMap::new();
                while let Some((k, v)) = a.next_entry::<String, Flex>()? {
                    m.insert(k, v);
                }
                Ok(Flex::Map(m))
            }
        }
        d.deserialize_any(Visiteur)
    }
}

impl Flex {
    fn text(&self) -> Option<String> {
        match self {
            Flex::Text(s) => Some(s.clone()),
            Flex::Bool(b) => Some(b.to_string()),
            Flex::Int(i) => Some(i.to_string()),
            Flex::Float(f) => Some(f.to_string()),
            Flex::List(_) | Flex::Map(_) | Flex::Null(()) => None,
        }
    }
    /// Jekyll accepts `categories: a b` as well as a YAML list.
    fn list(&self) -> Vec<String> {
        match self {
            Flex::List(l) => {
                l.iter().filter_map(Flex::text).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
            }
            Flex::Text(s) => s.split_whitespace().map(str::to_string).collect(),
            other => other.text().into_iter().collect(),
        }
    }
}

#[derive(Debug, Deserialize, Default)]
struct Raw {
    title: Option<Flex>,
    date: Option<Flex>,
    categories: Option<Flex>,
    category: Option<Flex>,
    tags: Option<Flex>,
    chapeau: Option<Flex>,
    #[serde(rename = "chapeau-text")]
    chapeau_text: Option<Flex>,
    published: Option<Flex>,
    files: Option<Flex>,
}

/// The front matter block and the body that follows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML text between the fences, when the page has a front matter.
    pub yaml: Option<&'a str>,
    /// The text after the closing fence.
    pub body: &'a str,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
}

/// Splits `---\n…\n---\n` off the start of a page. Without an opening fence on
/// the first line, or without a closing one, the whole text is the body. As
/// for Jekyll, blanks may follow either fence.
pub fn split(text: &str) -> Split<'_> {
    let none = Split { yaml: None, body: text, body_line: 1 };
    let Some(rest) = text.strip_prefix("---") else { return none };
    let rest = rest.trim_start_matches([' ', '\t']);
    let Some(rest) = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')) else { return none };
    let start = text.len() - rest.len();
    let mut pos = start;
    for (line, l) in (2..).zip(rest.split_inclusive('\n')) {
        let bare = l.trim_end_matches(['\n', '\r', ' ', '\t']);
        if bare == "---" || bare == "..." {
            let yaml = &text[start..pos];
            let body = &text[pos + l.len()..];
            return Split { yaml: Some(yaml), body, body_line: line + 1 };
        }
        pos += l.len();
    }
    none
}

/// A front matter opened on the first line and never closed: the lines
/// after the opening fence that read as YAML (a `key:` at the start of the
/// line, an indented line, a list item, a comment, a blank line between
/// them), and the body after them. `None` when `split` finds a front matter
/// or the page opens with no fence. Jekyll reads no front matter there (the
/// page loses its title and date, and shows those lines in its text); here
/// what can be read still is, and the fault is reported.
pub fn split_non_ferme(text: &str) -> Option<Split<'_>> {
    if split(text).yaml.is_some() {
        return None;
    }
    let rest = text.strip_prefix("---")?.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n'))?;
    let start = text.len() - rest.len();
    let mut fin = start;
    let mut pos = start;
    let mut lignes = 0;
    for l in rest.split_inclusive('\n') {
        let bare = l.trim_end_matches(['\n', '\r']);
        let cle = bare.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
        let yaml = cle || bare.starts_with([' ', '\t', '#']) || bare.starts_with("- ") || bare.trim().is_empty();
        if !yaml {
            break;
        }
        pos += l.len();
        if !bare.trim().is_empty() {
            fin = pos;
            lignes = text[..pos].matches('\n').count();
        }
    }
    let body_line = if fin == start { 2 } else { lignes + 1 };
    Some(Split { yaml: Some(&text[start..fin]), body: &text[fin..], body_line })
}

/// When a value opens a `[` or `{` and its line does not close it, the YAML
/// reader reports the fault later (often at the next key, "illegal
/// placement of ':'"): names the line where it was opened, unless that is
/// the line the reader named. Empty otherwise.
fn crochet_ouvert(yaml: &str, ligne_erreur: Option<usize>) -> String {
    for (n, ligne) in (2..).zip(yaml.lines()) {
        let Some((_, valeur)) = ligne.split_once(':') else { continue };
        let v = valeur.trim_start();
        let (ouvre, ferme) = match v.chars().next() {
            Some('[') => ('[', ']'),
            Some('{') => ('{', '}'),
            _ => continue,
        };
        if v.matches(ouvre).count() > v.matches(ferme).count() {
            if ligne_erreur == Some(n) {
                return String::new();
            }
            return format!(" (le « {ouvre} » ouvert ligne {n} n'est pas fermé sur sa ligne)");
        }
    }
    String::new()
}

/// serde-saphyr's message on one line, with the line counted in the file
/// (the YAML starts on line 2, after the opening `---`):
/// "error: line 1 column 8: unclosed bracket '['" + a source excerpt →
/// "ligne 2, colonne 8 : unclosed bracket '['".
fn message_court(m: &str) -> String {
    static POS: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^(?:error: )?line (\d+) column (\d+): (.*)$").unwrap());
    let premiere = m.lines().next().unwrap_or(m).trim();
    match POS.captures(premiere) {
        Some(c) => {
            let ligne: usize = c[1].parse().unwrap_or(0);
            format!("ligne {}, colonne {} : {}", ligne + 1, &c[2], &c[3])
        }
        None => premiere.to_string(),
    }
}

/// Reads the YAML of a front matter. The error is serde-saphyr's message,
/// which names the line and column within the YAML block.
/// The ordinary blocks go through `rapide` (a few percent of a build saved);
/// anything it is not sure of, errors included, goes to serde-saphyr.
pub fn parse(yaml: &str) -> Result<FrontMatter, String> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let raw = match rapide::lire(yaml) {
        Some(raw) => raw,
        None => lire_saphyr(yaml)?,
    };
    Ok(depuis_raw(raw))
}

/// [`parse`] through serde-saphyr alone, without the fast path: the
/// reference the fuzz target holds `parse` to.
#[doc(hidden)]
pub fn parse_reference(yaml: &str) -> Result<FrontMatter, String> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    lire_saphyr(yaml).map(depuis_raw)
}

/// The reference reading, and the only source of errors.
fn lire_saphyr(yaml: &str) -> Result<Raw, String> {
    serde_saphyr::from_str(yaml).map_err(|e| {
        let m = message_court(&e.to_string());
        let ligne = m.strip_prefix("ligne ").and_then(|r| r.split(',').next()?.parse::<usize>().ok());
        m + &crochet_ouvert(yaml, ligne)
    })
}

/// The typed fields from the raw values, whichever reader gave them.
fn depuis_raw(raw: Raw) -> FrontMatter {
    let text =
        |f: &Option<Flex>| f.as_ref().and_then(Flex::text).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut categories = raw.categories.as_ref().map(Flex::list).unwrap_or_default();
    if categories.is_empty() {
        categories = raw.category.as_ref().map(Flex::list).unwrap_or_default();
    }
    FrontMatter {
        title: text(&raw.title),
        date: text(&raw.date),
        categories,
        tags: raw.tags.as_ref().map(Flex::list).unwrap_or_default(),
        chapeau: text(&raw.chapeau).or_else(|| text(&raw.chapeau_text)),
        published: match raw.published {
            Some(Flex::Bool(b)) => Some(b),
            Some(Flex::Text(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "oui" => Some(true),
                "false" | "no" | "non" => Some(false),
                _ => None,
            },
            _ => None,
        },
        fichiers: fichiers(raw.files.as_ref()),
    }
}

/// `files:` as the site writes it: `- file: "/uploads/x.pdf"` (or `lien:`)
/// with `nom: Télécharger le communiqué de presse`.
/// A single entry, a plain address, or a list of either are read too.
fn fichiers(files: Option<&Flex>) -> Vec<(String, String)> {
    let un = |item: &Flex| -> Option<(String, String)> {
        match item {
            Flex::Map(m) => {
                let champ =
                    |k: &str| m.get(k).and_then(Flex::text).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
                let adresse = champ("file").or_else(|| champ("lien")).or_else(|| champ("url"))?;
                Some((adresse.clone(), champ("nom").or_else(|| champ("title")).unwrap_or(adresse)))
            }
            Flex::Text(t) if !t.trim().is_empty() => Some((t.trim().to_string(), t.trim().to_string())),
            _ => None,
        }
    };
    match files {
        Some(Flex::List(items)) => items.iter().filter_map(un).collect(),
        Some(item) => un(item).into_iter().collect(),
        None => Vec::new(),
    }
}

/// What can be read from an invalid front matter, line by line: the
/// top-level `title`, `date`, `chapeau`/`chapeau-text` and `published` written
/// as plain one-line scalars. The page is still worth reading (its body is
/// intact); `parse`'s error is reported beside this.
pub fn recuperer(yaml: &str) -> FrontMatter {
    let mut fm = FrontMatter::default();
    for ligne in yaml.lines() {
        if ligne.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        let Some((cle, valeur)) = ligne.split_once(':') else { continue };
        let v = valeur.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
            .unwrap_or(v)
            .trim();
        if v.is_empty() || v.starts_with(['[', '{', '|', '>', '&', '*']) {
            continue;
        }
        match cle.trim() {
            "title" => fm.title = Some(v.to_string()),
            "date" => fm.date = Some(v.to_string()),
            "chapeau" | "chapeau-text" if fm.chapeau.is_none() => fm.chapeau = Some(v.to_string()),
            "published" => fm.published = matches!(v, "true" | "false").then(|| v == "true"),
            _ => {}
        }
    }
    fm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crochet_ouvert_nomme() {
        let e = parse("title: Essai\ntags: [a, b\ndate: 2024-01-01\n").unwrap_err();
        assert!(e.contains("(le « [ » ouvert ligne 3 n'est pas fermé sur sa ligne)"), "{e}");
        let e = parse("title: [oops\ndate: 2024\n").unwrap_err();
        assert!(e.contains("ouvert ligne 2"), "{e}");
        assert_eq!(crochet_ouvert("tags: [a, b]\nt: {x: 1}\n", None), "");
        assert_eq!(crochet_ouvert("t: [a\n", Some(2)), "");
    }

    #[test]
    fn front_matter_jamais_ferme() {
        let t = "---\ntitle: Essai\ndate: 2024-01-01\ntags:\n  - a\n\n<div>corps: pas du YAML</div>\n";
        let s = split_non_ferme(t).unwrap();
        assert_eq!(s.yaml, Some("title: Essai\ndate: 2024-01-01\ntags:\n  - a\n"));
        assert_eq!(s.body, "\n<div>corps: pas du YAML</div>\n");
        assert_eq!(s.body_line, 6);
        assert_eq!(recuperer(s.yaml.unwrap()).title.as_deref(), Some("Essai"));
        // The body right after the fence.
        let s = split_non_ferme("---\n<p>Texte</p>\n").unwrap();
        assert_eq!((s.yaml, s.body, s.body_line), (Some(""), "<p>Texte</p>\n", 2));
        // A closed front matter, or none at all: not this case.
        assert!(split_non_ferme("---\ntitle: x\n---\ncorps\n").is_none());
        assert!(split_non_ferme("title: x\ncorps\n").is_none());
        assert!(split_non_ferme("--- \r\ntitle: x\r\n").is_some());
    }

    /// The shapes as `#[serde(untagged)]` reads them: the reference.
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    enum FlexReference {
        Bool(bool),
        Int(i64),
        Float(f64),
        Text(String),
        List(Vec<FlexReference>),
        Map(BTreeMap<String, FlexReference>),
        Null(()),
    }

    fn vers_flex(r: FlexReference) -> Flex {
        match r {
            FlexReference::Bool(b) => Flex::Bool(b),
            FlexReference::Int(i) => Flex::Int(i),
            FlexReference::Float(f) => Flex::Float(f),
            FlexReference::Text(t) => Flex::Text(t),
            FlexReference::List(l) => Flex::List(l.into_iter().map(vers_flex).collect()),
            FlexReference::Map(m) => Flex::Map(m.into_iter().map(|(k, v)| (k, vers_flex(v))).collect()),
            FlexReference::Null(()) => Flex::Null(()),
        }
    }

    #[test]
    fn flex_comme_untagged() {
        let valeurs = [
            "true",
            "no",
            "12",
            "-3",
            "18446744073709551615",
            "1.5",
            "1e3",
            ".nan",
            "texte",
            "'12'",
            "\"a: b\"",
            "2024-07-03 13:49:00 +02:00",
            "~",
            "null",
            "",
            "[a, 1, true, ~]",
            "{a: 1, b: [x]}",
            "- a\n- b",
            "|\n  bloc\n  de texte",
            "0x1F",
            "0o17",
            "+12",
            "1_000",
        ];
        for v in valeurs {
            let yaml = if v.starts_with('-') && v.contains('\n') { format!("k:\n{v}\n") } else { format!("k: {v}\n") };
            let nouveau: Result<BTreeMap<String, Option<Flex>>, _> = serde_saphyr::from_str(&yaml);
            let reference: Result<BTreeMap<String, Option<FlexReference>>, _> = serde_saphyr::from_str(&yaml);
            match (nouveau, reference) {
                (Ok(n), Ok(r)) => {
                    let r: BTreeMap<String, Option<Flex>> = r.into_iter().map(|(k, v)| (k, v.map(vers_flex))).collect();
                    let egal = format!("{n:?}") == format!("{r:?}");
                    assert!(egal, "{yaml:?}: {n:?} ≠ {r:?}");
                }
                (Err(_), Err(_)) => {}
                (n, r) => panic!("{yaml:?}: {n:?} / {r:?}"),
            }
        }
    }

    #[test]
    fn split_seed_like() {
        let s = split("---\ntitle: x\n---\n\nbody\n");
        assert_eq!(s.yaml, Some("title: x\n"));
        assert_eq!(s.body, "\nbody\n");
        assert_eq!(s.body_line, 4);
        assert_eq!(split("no front").yaml, None);
        assert_eq!(split("---\nunclosed").yaml, None);
        assert_eq!(split("---\r\na: 1\r\n---\r\nb").body, "b");
        // Blanks after either fence, as Jekyll allows.
        let s = split("--- \t\ntitle: x\n---  \nb");
        assert_eq!((s.yaml, s.body), (Some("title: x\n"), "b"));
        assert_eq!(split("---x\na: 1\n---\n").yaml, None);
    }

    #[test]
    fn typed_fields() {
        let fm = parse(
            "title: 'Cloud : série'\ndate: 2024-07-03 13:49:00 +02:00\ncategories:\n- Actualités\ntags:\n- Cloud\n- Numérique\nchapeau-text: \"a\\n\\nb\"\nune-ou-diaporama:\n- image: \"/x.png\"\npublished: false\n",
        )
        .unwrap();
        assert_eq!(fm.title.as_deref(), Some("Cloud : série"));
        assert_eq!(fm.date.as_deref(), Some("2024-07-03 13:49:00 +02:00"));
        assert_eq!(fm.categories, vec!["Actualités"]);
        assert_eq!(fm.tags, vec!["Cloud", "Numérique"]);
        assert_eq!(fm.chapeau.as_deref(), Some("a\n\nb"));
        assert_eq!(fm.published, Some(false));
    }

    #[test]
    fn odd_shapes() {
        let fm = parse("title: 2024\ncategories: a b\ntags: seul\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("2024"));
        assert_eq!(fm.categories, vec!["a", "b"]);
        assert_eq!(fm.tags, vec!["seul"]);
        assert!(parse("title: [unclosed\n").is_err());
    }

    #[test]
    fn files_offered_with_the_page() {
        let fm = parse("title: T\nfiles:\n- file: \"/uploads/CP.pdf\"\n  nom: Télécharger le communiqué de presse\n- lien: \"/uploads/b.pdf\"\n- nom: sans adresse\nune-ou-diaporama:\n- image: \"/a.jpg\"\n").unwrap();
        assert_eq!(
            fm.fichiers,
            [
                ("/uploads/CP.pdf".to_string(), "Télécharger le communiqué de presse".to_string()),
                ("/uploads/b.pdf".to_string(), "/uploads/b.pdf".to_string())
            ]
        );
        let seul = |y: &str| parse(y).unwrap().fichiers;
        assert_eq!(seul("title: T\nfiles: /a.pdf\n"), [("/a.pdf".to_string(), "/a.pdf".to_string())]);
        assert_eq!(seul("title: T\nfiles:\n  file: /b.pdf\n  nom: B\n"), [("/b.pdf".to_string(), "B".to_string())]);
        assert_eq!(seul("title: T\nfiles:\n- /c.pdf\n"), [("/c.pdf".to_string(), "/c.pdf".to_string())]);
    }

    #[test]
    fn front_matter_as_found() {
        // `une:` as a map, `une-ou-diaporama:` as a list, keys with spaces,
        // a nested null, CSS in a block scalar: none of them is in the way.
        let fm = parse("title: T\nune:\n  image: \"/a.jpg\"\n  alternative-textuelle: \nune-ou-diaporama:\n  image: /b.png\nField name:\n  Key 1:\nstyle: |-\n  .a { color: red; }\nchapeau: Vieux chapeau\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(fm.chapeau.as_deref(), Some("Vieux chapeau"));
        assert_eq!(fm.date, None);
    }

    #[test]
    fn invalid_yaml_is_salvaged() {
        let yaml = "title: \"Un titre\"\ndate: 2020-01-02 10:00:00 +01:00\ntags: [a, b\npublished: false\n";
        assert!(parse(yaml).is_err());
        let fm = recuperer(yaml);
        assert_eq!(fm.title.as_deref(), Some("Un titre"));
        assert_eq!(fm.date.as_deref(), Some("2020-01-02 10:00:00 +01:00"));
        assert_eq!(fm.published, Some(false));
    }
}
