//! Property tests of the whole pipeline: for arbitrary bytes and arbitrary
//! markup, extraction never panics and the dataset written is valid.

use proptest::prelude::*;
use std::path::PathBuf;
use temoignages::cmd::build::extraire_page;
use temoignages::export::dossier::ecrire_dossier;
use temoignages::normalise::Referentiels;
use temoignages::read::{Entree, Lu};
use temoignages::validate::valider_dossier;

fn pipeline(nom: &str, octets: Vec<u8>) {
    let refs = Referentiels::embarques();
    let entree = Entree { relatif: nom.to_string(), chemin: PathBuf::from(nom), url: None };
    let id = entree.identifiant();
    let ex = extraire_page(&entree, &Lu { octets, type_contenu: None }, &id, Vec::new(), &refs);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    ecrire_dossier(&out, &[ex]).unwrap();
    let constats = valider_dossier(&out);
    assert!(constats.is_empty(), "{}", constats.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("\n"));
}

/// Markup pieces real pages are made of, to be shuffled into broken pages.
fn morceau() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_string()),
        Just("title: 'T'\ndate: 2024-07-03 13:49:00 +02:00\n".to_string()),
        Just("<div class=\"accordion-item\">".to_string()),
        Just("<button class=\"accordion-title\" aria-controls=\"é-x\">".to_string()),
        Just("<div class=\"accordion-content\" id=\"x\">".to_string()),
        Just("</div>".to_string()),
        Just("</button>".to_string()),
        Just("<p><strong>Pouvez-vous décrire le projet ?</strong></p>".to_string()),
        Just("<p><i>\"plus de 250 millions de requêtes par jour chez OVHcloud, qualifiée SecNumCloud.\"".to_string()),
        Just("<ul><li>".to_string()),
        Just("<p>Témoignage de la direction interministérielle du numérique</p>".to_string()),
        Just("<a href=\"https://exemple.gouv.fr/\">lien</a>".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<!-- <div class=\"accordion-item\"> -->".to_string()),
        Just("{% include x.html %}".to_string()),
        Just("#### Titre\n\n> citation\n".to_string()),
        Just("[note]".to_string()),
        Just("=SOMME(A1)".to_string()),
        Just("\u{a0}\u{202f}\u{0}".to_string()),
        "[ -~éèàç«»’]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_and_give_a_valid_dataset(octets in proptest::collection::vec(any::<u8>(), 0..2000)) {
        pipeline("page.md", octets);
    }

    #[test]
    fn arbitrary_markup_never_panics_and_gives_a_valid_dataset(
        morceaux in proptest::collection::vec(morceau(), 0..60),
        html in any::<bool>(),
    ) {
        pipeline(if html { "page.html" } else { "2024-01-01-page.md" }, morceaux.concat().into_bytes());
    }
}
