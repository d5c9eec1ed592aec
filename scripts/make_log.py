#!/usr/bin/env python3
"""Write a synthetic log for scan benchmarks: MB megabytes of lines behind an ASCII log prefix;
about 2% carry a known Alipay message (a template of data/catalog with sample slot values),
38% Chinese prose, 5% loose Alipay screen words (near misses), the rest ASCII request logs.

    python3 scripts/make_log.py MB OUT [--seed N] [--share 0.02] [--prose 0.38]
"""
import glob, json, os, random, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = sys.argv[1:]
if len(args) < 2:
    raise SystemExit(__doc__)
mb, out = float(args[0]), args[1]
seed = int(args[args.index('--seed') + 1]) if '--seed' in args else 7
share = float(args[args.index('--share') + 1]) if '--share' in args else 0.02
prose_share = float(args[args.index('--prose') + 1]) if '--prose' in args else 0.38
rng = random.Random(seed)

SAMPLE = {'date': '2016年3月2日', 'time': '12:45', 'days': '7', 'number': '3', 'amount': '100.00',
          'phone': '95188', 'email': 'ab***@qq.com', 'code': 'ALIN10146', 'text': '某某'}
def render(t):
    return re.sub(r'\{([a-z_0-9]+)(?::([a-z]+))?\}', lambda m: SAMPLE[m.group(2) or m.group(1)], t)

messages = []
for f in glob.glob(os.path.join(root, 'data', 'catalog', '*.json')):
    for e in json.load(open(f, encoding='utf-8'))['entries']:
        messages.extend(render(t) for t in e['zh'])
words = []
for f in glob.glob(os.path.join(root, 'data', 'glossary', '*.json')):
    words.extend(w['zh'] for w in json.load(open(f, encoding='utf-8'))['words'])
prose = ['今天的订单已经全部处理完毕', '用户反馈页面加载有点慢', '客服已回复用户的问题', '库存同步任务完成',
         '新版本已经发布到测试环境', '定时任务开始执行', '缓存命中率正常', '数据库连接池状态良好',
         '请求参数校验通过', '用户登录成功', '开始生成月度报表', '物流信息已更新']
svc = ['pay-gw', 'order', 'user', 'notify', 'risk']
lvl = ['INFO', 'INFO', 'INFO', 'WARN', 'DEBUG']
target = int(mb * 1e6)
n = 0
with open(out, 'w', encoding='utf-8') as fh:
    i = 0
    while n < target:
        i += 1
        head = f'2026-11-05 07:{i // 3600 % 60:02d}:{i % 60:02d}.{i % 1000:03d} [{rng.choice(lvl)}] trace={rng.getrandbits(48):012x} svc={rng.choice(svc)} '
        r = rng.random()
        if r < share:
            body = f'msg=支付宝返回：{rng.choice(messages)}'
        elif r < share + prose_share:
            # Chinese prose: a support ticket or a business event
            body = 'msg=' + '，'.join(rng.choice(prose) for _ in range(rng.randint(1, 3)))
        elif r < share + prose_share + 0.05:
            # Alipay screen words out of any message (the glossary): near misses
            body = 'note=' + ' '.join(rng.choice(words) for _ in range(rng.randint(2, 5)))
        else:
            body = f'http GET /api/v1/orders/{rng.getrandbits(32)} status=200 cost={rng.randint(1, 900)}ms user={rng.getrandbits(24)}'
        line = head + body + '\n'
        fh.write(line)
        n += len(line.encode())
print(f'wrote {n} bytes to {out}')
