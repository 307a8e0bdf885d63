//! Cloud providers, technologies and software named in one sentence, found
//! through the reference list `input/referentiels/mentions.csv`
//! (`categorie,nom,variantes,description`) and reported under their canonical
//! name. Matching is on word boundaries and tolerant of case and accents,
//! with guards for names that are also ordinary words ("Bleu", "Oracle", "S3").
//! It recognises only what the list names; the CSV text comes in, no I/O here.

use super::texte::Plie;
use regex::Regex;
use std::ops::Range;

/// One provider, technology or software named in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionTrouvee {
    /// `fournisseur_cloud`, `technologie` or `logiciel`.
    pub categorie: String,
    /// Canonical spelling from the reference list.
    pub nom: String,
    /// The sentence names it as not used: left ("nous avons quitté AWS"),
    /// not chosen ("plutôt qu'Azure", "AWS n'a pas été retenu"), done
    /// without ("sans recourir à Google Cloud"), negated ("n'utilise ni
    /// Kubernetes ni Docker"), or the origin of a migration ("de AWS vers
    /// OVHcloud"). See [`ecarte`].
    pub ecarte: bool,
}

/// The categories a row of the reference list may carry.
pub const CATEGORIES: [&str; 3] = ["fournisseur_cloud", "technologie", "logiciel"];

const EN_TETE: [&str; 4] = ["categorie", "nom", "variantes", "description"];

/// The compiled reference list.
#[derive(Debug, Clone)]
pub struct Referentiel {
    entrees: Vec<MentionTrouvee>,
    formes: Vec<Forme>,
    /// The first words of every spelling, lowercased, searched in one pass
    /// over the lowercase folded sentence (same byte offsets as the
    /// case-preserving one): only the spellings whose first word occurs are
    /// tried with their regex, which checks the case where it matters.
    indices: Indices,
}

/// The distinct first words, each leading to the spellings that start with
/// it. A first word made of ASCII letters and digits only (nearly all) is
/// looked up word by word: its pattern starts and ends on an ASCII word
/// boundary, so where it matches, the sentence's word is that first word.
/// The others ("node.js", "gnu/linux") are searched as substrings.
#[derive(Debug, Clone)]
struct Indices {
    mots: std::collections::HashMap<Vec<u8>, Vec<usize>, std::hash::BuildHasherDefault<Fnv>>,
    /// For the first two bytes of the first words of `mots` (a one-letter
    /// word as its byte and 0), the lengths of those words (bit `n - 1` for
    /// length `n`, bit 15 for 16 and more), and the longest word: the other
    /// words of a sentence are not looked up.
    debuts: Box<[u16; 65536]>,
    longueur_max: usize,
    /// The other first words, each searched with SIMD substring search.
    chercheurs: Vec<memchr::memmem::Finder<'static>>,
    autres: Vec<Vec<usize>>,
    /// By spelling, the second word of a spelling of several words
    /// (lowercase, folded) when its first word is in `mots`: in "Cloud
    /// Temple" or "Cloud π", a "cloud" not followed by it cannot match, and
    /// the sentences of a cloud corpus hold that word nearly all.
    suites: Vec<Option<Box<[u8]>>>,
}

impl Indices {
    fn construire(formes: impl Iterator<Item = (usize, String, Option<String>)>) -> Result<Indices, String> {
        let mut mots: std::collections::HashMap<Vec<u8>, Vec<usize>, std::hash::BuildHasherDefault<Fnv>> =
            Default::default();
        let mut autres_mots: Vec<String> = Vec::new();
        let mut autres: Vec<Vec<usize>> = Vec::new();
        let mut suites: Vec<Option<Box<[u8]>>> = Vec::new();
        for (i, mot, suite) in formes {
            if suites.len() <= i {
                suites.resize(i + 1, None);
            }
            if !mot.is_empty() && mot.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
                mots.entry(mot.into_bytes()).or_default().push(i);
                suites[i] = suite.map(|s| s.into_bytes().into_boxed_slice());
                continue;
            }
            match autres_mots.iter().position(|m| *m == mot) {
                Some(k) => autres[k].push(i),
                None => {
                    autres_mots.push(mot);
                    autres.push(vec![i]);
                }
            }
        }
        let chercheurs = autres_mots.iter().map(|m| memchr::memmem::Finder::new(m.as_bytes()).into_owned()).collect();
        let mut debuts: Box<[u16; 65536]> = vec![0u16; 65536].into_boxed_slice().try_into().expect("65536 entries");
        for m in mots.keys() {
            debuts[debut_de(m)] |= bit_longueur(m.len());
        }
        let longueur_max = mots.keys().map(Vec::len).max().unwrap_or(0);
        Ok(Indices { mots, debuts, longueur_max, chercheurs, autres, suites })
    }

    /// Adds to `candidates` the spellings whose first word occurs in `texte`
    /// (lowercase, folded), followed by their second word if they have one
    /// and the first is looked up word by word; an index may be added more
    /// than once.
    fn marquer(&self, texte: &str, candidates: &mut Vec<usize>) {
        let o = texte.as_bytes();
        super::texte::chercher_mots(o, |debut, fin| {
            if fin - debut <= self.longueur_max
                && self.debuts[debut_de(&o[debut..fin])] & bit_longueur(fin - debut) != 0
            {
                if let Some(formes) = self.mots.get(&o[debut..fin]) {
                    let suivi = |i: &usize| match &self.suites[*i] {
                        Some(s) => mot_suivant(texte, fin).is_some_and(|d| o[d..].starts_with(s)),
                        None => true,
                    };
                    candidates.extend(formes.iter().filter(|i| suivi(i)));
                }
            }
            false
        });
        for (chercheur, formes) in self.chercheurs.iter().zip(&self.autres) {
            if chercheur.find(o).is_some() {
                candidates.extend_from_slice(formes);
            }
        }
    }
}

/// Where the next word starts after byte `fin` of `texte`, past at least
/// one space or hyphen (what separates the words of a spelling's pattern,
/// `[\s\-]+`); None when no separator follows.
fn mot_suivant(texte: &str, fin: usize) -> Option<usize> {
    let reste = texte.get(fin..)?;
    let saut = reste.find(|c: char| !(c.is_whitespace() || c == '-')).unwrap_or(reste.len());
    (saut > 0).then_some(fin + saut)
}

/// The bit of a word length in `Indices::debuts`.
fn bit_longueur(n: usize) -> u16 {
    1 << (n.clamp(1, 16) - 1)
}

/// The index of a word's first two bytes in `Indices::debuts`.
fn debut_de(mot: &[u8]) -> usize {
    (usize::from(mot[0]) << 8) | usize::from(mot.get(1).copied().unwrap_or(0))
}

/// FNV-1a: the words looked up are short, SipHash is slower on them.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, octets: &[u8]) {
        for &b in octets {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One spelling of one entry, compiled.
#[derive(Debug, Clone)]
struct Forme {
    entree: usize,
    motif: Regex,
    /// The spelling's first word, as searched: a sentence without it cannot
    /// match, and `str::contains` is much cheaper than the regex.
    indice: String,
    /// Its second word, if any, as written in the pattern.
    suite: Option<String>,
    /// Matched against the case-preserving text: short all-capital forms
    /// ("AWS", "BBB", "GCP", "OVH", "S3") and guarded proper nouns.
    sensible_casse: bool,
    garde: Garde,
}

/// Extra conditions for spellings that are also ordinary words or
/// otherwise ambiguous. Keyed by the folded spelling, so they apply whatever
/// entry of the CSV carries that spelling.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Garde {
    Aucune,
    /// Written with the list's capitals ("Redis", not the verb "redis").
    Majuscule,
    /// Written with the list's capitals and not first word of the sentence;
    /// or, whatever the case, right after one of the cue words ("l'offre
    /// Bleu", "chez Bleu"). Never when followed by one of `exclus`
    /// ("Bleu Blanc Rouge").
    NomPropre {
        indices: &'static [&'static str],
        exclus: &'static [&'static str],
    },
    /// One of these words must occur in the sentence (folded).
    Contexte(&'static [&'static str]),
}

/// "Bleu" is the Orange–Capgemini cloud but also the colour; "Oracle" the
/// database but also "un oracle"; "Redis" a verb form of "redire"; "Spark" an
/// English word; "S3" also a university semester.
const GARDES: &[(&str, Garde)] = &[
    (
        "bleu",
        Garde::NomPropre {
            indices: &[
                "offre",
                "offres",
                "cloud",
                "chez",
                "fournisseur",
                "solution",
                "solutions",
                "societe",
                "plateforme",
            ],
            exclus: &["blanc"],
        },
    ),
    ("oracle", Garde::NomPropre { indices: &["base", "bases", "sgbd", "donnees"], exclus: &[] }),
    ("redis", Garde::Majuscule),
    ("spark", Garde::Majuscule),
    (
        "s3",
        Garde::Contexte(&[
            "stockage",
            "objet",
            "objets",
            "bucket",
            "buckets",
            "compatible",
            "amazon",
            "api",
            "protocole",
        ]),
    ),
];

impl Referentiel {
    /// Parses the CSV text (RFC 4180, header `categorie,nom,variantes,description`,
    /// `variantes` a `;`-separated list). The error names the faulty line:
    /// unknown category, empty name, wrong number of fields, or a spelling
    /// (after folding case and accents) already used by another entry.
    pub fn depuis_csv(texte: &str) -> Result<Referentiel, String> {
        let texte = texte.strip_prefix('\u{feff}').unwrap_or(texte);
        let mut lecteur = csv::ReaderBuilder::new().has_headers(false).flexible(false).from_reader(texte.as_bytes());
        let mut lignes = lecteur.records();
        match lignes.next() {
            None => return Err("ligne 1 : en-tête manquant (attendu « categorie,nom,variantes,description »)".into()),
            Some(Err(e)) => return Err(super::erreur_csv(&e)),
            Some(Ok(r)) => {
                if r.iter().ne(EN_TETE.iter().copied()) {
                    return Err(format!(
                        "ligne 1 : en-tête attendu « categorie,nom,variantes,description », trouvé « {} »",
                        r.iter().collect::<Vec<_>>().join(",")
                    ));
                }
            }
        }
        let mut entrees: Vec<MentionTrouvee> = Vec::new();
        let mut lignes_entrees: Vec<u64> = Vec::new();
        let mut formes = Vec::new();
        let mut vues: Vec<(String, usize)> = Vec::new();
        for r in lignes {
            let r = r.map_err(|e| super::erreur_csv(&e))?;
            let ligne = r.position().map(|p| p.line()).unwrap_or(0);
            let categorie = r[0].trim();
            let nom = r[1].trim();
            if !CATEGORIES.contains(&categorie) {
                return Err(format!(
                    "ligne {ligne} : catégorie inconnue « {categorie} » (attendu : {})",
                    CATEGORIES.join(", ")
                ));
            }
            if nom.is_empty() {
                return Err(format!("ligne {ligne} : nom vide"));
            }
            let indice = entrees.len();
            entrees.push(MentionTrouvee { categorie: categorie.to_string(), nom: nom.to_string(), ecarte: false });
            lignes_entrees.push(ligne);
            let variantes = r[2].split(';').map(str::trim).filter(|v| !v.is_empty());
            for ecrit in std::iter::once(nom).chain(variantes) {
                let cle = Plie::depuis(ecrit).bas;
                if let Some(&(_, autre)) = vues.iter().find(|(c, _)| *c == cle) {
                    if autre == indice {
                        continue;
                    }
                    return Err(format!(
                        "ligne {ligne} : « {ecrit} » désigne déjà « {} » (ligne {})",
                        entrees[autre].nom, lignes_entrees[autre]
                    ));
                }
                vues.push((cle.clone(), indice));
                formes.push(compiler(ecrit, &cle, indice).map_err(|e| format!("ligne {ligne} : {e}"))?);
            }
        }
        // A case-sensitive first word is searched in its lowercase form:
        // `bas` is `casse` lowercased character by character, so a word of
        // `casse` is, lowercased, at the same place in `bas`.
        let bas = |f: &Forme, m: &str| if f.sensible_casse { Plie::depuis(m).bas } else { m.to_string() };
        let indices = Indices::construire(
            formes.iter().enumerate().map(|(i, f)| (i, bas(f, &f.indice), f.suite.as_deref().map(|m| bas(f, m)))),
        )?;
        Ok(Referentiel { entrees, formes, indices })
    }

    /// Number of entries in the list.
    pub fn len(&self) -> usize {
        self.entrees.len()
    }

    /// Whether the list has no entry.
    pub fn is_empty(&self) -> bool {
        self.entrees.is_empty()
    }

    /// Distinct mentions in one sentence, in order of first appearance.
    ///
    /// Where spellings overlap, the longest wins: "Cloud π Native" is not also
    /// "Cloud π", "Red Hat Enterprise Linux" not also "Linux", "Oracle Cloud"
    /// not also "Oracle".
    pub fn trouver(&self, phrase: &str) -> Vec<MentionTrouvee> {
        self.trouver_plie(&Plie::depuis(phrase))
    }

    /// [`Referentiel::trouver`] on a sentence already folded.
    pub fn trouver_plie(&self, texte: &Plie) -> Vec<MentionTrouvee> {
        let mut candidates = Vec::new();
        self.indices.marquer(&texte.bas, &mut candidates);
        if candidates.is_empty() {
            return Vec::new();
        }
        candidates.sort_unstable();
        candidates.dedup();
        self.trouver_parmi(texte, &candidates)
    }

    /// The mentions among the spellings `candidates` (indices in
    /// `self.formes`, increasing).
    fn trouver_parmi(&self, texte: &Plie, candidates: &[usize]) -> Vec<MentionTrouvee> {
        let mut trouves: Vec<(Range<usize>, usize)> = Vec::new();
        for forme in candidates.iter().map(|&i| &self.formes[i]) {
            let cible = if forme.sensible_casse { texte.casse() } else { &texte.bas };
            for m in forme.motif.find_iter(cible) {
                if garde_respectee(texte, m.start()..m.end(), forme) {
                    trouves.push((m.start()..m.end(), forme.entree));
                }
            }
        }
        trouves.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(b.0.end.cmp(&a.0.end)));
        // (entry, every occurrence of it set aside)
        let mut retenus: Vec<(usize, bool)> = Vec::new();
        let mut fin = 0;
        // The previous occurrence kept: its end and whether it was set aside.
        let mut precedente: Option<(usize, bool)> = None;
        for (plage, entree) in trouves {
            if plage.start < fin {
                continue;
            }
            fin = plage.end;
            // "quitté AWS, Azure et GCP": a list continues the cue.
            // A comma alone continues it only inside an enumeration that goes
            // on: not "Contrairement à AWS, OVHcloud est qualifié".
            let dans_liste = precedente.is_some_and(|(f, e)| {
                let entre = &texte.bas[f..plage.start];
                let suite = texte.bas[plage.end..].trim_start();
                e && suite_de_liste(entre)
                    && (entre.split(|c: char| !c.is_alphanumeric()).any(|m| matches!(m, "et" | "ou" | "ni"))
                        || suite.starts_with(',')
                        || suite.starts_with("et ")
                        || suite.starts_with("ou "))
            });
            let e = dans_liste || ecarte(&texte.bas, plage.clone());
            precedente = Some((plage.end, e));
            match retenus.iter_mut().find(|(i, _)| *i == entree) {
                Some((_, toutes)) => *toutes &= e,
                None => retenus.push((entree, e)),
            }
        }
        retenus.into_iter().map(|(i, e)| MentionTrouvee { ecarte: e, ..self.entrees[i].clone() }).collect()
    }
}

/// Words that may sit between a cue and the name it sets aside: articles,
/// prepositions, the nouns of an offer and the verbs of use ("sans recourir
/// à l'offre de Google Cloud", "n'avons pas choisi AWS").
const ENTRE_INDICE_ET_NOM: &[&str] = &[
    "l",
    "le",
    "la",
    "les",
    "de",
    "d",
    "du",
    "des",
    "a",
    "au",
    "aux",
    "un",
    "une",
    "en",
    "chez",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "notre",
    "nos",
    "votre",
    "vos",
    "celle",
    "celui",
    "ceux",
    "offre",
    "offres",
    "cloud",
    "clouds",
    "solution",
    "solutions",
    "service",
    "services",
    "plateforme",
    "plateformes",
    "hebergeur",
    "hebergeurs",
    "fournisseur",
    "fournisseurs",
    "prestataire",
    "infrastructure",
    "infrastructures",
    "environnement",
    "outil",
    "outils",
    "technologie",
    "technologies",
    "logiciel",
    "logiciels",
    "recourir",
    "recours",
    "recouru",
    "utiliser",
    "utilise",
    "utilisee",
    "utilises",
    "utilisons",
    "utilisent",
    "utilisait",
    "choisi",
    "choisir",
    "retenu",
    "retenir",
    "opte",
    "opter",
    "fait",
    "faire",
    "appel",
    "passer",
    "par",
    "souhaite",
    "voulu",
    "pu",
    "eu",
    "avoir",
    "etre",
    "ete",
    "y",
];

/// Whether the text between two names continues a list ("AWS, Azure et
/// GCP", "ni AWS ni Azure").
fn suite_de_liste(entre: &str) -> bool {
    entre.split(|c: char| !c.is_alphanumeric()).filter(|m| !m.is_empty()).all(|m| matches!(m, "et" | "ou" | "ni"))
        && entre.len() <= 8
}

/// Whether the sentence (`bas`, folded lowercase) names the mention at
/// `plage` as not used: a cue before it with nothing but articles, offer
/// nouns and verbs of use between ("quitté AWS", "plutôt qu'Azure", "sans
/// recourir à Google Cloud", "ni Docker", "pas AWS", "hors AWS", "au lieu
/// d'Azure", "migré d'AWS vers OVHcloud"), or, in its clause after it, "a
/// été écarté", "n'a pas été retenu". "Sans Docker, le projet n'aurait
/// pas été possible" uses it; "pas seulement AWS" too.
fn ecarte(bas: &str, plage: Range<usize>) -> bool {
    fn mots_de(t: &str) -> Vec<&str> {
        t.split(|c: char| !c.is_alphanumeric()).filter(|m| !m.is_empty()).collect()
    }
    let avant = mots_de(&bas[..plage.start]);
    let tous = mots_de(bas);
    let nie = tous.iter().any(|m| matches!(*m, "ne" | "n"));
    let contrefactuel =
        tous.iter().any(|m| matches!(*m, "aurait" | "auraient" | "serait" | "seraient" | "aurions" | "serions"));
    let fin_clause =
        bas[plage.end..].find([',', ';', ':', '.', '(', ')', '!', '?']).map_or(bas.len(), |i| plage.end + i);
    let apres = mots_de(&bas[plage.end..fin_clause]);
    let vers_apres = apres.iter().take(8).any(|m| *m == "vers");

    let mut k = avant.len();
    let mut vus = 0;
    while k > 0 && vus < 7 {
        k -= 1;
        vus += 1;
        let m = avant[k];
        let precedent = |n: usize| if k >= n { avant[k - n] } else { "" };
        let suivant = if k + 1 < avant.len() { avant[k + 1] } else { "" };
        let indice = match m {
            "sans" => !contrefactuel,
            "que" | "qu" => precedent(1) == "plutot",
            "lieu" => precedent(1) == "au",
            // "à la place d'AWS", "en remplacement d'Azure", "contrairement à AWS".
            "place" => precedent(1) == "la" && precedent(2) == "a",
            "remplacement" => precedent(1) == "en",
            "contrairement" => true,
            "hors" | "aucun" | "aucune" => true,
            "ni" => nie || tous.iter().filter(|w| **w == "ni").count() > 1,
            "pas" => !matches!(suivant, "que" | "qu" | "seulement" | "uniquement" | "encore" | "forcement"),
            "plus" | "jamais" => (k.saturating_sub(4)..k).any(|j| matches!(avant[j], "ne" | "n")),
            "depuis" => vers_apres,
            _ if m.starts_with("quitt") || m.starts_with("abandonn") || m.starts_with("delaiss") => true,
            // "nous avons refusé AWS", "remplacé AWS par OVHcloud".
            _ if est_refus(m) => true,
            // Not the name after "remplacé par": that one replaces.
            _ if m.starts_with("remplac") => !avant[k + 1..].contains(&"par"),
            _ if m.starts_with("ecart") || matches!(m, "sortir" | "sorti" | "sortie" | "sortis" | "sortons") => true,
            _ if ["migr", "bascul", "transfer", "demenag"].iter().any(|v| m.starts_with(v)) => {
                vers_apres && avant[k + 1..].iter().any(|w| matches!(*w, "de" | "d" | "du" | "depuis"))
            }
            // "nous avons envisagé AWS, mais avons retenu OVHcloud",
            // "comparé AWS et Azure avant de choisir Scaleway".
            _ if verbe_d_examen(m) => autre_choix_ensuite(&mots_de(&bas[plage.end..])),
            _ => false,
        };
        if indice {
            return true;
        }
        if !ENTRE_INDICE_ET_NOM.contains(&m) {
            break;
        }
    }

    let apres: Vec<&str> = apres.into_iter().take(7).collect();
    // "AWS a été écarté / exclu / remplacé par …", "Azure a été refusé".
    if apres.iter().enumerate().any(|(i, m)| {
        ["ecart", "abandonn", "delaiss"].iter().any(|v| m.starts_with(v))
            || matches!(*m, "exclu" | "exclue" | "exclus" | "exclues")
            || est_refus(m)
            // "remplacé par OVHcloud", not "remplacés par des serveurs plus
            // puissants" (the name is still in use).
            || (m.starts_with("remplac")
                && apres.get(i + 1) == Some(&"par")
                && !apres.get(i + 2).is_some_and(|d| ARTICLES_APRES_PAR.contains(d)))
    }) {
        return true;
    }
    let ne = apres.iter().position(|m| matches!(*m, "ne" | "n"));
    ne.is_some_and(|i| {
        apres[i..].iter().any(|m| matches!(*m, "pas" | "plus" | "jamais"))
            && apres[i..].iter().any(|m| {
                ["retenu", "choisi", "privilegi", "selectionn", "utilise", "souhaite", "conserve"]
                    .iter()
                    .any(|v| m.starts_with(v))
            })
    })
}

/// A form of "envisager", "étudier", "évaluer", "comparer", "considérer"
/// or "tester" (folded): not "étudiant", "comparable", "considérable",
/// "testeur", "test".
fn verbe_d_examen(m: &str) -> bool {
    m.starts_with("envisag")
        || matches!(m, "teste" | "testee" | "testes" | "testees" | "tester" | "testons" | "testions" | "testait")
        || ["etudi", "evalu", "compar", "consider"].iter().any(|v| {
            m.strip_prefix(v).is_some_and(|fin| {
                matches!(fin, "e" | "ee" | "es" | "ees" | "er" | "ons" | "ions" | "ait" | "aient" | "ant")
                    && !(m.starts_with("etudi") && fin == "ant")
            })
        })
}

/// After a name considered ("envisagé", "comparé", "testé"…): a choice
/// made against it later in the sentence, "mais … retenu Y", "avant de
/// choisir Y". The considered name or list comes right before "mais" /
/// "avant de" (at most a few words: "AWS et Azure"); the choice verb's
/// object is a name, not a pronoun before it ("mais nous l'avons retenu",
/// "avant de le choisir"), an infinitive ("choisi de le déployer") or a
/// noun ("retenu cette solution", "choisir la version"); no negation
/// between ("mais sans retenir").
fn autre_choix_ensuite(apres: &[&str]) -> bool {
    let lien = apres.iter().enumerate().find_map(|(i, m)| match *m {
        "mais" => Some((i, i + 1)),
        "avant" if apres.get(i + 1).is_some_and(|d| matches!(*d, "de" | "d")) => Some((i, i + 2)),
        _ => None,
    });
    let Some((lien, debut)) = lien else { return false };
    // Between the name and "mais": a list of names at most ("AWS, Azure et
    // Google Cloud"), no clause of its own ("et nous l'utilisons", "il a
    // été retenu").
    let clause = |m: &&str| {
        matches!(
            *m,
            "nous"
                | "il"
                | "elle"
                | "ils"
                | "elles"
                | "on"
                | "qui"
                | "que"
                | "qu"
                | "l"
                | "le"
                | "la"
                | "les"
                | "a"
                | "est"
                | "sont"
                | "ete"
        )
    };
    if lien > 6 || apres[..lien].iter().any(clause) {
        return false;
    }
    let fenetre = &apres[debut..(debut + 6).min(apres.len())];
    let Some(verbe) = fenetre
        .iter()
        .position(|m| ["chois", "reten", "opt", "privilegi", "prefer", "selectionn"].iter().any(|v| m.starts_with(v)))
    else {
        return false;
    };
    let avant_verbe = &fenetre[verbe.saturating_sub(2)..verbe];
    if avant_verbe.iter().any(|m| matches!(*m, "l" | "le" | "la" | "les" | "lui" | "y"))
        || fenetre[..verbe].iter().any(|m| matches!(*m, "sans" | "pas" | "ne" | "n" | "jamais"))
    {
        return false;
    }
    let mut objet =
        fenetre.get(verbe + 1..).unwrap_or(&[]).iter().chain(apres.get(debut + fenetre.len()..).unwrap_or(&[]));
    let mut premier = objet.next().copied();
    if matches!(premier, Some("pour" | "par")) {
        premier = objet.next().copied();
    }
    premier.is_some_and(|m| {
        !matches!(
            m,
            "de" | "d"
                | "l"
                | "le"
                | "la"
                | "les"
                | "un"
                | "une"
                | "des"
                | "du"
                | "ce"
                | "cet"
                | "cette"
                | "ces"
                | "son"
                | "sa"
                | "ses"
                | "notre"
                | "nos"
                | "leur"
                | "leurs"
                | "y"
                | "en"
                | "a"
                | "au"
                | "aux"
        )
    })
}

/// Articles after "remplacé par" that introduce something other than a
/// named product.
const ARTICLES_APRES_PAR: &[&str] =
    &["un", "une", "des", "de", "d", "du", "le", "la", "les", "l", "ses", "son", "sa", "nos", "notre", "leur", "leurs"];

/// A form of the verb "refuser" ("refusé", "refusons"), not the noun "refus".
fn est_refus(m: &str) -> bool {
    matches!(
        m,
        "refuse" | "refusee" | "refuses" | "refusees" | "refuser" | "refusons" | "refusent" | "refusait" | "refusaient"
    )
}

/// Builds the pattern of one spelling: words separated by any run of spaces
/// or hyphens ("Argo CD" ≈ "Argo-CD"), word boundaries at both ends.
fn compiler(ecrit: &str, cle: &str, entree: usize) -> Result<Forme, String> {
    let garde = GARDES.iter().find(|(k, _)| *k == cle).map(|&(_, g)| g).unwrap_or(Garde::Aucune);
    let court_majuscules =
        ecrit.chars().any(char::is_uppercase) && !ecrit.chars().any(char::is_lowercase) && ecrit.chars().count() <= 5;
    let sensible_casse = court_majuscules || matches!(garde, Garde::Majuscule | Garde::NomPropre { .. });
    let plie = Plie::depuis(ecrit);
    let source = if sensible_casse { plie.casse().to_string() } else { plie.bas };
    let morceaux: Vec<String> =
        source.split(|c: char| c.is_whitespace() || c == '-').filter(|m| !m.is_empty()).map(regex::escape).collect();
    if morceaux.is_empty() {
        return Err(format!("forme vide « {ecrit} »"));
    }
    let mot = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    // ASCII word boundaries: the text is folded (no accents left), and a
    // Unicode `\b` makes the regex engine leave its fast path on French text.
    // A non-ASCII letter at an end ("Cloud π") keeps the Unicode boundary.
    let borne = |c: Option<char>| match c {
        Some(c) if c.is_ascii_alphanumeric() || c == '_' => r"(?-u:\b)",
        c if mot(c) => r"\b",
        _ => "",
    };
    let debut = borne(source.chars().next());
    let fin = borne(source.chars().last());
    let motif = format!("{debut}{}{fin}", morceaux.join(r"[\s\-]+"));
    let motif = Regex::new(&motif).map_err(|e| format!("forme « {ecrit} » : {e}"))?;
    let mut mots = source.split(|c: char| c.is_whitespace() || c == '-').filter(|m| !m.is_empty());
    let indice = mots.next().unwrap_or("").to_string();
    let suite = mots.next().map(str::to_string);
    Ok(Forme { entree, motif, indice, suite, sensible_casse, garde })
}

fn garde_respectee(texte: &Plie, plage: Range<usize>, forme: &Forme) -> bool {
    match forme.garde {
        Garde::Aucune | Garde::Majuscule => true,
        Garde::Contexte(mots) => texte.bas.split(|c: char| !c.is_alphanumeric()).any(|m| mots.contains(&m)),
        Garde::NomPropre { indices, exclus } => {
            let suivant = texte.bas[plage.end..].split(|c: char| !c.is_alphanumeric()).find(|m| !m.is_empty());
            if suivant.is_some_and(|s| exclus.contains(&s)) {
                return false;
            }
            let precedent = texte.bas[..plage.start].split(|c: char| !c.is_alphanumeric()).rfind(|m| !m.is_empty());
            if precedent.is_some_and(|p| indices.contains(&p)) {
                return true;
            }
            // Capitalised (the pattern is case-sensitive) and not the first
            // word of the sentence, where every word is capitalised.
            let avant = texte.casse()[..plage.start].trim_end_matches(|c: char| {
                c.is_whitespace() || matches!(c, '"' | '«' | '“' | '\'' | '(' | '[' | '-' | '*' | '•')
            });
            !(avant.is_empty() || avant.ends_with(['.', '!', '?', '…']))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The first-word filter loses nothing: trying every spelling finds
        /// the same mentions.
        #[test]
        fn filtre_sans_perte(
            morceaux in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "Docker", "docker", "k8s", "Kubernetes", "OVH", "OVHcloud", "cloud", "Cloud", "π", "Pi", "Native",
                        "Red", "Hat", "Enterprise", "Linux", "GNU/Linux", "Node.js", "Rocket.Chat", "AWS", "aws", "S3", "stockage",
                        "Bleu", "offre", "Oracle", "base", "Argo", "CD", "3DS", "Outscale", "Microsoft", "365", "Azure",
                        "Scaleway", "Helm", "Temple", "temple", "x", "é", "_",
                    ]),
                    proptest::sample::select(vec![
                        " ", "-", "", ".", ", ", "'", "(", ")", "_", "/", "\u{a0}", " - ", "\u{202f}", "\n",
                    ]),
                ),
                0..10,
            )
        ) {
            let r = referentiel();
            let phrase: String = morceaux.iter().flat_map(|(m, sep)| [*m, *sep]).collect();
            let plie = Plie::depuis(&phrase);
            let tout: Vec<usize> = (0..r.formes.len()).collect();
            proptest::prop_assert_eq!(r.trouver_plie(&plie), r.trouver_parmi(&plie, &tout), "{}", phrase);
        }
    }

    const CSV: &str = include_str!("../../input/referentiels/mentions.csv");

    fn referentiel() -> Referentiel {
        Referentiel::depuis_csv(CSV).expect("the shipped list is valid")
    }

    fn noms(r: &Referentiel, phrase: &str) -> Vec<String> {
        r.trouver(phrase).into_iter().map(|m| format!("{}:{}", m.categorie, m.nom)).collect()
    }

    /// (sentence, names set aside, names used)
    const ECARTES: &[(&str, &[&str], &[&str])] = &[
        ("Nous avons quitté AWS pour migrer vers OVHcloud.", &["AWS"], &["OVHcloud"]),
        ("Nous avons préféré Scaleway plutôt qu'Azure.", &["Microsoft Azure"], &["Scaleway"]),
        ("Sans recourir à Google Cloud, l'équipe a tout déployé chez OVHcloud.", &["Google Cloud"], &["OVHcloud"]),
        ("Le service n'utilise ni Kubernetes ni Docker.", &["Kubernetes", "Docker"], &[]),
        ("Nous avons choisi Scaleway et pas AWS.", &["AWS"], &["Scaleway"]),
        ("Nous n'avons pas choisi AWS.", &["AWS"], &[]),
        ("AWS n'a pas été retenu, au profit d'OVHcloud.", &["AWS"], &["OVHcloud"]),
        ("L'offre de Microsoft Azure a été écartée.", &["Microsoft Azure"], &[]),
        ("La plateforme a migré d'AWS vers Scaleway en 2023.", &["AWS"], &["Scaleway"]),
        (
            "Nous avons quitté AWS, Azure et GCP pour OVHcloud.",
            &["AWS", "Microsoft Azure", "Google Cloud"],
            &["OVHcloud"],
        ),
        ("Au lieu d'Azure, nous utilisons Scaleway.", &["Microsoft Azure"], &["Scaleway"]),
        // Used, whatever the negations around.
        ("Sans Docker, le projet n'aurait pas été possible.", &[], &["Docker"]),
        ("Nous n'utilisons pas seulement AWS mais aussi Scaleway.", &[], &["AWS", "Scaleway"]),
        ("Le projet tourne sur Kubernetes sans interruption.", &[], &["Kubernetes"]),
        ("OVHcloud, qui n'est pas le moins cher, a été choisi.", &[], &["OVHcloud"]),
        ("Nous avons migré vers OVHcloud depuis 2022.", &[], &["OVHcloud"]),
        ("L'IGN a fait le choix d'un développement en mode cloud native chez OVHcloud.", &[], &["OVHcloud"]),
        ("Nous avons refusé AWS pour des raisons de souveraineté.", &["AWS"], &[]),
        ("À la place d'AWS, nous utilisons OVHcloud.", &["AWS"], &["OVHcloud"]),
        ("En remplacement d'Azure, le ministère a choisi Scaleway.", &["Microsoft Azure"], &["Scaleway"]),
        ("AWS a été remplacé par OVHcloud.", &["AWS"], &["OVHcloud"]),
        ("Nous avons remplacé AWS par OVHcloud.", &["AWS"], &["OVHcloud"]),
        ("AWS a été exclu dès le départ.", &["AWS"], &[]),
        ("Contrairement à AWS, OVHcloud est qualifié SecNumCloud.", &["AWS"], &["OVHcloud"]),
        ("Nous n'avons pas souhaité passer par Google Cloud.", &["Google Cloud"], &[]),
        ("OVHcloud a remplacé AWS en 2023.", &["AWS"], &["OVHcloud"]),
        ("La place de Kubernetes dans le projet est centrale.", &[], &["Kubernetes"]),
        ("Nous utilisons AWS exclusivement.", &[], &["AWS"]),
        ("Nous avons envisagé AWS, mais nous avons retenu OVHcloud.", &["AWS"], &["OVHcloud"]),
        (
            "Nous avons comparé AWS, Azure et Google Cloud avant de choisir Scaleway.",
            &["AWS", "Microsoft Azure", "Google Cloud"],
            &["Scaleway"],
        ),
        ("Nous avons testé Scaleway, mais avons finalement opté pour OVHcloud.", &["Scaleway"], &["OVHcloud"]),
        ("Nous avons évalué OVHcloud avant de le choisir.", &[], &["OVHcloud"]),
        ("Nous avons envisagé OVHcloud, mais nous l'avons retenu pour sa qualification.", &[], &["OVHcloud"]),
        ("Nous avons testé Docker puis déployé Kubernetes.", &[], &["Docker", "Kubernetes"]),
        ("Nous avons testé Kubernetes, mais avons retenu de l'utiliser partout.", &[], &["Kubernetes"]),
        ("Nous avons testé Kubernetes, mais avons choisi de le déployer.", &[], &["Kubernetes"]),
        ("Nous avons testé Docker avant de choisir la version.", &[], &["Docker"]),
        ("Nous avons évalué OVHcloud, mais avons retenu cette solution.", &[], &["OVHcloud"]),
        ("Nous avons comparé Scaleway, mais avons choisi d'y rester.", &[], &["Scaleway"]),
        (
            "Nous avons évalué OVHcloud et nous l'utilisons depuis deux ans, mais avons choisi Scaleway pour la sauvegarde.",
            &[],
            &["OVHcloud", "Scaleway"],
        ),
        ("Nous avons considéré OVHcloud, mais sans retenir Scaleway.", &["Scaleway"], &["OVHcloud"]),
        ("Notre environnement de test chez OVHcloud est stable, mais nous avons choisi Scaleway.", &[], &["OVHcloud", "Scaleway"]),
        ("Les testeurs utilisent Docker, mais nous avons opté pour Kubernetes.", &[], &["Docker", "Kubernetes"]),
        ("Nous avons testé OVHcloud, mais les équipes ont préféré Scaleway.", &["OVHcloud"], &["Scaleway"]),
        ("Une offre comparable à AWS a été choisie.", &[], &["AWS"]),
        ("Le contrat AWS exclut les données de santé.", &[], &["AWS"]),
        ("AWS réduit le nombre de refus de paiement.", &[], &["AWS"]),
        ("Les serveurs OVHcloud ont été remplacés par des serveurs plus puissants.", &[], &["OVHcloud"]),
        ("Notre cluster Kubernetes auto-géré a été remplacé par un service managé.", &[], &["Kubernetes"]),
    ];

    #[test]
    fn noms_ecartes() {
        let r = referentiel();
        let mut echecs = Vec::new();
        for (phrase, ecartes, utilises) in ECARTES {
            let trouves = r.trouver(phrase);
            let de = |e: bool| trouves.iter().filter(|m| m.ecarte == e).map(|m| m.nom.as_str()).collect::<Vec<_>>();
            if de(true) != *ecartes || de(false) != *utilises {
                echecs.push(format!("{phrase}\n  écartés {:?} utilisés {:?}", de(true), de(false)));
            }
        }
        assert!(echecs.is_empty(), "{}", echecs.join("\n"));
    }

    /// (sentence, expected "categorie:nom" in order)
    const CAS: &[(&str, &[&str])] = &[
        // --- Seed sentences ---
        (
            "L’IGN a fait le choix d’un développement en mode cloud native chez OVHcloud.",
            &["fournisseur_cloud:OVHcloud"],
        ),
        (
            "L’adoption de technologies telles que Docker pour la containerisation et Kubernetes pour l’orchestration de containers a permis à l’IGN de renforcer sa capacité d’innover.",
            &["technologie:Docker", "technologie:Kubernetes"],
        ),
        (
            "… la mise en œuvre de task force sur des sujets plus techniques en impliquant notamment le fournisseur de cloud (OVHCloud).",
            &["fournisseur_cloud:OVHcloud"],
        ),
        (
            "Le choix de l’hébergeur OVHcloud découle ainsi des préconisations de la DINUM pour mettre en œuvre la plateforme sur un cloud privé souverain.",
            &["fournisseur_cloud:OVHcloud"],
        ),
        (
            "Le service, actuellement opéré sur le Cloud de Scaleway, peut être posé rapidement sur la plupart des offres Cloud Public.",
            &["fournisseur_cloud:Scaleway"],
        ),
        (
            "… a consisté à déployer à massivement le logiciel libre BigBlueButton (BBB), à l’échelle du ministère de l’éducation nationale.",
            &["logiciel:BigBlueButton"],
        ),
        (
            "Les clés de notre succès ont été d’une part d’anticiper les besoins de ressources (CPU, RAM, ESX etc…).",
            &["technologie:VMware ESX"],
        ),
        (
            "Nous sommes passés à une usine de développement utilisant une plateforme CI/CD (Intégration Continue/Déploiement Continu) et des scripts de déploiement.",
            &[],
        ),
        // --- Spellings, case, accents ---
        ("Les conteneurs docker tournent sur k8s.", &["technologie:Docker", "technologie:Kubernetes"]),
        ("Nous utilisons AWS et Microsoft Azure, ainsi que Google Cloud Platform.", &["fournisseur_cloud:AWS", "fournisseur_cloud:Microsoft Azure", "fournisseur_cloud:Google Cloud"]),
        ("L'offre de Dassault Systèmes Outscale et celle d'OVH ont été comparées.", &["fournisseur_cloud:3DS Outscale", "fournisseur_cloud:OVHcloud"]),
        ("Les applications migrent vers Cloud π Native puis vers le cloud Pi.", &["fournisseur_cloud:Cloud π Native", "fournisseur_cloud:Cloud π"]),
        ("La DGFiP héberge ses applications dans Nubo.", &["fournisseur_cloud:Nubo"]),
        ("Le déploiement passe par Argo-CD, Helm et Terraform sur OpenStack.", &["technologie:Argo CD", "technologie:Helm", "technologie:Terraform", "technologie:OpenStack"]),
        ("Le serveur tourne sous Red Hat Enterprise Linux.", &["technologie:Red Hat Enterprise Linux"]),
        ("Nous stockons les fichiers dans un stockage objet compatible S3.", &["technologie:S3"]),
        ("Les données sont dans PostgreSQL et la base Oracle historique.", &["technologie:PostgreSQL", "technologie:Oracle Database"]),
        ("Nous avons choisi l'offre Bleu pour Microsoft 365.", &["fournisseur_cloud:Bleu", "logiciel:Microsoft 365"]),
        ("La messagerie repose sur Mattermost, Nextcloud et Collabora Online.", &["logiciel:Mattermost", "logiciel:Nextcloud", "logiciel:Collabora Online"]),
        ("Nous avons retenu Orange Business Services puis Oracle Cloud.", &["fournisseur_cloud:Orange Business", "fournisseur_cloud:Oracle Cloud"]),
        ("Les instances BigBlueButton sont réparties par Scalelite ; BBB reste le cœur.", &["logiciel:BigBlueButton", "logiciel:Scalelite"]),
        // --- Negatives ---
        ("Le ciel bleu de Bretagne.", &[]),
        ("Bleu est la couleur du logo.", &[]),
        ("Le drapeau Bleu Blanc Rouge flotte.", &[]),
        ("Il mange une orange.", &[]),
        ("Les bbb et aws en minuscules ne comptent pas.", &[]),
        ("Les étudiants du semestre S3 suivent ce cours.", &[]),
        ("Je le redis : un oracle ne prédit rien.", &[]),
        ("Une démarche DevOps et FinOps, avec une API et du CI/CD.", &[]),
        ("Un ouvrage kafkaïen sur le dockerisme.", &[]),
    ];

    #[test]
    fn table_des_phrases() {
        let r = referentiel();
        let mut echecs = Vec::new();
        for (phrase, attendu) in CAS {
            let obtenu = noms(&r, phrase);
            if obtenu != *attendu {
                echecs.push(format!("{phrase}\n  attendu {attendu:?}\n  obtenu  {obtenu:?}"));
            }
        }
        assert!(echecs.is_empty(), "{} échec(s) :\n{}", echecs.len(), echecs.join("\n"));
        assert!(CAS.len() >= 20);
    }

    #[test]
    fn liste_livree() {
        let r = referentiel();
        assert!(r.len() >= 60);
        for nom in ["OVHcloud", "Scaleway", "3DS Outscale", "Docker", "Kubernetes", "BigBlueButton"] {
            assert!(r.entrees.iter().any(|e| e.nom == nom), "{nom}");
        }
        // RFC 4180 with `\n` line ends, UTF-8, header first.
        assert!(CSV.starts_with("categorie,nom,variantes,description\n"));
        assert!(!CSV.contains('\r'));
        assert!(CSV.ends_with('\n'));
    }

    #[test]
    fn erreurs_nomment_la_ligne() {
        let e = Referentiel::depuis_csv("categorie,nom,variantes,description\ntechnologie,Docker,,\nnuage,X,,\n")
            .unwrap_err();
        assert!(e.starts_with("ligne 3 :"), "{e}");
        let e = Referentiel::depuis_csv("categorie,nom,variantes,description\nlogiciel,,,\n").unwrap_err();
        assert!(e.starts_with("ligne 2 :"), "{e}");
        let e =
            Referentiel::depuis_csv("categorie,nom,variantes,description\nlogiciel,A,,\nlogiciel,B,\n").unwrap_err();
        assert!(e.starts_with("ligne 3 :"), "{e}");
        let e =
            Referentiel::depuis_csv("categorie,nom,variantes,description\nlogiciel,Moodle,,\ntechnologie,X,moodle,\n")
                .unwrap_err();
        assert!(e.starts_with("ligne 3 :") && e.contains("Moodle"), "{e}");
        let e = Referentiel::depuis_csv("cat,nom\n").unwrap_err();
        assert!(e.starts_with("ligne 1 :"), "{e}");
        assert!(Referentiel::depuis_csv("").is_err());
        let vide = Referentiel::depuis_csv("categorie,nom,variantes,description\n").unwrap();
        assert!(vide.is_empty() && vide.trouver("Docker").is_empty());
    }

    #[test]
    fn champs_entre_guillemets() {
        let r = Referentiel::depuis_csv(
            "\u{feff}categorie,nom,variantes,description\r\nlogiciel,Jitsi,\"Jitsi Meet; \",\"Visio, libre\"\r\n",
        )
        .unwrap();
        assert_eq!(
            r.trouver("Une instance jitsi meet."),
            vec![MentionTrouvee { categorie: "logiciel".into(), nom: "Jitsi".into(), ecarte: false }]
        );
    }
}
