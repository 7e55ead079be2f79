"""Figures of the sgd-regularizer reading (Smith, Dherin, Barrett & De 2021).

Usage: figures.py RESULTS_DIR FIGURES_DIR   (reads RESULTS_DIR/summary.h5, writes PNGs)

error-vs-lr.png          log-log distance of the mean SGD iterate from GF, MF_GD and MF_SGD with fitted
                         slopes: one epoch (fixed and random partition, B = 1, product model and tanh MLP) and
                         many epochs to T = 0.6 (Monte Carlo, with standard errors).
regulariser-vs-batch.png the partition-averaged minibatch regulariser at fixed eps/B against B, with the
                         finite-population formula (eps/4B)((N - B)/(N - 1)) Tr Sigma.
explicit-regularizer.png test accuracy, memorised flipped labels and minibatch gradient norms of SGD, GD and
                         GD + the explicit variance term (MNIST-5k, per seed and mean).
lr-grid.png              Fashion-MNIST eps x B grid: test accuracy against eps per B, and the regulariser against eps/B.
lr-grid-heatmap.png      the same grid as a heat map of seed-mean test accuracy over eps/B and B (B < N), the best eps per B (parabola
                         in ln eps, bootstrap SE over seeds) marked, censored optima hollow.
matched-fit.png          test accuracy against training accuracy on the noisy labels along each GD run (per seed),
                         with the end points of SGD and GD + the explicit term: the matched-fit comparison.
"""
import sys
from pathlib import Path

import h5py
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402

FLOWS = [("gf", "GF (flow of C)", "C0"), ("mf_gd", "MF$_{\\rm GD}$ (C + ε/4 |∇C|²)", "C1"), ("mf_sgd", "MF$_{\\rm SGD}$ (C + ε/4m Σ|∇Ĉₖ|²)", "C2")]


def stamp(fig, f):
    meta = f["meta"].attrs
    fig.suptitle(f"sgd-regularizer, profile {meta['profile']}, commit {str(meta['git_commit'])[:10]}", fontsize=8, y=0.995)


def error_vs_lr(f, figures):
    panels = [("one-epoch-fixed", "one epoch, fixed partition (3! orders)"),
              ("one-epoch-random", "one epoch, random partition (6! orderings)"),
              ("one-epoch-b1", "one epoch, B = 1 (6! orders)"),
              ("generic-one-epoch/random", "tanh MLP: one epoch, random partition"),
              ("many-epochs", "T = 0.6, reshuffled each epoch (Monte Carlo)")]
    panels = [(k, t) for k, t in panels if f"curves/{k}" in f]
    if not panels:
        return
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 4), squeeze=False)
    for ax, (key, title) in zip(axes[0], panels):
        c, s = f[f"curves/{key}"], f[f"summary/{key}"]
        lr = c["learning_rate"][()]
        for flow, label, colour in FLOWS:
            e = c[f"error_{flow}"][()]
            slope, intercept = s[f"slope_{flow}"][()], s[f"intercept_{flow}"][()]
            if "standard_error" in c:
                ax.errorbar(lr, e, yerr=c["standard_error"][()], fmt="o", color=colour)
            else:
                ax.loglog(lr, e, "o", color=colour)
            xx = np.geomspace(lr.min(), lr.max(), 50)
            ax.plot(xx, np.exp(intercept) * xx ** slope, "-", color=colour, lw=1, label=f"{label}: slope {slope:.2f}")
        ax.set(xscale="log", yscale="log", xlabel="learning rate ε", ylabel="‖E[θ$_{\\rm SGD}$] − θ$_{\\rm flow}$‖ (parameter-space distance)", title=title)
        ax.title.set_fontsize(9)
        ax.legend(fontsize=7)
        ax.grid(True, which="both", lw=0.3)
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "error-vs-lr.png", dpi=120)


def regulariser_vs_batch(f, figures):
    c = f["curves/finite-population/scaling"]
    b = c["batch_size"][()]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.errorbar(b, c["regulariser"][()], yerr=c["regulariser_standard_error"][()], fmt="o", label="Monte Carlo over random partitions")
    ax.plot(b, c["regulariser_formula"][()], "-", label="(ε/4B)((N − B)/(N − 1)) Tr Σ")
    ax.set(xscale="log", xlabel="batch size B (N = 600)", ylabel="(ε/4m) Σₖ ‖∇Ĉₖ − ∇C‖² at fixed ε/B (loss)",
           title="Equal ε/B, equal regulariser while B ≪ N")
    ax.set_ylim(0, None)
    ax.legend(fontsize=8)
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "regulariser-vs-batch.png", dpi=120)


def explicit_regularizer(f, figures):
    methods = [("sgd", "SGD (B = 20)"), ("gd", "full-batch GD"), ("gd-regularized", "GD + (ε/4m)Σ|∇Ĉₖ − ∇C|²")]
    conditions = [c for c in ("noisy", "clean") if f"summary/explicit-regularizer/{c}" in f]
    quantities = [("test_accuracy", "test accuracy", "test accuracy (fraction)"),
                  ("memorised_fraction", "flipped labels memorised", "memorised (fraction of flipped labels)"),
                  ("block_gradient_norm", "R = (1/m)Σ|∇Ĉₖ|² at the end", "R (gradient²)")]
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    runs = [k for k in f["summary"].keys() if k.split("-seed")[0].rsplit("-", 1)[-1] in ("noisy", "clean")]
    width = 0.8 / max(len(conditions), 1)
    for ax, (q, title, ylabel) in zip(axes, quantities):
        for j, cond in enumerate(conditions):
            for i, (m, label) in enumerate(methods):
                vals = [f[f"summary/{k}/{q}"][()] for k in runs if k.startswith(f"{m}-{cond}-")]
                vals = [v for v in vals if np.isfinite(v)]
                if not vals:
                    continue
                x = i + (j - (len(conditions) - 1) / 2) * width
                ax.bar(x, np.mean(vals), width=width * 0.9, color=f"C{j}", alpha=0.6, label=f"{cond} labels" if i == 0 else None)
                ax.plot([x] * len(vals), vals, "k.", ms=4)
        ax.set_xticks(range(len(methods)))
        ax.set_xticklabels([l for _, l in methods], fontsize=7)
        ax.set_title(title, fontsize=9)
        ax.set_ylabel(ylabel)
        if q == "test_accuracy":
            lo = min(f[f"summary/{k}/test_accuracy"][()] for k in runs)
            ax.set_ylim(lo - 0.05, 1.0)
        ax.legend(fontsize=7)
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "explicit-regularizer.png", dpi=120)


def lr_grid(f, figures):
    c = f["curves/lr-grid"]
    lr = c["learning_rate"][()] if "learning_rate" in c else None
    batches = c["batch_size"][()]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    for i, b in enumerate(batches):
        label = "full batch" if b == batches.max() else f"B = {b}"
        lr_b = c[f"b{b}/learning_rate"][()] if f"b{b}/learning_rate" in c else lr
        ax.plot(lr_b, c[f"b{b}/test_accuracy"][()], "o-", color=f"C{i}", label=label)
        if b != batches.max():
            ax2.plot(lr_b / b, c[f"b{b}/variance_regularizer"][()], "o-", color=f"C{i}", label=label)
    best = c["best_learning_rate"][()]
    ax.set(xscale="log", xlabel="learning rate ε", ylabel="test accuracy (fraction, seed mean)", title="Test accuracy at equal time T = ε·steps")
    ax.legend(fontsize=7)
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.text(0.02, 0.02, "best ε per B: " + ", ".join(f"{b}: {e:g}" for b, e in zip(batches, best)), transform=ax.transAxes, fontsize=7)
    ax2.set(xscale="log", yscale="log", xlabel="ε / B", ylabel="(ε/4m)Σ|∇Ĉₖ − ∇C|² at the end (loss)", title="The regulariser depends on ε/B")
    ax2.legend(fontsize=7)
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "lr-grid.png", dpi=120)


def lr_grid_heatmap(f, figures):
    c = f["curves/lr-grid"]
    ratio = c["learning_rate_over_batch"][()]
    small = c["minibatch_size"][()]
    acc = np.array([c[f"b{b}/test_accuracy"][()] for b in small])
    fig, ax = plt.subplots(figsize=(6.5, 4))
    im = ax.imshow(acc, aspect="auto", origin="lower", cmap="viridis",
                   extent=(np.log2(ratio[0]) - 0.5, np.log2(ratio[-1]) + 0.5, -0.5, len(small) - 0.5))
    fig.colorbar(im, ax=ax, label="test accuracy (seed mean)")
    best, se, interior = c["best_learning_rate_parabolic"][()], c["best_learning_rate_log_se"][()], c["best_learning_rate_interior"][()]
    for i in range(len(small)):
        x = np.log2(best[i] / small[i])
        err = se[i] / np.log(2) if np.isfinite(se[i]) else 0
        ax.errorbar([x], [i], xerr=[err], fmt="o", color="w", mfc="w" if interior[i] else "none", ms=7, capsize=3)
    ax.set_xticks(np.log2(ratio))
    ax.set_xticklabels([f"{e:g}" for e in ratio], fontsize=7)
    ax.set_yticks(range(len(small)))
    ax.set_yticklabels([str(b) for b in small])
    slope = f["summary/lr-grid/best_lr_slope"][()] if "summary/lr-grid/best_lr_slope" in f else np.nan
    slope_se = f["summary/lr-grid/best_lr_slope_se"][()] if "summary/lr-grid/best_lr_slope_se" in f else np.nan
    ax.set(xlabel="ε / B (the learning rate at B is this times B)", ylabel="minibatch size B",
           title=f"best ε per B (parabola in ln ε, ± bootstrap SE; hollow: censored); slope of ln ε* on ln B {slope:.2f} ± {slope_se:.2f}")
    ax.title.set_fontsize(8)
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "lr-grid-heatmap.png", dpi=120)


def matched_fit(f, figures):
    runs = [k for k in f["curves"].keys() if k.startswith("gd-noisy-seed")]
    if not runs:
        return
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for j, k in enumerate(sorted(runs)):
        seed = k.rsplit("seed", 1)[1]
        g = f[f"curves/{k}"]
        ax.plot(g["train_accuracy"][()], g["test_accuracy"][()], "-", color=f"C{j % 10}", lw=1, label=f"GD along training, seed {seed}")
        for method, marker in (("sgd", "*"), ("gd-regularized", "s")):
            name = f"{method}-noisy-seed{seed}"
            if f"summary/{name}" in f:
                ax.plot(f[f"summary/{name}/train_accuracy"][()], f[f"summary/{name}/test_accuracy"][()], marker, color=f"C{j % 10}", ms=9,
                        mec="k", label=("SGD end" if method == "sgd" else "GD + term end") if j == 0 else None)
    b = "summary/explicit-regularizer/noisy/by-seed/sgd_minus_gd_matched_fit_test_accuracy"
    text = f"SGD − GD at matched fit: {f[b + '/mean'][()]:+.4f} ± {f[b + '/se'][()]:.4f} SE" if f"{b}/mean" in f else ""
    ax.set(xlabel="training accuracy on the noisy labels", ylabel="test accuracy", title="Matched fit: " + text)
    ax.title.set_fontsize(9)
    ax.legend(fontsize=6)
    ax.grid(True, lw=0.3)
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "matched-fit.png", dpi=120)


def main(results: Path, figures: Path) -> None:
    figures.mkdir(parents=True, exist_ok=True)
    with h5py.File(results / "summary.h5", "r") as f:
        error_vs_lr(f, figures)
        if "curves/finite-population/scaling" in f:
            regulariser_vs_batch(f, figures)
        if "summary/explicit-regularizer" in f:
            explicit_regularizer(f, figures)
            matched_fit(f, figures)
        if "curves/lr-grid" in f:
            lr_grid(f, figures)
        if "curves/lr-grid/best_learning_rate_parabolic" in f:
            lr_grid_heatmap(f, figures)
    print(f"wrote figures to {figures}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
