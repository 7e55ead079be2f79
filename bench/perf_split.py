"""Share of a training epoch's CPU samples spent inside OpenBLAS, from `perf record --call-graph dwarf`.

Usage: bench/profile-step.sh [B]   (records, then runs this on the recording)
       python3 bench/perf_split.py perf.data

Counts the samples whose call chain contains Trainer.trainEpoch (so data synthesis and set-up are
excluded), splits them by the leaf frame's library (libopenblas = BLAS, anything else = outside
BLAS) and lists the largest non-BLAS leaf symbols. DWARF unwinding is needed: OpenBLAS's kernels
have no frame pointers, so frame-pointer call chains from inside BLAS never reach trainEpoch.
"""
import sys, collections, subprocess
data = sys.argv[1]
out = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso"], capture_output=True, text=True).stdout
samples = out.strip().split("\n\n")
tot = 0; cats = collections.Counter(); syms = collections.Counter()
for s in samples:
    lines = [l.strip() for l in s.strip().split("\n") if l.strip()]
    if not lines: continue
    if not any("trainEpoch" in l for l in lines): continue
    tot += 1
    leaf = lines[0]
    if "libopenblas" in leaf: cats["BLAS"] += 1
    else:
        cats["other"] += 1
        name = leaf.split(None, 1)[1] if " " in leaf else leaf
        syms[name[:110]] += 1
print(f"samples in trainEpoch: {tot}")
for k, v in cats.items(): print(f"  {k}: {100*v/tot:.1f}%")
for k, v in syms.most_common(8): print(f"    {100*v/tot:5.1f}%  {k}")
