// TEMPORARY STUB
#[derive(Debug, Clone, PartialEq)]
pub struct Quantite { pub libelle: String, pub valeur: f64, pub valeur_max: Option<f64>, pub unite: String, pub periode: Option<&'static str>, pub qualificatif: &'static str, pub texte: String }
pub fn extraire(_phrase: &str) -> Vec<Quantite> { Vec::new() }
pub fn parse_nombre(_s: &str) -> Option<f64> { None }
