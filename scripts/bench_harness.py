#!/usr/bin/env python3
"""Measures and prints the benchmark of issue 7 (called by scripts/bench).

Each measurement is a whole process started with subprocess and reaped with
os.wait4: wall time from perf_counter around it, peak RSS from ru_maxrss.
Runs are interleaved (every repetition runs every program on every corpus, in
a rotating order) and medians are reported, because the machine is shared.
Before each run the corpus is read once and the page cache is written back
(`sync`), unmeasured, so that every program finds the corpus in memory and
does not share the machine with the writeback of the program before it.
"""

import argparse
import atexit
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "target", "bench")
SEED = os.path.join(ROOT, "input", "pages", "2024-07-03-cloud-temoignages.md")
TOOL = os.path.join(ROOT, "target", "release", "temoignages")
BARE = os.environ.get("BENCH_BARE_PARSE") or os.path.join(ROOT, "target", "release", "examples", "bare_parse")
STAGES = os.environ.get("BENCH_STAGES") or os.path.join(ROOT, "target", "release", "examples", "stages")
PEER = os.path.join(ROOT, "scripts", "bench_peer.py")
CORPUS = os.path.join(ROOT, "scripts", "bench_corpus.py")
COUNTED = ["temoignages", "questions_reponses", "liens"]


def corpus(size):
    path = os.path.join(BENCH, f"corpus-{size}")
    if not os.path.isdir(path):
        smaller = [os.path.join(BENCH, f"corpus-{s}") for s in (100, 300) if s < size]
        link = [p for p in smaller if os.path.isdir(p)]
        cmd = [sys.executable, CORPUS, SEED, path, str(size)]
        if link:
            cmd += ["--link-from", link[-1]]
        print(f"bench: building {path}", file=sys.stderr)
        subprocess.run(cmd, check=True)
    files = [os.path.join(r, n) for r, _d, ns in os.walk(path) for n in ns]
    return path, len(files), sum(os.path.getsize(f) for f in files)


def cpu_model():
    """The processor's name (/proc/cpuinfo): ratios against the peer move from one host to another."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run(cmd, env=None, log=None):
    """Runs one whole process; returns wall seconds, peak RSS (bytes), exit code, stdout."""
    with open(log + ".out", "wb") as out, open(log + ".err", "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        _pid, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    with open(log + ".out", encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    return {"wall_s": wall, "rss_bytes": ru.ru_maxrss * 1024, "user_s": ru.ru_utime, "sys_s": ru.ru_stime,
            "rc": p.returncode, "stdout": stdout[-2000:]}


def has_jobs_flag():
    h = subprocess.run([TOOL, "build", "--help"], capture_output=True, text=True).stdout
    return "--jobs" in h


def programs(jobs_flag, ncores):
    def build(n):
        def make(cpath, out):
            cmd = [TOOL, "build", cpath, "--out", out]
            env = dict(os.environ)
            env.pop("RAYON_NUM_THREADS", None)
            if jobs_flag:
                cmd += ["--jobs", str(n)]
            else:
                env["RAYON_NUM_THREADS"] = str(n)
            return cmd, env
        return make

    return {
        "build_j1": build(1),
        f"build_j{ncores}": build(ncores),
        "bare_parse": lambda cpath, out: ([BARE, cpath], None),
        "python_peer": lambda cpath, out: ([sys.executable, PEER, cpath, out], None),
    }


def parquet_rows(out, tables):
    """Row counts of the tool's Parquet files, read in a separate process: the
    harness stays small because a child's ru_maxrss starts from the size of
    the process that forked it."""
    code = ("import sys, os, json, pyarrow.parquet as pq; out = sys.argv[1]; "
            "print(json.dumps({t: (pq.ParquetFile(os.path.join(out, 'parquet', t + '.parquet')).metadata.num_rows "
            "if os.path.exists(os.path.join(out, 'parquet', t + '.parquet')) else None) for t in sys.argv[2:]}))")
    r = subprocess.run([sys.executable, "-c", code, out] + tables, capture_output=True, text=True)
    return json.loads(r.stdout) if r.returncode == 0 else {}


def warm(cpath):
    """Reads every file of the corpus, so that it is in the page cache."""
    for f in os.listdir(cpath):
        with open(os.path.join(cpath, f), "rb") as fh:
            while fh.read(1 << 20):
                pass


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100 MB only, 1 repetition")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--reps-large", type=int, default=None,
                    help="repetitions for corpora above 100 MB (default: --reps)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--fresh-out", action="store_true",
                    help="every run writes into a new folder; all are removed at the end "
                         "(by default a program's previous output is removed just before it runs, "
                         "so its output reuses the memory just freed)")
    ap.add_argument("--sizes", default=None, help="comma-separated corpus sizes in MB (default 100,300)")
    a = ap.parse_args()
    sizes = [100] if a.quick else [int(s) for s in (a.sizes or "100,300").split(",")]
    reps = 1 if a.quick else a.reps
    reps_large = reps if a.reps_large is None else min(a.reps_large, reps)
    ncores = os.cpu_count() or 1
    for exe in (TOOL, BARE):
        if not os.access(exe, os.X_OK):
            sys.exit(f"bench: {exe} missing (run without --no-build)")
    jobs_flag = has_jobs_flag()
    progs = programs(jobs_flag, ncores)
    names = list(progs)
    corpora = {s: corpus(s) for s in sizes}
    logs = os.path.join(BENCH, "logs")
    os.makedirs(logs, exist_ok=True)
    results = {s: {n: [] for n in names} for s in sizes}
    counts = {}
    # Warm the binaries once (not measured).
    for s in sizes:
        subprocess.run(["cat"] + [os.path.join(corpora[s][0], f) for f in os.listdir(corpora[s][0])[:1]],
                       stdout=subprocess.DEVNULL)
    floor = run(["true"], None, os.path.join(logs, "floor"))["rss_bytes"]
    if a.fresh_out:
        # Removed at the end, or when the run stops early: the folders and
        # the lock file the build leaves beside each one.
        def nettoyer():
            for s in sizes:
                for name in names:
                    for rep in range(reps):
                        base = f"{name}-{s}-{rep}"
                        shutil.rmtree(os.path.join(BENCH, "out", base), ignore_errors=True)
                        try:
                            os.remove(os.path.join(BENCH, "out", f".{base}.lock"))
                        except FileNotFoundError:
                            pass
        atexit.register(nettoyer)
    step = 0
    total = len(names) * sum(reps if s <= 100 else reps_large for s in sizes)
    for rep in range(reps):
        for s in sizes:
            if s > 100 and rep >= reps_large:
                continue
            cpath = corpora[s][0]
            order = names[rep % len(names):] + names[: rep % len(names)]
            for name in order:
                out = os.path.join(BENCH, "out", f"{name}-{s}" + (f"-{rep}" if a.fresh_out else ""))
                shutil.rmtree(out, ignore_errors=True)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                cmd, env = progs[name](cpath, out)
                # Every program starts with the corpus in the page cache and
                # nothing left to write back (not measured): these VMs reclaim
                # cold page cache within minutes (a kdamond thread runs), and
                # the kernel writes the last program's output (up to 1.1 GB)
                # to disk on one of the two cores while the next one runs.
                warm(cpath)
                os.sync()
                r = run(cmd, env, os.path.join(logs, f"{name}-{s}-{rep}"))
                step += 1
                print(f"bench: [{step}/{total}] {s} MB {name}: "
                      f"{r['wall_s']:.2f} s (user {r['user_s']:.2f}, sys {r['sys_s']:.2f}), "
                      f"{r['rss_bytes'] / 1e6:.0f} MB RSS, rc {r['rc']}", file=sys.stderr)
                if name == "bare_parse":
                    try:
                        r["bare"] = json.loads(r["stdout"].strip().splitlines()[-1])
                    except (ValueError, IndexError):
                        r["bare"] = None
                results[s][name].append(r)
                if rep == 0 and name == "python_peer":
                    try:
                        counts.setdefault(s, {})["python_peer"] = json.loads(r["stdout"].strip().splitlines()[-1])
                    except (ValueError, IndexError):
                        pass
                if rep == 0 and name.startswith("build_j"):
                    counts.setdefault(s, {})[name] = parquet_rows(out, COUNTED)

    # Summary.
    summary = {}
    for s in sizes:
        _p, nfiles, nbytes = corpora[s]
        row = {"files": nfiles, "bytes": nbytes}
        for name in names:
            rs = results[s][name]
            wall = med([r["wall_s"] for r in rs])
            d = {"wall_s": wall, "rss_mb": med([r["rss_bytes"] for r in rs]) / 1e6,
                 "mb_per_s": nbytes / 1e6 / wall, "cpu_s": med([r["user_s"] + r["sys_s"] for r in rs]),
                 "sys_s": med([r["sys_s"] for r in rs]),
                 "rc": sorted({r["rc"] for r in rs}), "walls": [round(r["wall_s"], 3) for r in rs]}
            if name == "bare_parse":
                bs = [r["bare"] for r in rs if r.get("bare")]
                if bs:
                    d["parse_s"] = med([b["seconds"] for b in bs])
                    d["parse_mb_per_s"] = bs[0]["bytes"] / 1e6 / d["parse_s"]
                    d["body_bytes"] = bs[0]["bytes"]
            row[name] = d
        j1, jn, bare, peer = (row[n] for n in names)
        row["ratios"] = {
            "build_j1_vs_bare_parse": j1["mb_per_s"] / bare.get("parse_mb_per_s", float("nan")),
            f"peer_wall_vs_build_j{ncores}_wall": peer["wall_s"] / jn["wall_s"],
            # Less sensitive to other load on the machine: CPU seconds (user + sys) of whole processes.
            "cpu_build_j1_vs_bare_process": bare["cpu_s"] / j1["cpu_s"],
            "cpu_peer_vs_build_j1": peer["cpu_s"] / j1["cpu_s"],
        }
        summary[s] = row
    flat = {}
    if 100 in summary and 300 in summary:
        for n in names[:2]:
            flat[f"{n}_rss_300_vs_100"] = summary[300][n]["rss_mb"] / summary[100][n]["rss_mb"]
        flat["python_peer_rss_300_vs_100"] = summary[300]["python_peer"]["rss_mb"] / summary[100]["python_peer"]["rss_mb"]

    # Table.
    lines = []
    lines.append(f"temoignages bench — {platform.node()}, {cpu_model()}, {ncores} cores, Python {platform.python_version()}, "
                 f"{reps} repetition(s) (corpora > 100 MB: {reps_large}), medians; "
                 f"jobs via {'--jobs' if jobs_flag else 'RAYON_NUM_THREADS (no --jobs flag yet)'}; "
                 f"{'every run writes into a new folder' if a.fresh_out else 'each output replaces the same program’s last one'}")
    for s in sizes:
        row = summary[s]
        lines.append("")
        lines.append(f"corpus-{s}: {row['files']} files, {row['bytes'] / 1e6:.1f} MB")
        lines.append(f"| {'program':<26} | {'wall s':>8} | {'MB/s':>8} | {'CPU s':>7} | {'sys s':>6} | {'peak RSS MB':>11} | rc |")
        lines.append(f"|{'-' * 28}|{'-' * 10}|{'-' * 10}|{'-' * 9}|{'-' * 8}|{'-' * 13}|----|")
        for name in names:
            d = row[name]
            lines.append(f"| {name:<26} | {d['wall_s']:>8.2f} | {d['mb_per_s']:>8.1f} | {d['cpu_s']:>7.2f} | {d['sys_s']:>6.2f} | "
                         f"{d['rss_mb']:>11.0f} | {','.join(map(str, d['rc']))} |")
            if name == "bare_parse" and "parse_s" in d:
                lines.append(f"| {'  bare parse, in-process':<26} | {d['parse_s']:>8.2f} | "
                             f"{d['parse_mb_per_s']:>8.1f} | {'':>7} | {'':>6} | {'':>11} |    |")
        r = row["ratios"]
        lines.append(f"ratio build --jobs 1 MB/s ÷ bare parse MB/s = {r['build_j1_vs_bare_parse']:.3f}  (target ≥ 0.5)")
        k = f"peer_wall_vs_build_j{ncores}_wall"
        lines.append(f"ratio Python peer wall ÷ build --jobs {ncores} wall = {r[k]:.2f}  (target ≥ 20)")
        lines.append(f"CPU-time view (user+sys): bare parse process CPU ÷ build --jobs 1 CPU = "
                     f"{r['cpu_build_j1_vs_bare_process']:.3f}; Python peer CPU ÷ build --jobs 1 CPU = "
                     f"{r['cpu_peer_vs_build_j1']:.2f}")
        c = counts.get(s, {})
        if c:
            lines.append("counts (rows):  " + "; ".join(
                f"{prog}: " + ", ".join(f"{t} {v.get(t)}" for t in COUNTED) for prog, v in c.items()))
            p = c.get("python_peer", {})
            for prog, v in c.items():
                if prog != "python_peer" and p:
                    diff = {t: (v.get(t), p.get(t)) for t in COUNTED if v.get(t) != p.get(t)}
                    lines.append(f"  {prog} vs python_peer: " + ("same counts" if not diff else f"DIFFER {diff}"))
    for k, v in flat.items():
        lines.append(f"{k.replace('_', ' ')} = {v:.2f}" + ("  (target ≤ 1.5)" if k.startswith("build") else ""))
    # Where one thread's time goes (examples/stages.rs): each stage of the
    # extraction against the bare parse, in one process, on the smallest corpus.
    stages = None
    if os.access(STAGES, os.X_OK):
        s = min(sizes)
        print(f"bench: stages on {s} MB (one thread, 5 rounds)", file=sys.stderr)
        r = run([STAGES, corpora[s][0], "5", "--json"], None, os.path.join(logs, f"stages-{s}"))
        try:
            stages = json.loads(r["stdout"].strip().splitlines()[-1])
        except (ValueError, IndexError):
            stages = None
        if stages:
            bare_s = stages["bare"]["seconds"]
            lines.append("")
            lines.append(f"stages, one thread, in one process (examples/stages.rs, corpus-{s}, median of {stages['rounds']} rounds):")
            lines.append(f"| {'stage':<8} | {'seconds':>8} | {'MB/s':>7} | {'÷ bare parse':>12} |")
            lines.append(f"|{'-' * 10}|{'-' * 10}|{'-' * 9}|{'-' * 14}|")
            for name in ("bare", "parse", "extract", "render"):
                d = stages[name]
                lines.append(f"| {name:<8} | {d['seconds']:>8.3f} | {d['mb_per_s']:>7.1f} | {bare_s / d['seconds']:>12.3f} |")
    lines.append(f"(peak RSS floor of the method, `true` started by the harness: {floor / 1e6:.0f} MB)")
    # Whether one page's cost stays linear in its size, whatever its shape
    # (scripts/bench_shapes.py): pages of 1 and 4 MB, each read alone.
    import bench_shapes
    print("bench: page shapes (1 and 4 MB pages, one at a time)", file=sys.stderr)
    shapes = bench_shapes.mesurer(TOOL, os.path.join(BENCH, "shapes"), reps)
    lines.append("")
    lines.append(bench_shapes.table(shapes, reps))
    text = "\n".join(lines)
    print(text)
    os.makedirs(BENCH, exist_ok=True)
    with open(os.path.join(BENCH, "results.json"), "w") as f:
        json.dump({"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "host": platform.node(), "cpu": cpu_model(),
                   "python": platform.python_version(), "cores": ncores,
                   "reps": reps, "reps_large": reps_large, "fresh_out": a.fresh_out, "jobs_flag": jobs_flag, "summary": summary, "rss_ratios": flat,
                   "counts": counts, "stages": stages, "shapes": shapes, "rss_floor_bytes": floor, "runs": results, "table": text}, f, indent=1, default=str)
    print(f"\nraw results: {os.path.relpath(os.path.join(BENCH, 'results.json'), ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
