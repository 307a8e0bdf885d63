#!/usr/bin/env python3
"""Interoperability checks of a `temoignages` dataset folder.

Usage: python scripts/interop_check.py DIR

Reads DIR/datapackage.json and the Table Schemas in DIR/schemas/*.json, then,
for every table named there, checks that pyarrow, polars, DuckDB and pandas
read the Parquet and CSV exports with the SPEC.md types, that both exports hold
the same values (rendered the SPEC.md way), that the nested JSON document
agrees with the tables, and that the DuckDB joins between testimonials and
their rows work with no orphan row.

All failures are collected; the script exits 1 at the end if there was any,
0 otherwise (2 on a usage error).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

MAX_CELL_REPORTS = 10  # per table, the rest is only counted

FAILURES: list[str] = []


def fail(msg: str) -> None:
    FAILURES.append(msg)
    print(f"  FAIL: {msg}")


def info(msg: str) -> None:
    print(f"  {msg}")


# --------------------------------------------------------------------------
# Types
# --------------------------------------------------------------------------

SCHEMA_TYPES = {"string", "integer", "number", "boolean", "date", "list"}


def is_string_type(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or (
        hasattr(pa.types, "is_string_view") and pa.types.is_string_view(t)
    )


def arrow_type_ok(field_type: str, t: pa.DataType) -> bool:
    if field_type == "string":
        if is_string_type(t):
            return True
        return pa.types.is_dictionary(t) and is_string_type(t.value_type)
    if field_type == "integer":
        return t == pa.int64()
    if field_type == "number":
        return t == pa.float64()
    if field_type == "boolean":
        return t == pa.bool_()
    if field_type == "date":
        return t == pa.date32()
    if field_type == "list":
        return (pa.types.is_list(t) or pa.types.is_large_list(t)) and is_string_type(t.value_type)
    return False


EXPECTED_ARROW = {
    "string": "string (or large_string, or dictionary of string)",
    "integer": "int64",
    "number": "float64",
    "boolean": "bool",
    "date": "date32[day]",
    "list": "list<string>",
}


def polars_type_ok(field_type: str, t: pl.DataType) -> bool:
    if field_type == "string":
        return t == pl.String or t == pl.Categorical or isinstance(t, (pl.Categorical, pl.Enum))
    if field_type == "integer":
        return t == pl.Int64
    if field_type == "number":
        return t == pl.Float64
    if field_type == "boolean":
        return t == pl.Boolean
    if field_type == "date":
        return t == pl.Date
    if field_type == "list":
        return isinstance(t, pl.List) and (t.inner == pl.String or t.inner == pl.Categorical)
    return False


DUCKDB_TYPES = {
    "string": {"VARCHAR"},
    "integer": {"BIGINT"},
    "number": {"DOUBLE"},
    "boolean": {"BOOLEAN"},
    "date": {"DATE"},
    "list": {"VARCHAR[]"},
}


# --------------------------------------------------------------------------
# SPEC.md rendering of a Parquet value as a CSV cell
# --------------------------------------------------------------------------


def render_float(x: float) -> str:
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"non-finite number {x!r}")
    s = repr(x)
    if "e" in s or "E" in s:
        # SPEC: no exponent. Python's repr switches to exponent notation at
        # 1e16 and below 1e-4; write the same shortest digits positionally.
        s = format(Decimal(s), "f")
    if s.endswith(".0"):
        s = s[:-2]
    if s == "-0":
        s = "0"
    return s


def render(value, field_type: str) -> str:
    if value is None:
        return ""
    if field_type == "string":
        return str(value)
    if field_type == "integer":
        return str(int(value))
    if field_type == "number":
        return render_float(float(value))
    if field_type == "boolean":
        return "true" if value else "false"
    if field_type == "date":
        if not isinstance(value, _dt.date):
            raise ValueError(f"not a date: {value!r}")
        return value.isoformat()
    if field_type == "list":
        items = list(value)
        for it in items:
            if it is None:
                raise ValueError("null item in list")
            if ";" in it:
                raise ValueError(f"list item contains the delimiter ';': {it!r}")
        return ";".join(items)
    raise ValueError(f"unknown field type {field_type}")


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def load_json(path: Path):
    try:
        with path.open("rb") as f:
            return json.load(f)
    except FileNotFoundError:
        fail(f"{path}: missing")
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        fail(f"{path}: not valid JSON ({e})")
    return None


def schema_fields(table: str, schema: dict) -> list[tuple[str, str]] | None:
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        fail(f"schemas/{table}.json: no 'fields' list")
        return None
    out = []
    for f in fields:
        name, ftype = f.get("name"), f.get("type", "any")
        if ftype not in SCHEMA_TYPES:
            fail(f"schemas/{table}.json: field {name!r} has type {ftype!r}, expected one of {sorted(SCHEMA_TYPES)}")
            return None
        if ftype == "list":
            if f.get("delimiter", ",") != ";":
                fail(f"schemas/{table}.json: list field {name!r} must declare delimiter ';' (has {f.get('delimiter')!r})")
            if f.get("itemType", "string") != "string":
                fail(f"schemas/{table}.json: list field {name!r} must have itemType 'string' (has {f.get('itemType')!r})")
        out.append((name, ftype))
    return out


# --------------------------------------------------------------------------
# Per-table checks
# --------------------------------------------------------------------------


def check_parquet_file(table: str, path: Path, fields: list[tuple[str, str]]) -> pa.Table | None:
    try:
        pf = pq.ParquetFile(path)
        tbl = pf.read()
    except FileNotFoundError:
        fail(f"{table}: {path} missing")
        return None
    except Exception as e:  # noqa: BLE001 - any reader error is a failure
        fail(f"{table}: pyarrow cannot read {path}: {e}")
        return None

    names = [n for n, _ in fields]
    if tbl.column_names != names:
        fail(f"{table}: Parquet columns {tbl.column_names} differ from the schema's {names} (names or order)")
    for name, ftype in fields:
        if name not in tbl.column_names:
            continue
        t = tbl.schema.field(name).type
        if not arrow_type_ok(ftype, t):
            fail(f"{table}.{name}: Parquet/Arrow type {t} but the schema says {ftype} (expected {EXPECTED_ARROW[ftype]})")
        # A list that names nothing is [] (README, Conventions), never null.
        if ftype == "list" and tbl.column(name).null_count:
            fail(f"{table}.{name}: {tbl.column(name).null_count} null list(s) in Parquet, expected [] for none")

    md = pf.metadata
    if md.num_columns != len(tbl.column_names):
        fail(f"{table}: {md.num_columns} Parquet leaf columns for {len(tbl.column_names)} fields (nested types other than list<string>?)")
    codecs = set()
    missing_stats = []
    for rg in range(md.num_row_groups):
        rgmd = md.row_group(rg)
        for i in range(rgmd.num_columns):
            col = rgmd.column(i)
            codecs.add(col.compression)
            if rgmd.num_rows > 0 and (col.statistics is None or not col.is_stats_set):
                missing_stats.append(f"{col.path_in_schema} (row group {rg})")
    if codecs and codecs != {"ZSTD"}:
        fail(f"{table}: Parquet compression {sorted(codecs)}, expected ZSTD only")
    if missing_stats:
        fail(f"{table}: no Parquet statistics on {', '.join(missing_stats[:8])}{' …' if len(missing_stats) > 8 else ''}")
    info(
        f"parquet: {tbl.num_rows} rows, {tbl.num_columns} columns, {md.num_row_groups} row group(s), "
        f"compression {','.join(sorted(codecs)) or '-'}, created by {md.created_by!r}"
    )
    return tbl


def check_polars(table: str, path: Path, fields, nrows: int) -> None:
    try:
        df = pl.read_parquet(path)
    except Exception as e:  # noqa: BLE001
        fail(f"{table}: polars cannot read {path}: {e}")
        return
    if df.height != nrows:
        fail(f"{table}: polars reads {df.height} rows, pyarrow {nrows}")
    for name, ftype in fields:
        if name in df.columns and not polars_type_ok(ftype, df.schema[name]):
            fail(f"{table}.{name}: polars dtype {df.schema[name]} for schema type {ftype}")
    info(f"polars: {df.height} rows")


def check_duckdb(con, table: str, path: Path, fields, nrows: int) -> bool:
    p = str(path).replace("'", "''")
    try:
        con.execute(f"SELECT * FROM read_parquet('{p}')").fetchall()  # decode every value
        count = con.execute(f"SELECT count(*) FROM read_parquet('{p}')").fetchone()[0]
        described = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{p}')").fetchall()}
    except Exception as e:  # noqa: BLE001
        fail(f"{table}: DuckDB cannot read {path}: {e}")
        return False
    if count != nrows:
        fail(f"{table}: DuckDB counts {count} rows, pyarrow {nrows}")
    for name, ftype in fields:
        if name in described and described[name] not in DUCKDB_TYPES[ftype]:
            fail(f"{table}.{name}: DuckDB type {described[name]} for schema type {ftype}")
    con.execute(f'CREATE OR REPLACE VIEW "{table}" AS SELECT * FROM read_parquet(\'{p}\')')
    info(f"duckdb: {count} rows")
    return True


def check_csv(table: str, path: Path, fields, tbl: pa.Table | None) -> int | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        fail(f"{table}: {path} missing")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        fail(f"{table}: {path} starts with a UTF-8 BOM")
    first_line_end = raw.find(b"\n")
    if first_line_end > 0 and raw[first_line_end - 1 : first_line_end] == b"\r":
        fail(f"{table}: {path} uses CRLF line ends, expected \\n")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{table}: {path} is not UTF-8 ({e})")
        return None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as e:  # noqa: BLE001
        fail(f"{table}: pandas cannot read {path}: {e}")
        return None
    names = [n for n, _ in fields]
    if list(df.columns) != names:
        fail(f"{table}: CSV header {list(df.columns)} differs from the schema's {names}")
    info(f"csv (pandas): {len(df)} rows")
    if tbl is None:
        return len(df)
    if len(df) != tbl.num_rows:
        fail(f"{table}: CSV has {len(df)} rows, Parquet {tbl.num_rows}")
        return len(df)

    # Cell-by-cell cross-check of the two exporters.
    mismatches = 0
    for name, ftype in fields:
        if name not in df.columns or name not in tbl.column_names:
            continue
        pq_values = tbl.column(name).to_pylist()
        csv_values = df[name].tolist()
        for row, (pv, cv) in enumerate(zip(pq_values, csv_values)):
            try:
                expected = render(pv, ftype)
            except ValueError as e:
                mismatches += 1
                if mismatches <= MAX_CELL_REPORTS:
                    fail(f"{table} row {row + 1} column {name}: Parquet value {pv!r} cannot be written to CSV: {e}")
                continue
            if expected != cv:
                mismatches += 1
                if mismatches <= MAX_CELL_REPORTS:
                    fail(f"{table} row {row + 1} column {name}: CSV has {cv!r}, Parquet {pv!r} renders as {expected!r}")
    if mismatches > MAX_CELL_REPORTS:
        fail(f"{table}: {mismatches} CSV/Parquet cell differences in all ({MAX_CELL_REPORTS} shown)")
    elif mismatches == 0:
        info(f"csv == parquet: {tbl.num_rows * tbl.num_columns} cells agree")
    return len(df)


# --------------------------------------------------------------------------
# JSON document
# --------------------------------------------------------------------------


def dict_lists(obj: dict) -> dict[str, list]:
    """Keys of obj whose values are non-empty lists of objects (nested rows)."""
    return {k: v for k, v in obj.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)}


def render_json(value, field_type: str) -> str:
    """A JSON value as the CSV writes its column (dates are already strings)."""
    if field_type == "date" and isinstance(value, str):
        return value
    if field_type == "list" and value is None:
        raise ValueError("null list, expected [] for none")
    # A `number` is written with a decimal point (250000000.0): readers
    # inferring types from the JSON then get floats, as in Parquet.
    if field_type == "number" and value is not None and not isinstance(value, float):
        raise ValueError(f"number written as an integer: {value!r}")
    return render(value, field_type)


def check_json_columns(key: str, objects: list, arrow: tuple | None) -> None:
    """Every column of the table is in each JSON object, with the Parquet value."""
    if arrow is None:
        return
    tbl, fields = arrow
    if len(objects) != tbl.num_rows:
        return  # already reported by the row counts
    bad = 0
    for name, ftype in fields:
        column = tbl.column(name).to_pylist()
        for i, (obj, expected) in enumerate(zip(objects, column)):
            if name not in obj:
                fail(f"json: {key}[{i}] has no key {name!r} (a column of table {key})")
                return
            try:
                got = render_json(obj[name], ftype)
            except (ValueError, TypeError) as e:
                got = f"<{e}>"
            if got != render(expected, ftype):
                bad += 1
                if bad <= 5:
                    fail(f"json: {key}[{i}].{name} is {obj[name]!r}, the Parquet table has {expected!r}")
    if bad == 0:
        info(f"{key}: every column of every row in the JSON as in the Parquet table")


def check_json(ds: Path, row_counts: dict[str, int], ids: dict[str, list], arrow: dict | None = None) -> None:
    print("\n== json/temoignages.json")
    doc = load_json(ds / "json" / "temoignages.json")
    if doc is None:
        return
    if isinstance(doc, list):
        documents = doc
    elif isinstance(doc, dict) and isinstance(doc.get("documents"), list):
        documents = doc["documents"]
    else:
        fail("json/temoignages.json: expected a list of documents or an object with a 'documents' list")
        return
    if not all(isinstance(d, dict) for d in documents):
        fail("json/temoignages.json: every document must be an object")
        return
    testimonials = []
    for d in documents:
        ts = d.get("temoignages")
        if not isinstance(ts, list) or not all(isinstance(t, dict) for t in ts):
            fail(f"json/temoignages.json: document {d.get('identifiant')!r} has no 'temoignages' list of objects")
            continue
        testimonials.extend(ts)
    info(f"{len(documents)} document(s), {len(testimonials)} testimonial(s)")

    if "documents" in row_counts and len(documents) != row_counts["documents"]:
        fail(f"json: {len(documents)} documents, table documents has {row_counts['documents']} rows")
    if "temoignages" in row_counts and len(testimonials) != row_counts["temoignages"]:
        fail(f"json: {len(testimonials)} testimonials, table temoignages has {row_counts['temoignages']} rows")
    for key, table in (("documents", documents), ("temoignages", testimonials)):
        if key in ids and all("identifiant" in x for x in table):
            got = [x["identifiant"] for x in table]
            if got != ids[key]:
                fail(f"json: the {key} identifiants {got[:5]}… differ from the table's {ids[key][:5]}… (values or order)")

    arrow = arrow or {}
    check_json_columns("documents", documents, arrow.get("documents"))
    check_json_columns("temoignages", testimonials, arrow.get("temoignages"))

    # Nested rows named like a table (e.g. questions_reponses under each
    # testimonial), or like a table followed by "_lignes" where the parent
    # has a column of the table's name, must add up to that table's row
    # count, wherever they sit.
    nested: dict[str, int] = {}
    nested_rows: dict[str, list] = {}
    levels = [doc] if isinstance(doc, dict) else []
    levels += documents + testimonials
    for obj in levels:
        for k, v in dict_lists(obj).items():
            if k in ("documents", "temoignages"):
                continue
            if k.endswith("_lignes") and k[: -len("_lignes")] in row_counts:
                k = k[: -len("_lignes")]
            nested[k] = nested.get(k, 0) + len(v)
            nested_rows.setdefault(k, []).extend(v)
    for k, n in sorted(nested.items()):
        if k in row_counts:
            if n != row_counts[k]:
                fail(f"json: {n} nested '{k}' rows, table {k} has {row_counts[k]} rows")
            else:
                info(f"nested '{k}': {n} rows, as in the table")
                check_json_nested(k, nested_rows[k], arrow.get(k))


def check_json_nested(key: str, objects: list, arrow: tuple | None) -> None:
    """The nested rows of a table hold the Parquet table's rows, every column
    rendered alike (compared as sorted lists: JSON groups them by parent)."""
    if arrow is None:
        return
    tbl, fields = arrow
    def rendered(value, ftype, json_side):
        try:
            return render_json(value, ftype) if json_side else render(value, ftype)
        except (ValueError, TypeError) as e:
            return f"<{e}>"
    got = sorted(tuple(rendered(o.get(n, "<absent>"), t, True) for n, t in fields) for o in objects)
    columns = [tbl.column(n).to_pylist() for n, _ in fields]
    expected = sorted(tuple(rendered(columns[c][i], fields[c][1], False) for c in range(len(fields))) for i in range(tbl.num_rows))
    if got != expected:
        diff = next((g, e) for g, e in zip(got, expected) if g != e) if len(got) == len(expected) else (got[:1], expected[:1])
        fail(f"json: nested '{key}' rows differ from the Parquet table, e.g. {diff[0]} vs {diff[1]}")
    else:
        info(f"nested '{key}': every column of every row as in the Parquet table")


# --------------------------------------------------------------------------
# Joins
# --------------------------------------------------------------------------


def check_joins(con, tables_ok: set[str], all_tables: list[str]) -> None:
    print("\n== DuckDB joins")
    needed = ["temoignages", "questions_reponses", "indicateurs"]
    for t in needed:
        if t not in all_tables:
            fail(f"joins: table {t} is not in schemas/")
    if not set(needed) <= tables_ok:
        fail("joins: skipped, some of temoignages/questions_reponses/indicateurs could not be read")
        return
    try:
        rows = con.execute(
            """
            WITH q AS (SELECT temoignage, count(*) AS n FROM questions_reponses GROUP BY temoignage),
                 i AS (SELECT temoignage, count(*) AS n FROM indicateurs GROUP BY temoignage)
            SELECT t.identifiant, coalesce(q.n, 0) AS questions, coalesce(i.n, 0) AS indicateurs
            FROM temoignages t
            LEFT JOIN q ON q.temoignage = t.identifiant
            LEFT JOIN i ON i.temoignage = t.identifiant
            ORDER BY t.identifiant
            """
        ).fetchall()
        qr_join = con.execute(
            "SELECT count(*) FROM temoignages t JOIN questions_reponses q ON t.identifiant = q.temoignage"
        ).fetchone()[0]
        ind_join = con.execute(
            "SELECT count(*) FROM temoignages t JOIN indicateurs i ON t.identifiant = i.temoignage"
        ).fetchone()[0]
    except Exception as e:  # noqa: BLE001
        fail(f"joins: DuckDB query failed: {e}")
        return
    width = max([len("temoignage")] + [len(str(r[0])) for r in rows])
    info(f"{'temoignage':<{width}}  questions  indicateurs")
    for ident, nq, ni in rows:
        info(f"{str(ident):<{width}}  {nq:>9}  {ni:>11}")
    info(f"join temoignages x questions_reponses: {qr_join} rows; temoignages x indicateurs: {ind_join} rows")

    # Orphans: every row that names a testimonial / document must find it.
    fk_columns = {"temoignage": ("temoignages", "identifiant"), "document": ("documents", "identifiant")}
    for table in sorted(tables_ok):
        cols = [r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()]
        for col, (parent, key) in fk_columns.items():
            if col not in cols or table == parent:
                continue
            if parent not in tables_ok:
                if parent == "temoignages":
                    fail(f"joins: cannot check {table}.{col}, table {parent} unreadable")
                continue
            orphans = con.execute(
                f'''SELECT DISTINCT c."{col}" FROM "{table}" c
                    WHERE c."{col}" IS NOT NULL AND c."{col}" <> ''
                      AND c."{col}" NOT IN (SELECT "{key}" FROM "{parent}" WHERE "{key}" IS NOT NULL)
                    ORDER BY 1'''
            ).fetchall()
            if orphans:
                fail(f"joins: {table}.{col} names {len(orphans)} unknown {parent}: {[o[0] for o in orphans[:5]]}")
            else:
                info(f"{table}.{col} -> {parent}.{key}: no orphan")
    nulls = con.execute(
        "SELECT count(*) FROM questions_reponses WHERE temoignage IS NULL OR temoignage = ''"
    ).fetchone()[0]
    if nulls:
        fail(f"joins: {nulls} questions_reponses rows have no temoignage")


# --------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: interop_check.py DIR", file=sys.stderr)
        return 2
    ds = Path(argv[1])
    if not ds.is_dir():
        print(f"interop_check: {ds} is not a folder", file=sys.stderr)
        return 2
    print(f"interop check of {ds}  (pyarrow {pa.__version__}, polars {pl.__version__}, "
          f"duckdb {duckdb.__version__}, pandas {pd.__version__})")

    package = load_json(ds / "datapackage.json")
    resource_paths = set()
    if isinstance(package, dict):
        for r in package.get("resources", []) or []:
            p = r.get("path") if isinstance(r, dict) else None
            for x in p if isinstance(p, list) else [p]:
                if isinstance(x, str):
                    resource_paths.add(x)
    elif package is not None:
        fail("datapackage.json: not a JSON object")

    schema_files = sorted((ds / "schemas").glob("*.json"))
    if not schema_files:
        fail(f"{ds}/schemas: no Table Schema found")
    tables = [p.stem for p in schema_files]

    con = duckdb.connect()
    row_counts: dict[str, int] = {}
    ids: dict[str, list] = {}
    tables_ok: set[str] = set()
    arrow: dict[str, tuple] = {}
    summary = []

    for schema_path in schema_files:
        table = schema_path.stem
        print(f"\n== {table}")
        before = len(FAILURES)
        schema = load_json(schema_path)
        if not isinstance(schema, dict):
            continue
        fields = schema_fields(table, schema)
        if fields is None:
            continue
        if package is not None and f"csv/{table}.csv" not in resource_paths:
            fail(f"{table}: datapackage.json has no resource with path csv/{table}.csv")
        ppath = ds / "parquet" / f"{table}.parquet"
        tbl = check_parquet_file(table, ppath, fields)
        if tbl is not None:
            row_counts[table] = tbl.num_rows
            arrow[table] = (tbl, fields)
            if "identifiant" in tbl.column_names:
                ids[table] = tbl.column("identifiant").to_pylist()
            check_polars(table, ppath, fields, tbl.num_rows)
            if check_duckdb(con, table, ppath, fields, tbl.num_rows):
                tables_ok.add(table)
        n_csv = check_csv(table, ds / "csv" / f"{table}.csv", fields, tbl)
        if table not in row_counts and n_csv is not None:
            row_counts[table] = n_csv
        status = "ok" if len(FAILURES) == before else f"{len(FAILURES) - before} failure(s)"
        summary.append((table, row_counts.get(table, "?"), len(fields), status))

    check_json(ds, row_counts, ids, arrow)
    check_joins(con, tables_ok, tables)

    print("\n== summary")
    w = max([5] + [len(t) for t, *_ in summary])
    for table, n, nf, status in summary:
        print(f"  {table:<{w}}  {n!s:>6} rows  {nf:>3} columns  {status}")
    if FAILURES:
        print(f"\ninterop_check: FAILED, {len(FAILURES)} problem(s) in {ds}:", file=sys.stderr)
        for m in FAILURES:
            print(f"  - {m}", file=sys.stderr)
        return 1
    print(f"\ninterop_check: OK, {len(summary)} table(s) in {ds} read alike by pyarrow, polars, DuckDB and pandas")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
