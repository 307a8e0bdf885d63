//! The French quantity parser on arbitrary sentences.
#![no_main]

use libfuzzer_sys::fuzz_target;
use temoignages::normalise::quantites::{extraire, parse_nombre, PERIODES, QUALIFICATIFS};

fuzz_target!(|data: &[u8]| {
    let Ok(phrase) = std::str::from_utf8(data) else { return };
    if let Some(v) = parse_nombre(phrase) {
        assert!(v.is_finite() && v >= 0.0, "parse_nombre({phrase:?}) = {v}");
    }
    for q in extraire(phrase) {
        // The documented contract of `Quantite`.
        assert!(q.valeur.is_finite(), "{q:?}");
        assert!(QUALIFICATIFS.contains(&q.qualificatif), "{q:?}");
        assert_eq!(q.valeur_max.is_some(), q.qualificatif == "ordre_de_grandeur", "{q:?}");
        if let Some(max) = q.valeur_max {
            assert!(max.is_finite() && max >= q.valeur, "{q:?}");
        }
        if let Some(p) = q.periode {
            assert!(PERIODES.contains(&p), "{q:?}");
        }
        assert!(!q.texte.is_empty(), "{q:?}");
    }
});
