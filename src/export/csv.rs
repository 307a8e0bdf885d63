//! CSV writer: UTF-8 without BOM, comma, `"` quoting when needed, one header
//! row from the catalogue, `\n` line ends, empty cell for a missing value,
//! list cells joined with `;`.
//!
//! Written by hand for speed, byte for byte what the `csv` crate writes with
//! `QuoteStyle::Necessary` and a `\n` terminator (a cell is quoted when it
//! holds `,`, `"`, `\r` or `\n`; quotes inside are doubled), which the tests
//! check on arbitrary rows.

use crate::fields::Table;
use crate::model::{Row, Value};
use std::io::{self, Write};

/// Writes CSV records to `W`, one row at a time.
pub struct Ecrivain<W: Write> {
    out: W,
    ligne: Vec<u8>,
}

impl<W: Write> Ecrivain<W> {
    /// A writer whose first record is the header of `table`.
    pub fn new(table: &Table, out: W) -> io::Result<Self> {
        let mut e = Ecrivain { out, ligne: Vec::with_capacity(1024) };
        for (i, f) in table.fields.iter().enumerate() {
            if i > 0 {
                e.ligne.push(b',');
            }
            champ(&mut e.ligne, f.name.as_bytes());
        }
        e.ligne.push(b'\n');
        e.out.write_all(&e.ligne)?;
        Ok(e)
    }

    /// Writes one row.
    pub fn ecrire(&mut self, row: &Row) -> io::Result<()> {
        self.ligne.clear();
        enregistrement(&mut self.ligne, row);
        self.out.write_all(&self.ligne)
    }

    /// Writes records already encoded by [`enregistrement`].
    pub fn ecrire_encodes(&mut self, octets: &[u8]) -> io::Result<()> {
        self.out.write_all(octets)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

/// Appends one CSV record (`row`'s cells and the line end) to `buf`: what
/// [`Ecrivain::ecrire`] writes, for rows encoded away from the writer.
pub fn enregistrement(buf: &mut Vec<u8>, row: &Row) {
    for (i, v) in row.0.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        cellule(buf, v);
    }
    buf.push(b'\n');
}

/// Appends one cell: the text of [`super::cell_text`], quoted when needed.
fn cellule(buf: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => {}
        Value::Texte(s) => champ(buf, s.as_bytes()),
        Value::Entier(n) => buf.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
        Value::Booleen(b) => buf.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Liste(l) => {
            if l.iter().any(|s| a_guillemeter(s.as_bytes())) {
                buf.push(b'"');
                for (i, s) in l.iter().enumerate() {
                    if i > 0 {
                        buf.push(b';');
                    }
                    echapper(buf, s.as_bytes());
                }
                buf.push(b'"');
            } else {
                for (i, s) in l.iter().enumerate() {
                    if i > 0 {
                        buf.push(b';');
                    }
                    buf.extend_from_slice(s.as_bytes());
                }
            }
        }
        // Dates and numbers are never quoted; their text comes from the one
        // formatting function every format shares.
        v => buf.extend_from_slice(super::cell_text(v).unwrap_or_default().as_bytes()),
    }
}

/// Whether a cell must be quoted.
fn a_guillemeter(s: &[u8]) -> bool {
    memchr::memchr3(b',', b'"', b'\n', s).is_some() || memchr::memchr(b'\r', s).is_some()
}

/// Appends a cell, quoted when needed.
fn champ(buf: &mut Vec<u8>, s: &[u8]) {
    if a_guillemeter(s) {
        buf.push(b'"');
        echapper(buf, s);
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s);
    }
}

/// Appends `s` with its quotes doubled.
fn echapper(buf: &mut Vec<u8>, mut s: &[u8]) {
    while let Some(i) = memchr::memchr(b'"', s) {
        buf.extend_from_slice(&s[..=i]);
        buf.push(b'"');
        s = &s[i + 1..];
    }
    buf.extend_from_slice(s);
}

/// Writes a whole table: header, then `rows`.
pub fn write<W: Write>(table: &Table, rows: &[Row], out: W) -> io::Result<()> {
    let mut w = Ecrivain::new(table, out)?;
    for row in rows {
        w.ecrire(row)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{Kind, QUESTIONS_REPONSES, TABLES};
    use crate::model::{QuestionReponse, Row};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    #[test]
    fn header_quotes_and_empty_cells() {
        let rows: Vec<Row> = vec![QuestionReponse {
            temoignage: "d--t".into(),
            rang: 1,
            question: "Quoi, \"donc\" ?".into(),
            theme: "autre",
            reponse: None,
        }
        .row()];
        let mut buf = Vec::new();
        write(&QUESTIONS_REPONSES, &rows, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "temoignage,rang,question,theme,reponse\nd--t,1,\"Quoi, \"\"donc\"\" ?\",autre,\n"
        );
    }

    /// What the `csv` crate writes for the same rows.
    fn par_le_crate_csv(table: &Table, rows: &[Row]) -> Vec<u8> {
        let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        w.write_record(table.fields.iter().map(|f| f.name)).unwrap();
        for row in rows {
            w.write_record(row.0.iter().map(|v| super::super::cell_text(v).unwrap_or_default())).unwrap();
        }
        w.into_inner().unwrap()
    }

    fn texte() -> impl Strategy<Value = String> {
        // Short strings dense in the bytes that matter, and longer ones.
        prop_oneof![
            proptest::string::string_regex("[a,\"\r\n; é\t]{0,12}").unwrap(),
            proptest::string::string_regex("(.|\n|\r){0,300}").unwrap(),
        ]
    }

    fn valeur(kind: Kind) -> BoxedStrategy<Value> {
        let v = match kind {
            Kind::Texte => texte().prop_map(Value::Texte).boxed(),
            Kind::Entier => any::<i64>().prop_map(Value::Entier).boxed(),
            Kind::Nombre => prop_oneof![any::<f64>(), -1e9f64..1e9].prop_map(Value::Nombre).boxed(),
            Kind::Booleen => any::<bool>().prop_map(Value::Booleen).boxed(),
            Kind::Date => (-400_000i32..400_000)
                .prop_map(|j| Value::Date(NaiveDate::from_num_days_from_ce_opt(j).unwrap()))
                .boxed(),
            Kind::Liste => proptest::collection::vec(texte(), 0..4).prop_map(Value::Liste).boxed(),
        };
        prop_oneof![1 => Just(Value::Null), 4 => v].boxed()
    }

    fn lignes() -> impl Strategy<Value = (usize, Vec<Row>)> {
        (0..TABLES.len()).prop_flat_map(|t| {
            let ligne: Vec<BoxedStrategy<Value>> = TABLES[t].fields.iter().map(|f| valeur(f.kind)).collect();
            (Just(t), proptest::collection::vec(ligne.prop_map(Row), 0..6))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn comme_le_crate_csv((t, rows) in lignes()) {
            let table = TABLES[t];
            let mut nous = Vec::new();
            write(table, &rows, &mut nous).unwrap();
            let attendu = par_le_crate_csv(table, &rows);
            prop_assert_eq!(String::from_utf8_lossy(&nous), String::from_utf8_lossy(&attendu));
        }
    }
}
