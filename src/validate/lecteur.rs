//! Lecteur d'enregistrements CSV pour la validation : les mêmes cellules,
//! les mêmes numéros de ligne et les mêmes erreurs que le lecteur par défaut
//! du crate `csv` (virgule, guillemet doublé, fin de ligne `\r`, `\n` ou
//! `\r\n`, longueurs égales exigées), pour n'importe quels octets.
//!
//! Pourquoi le nôtre : l'automate de `csv_core` examine chaque octet (une
//! dizaine d'instructions par octet), ce qui en faisait le plus gros coût de
//! la validation. Ici, une cellule entre guillemets saute d'un guillemet au
//! suivant (`memchr`), une cellule nue d'un séparateur au suivant
//! (`memchr3`) ; seuls les octets qui changent l'état sont examinés un à un.
//! La mémoire reste bornée : le fichier est lu par tranches, un
//! enregistrement peut chevaucher plusieurs tranches et dépasser le tampon.
//!
//! L'automate reproduit est celui de `csv_core::Reader` (`read_record_dfa`)
//! avec la configuration par défaut : les états ci-dessous sont les siens,
//! après consommation d'un octet.

use std::fmt;
use std::io::{self, Read};

/// Où en est la lecture : octets consommés, ligne (1 + nombre de `\n`
/// consommés, y compris dans les cellules) et enregistrements lus (en-tête
/// compris), comme `csv::Position`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Position {
    pub(super) octet: u64,
    pub(super) ligne: u64,
    pub(super) rang: u64,
}

/// Un enregistrement : ses cellules bout à bout et la fin de chacune, comme
/// `csv::ByteRecord`, avec la position où sa lecture a commencé (avant les
/// lignes vides qui le précèdent, comme le crate `csv`).
#[derive(Debug, Default)]
pub(super) struct Enregistrement {
    octets: Vec<u8>,
    fins: Vec<usize>,
    position: Position,
}

impl Enregistrement {
    /// Les cellules bout à bout.
    pub(super) fn octets(&self) -> &[u8] {
        &self.octets
    }

    /// La fin de chaque cellule dans `octets`.
    pub(super) fn fins(&self) -> &[usize] {
        &self.fins
    }

    pub(super) fn len(&self) -> usize {
        self.fins.len()
    }

    pub(super) fn position(&self) -> &Position {
        &self.position
    }

    /// Les cellules une à une.
    pub(super) fn cellules(&self) -> impl Iterator<Item = &[u8]> {
        let mut debut = 0;
        self.fins.iter().map(move |&fin| {
            let c = &self.octets[debut..fin];
            debut = fin;
            c
        })
    }

    /// L'en-tête en texte, ou l'erreur exacte de `csv::Reader::headers` quand
    /// une cellule n'est pas de l'UTF-8 (la position d'un en-tête est
    /// toujours l'enregistrement 0, ligne 1, octet 0).
    pub(super) fn en_tete(&self) -> Result<Vec<String>, String> {
        let mut noms = Vec::with_capacity(self.len());
        for (i, c) in self.cellules().enumerate() {
            match std::str::from_utf8(c) {
                Ok(t) => noms.push(t.to_string()),
                Err(e) => {
                    let p = &self.position;
                    return Err(format!(
                        "CSV parse error: record {} (line {}, field: {i}, byte: {}): \
                         invalid utf-8: invalid UTF-8 in field {i} near byte index {}",
                        p.rang,
                        p.ligne,
                        p.octet,
                        e.valid_up_to()
                    ));
                }
            }
        }
        Ok(noms)
    }
}

/// Une erreur de lecture, affichée comme celles du crate `csv`.
#[derive(Debug)]
pub(super) enum Erreur {
    /// La source a échoué : la lecture s'arrête là.
    Io(io::Error),
    /// Un enregistrement n'a pas autant de cellules que le premier (l'en-tête)
    /// ; il est lu quand même et la lecture peut continuer.
    Inegales { position: Position, attendues: u64, trouvees: u64 },
}

impl fmt::Display for Erreur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Erreur::Io(e) => e.fmt(f),
            Erreur::Inegales { position: p, attendues, trouvees } => write!(
                f,
                "CSV error: record {} (line: {}, byte: {}): found record with {trouvees} fields, \
                 but the previous record has {attendues} fields",
                p.rang, p.ligne, p.octet
            ),
        }
    }
}

/// Les états de l'automate de `csv_core` où l'on peut se trouver entre deux
/// octets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Etat {
    /// Début d'enregistrement : les fins de ligne y sont sautées (lignes
    /// vides).
    Debut,
    /// Début de cellule, après une virgule (`EndFieldDelim`).
    Cellule,
    /// Dans une cellule nue : un guillemet y est un octet comme un autre.
    Nue,
    /// Dans une cellule entre guillemets.
    Guillemets,
    /// Après un guillemet dans une cellule entre guillemets : un second le
    /// rend littéral, un autre octet que séparateur ou fin de ligne continue
    /// la cellule sans guillemets.
    ApresGuillemet,
    /// Un enregistrement vient de finir sur `\n`.
    FinLf,
    /// Un enregistrement vient de finir sur `\r` : un `\n` qui suit en fait
    /// partie.
    FinCr,
}

/// Le lecteur : un tampon rempli depuis la source, l'état de l'automate et
/// la position courante.
pub(super) struct Lecteur<R> {
    source: R,
    tampon: Box<[u8]>,
    debut: usize,
    fin: usize,
    etat: Etat,
    position: Position,
    /// Le nombre de cellules du premier enregistrement.
    premier: Option<u64>,
    /// La première tranche n'est pas encore lue (le BOM reste à ôter).
    neuf: bool,
    /// La fin des données a été rendue, ou la source a échoué.
    fini: bool,
    /// Le BOM ôté au début.
    bom: bool,
}

impl<R: Read> Lecteur<R> {
    /// Un lecteur dont le tampon compte `capacite` octets (au moins 3, pour
    /// voir un BOM entier dans la première tranche, comme `csv` qui ne l'ôte
    /// que s'il est entier dans son premier remplissage).
    pub(super) fn new(source: R, capacite: usize) -> Self {
        Lecteur {
            source,
            tampon: vec![0; capacite.max(3)].into_boxed_slice(),
            debut: 0,
            fin: 0,
            etat: Etat::Debut,
            position: Position { octet: 0, ligne: 1, rang: 0 },
            premier: None,
            neuf: true,
            fini: false,
            bom: false,
        }
    }

    /// La position après le dernier enregistrement lu, comme
    /// `csv::Reader::position`.
    pub(super) fn position(&self) -> &Position {
        &self.position
    }

    /// Si le fichier commence par un BOM (ôté de la première cellule), une
    /// fois le premier enregistrement lu.
    pub(super) fn bom(&self) -> bool {
        self.bom
    }

    /// Remplit le tampon vide ; `false` à la fin des données.
    fn remplir(&mut self) -> io::Result<bool> {
        self.debut = 0;
        self.fin = 0;
        loop {
            // Une lecture interrompue est une erreur, comme pour `csv` (le
            // `BufReader` de la bibliothèque standard ne la répète pas).
            let n = self.source.read(&mut self.tampon[self.fin..])?;
            self.fin += n;
            // La première tranche compte au moins 3 octets, sauf fin des
            // données, pour qu'un BOM y soit entier.
            if n == 0 || !self.neuf || self.fin >= 3 {
                break;
            }
        }
        if self.neuf {
            self.neuf = false;
            if self.tampon[..self.fin].starts_with(b"\xEF\xBB\xBF") {
                self.debut = 3;
                self.position.octet = 3;
                self.bom = true;
            }
        }
        Ok(self.fin > 0)
    }

    /// Lit l'enregistrement suivant dans `rec` : `Ok(false)` à la fin des
    /// données, comme `csv::Reader::read_byte_record`.
    pub(super) fn lire(&mut self, rec: &mut Enregistrement) -> Result<bool, Erreur> {
        rec.octets.clear();
        rec.fins.clear();
        rec.position = self.position.clone();
        if self.fini {
            return Ok(false);
        }
        loop {
            if self.debut == self.fin {
                match self.remplir() {
                    Ok(true) => {}
                    Ok(false) => {
                        // Fin des données : la cellule commencée termine
                        // l'enregistrement, même entre guillemets.
                        if matches!(self.etat, Etat::Debut | Etat::FinLf | Etat::FinCr) {
                            self.fini = true;
                            return Ok(false);
                        }
                        rec.fins.push(rec.octets.len());
                        self.etat = Etat::FinLf;
                        return self.compter(rec);
                    }
                    Err(e) => {
                        self.fini = true;
                        return Err(Erreur::Io(e));
                    }
                }
            }
            if self.avancer(rec) {
                return self.compter(rec);
            }
        }
    }

    /// Compte l'enregistrement lu et vérifie son nombre de cellules.
    fn compter(&mut self, rec: &Enregistrement) -> Result<bool, Erreur> {
        self.position.rang += 1;
        let n = rec.fins.len() as u64;
        match self.premier {
            None => self.premier = Some(n),
            Some(attendues) if attendues != n => {
                return Err(Erreur::Inegales { position: rec.position.clone(), attendues, trouvees: n });
            }
            Some(_) => {}
        }
        Ok(true)
    }

    /// Consomme la tranche jusqu'à la fin d'un enregistrement (`true`) ou
    /// de la tranche (`false`).
    fn avancer(&mut self, rec: &mut Enregistrement) -> bool {
        let tranche = &self.tampon[self.debut..self.fin];
        let mut i = 0;
        let mut lignes = 0u64;
        let mut fini = false;
        while i < tranche.len() {
            match self.etat {
                Etat::FinCr if tranche[i] == b'\n' => {
                    i += 1;
                    lignes += 1;
                    self.etat = Etat::Debut;
                }
                Etat::FinCr | Etat::FinLf => self.etat = Etat::Debut,
                Etat::Debut => match tranche[i] {
                    b'\n' => {
                        i += 1;
                        lignes += 1;
                    }
                    b'\r' => i += 1,
                    _ => self.etat = Etat::Cellule,
                },
                Etat::Cellule | Etat::ApresGuillemet => {
                    let b = tranche[i];
                    i += 1;
                    match b {
                        b'"' if self.etat == Etat::Cellule => self.etat = Etat::Guillemets,
                        b'"' => {
                            rec.octets.push(b'"');
                            self.etat = Etat::Guillemets;
                        }
                        b',' => {
                            rec.fins.push(rec.octets.len());
                            self.etat = Etat::Cellule;
                        }
                        b'\n' => {
                            lignes += 1;
                            rec.fins.push(rec.octets.len());
                            self.etat = Etat::FinLf;
                            fini = true;
                            break;
                        }
                        b'\r' => {
                            rec.fins.push(rec.octets.len());
                            self.etat = Etat::FinCr;
                            fini = true;
                            break;
                        }
                        _ => {
                            rec.octets.push(b);
                            self.etat = Etat::Nue;
                        }
                    }
                }
                Etat::Nue => {
                    let reste = &tranche[i..];
                    let Some(j) = memchr::memchr3(b',', b'\n', b'\r', reste) else {
                        rec.octets.extend_from_slice(reste);
                        i = tranche.len();
                        break;
                    };
                    rec.octets.extend_from_slice(&reste[..j]);
                    i += j + 1;
                    rec.fins.push(rec.octets.len());
                    match reste[j] {
                        b',' => self.etat = Etat::Cellule,
                        b'\n' => {
                            lignes += 1;
                            self.etat = Etat::FinLf;
                            fini = true;
                            break;
                        }
                        _ => {
                            self.etat = Etat::FinCr;
                            fini = true;
                            break;
                        }
                    }
                }
                Etat::Guillemets => {
                    let reste = &tranche[i..];
                    let (texte, suite) = match memchr::memchr(b'"', reste) {
                        Some(j) => (&reste[..j], j + 1),
                        None => (reste, reste.len()),
                    };
                    rec.octets.extend_from_slice(texte);
                    lignes += memchr::memchr_iter(b'\n', texte).count() as u64;
                    i += suite;
                    if suite > texte.len() {
                        self.etat = Etat::ApresGuillemet;
                    }
                }
            }
        }
        self.debut += i;
        self.position.octet += i as u64;
        self.position.ligne += lignes;
        fini
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Une source qui rend au plus `pas` octets par lecture, pour couper les
    /// données n'importe où.
    struct Goutte<'a> {
        donnees: &'a [u8],
        pas: usize,
    }

    impl Read for Goutte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.pas.min(buf.len()).min(self.donnees.len());
            buf[..n].copy_from_slice(&self.donnees[..n]);
            self.donnees = &self.donnees[n..];
            Ok(n)
        }
    }

    /// Ce que rend une lecture : en-tête (ou son erreur), puis chaque
    /// enregistrement (cellules, position de départ, position après) ou son
    /// erreur, jusqu'à la fin.
    #[derive(Debug, PartialEq)]
    enum Evenement {
        EnTete(Result<Vec<String>, String>, Vec<Vec<u8>>),
        Enregistrement(Vec<Vec<u8>>, (u64, u64, u64), (u64, u64, u64)),
        Erreur(String, Option<(u64, u64, u64)>, bool, (u64, u64, u64)),
        Fin,
    }

    /// La référence : le crate `csv` comme le lit `valider_csv`.
    fn par_csv(donnees: &[u8]) -> Vec<Evenement> {
        let pos = |p: &csv::Position| (p.byte(), p.line(), p.record());
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(donnees);
        let mut ev = Vec::new();
        let tete = r.headers().map(|h| h.iter().map(str::to_string).collect()).map_err(|e| e.to_string());
        let brut = r.byte_headers().expect("en-tête lu").iter().map(<[u8]>::to_vec).collect();
        ev.push(Evenement::EnTete(tete, brut));
        let mut rec = csv::ByteRecord::new();
        loop {
            match r.read_byte_record(&mut rec) {
                Ok(true) => ev.push(Evenement::Enregistrement(
                    rec.iter().map(<[u8]>::to_vec).collect(),
                    pos(rec.position().expect("position")),
                    pos(r.position()),
                )),
                Ok(false) => break,
                Err(e) => {
                    let inegales = matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                    ev.push(Evenement::Erreur(e.to_string(), e.position().map(pos), inegales, pos(r.position())));
                    if !inegales {
                        break;
                    }
                }
            }
        }
        ev.push(Evenement::Fin);
        ev
    }

    /// Le nôtre, sur une source qui rend `pas` octets à la fois.
    fn par_lecteur(donnees: &[u8], capacite: usize, pas: usize) -> Vec<Evenement> {
        let pos = |p: &Position| (p.octet, p.ligne, p.rang);
        let mut l = Lecteur::new(Goutte { donnees, pas }, capacite);
        let mut ev = Vec::new();
        let mut rec = Enregistrement::default();
        l.lire(&mut rec).expect("en-tête");
        ev.push(Evenement::EnTete(rec.en_tete(), rec.cellules().map(<[u8]>::to_vec).collect()));
        loop {
            match l.lire(&mut rec) {
                Ok(true) => ev.push(Evenement::Enregistrement(
                    rec.cellules().map(<[u8]>::to_vec).collect(),
                    pos(rec.position()),
                    pos(l.position()),
                )),
                Ok(false) => break,
                Err(e) => {
                    let inegales = matches!(e, Erreur::Inegales { .. });
                    let p = match &e {
                        Erreur::Inegales { position, .. } => Some(pos(position)),
                        Erreur::Io(_) => None,
                    };
                    ev.push(Evenement::Erreur(e.to_string(), p, inegales, pos(l.position())));
                    if !inegales {
                        break;
                    }
                }
            }
        }
        ev.push(Evenement::Fin);
        ev
    }

    fn octets() -> impl Strategy<Value = Vec<u8>> {
        let morceau = prop_oneof![
            4 => Just(&b"a"[..]),
            3 => Just(&b","[..]),
            3 => Just(&b"\""[..]),
            2 => Just(&b"\n"[..]),
            2 => Just(&b"\r"[..]),
            1 => Just("é".as_bytes()),
            1 => Just(&b"\xff"[..]),
            1 => Just(&b"\xc3"[..]),
            1 => Just(&b"\xEF\xBB\xBF"[..]),
        ];
        (any::<bool>(), proptest::collection::vec(morceau, 0..80)).prop_map(|(bom, m)| {
            let mut v = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            v.extend(m.concat());
            v
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Tampons minuscules et sources qui coupent partout.
        #[test]
        fn comme_csv_petits_tampons(d in octets(), capacite in 1usize..8, pas in 1usize..8) {
            prop_assert_eq!(par_lecteur(&d, capacite, pas), par_csv(&d));
        }

        /// Tout dans une tranche.
        #[test]
        fn comme_csv_grand_tampon(d in octets()) {
            prop_assert_eq!(par_lecteur(&d, 1 << 16, usize::MAX), par_csv(&d));
        }
    }

    /// Des enregistrements bien plus longs que le tampon, entre guillemets
    /// (avec guillemets doublés et fins de ligne) ou nus.
    #[test]
    fn enregistrement_plus_long_que_le_tampon() {
        let texte = "ligne « citée » \"\"deux\"\"\r\nsuite, ".repeat(200);
        let d = format!("\u{feff}a,b\n\"{texte}\",{}\r\n\n\"x\"\"\",y\rz,\"fin", "nu".repeat(500));
        for (capacite, pas) in [(3, 1), (7, 5), (64, 64), (1000, 17), (1 << 16, usize::MAX)] {
            assert_eq!(par_lecteur(d.as_bytes(), capacite, pas), par_csv(d.as_bytes()), "{capacite} {pas}");
        }
    }

    /// Cas choisis : lignes vides, guillemets dans une cellule nue, octets
    /// après un guillemet fermant, fin dans des guillemets, cellules en
    /// trop ou en moins, en-tête non UTF-8, BOM seul ou coupé.
    #[test]
    fn cas_choisis() {
        for d in [
            &b""[..],
            b"\xEF\xBB\xBF",
            b"\xEF\xBB",
            b"\n\r\n",
            b"a,b\n\n\r\nc,d",
            b"a,b\na\"b,c\"\n",
            b"a,b\n\"x\"y,z\r\n\"\"\"\",\r",
            b"a,b\n\"x\ny",
            b"a,b\nc\nd,e,f\ng,h\n",
            b"a\xff,b\nc,d\n",
            b"a,\xc3\nc,d\n",
        ] {
            assert_eq!(par_lecteur(d, 1 << 16, usize::MAX), par_csv(d), "{:?}", String::from_utf8_lossy(d));
            assert_eq!(par_lecteur(d, 1, 1), par_csv(d), "{:?}", String::from_utf8_lossy(d));
        }
    }
}
