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
    for c in s.nfd() {
        match c {
            '\u{300}'..='\u{36f}' => {}
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("AE"),
            _ => out.push(c),
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
        out.extend(c.to_lowercase());
    }
    out
}

/// Collapses runs of ASCII whitespace (newlines, indentation from the HTML
/// source) into one space and trims. No-break spaces (U+00A0, U+202F) are
/// kept: they are French typography ("700 000", "projet ?").
pub fn normaliser_espaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut espace = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            espace = true;
        } else {
            if espace && !out.is_empty() {
                out.push(' ');
            }
            espace = false;
            out.push(c);
        }
    }
    out
}

/// Splits a paragraph into sentences. A sentence ends at `.`, `!`, `?` or
/// `…` followed by whitespace and an uppercase letter, a digit or an opening
/// quote, or at the end of the text. Abbreviations such as "etc." or "M."
/// before a lowercase word do not end a sentence (the uppercase test).
/// The sentences are trimmed; surrounding quotes are left as written.
pub fn phrases(texte: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut debut = 0;
    let chars: Vec<(usize, char)> = texte.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            // Absorb the run of closing punctuation and quotes.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '…' | '"' | '»' | '”' | ')') {
                j += 1;
            }
            let mut k = j;
            let mut blanc = false;
            while k < chars.len() && chars[k].1.is_whitespace() {
                blanc = true;
                k += 1;
            }
            let fin_texte = k >= chars.len();
            let suivant_majuscule = !fin_texte && {
                let n = chars[k].1;
                n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '«' | '“' | '[' | '(')
            };
            if fin_texte || (blanc && suivant_majuscule) {
                let fin = if j < chars.len() { chars[j].0 } else { texte.len() };
                let s = texte[debut..fin].trim();
                if !s.is_empty() {
                    out.push(s);
                }
                debut = if k < chars.len() { chars[k].0 } else { texte.len() };
                i = k;
                continue;
            }
            let _ = pos;
        }
        i += 1;
    }
    let reste = texte[debut.min(texte.len())..].trim();
    if !reste.is_empty() {
        out.push(reste);
    }
    out
}

/// The sentence with accents removed, ligatures expanded, apostrophes,
/// dashes and spaces unified: `casse` keeps the case, `bas` is lowercase.
/// Both have the same byte offsets.
pub struct Plie {
    pub casse: String,
    pub bas: String,
}

impl Plie {
    pub fn depuis(s: &str) -> Plie {
        let mut casse = String::with_capacity(s.len());
        let mut bas = String::with_capacity(s.len());
        let mut morceau = String::new();
        for c in s.chars() {
            // ASCII fast path: the same bytes, lowercased in `bas`.
            if c.is_ascii() && !c.is_ascii_whitespace() && c != '`' {
                casse.push(c);
                bas.push(c.to_ascii_lowercase());
                continue;
            }
            morceau.clear();
            match c {
                '\u{2019}' | '\u{2018}' | '\u{2bc}' | '`' | '\u{b4}' | '\u{2032}' => morceau.push('\''),
                '\u{2010}'..='\u{2015}' | '\u{2212}' => morceau.push('-'),
                'œ' => morceau.push_str("oe"),
                'Œ' => morceau.push_str("OE"),
                'æ' => morceau.push_str("ae"),
                'Æ' => morceau.push_str("AE"),
                c if c.is_whitespace() => morceau.push(' '),
                c => morceau.extend(c.nfd().filter(|d| !('\u{300}'..='\u{36f}').contains(d))),
            }
            for p in morceau.chars() {
                casse.push(p);
                let mut l = p.to_lowercase();
                let b = match (l.next(), l.next()) {
                    (Some(x), None) if x.len_utf8() == p.len_utf8() => x,
                    _ => p,
                };
                bas.push(b);
            }
        }
        Plie { casse, bas }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
