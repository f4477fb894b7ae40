#!/usr/bin/env python3
"""Print the Markdown table of a benches/run.sh run: medians, ratios, targets.

usage: table.py RESULTS_DIR "1 10 100"
"""

import json
import os
import sys

res = sys.argv[1]
scales = sys.argv[2].split()

# (measurement, scale) -> target ratio (ofsearch / peer), for the peer named.
TARGETS = {
    ("exh", "1", "rg"): 1.0,
    ("exh", "100", "rg"): 0.5,
    ("top", "1", "rg"): 0.3,
    ("top", "100", "rg"): 0.01,
    ("count", "100", "rg"): 0.05,
}


def medians(name):
    path = os.path.join(res, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return [r["median"] for r in json.load(f)["results"]]


def read(name):
    path = os.path.join(res, name + ".txt")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return f.read().strip()


def fmt_t(t):
    if t is None:
        return "—"
    if t < 1:
        return f"{t * 1000:.1f} ms"
    return f"{t:.2f} s"


def fmt_b(n):
    return f"{n / 1048576:.1f} MiB"


rows = []


def row(what, scale, ours, peer, theirs, target):
    ratio = ours / theirs if ours is not None and theirs else None
    met = "—"
    if target is not None and ratio is not None:
        met = "yes" if ratio <= target else "**no**"
    rows.append(
        [
            what,
            f"{scale}x",
            fmt_t(ours),
            peer,
            fmt_t(theirs),
            f"{ratio:.3f}×" if ratio is not None else "—",
            f"≤ {target}×" if target is not None else "—",
            met,
        ]
    )


for s in scales:
    exh, top = medians(f"exh-{s}x"), medians(f"top-{s}x")
    if exh:
        row('exhaustive `"management oversight"`, all hits', s, exh[0], "rg -i -U", exh[1],
            TARGETS.get(("exh", s, "rg")))
        row('exhaustive `"management oversight"`, all hits', s, exh[0], "sqlite3 FTS5", exh[2], None)
    if top and exh:
        row('top-10 `"management oversight"`', s, top[0], "rg -i -U (all)", exh[1],
            TARGETS.get(("top", s, "rg")))
        row('top-10 `"management oversight"`', s, top[0], "sqlite3 FTS5 (rank, limit 10)", top[1], None)
    for name, what in (("words", "top-10 `management oversight` (words)"), ("word", "top-10 `children`"),
                       ("prefix", "top-10 `child*` (prefix)")):
        m = medians(f"{name}-{s}x")
        if m:
            row(what, s, m[0], "sqlite3 FTS5 (rank, limit 10)", m[1], None)
    cnt = medians(f"count-{s}x")
    if cnt:
        row('count `"management oversight"`', s, cnt[0], "rg -i -U -c", cnt[1],
            TARGETS.get(("count", s, "rg")))
for s in scales:
    bo, bf = medians(f"build-ofs-{s}x"), medians(f"build-fts-{s}x")
    if bo and bf:
        row("index build from text", s, bo[0], "sqlite3 FTS5 build", bf[0], 1.0)
p = medians("pdf")
if p:
    row("PDF ingest, 111 reports", "1", p[0], "pdftotext, serial loop", p[1], 0.35)

print("| measurement | scale | ofsearch | peer | peer time | ratio | target | met? |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")

print()
print("| scale | text | ofsearch index | ratio (target ≤ 1.0×) | FTS5 db | phrase hits | re-ingest unchanged |")
print("|---|---|---|---|---|---|---|")
for s in scales:
    t, i, d = read(f"textsize-{s}x"), read(f"idxsize-{s}x"), read(f"dbsize-{s}x")
    if not (t and i and d):
        continue
    t, i, d = int(t), int(i), int(d)
    ratio = i / t
    hits = (read(f"hits-{s}x") or "").replace("\n", "; ")
    re = medians(f"reingest-{s}x")
    print(
        f"| {s}x | {fmt_b(t)} | {fmt_b(i)} | {ratio:.2f}× {'yes' if ratio <= 1.0 else '**no**'} "
        f"| {fmt_b(d)} | {hits} | {fmt_t(re[0]) if re else '—'} |"
    )

print()
print("| peak RSS | KiB | MiB | target |")
print("|---|---|---|---|")
names = ["pdf-ingest"] + [f"ingest-{s}x" for s in scales] + [f"query-{s}x" for s in scales] + ["ingest-big"]
for n in names:
    v = read(f"{n}.rss")
    if not v:
        continue
    kib = int(v)
    target = ""
    target = "≤ 1 GiB: " + ("yes" if kib <= 1048576 else "**no**")
    print(f"| {n} | {kib} | {kib / 1024:.0f} | {target} |")
