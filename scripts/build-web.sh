#!/usr/bin/env bash
# Builds the web page into target/web/: a folder any static host can serve.
#
#   scripts/build-web.sh                # then: python3 -m http.server -d target/web 8000
#
# Needs Rust with the wasm32-unknown-unknown target and wasm-bindgen (the CLI) of the version
# pinned in web/wasm/Cargo.toml; the target is added and the CLI built when missing. With Node.js and npm,
# wasm-opt (npm's binaryen, pinned in web/tests/package.json) shrinks the .wasm.
# OUT=dir changes the output folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${OUT:-$root/target/web}
crate=web/wasm
nice=${NICE:-nice -n 10}

# the wasm-bindgen version the crate pins ("=0.2.130")
wb_version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$crate/Cargo.toml")
[ -n "$wb_version" ] || { echo "build-web: no pinned wasm-bindgen in $crate/Cargo.toml" >&2; exit 2; }

if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "== rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
# wasm-bindgen (the CLI) of the pinned version, built from web/tools/wasm-bindgen: the
# wasm-bindgen-cli crate of that version, locked by our own Cargo.lock (`cargo install
# --locked wasm-bindgen-cli` fails: see that Cargo.toml), into target/tools/ — once, a few
# minutes of compiling on 2 cores. WASM_BINDGEN=path uses another one of the same version.
tool=web/tools/wasm-bindgen
tool_version=$(sed -n 's/^wasm-bindgen-cli = { version = "=\([0-9.]*\)".*/\1/p' "$tool/Cargo.toml")
[ "$tool_version" = "$wb_version" ] || {
  echo "build-web: $tool pins wasm-bindgen-cli $tool_version, $crate pins wasm-bindgen $wb_version: make them equal" >&2
  exit 2
}
wasm_bindgen=${WASM_BINDGEN:-$root/target/tools/release/wasm-bindgen-pinned}
if [ "$("$wasm_bindgen" --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  [ -z "${WASM_BINDGEN:-}" ] || { echo "build-web: $WASM_BINDGEN is not wasm-bindgen $wb_version" >&2; exit 2; }
  echo "== building wasm-bindgen $wb_version ($tool: a few minutes, once)"
  $nice cargo build --locked --release --manifest-path "$tool/Cargo.toml" --target-dir "$root/target/tools"
fi

echo "== cargo build (wasm32-unknown-unknown, release)"
$nice cargo build --locked --release --target wasm32-unknown-unknown \
  --manifest-path "$crate/Cargo.toml" --target-dir "$root/target"
wasm=$root/target/wasm32-unknown-unknown/release/alipay_explain_web.wasm

rm -rf "$out"
mkdir -p "$out/pkg"
echo "== wasm-bindgen --target web"
"$wasm_bindgen" --target web --no-typescript --out-dir "$out/pkg" "$wasm"
bg=$out/pkg/alipay_explain_web_bg.wasm
# wasm-opt from npm's binaryen (pinned in web/tests/package.json); Debian bookworm's
# binaryen 108 is too old: its output fails in the browser (WebAssembly.Table.set()).
wasm_opt=web/tests/node_modules/binaryen/bin/wasm-opt
if [ ! -x "$wasm_opt" ] && command -v npm >/dev/null 2>&1; then
  echo "== npm ci (web/tests: binaryen for wasm-opt, playwright-core for the tests)"
  (cd web/tests && npm ci --no-audit --no-fund --loglevel=error) || true
fi
if [ -x "$wasm_opt" ] && command -v node >/dev/null 2>&1; then
  echo "== wasm-opt -Os (binaryen $(node "$wasm_opt" --version | awk '{print $3}'), about a minute)"
  # the features rustc enables for wasm32 by default (the .wasm holds SIMD code too)
  $nice node "$wasm_opt" -Os --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue --enable-simd \
    "$bg" -o "$bg.opt"
  mv "$bg.opt" "$bg"
else
  echo "   (no Node.js: the .wasm is left unoptimised, about 0.3 MB larger)"
fi

cp web/static/*.html web/static/*.css web/static/*.js web/static/*.webmanifest \
   web/static/*.svg web/static/*.png "$out/"

# The service worker caches every file; its cache is named by a hash of them, so that a
# new build replaces the old cache.
cd "$out"
assets=$(find . -type f ! -name sw.js | sed 's|^\./||' | LC_ALL=C sort)
build=$(printf '%s\n' $assets | xargs sha256sum | sha256sum | cut -c1-12)
list=$(printf '"./"'; for a in $assets; do printf ', "%s"' "$a"; done)
sed -i -e "s|__BUILD__|$build|" -e "s|__ASSETS__|[$list]|" sw.js

raw=$(stat -c %s "$bg")
gz=$(gzip -9 -c "$bg" | wc -c)
echo "== built $out (build $build)"
printf '   %-32s %9s bytes, %9s gzip -9\n' "pkg/$(basename "$bg")" "$raw" "$gz"
total=$(cat $assets | wc -c)
printf '   %-32s %9s bytes\n' "all files" "$total"
echo "   serve it: python3 -m http.server -d $out 8000, then open http://localhost:8000/"
