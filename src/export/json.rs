//! JSON writer: one nested document, `documents` → their `temoignages` →
//! each testimonial's rows (questions_reponses, indicateurs, qualifications,
//! mentions, liens, anomalies); a document also carries its links and
//! findings that belong to no testimonial. Keys and values are the tables'
//! own (dates as `YYYY-MM-DD`, lists as arrays, missing as null).

use crate::fields::{self, Table};
use crate::model::{Extraction, Row, Value};
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

pub fn write<W: Write>(doc: &Json, mut out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, doc)?;
    out.write_all(b"\n")
}
