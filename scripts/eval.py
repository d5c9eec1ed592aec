#!/usr/bin/env python3
"""Measure how well alipay-explain explains the development set, through its --json output.

    cargo build --release && python3 scripts/eval.py [--bin target/release/alipay-explain]
        [--data ../shared/data] [--verbose]

For every message of dev.jsonl (clean) and dev-noisy.jsonl (as people paste them) it runs the
binary once and compares the matches with fixtures/dev-expected.json (key -> entry id).

A paste counts as right when every expected id is among its matches; a wrong answer is a match
with confidence >= 0.8 whose id is not expected. Results are printed per noise kind.
"""
import argparse, collections, json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument('--bin', default=os.path.join(root, 'target', 'release', 'alipay-explain'))
ap.add_argument('--data', default=os.path.join(root, 'fixtures', 'dev'))
ap.add_argument('--verbose', '-v', action='store_true')
args = ap.parse_args()

expected = json.load(open(os.path.join(root, 'fixtures', 'dev-expected.json')))['expected']

def explain(text):
    p = subprocess.run([args.bin, '--json', '-'], input=text.encode(), capture_output=True)
    if p.returncode == 2:
        raise SystemExit(f'error on {text!r}: {p.stderr.decode()}')
    return json.loads(p.stdout)

def judge(keys, text):
    want = [expected[k] for k in keys]
    out = explain(text)
    got = [(m['id'], m['confidence'], m['kind']) for m in out['matches']]
    ids = [g[0] for g in got]
    right = all(w in ids for w in want)
    wrong_high = [g for g in got if g[0] not in want and g[1] >= 0.8]
    sure = right and all(c >= 0.8 for i, c, _ in got if i in want)
    return right, wrong_high, sure, got, out.get('suggestions', [])

rows = []
for line in open(os.path.join(args.data, 'dev.jsonl')):
    d = json.loads(line)
    rows.append(('clean', [d['key']], d['zh']))
for line in open(os.path.join(args.data, 'dev-noisy.jsonl')):
    d = json.loads(line)
    keys = d['key'] if isinstance(d['key'], list) else [d['key']]
    rows.append((d['noise'], keys, d['zh']))

stats = collections.defaultdict(lambda: [0, 0, 0, 0])  # n, right, sure, wrong_high
for noise, keys, text in rows:
    right, wrong_high, sure, got, sugg = judge(keys, text)
    s = stats[noise]
    s[0] += 1; s[1] += right; s[2] += sure; s[3] += bool(wrong_high)
    if args.verbose and (not right or wrong_high):
        print(f'{"MISS" if not right else "WRONG"} [{noise}] {keys} {text!r}\n    want {[expected[k] for k in keys]}\n    got  {got}\n    sugg {[(x["id"], x["confidence"]) for x in sugg]}')

print(f'{"noise":10} {"n":>4} {"right":>6} {"%":>6} {"sure>=0.8":>9} {"wrong>=0.8":>10}')
tot = [0, 0, 0, 0]
noisy = [0, 0, 0, 0]
for noise in ['clean', 'punct', 'nopunct', 'spaces', 'trad', 'ocr', 'truncate', 'embed', 'multi']:
    if noise not in stats: continue
    n, r, su, w = stats[noise]
    print(f'{noise:10} {n:4} {r:6} {100*r/n:6.1f} {su:9} {w:10}')
    for i in range(4):
        tot[i] += stats[noise][i]
        if noise != 'clean': noisy[i] += stats[noise][i]
print(f'{"noisy all":10} {noisy[0]:4} {noisy[1]:6} {100*noisy[1]/noisy[0]:6.1f} {noisy[2]:9} {noisy[3]:10}')
print(f'{"all":10} {tot[0]:4} {tot[1]:6} {100*tot[1]/tot[0]:6.1f} {tot[2]:9} {tot[3]:10}')
