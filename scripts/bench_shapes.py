#!/usr/bin/env python3
"""Page shapes for scripts/bench: does `temoignages build` stay linear in the
size of one page, whatever its shape?

For each shape, one page is written at a base size and at four times that
size; `build` reads each alone (whole processes, interleaved, medians). A
linear cost gives a time ratio near 4; a quadratic one, near 16. The peak
memory ratio is printed beside it.

Shapes: a paragraph of figures without a full stop; one sentence naming
four qualifications over and over; one item of many question/answer pairs;
a page of many items; many links outside the items; the seed's body
repeated (its unclosed elements make html5ever's stack of open elements
deeper with each copy: that part is the HTML algorithm's own).

Usage: bench_shapes.py TOOL OUT_DIR [--reps N] [--json FILE]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "input", "pages", "2024-07-03-cloud-temoignages.md")
FRONT = "---\ntitle: \"Forme\"\ndate: 2024-01-01\n---\n"


def element(i, corps, attribution="Témoignage de la DINUM"):
    return (f'<div class="accordion-item"><button class="accordion-title" aria-controls="e{i}">Projet {i}</button>'
            f'<div class="accordion-content" id="e{i}"><p><strong>Pouvez-vous décrire le projet ?</strong></p>'
            f"{corps}<p>{attribution}</p></div></div>\n")


def paragraphe_sans_point(n):
    chiffres = " ".join(f"plus de {i} millions de requêtes par jour hébergées chez OVHcloud" for i in range(n))
    return FRONT + element(0, f"<p>{chiffres}</p>")


def phrase_de_qualifications(n):
    return FRONT + element(0, "<p>" + " ".join(["SecNumCloud, HDS, ISO 27001 et HDS obtenues"] * n) + ".</p>")


def questions(n):
    qr = "".join(f"<p><strong>Question {i} : quels défis ?</strong></p><p>Réponse {i} : 3 serveurs et Kubernetes.</p>"
                 for i in range(n))
    return FRONT + element(0, qr)


def elements(n):
    return FRONT + "".join(element(i, f"<p>Le service compte {i} agents et utilise Scaleway.</p>") for i in range(n))


def liens(n):
    return FRONT + "".join(f'<p>Voir <a href="https://exemple.gouv.fr/{i}">la page {i}</a>.</p>' for i in range(n)) + \
        element(0, "<p>Un texte.</p>")


def seed_repete(n):
    with open(SEED, encoding="utf-8") as f:
        s = f.read()
    fin = s.index("---", 3) + 3
    return s[:fin] + s[fin:] * n


# (name, generator, n at the base size of about 1 MB)
SHAPES = [
    ("paragraphe sans point", paragraphe_sans_point, 14_000),
    ("phrase de qualifications", phrase_de_qualifications, 22_000),
    ("questions", questions, 11_000),
    ("éléments", elements, 4_500),
    ("liens hors éléments", liens, 16_000),
    ("seed répété", seed_repete, 31),
]


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _pid, status, ru = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, ru.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)


def mesurer(tool, out, reps=3):
    os.makedirs(out, exist_ok=True)
    pages = []
    for name, gen, n in SHAPES:
        for k in (1, 4):
            path = os.path.join(out, f"forme-{len(pages)}.md")
            with open(path, "w", encoding="utf-8") as f:
                f.write(gen(n * k))
            pages.append((name, k, path, os.path.getsize(path)))
    mesures = {(name, k): [] for name, k, _p, _b in pages}
    for rep in range(reps):
        for name, k, path, _b in pages[rep % len(pages):] + pages[: rep % len(pages)]:
            dest = os.path.join(out, "ds")
            shutil.rmtree(dest, ignore_errors=True)
            wall, rss, rc = run([tool, "build", "--quiet", "--jobs", "1", path, "--out", dest])
            print(f"bench: shape {name} ×{k}: {wall:.2f} s, {rss / 1e6:.0f} MB RSS, rc {rc}", file=sys.stderr)
            mesures[(name, k)].append((wall, rss, rc))
    shutil.rmtree(os.path.join(out, "ds"), ignore_errors=True)
    rows = []
    for name, _gen, _n in SHAPES:
        taille = {k: b for nm, k, _p, b in pages if nm == name}
        t = {k: statistics.median(m[0] for m in mesures[(name, k)]) for k in (1, 4)}
        r = {k: statistics.median(m[1] for m in mesures[(name, k)]) for k in (1, 4)}
        rows.append({"shape": name, "mb": taille[1] / 1e6, "mb_x4": taille[4] / 1e6, "s": t[1], "s_x4": t[4],
                     "rss_mb": r[1] / 1e6, "rss_mb_x4": r[4] / 1e6, "time_ratio": t[4] / t[1], "rss_ratio": r[4] / r[1],
                     "rc": sorted({m[2] for k in (1, 4) for m in mesures[(name, k)]})})
    return rows


def table(rows, reps):
    lines = [f"page shapes, one page read alone, --jobs 1 (scripts/bench_shapes.py, median of {reps}): "
             "time ratio ×4 ÷ ×1 is 4 when linear, 16 when quadratic",
             f"| {'shape':<26} | {'MB':>5} | {'s':>6} | {'s ×4':>6} | {'time ×4 ÷ ×1':>12} | {'RSS MB':>6} | {'RSS ×4':>6} | {'RSS ×4 ÷ ×1':>11} | rc |",
             f"|{'-' * 28}|{'-' * 7}|{'-' * 8}|{'-' * 8}|{'-' * 14}|{'-' * 8}|{'-' * 8}|{'-' * 13}|----|"]
    for r in rows:
        lines.append(f"| {r['shape']:<26} | {r['mb']:>5.2f} | {r['s']:>6.2f} | {r['s_x4']:>6.2f} | {r['time_ratio']:>12.1f} | "
                     f"{r['rss_mb']:>6.0f} | {r['rss_mb_x4']:>6.0f} | {r['rss_ratio']:>11.1f} | {','.join(map(str, r['rc']))} |")
    # 1 is the tool's "finished, some input reported as an error" (the
    # repeated seed's duplicate item ids); anything else is a failed run.
    if any(rc not in (0, 1) for r in rows for rc in r["rc"]):
        lines.append("WARNING: some runs failed (rc not 0 or 1: a crash or a kill is timed too): see the rc column")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("out")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    rows = mesurer(a.tool, a.out, a.reps)
    print(table(rows, a.reps))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "reps": a.reps, "shapes": rows}, f, indent=1)


if __name__ == "__main__":
    main()
