//! An in-process stand-in for the udata API (`/api/1`) on 127.0.0.1, strict
//! where data.gouv.fr is strict (reference: udata `core/dataset/api.py`,
//! `forms.py`, `storages/utils.py`): writes need the right `X-API-KEY`
//! (401), unknown datasets are 404 and deleted ones 410, files are uploaded
//! in two steps and hashed here with SHA-1, HTML uploads are 415, the
//! fields the server owns for hosted files are ignored on PUT (and recorded
//! so tests can assert none was sent), vocabularies are checked (400 with
//! an `errors` dict). Failures can be injected per request.

#![allow(dead_code)]

use serde_json::{json, Map, Value as Json};
use sha1::{Digest, Sha1};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiny_http::{Header, Response, Server};

pub const PROTEGES: [&str; 6] = ["url", "checksum", "filesize", "mime", "format", "filetype"];
const LICENCES: [&str; 12] = [
    "lov2",
    "fr-lo",
    "odc-odbl",
    "odc-by",
    "odc-pddl",
    "cc-by",
    "cc-by-sa",
    "cc-zero",
    "other-at",
    "other-open",
    "other-pd",
    "notspecified",
];
const FREQUENCES: [&str; 8] =
    ["unknown", "punctual", "continuous", "daily", "weekly", "monthly", "annual", "irregular"];
const GRANULARITES: [&str; 4] = ["country-group", "country", "fr:region", "other"];
const ZONES: [&str; 2] = ["country:fr", "country-group:world"];
const TYPES: [&str; 6] = ["main", "documentation", "update", "api", "code", "other"];

#[derive(Debug, Clone)]
pub struct Appel {
    pub methode: String,
    pub chemin: String,
    /// The key as received (tests assert on it; never printed).
    pub cle: Option<String>,
    pub json: Option<Json>,
    /// Upload: file name and SHA-1 of its content.
    pub fichier: Option<(String, String)>,
    pub statut: u16,
}

/// An injected failure: the next `fois` requests whose method is `methode`
/// and whose path contains `contient` wait `delai`, then get `statut`
/// (0: handled normally after the delay).
#[derive(Debug, Clone)]
pub struct Panne {
    pub methode: &'static str,
    pub contient: String,
    pub statut: u16,
    pub corps: Json,
    pub delai: Duration,
    pub fois: usize,
    /// The request is carried out first, and only its answer waits `delai`
    /// (an answer the client may give up on: the write happened anyway).
    pub reponse_tardive: bool,
}

#[derive(Default)]
pub struct Etat {
    pub cle: String,
    pub datasets: BTreeMap<String, Json>,
    pub supprimes: HashSet<String>,
    pub journal: Vec<Appel>,
    /// (resource id, field) of every protected field a client sent.
    pub proteges_recus: Vec<(String, String)>,
    pub pannes: VecDeque<Panne>,
    compteur: u64,
    base: String,
}

pub struct StandIn {
    pub base: String,
    pub etat: Arc<Mutex<Etat>>,
}

impl StandIn {
    pub fn demarrer(cle: &str) -> StandIn {
        let serveur = Server::http("127.0.0.1:0").expect("stand-in");
        let port = serveur.server_addr().to_ip().unwrap().port();
        let base = format!("http://127.0.0.1:{port}/api/1");
        let etat = Arc::new(Mutex::new(Etat { cle: cle.to_string(), base: base.clone(), ..Etat::default() }));
        let e = etat.clone();
        std::thread::spawn(move || {
            for requete in serveur.incoming_requests() {
                let e = e.clone();
                std::thread::spawn(move || traiter(&e, requete));
            }
        });
        StandIn { base, etat }
    }

    /// An existing dataset with stale metadata and no resource.
    pub fn creer_dataset(&self, id: &str) {
        let mut e = self.etat.lock().unwrap();
        let d = json!({
            "id": id, "slug": "ancien-jeu", "page": "http://127.0.0.1/datasets/ancien-jeu/",
            "title": "Ancien titre", "description": "Courte.", "license": "notspecified",
            "frequency": "unknown", "tags": [], "private": true, "resources": []
        });
        e.datasets.insert(id.to_string(), d);
    }

    pub fn supprimer(&self, id: &str) {
        self.etat.lock().unwrap().supprimes.insert(id.to_string());
    }

    pub fn panne(&self, methode: &'static str, contient: &str, statut: u16, corps: Json, delai_ms: u64, fois: usize) {
        self.etat.lock().unwrap().pannes.push_back(Panne {
            methode,
            contient: contient.to_string(),
            statut,
            corps,
            delai: Duration::from_millis(delai_ms),
            fois,
            reponse_tardive: false,
        });
    }

    /// The next `fois` matching requests are carried out, then answered
    /// after `delai_ms` (past the client's timeout: it retries a write that
    /// was done).
    pub fn reponse_tardive(&self, methode: &'static str, contient: &str, delai_ms: u64, fois: usize) {
        self.etat.lock().unwrap().pannes.push_back(Panne {
            methode,
            contient: contient.to_string(),
            statut: 0,
            corps: Json::Null,
            delai: Duration::from_millis(delai_ms),
            fois,
            reponse_tardive: true,
        });
    }

    pub fn journal(&self) -> Vec<Appel> {
        self.etat.lock().unwrap().journal.clone()
    }

    pub fn ecritures(&self) -> Vec<Appel> {
        self.journal().into_iter().filter(|a| a.methode != "GET").collect()
    }

    /// Successful uploads (new files and replacements).
    pub fn televersements(&self) -> Vec<Appel> {
        self.journal().into_iter().filter(|a| a.fichier.is_some() && a.statut < 300).collect()
    }

    pub fn dataset(&self, id: &str) -> Json {
        self.etat.lock().unwrap().datasets.get(id).cloned().unwrap_or(Json::Null)
    }

    pub fn proteges_recus(&self) -> Vec<(String, String)> {
        self.etat.lock().unwrap().proteges_recus.clone()
    }
}

fn repondre(requete: tiny_http::Request, statut: u16, corps: &Json) {
    let r = Response::from_string(corps.to_string())
        .with_status_code(statut)
        .with_header(Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..]).unwrap());
    let _ = requete.respond(r);
}

fn erreur(message: &str) -> Json {
    json!({ "message": message })
}

fn traiter(etat: &Arc<Mutex<Etat>>, mut requete: tiny_http::Request) {
    let methode = requete.method().as_str().to_string();
    let chemin = requete.url().split('?').next().unwrap_or("").to_string();
    let entete = |nom: &str| {
        requete
            .headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(nom))
            .map(|h| h.value.as_str().to_string())
    };
    let cle = entete("X-API-KEY");
    let type_contenu = entete("Content-Type").unwrap_or_default();
    let mut corps = Vec::new();
    let _ = requete.as_reader().read_to_end(&mut corps);

    // Injected failure?
    let panne = {
        let mut e = etat.lock().unwrap();
        let i = e.pannes.iter().position(|p| p.fois > 0 && p.methode == methode && chemin.contains(&p.contient));
        i.map(|i| {
            e.pannes[i].fois -= 1;
            e.pannes[i].clone()
        })
    };
    if let Some(p) = panne.as_ref().filter(|p| !p.reponse_tardive) {
        std::thread::sleep(p.delai);
        if p.statut != 0 {
            etat.lock().unwrap().journal.push(Appel {
                methode: methode.clone(),
                chemin: chemin.clone(),
                cle: cle.clone(),
                json: None,
                fichier: None,
                statut: p.statut,
            });
            let mut r = Response::from_string(p.corps.to_string())
                .with_status_code(p.statut)
                .with_header(Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..]).unwrap());
            if p.statut == 429 {
                r = r.with_header(Header::from_bytes(&b"Retry-After"[..], &b"0"[..]).unwrap());
            }
            let _ = requete.respond(r);
            return;
        }
    }

    let mut e = etat.lock().unwrap();
    let json: Option<Json> =
        if type_contenu.starts_with("application/json") { serde_json::from_slice(&corps).ok() } else { None };
    let fichier = if type_contenu.starts_with("multipart/form-data") { multipart(&type_contenu, &corps) } else { None };
    let mut appel = Appel {
        methode: methode.clone(),
        chemin: chemin.clone(),
        cle: cle.clone(),
        json: json.clone(),
        fichier: fichier.as_ref().map(|(n, b)| (n.clone(), hex::encode(Sha1::digest(b)))),
        statut: 0,
    };
    let (statut, reponse) = router(&mut e, &methode, &chemin, cle.as_deref(), &type_contenu, json, fichier);
    appel.statut = statut;
    e.journal.push(appel);
    drop(e);
    if let Some(p) = panne.as_ref().filter(|p| p.reponse_tardive) {
        std::thread::sleep(p.delai);
    }
    repondre(requete, statut, &reponse);
}

/// The `file` part of a multipart body: (file name, bytes).
fn multipart(type_contenu: &str, corps: &[u8]) -> Option<(String, Vec<u8>)> {
    let frontiere = type_contenu.split("boundary=").nth(1)?.trim_matches('"');
    let sep = format!("--{frontiere}").into_bytes();
    let mut parts = Vec::new();
    let mut i = 0;
    while let Some(k) = find(&corps[i..], &sep) {
        parts.push(i + k);
        i += k + sep.len();
    }
    for w in parts.windows(2) {
        let part = &corps[w[0] + sep.len()..w[1]];
        let part = part.strip_prefix(b"\r\n")?;
        let fin = find(part, b"\r\n\r\n")?;
        let entetes = String::from_utf8_lossy(&part[..fin]).to_string();
        let contenu = &part[fin + 4..];
        let contenu = contenu.strip_suffix(b"\r\n").unwrap_or(contenu);
        if entetes.contains("name=\"file\"") {
            let nom = entetes.split("filename=\"").nth(1)?.split('"').next()?.to_string();
            return Some((nom, contenu.to_vec()));
        }
    }
    None
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

fn verifier_dataset(d: &Json, creation: bool) -> Map<String, Json> {
    let mut err = Map::new();
    let mut ajoute = |k: &str, m: &str| {
        err.insert(k.to_string(), json!([m]));
    };
    for k in ["title", "description"] {
        let v = d.get(k);
        if (creation && v.is_none()) || v.is_some_and(|v| v.as_str().is_none_or(|s| s.trim().is_empty())) {
            ajoute(k, "Ce champ est obligatoire.");
        }
    }
    if let Some(l) = d.get("license") {
        if !l.as_str().is_some_and(|l| LICENCES.contains(&l)) {
            ajoute("license", "Choix invalide");
        }
    }
    if let Some(f) = d.get("frequency") {
        if !f.as_str().is_some_and(|f| FREQUENCES.contains(&f)) {
            ajoute("frequency", "Choix invalide");
        }
    }
    if let Some(p) = d.get("private") {
        if !p.is_boolean() {
            ajoute("private", "Booléen attendu");
        }
    }
    if let Some(t) = d.get("temporal_coverage") {
        let ok =
            t.get("start").is_some_and(Json::is_string) && t.get("end").is_none_or(|e| e.is_null() || e.is_string());
        if !ok {
            ajoute("temporal_coverage", "Dates en chaînes attendues");
        }
    }
    if let Some(s) = d.get("spatial") {
        let zones_ok = s
            .get("zones")
            .and_then(Json::as_array)
            .is_some_and(|z| z.iter().all(|z| z.as_str().is_some_and(|z| ZONES.contains(&z))));
        let gran_ok = s.get("granularity").is_none_or(|g| g.as_str().is_some_and(|g| GRANULARITES.contains(&g)));
        if !zones_ok || !gran_ok {
            ajoute("spatial", "Zone ou granularité inconnue");
        }
    }
    if let Some(t) = d.get("tags") {
        if !t
            .as_array()
            .is_some_and(|t| t.iter().all(|t| t.as_str().is_some_and(|s| (3..=96).contains(&s.chars().count()))))
        {
            ajoute("tags", "De 3 à 96 caractères");
        }
    }
    if d.get("resources").is_some() {
        ajoute("resources", "Champ en lecture seule");
    }
    err
}

fn mime(nom: &str) -> &'static str {
    match nom.rsplit('.').next().unwrap_or("") {
        "csv" => "text/csv",
        "json" => "application/json",
        "md" => "text/markdown",
        "html" => "text/html",
        // Python's mimetypes has no entry for Parquet.
        _ => "application/octet-stream",
    }
}

fn nouvel_id(e: &mut Etat, longueur: usize) -> String {
    e.compteur += 1;
    let h = hex::encode(Sha1::digest(format!("id-{}", e.compteur)));
    h[..longueur].to_string()
}

fn router(
    e: &mut Etat,
    methode: &str,
    chemin: &str,
    cle: Option<&str>,
    type_contenu: &str,
    json: Option<Json>,
    fichier: Option<(String, Vec<u8>)>,
) -> (u16, Json) {
    if cle.is_some_and(|c| c != e.cle) || (methode != "GET" && cle.is_none()) {
        return (401, erreur("Invalid API token"));
    }
    let Some(reste) = chemin.strip_prefix("/api/1") else { return (404, erreur("Not found")) };
    let segments: Vec<&str> = reste.trim_matches('/').split('/').collect();
    let verifier_existe = |e: &Etat, id: &str| -> Option<(u16, Json)> {
        if e.supprimes.contains(id) {
            Some((410, erreur("Dataset has been deleted")))
        } else if !e.datasets.contains_key(id) {
            Some((404, erreur("Not found")))
        } else {
            None
        }
    };
    let liste = |ids: &[&str]| json!(ids.iter().map(|i| json!({ "id": i, "title": i })).collect::<Vec<_>>());
    match (methode, segments.as_slice()) {
        ("GET", ["datasets", "licenses"]) => (200, liste(&LICENCES)),
        ("GET", ["datasets", "frequencies"]) => (200, liste(&FREQUENCES)),
        ("GET", ["spatial", "granularities"]) => (200, liste(&GRANULARITES)),
        ("POST", ["datasets"]) => {
            let Some(d) = json else { return (400, erreur("JSON attendu")) };
            let err = verifier_dataset(&d, true);
            if !err.is_empty() {
                return (400, json!({ "message": "Validation error", "errors": err }));
            }
            let id = nouvel_id(e, 24);
            let mut o = d.as_object().cloned().unwrap_or_default();
            o.insert("id".into(), json!(id));
            o.insert("slug".into(), json!(format!("jeu-{id}")));
            o.insert("page".into(), json!(format!("http://127.0.0.1/datasets/jeu-{id}/")));
            o.entry("private").or_insert(json!(false));
            o.insert("resources".into(), json!([]));
            let d = Json::Object(o);
            e.datasets.insert(id, d.clone());
            (201, d)
        }
        ("GET", ["datasets", id]) => {
            if let Some(r) = verifier_existe(e, id) {
                return r;
            }
            let d = &e.datasets[*id];
            if d["private"] == json!(true) && cle.is_none() {
                return (404, erreur("Not found"));
            }
            (200, d.clone())
        }
        ("PUT", ["datasets", id]) => {
            if let Some(r) = verifier_existe(e, id) {
                return r;
            }
            let Some(d) = json else { return (400, erreur("JSON attendu")) };
            let err = verifier_dataset(&d, false);
            if !err.is_empty() {
                return (400, json!({ "message": "Validation error", "errors": err }));
            }
            let existant = e.datasets.get_mut(*id).unwrap();
            for (k, v) in d.as_object().unwrap() {
                if k != "organization" {
                    existant[k] = v.clone();
                }
            }
            (200, existant.clone())
        }
        ("POST", ["datasets", id, "upload"]) | ("POST", ["datasets", id, "resources", _, "upload"]) => {
            if let Some(r) = verifier_existe(e, id) {
                return r;
            }
            if !type_contenu.starts_with("multipart/form-data") {
                return (
                    400,
                    json!({ "message": "Validation error", "errors": { "file": ["multipart/form-data attendu"] } }),
                );
            }
            let Some((nom, octets)) = fichier else {
                return (
                    400,
                    json!({ "message": "Validation error", "errors": { "file": ["Champ « file » manquant"] } }),
                );
            };
            let m = mime(&nom);
            if m.contains("html") {
                return (415, erreur("Incorrect file content type: HTML"));
            }
            e.compteur += 1;
            let url = format!("http://127.0.0.1/static/{}/{nom}", e.compteur);
            let infos = json!({
                "title": nom, "url": url, "filetype": "file",
                "checksum": { "type": "sha1", "value": hex::encode(Sha1::digest(&octets)) },
                "filesize": octets.len(), "mime": m,
                "format": nom.rsplit('.').next().unwrap_or("").to_lowercase(),
            });
            let base = e.base.clone();
            if let ["datasets", _, "resources", rid, "upload"] = segments.as_slice() {
                let d = e.datasets.get_mut(*id).unwrap();
                let Some(r) = d["resources"].as_array_mut().unwrap().iter_mut().find(|r| r["id"] == json!(rid)) else {
                    return (404, erreur("Resource does not exist"));
                };
                // udata copies every upload info, title included, onto the resource.
                for (k, v) in infos.as_object().unwrap() {
                    r[k] = v.clone();
                }
                (200, r.clone())
            } else {
                let rid = nouvel_id(e, 32);
                let mut r = infos;
                r["id"] = json!(rid);
                r["type"] = json!("main");
                r["description"] = json!("");
                r["extras"] = json!({});
                r["schema"] = json!({});
                r["latest"] = json!(format!("{base}/datasets/r/{rid}"));
                e.datasets.get_mut(*id).unwrap()["resources"].as_array_mut().unwrap().push(r.clone());
                (201, r)
            }
        }
        ("PUT", ["datasets", id, "resources", rid]) => {
            if let Some(r) = verifier_existe(e, id) {
                return r;
            }
            let Some(Json::Object(corps)) = json else { return (400, erreur("JSON attendu")) };
            let mut err = Map::new();
            if corps.get("title").and_then(Json::as_str).is_none_or(|t| t.trim().is_empty()) {
                err.insert("title".into(), json!(["Ce champ est obligatoire."]));
            }
            if let Some(t) = corps.get("type") {
                if !t.as_str().is_some_and(|t| TYPES.contains(&t)) {
                    err.insert("type".into(), json!(["Choix invalide"]));
                }
            }
            if let Some(s) = corps.get("schema") {
                let ok = s.is_null()
                    || s.get("url").and_then(Json::as_str).is_some_and(|u| u.starts_with("http"))
                    || s.get("name").and_then(Json::as_str).is_some();
                if !ok {
                    err.insert("schema".into(), json!(["Schéma invalide : url http(s) ou name attendu"]));
                }
            }
            if !err.is_empty() {
                return (400, json!({ "message": "Validation error", "errors": err }));
            }
            let mut recus = Vec::new();
            let d = e.datasets.get_mut(*id).unwrap();
            let Some(r) = d["resources"].as_array_mut().unwrap().iter_mut().find(|r| r["id"] == json!(rid)) else {
                return (404, erreur("Resource does not exist"));
            };
            let heberge = r["filetype"] == json!("file");
            for (k, v) in &corps {
                if PROTEGES.contains(&k.as_str()) {
                    recus.push((rid.to_string(), k.clone()));
                    if heberge {
                        continue;
                    }
                }
                r[k] = v.clone();
            }
            let r = r.clone();
            e.proteges_recus.extend(recus);
            (200, r)
        }
        _ => (404, erreur("Not found")),
    }
}
