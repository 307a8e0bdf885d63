//! `temoignages` turns French public-sector pages carrying project
//! testimonials into an open dataset. The data walks one way:
//! `read` finds and decodes the pages; `parse` splits the front matter and
//! walks the HTML (Markdown rendered first) into raw accordion items;
//! `normalise` turns them into records with stable identifiers, resolved
//! organisations, qualifications, providers, technologies and quantities;
//! `export` writes CSV, Parquet, JSON, Table Schemas and `datapackage.json`
//! from the column catalogue in `fields`; `validate` checks a written folder
//! the way users' tools would. `cmd` glues them into commands.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod empreinte;
pub mod export;
pub mod fields;
pub mod model;
pub mod normalise;
pub mod parse;
pub mod publish;
pub mod read;
pub mod validate;
