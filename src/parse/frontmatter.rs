//! Jekyll front matter: splits the `---` block off a post and reads the keys
//! the dataset uses (title, date, categories, tags, chapeau, published) into
//! typed fields. Values are accepted in the shapes pages really use (a list
//! or a single string, a scalar of any YAML type); the other keys (`une`,
//! `une-ou-diaporama`, `style`, keys with spaces…) are ignored whatever their
//! shape. An invalid block is salvaged line by line (`recuperer`).
//! YAML is read with serde-saphyr (maintained, no unsafe).

use serde::Deserialize;
use std::collections::BTreeMap;

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
}

/// A YAML value in whatever shape a page gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Flex {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Flex>),
    Map(#[allow(dead_code)] BTreeMap<String, Flex>),
    Null(()),
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
/// the first line, or without a closing one, the whole text is the body.
pub fn split(text: &str) -> Split<'_> {
    let none = Split { yaml: None, body: text, body_line: 1 };
    let Some(rest) = text.strip_prefix("---") else { return none };
    let Some(rest) = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')) else { return none };
    let start = text.len() - rest.len();
    let mut pos = start;
    for (line, l) in (2..).zip(rest.split_inclusive('\n')) {
        let bare = l.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare == "..." {
            let yaml = &text[start..pos];
            let body = &text[pos + l.len()..];
            return Split { yaml: Some(yaml), body, body_line: line + 1 };
        }
        pos += l.len();
    }
    none
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
pub fn parse(yaml: &str) -> Result<FrontMatter, String> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let raw: Raw = serde_saphyr::from_str(yaml).map_err(|e| message_court(&e.to_string()))?;
    let text =
        |f: &Option<Flex>| f.as_ref().and_then(Flex::text).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut categories = raw.categories.as_ref().map(Flex::list).unwrap_or_default();
    if categories.is_empty() {
        categories = raw.category.as_ref().map(Flex::list).unwrap_or_default();
    }
    Ok(FrontMatter {
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
    })
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
    fn split_seed_like() {
        let s = split("---\ntitle: x\n---\n\nbody\n");
        assert_eq!(s.yaml, Some("title: x\n"));
        assert_eq!(s.body, "\nbody\n");
        assert_eq!(s.body_line, 4);
        assert_eq!(split("no front").yaml, None);
        assert_eq!(split("---\nunclosed").yaml, None);
        assert_eq!(split("---\r\na: 1\r\n---\r\nb").body, "b");
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
