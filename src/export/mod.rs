//! Export: records → files. One writer per format (CSV, Parquet, JSON), the
//! Table Schemas and the `datapackage.json` that describes them, all derived
//! from the column catalogue (`fields`). Writers take `impl Write`, so tests
//! use buffers; `cmd::build` decides where the bytes go.

pub mod csv;
pub mod documentation;
pub mod dossier;
pub mod json;
pub mod page;
pub mod parquet;
pub mod schema;
pub mod svg;

use crate::model::Value;

/// A number the way SPEC.md wants it in CSV: dot decimal, no thousands
/// separator, no exponent, no trailing `.0` (Rust's `Display` for f64 never
/// uses an exponent).
pub fn format_nombre(n: f64) -> String {
    if n == 0.0 {
        return "0".into();
    }
    format!("{n}")
}

/// A cell as CSV text; `None` for a missing value (an empty cell).
pub fn cell_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Texte(s) => Some(s.clone()),
        Value::Entier(n) => Some(n.to_string()),
        Value::Nombre(n) => Some(format_nombre(*n)),
        Value::Booleen(b) => Some(b.to_string()),
        Value::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
        Value::Liste(l) => Some(l.join(";")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_never_use_exponents() {
        assert_eq!(format_nombre(250_000_000.0), "250000000");
        assert_eq!(format_nombre(2e12), "2000000000000");
        assert_eq!(format_nombre(1.2e21), "1200000000000000000000");
        assert_eq!(format_nombre(0.5), "0.5");
        assert_eq!(format_nombre(-0.0), "0");
    }
}
