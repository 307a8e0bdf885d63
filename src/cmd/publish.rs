//! `temoignages publish [DIR]`: plan (default) or apply (`--apply`) the
//! publication of a built dataset folder on data.gouv.fr. Glue only: the
//! settings come from `publish::config`, the decisions from
//! `publish::plan`, the requests from `publish::api`.

use super::Sortie;
use crate::publish::api::{Client, ErreurApi};
use crate::publish::config::{Arguments, Cible, PublishConfig, VARIABLE_CLE};
use crate::publish::{self, local, plan};
use anyhow::Result;

impl From<crate::cli::PublishArgs> for Arguments {
    fn from(a: crate::cli::PublishArgs) -> Self {
        Arguments {
            dir: a.dir,
            api_url: a.api_url,
            dataset: a.dataset,
            create: a.create,
            apply: a.apply,
            check: a.check,
            metadata: a.metadata,
            report: a.report,
            timeout: a.timeout,
            retries: a.retries,
            backoff_ms: a.backoff_ms,
        }
    }
}

/// Problems of an invalid folder shown before `publish` gives up.
const PROBLEMES_AFFICHES: usize = 10;

pub fn run(args: Arguments) -> Result<Sortie> {
    let rapport_demande = args.report.is_some();
    let cfg = match PublishConfig::resoudre(args, std::env::var(VARIABLE_CLE).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            return Ok(Sortie::Impossible);
        }
    };
    let locaux = match local::fichiers(&cfg.dossier) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            return Ok(Sortie::Impossible);
        }
    };
    // Only a whole dataset, as `validate` checks it, is published: never a
    // folder someone edited by hand or a half-copied one.
    if !cfg.dossier.join("datapackage.json").is_file() {
        eprintln!(
            "erreur : {} ne contient pas de datapackage.json : ce n'est pas un jeu de données écrit par `temoignages build` ; rien n'est publié",
            cfg.dossier.display()
        );
        return Ok(Sortie::Impossible);
    }
    let constats = crate::validate::valider_dossier(&cfg.dossier);
    if !constats.is_empty() {
        for c in constats.iter().take(PROBLEMES_AFFICHES) {
            eprintln!("{c}");
        }
        if constats.len() > PROBLEMES_AFFICHES {
            eprintln!("… et {} autre(s)", constats.len() - PROBLEMES_AFFICHES);
        }
        eprintln!(
            "erreur : {} n'est pas un jeu de données valide ({} problème(s)) : rien n'est publié ; `temoignages validate {}` les liste tous, `temoignages build` le refait",
            cfg.dossier.display(),
            constats.len(),
            cfg.dossier.display()
        );
        return Ok(Sortie::Impossible);
    }
    if cfg.appliquer && cfg.cle.is_none() {
        eprintln!("erreur : {}", ErreurApi::SansCle);
        return Ok(Sortie::Impossible);
    }
    let client = Client::new(&cfg.api_url, cfg.cle.clone(), cfg.delai, cfg.tentatives, cfg.attente);
    let distant = match &cfg.cible {
        Cible::Existant(id) => match client.get(&format!("/datasets/{id}/")) {
            Ok(d) => Some(d),
            Err(e) => {
                eprintln!("erreur : jeu de données {id} : {e}");
                return Ok(Sortie::Impossible);
            }
        },
        Cible::Creer => None,
    };
    // Read before writing; a plan of creation reads nothing.
    let inconnus = if cfg.appliquer || distant.is_some() {
        publish::vocabulaires_inconnus(&client, &cfg.metadonnees)
    } else {
        Vec::new()
    };
    if !inconnus.is_empty() {
        for i in &inconnus {
            eprintln!("erreur : {} : {i}", cfg.source_metadonnees);
        }
        eprintln!("erreur : la plateforme refuserait ces métadonnées ; rien n'est publié");
        return Ok(Sortie::Impossible);
    }
    let plan = plan::planifier(&locaux, &cfg.metadonnees, distant.as_ref());
    let nom = match &cfg.cible {
        Cible::Existant(id) => format!("jeu de données {id}"),
        Cible::Creer => "nouveau jeu de données".to_string(),
    };

    if !cfg.appliquer {
        crate::dire!(
            "Plan pour le {nom} sur {} ({} fichier(s) dans {}) :",
            cfg.api_url,
            locaux.len(),
            cfg.dossier.display()
        );
        for l in plan.lignes() {
            crate::dire!("{l}");
        }
        crate::dire!("Aucune écriture envoyée ; ajoutez --apply pour publier.");
        // `--check` is for CI jobs that only compare: no key needed, no note.
        if !client.a_une_cle() && !cfg.verifier {
            eprintln!("note : {VARIABLE_CLE} n'est pas définie ; --apply en aura besoin");
        }
        if rapport_demande {
            let mut r = publish::rapport_du_plan(&plan, &cfg.api_url, distant.as_ref());
            r.bilan.code_sortie = if cfg.verifier && plan.changements() { 1 } else { 0 };
            r.ecrire(&cfg.rapport)?;
        }
        return Ok(if cfg.verifier && plan.changements() {
            eprintln!("vérification : le jeu publié diffère du dossier {}", cfg.dossier.display());
            Sortie::Echec
        } else {
            Sortie::Succes
        });
    }

    crate::dire!(
        "Publication du {nom} sur {} ({} fichier(s) dans {}) :",
        cfg.api_url,
        locaux.len(),
        cfg.dossier.display()
    );
    let mut issue = publish::appliquer(
        &client,
        &cfg.metadonnees,
        &plan,
        distant.as_ref(),
        &mut |l| crate::dire!("{l}"),
        &mut |e| eprintln!("erreur : {e}"),
    );
    let sortie = if issue.arret.is_some() && issue.ecritures == 0 {
        Sortie::Impossible
    } else if issue.echecs > 0 {
        Sortie::Echec
    } else {
        Sortie::Succes
    };
    issue.rapport.api_url = cfg.api_url.clone();
    issue.rapport.bilan.code_sortie = sortie as u8;
    let b = &issue.rapport.bilan;
    crate::dire!(
        "Bilan : {} créée(s), {} remplacée(s), {} mise(s) à jour, {} laissée(s), {} échec(s).",
        b.creees,
        b.remplacees,
        b.mises_a_jour,
        b.laissees,
        b.echecs
    );
    if let Some(page) = &issue.rapport.dataset.page {
        crate::dire!("Page : {page}");
    }
    if cfg.cible == Cible::Creer {
        if let Some(id) = &issue.rapport.dataset.id {
            crate::dire!(
                "Jeu créé : {id} — ajoutez `dataset = \"{id}\"` à input/dataset.toml pour les prochaines publications."
            );
        }
    }
    match issue.rapport.ecrire(&cfg.rapport) {
        Ok(()) => crate::dire!("Rapport : {}", cfg.rapport.display()),
        Err(e) => {
            eprintln!("erreur : rapport : {e:#}");
            return Ok(Sortie::Echec.max_code(sortie));
        }
    }
    Ok(sortie)
}

trait Pire {
    fn max_code(self, autre: Sortie) -> Sortie;
}

impl Pire for Sortie {
    fn max_code(self, autre: Sortie) -> Sortie {
        if (autre as u8) > (self as u8) {
            autre
        } else {
            self
        }
    }
}
