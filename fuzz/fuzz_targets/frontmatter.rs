//! Front matter: splitting `---` fences off a page, then reading the YAML
//! strictly (`parse`) and line by line (`recuperer`). `parse` reads the
//! usual blocks with its own reader before serde-saphyr: whatever the text,
//! it must give what serde-saphyr alone gives (`parse_reference`), errors
//! included.
#![no_main]

use libfuzzer_sys::fuzz_target;
use temoignages::parse::frontmatter;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let split = frontmatter::split(text);
    // The body is always a suffix of the page, and starts on a real line.
    assert!(text.ends_with(split.body));
    assert!(split.body_line >= 1);
    assert!(split.body_line <= text.lines().count() + 2);
    if let Some(yaml) = split.yaml {
        assert_eq!(frontmatter::parse(yaml), frontmatter::parse_reference(yaml), "{yaml:?}");
        let _ = frontmatter::recuperer(yaml);
    } else {
        assert_eq!(split.body_line, 1);
        assert_eq!(split.body, text);
    }
    // The whole input as YAML too: most fuzz inputs have no fences.
    assert_eq!(frontmatter::parse(text), frontmatter::parse_reference(text), "{text:?}");
    let _ = frontmatter::recuperer(text);
});
