#!/usr/bin/env bash
# Fetches the PP-OCRv4 detection + recognition ONNX models that alipay-explain's image
# reading needs, from the PyPI package rapidocr-onnxruntime 1.4.4 (Apache-2.0), into DIR.
#
#   scripts/fetch-ocr-models.sh [DIR]   DIR defaults to $ALIPAY_EXPLAIN_MODELS, else
#                                ${XDG_DATA_HOME:-$HOME/.local/share}/alipay-explain/models
#
# Idempotent: files already present with the right sha256 are kept, nothing is downloaded.
# Needs python3 with pip (the wheel is fetched with `pip download`, no other host is used).
set -euo pipefail

DIR="${1:-${ALIPAY_EXPLAIN_MODELS:-${XDG_DATA_HOME:-$HOME/.local/share}/alipay-explain/models}}"
PKG="rapidocr-onnxruntime==1.4.4"
WHEEL="rapidocr_onnxruntime-1.4.4-py3-none-any.whl"
WHEEL_SHA="971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf"
declare -A SHA=(
  [ch_PP-OCRv4_det_infer.onnx]=d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9
  [ch_PP-OCRv4_rec_infer.onnx]=48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b
)

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

mkdir -p "$DIR"
missing=0
for f in "${!SHA[@]}"; do sha_ok "$DIR/$f" "${SHA[$f]}" || missing=1; done
if [ "$missing" = 0 ]; then
  echo "models already in $DIR"
  exit 0
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "downloading $PKG (15 MB) with pip ..."
python3 -m pip download --quiet --no-deps --only-binary=:all: "$PKG" -d "$TMP" >&2
sha_ok "$TMP/$WHEEL" "$WHEEL_SHA" || { echo "error: $WHEEL has an unexpected sha256" >&2; exit 1; }
for f in "${!SHA[@]}"; do
  python3 - "$TMP/$WHEEL" "rapidocr_onnxruntime/models/$f" "$TMP/$f" <<'PY'
import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
  sha_ok "$TMP/$f" "${SHA[$f]}" || { echo "error: $f has an unexpected sha256" >&2; exit 1; }
  mv "$TMP/$f" "$DIR/$f"
done
cat > "$DIR/NOTICE" <<'TXT'
ch_PP-OCRv4_det_infer.onnx and ch_PP-OCRv4_rec_infer.onnx: PaddleOCR PP-OCRv4 models
(PaddlePaddle Authors) as converted to ONNX and shipped by RapidOCR in the PyPI package
rapidocr-onnxruntime 1.4.4. Licensed under the Apache License, Version 2.0.
TXT
echo "models in $DIR"
