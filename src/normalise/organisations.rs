//! Organisation registry (`input/referentiels/organisations.csv`): loading,
//! checking, and resolving the names written in pages ("Témoignage de la
//! direction …", "l'IGN", "DINUM") to a canonical organisation.
//! Matching folds case, accents, apostrophes and leading articles, and
//! tolerates small misspellings of long names (never of sigles).
//! Pure: takes the CSV text, does no I/O and knows nothing of pages or records.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// Values allowed in the `nature` column (kept in step with the schema's enum).
pub const NATURES: &[&str] = &[
    "premier-ministre",
    "ministere",
    "service-du-premier-ministre",
    "direction-administration-centrale",
    "service-a-competence-nationale",
    "etablissement-public",
    "groupement-interet-public",
    "groupement-interet-economique",
    "autorite-administrative-independante",
    "autorite-publique-independante",
    "juridiction",
    "autre",
];

/// Natures a `ministere` cell may point to.
const NATURES_DE_RATTACHEMENT: &[&str] = &["ministere", "premier-ministre"];

const COLONNES: &[&str] = &["identifiant", "nom", "sigle", "nature", "ministere", "variantes", "source"];

#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub identifiant: String,
    pub nom: String,
    pub sigle: Option<String>,
    pub nature: String,
    pub ministere: Option<String>,
    pub variantes: Vec<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Resolution<'a> {
    /// Matched a name, a variant or a sigle exactly (modulo case, accents, apostrophes, articles).
    Trouvee(&'a Organisation),
    /// Matched after correcting a small misspelling; `ecrit` is the text as written (for an `info` finding "nom corrigé").
    Corrigee {
        organisation: &'a Organisation,
        ecrit: String,
    },
    Inconnue,
}

/// One searchable form of an organisation: its name, a variant or its sigle.
#[derive(Debug, Clone)]
struct Cle {
    /// Folded words (see [`plier`]), leading articles removed.
    mots: Vec<String>,
    /// Sigles (and one-word upper-case variants such as "DINSIC") are matched
    /// exactly, never corrected, and inside a sentence only as written.
    sigle: Option<String>,
    index: usize,
    /// The words joined by one space, as characters: the form compared and
    /// measured.
    caracteres: Vec<char>,
}

pub struct Registre {
    organisations: Vec<Organisation>,
    cles: Vec<Cle>,
    /// Folded key text → index into `cles`.
    exactes: HashMap<String, usize>,
    /// Attribution lines already resolved, and how: the pages of a site
    /// repeat the same lines ("Témoignage de la DINUM"), and resolving one
    /// costs a tokenising, a few joins and, when nothing matches exactly,
    /// edit distances to every name. Bounded in lines and in line length,
    /// so that memory stays flat on any corpus.
    deja_resolues: std::sync::Mutex<HashMap<String, Memoire>>,
}

/// A resolution kept by [`Registre::resoudre`], by organisation index.
#[derive(Clone)]
enum Memoire {
    Trouvee(usize),
    Corrigee(usize, String),
    Inconnue,
}

/// At most this many attribution lines are remembered, each of at most
/// `LIGNE_MEMORISEE_MAX` bytes (at most about a megabyte in all); the
/// others are resolved each time.
const MEMOIRE_MAX: usize = 4096;
const LIGNE_MEMORISEE_MAX: usize = 256;

impl Registre {
    /// Parses and checks the registry CSV. Errors name the line.
    pub fn depuis_csv(texte: &str) -> Result<Registre, String> {
        let mut lecteur = csv::ReaderBuilder::new().has_headers(true).from_reader(texte.as_bytes());
        let entetes = lecteur.headers().map_err(|e| format!("ligne 1 : en-tête illisible ({e})"))?.clone();
        let mut positions = HashMap::new();
        for colonne in COLONNES {
            let i = entetes
                .iter()
                .position(|h| h.trim() == *colonne)
                .ok_or_else(|| format!("ligne 1 : colonne « {colonne} » absente"))?;
            positions.insert(*colonne, i);
        }

        let mut organisations = Vec::new();
        let mut lignes = Vec::new();
        for enregistrement in lecteur.records() {
            let enregistrement = enregistrement.map_err(|e| super::erreur_csv(&e))?;
            let ligne = enregistrement.position().map_or(0, |p| p.line());
            let champ = |nom: &str| enregistrement.get(positions[nom]).unwrap_or("").trim().to_string();
            let optionnel = |nom: &str| Some(champ(nom)).filter(|v| !v.is_empty());
            let erreur = |message: String| format!("ligne {ligne} : {message}");

            let identifiant = champ("identifiant");
            if !identifiant_valide(&identifiant) {
                return Err(erreur(format!(
                    "identifiant « {identifiant} » invalide (attendu : [a-z0-9] séparés par des tirets)"
                )));
            }
            let nom = champ("nom");
            if nom.is_empty() {
                return Err(erreur("nom vide".to_string()));
            }
            let nature = champ("nature");
            if !NATURES.contains(&nature.as_str()) {
                return Err(erreur(format!("nature « {nature} » inconnue")));
            }
            let variantes =
                champ("variantes").split(';').map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect();
            organisations.push(Organisation {
                identifiant,
                nom,
                sigle: optionnel("sigle"),
                nature,
                ministere: optionnel("ministere"),
                variantes,
                source: optionnel("source"),
            });
            lignes.push(ligne);
        }

        // Unique identifiants and names, and `ministere` pointing at a ministry.
        let mut identifiants = HashMap::new();
        for (i, o) in organisations.iter().enumerate() {
            if let Some(j) = identifiants.insert(o.identifiant.as_str(), i) {
                return Err(format!(
                    "ligne {} : identifiant « {} » déjà utilisé ligne {}",
                    lignes[i], o.identifiant, lignes[j]
                ));
            }
        }
        for (i, o) in organisations.iter().enumerate() {
            if let Some(m) = &o.ministere {
                let ok =
                    organisations.iter().any(|r| r.nom == *m && NATURES_DE_RATTACHEMENT.contains(&r.nature.as_str()));
                if !ok {
                    return Err(format!(
                        "ligne {} : ministère « {m} » absent du registre (nature ministere ou premier-ministre)",
                        lignes[i]
                    ));
                }
            }
        }

        let mut cles: Vec<Cle> = Vec::new();
        let mut exactes: HashMap<String, usize> = HashMap::new();
        for (index, o) in organisations.iter().enumerate() {
            let mut formes: Vec<(&str, bool)> = vec![(o.nom.as_str(), false)];
            formes.extend(o.variantes.iter().map(|v| (v.as_str(), false)));
            if let Some(s) = &o.sigle {
                formes.push((s.as_str(), true));
            }
            for (forme, est_sigle) in formes {
                let mots = sans_articles(mots_plies(forme));
                if mots.is_empty() {
                    return Err(format!("ligne {} : forme vide « {forme} »", lignes[index]));
                }
                let texte = mots.join(" ");
                let sigle_like = est_sigle || (mots.len() == 1 && forme_majuscule(forme));
                let cle = Cle {
                    mots,
                    caracteres: texte.chars().collect(),
                    sigle: sigle_like.then(|| forme.trim().to_string()),
                    index,
                };
                match exactes.get(&texte) {
                    Some(&k) if cles[k].index != index => {
                        let autre: &Organisation = &organisations[cles[k].index];
                        return Err(format!(
                            "ligne {} : « {forme} » désigne déjà « {} » (ligne {})",
                            lignes[index], autre.nom, lignes[cles[k].index]
                        ));
                    }
                    Some(_) => {}
                    None => {
                        exactes.insert(texte, cles.len());
                        cles.push(cle);
                    }
                }
            }
        }

        Ok(Registre { organisations, cles, exactes, deja_resolues: Default::default() })
    }

    /// Every organisation, in file order.
    pub fn organisations(&self) -> &[Organisation] {
        &self.organisations
    }

    /// The organisation with this `identifiant`.
    pub fn par_identifiant(&self, identifiant: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.identifiant == identifiant)
    }

    /// Resolves an attribution line such as "Témoignage de la direction de l'information légale et administrative", "Témoignage du ministère des Armées", "Témoignage de l’Institut nationale du cancer", "Témoignage du GIE SESAM-Vitale, un groupement expert des systèmes d’information…", "Témoignage de l’Agence Numérique en Santé".
    pub fn resoudre(&self, attribution: &str) -> Resolution<'_> {
        // A poisoned lock only means another thread panicked: the map is
        // still whole (entries are inserted in one call).
        let deja = |m: &Memoire| match m {
            Memoire::Trouvee(i) => Resolution::Trouvee(&self.organisations[*i]),
            Memoire::Corrigee(i, ecrit) => {
                Resolution::Corrigee { organisation: &self.organisations[*i], ecrit: ecrit.clone() }
            }
            Memoire::Inconnue => Resolution::Inconnue,
        };
        if let Some(m) = self.deja_resolues.lock().unwrap_or_else(|e| e.into_inner()).get(attribution) {
            return deja(m);
        }
        let morceaux = decouper(attribution);
        let debut = debut_du_nom(&morceaux);
        let r = self.resoudre_morceaux(attribution, &morceaux[debut..]);
        let index = |o: &Organisation| {
            self.organisations.iter().position(|x| std::ptr::eq(x, o)).expect("an organisation of the registry")
        };
        let m = match &r {
            Resolution::Trouvee(o) => Memoire::Trouvee(index(o)),
            Resolution::Corrigee { organisation, ecrit } => Memoire::Corrigee(index(organisation), ecrit.clone()),
            Resolution::Inconnue => Memoire::Inconnue,
        };
        let mut memoire = self.deja_resolues.lock().unwrap_or_else(|e| e.into_inner());
        if memoire.len() < MEMOIRE_MAX && attribution.len() <= LIGNE_MEMORISEE_MAX {
            memoire.insert(attribution.to_string(), m);
        }
        r
    }

    /// Resolves a name or sigle found anywhere (e.g. "DINUM", "l'IGN").
    pub fn chercher(&self, nom: &str) -> Resolution<'_> {
        let morceaux = decouper(nom);
        let debut = passer_articles(&morceaux, 0);
        self.resoudre_morceaux(nom, &morceaux[debut..])
    }

    fn resoudre_morceaux(&self, texte: &str, morceaux: &[Morceau]) -> Resolution<'_> {
        let mots: Vec<&Mot> = morceaux
            .iter()
            .filter_map(|m| match m {
                Morceau::Mot(mot) => Some(mot),
                _ => None,
            })
            .collect();
        if mots.is_empty() {
            return Resolution::Inconnue;
        }

        // Candidates: the whole text, then each head cut before a comma or a
        // parenthesis, longest first.
        let mut candidats: Vec<String> = Vec::new();
        let mut courant: Vec<&str> = Vec::new();
        for m in morceaux {
            match m {
                Morceau::Mot(mot) => courant.push(&mot.plie),
                Morceau::Coupure | Morceau::Ouvrante | Morceau::Fermante => {
                    let tete = sans_articles_ref(&courant).join(" ");
                    if !tete.is_empty() && !candidats.contains(&tete) {
                        candidats.push(tete);
                    }
                }
            }
        }
        let tout = sans_articles_ref(&courant).join(" ");
        if !candidats.contains(&tout) {
            candidats.push(tout);
        }
        candidats.sort_by_key(|c| std::cmp::Reverse(c.len()));

        // 1. Exact match of the whole text or a head.
        for c in &candidats {
            if let Some(&k) = self.exactes.get(c) {
                return Resolution::Trouvee(&self.organisations[self.cles[k].index]);
            }
        }

        // 2. A parenthesis holding a sigle or a name: "… (DINUM)". When the
        //    name before it is a small misspelling of the same organisation
        //    ("Institut national de la statistique et des études économique
        //    (Insee)"), the correction is recorded.
        for contenu in contenus_entre_parentheses(morceaux) {
            let entre = sans_articles_ref(&contenu).join(" ");
            if let Some(&k) = self.exactes.get(&entre) {
                let index = self.cles[k].index;
                if let Some(c) = candidats.iter().find(|c| **c != entre && self.corriger(c) == Some(index)) {
                    return Resolution::Corrigee {
                        organisation: &self.organisations[index],
                        ecrit: ecrit_du_candidat(texte, morceaux, c),
                    };
                }
                return Resolution::Trouvee(&self.organisations[index]);
            }
        }

        // 3. A small misspelling of a long name or variant.
        for c in &candidats {
            if let Some(index) = self.corriger(c) {
                return Resolution::Corrigee {
                    organisation: &self.organisations[index],
                    ecrit: ecrit_du_candidat(texte, morceaux, c),
                };
            }
        }

        // 4. A name, variant or sigle contained in the text: the earliest
        //    occurrence wins, then the longest. A name of several words must
        //    end where the text's name ends (at the end, a punctuation mark
        //    or a linking word): "la direction générale de la santé
        //    publique" is not the DGS, "la direction générale de l'armement
        //    terrestre" not the DGA.
        let suivants: Vec<Option<&Morceau>> = {
            let positions: Vec<usize> =
                morceaux.iter().enumerate().filter(|(_, m)| matches!(m, Morceau::Mot(_))).map(|(i, _)| i).collect();
            positions.iter().map(|&p| morceaux.get(p + 1)).collect()
        };
        let fermee = |fin: usize| match suivants[fin] {
            Some(Morceau::Mot(m)) => MOTS_DE_LIAISON.contains(&m.plie.as_str()),
            _ => true,
        };
        // An acronym in parentheses that no organisation has (step 2 found
        // none) and that spells the initials of the registered name and of
        // the words after it belongs to a longer name the registry does not
        // know: "l'Agence nationale de la recherche sur le sida … (ANRS)" is
        // not the ANR; "la direction générale des finances publiques pour le
        // prélèvement à la source (PAS)" is still the DGFiP.
        let acronymes = acronymes_entre_parentheses(morceaux);
        let nom_plus_long = |debut: usize, n: usize| {
            acronymes.iter().any(|(a, position)| {
                *position >= debut + n
                    && initiales_de(a, &mots[debut..*position])
                    && !initiales_de(a, &mots[debut..debut + n])
            })
        };
        let mut meilleur: Option<(usize, usize, usize)> = None; // (start, words, index)
        for cle in &self.cles {
            if let Some(debut) = occurrence(&mots, cle) {
                let n = cle.mots.len();
                if cle.sigle.is_none() && n > 1 && (!fermee(debut + n - 1) || nom_plus_long(debut, n)) {
                    continue;
                }
                let mieux = match meilleur {
                    None => true,
                    Some((d, l, _)) => debut < d || (debut == d && n > l),
                };
                if mieux {
                    meilleur = Some((debut, n, cle.index));
                }
            }
        }
        match meilleur {
            Some((_, _, index)) => Resolution::Trouvee(&self.organisations[index]),
            None => Resolution::Inconnue,
        }
    }

    /// The organisation whose name or variant is within the allowed edit
    /// distance of `candidat`; `None` when none is, or when two different
    /// organisations are equally close.
    fn corriger(&self, candidat: &str) -> Option<usize> {
        let candidat: Vec<char> = candidat.chars().collect();
        let n = candidat.len();
        let mut meilleur: Option<(usize, usize)> = None; // (distance, index)
        let mut ambigu = false;
        for cle in self.cles.iter().filter(|c| c.sigle.is_none()) {
            let m = cle.caracteres.len();
            let permis = distance_permise(n.min(m));
            if permis == 0 || n.abs_diff(m) > permis {
                continue;
            }
            let Some(d) = distance_bornee(&candidat, &cle.caracteres, permis) else { continue };
            if d == 0 {
                continue;
            }
            match meilleur {
                Some((md, mi)) if d == md && mi != cle.index => ambigu = true,
                Some((md, _)) if d >= md => {}
                _ => {
                    meilleur = Some((d, cle.index));
                    ambigu = false;
                }
            }
        }
        if ambigu {
            None
        } else {
            meilleur.map(|(_, i)| i)
        }
    }
}

/// Edits tolerated for a folded string of `longueur` characters.
fn distance_permise(longueur: usize) -> usize {
    match longueur {
        0..=7 => 0,
        8..=15 => 1,
        _ => 2,
    }
}

/// [`distance`] when it is at most `k`, else `None`; only the diagonal band
/// `|i - j| ≤ k` is computed (no alignment of cost ≤ k leaves it), and the
/// computation stops as soon as a whole row exceeds `k`.
fn distance_bornee(a: &[char], b: &[char], k: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    let hors = k + 1;
    let mut avant = vec![hors; m + 1];
    let mut prec = vec![hors; m + 1];
    let mut cour = vec![hors; m + 1];
    for (j, v) in prec.iter_mut().enumerate().take(k.min(m) + 1) {
        *v = j;
    }
    for i in 1..=n {
        cour.fill(hors);
        if i <= k {
            cour[0] = i;
        }
        let mut min_ligne = cour[0];
        for j in i.saturating_sub(k).max(1)..=(i + k).min(m) {
            let cout = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prec[j] + 1).min(cour[j - 1] + 1).min(prec[j - 1] + cout);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(avant[j - 2] + 1);
            }
            cour[j] = v.min(hors);
            min_ligne = min_ligne.min(cour[j]);
        }
        if min_ligne > k {
            return None;
        }
        std::mem::swap(&mut avant, &mut prec);
        std::mem::swap(&mut prec, &mut cour);
    }
    Some(prec[m]).filter(|&d| d <= k)
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent
/// transpositions), on characters.
#[cfg_attr(not(test), allow(dead_code))]
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let largeur = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * largeur];
    for i in 0..=a.len() {
        d[i * largeur] = i;
    }
    for (j, v) in d.iter_mut().enumerate().take(largeur) {
        *v = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cout = usize::from(a[i - 1] != b[j - 1]);
            let mut v =
                (d[(i - 1) * largeur + j] + 1).min(d[i * largeur + j - 1] + 1).min(d[(i - 1) * largeur + j - 1] + cout);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * largeur + j - 2] + 1);
            }
            d[i * largeur + j] = v;
        }
    }
    d[a.len() * largeur + b.len()]
}

/// A word as written and folded.
#[derive(Debug, Clone)]
struct Mot {
    brut: String,
    plie: String,
    /// Byte span in the text that was split.
    debut: usize,
    fin: usize,
}

#[derive(Debug, Clone)]
enum Morceau {
    Mot(Mot),
    /// Comma, semicolon, colon, dash or full stop: where an apposition starts.
    Coupure,
    Ouvrante,
    Fermante,
}

/// Splits into words and cut marks. Apostrophes, hyphens and other
/// punctuation separate words ("l’IGN" → "l", "IGN"; "SESAM-Vitale" →
/// "SESAM", "Vitale").
fn decouper(texte: &str) -> Vec<Morceau> {
    let mut morceaux = Vec::new();
    let mut debut: Option<usize> = None;
    let fin_de_mot = |debut: &mut Option<usize>, fin: usize, morceaux: &mut Vec<Morceau>| {
        if let Some(d) = debut.take() {
            let brut = &texte[d..fin];
            let plie = plier(brut);
            if !plie.is_empty() {
                morceaux.push(Morceau::Mot(Mot { brut: brut.to_string(), plie, debut: d, fin }));
            }
        }
    };
    for (i, c) in texte.char_indices() {
        if c.is_alphanumeric() {
            debut.get_or_insert(i);
            continue;
        }
        fin_de_mot(&mut debut, i, &mut morceaux);
        match c {
            ',' | ';' | ':' | '.' | '–' | '—' | '|' | '!' | '?' => morceaux.push(Morceau::Coupure),
            '(' | '[' => morceaux.push(Morceau::Ouvrante),
            ')' | ']' => morceaux.push(Morceau::Fermante),
            _ => {}
        }
    }
    fin_de_mot(&mut debut, texte.len(), &mut morceaux);
    morceaux
}

/// Folds a word: no accents, ligatures expanded, lower case, alphanumerics only.
fn plier(mot: &str) -> String {
    let mut sortie = String::with_capacity(mot.len());
    // Below U+0300 there is no combining mark, so decomposing the word is
    // decomposing each character, and the Latin-1 letters of French need no
    // decomposition at all.
    if mot.chars().all(|c| (c as u32) < 0x300) {
        for c in mot.chars() {
            match c {
                c if c.is_ascii() => {
                    if c.is_ascii_alphanumeric() {
                        sortie.push(c.to_ascii_lowercase());
                    }
                }
                'æ' | 'Æ' => sortie.push_str("ae"),
                c => match super::texte::base_latin1(c) {
                    Some(b) => sortie.push(b.to_ascii_lowercase()),
                    None => {
                        for d in c.nfd() {
                            match d {
                                'œ' | 'Œ' => sortie.push_str("oe"),
                                d if d.is_alphanumeric() => sortie.extend(d.to_lowercase()),
                                _ => {}
                            }
                        }
                    }
                },
            }
        }
        return sortie;
    }
    for c in mot.nfd() {
        match c {
            'œ' | 'Œ' => sortie.push_str("oe"),
            'æ' | 'Æ' => sortie.push_str("ae"),
            c if c.is_alphanumeric() => sortie.extend(c.to_lowercase()),
            _ => {}
        }
    }
    sortie
}

fn mots_plies(texte: &str) -> Vec<String> {
    decouper(texte)
        .into_iter()
        .filter_map(|m| match m {
            Morceau::Mot(mot) => Some(mot.plie),
            _ => None,
        })
        .collect()
}

const ARTICLES: &[&str] = &["le", "la", "l", "les"];

/// Words that may follow an organisation's name without being part of it:
/// "la DGS et l'ANS", "la DINUM pour le projet …", "la DILA, qui …".
const MOTS_DE_LIAISON: &[&str] = &[
    "et", "ou", "pour", "avec", "sur", "dans", "par", "chez", "aupres", "au", "aux", "a", "en", "de", "du", "des", "d",
    "qui", "que", "qu", "dont", "ainsi", "mais", "le", "la", "l", "les", "un", "une", "sous", "via", "entre",
];

fn sans_articles(mut mots: Vec<String>) -> Vec<String> {
    let n = mots.iter().take_while(|m| ARTICLES.contains(&m.as_str())).count();
    if n < mots.len() {
        mots.drain(..n);
    }
    mots
}

fn sans_articles_ref<'a>(mots: &[&'a str]) -> Vec<&'a str> {
    let n = mots.iter().take_while(|m| ARTICLES.contains(m)).count();
    if n < mots.len() {
        mots[n..].to_vec()
    } else {
        mots.to_vec()
    }
}

/// True for a form written without lower-case letters ("DINSIC", "ACOSS").
fn forme_majuscule(forme: &str) -> bool {
    forme.chars().any(char::is_alphabetic) && !forme.chars().any(char::is_lowercase)
}

fn mot_plie(m: &Morceau) -> Option<&str> {
    match m {
        Morceau::Mot(mot) => Some(&mot.plie),
        _ => None,
    }
}

/// Index of the first piece after the leading cut marks and articles from `i`.
fn passer_articles(morceaux: &[Morceau], mut i: usize) -> usize {
    while i < morceaux.len() {
        match &morceaux[i] {
            Morceau::Coupure => i += 1,
            Morceau::Mot(m) if ARTICLES.contains(&m.plie.as_str()) => i += 1,
            _ => break,
        }
    }
    i
}

/// Index of the first piece of the name in an attribution line: skips
/// "Témoignage(s) de/du/des/d'", "Témoignage :", "Propos recueillis auprès
/// de …", then the articles.
fn debut_du_nom(morceaux: &[Morceau]) -> usize {
    let suite = |i: usize, attendu: &[&str]| {
        attendu.iter().enumerate().all(|(k, a)| morceaux.get(i + k).and_then(mot_plie) == Some(*a))
    };
    let mut i = if suite(0, &["temoignage"]) || suite(0, &["temoignages"]) {
        1
    } else if suite(0, &["propos", "recueillis", "aupres"]) {
        3
    } else {
        return passer_articles(morceaux, 0);
    };
    while matches!(morceaux.get(i), Some(Morceau::Coupure)) {
        i += 1;
    }
    // "Témoignage conjoint de la DINUM et de l'ANSSI".
    if morceaux.get(i).and_then(mot_plie).is_some_and(|m| matches!(m, "conjoint" | "conjointe")) {
        i += 1;
    }
    if let Some(m) = morceaux.get(i).and_then(mot_plie) {
        if matches!(m, "de" | "du" | "des" | "d") {
            i += 1;
        }
    }
    passer_articles(morceaux, i)
}

/// The single words written in capitals in parentheses ("(ANRS)"), each
/// with the number of words before it.
fn acronymes_entre_parentheses(morceaux: &[Morceau]) -> Vec<(&str, usize)> {
    let mut sortie = Vec::new();
    let mut mots = 0;
    for (i, m) in morceaux.iter().enumerate() {
        if let Morceau::Mot(mot) = m {
            let entoure = matches!(morceaux.get(i.wrapping_sub(1)), Some(Morceau::Ouvrante))
                && matches!(morceaux.get(i + 1), Some(Morceau::Fermante));
            if entoure && mot.brut.chars().filter(|c| c.is_alphabetic()).count() >= 2 && forme_majuscule(&mot.brut) {
                sortie.push((mot.brut.as_str(), mots));
            }
            mots += 1;
        }
    }
    sortie
}

/// Whether `sigle` is the initials of `mots` (their words that are not
/// articles or prepositions), starting with the first one: "ANRS" of
/// "Agence nationale de la recherche sur le sida".
fn initiales_de(sigle: &str, mots: &[&Mot]) -> bool {
    let initiales: Vec<char> = mots
        .iter()
        .filter(|m| !MOTS_DE_LIAISON.contains(&m.plie.as_str()))
        .filter_map(|m| m.plie.chars().next())
        .collect();
    let mut lettres = sigle.chars().filter(|c| c.is_alphabetic()).map(|c| c.to_ascii_lowercase());
    let Some(premiere) = lettres.next() else { return false };
    if initiales.first() != Some(&premiere) {
        return false;
    }
    let mut reste = initiales[1..].iter();
    lettres.all(|l| reste.any(|&i| i == l))
}

/// Folded words inside each parenthesis.
fn contenus_entre_parentheses(morceaux: &[Morceau]) -> Vec<Vec<&str>> {
    let mut contenus = Vec::new();
    let mut courant: Option<Vec<&str>> = None;
    for m in morceaux {
        match m {
            Morceau::Ouvrante => courant = Some(Vec::new()),
            Morceau::Fermante => {
                if let Some(c) = courant.take() {
                    if !c.is_empty() {
                        contenus.push(c);
                    }
                }
            }
            Morceau::Mot(mot) => {
                if let Some(c) = courant.as_mut() {
                    c.push(&mot.plie);
                }
            }
            Morceau::Coupure => {}
        }
    }
    contenus
}

/// The span of `texte` holding the words of a folded candidate, as written
/// (for the "nom corrigé" finding).
fn ecrit_du_candidat(texte: &str, morceaux: &[Morceau], candidat: &str) -> String {
    let cible: Vec<&str> = candidat.split(' ').collect();
    let mots: Vec<&Mot> = morceaux
        .iter()
        .filter_map(|m| match m {
            Morceau::Mot(mot) => Some(mot),
            _ => None,
        })
        .collect();
    let n = cible.len();
    (0..mots.len())
        .find(|&d| mots.len() - d >= n && mots[d..d + n].iter().zip(&cible).all(|(m, c)| m.plie == *c))
        .map(|d| texte[mots[d].debut..mots[d + n - 1].fin].to_string())
        .unwrap_or_else(|| candidat.to_string())
}

/// Start of the first occurrence of `cle` in `mots`. Sigle-like keys must
/// appear as written, or in capitals ("DGFIP" for "DGFiP"), so that the word
/// "ans" is not the ANS.
fn occurrence(mots: &[&Mot], cle: &Cle) -> Option<usize> {
    if let Some(sigle) = &cle.sigle {
        if cle.mots.len() == 1 {
            return mots.iter().position(|m| {
                m.brut == *sigle || (forme_majuscule(&m.brut) && m.brut.to_uppercase() == sigle.to_uppercase())
            });
        }
    }
    let n = cle.mots.len();
    if n > mots.len() {
        return None;
    }
    (0..=mots.len() - n).find(|&d| mots[d..d + n].iter().zip(&cle.mots).all(|(m, c)| m.plie == *c))
}

fn identifiant_valide(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shortcut of `plier` gives what decomposing the whole word gives.
        #[test]
        fn plier_comme_nfd(mot in "[a-zA-Z0-9'\u{a0}-\u{ff}\u{100}-\u{17f}œŒæÆ\u{300}\u{301}\u{345}ﬁ]{0,12}") {
            let mut reference = String::new();
            for c in mot.nfd() {
                match c {
                    'œ' | 'Œ' => reference.push_str("oe"),
                    'æ' | 'Æ' => reference.push_str("ae"),
                    c if c.is_alphanumeric() => reference.extend(c.to_lowercase()),
                    _ => {}
                }
            }
            proptest::prop_assert_eq!(plier(&mot), reference);
        }
    }

    #[test]
    fn distance_bornee_egale_distance() {
        let mots = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "insee",
            "insse",
            "institut national",
            "institut nationale",
            "instiut national",
            "direction interministerielle du numerique",
            "direction interministerielle numerique",
            "ign",
            "agence",
            "agnece",
            "agences",
        ];
        for a in mots {
            for b in mots {
                let d = distance(a, b);
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                for k in 0..4 {
                    assert_eq!(distance_bornee(&ca, &cb, k), (d <= k).then_some(d), "{a} / {b} / {k}");
                }
            }
        }
    }

    const CSV: &str = include_str!("../../input/referentiels/organisations.csv");

    fn registre() -> Registre {
        Registre::depuis_csv(CSV).expect("the registry loads")
    }

    fn trouvee<'a>(r: &Resolution<'a>) -> &'a Organisation {
        match r {
            Resolution::Trouvee(o) => o,
            autre => panic!("expected Trouvee, got {autre:?}"),
        }
    }

    fn attendre(registre: &Registre, attribution: &str, nom: &str, sigle: Option<&str>) {
        let o = trouvee(&registre.resoudre(attribution));
        assert_eq!(o.nom, nom, "{attribution}");
        assert_eq!(o.sigle.as_deref(), sigle, "{attribution}");
    }

    #[test]
    fn seed_attributions() {
        let r = registre();
        let dila = "Direction de l'information légale et administrative";
        attendre(&r, "Témoignage de la direction de l'information légale et administrative", dila, Some("DILA"));
        attendre(&r, "Témoignage de la direction de l'information légale et administrative ", dila, Some("DILA"));
        attendre(
            &r,
            "Témoignage du ministère du Travail, de la Santé et de la Solidarité",
            "Ministère du Travail, de la Santé et des Solidarités",
            None,
        );
        attendre(
            &r,
            "Témoignage de l’Institut national de l’information géographique et forestière",
            "Institut national de l'information géographique et forestière",
            Some("IGN"),
        );
        attendre(&r, "Témoignage de l’Agence Numérique en Santé", "Agence du numérique en santé", Some("ANS"));
        attendre(&r, "Témoignage du ministère des Armées", "Ministère des Armées et des Anciens combattants", None);
        match r.resoudre("Témoignage de l’Institut nationale du cancer") {
            Resolution::Corrigee { organisation, ecrit } => {
                assert_eq!(organisation.nom, "Institut national du cancer");
                assert_eq!(organisation.sigle.as_deref(), Some("INCa"));
                assert_eq!(ecrit, "Institut nationale du cancer");
            }
            autre => panic!("expected Corrigee, got {autre:?}"),
        }
        attendre(
            &r,
            "Témoignage de la direction interministerielle du numérique",
            "Direction interministérielle du numérique",
            Some("DINUM"),
        );
        attendre(
            &r,
            "Témoignage du GIE SESAM-Vitale, un groupement expert des systèmes d’information des professionnels et établissements de santé",
            "GIE SESAM-Vitale",
            None,
        );
        attendre(
            &r,
            "Témoignage de la direction du numérique pour l’éducation",
            "Direction du numérique pour l'éducation",
            Some("DNE"),
        );
    }

    #[test]
    fn case_accents_apostrophes_and_prefixes() {
        let r = registre();
        attendre(
            &r,
            "TÉMOIGNAGE DE LA DIRECTION INTERMINISTÉRIELLE DU NUMÉRIQUE",
            "Direction interministérielle du numérique",
            Some("DINUM"),
        );
        attendre(
            &r,
            "Temoignage de l'Institut national de l'information geographique et forestiere",
            "Institut national de l'information géographique et forestière",
            Some("IGN"),
        );
        attendre(&r, "Témoignage : la DILA", "Direction de l'information légale et administrative", Some("DILA"));
        attendre(
            &r,
            "Propos recueillis auprès de l’Agence du numérique en santé",
            "Agence du numérique en santé",
            Some("ANS"),
        );
        attendre(&r, "Témoignages du ministère de l'Intérieur.", "Ministère de l'Intérieur", None);
    }

    #[test]
    fn sigles() {
        let r = registre();
        attendre(&r, "Témoignage de la DGFiP", "Direction générale des finances publiques", Some("DGFiP"));
        attendre(&r, "Témoignage de la DGFIP", "Direction générale des finances publiques", Some("DGFiP"));
        assert_eq!(trouvee(&r.chercher("DINUM")).identifiant, "dinum");
        assert_eq!(trouvee(&r.chercher("l'IGN")).identifiant, "ign");
        assert_eq!(trouvee(&r.chercher("l’IGN")).identifiant, "ign");
        assert_eq!(trouvee(&r.chercher("ANTS")).identifiant, "france-titres");
        // A sigle in parentheses after an unknown or misspelt name.
        assert_eq!(
            trouvee(&r.resoudre("Témoignage de la Direction interministérielle du numérique de l'État (DINUM)"))
                .identifiant,
            "dinum"
        );
        // A sigle inside a sentence, as written.
        assert_eq!(
            trouvee(&r.resoudre("Témoignage d’un chef de projet de la DNE, au ministère de l'Éducation nationale"))
                .identifiant,
            "dne"
        );
        // Former sigle kept as variant.
        assert_eq!(trouvee(&r.chercher("DINSIC")).identifiant, "dinum");
    }

    #[test]
    fn former_and_current_names() {
        let r = registre();
        attendre(&r, "Témoignage de France Travail", "France Travail", None);
        attendre(&r, "Témoignage de Pôle emploi", "France Travail", None);
        attendre(&r, "Témoignage de Pole Emploi", "France Travail", None);
        attendre(
            &r,
            "Témoignage de l'Institut géographique national",
            "Institut national de l'information géographique et forestière",
            Some("IGN"),
        );
        attendre(&r, "Témoignage du ministère de la Défense", "Ministère des Armées et des Anciens combattants", None);
        attendre(&r, "Témoignage de l'Agence nationale des titres sécurisés", "France Titres", Some("ANTS"));
        // Head before an apposition.
        attendre(&r, "Témoignage de Météo-France, l'établissement public de la météorologie", "Météo-France", None);
        // A longer ministry name containing commas is matched whole before its head.
        assert_eq!(
            trouvee(&r.resoudre("Témoignage du ministère du Travail, de la Santé, des Solidarités et des Familles"))
                .identifiant,
            "ministere-travail-sante-solidarites-familles"
        );
    }

    #[test]
    fn misspellings() {
        let r = registre();
        match r.resoudre("Témoignage de la Direction générale des finances publique") {
            Resolution::Corrigee { organisation, .. } => {
                assert_eq!(organisation.identifiant, "dgfip")
            }
            autre => panic!("{autre:?}"),
        }
        match r.chercher("Agence nationale de la securite des systemes dinformation") {
            Resolution::Corrigee { organisation, .. } => {
                assert_eq!(organisation.identifiant, "anssi")
            }
            autre => panic!("{autre:?}"),
        }
        // Transposed letters.
        match r.chercher("Caisse des dépôts et consignatoins") {
            Resolution::Corrigee { organisation, .. } => {
                assert_eq!(organisation.identifiant, "caisse-des-depots")
            }
            autre => panic!("{autre:?}"),
        }
        // Found by the sigle in parentheses, the misspelt name before it is
        // still recorded as corrected.
        match r.resoudre("Témoignage de l’Institut national de la statistique et des études économique (Insee)") {
            Resolution::Corrigee { organisation, ecrit } => {
                assert_eq!(organisation.identifiant, "insee");
                assert_eq!(ecrit, "Institut national de la statistique et des études économique");
            }
            autre => panic!("{autre:?}"),
        }
        // Spelt right, with its sigle: no correction.
        assert!(matches!(
            r.resoudre("Témoignage de la Bibliothèque nationale de France (BnF)"),
            Resolution::Trouvee(o) if o.identifiant == "bnf"
        ));
    }

    #[test]
    fn remembered_resolutions_are_the_same() {
        let r = registre();
        let lignes = [
            "Témoignage de la direction de l'information légale et administrative",
            "Témoignage de l’Institut nationale du cancer",
            "Témoignage de l’Institut national de la statistique et des études économique (Insee)",
            "Témoignage de la mairie de Trifouilly-les-Oies",
            "",
        ];
        let premieres: Vec<Resolution<'_>> = lignes.iter().map(|l| r.resoudre(l)).collect();
        assert_eq!(r.deja_resolues.lock().unwrap().len(), lignes.len());
        for (l, premiere) in lignes.iter().zip(&premieres) {
            assert_eq!(&r.resoudre(l), premiere, "{l}");
        }
        assert!(matches!(premieres[1], Resolution::Corrigee { .. }));
        assert_eq!(premieres[3], Resolution::Inconnue);
        // Bounded: past the limit, lines are resolved without being kept.
        for i in 0..MEMOIRE_MAX + 10 {
            assert_eq!(r.resoudre(&format!("Témoignage de l'équipe {i}")), Resolution::Inconnue);
        }
        assert_eq!(r.deja_resolues.lock().unwrap().len(), MEMOIRE_MAX);
        // A long line (a whole paragraph taken for an attribution) is not kept.
        let r = registre();
        let longue = format!("Témoignage de la DINUM, {}", "et ainsi de suite ".repeat(20));
        assert!(longue.len() > LIGNE_MEMORISEE_MAX);
        assert_eq!(r.resoudre(&longue), r.resoudre(&longue));
        assert!(r.deja_resolues.lock().unwrap().is_empty());
    }

    #[test]
    fn unknown_and_near_misses() {
        let r = registre();
        assert_eq!(r.resoudre("Témoignage de la mairie de Trifouilly-les-Oies"), Resolution::Inconnue);
        assert_eq!(r.resoudre("Témoignage de"), Resolution::Inconnue);
        assert_eq!(r.resoudre(""), Resolution::Inconnue);
        // Sigles are never corrected: ANT is neither ANS nor ANTS.
        assert_eq!(r.chercher("ANT"), Resolution::Inconnue);
        assert_eq!(r.chercher("DGFP"), Resolution::Inconnue);
        // "ans" (years) is not the ANS when it appears inside a sentence.
        assert_eq!(r.resoudre("Témoignage d'une équipe en place depuis dix ans"), Resolution::Inconnue);
        // Close to the DGS, but another organisation.
        assert_eq!(r.chercher("Direction générale de la sûreté"), Resolution::Inconnue);
        // Close to the INCa, but another organisation.
        assert_eq!(r.chercher("Institut national du sport"), Resolution::Inconnue);
        assert_eq!(r.chercher("Direction du numérique de l'éducation"), Resolution::Inconnue);
        // A registered name followed by more words of a longer name is not
        // that organisation.
        assert_eq!(r.resoudre("Témoignage de la direction générale de la santé publique"), Resolution::Inconnue);
        assert_eq!(r.resoudre("Témoignage de la Direction générale de l'armement terrestre"), Resolution::Inconnue);
        // A longer name whose acronym the registry does not know.
        assert_eq!(
            r.resoudre("Témoignage de l'Agence nationale de la recherche sur le sida et les hépatites virales (ANRS)"),
            Resolution::Inconnue
        );
        // An acronym of something else (a project) leaves the name alone.
        for (ligne, sigle) in [
            (
                "Témoignage de la direction générale des finances publiques pour le prélèvement à la source (PAS)",
                "DGFiP",
            ),
            (
                "Témoignage de la direction de l'information légale et administrative dans le cadre du service (DILE)",
                "DILA",
            ),
            ("Témoignage de la direction interministérielle du numérique pour le projet Mon espace (MES)", "DINUM"),
        ] {
            match r.resoudre(ligne) {
                Resolution::Trouvee(o) => assert_eq!(o.sigle.as_deref(), Some(sigle), "{ligne}"),
                autre => panic!("{ligne}: {autre:?}"),
            }
        }
        // Followed by a linking word or a punctuation mark, it still is.
        let dgs = |a: &str| match r.resoudre(a) {
            Resolution::Trouvee(o) => o.sigle.clone(),
            autre => panic!("{a}: {autre:?}"),
        };
        assert_eq!(
            dgs("Témoignage de l'équipe de la direction générale de la santé et de ses partenaires").as_deref(),
            Some("DGS")
        );
        assert_eq!(
            dgs("Témoignage de l'équipe projet de la direction générale de la santé, au ministère").as_deref(),
            Some("DGS")
        );
    }

    #[test]
    fn edit_distance() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("ca", "ac"), 1);
        assert_eq!(distance("nationale", "national"), 1);
    }

    #[test]
    fn registry_is_consistent() {
        let r = registre();
        let orgs = r.organisations();
        assert!(orgs.len() >= 50, "{} rows", orgs.len());
        let mut ids = std::collections::HashSet::new();
        let mut noms = std::collections::HashSet::new();
        for o in orgs {
            assert!(ids.insert(o.identifiant.as_str()), "duplicate identifiant {}", o.identifiant);
            assert!(noms.insert(plier_tout(&o.nom)), "duplicate nom {}", o.nom);
            assert!(NATURES.contains(&o.nature.as_str()), "{}", o.nature);
            if let Some(m) = &o.ministere {
                assert!(
                    orgs.iter().any(|p| p.nom == *m && (p.nature == "ministere" || p.nom == "Premier ministre")),
                    "{}: ministere {m} is not a ministry row",
                    o.identifiant
                );
            }
            if let Some(s) = &o.source {
                assert!(s.starts_with("https://"), "{s}");
            }
            // Every row resolves to itself by its name and its sigle.
            assert_eq!(trouvee(&r.chercher(&o.nom)).identifiant, o.identifiant);
            if let Some(s) = &o.sigle {
                assert_eq!(trouvee(&r.chercher(s)).identifiant, o.identifiant, "{s}");
            }
            for v in &o.variantes {
                assert_eq!(trouvee(&r.chercher(v)).identifiant, o.identifiant, "{v}");
            }
        }
        assert!(CSV.ends_with('\n') && !CSV.contains('\r') && !CSV.starts_with('\u{feff}'));
    }

    fn plier_tout(s: &str) -> String {
        mots_plies(s).join(" ")
    }

    #[test]
    fn schema_lists_the_natures() {
        let schema = include_str!("../../schemas/referentiels/organisations.json");
        for n in NATURES {
            assert!(schema.contains(&format!("\"{n}\"")), "{n} missing from the schema");
        }
        for c in COLONNES {
            assert!(schema.contains(&format!("\"name\": \"{c}\"")), "{c} missing from the schema");
        }
    }

    #[test]
    fn load_errors_name_the_line() {
        let entete = "identifiant,nom,sigle,nature,ministere,variantes,source\n";
        let e = Registre::depuis_csv(&format!("{entete}a,A,,ministere,,,\nB C,B,,ministere,,,\n")).err().unwrap();
        assert!(e.contains("ligne 3"), "{e}");
        let e = Registre::depuis_csv(&format!("{entete}a,A,,inconnue,,,\n")).err().unwrap();
        assert!(e.contains("ligne 2") && e.contains("nature"), "{e}");
        let e = Registre::depuis_csv(&format!("{entete}a,A,,ministere,,,\nb,B,,autre,Ministère X,,\n")).err().unwrap();
        assert!(e.contains("ligne 3"), "{e}");
        let e = Registre::depuis_csv(&format!("{entete}a,A,X,autre,,,\nb,B,X,autre,,,\n")).err().unwrap();
        assert!(e.contains("ligne 3"), "{e}");
        assert!(Registre::depuis_csv("identifiant,nom\n").is_err());
    }
}
