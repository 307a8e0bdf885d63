//! CSV writer: UTF-8 without BOM, comma, `"` quoting when needed, one header
//! row from the catalogue, `\n` line ends, empty cell for a missing value,
//! list cells joined with `;`.

use super::cellule;
use crate::fields::Table;
use crate::model::Row;
use std::io::Write;

pub fn write<W: Write>(table: &Table, rows: &[Row], out: W) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    w.write_record(table.fields.iter().map(|f| f.name))?;
    for row in rows {
        w.write_record(row.0.iter().map(cellule))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::QUESTIONS_REPONSES;
    use crate::model::{QuestionReponse, Row};

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
}
