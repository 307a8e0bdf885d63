//! HTTP with the udata API (`/api/1`): JSON in and out, multipart for
//! uploads, the key in `X-API-KEY`, a timeout on every request, retries with
//! exponential backoff on 429, 5xx and network errors, and errors turned
//! into French messages that say what to do. Redirects are not followed:
//! the key must never travel to another address than the one configured.

use super::config::Cle;
use serde_json::Value as Json;
use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Methode {
    Get,
    Post,
    Put,
}

impl Methode {
    fn nom(self) -> &'static str {
        match self {
            Methode::Get => "GET",
            Methode::Post => "POST",
            Methode::Put => "PUT",
        }
    }
}

pub enum Corps<'a> {
    Vide,
    Json(&'a Json),
    /// One multipart field `file`.
    Fichier {
        nom: &'a str,
        type_mime: &'a str,
        octets: &'a [u8],
    },
}

#[derive(Debug, Clone)]
pub enum ErreurApi {
    /// The server answered with a status outside 2xx.
    Http {
        methode: &'static str,
        chemin: String,
        statut: u16,
        message: String,
        erreurs: Option<Box<Json>>,
        essais: u32,
    },
    /// No answer: connection refused, DNS, timeout…
    Reseau { methode: &'static str, chemin: String, message: String, delai: bool, essais: u32 },
    /// A write was needed and `DATAGOUV_API_KEY` is not set.
    SansCle,
}

impl ErreurApi {
    pub fn statut(&self) -> Option<u16> {
        match self {
            ErreurApi::Http { statut, .. } => Some(*statut),
            _ => None,
        }
    }

    /// Errors after which no further request can succeed: the key, the
    /// dataset itself, or the network.
    pub fn bloquante(&self) -> bool {
        match self {
            ErreurApi::Http { statut, chemin, .. } => {
                matches!(statut, 401 | 403 | 410)
                    || (*statut == 404 && !chemin.contains("/resources/"))
                    || (300..400).contains(statut)
            }
            ErreurApi::Reseau { .. } | ErreurApi::SansCle => true,
        }
    }
}

impl fmt::Display for ErreurApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErreurApi::SansCle => write!(
                f,
                "la variable d'environnement {} n'est pas définie : créez une clé API dans votre profil data.gouv.fr (ou demo.data.gouv.fr) et exportez-la",
                super::config::VARIABLE_CLE
            ),
            ErreurApi::Reseau { methode, chemin, message, delai, essais } => {
                if *delai {
                    write!(f, "{methode} {chemin} : délai dépassé, pas de réponse du serveur ({essais} essai(s))")
                } else {
                    write!(f, "{methode} {chemin} : erreur réseau ({message}) ({essais} essai(s))")
                }
            }
            ErreurApi::Http { methode, chemin, statut, message, erreurs, essais } => {
                write!(f, "{methode} {chemin} : {statut} : ")?;
                let detail = if message.is_empty() { String::new() } else { format!(" (serveur : « {message} »)") };
                match statut {
                    400 => {
                        write!(f, "requête refusée par data.gouv.fr{detail}")?;
                        if let Some(Json::Object(e)) = erreurs.as_deref() {
                            let champs: Vec<String> = e
                                .iter()
                                .map(|(k, v)| {
                                    let v = match v {
                                        Json::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string())).collect::<Vec<_>>().join(" ; "),
                                        Json::String(s) => s.clone(),
                                        autre => autre.to_string(),
                                    };
                                    format!("{k} : {v}")
                                })
                                .collect();
                            write!(f, " ; champs en erreur : {}", champs.join(" | "))?;
                        }
                        Ok(())
                    }
                    401 => write!(
                        f,
                        "clé API refusée{detail} : vérifiez {} (une clé de demo.data.gouv.fr ne vaut pas sur www.data.gouv.fr, et inversement ; une clé peut expirer ou être révoquée)",
                        super::config::VARIABLE_CLE
                    ),
                    403 => write!(f, "accès refusé{detail} : le compte de cette clé API n'a pas le droit de modifier ce jeu de données (membre de l'organisation ?)"),
                    404 => write!(f, "introuvable{detail} : vérifiez l'identifiant du jeu de données (ou de la ressource) et la plateforme (--api-url)"),
                    410 => write!(f, "ce jeu de données a été supprimé{detail} : restaurez-le sur data.gouv.fr ou créez-en un autre avec --create"),
                    413 => write!(f, "fichier trop volumineux pour le serveur{detail}"),
                    415 => write!(f, "type de fichier refusé{detail} : data.gouv.fr refuse le HTML et les extensions qu'il n'autorise pas (voir /datasets/extensions/)"),
                    423 => write!(f, "création de contenu momentanément bloquée par data.gouv.fr (protection anti-spam){detail} : réessayez plus tard"),
                    429 => write!(f, "trop de requêtes, toujours limité après {essais} essai(s){detail}"),
                    300..=399 => write!(f, "redirection{detail} : indiquez l'adresse finale de l'API avec --api-url (la clé n'est jamais envoyée ailleurs)"),
                    s if *s >= 500 => write!(f, "erreur du serveur, toujours en échec après {essais} essai(s){detail}"),
                    _ => write!(f, "réponse inattendue{detail}"),
                }
            }
        }
    }
}

impl std::error::Error for ErreurApi {}

pub struct Client {
    agent: ureq::Agent,
    base: String,
    cle: Option<Cle>,
    tentatives: u32,
    attente: Duration,
}

/// What one attempt gave: a final answer or something worth retrying.
enum Essai {
    Fini(Result<Json, ErreurApi>),
    Reessayer(ErreurApi, Option<Duration>),
}

impl Client {
    /// `tentatives`: retries after the first attempt; `attente`: first backoff delay, doubled each time.
    pub fn new(base: &str, cle: Option<Cle>, delai: Duration, tentatives: u32, attente: Duration) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(delai))
            .user_agent(concat!("temoignages/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: ureq::Agent::new_with_config(config),
            base: base.trim_end_matches('/').to_string(),
            cle,
            tentatives,
            attente,
        }
    }

    pub fn a_une_cle(&self) -> bool {
        self.cle.is_some()
    }

    pub fn get(&self, chemin: &str) -> Result<Json, ErreurApi> {
        self.requete(Methode::Get, chemin, Corps::Vide)
    }

    pub fn post_json(&self, chemin: &str, corps: &Json) -> Result<Json, ErreurApi> {
        self.requete(Methode::Post, chemin, Corps::Json(corps))
    }

    pub fn put_json(&self, chemin: &str, corps: &Json) -> Result<Json, ErreurApi> {
        self.requete(Methode::Put, chemin, Corps::Json(corps))
    }

    pub fn televerser(&self, chemin: &str, nom: &str, type_mime: &str, octets: &[u8]) -> Result<Json, ErreurApi> {
        self.requete(Methode::Post, chemin, Corps::Fichier { nom, type_mime, octets })
    }

    /// An upload that creates a resource. Sending it again after an answer
    /// that never came (a timeout, a dropped connection, a gateway error)
    /// could create the resource twice: before each new attempt, `deja`
    /// looks for the resource the failed one may have created, and what it
    /// finds is the answer.
    pub fn televerser_nouveau(
        &self,
        chemin: &str,
        nom: &str,
        type_mime: &str,
        octets: &[u8],
        deja: &dyn Fn() -> Option<Json>,
    ) -> Result<Json, ErreurApi> {
        self.requete_avec(Methode::Post, chemin, Corps::Fichier { nom, type_mime, octets }, Some(deja))
    }

    /// `chemin` starts with `/` and is appended to the API base.
    pub fn requete(&self, methode: Methode, chemin: &str, corps: Corps<'_>) -> Result<Json, ErreurApi> {
        self.requete_avec(methode, chemin, corps, None)
    }

    fn requete_avec(
        &self,
        methode: Methode,
        chemin: &str,
        corps: Corps<'_>,
        deja: Option<&dyn Fn() -> Option<Json>>,
    ) -> Result<Json, ErreurApi> {
        if methode != Methode::Get && self.cle.is_none() {
            return Err(ErreurApi::SansCle);
        }
        let (type_contenu, octets) = match corps {
            Corps::Vide => (None, Vec::new()),
            Corps::Json(j) => (Some("application/json".to_string()), serde_json::to_vec(j).unwrap_or_default()),
            Corps::Fichier { nom, type_mime, octets } => {
                let (t, b) = multipart(nom, type_mime, octets);
                (Some(t), b)
            }
        };
        let mut essai = 1;
        loop {
            match self.une_fois(methode, chemin, type_contenu.as_deref(), &octets, essai) {
                Essai::Fini(r) => return r,
                Essai::Reessayer(e, apres) => {
                    if essai > self.tentatives {
                        return Err(e);
                    }
                    let attente = apres.unwrap_or_else(|| self.attente.saturating_mul(1 << (essai - 1).min(10)));
                    eprintln!(
                        "avertissement : {} {} : {}, nouvel essai dans {:.1} s ({}/{})",
                        methode.nom(),
                        chemin,
                        match &e {
                            ErreurApi::Http { statut, .. } => format!("réponse {statut}"),
                            ErreurApi::Reseau { delai: true, .. } => "délai dépassé".to_string(),
                            ErreurApi::Reseau { message, .. } => format!("erreur réseau ({message})"),
                            _ => "erreur réseau".to_string(),
                        },
                        attente.as_secs_f64(),
                        essai,
                        self.tentatives
                    );
                    std::thread::sleep(attente);
                    if let Some(r) = deja.and_then(|f| f()) {
                        eprintln!(
                            "note : {} {} : la ressource avait été créée malgré l'erreur ; elle est reprise, pas envoyée une seconde fois",
                            methode.nom(),
                            chemin
                        );
                        return Ok(r);
                    }
                    essai += 1;
                }
            }
        }
    }

    fn une_fois(&self, methode: Methode, chemin: &str, type_contenu: Option<&str>, octets: &[u8], essai: u32) -> Essai {
        let url = format!("{}{}", self.base, chemin);
        let cle = self.cle.as_ref().map(Cle::valeur);
        let reponse = match methode {
            Methode::Get => {
                let mut r = self.agent.get(&url).header("Accept", "application/json");
                if let Some(c) = cle {
                    r = r.header("X-API-KEY", c);
                }
                r.call()
            }
            Methode::Post | Methode::Put => {
                let mut r = if methode == Methode::Post { self.agent.post(&url) } else { self.agent.put(&url) };
                r = r.header("Accept", "application/json");
                if let Some(c) = cle {
                    r = r.header("X-API-KEY", c);
                }
                if let Some(t) = type_contenu {
                    r = r.header("Content-Type", t);
                }
                r.send(octets)
            }
        };
        let m = methode.nom();
        let mut reponse = match reponse {
            Ok(r) => r,
            Err(e) => {
                let delai = matches!(e, ureq::Error::Timeout(_));
                return Essai::Reessayer(
                    ErreurApi::Reseau {
                        methode: m,
                        chemin: chemin.to_string(),
                        message: crate::read::erreur_reseau(&e),
                        delai,
                        essais: essai,
                    },
                    None,
                );
            }
        };
        let statut = reponse.status().as_u16();
        let redirection = reponse.headers().get("Location").and_then(|v| v.to_str().ok()).map(str::to_string);
        let retry_after = reponse
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|s| Duration::from_secs(s.min(60)));
        let texte = match reponse.body_mut().with_config().limit(64 * 1024 * 1024).read_to_string() {
            Ok(t) => t,
            Err(e) if (200..300).contains(&statut) => {
                let delai = matches!(e, ureq::Error::Timeout(_));
                return Essai::Reessayer(
                    ErreurApi::Reseau {
                        methode: m,
                        chemin: chemin.to_string(),
                        message: crate::read::erreur_reseau(&e),
                        delai,
                        essais: essai,
                    },
                    None,
                );
            }
            Err(_) => String::new(),
        };
        let json: Json = if texte.trim().is_empty() {
            Json::Null
        } else {
            serde_json::from_str(&texte).unwrap_or(Json::String(texte.clone()))
        };
        if (200..300).contains(&statut) {
            return Essai::Fini(Ok(json));
        }
        let message = match &json {
            _ if (300..400).contains(&statut) && redirection.is_some() => {
                format!("vers {}", redirection.unwrap_or_default())
            }
            Json::Object(o) => o.get("message").and_then(Json::as_str).unwrap_or("").to_string(),
            Json::String(s) => s.chars().take(200).collect(),
            _ => String::new(),
        };
        let erreurs = json.get("errors").cloned().map(Box::new);
        let e = ErreurApi::Http { methode: m, chemin: chemin.to_string(), statut, message, erreurs, essais: essai };
        if statut == 429 || statut >= 500 {
            Essai::Reessayer(e, retry_after)
        } else {
            Essai::Fini(Err(e))
        }
    }
}

/// A `multipart/form-data` body with one field, `file`. Written by hand:
/// one part with a fixed shape does not justify a dependency. The boundary
/// is derived from the content's hash so it cannot occur in it by chance.
pub fn multipart(nom: &str, type_mime: &str, octets: &[u8]) -> (String, Vec<u8>) {
    use sha1::{Digest, Sha1};
    let frontiere = format!("----temoignages-{}", hex::encode(Sha1::digest(octets)));
    let nom = nom.replace(['"', '\r', '\n'], "_");
    let mut b = Vec::with_capacity(octets.len() + 512);
    b.extend_from_slice(format!("--{frontiere}\r\n").as_bytes());
    b.extend_from_slice(format!("Content-Disposition: form-data; name=\"file\"; filename=\"{nom}\"\r\n").as_bytes());
    b.extend_from_slice(format!("Content-Type: {type_mime}\r\n\r\n").as_bytes());
    b.extend_from_slice(octets);
    b.extend_from_slice(format!("\r\n--{frontiere}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={frontiere}"), b)
}
