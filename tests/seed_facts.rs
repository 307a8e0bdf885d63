//! Every seed fact of SPEC.md ("What the seed must yield"), checked in the
//! Parquet files a real build writes.

mod common;
use common::*;
use std::collections::HashMap;

type Rows = Vec<HashMap<String, String>>;

struct Seed {
    _wd: Workdir,
    t: Rows,
    ind: Rows,
    qual: Rows,
    men: Rows,
    anom: Rows,
}

fn seed() -> Seed {
    let wd = Workdir::new();
    wd.copy(SEED, "p/2024-07-03-cloud-temoignages.md");
    let o = wd.run(&["build", "p", "--out", "ds"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let read = |t: &str| parquet_rows(&wd.path(&format!("ds/parquet/{t}.parquet")));
    Seed {
        t: read("temoignages"),
        ind: read("indicateurs"),
        qual: read("qualifications"),
        men: read("mentions"),
        anom: read("anomalies"),
        _wd: wd,
    }
}

fn id(item: &str) -> String {
    format!("2024-07-03-cloud-temoignages--{item}")
}

impl Seed {
    fn temoignage(&self, item: &str) -> &HashMap<String, String> {
        self.t.iter().find(|r| r["identifiant"] == id(item)).unwrap_or_else(|| panic!("no testimonial {item}"))
    }
    /// (valeur, unite, periode, qualificatif) of an item's indicators.
    fn indicateurs(&self, item: &str) -> Vec<(String, String, String, String)> {
        self.ind
            .iter()
            .filter(|r| r["temoignage"] == id(item))
            .map(|r| (r["valeur"].clone(), r["unite"].clone(), r["periode"].clone(), r["qualificatif"].clone()))
            .collect()
    }
    fn has(&self, item: &str, valeur: &str, unite: &str, periode: &str, qualificatif: Option<&str>) {
        let all = self.indicateurs(item);
        assert!(
            all.iter()
                .any(|(v, u, p, q)| v == valeur && u == unite && p == periode && qualificatif.is_none_or(|x| x == q)),
            "{item}: no {valeur} {unite}/{periode} {qualificatif:?} in {all:?}"
        );
    }
    fn statut(&self, item: &str, qualification: &str) -> Vec<(String, String)> {
        self.qual
            .iter()
            .filter(|r| r["temoignage"] == id(item) && r["qualification"] == qualification)
            .map(|r| (r["statut"].clone(), r["niveau"].clone()))
            .collect()
    }
    fn mentions(&self, item: &str, categorie: &str) -> Vec<String> {
        self.men
            .iter()
            .filter(|r| r["temoignage"] == id(item) && r["categorie"] == categorie)
            .map(|r| r["nom"].clone())
            .collect()
    }
}

#[test]
fn seed_geoplateforme() {
    let s = seed();
    let t = s.temoignage("geoplateforme");
    assert_eq!(t["fournisseurs_cloud"], "OVHcloud");
    assert_eq!(t["technologies"], "Docker;Kubernetes");
    assert_eq!(t["organisation_sigle"], "IGN");
    assert_eq!(t["organisation"], "Institut national de l'information géographique et forestière");
    assert_eq!(s.mentions("geoplateforme", "technologie"), ["Docker", "Kubernetes"]);
    s.has("geoplateforme", "250000000", "requete", "jour", Some("plus_de"));
    s.has("geoplateforme", "1700", "membre", "", Some("plus_de"));
}

#[test]
fn seed_ans() {
    let s = seed();
    let t = s.temoignage("numerique-en-sante");
    // « (ANS) » in the title is the organisation's acronym, not the project's.
    assert_eq!(t["sigle"], "");
    assert_eq!(t["organisation_sigle"], "ANS");
    assert_eq!(t["secnumcloud"], "obtenue");
    assert_eq!(t["hds"], "obtenue");
    assert_eq!(t["qualifications"], "SecNumCloud;HDS");
    s.has("numerique-en-sante", "30000000", "appel", "an", Some("cible"));
    s.has("numerique-en-sante", "700000", "dossier", "", None);
    s.has("numerique-en-sante", "400000", "appel", "an", None);
}

#[test]
fn seed_visioconferences() {
    let s = seed();
    let t = s.temoignage("visioconferences");
    assert_eq!(t["fournisseurs_cloud"], "Scaleway");
    assert_eq!(t["secnumcloud"], "non_retenue");
    assert_eq!(t["qualifications"], "");
    assert_eq!(s.mentions("visioconferences", "logiciel"), ["BigBlueButton"]);
    assert_eq!(s.statut("visioconferences", "SecNumCloud"), [("non_retenue".to_string(), String::new())]);
    for (v, u) in [
        ("1200000", "agent"),
        ("850000", "enseignant"),
        ("12000000", "eleve"),
        ("1600000", "etudiant"),
        ("40", "pourcent"),
    ] {
        s.has("visioconferences", v, u, "", None);
    }
    s.has("visioconferences", "3", "minute", "", Some("au_moins"));
}

#[test]
fn seed_sesame_vitale() {
    let s = seed();
    let t = s.temoignage("sesame-vitale");
    assert_eq!(t["secnumcloud"], "obtenue");
    assert_eq!(s.statut("sesame-vitale", "eIDAS"), [("visee".to_string(), "substantiel".to_string())]);
    assert_eq!(s.statut("sesame-vitale", "ISO 27001"), [("insuffisante".to_string(), String::new())]);
    assert_eq!(t["qualifications"], "SecNumCloud");
    s.has("sesame-vitale", "8", "departement", "", None);
    s.has("sesame-vitale", "15", "departement", "", None);
}

#[test]
fn seed_cancerologie() {
    let s = seed();
    let t = s.temoignage("cancerologie");
    assert_eq!(t["hds"], "obtenue");
    assert_eq!(t["fournisseurs_cloud"], "OVHcloud");
    assert_eq!(t["organisation"], "Institut national du cancer");
    let corr = s.anom.iter().find(|r| r["code"] == "organisation-corrigee").expect("correction recorded");
    assert_eq!(corr["severite"], "info");
    assert_eq!(corr["temoignage"], id("cancerologie"));
}

#[test]
fn seed_vie_publique_and_dile() {
    let s = seed();
    s.has("vie-publique", "30000000", "visiteur", "an", Some("plus_de"));
    assert_eq!(s.temoignage("vie-publique")["organisation_sigle"], "DILA");
    let dile = s.temoignage("listes-electorales");
    assert_eq!(dile["sigle"], "DILE");
    assert_eq!(dile["organisation_sigle"], "DILA");
    assert_eq!(dile["secnumcloud"], "obtenue");
    assert_eq!(s.temoignage("laboe-si")["alias"], "Entrepot National des Données de Biologie;ENDB");
    assert!(s.anom.iter().any(|r| r["code"] == "question-repetee" && r["temoignage"] == id("laboe-si")));
    assert!(s.anom.iter().any(|r| r["code"] == "note-editoriale" && r["temoignage"] == id("listes-electorales")));
}

#[test]
fn seed_indicators_hold_no_year_date_or_standard_number() {
    let s = seed();
    for r in &s.ind {
        let v: f64 = r["valeur"].parse().unwrap();
        for interdit in [2021.0, 2023.0, 2024.0, 2025.0, 27001.0, 19.0, 10.0] {
            assert!(v != interdit, "{interdit} taken as a quantity: {r:?}");
        }
    }
}
