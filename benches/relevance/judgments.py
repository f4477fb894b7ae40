#!/usr/bin/env python3
"""Add judgments for passages a ranking change surfaced, judged blind.

  judgments.py blind UNJUDGED.json [UNJUDGED.json ...] --out BATCH.json
      Pool the passages `score.py --unjudged` wrote (from any number of
      runs), drop those already judged, shuffle them and write two files:
      BATCH.json (with paths, kept by you) and BATCH.blind.json (query, need
      and text only, for the assessors: nothing says which system ranked a
      passage).
  judgments.py merge BATCH.json GRADES.json [GRADES.json ...] --note TEXT
      Add the batch to qrels.json. With several assessors' grades (each a
      JSON object from item number to grade), the lower grade is kept.
      Existing judgments are never changed.
"""
import argparse
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
QRELS = os.path.join(HERE, 'qrels.json')
QUERIES = os.path.join(HERE, 'queries.json')


def squash(text):
    return ' '.join(text.split())


def judged(qrels):
    return {(q, r['path'], squash(r['text'])) for q, rows in qrels.items() for r in rows}


def blind(a):
    queries = {str(q['id']): q for q in json.load(open(QUERIES))}
    have = judged(json.load(open(QRELS)))
    pool = {}
    for path in a.unjudged:
        for qid, rows in json.load(open(path)).items():
            for r in rows:
                key = (qid, r['path'], squash(r['text']))
                if key not in have:
                    pool.setdefault(key, r)
    items = [{'query_id': q, 'query': queries[q]['q'], 'need': queries[q]['need'], 'path': p,
              'paragraph': r['paragraph'], 'text': r['text']} for (q, p, _), r in pool.items()]
    random.Random(a.seed).shuffle(items)
    for i, item in enumerate(items):
        item['item'] = i
    json.dump(items, open(a.out, 'w'), indent=1, ensure_ascii=False)
    shown = [{k: item[k] for k in ('item', 'query', 'need', 'text')} for item in items]
    blind_path = os.path.splitext(a.out)[0] + '.blind.json'
    json.dump(shown, open(blind_path, 'w'), indent=1, ensure_ascii=False)
    print(f'{len(items)} passages to judge: {blind_path}')


def merge(a):
    qrels = json.load(open(QRELS))
    have = judged(qrels)
    grades = [json.load(open(g)) for g in a.grades]
    added = 0
    for item in json.load(open(a.batch)):
        key = (item['query_id'], item['path'], squash(item['text']))
        if key in have:
            continue
        grade = min(g[str(item['item'])] for g in grades)
        qrels.setdefault(item['query_id'], []).append(
            {'path': item['path'], 'paragraph': item['paragraph'], 'grade': grade, 'text': item['text'],
             'judged': a.note})
        have.add(key)
        added += 1
    json.dump(qrels, open(QRELS, 'w'), indent=1, ensure_ascii=False)
    print(f'{added} judgments added')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    b = sub.add_parser('blind')
    b.add_argument('unjudged', nargs='+')
    b.add_argument('--out', required=True)
    b.add_argument('--seed', type=int, default=7)
    m = sub.add_parser('merge')
    m.add_argument('batch')
    m.add_argument('grades', nargs='+')
    m.add_argument('--note', required=True)
    a = ap.parse_args()
    blind(a) if a.cmd == 'blind' else merge(a)


if __name__ == '__main__':
    main()
