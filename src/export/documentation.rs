//! The dataset's documentation, `documentation.md` (French Markdown), the
//! data.gouv.fr `documentation` resource: provenance (the pages read, from
//! the extractions), method (how columns are extracted and where the rules
//! stop), vocabularies, known gaps, and the data dictionary rendered from the
//! catalogue by `schema::dictionnaire_markdown`. Deterministic: no clock.

use super::page::Synthese;
use super::schema::{self, Fichier};
use crate::fields::{Kind, TABLES};
use std::collections::BTreeSet;
use std::fmt::Write;

/// What each value of the closed vocabularies means. A test checks that
/// every value the catalogue declares is explained here.
const SENS: &[(&str, &str)] = &[
    // statut
    ("obtenue", "l'hébergement ou l'offre utilisée détient la qualification ; c'est aussi le statut retenu quand la phrase nomme la qualification sans autre indice"),
    ("en_cours", "la démarche de qualification ou de certification est engagée"),
    ("visee", "la qualification est recherchée, prévue ou « pas encore » obtenue"),
    ("non_retenue", "explicitement écartée ou jugée non nécessaire (« le choix ne s'est pas porté sur une solution qualifiée SecNumCloud »)"),
    ("insuffisante", "détenue mais jugée insuffisante (« les certifications ISO 27001, bien que nécessaires, ne suffisent pas »)"),
    // periode
    ("jour", "par jour"),
    ("semaine", "par semaine"),
    ("mois", "par mois"),
    ("an", "par an"),
    // qualificatif
    ("exact", "la valeur est donnée telle quelle"),
    ("plus_de", "« plus de », « au-delà de » : la valeur est un plancher dépassé"),
    ("moins_de", "« moins de », « jusqu'à » : la valeur est un plafond"),
    ("environ", "« environ », « près de », « quelque » : approximation"),
    ("au_moins", "« au moins », « minimum » : plancher atteint"),
    ("cible", "objectif ou capacité visée (« en cible », « à terme »)"),
    ("ordre_de_grandeur", "« des centaines de milliers », « plusieurs dizaines » : `valeur` et `valeur_max` bornent l'intervalle"),
    // theme
    ("description", "présentation du projet"),
    ("apport_du_cloud", "ce que le cloud a apporté, en quoi il a été déterminant"),
    ("autres_avantages", "autres bénéfices"),
    ("facteurs_de_succes", "facteurs clés de succès, conditions de réussite"),
    ("defis", "défis, difficultés, obstacles, freins"),
    ("prochaines_etapes", "étapes suivantes du projet"),
    ("perspectives", "perspectives, avenir"),
    ("criteres_de_choix", "critères de choix de l'offre ou du fournisseur"),
    ("impact_organisationnel", "effets sur l'organisation et les équipes"),
    ("autre", "aucune des règles ne reconnaît la question"),
    // categorie
    ("fournisseur_cloud", "fournisseur d'hébergement ou de services cloud (OVHcloud, Scaleway, Outscale…)"),
    ("technologie", "technologie ou outil d'infrastructure (Docker, Kubernetes…)"),
    ("logiciel", "logiciel applicatif nommé (BigBlueButton…)"),
    // severite
    ("info", "constat sans effet sur les valeurs (orthographe corrigée…)"),
    ("avertissement", "le texte publié a un défaut que l'extraction contourne (question répétée, note de rédaction restée…)"),
    ("erreur", "une partie de la page n'a pas pu être extraite"),
    // format_source
    ("markdown", "article Jekyll (front matter YAML et HTML/Markdown)"),
    ("html", "page HTML rendue, enregistrée depuis un navigateur"),
];

fn sens(valeur: &str) -> Option<&'static str> {
    SENS.iter().find(|(v, _)| *v == valeur).map(|(_, s)| *s)
}

const METHODE: &str = r#"## Méthode

L'extraction est automatique et repose sur des règles écrites pour les pages publiées ; chaque règle est décrite avec ses limites. Les valeurs sont toujours tirées du texte publié, et chaque fait extrait garde la phrase dont il vient (colonnes `phrase` et `preuve`) pour qu'on puisse le vérifier.

### Lecture des pages

Les fichiers d'entrée sont lus dans l'ordre de leur chemin. Un article Jekyll (`.md`) est découpé en front matter YAML et corps ; le corps (Markdown et HTML mêlés) est rendu en HTML, puis lu par un analyseur HTML conforme (html5ever) qui répare les imbrications cassées des pages réelles. Une page HTML rendue est décodée selon son BOM, son `charset` ou UTF-8. Seul le contenu de l'article compte : jamais les scripts, menus, pieds de page, ni les commentaires HTML. Une page illisible est signalée et écartée ; les autres sont publiées.

### Témoignages et identifiants

Un candidat est un élément d'accordéon (`div.accordion-item`), une section Markdown introduite par un lien `.lien-important`, ou une citation. Il n'est retenu comme témoignage que s'il porte une ligne « Témoignage de … », ou s'il appartient à un accordéon dont un autre élément en porte une (anomalie `attribution-absente`) : des questions suivies de réponses ne suffisent pas, car les pages de foire aux questions en ont aussi. Chaque candidat écarté et chaque page sans témoignage reçoivent une anomalie `info` qui dit pourquoi. L'identifiant d'un témoignage est `<document>--<élément>`, où l'élément vient de `aria-controls`/`id` replié en ASCII minuscule (`listes-électorales` → `listes-electorales`) ; celui d'un document est le nom du fichier sans extension, replié de même. Ils restent stables d'une exécution à l'autre ; un doublon reçoit un suffixe et une anomalie.

Limite : une page d'une autre mise en forme que celles-ci ne donne aucun témoignage (anomalie `aucun-temoignage`).

### Questions, réponses et thèmes

Une question est un paragraphe en gras ou un intertitre ; sa réponse est faite des paragraphes et éléments de liste qui suivent, un par ligne, sans les guillemets qui l'encadrent. Le thème est déduit des mots de la question, par des règles essayées dans l'ordre (la première qui s'applique l'emporte) : « décrire » → `description`, « défi », « difficulté » → `defis`, « facteur », « succès » → `facteurs_de_succes`, « avantage » → `autres_avantages`, « déterminant », « recours au cloud » → `apport_du_cloud`, « prochaines étapes » → `prochaines_etapes`, « perspective » → `perspectives`, « critère », « choix » → `criteres_de_choix`, « organisation » → `impact_organisationnel`, sinon `autre`.

Limite : une question formulée autrement tombe dans `autre` ; une question qui mêle deux thèmes n'en reçoit qu'un.

### Organisations et ministères

L'organisation est lue dans la ligne « Témoignage de … » et rapprochée du référentiel `input/referentiels/organisations.csv` (nom canonique, sigle, variantes, ministère de rattachement). La comparaison ignore la casse, les accents, les apostrophes et les articles ; elle tolère une petite faute dans un nom long (1 modification de 8 à 15 caractères, 2 au-delà : « Institut nationale du cancer » → « Institut national du cancer », anomalie `organisation-corrigee`), jamais dans un sigle. Le ministère est celui que le référentiel donne pour l'organisation.

Limites : une organisation absente du référentiel garde le nom écrit et n'a pas de ministère (anomalie `organisation-inconnue`) ; le ministère est celui du référentiel au moment de la construction, pas forcément celui de la date du témoignage ; une attribution qui nomme plusieurs organisations n'en garde qu'une (anomalie `attribution-multiple`).

### Qualifications et statuts

Les qualifications et certifications (SecNumCloud, HDS, ISO 27001, eIDAS, RGS…) sont cherchées phrase par phrase ; leur statut vient d'indices voisins du nom : négation et choix écarté (`non_retenue`), « bien que … ne suffit pas » (`insuffisante`), démarche engagée (`en_cours`), but, projet ou « pas encore » (`visee`), sinon `obtenue`. Quand une phrase nomme plusieurs fois la même qualification, le statut le plus fort l'emporte. Les colonnes `secnumcloud` et `hds` de la table `temoignages` résument ces lignes ; `qualifications` y liste celles dont le statut est `obtenue`.

Limites : rien n'est reporté d'une phrase à l'autre et les pronoms ne sont pas résolus ; un statut exprimé par un tour que les règles ne connaissent pas est lu comme `obtenue` ; la qualification d'un prestataire et celle de l'offre utilisée ne sont pas distinguées.

### Fournisseurs, technologies et logiciels

Ils sont reconnus d'après le référentiel `input/referentiels/mentions.csv` (catégorie, nom canonique, variantes), sur des mots entiers, sans tenir compte de la casse ni des accents, avec des garde-fous pour les noms qui sont aussi des mots courants (« Bleu », « Oracle », « S3 »).

Limite : un nom absent du référentiel n'est pas reconnu ; nommer un fournisseur ne dit pas qu'il héberge le projet (la phrase, dans `preuve`, le précise).

### Indicateurs chiffrés

Les quantités sont lues phrase par phrase, en français : « 250 millions » = 250000000, « 1,2 millions » = 1200000, « 700 000 » (espace, espace insécable ou fine) = 700000, « huit » = 8, « 40 % » = 40 `pourcent`, « 2 To » = 2000000000000 `octet`. Chaque quantité reçoit la chose comptée au singulier (`unite`), la période (« par jour », « par an »), et un qualificatif (« plus de », « environ », « en cible »…). Un ordre de grandeur (« des centaines de milliers ») donne un intervalle `valeur`–`valeur_max`. Ne sont pas des quantités : les années et les dates, les noms de normes (« ISO 27001 »), les noms qui contiennent des chiffres (« Covid-19 »), les rangs, versions, heures et numéros de téléphone.

Limites : la chose comptée est le nom qui suit le nombre, sans interprétation (« premiers départements ») ; une quantité exprimée en toutes lettres complexes ou répartie sur deux phrases peut être manquée ; les unités ne sont pas converties entre elles (les indicateurs ne s'additionnent pas).

### Liens et anomalies

Chaque lien du contenu est relevé avec son texte et son domaine, rattaché au témoignage qui le contient. Les anomalies sont des constats de qualité, jamais des arrêts : chacune a un code stable, une sévérité, un message et l'extrait en cause.
"#;

const LACUNES: &str = r#"## Limites connues

- Les témoignages sont des déclarations des organisations : le jeu ne vérifie pas les faits qu'ils énoncent (hébergement, qualifications, volumes).
- Les pages ne donnent ni la date du témoignage ni la personne qui témoigne ; `date_publication` est celle de la page.
- Les indicateurs ont des unités et des périodes différentes : ils se comparent à unité égale seulement.
- Le ministère de rattachement vient du référentiel des organisations : pour une direction ou un établissement, c'est celui que le référentiel lui donne aujourd'hui, pas celui de la date de publication ; quand l'attribution nomme elle-même un ministère, c'est ce ministère, sous son nom canonique, y compris un ministère d'un gouvernement précédent (« Ministère du Travail, de la Santé et des Solidarités » de 2024). Un regroupement par ministère peut donc séparer des projets d'un même domaine.
- Les règles décrites ci-dessus ont été écrites pour les pages publiées ; une page d'une autre forme peut donner des valeurs manquantes ou des anomalies.
"#;

/// The documentation of the dataset built from `extractions`.
pub fn documentation(y: &Synthese, fichiers: &[Fichier]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Documentation — {}\n", schema::DATASET_TITLE);
    let _ = writeln!(
        s,
        "Version {} du jeu de données, sous Licence Ouverte 2.0 (Etalab). Ce fichier est produit par `temoignages build` \
         avec les données ; ne pas le modifier à la main.\n",
        schema::VERSION
    );

    // What it is.
    let _ = writeln!(s, "## Contenu\n");
    let _ = writeln!(
        s,
        "Des témoignages de responsables de projets publics sur leur recours au cloud, extraits des pages publiées par \
         l'administration (en premier lieu l'article de la DINUM « Cloud : série de témoignages portant sur les succès \
         du cloud public ») et normalisés en données ouvertes. Huit tables liées par leurs identifiants :\n"
    );
    let _ = writeln!(s, "| table | lignes | une ligne par |\n|---|---|---|");
    for t in TABLES {
        let n = y.lignes(t.name);
        let _ = writeln!(s, "| `{}` | {n} | {} |", t.name, t.description.replace('|', "\\|"));
    }
    let _ = writeln!(s);

    // Where it comes from.
    let _ = writeln!(s, "## Provenance\n");
    let _ = writeln!(
        s,
        "Les pages lues, chacune avec l'empreinte SHA-256 de ses octets (colonne `empreinte_source` de la table \
         `documents`) :\n"
    );
    let total = y.lignes("documents");
    if total > y.documents.len() {
        let _ = writeln!(
            s,
            "Les {} premières pages sur {total} sont listées ici ; la table `documents` les contient toutes.\n",
            y.documents.len()
        );
    }
    let _ = writeln!(s, "| page | publication | fichier source | témoignages | empreinte |\n|---|---|---|---|---|");
    for d in &y.documents {
        let _ = writeln!(
            s,
            "| {} | {} | `{}` | {} | `{}` |",
            cellule(d.titre.as_deref().unwrap_or("(sans titre)")),
            d.date_publication.map(|x| x.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            cellule(&d.fichier_source),
            d.nombre_temoignages,
            d.empreinte_source
        );
    }
    let _ = writeln!(
        s,
        "\nLes référentiels qui servent à normaliser (`input/referentiels/organisations.csv`, \
         `input/referentiels/mentions.csv`) sont publiés avec le code du projet : {}.\n",
        schema::HOMEPAGE
    );

    s.push_str(METHODE);
    s.push('\n');

    // Vocabularies, from the catalogue.
    let _ = writeln!(s, "## Vocabulaires\n");
    let _ = writeln!(s, "Les colonnes à valeurs fermées, et le sens de chaque valeur :\n");
    let mut vus: BTreeSet<&[&str]> = BTreeSet::new();
    for t in TABLES {
        for f in t.fields.iter().filter(|f| !f.vocabulary.is_empty()) {
            let colonnes: Vec<String> = TABLES
                .iter()
                .flat_map(|t| t.fields.iter().map(move |f| (t, f)))
                .filter(|(_, g)| g.vocabulary == f.vocabulary)
                .map(|(t, g)| format!("`{}.{}`", t.name, g.name))
                .collect();
            if !vus.insert(f.vocabulary) {
                continue;
            }
            let _ = writeln!(s, "### {}\n", colonnes.join(", "));
            for v in f.vocabulary {
                let _ = writeln!(s, "- `{v}` : {}", sens(v).unwrap_or(""));
            }
            let _ = writeln!(s);
        }
    }
    let _ = writeln!(
        s,
        "`unite` n'est pas un vocabulaire fermé : c'est la chose comptée au singulier, en ASCII (`requete`, `agent`, \
         `eleve`…), ou une unité physique (`pourcent`, `minute`, `octet`, `euro`).\n"
    );

    // What the data lacks, from the data itself.
    s.push_str(LACUNES);
    let _ = writeln!(
        s,
        "- Dans cette version, sur {} témoignages : {} sans organisation, {} sans ministère, {} sans fournisseur cloud nommé, {} sans indicateur chiffré.\n",
        y.lignes("temoignages"),
        y.sans_organisation,
        y.sans_ministere,
        y.sans_fournisseur,
        y.sans_indicateur,
    );
    let codes = &y.anomalies;
    let _ = writeln!(s, "### Anomalies de cette version\n");
    if codes.is_empty() {
        let _ = writeln!(s, "Aucune.\n");
    } else {
        let _ = writeln!(
            s,
            "Le détail est dans la table `anomalies` (message en français et extrait du texte).\n\n\
             | code | sévérité | nombre |\n|---|---|---|"
        );
        for ((code, sev), n) in codes {
            let _ = writeln!(s, "| `{code}` | {sev} | {n} |");
        }
        let _ = writeln!(s);
    }

    // Formats and files.
    let _ = writeln!(s, "## Formats et fichiers\n\n{}\n", schema::FORMATS_FICHIERS);
    let _ = writeln!(
        s,
        "Types : {}. Le JSON (`json/temoignages.json`) est un seul document imbriqué : documents → témoignages → \
         leurs lignes, avec les mêmes noms et valeurs que les tables ; les lignes de la table \
         `qualifications` d'un témoignage sont sous `qualifications_lignes`, puisque `qualifications` y est \
         la colonne du témoignage (les qualifications obtenues).\n",
        [Kind::Texte, Kind::Entier, Kind::Nombre, Kind::Booleen, Kind::Date, Kind::Liste]
            .iter()
            .map(|k| format!("`{}`", k.table_schema_type()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(s, "- `datapackage.json` : descripteur Data Package (ressources, schémas, tailles, empreintes)");
    let _ = writeln!(s, "- `index.html` : page de présentation (tableau des témoignages, graphiques, dictionnaire)");
    for t in TABLES {
        let _ = writeln!(s, "- `schemas/{}.json` : Table Schema de la table `{}`", t.name, t.name);
    }
    for f in fichiers {
        let _ = writeln!(s, "- `{}` : {} ({} octets)", f.path, cellule(&f.title), f.bytes);
    }
    let _ = writeln!(s);

    // Column by column: the dictionary, from the catalogue.
    let _ = writeln!(
        s,
        "## Dictionnaire des données\n\nComment chaque colonne est remplie, table par table (généré depuis le catalogue \
         des colonnes, comme les Table Schemas).\n"
    );
    s.push_str(&schema::dictionnaire_markdown(3));
    // One trailing newline, whatever the dictionary ends with.
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}

/// Text safe inside a Markdown table cell.
fn cellule(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_value_is_explained() {
        for t in TABLES {
            for f in t.fields {
                for v in f.vocabulary {
                    assert!(sens(v).is_some(), "{}.{}: `{v}` has no meaning in SENS", t.name, f.name);
                }
            }
        }
    }

    #[test]
    fn documentation_covers_every_table_and_is_stable() {
        let d = documentation(&Synthese::default(), &[]);
        for t in TABLES {
            assert!(d.contains(&format!("### `{}` — ", t.name)), "{}", t.name);
        }
        assert_eq!(d, documentation(&Synthese::default(), &[]));
        assert!(d.ends_with('\n') && !d.ends_with("\n\n"));
    }
}
