#!/usr/bin/env python3
"""Stress the matcher with every catalog template, pasted the ways people paste: how often is
the template's own entry found, and how often does a wrong entry come with confidence >= 0.8?

    cargo build --release && python3 scripts/noise_eval.py [--bin target/release/alipay-explain]
        [--seed N] [--limit N] [--verbose]

The OCR noise here uses look-alike pairs that src/normalize/lookalike.rs does NOT list
(held out on purpose), so it measures fuzzy matching, not the table. Traditional characters
need `pip install opencc-python-reimplemented`; without it that noise is skipped.
This complements scripts/eval.py (the development set): it says how the matching mechanisms
generalise, not how much of the world the catalog covers.
"""
import argparse, collections, glob, json, os, random, re, subprocess

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument('--bin', default=os.path.join(root, 'target', 'release', 'alipay-explain'))
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--limit', type=int, default=0)
ap.add_argument('--verbose', '-v', action='store_true')
args = ap.parse_args()
rng = random.Random(args.seed)
try:
    import opencc
    s2t = opencc.OpenCC('s2t').convert
except ImportError:
    s2t = None

SAMPLE = {'date': '2016年3月2日', 'time': '12:45', 'days': '7', 'number': '3', 'amount': '100.00',
          'phone': '95188', 'email': 'ab***@qq.com', 'code': 'X9Z8', 'text': '某某'}
HELD_OUT = dict(p for pair in ['付什', '请清', '码吗', '额颜', '锁销', '问间', '今令', '券卷', '待侍', '处外',
                               '行衍', '密蜜', '证怔', '限恨', '败贩', '错措', '试拭', '稍梢', '忙忘', '网冈',
                               '息熄', '功切', '成戌', '号兮', '交文', '务各', '单阜', '余佘', '额频', '易昜']
                for p in [(pair[0], pair[1])])
FULL = {',': '，', '.': '。', ':': '：', ';': '；', '(': '（', ')': '）', '!': '！', '?': '？'}
HALF = {v: k for k, v in FULL.items()}
UI = [('提示\n', '\n知道了'), ('温馨提示 ', ' 确定'), ('12:45 ', ' 返回'), ('支付宝\n', '\n我知道了'), ('错误\n', '\n取消  确定')]
PUNCT = set('，。：；（）！？,.:;()!?、【】[]“”"\' ')

def render(t):
    return re.sub(r'\{([a-z_0-9]+)(?::([a-z]+))?\}', lambda m: SAMPLE[m.group(2) or m.group(1)], t)

def noisy(text, kind):
    if kind == 'punct':
        return ''.join(FULL.get(c, HALF.get(c, c)) for c in text)
    if kind == 'nopunct':
        return ''.join(c for c in text if c not in PUNCT)
    if kind == 'spaces':
        out = []
        for c in text:
            out.append(c)
            if rng.random() < 0.12:
                out.append(rng.choice([' ', '  ', '\n']))
        return ''.join(out)
    if kind == 'trad':
        return s2t(text) if s2t else None
    if kind == 'ocr':
        idx = [i for i, c in enumerate(text) if c in HELD_OUT]
        han = [i for i, c in enumerate(text) if '\u4e00' <= c <= '\u9fff']
        if len(han) < 6:
            return None
        i = rng.choice(idx) if idx else rng.choice(han)
        sub = HELD_OUT.get(text[i]) or chr(0x4e00 + rng.randrange(0x5000))
        return text[:i] + sub + text[i + 1:]
    if kind == 'truncate':
        han = [i for i, c in enumerate(text) if '\u4e00' <= c <= '\u9fff']
        if len(han) < 15:
            return None
        return text[:han[int(len(han) * 0.7)]]
    if kind == 'embed':
        a, b = rng.choice(UI)
        return a + text + b

entries = []
for f in sorted(glob.glob(os.path.join(root, 'data', 'catalog', '*.json'))):
    for e in json.load(open(f, encoding='utf-8'))['entries']:
        for t in e['zh']:
            entries.append((e['id'], render(t)))
if args.limit:
    rng.shuffle(entries)
    entries = entries[:args.limit]

kinds = ['punct', 'nopunct', 'spaces', 'trad', 'ocr', 'truncate', 'embed']
stats = collections.defaultdict(lambda: [0, 0, 0, 0])  # n, right, sure, wrong_high
for eid, text in entries:
    for kind in kinds:
        paste = noisy(text, kind)
        if not paste:
            continue
        p = subprocess.run([args.bin, '--json', '-'], input=paste.encode(), capture_output=True)
        out = json.loads(p.stdout)
        got = [(m['id'], m['confidence']) for m in out['matches']]
        right = any(i == eid for i, _ in got)
        sure = any(i == eid and c >= 0.8 for i, c in got)
        wrong = [g for g in got if g[0] != eid and g[1] >= 0.8]
        s = stats[kind]
        s[0] += 1; s[1] += right; s[2] += sure; s[3] += bool(wrong)
        if args.verbose and (not right or wrong):
            print(f'{"MISS" if not right else "WRONG"} [{kind}] {eid}: {paste!r} -> {got}')
print(f'{len(entries)} templates')
print(f'{"noise":10} {"n":>5} {"right":>6} {"%":>6} {"sure>=0.8":>9} {"wrong>=0.8":>10}')
for kind in kinds:
    if kind in stats:
        n, r, su, w = stats[kind]
        print(f'{kind:10} {n:5} {r:6} {100*r/n:6.1f} {su:9} {w:10}')
