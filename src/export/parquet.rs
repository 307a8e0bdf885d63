//! Parquet writer: one Arrow column per catalogue column with its real type
//! (utf8, int64, float64, bool, date32, list<utf8>), zstd compression and
//! page statistics. The codec is chosen here and nowhere else: parquet only
//! checks codec features at run time (and panics), so `Cargo.toml` enables
//! exactly `zstd` and a test writes a file.

use crate::fields::{Kind, Table};
use crate::model::{Row, Value};
use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
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

/// One column of a record batch being filled, row by row.
enum Colonne {
    Texte(StringBuilder),
    Entier(Int64Builder),
    Nombre(Float64Builder),
    Booleen(BooleanBuilder),
    Date(Date32Builder),
    Liste(ListBuilder<StringBuilder>),
}

/// The rows of a table on their way to its next record batch, column by
/// column. A page's rows are copied in when the page is written, right
/// after its text was rendered from them (still in cache), and can be
/// freed at once instead of waiting for the batch. Each column starts at
/// the size it reached for the batch before (pages of a corpus are alike),
/// which spares the copies of growing.
pub struct Lot {
    table: &'static Table,
    colonnes: Vec<Colonne>,
    lignes: usize,
}

impl Lot {
    pub fn new(table: &'static Table) -> Lot {
        Lot { table, colonnes: Self::colonnes(table, &vec![(0, 0, 0); table.fields.len()]), lignes: 0 }
    }

    fn colonnes(table: &Table, tailles: &[(usize, usize, usize)]) -> Vec<Colonne> {
        table
            .fields
            .iter()
            .zip(tailles)
            .map(|(f, &(n, octets, items))| match f.kind {
                Kind::Texte => Colonne::Texte(StringBuilder::with_capacity(n, octets)),
                Kind::Entier => Colonne::Entier(Int64Builder::with_capacity(n)),
                Kind::Nombre => Colonne::Nombre(Float64Builder::with_capacity(n)),
                Kind::Booleen => Colonne::Booleen(BooleanBuilder::with_capacity(n)),
                Kind::Date => Colonne::Date(Date32Builder::with_capacity(n)),
                Kind::Liste => {
                    Colonne::Liste(ListBuilder::with_capacity(StringBuilder::with_capacity(items, octets), n))
                }
            })
            .collect()
    }

    /// Rows waiting for the next batch.
    pub fn lignes(&self) -> usize {
        self.lignes
    }

    /// Appends rows of the table (a cell of another type than its column's
    /// is written as null, as `write` always did).
    pub fn ajouter(&mut self, rows: &[Row]) {
        for (i, colonne) in self.colonnes.iter_mut().enumerate() {
            let cells = rows.iter().map(|r| &r.0[i]);
            match colonne {
                Colonne::Texte(b) => {
                    cells.for_each(|v| b.append_option(if let Value::Texte(s) = v { Some(s.as_str()) } else { None }))
                }
                Colonne::Entier(b) => {
                    cells.for_each(|v| b.append_option(if let Value::Entier(n) = v { Some(*n) } else { None }))
                }
                Colonne::Nombre(b) => {
                    cells.for_each(|v| b.append_option(if let Value::Nombre(n) = v { Some(*n) } else { None }))
                }
                Colonne::Booleen(b) => {
                    cells.for_each(|v| b.append_option(if let Value::Booleen(x) = v { Some(*x) } else { None }))
                }
                Colonne::Date(b) => cells.for_each(|v| {
                    b.append_option(if let Value::Date(d) = v { Some((*d - epoch()).num_days() as i32) } else { None })
                }),
                Colonne::Liste(b) => {
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
                }
            }
        }
        self.lignes += rows.len();
    }

    /// Writes the rows appended since the last batch to an open writer as
    /// one record batch. The columns then start again empty, at the sizes
    /// this batch reached (made after the write, so that the batch and the
    /// next columns are not held at once).
    pub fn ecrire<W: Write + Send>(&mut self, w: &mut ArrowWriter<W>) -> parquet::errors::Result<()> {
        // Per column: values of this batch, bytes of its text and, for a
        // list, its items.
        let tailles: Vec<(usize, usize, usize)> = self
            .colonnes
            .iter()
            .map(|c| match c {
                Colonne::Texte(b) => (b.len(), b.values_slice().len(), 0),
                Colonne::Liste(b) => (b.len(), b.values_ref().values_slice().len(), b.values_ref().len()),
                Colonne::Entier(b) => (b.len(), 0, 0),
                Colonne::Nombre(b) => (b.len(), 0, 0),
                Colonne::Booleen(b) => (b.len(), 0, 0),
                Colonne::Date(b) => (b.len(), 0, 0),
            })
            .collect();
        let columns: Vec<ArrayRef> = std::mem::take(&mut self.colonnes)
            .into_iter()
            .map(|c| -> ArrayRef {
                match c {
                    Colonne::Texte(mut b) => Arc::new(b.finish()),
                    Colonne::Entier(mut b) => Arc::new(b.finish()),
                    Colonne::Nombre(mut b) => Arc::new(b.finish()),
                    Colonne::Booleen(mut b) => Arc::new(b.finish()),
                    Colonne::Date(mut b) => Arc::new(b.finish()),
                    Colonne::Liste(mut b) => Arc::new(b.finish()),
                }
            })
            .collect();
        self.lignes = 0;
        let batch = RecordBatch::try_new(Arc::new(arrow_schema(self.table)), columns)
            .map_err(|e| parquet::errors::ParquetError::General(e.to_string()));
        let ecrit = batch.and_then(|b| w.write(&b));
        self.colonnes = Self::colonnes(self.table, &tailles);
        ecrit
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

pub fn write<W: Write + Send>(table: &'static Table, rows: &[Row], out: W) -> parquet::errors::Result<()> {
    let mut w = ArrowWriter::try_new(out, Arc::new(arrow_schema(table)), Some(properties()))?;
    if !rows.is_empty() {
        let mut lot = Lot::new(table);
        lot.ajouter(rows);
        lot.ecrire(&mut w)?;
    }
    w.close()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::TEMOIGNAGES;
    use crate::model::Temoignage;
    use arrow_array::{Array, Date32Array, Int64Array, ListArray, StringArray};
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

    /// Batches written one after the other from the same `Lot` (the second
    /// one starting at the first one's sizes, then growing) read back as the
    /// rows, in order, nulls and empty lists included.
    #[test]
    fn lots_successifs_relus_comme_les_lignes() {
        let t = |i: i64, fournisseurs: &[&str], date: Option<NaiveDate>| Temoignage {
            identifiant: format!("d--t{i}"),
            document: "d".into(),
            rang: i,
            titre: "T".repeat(i as usize * 40),
            sigle: (i % 2 == 0).then(|| format!("S{i}")),
            fournisseurs_cloud: fournisseurs.iter().map(|s| s.to_string()).collect(),
            date_publication: date,
            ..Default::default()
        };
        let d = NaiveDate::from_ymd_opt(2024, 7, 3);
        let lignes: Vec<Row> = [
            t(1, &["OVHcloud"], d),
            t(2, &[], None),
            t(3, &["Scaleway", "Outscale", "OVHcloud"], d),
            t(4, &["Scaleway"], None),
            t(5, &[], d),
        ]
        .iter()
        .map(Temoignage::row)
        .collect();
        let mut buf = Vec::new();
        let mut w = ArrowWriter::try_new(&mut buf, Arc::new(arrow_schema(&TEMOIGNAGES)), Some(properties())).unwrap();
        let mut lot = Lot::new(&TEMOIGNAGES);
        lot.ajouter(&lignes[..1]);
        lot.ajouter(&lignes[1..2]);
        assert_eq!(lot.lignes(), 2);
        lot.ecrire(&mut w).unwrap();
        assert_eq!(lot.lignes(), 0);
        lot.ajouter(&lignes[2..]);
        lot.ecrire(&mut w).unwrap();
        w.close().unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(buf)).unwrap().with_batch_size(64);
        let schema = reader.schema().clone();
        let tout = reader.build().unwrap().next().unwrap().unwrap();
        assert_eq!(tout.num_rows(), 5);
        let col = |nom: &str| tout.column(schema.index_of(nom).unwrap()).clone();
        let ids = col("identifiant");
        let ids = ids.as_any().downcast_ref::<StringArray>().unwrap();
        let titres = col("titre");
        let titres = titres.as_any().downcast_ref::<StringArray>().unwrap();
        let sigles = col("sigle");
        let sigles = sigles.as_any().downcast_ref::<StringArray>().unwrap();
        let rangs = col("rang");
        let rangs = rangs.as_any().downcast_ref::<Int64Array>().unwrap();
        let dates = col("date_publication");
        let dates = dates.as_any().downcast_ref::<Date32Array>().unwrap();
        let listes = col("fournisseurs_cloud");
        let listes = listes.as_any().downcast_ref::<ListArray>().unwrap();
        for i in 0..5 {
            let n = i as i64 + 1;
            assert_eq!(ids.value(i), format!("d--t{n}"));
            assert_eq!(titres.value(i), "T".repeat(n as usize * 40));
            assert_eq!(sigles.is_null(i), n % 2 == 1);
            assert_eq!(rangs.value(i), n);
            assert_eq!(dates.is_null(i), n % 2 == 0);
            let l = listes.value(i);
            let l = l.as_any().downcast_ref::<StringArray>().unwrap();
            let attendu: &[&str] = match n {
                1 => &["OVHcloud"],
                3 => &["Scaleway", "Outscale", "OVHcloud"],
                4 => &["Scaleway"],
                _ => &[],
            };
            assert_eq!(l.iter().map(Option::unwrap).collect::<Vec<_>>(), attendu);
        }
    }
}
