#!/usr/bin/env python3
"""`make bench`: the core against its ceiling (OpenBLAS gemm) and its references (JAX, NumPy,
PyTorch), in one sitting, alternating implementations so that machine drift hits all alike.

Every measurement is a child process that warms up, times, and prints one JSON line:
`implicit-reg-bench <workload>` for the core (Sources/Benchmarks) and `bench/reference.py
<workload> <impl>` for the references. Each round runs every workload once per implementation
(A B C A B C …; the order rotates from round to round), and the medians pool the timed samples of
all rounds. Every child gets the one-thread environment (OPENBLAS_NUM_THREADS=1,
OMP_NUM_THREADS=1, XLA_FLAGS=… as the issue asks) and is pinned to one CPU, because XLA's CPU
client ignores those flags and sizes its thread pool from the CPUs it may run on.

Results: a Markdown table on stdout, bench/latest.json (medians, the shape the issue fixes) and
bench/results.h5 (every sample, with provenance in /meta). See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REFERENCE = HERE / "reference.py"

ONE_THREAD_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "JAX_PLATFORMS": "cpu",
}
REFERENCES = ("jax", "numpy", "torch")


@dataclass
class Workload:
    """One row group of the table: what each implementation runs, and how it is reported."""

    key: str  # the key in latest.json / the group in results.h5
    title: str
    precision: str  # "float" or "double": which gemm peak it is compared with
    core_args: list[str]
    ref_args: list[str]  # reference.py subcommand; the implementation name is inserted after it
    implementations: tuple[str, ...]
    description: str
    samples: dict[str, list[list[float]]] = field(default_factory=dict)  # impl -> per-round samples
    records: dict[str, list[dict]] = field(default_factory=dict)  # impl -> per-round JSON records
    clean: list[bool] = field(default_factory=list)  # per round: did the rest of the machine stay quiet?
    round_load: list[float] = field(default_factory=list)  # per round: the most any of its processes saw

    @property
    def dropped(self) -> int:
        return self.clean.count(False)

    def clean_samples(self, impl: str) -> list[float]:
        """The samples of the clean rounds; all rounds' if none was clean (the table says so)."""
        rounds = self.samples.get(impl) or []
        kept = [r for r, ok in zip(rounds, self.clean) if ok] or rounds
        return [s for r in kept for s in r]

    def median_ms(self, impl: str) -> float | None:
        flat = self.clean_samples(impl)
        return statistics.median(flat) if flat else None

    def flops(self, impl: str) -> float | None:
        recs = self.records.get(impl)
        return recs[0]["flops"] if recs else None

    def gflops(self, impl: str) -> float | None:
        ms, flops = self.median_ms(impl), self.flops(impl)
        return None if ms is None or flops is None else flops / (ms * 1e6)


# The MLP and CNN shapes the readings run. (key, title, hidden, momentum, batch, implementations, timed epochs)
MLP_SHAPES = (
    ("mlp_b128", "MLP 784-512-512-10 epoch B=128", "512,512", 0.0, 128, ("core", *REFERENCES), None),
    ("mlp_b16", "MLP 784-512-512-10 epoch B=16", "512,512", 0.0, 16, ("core", *REFERENCES), None),
    ("mlp_b4", "MLP 784-512-512-10 epoch B=4", "512,512", 0.0, 4, ("core", "jax", "torch"), 1),
    ("mlp800_b128", "MLP 784-800-10 epoch B=128 (m 0.9)", "800", 0.9, 128, ("core", "jax", "torch"), None),
    ("mlp800_b16", "MLP 784-800-10 epoch B=16 (m 0.9)", "800", 0.9, 16, ("core", "jax", "torch"), None),
    ("mlp800_b4", "MLP 784-800-10 epoch B=4 (m 0.9)", "800", 0.9, 4, ("core", "jax", "torch"), 1),
)


def workloads(epochs: int) -> list[Workload]:
    out = []
    for precision, blas in (("float", "sgemm"), ("double", "dgemm")):
        for n, reps in ((512, 20), (1024, 10)):
            args = ["--precision", precision, "--n", str(n), "--reps", str(reps)]
            out.append(Workload(
                f"{blas}_{n}", f"{blas} n={n}", precision, ["gemm", *args], ["gemm", *args], ("core", "numpy"),
                f"C = A·B for {n}×{n} {precision} matrices (2n³ FLOP); core: BLASScalar.gemm (the system "
                f"OpenBLAS), numpy: np.matmul (NumPy's bundled OpenBLAS)"))
    for key, title, hidden, momentum, batch, impls, timed in MLP_SHAPES:
        args = ["--batch", str(batch), "--hidden", hidden, "--momentum", str(momentum),
                "--epochs", str(timed or epochs)]
        out.append(Workload(
            key, title, "float", ["mlp-epoch", *args], ["mlp-epoch", *args], impls,
            f"one epoch of SGD (lr 0.01, momentum {momentum}) on the 784-{hidden.replace(',', '-')}-10 ReLU MLP, "
            f"softmax cross-entropy, fp32, 5,000 examples reshuffled, batch {batch} (last batch partial); "
            f"nominal 6·N·W FLOP, W = the weight count"))
    args = ["--epochs", str(epochs)]
    out.append(Workload(
        "cnn_b128", "CNN epoch B=128 (m 0.9)", "float", ["cnn-epoch", *args], ["cnn-epoch", *args],
        ("core", "jax", "torch"),
        "one epoch of SGD (lr 0.01, momentum 0.9) on the random-labels CNN (conv 3×3 8 → ReLU → max-pool 2 → "
        "conv 3×3 16 → ReLU → max-pool 2 → dense 64 → ReLU → dense 10 on 1×28×28), fp32, 4,000 examples "
        "reshuffled, batch 128; nominal 6·N·M FLOP, M = 333,056 multiply-adds per example"))
    out.append(Workload(
        "mf_depth3_step", "MF depth-3 step", "double", ["mf-step"], ["mf-step"], ("core", "numpy"),
        "one gradient step (loss, gradient, update) of a depth-3 100×100 deep linear net on identity "
        "inputs, squared error against a random 100×100 target, float64; 8·2·100³ + 6·100² FLOP"))
    out.append(Workload(
        "mlp_hvp", "MLP exact H·v (B=128)", "double", ["mlp-hvp"], ["mlp-hvp"], ("core", "numpy"),
        "one exact Hessian-vector product (R-operator; the gradient comes with it) of the batch-mean "
        "loss of the 784-512-512-10 MLP on one batch of 128, float64; 2·B·(4·784·512 + 9·(512·512 + 512·10)) FLOP"))
    return out


# ---------------------------------------------------------------------------------------------
# Children


class Runner:
    """Starts children with the one-thread environment, pinned to one CPU."""

    def __init__(self, core_bin: str, python: str, cpu: int | None, coretype: str | None, timeout: float):
        self.core_bin, self.python, self.cpu, self.coretype, self.timeout = core_bin, python, cpu, coretype, timeout
        self.env = {**os.environ, **ONE_THREAD_ENV}

    def env_for(self, impl: str) -> dict[str, str]:
        env = dict(self.env)
        if impl == "core" and self.coretype:
            env["OPENBLAS_CORETYPE"] = self.coretype
        return env

    def command(self, impl: str, workload: Workload) -> list[str]:
        if impl == "core":
            return [self.core_bin, *workload.core_args, "--threads", "1"]
        sub, *rest = workload.ref_args
        return [self.python, str(REFERENCE), sub, impl, *rest]

    def run(self, cmd: list[str], impl: str) -> dict:
        pin = (lambda: os.sched_setaffinity(0, {self.cpu})) if self.cpu is not None else None
        before = MachineLoad.sample()
        proc = subprocess.run(cmd, env=self.env_for(impl), cwd=ROOT, capture_output=True, text=True,
                              timeout=self.timeout, preexec_fn=pin)
        load = MachineLoad.sample().since(before)
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode != 0 or not lines:
            sys.stderr.write(proc.stderr[-4000:])
            raise SystemExit(f"bench.py: `{shlex.join(cmd)}` failed (exit {proc.returncode})")
        record = json.loads(lines[-1])
        record.update(load)
        return record


class MachineLoad:
    """What else the machine did while a child ran: busy CPU time of the whole machine
    (/proc/stat) minus the child's own CPU time (getrusage), and hypervisor steal. Other
    engineers' builds on a 2-CPU machine show up here, and explain a noisy round."""

    def __init__(self, wall: float, busy: float, steal: float, children_cpu: float):
        self.wall, self.busy, self.steal, self.children_cpu = wall, busy, steal, children_cpu

    @classmethod
    def sample(cls) -> "MachineLoad":
        import resource

        busy = steal = 0.0
        try:
            fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
            ticks = os.sysconf("SC_CLK_TCK")
            v = [int(x) for x in fields]
            # user nice system idle iowait irq softirq steal ...
            busy = (v[0] + v[1] + v[2] + v[5] + v[6]) / ticks
            steal = (v[7] if len(v) > 7 else 0) / ticks
        except (OSError, ValueError, IndexError):
            pass
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        return cls(time.monotonic(), busy, steal, ru.ru_utime + ru.ru_stime)

    @classmethod
    def busy_cpus(cls, seconds: float) -> float:
        """CPUs the whole machine kept busy over the next `seconds` (this process sleeps meanwhile)."""
        before = cls.sample()
        time.sleep(seconds)
        after = cls.sample()
        return max(after.busy - before.busy, 0.0) / max(after.wall - before.wall, 1e-9)

    def since(self, before: "MachineLoad") -> dict:
        wall = max(self.wall - before.wall, 1e-9)
        other = (self.busy - before.busy) - (self.children_cpu - before.children_cpu)
        return {"_other_cpus": max(other, 0.0) / wall, "_steal_cpus": (self.steal - before.steal) / wall}


# ---------------------------------------------------------------------------------------------
# Report


def fmt(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:,.{digits}f}"


def fmt_ms(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.3f}" if x < 10 else f"{x:,.1f}"


def table(ws: list[Workload], peaks: dict[str, float | None], labels: dict[str, str]) -> str:
    rows = ["| workload | implementation | median ms | min–max ms | GFLOP/s | % of peak | ref ms / core ms | clean rounds (dropped) |",
            "|---|---|--:|--:|--:|--:|--:|--:|"]
    for w in ws:
        core_ms = w.median_ms("core")
        peak = peaks[w.precision]
        first = True
        kept = w.clean.count(True)
        rounds_cell = f"{kept} ({w.dropped})" if kept else f"none clean: all {len(w.clean)} used"
        for impl in w.implementations:
            ms = w.median_ms(impl)
            label = labels.get(impl, impl)
            if ms is None:
                rows.append(f"| {w.title if first else ''} | {label} | not installed | | | | | |")
                first = False
                continue
            flat = w.clean_samples(impl)
            g = w.gflops(impl)
            pct = 100 * g / peak if g is not None and peak else None
            ratio = "" if impl == "core" or core_ms is None else f"{ms / core_ms:.2f}×"
            rows.append(f"| {w.title if first else ''} | {label} | {fmt_ms(ms)} | {fmt_ms(min(flat))}–{fmt_ms(max(flat))} "
                        f"| {fmt(g)} | {'—' if pct is None else f'{pct:.0f}%'} | {ratio} | {rounds_cell if first else ''} |")
            first = False
    return "\n".join(rows)


def latest_json(ws: dict[str, Workload], peaks: dict[str, float | None]) -> dict:
    def ms(w: str, impl: str):
        v = ws[w].median_ms(impl) if w in ws else None
        return None if v is None else round(v, 4)

    def gf(w: str, impl: str):
        v = ws[w].gflops(impl) if w in ws else None
        return None if v is None else round(v, 3)

    def rounded(v):
        return None if v is None else round(v, 3)

    out = {"sgemm_gflops": rounded(peaks["float"]), "dgemm_gflops": rounded(peaks["double"])}
    for key in [k for k, *_ in MLP_SHAPES] + ["cnn_b128"]:
        out[key] = {"core_ms": ms(key, "core"), "jax_ms": ms(key, "jax"), "torch_ms": ms(key, "torch"),
                    "core_gflops": gf(key, "core")}
        if key in ("mlp_b128", "mlp_b16"):
            out[key]["numpy_ms"] = ms(key, "numpy")
    for key in ("mf_depth3_step", "mlp_hvp"):
        out[key] = {"core_ms": ms(key, "core"), "numpy_ms": ms(key, "numpy")}
    out["rounds"] = {k: {"clean": w.clean.count(True), "dropped": w.dropped} for k, w in ws.items()}
    return out


READINGS = ("noise-scale", "gradient-regularization", "sgd-regularizer", "minimum-norm", "random-labels")
MIN_CHECKED_SECONDS = 10.0  # point files record start and end to the second: shorter points cannot be judged to ±30 %


def cost_model_check(bin_dir: Path) -> tuple[dict, str]:
    """Each reading's `plan` estimates against the times its committed full-profile points took
    (`plan --json`, which reads them from the point files' /meta), over points of ≥ 10 s."""
    out, rows = {}, ["| reading | points ≥ 10 s | estimate / took, median | 10–90 % | within ±30 % | estimated in all | took in all | OpenBLAS kernel of the run |",
                     "|---|--:|--:|--:|--:|--:|--:|---|"]
    for reading in READINGS:
        exe = bin_dir / reading
        results = ROOT / "Reproductions" / reading / "results" / "full"
        if not exe.exists() or not (results / "points").is_dir():
            continue
        proc = subprocess.run([str(exe), "plan", "--profile", "full", "--out", str(results), "--json"],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            print(f"bench.py: `{reading} plan` failed: {proc.stderr[-500:]}", file=sys.stderr)
            continue
        points = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        pairs = [(p["estimated_seconds"], p["measured_seconds"]) for p in points
                 if p["measured_seconds"] is not None and p["measured_seconds"] >= MIN_CHECKED_SECONDS]
        if not pairs:
            continue
        ratios = sorted(e / m for e, m in pairs)

        def q(f: float) -> float:
            pos = f * (len(ratios) - 1)
            lo = math.floor(pos)
            return ratios[lo] + (ratios[min(lo + 1, len(ratios) - 1)] - ratios[lo]) * (pos - lo)

        within = sum(0.7 <= r <= 1.3 for r in ratios) / len(ratios)
        kernel = "?"
        try:
            import h5py

            first = next((results / "points").glob("*.h5"))
            with h5py.File(first, "r") as f:
                kernel = str(f["meta"].attrs.get("openblas_core", "?"))
        except (StopIteration, OSError, ImportError):
            pass
        out[reading] = {"points": len(pairs), "median_ratio": round(q(0.5), 3), "p10": round(q(0.1), 3),
                        "p90": round(q(0.9), 3), "within_30_percent": round(within, 3),
                        "estimated_s": round(sum(e for e, _ in pairs), 1), "took_s": round(sum(m for _, m in pairs), 1)}
        rows.append(f"| {reading} | {len(pairs)} | {q(0.5):.2f} | {q(0.1):.2f}–{q(0.9):.2f} | {100 * within:.0f} % "
                    f"| {sum(e for e, _ in pairs) / 60:.1f} min | {sum(m for _, m in pairs) / 60:.1f} min | {kernel} |")
    return out, "\n".join(rows)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_flags() -> set[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def portable(text: str) -> str:
    """The text with this checkout's absolute path made relative (results carry no machine paths)."""
    return text.replace(str(ROOT) + "/", "").replace(str(ROOT), ".")


def make_portable(f) -> None:
    """Rewrites every string attribute of an open h5py file through `portable`."""
    def fix(obj):
        for k, v in list(obj.attrs.items()):
            if isinstance(v, bytes):
                v = v.decode()
            if isinstance(v, str) and str(ROOT) in v:
                obj.attrs[k] = portable(v)
    fix(f)
    f.visititems(lambda _, obj: fix(obj))


def write_h5(path: Path, ws: list[Workload], meta: dict, summary: dict) -> None:
    import h5py
    import numpy as np

    tmp = path.with_name(path.name + ".tmp")
    with h5py.File(tmp, "w") as f:
        g = f.create_group("meta")
        for k, v in meta.items():
            g.attrs[k] = "" if v is None else (v if isinstance(v, (int, float, str)) else json.dumps(v, sort_keys=True))
        s = f.create_group("summary")
        for k, v in (("sgemm_gflops", summary["sgemm_gflops"]), ("dgemm_gflops", summary["dgemm_gflops"])):
            d = s.create_dataset(k, data=np.nan if v is None else v)
            d.attrs["units"] = "GFLOP/s"
            d.attrs["description"] = f"peak {k[:5]} of this run: the larger median of the core's n=512 and n=1024 products"
        s.attrs["latest_json"] = json.dumps(summary, sort_keys=True)
        for w in ws:
            wg = f.create_group(w.key)
            wg.attrs["description"] = w.description
            wg.attrs["title"] = w.title
            for name, data, units, desc in (
                ("round_clean", np.array(w.clean, dtype=np.int8), "1",
                 "1 if the rest of the machine used at most the load limit in every process of the round; "
                 "medians pool the clean rounds only"),
                ("round_other_load_cpus", np.array(w.round_load), "CPUs",
                 "the most CPU the rest of the machine used while any process of the round ran")):
                d = wg.create_dataset(name, data=data)
                d.attrs["units"] = units
                d.attrs["description"] = desc
            for impl in w.implementations:
                ig = wg.create_group(impl)
                rounds = w.samples.get(impl)
                if not rounds:
                    ig.attrs["installed"] = 0
                    continue
                ig.attrs["installed"] = 1
                rec = w.records[impl][0]
                ig.attrs["flop_formula"] = rec.get("flop_formula", "")
                ig.attrs["command"] = rec.get("_command", "")
                if impl != "core" and rec.get("blas"):
                    ig.attrs["blas"] = json.dumps(rec["blas"], sort_keys=True)
                if impl == "core":
                    ig.attrs["openblas_core"] = rec.get("openblas_core", "")
                width = max(len(r) for r in rounds)
                arr = np.full((len(rounds), width), np.nan)
                for i, r in enumerate(rounds):
                    arr[i, :len(r)] = r
                for name, data, units, desc in (
                    ("samples_ms", arr, "ms", "timed samples, one row per round (process), one column per epoch or repetition"),
                    ("median_ms", w.median_ms(impl), "ms", "median of the samples of the clean rounds (of all rounds if none was clean)"),
                    ("flops", w.flops(impl), "FLOP", f"nominal floating-point operations per sample: {rec.get('flop_formula', '')}"),
                    ("gflops", w.gflops(impl), "GFLOP/s", "flops / median time"),
                    ("cpu_over_wall", np.array([r["cpu_over_wall"] for r in w.records[impl]]), "1",
                     "process CPU time / wall time over each round's timed samples (≈1 single-threaded)"),
                    ("other_load_cpus", np.array([r.get("_other_cpus", np.nan) for r in w.records[impl]]), "CPUs",
                     "busy CPU time of the rest of the machine per second while each round's process ran (/proc/stat minus the child)"),
                    ("steal_cpus", np.array([r.get("_steal_cpus", np.nan) for r in w.records[impl]]), "CPUs",
                     "hypervisor steal time per second while each round's process ran"),
                ):
                    d = (ig.create_dataset(name, data=data, compression="gzip", shuffle=True) if np.ndim(data) > 0
                         else ig.create_dataset(name, data=data))
                    d.attrs["units"] = units
                    d.attrs["description"] = desc
        make_portable(f)
    # Rewritten attributes leave their old bytes in the file: copy it into a fresh one.
    fresh = path.with_name(path.name + ".tmp2")
    with h5py.File(tmp, "r") as src, h5py.File(fresh, "w") as dst:
        for k, v in src.attrs.items():
            dst.attrs[k] = v
        for name in src:
            src.copy(src[name], dst, name=name)
    os.remove(tmp)
    os.replace(fresh, path)


# ---------------------------------------------------------------------------------------------


def git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--core-bin", default=str(ROOT / ".build/release/implicit-reg-bench"),
                    help="the implicit-reg-bench executable (release build)")
    ap.add_argument("--python", default=sys.executable, help="the Python with numpy/jax (the bench venv)")
    ap.add_argument("--rounds", type=int, default=5, help="clean rounds wanted per workload; every implementation runs once per round")
    ap.add_argument("--epochs", type=int, default=2, help="timed MLP epochs per process (after one warm-up epoch)")
    ap.add_argument("--only", help="comma-separated workload keys (e.g. mlp_b128,sgemm_1024) for a partial run")
    ap.add_argument("--coretype", help="export OPENBLAS_CORETYPE=NAME to the core's processes only (recorded); "
                                       "results then go to latest-coretype-NAME.json / results-coretype-NAME.h5")
    ap.add_argument("--cpu", type=int, default=None, help="CPU to pin every child to (default: the last allowed one)")
    ap.add_argument("--no-pin", action="store_true", help="do not pin children (JAX then uses every CPU)")
    ap.add_argument("--json", type=Path, help="where to write the medians (default bench/latest.json)")
    ap.add_argument("--h5", type=Path, help="where to write every sample (default bench/results.h5)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds one child may take")
    ap.add_argument("--no-cost-check", action="store_true",
                    help="skip comparing the readings' plan estimates with their committed full runs' point times")
    ap.add_argument("--max-load", type=float, default=0.2,
                    help="a round in which the rest of the machine used more CPUs than this is dropped and rerun")
    ap.add_argument("--max-dropped", type=int, default=None,
                    help="dropped rounds per workload after which a loaded round is kept, not rerun (default: half of --rounds, at least 2)")
    ap.add_argument("--quiet-wait", type=float, default=5,
                    help="seconds to wait before rerunning a dropped round for a quiet half second (then it runs anyway)")
    args = ap.parse_args(argv)

    suffix = f"-coretype-{args.coretype}" if args.coretype else ""
    json_path = args.json or HERE / f"latest{suffix}.json"
    h5_path = args.h5 or HERE / f"results{suffix}.h5"
    if not Path(args.core_bin).exists():
        raise SystemExit(f"bench.py: {args.core_bin} not found: build it (`swift build -c release`) or pass --core-bin")
    cpu = None if args.no_pin else (args.cpu if args.cpu is not None else max(os.sched_getaffinity(0)))
    runner = Runner(args.core_bin, args.python, cpu, args.coretype, args.timeout)
    start = dt.datetime.now(dt.timezone.utc)

    # Provenance, and which references exist.
    core_info = runner.run([args.core_bin, "info"], "core")
    ref_info = runner.run([args.python, str(REFERENCE), "info"], "numpy")
    versions = ref_info["versions"]
    available = {"core": True, "numpy": True, "jax": versions.get("jax") is not None,
                 "torch": versions.get("torch") is not None}
    # The NumPy Hessian-vector product must be exact before it is timed.
    check = runner.run([args.python, str(REFERENCE), "check-hvp"], "numpy")
    print(f"NumPy H·v vs central differences: relative error {check['relative_error']:.2e} "
          f"(tolerance {check['tolerance']:g})", file=sys.stderr)

    ws = workloads(args.epochs)
    if args.only:
        keep = {k.strip() for k in args.only.split(",")}
        unknown = keep - {w.key for w in ws}
        if unknown:
            raise SystemExit(f"bench.py: unknown workload(s) {sorted(unknown)}; known: {[w.key for w in ws]}")
        ws = [w for w in ws if w.key in keep]
    if args.rounds < 5:
        print(f"bench.py: only {args.rounds} round(s): fine for a smoke test, too few for a result", file=sys.stderr)

    core_label = f"core (OpenBLAS {core_info['openblas_core']})"
    numpy_blas = ref_info.get("numpy_blas") or {}
    labels = {"core": core_label,
              "numpy": f"numpy (OpenBLAS {numpy_blas.get('version', '?')} {numpy_blas.get('architecture', '?')})",
              "jax": f"jax {versions.get('jax') or '(not installed)'} (XLA)",
              "torch": f"torch {versions.get('torch') or '(not installed)'}"}
    print(f"bench: {args.rounds} rounds × {len(ws)} workloads, children pinned to CPU {cpu}; "
          f"core kernel {core_info['openblas_core']}"
          f"{' (OPENBLAS_CORETYPE=' + args.coretype + ')' if args.coretype else ''}, "
          f"numpy kernel {numpy_blas.get('architecture', '?')}", file=sys.stderr)

    def wait_for_quiet() -> None:
        """Waits (up to --quiet-wait seconds) until the machine is quiet for one half-second window."""
        deadline = time.monotonic() + args.quiet_wait
        while time.monotonic() < deadline and MachineLoad.busy_cpus(0.5) > args.max_load:
            pass

    def run_round(w: Workload, r: int) -> None:
        impls = [i for i in w.implementations if available[i]]
        k = r % len(impls)
        for impl in impls[k:] + impls[:k]:  # rotate who goes first
            cmd = runner.command(impl, w)
            rec = runner.run(cmd, impl)
            if "unavailable" in rec:
                available[impl] = False
                continue
            rec["_command"] = shlex.join(cmd)
            w.samples.setdefault(impl, []).append(rec["samples_ms"])
            w.records.setdefault(impl, []).append(rec)
            if rec.get("cpu_over_wall", 1) > 1.15:
                print(f"bench.py: warning: {impl} {w.key} used {rec['cpu_over_wall']:.2f} CPUs", file=sys.stderr)
        other = max((w.records[i][-1]["_other_cpus"] for i in impls if w.records.get(i)), default=0.0)
        clean = other <= args.max_load
        w.clean.append(clean)
        w.round_load.append(other)
        print(f"  round {r + 1}/{args.rounds} {w.key}: "
              + ", ".join(f"{i} {fmt_ms(statistics.median(w.samples[i][-1]))} ms"
                          for i in impls if w.samples.get(i))
              + ("" if clean else f"   (other load up to {other:.2f} CPU: dropped)"), file=sys.stderr)

    # A round of a workload whose processes saw the rest of the machine use more than --max-load
    # CPU is dropped (kept in results.h5, left out of the medians) and run again, at most
    # --max-dropped times per workload; after that, further loaded rounds are kept as dropped.
    max_dropped = max(2, args.rounds // 2) if args.max_dropped is None else args.max_dropped
    for r in range(args.rounds):
        for w in ws:
            run_round(w, r)
            while not w.clean[-1] and w.dropped < max_dropped:
                wait_for_quiet()
                run_round(w, r)

    by_key = {w.key: w for w in ws}

    def peak(blas: str) -> float | None:
        vals = [by_key[k].gflops("core") for k in (f"{blas}_512", f"{blas}_1024") if k in by_key]
        vals = [v for v in vals if v is not None]
        return max(vals) if vals else None

    peaks = {"float": peak("sgemm"), "double": peak("dgemm")}
    summary = latest_json(by_key, peaks)
    end = dt.datetime.now(dt.timezone.utc)

    text = table(ws, peaks, labels)
    others = [rec.get("_other_cpus", 0.0) for w in ws for recs in w.records.values() for rec in recs]
    other_median = statistics.median(others) if others else 0.0
    other_max = max(others, default=0.0)
    dropped = sum(w.dropped for w in ws)
    header = (f"Medians of the clean rounds of {args.rounds} alternating rounds per workload; one thread, children "
              f"pinned to one CPU. A round in which the rest of the machine used more than {args.max_load:g} CPU "
              f"was dropped and run again (until {max_dropped} were dropped for a workload): {dropped} round(s) dropped "
              f"in all, per workload in the last column. "
              f"% of peak: of this run's core sgemm peak ({fmt(peaks['float'])} GFLOP/s) for fp32 rows, "
              f"dgemm peak ({fmt(peaks['double'])} GFLOP/s) for fp64 rows. "
              f"ref ms / core ms > 1 means the core is faster. "
              f"Other load on the machine while children ran: median {other_median:.2f} CPU, max {other_max:.2f} CPU "
              f"(of {os.cpu_count()}).")
    print(header)
    print()
    print(text)
    costs, cost_text = ({}, "") if args.no_cost_check else cost_model_check(Path(args.core_bin).parent)
    if costs:
        summary["cost_model"] = costs
        print("\nThe readings' `plan` estimates against the committed full runs' point times (points of ≥ 10 s):\n")
        print(cost_text)

    flags = cpu_flags()
    meta = {
        "git_commit": core_info.get("git_commit") or git("rev-parse", "HEAD") or "unknown",
        "git_dirty": int(bool(core_info.get("git_dirty"))),
        "date": start.isoformat(timespec="seconds"),
        "start_time": start.isoformat(timespec="seconds"),
        "end_time": end.isoformat(timespec="seconds"),
        "cpu_model": cpu_model(),
        "cpu_avx512f": int("avx512f" in flags),
        "cpu_avx2": int("avx2" in flags),
        "nproc": os.cpu_count() or 0,
        "pinned_cpu": -1 if cpu is None else cpu,
        "host": platform.node(),
        "openblas_core": core_info.get("openblas_core"),
        "openblas_config": core_info.get("openblas_config"),
        "openblas_coretype_exported_to_core": args.coretype or "",
        "openblas_coretype_environment": os.environ.get("OPENBLAS_CORETYPE", ""),
        "numpy_openblas": numpy_blas,
        "numpy_openblas_architecture": numpy_blas.get("architecture", "unknown"),
        "swift_version": core_info.get("swift_version"),
        "python_version": versions.get("python"),
        "numpy_version": versions.get("numpy"),
        "jax_version": versions.get("jax") or "not installed",
        "jaxlib_version": versions.get("jaxlib") or "not installed",
        "torch_version": versions.get("torch") or "not installed",
        "h5py_version": versions.get("h5py"),
        "thread_environment": ONE_THREAD_ENV,
        "rounds": args.rounds,
        "other_load_median_cpus": other_median,
        "max_load_cpus": args.max_load,
        "max_dropped_per_workload": max_dropped,
        "dropped_rounds": dropped,
        "other_load_max_cpus": other_max,
        "mlp_epochs_per_process": args.epochs,
        "hvp_check_relative_error": check["relative_error"],
        "command": shlex.join([sys.executable, *sys.argv]),
        "table_markdown": header + "\n\n" + text + ("\n\n" + cost_text if costs else ""),
    }
    json_path.write_text(json.dumps(summary, indent=2) + "\n")
    write_h5(h5_path, ws, meta, summary)
    print(f"\nwrote {json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path} and "
          f"{h5_path.relative_to(ROOT) if h5_path.is_relative_to(ROOT) else h5_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
