//! Qualifications and certifications named in one sentence (SecNumCloud, HDS,
//! ISO 27001, eIDAS, RGS, …), each with what the sentence says about it:
//! held (`obtenue`), in progress (`en_cours`), aimed at (`visee`), not chosen
//! or not needed (`non_retenue`), held but not enough (`insuffisante`).
//! Decisions rest on local cues around each name; nothing is carried across
//! sentences, pronouns in other sentences are not resolved, and there is no I/O.

use super::texte::Plie;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// One qualification named in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct QualificationTrouvee {
    /// Canonical name: "SecNumCloud", "HDS", "ISO 27001", "eIDAS", "RGS", …
    pub qualification: &'static str,
    /// Level when the text gives one: eIDAS/EUCS "faible", "elementaire",
    /// "substantiel", "eleve"; RGS "*", "**", "***"; SOC "type 1"/"type 2";
    /// SecNumCloud the version of the reference framework ("3.2").
    pub niveau: Option<String>,
    /// Body that grants it: "ANSSI" for the ANSSI qualifications, "BSI" for C5,
    /// otherwise only when the sentence names the body ("… par le COFRAC").
    pub autorite: Option<&'static str>,
    /// `obtenue`, `en_cours`, `visee`, `non_retenue` or `insuffisante`.
    pub statut: &'static str,
}

/// One qualification per distinct name, in order of first appearance.
///
/// When a name occurs several times in the sentence, the strongest status
/// wins (insuffisante > non_retenue > explicit obtention > en_cours > visee >
/// default obtenue); see [`Statut`] for the cues behind each status.
pub fn extraire(phrase: &str) -> Vec<QualificationTrouvee> {
    extraire_plie(&Plie::depuis(phrase))
}

/// [`extraire`] on a sentence already folded.
pub fn extraire_plie(texte: &Plie) -> Vec<QualificationTrouvee> {
    let occurrences = reperer(texte);
    if occurrences.is_empty() {
        return Vec::new();
    }
    let clauses = decouper_clauses(&texte.bas);
    let mut statuts = vec![Statut::Defaut; occurrences.len()];
    for clause in &clauses {
        let dans: Vec<usize> =
            (0..occurrences.len()).filter(|&i| clause.contains(&occurrences[i].plage.start)).collect();
        if dans.is_empty() {
            continue;
        }
        let mots = mots(&texte.bas, clause.clone());
        let plages: Vec<Range<usize>> = dans.iter().map(|&i| occurrences[i].plage.clone()).collect();
        for indice in indices(&texte.bas, &mots, &plages) {
            for k in cibles(&texte.bas, &indice, &plages) {
                let i = dans[k];
                statuts[i] = statuts[i].max(indice.statut);
            }
        }
    }
    // A "mais" clause naming no qualification, but saying the process is under
    // way, turns the "not yet" of the clause before it into progress: "Cette
    // offre n'est pas encore qualifiée SecNumCloud, mais la démarche a été
    // engagée." is `en_cours`.
    // In the same way "… conforme au référentiel SecNumCloud mais pas encore
    // qualifiée" is `visee`.
    for paire in clauses.windows(2) {
        let (avant, apres) = (&paire[0], &paire[1]);
        let suite = texte.bas[apres.clone()].trim_start();
        if !suite.starts_with("mais") || occurrences.iter().any(|o| apres.contains(&o.plage.start)) {
            continue;
        }
        let mots = mots(&texte.bas, apres.clone());
        let dit = |m: &Mot| &texte.bas[m.plage.clone()];
        if mots.windows(3).any(|w| {
            dit(&w[0]) == "pas"
                && dit(&w[1]) == "encore"
                && ["qualifi", "certifi", "labellis", "homologu"].iter().any(|q| dit(&w[2]).starts_with(q))
        }) {
            for (occ, statut) in occurrences.iter().zip(statuts.iter_mut()) {
                if avant.contains(&occ.plage.start) && *statut == Statut::Defaut {
                    *statut = Statut::Visee;
                }
            }
            continue;
        }
        if indices(&texte.bas, &mots, &[]).iter().any(|indice| indice.statut == Statut::EnCours) {
            for (occ, statut) in occurrences.iter().zip(statuts.iter_mut()) {
                if avant.contains(&occ.plage.start) && *statut == Statut::Visee {
                    *statut = Statut::EnCours;
                }
            }
        }
    }

    // A condition contrary to the facts: "Si l'offre avait été qualifiée
    // SecNumCloud, nous l'aurions choisie." (it was not); "Si l'offre est
    // qualifiée …" states a rule and says nothing.
    let irreel = texte.bas.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "aurais" | "aurait" | "aurions" | "auriez" | "auraient" | "serais" | "serait" | "serions" | "seraient"
        )
    });
    if irreel {
        for clause in &clauses {
            let mots_clause = mots(&texte.bas, clause.clone());
            let mot = |k: usize| mots_clause.get(k).map_or("", |m| &texte.bas[m.plage.clone()]);
            let si = mot(0) == "si" || (mot(0) == "s" && mot(1) == "il");
            if !si {
                continue;
            }
            // "avait été qualifiée" right before the name: the name is what
            // was not held ("Si l'hébergeur qualifié SecNumCloud avait été
            // plus cher" says nothing against it).
            for k in 0..mots_clause.len() {
                if matches!(mot(k), "avait" | "avaient")
                    && mot(k + 1) == "ete"
                    && ["qualifi", "certifi", "labellis", "homologu"].iter().any(|q| mot(k + 2).starts_with(q))
                {
                    let apres = mots_clause[k + 2].plage.end;
                    for (occ, statut) in occurrences.iter().zip(statuts.iter_mut()) {
                        if occ.plage.start >= apres && au_plus_mots(&texte.bas, apres..occ.plage.start, 1) {
                            *statut = (*statut).max(Statut::NonRetenue);
                        }
                    }
                }
            }
        }
    }

    let mut sortie: Vec<QualificationTrouvee> = Vec::new();
    let mut rangs: Vec<Statut> = Vec::new();
    for (occ, statut) in occurrences.iter().zip(statuts) {
        let clause = clauses.iter().find(|c| c.contains(&occ.plage.start)).cloned().unwrap_or(0..texte.bas.len());
        let niveau = niveau(texte, occ, &clause);
        let autorite = occ.sorte.autorite.or_else(|| autorite_nommee(&texte.bas, occ.plage.end, &clause));
        match sortie.iter().position(|q| q.qualification == occ.sorte.nom) {
            Some(p) => {
                if statut > rangs[p] {
                    rangs[p] = statut;
                    sortie[p].statut = statut.code();
                }
                if sortie[p].niveau.is_none() {
                    sortie[p].niveau = niveau;
                }
                if sortie[p].autorite.is_none() {
                    sortie[p].autorite = autorite;
                }
            }
            None => {
                rangs.push(statut);
                sortie.push(QualificationTrouvee {
                    qualification: occ.sorte.nom,
                    niveau,
                    autorite,
                    statut: statut.code(),
                });
            }
        }
    }
    sortie
}

// ---------------------------------------------------------------------------
// Statuses and their cues
// ---------------------------------------------------------------------------

/// Statuses ordered by strength: when several cues reach the same name, the
/// strongest wins.
///
/// - `Defaut` → `obtenue`: nothing else said. "L'hébergeur est certifié HDS."
/// - `Visee`: aim, plan or future. "Nous visons la qualification SecNumCloud
///   d'ici 2026."; "La solution retenue nous apporte les garanties nécessaires
///   à une qualification eIDAS de niveau substantiel."; "L'offre sera qualifiée
///   SecNumCloud à terme."; "La prochaine étape est la certification HDS.";
///   "L'offre n'est pas encore qualifiée SecNumCloud." (not yet = aimed at).
/// - `EnCours`: under way. "La qualification SecNumCloud de l'offre est en
///   cours."; "Le fournisseur est en cours de qualification SecNumCloud.";
///   "Une démarche de qualification SecNumCloud a été engagée."; "Cette
///   offre n'est pas encore qualifiée SecNumCloud, mais la démarche a été
///   engagée." (a "not yet" followed by progress)
/// - `Obtenue`: explicit obtention, outranks aims and progress said about the
///   same name. "La certification HDS obtenue en 2022 permettra d'héberger …"
/// - `NonRetenue`: negation attached to the name. "Le choix de l'offre ne s'est
///   pas porté sur une solution qualifiée SecNumCloud dès lors que la nature
///   des données hébergées ne le nécessitait pas."; "sans qualification
///   SecNumCloud"; "une offre non qualifiée SecNumCloud"; "La qualification
///   SecNumCloud n'a pas nécessité …"; "Aucune qualification SecNumCloud n'est
///   requise."
/// - `Insuffisante`: held but said not to be enough. "Les certifications ISO
///   27001, bien que nécessaires, ne sont, à ce stade, pas suffisantes.";
///   "La certification ISO 27001 ne suffit pas."
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Statut {
    Defaut,
    Visee,
    EnCours,
    Obtenue,
    NonRetenue,
    Insuffisante,
}

impl Statut {
    fn code(self) -> &'static str {
        match self {
            Statut::Defaut | Statut::Obtenue => "obtenue",
            Statut::Visee => "visee",
            Statut::EnCours => "en_cours",
            Statut::NonRetenue => "non_retenue",
            Statut::Insuffisante => "insuffisante",
        }
    }
}

/// A cue found in a clause. It first reaches the names that follow it within
/// `avant` words (its object: "vise la qualification SecNumCloud"); when no
/// name follows that closely, it reaches the nearest group of names before it
/// within `apres` words (its subject: "la qualification SecNumCloud est en
/// cours"). This keeps "L'offre qualifiée SecNumCloud vise la certification
/// HDS" from making SecNumCloud an aim.
#[derive(Debug, Clone)]
struct Indice {
    plage: Range<usize>,
    statut: Statut,
    avant: Option<usize>,
    apres: Option<usize>,
}

/// Word stems that make a negation bear on a qualification: the negated verb
/// or adjective is about choosing, needing or holding one.
/// "ne s'est pas porté sur", "ne le nécessitait pas", "n'est pas qualifiée",
/// "n'a pas été retenue", "nous n'utilisons pas". A negation of anything else
/// ("ce qui ne pose pas de difficulté") leaves the name alone.
fn re_portee_negation() -> &'static Forme {
    static R: OnceLock<Forme> = OnceLock::new();
    R.get_or_init(|| {
        Forme::new(
            r"^(qualifi|certifi|labellis|homologu|agree|agrement|necessit|necessair|exig|requi|impos|obligatoir|indispensabl|util|pertinen|justifi|reten|choisi|choix|opt[eéai]|opter|porte|vis[eao]|recour|obten|dispos|benefici|possed|detien|deten|souhait|prevu|prevoi|envisag|recherch|besoin|appuy|orient|privilegi|demand|candidat|engag|compatibl|conform|eligibl|fallu|faut|fallait|faudra|sollicit|adopt|pass[eé]|heberg|sur$)",
        )
    })
}

fn re(motif: &'static str, cellule: &'static OnceLock<Regex>) -> &'static Regex {
    cellule.get_or_init(|| Regex::new(motif).unwrap())
}

/// A word pattern with the literals its matches can start with: most words
/// of a clause are tested against a dozen patterns in turn, and a look-up by
/// first byte turns most of them away before the regex engine is called.
/// A pattern that is a list of whole words (`^(pas|plus|jamais)$`) needs no
/// regex at all.
struct Forme {
    regex: Regex,
    /// For each first byte, 1 + the index of its bucket in `seaux`, or 0
    /// when no match starts with it. `None` when a match may be empty or
    /// start anywhere: the regex alone decides.
    premiers: Option<Box<[u8; 256]>>,
    /// The prefix literals, by first byte.
    seaux: Vec<Vec<Box<[u8]>>>,
    /// The literals are the whole matches and the pattern spans the whole
    /// word (`^…$`, no other assertion): membership is the answer.
    liste: bool,
}

impl Forme {
    fn new(motif: &str) -> Forme {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        use regex_syntax::hir::{Look, LookSet};
        let regex = Regex::new(motif).unwrap();
        let hir = regex_syntax::parse(motif).unwrap();
        let proprietes = hir.properties();
        // Every match starts with one of the prefix literals when the set is
        // finite; an empty literal means any start. The word itself starts
        // with that literal only when the pattern is anchored with `^`.
        let ancre = proprietes.look_set_prefix().contains(Look::Start);
        let prefixes = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
        let litteraux = prefixes.literals().filter(|l| ancre && l.iter().all(|l| !l.as_bytes().is_empty()));
        let mut seaux: Vec<Vec<Box<[u8]>>> = Vec::new();
        let premiers = litteraux.map(|l| {
            let mut t = Box::new([0u8; 256]);
            for lit in l {
                let b = lit.as_bytes()[0] as usize;
                if t[b] == 0 {
                    seaux.push(Vec::new());
                    t[b] = u8::try_from(seaux.len()).expect("at most 256 first bytes");
                }
                seaux[t[b] as usize - 1].push(lit.as_bytes().into());
            }
            t
        });
        let seules = LookSet::empty().insert(Look::Start).insert(Look::End);
        let liste = premiers.is_some()
            && prefixes.is_exact()
            && proprietes.look_set_suffix().contains(Look::End)
            && proprietes.look_set().subtract(seules).is_empty();
        Forme { regex, premiers, seaux, liste }
    }

    fn est(&self, mot: &str) -> bool {
        let Some(t) = &self.premiers else { return self.regex.is_match(mot) };
        let o = mot.as_bytes();
        let Some(&b) = o.first() else { return false };
        let Some(seau) = (t[b as usize] as usize).checked_sub(1).map(|i| &self.seaux[i]) else { return false };
        if self.liste {
            seau.iter().any(|l| **l == *o)
        } else {
            seau.iter().any(|l| o.starts_with(l)) && self.regex.is_match(mot)
        }
    }
}

fn est(mot: &str, motif: &'static str, cellule: &'static OnceLock<Forme>) -> bool {
    cellule.get_or_init(|| Forme::new(motif)).est(mot)
}

macro_rules! forme {
    ($mot:expr, $motif:literal) => {{
        static C: OnceLock<Forme> = OnceLock::new();
        est($mot, $motif, &C)
    }};
}

/// Finds the cues of one clause. `mots` are the clause's words, `noms` the
/// spans of the qualification names in it.
fn indices(bas: &str, mots: &[Mot], noms: &[Range<usize>]) -> Vec<Indice> {
    let mut sortie = Vec::new();
    let t = |i: usize| -> &str { mots.get(i).map(|m| &bas[m.plage.clone()]).unwrap_or("") };
    let dans_nom = |i: usize| -> bool {
        mots.get(i).is_some_and(|m| noms.iter().any(|n| m.plage.start < n.end && n.start < m.plage.end))
    };
    let de = |i: usize| mots[i].plage.start;
    let a = |i: usize| mots[i].plage.end;
    let mut push = |debut: usize, fin: usize, statut, avant, apres| {
        sortie.push(Indice { plage: debut..fin, statut, avant, apres });
    };
    let portee = re_portee_negation();
    let mut negation_vue = false;

    for i in 0..mots.len() {
        let m = t(i);

        // "ne … pas/plus/jamais/point/aucun/ni": negation, "pas encore" (aim),
        // or insufficiency when the verb is "suffire" or the adjective
        // "suffisant". Up to five words may sit between "ne" and the particle
        // ("ne sont, à ce stade, pas suffisantes").
        if m == "ne" || (m == "n" && mots[i].elide) {
            let particule = (i + 1..(i + 7).min(mots.len()))
                .find(|&j| forme!(t(j), r"^(pas|plus|jamais|point|nullement|aucun|aucune|aucuns|aucunes|guere|ni)$"));
            if let Some(j) = particule {
                negation_vue = true;
                // "Nous ne regrettons pas d'avoir choisi …", "n'hésitons pas à
                // recourir …": the negation of a regret affirms.
                if (i + 1..j).any(|k| forme!(t(k), r"^(regrett|hesit)")) {
                    continue;
                }
                let suivant = t(j + 1);
                if forme!(suivant, r"^(seulement|uniquement|que|qu|simplement|moins)$") {
                    continue;
                }
                let encore = suivant == "encore";
                // The negated words: those between "ne" and the particle,
                // and the first meaningful word after it (auxiliaries,
                // adverbs and articles skipped: "n'a pas été retenue", "n'est
                // pas forcément nécessaire", "n'y a pas de qualification").
                let mut k = if encore { j + 2 } else { j + 1 };
                while k < mots.len()
                    && forme!(
                        t(k),
                        r"^(ete|eu|etre|avoir|pu|su|du|forcement|vraiment|toujours|necessairement|reellement|obligatoirement|tres|si|aussi|tout|jamais|de|d|la|le|les|l|une|un|des|y|en)$"
                    )
                {
                    k += 1;
                }
                // "n'a pas fait le choix de …"
                if t(k) == "fait" && forme!(t(k + 1), r"^(le|l)$") && t(k + 2) == "choix" {
                    k += 2;
                }
                // A verb of judgement carries the negation to the adjective
                // after it: "La certification ISO 27001 n'a pas été jugée
                // suffisante." (insufficiency), "n'est pas considérée comme
                // nécessaire" (not needed).
                if forme!(
                    t(k),
                    r"^(jugee?s?|estimee?s?|consideree?s?|semblee?s?|semble|semblent|semblait|paru|parue|parus|parues|parait|apparu|apparue|apparait|averee?s?|revelee?s?)$"
                ) && k + 1 < mots.len()
                {
                    k += 1;
                    if t(k) == "comme" && k + 1 < mots.len() {
                        k += 1;
                    }
                }
                let groupe: Vec<usize> = (i + 1..j).chain((k < mots.len()).then_some(k)).collect();
                // "Une offre SecNumCloud n'existait pas": only the name just
                // before is what did not exist (not "…SecNumCloud, ce service
                // n'existait pas").
                if (i + 1..j).any(|k| t(k).starts_with("exist")) {
                    push(de(i), a(j), Statut::NonRetenue, None, Some(0));
                    continue;
                }
                let fin_groupe = groupe.last().map(|&k| a(k)).unwrap_or(a(j)).max(a(j));
                let suffire = groupe.iter().any(|&k| forme!(t(k), r"^(suffi|assez$)"));
                let permettre = (i + 1..j).any(|k| forme!(t(k), r"^permet"));
                if suffire {
                    // "… ne suffit pas pour exiger un hébergement SecNumCloud":
                    // what falls short is the subject, and a requirement
                    // so denied is a name not needed.
                    let but = k < mots.len() && forme!(t(k), r"^(pour|a)$");
                    push(de(i), fin_groupe, Statut::Insuffisante, (!but).then_some(8), Some(10));
                    if but && forme!(t(k + 1), r"^(exig|impos|necessit|requeri)") {
                        push(de(i), a(k + 1), Statut::NonRetenue, Some(8), None);
                    }
                } else if permettre {
                    // "La certification ISO 27001 ne permet pas d'héberger des
                    // données de santé": the subject falls short.
                    push(de(i), a(j), Statut::Insuffisante, None, Some(10));
                } else if groupe.iter().any(|&k| portee.est(t(k)) || dans_nom(k)) {
                    let statut = if encore { Statut::Visee } else { Statut::NonRetenue };
                    push(de(i), a(j), statut, Some(8), Some(10));
                }
            }
            continue;
        }

        // A bare "pas" (no "ne" just before): "pas de qualification
        // SecNumCloud", "pas suffisante", "pas encore qualifiée".
        if m == "pas" {
            let ne_avant = (i.saturating_sub(6)..i).any(|k| t(k) == "ne" || (t(k) == "n" && mots[k].elide));
            if ne_avant || forme!(t(i.wrapping_sub(1)), r"^(le|un|ce|premier|grand|petit|meme|chaque)$") {
                continue;
            }
            let suivant = t(i + 1);
            if forme!(suivant, r"^(suffisant|suffisante|suffisants|suffisantes|assez)$") {
                push(de(i), a(i + 1), Statut::Insuffisante, Some(8), Some(10));
            } else if suivant == "encore" {
                push(de(i), a(i + 1), Statut::Visee, Some(6), Some(6));
            } else if forme!(suivant, r"^(de|d|la|le|les|une|un|l|du|des)$") || dans_nom(i + 1) || portee.est(suivant) {
                push(de(i), a(i), Statut::NonRetenue, Some(3), None);
            }
            continue;
        }

        // "insuffisant(e)(s)": "une certification ISO 27001 insuffisante".
        if m.starts_with("insuffisan") {
            push(de(i), a(i), Statut::Insuffisante, Some(8), Some(10));
            continue;
        }

        // "sans qualification SecNumCloud", "sans être qualifiée SecNumCloud",
        // "sans recourir à une offre qualifiée SecNumCloud"; not "sans
        // attendre", "sans interruption sur une offre qualifiée".
        if m == "sans" {
            let suivant = t(i + 1);
            // "Sans SecNumCloud, le projet n'aurait pas été possible" holds it.
            let contrefactuel = mots
                .iter()
                .any(|w| forme!(&bas[w.plage.clone()], r"^(aurait|auraient|serait|seraient|aurions|serions)$"));
            if contrefactuel {
                continue;
            }
            if dans_nom(i + 1)
                || forme!(
                    suivant,
                    r"^(qualifi|certifi|labellis|etre$|avoir$|recour|passer$|opter$|dispos|benefici|obten|exig|necessit|impos|besoin$|la$|le$|les$|une$|un$|de$|d$|l$|aucun|offres?$|solutions?$|heberg|cloud$)"
                )
            {
                push(de(i), a(i), Statut::NonRetenue, Some(6), None);
            }
            continue;
        }

        // "une offre non qualifiée SecNumCloud", "non-SecNumCloud"; not "non
        // seulement".
        if m == "non" {
            let suivant = t(i + 1);
            if dans_nom(i + 1) || forme!(suivant, r"^(qualifi|certifi|labellis|homolog|conform|eligibl)") {
                push(de(i), a(i), Statut::NonRetenue, Some(2), None);
            }
            continue;
        }

        // "Aucune qualification SecNumCloud n'est requise."
        // Not "aucune difficulté à trouver une offre certifiée HDS", "aucun
        // problème avec l'hébergeur qualifié SecNumCloud".
        if forme!(m, r"^aucune?s?$") {
            if !forme!(
                t(i + 1),
                r"^(difficultes?|problemes?|soucis?|obstacles?|freins?|incidents?|pannes?|doutes?|regrets?|inquietudes?|reserves?|hesitations?|craintes?|interruptions?|pertes?)$"
            ) {
                push(de(i), a(i), Statut::NonRetenue, Some(6), None);
            }
            continue;
        }
        // "une offre hors SecNumCloud"
        if m == "hors" {
            push(de(i), a(i), Statut::NonRetenue, Some(2), None);
            continue;
        }
        // "ni SecNumCloud ni HDS" once a "ne" or another "ni" is in the clause.
        if m == "ni" && (negation_vue || mots.iter().filter(|w| &bas[w.plage.clone()] == "ni").count() > 1) {
            push(de(i), a(i), Statut::NonRetenue, Some(3), None);
            continue;
        }
        // "l'offre qualifiée SecNumCloud a été écartée", "nous avons renoncé à
        // la certification HDS".
        // "le fournisseur a perdu sa qualification SecNumCloud"; not "nous
        // n'avons rien perdu en passant à …", "perdre des données".
        if forme!(m, r"^(perdu|perdue|perdre|perd)$") {
            let objet = (i + 1..(i + 4).min(mots.len())).any(|k| {
                dans_nom(k) || forme!(t(k), r"^(qualification|certification|labellisation|homologation|label|visa)s?$")
            });
            if objet && !(i.saturating_sub(3)..i).any(|k| forme!(t(k), r"^(rien|jamais)$")) {
                push(de(i), a(i), Statut::NonRetenue, Some(4), None);
            }
            continue;
        }
        if forme!(m, r"^(ecarte|ecartee|ecartes|ecartees|ecarter|ecartons|renonc\w*|exclue?s?)$") {
            push(de(i), a(i), Statut::NonRetenue, Some(6), Some(6));
            continue;
        }
        // "plutôt qu'une offre qualifiée SecNumCloud", "au lieu d'une offre
        // SecNumCloud": the name that follows is the one not chosen.
        if (m == "plutot" && forme!(t(i + 1), r"^(que|qu)$"))
            || (m == "lieu" && t(i.wrapping_sub(1)) == "au" && forme!(t(i + 1), r"^(de|d|du|des)$"))
        {
            push(de(i), a(i + 1), Statut::NonRetenue, Some(5), None);
            continue;
        }

        // "en cours de qualification SecNumCloud", "la qualification
        // SecNumCloud est en cours"; "en cours de déploiement" is no cue.
        if m == "en" && t(i + 1) == "cours" {
            let n = t(i + 2);
            if n == "de" || n == "d" {
                if forme!(
                    t(i + 3),
                    r"^(qualifi|certifi|labellis|homolog|obten|audit|evaluation|instruction|accredit|renouvel|agrement|examen|validation)"
                ) {
                    push(de(i), a(i + 3), Statut::EnCours, Some(4), Some(4));
                }
            } else {
                push(de(i), a(i + 1), Statut::EnCours, None, Some(8));
            }
            continue;
        }
        // "en attendant la qualification SecNumCloud de l'offre".
        if m == "en" && t(i + 1) == "attendant" {
            push(de(i), a(i + 1), Statut::EnCours, Some(4), None);
            continue;
        }
        // "nous attendons la qualification SecNumCloud de notre hébergeur".
        if forme!(m, r"^(attendons|attendent|attend|attendre)$") {
            push(de(i), a(i), Statut::EnCours, Some(2), Some(4));
            continue;
        }
        // "en voie de certification", "en passe d'obtenir", "en attente de
        // qualification", "en train d'obtenir".
        if m == "en" && forme!(t(i + 1), r"^(voie|passe|attente|phase|train)$") && forme!(t(i + 2), r"^(de|d)$") {
            if forme!(t(i + 3), r"^(qualifi|certifi|labellis|homolog|obten|etre$|devenir$|accredit|agrement|audit)") {
                push(de(i), a(i + 3), Statut::EnCours, Some(4), Some(6));
            }
            continue;
        }
        // "démarche de qualification engagée", "nous avons lancé la
        // certification HDS".
        if forme!(m, r"^(engag|lanc|initi|entam|amorc|entrepr|depos)") {
            let proche = (i.saturating_sub(5)..(i + 4).min(mots.len())).any(|k| {
                k != i
                    && forme!(
                        t(k),
                        r"^(demarches?|processus|procedures?|dossiers?|candidatures?|qualifications?|certifications?|audits?|labellisation|homologation)$"
                    )
            });
            if proche {
                push(de(i), a(i), Statut::EnCours, Some(6), Some(6));
            }
            continue;
        }
        if forme!(m, r"^candidat") {
            push(de(i), a(i), Statut::EnCours, Some(6), Some(6));
            continue;
        }

        // A process the name is not yet through: "vers la qualification
        // SecNumCloud", "nous accompagnons l'hébergeur vers la certification
        // HDS", "l'accompagnement des éditeurs à la sécurisation et à la
        // qualification au visa de sécurité SecNumCloud".
        if m == "vers" || m.starts_with("accompagn") {
            let portee = if m == "vers" { 3 } else { 12 };
            let k = (i + 1..(i + 1 + portee).min(mots.len()))
                .find(|&k| forme!(t(k), r"^(qualification|certification|labellisation|homologation|accreditation)s?$"));
            if let Some(k) = k {
                push(de(i), a(k), Statut::Visee, Some(5), None);
            }
            continue;
        }
        // A study: "nous étudions une migration vers une offre SecNumCloud".
        if forme!(m, r"^etudi(e|ee|es|ees|ent|ons|ez|er|era|erons|eront|ait|aient|ions)$") {
            push(de(i), a(i), Statut::Visee, Some(6), Some(5));
            continue;
        }

        // Aim. "Nous visons la qualification SecNumCloud", "visant la
        // certification HDS", "la qualification SecNumCloud est visée".
        if forme!(m, r"^vis(e|ee|ees|es|ent|ons|ez|ait|aient|ant|er|era|erons|eront|erait|eraient)$") {
            push(de(i), a(i), Statut::Visee, Some(6), Some(4));
            continue;
        }
        // "L'objectif est la qualification SecNumCloud", "en cible".
        if forme!(m, r"^(objectifs?|ambitions?|ambitionn\w*|cible|cibles|cibler|ciblons|ciblee)$") {
            push(de(i), a(i), Statut::Visee, Some(8), Some(8));
            continue;
        }
        // "La qualification SecNumCloud permettra …", "obtiendra".
        if forme!(m, r"^(permettr(a|ont|ait|aient)|obtiendr\w*)$") {
            push(de(i), a(i), Statut::Visee, Some(8), Some(8));
            continue;
        }
        // Future or expected obtention: "sera qualifiée SecNumCloud", "devrait
        // être certifiée HDS", "va obtenir".
        if forme!(m, r"^(sera|seront|serons|serait|seraient|devra|devrait|devraient|devront|devrions|va|vont|allons)$")
        {
            let k = (i + 1..(i + 3).min(mots.len())).find(|&k| {
                forme!(t(k), r"^(qualifi|certifi|labellis|homologu|obtenu|obtenir$|conforme|agree|etre$|devenir$)")
            });
            if let Some(k) = k {
                if t(k) != "etre" || forme!(t(k + 1), r"^(qualifi|certifi|labellis|homologu|obtenu|conforme|agree)") {
                    push(de(i), a(k), Statut::Visee, Some(6), Some(6));
                }
            }
            continue;
        }
        // "pour obtenir", "afin d'obtenir", "en vue de la qualification".
        if forme!(m, r"^(pour|afin|vue)$") {
            let k = (i + 1..(i + 3).min(mots.len())).find(|&k| {
                forme!(t(k), r"^(obtenir|obtention|atteindre|decrocher)$")
                    || (m == "vue" && forme!(t(k), r"^(qualification|certification|labellisation|homologation)$"))
            });
            if let Some(k) = k {
                push(de(i), a(k), Statut::Visee, Some(6), None);
            }
            continue;
        }
        // "obtenir la qualification" as an aim; not "a permis d'obtenir".
        if m == "obtenir" {
            let passe = (i.saturating_sub(3)..i)
                .any(|k| forme!(t(k), r"^(permis|pu|su|reussi|fallu|vient|viennent|venons|venait)$"));
            if !passe {
                push(de(i), a(i), Statut::Visee, Some(4), None);
            }
            continue;
        }
        // Plans and wishes.
        if forme!(m, r"^(souhait|envisag|prevoi|prevoy|prevu|prevision|projett|cherch|aspir|perspective|prepar)") {
            push(de(i), a(i), Statut::Visee, Some(6), Some(5));
            continue;
        }
        // Time ahead: "à terme", "à l'avenir", "prochainement", "prochaine
        // étape", "futur", "d'ici 2026".
        let temps = (m == "terme" && t(i.wrapping_sub(1)) == "a")
            || (m == "avenir" && t(i.wrapping_sub(1)) == "l")
            || (m == "ici" && t(i.wrapping_sub(1)) == "d")
            || forme!(m, r"^(prochainement|prochaine|prochaines|futur|future|futurs|futures|ulterieurement)$");
        if temps {
            push(de(i), a(i), Statut::Visee, Some(12), Some(12));
            continue;
        }
        // "les garanties nécessaires à une qualification eIDAS", "prérequis à
        // la certification HDS". Not "bien que nécessaires, …".
        if forme!(m, r"^(necessaires?|prerequis)$") && forme!(t(i + 1), r"^(a|au|aux|pour)$") {
            let k = (i + 2..(i + 5).min(mots.len())).find(|&k| {
                dans_nom(k) || forme!(t(k), r"^(qualification|certification|labellisation|homologation|obtention)s?$")
            });
            if let Some(k) = k {
                push(de(i), a(k.max(i + 1)), Statut::Visee, Some(6), None);
            }
            continue;
        }

        // Explicit obtention: "obtenue en 2022", "a obtenu", "déjà qualifiée",
        // "détient la certification HDS"; not "sera obtenue", "pas encore
        // obtenu", "une fois obtenue".
        if forme!(m, r"^obtenu(e|s|es)?$") {
            let bloque = (i.saturating_sub(3)..i).any(|k| {
                forme!(
                    t(k),
                    r"^(sera|seront|serait|seraient|etre|fois|pas|encore|jamais|plus|devra|devrait|pour|afin|ne|n|sans|avant|apres)$"
                )
            });
            if !bloque {
                push(de(i), a(i), Statut::Obtenue, Some(3), Some(4));
            }
            continue;
        }
        if m == "deja"
            && (i + 1..(i + 3).min(mots.len()))
                .any(|k| forme!(t(k), r"^(qualifi|certifi|labellis|homolog|obtenu|titulaire|detent)"))
        {
            push(de(i), a(i), Statut::Obtenue, Some(3), Some(3));
            continue;
        }
        if forme!(m, r"^(detient|detiennent|detenons|detenteur|detentrice|titulaire|titulaires)$") {
            push(de(i), a(i), Statut::Obtenue, Some(6), Some(4));
            continue;
        }
    }
    sortie
}

/// The indices (into `noms`) a cue reaches; see [`Indice`].
fn cibles(bas: &str, indice: &Indice, noms: &[Range<usize>]) -> Vec<usize> {
    if let Some(fenetre) = indice.avant {
        let suivants: Vec<usize> = (0..noms.len())
            .filter(|&k| {
                noms[k].start >= indice.plage.end && au_plus_mots(bas, indice.plage.end..noms[k].start, fenetre)
            })
            .collect();
        // A new coordinated clause between the cue and the nearest following
        // name ("… n'était pas nécessaire et la certification HDS …") means
        // the name is not the cue's object.
        let coupe = suivants
            .iter()
            .map(|&k| noms[k].start)
            .min()
            .is_some_and(|debut| re_nouvelle_proposition().is_match(&bas[indice.plage.end..debut]));
        if !suivants.is_empty() && !coupe {
            return suivants;
        }
    }
    let Some(fenetre) = indice.apres else { return Vec::new() };
    // Names before the cue, grouped when only "et", "ou", commas, slashes or
    // brackets separate them ("SecNumCloud et HDS", "HDS (hébergeur de …)").
    let mut precedents: Vec<usize> = (0..noms.len()).filter(|&k| noms[k].end <= indice.plage.start).collect();
    precedents.sort_by_key(|&k| noms[k].start);
    let Some(&dernier) = precedents.last() else {
        return Vec::new();
    };
    if !au_plus_mots(bas, noms[dernier].end..indice.plage.start, fenetre) {
        return Vec::new();
    }
    let mut groupe = vec![dernier];
    for w in precedents.windows(2).rev() {
        let (g, d) = (w[0], w[1]);
        if !groupe.contains(&d) {
            break;
        }
        if noms[g].end <= noms[d].start && re_liaison().is_match(&bas[noms[g].end..noms[d].start]) {
            groupe.push(g);
        } else {
            break;
        }
    }
    groupe
}

fn re_nouvelle_proposition() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?:\bet|\bou|,)\s+(?:la|le|les|l'|un|une|des|du|nous|il|elle|ils|elles|on|notre|nos|son|sa|ses|leur|leurs|cette|ce|cet|ces)(?:\s|'|$)",
        )
        .unwrap()
    })
}

fn re_liaison() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^[\s,/&()\-]*(?:(?:et|ou|ainsi que|voire)\b[\s,()]*)?$").unwrap())
}

// ---------------------------------------------------------------------------
// Folded text, words, clauses
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Mot {
    plage: Range<usize>,
    /// Followed by an apostrophe: "n'", "l'", "d'".
    elide: bool,
}

/// A word (Unicode `\w+`): the definition [`de_mot`], [`mots`] and
/// [`mot_avant`] implement without the regex engine, kept for their tests.
#[cfg(test)]
fn re_mot() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\w+").unwrap())
}

/// A character of a word of `re_mot` (Unicode `\w`).
#[inline]
fn de_mot(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        regex_syntax::is_word_character(c)
    }
}

/// The last word of `re_mot` in `bas[..debut]` ("" if none), read backwards
/// from `debut`: the last match of a search from the start, without the
/// search (it was quadratic on a sentence naming "SNC" over and over).
fn mot_avant(bas: &str, debut: usize) -> &str {
    let avant = &bas[..debut];
    let Some(fin) = avant.char_indices().rev().find(|&(_, c)| de_mot(c)).map(|(i, c)| i + c.len_utf8()) else {
        return "";
    };
    let depart = avant[..fin].char_indices().rev().find(|&(_, c)| !de_mot(c)).map_or(0, |(i, c)| i + c.len_utf8());
    &avant[depart..fin]
}

fn mots(bas: &str, plage: Range<usize>) -> Vec<Mot> {
    // The words of `re_mot` (Unicode `\w+`), found without the regex engine.
    let texte = &bas[plage.clone()];
    let mut sortie = Vec::new();
    let mut pousser = |debut: usize, fin: usize| {
        let p = plage.start + debut..plage.start + fin;
        let elide = bas[p.end..].starts_with('\'');
        sortie.push(Mot { plage: p, elide });
    };
    let mut debut: Option<usize> = None;
    for (i, c) in texte.char_indices() {
        let lettre = de_mot(c);
        match (lettre, debut) {
            (true, None) => debut = Some(i),
            (false, Some(d)) => {
                pousser(d, i);
                debut = None;
            }
            _ => {}
        }
    }
    if let Some(d) = debut {
        pousser(d, texte.len());
    }
    sortie
}

/// Whether `bas[plage]` holds at most `n` words. Counting stops at the
/// word past `n`: a cue is checked against every name of its sentence, and a
/// full count over a long sentence made that cubic (a 45 KB sentence naming
/// 4,000 qualifications ran for minutes).
fn au_plus_mots(bas: &str, plage: Range<usize>, n: usize) -> bool {
    if plage.start >= plage.end {
        return true;
    }
    // The words of `re_mot` (Unicode `\w+`), counted without the regex
    // engine, as [`mots`] finds them.
    let mut compte = 0;
    let mut dans_mot = false;
    for c in bas[plage].chars() {
        let lettre = de_mot(c);
        if lettre && !dans_mot {
            compte += 1;
            if compte > n {
                return false;
            }
        }
        dans_mot = lettre;
    }
    true
}

/// Splits on strong clause boundaries: ";", sentence ends, "mais",
/// "cependant", "toutefois", "en revanche", "alors que", "tandis que",
/// "contrairement à". Cues never cross these. A plain "et" does not split:
/// "qualifiées SecNumCloud et HDS" share one clause, and the direction rule
/// of [`Indice`] handles "… SecNumCloud et la certification HDS est en cours".
fn decouper_clauses(bas: &str) -> Vec<Range<usize>> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(
            r";|[.!?]\s|\bmais\b|\bcependant\b|\btoutefois\b|\ben revanche\b|\balors que\b|\balors qu'|\btandis que\b|\btandis qu'|\bcontrairement a\b",
        )
        .unwrap()
    });
    let mut clauses = Vec::new();
    let mut debut = 0;
    for m in r.find_iter(bas) {
        clauses.push(debut..m.start());
        debut = m.start();
    }
    clauses.push(debut..bas.len());
    clauses
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Sorte {
    nom: &'static str,
    autorite: Option<&'static str>,
}

const SECNUMCLOUD: Sorte = Sorte { nom: "SecNumCloud", autorite: Some("ANSSI") };
const HDS: Sorte = Sorte { nom: "HDS", autorite: None };
const EIDAS: Sorte = Sorte { nom: "eIDAS", autorite: None };
const RGS: Sorte = Sorte { nom: "RGS", autorite: Some("ANSSI") };
const EUCS: Sorte = Sorte { nom: "EUCS", autorite: None };
const C5: Sorte = Sorte { nom: "C5", autorite: Some("BSI") };
const ENS: Sorte = Sorte { nom: "ENS", autorite: None };
const PCI_DSS: Sorte = Sorte { nom: "PCI DSS", autorite: None };
const CSA_STAR: Sorte = Sorte { nom: "CSA STAR", autorite: None };

#[derive(Debug, Clone)]
struct Occurrence {
    sorte: Sorte,
    plage: Range<usize>,
}

/// ISO standards recognised after "ISO" / "ISO/IEC", with their canonical name.
const NORMES_ISO: &[(&str, &str)] = &[
    ("9001", "ISO 9001"),
    ("14001", "ISO 14001"),
    ("20000", "ISO 20000"),
    ("22301", "ISO 22301"),
    ("27001", "ISO 27001"),
    ("27002", "ISO 27002"),
    ("27017", "ISO 27017"),
    ("27018", "ISO 27018"),
    ("27701", "ISO 27701"),
    ("50001", "ISO 50001"),
];

/// Acronyms that ANSSI grants as qualifications of service providers.
const QUALIFS_ANSSI: &[(&str, &str)] = &[("PASSI", "PASSI"), ("PDIS", "PDIS"), ("PRIS", "PRIS"), ("PVID", "PVID")];

/// Whether a word of the lowercase folded sentence can start a name of
/// `re_noms`: words are runs of ASCII letters, digits and `_` (any other
/// byte separates them, so each name starts a word), and every name begins
/// with one of these words ("secnumcloud", "sec" of "sec num cloud",
/// "iso27001", "soc2", "hebergeur"…). Most sentences have none: one pass
/// over the bytes, no regex.
fn peut_nommer(bas: &str) -> bool {
    let o = bas.as_bytes();
    // Only words starting with these letters can start a name.
    super::texte::chercher_mots(o, |d, f| {
        matches!(o[d], b'c' | b'e' | b'h' | b'i' | b'p' | b'r' | b's')
            && nom_possible(&o[d..f])
            && suite_possible(&o[d..f], &o[f..])
    })
}

/// For the first word of a name of several words, whether the rest of the
/// sentence holds the word the name needs further on ("hébergement" is
/// everywhere in a cloud corpus, "hébergement de données de santé" is not);
/// true for the other words.
fn suite_possible(mot: &[u8], reste: &[u8]) -> bool {
    let tient = |m: &str| memchr::memmem::find(reste, m.as_bytes()).is_some();
    match mot {
        b"sec" => tient("num"),
        b"secnum" => tient("cloud"),
        b"referentiel" => tient("securite"),
        b"pci" => tient("dss"),
        b"csa" => tient("star"),
        b"esquema" => tient("seguridad"),
        m if m.starts_with(b"heberg") => tient("sante"),
        _ => true,
    }
}

fn nom_possible(mot: &[u8]) -> bool {
    matches!(
        mot,
        b"snc"
            | b"hds"
            | b"eidas"
            | b"rgs"
            | b"passi"
            | b"pdis"
            | b"pris"
            | b"pvid"
            | b"eucs"
            | b"c5"
            | b"ens"
            | b"esquema"
            | b"pci"
            | b"pcidss"
            | b"csa"
            | b"referentiel"
            | b"sec"
            | b"secnum"
            | b"secnumcloud"
    ) || mot.starts_with(b"heberg")
        || mot.strip_prefix(b"iso").is_some_and(|r| r.iter().all(u8::is_ascii_digit))
        || mot.strip_prefix(b"soc").is_some_and(|r| matches!(r, b"" | b"1" | b"2" | b"3" | b"i" | b"ii" | b"iii"))
}

/// `re_noms` with ASCII word boundaries, as a filter: an ASCII boundary is
/// found wherever a Unicode one is (the names start and end with ASCII
/// letters or digits), so a sentence it rejects has no name, and the lazy DFA
/// runs it on any text (a Unicode `\b` makes it give up on non-ASCII text).
fn re_noms_ascii() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(&MOTIF_NOMS.replace(r"\b", r"(?-u:\b)")).unwrap())
}

const MOTIF_NOMS: &str = r"(?x)
            (?P<snc>\bsec[\s\-]?num[\s\-]?cloud\b)
          | (?P<sigle_snc>\bsnc\b)
          | (?P<hds>\bhds\b)
          | (?P<heberg>\b(?P<hmot>heberg\w*)\s+(?:de\s+|des\s+)?donnees\s+de\s+sante\b)
          | (?P<iso>\biso(?:\s*/\s*iec)?[\s\-:]*(?P<num>\d{4,5})(?:-\d+)?(?::\d{4})?\b)
          | (?P<eidas>\beidas\b)
          | (?P<rgs>\brgs\b)
          | (?P<rgs_long>\breferentiel\s+general\s+de\s+securite\b)
          | (?P<anssi>\b(?:passi|pdis|pris|pvid)\b)
          | (?P<soc>\bsoc\s*-?\s*(?P<socn>1|2|3|iii|ii|i)\b)
          | (?P<eucs>\beucs\b)
          | (?P<c5>\bc5\b)
          | (?P<ens>\bens\b)
          | (?P<ens_long>\besquema\s+nacional\s+de\s+seguridad\b)
          | (?P<pci>\bpci[\s\-]?dss\b)
          | (?P<csa>\bcsa[\s\-]star\b)
            ";

fn re_noms() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(MOTIF_NOMS).unwrap())
}

/// Finds every qualification name, in order. Short acronyms that are also
/// ordinary words or other things ("SNC", "RGS", "C5", "ENS", "SOC", "PRIS")
/// must be written in capitals, and "SNC", "C5" and "ENS" need a
/// qualification context.
fn reperer(texte: &Plie) -> Vec<Occurrence> {
    let bas = &texte.bas;
    // Most sentences name no qualification: a cheap test first. The same
    // names with ASCII word boundaries (the text is folded, no accents left)
    // keep the regex engine on its fast path.
    if !peut_nommer(bas) || !re_noms_ascii().is_match(bas) {
        return Vec::new();
    }
    let casse = texte.casse();
    let contexte_qualif = {
        static R: OnceLock<Regex> = OnceLock::new();
        re(r"\b(bsi|certif\w*|attestation\w*|referentiel\w*|catalogue|qualif\w*|audit\w*|conformite|conforme\w*|label\w*)\b", &R)
            .is_match(bas)
    };
    let mot_precedent = |debut: usize| mot_avant(bas, debut);
    let mut sortie: Vec<Occurrence> = Vec::new();
    let mut ajouter = |sorte: Sorte, plage: Range<usize>| sortie.push(Occurrence { sorte, plage });

    for c in re_noms().captures_iter(bas) {
        let m = c.get(0).unwrap();
        let plage = m.start()..m.end();
        let ecrit = &casse[plage.clone()];
        if c.name("snc").is_some() {
            ajouter(SECNUMCLOUD, plage);
        } else if c.name("sigle_snc").is_some() {
            if ecrit == "SNC" && forme!(mot_precedent(plage.start), r"^(qualifi|offres?$|cloud$|solutions?$|label)") {
                ajouter(SECNUMCLOUD, plage);
            }
        } else if c.name("hds").is_some() {
            ajouter(HDS, plage);
        } else if c.name("heberg").is_some() {
            // "hébergeur de données de santé" names the certification itself
            // (also the page's misspelling "Héberguer"); "hébergement de
            // données de santé" only in a certification context.
            let h = c.name("hmot").unwrap().as_str();
            let retenu = match h {
                "hebergeur" | "hebergeurs" | "hebergeuse" | "heberguer" => true,
                "hebergement" | "hebergements" => contexte_qualif,
                _ => false,
            };
            if retenu {
                ajouter(HDS, plage);
            }
        } else if c.name("iso").is_some() {
            let num = c.name("num").unwrap();
            if let Some(nom) = nom_iso(num.as_str()) {
                ajouter(Sorte { nom, autorite: None }, plage.clone());
            }
            // "ISO 27001, 27017 et 27018": the following bare numbers.
            let mut fin = plage.end;
            static SUITE: OnceLock<Regex> = OnceLock::new();
            let suite = re(r"^\s*(?:,|et|ou|/|&)\s*(?:iso(?:\s*/\s*iec)?[\s\-:]*)?(\d{4,5})\b", &SUITE);
            while let Some(s) = suite.captures(&bas[fin..]) {
                let n = s.get(1).unwrap();
                match nom_iso(n.as_str()) {
                    Some(nom) => {
                        ajouter(Sorte { nom, autorite: None }, fin + n.start()..fin + n.end());
                        fin += s.get(0).unwrap().end();
                    }
                    None => break,
                }
            }
        } else if c.name("eidas").is_some() {
            ajouter(EIDAS, plage);
        } else if c.name("rgs").is_some() {
            if ecrit == "RGS" {
                ajouter(RGS, plage);
            }
        } else if c.name("rgs_long").is_some() {
            ajouter(RGS, plage);
        } else if c.name("anssi").is_some() {
            if let Some(&(_, nom)) = QUALIFS_ANSSI.iter().find(|(s, _)| *s == ecrit) {
                ajouter(Sorte { nom, autorite: Some("ANSSI") }, plage);
            }
        } else if c.name("soc").is_some() {
            if ecrit.starts_with("SOC") {
                let nom = match c.name("socn").unwrap().as_str() {
                    "1" | "i" => "SOC 1",
                    "2" | "ii" => "SOC 2",
                    _ => "SOC 3",
                };
                ajouter(Sorte { nom, autorite: None }, plage);
            }
        } else if c.name("eucs").is_some() {
            ajouter(EUCS, plage);
        } else if c.name("c5").is_some() {
            if ecrit == "C5" && contexte_qualif {
                ajouter(C5, plage);
            }
        } else if c.name("ens").is_some() {
            // "ENS" is far more often the École normale supérieure: only
            // "qualification/certification/conformité ENS".
            if ecrit == "ENS"
                && forme!(
                    mot_precedent(plage.start),
                    r"^(qualification|certification|certifiee?s?|qualifiee?s?|conformite|conformes?|label)$"
                )
            {
                ajouter(ENS, plage);
            }
        } else if c.name("ens_long").is_some() {
            ajouter(ENS, plage);
        } else if c.name("pci").is_some() {
            ajouter(PCI_DSS, plage);
        } else if c.name("csa").is_some() {
            ajouter(CSA_STAR, plage);
        }
    }
    sortie.sort_by_key(|o| o.plage.start);
    sortie
}

fn nom_iso(numero: &str) -> Option<&'static str> {
    NORMES_ISO.iter().find(|(n, _)| *n == numero).map(|&(_, nom)| nom)
}

/// The level the sentence gives for this name, looked for in the words that
/// follow it (and, for eIDAS/EUCS, "niveau X" just before it).
fn niveau(texte: &Plie, occ: &Occurrence, clause: &Range<usize>) -> Option<String> {
    let bas = &texte.bas;
    let fin_clause = clause.end.max(occ.plage.end);
    let suite = &bas[occ.plage.end..fin_clause];
    match occ.sorte.nom {
        "eIDAS" | "EUCS" => {
            let apres = mots(bas, occ.plage.end..fin_clause);
            for m in apres.iter().take(6) {
                if let Some(n) = niveau_garantie(&bas[m.plage.clone()]) {
                    return Some(n.to_string());
                }
            }
            let avant = mots(bas, clause.start.min(occ.plage.start)..occ.plage.start);
            let n = avant.len();
            if n >= 2 && &bas[avant[n - 2].plage.clone()] == "niveau" {
                return niveau_garantie(&bas[avant[n - 1].plage.clone()]).map(str::to_string);
            }
            None
        }
        "RGS" => {
            static R: OnceLock<Regex> = OnceLock::new();
            re(r"^\s*(\*{1,3})", &R).captures(suite).map(|c| c[1].to_string())
        }
        "SecNumCloud" => {
            static R: OnceLock<Regex> = OnceLock::new();
            re(r"^\s*(?:v|version\s+)?(\d{1,2}\.\d{1,2})\b", &R).captures(suite).map(|c| c[1].to_string())
        }
        "SOC 1" | "SOC 2" | "SOC 3" => {
            static R: OnceLock<Regex> = OnceLock::new();
            re(r"^\s*,?\s*type\s*(1|2|ii|i)\b", &R).captures(suite).map(|c| {
                match &c[1] {
                    "1" | "i" => "type 1",
                    _ => "type 2",
                }
                .to_string()
            })
        }
        _ => None,
    }
}

/// eIDAS / EUCS assurance levels, tolerant of the page's "susbtantiel".
fn niveau_garantie(mot: &str) -> Option<&'static str> {
    if forme!(mot, r"^(faible|low)$") {
        Some("faible")
    } else if forme!(mot, r"^(elementaire|basique|basic)$") {
        Some("elementaire")
    } else if forme!(mot, r"^su[bst]{2,4}anti[ae]l(le)?s?$") {
        Some("substantiel")
    } else if forme!(mot, r"^(eleve|elevee|eleves|elevees|high)$") {
        Some("eleve")
    } else {
        None
    }
}

/// A granting body named right after the qualification: "certifiée HDS par
/// l'AFNOR", "qualifié SecNumCloud par l'ANSSI".
fn autorite_nommee(bas: &str, fin: usize, clause: &Range<usize>) -> Option<&'static str> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        r"^(?:[^;.]{0,60}?)\b(?:par|aupres de|delivree?s? par)\s+(?:l'|le\s+|la\s+|les\s+)?(anssi|bsi|cofrac|afnor|enisa|lsti|bureau veritas)\b",
        &R,
    );
    let fin_clause = clause.end.max(fin);
    r.captures(&bas[fin..fin_clause]).map(|c| match &c[1] {
        "anssi" => "ANSSI",
        "bsi" => "BSI",
        "cofrac" => "COFRAC",
        "afnor" => "AFNOR",
        "enisa" => "ENISA",
        "lsti" => "LSTI",
        _ => "Bureau Veritas",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns shaped like those of `indices`, and some that defeat the
    /// first-byte table (empty match, unbounded start).
    const FORMES: &[&str] = &[
        r"^(pas|plus|jamais|point|nullement|aucun|aucune|aucuns|aucunes|guere|ni)$",
        r"^(engag|lanc|initi|entam|amorc|entrepr|depos)",
        r"^vis(e|ee|ees|es|ent|ons|ez|ait|aient|ant|er|era|erons|eront|erait|eraient)$",
        r"^(objectifs?|ambitions?|ambitionn\w*|cible|cibles|cibler|ciblons|ciblee)$",
        r"^(ecarte|ecartee|ecartes|ecartees|ecarter|ecartons|renonc\w*|exclue?s?)$",
        r"^(suffi|assez$)",
        r"^aucune?s?$",
        r"^(a)?$",
        r"(pas|non)",
        r"^\w*ment$",
        r"^[a-e]",
        r"^obtenu(e|s|es)?$",
        r"^(le|l)$",
        r"^(qualifi|certifi|opt[eéai]|opter|sur$)",
        r"^a\b$",
    ];

    #[test]
    fn forme_comme_la_regex_exemples() {
        let f = Forme::new(FORMES[0]);
        assert!(f.premiers.is_some() && f.est("pas") && !f.est("passe") && !f.est(""));
        assert!(Forme::new(r"^(a)?$").premiers.is_none() && Forme::new(r"^(a)?$").est(""));
        assert!(Forme::new(r"(pas|non)").est("canon") && Forme::new(r"(pas|non)").premiers.is_none());
        assert!(FORMES[..7].iter().all(|m| Forme::new(m).premiers.is_some()));
        // Lists of whole words are answered without the regex.
        assert!([0, 6, 11, 12].iter().all(|&i| Forme::new(FORMES[i]).liste));
        assert!([1, 3, 5, 13, 14].iter().all(|&i| !Forme::new(FORMES[i]).liste));
    }

    proptest::proptest! {
        /// The first-byte table never turns away a word the regex matches.
        #[test]
        fn forme_comme_la_regex(
            mot in proptest::prop_oneof![
                proptest::string::string_regex("[a-z_0-9é]{0,12}").unwrap(),
                proptest::strategy::Strategy::prop_map(proptest::sample::select(vec!["pas", "aucun", "aucunes", "engage", "visons", "ciblee", "renoncer",
                    "assez", "suffisant", "a", "", "ambitionnons", "exclues", "totalement", "canon", "obtenues", "obtenu", "l", "le", "opté", "optai",
                    "sur", "surtout", "qualifiee"]), String::from),
            ],
            i in 0..15usize,
        ) {
            let motif = FORMES[i];
            proptest::prop_assert_eq!(Forme::new(motif).est(&mot), Regex::new(motif).unwrap().is_match(&mot));
        }

        /// The bounded count gives what a count of the regex's words gives.
        #[test]
        fn au_plus_mots_comme_la_regex(s in "[a-z0-9 _'\\-π\u{300}\u{a0}éß٣]{0,40}", a in 0usize..41, b in 0usize..41, n in 0usize..8) {
            let bornes: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            let (a, b) = (bornes[a % bornes.len()], bornes[b % bornes.len()]);
            let attendu = a >= b || re_mot().find_iter(&s[a..b]).count() <= n;
            proptest::prop_assert_eq!(au_plus_mots(&s, a..b, n), attendu);
        }

        /// The word before a place is the last word a regex search finds there.
        #[test]
        fn mot_avant_comme_la_regex(s in "(?s).{0,30}", t in "[a-z0-9 _'\\-π\u{300}\u{a0}éß٣]{0,40}", a in 0usize..41) {
            for x in [&s, &t] {
                let bornes: Vec<usize> = x.char_indices().map(|(i, _)| i).chain([x.len()]).collect();
                let a = bornes[a % bornes.len()];
                let attendu = re_mot().find_iter(&x[..a]).last().map_or("", |m| m.as_str());
                proptest::prop_assert_eq!(mot_avant(x, a), attendu);
            }
        }

        #[test]
        fn mots_comme_la_regex(s in "(?s).{0,40}", t in "[a-z0-9 _'\\-π\u{300}\u{a0}éß٣]{0,40}") {
            for x in [&s, &t] {
                let attendu: Vec<Range<usize>> = re_mot().find_iter(x).map(|m| m.start()..m.end()).collect();
                let obtenu: Vec<Range<usize>> = mots(x, 0..x.len()).into_iter().map(|m| m.plage).collect();
                proptest::prop_assert_eq!(obtenu, attendu);
            }
        }
    }

    /// The word filter lets through every sentence where `re_noms` finds a
    /// name (it may let through more).
    #[test]
    fn filtre_des_noms_sans_perte() {
        let phrases = [
            "la qualification secnumcloud",
            "sec num cloud",
            "sec-numcloud",
            "secnum-cloud",
            "le referentiel general de securite",
            "esquema nacional de seguridad",
            "heberguer des donnees de sante",
            "secnum cloud",
            "le snc",
            "hds",
            "certifie hds",
            "hebergeur de donnees de sante",
            "hebergement des donnees de sante",
            "iso 27001",
            "iso27001",
            "iso/iec 27001:2013",
            "iso-27017",
            "eidas",
            "rgs",
            "referentiel general de securite",
            "passi",
            "pdis",
            "pris",
            "pvid",
            "soc 2",
            "soc2",
            "soc ii",
            "soc-1",
            "socii",
            "eucs",
            "c5",
            "ens",
            "esquema nacional de seguridad",
            "pci dss",
            "pci-dss",
            "pcidss",
            "csa star",
            "csa-star",
            "(hds)",
            "«secnumcloud»",
            "l'iso 27001",
            "π hds",
            "x_hds",
        ];
        for p in phrases {
            if re_noms().is_match(p) {
                assert!(peut_nommer(p), "{p}");
            }
        }
        for p in ["la securite sociale", "un ensemble de services", "l'entreprise a pris", "isolation", "second"] {
            assert!(re_noms().is_match(p) || !peut_nommer(p) || p == "l'entreprise a pris", "{p}");
        }
        assert!(!peut_nommer("la securite sociale d'un ensemble"));
    }

    proptest::proptest! {
        #[test]
        fn filtre_des_noms_proprietes(
            morceaux in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "sec", "num", "cloud", "iso", "iec", "27001", "2013", "soc", "2", "ii", "i", "hds", "snc", "heberg",
                        "eur", "de", "donnees", "sante", "pci", "dss", "csa", "star", "ens", "c5", "x", "_", "π", "referentiel",
                        "general", "securite", "hebergement", "hebergeur", "des", "esquema", "nacional", "seguridad",
                        "secnum", "santé",
                    ]),
                    proptest::sample::select(vec![" ", "-", "", "/", ":", "'", "(", ")", "_", "é"]),
                ),
                0..8,
            )
        ) {
            let s: String = morceaux.iter().flat_map(|(m, sep)| [*m, *sep]).collect();
            if re_noms().is_match(&s) {
                proptest::prop_assert!(peut_nommer(&s), "{}", s);
            }
        }
    }

    /// (sentence, expected [(qualification, niveau, statut)] in order)
    type Cas = (&'static str, &'static [(&'static str, Option<&'static str>, &'static str)]);

    const CAS: &[Cas] = &[
        // --- Seed sentences (DINUM page, 2024-07-03) ---
        (
            "L’hébergement de ces systèmes d’information sur des solutions de confiance qualifiées SecNumCloud et HDS permet d’assurer un haut de niveau de sécurité des données recueillies.",
            &[("SecNumCloud", None, "obtenue"), ("HDS", None, "obtenue")],
        ),
        (
            "Nous avons, dès le démarrage de notre projet, fait le choix d’une approche cloud pour bénéficier du haut niveau de confiance apporté par la certification SecNumCloud délivrée par l’ANSSI.",
            &[("SecNumCloud", None, "obtenue")],
        ),
        (
            "Par ailleurs, la solution cloud que nous avons retenue nous apporte les garanties nécessaires à une qualification eIDAS de niveau susbtantiel de notre application comme moyen d’identification électronique.",
            &[("eIDAS", Some("substantiel"), "visee")],
        ),
        (
            "Les certifications ISO 27001, bien que nécessaires, ne sont, à ce stade, pas suffisantes.\"",
            &[("ISO 27001", None, "insuffisante")],
        ),
        (
            "\"Traitant les données de santé des français, il est indispensable de répondre aux exigences réglementaires correspondantes dont une des composantes est d’être HDS (Héberguer de données de santé).",
            &[("HDS", None, "obtenue")],
        ),
        (
            "Le choix de l’offre ne s’est pas porté sur une solution qualifiée SecNumCloud dès lors que la nature des données hébergées ne le nécessitait pas.\"",
            &[("SecNumCloud", None, "non_retenue")],
        ),
        (
            "Par conséquent, le choix s’est porté sur l’offre du fournisseur sélectionné, qualifié SecNumCloud par l’ANSSI.\"",
            &[("SecNumCloud", None, "obtenue")],
        ),
        (
            "Le choix d’une solution cloud qualifiée SecNumCloud a permis de sécuriser davantage les données et services du Shom, certaines données étant jugées sensibles, comme les données liées à la sécurité de la navigation.",
            &[("SecNumCloud", None, "obtenue")],
        ),
        (
            "Quels ont été les facteurs clefs de succès pour la migration vers un cloud qualifié SecNumCloud ?",
            &[("SecNumCloud", None, "obtenue")],
        ),
        // --- Held ---
        ("L'hébergeur est certifié HDS.", &[("HDS", None, "obtenue")]),
        ("Nous avons retenu une offre qualifiée SecNumCloud 3.2 chez un fournisseur français.", &[("SecNumCloud", Some("3.2"), "obtenue")]),
        ("L’offre est qualifiée secnumcloud depuis 2022.", &[("SecNumCloud", None, "obtenue")]),
        ("Le prestataire, certifié hébergeur de données de santé, assure l'exploitation.", &[("HDS", None, "obtenue")]),
        ("Le fournisseur a obtenu la certification ISO 27001 et la qualification SecNumCloud.", &[("ISO 27001", None, "obtenue"), ("SecNumCloud", None, "obtenue")]),
        ("L'offre est déjà qualifiée SecNumCloud, ce qui ne pose pas de difficulté pour nos données.", &[("SecNumCloud", None, "obtenue")]),
        ("La certification HDS obtenue en 2022 permettra d’héberger de nouvelles bases.", &[("HDS", None, "obtenue")]),
        ("Le datacenter est certifié ISO 27001, 27017 et 27018.", &[("ISO 27001", None, "obtenue"), ("ISO 27017", None, "obtenue"), ("ISO 27018", None, "obtenue")]),
        ("L'application est homologuée RGS ** et le fournisseur est qualifié PASSI.", &[("RGS", Some("**"), "obtenue"), ("PASSI", None, "obtenue")]),
        ("Le fournisseur dispose d'un rapport SOC 2 Type II et d'une attestation C5.", &[("SOC 2", Some("type 2"), "obtenue"), ("C5", None, "obtenue")]),
        // --- Aimed at ---
        ("Nous visons la qualification SecNumCloud d’ici 2026.", &[("SecNumCloud", None, "visee")]),
        ("Nous accompagnons notre hébergeur vers la qualification SecNumCloud.", &[("SecNumCloud", None, "visee")]),
        ("Nous étudions une migration vers une offre SecNumCloud.", &[("SecNumCloud", None, "visee")]),
        (
            "Le programme porte sur l'accompagnement des éditeurs cloud à la sécurisation et à la qualification au visa de sécurité SecNumCloud.",
            &[("SecNumCloud", None, "visee")],
        ),
        ("Nous avons migré vers une offre qualifiée SecNumCloud.", &[("SecNumCloud", None, "obtenue")]),
        ("Les étudiants utilisent une offre qualifiée SecNumCloud.", &[("SecNumCloud", None, "obtenue")]),
        (
            "L'hébergeur, déjà qualifié SecNumCloud, nous accompagne vers la certification HDS.",
            &[("SecNumCloud", None, "obtenue"), ("HDS", None, "visee")],
        ),
        ("L’objectif est d’obtenir la certification HDS.", &[("HDS", None, "visee")]),
        ("À terme, la plateforme sera qualifiée SecNumCloud.", &[("SecNumCloud", None, "visee")]),
        ("La prochaine étape est la certification HDS de l'hébergement.", &[("HDS", None, "visee")]),
        ("Cette démarche permettra une qualification eIDAS de niveau élevé.", &[("eIDAS", Some("eleve"), "visee")]),
        ("L’offre n’est pas encore qualifiée SecNumCloud.", &[("SecNumCloud", None, "visee")]),
        ("L'offre qualifiée SecNumCloud vise la certification HDS.", &[("SecNumCloud", None, "obtenue"), ("HDS", None, "visee")]),
        ("Nous visons la qualification SecNumCloud et la certification HDS.", &[("SecNumCloud", None, "visee"), ("HDS", None, "visee")]),
        // --- In progress ---
        ("La qualification SecNumCloud de l’offre est en cours.", &[("SecNumCloud", None, "en_cours")]),
        ("Le fournisseur est en cours de qualification SecNumCloud.", &[("SecNumCloud", None, "en_cours")]),
        ("Une démarche de qualification SecNumCloud a été engagée par l'hébergeur.", &[("SecNumCloud", None, "en_cours")]),
        ("La certification HDS est en cours d’obtention.", &[("HDS", None, "en_cours")]),
        ("L'offre est qualifiée SecNumCloud et la certification HDS est en cours.", &[("SecNumCloud", None, "obtenue"), ("HDS", None, "en_cours")]),
        ("L'offre n'est pas encore qualifiée SecNumCloud mais la démarche est en cours de qualification.", &[("SecNumCloud", None, "en_cours")]),
        ("Cette offre n’est pas encore qualifiée SecNumCloud, mais la démarche a été engagée.", &[("SecNumCloud", None, "en_cours")]),
        ("L'offre n'est pas encore qualifiée SecNumCloud, mais elle est très performante.", &[("SecNumCloud", None, "visee")]),
        ("L'offre n'est pas qualifiée SecNumCloud, mais la démarche a été engagée pour la certification HDS.", &[("SecNumCloud", None, "non_retenue"), ("HDS", None, "en_cours")]),
        // --- Not chosen / not needed ---
        ("Le service est hébergé sans qualification SecNumCloud.", &[("SecNumCloud", None, "non_retenue")]),
        ("La qualification SecNumCloud n’a pas été retenue pour ce projet.", &[("SecNumCloud", None, "non_retenue")]),
        ("Le projet n'a pas nécessité de qualification SecNumCloud.", &[("SecNumCloud", None, "non_retenue")]),
        ("Nous avons choisi une offre non qualifiée SecNumCloud.", &[("SecNumCloud", None, "non_retenue")]),
        ("Aucune qualification SecNumCloud n’est requise pour ces données publiques.", &[("SecNumCloud", None, "non_retenue")]),
        ("Les données ne nécessitent ni qualification SecNumCloud ni certification HDS.", &[("SecNumCloud", None, "non_retenue"), ("HDS", None, "non_retenue")]),
        ("Bien que certifiée ISO 27001, l'offre n'est pas qualifiée SecNumCloud.", &[("ISO 27001", None, "obtenue"), ("SecNumCloud", None, "non_retenue")]),
        ("Une offre qualifiée SecNumCloud n'était pas nécessaire, mais l'hébergeur est certifié HDS.", &[("SecNumCloud", None, "non_retenue"), ("HDS", None, "obtenue")]),
        ("La qualification SecNumCloud n'était pas nécessaire et la certification HDS était exigée.", &[("SecNumCloud", None, "non_retenue"), ("HDS", None, "obtenue")]),
        ("Sans SecNumCloud, le projet n'aurait pas été possible.", &[("SecNumCloud", None, "obtenue")]),
        ("Notre fournisseur vient d'obtenir la qualification SecNumCloud.", &[("SecNumCloud", None, "obtenue")]),
        ("Hébergée sans interruption sur une offre qualifiée SecNumCloud, l'application tourne bien.", &[("SecNumCloud", None, "obtenue")]),
        ("Nous visons à réduire les coûts grâce à une offre qualifiée SecNumCloud.", &[("SecNumCloud", None, "obtenue")]),
        ("Nous n'utilisons pas d'offre qualifiée SecNumCloud.", &[("SecNumCloud", None, "non_retenue")]),
        ("Seule une offre qualifiée SecNumCloud pouvait convenir, ce qui n'a pas facilité le choix.", &[("SecNumCloud", None, "obtenue")]),
        ("Nous n'avons pas fait le choix d'une offre qualifiée SecNumCloud.", &[("SecNumCloud", None, "non_retenue")]),
        ("Une qualification SecNumCloud n'est pas forcément nécessaire pour des données publiques.", &[("SecNumCloud", None, "non_retenue")]),
        ("Il n'y a pas de qualification SecNumCloud sur cette offre.", &[("SecNumCloud", None, "non_retenue")]),
        ("Le cloud choisi n'est plus qualifié SecNumCloud depuis 2023.", &[("SecNumCloud", None, "non_retenue")]),
        ("La qualification SecNumCloud n'est pas seulement un label, c'est une garantie.", &[("SecNumCloud", None, "obtenue")]),
        ("Le projet a été hébergé en attendant la qualification SecNumCloud de l'offre.", &[("SecNumCloud", None, "en_cours")]),
        ("Nous avons préféré une offre certifiée HDS plutôt qu’une offre qualifiée SecNumCloud.", &[("HDS", None, "obtenue"), ("SecNumCloud", None, "non_retenue")]),
        ("Une offre SecNumCloud n'existait pas à l'époque.", &[("SecNumCloud", None, "non_retenue")]),
        ("Le fournisseur a perdu sa qualification SecNumCloud.", &[("SecNumCloud", None, "non_retenue")]),
        ("Nous attendons la qualification SecNumCloud de notre hébergeur.", &[("SecNumCloud", None, "en_cours")]),
        ("Si l'offre avait été qualifiée SecNumCloud, nous l'aurions choisie.", &[("SecNumCloud", None, "non_retenue")]),
        ("L'offre est conforme au référentiel SecNumCloud mais pas encore qualifiée.", &[("SecNumCloud", None, "visee")]),
        ("Nous ne regrettons pas d'avoir choisi une offre qualifiée SecNumCloud.", &[("SecNumCloud", None, "obtenue")]),
        ("Nous n'avons eu aucune difficulté à trouver une offre certifiée HDS.", &[("HDS", None, "obtenue")]),
        ("Si l'offre est qualifiée SecNumCloud, les données sensibles y sont hébergées.", &[("SecNumCloud", None, "obtenue")]),
        ("Aucun hébergeur qualifié SecNumCloud ne proposait ce service.", &[("SecNumCloud", None, "non_retenue")]),
        ("Aucune des offres qualifiées SecNumCloud ne répondait à nos besoins.", &[("SecNumCloud", None, "non_retenue")]),
        ("Nous n'avons eu aucun problème avec l'hébergeur certifié HDS.", &[("HDS", None, "obtenue")]),
        ("S'il avait fallu tout recommencer, nous aurions à nouveau choisi une offre qualifiée SecNumCloud.", &[("SecNumCloud", None, "obtenue")]),
        ("Si l'hébergeur qualifié SecNumCloud avait été plus cher, le projet aurait été revu.", &[("SecNumCloud", None, "obtenue")]),
        ("Si notre hébergeur, qualifié SecNumCloud, avait connu une panne, la bascule aurait été automatique.", &[("SecNumCloud", None, "obtenue")]),
        ("Nous utilisons une offre qualifiée SecNumCloud, mais nous n'avons pas encore migré toutes nos applications.", &[("SecNumCloud", None, "obtenue")]),
        ("L'offre est qualifiée SecNumCloud, mais pas encore déployée dans toutes les régions.", &[("SecNumCloud", None, "obtenue")]),
        ("Nous n'avons rien perdu en passant à une offre qualifiée SecNumCloud.", &[("SecNumCloud", None, "obtenue")]),
        ("L'offre qualifiée SecNumCloud nous a évité de perdre des données.", &[("SecNumCloud", None, "obtenue")]),
        ("Avant la migration vers une offre qualifiée SecNumCloud, ce service n'existait pas.", &[("SecNumCloud", None, "obtenue")]),
        ("Le problème n'existait plus avec l'hébergeur certifié HDS.", &[("HDS", None, "obtenue")]),
        // --- Held but not enough ---
        ("La certification ISO 27001 ne suffit pas.", &[("ISO 27001", None, "insuffisante")]),
        ("Des données sensibles ne suffisent pas pour exiger un hébergement SecNumCloud.", &[("SecNumCloud", None, "non_retenue")]),
        ("La certification ISO 27001 ne suffit pas pour héberger ces données.", &[("ISO 27001", None, "insuffisante")]),
        ("La qualification SecNumCloud ne suffit pas à justifier le choix de ce prestataire.", &[("SecNumCloud", None, "insuffisante")]),
        ("La certification ISO 27001 ne suffit pas pour rendre l'offre éligible.", &[("ISO 27001", None, "insuffisante")]),
        ("La certification ISO 27001 ne suffit pas pour exiger des garanties.", &[("ISO 27001", None, "insuffisante")]),
        ("La certification ISO 27001 de l’hébergeur n’a pas été jugée suffisante.", &[("ISO 27001", None, "insuffisante")]),
        ("La qualification SecNumCloud n'a pas été jugée nécessaire pour ces données publiques.", &[("SecNumCloud", None, "non_retenue")]),
        ("La certification HDS ne semble pas suffisante pour ces traitements.", &[("HDS", None, "insuffisante")]),
        ("L'offre certifiée ISO 27001 n'est pas considérée comme suffisante.", &[("ISO 27001", None, "insuffisante")]),
        ("Une certification ISO 27001 seule est insuffisante pour des données sensibles ; la qualification SecNumCloud est requise.", &[("ISO 27001", None, "insuffisante"), ("SecNumCloud", None, "obtenue")]),
        ("Il ne suffit pas d'être certifié ISO 27001 pour héberger ces données.", &[("ISO 27001", None, "insuffisante")]),
        ("Les offres certifiées ISO 27001 ne permettent pas d'héberger des données de santé.", &[("ISO 27001", None, "insuffisante")]),
        ("La certification ISO 27001 n'offre pas assez de garanties.", &[("ISO 27001", None, "insuffisante")]),
        // --- Other names and non-names ---
        ("Le service d'identité vise le niveau substantiel eIDAS.", &[("eIDAS", Some("substantiel"), "visee")]),
        ("L'hébergeur vise la certification EUCS de niveau élevé.", &[("EUCS", Some("eleve"), "visee")]),
        ("Les élèves de l'ENS utilisent la plateforme.", &[]),
        ("La SNC a été dissoute en 2020.", &[]),
        ("Les normes ISO ne sont pas citées, ni la Citroën C5.", &[]),
        ("L'hébergement de données de santé est encadré par la loi.", &[]),
        ("Les données de santé sont hébergées en France.", &[]),
        ("The CSHDSP project is unrelated.", &[]),
    ];

    #[test]
    fn table_des_phrases() {
        let mut echecs = Vec::new();
        for (phrase, attendu) in CAS {
            let obtenu: Vec<(&str, Option<String>, &str)> =
                extraire(phrase).into_iter().map(|q| (q.qualification, q.niveau, q.statut)).collect();
            let attendu: Vec<(&str, Option<String>, &str)> =
                attendu.iter().map(|&(q, n, s)| (q, n.map(str::to_string), s)).collect();
            if obtenu != attendu {
                echecs.push(format!("{phrase}\n  attendu {attendu:?}\n  obtenu  {obtenu:?}"));
            }
        }
        assert!(echecs.is_empty(), "{} échec(s) :\n{}", echecs.len(), echecs.join("\n"));
        assert!(CAS.len() >= 30);
    }

    #[test]
    fn autorites() {
        let q = extraire("Par conséquent, le choix s’est porté sur l’offre du fournisseur sélectionné, qualifié SecNumCloud par l’ANSSI.");
        assert_eq!(q[0].autorite, Some("ANSSI"));
        let q = extraire("… apporté par la certification SecNumCloud délivrée par l’ANSSI.");
        assert_eq!(q[0].autorite, Some("ANSSI"));
        let q = extraire("L’hébergeur est certifié HDS par l’AFNOR.");
        assert_eq!(q[0].autorite, Some("AFNOR"));
        let q = extraire("L’hébergeur est certifié HDS.");
        assert_eq!(q[0].autorite, None);
        let q = extraire("Le fournisseur dispose d'une attestation C5.");
        assert_eq!(q[0].autorite, Some("BSI"));
    }

    #[test]
    fn un_seul_par_qualification() {
        let q = extraire("HDS (hébergeur de données de santé) : la certification HDS est exigée.");
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].qualification, "HDS");
        assert!(extraire("").is_empty());
        assert!(extraire("Rien à signaler.").is_empty());
    }

    #[test]
    fn textes_degeneres() {
        for s in [
            "ne",
            "n'",
            "pas",
            "sans",
            "en cours",
            "en cours de",
            "ISO 27001,",
            "ISO 27001, 27017 et",
            "eIDAS",
            "eIDAS niveau",
            "HDS (",
            "non",
            "plutôt",
            "au lieu",
            "π π ß İ 🙂 HDS",
            "n' n' ne ne pas pas SecNumCloud ni ni",
        ] {
            let _ = extraire(s);
        }
        assert_eq!(extraire("eIDAS niveau")[0].niveau, None);
    }

    #[test]
    fn pliage_aligne() {
        let p = Plie::depuis("Œuvre É’ﬁ π HDS");
        assert_eq!(p.casse().len(), p.bas.len());
        assert_eq!(p.bas, "oeuvre e'ﬁ π hds");
        assert!(p.casse().ends_with("HDS"));
    }
}
