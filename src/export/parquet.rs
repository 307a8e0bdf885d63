//! Parquet writer: one Arrow column per catalogue column with its real type
//! (utf8, int64, float64, bool, date32, list<utf8>), zstd compression and
//! page statistics. The codec is chosen here and nowhere else: parquet only
//! checks codec features at run time (and panics), so `Cargo.toml` enables
//! exactly `zstd` and a test writes a file.

use crate::fields::{Kind, Table};
use crate::model::{Row, Value};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterPropertiesBuilder};
use std::io::Write;
use std::sync::Arc;

/// The Arrow type of a catalogue column.
pub fn arrow_type(kind: Kind) -> DataType {
    match kind {
        Kind::Texte => DataType::Utf8,
        Kind::Entier => DataType::Int64,
        Kind::Nombre => DataType::Float64,
        Kind::Booleen => DataType::Boolean,
        Kind::Date => DataType::Date32,
        Kind::Liste => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
    }
}

pub fn arrow_schema(table: &Table) -> Schema {
    Schema::new(table.fields.iter().map(|f| Field::new(f.name, arrow_type(f.kind), !f.required)).collect::<Vec<_>>())
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
}

/// Column `i` of the rows of `parts`, one after the other.
fn column<'a>(kind: Kind, parts: &[&'a [Row]], i: usize) -> ArrayRef {
    let n: usize = parts.iter().map(|p| p.len()).sum();
    let cells = parts.iter().flat_map(|p| p.iter()).map(|r| &r.0[i]);
    match kind {
        Kind::Texte => {
            // Sized once: collecting into a StringArray grows its buffers as it goes.
            let texte = |v: &'a Value| if let Value::Texte(s) = v { Some(s.as_str()) } else { None };
            let octets = cells.clone().filter_map(texte).map(str::len).sum();
            let mut b = StringBuilder::with_capacity(n, octets);
            cells.for_each(|v| b.append_option(texte(v)));
            Arc::new(b.finish())
        }
        Kind::Entier => {
            Arc::new(cells.map(|v| if let Value::Entier(n) = v { Some(*n) } else { None }).collect::<Int64Array>())
        }
        Kind::Nombre => {
            Arc::new(cells.map(|v| if let Value::Nombre(n) = v { Some(*n) } else { None }).collect::<Float64Array>())
        }
        Kind::Booleen => {
            Arc::new(cells.map(|v| if let Value::Booleen(b) = v { Some(*b) } else { None }).collect::<BooleanArray>())
        }
        Kind::Date => Arc::new(
            cells
                .map(|v| if let Value::Date(d) = v { Some((*d - epoch()).num_days() as i32) } else { None })
                .collect::<Date32Array>(),
        ),
        Kind::Liste => {
            let (n_valeurs, octets) = cells.clone().fold((0, 0), |(n, o), v| match v {
                Value::Liste(l) => (n + l.len(), o + l.iter().map(String::len).sum::<usize>()),
                _ => (n, o),
            });
            let mut b = ListBuilder::with_capacity(StringBuilder::with_capacity(n_valeurs, octets), n);
            for v in cells {
                match v {
                    Value::Liste(l) => {
                        for s in l {
                            b.values().append_value(s);
                        }
                        b.append(true);
                    }
                    _ => b.append(false),
                }
            }
            Arc::new(b.finish())
        }
    }
}

pub fn properties_builder() -> WriterPropertiesBuilder {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_statistics_enabled(EnabledStatistics::Page)
}

pub fn properties() -> WriterProperties {
    properties_builder().build()
}

/// Appends the rows of `parts`, one after the other, to an open writer as
/// one record batch.
pub fn ecrire_lot<W: Write + Send>(
    table: &Table,
    parts: &[&[Row]],
    w: &mut ArrowWriter<W>,
) -> parquet::errors::Result<()> {
    let schema = Arc::new(arrow_schema(table));
    let columns = table.fields.iter().enumerate().map(|(i, f)| column(f.kind, parts, i)).collect::<Vec<_>>();
    let batch =
        RecordBatch::try_new(schema, columns).map_err(|e| parquet::errors::ParquetError::General(e.to_string()))?;
    w.write(&batch)
}

pub fn write<W: Write + Send>(table: &Table, rows: &[Row], out: W) -> parquet::errors::Result<()> {
    let schema = Arc::new(arrow_schema(table));
    let mut w = ArrowWriter::try_new(out, schema.clone(), Some(properties()))?;
    if !rows.is_empty() {
        let columns = table.fields.iter().enumerate().map(|(i, f)| column(f.kind, &[rows], i)).collect::<Vec<_>>();
        let batch =
            RecordBatch::try_new(schema, columns).map_err(|e| parquet::errors::ParquetError::General(e.to_string()))?;
        w.write(&batch)?;
    }
    w.close()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::TEMOIGNAGES;
    use crate::model::Temoignage;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    #[test]
    fn writes_typed_zstd_file_that_reads_back() {
        let t = Temoignage {
            identifiant: "d--t".into(),
            document: "d".into(),
            rang: 1,
            titre: "T".into(),
            fournisseurs_cloud: vec!["OVHcloud".into()],
            date_publication: NaiveDate::from_ymd_opt(2024, 7, 3),
            ..Default::default()
        };
        let mut buf = Vec::new();
        write(&TEMOIGNAGES, &[t.row()], &mut buf).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(buf)).unwrap();
        let meta = reader.metadata().clone();
        assert_eq!(meta.file_metadata().num_rows(), 1);
        assert_eq!(meta.row_group(0).column(0).compression(), Compression::ZSTD(ZstdLevel::default()));
        assert!(meta.row_group(0).column(0).statistics().is_some());
        let schema = reader.schema().clone();
        assert_eq!(schema.field_with_name("date_publication").unwrap().data_type(), &DataType::Date32);
        let batch = reader.build().unwrap().next().unwrap().unwrap();
        let days = batch
            .column(schema.index_of("date_publication").unwrap())
            .as_any()
            .downcast_ref::<Date32Array>()
            .unwrap()
            .value(0);
        assert_eq!(days, 19907);
    }
}
