//! The data.gouv.fr client: the last stage of the pipeline. `local` lists
//! and hashes the files of a built dataset folder, `plan` compares them and
//! `config::Metadonnees` with the remote dataset (pure), `api` speaks HTTP
//! to udata, and `appliquer` here carries a plan out: two-step uploads,
//! in-place replacements, metadata updates, in an order where each CSV can
//! point at its already published schema. `rapport` records the outcome.

pub mod api;
pub mod config;
pub mod local;
pub mod plan;
pub mod rapport;

use api::{Client, ErreurApi};
use config::Metadonnees;
use plan::{corps_dataset, corps_ressource, ecarts_dataset, ecarts_ressource, texte, ActionMeta, Contenu, Plan};
use rapport::{Bilan, EtatDataset, EtatRessource, Ignoree, Rapport};
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};

fn opt(v: &Json, k: &str) -> Option<String> {
    Some(texte(v, k).to_string()).filter(|s| !s.is_empty())
}

fn nom_action(c: Contenu, champs: &[String]) -> &'static str {
    match c {
        Contenu::Creer => "creer",
        Contenu::Remplacer => "remplacer",
        Contenu::Laisser if champs.is_empty() => "laisser",
        Contenu::Laisser => "mettre_a_jour",
    }
}

/// The report of a plan: what would happen, nothing done yet.
pub fn rapport_du_plan(plan: &Plan, api_url: &str, distant: Option<&Json>) -> Rapport {
    let (action, champs) = match &plan.meta {
        ActionMeta::Creer => ("creer", Vec::new()),
        ActionMeta::MettreAJour(e) => ("mettre_a_jour", e.clone()),
        ActionMeta::Laisser => ("laisser", Vec::new()),
    };
    let d = distant.cloned().unwrap_or(Json::Null);
    let (creees, remplacees, mises_a_jour, laissees) = plan.compte();
    Rapport {
        api_url: api_url.to_string(),
        mode: "plan".into(),
        dataset: EtatDataset {
            id: opt(&d, "id"),
            slug: opt(&d, "slug"),
            page: opt(&d, "page"),
            action: action.into(),
            champs,
            statut: "prevu".into(),
            message: None,
        },
        ressources: plan
            .fichiers
            .iter()
            .map(|l| {
                let r = l.distante.clone().unwrap_or(Json::Null);
                EtatRessource {
                    chemin: l.fichier.chemin.clone(),
                    sha1: l.fichier.sha1.clone(),
                    octets: l.fichier.taille,
                    titre: l.fichier.titre.clone(),
                    type_ressource: l.fichier.genre.type_udata().into(),
                    action: nom_action(l.contenu, &l.champs).into(),
                    champs: l.champs.clone(),
                    statut: "prevu".into(),
                    id: opt(&r, "id"),
                    url: opt(&r, "url"),
                    latest: opt(&r, "latest"),
                    message: None,
                }
            })
            .collect(),
        ignorees: plan
            .orphelines
            .iter()
            .map(|r| Ignoree { id: texte(r, "id").into(), titre: texte(r, "title").into() })
            .collect(),
        bilan: Bilan { creees, remplacees, mises_a_jour, laissees, ..Bilan::default() },
    }
}

/// How a run ended.
pub struct Issue {
    pub rapport: Rapport,
    /// Write requests that succeeded.
    pub ecritures: usize,
    pub echecs: usize,
    /// The error that stopped the run early, if any.
    pub arret: Option<ErreurApi>,
}

/// Carries `plan` out. `distant` is the dataset the plan was made against
/// (`None`: create it). Progress lines go to `dire`, failures to `erreur`.
/// The metadata values data.gouv.fr takes from a list (license, update
/// frequency, spatial granularity), checked against the lists the platform
/// serves, before any write: an unknown one would be refused (400) only
/// after the files were sent. A list that cannot be read is not checked.
pub fn vocabulaires_inconnus(client: &Client, m: &Metadonnees) -> Vec<String> {
    // Old frequency ids udata still takes (`constants.py`).
    const ALIAS_FREQUENCES: &[&str] = &["realtime", "fortnighly", "biannual"];
    let mut a_verifier = vec![
        ("license", m.license.as_str(), "/datasets/licenses/"),
        ("frequency", m.frequency.as_str(), "/datasets/frequencies/"),
    ];
    if let Some(s) = &m.spatial {
        a_verifier.push(("spatial.granularity", s.granularity.as_str(), "/spatial/granularities/"));
    }
    let mut inconnus = Vec::new();
    for (champ, valeur, chemin) in a_verifier {
        if champ == "frequency" && ALIAS_FREQUENCES.contains(&valeur) {
            continue;
        }
        let Ok(Json::Array(items)) = client.get(chemin) else { continue };
        let ids: Vec<&str> = items.iter().filter_map(|i| i.get("id").and_then(Json::as_str)).collect();
        if !ids.is_empty() && !ids.contains(&valeur) {
            inconnus.push(format!(
                "{champ} « {valeur} » n'est pas un identifiant que la plateforme connaît (GET {chemin}) : {}",
                ids.join(", ")
            ));
        }
    }
    inconnus
}

pub fn appliquer(
    client: &Client,
    m: &Metadonnees,
    plan: &Plan,
    distant: Option<&Json>,
    dire: &mut dyn FnMut(String),
    erreur: &mut dyn FnMut(String),
) -> Issue {
    let mut rapport = rapport_du_plan(plan, "", distant);
    rapport.mode = "application".into();
    rapport.bilan = Bilan::default();
    for r in &mut rapport.ressources {
        r.statut = "non_traite".into();
    }
    let mut issue = Issue { rapport, ecritures: 0, echecs: 0, arret: None };
    // Until the metadata step runs (a stop before it leaves it so).
    issue.rapport.dataset.statut = "non_traite".into();

    // 1. The dataset. A new one stays a draft until its files are in.
    let mut dataset = match distant {
        Some(d) => d.clone(),
        None => match client.post_json("/datasets/", &corps_dataset(m, true, true)) {
            Ok(d) if !texte(&d, "id").is_empty() => {
                issue.ecritures += 1;
                dire(format!("  {:<15} jeu de données {} (brouillon)", "créé", texte(&d, "id")));
                d
            }
            Ok(_) => {
                let e = "POST /datasets/ : réponse sans identifiant".to_string();
                erreur(e.clone());
                issue.rapport.dataset.statut = "echec".into();
                issue.rapport.dataset.message = Some(e);
                issue.echecs += 1;
                return issue;
            }
            Err(e) => {
                erreur(e.to_string());
                issue.rapport.dataset.statut = "echec".into();
                issue.rapport.dataset.message = Some(e.to_string());
                issue.echecs += 1;
                issue.arret = Some(e);
                return issue;
            }
        },
    };
    let id = texte(&dataset, "id").to_string();
    issue.rapport.dataset.id = Some(id.clone());
    issue.rapport.dataset.slug = opt(&dataset, "slug");
    issue.rapport.dataset.page = opt(&dataset, "page");

    // 2. The files, schemas first (the plan's order).
    let mut urls: HashMap<String, String> = HashMap::new();
    // The resources known before each upload: what the dataset held, and
    // what this run created.
    let mut connues: HashSet<String> = dataset
        .get("resources")
        .and_then(Json::as_array)
        .map(|rs| rs.iter().map(|r| texte(r, "id").to_string()).collect())
        .unwrap_or_default();
    for (i, l) in plan.fichiers.iter().enumerate() {
        let f = &l.fichier;
        let resultat = (|| -> Result<(Json, Vec<String>, usize), ErreurApi> {
            let mut ecritures = 0;
            let mut r = match (l.contenu, &l.distante) {
                (Contenu::Laisser, Some(r)) => r.clone(),
                (contenu, distante) => {
                    let octets = std::fs::read(&f.disque).map_err(|e| ErreurApi::Reseau {
                        methode: "lecture",
                        chemin: f.disque.display().to_string(),
                        message: e.to_string(),
                        delai: false,
                        essais: 1,
                    })?;
                    let chemin = match (contenu, distante) {
                        (Contenu::Remplacer, Some(r)) => format!("/datasets/{id}/resources/{}/upload/", texte(r, "id")),
                        _ => format!("/datasets/{id}/upload/"),
                    };
                    let mut nouveau = if distante.is_some() {
                        client.televerser(&chemin, f.nom(), f.type_mime(), &octets)?
                    } else {
                        // The resource a lost answer may have created: this
                        // file's name and content, unknown before this upload.
                        let deja = || {
                            let d = client.get(&format!("/datasets/{id}/")).ok()?;
                            d.get("resources")?
                                .as_array()?
                                .iter()
                                .find(|r| {
                                    !connues.contains(texte(r, "id"))
                                        && texte(r, "title") == f.nom()
                                        && plan::sha1_distant(r) == Some(f.sha1.as_str())
                                })
                                .cloned()
                        };
                        client.televerser_nouveau(&chemin, f.nom(), f.type_mime(), &octets, &deja)?
                    };
                    ecritures += 1;
                    if let (Some(ancien), Json::Object(o)) = (distante, &mut nouveau) {
                        // Same resource: keep what the answer may leave out.
                        if !o.contains_key("id") {
                            o.insert("id".into(), ancien["id"].clone());
                        }
                    }
                    nouveau
                }
            };
            let rid = texte(&r, "id").to_string();
            let url_schema = f.schema.as_ref().and_then(|s| urls.get(s)).cloned();
            let voulu = corps_ressource(f, url_schema.as_deref(), Some(&r));
            let champs = ecarts_ressource(&voulu, &r);
            if !champs.is_empty() {
                let maj = client.put_json(&format!("/datasets/{id}/resources/{rid}/"), &voulu)?;
                ecritures += 1;
                r = if maj.get("id").is_some() { maj } else { r };
            }
            Ok((r, champs, ecritures))
        })();
        let etat = &mut issue.rapport.ressources[i];
        match resultat {
            Ok((r, champs, ecritures)) => {
                issue.ecritures += ecritures;
                connues.insert(texte(&r, "id").to_string());
                if let Some(u) = opt(&r, "url") {
                    urls.insert(f.chemin.clone(), u);
                }
                etat.id = opt(&r, "id");
                etat.url = opt(&r, "url");
                etat.latest = opt(&r, "latest");
                etat.champs = champs.clone();
                etat.statut = "fait".into();
                let rid = texte(&r, "id");
                let (verbe, compteur) = match l.contenu {
                    Contenu::Creer => ("créé", &mut issue.rapport.bilan.creees),
                    Contenu::Remplacer => ("remplacé", &mut issue.rapport.bilan.remplacees),
                    Contenu::Laisser if champs.is_empty() => ("laissé", &mut issue.rapport.bilan.laissees),
                    Contenu::Laisser => ("mis à jour", &mut issue.rapport.bilan.mises_a_jour),
                };
                *compteur += 1;
                etat.action = nom_action(l.contenu, &champs).into();
                let suite = if champs.is_empty() || l.contenu != Contenu::Remplacer {
                    String::new()
                } else {
                    format!(", mis à jour : {}", champs.join(", "))
                };
                let detail = match l.contenu {
                    Contenu::Laisser if !champs.is_empty() => format!(" : {}", champs.join(", ")),
                    Contenu::Laisser => String::new(),
                    _ => format!(" → ressource {rid}{suite}"),
                };
                dire(format!("  {verbe:<15} {}{detail}", f.chemin));
            }
            Err(e) => {
                issue.echecs += 1;
                issue.rapport.bilan.echecs += 1;
                etat.statut = "echec".into();
                etat.message = Some(e.to_string());
                erreur(format!("{} : {e}", f.chemin));
                if e.bloquante() {
                    issue.arret = Some(e);
                    break;
                }
            }
        }
    }

    // 3. The metadata, `private` explicit. A dataset created by this run stays
    // a draft when some of its files failed: better no page than a broken one.
    if issue.arret.is_none() {
        let ecarts = ecarts_dataset(m, &dataset);
        issue.rapport.dataset.champs = ecarts.clone();
        if distant.is_none() && issue.echecs > 0 {
            issue.rapport.dataset.statut = "non_traite".into();
            issue.rapport.dataset.message = Some("jeu créé laissé en brouillon : des fichiers ont échoué".into());
            erreur(format!("le jeu {id} reste en brouillon tant que tous ses fichiers ne sont pas envoyés"));
        } else if ecarts.is_empty() {
            issue.rapport.dataset.statut = "fait".into();
            issue.rapport.dataset.action = "laisser".into();
        } else {
            match client.put_json(&format!("/datasets/{id}/"), &corps_dataset(m, m.private, false)) {
                Ok(d) => {
                    issue.ecritures += 1;
                    if d.get("id").is_some() {
                        dataset = d;
                    }
                    issue.rapport.dataset.statut = "fait".into();
                    issue.rapport.dataset.page = opt(&dataset, "page");
                    issue.rapport.dataset.slug = opt(&dataset, "slug");
                    dire(format!("  {:<15} métadonnées : {}", "mis à jour", ecarts.join(", ")));
                }
                Err(e) => {
                    issue.echecs += 1;
                    issue.rapport.dataset.statut = "echec".into();
                    issue.rapport.dataset.message = Some(e.to_string());
                    erreur(format!("métadonnées : {e}"));
                    if e.bloquante() {
                        issue.arret = Some(e);
                    }
                }
            }
        }
    }
    issue
}
