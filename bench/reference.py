#!/usr/bin/env python3
"""The reference implementations `make bench` times the core against: NumPy, JAX and PyTorch.

Each workload repeats the shapes of `implicit-reg-bench` (Sources/Benchmarks) exactly; data and
weights are drawn the same way (standard normal inputs, uniform labels, He-normal weights, zero
biases) but from NumPy's generator, so values differ and shapes do not. Like the Swift side,
every subcommand warms up, times, and prints ONE JSON line on stdout:

    reference.py info                                      versions and NumPy's BLAS (threadpoolctl)
    reference.py check-hvp                                 NumPy R-operator H·v vs finite differences
    reference.py gemm numpy --precision float --n 1024     np.matmul (NumPy's own OpenBLAS)
    reference.py mlp-epoch numpy|jax|torch --batch 128     one SGD epoch of the 784-512-512-10 MLP
                 [--hidden 800 --momentum 0.9]             (or another 784-…-10 net, with momentum)
    reference.py cnn-epoch jax|torch                       one SGD epoch of the random-labels CNN
    reference.py mf-step numpy                             depth-3 100×100 deep linear step (float64)
    reference.py mlp-hvp numpy                             exact H·v of the MLP on a batch of 128 (float64)

Threads are not set here: bench/bench.py exports OPENBLAS_NUM_THREADS=1, OMP_NUM_THREADS=1 and
XLA_FLAGS to every child before Python starts, which is the only moment those take effect, and
pins it to one CPU (JAX 0.10 ignores the XLA flags and sizes its thread pool from the CPU affinity).
`cpu_over_wall` in the output (process CPU time / wall time over the timed part) shows whether
anything used a second core anyway.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

import numpy as np

# The shapes of Sources/Benchmarks/Workloads.swift (ReferenceShapes).
MLP_WIDTHS = (784, 512, 512, 10)
TRAINING_EXAMPLES = 5_000
LEARNING_RATE = 0.01
MF_DIMENSION = 100
MF_DEPTH = 3
HVP_BATCH = 128
MLP_WEIGHTS = sum(a * b for a, b in zip(MLP_WIDTHS, MLP_WIDTHS[1:]))  # 668,672
# The random-labels CNN (ReferenceShapes.cnn*): 1×28×28 → conv 8 → pool → conv 16 → pool → 64 → 10.
CNN_IMAGE = (1, 28, 28)
CNN_FILTERS = (8, 16)
CNN_HIDDEN = 64
CNN_EXAMPLES = 4_000
CNN_MOMENTUM = 0.9
# Multiply-adds of one example's forward pass: 784·8·9 + 196·16·72 + 784·64 + 64·10 = 333,056.
CNN_MULTIPLY_ADDS = 784 * 8 * 9 + 196 * 16 * 72 + 784 * 64 + 64 * 10
HVP_TOLERANCE = 1e-5


# ---------------------------------------------------------------------------------------------
# Timing and output


def measure(warmup: int, count: int, body) -> tuple[list[float], float]:
    """Runs `body` `warmup` times untimed, then `count` times timed: (ms per call, CPU/wall)."""
    for _ in range(warmup):
        body()
    samples = []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(count):
        t0 = time.perf_counter()
        body()
        samples.append((time.perf_counter() - t0) * 1e3)
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    return samples, (cpu / wall if wall > 0 else 1.0)


def emit(workload: str, implementation: str, precision: str, samples: list[float], cpu_over_wall: float,
         warmup: int, flops: float, flop_formula: str, **extra) -> None:
    """Prints one measurement as a JSON line, with the keys of the Swift side's `Measurement`."""
    ms = float(np.median(samples))
    record = {
        "workload": workload, "implementation": implementation, "precision": precision,
        "warmup": warmup, "samples_ms": samples, "ms": ms, "flops": flops, "flop_formula": flop_formula,
        "gflops": flops / (ms * 1e6), "cpu_over_wall": cpu_over_wall,
        "blas": numpy_blas(), **extra,
    }
    print(json.dumps(record, sort_keys=True), flush=True)


def numpy_blas() -> dict | None:
    """NumPy's BLAS as threadpoolctl sees it (library, version, kernel, threads), if available."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    for pool in threadpool_info():
        if pool.get("user_api") == "blas" and "numpy" in pool.get("filepath", ""):
            info = {k: pool.get(k) for k in ("internal_api", "version", "architecture", "num_threads",
                                             "threading_layer", "filepath")}
            # The library's file name only: the directory is the machine's (its venv), not the library's.
            info["filepath"] = os.path.basename(info["filepath"] or "")
            return info
    return None


# ---------------------------------------------------------------------------------------------
# Data and weights (the recipe of Sources/Benchmarks/Workloads.swift)


def classification(rows: int, seed: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    """`rows`×784 standard normal inputs and uniform labels in 0..<10."""
    rng = np.random.default_rng([seed, 1])
    x = rng.standard_normal((rows, MLP_WIDTHS[0])).astype(dtype)
    y = rng.integers(0, MLP_WIDTHS[-1], rows).astype(np.int32)
    return x, y


def mlp_widths(hidden: tuple[int, ...]) -> tuple[int, ...]:
    return (MLP_WIDTHS[0], *hidden, MLP_WIDTHS[-1])


def weight_count(widths: tuple[int, ...]) -> int:
    return sum(a * b for a, b in zip(widths, widths[1:]))


def he_mlp(seed: int, dtype, widths: tuple[int, ...] = MLP_WIDTHS) -> list[np.ndarray]:
    """[W1, b1, W2, b2, …] with W stored in×out (x·W + b, as the core's Dense) ~ N(0, 2/in)."""
    rng = np.random.default_rng([seed, 2])
    params = []
    for fan_in, fan_out in zip(widths, widths[1:]):
        params.append((rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(dtype))
        params.append(np.zeros(fan_out, dtype=dtype))
    return params


def batches(perm: np.ndarray, batch: int):
    """Index blocks of a reshuffled epoch; the last one may be smaller (as the core's Trainer)."""
    for start in range(0, len(perm), batch):
        yield perm[start:start + batch]


# ---------------------------------------------------------------------------------------------
# NumPy: the MLP (hand-written backward), its exact Hessian-vector product, the MF step


def softmax_xent(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy and the probabilities."""
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    p = e / s
    rows = np.arange(len(y))
    loss = float(np.mean(np.log(s[:, 0]) + m[:, 0] - z[rows, y]))
    return loss, p


def numpy_loss_and_grad(params, x, y, want_tangent=None):
    """Loss and gradient of the batch-mean loss; with `want_tangent` = V (same structure as params)
    also the exact H·V by the R-operator (forward-over-reverse by hand, R{x} = 0).

    Returns (loss, grads) or (loss, grads, hv)."""
    w1, b1, w2, b2, w3, b3 = params
    n = x.shape[0]
    h1 = x @ w1 + b1
    m1 = h1 > 0
    a1 = h1 * m1
    h2 = a1 @ w2 + b2
    m2 = h2 > 0
    a2 = h2 * m2
    z = a2 @ w3 + b3
    loss, p = softmax_xent(z, y)
    gz = p.copy()
    gz[np.arange(n), y] -= 1
    gz /= n
    ga2 = gz @ w3.T
    gh2 = ga2 * m2
    ga1 = gh2 @ w2.T
    gh1 = ga1 * m1
    grads = [x.T @ gh1, gh1.sum(0), a1.T @ gh2, gh2.sum(0), a2.T @ gz, gz.sum(0)]
    if want_tangent is None:
        return loss, grads
    v1, vb1, v2, vb2, v3, vb3 = want_tangent
    # Tangent forward: R{h} = R{a_prev}·W + a_prev·V + v_b; R{a} = R{h} ⊙ σ'(h).
    rh1 = x @ v1 + vb1
    ra1 = rh1 * m1
    rh2 = ra1 @ w2 + a1 @ v2 + vb2
    ra2 = rh2 * m2
    rz = ra2 @ w3 + a2 @ v3 + vb3
    # R{∂L/∂z} = p ⊙ (R{z} − ⟨p, R{z}⟩) / n.
    rgz = p * (rz - (p * rz).sum(axis=1, keepdims=True)) / n
    # Tangent backward (ReLU's second derivative vanishes a.e.).
    rga2 = rgz @ w3.T + gz @ v3.T
    rgh2 = rga2 * m2
    rga1 = rgh2 @ w2.T + gh2 @ v2.T
    rgh1 = rga1 * m1
    hv = [x.T @ rgh1, rgh1.sum(0),
          ra1.T @ gh2 + a1.T @ rgh2, rgh2.sum(0),
          ra2.T @ gz + a2.T @ rgz, rgz.sum(0)]
    return loss, grads, hv


def numpy_mlp_grad(params, x, y):
    """Gradient of the batch-mean loss of a ReLU MLP of any depth ([W1, b1, W2, b2, …])."""
    acts, masks = [x], []
    a = x
    for i in range(0, len(params) - 2, 2):
        h = a @ params[i] + params[i + 1]
        m = h > 0
        a = h * m
        acts.append(a)
        masks.append(m)
    z = a @ params[-2] + params[-1]
    _, p = softmax_xent(z, y)
    g = p
    g[np.arange(len(y)), y] -= 1
    g /= len(y)
    grads = [None] * len(params)
    for layer in range(len(params) // 2 - 1, -1, -1):
        grads[2 * layer] = acts[layer].T @ g
        grads[2 * layer + 1] = g.sum(0)
        if layer > 0:
            g = (g @ params[2 * layer].T) * masks[layer - 1]
    return grads


class NumpyMLP:
    """SGD (heavy-ball momentum if asked) on a ReLU MLP in float32 with a hand-written backward pass."""

    def __init__(self, batch: int, seed: int, hidden=MLP_WIDTHS[1:-1], momentum: float = 0.0):
        self.x, self.y = classification(TRAINING_EXAMPLES, seed, np.float32)
        self.params = he_mlp(seed, np.float32, mlp_widths(hidden))
        self.velocity = [np.zeros_like(p) for p in self.params]
        self.momentum = np.float32(momentum)
        self.batch = batch
        self.rng = np.random.default_rng([seed, 3])
        self.lr = np.float32(LEARNING_RATE)

    def epoch(self) -> None:
        perm = self.rng.permutation(TRAINING_EXAMPLES)
        for idx in batches(perm, self.batch):
            grads = numpy_mlp_grad(self.params, self.x[idx], self.y[idx])
            for p, g, v in zip(self.params, grads, self.velocity):
                if self.momentum:
                    v *= self.momentum
                    v += g
                    g = v
                p -= self.lr * g


def numpy_mf_step_runner(seed: int):
    """One step of the depth-3 100×100 deep linear net on X = I (8 products, as the core)."""
    d = MF_DIMENSION
    rng = np.random.default_rng([seed, 4])
    ws = [rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(MF_DEPTH)]
    x = np.eye(d)
    t = rng.standard_normal((d, d))
    lr = LEARNING_RATE

    def step():
        w1, w2, w3 = ws
        h1 = x @ w1
        h2 = h1 @ w2
        z = h2 @ w3
        g = (z - t) / d  # ∂/∂z of ½‖z − t‖² averaged over the d rows
        g3 = h2.T @ g
        g2_in = g @ w3.T
        g2 = h1.T @ g2_in
        g1_in = g2_in @ w2.T
        g1 = x.T @ g1_in
        for w, gw in zip(ws, (g1, g2, g3)):
            gw *= lr
            w -= gw

    return step


def hvp_problem(seed: int):
    """The float64 MLP, one batch of 128 and a standard normal direction."""
    x, y = classification(HVP_BATCH, seed, np.float64)
    params = he_mlp(seed, np.float64)
    rng = np.random.default_rng([seed, 5])
    v = [rng.standard_normal(p.shape) for p in params]
    return params, x, y, v


def check_hvp(seed: int) -> dict:
    """Relative error ‖H·v − FD‖/‖H·v‖ of the NumPy R-operator against the central difference
    (∇L(θ + hv) − ∇L(θ − hv)) / 2h of the NumPy gradient."""
    params, x, y, v = hvp_problem(seed)
    _, _, hv = numpy_loss_and_grad(params, x, y, v)
    h = 1e-5 / np.sqrt(sum(float((vi * vi).sum()) for vi in v))
    _, gp = numpy_loss_and_grad([p + h * vi for p, vi in zip(params, v)], x, y)
    _, gm = numpy_loss_and_grad([p - h * vi for p, vi in zip(params, v)], x, y)
    fd = [(a - b) / (2 * h) for a, b in zip(gp, gm)]
    diff = np.sqrt(sum(float(((a - b) ** 2).sum()) for a, b in zip(hv, fd)))
    norm = np.sqrt(sum(float((a * a).sum()) for a in hv))
    return {"check": "numpy-hvp-vs-finite-difference", "relative_error": diff / norm,
            "tolerance": HVP_TOLERANCE, "step": h, "passed": bool(diff / norm <= HVP_TOLERANCE)}


# ---------------------------------------------------------------------------------------------
# JAX and PyTorch


class JaxTrainer:
    """SGD (heavy-ball momentum v ← m·v + g, θ ← θ − lr·v, as the core and torch.optim.SGD) with a
    `jax.jit` train step (float32). The data set stays on the device; each step receives the batch's
    indices. Compilation happens in the warm-up epoch (two shapes: full batches and the partial last
    one); an epoch ends with `block_until_ready`."""

    def __init__(self, loss, params, x, y, batch: int, seed: int, momentum: float):
        import jax

        self.jax = jax
        self.examples = len(y)
        self.x, self.y = jax.device_put(x), jax.device_put(y)
        self.params = tuple(jax.device_put(p) for p in params)
        self.velocity = tuple(jax.device_put(np.zeros_like(p)) for p in params)
        self.batch = batch
        self.rng = np.random.default_rng([seed, 3])
        lr, m = np.float32(LEARNING_RATE), np.float32(momentum)

        if momentum:
            def step(state, x_all, y_all, idx):
                params, velocity = state
                grads = jax.grad(loss)(params, x_all[idx], y_all[idx])
                velocity = tuple(m * v + g for v, g in zip(velocity, grads))
                return tuple(p - lr * v for p, v in zip(params, velocity)), velocity
        else:
            def step(state, x_all, y_all, idx):
                params, velocity = state
                grads = jax.grad(loss)(params, x_all[idx], y_all[idx])
                return tuple(p - lr * g for p, g in zip(params, grads)), velocity

        self.step = jax.jit(step, donate_argnums=0)

    def epoch(self) -> None:
        perm = self.rng.permutation(self.examples).astype(np.int32)
        state = (self.params, self.velocity)
        for idx in batches(perm, self.batch):
            state = self.step(state, self.x, self.y, idx)
        self.params, self.velocity = self.jax.block_until_ready(state)


def jax_xent(z, yb):
    import jax
    import jax.numpy as jnp

    logp = jax.nn.log_softmax(z, axis=1)
    return -jnp.mean(jnp.take_along_axis(logp, yb[:, None], axis=1))


def JaxMLP(batch: int, seed: int, hidden=MLP_WIDTHS[1:-1], momentum: float = 0.0) -> JaxTrainer:
    """A ReLU MLP 784-hidden-10 (default: the reference net) under `JaxTrainer`."""
    import jax

    def loss(params, xb, yb):
        a = xb
        for i in range(0, len(params) - 2, 2):
            a = jax.nn.relu(a @ params[i] + params[i + 1])
        return jax_xent(a @ params[-2] + params[-1], yb)

    x, y = classification(TRAINING_EXAMPLES, seed, np.float32)
    return JaxTrainer(loss, he_mlp(seed, np.float32, mlp_widths(hidden)), x, y, batch, seed, momentum)


def he_cnn(seed: int) -> list[np.ndarray]:
    """[K1, c1, K2, c2, W3, b3, W4, b4]: conv kernels O×I×3×3 ~ N(0, 2/(9·I)), dense W in×out ~ N(0, 2/in)."""
    rng = np.random.default_rng([seed, 2])
    (channels, h, w), (f1, f2) = CNN_IMAGE, CNN_FILTERS
    shapes = [((f1, channels, 3, 3), 9 * channels), ((f2, f1, 3, 3), 9 * f1),
              ((f2 * (h // 4) * (w // 4), CNN_HIDDEN), f2 * (h // 4) * (w // 4)), ((CNN_HIDDEN, 10), CNN_HIDDEN)]
    params = []
    for shape, fan_in in shapes:
        params.append((rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32))
        params.append(np.zeros(shape[0] if len(shape) == 4 else shape[1], dtype=np.float32))
    return params


def cnn_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    x, y = classification(CNN_EXAMPLES, seed, np.float32)
    return x.reshape(CNN_EXAMPLES, *CNN_IMAGE), y


def JaxCNN(batch: int, seed: int) -> JaxTrainer:
    """The random-labels CNN (NCHW, `lax.conv_general_dilated` 'SAME', 2×2 max-pool by `reduce_window`)."""
    import jax
    from jax import lax

    def pool(a):
        return lax.reduce_window(a, -np.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")

    def conv(a, k, c):
        return lax.conv_general_dilated(a, k, (1, 1), "SAME", dimension_numbers=("NCHW", "OIHW", "NCHW")) \
            + c[None, :, None, None]

    def loss(params, xb, yb):
        k1, c1, k2, c2, w3, b3, w4, b4 = params
        a = pool(jax.nn.relu(conv(xb, k1, c1)))
        a = pool(jax.nn.relu(conv(a, k2, c2)))
        a = jax.nn.relu(a.reshape(a.shape[0], -1) @ w3 + b3)
        return jax_xent(a @ w4 + b4, yb)

    x, y = cnn_data(seed)
    return JaxTrainer(loss, he_cnn(seed), x, y, batch, seed, CNN_MOMENTUM)


class TorchTrainer:
    """`torch.optim.SGD` (momentum as given) on an `nn.Sequential` in PyTorch, float32, eager."""

    def __init__(self, model, x, y, batch: int, seed: int, momentum: float):
        import torch

        self.torch = torch
        self.model = model
        self.examples = len(y)
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
        self.opt = torch.optim.SGD(self.model.parameters(), lr=LEARNING_RATE, momentum=momentum)
        self.batch = batch
        self.rng = np.random.default_rng([seed, 3])

    def epoch(self) -> None:
        torch = self.torch
        perm = torch.from_numpy(self.rng.permutation(self.examples))
        for idx in batches(perm, self.batch):
            loss = torch.nn.functional.cross_entropy(self.model(self.x[idx]), self.y[idx])
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            self.opt.step()


def torch_linear(torch, w: np.ndarray, b: np.ndarray):
    lin = torch.nn.Linear(*w.shape)
    with torch.no_grad():
        lin.weight.copy_(torch.from_numpy(w.T.copy()))  # torch stores out×in
        lin.bias.copy_(torch.from_numpy(b))
    return lin


def TorchMLP(batch: int, seed: int, hidden=MLP_WIDTHS[1:-1], momentum: float = 0.0) -> TorchTrainer:
    """A ReLU MLP 784-hidden-10 (default: the reference net) under `TorchTrainer`."""
    import torch

    torch.set_num_threads(1)
    params = he_mlp(seed, np.float32, mlp_widths(hidden))
    layers = []
    for i in range(0, len(params), 2):
        layers += [torch_linear(torch, params[i], params[i + 1]), torch.nn.ReLU()]
    x, y = classification(TRAINING_EXAMPLES, seed, np.float32)
    return TorchTrainer(torch.nn.Sequential(*layers[:-1]), x, y, batch, seed, momentum)


def TorchCNN(batch: int, seed: int) -> TorchTrainer:
    """The random-labels CNN as `nn.Sequential` (Conv2d padding 1, MaxPool2d 2)."""
    import torch

    torch.set_num_threads(1)
    k1, c1, k2, c2, w3, b3, w4, b4 = he_cnn(seed)
    convs = []
    for k, c in ((k1, c1), (k2, c2)):
        conv = torch.nn.Conv2d(k.shape[1], k.shape[0], 3, padding=1)
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(k))
            conv.bias.copy_(torch.from_numpy(c))
        convs.append(conv)
    model = torch.nn.Sequential(convs[0], torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                convs[1], torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
                                torch_linear(torch, w3, b3), torch.nn.ReLU(), torch_linear(torch, w4, b4))
    x, y = cnn_data(seed)
    return TorchTrainer(model, x, y, batch, seed, CNN_MOMENTUM)


# ---------------------------------------------------------------------------------------------
# Subcommands


def versions() -> dict:
    out = {"python": platform.python_version(), "numpy": np.__version__}
    for name in ("jax", "jaxlib", "torch", "h5py", "threadpoolctl"):
        try:
            module = __import__(name)
            out[name] = getattr(module, "__version__", "unknown")
        except ImportError:
            out[name] = None
    return out


def cmd_info(_args) -> int:
    print(json.dumps({"versions": versions(), "numpy_blas": numpy_blas(),
                      "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                              "XLA_FLAGS", "OPENBLAS_CORETYPE")}},
                     sort_keys=True))
    return 0


def cmd_check_hvp(args) -> int:
    result = check_hvp(args.seed)
    print(json.dumps(result, sort_keys=True))
    if not result["passed"]:
        print(f"reference.py: NumPy H·v disagrees with finite differences: relative error "
              f"{result['relative_error']:.3g} > {HVP_TOLERANCE:g}", file=sys.stderr)
        return 1
    return 0


def cmd_gemm(args) -> int:
    dtype = np.float32 if args.precision == "float" else np.float64
    rng = np.random.default_rng([args.seed, 6])
    n = args.n
    a, b = (rng.standard_normal((n, n)).astype(dtype) for _ in range(2))
    c = np.empty((n, n), dtype=dtype)
    samples, ratio = measure(args.warmup, args.reps, lambda: np.matmul(a, b, out=c))
    emit("gemm", "numpy", np.dtype(dtype).name, samples, ratio, args.warmup, 2.0 * n ** 3, "2n^3", n=n)
    return 0


def cmd_mlp_epoch(args) -> int:
    impl = {"numpy": NumpyMLP, "jax": JaxMLP, "torch": TorchMLP}[args.implementation]
    hidden = tuple(int(h) for h in args.hidden.split(","))
    try:
        runner = impl(args.batch, args.seed, hidden=hidden, momentum=args.momentum)
    except ImportError as error:
        print(json.dumps({"workload": "mlp-epoch", "implementation": args.implementation,
                          "unavailable": str(error)}), flush=True)
        return 0
    samples, ratio = measure(args.warmup, args.epochs, runner.epoch)
    emit("mlp-epoch", args.implementation, "float32", samples, ratio, args.warmup,
         6.0 * TRAINING_EXAMPLES * weight_count(mlp_widths(hidden)),
         f"6*N*W, N=5000, W=weights of 784-{'-'.join(map(str, hidden))}-10",
         batch=args.batch, examples=TRAINING_EXAMPLES, hidden=list(hidden), momentum=args.momentum)
    return 0


def cmd_cnn_epoch(args) -> int:
    impl = {"jax": JaxCNN, "torch": TorchCNN}[args.implementation]
    try:
        runner = impl(args.batch, args.seed)
    except ImportError as error:
        print(json.dumps({"workload": "cnn-epoch", "implementation": args.implementation,
                          "unavailable": str(error)}), flush=True)
        return 0
    samples, ratio = measure(args.warmup, args.epochs, runner.epoch)
    emit("cnn-epoch", args.implementation, "float32", samples, ratio, args.warmup,
         6.0 * CNN_EXAMPLES * CNN_MULTIPLY_ADDS, "6*N*M, N=4000, M=784*8*9+196*16*72+784*64+64*10",
         batch=args.batch, examples=CNN_EXAMPLES, momentum=CNN_MOMENTUM)
    return 0


def cmd_mf_step(args) -> int:
    step = numpy_mf_step_runner(args.seed)
    samples, ratio = measure(args.warmup, args.reps, step)
    d = MF_DIMENSION
    emit("mf-step", "numpy", "float64", samples, ratio, args.warmup, 8 * 2.0 * d ** 3 + 2.0 * MF_DEPTH * d * d,
         "8*2*d^3 + 2*depth*d^2, d=100, depth=3", n=d, batch=d)
    return 0


def cmd_mlp_hvp(args) -> int:
    params, x, y, v = hvp_problem(args.seed)
    samples, ratio = measure(args.warmup, args.reps, lambda: numpy_loss_and_grad(params, x, y, v))
    first = MLP_WIDTHS[0] * MLP_WIDTHS[1]
    emit("mlp-hvp", "numpy", "float64", samples, ratio, args.warmup,
         2.0 * HVP_BATCH * (4 * first + 9 * (MLP_WEIGHTS - first)),
         "2*B*(4*784*512 + 9*(512*512+512*10)), B=128", batch=HVP_BATCH,
         note="exact R-operator H·v (and the gradient) of the batch-mean softmax cross-entropy on one batch of 128")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="versions, NumPy's BLAS kernel, thread environment").set_defaults(func=cmd_info)
    sub.add_parser("check-hvp", help="abort unless the NumPy H·v matches finite differences").set_defaults(func=cmd_check_hvp)

    p = sub.add_parser("gemm", help="n×n matmul through NumPy's BLAS")
    p.add_argument("implementation", choices=["numpy"])
    p.add_argument("--precision", choices=["float", "double"], default="float")
    p.add_argument("--n", type=int, default=1024)
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.set_defaults(func=cmd_gemm)

    p = sub.add_parser("mlp-epoch", help="one SGD epoch of a 784-…-10 MLP on 5,000 examples")
    p.add_argument("implementation", choices=["numpy", "jax", "torch"])
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--hidden", default="512,512", help="hidden widths, comma-separated")
    p.add_argument("--momentum", type=float, default=0.0)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--warmup", type=int, default=1)
    p.set_defaults(func=cmd_mlp_epoch)

    p = sub.add_parser("cnn-epoch", help="one SGD epoch (momentum 0.9) of the random-labels CNN on 4,000 images")
    p.add_argument("implementation", choices=["jax", "torch"])
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--warmup", type=int, default=1)
    p.set_defaults(func=cmd_cnn_epoch)

    p = sub.add_parser("mf-step", help="one gradient step of the depth-3 100×100 factorization")
    p.add_argument("implementation", choices=["numpy"])
    p.add_argument("--reps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.set_defaults(func=cmd_mf_step)

    p = sub.add_parser("mlp-hvp", help="one exact H·v of the float64 MLP on a batch of 128")
    p.add_argument("implementation", choices=["numpy"])
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.set_defaults(func=cmd_mlp_hvp)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
