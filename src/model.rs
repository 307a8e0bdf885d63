//! The record types: one struct per table of the dataset, filled by
//! `normalise`, and the generic `Row`/`Value` form the exporters and
//! `validate` work on. A record becomes a row through the column catalogue
//! (`fields`), by column name, so the catalogue alone fixes order and types.

use crate::fields::{self, Kind, Table};
use chrono::NaiveDate;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Texte(String),
    Entier(i64),
    Nombre(f64),
    Booleen(bool),
    Date(NaiveDate),
    Liste(Vec<String>),
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Texte(s)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Texte(s.to_string())
    }
}
impl From<Option<String>> for Value {
    fn from(s: Option<String>) -> Self {
        s.map_or(Value::Null, Value::Texte)
    }
}
impl From<Option<&str>> for Value {
    fn from(s: Option<&str>) -> Self {
        s.map_or(Value::Null, |s| Value::Texte(s.to_string()))
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Entier(n)
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Nombre(n)
    }
}
impl From<Option<f64>> for Value {
    fn from(n: Option<f64>) -> Self {
        n.map_or(Value::Null, Value::Nombre)
    }
}
impl From<Option<bool>> for Value {
    fn from(b: Option<bool>) -> Self {
        b.map_or(Value::Null, Value::Booleen)
    }
}
impl From<Option<NaiveDate>> for Value {
    fn from(d: Option<NaiveDate>) -> Self {
        d.map_or(Value::Null, Value::Date)
    }
}
impl From<Vec<String>> for Value {
    fn from(l: Vec<String>) -> Self {
        Value::Liste(l)
    }
}

/// A row of one table: values in the catalogue's column order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

/// Builds a row by column name; panics on a name or type the catalogue does
/// not have, which the tests catch (a record and the catalogue disagreeing is
/// a programming error, not bad data).
pub struct RowBuilder {
    table: &'static Table,
    values: Vec<Value>,
    /// The column after the last one set: rows are mostly built in column
    /// order, so the name is checked there before searching the table.
    suivante: usize,
}

impl RowBuilder {
    pub fn new(table: &'static Table) -> Self {
        RowBuilder { table, values: vec![Value::Null; table.fields.len()], suivante: 0 }
    }
    pub fn set(mut self, name: &str, value: impl Into<Value>) -> Self {
        let i = match self.table.fields.get(self.suivante) {
            Some(f) if f.name == name => self.suivante,
            _ => self.table.index(name),
        };
        self.suivante = i + 1;
        let value = value.into();
        let kind = self.table.fields[i].kind;
        let ok = matches!(
            (&value, kind),
            (Value::Null, _)
                | (Value::Texte(_), Kind::Texte)
                | (Value::Entier(_), Kind::Entier)
                | (Value::Nombre(_), Kind::Nombre)
                | (Value::Booleen(_), Kind::Booleen)
                | (Value::Date(_), Kind::Date)
                | (Value::Liste(_), Kind::Liste)
        );
        assert!(ok, "{}.{name}: value {value:?} does not fit {kind:?}", self.table.name);
        // An empty string is a missing value: one spelling for "nothing".
        // An empty list stays a list (built with none left null): "named
        // nothing" is an answer, and in Parquet and JSON `[]` keeps
        // `len(…) = 0` and `NOT list_contains(…)` true instead of null.
        let value = match value {
            Value::Texte(s) if s.is_empty() => Value::Null,
            v => v,
        };
        self.values[i] = value;
        self
    }
    pub fn build(mut self) -> Row {
        for (v, f) in self.values.iter_mut().zip(self.table.fields) {
            if f.kind == Kind::Liste && *v == Value::Null {
                *v = Value::Liste(Vec::new());
            }
        }
        Row(self.values)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub identifiant: String,
    pub titre: Option<String>,
    pub date_publication: Option<NaiveDate>,
    pub date_heure_publication: Option<String>,
    pub categories: Vec<String>,
    pub mots_cles: Vec<String>,
    pub chapeau: Option<String>,
    pub publie: Option<bool>,
    pub format_source: &'static str,
    pub fichier_source: String,
    pub empreinte_source: String,
    pub nombre_temoignages: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Temoignage {
    pub identifiant: String,
    pub document: String,
    pub rang: i64,
    pub titre: String,
    pub sigle: Option<String>,
    pub alias: Vec<String>,
    pub organisation: Option<String>,
    pub organisation_sigle: Option<String>,
    pub ministere: Option<String>,
    pub attribution: Option<String>,
    pub description: Option<String>,
    pub fournisseurs_cloud: Vec<String>,
    pub qualifications: Vec<String>,
    pub secnumcloud: Option<String>,
    pub hds: Option<String>,
    pub technologies: Vec<String>,
    pub date_publication: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuestionReponse {
    pub temoignage: String,
    pub rang: i64,
    pub question: String,
    pub theme: &'static str,
    pub reponse: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Indicateur {
    pub identifiant: String,
    pub temoignage: String,
    pub rang: i64,
    pub libelle: Option<String>,
    pub valeur: f64,
    pub valeur_max: Option<f64>,
    pub unite: String,
    pub periode: Option<String>,
    pub qualificatif: String,
    pub texte: String,
    pub phrase: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Qualification {
    pub temoignage: String,
    pub rang: i64,
    pub qualification: String,
    pub niveau: Option<String>,
    pub autorite: Option<String>,
    pub statut: String,
    pub preuve: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mention {
    pub temoignage: String,
    pub rang: i64,
    pub categorie: String,
    pub nom: String,
    pub ecarte: bool,
    pub preuve: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lien {
    pub document: String,
    pub rang: i64,
    pub temoignage: Option<String>,
    pub url: String,
    pub texte: Option<String>,
    pub domaine: Option<String>,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severite {
    Info,
    Avertissement,
    Erreur,
}

impl Severite {
    pub fn as_str(self) -> &'static str {
        match self {
            Severite::Info => "info",
            Severite::Avertissement => "avertissement",
            Severite::Erreur => "erreur",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Anomalie {
    pub document: String,
    pub rang: i64,
    pub temoignage: Option<String>,
    pub code: &'static str,
    pub severite: Severite,
    pub message: String,
    pub extrait: Option<String>,
}

/// Rows of a page's table grouped by the testimonial they belong to: their
/// positions, sorted once by testimonial (stably, so one testimonial's rows
/// keep the table's order). Each testimonial then finds its rows by a
/// binary search: a page of T testimonials and R rows costs O(R log R),
/// where a scan of the table per testimonial cost O(T × R).
pub struct ParTemoignage<'a>(Vec<(&'a str, usize)>);

impl<'a> ParTemoignage<'a> {
    /// `cles` gives, in table order, the testimonial of each row (None for
    /// a row outside any testimonial, which no testimonial finds).
    pub fn new(cles: impl Iterator<Item = Option<&'a str>>) -> Self {
        let mut index: Vec<(&str, usize)> = cles.enumerate().filter_map(|(i, t)| Some((t?, i))).collect();
        index.sort_by(|a, b| a.0.cmp(b.0));
        ParTemoignage(index)
    }

    /// The rows of testimonial `id`: (`id`, position), in table order.
    pub fn de(&self, id: &str) -> &[(&'a str, usize)] {
        let debut = self.0.partition_point(|(t, _)| *t < id);
        let fin = debut + self.0[debut..].partition_point(|(t, _)| *t == id);
        &self.0[debut..fin]
    }
}

/// Everything drawn from one source page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    pub document: Document,
    pub temoignages: Vec<Temoignage>,
    pub questions_reponses: Vec<QuestionReponse>,
    pub indicateurs: Vec<Indicateur>,
    pub qualifications: Vec<Qualification>,
    pub mentions: Vec<Mention>,
    pub liens: Vec<Lien>,
    pub anomalies: Vec<Anomalie>,
}

impl Document {
    pub fn row(&self) -> Row {
        RowBuilder::new(&fields::DOCUMENTS)
            .set("identifiant", self.identifiant.as_str())
            .set("titre", self.titre.clone())
            .set("date_publication", self.date_publication)
            .set("date_heure_publication", self.date_heure_publication.clone())
            .set("categories", self.categories.clone())
            .set("mots_cles", self.mots_cles.clone())
            .set("chapeau", self.chapeau.clone())
            .set("publie", self.publie)
            .set("format_source", self.format_source)
            .set("fichier_source", self.fichier_source.as_str())
            .set("empreinte_source", self.empreinte_source.as_str())
            .set("nombre_temoignages", self.nombre_temoignages)
            .build()
    }
}

impl Temoignage {
    pub fn row(&self) -> Row {
        RowBuilder::new(&fields::TEMOIGNAGES)
            .set("identifiant", self.identifiant.as_str())
            .set("document", self.document.as_str())
            .set("rang", self.rang)
            .set("titre", self.titre.as_str())
            .set("sigle", self.sigle.clone())
            .set("alias", self.alias.clone())
            .set("organisation", self.organisation.clone())
            .set("organisation_sigle", self.organisation_sigle.clone())
            .set("ministere", self.ministere.clone())
            .set("attribution", self.attribution.clone())
            .set("description", self.description.clone())
            .set("fournisseurs_cloud", self.fournisseurs_cloud.clone())
            .set("qualifications", self.qualifications.clone())
            .set("secnumcloud", self.secnumcloud.clone())
            .set("hds", self.hds.clone())
            .set("technologies", self.technologies.clone())
            .set("date_publication", self.date_publication)
            .build()
    }
}

impl QuestionReponse {
    pub fn row(&self) -> Row {
        RowBuilder::new(&fields::QUESTIONS_REPONSES)
            .set("temoignage", self.temoignage.as_str())
            .set("rang", self.rang)
            .set("question", self.question.as_str())
            .set("theme", self.theme)
            .set("reponse", self.reponse.clone())
            .build()
    }
}

impl Indicateur {
    pub fn row(&self) -> Row {
        RowBuilder::new(&fields::INDICATEURS)
            .set("identifiant", self.identifiant.as_str())
            .set("temoignage", self.temoignage.as_str())
            .set("rang", self.rang)
            .set("libelle", self.libelle.clone())
            .set("valeur", self.valeur)
            .set("valeur_max", self.valeur_max)
            .set("unite", self.unite.as_str())
            .set("periode", self.periode.clone())
            .set("qualificatif", self.qualificatif.as_str())
            .set("texte", self.texte.as_str())
            .set("phrase", self.phrase.as_str())
            .build()
    }
}

impl Qualification {
    pub fn row(&self) -> Row {
        RowBuilder::new(&fields::QUALIFICATIONS)
            .set("temoignage", self.temoignage.as_str())
            .set("rang", self.rang)
            .set("qualification", self.qualification.as_str())
            .set("niveau", self.niveau.clone())
            .set("autorite", self.autorite.clone())
            .set("statut", self.statut.as_str())
            .set("preuve", self.preuve.as_str())
            .build()
    }
}

impl Mention {
    pub fn row(&self) -> Row {
        RowBuilder::new(&fields::MENTIONS)
            .set("temoignage", self.temoignage.as_str())
            .set("rang", self.rang)
            .set("categorie", self.categorie.as_str())
            .set("nom", self.nom.as_str())
            .set("ecarte", Some(self.ecarte))
            .set("preuve", self.preuve.as_str())
            .build()
    }
}

impl Lien {
    pub fn row(&self) -> Row {
        RowBuilder::new(&fields::LIENS)
            .set("document", self.document.as_str())
            .set("rang", self.rang)
            .set("temoignage", self.temoignage.clone())
            .set("url", self.url.as_str())
            .set("texte", self.texte.clone())
            .set("domaine", self.domaine.clone())
            .build()
    }
}

impl Anomalie {
    pub fn row(&self) -> Row {
        RowBuilder::new(&fields::ANOMALIES)
            .set("document", self.document.as_str())
            .set("rang", self.rang)
            .set("temoignage", self.temoignage.clone())
            .set("code", self.code)
            .set("severite", self.severite.as_str())
            .set("message", self.message.as_str())
            .set("extrait", self.extrait.clone())
            .build()
    }
}

impl Extraction {
    /// The number of rows of every table, in `fields::TABLES` order.
    pub fn nombres_de_lignes(&self) -> [usize; 8] {
        [
            1,
            self.temoignages.len(),
            self.questions_reponses.len(),
            self.indicateurs.len(),
            self.qualifications.len(),
            self.mentions.len(),
            self.liens.len(),
            self.anomalies.len(),
        ]
    }

    /// The rows of every table, in `fields::TABLES` order.
    pub fn rows(&self) -> [Vec<Row>; 8] {
        [
            vec![self.document.row()],
            self.temoignages.iter().map(Temoignage::row).collect(),
            self.questions_reponses.iter().map(QuestionReponse::row).collect(),
            self.indicateurs.iter().map(Indicateur::row).collect(),
            self.qualifications.iter().map(Qualification::row).collect(),
            self.mentions.iter().map(Mention::row).collect(),
            self.liens.iter().map(Lien::row).collect(),
            self.anomalies.iter().map(Anomalie::row).collect(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::ParTemoignage;

    /// Each testimonial finds exactly the rows a scan of the table finds, in
    /// the table's order, whatever the order rows come in.
    #[test]
    fn par_temoignage_comme_un_parcours() {
        let cles = [Some("b"), Some("a"), None, Some("a-2"), Some("b"), Some("ab"), Some("a"), None, Some("b")];
        let index = ParTemoignage::new(cles.iter().copied());
        for id in ["a", "a-2", "ab", "b", "c", ""] {
            let parcours: Vec<usize> = (0..cles.len()).filter(|&i| cles[i] == Some(id)).collect();
            let trouves: Vec<usize> = index
                .de(id)
                .iter()
                .map(|&(t, i)| {
                    assert_eq!(t, id);
                    i
                })
                .collect();
            assert_eq!(trouves, parcours, "{id}");
        }
        assert_eq!(index.de("b").len(), 3);
        assert!(index.de("c").is_empty());
    }
}
