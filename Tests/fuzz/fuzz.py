#!/usr/bin/env python3
"""`make test-fuzz`: generated and damaged inputs for every reader of the suite, and faults.

Deterministic (one seed), standard library only. Each input must end in success or a named error
("Error: ..." from an executable, "error ..." from implicit-reg-fuzz): never a signal, never more
than --timeout seconds, never more than --memory-gb of address space (RLIMIT_AS on every process
it starts). Families:

  idx, gzip, csv, json, hdf5   mutants fed to the readers in one process (implicit-reg-fuzz)
  config                       mutated configs through each reading's `plan`
  verify                       mutated summaries through each reading's `verify`
  data                         --data-dir with small, incomplete or special data sets (`run`)
  kill                         SIGKILL/SIGTERM at seeded moments, then resume: same results
  disk-full                    a small tmpfs (root only): the message and exit 1, finished points kept
  slurm                        shell metacharacters and control characters in every option

Usage: fuzz.py --bin .build/release [--scale 1.0] [--seed 14] [--timeout 30] [--memory-gb 4]
--scale 0.05 is the CI slice. Prints one summary line per family and exits non-zero on a failure.
"""
import argparse, gzip, json, os, random, resource, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
READINGS = ["random-labels", "noise-scale", "minimum-norm", "gradient-regularization", "sgd-regularizer"]
INTERESTING_NUMBERS = ["0", "-0", "1", "-1", "2.5", "1e9", "1e308", "-1e308", "1e400", "1e-320", "4.9e-324",
                       "18446744073709551616", "9223372036854775808", "-9223372036854775809", "2147483648",
                       "0.1", "1e-12", "3", "1000000000", "65536", '"x"', "null", "true", "[]", "{}"]
TINY = {"seeds": [0, 1], "conditions": ["true-labels", "random-labels"], "corruption": {"levels": []},
        "regularization": {"models": []}, "theorem": {"sizes": []}, "size_sweep": None, "train_size": 300, "test_size": 200,
        "training": {"epochs": 3, "stop_at_train_accuracy": None}}


class Run:
    def __init__(self, args):
        self.args, self.rng = args, random.Random(args.seed)
        self.bin = os.path.abspath(args.bin)
        self.work = tempfile.mkdtemp(prefix="ir-fuzz-")
        self.failures, self.counts, self.seconds = [], {}, {}
        self.env = dict(os.environ, IMPLICIT_REG_ROOT=ROOT, OPENBLAS_NUM_THREADS="1")

    def n(self, full):
        return max(1, int(full * self.args.scale))

    def limits(self):
        gb = int(self.args.memory_gb * (1 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (gb, gb))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setsid()

    def run(self, family, argv, timeout=None, what=""):
        """One process; returns (status, stderr). Records a failure for a signal, a timeout or an unnamed error."""
        timeout = timeout or self.args.timeout
        try:
            p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env,
                                 preexec_fn=self.limits, cwd=ROOT)
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            self.fail(family, f"hang (> {timeout} s): {what or ' '.join(argv)}")
            return None, b""
        if p.returncode < 0:
            crash = [line for line in err.decode(errors="replace").splitlines() if " at /" in line or "Fatal error" in line]
            self.fail(family, f"signal {-p.returncode}: {what or ' '.join(argv)}\n" + "\n".join(crash[:8]))
        elif p.returncode not in (0, 1, 64) or (p.returncode != 0 and b"Error:" not in err):
            self.fail(family, f"exit {p.returncode} without a named error: {what or ' '.join(argv)}\n{err[-600:].decode(errors='replace')}")
        return p.returncode, err

    def fail(self, family, message):
        self.failures.append(f"[{family}] {message}")
        self.args.keep = True  # keep the inputs to reproduce it

    def count(self, family, n, started):
        self.counts[family] = self.counts.get(family, 0) + n
        self.seconds[family] = self.seconds.get(family, 0) + time.time() - started

    # ---- mutation ----

    def mutate(self, data, header=64):
        b = bytearray(data)
        r = self.rng
        for _ in range(r.choice([1, 1, 2, 3, 5, 20])):
            op = r.random()
            if not b:
                b = bytearray(r.randbytes(r.randrange(1, 64)))
            span = min(len(b), header) if r.random() < 0.6 else len(b)
            at = r.randrange(span)
            if op < 0.45:
                b[at] ^= 1 << r.randrange(8)
            elif op < 0.65:
                b[at] = r.choice([0, 0xFF, 0x7F, 0x80, 0x01])
            elif op < 0.75:
                del b[at:at + r.randrange(1, 64)]
            elif op < 0.85:
                b[at:at] = b[at:at + r.randrange(1, 64)]
            elif op < 0.92:
                b[at:at + 4] = r.choice([b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff", b"\x00\x00\x00\x00", b"\x00\x01\x00\x00"])
            else:
                del b[r.randrange(len(b)):]
        return bytes(b)

    # ---- families ----

    def harness(self, family, kind, inputs, batch=250):
        """Runs implicit-reg-fuzz over the inputs (any iterable), `batch` files at a time on disk,
        restarting after the input that crashed or hung it."""
        started, total = time.time(), 0
        it = iter(inputs)
        for b in range(1 << 30):
            d = os.path.join(self.work, family, f"{b:04d}")
            os.makedirs(d)
            n = 0
            for data in it:
                with open(os.path.join(d, f"{n:06d}"), "wb") as f:
                    f.write(data)
                n += 1
                if n == batch:
                    break
            if n == 0:
                os.rmdir(d)
                break
            total += n
            failed, start = False, 0
            while start < n:
                per = self.args.timeout
                p = subprocess.Popen([f"{self.bin}/implicit-reg-fuzz", kind, d, str(start), str(per)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=self.env, preexec_fn=self.limits)
                try:
                    out, err = p.communicate(timeout=per * (n - start) + 60)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    out, err = p.communicate()
                done = [int(line.split()[0]) for line in out.decode(errors="replace").splitlines() if line.strip()]
                last = done[-1] if done else start - 1
                if p.returncode == 0 and last == n - 1:
                    break
                bad = last + 1
                how = "hang (SIGALRM)" if p.returncode == -signal.SIGALRM else f"exit {p.returncode}"
                self.fail(family, f"{how} on input {d}/{bad:06d}\n{err[-400:].decode(errors='replace')}")
                failed, start = True, bad + 1
            if not failed:
                shutil.rmtree(d)
        self.count(family, total, started)

    def idx_inputs(self, n):
        r = self.rng
        out = []
        for _ in range(n):
            dims = r.choice([1, 3])
            shape = [r.randrange(0, 30)] + ([r.randrange(0, 30), r.randrange(0, 30)] if dims == 3 else [])
            body = r.randbytes(min(4000, max(0, (shape[0] * (shape[1] * shape[2] if dims == 3 else 1)))))
            valid = (0x0800 | dims).to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in shape) + body
            out.append((dims, self.mutate(valid, header=16)))
        return out

    def family_readers(self):
        r = self.rng
        idx = self.idx_inputs(self.n(2500))
        self.harness("idx1", "idx1", [d for k, d in idx if k == 1])
        self.harness("idx3", "idx3", [d for k, d in idx if k == 3])

        with gzip.open(os.path.join(ROOT, "data/mnist-5k/mnist_5k.csv.gz"), "rb") as f:
            rows = f.read().split(b"\n")[:40]
        csv = []
        for _ in range(self.n(1500)):
            text = b"\n".join(r.sample(rows, r.randrange(1, 6)))
            csv.append(self.mutate(text, header=len(text)))
        self.harness("csv", "csv", csv)

        gz = []
        for _ in range(self.n(1000)):
            payload = r.randbytes(r.randrange(0, 2000)) if r.random() < 0.5 else bytes(r.randrange(0, 200000))
            gz.append(self.mutate(gzip.compress(payload), header=32))
        self.harness("gzip", "gzip", gz)

        base = open(os.path.join(ROOT, "Reproductions/random-labels/configs/full.json"), "rb").read()
        self.harness("json", "json", (self.mutate_json(base) for _ in range(self.n(2500))))

        sources = [os.path.join(ROOT, f"Reproductions/{x}/results/full/summary.h5") for x in READINGS]
        points = sorted(p for p in os.listdir(os.path.join(ROOT, "Reproductions/gradient-regularization/results/full/points"))
                        if p.endswith(".h5"))[:3]
        sources += [os.path.join(ROOT, "Reproductions/gradient-regularization/results/full/points", p) for p in points]
        files = [open(s, "rb").read() for s in sources]

        def h5():  # generated one at a time: 3000 mutants of MB-sized summaries do not fit in memory at once
            for _ in range(self.n(3000)):
                data = r.choice(files)
                yield self.mutate(data, header=min(len(data), 1 << 16)) if r.random() < 0.9 else data[:r.randrange(len(data))]
            yield bytes(512)
        self.harness("hdf5", "hdf5", h5())

    def mutate_json(self, base):
        r = self.rng
        text = base.decode()
        op = r.random()
        if op < 0.55:  # replace a number or value by an interesting literal
            tokens = [i for i, c in enumerate(text) if c in "-0123456789" and (i == 0 or text[i - 1] in " :[,")]
            if tokens:
                at = r.choice(tokens)
                end = at
                while end < len(text) and text[end] not in ",]}\n ":
                    end += 1
                text = text[:at] + r.choice(INTERESTING_NUMBERS) + text[end:]
        elif op < 0.65:
            at = text.rfind("}", 0, r.randrange(len(text)))
            text = text[:at] + "," + text[at:] if at > 0 else text
        elif op < 0.72:
            text = text.replace("{", '{"seed": 1, "seed": 2, ', 1) if r.random() < 0.5 else "// c\n" + text
        elif op < 0.8:
            text = text[: r.randrange(len(text))]
        else:
            return self.mutate(base, header=len(base))
        return text.encode()

    def family_config(self):
        started, n = time.time(), self.n(400)
        d = os.path.join(self.work, "config")
        os.makedirs(d)
        for i in range(n):
            reading = self.rng.choice(READINGS)
            base = open(os.path.join(ROOT, f"Reproductions/{reading}/configs/quick.json"), "rb").read()
            path = os.path.join(d, f"{i}.json")
            with open(path, "wb") as f:
                f.write(self.mutate_json(base))
            self.run("config", [f"{self.bin}/{reading}", "plan", "--config", path, "--out", os.path.join(d, "out")],
                     what=f"{reading} plan --config {path}")
        self.count("config", n, started)

    def family_verify(self):
        started, n = time.time(), self.n(300)
        for i in range(n):
            reading = self.rng.choice(READINGS)
            data = open(os.path.join(ROOT, f"Reproductions/{reading}/results/full/summary.h5"), "rb").read()
            d = os.path.join(self.work, "verify", str(i))
            os.makedirs(d)
            with open(os.path.join(d, "summary.h5"), "wb") as f:
                f.write(self.mutate(data, header=1 << 16) if i % 10 else bytes(512))
            other = self.rng.choice(READINGS)
            status, _ = self.run("verify", [f"{self.bin}/{other}", "verify", "--results", d], what=f"{other} verify --results {d}")
            if status == 0 and other != reading and i % 10 == 0:
                self.fail("verify", f"{other} accepted {reading}'s summary")
            if status is not None and not self.args.keep:
                shutil.rmtree(d)
        self.count("verify", n, started)

    def family_data(self):
        """--data-dir with data sets too small, missing a class, or special files: `run` of one point."""
        started = time.time()
        cases = []
        with gzip.open(os.path.join(ROOT, "data/mnist-5k/mnist_5k.csv.gz"), "rb") as f:
            rows = [x for x in f.read().split(b"\n") if x]
        for size in [0, 1, 50, 99, 1000, 5000]:
            cases.append(("rows", size))
        cases += [("no-class-3", 5000), ("devzero", 0), ("fifo", 0), ("crlf", 5000), ("directory", 0)]
        config = os.path.join(self.work, "data-tiny.json")
        tiny = dict(TINY, datasets=["mnist-5k"], seeds=[0], conditions=["true-labels"])
        json.dump(tiny, open(config, "w"))
        for kind, size in cases[: self.n(len(cases))] if self.args.scale < 1 else cases:
            d = os.path.join(self.work, "data", f"{kind}-{size}")
            os.makedirs(os.path.join(d, "mnist-5k"))
            target = os.path.join(d, "mnist-5k/mnist_5k.csv.gz")
            if kind == "devzero":
                os.symlink("/dev/zero", target)
            elif kind == "fifo":
                os.mkfifo(target)
            elif kind == "directory":
                os.makedirs(target)
            else:
                chosen = [x for x in rows if not (kind == "no-class-3" and x.endswith(b",3"))][:size]
                with gzip.open(target, "wb") as f:
                    f.write(b"\n".join(chosen) + (b"\n" if chosen else b""))
            digest = "0" * 64
            if os.path.isfile(target) and not os.path.islink(target):
                import hashlib
                digest = hashlib.sha256(open(target, "rb").read()).hexdigest()
            end = "\r\n" if kind == "crlf" else "\n"
            open(os.path.join(d, "checksums.sha256"), "w", newline="").write(f"{digest}  mnist-5k/mnist_5k.csv.gz{end}")
            self.run("data", [f"{self.bin}/random-labels", "run", "--config", config, "--data-dir", d, "--out",
                              os.path.join(d, "out"), "--quiet"], timeout=120, what=f"random-labels run --data-dir {d}")
        # Fashion-MNIST (IDX) with small training splits or a missing class: once a SIGSEGV in stratifiedSubset.
        import hashlib
        fashion = dict(TINY, datasets=["fashion-mnist"], seeds=[0], conditions=["true-labels"])
        json.dump(fashion, open(config, "w"))
        fashion_cases = [(0, None), (10, None), (99, None), (100, None), (2000, 3)]
        for n, missing in fashion_cases:
            d = os.path.join(self.work, "data", f"fashion-{n}-{missing}")
            os.makedirs(os.path.join(d, "fashion-mnist"))
            sums = []
            for prefix, count in (("train", n), ("t10k", 300)):
                labels = [i % 10 for i in range(count * 2) if i % 10 != missing][:count]
                images = bytes(self.rng.randrange(256) for _ in range(len(labels) * 784))
                for name, data in ((f"{prefix}-images-idx3-ubyte.gz", (0x0803).to_bytes(4, "big") + len(labels).to_bytes(4, "big")
                                    + (28).to_bytes(4, "big") * 2 + images),
                                   (f"{prefix}-labels-idx1-ubyte.gz", (0x0801).to_bytes(4, "big") + len(labels).to_bytes(4, "big") + bytes(labels))):
                    packed = gzip.compress(data)
                    open(os.path.join(d, "fashion-mnist", name), "wb").write(packed)
                    sums.append(f"{hashlib.sha256(packed).hexdigest()}  fashion-mnist/{name}\n")
            open(os.path.join(d, "checksums.sha256"), "w").write("".join(sums))
            status, err = self.run("data", [f"{self.bin}/random-labels", "run", "--config", config, "--data-dir", d, "--out",
                                            os.path.join(d, "out"), "--quiet"], timeout=120, what=f"random-labels run --data-dir {d}")
            if status == 1 and b"train_size" not in err and b"test_size" not in err:
                self.fail("data", f"{d}: the error does not name the config field: {err[-300:]}")
        self.count("data", len(cases) + len(fashion_cases), started)

    def family_kill(self):
        """SIGKILL or SIGTERM at seeded moments, then a run to the end: the summary equals an uninterrupted run's."""
        started, n = time.time(), self.n(12)
        config = os.path.join(self.work, "kill.json")
        json.dump(TINY, open(config, "w"))
        exe = f"{self.bin}/random-labels"
        reference = os.path.join(self.work, "kill-reference")
        self.run("kill", [exe, "run", "--config", config, "--out", reference, "--quiet"], timeout=300)
        for i in range(n):
            out = os.path.join(self.work, f"kill-{i}")
            for _ in range(3):
                p = subprocess.Popen([exe, "run", "--config", config, "--out", out, "--quiet"], env=self.env, cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=self.limits)
                time.sleep(self.rng.uniform(0.05, 2.5))
                p.send_signal(self.rng.choice([signal.SIGKILL, signal.SIGTERM]))
                p.wait()
                if p.returncode not in (0, -signal.SIGKILL, 143, 130):
                    self.fail("kill", f"exit {p.returncode} after a signal")
            self.run("kill", [exe, "run", "--config", config, "--out", out, "--quiet"], timeout=300)
            status, _ = self.run("kill", [f"{self.bin}/implicit-reg-fuzz", "compare", f"{reference}/summary.h5", f"{out}/summary.h5"])
            if status != 0:
                self.fail("kill", f"the resumed run {out} differs from the uninterrupted one")
            leftovers = [x for d in (out, f"{out}/points") for x in os.listdir(d) if "implicit-reg-tmp" in x]
            if leftovers:
                self.fail("kill", f"temporary files left: {leftovers}")
        self.count("kill", n, started)

    def family_disk_full(self):
        started = time.time()
        if os.geteuid() != 0:
            print("disk-full: skipped (needs root to mount a tmpfs)")
            return
        sizes = [16, 64, 256, 1024, 2048]
        for k in sizes[: self.n(len(sizes))] if self.args.scale < 1 else sizes:
            mount = os.path.join(self.work, f"disk-{k}")
            os.makedirs(mount)
            if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={k}k", "tmpfs", mount]).returncode != 0:
                print("disk-full: skipped (cannot mount a tmpfs here)")
                return
            try:
                # Small points first, then one of ~1 MB: the finished ones must survive the failure.
                for point in ("diag-gd-D2-alpha1e-3", "diag-gd-D2-alpha0.01", "ls-gaussian-seed0"):
                    status, err = self.run("disk-full", [f"{self.bin}/minimum-norm", "run", "--profile", "quick", "--out", f"{mount}/o",
                                                         "--points", point, "--quiet"], timeout=300)
                    if status == 1 and b"No space left" not in err:
                        self.fail("disk-full", f"{k} KiB: the error does not say the disk is full: {err[-300:]}")
                points = f"{mount}/o/points"
                for name in os.listdir(points) if os.path.isdir(points) else []:
                    if "implicit-reg-tmp" in name:
                        self.fail("disk-full", f"{k} KiB: temporary file left: {name}")
                    elif name.endswith(".h5"):  # a finished point must still read back
                        self.run("disk-full", [f"{self.bin}/implicit-reg-fuzz", "compare", f"{points}/{name}", f"{points}/{name}"])
            finally:
                subprocess.run(["umount", mount])
        self.count("disk-full", len(sizes), started)

    def family_slurm(self):
        started, n = time.time(), self.n(40)
        pieces = ["$(touch PWNED)", "`touch PWNED`", "'", '"', ";touch PWNED;", "\n#SBATCH --wrap=x", "\r", "\t", " ", "$HOME", "\\", "|", "&"]
        fake = os.path.join(self.work, "slurm-bin")
        os.makedirs(fake)
        with open(os.path.join(fake, "sbatch"), "w") as f:
            f.write("#!/bin/sh\necho 42\n")
        os.chmod(os.path.join(fake, "sbatch"), 0o755)
        for i in range(n):
            d = os.path.join(self.work, "slurm", str(i))
            os.makedirs(d)
            option = self.rng.choice(["--out", "--partition", "--mem", "--time", "--sbatch-arg"])
            value = "x" + "".join(self.rng.choice(pieces) for _ in range(self.rng.randrange(1, 4)))
            argv = [f"{self.bin}/random-labels", "slurm", "--profile", "quick", "--tasks", "1", "--out", f"{d}/o"]
            argv += [option, (f"{d}/" + value) if option == "--out" else value]
            status, _ = self.run("slurm", argv)
            out = argv[argv.index("--out", 8) + 1] if option == "--out" else f"{d}/o"
            if status == 0:
                env = dict(self.env, PATH=f"{fake}:/usr/bin:/bin")
                subprocess.run(["bash", f"{out}/slurm/submit.sh"], cwd=d, env=env, capture_output=True, timeout=30)
                for script in os.listdir(f"{out}/slurm"):
                    if script.endswith(".sbatch") and subprocess.run(["bash", "-n", f"{out}/slurm/{script}"]).returncode != 0:
                        self.fail("slurm", f"{option} {value!r}: {script} is not valid bash")
            for where, _, names in os.walk(d):
                if "PWNED" in names:
                    self.fail("slurm", f"{option} {value!r}: user text was executed")
        self.count("slurm", n, started)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release"))
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the inputs of each family (CI: 0.05)")
    ap.add_argument("--timeout", type=int, default=30, help="seconds one input may take (a summary reads in < 1 s)")
    ap.add_argument("--memory-gb", type=float, default=4, help="address-space limit of every process (GiB)")
    ap.add_argument("--keep", action="store_true", help="keep the generated inputs")
    ap.add_argument("--only", help="run only these families (comma-separated: readers, config, verify, data, kill, disk_full, slurm)")
    args = ap.parse_args()
    run = Run(args)
    began = time.time()
    try:
        for name in ("readers", "config", "verify", "data", "kill", "disk_full", "slurm"):
            if args.only and name not in args.only.split(","):
                continue
            run.rng = random.Random(f"{args.seed}/{name}")  # each family its own stream: --only reproduces it
            getattr(run, f"family_{name}")()
    finally:
        if not args.keep:
            shutil.rmtree(run.work, ignore_errors=True)
    total = sum(run.counts.values())
    for family, count in run.counts.items():
        print(f"  {family:10s} {count:6d} inputs  {run.seconds[family]:7.1f} s")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (1 << 20)
    print(f"test-fuzz: {total} inputs in {time.time() - began:.0f} s (seed {args.seed}, scale {args.scale}); "
          f"largest process {peak:.2f} GiB (limit {args.memory_gb}); {len(run.failures)} failure(s)")
    for failure in run.failures:
        print(failure)
    if args.keep and run.failures:
        print(f"inputs kept in {run.work}")
    sys.exit(1 if run.failures else 0)


if __name__ == "__main__":
    main()
