//! `build https://…`: pages fetched by URL, against a server the test
//! starts on loopback (tiny_http): the page, a redirect, a 404, a body over
//! the size limit, a server that never answers.

mod common;
use common::*;
use std::time::Duration;
use temoignages::read::{telecharger, Limites};

const PAGE: &str = "---\ntitle: Page servie\ndate: 2024-05-02 10:00:00 +02:00\n---\n\n<div class=\"accordion-item\"><button class=\"accordion-title\" aria-controls=\"servi\">Servi</button><div class=\"accordion-content\" id=\"servi\"><p><strong>Pouvez-vous décrire brièvement le projet ?</strong></p><p>Un projet servi.</p><p>Témoignage de la direction interministérielle du numérique</p></div></div>\n";

/// Serves until the test ends: `/page.md`, `/ancienne` (→ `/page.md`),
/// `/gros` (3 MB), `/lent` (never answers), anything else 404.
fn serveur() -> String {
    let s = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let adresse = format!("http://{}", s.server_addr().to_ip().unwrap());
    std::thread::spawn(move || {
        for req in s.incoming_requests() {
            let url = req.url().to_string();
            let _ =
                match url.as_str() {
                    "/page.md" => req.respond(tiny_http::Response::from_string(PAGE).with_header(
                        "Content-Type: text/markdown; charset=utf-8".parse::<tiny_http::Header>().unwrap(),
                    )),
                    "/ancienne" => req.respond(
                        tiny_http::Response::empty(301)
                            .with_header("Location: /page.md".parse::<tiny_http::Header>().unwrap()),
                    ),
                    "/gros" => req.respond(tiny_http::Response::from_data(vec![b'a'; 3_000_000])),
                    "/lent" => {
                        std::thread::sleep(Duration::from_secs(5));
                        req.respond(tiny_http::Response::from_string("trop tard"))
                    }
                    _ => req.respond(tiny_http::Response::from_string("absent").with_status_code(404)),
                };
        }
    });
    adresse
}

#[test]
fn fetch_build_reads_a_page_by_url() {
    let base = serveur();
    let wd = Workdir::new();
    let url = format!("{base}/ancienne");
    let o = wd.run(&["build", &url, "--out", "ds"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let d = wd.csv("ds/csv/documents.csv");
    assert_eq!(d[0]["identifiant"], "ancienne");
    assert_eq!(d[0]["fichier_source"], url);
    assert_eq!(d[0]["format_source"], "markdown", "from the Content-Type");
    let t = wd.csv("ds/csv/temoignages.csv");
    assert_eq!(t[0]["identifiant"], "ancienne--servi");
}

#[test]
fn fetch_errors_are_clear_and_the_other_pages_still_go_through() {
    let base = serveur();
    let wd = Workdir::new();
    wd.write("p/local.md", PAGE);
    let o = wd.run(&["build", "p", &format!("{base}/absente"), "--out", "ds"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("HTTP 404"), "{}", stderr(&o));
    assert_eq!(wd.csv("ds/csv/documents.csv").len(), 1);
}

#[test]
fn fetch_limits_size_time_and_redirects() {
    let base = serveur();
    let petites = Limites { delai: Duration::from_secs(2), taille_max: 1_000_000, redirections: 0 };
    let e = telecharger(&format!("{base}/gros"), &petites).unwrap_err();
    assert!(e.contains("trop grande"), "{e}");
    let e = telecharger(&format!("{base}/lent"), &petites).unwrap_err();
    assert!(e.contains("délai dépassé"), "{e}");
    assert!(telecharger(&format!("{base}/ancienne"), &petites).is_err(), "redirects beyond the limit are refused");
    let e = telecharger("ftp://exemple.fr/x", &petites).unwrap_err();
    assert!(e.contains("http ou https"), "{e}");
    let ok = telecharger(&format!("{base}/page.md"), &temoignages::read::LIMITES).unwrap();
    assert!(ok.octets.starts_with(b"---"));
}
