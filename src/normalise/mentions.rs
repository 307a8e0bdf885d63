// TEMPORARY STUB
#[derive(Debug, Clone, PartialEq)]
pub struct MentionTrouvee { pub categorie: String, pub nom: String }
pub struct Referentiel;
impl Referentiel {
    pub fn depuis_csv(_t: &str) -> Result<Referentiel, String> { Ok(Referentiel) }
    pub fn trouver(&self, _p: &str) -> Vec<MentionTrouvee> { Vec::new() }
}
