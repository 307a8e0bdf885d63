// TEMPORARY STUB
#[derive(Debug, Clone, PartialEq)]
pub struct QualificationTrouvee { pub qualification: &'static str, pub niveau: Option<String>, pub autorite: Option<&'static str>, pub statut: &'static str }
pub fn extraire(_phrase: &str) -> Vec<QualificationTrouvee> { Vec::new() }
