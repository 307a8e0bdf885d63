#!/usr/bin/env python3
"""The Python peer of `temoignages build` for scripts/bench.

Does the same extraction and export "the ordinary way": reads each page,
strips the front matter, parses the body with selectolax (Lexbor), takes every
`div.accordion-item` (id, title, question/answer pairs with bold paragraphs as
questions, the "Témoignage de …" line, links), finds providers, technologies,
qualifications and quantities with regular expressions, collects rows in
lists of dicts, then writes pandas DataFrames to CSV and to Parquet (pyarrow,
zstd) and one nested JSON file.

Usage: bench_peer.py CORPUS_DIR OUT_DIR   (prints the row counts as JSON)
"""

import hashlib
import json
import os
import re
import sys
import unicodedata
from urllib.parse import urlsplit

import pandas as pd
from selectolax.lexbor import LexborHTMLParser

WS = re.compile(r"[ \t\r\n\f]+")
NONWS = re.compile(r"\s")
FOLD = re.compile(r"[^a-z0-9]+")
TITLE = re.compile(r"(?m)^title:\s*['\"]?(.*?)['\"]?\s*$")
DATE = re.compile(r"(?m)^date:\s*(\d{4}-\d{2}-\d{2})")
SIGLE = re.compile(r"\(([^()]+)\)\s*$")
SENTENCE = re.compile(r"(?<=[.!?])\s+")

THEMES = [
    ("description", re.compile(r"décrire|présenter", re.I)),
    ("apport_du_cloud", re.compile(r"recours au cloud|déterminant", re.I)),
    ("autres_avantages", re.compile(r"autres avantages", re.I)),
    ("facteurs_de_succes", re.compile(r"facteurs|succès|réussite", re.I)),
    ("defis", re.compile(r"défis|difficultés", re.I)),
    ("prochaines_etapes", re.compile(r"prochaines étapes", re.I)),
    ("perspectives", re.compile(r"perspectives", re.I)),
    ("criteres_de_choix", re.compile(r"critères", re.I)),
    ("impact_organisationnel", re.compile(r"impact organisationnel", re.I)),
]
PROVIDERS = {
    "OVHcloud": re.compile(r"\bOVH(?:cloud)?\b", re.I),
    "Scaleway": re.compile(r"\bScaleway\b"),
    "Outscale": re.compile(r"\b(?:3DS )?Outscale\b"),
    "Cloud Temple": re.compile(r"\bCloud Temple\b"),
    "Amazon Web Services": re.compile(r"\b(?:AWS|Amazon Web Services)\b"),
    "Microsoft Azure": re.compile(r"\bAzure\b"),
    "Google Cloud": re.compile(r"\bGoogle Cloud\b|\bGCP\b"),
    "Orange Business": re.compile(r"\bOrange Business\b"),
    "NumSpot": re.compile(r"\bNumSpot\b", re.I),
    "S3NS": re.compile(r"\bS3NS\b"),
}
TECHNOLOGIES = {
    name: re.compile(r"\b" + re.escape(name) + r"\b", re.I)
    for name in ["Docker", "Kubernetes", "OpenStack", "Terraform", "Ansible", "PostgreSQL",
                 "BigBlueButton", "Elasticsearch", "Kafka", "Python", "GPU"]
}
QUALIFICATIONS = {
    "SecNumCloud": re.compile(r"SecNumCloud", re.I),
    "HDS": re.compile(r"\bHDS\b|hébergeur de données de santé", re.I),
    "ISO 27001": re.compile(r"ISO[ \u00a0]?27001"),
    "eIDAS": re.compile(r"\beIDAS\b", re.I),
}
NEGATION = re.compile(r"\b(?:pas|non|ni|aucun)\b|ne s’est|n’est|n'est", re.I)
INSUFFICIENT = re.compile(r"insuffisant|pas suffisant", re.I)
AIMED = re.compile(r"\bvis[ée]|objectif|en cours", re.I)
QUANTITY = re.compile(
    r"(?P<q>plus de |moins de |environ |au moins |près de )?"
    r"(?P<n>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:,\d+)?)"
    r"[ \u00a0\u202f]?(?P<m>millions?|milliards?|%|To|Go)?"
    r"\s*(?:de |d’|d')?(?P<u>[^\W\d_]+)?"
)
SCALE = {"million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "To": 1e12, "Go": 1e9}
PERIOD = re.compile(r"par (jour|semaine|mois|an)\b")


def fold(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    return FOLD.sub("-", s).strip("-")


def clean(s):
    return WS.sub(" ", s).strip()


def visible(s):
    return len(NONWS.sub("", s))


def owner(node):
    """The nearest enclosing div.accordion-item (its mem_id), or None."""
    p = node.parent
    while p is not None:
        if p.tag == "div":
            cls = p.attributes.get("class") or ""
            if "accordion-item" in cls.split():
                return p.mem_id
        p = p.parent
    return None


def theme_of(question):
    for name, rx in THEMES:
        if rx.search(question):
            return name
    return "autre"


def quantities(text):
    out = []
    for m in QUANTITY.finditer(text):
        raw = m.group("n")
        digits = re.sub(r"[ \u00a0\u202f]", "", raw)
        if re.fullmatch(r"(19|20)\d\d", digits) and not m.group("m"):
            continue  # a year
        try:
            value = float(digits.replace(",", "."))
        except ValueError:
            continue
        unit = m.group("m") or ""
        value *= SCALE.get(unit, 1)
        per = PERIOD.search(text, m.end(), m.end() + 40)
        out.append({
            "valeur": value,
            "unite": "pourcent" if unit == "%" else ("octet" if unit in ("To", "Go") else fold(m.group("u") or "")),
            "periode": per.group(1) if per else "",
            "qualificatif": (m.group("q") or "exact").strip().replace(" ", "_"),
            "texte": m.group(0).strip(),
        })
    return out


def read_page(path, rel, rows):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")
    front, body = "", text
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            front, body = text[: end + 5], text[end + 5 :]
    doc_id = fold(os.path.splitext(os.path.basename(rel))[0])
    t = TITLE.search(front)
    d = DATE.search(front)
    date = d.group(1) if d else rel[:10]
    tree = LexborHTMLParser(body)
    items = tree.css("div.accordion-item")
    seen = {}
    ids_by_mem = {}
    doc_json = {"identifiant": doc_id, "titre": t.group(1) if t else "", "date_publication": date,
                "fichier_source": rel, "empreinte_source": "sha256:" + hashlib.sha256(raw).hexdigest(),
                "nombre_temoignages": len(items), "temoignages": []}
    for rang, item in enumerate(items, 1):
        title_node = item.css_first(".accordion-title")
        content = item.css_first(".accordion-content")
        title = clean(title_node.text(deep=True)) if title_node else ""
        key = (title_node.attributes.get("aria-controls") if title_node else None) or (
            content.attributes.get("id") if content else None) or title
        key = fold(key)
        if key in seen:
            seen[key] += 1
            key = f"{key}-{seen[key]}"
        else:
            seen[key] = 1
        tid = f"{doc_id}--{key}"
        ids_by_mem[item.mem_id] = tid
        pairs, attribution, current = [], "", None
        if content is not None:
            me = item.mem_id
            for node in content.css("p, li"):
                if owner(node) != me:
                    continue  # a block of a nested item
                if node.tag == "li" and node.css_first("p") is not None:
                    continue
                txt = clean(node.text(deep=True))
                if not txt:
                    continue
                bold = sum(visible(s.text(deep=True)) for s in node.css("strong, b"))
                if txt.startswith("Témoignage d"):
                    attribution = txt
                elif bold >= visible(txt):
                    current = {"temoignage": tid, "rang": len(pairs) + 1, "question": txt,
                               "theme": theme_of(txt), "reponse": []}
                    pairs.append(current)
                elif current is not None:
                    current["reponse"].append(txt)
        for p in pairs:
            p["reponse"] = "\n".join(p["reponse"])
        full = " ".join(p["reponse"] for p in pairs)
        providers = [n for n, rx in PROVIDERS.items() if rx.search(full)]
        techs = [n for n, rx in TECHNOLOGIES.items() if rx.search(full)]
        quals = {}
        sentences = SENTENCE.split(full)
        for s in sentences:
            for n, rx in QUALIFICATIONS.items():
                if n not in quals and rx.search(s):
                    if INSUFFICIENT.search(s):
                        st = "insuffisante"
                    elif NEGATION.search(s):
                        st = "non_retenue"
                    elif AIMED.search(s):
                        st = "visee"
                    else:
                        st = "obtenue"
                    quals[n] = st
                    rows["qualifications"].append({"temoignage": tid, "qualification": n, "statut": st, "preuve": s})
        for name in providers:
            rows["mentions"].append({"temoignage": tid, "categorie": "fournisseur_cloud", "nom": name})
        for name in techs:
            rows["mentions"].append({"temoignage": tid, "categorie": "technologie", "nom": name})
        k = 0
        for p in pairs:
            for q in quantities(p["reponse"]):
                k += 1
                q.update({"identifiant": f"{tid}--q{k}", "temoignage": tid, "rang": k})
                rows["indicateurs"].append(q)
        sigle = SIGLE.search(title)
        row = {"identifiant": tid, "document": doc_id, "rang": rang, "titre": title,
               "sigle": sigle.group(1) if sigle else "", "attribution": attribution,
               "description": pairs[0]["reponse"] if pairs and pairs[0]["theme"] == "description" else "",
               "fournisseurs_cloud": providers,
               "qualifications": [n for n, st in quals.items() if st == "obtenue"],
               "secnumcloud": quals.get("SecNumCloud", ""), "hds": quals.get("HDS", ""),
               "technologies": techs, "date_publication": date}
        rows["temoignages"].append(row)
        rows["questions_reponses"].extend(pairs)
        doc_json["temoignages"].append(dict(row, questions_reponses=[
            {k2: v for k2, v in p.items() if k2 != "temoignage"} for p in pairs]))
    for n, a in enumerate(tree.css("a[href]"), 1):
        href = a.attributes.get("href") or ""
        tid = ids_by_mem.get(owner(a), "")
        rows["liens"].append({"document": doc_id, "rang": n, "temoignage": tid, "url": href.strip(),
                              "texte": clean(a.text(deep=True)), "domaine": urlsplit(href.strip()).hostname or ""})
    row = {k: v for k, v in doc_json.items() if k != "temoignages"}
    rows["documents"].append(row)
    rows["json"].append(doc_json)


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    rows = {t: [] for t in ["documents", "temoignages", "questions_reponses", "indicateurs",
                            "qualifications", "mentions", "liens", "json"]}
    files = []
    for root, _dirs, names in os.walk(corpus):
        for name in names:
            if name.endswith((".md", ".markdown", ".html", ".htm")):
                files.append(os.path.join(root, name))
    files.sort()
    for path in files:
        read_page(path, os.path.relpath(path, corpus).replace(os.sep, "/"), rows)
    for sub in ("csv", "parquet", "json"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    counts = {}
    for table, recs in rows.items():
        if table == "json":
            continue
        df = pd.DataFrame.from_records(recs)
        for col in ("date_publication",):
            if col in df.columns:
                df[col] = pd.to_datetime(df[col], format="%Y-%m-%d", errors="coerce").dt.date
        df.to_parquet(os.path.join(out, "parquet", f"{table}.parquet"), engine="pyarrow",
                      compression="zstd", index=False)
        flat = df.copy()
        for col in flat.columns:
            if len(flat) and isinstance(flat[col].iloc[0], list):
                flat[col] = flat[col].map(";".join)
        flat.to_csv(os.path.join(out, "csv", f"{table}.csv"), index=False, lineterminator="\n")
        counts[table] = len(df)
    with open(os.path.join(out, "json", "temoignages.json"), "w", encoding="utf-8") as f:
        json.dump({"documents": rows["json"]}, f, ensure_ascii=False, indent=1)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
