"""Figures of the noise-scale reading (Smith & Le 2018).

Usage: figures.py RESULTS_DIR FIGURES_DIR   (reads RESULTS_DIR/summary.h5, writes PNGs)

evidence.png     their Fig. 1/2: train and test accuracy, test cross-entropy and the evidence ratio vs λ,
                 informative vs random labels
batch-size.png   test accuracy vs B for each ε, each momentum, each N, with B_opt marked
scaling.png      B_opt among converged runs vs ε, vs 1/(1 − m), vs N on log–log axes (open: censored), with the
                 fitted slope ± 2 bootstrap SE and a slope-1 line (Smith & Le's B_opt ∝ εN/(1 − m))
collapse.png     test accuracy (relative to its N's mean) of every converged run against g = εN/(B(1 − m)) and
                 against ε/(B(1 − m)), coloured by N: the noise-scale theory predicts the curves collapse in g
regularisation.png  test accuracy at the small and large B against weight decay
"""
import sys
from pathlib import Path

import h5py
import matplotlib
import matplotlib.ticker
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FACTOR_LABEL = {"learning-rate": "learning rate ε", "momentum": "1/(1 − m)", "train-size": "training examples N"}


def footer(fig, f):
    meta = f["meta"].attrs
    fig.suptitle(f"Smith & Le 2018 reading, profile {meta['profile']}, seed {meta['seed']}, commit {str(meta['git_commit'])[:10]}",
                 fontsize=8, y=0.995)


def evidence(f, figures):
    g = f["summary/evidence"]
    sizes = sorted((k for k in g if k.startswith("n")), key=lambda k: int(k[1:]))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    for i, n in enumerate(sizes):
        for labeling, ls in (("informative", "-"), ("random", "--")):
            if labeling not in g[n]:
                continue
            c = g[n][labeling]
            lam = c["lambda"][()]
            tag = f"{labeling}, N = {n[1:]}"
            axes[0].plot(lam, c["train_accuracy_mean"][()], ls=ls, color=f"C{2 * i}", label=f"train, {tag}")
            axes[0].plot(lam, c["test_accuracy_mean"][()], ls=ls, color=f"C{2 * i + 1}", label=f"test, {tag}")
            axes[1].plot(lam, c["test_cross_entropy_mean"][()], ls=ls, color=f"C{i}", label=tag)
            axes[2].plot(lam, c["evidence_ratio_mean"][()], ls=ls, color=f"C{i}", marker="o", ms=3, label=tag)
            if labeling == "informative":
                axes[2].axvline(c["lambda_at_evidence_peak"][()], color=f"C{i}", lw=0.6, ls=":")
                axes[1].axvline(c["lambda_at_min_test_cross_entropy"][()], color=f"C{i}", lw=0.6, ls=":")
    axes[0].set(xscale="log", xlabel="L2 coefficient λ (summed cost)", ylabel="accuracy (fraction)", title="Accuracy (cf. their Fig. 1)")
    axes[0].axhline(0.5, color="grey", lw=0.5)
    axes[1].set(xscale="log", yscale="log", xlabel="L2 coefficient λ (summed cost)", ylabel="test cross-entropy (nats)", title="Test cross-entropy (dotted: minimum)")
    axes[2].set(xscale="log", xlabel="L2 coefficient λ (summed cost)", ylabel="(ln P − ln P₀)/N (nats)", title="Evidence vs the 'predict ½' model (dotted: peak)")
    axes[2].axhline(0, color="grey", lw=0.8)
    for ax in axes:
        ax.legend(fontsize=7)
    footer(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "evidence.png", dpi=120)


def curves(f, sweep):
    g = f["summary"][sweep]
    out = []
    for name in g:
        # A curve group holds the per-B seed means and its ε, m, N as attributes; seed statistics,
        # controls, the converged-runs analysis and the collapse test sit beside them.
        if isinstance(g[name], h5py.Group) and "test_accuracy_mean" in g[name] and "learning_rate" in g[name].attrs:
            out.append((name, g[name]))
    return out


def batch_size(f, figures):
    sweeps = [s for s in ("learning-rate", "momentum", "train-size") if s in f["summary"]]
    fig, axes = plt.subplots(1, len(sweeps), figsize=(5.2 * len(sweeps), 4.2), squeeze=False)
    floor = {}
    for sweep in sweeps:
        best = max(np.nanmax(c["test_accuracy_mean"][()]) for _, c in curves(f, sweep))
        floor[sweep] = round(best - 0.1, 2)
    for ax, sweep in zip(axes[0], sweeps):
        items = curves(f, sweep)
        key = {"learning-rate": lambda c: c.attrs["learning_rate"], "momentum": lambda c: c.attrs["momentum"],
               "train-size": lambda c: c.attrs["train_size"]}[sweep]
        items.sort(key=lambda it: key(it[1]))
        for i, (name, c) in enumerate(items):
            b = c["batch_size"][()]
            acc = c["test_accuracy_mean"][()]
            sd = c["test_accuracy_sd"][()]
            label = {"learning-rate": f"ε = {c.attrs['learning_rate']:g}", "momentum": f"m = {c.attrs['momentum']:g}",
                     "train-size": f"N = {c.attrs['train_size']}, ε = {c.attrs['learning_rate']:g}"}[sweep]
            # Unstable points (far below the peak) are drawn at the bottom edge as triangles.
            low = acc < floor[sweep]
            ax.errorbar(b[~low], acc[~low], yerr=sd[~low], marker="o", ms=3, capsize=2, color=f"C{i}",
                        label=f"{label} ($B_{{\\rm opt}}$ {c['b_opt'][()]:.0f})")
            ax.plot(b, np.maximum(acc, floor[sweep]), color=f"C{i}", lw=0.6, ls="--")
            ax.scatter(b[low], np.full(low.sum(), floor[sweep]), marker="v", color=f"C{i}", zorder=3)
            ax.axvline(c["b_opt"][()], color=f"C{i}", ls=":", lw=0.8)
        ax.set(xscale="log", xlabel="batch size B", ylabel="test accuracy (fraction, mean ± sd over seeds)",
               title=f"Test accuracy vs B ({sweep} sweep)")
        ax.set_ylim(floor[sweep] - 0.005, None)
        ax.text(0.01, 0.01, f"▼: below {floor[sweep]} (unstable)", transform=ax.transAxes, fontsize=7)
        ax.legend(fontsize=7)
    footer(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "batch-size.png", dpi=120)


def scaling(f, figures):
    sweeps = [s for s in ("learning-rate", "momentum", "train-size") if s in f["summary"]]
    fig, axes = plt.subplots(1, len(sweeps), figsize=(5 * len(sweeps), 4.2), squeeze=False)
    for ax, sweep in zip(axes[0], sweeps):
        g = f["summary"][sweep]
        conv = g.get("converged")
        if conv is not None and "slope" in conv:
            x, b, censored = conv["factor"][()], conv["b_opt"][()], conv["censored"][()]
            slope, se = conv["slope"][()], conv["slope_se"][()]
            ok = (censored == 0) & np.isfinite(b)
            ax.scatter(x[ok], b[ok], color="C0", zorder=3, label="$B_{\\rm opt}$ among converged runs")
            if (~ok & np.isfinite(b)).any():
                ax.scatter(x[~ok], b[~ok], facecolors="none", edgecolors="C3", zorder=3, label="censored (grid edge or unconverged neighbour)")
            if ok.sum() >= 2 and np.isfinite(slope):
                xs = np.geomspace(x[ok].min() / 1.2, x[ok].max() * 1.2, 50)
                lx, lb = np.log(x[ok]), np.log(b[ok])
                ax.plot(xs, np.exp(lb.mean() + slope * (np.log(xs) - lx.mean())), color="C0",
                        label=f"fit: slope {slope:.2f} ± {2 * se:.2f} (2 SE)")
                ax.plot(xs, np.exp(lb.mean() + (np.log(xs) - lx.mean())), color="grey", ls="--", lw=0.8, label="slope 1 (Smith & Le)")
        else:
            x, b, interior = g["factor"][()], g["b_opt"][()], g["interior"][()]
            slope, intercept = g["slope"][()], g["intercept"][()]
            ax.scatter(x[interior == 1], b[interior == 1], color="C0", zorder=3, label="$B_{\\rm opt}$ (interior peak)")
            if (interior == 0).any():
                ax.scatter(x[interior == 0], b[interior == 0], facecolors="none", edgecolors="C3", zorder=3, label="$B_{\\rm opt}$ at the grid edge")
            xs = np.geomspace(x.min() / 1.2, x.max() * 1.2, 50)
            ax.plot(xs, np.exp(intercept) * xs ** slope, color="C0", label=f"fit: slope {slope:.2f}")
            ax.plot(xs, b[0] * (xs / x[0]), color="grey", ls="--", lw=0.8, label="slope 1 (Smith & Le)")
        ax.set(xscale="log", yscale="log", xlabel=FACTOR_LABEL[sweep], ylabel="$B_{\\rm opt}$ (examples)", title=f"$B_{{\\rm opt}}$ vs {FACTOR_LABEL[sweep]}")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
            axis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xticks(sorted(set(x)))
        ax.legend(fontsize=7)
    footer(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "scaling.png", dpi=120)


def collapse(f, figures):
    if "train-size" not in f["summary"] or "collapse" not in f["summary"]["train-size"]:
        return
    c = f["summary"]["train-size"]["collapse"]
    rel, n, lr = c["test_accuracy_relative"][()], c["train_size"][()], c["learning_rate"][()]
    fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.2), sharey=True)
    panels = [("noise_scale", "noise scale g = εN/(B(1 − m))", c["r2_noise_scale"][()]),
              ("step_over_batch", "ε/(B(1 − m)) (no N: a stability edge's variable)", c["r2_step_over_batch"][()])]
    markers = {v: m for v, m in zip(sorted(set(lr)), "osD^v")}
    sizes = sorted(set(n))
    for ax, (key, label, r2) in zip(axes, panels):
        x = c[key][()]
        for i, size in enumerate(sizes):
            for e, mk in markers.items():
                sel = (n == size) & (lr == e)
                if sel.any():
                    order = np.argsort(x[sel])
                    ax.plot(x[sel][order], rel[sel][order], marker=mk, ms=4, lw=0.8, color=f"C{i}",
                            label=f"N = {size:.0f}, ε = {e:g}")
        ax.set(xscale="log", xlabel=label, title=f"parabola in ln x explains R² = {r2:.2f}")
    axes[0].set_ylabel("test accuracy − mean at its N (fraction, converged runs)")
    axes[1].legend(fontsize=6, ncol=2)
    fig.text(0.5, 0.01, f"R²(g) − R²(ε/B) = {c['r2_gain'][()]:.3f} ± {c['r2_gain_se'][()]:.3f} (bootstrap SE over seeds); "
             "Smith & Le predict the curves collapse in g", ha="center", fontsize=8)
    footer(fig, f)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(figures / "collapse.png", dpi=120)


def regularisation(f, figures):
    if "weight-decay" not in f["summary"]:
        return
    items = sorted(curves(f, "weight-decay"), key=lambda it: it[1].attrs["weight_decay"])
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    wd = [c.attrs["weight_decay"] for _, c in items]
    pos = np.arange(len(items))
    bs = items[0][1]["batch_size"][()]
    for j, bsize in enumerate(bs):
        acc = [c["test_accuracy_mean"][()][j] for _, c in items]
        sd = [c["test_accuracy_sd"][()][j] for _, c in items]
        ax.errorbar(pos + 0.08 * (j - 0.5), acc, yerr=sd, marker="o", capsize=3, label=f"B = {bsize:.0f}")
    ax.set_xticks(pos, [f"{w:g}" for w in wd])
    ax.set(xlabel="weight decay (batch-mean loss)", ylabel="test accuracy (fraction)", title="L2 regularisation and the small-vs-large-batch gap")
    ax.legend(fontsize=8)
    footer(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "regularisation.png", dpi=120)


def main(results: Path, figures: Path) -> None:
    figures.mkdir(parents=True, exist_ok=True)
    with h5py.File(results / "summary.h5", "r") as f:
        if "evidence" in f["summary"]:
            evidence(f, figures)
        batch_size(f, figures)
        scaling(f, figures)
        collapse(f, figures)
        regularisation(f, figures)
    print(f"wrote figures to {figures}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
