#!/usr/bin/env bash
# Builds the web page and the CLI, then runs the browser tests (web/tests/web.test.mjs:
# Playwright driving Debian's chromium). Installs what is missing: chromium and a CJK font
# (apt), the wasm target (rustup), wasm-bindgen of the pinned version (built by build-web.sh
# from web/tools/wasm-bindgen), the npm packages.
# Screenshots and the measured numbers go to target/web-artifacts/.
# Ends with one line 'web: N passed, N failed'; exits non-zero when a test failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
nice=${NICE:-nice -n 10}

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# grep without -q: with -q it stops at the first match, fc-list dies of SIGPIPE and pipefail
# makes the test fail, so the font was installed again at every run
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== apt-get install ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}"
fi
command -v node >/dev/null 2>&1 || { echo "test-web: node is needed (Node.js 20 or newer)" >&2; exit 2; }

echo "== npm ci (web/tests)"
(cd web/tests && npm ci --no-audit --no-fund --loglevel=error)

echo "== build the page"
scripts/build-web.sh

echo "== build the CLI (for comparing answers)"
$nice cargo build --locked --release --bin alipay-explain

echo "== browser tests"
mkdir -p target/web-artifacts
tap=target/web-artifacts/results.tap
set +e
(cd web/tests && WEB_DIR="$root/target/web" ARTIFACTS="$root/target/web-artifacts" \
  ALIPAY_EXPLAIN_BIN="$root/target/release/alipay-explain" \
  node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$root/$tap" \
    web.test.mjs)
status=$?
set -e
passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -1)
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "screenshots and numbers: target/web-artifacts/"
echo "web: $passed passed, $failed failed"
exit "$status"
