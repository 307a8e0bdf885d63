//! Parse: a source page's bytes → its front matter and raw testimonial items.
//! Markdown posts are rendered to HTML (CommonMark, HTML passed through),
//! then the HTML is parsed once with html5ever (scraper). CSS selectors live
//! in this module only. No normalisation here: texts are as written.

pub mod frontmatter;
pub mod kramdown;
pub mod page;

pub use page::{parse_page, Bloc, CitationBrute, Disposition, ElementBrut, Format, Genre, LienBrut, PageBrute};
