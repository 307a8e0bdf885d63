//! JSON writer: one nested document, `documents` → their `temoignages` →
//! each testimonial's rows (questions_reponses, indicateurs, qualifications,
//! mentions, liens, anomalies); a document also carries its links and
//! findings that belong to no testimonial. Keys and values are the tables'
//! own (dates as `YYYY-MM-DD`, lists as arrays, missing as null).

use crate::fields::{self, Table};
use crate::model::{Extraction, Row, Value};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{json, Map, Value as Json};
use std::io::Write;

fn value(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Texte(s) => Json::String(s.clone()),
        Value::Entier(n) => json!(n),
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
            o.insert("qualifications".into(), children(&fields::QUALIFICATIONS, &qual, "temoignage", id));
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
/// [`document_objet`], pretty-printed, each line prefixed by `marge`.
/// `rows` are the extraction's rows (`Extraction::rows`).
pub fn ecrire_document(rows: &[Vec<Row>; 8], marge: &[u8], out: &mut Vec<u8>) -> serde_json::Result<()> {
    let [d, t, qr, ind, qual, men, liens, anom] = rows;
    let Some(d) = d.first() else { return Ok(()) };
    let tid = fields::TEMOIGNAGES.index("identifiant");
    let temoignages = Temoignages { rows: t, tid, enfants: [qr, ind, qual, men, liens, anom] };
    let doc = Objet {
        table: &fields::DOCUMENTS,
        row: d,
        enfants: vec![
            ("temoignages", Enfant::Temoignages(temoignages)),
            ("liens", Enfant::Lignes(Lignes::de(&fields::LIENS, liens, None))),
            ("anomalies", Enfant::Lignes(Lignes::de(&fields::ANOMALIES, anom, None))),
        ],
    };
    // serde_json's pretty printing, started `marge` deep: every line of the
    // document comes out already indented, in one pass.
    out.extend_from_slice(marge);
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, Retrait { marge, niveau: 0, a_valeur: false });
    doc.serialize(&mut ser)
}

/// `serde_json::ser::PrettyFormatter` (two spaces a level) with every new
/// line prefixed by a margin.
struct Retrait<'a> {
    marge: &'a [u8],
    niveau: usize,
    a_valeur: bool,
}

impl Retrait<'_> {
    fn nouvelle_ligne<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        const ESPACES: &[u8; 64] = &[b' '; 64];
        w.write_all(b"\n")?;
        w.write_all(self.marge)?;
        let mut n = 2 * self.niveau;
        while n > 0 {
            let k = n.min(ESPACES.len());
            w.write_all(&ESPACES[..k])?;
            n -= k;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Retrait<'_> {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.niveau += 1;
        self.a_valeur = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.niveau -= 1;
        if self.a_valeur {
            self.nouvelle_ligne(w)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, premier: bool) -> std::io::Result<()> {
        if !premier {
            w.write_all(b",")?;
        }
        self.nouvelle_ligne(w)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.a_valeur = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.niveau += 1;
        self.a_valeur = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.niveau -= 1;
        if self.a_valeur {
            self.nouvelle_ligne(w)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, premier: bool) -> std::io::Result<()> {
        if !premier {
            w.write_all(b",")?;
        }
        self.nouvelle_ligne(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.a_valeur = true;
        Ok(())
    }
}

struct Cellule<'a>(&'a Value);

impl Serialize for Cellule<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Texte(t) => s.serialize_str(t),
            Value::Entier(n) => s.serialize_i64(*n),
            Value::Nombre(n) => s.serialize_f64(*n),
            Value::Booleen(b) => s.serialize_bool(*b),
            Value::Date(d) => s.collect_str(&d.format("%Y-%m-%d")),
            Value::Liste(l) => l.serialize(s),
        }
    }
}

/// A row as an object; a child of the same name as a column takes the
/// column's place (as `Map::insert` does), other children follow.
struct Objet<'a> {
    table: &'static Table,
    row: &'a Row,
    enfants: Vec<(&'static str, Enfant<'a>)>,
}

impl Serialize for Objet<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if self.enfants.is_empty() {
            for (f, v) in self.table.fields.iter().zip(&self.row.0) {
                m.serialize_entry(f.name, &Cellule(v))?;
            }
            return m.end();
        }
        for (f, v) in self.table.fields.iter().zip(&self.row.0) {
            match self.enfants.iter().find(|(k, _)| *k == f.name) {
                Some((k, e)) => m.serialize_entry(k, e)?,
                None => m.serialize_entry(f.name, &Cellule(v))?,
            }
        }
        for (k, e) in &self.enfants {
            if !self.table.fields.iter().any(|f| f.name == *k) {
                m.serialize_entry(k, e)?;
            }
        }
        m.end()
    }
}

enum Enfant<'a> {
    Lignes(Lignes<'a>),
    Temoignages(Temoignages<'a>),
}

impl Serialize for Enfant<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Enfant::Lignes(l) => l.serialize(s),
            Enfant::Temoignages(t) => t.serialize(s),
        }
    }
}

/// The rows of `table` whose column `temoignage` is `id` (or empty for None).
struct Lignes<'a> {
    table: &'static Table,
    rows: &'a [Row],
    col: usize,
    id: Option<&'a str>,
}

impl<'a> Lignes<'a> {
    fn de(table: &'static Table, rows: &'a [Row], id: Option<&'a str>) -> Self {
        Lignes { table, rows, col: table.index("temoignage"), id }
    }
}

impl Serialize for Lignes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for r in self.rows.iter().filter(|r| match (&r.0[self.col], self.id) {
            (Value::Texte(s), Some(id)) => s == id,
            (Value::Null, None) => true,
            _ => false,
        }) {
            seq.serialize_element(&Objet { table: self.table, row: r, enfants: Vec::new() })?;
        }
        seq.end()
    }
}

/// The testimonials, each with its rows of the other tables.
struct Temoignages<'a> {
    rows: &'a [Row],
    tid: usize,
    enfants: [&'a [Row]; 6],
}

impl Serialize for Temoignages<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let [qr, ind, qual, men, liens, anom] = self.enfants;
        let mut seq = s.serialize_seq(None)?;
        for row in self.rows {
            let Value::Texte(id) = &row.0[self.tid] else { continue };
            let id = Some(id.as_str());
            let enfants = vec![
                ("questions_reponses", Enfant::Lignes(Lignes::de(&fields::QUESTIONS_REPONSES, qr, id))),
                ("indicateurs", Enfant::Lignes(Lignes::de(&fields::INDICATEURS, ind, id))),
                ("qualifications", Enfant::Lignes(Lignes::de(&fields::QUALIFICATIONS, qual, id))),
                ("mentions", Enfant::Lignes(Lignes::de(&fields::MENTIONS, men, id))),
                ("liens", Enfant::Lignes(Lignes::de(&fields::LIENS, liens, id))),
                ("anomalies", Enfant::Lignes(Lignes::de(&fields::ANOMALIES, anom, id))),
            ];
            seq.serialize_element(&Objet { table: &fields::TEMOIGNAGES, row, enfants })?;
        }
        seq.end()
    }
}

pub fn write<W: Write>(doc: &Json, mut out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, doc)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests_flux {
    use super::*;

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
