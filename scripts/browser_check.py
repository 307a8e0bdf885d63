#!/usr/bin/env python3
"""Renders DIR/index.html in headless Chromium from the file system and
checks what a reader would see (issue 8): every testimonial, the charts and
the data dictionary are in the DOM, the page's script ran without error, and
a screenshot is saved. With --hostile ID, also checks that the markup carried
by that testimonial's page shows as text and that nothing from it ran.

Standard library only. Usage:
    browser_check.py CHROMIUM DIR --screenshot OUT.png [--hostile ID]
"""

import argparse
import csv
import html
import json
import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def chromium(binary, url, *extra):
    with tempfile.TemporaryDirectory(prefix="browser-test-profile-") as profile:
        cmd = [binary, *FLAGS, f"--user-data-dir={profile}", *extra, url]
        p = subprocess.run(cmd, capture_output=True, timeout=180)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def png_size(path):
    data = path.read_bytes()
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("chromium")
    ap.add_argument("dir", type=Path)
    ap.add_argument("--screenshot", type=Path, required=True)
    ap.add_argument("--hostile", help="identifier of the testimonial whose texts carry markup")
    a = ap.parse_args()

    page = (a.dir / "index.html").resolve()
    check(page.is_file(), f"{page} exists")
    if not page.is_file():
        return 1
    url = page.as_uri()
    print(f"rendering {url}")

    code, dom, log = chromium(a.chromium, url, "--dump-dom")
    check(code == 0 and dom.strip().endswith("</html>"), f"chromium --dump-dom exits 0 with a whole document (code {code})")
    body = re.search(r"<body([^>]*)>", dom)
    attrs = body.group(1) if body else ""
    check('data-ok="1"' in attrs, "the page's script ran to its end (body data-ok=\"1\")")
    erreurs = re.search(r'data-erreurs="([^"]*)"', attrs)
    check(erreurs is None, "no script error recorded by window.onerror"
          + (f": {html.unescape(erreurs.group(1))}" if erreurs else ""))
    console = [l for l in log.splitlines() if "CONSOLE" in l or "Uncaught" in l or "Refused to" in l]
    check(not console, "no console error and no Content-Security-Policy refusal"
          + ("".join("\n      " + l for l in console)))

    # Every testimonial of the dataset, by identifier.
    with open(a.dir / "csv" / "temoignages.csv", newline="", encoding="utf-8") as f:
        ids = [r["identifiant"] for r in csv.DictReader(f)]
    rows = re.findall(r'<tr id="t-([^"]+)"', dom)
    missing = [i for i in ids if i not in rows]
    check(ids and not missing and len(rows) == len(ids),
          f"{len(rows)} testimonial rows in the DOM for {len(ids)} in csv/temoignages.csv"
          + (f"; missing {missing}" if missing else ""))
    check(not re.search(r'<tr id="t-[^"]+"[^>]* hidden', dom), "no testimonial hidden by the filter at load")
    check(len(re.findall(r'<button type="button" class="tri"', dom)) >= 8,
          "column headers became sort buttons")
    check(re.search(r'<div class="filtre" id="bloc-filtre">', dom) is not None,
          "the filter is shown (labelled input)")

    # Charts.
    charts = re.findall(r'<svg [^>]*role="img"[^>]*>', dom)
    labelled = [c for c in charts if "aria-label=" in c]
    check(len(charts) >= 1 and len(labelled) == len(charts), f"{len(charts)} SVG chart(s), each with role=img and aria-label")
    check(dom.count("<title id=") >= len(charts) and dom.count("<desc id=") >= len(charts),
          "every chart has <title> and <desc>")

    # Data dictionary: every table and column of the schemas.
    schemas = sorted((a.dir / "schemas").glob("*.json"))
    absents = []
    for s in schemas:
        t = json.loads(s.read_text(encoding="utf-8"))
        if f'id="table-{t["name"]}"' not in dom:
            absents.append(t["name"])
        for fld in t["fields"]:
            if f'<th scope="row"><code>{fld["name"]}</code></th>' not in dom:
                absents.append(f'{t["name"]}.{fld["name"]}')
    check(schemas and not absents, f"data dictionary shows the {len(schemas)} tables of schemas/ and all their columns"
          + (f"; missing {absents}" if absents else ""))

    # Nothing from pages ran; their markup is text.
    titre = re.search(r"<title>(.*?)</title>", dom, re.S)
    check(titre is not None and "PWNED" not in titre.group(1), "document title untouched")
    check('id="pwned"' not in dom, "no element injected by a page")
    check(re.search(r"<(img|iframe|object|embed)\b", dom) is None, "no <img>, <iframe>, <object> or <embed> element")
    check(len(re.findall(r"<script\b", dom)) == 1, "one <script> element, the page's own")
    if a.hostile:
        row = re.search(r'<tr id="t-' + re.escape(a.hostile) + r'".*?</tr>', dom, re.S)
        check(row is not None, f"hostile testimonial {a.hostile} is listed")
        text = row.group(0) if row else ""
        check("&lt;img src=x onerror=" in text and "&lt;script&gt;" in text,
              "its title's markup shows as text (&lt;img …&gt;, &lt;script&gt;)")
        check("&lt;p id=pwned&gt;" in text, "its answer's markup shows as text")
        check("&lt;img src=x onerror=" in dom.split('id="sources"', 1)[-1], "its page title's markup shows as text")

    # Screenshot.
    a.screenshot.parent.mkdir(parents=True, exist_ok=True)
    if a.screenshot.exists():
        a.screenshot.unlink()
    code, _, _ = chromium(a.chromium, url, f"--screenshot={a.screenshot.resolve()}", "--window-size=1280,2400",
                          "--hide-scrollbars")
    size = png_size(a.screenshot) if a.screenshot.exists() else None
    n = a.screenshot.stat().st_size if a.screenshot.exists() else 0
    check(code == 0 and size is not None and n > 0,
          f"screenshot {a.screenshot}: {n} bytes, PNG {size[0]}x{size[1]}" if size else f"screenshot {a.screenshot} missing or not a PNG")

    if failures:
        print(f"\n{len(failures)} check(s) failed for {page}")
        return 1
    print(f"\nall checks passed for {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
