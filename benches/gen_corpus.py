#!/usr/bin/env python3
"""Deterministic scale-corpus generator for the ofsearch benchmarks.

Reads plain-text reports (one paragraph per blank-line-separated block, e.g. the
output of `ofsearch extract`), and writes N times as many plain-text files, each
built by recombining paragraphs of real report text: most paragraphs come from
one source report (so documents keep a report's shape), the rest are drawn from
the whole pool; local authority names and dates are varied. Same inputs and
seed give byte-identical output.

usage: gen_corpus.py SRC_DIR OUT_DIR --times N [--seed S] [--paras OUT.csv]
       gen_corpus.py SRC_DIR --paras-only OUT.csv   (paragraph CSV of SRC_DIR as is)

--paras also writes every generated paragraph as CSV rows (path, paragraph,
text) for loading into SQLite FTS5, so both engines index the same passages.
"""

import argparse
import csv
import os
import random
import re
import sys

AUTHORITIES = [
    "Barnsley", "Bath and North East Somerset", "Bedford", "Birmingham", "Blackpool",
    "Bolton", "Bradford", "Brighton and Hove", "Bristol", "Bromley", "Buckinghamshire",
    "Calderdale", "Cambridgeshire", "Camden", "Cheshire East", "Cornwall", "Coventry",
    "Croydon", "Cumbria", "Derby", "Devon", "Doncaster", "Dorset", "Dudley", "Durham",
    "Ealing", "East Sussex", "Essex", "Gateshead", "Gloucestershire", "Hackney",
    "Hampshire", "Haringey", "Hertfordshire", "Kent", "Kingston upon Thames", "Kirklees",
    "Lancashire", "Leeds", "Leicester", "Lincolnshire", "Liverpool", "Manchester",
    "Medway", "Newcastle upon Tyne", "Norfolk", "North Yorkshire", "Nottingham",
    "Oldham", "Oxfordshire", "Plymouth", "Portsmouth", "Rochdale", "Rotherham",
    "Salford", "Sandwell", "Sefton", "Sheffield", "Shropshire", "Somerset",
    "South Gloucestershire", "Southampton", "Staffordshire", "Stockport", "Suffolk",
    "Sunderland", "Surrey", "Swindon", "Tameside", "Torbay", "Trafford", "Wakefield",
    "Walsall", "Warwickshire", "West Sussex", "Wigan", "Wiltshire", "Wirral",
    "Wolverhampton", "Worcestershire", "York",
]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]
AUTH_RE = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(AUTHORITIES, key=len, reverse=True)) + r")\b")
DATE_RE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (20\d\d)\b")


def read_reports(src):
    reports = []
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            paras = [p.strip() for p in f.read().split("\n\n")]
        paras = [p for p in paras if p]
        if paras:
            reports.append(paras)
    return reports


def vary(text, rng, authority, year):
    text = AUTH_RE.sub(authority, text)

    def date(m):
        return f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year + rng.randint(-1, 0)}"

    return DATE_RE.sub(date, text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--times", type=int, default=1)
    ap.add_argument("--paras-only")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--paras")
    args = ap.parse_args()

    if args.paras_only:
        with open(args.paras_only, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            for name in sorted(os.listdir(args.src)):
                path = os.path.join(args.src, name)
                with open(path, encoding="utf-8", errors="replace") as t:
                    paras = [p.strip() for p in t.read().split("\n\n")]
                for j, p in enumerate(p for p in paras if p):
                    w.writerow([path, j, p])
        return
    if not args.out:
        sys.exit("OUT_DIR is required")
    reports = read_reports(args.src)
    if not reports:
        sys.exit(f"no text files in {args.src}")
    pool = [p for r in reports for p in r]
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    para_out = None
    if args.paras:
        para_file = open(args.paras, "w", newline="", encoding="utf-8")
        para_out = csv.writer(para_file)
    n = len(reports) * args.times
    for i in range(n):
        base = reports[i % len(reports)]
        authority = rng.choice(AUTHORITIES)
        year = rng.randint(2016, 2025)
        paras = []
        for p in base:
            if rng.random() < 0.3:
                p = rng.choice(pool)
            paras.append(vary(p, rng, authority, year))
        sub = os.path.join(args.out, f"{i // 1000:03d}")
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, f"report-{i:06d}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n\n".join(paras))
            f.write("\n")
        if para_out is not None:
            for j, p in enumerate(paras):
                para_out.writerow([path, j, p])
    if para_out is not None:
        para_file.close()


if __name__ == "__main__":
    main()
