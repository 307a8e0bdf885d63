//! A whole page: document fields (title, dates, categories), item
//! identifiers made unique, links, and page-level findings. The items
//! themselves are handed to `temoignage`.

use super::temoignage::{normaliser_element, Contexte};
use super::texte::{normaliser_espaces, plier_identifiant};
use super::Referentiels;
use crate::model::{Anomalie, Document, Extraction, Lien, Severite};
use crate::parse::{LienBrut, PageBrute};
use chrono::NaiveDate;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// What is known of a page besides its content.
#[derive(Debug, Clone)]
pub struct Source {
    /// Document identifier (file name folded), already unique in the run.
    pub identifiant: String,
    /// Path relative to the input folder, with `/`.
    pub fichier_source: String,
    /// `sha256:<hex>` of the bytes.
    pub empreinte: String,
    /// Findings met while reading (encoding…), added before the page's own.
    pub anomalies: Vec<(&'static str, Severite, String, Option<String>)>,
}

/// Collects findings with their rank in the document.
pub(crate) struct Constats<'a> {
    pub document: &'a str,
    pub liste: Vec<Anomalie>,
}

impl Constats<'_> {
    pub fn ajouter(
        &mut self,
        temoignage: Option<&str>,
        code: &'static str,
        severite: Severite,
        message: String,
        extrait: Option<String>,
    ) {
        let rang = self.liste.len() as i64 + 1;
        self.liste.push(Anomalie {
            document: self.document.to_string(),
            rang,
            temoignage: temoignage.map(str::to_string),
            code,
            severite,
            message,
            extrait,
        });
    }
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?$",
    )
    .unwrap()
});
static DATE_FICHIER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})-").unwrap());

/// `2024-07-03 13:49:00 +02:00` → (2024-07-03, `2024-07-03T13:49:00+02:00`).
/// The date is the one written, in the page's own offset (not moved to UTC).
pub(crate) fn lire_date(s: &str) -> Option<(NaiveDate, Option<String>)> {
    let c = DATE.captures(s.trim())?;
    let n = |i: usize| c.get(i).map(|m| m.as_str().parse::<u32>().unwrap_or(99));
    let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, n(2)?, n(3)?)?;
    let heure = match (n(4), n(5)) {
        (Some(h), Some(m)) if h < 24 && m < 60 => {
            let s = n(6).unwrap_or(0);
            if s >= 60 {
                return None;
            }
            let offset = match c.get(7).map(|m| m.as_str()) {
                None => String::new(),
                Some("Z") => "Z".into(),
                Some(o) if o.contains(':') => o.into(),
                Some(o) => format!("{}:{}", &o[..3], &o[3..]),
            };
            Some(format!("{}T{h:02}:{m:02}:{s:02}{offset}", date.format("%Y-%m-%d")))
        }
        (Some(_), _) => return None,
        _ => None,
    };
    Some((date, heure))
}

fn date_du_fichier(fichier: &str) -> Option<NaiveDate> {
    let nom = fichier.rsplit('/').next().unwrap_or(fichier);
    let c = DATE_FICHIER.captures(nom)?;
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

/// The host of an absolute URL, lowercased; `None` for a relative link.
pub(crate) fn domaine(href: &str) -> Option<String> {
    let u = url::Url::parse(href).ok()?;
    u.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase()).filter(|h| !h.is_empty())
}

/// Normalises one parsed page.
pub fn normaliser(source: &Source, page: &PageBrute, refs: &Referentiels) -> Extraction {
    let doc_id = source.identifiant.as_str();
    let mut constats = Constats { document: doc_id, liste: Vec::new() };
    for (code, sev, msg, extrait) in &source.anomalies {
        constats.ajouter(None, code, *sev, msg.clone(), extrait.clone());
    }
    if let Some(e) = &page.erreur_front {
        constats.ajouter(
            None,
            "front-matter-invalide",
            Severite::Erreur,
            format!("Le front matter YAML de {} est invalide : {e}", source.fichier_source),
            None,
        );
    }

    let front = &page.front;
    let (mut date_publication, mut date_heure_publication) = (None, None);
    if let Some(d) = &front.date {
        match lire_date(d) {
            Some((date, heure)) => {
                date_publication = Some(date);
                date_heure_publication = heure;
            }
            None => constats.ajouter(
                None,
                "date-invalide",
                Severite::Avertissement,
                format!("La date « {d} » du front matter n'est pas une date lisible ; la date du nom de fichier est utilisée s'il y en a une."),
                Some(d.clone()),
            ),
        }
    }
    if date_publication.is_none() {
        date_publication = date_du_fichier(&source.fichier_source);
    }
    let titre = front.title.clone().or_else(|| page.titre_html.clone()).map(|t| normaliser_espaces(&t));
    if titre.is_none() {
        constats.ajouter(None, "titre-absent", Severite::Avertissement, "La page n'a pas de titre.".into(), None);
    }

    let mut ex = Extraction::default();
    let ctx = Contexte { document: doc_id, date_publication, refs };
    let mut vus: HashMap<String, usize> = HashMap::new();
    let mut liens: Vec<(Option<String>, &LienBrut)> = Vec::new();
    for (i, element) in page.elements.iter().enumerate() {
        let rang = i as i64 + 1;
        let mut id = element.id.as_deref().map(plier_identifiant).unwrap_or_default();
        if id.is_empty() {
            id = plier_identifiant(&element.titre);
            let repli = if id.is_empty() { format!("element-{rang}") } else { id.clone() };
            constats.ajouter(
                None,
                "identifiant-absent",
                Severite::Avertissement,
                format!("L'élément {rang} n'a ni `aria-controls` ni `id` ; son identifiant est tiré de son titre : « {repli} »."),
                Some(element.titre.clone()),
            );
            id = repli;
        }
        let n = vus.entry(id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let mut unique = format!("{id}-{n}");
            while vus.contains_key(&unique) {
                *vus.get_mut(&id).unwrap() += 1;
                unique = format!("{id}-{}", vus[&id]);
            }
            constats.ajouter(
                None,
                "identifiant-duplique",
                Severite::Erreur,
                format!(
                    "L'identifiant « {id} » est porté par plusieurs éléments ; l'élément {rang} devient « {unique} »."
                ),
                element.id.clone(),
            );
            vus.insert(unique.clone(), 1);
            id = unique;
        }
        let tid = format!("{doc_id}--{id}");
        normaliser_element(&ctx, element, &tid, rang, &mut ex, &mut constats);
        liens.extend(element.liens.iter().map(|l| (Some(tid.clone()), l)));
    }
    liens.extend(page.liens_hors_elements.iter().map(|l| (None, l)));
    for (i, (temoignage, l)) in liens.into_iter().enumerate() {
        ex.liens.push(Lien {
            document: doc_id.to_string(),
            rang: i as i64 + 1,
            temoignage,
            url: l.href.clone(),
            texte: Some(l.texte.clone()),
            domaine: domaine(&l.href),
        });
    }

    ex.document = Document {
        identifiant: doc_id.to_string(),
        titre,
        date_publication,
        date_heure_publication,
        categories: front.categories.clone(),
        mots_cles: front.tags.clone(),
        chapeau: front.chapeau.as_deref().map(normaliser_espaces),
        publie: front.published,
        format_source: page.format.as_str(),
        fichier_source: source.fichier_source.clone(),
        empreinte_source: source.empreinte.clone(),
        nombre_temoignages: ex.temoignages.len() as i64,
    };
    ex.anomalies = constats.liste;
    ex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let (d, h) = lire_date("2024-07-03 13:49:00 +02:00").unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2024, 7, 3).unwrap());
        assert_eq!(h.as_deref(), Some("2024-07-03T13:49:00+02:00"));
        assert_eq!(lire_date("2021-1-5").unwrap().1, None);
        assert_eq!(lire_date("2021-01-05T08:00:00+0100").unwrap().1.as_deref(), Some("2021-01-05T08:00:00+01:00"));
        assert!(lire_date("2021-02-30").is_none());
        assert!(lire_date("juin 2023").is_none());
        assert_eq!(date_du_fichier("pages/2024-07-03-cloud.md"), NaiveDate::from_ymd_opt(2024, 7, 3));
    }

    #[test]
    fn domains() {
        assert_eq!(domaine("https://WWW.Service-Public.fr/x").as_deref(), Some("www.service-public.fr"));
        assert_eq!(domaine("/services/cloud"), None);
        assert_eq!(domaine("LIEN"), None);
    }
}
