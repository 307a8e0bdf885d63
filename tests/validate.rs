//! `temoignages validate`: our own check of a dataset folder.

mod common;
use common::*;

fn dataset() -> Workdir {
    let wd = Workdir::new();
    wd.copy(SEED, "p/2024-07-03-cloud-temoignages.md");
    let o = wd.run(&["build", "p", "--out", "ds"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    wd
}

#[test]
fn validate_accepts_a_fresh_build() {
    let wd = dataset();
    let o = wd.run(&["validate", "ds"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("valide"));
}

#[test]
fn validate_reports_a_non_date_in_a_date_column() {
    let wd = dataset();
    let p = "ds/csv/temoignages.csv";
    let text = wd.read(p).replacen(",2024-07-03\n", ",03/07/2024\n", 1);
    wd.write(p, text);
    let o = wd.run(&["validate", "ds"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("csv/temoignages.csv:2 [date_publication] : type-invalide"), "{out}");
    // The file changed, so its hash and size no longer match either.
    assert!(out.contains("empreinte-differente"), "{out}");
}

#[test]
fn validate_reports_a_changed_file() {
    let wd = dataset();
    let p = wd.path("ds/json/temoignages.json");
    let mut bytes = std::fs::read(&p).unwrap();
    bytes.push(b' ');
    std::fs::write(&p, bytes).unwrap();
    let o = wd.run(&["validate", "ds"]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("json/temoignages.json : taille-differente"), "{}", stdout(&o));
    assert!(stdout(&o).contains("json/temoignages.json : empreinte-differente"), "{}", stdout(&o));
}

#[test]
fn validate_reports_bytes_that_are_not_utf8() {
    let wd = dataset();
    let p = wd.path("ds/csv/temoignages.csv");
    let bytes = std::fs::read(&p).unwrap();
    // "é" of the third line in Latin-1; the other lines stay readable.
    let fin_l2 = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(1).unwrap().0;
    let e = fin_l2 + bytes[fin_l2..].windows(2).position(|w| w == "é".as_bytes()).unwrap();
    let mut latin1 = bytes[..e].to_vec();
    latin1.push(0xE9);
    latin1.extend_from_slice(&bytes[e + 2..]);
    std::fs::write(&p, latin1).unwrap();
    let out = stdout(&wd.run(&["validate", "ds"]));
    let ligne = 2 + bytes[fin_l2 + 1..e].iter().filter(|&&b| b == b'\n').count() + 1;
    assert!(out.contains(&format!("csv/temoignages.csv:{ligne} : csv-illisible : octets non UTF-8")), "{out}");
    assert_eq!(out.matches("csv-illisible").count(), 1, "{out}");
}

#[test]
fn validate_reports_a_repeated_primary_key() {
    let wd = dataset();
    let p = "ds/csv/questions_reponses.csv";
    let mut text = wd.read(p);
    let n = text.lines().count();
    // The first answer again, under a line of its own at the end.
    let premiere = text.lines().nth(1).unwrap().to_string();
    assert_eq!(premiere.matches('"').count() % 2, 0, "a whole record: {premiere}");
    text.push_str(&premiere);
    text.push('\n');
    wd.write(p, text);
    let out = stdout(&wd.run(&["validate", "ds"]));
    assert!(out.contains(&format!("csv/questions_reponses.csv:{} ", n + 1)), "{out}");
    assert!(out.contains("cle-primaire-dupliquee"), "{out}");
}

/// A testimonial's id is its primary key, a unique column and what the
/// other tables reference: a repeated row is reported as both, at its line,
/// and the children of the testimonials still find them.
#[test]
fn validate_reports_a_repeated_key_that_is_also_unique_and_referenced() {
    let wd = dataset();
    let p = "ds/csv/temoignages.csv";
    let mut text = wd.read(p);
    let n = text.lines().count();
    let premiere = text.lines().nth(1).unwrap().to_string();
    assert_eq!(premiere.matches('"').count() % 2, 0, "a whole record: {premiere}");
    text.push_str(&premiere);
    text.push('\n');
    wd.write(p, text);
    let out = stdout(&wd.run(&["validate", "ds"]));
    let a_la_ligne: Vec<&str> =
        out.lines().filter(|l| l.contains(&format!("csv/temoignages.csv:{} ", n + 1))).collect();
    assert_eq!(a_la_ligne.len(), 2, "{out}");
    assert!(a_la_ligne[0].contains("valeur-dupliquee"), "{out}");
    assert!(a_la_ligne[1].contains("cle-primaire-dupliquee"), "{out}");
    assert!(!out.contains("cle-etrangere-orpheline"), "{out}");
}

#[test]
fn validate_reports_keys_enums_and_orphans() {
    let wd = dataset();
    let p = "ds/csv/questions_reponses.csv";
    let mut text = wd.read(p);
    text = text.replacen(",description,", ",inconnu,", 1);
    text.push_str("autre-document--x,1,Question ?,autre,Réponse\n");
    let n = text.lines().count();
    wd.write(p, text);
    // A testimonial whose document does not exist (a table that is itself
    // referenced: checked once every table is read, not row by row).
    let t = "ds/csv/temoignages.csv";
    let temoignages = wd.read(t);
    let id = temoignages.lines().nth(1).unwrap().split(',').nth(1).unwrap().to_string();
    wd.write(t, temoignages.replacen(&format!(",{id},"), ",document-absent,", 1));
    let out = stdout(&wd.run(&["validate", "ds"]));
    assert!(out.contains("hors-vocabulaire"), "{out}");
    let orphelines: Vec<&str> = out.lines().filter(|l| l.contains("cle-etrangere-orpheline")).collect();
    assert_eq!(orphelines.len(), 2, "{out}");
    assert!(
        orphelines[0].contains("csv/temoignages.csv:2 ")
            && orphelines[0].contains("« document-absent » n'existe pas dans documents"),
        "{out}"
    );
    assert!(
        orphelines[1].contains(&format!("csv/questions_reponses.csv:{n} "))
            && orphelines[1].contains("« autre-document--x »"),
        "{out}"
    );
}

/// A schema edited by hand is published with the data: it is checked
/// against the one the tool writes for its table.
#[test]
fn validate_reports_a_schema_edited_by_hand() {
    let wd = dataset();
    let p = "ds/schemas/indicateurs.json";
    wd.write(p, wd.read(p).replacen("\"type\": \"number\"", "\"type\": \"string\"", 1));
    let o = wd.run(&["validate", "ds"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains("schemas/indicateurs.json : schema-different : diffère du schéma que cette version de temoignages écrit pour la table « indicateurs » (le champ « valeur »)"),
        "{out}"
    );
}

/// A referenced table that cannot be read is one finding, not one more for
/// every table that names it.
#[test]
fn validate_reports_an_unreadable_referenced_table_once() {
    let wd = dataset();
    let p = "ds/schemas/temoignages.json";
    wd.write(p, wd.read(p).replacen("\"name\": \"sigle\"", "\"name\": \"sigle2\"", 1));
    let out = stdout(&wd.run(&["validate", "ds"]));
    assert!(out.contains("csv/temoignages.csv:1 : en-tete-different"), "{out}");
    assert!(!out.contains("cle-etrangere-invalide"), "{out}");
}

#[test]
fn validate_without_a_dataset_is_a_usage_error() {
    let wd = Workdir::new();
    assert_eq!(code(&wd.run(&["validate", "nulle-part"])), 2);
}

/// A CSV that cannot be read through (a header changed, a stray quote) is
/// reported for itself; its Parquet file is not said to differ in rows
/// counted from a partial read.
#[test]
fn validate_does_not_count_rows_of_a_csv_it_could_not_read() {
    let wd = dataset();
    let p = "ds/csv/mentions.csv";
    let texte = wd.read(p);
    wd.write(p, texte.replacen("preuve\n", "preuve,en_trop\n", 1));
    let l = "ds/csv/liens.csv";
    let texte = wd.read(l);
    let mut lignes: Vec<&str> = texte.lines().collect();
    let cassee = format!("\"{}", lignes[2]);
    lignes[2] = &cassee;
    wd.write(l, lignes.join("\n") + "\n");
    let o = wd.run(&["validate", "ds"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("csv/mentions.csv:1 : en-tete-different"), "{out}");
    assert!(out.contains("csv/liens.csv:"), "{out}");
    assert!(!out.contains("lignes-differentes"), "{out}");
    assert!(out.contains("ds : ") && out.contains("problème(s)"), "the count is on stdout: {out}");
}
