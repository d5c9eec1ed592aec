#!/usr/bin/env bash
# The whole screenshot dev set (issue 13): each of ../shared/data/screens/ (89 screenshots)
# through `alipay-explain --json --image FILE`, one process per image, scored by
# ../shared/tools/score_screens.py against fixtures/dev-expected.json (items, right, wrong,
# confident-wrong at >= 0.8, median seconds per image, whole process), then broken down by
# style (modal, toast, result, sheet), dark, chat-compressed and photo with CPU time and peak
# memory (scripts/eval_images.py; per-image rows in target/eval-images.jsonl).
#
#   scripts/fetch-ocr-models.sh && scripts/eval-images.sh [--show N]
#
# SHARED (default ../shared) locates the data and the scorer; BIN the binary (built here with
# `cargo build --release --locked --features image` unless BIN is given). Takes ~5 min: the
# set runs twice (the shared scorer, then the breakdown).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SHARED:-../shared}"
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --features image >&2
  BIN="$PWD/target/release/alipay-explain"
fi
mkdir -p target
IDS="$PWD/target/dev-ids.json"
# score_screens.py wants key -> [ids]; fixtures/dev-expected.json has {"expected": {key: id or [ids]}}
python3 - fixtures/dev-expected.json > "$IDS" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["expected"]
print(json.dumps({k: v if isinstance(v, list) else [v] for k, v in e.items()}))
PY
echo "== score_screens.py ($BIN)"
python3 "$SHARED/tools/score_screens.py" "$SHARED/data/screens" \
  --ids "$IDS" --cmd "$BIN --json --image {file}" "$@"
echo "== by group (scripts/eval_images.py)"
python3 scripts/eval_images.py "$SHARED/data/screens" "$IDS" "$BIN" \
  --jsonl target/eval-images.jsonl "$@"
