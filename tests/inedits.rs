//! Pages written independently of the seed, in the same accordion layout,
//! with other projects, organisations, providers, qualifications and
//! figures (`tests/fixtures/inedits/`). The expectations below are what a
//! careful reader takes from the text; every check is run and every miss is
//! reported at once.

mod common;
use common::*;

use std::collections::{BTreeSet, HashMap};

type Ligne = HashMap<String, String>;

/// One expected figure: valeur, valeur_max, unite, periode, qualificatif.
type Indicateur = (f64, Option<f64>, &'static str, &'static str, &'static str);

struct Attendu {
    /// Document identifier (file name without extension).
    document: &'static str,
    /// Item identifier (folded `aria-controls`).
    item: &'static str,
    /// Project acronym from the title's parentheses.
    sigle: &'static str,
    /// Resolved organisation; `None` for an attribution that must stay
    /// unresolved (its cell is then not checked, only the finding).
    organisation: Option<&'static str>,
    organisation_sigle: &'static str,
    /// `None` where the registry leaves the ministry open.
    ministere: Option<&'static str>,
    /// Expected finding about the attribution, if any.
    anomalie_organisation: Option<&'static str>,
    fournisseurs: &'static [&'static str],
    technologies: &'static [&'static str],
    logiciels: &'static [&'static str],
    /// (qualification, niveau, statut).
    qualifications: &'static [(&'static str, &'static str, &'static str)],
    indicateurs: &'static [Indicateur],
}

const ECO: &str = "2025-03-12-cloud-temoignages-economie-emploi";
const SANTE: &str = "2025-05-20-cloud-temoignages-sante-solidarites";
const INT: &str = "2025-09-08-cloud-temoignages-interieur-ecologie-culture";

const MIN_ECO: &str =
    "Ministère de l'Économie, des Finances et de la Souveraineté industrielle, énergétique et numérique";
const MIN_SANTE: &str = "Ministère de la Santé, des Familles, de l'Autonomie et des Personnes handicapées";
const MIN_ECOLOGIE: &str =
    "Ministère de la Transition écologique, de la Biodiversité et des Négociations internationales sur le climat et la nature";

const T: f64 = 1e12;

fn attendus() -> Vec<Attendu> {
    vec![
        Attendu {
            document: ECO,
            item: "impot-entreprises",
            sigle: "PIE",
            organisation: Some("Direction générale des finances publiques"),
            organisation_sigle: "DGFiP",
            ministere: None,
            anomalie_organisation: None,
            fournisseurs: &["3DS Outscale"],
            technologies: &["OpenStack", "Terraform", "PostgreSQL"],
            logiciels: &[],
            // "qualifiée SecNumCloud 3.2": the module records the version of
            // the reference framework as the level (documented choice).
            qualifications: &[("SecNumCloud", "3.2", "obtenue")],
            indicateurs: &[
                (5_200_000.0, None, "entreprise", "", "plus_de"),
                (2_000_000.0, None, "declaration", "mois", "exact"),
                (3_000.0, None, "agent", "", "environ"),
                (4_000_000.0, None, "euro", "", "exact"),
            ],
        },
        Attendu {
            document: ECO,
            item: "france-travail",
            sigle: "EPDE",
            organisation: Some("France Travail"),
            organisation_sigle: "",
            ministere: Some("Ministère du Travail et des Solidarités"),
            anomalie_organisation: None,
            fournisseurs: &["S3NS", "Google Cloud"],
            technologies: &[],
            logiciels: &[],
            qualifications: &[("SecNumCloud", "", "en_cours")],
            indicateurs: &[
                (6_000_000.0, None, "demandeur", "", "exact"),
                (10_000.0, None, "connexion", "", "moins_de"),
                (2.0 * T, None, "octet", "mois", "environ"),
                (30.0, None, "pourcent", "", "exact"),
            ],
        },
        Attendu {
            document: ECO,
            item: "recensement",
            sigle: "",
            organisation: Some("Institut national de la statistique et des études économiques"),
            organisation_sigle: "Insee",
            ministere: Some(MIN_ECO),
            anomalie_organisation: Some("organisation-corrigee"),
            fournisseurs: &["OVHcloud"],
            technologies: &["Kubernetes", "Helm"],
            logiciels: &[],
            qualifications: &[("ISO 27001", "", "insuffisante"), ("SecNumCloud", "", "obtenue")],
            indicateurs: &[
                (25_000.0, None, "agent", "", "environ"),
                (9_000_000.0, None, "logement", "", "plus_de"),
                (99.9, None, "pourcent", "", "exact"),
                (2.0, None, "zone", "", "au_moins"),
            ],
        },
        Attendu {
            document: ECO,
            item: "juridictions-financieres",
            sigle: "PCJF",
            organisation: Some("Cour des comptes"),
            organisation_sigle: "",
            ministere: Some(""),
            anomalie_organisation: None,
            fournisseurs: &["Bleu"],
            technologies: &[],
            logiciels: &["Microsoft 365"],
            qualifications: &[("SecNumCloud", "", "visee")],
            indicateurs: &[
                (17.0, None, "chambre", "", "exact"),
                (10.0, None, "ministere", "", "environ"),
                (2_500.0, None, "magistrat", "", "cible"),
            ],
        },
        Attendu {
            document: ECO,
            item: "dedouanement",
            sigle: "DEDO",
            organisation: Some("Direction générale des douanes et droits indirects"),
            organisation_sigle: "DGDDI",
            ministere: None,
            anomalie_organisation: None,
            fournisseurs: &["AWS", "NumSpot"],
            technologies: &[],
            logiciels: &[],
            // "pas encore qualifiée …, mais la démarche a été engagée".
            qualifications: &[("SecNumCloud", "", "en_cours")],
            indicateurs: &[
                (10_000_000.0, Some(100_000_000.0), "declaration", "an", "ordre_de_grandeur"),
                (2_000.0, Some(10_000.0), "operateur", "", "ordre_de_grandeur"),
                (10.0, Some(20.0), "fonctionnalite", "mois", "ordre_de_grandeur"),
                (100.0, None, "agent", "", "environ"),
                (25.0, None, "developpeur", "", "exact"),
                (2_500_000.0, None, "euro", "", "exact"),
                (500e9, None, "octet", "jour", "exact"),
            ],
        },
        Attendu {
            document: SANTE,
            item: "surveillance-urgences",
            sigle: "SSU",
            organisation: Some("Santé publique France"),
            organisation_sigle: "",
            ministere: Some(MIN_SANTE),
            anomalie_organisation: None,
            fournisseurs: &["Cloud Temple"],
            technologies: &["Kafka", "Elasticsearch"],
            logiciels: &[],
            qualifications: &[("HDS", "", "obtenue"), ("SecNumCloud", "", "obtenue")],
            indicateurs: &[
                (650.0, None, "service", "", "plus_de"),
                (45_000.0, None, "passage", "jour", "environ"),
                (13.0, None, "region", "", "exact"),
            ],
        },
        Attendu {
            document: SANTE,
            item: "simulateur-caf",
            sigle: "",
            organisation: Some("Caisse nationale des allocations familiales"),
            organisation_sigle: "Cnaf",
            ministere: None,
            anomalie_organisation: Some("organisation-corrigee"),
            fournisseurs: &["AWS"],
            technologies: &[],
            logiciels: &[],
            qualifications: &[("SecNumCloud", "", "non_retenue"), ("HDS", "", "non_retenue")],
            indicateurs: &[
                (13_000_000.0, None, "allocataire", "", "plus_de"),
                (400_000.0, None, "simulation", "jour", "moins_de"),
                (35.0, None, "pourcent", "", "exact"),
                (250_000.0, None, "euro", "an", "exact"),
            ],
        },
        Attendu {
            document: SANTE,
            item: "e-pmsi",
            sigle: "",
            organisation: Some("Agence technique de l'information sur l'hospitalisation"),
            organisation_sigle: "ATIH",
            ministere: Some(MIN_SANTE),
            anomalie_organisation: None,
            fournisseurs: &["NumSpot"],
            technologies: &["Terraform", "Ansible"],
            logiciels: &[],
            qualifications: &[("SecNumCloud", "", "obtenue"), ("HDS", "", "en_cours")],
            indicateurs: &[
                (3_000.0, None, "etablissement", "", "environ"),
                (200_000.0, Some(1_000_000.0), "fichier", "an", "ordre_de_grandeur"),
                (20.0, None, "personne", "", "moins_de"),
            ],
        },
        Attendu {
            document: SANTE,
            item: "tele-expertise",
            sigle: "",
            organisation: None,
            organisation_sigle: "",
            ministere: Some(""),
            anomalie_organisation: Some("organisation-inconnue"),
            fournisseurs: &["Microsoft Azure"],
            technologies: &[],
            logiciels: &[],
            qualifications: &[("HDS", "", "obtenue"), ("SecNumCloud", "", "non_retenue")],
            indicateurs: &[
                (1_200.0, None, "medecin", "", "plus_de"),
                (10.0, None, "hopital", "", "environ"),
                (48.0, None, "heure", "", "moins_de"),
                (50_000.0, None, "acte", "an", "cible"),
            ],
        },
        Attendu {
            document: SANTE,
            item: "entrepot-hospitalier",
            sigle: "EDH",
            organisation: Some("Direction générale de l'offre de soins"),
            organisation_sigle: "DGOS",
            ministere: Some(MIN_SANTE),
            anomalie_organisation: None,
            fournisseurs: &["OVHcloud", "Google Cloud"],
            technologies: &["Spark", "Jupyter"],
            logiciels: &[],
            qualifications: &[("HDS", "", "obtenue"), ("SecNumCloud", "", "visee")],
            indicateurs: &[
                (12_000.0, None, "lit", "", "exact"),
                (40.0, None, "pourcent", "", "environ"),
                (1_000_000.0, None, "usager", "", "exact"),
                (2.0, None, "seconde", "", "moins_de"),
                (1_500_000.0, None, "enregistrement", "semaine", "exact"),
            ],
        },
        Attendu {
            document: INT,
            item: "prevision-numerique",
            sigle: "",
            organisation: Some("Météo-France"),
            organisation_sigle: "",
            ministere: Some(MIN_ECOLOGIE),
            // "Meteo France": only accents and a hyphen differ, no misspelling.
            anomalie_organisation: None,
            fournisseurs: &["3DS Outscale"],
            technologies: &["Terraform", "Ansible", "Kubernetes"],
            logiciels: &[],
            qualifications: &[("SecNumCloud", "", "obtenue"), ("ISO 27001", "", "obtenue")],
            indicateurs: &[
                (40.0 * T, None, "octet", "jour", "environ"),
                (200.0, None, "previsionniste", "", "environ"),
                (25.0, None, "pourcent", "", "exact"),
                (1_500_000_000.0, None, "requete", "mois", "exact"),
            ],
        },
        Attendu {
            document: INT,
            item: "cloud-pi-native",
            sigle: "",
            organisation: Some("Direction du numérique du ministère de l'Intérieur"),
            organisation_sigle: "",
            ministere: Some("Ministère de l'Intérieur"),
            anomalie_organisation: None,
            fournisseurs: &["Cloud π Native"],
            technologies: &["OpenShift", "GitLab", "Argo CD"],
            logiciels: &[],
            qualifications: &[("SecNumCloud", "", "visee")],
            indicateurs: &[
                (150.0, None, "application", "", "plus_de"),
                (10.0, None, "ministere", "", "environ"),
                (3_500.0, None, "developpeur", "", "exact"),
            ],
        },
        Attendu {
            document: INT,
            item: "identite-numerique",
            sigle: "AIN",
            organisation: Some("Ministère de l'Intérieur"),
            organisation_sigle: "",
            ministere: Some("Ministère de l'Intérieur"),
            anomalie_organisation: None,
            fournisseurs: &["Cloud Temple"],
            technologies: &[],
            logiciels: &[],
            qualifications: &[("eIDAS", "substantiel", "obtenue"), ("eIDAS", "eleve", "visee")],
            indicateurs: &[
                (2_000_000.0, None, "utilisateur", "", "plus_de"),
                (10_000.0, None, "connexion", "", "moins_de"),
                (5_000_000.0, None, "utilisateur", "", "cible"),
                (2.0, None, "centre", "", "exact"),
            ],
        },
        Attendu {
            document: INT,
            item: "gallica",
            sigle: "",
            organisation: Some("Bibliothèque nationale de France"),
            organisation_sigle: "BnF",
            ministere: Some("Ministère de la Culture"),
            anomalie_organisation: None,
            fournisseurs: &["OVHcloud"],
            technologies: &["Ceph", "PostgreSQL"],
            logiciels: &[],
            qualifications: &[("SecNumCloud", "", "non_retenue")],
            indicateurs: &[(10_000_000.0, None, "document", "", "plus_de"), (1_500_000.0, None, "euro", "an", "exact")],
        },
        Attendu {
            document: INT,
            item: "signalement-incidents",
            sigle: "PSI",
            organisation: Some("Agence nationale de la sécurité des systèmes d'information"),
            organisation_sigle: "ANSSI",
            ministere: Some("Premier ministre"),
            anomalie_organisation: None,
            fournisseurs: &["Cloud π"],
            technologies: &["Grafana"],
            logiciels: &["Mattermost"],
            qualifications: &[("SecNumCloud", "", "obtenue"), ("ISO 27001", "", "en_cours"), ("RGS", "", "obtenue")],
            indicateurs: &[
                (100.0, Some(1_000.0), "signalement", "semaine", "ordre_de_grandeur"),
                (2_000.0, Some(10_000.0), "entite", "", "ordre_de_grandeur"),
                (800_000.0, None, "euro", "", "exact"),
            ],
        },
    ]
}

/// Spans that must never be read as a figure: dates, standard and version
/// numbers, names with digits, ranks, phone numbers. (A year may close a
/// figure's span, as in "50 000 actes par an d'ici 2027"; it must never be
/// its value, which is checked apart.)
const PIEGES: &[&str] = &[
    "1er",
    "15 mars",
    "30 juin",
    "27001",
    "Covid",
    "top 10",
    "article 3",
    "Windows",
    "RGAA",
    "4.1",
    "H24",
    "Web 2.0",
    "3.2",
    "3949",
    "24h",
    "v2",
    "19e",
    "7j/7",
    "3 fois",
];

/// Years written in the pages: never a figure's value.
const ANNEES: &[f64] = &[2015.0, 2019.0, 2020.0, 2021.0, 2022.0, 2023.0, 2024.0, 2025.0, 2026.0, 2027.0];

struct Bilan {
    controles: usize,
    echecs: Vec<String>,
}

impl Bilan {
    fn verifie(&mut self, ok: bool, message: impl FnOnce() -> String) {
        self.controles += 1;
        if !ok {
            self.echecs.push(message());
        }
    }
}

fn liste(cell: &str) -> BTreeSet<String> {
    cell.split(';').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn ensemble(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn nombre(cell: &str) -> Option<f64> {
    if cell.is_empty() {
        None
    } else {
        Some(cell.parse().unwrap_or_else(|_| panic!("not a number: {cell:?}")))
    }
}

fn proches(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn meme_indicateur(l: &Ligne, e: &Indicateur) -> bool {
    let (valeur, valeur_max, unite, periode, qualificatif) = *e;
    nombre(&l["valeur"]).is_some_and(|v| proches(v, valeur))
        && match (nombre(&l["valeur_max"]), valeur_max) {
            (None, None) => true,
            (Some(a), Some(b)) => proches(a, b),
            _ => false,
        }
        && l["unite"] == unite
        && l["periode"] == periode
        && l["qualificatif"] == qualificatif
}

fn decrit(l: &Ligne) -> String {
    format!(
        "({}, {}, {}, {}, {}) from {:?}",
        l["valeur"], l["valeur_max"], l["unite"], l["periode"], l["qualificatif"], l["texte"]
    )
}

#[test]
fn inedit_pages_give_the_facts_a_careful_reader_expects() {
    let wd = Workdir::new();
    let dossier = racine().join("tests/fixtures/inedits");
    for e in std::fs::read_dir(&dossier).unwrap() {
        let p = e.unwrap().path();
        wd.write(&format!("pages/{}", p.file_name().unwrap().to_string_lossy()), std::fs::read(&p).unwrap());
    }
    let o = wd.run(&["build", "pages", "--out", "ds"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    let temoignages = wd.csv("ds/csv/temoignages.csv");
    let indicateurs = wd.csv("ds/csv/indicateurs.csv");
    let qualifications = wd.csv("ds/csv/qualifications.csv");
    let mentions = wd.csv("ds/csv/mentions.csv");
    let anomalies = wd.csv("ds/csv/anomalies.csv");
    let attendus = attendus();
    let mut b = Bilan { controles: 0, echecs: Vec::new() };

    b.verifie(temoignages.len() == attendus.len(), || {
        format!("{} testimonials, {} expected", temoignages.len(), attendus.len())
    });

    for a in &attendus {
        let id = format!("{}--{}", a.document, a.item);
        let Some(t) = temoignages.iter().find(|r| r["identifiant"] == id) else {
            b.verifie(false, || format!("{id}: missing testimonial"));
            continue;
        };
        let cas = a.item;

        // Project acronym and organisation.
        b.verifie(t["sigle"] == a.sigle, || format!("{cas}: sigle {:?}, expected {:?}", t["sigle"], a.sigle));
        if let Some(org) = a.organisation {
            b.verifie(t["organisation"] == org, || {
                format!("{cas}: organisation {:?}, expected {org:?}", t["organisation"])
            });
        }
        b.verifie(t["organisation_sigle"] == a.organisation_sigle, || {
            format!("{cas}: organisation_sigle {:?}, expected {:?}", t["organisation_sigle"], a.organisation_sigle)
        });
        if let Some(m) = a.ministere {
            b.verifie(t["ministere"] == m, || format!("{cas}: ministere {:?}, expected {m:?}", t["ministere"]));
        }
        let codes: BTreeSet<&str> = anomalies
            .iter()
            .filter(|r| r["temoignage"] == id && r["code"].starts_with("organisation-"))
            .map(|r| r["code"].as_str())
            .collect();
        let codes_attendus: BTreeSet<&str> = a.anomalie_organisation.into_iter().collect();
        b.verifie(codes == codes_attendus, || {
            format!("{cas}: organisation findings {codes:?}, expected {codes_attendus:?}")
        });

        // Mentions, by category, and the derived list columns.
        for (categorie, noms) in
            [("fournisseur_cloud", a.fournisseurs), ("technologie", a.technologies), ("logiciel", a.logiciels)]
        {
            let vus: BTreeSet<String> = mentions
                .iter()
                .filter(|r| r["temoignage"] == id && r["categorie"] == categorie)
                .map(|r| r["nom"].clone())
                .collect();
            b.verifie(vus == ensemble(noms), || format!("{cas}: {categorie} {vus:?}, expected {noms:?}"));
        }
        b.verifie(liste(&t["fournisseurs_cloud"]) == ensemble(a.fournisseurs), || {
            format!("{cas}: fournisseurs_cloud {:?}, expected {:?}", t["fournisseurs_cloud"], a.fournisseurs)
        });
        let techs: BTreeSet<String> = ensemble(a.technologies).union(&ensemble(a.logiciels)).cloned().collect();
        b.verifie(liste(&t["technologies"]) == techs, || {
            format!("{cas}: technologies {:?}, expected {techs:?}", t["technologies"])
        });

        // Qualifications with their status and level.
        let vues: BTreeSet<(String, String, String)> = qualifications
            .iter()
            .filter(|r| r["temoignage"] == id)
            .map(|r| (r["qualification"].clone(), r["niveau"].clone(), r["statut"].clone()))
            .collect();
        let voulues: BTreeSet<(String, String, String)> =
            a.qualifications.iter().map(|(q, n, s)| (q.to_string(), n.to_string(), s.to_string())).collect();
        b.verifie(vues == voulues, || format!("{cas}: qualifications {vues:?}, expected {voulues:?}"));
        let obtenues: BTreeSet<String> =
            a.qualifications.iter().filter(|q| q.2 == "obtenue").map(|q| q.0.to_string()).collect();
        b.verifie(liste(&t["qualifications"]) == obtenues, || {
            format!("{cas}: qualifications column {:?}, expected {obtenues:?}", t["qualifications"])
        });
        for (colonne, nom) in [("secnumcloud", "SecNumCloud"), ("hds", "HDS")] {
            let statut = a.qualifications.iter().find(|q| q.0 == nom).map_or("", |q| q.2);
            b.verifie(t[colonne] == statut, || format!("{cas}: {colonne} {:?}, expected {statut:?}", t[colonne]));
        }

        // The full set of figures: each expected one found once, nothing else.
        let lignes: Vec<&Ligne> = indicateurs.iter().filter(|r| r["temoignage"] == id).collect();
        let mut pris = vec![false; lignes.len()];
        for e in a.indicateurs {
            let trouve = (0..lignes.len()).find(|&i| !pris[i] && meme_indicateur(lignes[i], e));
            if let Some(i) = trouve {
                pris[i] = true;
            }
            b.verifie(trouve.is_some(), || {
                let proches: Vec<String> = lignes
                    .iter()
                    .filter(|l| nombre(&l["valeur"]).is_some_and(|v| proches(v, e.0)))
                    .map(|l| decrit(l))
                    .collect();
                format!("{cas}: missing figure {e:?}; rows with that value: {proches:?}")
            });
        }
        for (i, l) in lignes.iter().enumerate() {
            b.verifie(pris[i], || format!("{cas}: unexpected figure {}", decrit(l)));
        }
    }

    // Traps: no figure is a year, a date, a standard or version number.
    for l in &indicateurs {
        let texte = &l["texte"];
        for piege in PIEGES {
            b.verifie(!texte.contains(piege), || format!("figure taken from a trap {piege:?}: {}", decrit(l)));
        }
        let v = nombre(&l["valeur"]).unwrap_or(0.0);
        // A year written in digits is never a value ("quelques milliers" =
        // 2000..10000 is fine).
        let ecrit_comme_annee = (1900.0..=2100.0).contains(&v) && v.fract() == 0.0 && texte.contains(&format!("{v}"));
        b.verifie(!ecrit_comme_annee, || format!("figure looks like a year: {}", decrit(l)));
        for interdit in ANNEES.iter().copied().chain([27001.0, 19.0, 11.0, 3949.0, 24.0, 3.2, 4.1, 1.0, 15.0]) {
            b.verifie(!proches(v, interdit), || format!("figure with a forbidden value {interdit}: {}", decrit(l)));
        }
    }

    eprintln!("{} checks, {} failed", b.controles, b.echecs.len());
    assert!(b.echecs.is_empty(), "{} of {} checks failed:\n{}", b.echecs.len(), b.controles, b.echecs.join("\n"));
}
