//! French quantity parser: finds the quantities stated in one sentence ("plus de
//! 250 millions de requêtes utilisateurs par jour", "40 %", "3 M€", "des centaines
//! de milliers de demandes") and gives each its value or range in base units, the
//! counted thing, the period and the qualifier. Pure functions over one sentence:
//! no sentence splitting, no HTML, no I/O. Years, dates, standard names, names with
//! digits, ordinals, ranks, versions, times of day and phone numbers are skipped.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One quantity stated in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantite {
    /// The counted thing as written: the noun phrase after the number
    /// ("requêtes utilisateurs", "agents du ministère"), at most five words. For
    /// a physical unit, the thing measured when the text names it ("40 % de la
    /// facturation" → "facturation"), else the unit as written ("minutes").
    pub libelle: String,
    /// Exact value or lower bound, in base units (250 millions → 250000000.0;
    /// 2 To → 2e12 octets; 3 M€ → 3000000.0 euros).
    pub valeur: f64,
    /// Upper bound of a range ("des centaines de milliers" → 1000000.0). Set if
    /// and only if `qualificatif` is `ordre_de_grandeur`.
    pub valeur_max: Option<f64>,
    /// Singular, ASCII, lowercase head noun ("requete", "eleve", "departement")
    /// or physical unit ("pourcent", "minute", "heure", "seconde", "jour",
    /// "semaine", "mois", "an", "octet", "euro", "wattheure").
    pub unite: String,
    /// One of [`PERIODES`], when the quantity is a rate ("par jour").
    pub periode: Option<&'static str>,
    /// One of [`QUALIFICATIFS`].
    pub qualificatif: &'static str,
    /// The span as written in the sentence, qualifier included
    /// ("plus de 250 millions de requêtes utilisateurs par jour").
    pub texte: String,
}

/// The `qualificatif` vocabulary.
pub const QUALIFICATIFS: [&str; 7] =
    ["exact", "plus_de", "moins_de", "environ", "au_moins", "cible", "ordre_de_grandeur"];

/// The `periode` vocabulary.
pub const PERIODES: [&str; 4] = ["jour", "semaine", "mois", "an"];

/// All quantities stated in one sentence, in order of appearance.
///
/// Rule choices (each rule is also documented where it is implemented):
/// - a range ("des centaines de milliers", "entre 10 et 20") always gets
///   `ordre_de_grandeur`; otherwise `cible` wins over the other qualifiers
///   ("soit plus de 30 millions d'appels par an en cible" is `cible`), then an
///   explicit qualifier before the number, then one after it, then the
///   approximate collectives ("une dizaine" → 10, `environ`), then `exact`;
/// - "des X" spans X..10X ("des dizaines" = 10..100), "plusieurs X" and
///   "quelques X" span 2X..10X ("plusieurs dizaines" = 20..100);
/// - a number with no counted thing or unit after it is not reported.
pub fn extraire(phrase: &str) -> Vec<Quantite> {
    extraire_plie(phrase, &super::texte::Plie::depuis(phrase))
}

/// [`extraire`] with the sentence's folded form at hand (`plie.bas`, for the
/// cheap test that the sentence can hold a number at all).
pub fn extraire_plie(phrase: &str, plie: &super::texte::Plie) -> Vec<Quantite> {
    if !peut_compter(phrase, &plie.bas) {
        return Vec::new();
    }
    let t = decouper(phrase);
    let mut out = Vec::new();
    let mut i = 0;
    let mut borne = 0;
    while i < t.len() {
        match extraire_a(phrase, &t, i, borne) {
            Ok((q, fin)) => {
                out.push(q);
                i = fin.max(i + 1);
                borne = i;
            }
            Err(saut) => i = saut.max(i + 1),
        }
    }
    out
}

/// Parses a French number as written ("700 000", "700\u{202f}000", "1,2",
/// "1,2 millions", "huit", "vingt-cinq", "deux millions", "une dizaine") and
/// returns its value; `None` when the whole string is not a number.
///
/// Vague amounts give their lower bound: "des centaines de milliers" → 100000.
/// "un"/"une" alone give 1 here (in sentences they count only before a
/// multiplier). Units are not numbers: "40 %" and "3 M€" give `None`.
pub fn parse_nombre(s: &str) -> Option<f64> {
    let t = decouper(s);
    if t.is_empty() {
        return None;
    }
    let l = lire_nombre(&t, 0, true)?;
    if l.fin != t.len() || l.suffixe.is_some() {
        return None;
    }
    Some(l.val.f64())
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Genre {
    /// Letters, hyphens, elision apostrophe: "requêtes", "au-delà", "d’".
    Mot,
    /// Digits with at most one decimal comma: "700", "1,2".
    Nombre,
    /// Letters and digits mixed, or joined by '.', ':', '/': "Covid-19", "4G",
    /// "24h/24", "2To", "v2.1", "27001:2013", "gouv.fr".
    Mixte,
    /// Any other single character: "%", "€", "(", "/".
    Ponct,
}

#[derive(Debug, Clone)]
struct Jeton<'a> {
    brut: &'a str,
    debut: usize,
    fin: usize,
    genre: Genre,
    /// Lowercase, accents removed, apostrophes folded to '\''; borrowed
    /// from the sentence when it is already so (most tokens).
    plie: std::borrow::Cow<'a, str>,
    espace_avant: bool,
}

fn est_espace(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}')
}

fn est_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn est_lettre(c: char) -> bool {
    // ASCII has no combining mark: no table lookup for it.
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        super::texte::est_alphabetique(c) || is_combining_mark(c)
    }
}

fn est_alnum(c: char) -> bool {
    est_lettre(c) || c.is_ascii_digit()
}

/// Lowercase ASCII-ish folding: "Élèves" → "eleves", "d’" → "d'", "MŒ" → "moe".
fn plier(s: &str) -> std::borrow::Cow<'_, str> {
    // Most words are ASCII: no decomposition needed, and most are lowercase.
    if s.is_ascii() {
        if !s.bytes().any(|b| b.is_ascii_uppercase()) {
            return std::borrow::Cow::Borrowed(s);
        }
        return std::borrow::Cow::Owned(s.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // ASCII and the Latin-1 letters of French without decomposing (the
        // marks NFD would split off are dropped anyway).
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if let Some(b) = super::texte::base_latin1(c) {
            out.push(b.to_ascii_lowercase());
            continue;
        }
        for c in c.nfd() {
            if is_combining_mark(c) {
                continue;
            }
            match c {
                '’' | 'ʼ' | '‘' => out.push('\''),
                'œ' | 'Œ' => out.push_str("oe"),
                'æ' | 'Æ' => out.push_str("ae"),
                '‑' => out.push('-'),
                _ => out.extend(c.to_lowercase()),
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

fn genre_de(brut: &str) -> Genre {
    let c0 = match brut.chars().next() {
        Some(c) => c,
        None => return Genre::Ponct,
    };
    if !est_alnum(c0) {
        Genre::Ponct
    } else if c0.is_ascii_digit() && brut.chars().all(|c| c.is_ascii_digit() || c == ',') {
        Genre::Nombre
    } else if brut.chars().all(|c| est_lettre(c) || c == '-' || c == '‑' || est_apostrophe(c)) {
        Genre::Mot
    } else {
        Genre::Mixte
    }
}

/// Splits a sentence into words, numbers, mixed tokens and punctuation.
/// Spaces include U+00A0, U+202F and U+2009. A '-' between letters or digits
/// joins ("au-delà", "Covid-19"); ',' and ':' join digits ("1,2", "27001:2013");
/// '.' joins alphanumerics ("2.0", "gouv.fr"); '/' joins before a digit or a
/// capital ("24h/24", "ISO/IEC") but not before a lowercase word
/// ("requêtes/jour"). An elided word keeps its apostrophe ("d’", "jusqu’").
fn decouper(s: &str) -> Vec<Jeton<'_>> {
    // Walks the bytes, decoding a character only where one starts (most are
    // ASCII); the character before and the one after are all the rules
    // look at.
    let mut out = Vec::with_capacity(s.len() / 4);
    let mut k = 0;
    let mut espace = true;
    while let Some(c) = car_a(s, k) {
        if est_espace(c) {
            espace = true;
            k += c.len_utf8();
            continue;
        }
        let debut = k;
        k += c.len_utf8();
        if est_alnum(c) {
            // Whether the token so far is letters only (an elision's apostrophe
            // then joins it: "d’", "jusqu’").
            let mut lettres = est_lettre(c);
            let mut prev = c;
            while let Some(c2) = car_a(s, k) {
                if est_alnum(c2) {
                    lettres &= est_lettre(c2);
                    prev = c2;
                    k += c2.len_utf8();
                    continue;
                }
                let apres = k + c2.len_utf8();
                if let Some(nx) = car_a(s, apres) {
                    let joint = match c2 {
                        '-' | '‑' => est_alnum(nx),
                        '.' => est_alnum(nx) && !(prev.is_lowercase() && nx.is_uppercase()),
                        ',' | ':' => prev.is_ascii_digit() && nx.is_ascii_digit(),
                        '/' => nx.is_ascii_digit() || nx.is_uppercase(),
                        _ => false,
                    };
                    if joint {
                        lettres = false;
                        prev = nx;
                        k = apres + nx.len_utf8();
                        continue;
                    }
                    if est_apostrophe(c2) && est_lettre(nx) && lettres {
                        k = apres;
                    }
                }
                break;
            }
        }
        let brut = &s[debut..k];
        out.push(Jeton { brut, debut, fin: k, genre: genre_de(brut), plie: plier(brut), espace_avant: espace });
        espace = false;
    }
    out
}

/// The character that starts at byte `i` of `s`, if any.
#[inline]
fn car_a(s: &str, i: usize) -> Option<char> {
    match s.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(_) => s[i..].chars().next(),
        None => None,
    }
}

// ---------------------------------------------------------------------------
// Exact decimal arithmetic, so that "1,2 millions" is exactly 1200000.0
// ---------------------------------------------------------------------------

/// value = m / 10^e
#[derive(Debug, Clone, Copy)]
struct Dec {
    m: u128,
    e: u32,
}

impl Dec {
    fn ent(v: u128) -> Dec {
        Dec { m: v, e: 0 }
    }

    /// Digits with an optional decimal comma, spaces allowed in the integer
    /// part: "700 000", "1,2".
    fn lire(txt: &str) -> Option<Dec> {
        let (mut m, mut e, mut apres, mut vu) = (0u128, 0u32, false, false);
        for c in txt.chars() {
            if let Some(d) = c.to_digit(10) {
                m = m.checked_mul(10)?.checked_add(u128::from(d))?;
                if apres {
                    e += 1;
                }
                vu = true;
            } else if c == ',' && !apres && vu {
                apres = true;
            } else if !est_espace(c) || apres {
                return None;
            }
        }
        if !vu || e > 30 {
            return None;
        }
        Some(Dec { m, e }.reduit())
    }

    fn reduit(mut self) -> Dec {
        while self.e > 0 && self.m.is_multiple_of(10) {
            self.m /= 10;
            self.e -= 1;
        }
        self
    }

    fn fois(self, k: u128) -> Dec {
        Dec { m: self.m.saturating_mul(k), e: self.e }.reduit()
    }

    fn f64(self) -> f64 {
        self.m as f64 / 10f64.powi(self.e as i32)
    }
}

// ---------------------------------------------------------------------------
// Vocabularies (folded forms)
// ---------------------------------------------------------------------------

const MOIS: &[&str] = &[
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
    "janv",
    "fevr",
    "avr",
    "juil",
    "oct",
    "nov",
    "dec",
];

/// Words that introduce a year: "en 2021", "depuis 2019", "d'ici 2025",
/// "fin de l'année 2025", "juin 2023" (months are checked separately).
const ANNEE_INTRO: &[&str] = &[
    "en",
    "depuis",
    "ici",
    "annee",
    "annees",
    "fin",
    "debut",
    "mi",
    "horizon",
    "printemps",
    "ete",
    "automne",
    "hiver",
    "des",
    "avant",
    "apres",
    "entre",
    "an",
    "exercice",
    "rentree",
    "semestre",
    "trimestre",
    "courant",
    "jusqu'en",
];

/// A number right after one of these words names or ranks something: "top 10",
/// "article 12", "ISO 27001", "niveau 3", "numéro 3949", "Web 3".
const PREFIXES_NOMS: &[&str] = &[
    "top",
    "article",
    "articles",
    "art",
    "alinea",
    "numero",
    "numeros",
    "n",
    "no",
    "version",
    "v",
    "chapitre",
    "section",
    "page",
    "annexe",
    "iso",
    "iec",
    "nf",
    "rfc",
    "loi",
    "decret",
    "arrete",
    "tome",
    "volume",
    "vol",
    "phase",
    "niveau",
    "lot",
    "grade",
    "titre",
    "paragraphe",
    "figure",
    "tableau",
    "ligne",
    "etape",
    "acte",
    "saison",
    "episode",
    "windows",
    "python",
    "java",
    "php",
    "web",
    "covid",
    "ipv",
    "classe",
    "zone",
    "bac",
    "h",
    "rang",
    "tranche",
    "region",
    "departement",
    "vague",
    "sprint",
    "palier",
    "jalon",
    "indice",
    "norme",
    "programme",
    "france",
];

/// Label nouns of [`PREFIXES_NOMS`] that also take a count after "chaque",
/// "en", "dans"…: "dans chaque département 20 agents".
const ETIQUETTES_APRES_ARTICLE: &[&str] = &["tranche", "region", "departement", "vague", "sprint", "palier", "jalon"];

/// Function words and frequent verbs: never the counted thing, and they end a
/// noun phrase.
const STOP: &[&str] = &[
    // articles, determiners
    "le",
    "la",
    "les",
    "l'",
    "un",
    "une",
    "des",
    "du",
    "de",
    "d'",
    "au",
    "aux",
    "ce",
    "cet",
    "cette",
    "ces",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "notre",
    "nos",
    "votre",
    "vos",
    "mon",
    "ma",
    "mes",
    "plusieurs",
    "quelques",
    "quelque",
    "certains",
    "certaines",
    "nombreux",
    "nombreuses",
    "tout",
    "tous",
    "toute",
    "toutes",
    "chaque",
    "aucun",
    "aucune",
    // prepositions
    "a",
    "par",
    "pour",
    "dans",
    "en",
    "sur",
    "sous",
    "avec",
    "sans",
    "chez",
    "vers",
    "entre",
    "depuis",
    "pendant",
    "avant",
    "apres",
    "contre",
    "selon",
    "via",
    "parmi",
    "lors",
    "jusqu'",
    "outre",
    "hors",
    "envers",
    "malgre",
    "durant",
    // conjunctions, relatives, pronouns
    "et",
    "ou",
    "mais",
    "donc",
    "or",
    "ni",
    "car",
    "soit",
    "que",
    "qu'",
    "qui",
    "quoi",
    "dont",
    "si",
    "comme",
    "lorsque",
    "lorsqu'",
    "puisque",
    "puisqu'",
    "tandis",
    "il",
    "ils",
    "elle",
    "elles",
    "on",
    "nous",
    "vous",
    "je",
    "j'",
    "y",
    "se",
    "s'",
    "ne",
    "n'",
    "lui",
    "eux",
    "celui",
    "celle",
    "ceux",
    "celles",
    "chacun",
    "chacune",
    "c'",
    "m'",
    "t'",
    // adverbs and qualifiers
    "plus",
    "moins",
    "tres",
    "trop",
    "bien",
    "pas",
    "deja",
    "encore",
    "toujours",
    "environ",
    "minimum",
    "maximum",
    "ainsi",
    "aussi",
    "alors",
    "afin",
    "notamment",
    "egalement",
    "actuellement",
    "seulement",
    "uniquement",
    "etc",
    "desormais",
    "pres",
    "loin",
    "meme",
    "ici",
    "la-bas",
    "puis",
    "ensuite",
    "enfin",
    "d'ailleurs",
    "fois",
    // auxiliaries and frequent verbs
    "ai",
    "as",
    "ont",
    "avons",
    "avez",
    "avait",
    "avaient",
    "aura",
    "auront",
    "est",
    "sont",
    "etait",
    "etaient",
    "sera",
    "seront",
    "ete",
    "etre",
    "avoir",
    "fait",
    "font",
    "peut",
    "peuvent",
    "doit",
    "doivent",
    "permet",
    "permettent",
    "va",
    "vont",
    "permis",
    "accueille",
    "represente",
    "concerne",
    "utilise",
    "gere",
    "traite",
    "regroupe",
    "rassemble",
    "touche",
    "atteint",
    "depasse",
    "reste",
    "devient",
    "sert",
    "offre",
    "compte",
    "beneficie",
];

/// Adjectives that come between a number and its noun: "huit premiers
/// départements", "3 nouveaux sites", "15 autres ministères".
const PRE_ADJ: &[&str] = &[
    "premier",
    "premiers",
    "premiere",
    "premieres",
    "dernier",
    "derniers",
    "derniere",
    "dernieres",
    "nouveau",
    "nouveaux",
    "nouvel",
    "nouvelle",
    "nouvelles",
    "autre",
    "autres",
    "grand",
    "grands",
    "grande",
    "grandes",
    "petit",
    "petits",
    "petite",
    "petites",
    "principaux",
    "principales",
    "seul",
    "seuls",
    "seule",
    "seules",
    "prochain",
    "prochains",
    "prochaine",
    "prochaines",
    "ancien",
    "anciens",
    "ancienne",
    "anciennes",
    "gros",
    "meilleurs",
    "meilleures",
    "futurs",
    "futures",
    "vrais",
    "vraies",
];

/// Nouns of discourse, not of measure, when the number is written in words:
/// "deux avantages majeurs", "les deux exemples qui suivent", "trois axes".
/// With digits they are counts ("le RGAA impose 106 critères"). Singular forms.
const BANALS_MOTS: &[&str] = &[
    "avantage",
    "exemple",
    "raison",
    "axe",
    "point",
    "enjeu",
    "volet",
    "pilier",
    "defi",
    "question",
    "aspect",
    "facteur",
    "cas",
    "facon",
    "maniere",
    "partie",
    "sens",
    "chose",
    "sorte",
    "mot",
    "cote",
    "critere",
    "objectif",
    "etape",
    "priorite",
    "principe",
    "lecon",
    "conseil",
    "idee",
    "temps",
    "titre",
    "niveau",
    "type",
    "categorie",
    "ordre",
];

/// Never the counted thing, however the number is written: "3 fois plus",
/// "à deux reprises", "12 rue de…", "deux tiers".
const BANALS: &[&str] = &["fois", "reprise", "moitie", "tier", "tiers", "quart", "rue", "avenue", "boulevard", "quai"];

/// Period adjectives: "3 500 utilisateurs quotidiens" → jour.
fn adj_periode(p: &str) -> Option<&'static str> {
    Some(match p {
        "quotidien" | "quotidiens" | "quotidienne" | "quotidiennes" | "journalier" | "journaliers" | "journaliere"
        | "journalieres" => "jour",
        "hebdomadaire" | "hebdomadaires" => "semaine",
        "mensuel" | "mensuels" | "mensuelle" | "mensuelles" => "mois",
        "annuel" | "annuels" | "annuelle" | "annuelles" => "an",
        _ => return None,
    })
}

/// Period nouns after "par", "chaque" or "/": "par jour", "chaque année", "/an".
fn mot_periode(p: &str) -> Option<&'static str> {
    Some(match p {
        "jour" | "jours" | "journee" | "j" => "jour",
        "semaine" | "sem" => "semaine",
        "mois" => "mois",
        "an" | "ans" | "annee" => "an",
        _ => return None,
    })
}

/// Whether a sentence can state a quantity at all: it has a digit or a
/// number word (cardinals, "cent", "mille", "million", collectives such as
/// "dizaine"). Most sentences have neither, and tokenising them is the
/// costly part. "un"/"une" alone never make a quantity (see `atome`'s use).
fn peut_compter(phrase: &str, bas: &str) -> bool {
    const RACINES: &[&str] = &[
        "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze", "treize", "quatorze",
        "quinz", "seize", "vingt", "trent", "quarant", "cinquant", "soixant", "cent", "mill", "dizaine",
    ];
    static RACINES_AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    // By blocks without an early exit in each: the compiler vectorises it.
    let chiffre = |b: &u8| b.wrapping_sub(b'0') < 10;
    if phrase.as_bytes().chunks(32).any(|bloc| bloc.iter().fold(false, |vu, b| vu | chiffre(b))) {
        return true;
    }
    // Leftmost semantics (same yes/no answer) let the SIMD searcher run.
    RACINES_AC
        .get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(RACINES)
                .expect("fixed word list")
        })
        .is_match(bas)
}

/// Cardinal number words: "huit" = 8, "quinze" = 15, "vingt" = 20.
fn atome(p: &str) -> Option<u128> {
    Some(match p {
        "un" | "une" => 1,
        "deux" => 2,
        "trois" => 3,
        "quatre" => 4,
        "cinq" => 5,
        "six" => 6,
        "sept" => 7,
        "huit" => 8,
        "neuf" => 9,
        "dix" => 10,
        "onze" => 11,
        "douze" => 12,
        "treize" => 13,
        "quatorze" => 14,
        "quinze" => 15,
        "seize" => 16,
        "vingt" | "vingts" => 20,
        "trente" => 30,
        "quarante" => 40,
        "cinquante" => 50,
        "soixante" => 60,
        _ => return None,
    })
}

/// A token made only of number words: "huit", "vingt-cinq", "quatre-vingt-dix",
/// "cent", "mille". "et" counts only inside ("vingt-et-un").
fn est_mot_nombre(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with("et")
        && p.split('-').all(|q| atome(q).is_some() || matches!(q, "cent" | "cents" | "mille" | "et"))
}

/// Value of a sequence of number words: ["deux", "cent", "mille"] = 200000,
/// ["quatre", "vingt", "dix"] = 90, ["vingt", "et", "un"] = 21.
fn valeur_mots(parts: &[&str]) -> Option<u128> {
    let (mut milliers, mut cour) = (0u128, 0u128);
    let mut prec = "";
    let mut vu = false;
    for &p in parts {
        match p {
            "et" => {}
            "cent" | "cents" => cour = cour.max(1) * 100,
            "mille" => {
                milliers += cour.max(1) * 1000;
                cour = 0;
            }
            _ => {
                let v = atome(p)?;
                // "quatre-vingts" = 4 × 20, not 4 + 20.
                if v == 20 && prec == "quatre" {
                    cour += 76;
                } else {
                    cour += v;
                }
            }
        }
        vu = true;
        prec = p;
    }
    vu.then_some(milliers + cour)
}

/// Multipliers after a number: "250 millions", "deux milliards", "10 mille".
fn multiplicateur(p: &str) -> Option<u128> {
    Some(match p {
        "mille" => 1_000,
        "million" | "millions" => 1_000_000,
        "milliard" | "milliards" => 1_000_000_000,
        _ => return None,
    })
}

/// Approximate collectives: "une dizaine" = 10, "une centaine" = 100, "un
/// millier" = 1000, "deux dizaines" = 20. They make the value `environ`.
fn collectif(p: &str) -> Option<u128> {
    Some(match p {
        "dizaine" | "dizaines" => 10,
        "douzaine" | "douzaines" => 12,
        "quinzaine" | "quinzaines" => 15,
        "vingtaine" | "vingtaines" => 20,
        "trentaine" | "trentaines" => 30,
        "quarantaine" | "quarantaines" => 40,
        "cinquantaine" | "cinquantaines" => 50,
        "soixantaine" | "soixantaines" => 60,
        "centaine" | "centaines" => 100,
        "millier" | "milliers" => 1_000,
        _ => return None,
    })
}

/// Plural collectives that make a vague amount: "des dizaines", "plusieurs
/// centaines", "quelques milliers", "des millions".
fn collectif_vague(p: &str) -> Option<u128> {
    Some(match p {
        "dizaines" => 10,
        "centaines" => 100,
        "milliers" => 1_000,
        "millions" => 1_000_000,
        "milliards" => 1_000_000_000,
        _ => return None,
    })
}

/// Second level after a collective: "centaines de milliers", "dizaines de
/// millions", "une dizaine de milliers".
fn grand_pluriel(p: &str) -> Option<u128> {
    Some(match p {
        "milliers" => 1_000,
        "millions" => 1_000_000,
        "milliards" => 1_000_000_000,
        _ => return None,
    })
}

/// Suffixes allowed glued to digits: "24h", "5min", "2To", "3M€", "800k€",
/// "30j". Anything else glued makes a name ("4G", "1er", "2e", "Web3").
const SUFFIXES_COLLES: &[&str] = &[
    "h", "min", "mn", "j", "ms", "sec", "To", "Go", "Mo", "Ko", "ko", "Po", "Eo", "TB", "GB", "MB", "PB", "kWh", "MWh",
    "GWh", "TWh", "Wh", "M", "Md", "Mds", "Mrd", "Mrds", "k", "K",
];

fn est_de(y: Option<&Jeton>) -> bool {
    y.is_some_and(|y| matches!(y.plie.as_ref(), "de" | "d'"))
}

/// An acronym: "ISO", "RGS", "SAMU" (two or more letters, all capitals).
fn est_sigle(y: &Jeton) -> bool {
    y.genre == Genre::Mot
        && y.brut.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && y.brut.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase())
}

/// A word that can be (part of) the counted thing.
fn nom_acceptable(y: &Jeton) -> bool {
    let p = y.plie.as_ref();
    y.genre == Genre::Mot
        && p.chars().count() >= 2
        && p.chars().next().is_some_and(|c| c.is_alphabetic())
        && !STOP.contains(&p)
        && !PRE_ADJ.contains(&p)
        && !MOIS.contains(&p)
        && !est_mot_nombre(p)
        && adj_periode(p).is_none()
        && multiplicateur(p).is_none()
        && collectif(p).is_none()
        && collectif_vague(p).is_none()
}

/// Conjugated verbs that end a noun phrase: "agents utilisent", "agents
/// utiliseront" (but "établissement" is a noun).
fn verbe_probable(y: &Jeton) -> bool {
    let p = y.plie.as_ref();
    (p.len() > 4 && p.ends_with("ent") && !p.ends_with("ment")) || (p.len() > 5 && p.ends_with("ront"))
}

fn est_pluriel(p: &str) -> bool {
    p.ends_with('s') || p.ends_with('x')
}

/// Singular of a folded noun: "requetes" → "requete", "reseaux" → "reseau",
/// "hopitaux" → "hopital", "mois" → "mois". Only the last part of a hyphenated
/// noun changes ("data-centers" → "data-center").
pub fn singulier(mot: &str) -> String {
    const INVARIABLES: &[&str] = &[
        "mois",
        "fois",
        "cas",
        "pays",
        "acces",
        "processus",
        "campus",
        "corpus",
        "bus",
        "virus",
        "temps",
        "poids",
        "prix",
        "choix",
        "voix",
        "gaz",
        "avis",
        "devis",
        "souris",
        "taux",
        "index",
        "flux",
        "tiers",
        "recours",
        "cours",
        "parcours",
        "concours",
        "discours",
        "secours",
        "fonds",
        "succes",
        "progres",
        "proces",
        "dos",
        "repas",
        "bras",
        "corps",
        "os",
        "relais",
        "univers",
        "francais",
        "anglais",
        "puits",
        "remise",
    ];
    let (tete, dernier) = match mot.rfind('-') {
        Some(k) => (&mot[..=k], &mot[k + 1..]),
        None => ("", mot),
    };
    // Two nouns both in the plural: "jours-hommes" → "jour-homme"; not
    // "sous-directions", "après-midis".
    if let Some(premier) = tete.strip_suffix('-').filter(|p| {
        !p.contains('-')
            && p.len() > 2
            && p.ends_with('s')
            && !INVARIABLES.contains(p)
            && !matches!(*p, "sous" | "sans" | "plus" | "apres" | "tres" | "hors" | "moins" | "gros" | "vers" | "pas")
            && dernier.ends_with('s')
    }) {
        return format!("{}-{}", singulier(premier), singulier(dernier));
    }
    let s = if INVARIABLES.contains(&dernier) || dernier.len() <= 2 {
        dernier.to_string()
    } else if matches!(dernier, "travaux" | "baux" | "vitraux" | "coraux") {
        format!("{}ail", dernier.trim_end_matches("aux"))
    } else if dernier == "yeux" {
        "oeil".to_string()
    } else if dernier.ends_with("eaux") || dernier.ends_with("eux") || dernier.ends_with("oux") {
        dernier[..dernier.len() - 1].to_string()
    } else if let Some(racine) = dernier.strip_suffix("aux") {
        format!("{racine}al")
    } else if dernier.ends_with('s') && !dernier.ends_with("ss") {
        dernier[..dernier.len() - 1].to_string()
    } else {
        dernier.to_string()
    };
    let mut out = format!("{tete}{s}");
    out.retain(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    out
}

// ---------------------------------------------------------------------------
// Reading a number
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Lecture {
    /// First token of the number expression ("des" in "des centaines").
    debut: usize,
    /// First token after the number and its multipliers.
    fin: usize,
    val: Dec,
    max: Option<Dec>,
    /// The multiplier applied ("millions" → 1e6), for ranges.
    mult: u128,
    /// An approximate collective was read ("une dizaine").
    approx: bool,
    /// A multiplier or collective was read: the noun then follows "de"/"d'".
    multiplie: bool,
    /// A bare four-digit integer between 1900 and 2100.
    annee: bool,
    /// Written with digits.
    chiffres: bool,
    /// Unit glued to the digits ("2To" → "To").
    suffixe: Option<String>,
}

fn lire_nombre(t: &[Jeton], i: usize, permissif: bool) -> Option<Lecture> {
    let x = t.get(i)?;
    let mut l = Lecture {
        debut: i,
        fin: i + 1,
        val: Dec::ent(0),
        max: None,
        mult: 1,
        approx: false,
        multiplie: false,
        annee: false,
        chiffres: false,
        suffixe: None,
    };
    match x.genre {
        Genre::Ponct => return None,
        // "700 000", "700\u{202f}000", "1 200 000", "1,2": groups of three digits
        // separated by one space (any kind) continue the number.
        Genre::Nombre => {
            let mut txt = x.brut.to_string();
            let mut k = i + 1;
            if !x.brut.contains(',') && x.brut.len() <= 3 {
                while let Some(y) = t.get(k) {
                    let entier = y.brut.split(',').next().unwrap_or("");
                    if y.genre == Genre::Nombre && y.espace_avant && y.debut - t[k - 1].fin <= 3 && entier.len() == 3 {
                        txt.push_str(y.brut);
                        k += 1;
                        if y.brut.contains(',') {
                            break;
                        }
                    } else {
                        break;
                    }
                }
            }
            l.val = Dec::lire(&txt)?;
            l.fin = k;
            l.chiffres = true;
            l.annee = k == i + 1 && txt.len() == 4 && txt.parse::<u32>().is_ok_and(|a| (1900..=2100).contains(&a));
        }
        // "2To", "24h", "3M€": digits with a known unit glued.
        Genre::Mixte => {
            let pos = x.brut.find(|c: char| !(c.is_ascii_digit() || c == ','))?;
            let (num, suf) = x.brut.split_at(pos);
            if num.is_empty()
                || num.ends_with(',')
                || !suf.chars().all(|c| c.is_ascii_alphabetic())
                || !SUFFIXES_COLLES.contains(&suf)
            {
                return None;
            }
            l.val = Dec::lire(num)?;
            l.chiffres = true;
            l.suffixe = Some(suf.to_string());
            return Some(l);
        }
        Genre::Mot => {
            let p = x.plie.as_ref();
            // Vague amounts: "des centaines de milliers de demandes" = 100000..1000000,
            // "plusieurs dizaines d'applications" = 20..100, "quelques milliers" =
            // 2000..10000. "des X" spans X..10X, "plusieurs/quelques X" 2X..10X.
            let (det, k) = if matches!(p, "des" | "plusieurs" | "quelques") { (p, i + 1) } else { ("des", i) };
            if let Some(base) = t.get(k).filter(|y| y.genre == Genre::Mot).and_then(|y| collectif_vague(&y.plie)) {
                if k == i && i > 0 && (t[i - 1].genre == Genre::Nombre || est_mot_nombre(&t[i - 1].plie)) {
                    return None;
                }
                let mut base = base;
                let mut fin = k + 1;
                if est_de(t.get(fin)) {
                    if let Some(g) = t.get(fin + 1).and_then(|y| grand_pluriel(&y.plie)) {
                        base *= g;
                        fin += 2;
                    }
                }
                let bas = if det == "des" { base } else { 2 * base };
                l.val = Dec::ent(bas);
                l.max = Some(Dec::ent(10 * base));
                l.fin = fin;
                l.multiplie = true;
                return Some(l);
            }
            if !est_mot_nombre(p) {
                return None;
            }
            // Number words: "huit", "quinze", "vingt-cinq", "deux cent mille".
            let mut parts: Vec<&str> = Vec::new();
            let mut k = i;
            while let Some(y) = t.get(k) {
                if y.genre != Genre::Mot {
                    break;
                }
                if y.plie == "et" {
                    // "vingt et un"
                    let suite = t.get(k + 1).map(|z| z.plie.as_ref());
                    let dizaine = parts
                        .last()
                        .is_some_and(|d| matches!(*d, "vingt" | "trente" | "quarante" | "cinquante" | "soixante"));
                    if dizaine && matches!(suite, Some("un" | "une" | "onze")) {
                        parts.push("et");
                        k += 1;
                        continue;
                    }
                    break;
                }
                if !est_mot_nombre(&y.plie) {
                    break;
                }
                parts.extend(y.plie.split('-'));
                k += 1;
            }
            // "un"/"une" count only before a multiplier or a collective:
            // "un million d'usagers", "une dizaine de ministères", but "une
            // application" is not a quantity.
            if !permissif && k == i + 1 && matches!(p, "un" | "une") {
                let suite = t.get(k).map(|y| y.plie.as_ref()).unwrap_or("");
                if multiplicateur(suite).is_none() && collectif(suite).is_none() {
                    return None;
                }
            }
            l.val = Dec::ent(valeur_mots(&parts)?);
            l.fin = k;
        }
    }
    // Multipliers: "250 millions", "deux millions", "1,2 million".
    if let Some(y) = t.get(l.fin).filter(|y| y.genre == Genre::Mot) {
        if let Some(m) = multiplicateur(&y.plie) {
            l.val = l.val.fois(m);
            l.mult = m;
            l.fin += 1;
            l.multiplie = true;
            l.annee = false;
        } else if let Some(c) = collectif(&y.plie) {
            // "une dizaine de ministères", "une dizaine de milliers d'agents".
            let mut c = c;
            let mut fin = l.fin + 1;
            if est_de(t.get(fin)) {
                if let Some(g) = t.get(fin + 1).and_then(|z| grand_pluriel(&z.plie)) {
                    c *= g;
                    fin += 2;
                }
            }
            l.val = l.val.fois(c);
            l.mult = c;
            l.fin = fin;
            l.multiplie = true;
            l.approx = true;
            l.annee = false;
        }
    }
    Some(l)
}

// ---------------------------------------------------------------------------
// Reading the unit or the counted thing
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct UniteLue {
    unite: String,
    facteur: u128,
    /// First token after unit, counted thing and its complement.
    fin: usize,
    /// First token after the unit itself (before "de la facturation").
    fin_unite: usize,
    /// Byte range of `libelle`.
    lib: (usize, usize),
    /// The counted thing is a noun (not a physical unit).
    nom: bool,
    tete_pluriel: bool,
}

/// "€", "euros", "d'euros" after a scale symbol ("3 M€", "1,2 M d'euros").
fn suite_euro(t: &[Jeton], k: usize) -> Option<usize> {
    let y = t.get(k)?;
    match y.plie.as_ref() {
        "€" | "euro" | "euros" | "eur" => Some(k + 1),
        "de" | "d'" if t.get(k + 1).is_some_and(|z| matches!(z.plie.as_ref(), "euro" | "euros")) => Some(k + 2),
        _ => None,
    }
}

/// A physical unit written `brut` (folded `plie`), the next token being
/// `suiv`. Returns (unit, factor to base unit, first token after the unit).
///
/// - "40 %", "30 pour cent" → pourcent;
/// - "1 200 000 €", "450 000 euros", "3 M€" (×1e6), "2,5 Md€" (×1e9),
///   "800 k€" (×1e3) → euro;
/// - "2 To" (×1e12), "500 Go" (×1e9), "1,5 Po" (×1e15), "300 téraoctets",
///   "plusieurs centaines de Téra Octets" → octet;
/// - "3 minutes", "5 min" → minute; "4 h", "2 heures" → heure; "sec" → seconde;
///   "ms" → milliseconde; "3 jours" → jour; "semaines", "mois", "ans" → semaine,
///   mois, an; "kWh" (×1e3), "MWh" (×1e6) → wattheure.
fn symbole(brut: &str, plie: &str, t: &[Jeton], suiv: usize) -> Option<(&'static str, u128, usize)> {
    let echelle = match brut {
        "k" | "K" => Some(1_000),
        "M" | "MM" => Some(1_000_000),
        "Md" | "Mds" | "Mrd" | "Mrds" => Some(1_000_000_000),
        _ => None,
    };
    if let Some(f) = echelle {
        return Some(("euro", f, suite_euro(t, suiv)?));
    }
    let octets: Option<u128> = match brut {
        "Ko" | "ko" | "kB" | "KB" => Some(1_000),
        "Mo" | "MB" => Some(1_000_000),
        "Go" | "GB" => Some(1_000_000_000),
        "To" | "TB" => Some(1_000_000_000_000),
        "Po" | "PB" => Some(1_000_000_000_000_000),
        "Eo" | "EB" => Some(1_000_000_000_000_000_000),
        _ => None,
    };
    if let Some(f) = octets {
        return Some(("octet", f, suiv));
    }
    let energie: Option<u128> = match brut {
        "Wh" => Some(1),
        "kWh" => Some(1_000),
        "MWh" => Some(1_000_000),
        "GWh" => Some(1_000_000_000),
        "TWh" => Some(1_000_000_000_000),
        _ => None,
    };
    if let Some(f) = energie {
        return Some(("wattheure", f, suiv));
    }
    // Bit rates: "100 Mbps", "10 Gbit/s", "1 Gb/s".
    let (debit, slash): (Option<u128>, bool) = match brut {
        "kbps" | "Kbps" => (Some(1_000), false),
        "Mbps" => (Some(1_000_000), false),
        "Gbps" => (Some(1_000_000_000), false),
        "Tbps" => (Some(1_000_000_000_000), false),
        "kbit" | "Kbit" | "kb" | "Kb" => (Some(1_000), true),
        "Mbit" | "Mb" => (Some(1_000_000), true),
        "Gbit" | "Gb" => (Some(1_000_000_000), true),
        "Tbit" | "Tb" => (Some(1_000_000_000_000), true),
        _ => (None, false),
    };
    if let Some(f) = debit {
        if !slash {
            return Some(("bit_par_seconde", f, suiv));
        }
        let par_seconde = |k: usize| {
            t.get(k).map(|y| y.plie.as_ref()) == Some("/") && t.get(k + 1).map(|y| y.plie.as_ref()) == Some("s")
        };
        if par_seconde(suiv) {
            return Some(("bit_par_seconde", f, suiv + 2));
        }
    }
    let prefixe_octet = |p: &str| -> Option<u128> {
        Some(match p {
            "kilo" => 1_000,
            "mega" => 1_000_000,
            "giga" => 1_000_000_000,
            "tera" => 1_000_000_000_000,
            "peta" => 1_000_000_000_000_000,
            _ => return None,
        })
    };
    let suivant = t.get(suiv).map(|y| y.plie.as_ref()).unwrap_or("");
    let (u, f): (&'static str, u128) = match plie {
        "€" | "euro" | "euros" | "eur" => ("euro", 1),
        "%" | "pourcent" | "pourcents" | "pour-cent" => ("pourcent", 1),
        "pour" if suivant == "cent" => return Some(("pourcent", 1, suiv + 1)),
        "octet" | "octets" => ("octet", 1),
        "minute" | "minutes" | "min" | "mn" => ("minute", 1),
        "heure" | "heures" | "h" => ("heure", 1),
        "seconde" | "secondes" | "sec" => ("seconde", 1),
        "milliseconde" | "millisecondes" | "ms" => ("milliseconde", 1),
        "jour" | "jours" | "j" | "journee" | "journees" => ("jour", 1),
        "semaine" | "semaines" => ("semaine", 1),
        "mois" => ("mois", 1),
        "an" | "ans" | "annee" | "annees" => ("an", 1),
        _ => {
            // "téraoctets", "tera-octets", "Téra Octets"
            if let Some(racine) = plie.strip_suffix("octets").or_else(|| plie.strip_suffix("octet")) {
                let f = prefixe_octet(racine.trim_end_matches('-'))?;
                return Some(("octet", f, suiv));
            }
            let f = prefixe_octet(plie)?;
            if matches!(suivant, "octet" | "octets") {
                return Some(("octet", f, suiv + 1));
            }
            return None;
        }
    };
    Some((u, f, suiv))
}

/// Physical unit found: the libelle is the thing measured when it follows
/// ("2 To de données" → "données", "3 M€ de budget" → "budget"; for a
/// percentage also with an article: "40 % de la facturation des ressources" →
/// "facturation des ressources", "45 % des agents" → "agents"), else the unit
/// as written ("minutes"). "1,5 million d'euros du plan de relance" keeps
/// "euros": with an article, the complement is a source, not the thing measured.
fn finir_physique(t: &[Jeton], u: &str, f: u128, lib_debut: usize, fin: usize) -> UniteLue {
    let mut lib = (lib_debut, t[fin - 1].fin);
    let mut fin_tout = fin;
    let complements: &[&str] = if u == "pourcent" { &["de", "d'", "des", "du"] } else { &["de", "d'"] };
    if let Some(y) = t.get(fin) {
        if complements.contains(&y.plie.as_ref()) {
            let mut h = fin + 1;
            if u == "pourcent" && y.plie == "de" && t.get(h).is_some_and(|z| matches!(z.plie.as_ref(), "la" | "l'")) {
                h += 1;
            }
            if let Some(z) = t.get(h) {
                if nom_acceptable(z) && symbole(z.brut, &z.plie, t, h + 1).is_none() {
                    let e = groupe_nominal(t, h, 1);
                    lib = (t[h].debut, t[e - 1].fin);
                    fin_tout = e;
                }
            }
        }
    }
    UniteLue { unite: u.to_string(), facteur: f, fin: fin_tout, fin_unite: fin, lib, nom: false, tete_pluriel: true }
}

/// Extends a noun phrase from its head `h`, up to five words in all (`deja`
/// already counted): "requêtes utilisateurs", "agents du ministère",
/// "territoires d'outre-mer". Stops at punctuation, numbers, function words,
/// verbs and period words ("utilisateurs quotidiens" → "utilisateurs").
fn groupe_nominal(t: &[Jeton], h: usize, deja: usize) -> usize {
    let mut mots = deja;
    let mut k = h + 1;
    let mut fin = k;
    while mots < 5 {
        let Some(y) = t.get(k) else { break };
        if y.genre != Genre::Mot {
            break;
        }
        if matches!(y.plie.as_ref(), "de" | "du" | "des" | "d'") {
            let mut m = k + 1;
            if y.plie == "de" && t.get(m).is_some_and(|z| matches!(z.plie.as_ref(), "la" | "l'")) {
                m += 1;
            }
            match t.get(m) {
                Some(z) if nom_acceptable(z) && !verbe_probable(z) && mots + (m - k) < 5 => {
                    mots += m - k + 1;
                    k = m + 1;
                    fin = k;
                    continue;
                }
                _ => break,
            }
        }
        if !nom_acceptable(y) || verbe_probable(y) {
            break;
        }
        mots += 1;
        k += 1;
        fin = k;
    }
    fin
}

/// The unit or counted thing after the number read in `l`.
fn lire_unite(t: &[Jeton], l: &Lecture) -> Option<UniteLue> {
    let j = l.fin;
    if let Some(suf) = &l.suffixe {
        let (u, f, fin) = symbole(suf, &plier(suf), t, j)?;
        return Some(finir_physique(t, u, f, t[j - 1].fin - suf.len(), fin));
    }
    let y = t.get(j)?;
    if let Some((u, f, fin)) = symbole(y.brut, &y.plie, t, j + 1) {
        return Some(finir_physique(t, u, f, y.debut, fin));
    }
    // "des millions d'euros", "plusieurs centaines de Téra Octets"
    if l.multiplie && est_de(Some(y)) {
        if let Some(z) = t.get(j + 1) {
            if let Some((u, f, fin)) = symbole(z.brut, &z.plie, t, j + 2) {
                return Some(finir_physique(t, u, f, z.debut, fin));
            }
        }
    }
    // The counted thing. After a multiplier it follows "de"/"d'" ("250 millions
    // de requêtes"); after a plain number it follows directly ("1700 membres"),
    // and "10 des applications" is not a count.
    let mut k = j;
    // A round count of millions in digits takes "de" as "millions" does:
    // "1 000 000 de comptes", "1 500 000 d'euros".
    let millions_en_chiffres = l.chiffres && l.max.is_none() && l.val.f64() >= 1e6;
    if l.multiplie || (millions_en_chiffres && est_de(Some(y))) {
        if !est_de(Some(y)) {
            return None;
        }
        k += 1;
    } else if matches!(y.plie.as_ref(), "de" | "d'" | "des" | "du") {
        return None;
    }
    let debut_lib = k;
    let mut n_adj = 0;
    // "huit premiers départements" → 8 departement.
    while n_adj < 2 && t.get(k).is_some_and(|z| z.genre == Genre::Mot && PRE_ADJ.contains(&z.plie.as_ref())) {
        k += 1;
        n_adj += 1;
    }
    let tete = t.get(k)?;
    // After a number above one, a plural noun ends in -s or -x: a word in
    // -ent is a verb ("la région 11 participent").
    if !nom_acceptable(tete) || (verbe_probable(tete) && tete.plie != "equivalent" && l.val.f64() >= 2.0) {
        return None;
    }
    let unite = singulier(&tete.plie);
    if unite.is_empty() || BANALS.contains(&unite.as_str()) || (!l.chiffres && BANALS_MOTS.contains(&unite.as_str())) {
        return None;
    }
    let fin = groupe_nominal(t, k, n_adj + 1);
    Some(UniteLue {
        unite,
        facteur: 1,
        fin,
        fin_unite: k + 1,
        lib: (t[debut_lib].debut, t[fin - 1].fin),
        nom: true,
        tete_pluriel: est_pluriel(&tete.plie),
    })
}

/// Stated ranges: "entre 10 et 20 agents", "de 3 à 5 minutes", "entre 2 et 3
/// millions d'euros" (the multiplier of the upper bound applies to both).
fn lire_intervalle(t: &[Jeton], l: &Lecture) -> Option<(Lecture, UniteLue)> {
    if l.max.is_some() || l.suffixe.is_some() {
        return None;
    }
    let lien = t.get(l.fin)?.plie.as_ref();
    let avant = l.debut.checked_sub(1).map(|k| t[k].plie.as_ref());
    let ok = match lien {
        "et" => avant == Some("entre"),
        "a" => true,
        _ => false,
    };
    if !ok {
        return None;
    }
    let l2 = lire_nombre(t, l.fin + 1, false)?;
    if l2.max.is_some() || !contexte_ok(t, &l2, false) {
        return None;
    }
    let u = lire_unite(t, &l2)?;
    let bas = if l.mult == 1 && l2.mult > 1 { l.val.fois(l2.mult) } else { l.val };
    if bas.f64() >= l2.val.f64() {
        return None;
    }
    let debut = match avant {
        Some("entre" | "de" | "d'") => l.debut - 1,
        _ => l.debut,
    };
    let out = Lecture {
        debut,
        fin: l2.fin,
        val: bas,
        max: Some(l2.val),
        mult: l2.mult,
        approx: false,
        multiplie: l2.multiplie,
        annee: false,
        chiffres: l.chiffres,
        suffixe: l2.suffixe.clone(),
    };
    Some((out, u))
}

/// A range whose bounds each carry their unit: "entre 100 000 € et 3 M€",
/// "de 2 To à 5 To". Returns the second bound's unit and the upper value in
/// the common measure (euros, octets…), when both units measure the same
/// thing and the upper bound is the larger.
fn bornes_avec_unites(t: &[Jeton], l: &Lecture, u: &UniteLue) -> Option<(UniteLue, f64)> {
    if l.max.is_some() {
        return None;
    }
    let avant = l.debut.checked_sub(1).map(|k| t[k].plie.as_ref())?;
    let lien = t.get(u.fin_unite)?.plie.as_ref();
    if !matches!((avant, lien), ("entre", "et") | ("de" | "d'", "a")) {
        return None;
    }
    let l2 = lire_nombre(t, u.fin_unite + 1, false)?;
    if l2.max.is_some() || !contexte_ok(t, &l2, false) {
        return None;
    }
    let u2 = lire_unite(t, &l2)?;
    if u2.unite != u.unite || u.nom || u2.nom {
        return None;
    }
    let (bas, haut) = (l.val.fois(u.facteur).f64(), l2.val.fois(u2.facteur).f64());
    (bas < haut).then_some((u2, haut))
}

// ---------------------------------------------------------------------------
// Context: what is not a quantity
// ---------------------------------------------------------------------------

/// Rejects numbers that are names, dates, ranks or phone numbers:
/// - a leading zero ("01 23 45 67 89") or a number right after another one;
/// - digits glued to '-', '+', '/', '.', ':', '#', '°' ("n°3", "+33");
/// - after a naming word or an acronym ("top 10", "article 12", "ISO 27001",
///   "niveau 3") or a name with digits ("ISO/IEC 27001");
/// - a day before a month ("le 15 mars", "la loi du 7 octobre 2016");
/// - a year after a month or a year word ("en juin 2023", "en 2021",
///   "d'ici 2025", "fin de l'année 2025").
///
/// `signe`: the token before is a sign read by [`signe_devant`], which the
/// digits may be glued to.
fn contexte_ok(t: &[Jeton], l: &Lecture, signe: bool) -> bool {
    let i = l.debut;
    let x = &t[i];
    let prev = i.checked_sub(1).map(|k| &t[k]);
    if l.chiffres && !signe {
        let b = x.brut.as_bytes();
        if b.len() > 1 && b[0] == b'0' && b[1].is_ascii_digit() {
            return false;
        }
        if let Some(p) = prev {
            if !x.espace_avant && (p.genre != Genre::Ponct || "-+/.:#°_=§@&".contains(p.brut)) {
                return false;
            }
            if p.genre == Genre::Nombre || p.brut == "+" {
                return false;
            }
        }
    }
    if l.chiffres {
        if signe && x.brut.len() > 1 && x.brut.starts_with('0') && x.brut.as_bytes()[1].is_ascii_digit() {
            return false;
        }
        if l.suffixe.is_none() && !l.multiplie && t.get(l.fin).is_some_and(|y| y.genre == Genre::Nombre) {
            return false;
        }
    }
    if let Some(p) = prev {
        let pp = p.plie.as_ref();
        let mixte_nom = p.genre == Genre::Mixte && p.brut.chars().any(|c| c.is_ascii_digit() || c == '/');
        // A label noun names a number only after an article: "la tranche
        // 2", "le département 75"; not "dans chaque département 20 agents",
        // "en région 5 000 agents".
        let etiquette = PREFIXES_NOMS.contains(&pp)
            && !(ETIQUETTES_APRES_ARTICLE.contains(&pp)
                && i >= 2
                && matches!(t[i - 2].plie.as_ref(), "chaque" | "en" | "par" | "tout" | "toute" | "dans" | "sur"));
        if mixte_nom || est_sigle(p) || etiquette || matches!(pp, "°" | "#") {
            return false;
        }
        if l.annee && (MOIS.contains(&pp) || ANNEE_INTRO.contains(&pp)) {
            return false;
        }
    }
    if l.max.is_none() && t.get(l.fin).is_some_and(|y| MOIS.contains(&y.plie.as_ref())) {
        return false;
    }
    true
}

/// Whether the signed number whose sign is at `k` (its unit ending before
/// `fin`) is a bound of a range: "à"/"et" and a number before it ("de -15 à
/// -20 %"), or "à"/"et" and a sign or number after it ("de +40 % à +60 %").
fn borne_signee(t: &[Jeton], k: usize, fin: usize) -> bool {
    let lien = |y: Option<&Jeton>| y.is_some_and(|y| matches!(y.plie.as_ref(), "a" | "et"));
    let nombre = |y: Option<&Jeton>| y.is_some_and(|y| y.genre == Genre::Nombre || matches!(y.brut, "%"));
    let avant = k.checked_sub(1).map(|i| &t[i]);
    let avant2 = k.checked_sub(2).map(|i| &t[i]);
    let apres = t.get(fin);
    let apres2 = t.get(fin + 1);
    (lien(avant) && nombre(avant2))
        || (lien(apres) && apres2.is_some_and(|y| y.genre == Genre::Nombre || matches!(y.brut, "+" | "-" | "\u{2212}")))
}

/// The sign written before a number, if it is one: '+' or '-' glued to the
/// digits ("+40 %", "-15 %"), or the minus sign U+2212, glued or not
/// ("− 15 %"); the sign itself starts a word (a space, a bracket or the
/// sentence's start before it). `Some(true)` for a minus.
fn signe_devant(t: &[Jeton], l: &Lecture) -> Option<bool> {
    let i = l.debut;
    if !l.chiffres || i == 0 {
        return None;
    }
    let (p, x) = (&t[i - 1], &t[i]);
    let negatif = match p.brut {
        "+" => false,
        "-" | "\u{2212}" => true,
        _ => return None,
    };
    let colle = !x.espace_avant || p.brut == "\u{2212}";
    let isole = p.espace_avant || i == 1 || matches!(t[i - 2].brut, "(" | "[" | "«" | "\"" | ":");
    (colle && isole).then_some(negatif)
}

// ---------------------------------------------------------------------------
// Qualifiers, periods, targets
// ---------------------------------------------------------------------------

/// Qualifiers written just before the number, most specific first:
/// "plus de 1700 membres" → plus_de; "au-delà de 5 000" → plus_de;
/// "près de 2 000 agents", "environ 300", "quelque 5 000", "approximativement"
/// → environ; "au moins 12", "(minimum 3 minutes)", "pas moins de" → au_moins;
/// "jusqu'à 10 000 connexions", "moins de 5 minutes", "au plus", "maximum 5",
/// "en dessous de 1 million d'euros", "ne dépassera pas 50 %" → moins_de; "objectif de 100 000 comptes" → cible.
const QUAL_AVANT: &[(&[&str], &str)] = &[
    (&["pas", "plus", "de"], "moins_de"),
    (&["pas", "plus", "d'"], "moins_de"),
    (&["pas", "moins", "de"], "au_moins"),
    (&["pas", "moins", "d'"], "au_moins"),
    (&["au", "moins"], "au_moins"),
    (&["au", "minimum"], "au_moins"),
    (&["minimum", "de"], "au_moins"),
    (&["minimum", "d'"], "au_moins"),
    (&["minimum"], "au_moins"),
    (&["au", "plus"], "moins_de"),
    (&["au", "maximum"], "moins_de"),
    (&["maximum", "de"], "moins_de"),
    (&["maximum", "d'"], "moins_de"),
    (&["maximum"], "moins_de"),
    (&["jusqu'", "a"], "moins_de"),
    (&["moins", "de"], "moins_de"),
    (&["moins", "d'"], "moins_de"),
    (&["dessous", "de"], "moins_de"),
    (&["dessous", "d'"], "moins_de"),
    (&["au-dessous", "de"], "moins_de"),
    (&["au-dessous", "d'"], "moins_de"),
    (&["en-dessous", "de"], "moins_de"),
    (&["en-dessous", "d'"], "moins_de"),
    (&["depasse", "pas"], "moins_de"),
    (&["depassera", "pas"], "moins_de"),
    (&["depassent", "pas"], "moins_de"),
    (&["depasseront", "pas"], "moins_de"),
    (&["depassait", "pas"], "moins_de"),
    (&["excede", "pas"], "moins_de"),
    (&["excedera", "pas"], "moins_de"),
    (&["inferieur", "a"], "moins_de"),
    (&["inferieure", "a"], "moins_de"),
    (&["inferieurs", "a"], "moins_de"),
    (&["inferieures", "a"], "moins_de"),
    (&["plus", "de"], "plus_de"),
    (&["plus", "d'"], "plus_de"),
    (&["au-dela", "de"], "plus_de"),
    (&["au-dela", "d'"], "plus_de"),
    (&["superieur", "a"], "plus_de"),
    (&["superieure", "a"], "plus_de"),
    (&["superieurs", "a"], "plus_de"),
    (&["superieures", "a"], "plus_de"),
    (&["pres", "de"], "environ"),
    (&["pres", "d'"], "environ"),
    (&["environ"], "environ"),
    (&["env", "."], "environ"),
    (&["+", "de"], "plus_de"),
    (&["+", "d'"], "plus_de"),
    // "< 1 semaine", "<30 jours", "≥ 99 %".
    (&["<"], "moins_de"),
    (&["\u{2264}"], "moins_de"),
    (&[">"], "plus_de"),
    (&["\u{2265}"], "au_moins"),
    (&["quelque"], "environ"),
    (&["approximativement"], "environ"),
    (&["presque"], "environ"),
    (&["quasiment"], "environ"),
    (&["autour", "de"], "environ"),
    (&["autour", "d'"], "environ"),
    (&["de", "l'", "ordre", "de"], "environ"),
    (&["de", "l'", "ordre", "d'"], "environ"),
    (&["alentours", "de"], "environ"),
    (&["alentours", "d'"], "environ"),
    (&["objectif", "de"], "cible"),
    (&["objectif", "d'"], "cible"),
    (&["cible", "de"], "cible"),
    (&["cible", "d'"], "cible"),
];

/// Returns the qualifier ending just before token `debut` and the index of its
/// first token, never reaching before `borne`.
fn qualif_avant(t: &[Jeton], debut: usize, borne: usize) -> Option<(&'static str, usize)> {
    for (motif, q) in QUAL_AVANT {
        let n = motif.len();
        if debut < borne + n {
            continue;
        }
        let d = debut - n;
        if t[d..debut].iter().zip(motif.iter()).all(|(y, m)| y.plie == *m) {
            if matches!(motif, ["<" | ">" | "\u{2264}" | "\u{2265}"]) && !symbole_qualifiant(t, d) {
                continue;
            }
            return Some((q, d));
        }
    }
    None
}

/// `<`, `>`, `≤`, `≥` at `k` qualify the number after them only where a
/// word could: at the start, after punctuation that is no arrow, or after
/// a lowercase word ("délai > 2 jours", "(< 1 semaine)"). Not in an arrow
/// ("30 jours -> 5 jours", "=>"), a comparison ("3 < 5"), nor a path
/// ("Accueil > Services > 3 démarches").
fn symbole_qualifiant(t: &[Jeton], k: usize) -> bool {
    let Some(p) = k.checked_sub(1).map(|i| &t[i]) else { return true };
    match p.genre {
        Genre::Ponct => !matches!(p.brut, "-" | "=" | "<" | ">" | "\u{2013}" | "\u{2014}") || t[k].espace_avant,
        Genre::Mot => p.brut.chars().next().is_some_and(char::is_lowercase),
        _ => false,
    }
}

/// Qualifiers after the counted thing: "3 000 agents environ" → environ;
/// "3 minutes minimum", "au moins" → au_moins; "4 h maximum" → moins_de.
fn qualif_apres(t: &[Jeton], k: usize) -> Option<(&'static str, usize)> {
    let p = |d: usize| t.get(k + d).map(|y| y.plie.as_ref());
    let nombre_suit = |d: usize| t.get(k + d).is_some_and(|y| y.genre == Genre::Nombre);
    match (p(0), p(1)) {
        (Some("environ"), _) if !nombre_suit(1) => Some(("environ", k + 1)),
        (Some("au"), Some("moins" | "minimum")) if !nombre_suit(2) => Some(("au_moins", k + 2)),
        (Some("minimum"), _) if !nombre_suit(1) => Some(("au_moins", k + 1)),
        (Some("au"), Some("maximum")) if !nombre_suit(2) => Some(("moins_de", k + 2)),
        (Some("maximum"), _) if !nombre_suit(1) => Some(("moins_de", k + 1)),
        _ => None,
    }
}

/// Period after the counted thing: "par jour", "chaque année", "/jour",
/// "utilisateurs quotidiens", "appels hebdomadaires", "abonnés mensuels",
/// "visites annuelles".
fn lire_periode(t: &[Jeton], k: usize) -> Option<(&'static str, usize)> {
    let y = t.get(k)?;
    if let Some(p) = adj_periode(&y.plie) {
        return Some((p, k + 1));
    }
    if matches!(y.plie.as_ref(), "par" | "chaque" | "/") {
        let p = t.get(k + 1).and_then(|z| mot_periode(&z.plie))?;
        let mut fin = k + 2;
        if p == "jour" && t.get(fin).is_some_and(|z| matches!(z.plie.as_ref(), "ouvre" | "ouvres" | "calendaire")) {
            fin += 1;
        }
        return Some((p, fin));
    }
    None
}

/// Period a few words after the counted thing, past a complement or a verb:
/// "des dizaines de millions de déclarations en douane chaque année", "entre
/// 10 et 20 nouvelles fonctionnalités sont livrées chaque mois". At most
/// three plain words in between (no number, punctuation or conjunction), and
/// only "par"/"chaque"/"tous les" + a period noun, never a bare adjective.
fn periode_plus_loin(t: &[Jeton], k: usize) -> Option<(&'static str, usize)> {
    // A verb then an indefinite object ("traitent des dossiers"): "par
    // jour" counts the object, not the number's noun; "chaque jour", "tous
    // les jours" still date the subject's action ("5 000 agents utilisent
    // l'outil chaque jour").
    let mut objet_indefini = false;
    for j in k..(k + 4).min(t.len()) {
        let y = &t[j];
        if j > k {
            let prec = &t[j - 1];
            if verbe_probable(prec) && matches!(y.plie.as_ref(), "des" | "du" | "de" | "d'") {
                objet_indefini = true;
            }
            if prec.genre != Genre::Mot
                || matches!(prec.plie.as_ref(), "et" | "ou" | "mais" | "dont" | "soit" | "puis" | "ni" | "que" | "qu'")
            {
                return None;
            }
        }
        if matches!(y.plie.as_ref(), "par" | "chaque") {
            if objet_indefini && y.plie == "par" {
                return None;
            }
            return t.get(j + 1).and_then(|z| mot_periode(&z.plie)).map(|p| (p, j + 2));
        }
        if y.plie == "tous" && t.get(j + 1).is_some_and(|z| z.plie == "les") {
            return t.get(j + 2).and_then(|z| mot_periode(&z.plie)).map(|p| (p, j + 3));
        }
    }
    None
}

/// Target after the counted thing: "par an en cible", "à terme", "d'ici 2025",
/// "à l'horizon 2030".
fn cible_apres(t: &[Jeton], k: usize) -> Option<usize> {
    let p = |d: usize| t.get(k + d).map(|y| y.plie.as_ref());
    let annee = |e: usize| {
        if t.get(e).is_some_and(|y| y.genre == Genre::Nombre) {
            e + 1
        } else {
            e
        }
    };
    match (p(0), p(1), p(2)) {
        (Some("en"), Some("cible"), _) | (Some("a"), Some("terme"), _) => Some(k + 2),
        (Some("d'"), Some("ici"), _) => Some(annee(k + 2)),
        (Some("a"), Some("l'"), Some("horizon")) => Some(annee(k + 3)),
        _ => None,
    }
}

/// Target stated earlier in the clause: "À terme, 40 000 agents…",
/// "L'objectif est d'accueillir 3 000 agents", "Le projet vise 10 000
/// utilisateurs". Looks back at most eight tokens, not across . ; : ! ? ( ).
fn cible_avant(t: &[Jeton], debut: usize, borne: usize) -> bool {
    let bas = debut.saturating_sub(8).max(borne);
    for k in (bas..debut).rev() {
        let p = t[k].plie.as_ref();
        if t[k].genre == Genre::Ponct && ".;:!?()[]".contains(p) {
            return false;
        }
        let suiv = t.get(k + 1).map(|y| y.plie.as_ref());
        if matches!(p, "objectif" | "objectifs" | "cible" | "vise" | "visent" | "visons" | "viser" | "horizon")
            || (p == "a" && suiv == Some("terme"))
            || (p == "d'" && suiv == Some("ici"))
        {
            return true;
        }
    }
    false
}

/// Nouns that a period adjective turns into a rate when the amount follows
/// with "de": "un coût annuel de 250 000 euros", "un volume mensuel de 2 To".
/// Other nouns are left alone ("le rapport annuel de 40 pages" is no rate).
const NOMS_DE_FLUX: &[&str] = &[
    "cout",
    "couts",
    "budget",
    "budgets",
    "volume",
    "volumes",
    "trafic",
    "montant",
    "montants",
    "depense",
    "depenses",
    "economie",
    "economies",
    "gain",
    "gains",
    "facture",
    "loyer",
    "abonnement",
    "consommation",
    "flux",
    "frequentation",
    "audience",
];

/// Period stated earlier in the clause: "Chaque année, 3 millions de…",
/// "tous les jours, 500 agents…", "un coût annuel de 250 000 euros".
fn periode_avant(t: &[Jeton], debut: usize, borne: usize) -> Option<&'static str> {
    if debut >= borne + 3 && matches!(t[debut - 1].plie.as_ref(), "de" | "d'") {
        if let Some(q) = adj_periode(&t[debut - 2].plie) {
            if NOMS_DE_FLUX.contains(&t[debut - 3].plie.as_ref()) {
                return Some(q);
            }
        }
    }
    let bas = debut.saturating_sub(6).max(borne);
    for k in (bas..debut).rev() {
        let p = t[k].plie.as_ref();
        if t[k].genre == Genre::Ponct && ".;:!?()[]".contains(p) {
            return None;
        }
        if p == "chaque" {
            if let Some(q) = t.get(k + 1).and_then(|y| mot_periode(&y.plie)) {
                return Some(q);
            }
        }
        if p == "tous" && t.get(k + 1).is_some_and(|y| y.plie == "les") {
            if let Some(q) = t.get(k + 2).and_then(|y| mot_periode(&y.plie)) {
                return Some(q);
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------
// One quantity
// ---------------------------------------------------------------------------

/// Reads the quantity starting at token `i`. On failure, returns the index to
/// resume from.
fn extraire_a(s: &str, t: &[Jeton], i: usize, borne: usize) -> Result<(Quantite, usize), usize> {
    let l0 = lire_nombre(t, i, false).ok_or(i + 1)?;
    let saut = l0.fin.max(i + 1);
    let signe = signe_devant(t, &l0);
    if !contexte_ok(t, &l0, signe.is_some()) {
        return Err(saut);
    }
    let (l, u) = match lire_unite(t, &l0) {
        Some(u) => (l0, u),
        None => lire_intervalle(t, &l0).ok_or(saut)?,
    };
    // A sign is read only before a single percentage: "+40 %" is 40, "-15 %"
    // is -15; "+33 1 23…" stays a phone number.
    let negatif = match signe {
        // A bound of a range written with signs ("de +3 à +5 %", "entre -5
        // et +5 %"): not a figure of its own.
        Some(_) if borne_signee(t, l.debut - 1, u.fin_unite) => return Err(saut),
        Some(n) if u.unite == "pourcent" && l.max.is_none() && l.debut > borne => Some(n),
        Some(_) if !contexte_ok(t, &l, false) => return Err(saut),
        _ => None,
    };
    let debut = match negatif {
        Some(_) => l.debut - 1,
        None => l.debut.max(borne),
    };
    // Years: "2023 a été une année charnière" has no plural noun after it.
    if l.annee && u.nom && !u.tete_pluriel {
        return Err(saut);
    }
    // Durations that are not quantities: "24 heures sur 24", "7 jours sur 7".
    if matches!(u.unite.as_str(), "heure" | "jour" | "minute")
        && t.get(u.fin_unite).is_some_and(|y| y.plie == "sur")
        && t.get(u.fin_unite + 1).is_some_and(|y| y.genre == Genre::Nombre)
    {
        return Err(saut);
    }
    // Times of day: "à 9h", "14 h 30", "de 9h à 18h".
    let h_abrege = l.suffixe.as_deref() == Some("h") || t.get(l.fin).is_some_and(|y| y.brut == "h");
    if u.unite == "heure" && h_abrege {
        let avant = debut.checked_sub(1).map(|k| t[k].plie.as_ref());
        let apres = t.get(u.fin_unite);
        let heure_suit = apres.is_some_and(|y| y.genre == Genre::Nombre)
            || (apres.is_some_and(|y| matches!(y.plie.as_ref(), "a" | "et"))
                && t.get(u.fin_unite + 1).is_some_and(|y| y.brut.starts_with(|c: char| c.is_ascii_digit())));
        if heure_suit || matches!(avant, Some("a" | "vers" | "des" | "avant" | "apres")) {
            return Err(saut);
        }
    }

    // "entre 100 000 € et 3 M€": each bound with its own unit. The range is
    // read in the units' common measure, the text runs to the second unit.
    let (u, valeur_max, debut) = match bornes_avec_unites(t, &l, &u) {
        Some((u2, max)) => (UniteLue { facteur: u.facteur, ..u2 }, Some(max), (l.debut - 1).max(borne)),
        None => (u, None, debut),
    };
    let (qual_avant, debut_texte) = match qualif_avant(t, debut, borne) {
        Some((q, d)) => (Some(q), d),
        None => (None, debut),
    };
    let mut cible = qual_avant == Some("cible") || cible_avant(t, debut_texte, borne);
    let mut periode = None;
    let mut qual_apres = None;
    let mut fin = u.fin;
    // "2 jours et demi", "une heure et demie": half a unit more.
    let demi = l.max.is_none()
        && valeur_max.is_none()
        && !u.nom
        && u.fin == u.fin_unite
        && t.get(fin).is_some_and(|y| y.plie == "et")
        && t.get(fin + 1).is_some_and(|y| matches!(y.plie.as_ref(), "demi" | "demie"));
    if demi {
        fin += 2;
    }
    loop {
        if periode.is_none() {
            if let Some((p, e)) = lire_periode(t, fin).or_else(|| periode_plus_loin(t, fin)) {
                periode = Some(p);
                fin = e;
                continue;
            }
        }
        if qual_apres.is_none() {
            if let Some((q, e)) = qualif_apres(t, fin) {
                qual_apres = Some(q);
                fin = e;
                continue;
            }
        }
        if let Some(e) = cible_apres(t, fin) {
            if e > fin {
                cible = true;
                fin = e;
                continue;
            }
        }
        break;
    }
    if periode.is_none() {
        periode = periode_avant(t, debut_texte, borne);
    }
    let qualificatif = if l.max.is_some() || valeur_max.is_some() {
        "ordre_de_grandeur"
    } else if cible {
        "cible"
    } else if let Some(q) = qual_avant.or(qual_apres) {
        q
    } else if l.approx {
        "environ"
    } else {
        "exact"
    };
    let valeur = l.val.fois(u.facteur).f64() + if demi { u.facteur as f64 / 2.0 } else { 0.0 };
    let q = Quantite {
        libelle: s[u.lib.0..u.lib.1].to_string(),
        valeur: if negatif == Some(true) && valeur != 0.0 { -valeur } else { valeur },
        valeur_max: valeur_max.or_else(|| l.max.map(|m| m.fois(u.facteur).f64())),
        unite: u.unite,
        periode,
        qualificatif,
        texte: s[t[debut_texte].debut..t[fin - 1].fin].to_string(),
    };
    Ok((q, fin))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokeniser as first written, on a vector of characters: the
    /// reference the byte walk of [`decouper`] is checked against.
    fn decouper_par_caracteres(s: &str) -> Vec<Jeton<'_>> {
        let cs: Vec<(usize, char)> = s.char_indices().collect();
        let n = cs.len();
        let octet = |k: usize| if k < n { cs[k].0 } else { s.len() };
        let mut out = Vec::new();
        let mut k = 0;
        let mut espace = true;
        while k < n {
            let c = cs[k].1;
            if est_espace(c) {
                espace = true;
                k += 1;
                continue;
            }
            let debut = k;
            if est_alnum(c) {
                let mut m = k + 1;
                while m < n {
                    let c2 = cs[m].1;
                    if est_alnum(c2) {
                        m += 1;
                        continue;
                    }
                    let prev = cs[m - 1].1;
                    if let Some(nx) = cs.get(m + 1).map(|x| x.1) {
                        let joint = match c2 {
                            '-' | '‑' => est_alnum(nx),
                            '.' => est_alnum(nx) && !(prev.is_lowercase() && nx.is_uppercase()),
                            ',' | ':' => prev.is_ascii_digit() && nx.is_ascii_digit(),
                            '/' => nx.is_ascii_digit() || nx.is_uppercase(),
                            _ => false,
                        };
                        if joint {
                            m += 2;
                            continue;
                        }
                        if est_apostrophe(c2) && est_lettre(nx) && cs[debut..m].iter().all(|x| est_lettre(x.1)) {
                            m += 1;
                        }
                    }
                    break;
                }
                k = m;
            } else {
                k += 1;
            }
            let (b0, b1) = (cs[debut].0, octet(k));
            let brut = &s[b0..b1];
            out.push(Jeton {
                brut,
                debut: b0,
                fin: b1,
                genre: genre_de(brut),
                plie: plier(brut),
                espace_avant: espace,
            });
            espace = false;
        }
        out
    }

    fn jetons(t: &[Jeton<'_>]) -> Vec<(usize, usize, Genre, String, bool)> {
        t.iter().map(|j| (j.debut, j.fin, j.genre, j.plie.to_string(), j.espace_avant)).collect()
    }

    #[test]
    fn decoupage_des_phrases_de_la_graine() {
        let graine = include_str!("../../input/pages/2024-07-03-cloud-temoignages.md");
        for phrase in graine.lines() {
            assert_eq!(jetons(&decouper(phrase)), jetons(&decouper_par_caracteres(phrase)), "{phrase}");
        }
    }

    proptest::proptest! {
        /// The byte walk cuts every text as the character vector did.
        #[test]
        fn decoupage_comme_par_caracteres(
            s in "(?s).{0,60}",
            t in "[a-zA-Z0-9éÉ’'ʼ\\-‑.,:/ \u{a0}\u{202f}%€()\u{300}]{0,60}",
        ) {
            for x in [&s, &t] {
                proptest::prop_assert_eq!(jetons(&decouper(x)), jetons(&decouper_par_caracteres(x)));
            }
        }

        /// The folding is NFD of the whole word, marks dropped, lowercased.
        #[test]
        fn plier_comme_nfd(s in "(?s).{0,20}", t in "[a-zA-Z\u{c0}-\u{17f}’ʼ‘œŒæÆ‑\u{300}-\u{36f}]{0,20}") {
            for x in [&s, &t] {
                let mut attendu = String::new();
                for c in x.nfd() {
                    if is_combining_mark(c) {
                        continue;
                    }
                    match c {
                        '’' | 'ʼ' | '‘' => attendu.push('\''),
                        'œ' | 'Œ' => attendu.push_str("oe"),
                        'æ' | 'Æ' => attendu.push_str("ae"),
                        '‑' => attendu.push('-'),
                        _ => attendu.extend(c.to_lowercase()),
                    }
                }
                let obtenu = plier(x);
                proptest::prop_assert_eq!(obtenu.as_ref(), attendu.as_str());
            }
        }
    }
    use proptest::prelude::*;

    type Attendu = (f64, Option<f64>, &'static str, Option<&'static str>, &'static str);

    /// Sentence → expected (valeur, valeur_max, unite, periode, qualificatif).
    const CAS: &[(&str, &[Attendu])] = &[
        // --- seed sentences -------------------------------------------------
        ("La Géoplateforme devant traiter plus de 250 millions de requêtes utilisateurs par jour avec une optimisation des temps de réponse, l’organisation du projet a nécessité une implication forte.",
         &[(250_000_000.0, None, "requete", Some("jour"), "plus_de")]),
        ("La création d’une communauté Géoplateforme sur une plateforme collaborative de l’État comprenant plus de 1700 membres a permis d’impliquer les futurs utilisateurs.",
         &[(1700.0, None, "membre", None, "plus_de")]),
        ("Le SI-SAMU, qui permet aux SAMU de répondre plus efficacement à leurs missions de prise en charge des demandes de soins formulées par la population, soit plus de 30 millions d’appels par an en cible.",
         &[(30_000_000.0, None, "appel", Some("an"), "cible")]),
        ("Le SI-VIC, système d’information pour le suivi des victimes d’attentats, où plus de 700\u{202f}000 dossiers ont été créés dans le cadre du suivi de l’épidémie Covid-19.",
         &[(700_000.0, None, "dossier", None, "plus_de")]),
        ("Le SICAP, système d’information des centres antipoison et de toxicovigilance, qui gèrent plus de 400 000 appels par an.",
         &[(400_000.0, None, "appel", Some("an"), "plus_de")]),
        ("Il accueille plus de 30 millions de visiteurs par an et leur donne accès à des contenus.",
         &[(30_000_000.0, None, "visiteur", Some("an"), "plus_de")]),
        ("d’un service de visioconférence pour les 1,2 millions d’agents du ministère ;",
         &[(1_200_000.0, None, "agent", None, "exact")]),
        ("d’un service de classe virtuelle pour les 850 000 enseignants et 12 millions d’élèves, permettant la continuité pédagogique",
         &[(850_000.0, None, "enseignant", None, "exact"), (12_000_000.0, None, "eleve", None, "exact")]),
        ("des plateformes répondant aux besoins d’enseignement à distance pour les 1,6 millions d’étudiants.",
         &[(1_600_000.0, None, "etudiant", None, "exact")]),
        ("Elle était mise en œuvre grâce à un agenda, et ainsi la réduction de 40 % de la facturation des ressources réservées mais éteintes.",
         &[(40.0, None, "pourcent", None, "exact")]),
        ("pour que les webinaires puissent démarrer instantanément sans délai de provisionnement (minimum 3 minutes), et de réduire les ressources",
         &[(3.0, None, "minute", None, "au_moins")]),
        ("L’application a été mise à disposition des assurés de huit premiers départements en juin 2023, un mode pilote étendu à 15 départements supplémentaires en juin 2024.",
         &[(8.0, None, "departement", None, "exact"), (15.0, None, "departement", None, "exact")]),
        ("la clôture des inscriptions provoque un important pic de fréquentation avec des centaines de milliers de demandes dans les dernières heures.",
         &[(100_000.0, Some(1_000_000.0), "demande", None, "ordre_de_grandeur")]),
        ("la Géoplateforme est une offre de données (plusieurs centaines de Téra Octets) et de services exposés sous forme d’API sur Internet.",
         &[(2e14, Some(1e15), "octet", None, "ordre_de_grandeur")]),
        ("Une opération de Movetocloud de plusieurs dizaines d’applications Web a ainsi été réalisée chez OVHcloud par l’IGN.",
         &[(20.0, Some(100.0), "application", None, "ordre_de_grandeur")]),
        ("Cette application qui est dans le top 10 des applications gouvernementales en termes d’audience offre un accès en visualisation.", &[]),
        ("en garantissant la sécurité et la protection des données personnelles des dizaines de millions d’assurés qui utiliseront l’application à l’avenir.",
         &[(10_000_000.0, Some(100_000_000.0), "assure", None, "ordre_de_grandeur")]),
        ("L’hébergement de cette application dans une solution cloud apporte deux avantages majeurs", &[]),
        ("ce qui s’illustre notamment par les deux exemples qui suivent :", &[]),
        ("si bien qu’il ne faut que quelques clics, un hébergeur et un mot de passe pour que les scripts montent une plateforme complète.", &[]),
        ("Les certifications ISO 27001, bien que nécessaires, ne sont, à ce stade, pas suffisantes.", &[]),
        ("Après la publication de la doctrine « Cloud au centre » de l’État en 2021, la DINUM publie une série de témoignages.", &[]),
        ("Les prochaines étapes visent à étendre la disponibilité à l’ensemble du territoire pour la fin de l’année 2025.", &[]),
        ("l’IGN a adapté l’application geoportail.gouv.fr pour la rendre cloud native et l’exploite depuis plusieurs mois.", &[]),
        ("Chacune des plateformes BigBlueButton est constituée de plusieurs instances qui permettent d’accueillir les participants.", &[]),
        ("Par ailleurs, la solution cloud que nous avons retenue nous apporte les garanties nécessaires à une qualification eIDAS de niveau susbtantiel.", &[]),
        ("Les générations suivantes lui permettront de consulter les données de sa complémentaire santé en un seul geste.", &[]),
        ("Le délai est passé de 30 jours -> 5 jours, puis => 3 jours.",
         &[(30.0, None, "jour", None, "exact"), (5.0, None, "jour", None, "exact"), (3.0, None, "jour", None, "exact")]),
        ("Accueil > Services > 3 démarches en ligne.", &[(3.0, None, "demarche", None, "exact")]),
        ("Étape 1 > 2 jours de cadrage, le cas 3 < 5 agents.", &[(2.0, None, "jour", None, "exact"), (5.0, None, "agent", None, "exact")]),
        ("Un délai > 2 jours (< 1 semaine).", &[(2.0, None, "jour", None, "plus_de"), (1.0, None, "semaine", None, "moins_de")]),
        ("Une hausse de +3 à +5 % par an, de -15 à -20 % des coûts, entre -5 et +5 % de variation.", &[]),
        ("Une baisse de -0,5 % et une hausse de +0,5 %.", &[(-0.5, None, "pourcent", None, "exact"), (0.5, None, "pourcent", None, "exact")]),
        ("Une intervention en < 1 semaine et un déploiement en <30 jours.",
         &[(1.0, None, "semaine", None, "moins_de"), (30.0, None, "jour", None, "moins_de")]),
        ("Une disponibilité \u{2265} 99,9 % et > 200 agents formés.",
         &[(99.9, None, "pourcent", None, "au_moins"), (200.0, None, "agent", None, "plus_de")]),
        // --- signed percentages ------------------------------------------------
        ("Le trafic a augmenté de +40 % en un an.", &[(40.0, None, "pourcent", None, "exact")]),
        ("Les coûts ont baissé (-15 %) depuis la migration.", &[(-15.0, None, "pourcent", None, "exact")]),
        ("Baisse de \u{2212} 15 % des coûts.", &[(-15.0, None, "pourcent", None, "exact")]),
        ("Une hausse de +40\u{a0}% des connexions.", &[(40.0, None, "pourcent", None, "exact")]),
        ("Appelez le +33 1 23 45 67 89 pour 3 agents.", &[(3.0, None, "agent", None, "exact")]),
        ("Nous comptons +40 000 utilisateurs.", &[]),
        ("Le projet-15 % n'existe pas.", &[]),
        // --- amounts, qualifiers, periods --------------------------------------
        ("Près de 2 000 agents utilisent la plateforme.", &[(2000.0, None, "agent", None, "environ")]),
        ("Une dizaine de ministères ont rejoint le projet.", &[(10.0, None, "ministere", None, "environ")]),
        ("Le service supporte jusqu’à 10 000 connexions simultanées.", &[(10_000.0, None, "connexion", None, "moins_de")]),
        ("Le temps de réponse est de moins de 5 minutes.", &[(5.0, None, "minute", None, "moins_de")]),
        ("La plateforme compte 3 500 utilisateurs quotidiens.", &[(3500.0, None, "utilisateur", Some("jour"), "exact")]),
        ("Le marché représente 1 200 000 € sur quatre ans.", &[(1_200_000.0, None, "euro", None, "exact"), (4.0, None, "an", None, "exact")]),
        ("Le budget du projet atteint 3 M€.", &[(3_000_000.0, None, "euro", None, "exact")]),
        ("Un budget de 2,5 Md€ a été engagé.", &[(2_500_000_000.0, None, "euro", None, "exact")]),
        ("Le coût annuel s'élève à 800 k€.", &[(800_000.0, None, "euro", None, "exact")]),
        ("L’élasticité nous a permis de réduire de 35 % le coût d’hébergement, pour un coût annuel de 250 000 euros.",
         &[(35.0, None, "pourcent", None, "exact"), (250_000.0, None, "euro", Some("an"), "exact")]),
        ("Les sauvegardes représentent un volume mensuel d’environ 2 To.", &[(2e12, None, "octet", Some("mois"), "environ")]),
        ("Le rapport annuel de 40 pages détaille les résultats.", &[(40.0, None, "page", None, "exact")]),
        ("Le service traite des dizaines de millions de déclarations en douane chaque année, pour quelques milliers d’opérateurs.",
         &[(10_000_000.0, Some(100_000_000.0), "declaration", Some("an"), "ordre_de_grandeur"), (2000.0, Some(10_000.0), "operateur", None, "ordre_de_grandeur")]),
        ("Entre 10 et 20 nouvelles fonctionnalités sont livrées chaque mois.", &[(10.0, Some(20.0), "fonctionnalite", Some("mois"), "ordre_de_grandeur")]),
        ("Les 300 agents du service se connectent tous les jours.", &[(300.0, None, "agent", Some("jour"), "exact")]),
        ("Nous avons formé 40 agents et traité 3 000 dossiers par an.", &[(40.0, None, "agent", None, "exact"), (3000.0, None, "dossier", Some("an"), "exact")]),
        ("L'entrepôt stocke 2 To de données.", &[(2e12, None, "octet", None, "exact")]),
        ("Chaque nuit, 500 Go sont sauvegardés.", &[(5e11, None, "octet", None, "exact")]),
        ("En 2024, 45 % des agents ont suivi une formation.", &[(45.0, None, "pourcent", None, "exact")]),
        ("Le portail reçoit plus d’un million de visites chaque mois.", &[(1_000_000.0, None, "visite", Some("mois"), "plus_de")]),
        ("Environ 300 agents ont été formés.", &[(300.0, None, "agent", None, "environ")]),
        ("Au moins 12 applications ont migré.", &[(12.0, None, "application", None, "au_moins")]),
        ("Au-delà de 5 000 requêtes par seconde, le service ralentit.", &[(5000.0, None, "requete", None, "plus_de")]),
        ("À terme, 40 000 agents utiliseront l’outil.", &[(40_000.0, None, "agent", None, "cible")]),
        ("L’objectif de 100 000 comptes actifs sera atteint en 2026.", &[(100_000.0, None, "compte", None, "cible")]),
        ("Le projet mobilise des milliers de contributeurs.", &[(1000.0, Some(10_000.0), "contributeur", None, "ordre_de_grandeur")]),
        ("Quelques milliers d’usagers ont testé le service.", &[(2000.0, Some(10_000.0), "usager", None, "ordre_de_grandeur")]),
        ("Deux millions de dossiers par an sont traités.", &[(2_000_000.0, None, "dossier", Some("an"), "exact")]),
        ("La plateforme a traité quinze mille demandes.", &[(15_000.0, None, "demande", None, "exact")]),
        ("Vingt-cinq établissements participent.", &[(25.0, None, "etablissement", None, "exact")]),
        ("Une centaine d’agents travaillent sur le projet.", &[(100.0, None, "agent", None, "environ")]),
        ("Une application mobile a été publiée.", &[]),
        ("Les 3 datacenters hébergent 1,5 Po de données.", &[(3.0, None, "datacenter", None, "exact"), (1.5e15, None, "octet", None, "exact")]),
        ("Le coût est estimé à 2,5 millions d’euros par an.", &[(2_500_000.0, None, "euro", Some("an"), "exact")]),
        ("Un gain de 30 pour cent a été mesuré.", &[(30.0, None, "pourcent", None, "exact")]),
        ("Le délai est passé de 3 jours à 2 heures.", &[(3.0, None, "jour", None, "exact"), (2.0, None, "heure", None, "exact")]),
        ("Entre 10 et 20 agents sont mobilisés.", &[(10.0, Some(20.0), "agent", None, "ordre_de_grandeur")]),
        ("Le traitement prend de 3 à 5 minutes.", &[(3.0, Some(5.0), "minute", None, "ordre_de_grandeur")]),
        ("Le financement est compris entre 2 et 3 millions d’euros.", &[(2_000_000.0, Some(3_000_000.0), "euro", None, "ordre_de_grandeur")]),
        ("Le déploiement a pris 2 jours et demi.", &[(2.5, None, "jour", None, "exact")]),
        ("En dessous de 1 million d'euros, le projet est éligible.", &[(1_000_000.0, None, "euro", None, "moins_de")]),
        ("La part du budget ne dépassera pas 50 %.", &[(50.0, None, "pourcent", None, "moins_de")]),
        ("Entre 100 000 € et 3 M€ par projet.", &[(100_000.0, Some(3_000_000.0), "euro", None, "ordre_de_grandeur")]),
        ("Un financement de 50 000 € à 200 000€.", &[(50_000.0, Some(200_000.0), "euro", None, "ordre_de_grandeur")]),
        ("Le volume passe de 2 To à 5 To.", &[(2e12, Some(5e12), "octet", None, "ordre_de_grandeur")]),
        ("Entre 100 000 € et 30 agents.", &[(100_000.0, None, "euro", None, "exact"), (30.0, None, "agent", None, "exact")]),
        ("La DINUM compte 250 agents en 2023.", &[(250.0, None, "agent", None, "exact")]),
        ("Le service reçoit 3 000 appels hebdomadaires.", &[(3000.0, None, "appel", Some("semaine"), "exact")]),
        ("La plateforme compte 12 000 abonnés mensuels.", &[(12_000.0, None, "abonne", Some("mois"), "exact")]),
        ("Le site enregistre 500 000 visites annuelles.", &[(500_000.0, None, "visite", Some("an"), "exact")]),
        ("Le stockage atteint 300 téraoctets.", &[(3e14, None, "octet", None, "exact")]),
        ("Le service a coûté 450 000 euros.", &[(450_000.0, None, "euro", None, "exact")]),
        ("Un serveur traite 1 000 requêtes/jour.", &[(1000.0, None, "requete", Some("jour"), "exact")]),
        ("Les 3 000 agents du ministère des Armées sont concernés.", &[(3000.0, None, "agent", None, "exact")]),
        ("Près d’un millier d’agents ont été formés.", &[(1000.0, None, "agent", None, "environ")]),
        ("Le projet a duré 18 mois.", &[(18.0, None, "mois", None, "exact")]),
        ("Il réunit plus d’une dizaine de ministères.", &[(10.0, None, "ministere", None, "plus_de")]),
        ("La base contient 0,5 % d’erreurs.", &[(0.5, None, "pourcent", None, "exact")]),
        ("Nous avons recruté huit développeurs et deux chefs de projet.", &[(8.0, None, "developpeur", None, "exact"), (2.0, None, "chef", None, "exact")]),
        ("L'hébergement coûte 1,2 M€ par an en cible.", &[(1_200_000.0, None, "euro", Some("an"), "cible")]),
        ("La plateforme accueille 1\u{a0}500\u{a0}000 visiteurs uniques.", &[(1_500_000.0, None, "visiteur", None, "exact")]),
        ("Le service a été déployé dans les 26 académies et 3 territoires d'outre-mer.", &[(26.0, None, "academie", None, "exact"), (3.0, None, "territoire", None, "exact")]),
        ("Un ticket doit être traité en 4 h maximum.", &[(4.0, None, "heure", None, "moins_de")]),
        ("En 2022, le projet comptait 45 développeurs.", &[(45.0, None, "developpeur", None, "exact")]),
        ("Le projet vise 10 000 utilisateurs d’ici 2025.", &[(10_000.0, None, "utilisateur", None, "cible")]),
        ("Les quelque 5 000 agents du réseau sont équipés.", &[(5000.0, None, "agent", None, "environ")]),
        ("Chaque année, plus de 3 millions de demandes sont déposées.", &[(3_000_000.0, None, "demande", Some("an"), "plus_de")]),
        ("Le centre consomme 2 GWh par an.", &[(2e9, None, "wattheure", Some("an"), "exact")]),
        ("Les 2 500 agents sont répartis sur 12 sites.", &[(2500.0, None, "agent", None, "exact"), (12.0, None, "site", None, "exact")]),
        ("Une dizaine de milliers d'agents sont concernés.", &[(10_000.0, None, "agent", None, "environ")]),
        ("Il y a 3 000 agents environ.", &[(3000.0, None, "agent", None, "environ")]),
        ("Le service traite 200 000 demandes par jour ouvré.", &[(200_000.0, None, "demande", Some("jour"), "exact")]),
        ("Il réunit 4 réseaux et 2 hôpitaux.", &[(4.0, None, "reseau", None, "exact"), (2.0, None, "hopital", None, "exact")]),
        ("Le RGAA 4.1 impose 106 critères.", &[(106.0, None, "critere", None, "exact")]),
        ("Le projet a reçu 1,5 million d’euros du plan de relance.", &[(1_500_000.0, None, "euro", None, "exact")]),
        ("Les deux plateformes sont hébergées chez un seul fournisseur.", &[(2.0, None, "plateforme", None, "exact")]),
        ("Le taux de disponibilité atteint 99,9 %.", &[(99.9, None, "pourcent", None, "exact")]),
        ("Elle emploie 200 personnes et gère 3 To par jour.", &[(200.0, None, "personne", None, "exact"), (3e12, None, "octet", Some("jour"), "exact")]),
        ("Un million de Français utilisent le service.", &[(1_000_000.0, None, "francais", None, "exact")]),
        ("Cela représente une économie de l'ordre de 20 %.", &[(20.0, None, "pourcent", None, "environ")]),
        // --- traps: not quantities ---------------------------------------------
        ("Les années 2000 ont vu naître le projet.", &[]),
        ("Le service est ouvert de 9h à 18h du lundi au vendredi.", &[]),
        ("Les performances sont 2 fois meilleures, à deux reprises.", &[]),
        ("Un bâtiment neuf qui accueille les équipes.", &[]),
        ("La loi du 7 octobre 2016 pour une République numérique s’applique.", &[]),
        ("Conformément à l’article 12 du décret, les données sont chiffrées.", &[]),
        ("Le passage au Web 2.0 a transformé les usages.", &[]),
        ("Le service est disponible H24.", &[]),
        ("Le support est joignable 24h/24 et 7j/7.", &[]),
        ("Le service est disponible 24 heures sur 24 et 7 jours sur 7.", &[]),
        ("Appelez le 01 23 45 67 89 pour toute question.", &[]),
        ("Appelez le +33 1 23 45 67 89.", &[]),
        ("La norme ISO/IEC 27001:2013 a été retenue.", &[]),
        ("La crise de la Covid-19 a accéléré le projet.", &[]),
        ("Le 1er janvier 2025, le service a ouvert ses portes.", &[]),
        ("La réunion est prévue à 14h30.", &[]),
        ("La réunion a lieu à 14 h 30.", &[]),
        ("Le rendez-vous est fixé à 9h.", &[]),
        ("La version v2.1 corrige ce défaut.", &[]),
        ("Le programme 1-immersion et le SI-VIC sont hébergés sur la 4G et le Web3.", &[]),
        ("Ce point est traité dans la section 3.2 du rapport.", &[]),
        ("Le troisième lot a été attribué en 2022.", &[]),
        ("Les effectifs ont doublé depuis 2019.", &[]),
        ("2023 a été une année charnière.", &[]),
        ("La réunion a lieu le 15 mars 2024.", &[]),
        ("Le numéro 3949 est gratuit.", &[]),
        ("Le dossier n°12 est clos.", &[]),
        ("Le référentiel RGS 2 est appliqué au niveau 3.", &[]),
        ("C'est la 2e fois et le 3ème essai.", &[]),
        ("Les performances sont 3 fois meilleures.", &[]),
        ("Le projet a été lancé en 2021 puis étendu en 2023.", &[]),
        ("Un agent et une équipe suffisent.", &[]),
        ("Le lien offre 100 Mbps puis 10 Gbit/s et 1 Gb/s.",
         &[(1e8, None, "bit_par_seconde", None, "exact"), (1e10, None, "bit_par_seconde", None, "exact"), (1e9, None, "bit_par_seconde", None, "exact")]),
        ("Nos 300 agents traitent des dossiers par jour.", &[(300.0, None, "agent", None, "exact")]),
        ("5 000 agents utilisent l'outil chaque jour.", &[(5000.0, None, "agent", Some("jour"), "exact")]),
        ("Les 2 000 agents utilisent la messagerie tous les jours.", &[(2000.0, None, "agent", Some("jour"), "exact")]),
        ("Dans chaque département 20 agents ont été formés et 1,5 agent à temps plein.", &[(20.0, None, "agent", None, "exact"), (1.5, None, "agent", None, "exact")]),
        ("En région 5 000 agents utilisent l'outil.", &[(5000.0, None, "agent", None, "exact")]),
        ("Le service compte 3 sous-directions.", &[(3.0, None, "sous-direction", None, "exact")]),
        ("Le projet a demandé 30 jours-hommes et 2 data-centers.", &[(30.0, None, "jour-homme", None, "exact"), (2.0, None, "data-center", None, "exact")]),
        ("Le service compte 1 000 000 de comptes et 1 500 000 d'euros de budget.",
         &[(1_000_000.0, None, "compte", None, "exact"), (1_500_000.0, None, "euro", None, "exact")]),
        ("Le service compte 1 000 000 comptes.", &[(1_000_000.0, None, "compte", None, "exact")]),
        ("Sur 100 000 des dossiers reçus, la moitié est traitée.", &[]),
        ("La tranche 2 démarre en mai et la région 11 suit.", &[]),
        ("Les agents de 3 régions participent.", &[(3.0, None, "region", None, "exact")]),
        ("Dans 12 départements participent 40 agents.", &[(12.0, None, "departement", None, "exact"), (40.0, None, "agent", None, "exact")]),
        ("Env. 300 agents l'utilisent et + de 250 millions de requêtes sont servies.",
         &[(300.0, None, "agent", None, "environ"), (250_000_000.0, None, "requete", None, "plus_de")]),
    ];

    fn proche(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn table() {
        assert!(CAS.len() >= 60, "{} cas", CAS.len());
        let mut erreurs = Vec::new();
        for (phrase, attendus) in CAS {
            let obtenus = extraire(phrase);
            let ok = obtenus.len() == attendus.len()
                && obtenus.iter().zip(attendus.iter()).all(|(q, a)| {
                    proche(q.valeur, a.0)
                        && match (q.valeur_max, a.1) {
                            (None, None) => true,
                            (Some(x), Some(y)) => proche(x, y),
                            _ => false,
                        }
                        && q.unite == a.2
                        && q.periode == a.3
                        && q.qualificatif == a.4
                });
            if !ok {
                erreurs.push(format!("{phrase}\n  attendu {attendus:?}\n  obtenu  {obtenus:?}"));
            }
        }
        assert!(erreurs.is_empty(), "{} échecs:\n{}", erreurs.len(), erreurs.join("\n"));
    }

    #[test]
    fn invariants_de_la_table() {
        for (phrase, _) in CAS {
            for q in extraire(phrase) {
                assert!(QUALIFICATIFS.contains(&q.qualificatif));
                assert!(q.periode.is_none_or(|p| PERIODES.contains(&p)));
                assert_eq!(q.valeur_max.is_some(), q.qualificatif == "ordre_de_grandeur");
                assert!(q.unite.is_ascii() && q.unite == q.unite.to_lowercase());
                assert!(phrase.contains(&q.texte) && phrase.contains(&q.libelle));
                assert!(q.texte.contains(&q.libelle), "{q:?}");
            }
        }
    }

    #[test]
    fn textes_et_libelles() {
        assert_eq!(extraire("Le trafic a augmenté de +40 % en un an.")[0].texte, "+40 %");
        assert_eq!(extraire("Baisse de \u{2212} 15 % des coûts.")[0].texte, "\u{2212} 15 % des coûts");
        let q = &extraire("La Géoplateforme devant traiter plus de 250 millions de requêtes utilisateurs par jour avec une optimisation")[0];
        assert_eq!(q.texte, "plus de 250 millions de requêtes utilisateurs par jour");
        assert_eq!(q.libelle, "requêtes utilisateurs");
        let q = &extraire("soit plus de 30 millions d’appels par an en cible.")[0];
        assert_eq!(q.texte, "plus de 30 millions d’appels par an en cible");
        assert_eq!(q.libelle, "appels");
        let q = &extraire("pour les 1,2 millions d’agents du ministère ;")[0];
        assert_eq!(q.texte, "1,2 millions d’agents du ministère");
        assert_eq!(q.libelle, "agents du ministère");
        let q = &extraire("où plus de 700\u{202f}000 dossiers ont été créés")[0];
        assert_eq!(q.texte, "plus de 700\u{202f}000 dossiers");
        let v = extraire("de huit premiers départements en juin 2023");
        assert_eq!(v[0].texte, "huit premiers départements");
        assert_eq!(v[0].libelle, "premiers départements");
        let q = &extraire("sans délai de provisionnement (minimum 3 minutes), et")[0];
        assert_eq!(q.texte, "minimum 3 minutes");
        assert_eq!(q.libelle, "minutes");
        let q = &extraire("(plusieurs centaines de Téra Octets)")[0];
        assert_eq!(q.texte, "plusieurs centaines de Téra Octets");
        let q = &extraire("la réduction de 40 % de la facturation des ressources réservées mais éteintes")[0];
        assert_eq!(q.texte, "40 % de la facturation des ressources réservées");
        assert_eq!(q.libelle, "facturation des ressources réservées");
        let q = &extraire("L'entrepôt stocke 2To de données.")[0];
        assert_eq!((q.valeur, q.unite.as_str(), q.libelle.as_str()), (2e12, "octet", "données"));
        let q = &extraire("Le projet a reçu 1,5 million d’euros du plan de relance.")[0];
        assert_eq!((q.libelle.as_str(), q.texte.as_str()), ("euros", "1,5 million d’euros"));
        let q = &extraire("En 2024, 45 % des agents ont suivi une formation.")[0];
        assert_eq!(q.libelle, "agents");
        let q = &extraire("Il a coûté 3M€.")[0];
        assert_eq!((q.valeur, q.libelle.as_str()), (3e6, "M€"));
    }

    #[test]
    fn nombres() {
        let cas: &[(&str, Option<f64>)] = &[
            ("700 000", Some(700_000.0)),
            ("700\u{202f}000", Some(700_000.0)),
            ("700\u{a0}000", Some(700_000.0)),
            ("1 200 000", Some(1_200_000.0)),
            ("1,2", Some(1.2)),
            ("1,2 millions", Some(1_200_000.0)),
            ("250 millions", Some(250_000_000.0)),
            ("3 milliards", Some(3e9)),
            ("huit", Some(8.0)),
            ("quinze", Some(15.0)),
            ("deux millions", Some(2e6)),
            ("une dizaine", Some(10.0)),
            ("une centaine", Some(100.0)),
            ("un millier", Some(1000.0)),
            ("vingt-cinq", Some(25.0)),
            ("vingt et un", Some(21.0)),
            ("quatre-vingts", Some(80.0)),
            ("quatre-vingt-dix-neuf", Some(99.0)),
            ("soixante-dix", Some(70.0)),
            ("deux cent mille", Some(200_000.0)),
            ("trois cent vingt", Some(320.0)),
            ("mille", Some(1000.0)),
            ("des centaines de milliers", Some(100_000.0)),
            ("un", Some(1.0)),
            ("application", None),
            ("", None),
            ("40 %", None),
            ("3 M€", None),
            ("Covid-19", None),
            ("v2.1", None),
            ("12 agents", None),
            ("1,", None),
        ];
        for (s, v) in cas {
            assert_eq!(parse_nombre(s), *v, "{s:?}");
        }
    }

    #[test]
    fn singuliers() {
        for (p, s) in [
            ("requetes", "requete"),
            ("reseaux", "reseau"),
            ("hopitaux", "hopital"),
            ("travaux", "travail"),
            ("mois", "mois"),
            ("acces", "acces"),
            ("data-centers", "data-center"),
            ("jeux", "jeu"),
            ("eleves", "eleve"),
        ] {
            assert_eq!(singulier(p), s);
        }
    }

    fn grouper(n: u64, sep: &str) -> String {
        let chiffres = n.to_string();
        let mut out = String::new();
        for (k, c) in chiffres.chars().enumerate() {
            if k > 0 && (chiffres.len() - k).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }

    proptest! {
        #[test]
        fn nombre_francais_relu(
            ent in 0u64..1_000_000_000_000u64,
            dec in proptest::option::of("[0-9]{1,3}"),
            sep in 0usize..4,
            mult in 0usize..4,
        ) {
            let seps = [" ", "\u{a0}", "\u{202f}", "\u{2009}"];
            let mots = ["", "millions", "milliards", "mille"];
            let facteurs = [1.0, 1e6, 1e9, 1e3];
            let mut s = grouper(ent, seps[sep]);
            let mut attendu = ent as f64;
            if let Some(d) = &dec {
                s.push(',');
                s.push_str(d);
                attendu += d.parse::<f64>().unwrap() / 10f64.powi(d.len() as i32);
            }
            if mult > 0 {
                s.push(' ');
                s.push_str(mots[mult]);
            }
            attendu *= facteurs[mult];
            let lu = parse_nombre(&s);
            prop_assert!(lu.is_some(), "{:?}", s);
            prop_assert!(proche(lu.unwrap(), attendu), "{:?}: {:?} != {}", s, lu, attendu);
        }

        #[test]
        fn jamais_de_panique(s in "\\PC{0,80}") {
            for q in extraire(&s) {
                prop_assert!(s.contains(&q.texte));
                prop_assert!(q.valeur.is_finite());
            }
            let _ = parse_nombre(&s);
        }

        #[test]
        fn phrase_avec_nombre(ent in 1u64..10_000_000u64, sep in 0usize..3) {
            let seps = [" ", "\u{a0}", "\u{202f}"];
            let phrase = format!("Le service compte plus de {} agents.", grouper(ent, seps[sep]));
            let v = extraire(&phrase);
            prop_assert_eq!(v.len(), 1);
            prop_assert!(proche(v[0].valeur, ent as f64));
            prop_assert_eq!(v[0].unite.as_str(), "agent");
            prop_assert_eq!(v[0].qualificatif, "plus_de");
        }
    }
}
