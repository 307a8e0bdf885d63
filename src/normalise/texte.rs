//! Text helpers shared by the normalisers: ASCII folding for identifiers,
//! whitespace clean-up that keeps French typography, and a sentence splitter
//! that gives every extracted fact its `phrase`/`preuve`.
//! Pure functions only; nothing here knows about pages or records.

use unicode_normalization::UnicodeNormalization;

/// Folds to ASCII lowercase `[a-z0-9-]`: accents dropped, every other run of
/// characters becomes one `-`, no leading or trailing `-`.
/// `listes-électorales` → `listes-electorales`, `Laboé-SI` → `laboe-si`.
pub fn plier_identifiant(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut tiret = false;
    for c in sans_accents(s).chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            if tiret && !out.is_empty() {
                out.push('-');
            }
            tiret = false;
            out.push(c);
        } else {
            tiret = true;
        }
    }
    out
}

/// Removes diacritics (NFD, combining marks dropped) and expands the French
/// ligatures œ/æ, keeping case: `Géoplateforme` → `Geoplateforme`.
pub fn sans_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // ASCII has no accent: only the other characters are decomposed.
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        // The accented letters of French (Latin-1) without decomposing.
        if let Some(b) = base_latin1(c) {
            out.push(b);
            continue;
        }
        for d in c.nfd() {
            match d {
                '\u{300}'..='\u{36f}' => {}
                'œ' => out.push_str("oe"),
                'Œ' => out.push_str("OE"),
                'æ' => out.push_str("ae"),
                'Æ' => out.push_str("AE"),
                _ => out.push(d),
            }
        }
    }
    out
}

/// Lowercase, accent-free, apostrophes and dashes unified, whitespace
/// collapsed: the form used to compare names (`L’Institut` ≈ `l'institut`).
pub fn forme_comparable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut espace = false;
    for c in sans_accents(s).chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' => '\'',
            '\u{2010}'..='\u{2015}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            espace = !out.is_empty();
            continue;
        }
        if espace {
            out.push(' ');
            espace = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// A front matter string as a reader of the page sees it: Jekyll writes
/// `title` and `description` into the HTML as they are, so the browser
/// decodes their character references ("publique&nbsp;: deux projets" →
/// "publique\u{a0}: deux projets") and leaves a bare `&` as it is ("13 & 14
/// juin"). Read as the text of a `<title>` element (RCDATA): references are
/// decoded, tags are not parsed; with no start tag to close, `</title>`
/// itself stays text.
pub fn references_decodees(s: &str) -> std::borrow::Cow<'_, str> {
    use html5ever::tokenizer::states::{RawKind, State};
    use html5ever::tokenizer::{BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    struct Texte(std::cell::RefCell<String>);
    impl TokenSink for Texte {
        type Handle = ();
        fn process_token(&self, token: Token, _ligne: u64) -> TokenSinkResult<()> {
            match token {
                Token::CharacterTokens(t) => self.0.borrow_mut().push_str(&t),
                Token::NullCharacterToken => self.0.borrow_mut().push('\u{fffd}'),
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let opts = TokenizerOpts { initial_state: Some(State::RawData(RawKind::Rcdata)), ..Default::default() };
    let tok = Tokenizer::new(Texte(std::cell::RefCell::new(String::with_capacity(s.len()))), opts);
    let file = BufferQueue::default();
    file.push_back(s.into());
    let _ = tok.feed(&file);
    tok.end();
    std::borrow::Cow::Owned(tok.sink.0.take())
}

static DEUX_ESPACES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));

/// Collapses runs of ASCII whitespace (newlines, indentation from the HTML
/// source) into one space and trims. No-break spaces (U+00A0, U+202F) are
/// kept: they are French typography ("700 000", "projet ?").
pub fn normaliser_espaces(s: &str) -> String {
    // Most text is already clean: checked by blocks (vectorised), then copied.
    let separateur = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x0c);
    let propre = !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.as_bytes().chunks(32).any(|bloc| bloc.iter().fold(false, |vu, b| vu | separateur(b)))
        && DEUX_ESPACES.find(s.as_bytes()).is_none();
    if propre {
        return s.to_string();
    }
    normaliser_espaces_lent(s)
}

fn normaliser_espaces_lent(s: &str) -> String {
    // The separators are ASCII: the words are cut on bytes (a cut at an
    // ASCII byte is a character boundary) and copied whole.
    let octets = s.as_bytes();
    let espace = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < octets.len() {
        while i < octets.len() && espace(octets[i]) {
            i += 1;
        }
        let debut = i;
        while i < octets.len() && !espace(octets[i]) {
            i += 1;
        }
        if i > debut {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s[debut..i]);
        }
    }
    out
}

/// Splits a paragraph into sentences. A sentence ends at `.`, `!`, `?` or
/// `…` followed by whitespace and an uppercase letter, a digit or an opening
/// quote, or at the end of the text. Abbreviations such as "etc." or "M."
/// before a lowercase word do not end a sentence (the uppercase test).
/// The sentences are trimmed; surrounding quotes are left as written.
///
/// A "sentence" longer than [`PHRASE_MAX`] bytes (a list glued together, a
/// text without full stops) is read in pieces of at most that many bytes,
/// cut at a space: see [`phrases_bornees`].
pub fn phrases(texte: &str) -> Vec<&str> {
    phrases_bornees(texte).0
}

/// The longest sentence, in bytes, read as one. The extractors look at
/// every pair of cue and name in a sentence, and every fact found in it
/// carries the sentence as its evidence: without a bound, a page of a few
/// hundred kilobytes without a full stop took minutes and gigabytes. The
/// longest sentence of the numerique.gouv.fr pages has 543 bytes.
pub const PHRASE_MAX: usize = 2_000;

/// [`phrases`], with the sentences longer than [`PHRASE_MAX`] that were cut
/// into pieces (as they were before the cut).
pub fn phrases_bornees(texte: &str) -> (Vec<&str>, Vec<&str>) {
    // Without '…' in the text, the next end is found by SIMD search.
    static CHERCHE_POINTS: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(POINTS.as_bytes()));
    let sans_points = CHERCHE_POINTS.find(texte.as_bytes()).is_none();
    let phrases = decouper_phrases(texte, sans_points);
    if phrases.iter().all(|p| p.len() <= PHRASE_MAX) {
        return (phrases, Vec::new());
    }
    let mut bornees = Vec::with_capacity(phrases.len() + texte.len() / PHRASE_MAX);
    let mut coupees = Vec::new();
    for p in phrases {
        if p.len() <= PHRASE_MAX {
            bornees.push(p);
        } else {
            coupees.push(p);
            couper(p, &mut bornees);
        }
    }
    (bornees, coupees)
}

/// Cuts a long sentence into pieces of at most [`PHRASE_MAX`] bytes, each at
/// the best whitespace that fits (see [`point_de_coupe`]; in a run without
/// any, at the last character that fits); pieces are trimmed.
fn couper<'a>(mut p: &'a str, out: &mut Vec<&'a str>) {
    while p.len() > PHRASE_MAX {
        let mut fin = PHRASE_MAX;
        while !p.is_char_boundary(fin) {
            fin -= 1;
        }
        let coupe = point_de_coupe(p, fin);
        let (morceau, reste) = p.split_at(coupe);
        let morceau = morceau.trim();
        if !morceau.is_empty() {
            out.push(morceau);
        }
        p = reste.trim_start();
    }
    let p = p.trim();
    if !p.is_empty() {
        out.push(p);
    }
}

/// Where to cut `p` within its first `fin` bytes: the last space after a
/// comma, semicolon or colon in the second half; else the last ASCII
/// whitespace, else the last whitespace, that does not join two digits
/// ("1 500 000" written with spaces or no-break spaces: a cut there would
/// turn one figure into two false ones); else the last whitespace; else
/// `fin` itself.
fn point_de_coupe(p: &str, fin: usize) -> usize {
    let mut choix = [None::<usize>; 4];
    let mut avant: Option<char> = None;
    for (i, c) in p[..fin].char_indices() {
        if i > 0 && c.is_whitespace() {
            let apres = p[i + c.len_utf8()..].chars().next();
            let entre_chiffres = avant.is_some_and(|a| a.is_ascii_digit()) && apres.is_some_and(|n| n.is_ascii_digit());
            choix[3] = Some(i);
            if !entre_chiffres {
                choix[2] = Some(i);
                if c.is_ascii() {
                    choix[1] = Some(i);
                    if 2 * i >= fin && avant.is_some_and(|a| matches!(a, ',' | ';' | ':')) {
                        choix[0] = Some(i);
                    }
                }
            }
        }
        avant = Some(c);
    }
    choix.into_iter().flatten().next().unwrap_or(fin)
}

const POINTS: &str = "…";

/// [`phrases`]; `saut` (only for a text without '…') jumps from one '.',
/// '!' or '?' to the next instead of reading every byte.
fn decouper_phrases(texte: &str, saut: bool) -> Vec<&str> {
    let octets = texte.as_bytes();
    let mut out = Vec::new();
    let mut debut = 0;
    let mut i = 0;
    while i < octets.len() {
        if saut {
            match memchr::memchr3(b'.', b'!', b'?', &octets[i..]) {
                Some(k) => i += k,
                None => break,
            }
        }
        // Bytes, not characters: the sentence ends are ASCII or '…', and the
        // other bytes of a UTF-8 character never look like them.
        let apres = match octets[i] {
            b'.' | b'!' | b'?' => i + 1,
            0xE2 if octets[i..].starts_with(POINTS.as_bytes()) => i + POINTS.len(),
            _ => {
                i += 1;
                continue;
            }
        };
        // Absorb the run of closing punctuation and quotes.
        let mut j = apres;
        for c in texte[j..].chars() {
            if !matches!(c, '.' | '!' | '?' | '…' | '"' | '»' | '”' | ')') {
                break;
            }
            j += c.len_utf8();
        }
        let mut k = j;
        let mut suivant = None;
        for c in texte[j..].chars() {
            if !c.is_whitespace() {
                suivant = Some(c);
                break;
            }
            k += c.len_utf8();
        }
        let blanc = k > j;
        let suivant_majuscule =
            suivant.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '«' | '“' | '[' | '('));
        if suivant.is_some() && j == apres && octets[i] == b'.' && abreviation(&texte[debut..i]) {
            i = apres;
            continue;
        }
        if suivant.is_none() || (blanc && suivant_majuscule) {
            let s = texte[debut..j].trim();
            if !s.is_empty() {
                out.push(s);
            }
            debut = k;
            i = k;
            continue;
        }
        i = apres;
    }
    let reste = texte[debut.min(texte.len())..].trim();
    if !reste.is_empty() {
        out.push(reste);
    }
    out
}

/// Abbreviations whose full stop does not end a sentence: "M. Dupont",
/// "env. 300 agents", "cf. Annexe".
const ABREVIATIONS: &[&str] =
    &["M", "MM", "Mme", "Mmes", "Mlle", "Dr", "Pr", "env", "Env", "cf", "Cf", "p", "pp", "ex", "Ex"];

/// Whether `avant` (the text up to a full stop) ends with an abbreviation.
/// A title ("M.", "Mme") only after a lower-case word, the sentence's first
/// word or nothing: "selon M. Dupont", but "3 M." and "piloté par Claire
/// M." end their sentence.
fn abreviation(avant: &str) -> bool {
    let mot = avant.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let precede = &avant[..avant.len() - mot.len()];
    // A word of its own, not the end of "1.M" or "x-p".
    let seul = precede.chars().next_back().is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '«' | '"'));
    let titre = matches!(mot, "M" | "MM" | "Mme" | "Mmes" | "Mlle" | "Dr" | "Pr");
    let mot_avant = precede.trim_end().rsplit(char::is_whitespace).next().unwrap_or("");
    ABREVIATIONS.contains(&mot)
        && seul
        && (!titre
            || mot_avant.is_empty()
            || mot_avant.chars().next().is_some_and(char::is_lowercase)
            // The sentence's first word: "Selon M. Dupont".
            || precede.split_whitespace().count() == 1)
}

/// The unaccented ASCII letter of a Latin-1 accented letter (`é` → `e`,
/// `Ç` → `C`), as NFD followed by dropping the combining marks gives it;
/// `None` for every other character.
/// `c.is_alphabetic()`, answered without the Unicode tables for Latin-1
/// (the accented letters of French are looked up on every word).
pub(crate) fn est_alphabetique(c: char) -> bool {
    match c as u32 {
        0..=0x7f => c.is_ascii_alphabetic(),
        0xaa | 0xb5 | 0xba | 0xc0..=0xd6 | 0xd8..=0xf6 | 0xf8..=0xff => true,
        0x80..=0xff => false,
        // General punctuation (’, –, …, narrow no-break space): no letter.
        0x2000..=0x206f => false,
        _ => c.is_alphabetic(),
    }
}

pub(crate) fn base_latin1(c: char) -> Option<char> {
    const BASES: &[u8; 64] = b"AAAAAA\0CEEEEIIII\0NOOOOO\0\0UUUUY\0\0aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y";
    let i = (c as u32).checked_sub(0xC0)?;
    BASES.get(i as usize).filter(|&&b| b != 0).map(|&b| b as char)
}

/// Whether `b` is an ASCII word byte (`(?-u:\w)`: a letter, a digit or `_`).
pub fn est_mot_ascii(b: u8) -> bool {
    (b | 0x20).wrapping_sub(b'a') < 26 || b.wrapping_sub(b'0') < 10 || b == b'_'
}

/// Bit `j` set where `o[debut + j]` is an ASCII word byte, for the 64 bytes
/// from `debut` (none past the end).
fn masque_mots(o: &[u8], debut: usize) -> u64 {
    if let Some(bloc) = o.get(debut..debut + 64) {
        return masque_bloc(bloc.try_into().expect("64 bytes"));
    }
    // The last, partial block: padded with non-word bytes.
    let mut bloc = [0u8; 64];
    let reste = &o[debut..];
    bloc[..reste.len()].copy_from_slice(reste);
    masque_bloc(&bloc)
}

/// The end of the run, from `i`, of ASCII bytes other than `\t`, `\n`,
/// form feed, `\r` and '`' (the bytes [`plier`] copies as they are):
/// sixteen bytes per compare with SSE2.
fn fin_ascii_simple(o: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while i + 16 <= o.len() {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86-64; the load reads the 16 bytes at
        // `i`, inside `o` (unaligned load).
        let m = unsafe {
            let v = _mm_loadu_si128(o.as_ptr().add(i).cast());
            let egal = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            let special = _mm_or_si128(
                _mm_or_si128(egal(b'\t'), egal(b'\n')),
                _mm_or_si128(_mm_or_si128(egal(0x0c), egal(b'\r')), egal(b'`')),
            );
            // The high bit: a byte of a non-ASCII character, or a special one.
            _mm_movemask_epi8(_mm_or_si128(v, special)) as u32
        };
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < o.len() && o[i] < 0x80 && !matches!(o[i], b'\t' | b'\n' | 0x0c | b'\r' | b'`') {
        i += 1;
    }
    i
}

/// [`masque_mots`] of one block: SSE2 (always there on x86-64), sixteen
/// bytes per compare.
#[cfg(target_arch = "x86_64")]
fn masque_bloc(bloc: &[u8; 64]) -> u64 {
    use std::arch::x86_64::*;
    let mut m = 0u64;
    for k in 0..4 {
        // SAFETY: SSE2 is part of x86-64; the load reads 16 bytes of `bloc`
        // at offset 16k < 64 (unaligned load).
        let bits = unsafe {
            let v = _mm_loadu_si128(bloc.as_ptr().add(16 * k).cast());
            let lettre = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8(b'a' as i8));
            let lettre = _mm_cmpeq_epi8(_mm_min_epu8(lettre, _mm_set1_epi8(25)), lettre);
            let chiffre = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
            let chiffre = _mm_cmpeq_epi8(_mm_min_epu8(chiffre, _mm_set1_epi8(9)), chiffre);
            let souligne = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'_' as i8));
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(lettre, chiffre), souligne)) as u16
        };
        m |= u64::from(bits) << (16 * k);
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
fn masque_bloc(bloc: &[u8; 64]) -> u64 {
    bloc.iter().enumerate().fold(0, |m, (j, &b)| m | u64::from(est_mot_ascii(b)) << j)
}

/// Calls `f` on the byte range of each ASCII word of `o` (maximal runs of
/// [`est_mot_ascii`] bytes), in order, until it returns true; says whether
/// it did. The extractors' filters run it on every folded sentence: it
/// classifies 64 bytes at a time instead of branching on each.
pub fn chercher_mots(o: &[u8], mut f: impl FnMut(usize, usize) -> bool) -> bool {
    let mut i = 0;
    while i < o.len() {
        let mut m = masque_mots(o, i);
        loop {
            if m == 0 {
                i += 64;
                break;
            }
            let s = m.trailing_zeros() as usize;
            let long = (!(m >> s)).trailing_zeros() as usize;
            if s + long >= 64 {
                if s > 0 {
                    // The word may go on past this window: look again from its start.
                    i += s;
                    break;
                }
                let mut fin = i + 64;
                while fin < o.len() && est_mot_ascii(o[fin]) {
                    fin += 1;
                }
                if f(i, fin) {
                    return true;
                }
                i = fin;
                break;
            }
            if f(i + s, i + s + long) {
                return true;
            }
            m &= !(((1u64 << long) - 1) << s);
        }
    }
    false
}

/// The sentence with accents removed, ligatures expanded, apostrophes,
/// dashes and spaces unified: `casse()` keeps the case, `bas` is lowercase.
/// Both have the same byte offsets. Most sentences are only ever read in
/// lowercase: the cased form is made on first use.
pub struct Plie<'a> {
    source: &'a str,
    casse: std::cell::OnceCell<String>,
    pub bas: String,
}

impl<'a> Plie<'a> {
    pub fn depuis(s: &'a str) -> Plie<'a> {
        let mut bas = String::with_capacity(s.len());
        plier(s, None, Some(&mut bas));
        Plie { source: s, casse: std::cell::OnceCell::new(), bas }
    }

    /// The folded sentence with its case kept.
    pub fn casse(&self) -> &str {
        self.casse.get_or_init(|| {
            let mut casse = String::with_capacity(self.source.len());
            plier(self.source, Some(&mut casse), None);
            casse
        })
    }
}

/// Folds `s` into `casse` (case kept) and `bas` (lowercase), either or both.
fn plier(s: &str, mut casse: Option<&mut String>, mut bas: Option<&mut String>) {
    let octets = s.as_bytes();
    let mut i = 0;
    while i < octets.len() {
        // A run of plain ASCII is copied at once, lowercased in `bas`.
        let debut = i;
        i = fin_ascii_simple(octets, i);
        if i > debut {
            if let Some(casse) = casse.as_deref_mut() {
                casse.push_str(&s[debut..i]);
            }
            if let Some(bas) = bas.as_deref_mut() {
                let l = bas.len();
                bas.push_str(&s[debut..i]);
                bas[l..].make_ascii_lowercase();
            }
            continue;
        }
        let Some(c) = s[i..].chars().next() else { break };
        i += c.len_utf8();
        let mut pousser = |p: char| {
            if let Some(casse) = casse.as_deref_mut() {
                casse.push(p);
            }
            if let Some(bas) = bas.as_deref_mut() {
                if p.is_ascii() {
                    bas.push(p.to_ascii_lowercase());
                } else {
                    let mut l = p.to_lowercase();
                    bas.push(match (l.next(), l.next()) {
                        (Some(x), None) if x.len_utf8() == p.len_utf8() => x,
                        _ => p,
                    });
                }
            }
        };
        // ASCII whitespace becomes a space, '`' an apostrophe.
        if c.is_ascii() {
            pousser(if c == '`' { '\'' } else { ' ' });
            continue;
        }
        // The accented letters of French (Latin-1) without decomposing.
        if let Some(b) = base_latin1(c) {
            pousser(b);
            continue;
        }
        match c {
            '\u{2019}' | '\u{2018}' | '\u{2bc}' | '\u{b4}' | '\u{2032}' => pousser('\''),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => pousser('-'),
            'œ' => "oe".chars().for_each(pousser),
            'Œ' => "OE".chars().for_each(pousser),
            'æ' => "ae".chars().for_each(pousser),
            'Æ' => "AE".chars().for_each(pousser),
            c if c.is_whitespace() => pousser(' '),
            c => c.nfd().filter(|d| !('\u{300}'..='\u{36f}').contains(d)).for_each(pousser),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The runs [`plier`] copies end where the byte loop ends them.
        #[test]
        fn runs_ascii_comme_octet_par_octet(
            o in proptest::collection::vec(proptest::sample::select(vec![b'a', b' ', b'\t', b'\n', 0x0c, b'\r', b'`', 0x7f, 0x80, 0xc3, 0xff]), 0..80),
            i in 0usize..80,
        ) {
            let i = i.min(o.len());
            let mut j = i;
            while j < o.len() && o[j] < 0x80 && !matches!(o[j], b'\t' | b'\n' | 0x0c | b'\r' | b'`') {
                j += 1;
            }
            proptest::prop_assert_eq!(fin_ascii_simple(&o, i), j);
        }
    }

    #[test]
    fn mots_comme_boucle_octet_par_octet() {
        fn reference(o: &[u8]) -> Vec<(usize, usize)> {
            let mut v = Vec::new();
            let mut i = 0;
            while i < o.len() {
                while i < o.len() && !(o[i].is_ascii_alphanumeric() || o[i] == b'_') {
                    i += 1;
                }
                let d = i;
                while i < o.len() && (o[i].is_ascii_alphanumeric() || o[i] == b'_') {
                    i += 1;
                }
                if i > d {
                    v.push((d, i));
                }
            }
            v
        }
        let mut textes: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"a".to_vec(),
            b" ".to_vec(),
            "qualifiée SecNumCloud par l’ANSSI, hébergée (HDS) : 250 millions".as_bytes().to_vec(),
        ];
        // Words and gaps of every length around the 64-byte windows.
        let mut graine = 7u32;
        for _ in 0..2000 {
            let mut t = Vec::new();
            while t.len() < 300 {
                graine = graine.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let long = (graine >> 16) as usize % 140;
                let mot = (graine >> 20) & 1 == 0;
                for k in 0..long {
                    t.push(if mot { b"az_Z09"[k % 6] } else { b" -\xc3@[`{/:"[k % 9] });
                }
            }
            textes.push(t);
        }
        for b in 0u8..=255 {
            assert_eq!(est_mot_ascii(b), b.is_ascii_alphanumeric() || b == b'_', "{b}");
            textes.push(vec![b, b'x', b]);
        }
        for t in &textes {
            let mut vus = Vec::new();
            assert!(!chercher_mots(t, |d, f| {
                vus.push((d, f));
                false
            }));
            assert_eq!(vus, reference(t), "{:?}", String::from_utf8_lossy(t));
            if let Some(&premier) = reference(t).first() {
                let mut n = 0;
                assert!(chercher_mots(t, |d, f| {
                    n += 1;
                    (d, f) == premier
                }));
                assert_eq!(n, 1);
            }
        }
    }

    #[test]
    fn alphabetique_comme_unicode() {
        for c in (0..0x400u32).chain(0x1f00..0x2100).filter_map(char::from_u32) {
            assert_eq!(est_alphabetique(c), c.is_alphabetic(), "{c:?}");
        }
    }

    /// A sentence over the bound is cut at spaces into pieces that fit,
    /// which together hold all its words; a run without spaces is cut
    /// between characters.
    #[test]
    fn longues_phrases_coupees_aux_espaces() {
        let mots: Vec<String> = (0..1000).map(|i| format!("mot{i}é")).collect();
        let texte = format!("Début court. Suite {} fin", mots.join(" "));
        let (morceaux, coupees) = phrases_bornees(&texte);
        assert_eq!(morceaux[0], "Début court.");
        assert_eq!(coupees.len(), 1);
        assert!(coupees[0].starts_with("Suite mot0é ") && coupees[0].ends_with(" fin"));
        assert!(morceaux.len() > 4);
        assert!(morceaux.iter().all(|m| m.len() <= PHRASE_MAX && !m.is_empty()));
        // Each piece but the last ends within a word of the bound.
        assert!(morceaux[1..morceaux.len() - 1].iter().all(|m| m.len() > PHRASE_MAX - 10));
        assert_eq!(morceaux[1..].join(" "), coupees[0]);
        // Four-byte characters after one byte: the bound falls inside one.
        let sans_espace = format!("a{}", "𝄞".repeat(PHRASE_MAX));
        let (morceaux, coupees) = phrases_bornees(&sans_espace);
        assert_eq!(coupees.len(), 1);
        assert_eq!(morceaux.concat(), sans_espace);
        assert!(morceaux.iter().all(|m| m.len() <= PHRASE_MAX));
        assert!(morceaux[..morceaux.len() - 1].iter().all(|m| m.len() > PHRASE_MAX - 4));
    }

    /// A cut never falls inside a figure written with spaces or no-break
    /// spaces, and prefers the space after a comma.
    #[test]
    fn longues_phrases_coupees_hors_des_nombres() {
        for sep in [" ", "\u{a0}", "\u{202f}"] {
            let chiffre = format!("1{sep}500{sep}000");
            for decalage in 0..40 {
                let texte =
                    format!("{} compte {chiffre} utilisateurs {}", "x".repeat(1960 + decalage), "y ".repeat(400));
                let (morceaux, coupees) = phrases_bornees(&texte);
                assert_eq!(coupees.len(), 1);
                assert!(morceaux.iter().all(|m| m.len() <= PHRASE_MAX));
                assert!(morceaux.iter().any(|m| m.contains(&chiffre)), "{sep:?} {decalage}: {morceaux:?}");
            }
        }
        let virgules = format!("{} mot, suite {}", "mot ".repeat(400), "fin ".repeat(400));
        let (morceaux, _) = phrases_bornees(&virgules);
        assert!(morceaux[0].ends_with("mot,"), "{:?}", &morceaux[0][morceaux[0].len() - 20..]);
    }

    proptest::proptest! {
        /// The Latin-1 shortcut of `sans_accents` gives what NFD gives.
        #[test]
        fn sans_accents_comme_nfd(t in "[a-zA-Z \u{c0}-\u{ff}\u{100}-\u{17f}œŒæÆ’ﬁ]{0,30}") {
            let reference: String = t
                .chars()
                .flat_map(|c| c.nfd())
                .filter(|d| !('\u{300}'..='\u{36f}').contains(d))
                .flat_map(|d| match d {
                    'œ' => "oe".chars().collect::<Vec<_>>(),
                    'Œ' => "OE".chars().collect(),
                    'æ' => "ae".chars().collect(),
                    'Æ' => "AE".chars().collect(),
                    d => vec![d],
                })
                .collect();
            proptest::prop_assert_eq!(sans_accents(&t), reference);
        }

        #[test]
        fn phrases_par_sauts_comme_octet_par_octet(t in "[ aA1.!?\"»”)«é\n]{0,50}", u in "(?s).{0,50}") {
            for x in [&t, &u] {
                if !x.contains(POINTS) {
                    proptest::prop_assert_eq!(decouper_phrases(x, true), decouper_phrases(x, false));
                }
            }
        }

        #[test]
        fn espaces_comme_le_cas_general(t in "[ a\t\n\r\u{c}\u{a0}é.]{0,40}", u in "(?s).{0,40}") {
            for x in [&t, &u] {
                proptest::prop_assert_eq!(normaliser_espaces(x), normaliser_espaces_lent(x));
            }
        }
    }

    /// The definition `Plie::depuis` implements, character by character.
    fn plie_reference(s: &str) -> (String, String) {
        let (mut casse, mut bas) = (String::new(), String::new());
        for c in s.chars() {
            let morceau: String = match c {
                '\u{2019}' | '\u{2018}' | '\u{2bc}' | '`' | '\u{b4}' | '\u{2032}' => "'".into(),
                '\u{2010}'..='\u{2015}' | '\u{2212}' => "-".into(),
                'œ' => "oe".into(),
                'Œ' => "OE".into(),
                'æ' => "ae".into(),
                'Æ' => "AE".into(),
                '\u{b}' => "\u{b}".into(),
                c if c.is_whitespace() => " ".into(),
                c => c.nfd().filter(|d| !('\u{300}'..='\u{36f}').contains(d)).collect(),
            };
            for p in morceau.chars() {
                casse.push(p);
                let mut l = p.to_lowercase();
                bas.push(match (l.next(), l.next()) {
                    (Some(x), None) if x.len_utf8() == p.len_utf8() => x,
                    _ => p,
                });
            }
        }
        (casse, bas)
    }

    proptest::proptest! {
        #[test]
        fn plie_comme_la_reference(s in "(?s).{0,40}", t in "[ -~\u{a0}-\u{17f}\u{2000}-\u{2045}\t\n\u{b}œŒæÆπ]{0,40}") {
            for x in [&s, &t] {
                let p = Plie::depuis(x);
                let (casse, bas) = plie_reference(x);
                proptest::prop_assert_eq!(p.casse(), &casse);
                proptest::prop_assert_eq!(&p.bas, &bas);
                proptest::prop_assert_eq!(p.casse().len(), p.bas.len());
            }
        }
    }

    #[test]
    fn latin1_comme_nfd() {
        for c in '\u{a0}'..='\u{2ff}' {
            let nfd: String = c.nfd().filter(|d| !('\u{300}'..='\u{36f}').contains(d)).collect();
            match base_latin1(c) {
                Some(b) => assert_eq!(nfd, b.to_string(), "{c}"),
                None => assert!(!(nfd.len() == 1 && nfd.is_ascii() && ('\u{c0}'..='\u{ff}').contains(&c)), "{c}"),
            }
        }
    }

    #[test]
    fn identifiants_plies() {
        assert_eq!(plier_identifiant("listes-électorales"), "listes-electorales");
        assert_eq!(plier_identifiant("Laboé-SI"), "laboe-si");
        assert_eq!(plier_identifiant("Sésame-Vitale"), "sesame-vitale");
        assert_eq!(plier_identifiant("  Cœur  de  cible! "), "coeur-de-cible");
        assert_eq!(plier_identifiant("2024-07-03-cloud-temoignages"), "2024-07-03-cloud-temoignages");
    }

    #[test]
    fn comparable() {
        assert_eq!(forme_comparable("L’Institut  Nationale"), "l'institut nationale");
    }

    #[test]
    fn references_decodees_comme_un_navigateur() {
        let cas = [
            (
                "Fonds pour la transformation de l'action publique&nbsp;: deux projets",
                "Fonds pour la transformation de l'action publique\u{a0}: deux projets",
            ),
            ("les 13 & 14 juin", "les 13 & 14 juin"),
            ("R&amp;D, &eacute;t&#233; &#x2019;", "R&D, été ’"),
            ("a < b <b>gras</b> &unknown;", "a < b <b>gras</b> &unknown;"),
            ("&amp </title> x", "& </title> x"),
            ("sans esperluette", "sans esperluette"),
        ];
        for (brut, attendu) in cas {
            assert_eq!(references_decodees(brut), attendu, "{brut}");
        }
    }

    #[test]
    fn espaces_gardent_les_insecables() {
        assert_eq!(normaliser_espaces("  a\n   b\u{202f}000 ?\t"), "a b\u{202f}000 ?");
    }

    #[test]
    fn phrases_decoupees() {
        let p = phrases(
            "Il accueille plus de 30 millions de visiteurs par an. Cela coûte 3 M€ etc. et plus ! \"Oui.\" Fin",
        );
        assert_eq!(
            p,
            vec![
                "Il accueille plus de 30 millions de visiteurs par an.",
                "Cela coûte 3 M€ etc. et plus !",
                "\"Oui.\"",
                "Fin"
            ]
        );
        assert!(phrases("   ").is_empty());
        assert_eq!(
            phrases("Selon M. Dupont, env. 300 agents l'utilisent. Voir aussi (cf. Annexe). Le projet A. Fin"),
            vec!["Selon M. Dupont, env. 300 agents l'utilisent.", "Voir aussi (cf. Annexe).", "Le projet A.", "Fin"]
        );
        assert_eq!(
            phrases("Il protège contre le vol. Il coûte 3 M. Il est piloté par Claire M. Il est l'état de l'art. Fin"),
            vec![
                "Il protège contre le vol.",
                "Il coûte 3 M.",
                "Il est piloté par Claire M.",
                "Il est l'état de l'art.",
                "Fin"
            ]
        );
    }
}
