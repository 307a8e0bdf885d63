#!/usr/bin/env python3
"""Builds a benchmark corpus of varied copies of the seed page (scripts/bench).

Deterministic: copy N depends only on N and --seed. Copies are written as
`YYYY-MM-DD-cloud-temoignages-N.md` until the corpus holds at least the
requested number of bytes (1 MB = 10^6 bytes). Every copy gets its own title,
date, changed figures and some renamed item ids, so that outputs are not
trivially identical; then one variant by `N % 6`:

  0  changes above only;
  1  one `</div>` removed (an item's content or wrapper left open: html5ever
     and Lexbor then nest the following items);
  2  one extra `</div>` added (an accordion wrapper closed twice);
  3  one accordion item duplicated (same id: a duplicate for the tool to handle);
  4  French typography: NBSP / U+202F before `:` `?` `!` `;`, digit groups
     separated by U+202F, or the same as `&nbsp;` / `&#8239;` entities;
  5  1 + 3 + 4 together.

Standard library only: runs with any python3.
Usage: bench_corpus.py SEED_FILE OUT_DIR MEGABYTES [--seed S] [--link-from DIR]
--link-from DIR: copies already present in DIR (same seed, same N) are hard-linked
instead of generated (corpus-100 is a prefix of corpus-300).
"""

import argparse
import datetime as dt
import os
import random
import re
import sys

WRAPPER = '<div class="margin-bottom-10 accordion'
SLUG = "cloud-temoignages"
# Numbers that are names or dates, not figures: left alone.
KEEP = re.compile(r"(?:Covid-|ISO |ISO\u00a0|27001|\d{4})$")


def split_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[: end + 5], text[end + 5 :]
    return "", text


def number_template(body):
    """Splits the body into literal pieces and numbers of 1 to 3 digits that
    stand in text (outside tags), so that each copy only has to draw numbers."""
    pieces = []  # str literal, or int digit count
    pos = 0
    # Text segments are between tags; numbers in attributes and URLs are kept.
    for m in re.finditer(r">([^<]+)", body):
        seg_start = m.start(1)
        seg = m.group(1)
        for n in re.finditer(r"(?<![\w\-.,/])(\d{1,3})(?![\w\-])", seg):
            start = seg_start + n.start(1)
            before = body[max(0, start - 6) : start]
            if before.endswith("Covid-") or before.endswith("ISO "):
                continue
            if n.group(1).strip("0") == "":
                continue  # "000" groups of "700 000" stay as they are
            pieces.append(body[pos:start])
            pieces.append(len(n.group(1)))
            pos = start + len(n.group(1))
    pieces.append(body[pos:])
    return pieces


def draw_body(pieces, rng):
    out = []
    for p in pieces:
        if isinstance(p, int):
            lo = 2 if p == 1 else 10 ** (p - 1)
            out.append(str(rng.randint(lo, 10**p - 1)))
        else:
            out.append(p)
    return "".join(out)


def item_starts(body):
    starts = []
    i = body.find(WRAPPER)
    while i >= 0:
        starts.append(i)
        i = body.find(WRAPPER, i + 1)
    return starts


def rename_ids(body, rng, n):
    """Gives some items a per-copy id (aria-controls, id and onclick agree)."""
    ids = re.findall(r'aria-controls="([^"]+)"', body)
    for old in ids:
        if rng.random() < 0.3:
            new = f"{old}-v{n % 97}"
            body = body.replace(f'"{old}"', f'"{new}"').replace(f"'{old}'", f"'{new}'")
    return body


def remove_div(body, rng):
    starts = item_starts(body)
    k = rng.randrange(1, len(starts))
    i = body.find("</div>", starts[k])
    return body[:i] + body[i + 6 :]


def add_div(body, rng):
    starts = item_starts(body)
    k = rng.randrange(1, len(starts))
    return body[: starts[k]] + "</div>\n" + body[starts[k] :]


def duplicate_item(body, rng):
    starts = item_starts(body)
    k = rng.randrange(0, len(starts) - 1)
    seg = body[starts[k] : starts[k + 1]]
    return body[: starts[k + 1]] + seg + body[starts[k + 1] :]


def typography(body, rng):
    if rng.random() < 0.5:
        nbsp, nnbsp = "\u00a0", "\u202f"
    else:
        nbsp, nnbsp = "&nbsp;", "&#8239;"
    body = body.replace(" :", nbsp + ":").replace(" ?", nnbsp + "?")
    body = body.replace(" !", nnbsp + "!").replace(" ;", nnbsp + ";")
    body = re.sub(r"(?<=\d) (?=\d{3}\b)", nnbsp, body)
    body = body.replace("« ", "«" + nbsp).replace(" »", nbsp + "»")
    return body


def make_copy(front, pieces, n, seed):
    rng = random.Random(seed * 1_000_003 + n)
    day = dt.date(2019, 1, 1) + dt.timedelta(days=n % 2500)
    name = f"{day.isoformat()}-{SLUG}-{n}.md"
    fm = re.sub(r"(?m)^title: '(.*)'$", lambda m: f"title: '{m.group(1)} (copie {n})'", front, count=1)
    fm = re.sub(r"(?m)^date: \S+", f"date: {day.isoformat()}", fm, count=1)
    body = draw_body(pieces, rng)
    body = rename_ids(body, rng, n)
    v = n % 6
    if v in (1, 5):
        body = remove_div(body, rng)
    if v == 2:
        body = add_div(body, rng)
    if v in (3, 5):
        body = duplicate_item(body, rng)
    if v in (4, 5):
        body = typography(body, rng)
    return name, (fm + body).encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("seed_file")
    ap.add_argument("out_dir")
    ap.add_argument("megabytes", type=float)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--link-from")
    a = ap.parse_args()
    text = open(a.seed_file, encoding="utf-8").read()
    front, body = split_front_matter(text)
    pieces = number_template(body)
    target = int(a.megabytes * 1_000_000)
    tmp = a.out_dir.rstrip("/") + ".tmp"
    if os.path.isdir(tmp):
        for f in os.listdir(tmp):
            os.remove(os.path.join(tmp, f))
    os.makedirs(tmp, exist_ok=True)
    linked = {}
    if a.link_from and os.path.isdir(a.link_from):
        for f in os.listdir(a.link_from):
            m = re.search(r"-(\d+)\.md$", f)
            if m:
                linked[int(m.group(1))] = f
    total = n = 0
    while total < target:
        if n in linked:
            src = os.path.join(a.link_from, linked[n])
            os.link(src, os.path.join(tmp, linked[n]))
            total += os.path.getsize(src)
        else:
            name, data = make_copy(front, pieces, n, a.seed)
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
            total += len(data)
        n += 1
    os.rename(tmp, a.out_dir)
    print(f"{a.out_dir}: {n} files, {total / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
