#!/usr/bin/env bash
# Where a training epoch's time goes (BLAS vs everything else), by sampling with perf:
#   bench/profile-step.sh 128      # or 16; needs `perf` (linux-perf) and a release build
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-128}
BIN=$(swift build -c release --show-bin-path)
DATA=$(mktemp /tmp/implicit-reg-perf.XXXXXX)
trap 'rm -f "$DATA"' EXIT
# Name the kernel the executable would pick, so that it does not re-exec itself under perf.
CORE=$("$BIN/implicit-reg-bench" info | python3 -c 'import json, sys; print(json.load(sys.stdin)["openblas_core"])')
OPENBLAS_CORETYPE=$CORE OPENBLAS_NUM_THREADS=1 perf record -q -o "$DATA" -F 300 --call-graph dwarf,32768 -- \
  taskset -c "$(( $(nproc) - 1 ))" "$BIN/implicit-reg-bench" mlp-epoch --batch "$B" --epochs 6 --warmup 1 >/dev/null
echo "MLP epoch, B = $B, OpenBLAS $CORE:"
python3 bench/perf_split.py "$DATA"
