"""Figures of the minimum-norm reading (Zhang et al. §5, Woodworth et al. 2020, Arora et al. 2019).

Usage: figures.py RESULTS_DIR FIGURES_DIR   (reads RESULTS_DIR/summary.h5 and RESULTS_DIR/points/*.h5, writes PNGs)
"""
import json
import sys
from pathlib import Path

import h5py
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def point_files(results: Path) -> dict:
    """Point label -> open h5py file."""
    out = {}
    for path in sorted((results / "points").glob("*.h5")):
        f = h5py.File(path, "r")
        out[str(f["meta"].attrs["point_label"])] = f
    return out


def stamp(fig, f, title):
    meta = f["meta"].attrs
    fig.suptitle(f"{title} — profile {meta['profile']}, seed {meta['seed']}, commit {str(meta['git_commit'])[:10]}", fontsize=9)
    fig.tight_layout()


def least_squares(f, points, figures: Path):
    curves = f["curves"]
    gaussian = sorted(k for k in curves if k.startswith("ls-gaussian"))
    kernels = sorted(k for k in points if k.startswith("ls-kernel"))
    if not gaussian:
        return
    fig, (ax, ax_k) = plt.subplots(1, 2, figsize=(12, 4))
    g = curves[gaussian[0]]
    for name, label, ls in [("gd_zero", "GD from 0 → X⁺y", "-"), ("gd_start", "GD from w₀ → w₀ + X⁺(y − Xw₀)", "--")]:
        ax.semilogy(g[name]["step"][()], np.maximum(g[name]["relative_distance"][()], 1e-17), ls, label=label)
    ax2 = ax.twiny()
    for name, label, ls in [("sgd_zero", "SGD from 0 (epochs, top axis)", ":"), ("sgd_start", "SGD from w₀ (epochs, top axis)", "-.")]:
        ax2.semilogy(g[name]["epoch"][()], np.maximum(g[name]["relative_distance"][()], 1e-17), ls, color="C2" if "zero" in name else "C3", label=label)
    ax.set(xlabel="GD step", ylabel="relative ℓ2 distance to the target interpolant", title=f"Least squares, {gaussian[0]}")
    ax2.set_xlabel("SGD epoch")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=7)
    if kernels:
        cs, err, ntrue, nrand, ridge = [], [], [], [], []
        for k in kernels:
            p = points[k]
            cs.append(k.split("-c")[1])
            err.append(p["summary/test_error"][()])
            ntrue.append(p["summary/rkhs_norm_true"][()])
            nrand.append(p["summary/rkhs_norm_random"][()])
            ridge.append(p["summary/ridge_best_error"][()])
        x = np.arange(len(cs))
        ax_k.bar(x - 0.2, ntrue, 0.4, label="RKHS norm, true labels")
        ax_k.bar(x + 0.2, nrand, 0.4, label="RKHS norm, random labels")
        ax_k.set(xticks=x, xticklabels=[f"c = {c}" for c in cs], ylabel="√tr(αᵀKα)", title="RBF interpolation on MNIST-5k (n = 4,000)")
        for i in range(len(cs)):
            ax_k.annotate(f"test err {err[i]:.3f}\nbest ridge {ridge[i]:.3f}", (x[i], max(ntrue[i], nrand[i])), ha="center", va="bottom", fontsize=7)
        ax_k.set_ylim(0, 1.25 * max(nrand))
        ax_k.legend(fontsize=7)
    stamp(fig, f, "GD finds the minimum-norm interpolant (Zhang et al. §5)")
    fig.savefig(figures / "least-squares.png", dpi=120)
    plt.close(fig)


def diagonal(f, figures: Path):
    curves = f["curves"]
    if "diagonal-transition" not in curves:
        return
    t = curves["diagonal-transition"]
    alpha = t["alpha"][()]
    depths = sorted(k for k in t if k.startswith("D"))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4))
    for i, d in enumerate(depths):
        ax1.loglog(alpha, t[d]["q_to_l1"][()], color=f"C{i}", label=f"{d}: $Q_\\alpha$ minimiser to ℓ1")
        ax1.loglog(alpha, t[d]["q_to_l2"][()], color=f"C{i}", ls="--", label=f"{d}: to ℓ2")
        if "diagonal-gd" in curves and d in curves["diagonal-gd"]:
            g = curves["diagonal-gd"][d]
            ax1.loglog(g["alpha"][()], g["gd_to_l1"][()], "o", color=f"C{i}", ms=5)
            ax1.loglog(g["alpha"][()], g["gd_to_l2"][()], "s", color=f"C{i}", ms=5, mfc="none")
    ax1.axhline(0.01, color="grey", lw=0.5)
    ax1.set(xlabel="initialisation scale α", ylabel="relative ℓ2 distance (fraction)", title="Kernel (ℓ2) to rich (ℓ1) regime; markers: GD")
    ax1.legend(fontsize=7)
    if "diagonal-recovery" in curves:
        r = curves["diagonal-recovery"]
        ra = r["alpha"][()]
        for i, d in enumerate(sorted(k for k in r if k.startswith("D"))):
            ax2.loglog(ra, r[d]["population_error"][()], "o-", color=f"C{i}", label=d)
        ax2.set(xlabel="initialisation scale α", ylabel="‖β − β*‖² (population excess error)",
                title="Sparse recovery, d = 1000, n = 100, noise var 0.01\n(the paper's Fig. 1 setting)")
        ax2.legend(fontsize=7)
    stamp(fig, f, "Diagonal linear networks (Woodworth et al. 2020)")
    fig.savefig(figures / "diagonal-networks.png", dpi=120)
    plt.close(fig)


def matrix_factorization(f, figures: Path):
    curves = f["curves"]
    if "mf" not in curves:
        return
    names = sorted((k for k in curves["mf"].keys() if k != "completion"), key=lambda n: int(n.split("-")[0][1:]))
    name = [n for n in names if n.endswith("m2000")] or names
    inst = curves["mf"][name[0]]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    nuc = inst["nuclear"]
    for i, d in enumerate(sorted(k for k in inst if k.startswith("depth"))):
        g = inst[d]
        axes[0].loglog(g["init"][()], g["error"][()], "o-", color=f"C{i}", label=d)
        axes[1].semilogx(g["init"][()], g["effective_rank"][()], "o-", color=f"C{i}", label=d)
        axes[2].semilogx(g["init"][()], g["nuclear_norm"][()], "o-", color=f"C{i}", label=d)
    axes[0].axhline(nuc["error"][()], color="k", ls="--", label="min nuclear norm")
    axes[1].axhline(nuc["effective_rank"][()], color="k", ls="--", label="min nuclear norm")
    axes[1].axhline(nuc["truth_effective_rank"][()], color="grey", ls=":", label="ground truth")
    axes[2].axhline(nuc["nuclear_norm"][()], color="k", ls="--", label="min nuclear norm")
    axes[2].axhline(nuc["truth_nuclear_norm"][()], color="grey", ls=":", label="ground truth")
    for ax, yl in zip(axes, ["relative error ‖W − W*‖$_F^2$ / ‖W*‖$_F^2$", "effective rank (exp of singular-value entropy)", "nuclear norm ‖W‖$_*$"]):
        ax.set(xlabel="initial norm ‖W(0)‖$_F$", ylabel=yl)
        ax.invert_xaxis()
        ax.legend(fontsize=7)
    axes[0].set_title(f"Matrix completion {name[0]} (first seed)")
    stamp(fig, f, "Deep matrix factorization vs minimum nuclear norm (Arora et al. 2019)")
    fig.savefig(figures / "matrix-completion.png", dpi=120)
    plt.close(fig)

    # Singular values along training: incremental learning, sharper with depth.
    runs = [k for k in curves if k.startswith("mf-i") and "-init" in k and "sigma_1" in curves[k]]
    prefix = "mf-i1-seed" if any(k.startswith("mf-i1-seed") for k in runs) else "mf-i0-seed"
    runs = [k for k in runs if k.startswith(prefix)]
    first_seed = min(k.split("-")[2] for k in runs) if runs else None
    chosen = []
    for depth in (2, 3, 4):
        cand = [k for k in runs if f"-depth{depth}-" in k and k.split("-")[2] == first_seed]
        if cand:
            chosen.append(min(cand, key=lambda k: float(k.split("-init")[1])))
    if not chosen:
        return
    fig, axes = plt.subplots(1, len(chosen), figsize=(5 * len(chosen), 4), squeeze=False)
    for ax, k in zip(axes[0], chosen):
        g = curves[k]
        sig = sorted((s for s in g if s.startswith("sigma_")), key=lambda s: int(s.split("_")[1]))
        for s in sig:
            ax.loglog(g["step"][()] + 1, np.maximum(g[s][()], 1e-8), label=s.replace("sigma_", "σ"))
        ax.set(xlabel="GD step + 1", ylabel="singular value of W", title=k, ylim=(1e-6, None))
        ax.legend(fontsize=6)
    stamp(fig, f, "Singular values of W along GD: learned one at a time")
    fig.savefig(figures / "singular-values.png", dpi=120)
    plt.close(fig)


def completion_curve(f, figures: Path):
    """Arora et al.'s error-against-m figure as a statistic: recovery fraction with Wilson 95 % intervals, median error."""
    if "curves/mf/completion" not in f:
        return
    g = f["curves/mf/completion"]
    x = g["observed_over_dof"][()]
    n = int(f["summary/mf/completion/seeds_per_m"][()])
    threshold = f["summary/mf/completion/recovery_threshold"][()]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.4))
    styles = {"nuclear": ("min nuclear norm", "k", "s"), "depth2": ("depth 2", "C0", "o"),
              "depth3": ("depth 3", "C1", "^"), "depth4": ("depth 4", "C2", "v")}
    for i, (method, (label, color, marker)) in enumerate(styles.items()):
        if method not in g:
            continue
        h = g[method]
        frac, lo, hi = h["recovery_fraction"][()], h["recovery_lower"][()], h["recovery_upper"][()]
        xs = x * (1 + 0.012 * (i - 1.5))
        ax.errorbar(xs, frac, yerr=[frac - lo, hi - frac], color=color, marker=marker, ms=5, capsize=3, label=label)
        med, q25, q75 = h["median_error"][()], 10 ** h["log10_error_q25"][()], 10 ** h["log10_error_q75"][()]
        ax2.errorbar(xs, med, yerr=[med - q25, q75 - med], color=color, marker=marker, ms=5, capsize=3, label=label)
    ax.set(xlabel="observed entries m / degrees of freedom r(2n − r)", ylabel="fraction of seeds recovered",
           title=f"Recovery (error ≤ {threshold:g}) with Wilson 95 % intervals, {n} seeds per m", ylim=(-0.03, 1.03))
    ax2.axhline(threshold, color="0.5", ls=":", lw=1, label="recovery threshold")
    ax2.set(xlabel="observed entries m / degrees of freedom r(2n − r)", ylabel="‖W − W*‖²_F / ‖W*‖²_F", yscale="log",
            title="median error over seeds (bars: quartiles)")
    for a in (ax, ax2):
        a.title.set_fontsize(9)
        a.legend(fontsize=7)
    stamp(fig, f, "Matrix completion, 20×20 rank 2: recovery against the number of observed entries")
    fig.savefig(figures / "recovery-vs-observed.png", dpi=120)
    plt.close(fig)


def width(f, figures: Path):
    """Width-k diagonal nets (β = Σ_j u_j∘v_j, Gaussian init, α² = kσ²/2): closed-form limits over α, the midpoint α½ per width."""
    if "curves/diagonal-width" not in f:
        return
    c = f["curves/diagonal-width"]
    s = f["summary/diagonal/width"]
    alphas = c["alpha"][()]
    widths = [int(k) for k in c["width"][()]]
    fig, (ax, ax2, ax3) = plt.subplots(1, 3, figsize=(15, 4.2))
    for i, k in enumerate(widths):
        ax.semilogx(alphas, c[f"k{k}/excess_l1_ratio"][()], color=plt.cm.viridis(i / max(1, len(widths) - 1)), label=f"k = {k}")
    ax.semilogx(alphas, c["unbiased/excess_l1_ratio"][()], "k--", label="unbiased Q_α (k → ∞)")
    ax.axhline(0.5, color="0.6", lw=0.8, ls=":")
    ax.set(xlabel="α (α² = kσ²/2)", ylabel="(‖β‖₁ − ‖β_ℓ1‖₁) / (‖β_ℓ2‖₁ − ‖β_ℓ1‖₁)", yscale="symlog", ylim=(0, None),
           title="closed-form limit, mean over seeds (0: min ℓ1, 1: min ℓ2's ℓ1 norm)")
    mean, se = c["log10_alpha_half_mean"][()], c["log10_alpha_half_se"][()]
    ax2.errorbar(widths, mean, yerr=2 * se, marker="o", capsize=3, label="width k (± 2 SE)")
    ref = s["unbiased/by-seed/log10_alpha_half"]
    ax2.axhspan(ref["mean"][()] - 2 * ref["se"][()], ref["mean"][()] + 2 * ref["se"][()], color="0.8", label="unbiased Q_α (± 2 SE)")
    ax2.set(xscale="log", xlabel="width k", ylabel="log10 α½", title=f"midpoint of the transition, {int(s['seeds'][()])} seeds")
    gd = sorted((float(name.split("_", 1)[1]), name) for name in s[f"k{widths[0]}"] if name.startswith("alpha_"))
    for a, name in gd:
        m = [s[f"k{k}/{name}/by-seed/population_error"]["mean"][()] for k in widths]
        e = [s[f"k{k}/{name}/by-seed/population_error"]["se"][()] for k in widths]
        ax3.errorbar(widths, m, yerr=2 * np.array(e), marker="o", capsize=3, label=f"α = {a:g}")
    ax3.set(xscale="log", yscale="log", xlabel="width k", ylabel="‖β − β*‖²", title="population error of the limit (± 2 SE)")
    for a in (ax, ax2, ax3):
        a.title.set_fontsize(9)
        a.legend(fontsize=7)
    stamp(fig, f, "Width: β = Σ_j u_j∘v_j from iid N(0, 2α²/k), d = 100, n = 50")
    fig.savefig(figures / "width.png", dpi=120)
    plt.close(fig)


def init_shape(f, figures: Path):
    """Unbalanced initialisations at one α: layers (u = αs, v = ±α/s) and signs (w₊ = αs, w₋ = α/s)."""
    if "summary/diagonal/shape" not in f:
        return
    s = f["summary/diagonal/shape"]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    metrics = [("excess_l1_ratio", "(‖β‖₁ − ‖β_ℓ1‖₁) / (‖β_ℓ2‖₁ − ‖β_ℓ1‖₁)"), ("q_to_l1", "‖β − β_ℓ1‖ / ‖β_ℓ1‖"),
               ("population_error", "‖β − β*‖²")]
    for ax, (metric, label) in zip(axes, metrics):
        for family, style in [("layers", "o-"), ("signs", "s--")]:
            imbalances = sorted((float(name.split("_", 1)[1]), name) for name in s[family] if name.startswith("s_"))
            xs = [v for v, _ in imbalances]
            m = [s[f"{family}/{name}/by-seed/{metric}"]["mean"][()] for _, name in imbalances]
            e = [s[f"{family}/{name}/by-seed/{metric}"]["se"][()] for _, name in imbalances]
            ax.errorbar(xs, m, yerr=2 * np.array(e), fmt=style, capsize=3,
                        label={"layers": "layers: u = αs, v = ±α/s (β(0) = 0)", "signs": "signs: w₊ = αs, w₋ = α/s (φ = 2 ln s)"}[family])
        ax.set(xscale="log", xlabel="imbalance s", ylabel=label, title=f"closed-form limit, seed mean ± 2 SE ({int(s['seeds'][()])} seeds)")
        ax.set_xticks(xs, [f"{v:g}" for v in xs])
        ax.minorticks_off()
        ax.title.set_fontsize(9)
        ax.legend(fontsize=7)
    alpha = json.loads(f["meta"].attrs["config"])["diagonal_init"]["shape_alpha"]
    stamp(fig, f, f"Initialisation shape at fixed α = {alpha:g}, d = 100, n = 50")
    fig.savefig(figures / "init-shape.png", dpi=120)
    plt.close(fig)


def main(results: Path, figures: Path) -> None:
    figures.mkdir(parents=True, exist_ok=True)
    points = point_files(results)
    with h5py.File(results / "summary.h5", "r") as f:
        least_squares(f, points, figures)
        diagonal(f, figures)
        width(f, figures)
        init_shape(f, figures)
        matrix_factorization(f, figures)
        completion_curve(f, figures)
    for p in sorted(figures.glob("*.png")):
        print(f"wrote {p}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
