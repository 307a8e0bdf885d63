//! The plan: local files and metadata against the remote dataset, decided
//! without any I/O. Each file is matched to a remote resource by a stable
//! key (the `temoignages:chemin` extra, else its title, else — for an
//! upload whose metadata never landed — its file name and checksum), then
//! created, replaced in place (SHA-1 differs), updated (metadata differs)
//! or left. The payloads sent to udata are built here too, so the plan and
//! the run agree on what "different" means.

use super::config::Metadonnees;
use super::local::FichierLocal;
use serde_json::{json, Map, Value as Json};
use std::collections::HashMap;

/// Resource extra that records which local file a resource holds.
pub const CLE_EXTRAS: &str = "temoignages:chemin";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contenu {
    Creer,
    Remplacer,
    Laisser,
}

#[derive(Debug, Clone)]
pub struct LigneFichier {
    pub fichier: FichierLocal,
    pub distante: Option<Json>,
    pub contenu: Contenu,
    /// Metadata fields that will be written (after an upload: all of them).
    pub champs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionMeta {
    Creer,
    MettreAJour(Vec<String>),
    Laisser,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub meta: ActionMeta,
    pub fichiers: Vec<LigneFichier>,
    /// Remote resources no local file claims: left alone, listed.
    pub orphelines: Vec<Json>,
}

pub fn texte<'a>(v: &'a Json, k: &str) -> &'a str {
    v.get(k).and_then(Json::as_str).unwrap_or("")
}

/// Body of `POST /datasets/` and `PUT /datasets/{id}/`. `private` is always
/// explicit: the data.gouv.fr guide warns that leaving it out of a PUT can
/// change a dataset's visibility (data.gouv.fr#1215).
pub fn corps_dataset(m: &Metadonnees, private: bool, creation: bool) -> Json {
    let mut o = Map::new();
    o.insert("title".into(), json!(m.title));
    o.insert("description".into(), json!(m.description));
    o.insert("license".into(), json!(m.license));
    o.insert("frequency".into(), json!(m.frequency));
    o.insert("tags".into(), json!(m.tags));
    if let Some(c) = &m.temporal_coverage {
        o.insert("temporal_coverage".into(), json!({ "start": c.start, "end": c.end }));
    }
    if let Some(s) = &m.spatial {
        o.insert("spatial".into(), json!({ "zones": s.zones, "granularity": s.granularity }));
    }
    // Ownership cannot change through PUT (udata: transfer), so it is sent on creation only.
    if creation && !m.organization.is_empty() {
        o.insert("organization".into(), json!(m.organization));
    }
    o.insert("private".into(), json!(private));
    Json::Object(o)
}

/// Names of the metadata fields whose remote value differs from `m`.
pub fn ecarts_dataset(m: &Metadonnees, distant: &Json) -> Vec<String> {
    let mut e = Vec::new();
    let mut si = |nom: &str, different: bool| {
        if different {
            e.push(nom.to_string());
        }
    };
    si("title", texte(distant, "title") != m.title);
    si("description", texte(distant, "description").trim() != m.description);
    let licence = distant.get("license").map(|l| l.get("id").unwrap_or(l)).and_then(Json::as_str).unwrap_or("");
    si("license", licence != m.license);
    let frequence = distant.get("frequency").map(|f| f.get("id").unwrap_or(f)).and_then(Json::as_str).unwrap_or("");
    si("frequency", frequence != m.frequency);
    let mut tags: Vec<String> = distant
        .get("tags")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(Json::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    tags.sort();
    let mut voulus = m.tags.clone();
    voulus.sort();
    si("tags", tags != voulus);
    if let Some(c) = &m.temporal_coverage {
        let tc = distant.get("temporal_coverage").unwrap_or(&Json::Null);
        let jour = |k: &str| tc.get(k).and_then(Json::as_str).map(|s| s.chars().take(10).collect::<String>());
        si("temporal_coverage", jour("start").as_deref() != Some(c.start.as_str()) || jour("end") != c.end);
    }
    if let Some(s) = &m.spatial {
        let sp = distant.get("spatial").unwrap_or(&Json::Null);
        let mut zones: Vec<&str> = sp
            .get("zones")
            .and_then(Json::as_array)
            .map(|a| a.iter().filter_map(|z| z.as_str().or_else(|| z.get("id").and_then(Json::as_str))).collect())
            .unwrap_or_default();
        zones.sort();
        let mut voulues: Vec<&str> = s.zones.iter().map(String::as_str).collect();
        voulues.sort();
        let granularite = sp.get("granularity").map(|g| g.get("id").unwrap_or(g)).and_then(Json::as_str).unwrap_or("");
        si("spatial", zones != voulues || granularite != s.granularity);
    }
    si("private", distant.get("private").and_then(Json::as_bool) != Some(m.private));
    e
}

/// Body of `PUT /datasets/{id}/resources/{rid}/` for a hosted file: title,
/// description, type, the path extra (merged into the remote extras so the
/// analysis keys data.gouv.fr writes there survive) and, for a CSV, its
/// schema. Never `url`, `checksum`, `filesize`, `mime`, `format` or
/// `filetype`: the server owns them for hosted files.
pub fn corps_ressource(f: &FichierLocal, url_schema: Option<&str>, distante: Option<&Json>) -> Json {
    let mut extras = distante.and_then(|r| r.get("extras")).and_then(Json::as_object).cloned().unwrap_or_default();
    extras.insert(CLE_EXTRAS.into(), json!(f.chemin));
    let mut o = Map::new();
    o.insert("title".into(), json!(f.titre));
    o.insert("description".into(), json!(f.description));
    o.insert("type".into(), json!(f.genre.type_udata()));
    o.insert("extras".into(), Json::Object(extras));
    if let Some(u) = url_schema {
        o.insert("schema".into(), json!({ "url": u }));
    }
    Json::Object(o)
}

/// Fields of `voulu` (a `corps_ressource`) that the remote resource lacks.
pub fn ecarts_ressource(voulu: &Json, distante: &Json) -> Vec<String> {
    let mut e = Vec::new();
    for k in ["title", "description", "type"] {
        if texte(voulu, k) != texte(distante, k) {
            e.push(k.to_string());
        }
    }
    if let Some(s) = voulu.get("schema") {
        let distant = distante.get("schema").and_then(|s| s.get("url")).and_then(Json::as_str);
        if distant != s.get("url").and_then(Json::as_str) {
            e.push("schema".to_string());
        }
    }
    let chemin = voulu.pointer("/extras").and_then(|x| x.get(CLE_EXTRAS));
    if distante.get("extras").and_then(|x| x.get(CLE_EXTRAS)) != chemin {
        e.push("extras".to_string());
    }
    e
}

pub fn sha1_distant(r: &Json) -> Option<&str> {
    let c = r.get("checksum")?;
    if c.get("type").and_then(Json::as_str).is_some_and(|t| !t.eq_ignore_ascii_case("sha1")) {
        return None;
    }
    c.get("value").and_then(Json::as_str)
}

/// For each local file, the index of its remote resource, if any. A remote
/// resource is claimed at most once, so a rerun never duplicates one.
pub fn apparier(locaux: &[FichierLocal], distantes: &[Json]) -> Vec<Option<usize>> {
    let mut prises = vec![false; distantes.len()];
    let mut res = vec![None; locaux.len()];
    type Regle<'a> = dyn Fn(&FichierLocal, &Json) -> bool + 'a;
    let nom_unique = |f: &FichierLocal| locaux.iter().filter(|g| g.nom() == f.nom()).count() == 1;
    let regles: [&Regle; 4] = [
        &|f, r| r.get("extras").and_then(|x| x.get(CLE_EXTRAS)).and_then(Json::as_str) == Some(f.chemin.as_str()),
        &|f, r| r.get("extras").and_then(|x| x.get(CLE_EXTRAS)).is_none() && texte(r, "title") == f.titre,
        // An upload whose metadata update never happened: the server titled it with the file name.
        &|f, r| {
            r.get("extras").and_then(|x| x.get(CLE_EXTRAS)).is_none()
                && texte(r, "title") == f.nom()
                && sha1_distant(r) == Some(f.sha1.as_str())
        },
        // The same, its file rebuilt since: the name alone, when no other
        // file of the folder bears it (`schemas/x.json`, `json/x.json`).
        &|f, r| {
            r.get("extras").and_then(|x| x.get(CLE_EXTRAS)).is_none() && texte(r, "title") == f.nom() && nom_unique(f)
        },
    ];
    for regle in regles {
        for (i, f) in locaux.iter().enumerate() {
            if res[i].is_some() {
                continue;
            }
            if let Some(j) = (0..distantes.len()).find(|&j| !prises[j] && regle(f, &distantes[j])) {
                prises[j] = true;
                res[i] = Some(j);
            }
        }
    }
    res
}

/// Decides what to do. `distant` is the dataset as `GET /datasets/{id}/`
/// returns it, `None` when it is to be created.
pub fn planifier(locaux: &[FichierLocal], m: &Metadonnees, distant: Option<&Json>) -> Plan {
    let ressources: Vec<Json> =
        distant.and_then(|d| d.get("resources")).and_then(Json::as_array).cloned().unwrap_or_default();
    let paires = apparier(locaux, &ressources);
    let mut lignes: Vec<LigneFichier> = Vec::new();
    // Schema URL of each `schemas/…` file once published; `None` while unknown (to be uploaded).
    let mut urls: HashMap<String, Option<String>> = HashMap::new();
    for (f, p) in locaux.iter().zip(&paires) {
        let r = p.map(|j| ressources[j].clone());
        let contenu = match &r {
            None => Contenu::Creer,
            Some(r) if sha1_distant(r) == Some(f.sha1.as_str()) => Contenu::Laisser,
            Some(_) => Contenu::Remplacer,
        };
        let url_actuelle = r.as_ref().map(|r| texte(r, "url").to_string()).filter(|u| !u.is_empty());
        urls.insert(f.chemin.clone(), if contenu == Contenu::Laisser { url_actuelle } else { None });
        let champs = match (&r, contenu) {
            (Some(r), Contenu::Laisser | Contenu::Remplacer) => {
                let schema = f.schema.as_ref().map(|s| urls.get(s).cloned().flatten().unwrap_or_default());
                let mut e = ecarts_ressource(&corps_ressource(f, schema.as_deref(), Some(r)), r);
                if schema.as_deref() == Some("") && !e.contains(&"schema".to_string()) {
                    e.push("schema".to_string());
                }
                e
            }
            _ => vec!["title".into(), "description".into(), "type".into(), "extras".into()]
                .into_iter()
                .chain(f.schema.as_ref().map(|_| "schema".to_string()))
                .collect(),
        };
        lignes.push(LigneFichier { fichier: f.clone(), distante: r, contenu, champs });
    }
    let orphelines =
        ressources.iter().enumerate().filter(|(j, _)| !paires.contains(&Some(*j))).map(|(_, r)| r.clone()).collect();
    let meta = match distant {
        None => ActionMeta::Creer,
        Some(d) => {
            let e = ecarts_dataset(m, d);
            if e.is_empty() {
                ActionMeta::Laisser
            } else {
                ActionMeta::MettreAJour(e)
            }
        }
    };
    Plan { meta, fichiers: lignes, orphelines }
}

impl Plan {
    pub fn compte(&self) -> (usize, usize, usize, usize) {
        let n = |c: Contenu| self.fichiers.iter().filter(|l| l.contenu == c).count();
        let maj = self.fichiers.iter().filter(|l| l.contenu == Contenu::Laisser && !l.champs.is_empty()).count();
        let laisser = self.fichiers.iter().filter(|l| l.contenu == Contenu::Laisser && l.champs.is_empty()).count();
        (n(Contenu::Creer), n(Contenu::Remplacer), maj, laisser)
    }

    pub fn changements(&self) -> bool {
        let (c, r, u, _) = self.compte();
        c + r + u > 0 || self.meta != ActionMeta::Laisser
    }

    /// The plan as printed: one line for the metadata, one per file.
    pub fn lignes(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.push(match &self.meta {
            ActionMeta::Creer => {
                format!("  {:<15} métadonnées (nouveau jeu de données, brouillon jusqu'à la fin de l'envoi)", "créer")
            }
            ActionMeta::MettreAJour(e) => format!("  {:<15} métadonnées : {}", "mettre à jour", e.join(", ")),
            ActionMeta::Laisser => format!("  {:<15} métadonnées", "laisser"),
        });
        for l in &self.fichiers {
            let f = &l.fichier;
            let court = |s: &str| s.chars().take(8).collect::<String>();
            out.push(match l.contenu {
                Contenu::Creer => format!("  {:<15} {} ({} octets)", "créer", f.chemin, f.taille),
                Contenu::Remplacer => {
                    let ancien = l.distante.as_ref().and_then(sha1_distant).unwrap_or("?");
                    let mut s =
                        format!("  {:<15} {} (sha1 {} → {})", "remplacer", f.chemin, court(ancien), court(&f.sha1));
                    if !l.champs.is_empty() {
                        s.push_str(&format!(", puis mettre à jour : {}", l.champs.join(", ")));
                    }
                    s
                }
                Contenu::Laisser if l.champs.is_empty() => format!("  {:<15} {}", "laisser", f.chemin),
                Contenu::Laisser => format!("  {:<15} {} : {}", "mettre à jour", f.chemin, l.champs.join(", ")),
            });
        }
        for r in &self.orphelines {
            out.push(format!(
                "  {:<15} « {} » ({}) : hors du dossier, laissée telle quelle",
                "ignorer",
                texte(r, "title"),
                texte(r, "id")
            ));
        }
        let (c, r, u, k) = self.compte();
        let meta = match &self.meta {
            ActionMeta::Creer => "à créer",
            ActionMeta::MettreAJour(_) => "à mettre à jour",
            ActionMeta::Laisser => "à laisser",
        };
        out.push(format!(
            "Bilan : fichiers {c} à créer, {r} à remplacer, {u} à mettre à jour, {k} à laisser ; métadonnées {meta}."
        ));
        out
    }
}
