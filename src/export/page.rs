//! The dataset page, `index.html`: one self-contained static page in French
//! (inline CSS, one small inline script, no network) that says what the
//! dataset is and where it comes from, lists the testimonials in a sortable,
//! filterable table, draws charts (`svg`), shows the data dictionary (from
//! the catalogue, through `schema::dictionnaire_tables`) and links every file.
//! Every text taken from pages goes through `echapper`; the page also forbids
//! any script but its own (Content-Security-Policy with the script's hash).

use super::schema::{self, Fichier};
use super::svg::{self, Entete, Point};
use crate::fields::{self, TABLES};
use crate::model::{Document, Extraction, Indicateur, ParTemoignage, Temoignage};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// What the page and the documentation need from the corpus, gathered one
/// document at a time: the exporter streams documents, and this keeps only
/// the page's share (no answers, mentions or links).
#[derive(Debug, Default)]
pub struct Synthese {
    /// The first `LIGNES_MAX` documents and testimonials, and the indicators
    /// of those testimonials: what the page's tables show.
    pub documents: Vec<Document>,
    pub temoignages: Vec<Temoignage>,
    pub indicateurs: Vec<Indicateur>,
    /// `(qualification, statut)` → number of testimonials that say so.
    pub qualifications: BTreeMap<(String, String), usize>,
    /// Testimonials naming each provider, and naming none.
    pub fournisseurs: BTreeMap<String, u64>,
    pub sans_fournisseur: u64,
    /// Testimonials without organisation, without ministry, without figure.
    pub sans_organisation: u64,
    pub sans_ministere: u64,
    pub sans_indicateur: u64,
    /// Rows per table, in `fields::TABLES` order.
    pub lignes: [usize; 8],
    /// `(code, severite)` → findings.
    pub anomalies: BTreeMap<(&'static str, &'static str), usize>,
}

/// Rows the page's tables show at most: the charts and counts cover the
/// whole corpus, the tables its first rows, so memory stays flat however
/// large the corpus is (a page of 100,000 rows helps nobody either).
pub const LIGNES_MAX: usize = 1_000;

/// Characters of a description the page shows.
const APERCU: usize = 400;

/// The first `n` characters of a text, cut at a word, with `…` when cut.
fn apercu(texte: &str, n: usize) -> String {
    if texte.chars().count() <= n {
        return texte.to_string();
    }
    let coupe: String = texte.chars().take(n).collect();
    let coupe = coupe.rsplit_once(' ').map_or(coupe.as_str(), |(a, _)| a).to_string();
    format!("{coupe}…")
}

impl Synthese {
    pub fn ajouter(&mut self, ex: &Extraction) {
        // Only what the page shows is kept: no chapeau, descriptions cut to
        // a teaser, no sentences.
        if self.documents.len() < LIGNES_MAX {
            self.documents.push(Document { chapeau: None, ..ex.document.clone() });
        }
        let chiffres_par_temoignage = ParTemoignage::new(ex.indicateurs.iter().map(|i| Some(i.temoignage.as_str())));
        for t in &ex.temoignages {
            if t.fournisseurs_cloud.is_empty() {
                self.sans_fournisseur += 1;
            }
            for f in &t.fournisseurs_cloud {
                // Looked up before inserting: the name is copied only once per provider.
                match self.fournisseurs.get_mut(f.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        self.fournisseurs.insert(f.clone(), 1);
                    }
                }
            }
            self.sans_organisation += u64::from(t.organisation.is_none());
            self.sans_ministere += u64::from(t.ministere.is_none());
            let chiffres = chiffres_par_temoignage.de(&t.identifiant).iter().map(|&(_, k)| &ex.indicateurs[k]);
            if chiffres.len() == 0 {
                self.sans_indicateur += 1;
            }
            if self.temoignages.len() < LIGNES_MAX {
                self.temoignages.push(Temoignage {
                    description: t.description.as_deref().map(|d| apercu(d, APERCU)),
                    attribution: None,
                    ..t.clone()
                });
                self.indicateurs.extend(chiffres.map(|i| Indicateur { phrase: String::new(), ..i.clone() }));
            }
        }
        let mut vus: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
        for q in &ex.qualifications {
            if vus.insert((q.temoignage.as_str(), q.qualification.as_str(), q.statut.as_str())) {
                *self.qualifications.entry((q.qualification.clone(), q.statut.clone())).or_default() += 1;
            }
        }
        let n = [
            1,
            ex.temoignages.len(),
            ex.questions_reponses.len(),
            ex.indicateurs.len(),
            ex.qualifications.len(),
            ex.mentions.len(),
            ex.liens.len(),
            ex.anomalies.len(),
        ];
        for (a, b) in self.lignes.iter_mut().zip(n) {
            *a += b;
        }
        for a in &ex.anomalies {
            *self.anomalies.entry((a.code, a.severite.as_str())).or_default() += 1;
        }
    }

    /// The summary of a whole corpus at once.
    pub fn de(extractions: &[Extraction]) -> Self {
        let mut s = Synthese::default();
        for ex in extractions {
            s.ajouter(ex);
        }
        s
    }

    /// Rows of the table named `table`.
    pub fn lignes(&self, table: &str) -> usize {
        TABLES.iter().position(|t| t.name == table).map_or(0, |i| self.lignes[i])
    }
}

/// Escapes text for HTML content and for quoted attribute values alike.
pub fn echapper(s: &str) -> String {
    // The characters to escape are ASCII: the text between them is copied
    // in runs (a cut at an ASCII byte is a character boundary).
    let mut o = String::with_capacity(s.len() + s.len() / 8);
    let mut debut = 0;
    for (i, b) in s.bytes().enumerate() {
        let entite = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        o.push_str(&s[debut..i]);
        o.push_str(entite);
        debut = i + 1;
    }
    o.push_str(&s[debut..]);
    o
}

/// Catalogue text (inline Markdown) as HTML: escaped, `code` spans kept.
pub fn code_en_ligne(md: &str) -> String {
    let morceaux: Vec<&str> = md.split('`').collect();
    if morceaux.len().is_multiple_of(2) {
        // An unpaired backtick: show the text as it is.
        return echapper(md);
    }
    let mut o = String::new();
    for (i, m) in morceaux.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(o, "<code>{}</code>", echapper(m));
        } else {
            o.push_str(&echapper(m));
        }
    }
    o
}

/// How a qualification status reads in a sentence.
pub fn libelle_statut(s: &str) -> &str {
    match s {
        "en_cours" => "en cours",
        "visee" => "visée",
        "non_retenue" => "non retenue",
        s => s,
    }
}

/// `Sha256` in standard base64, as CSP hash sources want it. Written here
/// because it is the only base64 the project needs (32 bytes, one place).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::new();
    for c in bytes.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= c.len() {
                o.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                o.push('=');
            }
        }
    }
    o
}

const STYLE: &str = r#"
:root{color:#1e1e1e;background:#fff;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5}
body{margin:0}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{border-bottom:4px solid #000091;padding-bottom:.5rem}
h1{font-size:1.9rem;margin:1.2rem 0 .4rem}
h2{font-size:1.5rem;margin:2.2rem 0 .6rem;border-bottom:1px solid #cecece}
h3{font-size:1.15rem;margin:1.6rem 0 .4rem}
a{color:#000091}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #000091;outline-offset:2px}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.9em;background:#f3f3f6;padding:0 .2em}
.evitement{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.evitement:focus{left:1rem}
.note,.vide,.id{color:#595959}
.id{font-size:.8em;display:block;overflow-wrap:anywhere}
.defile{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #cecece;padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eeeef8}
tbody th{font-weight:600}
td.nombre{text-align:right;font-variant-numeric:tabular-nums}
button.tri{font:inherit;font-weight:700;color:#000091;background:none;border:0;padding:0;cursor:pointer;text-align:left;text-decoration:underline}
th[aria-sort=ascending] button.tri::after{content:" ▲"}
th[aria-sort=descending] button.tri::after{content:" ▼"}
.filtre label{font-weight:600;display:block}
.filtre input{font:inherit;padding:.35rem .5rem;border:2px solid #595959;min-width:20rem;max-width:100%}
ul.chiffres{margin:0;padding-left:1rem}
.statut{font-weight:700}
.s-obtenue{color:#18753c}.s-en_cours{color:#716043}.s-visee{color:#000091}.s-non_retenue{color:#ce0500}.s-insuffisante{color:#6e445a}
figure{margin:1rem 0 2rem}
svg.graphique{width:100%;max-width:760px;height:auto;display:block}
figcaption{color:#595959;font-size:.92rem}
details summary{cursor:pointer;color:#000091}
footer{border-top:1px solid #cecece;margin-top:3rem;padding-top:.5rem;padding-bottom:2rem;color:#595959}
"#;

/// The page's only script: filter and sort the testimonials' table. Without
/// it the page stays whole (the filter stays hidden, headers stay plain
/// text). Errors are written into the DOM (`data-erreurs`) and success into
/// `data-ok`, so a headless browser test can read them from a DOM dump.
const SCRIPT: &str = r#"
window.onerror = function (message) {
  var b = document.body, avant = b.getAttribute("data-erreurs");
  b.setAttribute("data-erreurs", (avant ? avant + " | " : "") + String(message));
};
(function () {
  "use strict";
  function plier(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var table = document.getElementById("liste-temoignages");
  var corps = table.tBodies[0];
  var lignes = Array.prototype.slice.call(corps.rows);
  var entetes = table.tHead.rows[0].cells;
  var filtre = document.getElementById("filtre");
  var compte = document.getElementById("compte");
  function filtrer() {
    var q = plier(filtre.value.trim()), n = 0;
    lignes.forEach(function (l) {
      var garde = q === "" || plier(l.textContent).indexOf(q) !== -1;
      l.hidden = !garde;
      if (garde) { n += 1; }
    });
    compte.textContent = n + " témoignage(s) affiché(s) sur " + lignes.length + ".";
  }
  function cle(l, i) {
    var c = l.cells[i];
    return c.hasAttribute("data-cle") ? c.getAttribute("data-cle") : c.textContent.trim();
  }
  function trier(i) {
    var th = entetes[i];
    var croissant = th.getAttribute("aria-sort") !== "ascending";
    var nombre = th.getAttribute("data-tri") === "nombre";
    Array.prototype.forEach.call(entetes, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", croissant ? "ascending" : "descending");
    var ordre = lignes.map(function (l, k) { return [l, k]; });
    ordre.sort(function (a, b) {
      var x = cle(a[0], i), y = cle(b[0], i);
      var r = nombre ? Number(x) - Number(y) : x.localeCompare(y, "fr", { sensitivity: "base", numeric: true });
      if (!croissant) { r = -r; }
      return r !== 0 ? r : a[1] - b[1];
    });
    ordre.forEach(function (p) { corps.appendChild(p[0]); });
    document.getElementById("annonce-tri").textContent =
      "Tableau trié par « " + th.textContent.trim() + " », ordre " + (croissant ? "croissant" : "décroissant") + ".";
  }
  Array.prototype.forEach.call(entetes, function (th, i) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "tri";
    while (th.firstChild) { b.appendChild(th.firstChild); }
    th.appendChild(b);
    b.addEventListener("click", function () { trier(i); });
  });
  filtre.addEventListener("input", filtrer);
  document.getElementById("bloc-filtre").hidden = false;
  filtrer();
  document.body.setAttribute("data-ok", "1");
})();
"#;

fn ou_vide(s: Option<&str>) -> String {
    match s.filter(|s| !s.is_empty()) {
        Some(s) => echapper(s),
        None => "<span class=\"vide\">non renseigné</span>".into(),
    }
}

fn statut_cellule(s: Option<&str>) -> String {
    let rang = |s: &str| fields::STATUTS.iter().position(|x| *x == s).map_or(8, |p| p + 1);
    match s {
        Some(s) => format!(
            "<td data-cle=\"{}\"><span class=\"statut s-{}\">{}</span></td>",
            rang(s),
            echapper(s),
            echapper(libelle_statut(s))
        ),
        None => "<td data-cle=\"9\"><span class=\"vide\">non mentionné</span></td>".into(),
    }
}

/// A size in French: "12,3 ko".
fn taille(octets: u64) -> String {
    let (v, u) = match octets {
        o if o < 1000 => return format!("{o} o"),
        o if o < 1_000_000 => (o as f64 / 1e3, "ko"),
        o => (o as f64 / 1e6, "Mo"),
    };
    format!("{:.1} {u}", v).replace('.', ",")
}

/// A short name for a testimonial in chart labels.
fn nom_court(t: &Temoignage) -> &str {
    t.sigle.as_deref().or(t.organisation_sigle.as_deref()).unwrap_or(&t.titre)
}

fn section_jeu(s: &mut String, y: &Synthese) {
    let _ = write!(
        s,
        "<section aria-labelledby=\"jeu\"><h2 id=\"jeu\">Le jeu de données</h2>\
         <p>Ce jeu de données rassemble des témoignages de responsables de projets publics sur leur recours au cloud, \
         publiés par l'administration — en premier lieu l'article de la direction interministérielle du numérique \
         (DINUM) « Cloud : série de témoignages portant sur les succès du cloud public ». Chaque témoignage est extrait \
         de sa page, puis normalisé : organisation et ministère, fournisseurs cloud, qualifications (SecNumCloud, HDS…) \
         et leur statut, technologies, indicateurs chiffrés, questions et réponses.</p>\
         <p>Il compte <strong>{pages}</strong> page(s) source, <strong>{t}</strong> témoignages, {qr} questions et réponses, \
         {i} indicateurs chiffrés, {q} mentions de qualifications, {m} mentions de fournisseurs, technologies et logiciels, \
         {l} liens et {a} anomalies de qualité.</p>\
         <p>Les textes sont ceux des pages : l'extraction est automatique et ses règles ont des limites, \
         décrites dans la <a href=\"documentation.md\">documentation</a>. Version {v}, \
         sous <a href=\"https://www.etalab.gouv.fr/licence-ouverte-open-licence/\">Licence Ouverte 2.0 (Etalab)</a>.</p>\
         </section>",
        pages = y.lignes("documents"),
        t = y.lignes("temoignages"),
        qr = y.lignes("questions_reponses"),
        i = y.lignes("indicateurs"),
        q = y.lignes("qualifications"),
        m = y.lignes("mentions"),
        l = y.lignes("liens"),
        a = y.lignes("anomalies"),
        v = echapper(schema::VERSION),
    );
}

fn section_temoignages(s: &mut String, y: &Synthese) {
    s.push_str(
        "<section aria-labelledby=\"temoignages\"><h2 id=\"temoignages\">Les témoignages</h2>\
         <div class=\"filtre\" id=\"bloc-filtre\" hidden><label for=\"filtre\">Filtrer les témoignages</label>\
         <input type=\"search\" id=\"filtre\" aria-describedby=\"aide-filtre\" autocomplete=\"off\">\
         <p class=\"note\" id=\"aide-filtre\">Cherche dans toutes les colonnes et les descriptions, sans tenir compte des accents ni des majuscules. \
         Les en-têtes de colonnes sont des boutons de tri.</p></div>\
         <p id=\"compte\" aria-live=\"polite\"></p><p id=\"annonce-tri\" class=\"note\" aria-live=\"polite\"></p>\
         <div class=\"defile\" role=\"region\" aria-labelledby=\"legende-temoignages\" tabindex=\"0\">\
         <table id=\"liste-temoignages\"><caption id=\"legende-temoignages\">Témoignages : projet, organisation, \
         ministère, fournisseurs cloud, statut SecNumCloud et HDS, chiffres clés</caption><thead><tr>\
         <th scope=\"col\" data-tri=\"nombre\">N°</th><th scope=\"col\">Projet</th><th scope=\"col\">Organisation</th>\
         <th scope=\"col\">Ministère</th><th scope=\"col\">Fournisseurs cloud</th>\
         <th scope=\"col\" data-tri=\"nombre\">SecNumCloud</th><th scope=\"col\" data-tri=\"nombre\">HDS</th>\
         <th scope=\"col\" data-tri=\"nombre\">Chiffres clés</th></tr></thead><tbody>",
    );
    let total = y.lignes("temoignages");
    if total > y.temoignages.len() {
        let _ = write!(
            s,
            "<p class=\"note\">Les {} premiers témoignages sur {total} sont présentés ici ; les graphiques et les \
             comptes portent sur tous, et les fichiers les contiennent tous.</p>",
            y.temoignages.len()
        );
    }
    let mut par_temoignage: BTreeMap<&str, Vec<&Indicateur>> = BTreeMap::new();
    for i in &y.indicateurs {
        par_temoignage.entry(&i.temoignage).or_default().push(i);
    }
    for (k, t) in y.temoignages.iter().enumerate() {
        {
            let numero = k + 1;
            let organisation = match (&t.organisation, &t.organisation_sigle) {
                (Some(o), Some(sg)) if o != sg => format!("{} ({})", echapper(o), echapper(sg)),
                (o, _) => ou_vide(o.as_deref()),
            };
            let fournisseurs = if t.fournisseurs_cloud.is_empty() {
                "<span class=\"vide\">aucun nommé</span>".to_string()
            } else {
                echapper(&t.fournisseurs_cloud.join(", "))
            };
            let chiffres = par_temoignage.get(t.identifiant.as_str()).map_or(&[][..], |v| &v[..]);
            let _ = write!(
                s,
                "<tr id=\"t-{id}\"><td class=\"nombre\">{numero}</td><th scope=\"row\">{titre}\
                 <code class=\"id\">{id}</code>",
                id = echapper(&t.identifiant),
                titre = echapper(&t.titre),
            );
            if let Some(d) = &t.description {
                let _ = write!(s, "<details><summary>Description</summary><p>{}</p></details>", echapper(d));
            }
            let _ = write!(
                s,
                "</th><td>{organisation}</td><td>{ministere}</td><td>{fournisseurs}</td>{snc}{hds}",
                ministere = ou_vide(t.ministere.as_deref()),
                snc = statut_cellule(t.secnumcloud.as_deref()),
                hds = statut_cellule(t.hds.as_deref()),
            );
            let _ = write!(s, "<td data-cle=\"{}\">", chiffres.len());
            if chiffres.is_empty() {
                s.push_str("<span class=\"vide\">aucun</span>");
            } else {
                s.push_str("<ul class=\"chiffres\">");
                for i in chiffres {
                    let _ = write!(s, "<li>{}</li>", echapper(&i.texte));
                }
                s.push_str("</ul>");
            }
            s.push_str("</td></tr>");
        }
    }
    s.push_str("</tbody></table></div></section>");
}

/// A chart, its caption and its numbers as a table.
fn figure(s: &mut String, e: &Entete, svg: &str, legende: &str, entetes: &[&str], lignes: &[Vec<String>]) {
    let _ = write!(
        s,
        "<h3 id=\"{id}\">{titre}</h3><figure aria-labelledby=\"{id}\">{svg}<figcaption>{legende}</figcaption>\
         <details><summary>Données du graphique sous forme de tableau</summary><table><caption>{titre}</caption><thead><tr>",
        id = echapper(e.id),
        titre = echapper(e.titre),
        legende = echapper(legende),
    );
    for (k, h) in entetes.iter().enumerate() {
        let _ = write!(s, "<th scope=\"col\"{}>{}</th>", if k > 0 { " class=\"nombre\"" } else { "" }, echapper(h));
    }
    s.push_str("</tr></thead><tbody>");
    for l in lignes {
        s.push_str("<tr>");
        for (k, c) in l.iter().enumerate() {
            if k == 0 {
                let _ = write!(s, "<th scope=\"row\">{}</th>", echapper(c));
            } else {
                let _ = write!(s, "<td class=\"nombre\">{}</td>", echapper(c));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></details></figure>");
}

fn section_graphiques(s: &mut String, y: &Synthese) {
    s.push_str("<section aria-labelledby=\"graphiques\"><h2 id=\"graphiques\">Graphiques</h2>");
    // Testimonials per cloud provider (the whole corpus).
    let sans = y.sans_fournisseur;
    let mut donnees: Vec<(String, u64)> = y.fournisseurs.iter().map(|(k, v)| (k.clone(), *v)).collect();
    donnees.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    donnees.push(("Aucun fournisseur nommé".into(), sans));
    let description = format!(
        "Nombre de témoignages qui nomment chaque fournisseur cloud : {}.",
        donnees.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
    );
    let e =
        Entete { id: "graphique-fournisseurs", titre: "Témoignages par fournisseur cloud", description: &description };
    let lignes: Vec<Vec<String>> = donnees.iter().map(|(k, v)| vec![k.clone(), v.to_string()]).collect();
    figure(
        s,
        &e,
        &svg::barres(&e, &donnees),
        "Un témoignage qui nomme plusieurs fournisseurs compte pour chacun.",
        &["Fournisseur cloud", "Témoignages"],
        &lignes,
    );

    // Qualification statuses: testimonials per (qualification, status).
    let mut par_qualif: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for ((q, st), n) in &y.qualifications {
        par_qualif.entry(q).or_default().insert(st, *n);
    }
    let mut donnees: Vec<(String, Vec<(&str, u64)>)> = par_qualif
        .iter()
        .map(|(q, st)| {
            let segs = fields::STATUTS.iter().map(|s| (*s, st.get(s).map_or(0, |n| *n as u64))).collect();
            (q.to_string(), segs)
        })
        .collect();
    donnees.sort_by_key(|(q, segs)| (std::cmp::Reverse(segs.iter().map(|s| s.1).sum::<u64>()), q.clone()));
    if donnees.is_empty() {
        s.push_str("<h3>Statut des qualifications</h3><p>Aucune qualification n'est citée.</p>");
    } else {
        let description = format!(
            "Nombre de témoignages par qualification et par statut. {}.",
            donnees
                .iter()
                .map(|(q, segs)| {
                    let d: Vec<String> =
                        segs.iter().filter(|s| s.1 > 0).map(|(st, v)| format!("{} {v}", libelle_statut(st))).collect();
                    format!("{q} : {}", d.join(", "))
                })
                .collect::<Vec<_>>()
                .join(" ; ")
        );
        let e = Entete {
            id: "graphique-qualifications",
            titre: "Statut des qualifications et certifications",
            description: &description,
        };
        let mut entetes = vec!["Qualification"];
        entetes.extend(fields::STATUTS.iter().map(|s| libelle_statut(s)));
        let lignes: Vec<Vec<String>> = donnees
            .iter()
            .map(|(q, segs)| std::iter::once(q.clone()).chain(segs.iter().map(|s| s.1.to_string())).collect())
            .collect();
        figure(
            s,
            &e,
            &svg::barres_empilees(&e, &donnees, libelle_statut),
            "Obtenue : l'hébergement ou l'offre la détient ; visée : elle est recherchée ; non retenue : écartée ou \
             jugée inutile ; insuffisante : détenue mais jugée insuffisante. Un témoignage compte une fois par statut.",
            &entetes,
            &lignes,
        );
    }

    // Indicators on one log scale.
    let mut points: Vec<(Point, String)> = Vec::new();
    let noms: BTreeMap<&str, &Temoignage> = y.temoignages.iter().map(|t| (t.identifiant.as_str(), t)).collect();
    {
        for i in &y.indicateurs {
            let t = noms.get(i.temoignage.as_str()).copied();
            let projet = t.map_or(i.temoignage.as_str(), nom_court);
            let quoi = i.libelle.as_deref().unwrap_or(&i.unite);
            let valeur = match i.valeur_max {
                Some(m) => format!("{} à {}", super::format_nombre(i.valeur), super::format_nombre(m)),
                None => super::format_nombre(i.valeur),
            };
            let unite = match &i.periode {
                Some(p) => format!("{} par {p}", i.unite),
                None => i.unite.clone(),
            };
            points.push((
                Point {
                    label: format!("{quoi} ({projet})"),
                    valeur: i.valeur,
                    valeur_max: i.valeur_max,
                    texte: format!("{valeur} {unite} — « {} »", i.texte),
                },
                unite,
            ));
        }
    }
    points.sort_by(|a, b| b.0.valeur.total_cmp(&a.0.valeur).then_with(|| a.0.label.cmp(&b.0.label)));
    if points.is_empty() {
        s.push_str("<h3>Indicateurs chiffrés</h3><p>Aucun indicateur chiffré n'est extrait.</p>");
    } else {
        let description = format!(
            "{} indicateurs chiffrés placés sur une échelle logarithmique, du plus grand au plus petit : {}.",
            points.len(),
            points.iter().map(|(p, _)| format!("{} {}", p.label, p.texte)).collect::<Vec<_>>().join(" ; ")
        );
        let e = Entete {
            id: "graphique-indicateurs",
            titre: "Indicateurs chiffrés (échelle logarithmique)",
            description: &description,
        };
        let lignes: Vec<Vec<String>> = points
            .iter()
            .map(|(p, unite)| {
                vec![
                    p.label.clone(),
                    super::format_nombre(p.valeur),
                    p.valeur_max.map(super::format_nombre).unwrap_or_default(),
                    unite.clone(),
                ]
            })
            .collect();
        let pts: Vec<Point> = points.into_iter().map(|(p, _)| p).collect();
        figure(
            s,
            &e,
            &svg::echelle_log(&e, &pts),
            "Les unités diffèrent (requêtes, agents, octets, pourcents…) : l'échelle logarithmique, une graduation par \
             puissance de dix, les montre ensemble. Un point est une valeur, un trait un ordre de grandeur.",
            &["Indicateur (projet)", "Valeur", "Valeur maximale", "Unité"],
            &lignes,
        );
    }
    s.push_str("</section>");
}

fn section_dictionnaire(s: &mut String) {
    let _ = write!(
        s,
        "<section aria-labelledby=\"dictionnaire\"><h2 id=\"dictionnaire\">Dictionnaire des données</h2>\
         <p>{}</p><p>Chaque table est publiée en CSV et en Parquet, décrite par un Table Schema \
         (<code>schemas/&lt;table&gt;.json</code>).</p>",
        code_en_ligne(schema::FORMATS_FICHIERS)
    );
    for d in schema::dictionnaire_tables() {
        let t = d.table;
        let _ = write!(
            s,
            "<h3 id=\"table-{n}\"><code>{n}</code> — {titre}</h3><p>{desc}</p><p>{cles}</p>\
             <div class=\"defile\" role=\"region\" aria-labelledby=\"legende-table-{n}\" tabindex=\"0\">\
             <table class=\"dictionnaire\"><caption id=\"legende-table-{n}\">Colonnes de la table {n}</caption><thead><tr>",
            n = echapper(t.name),
            titre = echapper(t.title),
            desc = code_en_ligne(t.description),
            cles = d.cles.iter().map(|c| code_en_ligne(c)).collect::<Vec<_>>().join("<br>"),
        );
        for h in schema::EN_TETES_DICTIONNAIRE {
            let _ = write!(s, "<th scope=\"col\">{}</th>", echapper(h));
        }
        s.push_str("</tr></thead><tbody>");
        for l in &d.lignes {
            let _ = write!(s, "<tr><th scope=\"row\">{}</th>", code_en_ligne(&l[0]));
            for c in &l[1..] {
                let _ = write!(s, "<td>{}</td>", code_en_ligne(c));
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table></div>");
    }
    s.push_str("</section>");
}

fn section_fichiers(s: &mut String, fichiers: &[Fichier]) {
    s.push_str(
        "<section aria-labelledby=\"fichiers\"><h2 id=\"fichiers\">Fichiers</h2>\
         <p>Les chemins sont relatifs à cette page : ils fonctionnent dans le dossier téléchargé comme en ligne.</p>\
         <ul><li><a href=\"datapackage.json\">datapackage.json</a> — descripteur Data Package (Frictionless) : \
         ressources, schémas, tailles et empreintes SHA-256</li>\
         <li><a href=\"documentation.md\">documentation.md</a> — documentation : provenance, méthode, vocabulaires, \
         limites connues</li></ul>\
         <div class=\"defile\" role=\"region\" aria-labelledby=\"legende-fichiers\" tabindex=\"0\">\
         <table><caption id=\"legende-fichiers\">Fichiers de données</caption><thead><tr><th scope=\"col\">Fichier</th>\
         <th scope=\"col\">Format</th><th scope=\"col\">Taille</th><th scope=\"col\">Contenu</th></tr></thead><tbody>",
    );
    for f in fichiers {
        let _ = write!(
            s,
            "<tr><th scope=\"row\"><a href=\"{p}\">{p}</a></th><td>{fmt}</td><td class=\"nombre\">{t}</td><td>{d}</td></tr>",
            p = echapper(&f.path),
            fmt = echapper(f.format),
            t = taille(f.bytes),
            d = code_en_ligne(&f.description),
        );
    }
    s.push_str("</tbody></table></div><h3 id=\"schemas\">Table Schemas</h3><ul>");
    for t in TABLES {
        let _ = write!(
            s,
            "<li><a href=\"schemas/{n}.json\">schemas/{n}.json</a> — {titre}</li>",
            n = echapper(t.name),
            titre = echapper(t.title)
        );
    }
    s.push_str("</ul></section>");
}

fn section_sources(s: &mut String, y: &Synthese) {
    s.push_str(
        "<section aria-labelledby=\"sources\"><h2 id=\"sources\">Pages sources</h2>\
         <p>Les pages lues, avec l'empreinte SHA-256 de leurs octets : elle permet de vérifier qu'un fichier source \
         est bien celui dont les données sont tirées.</p>\
         <div class=\"defile\" role=\"region\" aria-labelledby=\"legende-sources\" tabindex=\"0\">\
         <table><caption id=\"legende-sources\">Pages sources</caption><thead><tr><th scope=\"col\">Titre</th>\
         <th scope=\"col\">Publication</th><th scope=\"col\">Fichier source</th><th scope=\"col\">Témoignages</th>\
         <th scope=\"col\">Empreinte</th></tr></thead><tbody>",
    );
    let total = y.lignes("documents");
    if total > y.documents.len() {
        let _ = write!(
            s,
            "<tr><td colspan=\"5\">Les {} premières pages sur {total} sont listées ; la table `documents` les contient toutes.</td></tr>",
            y.documents.len()
        );
    }
    for d in &y.documents {
        let _ = write!(
            s,
            "<tr><th scope=\"row\">{titre}<code class=\"id\">{id}</code></th><td>{date}</td><td><code>{f}</code></td>\
             <td class=\"nombre\">{n}</td><td><code>{h}</code></td></tr>",
            titre = ou_vide(d.titre.as_deref()),
            id = echapper(&d.identifiant),
            date = ou_vide(d.date_publication.map(|x| x.format("%Y-%m-%d").to_string()).as_deref()),
            f = echapper(&d.fichier_source),
            n = d.nombre_temoignages,
            h = echapper(&d.empreinte_source),
        );
    }
    s.push_str("</tbody></table></div>");
    let codes = &y.anomalies;
    s.push_str("<h3 id=\"anomalies\">Anomalies relevées</h3>");
    if codes.is_empty() {
        s.push_str("<p>Aucune anomalie.</p>");
    } else {
        s.push_str(
            "<p>Le détail (message, extrait) est dans la table <a href=\"csv/anomalies.csv\">anomalies</a>.</p>\
             <table><caption>Anomalies par code</caption><thead><tr><th scope=\"col\">Code</th>\
             <th scope=\"col\">Sévérité</th><th scope=\"col\">Nombre</th></tr></thead><tbody>",
        );
        for ((code, sev), n) in codes {
            let _ = write!(
                s,
                "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td class=\"nombre\">{n}</td></tr>",
                echapper(code),
                echapper(sev)
            );
        }
        s.push_str("</tbody></table>");
    }
    s.push_str("</section>");
}

/// The whole page. Deterministic: same extractions and files, same bytes.
pub fn index(y: &Synthese, fichiers: &[Fichier]) -> String {
    let hash = base64(&Sha256::digest(SCRIPT.as_bytes()));
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'\">\n\
         <title>{titre} — jeu de données</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <a class=\"evitement\" href=\"#contenu\">Aller au contenu</a>\n\
         <header><h1>{titre}</h1><p>Données ouvertes : témoignages de projets publics sur le cloud, \
         en CSV, Parquet et JSON.</p>\
         <nav aria-label=\"Sommaire\"><ul>\
         <li><a href=\"#jeu\">Le jeu de données</a></li><li><a href=\"#temoignages\">Les témoignages</a></li>\
         <li><a href=\"#graphiques\">Graphiques</a></li><li><a href=\"#dictionnaire\">Dictionnaire des données</a></li>\
         <li><a href=\"#fichiers\">Fichiers</a></li><li><a href=\"#sources\">Pages sources</a></li></ul></nav></header>\n\
         <main id=\"contenu\">\n",
        titre = echapper(schema::DATASET_TITLE),
    );
    section_jeu(&mut s, y);
    s.push('\n');
    section_temoignages(&mut s, y);
    s.push('\n');
    section_graphiques(&mut s, y);
    s.push('\n');
    section_dictionnaire(&mut s);
    s.push('\n');
    section_fichiers(&mut s, fichiers);
    s.push('\n');
    section_sources(&mut s, y);
    let _ = write!(
        s,
        "\n</main>\n<footer><p>{titre}, version {v}. Licence Ouverte 2.0 (Etalab). \
         Page produite par <code>temoignages build</code> à partir des mêmes données que les fichiers.</p></footer>\n\
         <script>{SCRIPT}</script>\n</body>\n</html>\n",
        titre = echapper(schema::DATASET_TITLE),
        v = echapper(schema::VERSION),
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Escaping by runs gives what escaping character by character does.
        #[test]
        fn echappement_comme_par_caractere(s in "[a&<>\"'é’ \u{0}]{0,30}", t in "(?s).{0,30}") {
            for x in [&s, &t] {
                let attendu: String = x.chars().map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                }).collect();
                proptest::prop_assert_eq!(echapper(x), attendu);
            }
        }
    }

    #[test]
    fn summary_keeps_the_first_rows_and_counts_all() {
        let mut ex = Extraction::default();
        for i in 0..LIGNES_MAX + 5 {
            ex.temoignages.push(Temoignage {
                identifiant: format!("d--t{i}"),
                fournisseurs_cloud: if i % 2 == 0 { vec!["OVHcloud".into()] } else { vec![] },
                description: Some("mot ".repeat(500)),
                ..Default::default()
            });
        }
        let y = Synthese::de(&[ex]);
        assert_eq!(y.temoignages.len(), LIGNES_MAX);
        assert_eq!(y.lignes("temoignages"), LIGNES_MAX + 5);
        assert_eq!(y.fournisseurs["OVHcloud"] + y.sans_fournisseur, (LIGNES_MAX + 5) as u64);
        assert!(y.temoignages[0].description.as_ref().unwrap().chars().count() <= APERCU + 1);
        let page = index(&y, &[]);
        assert!(page.contains(&format!("Les {LIGNES_MAX} premiers témoignages sur {}", LIGNES_MAX + 5)));
    }

    #[test]
    fn escape_covers_markup_quotes_and_ampersands() {
        assert_eq!(echapper("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(echapper(r#"a "b" 'c' & d"#), "a &quot;b&quot; &#39;c&#39; &amp; d");
        assert_eq!(echapper("&amp;"), "&amp;amp;");
        assert_eq!(echapper("é « » ’"), "é « » ’");
    }

    #[test]
    fn inline_code_is_kept_and_escaped() {
        assert_eq!(code_en_ligne("`a<b>` & `c`"), "<code>a&lt;b&gt;</code> &amp; <code>c</code>");
        assert_eq!(code_en_ligne("un ` seul <"), "un ` seul &lt;");
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    fn luminance(hex: &str) -> f64 {
        let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
        let c = |x: u32| {
            let s = f64::from(x & 255) / 255.0;
            if s <= 0.03928 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * c(v >> 16) + 0.7152 * c(v >> 8) + 0.0722 * c(v)
    }

    fn contraste(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn colours_have_enough_contrast() {
        for c in [svg::ENCRE, svg::GRIS, svg::BLEU, "#595959", "#000091"] {
            assert!(contraste(c, "#ffffff") >= 4.5, "{c}");
        }
        // Status colours are text on white and the background of white text.
        for (_, c) in svg::COULEURS_STATUTS {
            assert!(contraste(c, "#ffffff") >= 4.5, "{c}");
        }
        // Links and code on their tinted backgrounds.
        assert!(contraste("#000091", "#eeeef8") >= 4.5);
        assert!(contraste("#1e1e1e", "#f3f3f6") >= 4.5);
        assert_eq!(fields::STATUTS.len(), svg::COULEURS_STATUTS.len());
        for (s, (t, _)) in fields::STATUTS.iter().zip(svg::COULEURS_STATUTS) {
            assert_eq!(*s, t);
        }
    }
}
