#!/usr/bin/env bash
# Whole-command benchmarks: start-up for one message, and scan throughput against grep and rg
# over the catalog's literal message pieces. Prints the machine and the method first.
#
#   scripts/bench.sh [MB]      (default 100; needs hyperfine, and rg/grep for the comparison)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-100}
BIN=target/release/alipay-explain
DATA=benches/data
mkdir -p "$DATA"

echo "== machine"
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(nproc) cores)"
echo "memory: $(free -h | awk '/Mem:/ {print $2}')"
echo "os:     $(uname -sr)"
echo "rustc:  $(rustc --version)"
echo "method: release build; hyperfine -N (no shell), warm page cache, mean ± σ; peak RSS by /usr/bin/time -f %M"
cargo build --release --quiet

echo
echo "== one known message, whole process (target: within 3x /bin/true)"
hyperfine -N --warmup 20 --runs 300 /bin/true \
  "$BIN 抱歉，暂时无法操作。失败原因 系统出错啦。" \
  "$BIN 提示 系統繁忙,請稍後再試(ALIN10146) 知道了" \
  "$BIN ACQ.TRADE_NOT_EXIST" 2>&1 | grep -E 'Benchmark|Time|±'

echo
echo "== scan: a ${MB} MB log with ~2% known messages (scripts/make_log.py), against grep -F -f and rg -F -f"
[ -f "$DATA/log${MB}.txt" ] || python3 scripts/make_log.py "$MB" "$DATA/log${MB}.txt" >/dev/null
[ -f "$DATA/log$((MB * 2)).txt" ] || python3 scripts/make_log.py "$((MB * 2))" "$DATA/log$((MB * 2)).txt" --seed 8 >/dev/null
python3 - "$DATA/pieces.txt" <<'PY'
import glob, json, re, sys
pieces = set()
for f in glob.glob('data/catalog/*.json'):
    for e in json.load(open(f, encoding='utf-8'))['entries']:
        for t in e['zh']:
            for p in re.split(r'\{[^{}]*\}', t):
                p = p.strip()
                if len(p) >= 2:
                    pieces.add(p)
open(sys.argv[1], 'w', encoding='utf-8').write('\n'.join(sorted(pieces)) + '\n')
print(f'{len(pieces)} literal pieces')
PY
CMDS=("$BIN scan --stats-only $DATA/log${MB}.txt" "$BIN scan --stats-only --threads 1 $DATA/log${MB}.txt")
command -v grep >/dev/null && CMDS+=("grep -c -F -f $DATA/pieces.txt $DATA/log${MB}.txt")
command -v rg >/dev/null && CMDS+=("rg -c -F -f $DATA/pieces.txt $DATA/log${MB}.txt")
hyperfine -N -i --warmup 2 --runs 10 --output=pipe "${CMDS[@]}" 2>&1 | grep -E 'Benchmark|Time|±'

echo
echo "== scan memory: ${MB} MB vs $((MB * 2)) MB (peak RSS must not grow with the file)"
for f in "$DATA/log${MB}.txt" "$DATA/log$((MB * 2)).txt"; do
  /usr/bin/time -f "$(basename "$f"): %M KB peak RSS, %e s" "$BIN" scan --stats-only "$f" >/dev/null
done
