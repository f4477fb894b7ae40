#!/usr/bin/env python3
"""Judged relevance: ofsearch's top 10 against SQLite FTS5 bm25() ranking the same passages.

usage: benches/relevance/score.py [--bin BIN] [--index DIR] [--per-query] [--unjudged OUT.json] [--json]

Without --index, an index of ../shared/corpus and ../shared/seeds is built in a
temporary folder (the set the judgments were pooled from). Judgments are
queries.json and qrels.json beside this script (see README.md there).

Prints nDCG@10 (gain 2^grade - 1; the ideal ranking is the query's best judged
passages), P@10 at grade >= 1 and at grade 2, passages under 8 words in the
top 3, and how many passages in either top 10 nobody judged (they count as 0).
"""
import argparse
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared')


def words(text):
    return re.findall(r'\w+', text)


def squash(text):
    return ' '.join(text.split())


def corpus_key(path):
    """A path from its corpus/ or seeds/ folder on, as judgments name files."""
    m = re.search(r'(?:^|/)((?:corpus|seeds)/.*)$', path)
    return m.group(1) if m else path


class Ofsearch:
    def __init__(self, binary, index):
        self.binary, self.index = binary, index

    def run(self, *args):
        out = subprocess.run([self.binary, *args, '--index', self.index],
                             capture_output=True, text=True)
        if out.returncode not in (0, 1):
            sys.exit(f'score.py: {self.binary} {" ".join(args)} failed: {out.stderr.strip()}')
        return out.stdout

    def passages(self):
        """Every passage of the index: {(file, paragraph): text}."""
        found = {}
        for line in self.run('docs', '--json').splitlines():
            if not line.strip():
                continue
            doc = json.loads(line)
            shown = json.loads(self.run('show', doc['doc_id'], '--json'))
            for p in shown['passages']:
                found[(corpus_key(doc['path']), p['paragraph'])] = p['text']
        return found

    def top10(self, query):
        hits = [json.loads(l) for l in self.run('search', query, '-n', '10', '--json').splitlines() if l.strip()]
        return [(corpus_key(h['path']), h['paragraph']) for h in hits]


class Fts5:
    """The same passages in an FTS5 table ranked by bm25(), words as quoted terms."""

    def __init__(self, passages):
        self.db = sqlite3.connect(':memory:')
        self.db.execute("create virtual table p using fts5(file unindexed, paragraph unindexed, body,"
                        " tokenize='porter unicode61')")
        self.db.executemany('insert into p values (?, ?, ?)',
                            ((k[0], k[1], text) for k, text in passages.items()))

    def top10(self, query):
        match = ' '.join('"%s"' % w.replace('"', '') for w in query.split())
        rows = self.db.execute('select file, paragraph from p where p match ? order by bm25(p) limit 10', (match,))
        return [(f, n) for f, n in rows]


def dcg(gains):
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:10]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bin', default=os.path.join(ROOT, 'target', 'release', 'ofsearch'))
    ap.add_argument('--index')
    ap.add_argument('--queries', default=os.path.join(HERE, 'queries.json'))
    ap.add_argument('--qrels', default=os.path.join(HERE, 'qrels.json'))
    ap.add_argument('--per-query', action='store_true')
    ap.add_argument('--unjudged', metavar='OUT.json')
    ap.add_argument('--json', action='store_true', help='print the totals as one JSON object')
    a = ap.parse_args()

    tmp = None
    index = a.index
    if index is None:
        if not os.path.isdir(os.path.join(SHARED, 'corpus')):
            sys.exit(f'score.py: no judged corpus at {SHARED}/corpus; give --index')
        tmp = tempfile.TemporaryDirectory()
        index = tmp.name
        subprocess.run([a.bin, 'ingest', os.path.join(SHARED, 'corpus'), os.path.join(SHARED, 'seeds'),
                        '--index', index], check=True, capture_output=True)
    ofs = Ofsearch(a.bin, index)
    texts = ofs.passages()
    fts = Fts5(texts)
    queries = json.load(open(a.queries))
    qrels = json.load(open(a.qrels))

    systems = {'ofsearch': ofs, 'fts5': fts}
    totals = {s: {'ndcg': 0.0, 'p1': 0.0, 'p2': 0.0, 'short_top3': 0, 'unjudged': 0} for s in systems}
    unjudged = {}
    rows = []
    for q in queries:
        qid = str(q['id'])
        grades = {(r['path'], squash(r['text'])): r['grade'] for r in qrels.get(qid, [])}
        ideal = dcg(sorted(grades.values(), reverse=True))
        row = [f"{qid:>4} {q['q'][:34]:34s}"]
        for name, system in systems.items():
            keys = system.top10(q['q'])
            got = [grades.get((k[0], squash(texts.get(k, '')))) for k in keys]
            for k, g in zip(keys, got):
                if g is None:
                    unjudged.setdefault(qid, {})[k] = texts.get(k, '')
            gains = [g or 0 for g in got]
            t = totals[name]
            t['ndcg'] += dcg(gains) / ideal if ideal else 0.0
            t['p1'] += sum(g >= 1 for g in gains) / 10
            t['p2'] += sum(g >= 2 for g in gains) / 10
            t['short_top3'] += sum(len(words(texts.get(k, ''))) < 8 for k in keys[:3])
            t['unjudged'] += sum(g is None for g in got)
            marks = ''.join('?' if g is None else str(g) for g in got)
            row.append(f"{name} {dcg(gains) / ideal if ideal else 0:.3f} {marks:10s}")
        rows.append('  '.join(row))

    n = len(queries)
    for t in totals.values():
        for k in ('ndcg', 'p1', 'p2'):
            t[k] = round(t[k] / n, 3)
    if a.per_query:
        print('\n'.join(rows))
    if a.json:
        print(json.dumps(totals))
    else:
        print(f"{'':10s} {'nDCG@10':>8} {'P@10>=1':>8} {'P@10=2':>8} {'short top3':>10} {'unjudged':>9}")
        for name, t in totals.items():
            print(f"{name:10s} {t['ndcg']:8.3f} {t['p1']:8.3f} {t['p2']:8.3f} {t['short_top3']:10d} {t['unjudged']:9d}")
    if a.unjudged:
        out = {qid: [{'path': k[0], 'paragraph': k[1], 'text': text} for k, text in found.items()]
               for qid, found in unjudged.items()}
        with open(a.unjudged, 'w') as f:
            json.dump(out, f, indent=1, ensure_ascii=False)


if __name__ == '__main__':
    main()
