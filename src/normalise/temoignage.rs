//! One accordion item → one testimonial: question/answer pairs (questions
//! are the bold paragraphs, answers the blocks that follow), the attribution
//! line and the organisation it names, the project's acronym and former
//! names, and the facts each sentence states. Findings for what looks wrong.

use super::document::Constats;
use super::texte::{forme_comparable, phrases_bornees, Plie, PHRASE_MAX};
use super::{organisations::Resolution, qualifications, quantites, Referentiels};
use crate::model::{Extraction, Indicateur, Mention, Qualification, QuestionReponse, Severite, Temoignage};
use crate::parse::{ElementBrut, Genre};
use chrono::NaiveDate;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

pub(crate) struct Contexte<'a> {
    pub document: &'a str,
    pub date_publication: Option<NaiveDate>,
    pub refs: &'a Referentiels,
}

/// "Témoignage de …", "Témoignage du …", "Témoignage : …" at the start of a block.
use crate::parse::page::ATTRIBUTION;
/// A note left in brackets by an editor: "[… - commentaire peut être trop en lien avec l’actualité]".
/// Markdown bold written inside an HTML block (`<p>**Titre**</p>`): kramdown
/// does not render Markdown there, so the page shows the asterisks.
static MARKDOWN_BRUT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\*\*[^*\s](?:[^*]*[^*\s])?\*\*").unwrap());

static NOTE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[[^\[\]]{3,}\]").unwrap());
/// The acronym in a title's parentheses: "… listes électorales (DILE)".
static SIGLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\s*([A-Z0-9][A-Za-z0-9À-ÿ&\-\.]{1,19})\s*\)\s*$").unwrap());
/// Former or other names: "(nouveau nom de l’Entrepot National des Données de Biologie - ENDB)",
/// "anciennement X", "ex-X".
static ALIAS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\((?:nouveau nom d[eu]\s+(?:l['’]\s*|la\s+|le\s+)?|anciennement\s+|ex[- ]|précédemment\s+|autrefois\s+)([^()]{2,120})\)")
        .unwrap()
});

/// The theme of a question, from its words. The rules are tried in order;
/// the first that matches wins ("défis organisationnels" is a challenge, not
/// an organisational impact, so `defis` comes first).
const THEMES: &[(&str, &[&str])] = &[
    ("description", &["decrire", "presenter le projet", "presentez", "en quoi consiste", "de quoi s'agit"]),
    ("defis", &["defi", "difficulte", "obstacle", "frein"]),
    ("facteurs_de_succes", &["facteur", "cle de succes", "cles de succes", "reussite", "succes"]),
    ("autres_avantages", &["autres avantages", "avantage"]),
    ("apport_du_cloud", &["determinant", "recours au cloud", "apport", "apporte", "pourquoi le cloud"]),
    ("prochaines_etapes", &["prochaines etapes", "prochaine etape", "etapes suivantes"]),
    ("perspectives", &["perspective", "avenir"]),
    ("criteres_de_choix", &["critere", "choix", "retenu"]),
    ("impact_organisationnel", &["impact organisationnel", "organisation", "organisationnel"]),
];

/// The "testimonial or not" signals of one candidate (see `document::retenir`).
pub(crate) struct Signaux {
    /// It carries a "Témoignage de …" line.
    pub attribution: bool,
    /// Questions: bold paragraphs or headings.
    pub questions: usize,
    /// Blocks that follow a question (answers).
    pub reponses: usize,
}

pub(crate) fn signaux(element: &ElementBrut) -> Signaux {
    let mut s = Signaux { attribution: false, questions: 0, reponses: 0 };
    for b in &element.blocs {
        if est_attribution(&b.texte) {
            s.attribution = true;
        } else if est_question(b) {
            s.questions += 1;
        } else if s.questions > 0 {
            s.reponses += 1;
        }
    }
    s
}

/// A question is a bold paragraph or a heading (a bold list item is a
/// list's lead-in, not a question).
fn est_question(bloc: &crate::parse::Bloc) -> bool {
    bloc.gras && bloc.genre != Genre::ElementListe || bloc.genre == Genre::Titre
}

#[cfg(test)]
fn theme(question: &str) -> &'static str {
    theme_de_forme(&forme_comparable(question))
}

/// [`theme`] of a question already in its [`forme_comparable`].
fn theme_de_forme(q: &str) -> &'static str {
    THEMES.iter().find(|(_, mots)| mots.iter().any(|m| q.contains(m))).map_or("autre", |(t, _)| t)
}

/// What an answer's first sentence says it is about, for a heading that
/// is no question: the cue opening the sentence ("Les clés de notre
/// succès ont été…", "Le cloud nous a permis…"), or, anywhere in it, one
/// that says what the cloud brings ("… dans une solution cloud apporte deux
/// avantages"); the earliest cue wins, a cue is whole words ("permet" is not
/// "permettra"). An answer's topic is otherwise its question's.
const THEMES_DE_REPONSE: &[(&str, bool, &str)] = &[
    ("les cles de notre succes", true, "facteurs_de_succes"),
    ("la cle de notre succes", true, "facteurs_de_succes"),
    ("les cles du succes", true, "facteurs_de_succes"),
    ("les facteurs de succes", true, "facteurs_de_succes"),
    ("les facteurs de reussite", true, "facteurs_de_succes"),
    ("la principale difficulte", true, "defis"),
    ("le principal defi", true, "defis"),
    ("les principaux defis", true, "defis"),
    ("les difficultes rencontrees", true, "defis"),
    ("les prochaines etapes", true, "prochaines_etapes"),
    ("la prochaine etape", true, "prochaines_etapes"),
    ("les criteres de choix", true, "criteres_de_choix"),
    ("le cloud nous a permis", true, "apport_du_cloud"),
    ("le cloud nous permet", true, "apport_du_cloud"),
    ("le cloud a permis", true, "apport_du_cloud"),
    ("le cloud permet", true, "apport_du_cloud"),
    ("grace au cloud", true, "apport_du_cloud"),
    ("cloud apporte egalement", false, "autres_avantages"),
    ("cloud permet egalement", false, "autres_avantages"),
    ("cloud apporte", false, "apport_du_cloud"),
];

fn theme_de_reponse(reponse: &str) -> Option<&'static str> {
    let premiere = reponse.split_inclusive(['.', '!', '?', ':']).next().unwrap_or(reponse);
    let p = forme_comparable(premiere);
    let mot_entier = |debut: usize, fin: usize| {
        !p[..debut].chars().next_back().is_some_and(char::is_alphanumeric)
            && !p[fin..].chars().next().is_some_and(char::is_alphanumeric)
    };
    THEMES_DE_REPONSE
        .iter()
        .filter_map(|(cue, ouvre, theme)| {
            let pos = if *ouvre {
                p.starts_with(cue).then_some(0)?
            } else {
                p.match_indices(cue).map(|(i, _)| i).find(|&i| mot_entier(i, i + cue.len()))?
            };
            mot_entier(pos, pos + cue.len()).then_some((pos, *theme))
        })
        .min_by_key(|(pos, _)| *pos)
        .map(|(_, t)| t)
}

pub(crate) fn est_attribution(texte: &str) -> bool {
    // The pattern starts with "t" after blanks and one quote: most blocks
    // are ruled out without running it.
    let debut = texte.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '«' | '“' | '"'));
    debut.starts_with(['t', 'T']) && ATTRIBUTION.is_match(texte)
}

/// Strips the quotes that open the first line and close the last line of an
/// answer (the pages quote every answer); quotes inside are kept, but for
/// those where one quoted line ends and the next begins: an answer quoted
/// paragraph by paragraph or item by item (`*"… suivants :"*` then
/// `* *"Une application…"*`) loses them all. Such a pair goes only when the
/// quote ending the line closes the answer's quotation, counted from the
/// start of the answer (straight quotes pair in turn, curly and French ones
/// nest), so `il dit "oui"` at the end of a line, or a quotation running over
/// two lines, keeps its quotes.
fn sans_guillemets(lignes: &mut [&str]) {
    const OUVRANTS: &[char] = &['"', '“', '«'];
    const FERMANTS: &[char] = &['"', '”', '»'];
    let (Some(first), Some(last)) = (lignes.first(), lignes.last()) else { return };
    let Some(ouvrant) = first.chars().next().filter(|c| OUVRANTS.contains(c)) else { return };
    if !last.trim_end().ends_with(FERMANTS) {
        return;
    }
    let n = lignes.len();
    lignes[0] = lignes[0].trim_start_matches(OUVRANTS).trim_start();
    lignes[n - 1] = lignes[n - 1].trim_end().trim_end_matches(FERMANTS).trim_end();
    // The quotes of the answer's style: straight, curly or French.
    let fermant = match ouvrant {
        '“' => '”',
        '«' => '»',
        c => c,
    };
    // Quotations open, the answer's own one included (its opening quote was
    // on the first line).
    let mut ouvertes: usize = 1;
    // Both quotes of a style start with the same byte ('"', 0xE2, 0xC2):
    // the lines are scanned for it, not decoded.
    let (mut o, mut f) = ([0; 4], [0; 4]);
    let (o, f) = (ouvrant.encode_utf8(&mut o).as_bytes(), fermant.encode_utf8(&mut f).as_bytes());
    for i in 0..n {
        let octets = lignes[i].as_bytes();
        for p in memchr::memchr_iter(o[0], octets) {
            let reste = &octets[p..];
            if o == f && reste.starts_with(o) {
                ouvertes = usize::from(ouvertes == 0);
            } else if reste.starts_with(o) {
                ouvertes += 1;
            } else if reste.starts_with(f) {
                ouvertes = ouvertes.saturating_sub(1);
            }
        }
        let fin = lignes[i].trim_end();
        if i + 1 < n && ouvertes == 0 && fin.ends_with(fermant) && lignes[i + 1].starts_with(ouvrant) {
            lignes[i] = fin[..fin.len() - fermant.len_utf8()].trim_end();
            lignes[i + 1] = lignes[i + 1][ouvrant.len_utf8()..].trim_start();
            ouvertes = 1;
        }
    }
}

/// The Markdown bold passages (`**…**`) left in a text. The pattern needs
/// "**": most texts are ruled out without it. As in Markdown, bold does not
/// start or end inside a word: `2**10 + 3**2` is not bold. Code is not told
/// apart (the blocks do not say it).
pub(crate) fn gras_markdown(texte: &str) -> Vec<&str> {
    if !texte.contains("**") {
        return Vec::new();
    }
    let hors_mot = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
    MARKDOWN_BRUT
        .find_iter(texte)
        .filter(|m| hors_mot(texte[..m.start()].chars().next_back()) && hors_mot(texte[m.end()..].chars().next()))
        .map(|m| m.as_str())
        .collect()
}

/// Extracts one testimonial and its rows into `ex`.
pub(crate) fn normaliser_element(
    ctx: &Contexte<'_>,
    element: &ElementBrut,
    tid: &str,
    rang: i64,
    ex: &mut Extraction,
    constats: &mut Constats<'_>,
) {
    // Blocks → preamble, (question, answer lines)*, attribution.
    let mut preambule: Vec<&str> = Vec::new();
    let mut paires: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut attribution: Option<String> = None;
    // Attribution lines after the first: the first of them and how many.
    let mut en_trop: Option<(&str, usize)> = None;
    for bloc in &element.blocs {
        if est_attribution(&bloc.texte) {
            if attribution.is_none() {
                attribution = Some(bloc.texte.clone());
            } else {
                en_trop.get_or_insert((&bloc.texte, 0)).1 += 1;
            }
        } else if est_question(bloc) {
            paires.push((&bloc.texte, Vec::new()));
        } else if let Some((_, lignes)) = paires.last_mut() {
            lignes.push(&bloc.texte);
        } else {
            preambule.push(&bloc.texte);
        }
    }

    if let Some((deuxieme, n)) = en_trop {
        // One finding per testimonial, however many lines there are.
        constats.ajouter(
            Some(tid),
            "attribution-multiple",
            Severite::Avertissement,
            format!(
                "Le témoignage porte {} lignes « Témoignage de … » ; la première est retenue, la preuve est la deuxième.",
                n + 1
            ),
            Some(deuxieme.to_string()),
        );
    }

    let brut: Vec<&str> = element.blocs.iter().flat_map(|b| gras_markdown(&b.texte)).collect();
    if let Some(premier) = brut.first() {
        constats.ajouter(
            Some(tid),
            "markdown-non-rendu",
            Severite::Avertissement,
            format!(
                "{} passage(s) en gras Markdown (`**…**`) écrits dans un bloc HTML : kramdown ne les rend pas, la page montre les astérisques ; le texte est gardé tel quel.",
                brut.len()
            ),
            Some(premier.to_string()),
        );
    }

    let titre = element.titre.clone();
    // A quote has no title by design.
    if titre.is_empty() && element.disposition != crate::parse::page::Disposition::Citation {
        constats.ajouter(
            Some(tid),
            "titre-element-absent",
            Severite::Avertissement,
            "L'élément n'a pas de titre.".into(),
            None,
        );
    }
    let mut qr = Vec::new();
    // A set, not a list: a testimonial of thousands of questions was quadratic.
    let mut vues: BTreeSet<String> = BTreeSet::new();
    let mut textes_analyses: Vec<&str> = preambule.clone();
    for (i, (question, mut lignes)) in paires.into_iter().enumerate() {
        let cle = forme_comparable(question);
        let theme_question = theme_de_forme(&cle);
        let repetee = !vues.insert(cle);
        if repetee {
            constats.ajouter(
                Some(tid),
                "question-repetee",
                Severite::Avertissement,
                format!("La question « {question} » apparaît plusieurs fois dans le témoignage ; la réponse qui suit répond sans doute à une autre question."),
                Some(question.to_string()),
            );
        }
        sans_guillemets(&mut lignes);
        lignes.retain(|l| !l.is_empty());
        // A title that is no question ("Un écosystème d'experts"), or a
        // question asked twice, whose answer answers another one: the
        // answer's first sentence may say what it is about.
        let theme = match (theme_question, repetee) {
            ("autre", _) | (_, true) => lignes.first().and_then(|l| theme_de_reponse(l)).unwrap_or(theme_question),
            (t, false) => t,
        };
        // The pattern needs a '[': most lines are ruled out without it.
        for l in lignes.iter().filter(|l| l.contains('[')) {
            for m in NOTE.find_iter(l).filter(|m| !convention_de_citation(m.as_str())) {
                constats.ajouter(
                    Some(tid),
                    "note-editoriale",
                    Severite::Avertissement,
                    "Une note de rédaction entre crochets est restée dans le texte publié.".into(),
                    Some(m.as_str().to_string()),
                );
            }
        }
        if lignes.is_empty() {
            constats.ajouter(
                Some(tid),
                "reponse-vide",
                Severite::Avertissement,
                format!("La question « {question} » n'a pas de réponse."),
                Some(question.to_string()),
            );
        }
        textes_analyses.push(question);
        textes_analyses.extend(lignes.iter().copied());
        qr.push(QuestionReponse {
            temoignage: tid.to_string(),
            rang: i as i64 + 1,
            theme,
            question: question.to_string(),
            reponse: if lignes.is_empty() { None } else { Some(lignes.join("\n")) },
        });
    }
    if qr.is_empty() && preambule.is_empty() {
        constats.ajouter(
            Some(tid),
            "temoignage-vide",
            Severite::Avertissement,
            "L'élément ne contient aucun texte.".into(),
            None,
        );
    }

    let description = if preambule.is_empty() {
        qr.first().filter(|q| q.theme == "description").and_then(|q| q.reponse.clone())
    } else {
        let mut p = preambule.clone();
        sans_guillemets(&mut p);
        Some(p.join("\n"))
    };

    // Organisation from the attribution line.
    let (mut organisation, mut organisation_sigle, mut ministere) = (None, None, None);
    match &attribution {
        None => constats.ajouter(
            Some(tid),
            "attribution-absente",
            Severite::Avertissement,
            "Le témoignage n'a pas de ligne « Témoignage de … » : l'organisation n'est pas connue.".into(),
            None,
        ),
        // "Témoignage du ministère des Armées (?)": the draft's doubt is
        // reported as a placeholder; the name is resolved without it.
        Some(a) => match ctx.refs.organisations.resoudre(&sans_doute(a)) {
            Resolution::Trouvee(o) => {
                organisation = Some(o.nom.clone());
                organisation_sigle = o.sigle.clone();
                ministere = ministere_de(o);
            }
            Resolution::Corrigee { organisation: o, ecrit } => {
                constats.ajouter(
                    Some(tid),
                    "organisation-corrigee",
                    Severite::Info,
                    format!("« {ecrit} » est lu comme « {} » (orthographe corrigée).", o.nom),
                    Some(ecrit.clone()),
                );
                organisation = Some(o.nom.clone());
                organisation_sigle = o.sigle.clone();
                ministere = ministere_de(o);
            }
            Resolution::Inconnue if personne_attribuee(&sans_doute(a)).is_some() => {
                let (nom, role) = personne_attribuee(&sans_doute(a)).unwrap_or_default();
                match organisation_du_role(&role) {
                    // "Marie Durand, cheffe de projet chez Business France":
                    // the organisation as written, as for any unknown one.
                    Some(o) => {
                        constats.ajouter(
                            Some(tid),
                            "organisation-inconnue",
                            Severite::Avertissement,
                            format!("L'organisation « {o} » (nommée après « {nom} », {role}) n'est pas dans le référentiel des organisations ; son nom est gardé tel qu'écrit."),
                            Some(a.clone()),
                        );
                        organisation = Some(o);
                    }
                    None => constats.ajouter(
                        Some(tid),
                        "attribution-personne",
                        Severite::Avertissement,
                        format!("La ligne « Témoignage de … » nomme une personne (« {nom} », {role}) et pas son organisation : `organisation` reste vide."),
                        Some(a.clone()),
                    ),
                }
            }
            Resolution::Inconnue => {
                let nom = nom_attribue(&sans_doute(a));
                constats.ajouter(
                    Some(tid),
                    "organisation-inconnue",
                    Severite::Avertissement,
                    format!("L'organisation « {nom} » n'est pas dans le référentiel des organisations ; son nom est gardé tel qu'écrit."),
                    Some(a.clone()),
                );
                organisation = Some(nom);
            }
        },
    }

    // Acronym and former names.
    // The acronym of the organisation that testifies is not the project's:
    // "Les systèmes d'information de l'Agence du numérique en santé (ANS)".
    let sigle = sigle_du_titre(&titre).filter(|s| organisation_sigle.as_deref() != Some(s.as_str()));
    let mut alias: Vec<String> = Vec::new();
    // The pattern needs a '(': most texts are ruled out without it.
    for t in description.as_deref().into_iter().chain(textes_analyses.iter().copied()).filter(|t| t.contains('(')) {
        for c in ALIAS.captures_iter(t) {
            // ";" is the list delimiter of the cell: never inside an item.
            for nom in c[1].split(';').flat_map(|n| n.split(" - ")).map(str::trim).filter(|s| !s.is_empty()) {
                if !alias.iter().any(|a| a == nom) {
                    alias.push(nom.to_string());
                }
            }
        }
    }

    // Facts, sentence by sentence.
    let mut quals: Vec<Qualification> = Vec::new();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut indicateurs: Vec<Indicateur> = Vec::new();
    // Each text is cut into sentences once; they serve every extractor.
    // Each sentence is folded (case, accents, typography) once too.
    let mut coupees: Vec<&str> = Vec::new();
    let decoupes: Vec<Vec<(&str, Plie)>> = textes_analyses
        .iter()
        .map(|t| {
            let (phrases, longues) = phrases_bornees(t);
            coupees.extend(longues);
            phrases.into_iter().map(|p| (p, Plie::depuis(p))).collect()
        })
        .collect();
    if let Some(premiere) = coupees.first() {
        constats.ajouter(
            Some(tid),
            "phrase-trop-longue",
            Severite::Avertissement,
            format!(
                "{} phrase(s) de plus de {PHRASE_MAX} octets (ponctuation absente ?) lue(s) par morceaux d'au plus {PHRASE_MAX} octets coupés à une espace : chiffres, qualifications et mentions n'y sont cherchés que morceau par morceau, et chaque morceau sert de preuve.",
                coupees.len()
            ),
            Some(premiere.chars().take(200).collect()),
        );
    }
    for phrases_du_texte in &decoupes {
        for (phrase, plie) in phrases_du_texte {
            let phrase = *phrase;
            for q in qualifications::extraire_plie(plie) {
                let niveau = q.niveau.clone();
                if !quals
                    .iter()
                    .any(|x| x.qualification == q.qualification && x.niveau == niveau && x.statut == q.statut)
                {
                    quals.push(Qualification {
                        temoignage: tid.to_string(),
                        rang: quals.len() as i64 + 1,
                        qualification: q.qualification.to_string(),
                        niveau,
                        autorite: q.autorite.map(str::to_string),
                        statut: q.statut.to_string(),
                        preuve: phrase.to_string(),
                    });
                }
            }
            for m in ctx.refs.mentions.trouver_plie(plie) {
                match mentions.iter_mut().find(|x| x.categorie == m.categorie && x.nom == m.nom) {
                    // Set aside first, used later: the row says it is used,
                    // with the sentence that says so.
                    Some(x) if x.ecarte && !m.ecarte => {
                        x.ecarte = false;
                        x.preuve = phrase.to_string();
                    }
                    Some(_) => {}
                    None => mentions.push(Mention {
                        temoignage: tid.to_string(),
                        rang: mentions.len() as i64 + 1,
                        categorie: m.categorie,
                        nom: m.nom,
                        ecarte: m.ecarte,
                        preuve: phrase.to_string(),
                    }),
                }
            }
        }
    }
    // Quantities come from answers and preamble, not from questions.
    let mut laisses = 0usize;
    let mut questions: Vec<&str> = qr.iter().map(|q| q.question.as_str()).collect();
    questions.sort_unstable();
    for (texte, phrases_du_texte) in textes_analyses.iter().zip(&decoupes) {
        if questions.binary_search(texte).is_ok() {
            continue;
        }
        for (phrase, plie) in phrases_du_texte {
            let phrase = *phrase;
            for q in quantites::extraire_plie(phrase, plie) {
                // Each figure copies its sentence (up to PHRASE_MAX bytes):
                // a page is held to INDICATEURS_MAX of them, so that no page
                // can make the dataset thousands of times its size.
                if ex.indicateurs.len() + indicateurs.len() >= INDICATEURS_MAX {
                    laisses += 1;
                    continue;
                }
                let r = indicateurs.len() as i64 + 1;
                indicateurs.push(Indicateur {
                    identifiant: format!("{tid}--q{r}"),
                    temoignage: tid.to_string(),
                    rang: r,
                    libelle: Some(q.libelle).filter(|s| !s.is_empty()),
                    valeur: q.valeur,
                    valeur_max: q.valeur_max,
                    unite: q.unite,
                    periode: q.periode.map(str::to_string),
                    qualificatif: q.qualificatif.to_string(),
                    texte: q.texte,
                    phrase: phrase.to_string(),
                });
            }
        }
    }

    if laisses > 0 {
        constats.ajouter(
            Some(tid),
            "indicateurs-trop-nombreux",
            Severite::Avertissement,
            format!(
                "{laisses} quantité(s) de ce témoignage ne sont pas gardées : une page en garde au plus {INDICATEURS_MAX} (chacune recopie sa phrase)."
            ),
            None,
        );
    }
    let statut_de = |nom: &str| -> Option<String> {
        // One status per qualification for the summary column: the strongest
        // claim the testimonial makes (obtained beats in progress beats aimed at…).
        const ORDRE: &[&str] = &["obtenue", "en_cours", "visee", "insuffisante", "non_retenue"];
        ORDRE.iter().find(|s| quals.iter().any(|q| q.qualification == nom && q.statut == **s)).map(|s| s.to_string())
    };
    let mut obtenues: Vec<String> = Vec::new();
    for q in quals.iter().filter(|q| q.statut == "obtenue") {
        if !obtenues.contains(&q.qualification) {
            obtenues.push(q.qualification.clone());
        }
    }
    let noms = |cats: &[&str]| -> Vec<String> {
        mentions.iter().filter(|m| !m.ecarte && cats.contains(&m.categorie.as_str())).map(|m| m.nom.clone()).collect()
    };

    ex.temoignages.push(Temoignage {
        identifiant: tid.to_string(),
        document: ctx.document.to_string(),
        rang,
        sigle,
        alias,
        organisation,
        organisation_sigle,
        ministere,
        attribution,
        description,
        fournisseurs_cloud: noms(&["fournisseur_cloud"]),
        qualifications: obtenues,
        secnumcloud: statut_de("SecNumCloud"),
        hds: statut_de("HDS"),
        technologies: noms(&["technologie", "logiciel"]),
        date_publication: ctx.date_publication,
        titre,
    });
    ex.questions_reponses.extend(qr);
    ex.indicateurs.extend(indicateurs);
    ex.qualifications.extend(quals);
    ex.mentions.extend(mentions);
}

/// The figures kept from one page, at most (the largest page of the
/// corpus holds a few dozen).
pub const INDICATEURS_MAX: usize = 10_000;

/// The attribution without a draft's "(?)".
fn sans_doute(attribution: &str) -> String {
    attribution.replace("(?)", "").trim().to_string()
}

/// The ministry of an organisation; a ministry is its own.
fn ministere_de(o: &super::organisations::Organisation) -> Option<String> {
    if o.nature == "ministere" {
        Some(o.nom.clone())
    } else {
        o.ministere.clone()
    }
}

/// The organisation's name as written in an attribution line:
/// "Témoignage de la direction du test, un service…" → "direction du test".
pub(crate) fn nom_attribue(attribution: &str) -> String {
    let reste = ATTRIBUTION.find(attribution).map_or(attribution, |m| &attribution[m.end()..]);
    let mut reste = reste.trim().trim_start_matches(['\'', '’', ':']).trim();
    for article in ["la ", "le ", "les ", "l'", "l’", "La ", "Le ", "Les ", "L'", "L’"] {
        if let Some(r) = reste.strip_prefix(article) {
            reste = r.trim_start();
            break;
        }
    }
    let reste = reste.split(", ").next().unwrap_or(reste);
    reste.trim_end_matches(['.', '"', '»', '”']).trim().to_string()
}

/// A person named by the attribution instead of an organisation, and
/// their role: "Témoignage de Marie Durand, cheffe de projet" gives
/// ("Marie Durand", "cheffe de projet"). A person's name takes no article
/// (an organisation's does: "de la DINUM", "de l'Agence…"), is two or three
/// capitalised words, and is followed by a role.
fn personne_attribuee(attribution: &str) -> Option<(String, String)> {
    static ROLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:chef|cheffe|directeur|directrice|responsable|chargée?|déléguée?|adjointe?|administrat(?:eur|rice)|architecte|ingénieure?|président|présidente|secrétaire|sous-direct(?:eur|rice)|conseill(?:er|ère)|coordinat(?:eur|rice)|product owner|développeu(?:r|se)|intrapreneur|intrapreneuse)\b")
            .unwrap()
    });
    // A civility, a first name (maybe compound), one or two surnames
    // (maybe in capitals).
    static NOM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:M\.|Mme|Mlle|Dr|Pr) )?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?: (?:\p{Lu}[\p{Ll}'’]*\p{Ll}|\p{Lu}{2,})(?:-\p{Lu}\p{Ll}+)?){1,2}$").unwrap()
    });
    // Words that make a name an organisation's: "Business France", "Centre
    // Pompidou", "Région Bretagne", "Nantes Métropole".
    const ORGANISATION: &[&str] = &[
        "agence",
        "centre",
        "hopital",
        "universite",
        "region",
        "metropole",
        "france",
        "campus",
        "expertise",
        "atout",
        "musees",
        "musee",
        "institut",
        "office",
        "service",
        "services",
        "direction",
        "conseil",
        "ville",
        "mairie",
        "departement",
        "communaute",
        "etablissement",
        "groupe",
        "fondation",
        "association",
        "academie",
        "rectorat",
        "prefecture",
        "caisse",
        "bio",
        "ecole",
        "lycee",
        "college",
        "laboratoire",
        "ministere",
        "mission",
        "cour",
        "tribunal",
        "chambre",
        "banque",
        "societe",
        "reseau",
        "union",
        "federation",
        "syndicat",
        "clinique",
        "chu",
        "pole",
        "maison",
        "bibliotheque",
        "archives",
        "parc",
        "port",
        "aeroport",
        "theatre",
        "opera",
        "palais",
    ];
    let reste = ATTRIBUTION.find(attribution).map_or(attribution, |m| &attribution[m.end()..]);
    let reste = reste.trim().trim_start_matches(['\'', '’', ':']).trim();
    let (nom, role) = reste.split_once(", ")?;
    let (nom, role) = (nom.trim(), role.trim().trim_end_matches(['.', '"', '»', '”']).trim());
    let institution = forme_comparable(nom).split([' ', '-']).any(|m| ORGANISATION.contains(&m));
    (NOM.is_match(nom) && !institution && ROLE.is_match(&role.to_lowercase()))
        .then(|| (nom.to_string(), role.to_string()))
}

/// The organisation a role names, if it names one with a capital after
/// "de la", "de l'", "du", "des", "chez", "au", "à la", "à l'":
/// "directrice du numérique de l'Agence Bidule" gives "Agence Bidule",
/// "cheffe de projet chez Business France" gives "Business France".
fn organisation_du_role(role: &str) -> Option<String> {
    static APRES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|\s)(?:de la|de l['’]|du|des|chez|au|à la|à l['’]|aux)\s*(\p{Lu}[^,;()]*)").unwrap()
    });
    let c = APRES.captures(role)?;
    let o = c[1].trim().trim_end_matches(['.', '"', '»', '”']).trim();
    (!o.is_empty()).then(|| o.to_string())
}

/// The acronym in a title's closing parentheses ("DILE", "Dile", "5G"); not
/// a year or a number ("(2023)") nor a version ("(V2)", "(v2.1)").
fn sigle_du_titre(titre: &str) -> Option<String> {
    SIGLE.captures(titre).map(|c| c[1].to_string()).filter(|s| {
        let version = s.strip_prefix(['V', 'v']).is_some_and(|r| {
            r.starts_with(|c: char| c.is_ascii_digit()) && r.chars().all(|c| c.is_ascii_digit() || c == '.')
        });
        s.chars().any(char::is_alphabetic) && !version
    })
}

/// "[sic]", "[sic !]" and "[…]" are the publishing conventions of a quote,
/// not notes left in the text.
fn convention_de_citation(crochets: &str) -> bool {
    let dedans = crochets.trim_matches(['[', ']']).trim().trim_end_matches(['!', ' ', '\u{a0}', '\u{202f}']);
    dedans.eq_ignore_ascii_case("sic") || dedans.chars().all(|c| matches!(c, '.' | '…' | ' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_of_titles() {
        assert_eq!(
            sigle_du_titre("La démarche d’inscription sur les listes électorales (DILE)").as_deref(),
            Some("DILE")
        );
        assert_eq!(sigle_du_titre("Le SAMU (SI-SAMU)").as_deref(), Some("SI-SAMU"));
        assert_eq!(sigle_du_titre("Le portail (2023)"), None);
        assert_eq!(sigle_du_titre("Le projet Cloud (V2)"), None);
        assert_eq!(sigle_du_titre("La démarche (Dile)").as_deref(), Some("Dile"));
        assert_eq!(sigle_du_titre("Le réseau (5G)").as_deref(), Some("5G"));
    }

    #[test]
    fn quote_conventions_are_not_notes() {
        for c in ["[sic]", "[ sic ! ]", "[…]", "[...]", "[SIC]"] {
            assert!(convention_de_citation(c), "{c}");
        }
        for c in ["[à compléter]", "[chiffre]", "[lien vers la page]"] {
            assert!(!convention_de_citation(c), "{c}");
        }
    }

    #[test]
    fn themes_of_seed_questions() {
        let cas = [
            ("Pouvez-vous décrire brièvement le projet ?", "description"),
            ("En quoi le recours au cloud a-t-il été déterminant pour votre projet ?", "apport_du_cloud"),
            ("Quels sont les autres avantages que le cloud présente pour vos activités ?", "autres_avantages"),
            ("Quels ont été les facteurs de la réussite de ce projet ?", "facteurs_de_succes"),
            (
                "Quels ont été les facteurs clefs de succès pour la migration vers un cloud qualifié SecNumCloud ?",
                "facteurs_de_succes",
            ),
            (
                "Quels ont été les principaux défis organisationnels rencontrés et comment les avez-vous surmontés ?",
                "defis",
            ),
            ("Quels ont été les critères retenus dans la MŒ ?", "criteres_de_choix"),
            ("Quelles sont les perspectives pour Albert ?", "perspectives"),
            ("Y-a-il eu un impact organisationnel de cette transformation ?", "impact_organisationnel"),
            ("Quelles sont les prochaines étapes de votre projet ?", "prochaines_etapes"),
            ("Combien ça coûte ?", "autre"),
        ];
        for (q, t) in cas {
            assert_eq!(theme(q), t, "{q}");
        }
    }

    #[test]
    fn themes_of_answers_opening_words() {
        let cas = [
            ("Les clés de notre succès ont été de nous appuyer sur l'expertise des prestataires.", Some("facteurs_de_succes")),
            ("Le cloud nous a permis d'avoir rapidement accès à des ressources de calcul.", Some("apport_du_cloud")),
            ("L'hébergement de cette application dans une solution cloud apporte deux avantages majeurs : l'élasticité", Some("apport_du_cloud")),
            ("La sensibilité des données exige un cadre rigoureux. Le cloud nous permet d'y répondre.", None),
            ("Nous avons choisi OVHcloud.", None),
            ("Le cloud apporte également de la résilience à l'application : les redondances", Some("autres_avantages")),
            ("Les prochaines étapes consistent à étendre ce que le cloud nous a permis de construire.", Some("prochaines_etapes")),
            ("Demain, le cloud nous permettra d'ouvrir le service.", None),
            ("Le cloud nous permettra d'ouvrir le service.", None),
            ("Le recours au cloud n'a pas été simple : il a fallu former les équipes.", None),
            ("Nous avons défini les prochaines étapes avec la DINUM dès le lancement.", None),
            ("Grâce au cloud, les difficultés rencontrées ont été levées.", Some("apport_du_cloud")),
        ];
        for (r, t) in cas {
            assert_eq!(theme_de_reponse(r), t, "{r}");
        }
    }

    #[test]
    fn persons_named_by_the_attribution() {
        assert_eq!(
            personne_attribuee("Témoignage de Marie Durand, cheffe de projet"),
            Some(("Marie Durand".into(), "cheffe de projet".into()))
        );
        assert!(personne_attribuee("Témoignage de Jean-Pierre Martin, directeur du numérique").is_some());
        assert!(personne_attribuee("Témoignage de Anne Le Goff, responsable de l'offre").is_some());
        assert_eq!(personne_attribuee("Témoignage de l'Agence Bidule, opérateur de l'État"), None);
        assert_eq!(personne_attribuee("Témoignage de France Travail, opérateur public"), None);
        assert_eq!(personne_attribuee("Témoignage du GIE SESAM-Vitale, un groupement expert"), None);
        assert_eq!(personne_attribuee("Témoignage de Marie Durand"), None);
        assert!(personne_attribuee("Témoignage de M. Jean Dupont, directeur du projet").is_some());
        assert!(personne_attribuee("Témoignage de Marie DURAND, cheffe de projet").is_some());
        for organisation in [
            "Business France, directeur du numérique",
            "Centre Pompidou, responsable des systèmes",
            "Région Bretagne, directeur du numérique",
            "Nantes Métropole, chargée de mission",
            "Université Paris-Saclay, directeur",
            "Agence Bio, responsable",
        ] {
            assert_eq!(personne_attribuee(&format!("Témoignage de {organisation}")), None, "{organisation}");
        }
        assert_eq!(
            organisation_du_role("directrice du numérique de l'Agence Bidule").as_deref(),
            Some("Agence Bidule")
        );
        assert_eq!(organisation_du_role("cheffe de projet chez Business France").as_deref(), Some("Business France"));
        assert_eq!(
            organisation_du_role("directeur au Centre hospitalier de Rouen").as_deref(),
            Some("Centre hospitalier de Rouen")
        );
        assert_eq!(organisation_du_role("cheffe de projet"), None);
        assert_eq!(organisation_du_role("directeur du numérique"), None);
    }

    #[test]
    fn attributions() {
        assert!(est_attribution("Témoignage de la direction de l'information légale et administrative"));
        assert!(est_attribution("Témoignage du ministère des Armées"));
        assert!(est_attribution("Témoignage de l’Institut nationale du cancer"));
        assert!(!est_attribution("Les témoignages sont nombreux"));
        assert_eq!(nom_attribue("Témoignage du GIE SESAM-Vitale, un groupement expert"), "GIE SESAM-Vitale");
        assert_eq!(nom_attribue("Témoignage de l’Agence X."), "Agence X");
    }

    #[test]
    fn markdown_bold_left_in_text() {
        assert_eq!(gras_markdown("**Une solution flexible** et rapide"), ["**Une solution flexible**"]);
        assert_eq!(gras_markdown("***L'élasticité :** une prise*"), ["**L'élasticité :**"]);
        assert!(gras_markdown("x = 2**10 + 3**2 et n**2 en 2**n").is_empty());
        assert!(gras_markdown("** pas du gras ** ni *ceci*").is_empty());
        assert_eq!(gras_markdown("2**3 puis **gras**"), ["**gras**"]);
    }

    #[test]
    fn quotes_stripped_only_in_pairs() {
        let mut l = vec!["\"Un", "deux.\""];
        sans_guillemets(&mut l);
        assert_eq!(l, vec!["Un", "deux."]);
        let mut l = vec!["\"Un", "deux."];
        sans_guillemets(&mut l);
        assert_eq!(l[0], "\"Un");
        let cas: &[(&str, &[&str], &[&str])] = &[
            (
                "quoted item by item: every pair goes, inner quotes stay",
                &["\"a :\"", "\"b dit \"oui\".\"", "\"c « d ».\""],
                &["a :", "b dit \"oui\".", "c « d »."],
            ),
            ("French quotes", &["« a »", "« b »"], &["a", "b"]),
            (
                "one quotation over several lines, a quoted word ending a line",
                &["\"Un", "il dit \"oui\"", "\"deux\" mots.\""],
                &["Un", "il dit \"oui\"", "\"deux\" mots."],
            ),
            (
                "a quotation inside the answer running over two lines",
                &["\"Il a dit : \"nous", "irons au cloud\"", "\"Cloud\" est le mot.\""],
                &["Il a dit : \"nous", "irons au cloud\"", "\"Cloud\" est le mot."],
            ),
            (
                "the same with curly quotes",
                &["“Il a dit : “nous", "irons au cloud”", "“Cloud” est le mot.”"],
                &["Il a dit : “nous", "irons au cloud”", "“Cloud” est le mot."],
            ),
            ("nested French quotes, item by item", &["« a « b » »", "« c »"], &["a « b »", "c"]),
        ];
        for (quoi, avant, apres) in cas {
            let mut l = avant.to_vec();
            sans_guillemets(&mut l);
            assert_eq!(&l, apres, "{quoi}");
        }
    }
}
