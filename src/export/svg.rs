//! Charts for the dataset page (`index.html`), drawn as inline SVG from
//! plain numbers: horizontal bars, stacked bars, and values on a log scale.
//! Each chart carries its text alternatives (`role="img"`, `aria-label`,
//! `<title>`, `<desc>`) and comes with the same numbers as an HTML table, so
//! it reads without sight and without SVG. No data model here: `page`
//! decides what is counted; every text is escaped with `page::echapper`.

use super::format_nombre;
use super::page::echapper;
use std::fmt::Write;

/// Width of every chart's coordinate system (the SVG scales to the page).
const LARGEUR: f64 = 760.0;
const HAUTEUR_BARRE: f64 = 22.0;
const PAS: f64 = 30.0;
/// Roughly the advance of one character of the 13px sans-serif labels.
const CHASSE: f64 = 8.0;
/// Labels longer than this are cut (the full text stays in the tooltip and the table).
const LABEL_MAX: usize = 46;

/// Text on the white background: 16:1.
pub const ENCRE: &str = "#1e1e1e";
/// Secondary text and axes: 7:1 on white.
pub const GRIS: &str = "#595959";
/// Bars: "bleu France", 15:1 on white.
pub const BLEU: &str = "#000091";

/// A colour for each status of a qualification, in `fields::STATUTS` order;
/// each takes white text at ≥ 4.5:1 and stands at ≥ 3:1 on the white page.
pub const COULEURS_STATUTS: [(&str, &str); 5] = [
    ("obtenue", "#18753c"),
    ("en_cours", "#716043"),
    ("visee", "#000091"),
    ("non_retenue", "#ce0500"),
    ("insuffisante", "#6e445a"),
];

/// What every chart says about itself.
pub struct Entete<'a> {
    /// Prefix of the element ids (`<id>-titre`, `<id>-desc`).
    pub id: &'a str,
    pub titre: &'a str,
    /// A sentence or two that states what the chart shows, for screen readers.
    pub description: &'a str,
}

fn coupe(s: &str) -> String {
    if s.chars().count() <= LABEL_MAX {
        s.to_string()
    } else {
        let mut c: String = s.chars().take(LABEL_MAX - 1).collect();
        c = c.trim_end().to_string();
        c.push('…');
        c
    }
}

fn largeur_labels(labels: impl Iterator<Item = usize>) -> f64 {
    let n = labels.map(|n| n.min(LABEL_MAX)).max().unwrap_or(0);
    (n as f64 * CHASSE + 16.0).clamp(80.0, 360.0)
}

fn ouvrir(s: &mut String, e: &Entete, hauteur: f64) {
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graphique\" viewBox=\"0 0 {LARGEUR} {hauteur}\" \
         role=\"img\" aria-label=\"{titre}\" aria-labelledby=\"{id}-titre\" aria-describedby=\"{id}-desc\" \
         font-family=\"system-ui, sans-serif\" font-size=\"13\">\
         <title id=\"{id}-titre\">{titre}</title><desc id=\"{id}-desc\">{desc}</desc>",
        titre = echapper(e.titre),
        id = echapper(e.id),
        desc = echapper(e.description),
    );
}

fn n(x: f64) -> String {
    // Coordinates with at most one decimal: stable bytes, small files.
    format_nombre((x * 10.0).round() / 10.0)
}

/// One horizontal bar per `(label, count)`, in the given order.
pub fn barres(e: &Entete, donnees: &[(String, u64)]) -> String {
    let gauche = largeur_labels(donnees.iter().map(|(l, _)| l.chars().count()));
    let droite = LARGEUR - 50.0;
    let max = donnees.iter().map(|d| d.1).max().unwrap_or(0).max(1) as f64;
    let hauteur = 10.0 + PAS * donnees.len().max(1) as f64;
    let mut s = String::new();
    ouvrir(&mut s, e, hauteur);
    let _ = write!(
        s,
        "<line x1=\"{g}\" y1=\"4\" x2=\"{g}\" y2=\"{b}\" stroke=\"{GRIS}\"/>",
        g = n(gauche),
        b = n(hauteur - 4.0)
    );
    for (i, (label, v)) in donnees.iter().enumerate() {
        let y = 8.0 + PAS * i as f64;
        let w = (droite - gauche - 8.0) * (*v as f64) / max;
        let _ = write!(
            s,
            "<g><title>{lt} : {v}</title>\
             <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\" fill=\"{ENCRE}\">{lc}</text>\
             <rect x=\"{g}\" y=\"{y}\" width=\"{w}\" height=\"{HAUTEUR_BARRE}\" fill=\"{BLEU}\"/>\
             <text x=\"{vx}\" y=\"{ty}\" fill=\"{ENCRE}\">{v}</text></g>",
            lt = echapper(label),
            lc = echapper(&coupe(label)),
            tx = n(gauche - 6.0),
            ty = n(y + 15.5),
            g = n(gauche),
            y = n(y),
            w = n(w),
            vx = n(gauche + w + 6.0),
        );
    }
    s.push_str("</svg>");
    s
}

/// One stacked bar per row: `(label, [(status, count)…])`, the segments
/// coloured by `COULEURS_STATUTS`, with a legend below.
pub fn barres_empilees(e: &Entete, donnees: &[(String, Vec<(&str, u64)>)], libelle: fn(&str) -> &str) -> String {
    let gauche = largeur_labels(donnees.iter().map(|(l, _)| l.chars().count()));
    let droite = LARGEUR - 50.0;
    let max = donnees.iter().map(|(_, segs)| segs.iter().map(|s| s.1).sum::<u64>()).max().unwrap_or(0).max(1) as f64;
    let unite = (droite - gauche - 8.0) / max;
    let lignes = donnees.len().max(1) as f64;
    let hauteur = 10.0 + PAS * lignes + 34.0;
    let mut s = String::new();
    ouvrir(&mut s, e, hauteur);
    for (i, (label, segs)) in donnees.iter().enumerate() {
        let y = 8.0 + PAS * i as f64;
        let total: u64 = segs.iter().map(|s| s.1).sum();
        let _ = write!(
            s,
            "<text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\" fill=\"{ENCRE}\">{lc}</text>",
            tx = n(gauche - 6.0),
            ty = n(y + 15.5),
            lc = echapper(&coupe(label)),
        );
        let mut x = gauche;
        for (statut, v) in segs.iter().filter(|s| s.1 > 0) {
            let w = unite * *v as f64;
            let couleur = COULEURS_STATUTS.iter().find(|c| c.0 == *statut).map_or(GRIS, |c| c.1);
            let _ = write!(
                s,
                "<g><title>{lt} — {st} : {v}</title>\
                 <rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{HAUTEUR_BARRE}\" fill=\"{couleur}\" stroke=\"#fff\"/>\
                 <text x=\"{cx}\" y=\"{ty}\" text-anchor=\"middle\" fill=\"#fff\">{v}</text></g>",
                lt = echapper(label),
                st = echapper(libelle(statut)),
                x = n(x),
                y = n(y),
                w = n(w),
                cx = n(x + w / 2.0),
                ty = n(y + 15.5),
            );
            x += w;
        }
        let _ = write!(s, "<text x=\"{}\" y=\"{}\" fill=\"{ENCRE}\">{total}</text>", n(x + 6.0), n(y + 15.5));
    }
    // Legend: colour and name of every status, so colour is never the only cue.
    let y = 10.0 + PAS * lignes + 8.0;
    let mut x = 8.0;
    for (statut, couleur) in COULEURS_STATUTS {
        let l = libelle(statut);
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{couleur}\"/>\
             <text x=\"{tx}\" y=\"{ty}\" fill=\"{ENCRE}\">{l}</text>",
            x = n(x),
            y = n(y),
            tx = n(x + 20.0),
            ty = n(y + 12.0),
            l = echapper(l),
        );
        x += 20.0 + l.chars().count() as f64 * CHASSE + 24.0;
    }
    s.push_str("</svg>");
    s
}

/// One value, or a range, to place on a log scale.
pub struct Point {
    pub label: String,
    pub valeur: f64,
    pub valeur_max: Option<f64>,
    /// The value as shown next to the mark ("250 millions de requêtes / jour").
    pub texte: String,
}

/// Values of different units on one base-10 log axis: a dot per value, a
/// segment for a range. Values ≤ 0 cannot be placed and are left out (the
/// table beside the chart still lists them).
pub fn echelle_log(e: &Entete, points: &[Point]) -> String {
    let points: Vec<&Point> = points.iter().filter(|p| p.valeur > 0.0).collect();
    let gauche = largeur_labels(points.iter().map(|p| p.label.chars().count()));
    let droite = LARGEUR - 20.0;
    let plus_haut = points.iter().map(|p| p.valeur_max.unwrap_or(p.valeur).max(p.valeur)).fold(1.0_f64, f64::max);
    let plus_bas = points.iter().map(|p| p.valeur).fold(f64::INFINITY, f64::min).min(1.0);
    let e_min = plus_bas.log10().floor();
    let e_max = plus_haut.log10().ceil().max(e_min + 1.0);
    // Labelled ticks every `pas` powers of ten, as often as room allows; the
    // axis is stretched to end on a labelled tick.
    let pas = (((e_max - e_min) * 44.0) / (droite - gauche - 12.0)).ceil().max(1.0);
    let e_max = e_min + ((e_max - e_min) / pas).ceil() * pas;
    let pas = pas as i64;
    let x_de = |v: f64| gauche + 6.0 + (droite - gauche - 12.0) * (v.log10() - e_min) / (e_max - e_min);
    let haut = 8.0;
    let bas = haut + PAS * points.len().max(1) as f64;
    let hauteur = bas + 30.0;
    let mut s = String::new();
    ouvrir(&mut s, e, hauteur);
    // Axis: a gridline at each power of ten.
    let crans = (e_max - e_min) as i64;
    for c in 0..=crans {
        let k = e_min + c as f64;
        let x = n(x_de(10f64.powf(k)));
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"{haut}\" x2=\"{x}\" y2=\"{bas}\" stroke=\"#cecece\"/>",
            haut = n(haut),
            bas = n(bas),
        );
        if c % pas == 0 {
            let _ = write!(
                s,
                "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"middle\" fill=\"{GRIS}\">{l}</text>",
                ty = n(bas + 18.0),
                l = puissance_de_dix(k as i32),
            );
        }
    }
    for (i, p) in points.iter().enumerate() {
        let y = haut + PAS * i as f64 + PAS / 2.0;
        let x = x_de(p.valeur);
        let _ = write!(
            s,
            "<g><title>{lt} : {tt}</title>\
             <text x=\"{lx}\" y=\"{ly}\" text-anchor=\"end\" fill=\"{ENCRE}\">{lc}</text>",
            lt = echapper(&p.label),
            tt = echapper(&p.texte),
            lx = n(gauche - 6.0),
            ly = n(y + 4.5),
            lc = echapper(&coupe(&p.label)),
        );
        if let Some(m) = p.valeur_max.filter(|m| *m > p.valeur) {
            let xm = x_de(m);
            let _ = write!(
                s,
                "<line x1=\"{x}\" y1=\"{y}\" x2=\"{xm}\" y2=\"{y}\" stroke=\"{BLEU}\" stroke-width=\"6\" stroke-linecap=\"round\"/>",
                x = n(x),
                xm = n(xm),
                y = n(y),
            );
        } else {
            let _ = write!(s, "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{BLEU}\"/>", n(x), n(y));
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// `10⁶` style axis labels.
fn puissance_de_dix(k: i32) -> String {
    const EXPOSANTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    match k {
        0 => "1".into(),
        1 => "10".into(),
        _ => {
            let mut s = String::from("10");
            if k < 0 {
                s.push('⁻');
            }
            for c in k.unsigned_abs().to_string().chars() {
                s.push(EXPOSANTS[c.to_digit(10).unwrap_or(0) as usize]);
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entete() -> Entete<'static> {
        Entete { id: "g", titre: "Titre <b>", description: "Desc & co" }
    }

    #[test]
    fn charts_carry_their_text_alternatives_escaped() {
        let s = barres(&entete(), &[("<img src=x onerror=alert(1)>".into(), 3)]);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(s.contains("role=\"img\"") && s.contains("aria-label=\"Titre &lt;b&gt;\""));
        assert!(s.contains("<title id=\"g-titre\">Titre &lt;b&gt;</title><desc id=\"g-desc\">Desc &amp; co</desc>"));
        assert!(!s.contains("<img"));
    }

    #[test]
    fn log_scale_spans_every_value() {
        let p = |v: f64, m: Option<f64>| Point { label: "x".into(), valeur: v, valeur_max: m, texte: "x".into() };
        let s = echelle_log(&entete(), &[p(3.0, None), p(2e14, Some(1e15)), p(0.0, None)]);
        assert!(s.contains(">1</text>") && (s.contains(">10¹⁵</text>") || s.contains(">10¹⁶</text>")), "{s}");
        assert_eq!(s.matches("<circle").count(), 1);
        assert_eq!(s.matches("stroke-width=\"6\"").count(), 1);
        assert_eq!(puissance_de_dix(-3), "10⁻³");
    }
}
