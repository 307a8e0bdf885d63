//! JSON writer: one nested document, `documents` → their `temoignages` →
//! each testimonial's rows (questions_reponses, indicateurs,
//! qualifications_lignes, mentions, liens, anomalies: the rows of the
//! `qualifications` table are under `qualifications_lignes`, since
//! `qualifications` is the testimonial's own column); a document also
//! carries its links and findings that belong to no testimonial. Keys and
//! values are the tables' own (dates as `YYYY-MM-DD`, lists as arrays,
//! missing as null).

use crate::fields::{self, Table};
use crate::model::{Extraction, ParTemoignage, Row, Value};
use serde_json::{json, Map, Value as Json};
use std::io::Write;

fn value(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Texte(s) => Json::String(s.clone()),
        Value::Entier(n) => json!(n),
        // Always with a decimal point (`250000000.0`), so that readers
        // inferring types from the JSON get a float column, as in Parquet.
        Value::Nombre(n) => json!(n),
        Value::Booleen(b) => json!(b),
        Value::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
        Value::Liste(l) => json!(l),
    }
}

pub fn object(table: &Table, row: &Row) -> Map<String, Json> {
    table.fields.iter().zip(&row.0).map(|(f, v)| (f.name.to_string(), value(v))).collect()
}

/// Rows of `table` whose column `col` equals `id` (or is empty when `id` is None).
fn children(table: &'static Table, rows: &[Row], col: &str, id: Option<&str>) -> Json {
    let i = table.index(col);
    Json::Array(
        rows.iter()
            .filter(|r| match (&r.0[i], id) {
                (Value::Texte(s), Some(id)) => s == id,
                (Value::Null, None) => true,
                _ => false,
            })
            .map(|r| Json::Object(object(table, r)))
            .collect(),
    )
}

/// The whole dataset as one JSON value.
pub fn document(extractions: &[Extraction], meta: Map<String, Json>) -> Json {
    let mut root = meta;
    root.insert("documents".into(), Json::Array(extractions.iter().map(document_objet).collect()));
    Json::Object(root)
}

/// One source document with its testimonials and their rows.
pub fn document_objet(ex: &Extraction) -> Json {
    {
        let [d, t, qr, ind, qual, men, liens, anom] = ex.rows();
        let mut doc = object(&fields::DOCUMENTS, &d[0]);
        let tid = fields::TEMOIGNAGES.index("identifiant");
        let mut temoignages = Vec::new();
        for row in &t {
            let mut o = object(&fields::TEMOIGNAGES, row);
            let Value::Texte(id) = &row.0[tid] else { continue };
            let id = Some(id.as_str());
            o.insert("questions_reponses".into(), children(&fields::QUESTIONS_REPONSES, &qr, "temoignage", id));
            o.insert("indicateurs".into(), children(&fields::INDICATEURS, &ind, "temoignage", id));
            o.insert(
                cle_enfant(&fields::TEMOIGNAGES, &fields::QUALIFICATIONS).into(),
                children(&fields::QUALIFICATIONS, &qual, "temoignage", id),
            );
            o.insert("mentions".into(), children(&fields::MENTIONS, &men, "temoignage", id));
            o.insert("liens".into(), children(&fields::LIENS, &liens, "temoignage", id));
            o.insert("anomalies".into(), children(&fields::ANOMALIES, &anom, "temoignage", id));
            temoignages.push(Json::Object(o));
        }
        doc.insert("temoignages".into(), Json::Array(temoignages));
        doc.insert("liens".into(), children(&fields::LIENS, &liens, "temoignage", None));
        doc.insert("anomalies".into(), children(&fields::ANOMALIES, &anom, "temoignage", None));
        Json::Object(doc)
    }
}

/// One source document as JSON, written straight from its rows (no
/// intermediate tree): the same keys, order and values as
/// [`document_objet`] and the same bytes as serde_json's pretty printer,
/// each line prefixed by `marge`. `rows` are the extraction's rows
/// (`Extraction::rows`).
pub fn ecrire_document(rows: &[Vec<Row>; 8], marge: &[u8], out: &mut Vec<u8>) -> std::io::Result<()> {
    let [d, t, qr, ind, qual, men, liens, anom] = rows;
    let Some(d) = d.first() else { return Ok(()) };
    let tid = fields::TEMOIGNAGES.index("identifiant");
    let enfants_t = [
        ("questions_reponses", Rattaches::de(&fields::QUESTIONS_REPONSES, qr)),
        ("indicateurs", Rattaches::de(&fields::INDICATEURS, ind)),
        (cle_enfant(&fields::TEMOIGNAGES, &fields::QUALIFICATIONS), Rattaches::de(&fields::QUALIFICATIONS, qual)),
        ("mentions", Rattaches::de(&fields::MENTIONS, men)),
        ("liens", Rattaches::de(&fields::LIENS, liens)),
        ("anomalies", Rattaches::de(&fields::ANOMALIES, anom)),
    ];
    let mut j = Jolie { out, marge, niveau: 0 };
    j.out.extend_from_slice(marge);
    let doc = [
        ("temoignages", Enfant::Temoignages(t, tid, &enfants_t)),
        ("liens", Enfant::HorsTemoignage(&fields::LIENS, liens)),
        ("anomalies", Enfant::HorsTemoignage(&fields::ANOMALIES, anom)),
    ];
    j.objet(&fields::DOCUMENTS, d, &doc)
}

/// The key of a child table's rows in an object of `parent`: the table's
/// name, or, where `parent` has a column of that name, the name followed by
/// `_lignes`, so that the column keeps its value. The one case:
/// `temoignages.qualifications` (the qualifications obtained) beside the
/// rows of the `qualifications` table (`qualifications_lignes`).
pub fn cle_enfant(parent: &Table, enfant: &'static Table) -> &'static str {
    if parent.field(enfant.name).is_none() {
        return enfant.name;
    }
    match enfant.name {
        "qualifications" => "qualifications_lignes",
        autre => panic!("the column {}.{autre} has no key for its child table", parent.name),
    }
}

/// A child table's rows with their index by testimonial.
struct Rattaches<'a> {
    table: &'static Table,
    rows: &'a [Row],
    index: ParTemoignage<'a>,
}

impl<'a> Rattaches<'a> {
    fn de(table: &'static Table, rows: &'a [Row]) -> Self {
        let col = table.index("temoignage");
        let index = ParTemoignage::new(rows.iter().map(|r| match &r.0[col] {
            Value::Texte(s) => Some(s.as_str()),
            _ => None,
        }));
        Rattaches { table, rows, index }
    }
}

/// What a row object carries besides its columns.
enum Enfant<'a> {
    /// The rows of a table that belong to no testimonial (`temoignage` empty).
    HorsTemoignage(&'static Table, &'a [Row]),
    /// Rows of a table given by their indices (one testimonial's).
    Choisies(&'static Table, &'a [Row], &'a [(&'a str, usize)]),
    /// The testimonials, each with its rows of the other tables.
    Temoignages(&'a [Row], usize, &'a [(&'static str, Rattaches<'a>); 6]),
}

/// serde_json's pretty printing (two spaces a level, `": "`, empty
/// containers as `[]`/`{}`) with every new line prefixed by a margin.
struct Jolie<'a> {
    out: &'a mut Vec<u8>,
    marge: &'a [u8],
    niveau: usize,
}

impl Jolie<'_> {
    fn nouvelle_ligne(&mut self) {
        const ESPACES: &[u8; 64] = &[b' '; 64];
        self.out.push(b'\n');
        self.out.extend_from_slice(self.marge);
        let mut n = 2 * self.niveau;
        while n > 0 {
            let k = n.min(ESPACES.len());
            self.out.extend_from_slice(&ESPACES[..k]);
            n -= k;
        }
    }

    /// Before the element of a container: a comma after the first, a new line.
    fn element(&mut self, premier: &mut bool) {
        if !std::mem::take(premier) {
            self.out.push(b',');
        }
        self.nouvelle_ligne();
    }

    fn cle(&mut self, premier: &mut bool, cle: &str) {
        self.element(premier);
        chaine(self.out, cle);
        self.out.extend_from_slice(b": ");
    }

    fn ouvrir(&mut self, c: u8) {
        self.niveau += 1;
        self.out.push(c);
    }

    fn fermer(&mut self, c: u8, vide: bool) {
        self.niveau -= 1;
        if !vide {
            self.nouvelle_ligne();
        }
        self.out.push(c);
    }

    /// A row as an object: its columns, then its children (whose keys are
    /// never a column's, [`cle_enfant`]).
    fn objet(&mut self, table: &Table, row: &Row, enfants: &[(&'static str, Enfant<'_>)]) -> std::io::Result<()> {
        self.ouvrir(b'{');
        let mut premier = true;
        for (f, v) in table.fields.iter().zip(&row.0) {
            self.cle(&mut premier, f.name);
            self.valeur(v)?;
        }
        for (k, e) in enfants {
            debug_assert!(table.field(k).is_none(), "{k} is a column of {}", table.name);
            self.cle(&mut premier, k);
            self.enfant(e)?;
        }
        self.fermer(b'}', premier);
        Ok(())
    }

    fn enfant(&mut self, e: &Enfant<'_>) -> std::io::Result<()> {
        self.ouvrir(b'[');
        let mut premier = true;
        match *e {
            Enfant::HorsTemoignage(table, rows) => {
                let col = table.index("temoignage");
                for r in rows.iter().filter(|r| matches!(r.0[col], Value::Null)) {
                    self.element(&mut premier);
                    self.objet(table, r, &[])?;
                }
            }
            Enfant::Choisies(table, rows, choisies) => {
                for &(_, i) in choisies {
                    self.element(&mut premier);
                    self.objet(table, &rows[i], &[])?;
                }
            }
            Enfant::Temoignages(rows, tid, enfants) => {
                for row in rows {
                    let Value::Texte(id) = &row.0[tid] else { continue };
                    let e = enfants.each_ref().map(|(k, r)| (*k, Enfant::Choisies(r.table, r.rows, r.index.de(id))));
                    self.element(&mut premier);
                    self.objet(&fields::TEMOIGNAGES, row, &e)?;
                }
            }
        }
        self.fermer(b']', premier);
        Ok(())
    }

    fn valeur(&mut self, v: &Value) -> std::io::Result<()> {
        match v {
            Value::Null => self.out.extend_from_slice(b"null"),
            Value::Texte(t) => chaine(self.out, t),
            Value::Entier(n) => write!(self.out, "{n}")?,
            // As in the CSV (a dot decimal, never an exponent), with `.0`
            // on a whole number, so that pandas, polars or DuckDB reading
            // the JSON get a float column, as in Parquet, not an integer one
            // that a first fractional value would change; null when not
            // finite, as serde_json writes it.
            Value::Nombre(n) if n.is_finite() => {
                let texte = super::format_nombre(*n);
                self.out.extend_from_slice(texte.as_bytes());
                if !texte.contains('.') {
                    self.out.extend_from_slice(b".0");
                }
            }
            Value::Nombre(_) => self.out.extend_from_slice(b"null"),
            Value::Booleen(b) => self.out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Date(d) => write!(self.out, "\"{}\"", d.format("%Y-%m-%d"))?,
            Value::Liste(l) => {
                self.ouvrir(b'[');
                let mut premier = true;
                for s in l {
                    self.element(&mut premier);
                    chaine(self.out, s);
                }
                self.fermer(b']', premier);
            }
        }
        Ok(())
    }
}

/// A JSON string as serde_json writes it: `"` and `\\` escaped, control
/// characters as `\n`, `\t`… or `\u00XX`, everything else as is. The
/// bytes to escape are looked for by blocks (vectorised).
fn chaine(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let special = |c: &u8| *c < 0x20 || *c == b'"' || *c == b'\\';
    out.push(b'"');
    let mut debut = 0;
    let mut i = 0;
    while i < b.len() {
        let bloc = &b[i..(i + 32).min(b.len())];
        if !bloc.iter().fold(false, |vu, c| vu | special(c)) {
            i += bloc.len();
            continue;
        }
        let fin = i + bloc.len();
        while i < fin {
            let c = b[i];
            if special(&c) {
                out.extend_from_slice(&b[debut..i]);
                match c {
                    b'"' => out.extend_from_slice(b"\\\""),
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    0x08 => out.extend_from_slice(b"\\b"),
                    0x0c => out.extend_from_slice(b"\\f"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    _ => {
                        const HEX: &[u8; 16] = b"0123456789abcdef";
                        out.extend_from_slice(b"\\u00");
                        out.push(HEX[usize::from(c >> 4)]);
                        out.push(HEX[usize::from(c & 0xf)]);
                    }
                }
                debut = i + 1;
            }
            i += 1;
        }
    }
    out.extend_from_slice(&b[debut..]);
    out.push(b'"');
}

pub fn write<W: Write>(doc: &Json, mut out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, doc)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests_flux {
    use super::*;

    proptest::proptest! {
        /// Strings are escaped as serde_json escapes them.
        #[test]
        fn chaines_comme_serde_json(s in "(?s).{0,80}", t in "[a\"\\\\\u{0}-\u{1f}\u{7f}é’]{0,40}") {
            for x in [&s, &t] {
                let mut out = Vec::new();
                chaine(&mut out, x);
                proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(x).unwrap());
            }
        }
    }

    /// Figures are written as in the CSV: no `.0`, never an exponent.
    #[test]
    fn nombres_comme_dans_le_csv_avec_un_point() {
        let t = &fields::INDICATEURS;
        for (n, attendu) in
            [(100000.0, "100000.0"), (1e16, "10000000000000000.0"), (0.5, "0.5"), (2.5e-3, "0.0025"), (0.0, "0.0")]
        {
            let mut row = vec![Value::Null; t.fields.len()];
            row[t.index("valeur")] = Value::Nombre(n);
            let mut out = Vec::new();
            let mut j = Jolie { out: &mut out, marge: b"", niveau: 0 };
            j.valeur(&row[t.index("valeur")]).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), attendu);
            assert_eq!(super::super::format_nombre(n), attendu.trim_end_matches(".0"));
        }
    }

    /// The streamed JSON is the tree's JSON, byte for byte, on the seed.
    #[test]
    fn flux_egal_arbre() {
        let seed = include_str!("../../input/pages/2024-07-03-cloud-temoignages.md");
        let refs = crate::normalise::Referentiels::embarques();
        let entree = crate::read::Entree {
            relatif: "pages/2024-07-03-cloud-temoignages.md".into(),
            chemin: "pages/2024-07-03-cloud-temoignages.md".into(),
            url: None,
        };
        let lu = crate::read::Lu { octets: seed.as_bytes().to_vec(), type_contenu: None };
        let ex = crate::cmd::build::extraire_page(&entree, &lu, "2024-07-03-cloud-temoignages", Vec::new(), &refs);
        let arbre = serde_json::to_string_pretty(&document_objet(&ex)).unwrap();
        let mut flux = Vec::new();
        ecrire_document(&ex.rows(), b"", &mut flux).unwrap();
        assert!(ex.temoignages.len() == 10 && !ex.qualifications.is_empty());
        assert_eq!(String::from_utf8(flux).unwrap(), arbre);
    }
}
