"""Figures of the gradient-regularization reading (Barrett & Dherin 2021).

Usage: figures.py RESULTS_DIR FIGURES_DIR   (reads RESULTS_DIR/summary.h5, writes PNGs)

phase-portrait.png  Figure 1 analogue: GD paths for a small and a moderate h over the loss contours,
                    with the gradient flow and the modified flow of E + (h/4)|grad E|^2.
error-vs-h.png      log-log distances of GD from GF, MF1, MF2 with the fitted slopes (one step and T = 1;
                    two-parameter model and tanh MLP).
sharpness-vs-h.png  sharpness and D = a^2 - b^2 at the minimum GD reaches, against h.
mnist-sweep.png     MNIST-5k MLP, full-batch GD stopped at equal training loss: test accuracy, sharpness and
                    R_IG against h (seed mean with a +-SE band), explicit gradient regularisation at h_s;
                    h * lambda_max along the run against the stability limit 2.
mnist-robustness.png  training-loss increase under Gaussian parameter noise against its relative scale, for
                    GD at h_s and h_L and for the explicit regulariser (mean +- SE over seeds).
"""
import json
import sys
from pathlib import Path

import h5py
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402

FLOWS = [("gf", "GF (flow of E)", "C0"), ("mf1", "MF1 (flow of E + h/4 |∇E|²)", "C1"), ("mf2", "MF2 (second order)", "C2")]


def stamp(fig, f):
    meta = f["meta"].attrs
    fig.suptitle(f"gradient-regularization, profile {meta['profile']}, commit {str(meta['git_commit'])[:10]}", fontsize=8, y=0.995)


def phase_portrait(f, figures):
    config = json.loads(f["meta"].attrs["config"])["balance"]
    x, y = config["model"]["x"], config["model"]["y"]
    p = f["curves/portrait"]
    fig, ax = plt.subplots(figsize=(6.5, 6))
    a = np.linspace(0.2, 3.2, 400)
    b = np.linspace(0.3, 3.8, 400)
    A, B = np.meshgrid(a, b)
    E = 0.5 * (y - A * B * x) ** 2
    ax.contour(A, B, np.log10(E + 1e-3), levels=18, colors="0.8", linewidths=0.6)
    ab = np.linspace(0.2, 3.2, 200)
    ax.plot(ab, y / (x * ab), color="k", lw=0.8, ls="--", label="global minima ab = y/x")
    gf = p["gf"][()]
    ax.plot(gf[:, 0], gf[:, 1], color="C0", lw=2, label="gradient flow")
    hs = sorted(float(k[len("gd_h"):]) for k in p.keys() if k.startswith("gd_h"))
    for h, colour in zip(hs, ["C2", "C3", "C4"]):
        gd = p[f"gd_h{h:g}"][()]
        mf = p[f"mf1_h{h:g}"][()]
        ax.plot(gd[:, 0], gd[:, 1], ".:", color=colour, ms=3, lw=0.6, label=f"GD, h = {h:g}")
        ax.plot(mf[:, 0], mf[:, 1], "-", color=colour, lw=1, alpha=0.8, label=f"modified flow, h = {h:g} (λ = h/2)")
    s = np.sqrt(abs(y / x))
    ax.plot([s], [s], "x", color="k", ms=10, mew=2, label="flattest minimum |a| = |b|")
    start = config["model"]["start"]
    ax.plot([start[0]], [start[1]], "o", color="k", ms=5)
    ax.set(xlabel="a (parameter)", ylabel="b (parameter)", xlim=(0.2, 3.2), ylim=(0.3, 3.8), aspect="equal",
           title=f"E(a, b) = ½(y − abx)², x = {x:g}, y = {y:g}, start {tuple(start)}")
    ax.legend(fontsize=7, loc="upper left")
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "phase-portrait.png", dpi=120)


def error_vs_h(f, figures):
    panels = [("local-order", "two-parameter model: one GD step"), ("global-order", "two-parameter model: GD to T = 1"),
              ("generic-local-order", "tanh MLP 2-3-1: one GD step"), ("generic-global-order", "tanh MLP 2-3-1: GD to T = 1")]
    panels = [(k, t) for k, t in panels if f"curves/{k}" in f]
    if not panels:
        return
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 4), squeeze=False)
    for ax, (key, title) in zip(axes[0], panels):
        c, s = f[f"curves/{key}"], f[f"summary/{key}"]
        h = c["step_size"][()]
        for flow, label, colour in FLOWS:
            e = c[f"error_{flow}"][()]
            slope, intercept = s[f"slope_{flow}"][()], s[f"intercept_{flow}"][()]
            ax.loglog(h, e, "o", color=colour)
            hh = np.geomspace(h.min(), h.max(), 50)
            ax.loglog(hh, np.exp(intercept) * hh ** slope, "-", color=colour, lw=1, label=f"{label}: slope {slope:.2f}")
        ax.set(xlabel="step size h", ylabel="‖θ$_{\\rm GD}$ − θ$_{\\rm flow}$‖ (parameter-space distance)", title=title)
        ax.legend(fontsize=7)
        ax.grid(True, which="both", lw=0.3)
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "error-vs-h.png", dpi=120)


def sharpness_vs_h(f, figures):
    c, s = f["curves/balance"], f["summary/balance"]
    h = c["step_size"][()]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax.plot(h, c["sharpness"][()], "o-", label="GD endpoint")
    ax.axhline(s["sharpness_gradient_flow"][()], color="C0", ls="--", label="gradient-flow endpoint")
    ax.axhline(s["sharpness_flattest"][()], color="k", ls=":", label="flattest minimum (2|xy|)")
    ax.set(xlabel="step size h", ylabel="sharpness x²(a² + b²) at the minimum (loss/parameter²)", title="Larger h ends flatter")
    ax.legend(fontsize=8)
    ax2.plot(h, c["d_final"][()], "o-", color="C3", label="D∞ = a² − b² (GD)")
    ax2.axhline(s["d_initial"][()], color="C0", ls="--", label="D₀ (conserved by gradient flow)")
    ax2.set(xlabel="step size h", ylabel="D = a² − b² (parameter²)", title="GD shrinks D by Π(1 − h²x²rₙ²)")
    ax2.legend(fontsize=8)
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "sharpness-vs-h.png", dpi=120)


def mnist(f, figures):
    c = f["curves/mnist-sweep"]
    h = c["step_size"][()]
    n = int(c["n"][()].min())
    runs = [k for k in f["summary"].keys() if k.startswith("mnist-")]
    egr = [k for k in runs if k.startswith("mnist-egr-")]
    fig, axes = plt.subplots(1, 4, figsize=(18, 4))
    for ax, (name, label, ylabel) in zip(axes[:3], [
            ("test_accuracy", "test accuracy at the stopping loss", "test accuracy (fraction)"),
            ("sharpness", "final sharpness λ_max", "λ_max (loss/parameter²)"),
            ("r_ig_final", "$R_{\\rm IG}$ = |∇E|²/m at the stop", "$R_{\\rm IG}$ (loss²/parameter²)")]):
        for k in runs:
            if k not in egr:
                ax.plot(f[f"summary/{k}/step_size"][()], f[f"summary/{k}/{name}"][()], ".", color="0.75", ms=3)
        mean, se = c[name][()], np.nan_to_num(c[f"{name}_se"][()])  # one seed: no SE band
        ax.plot(h, mean, "o-", color="C0", label=f"GD, mean ± SE over {n} seeds")
        ax.fill_between(h, mean - se, mean + se, color="C0", alpha=0.25)
        if egr:
            values = [f[f"summary/{k}/{name}"][()] for k in egr]
            x = f[f"summary/{egr[0]}/step_size"][()]
            mu = f[f"summary/{egr[0]}/explicit_coefficient"][()]
            m, e = np.nanmean(values), np.nanstd(values, ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0
            ax.errorbar([x], [m], yerr=[e], fmt="*", ms=12, color="C3", label=f"GD + μ|∇E|² at h = {x:g}, μ = {mu:g}")
        if name == "sharpness":
            ax.plot(h, 2 / h, ":", color="0.4", label="2/h (stability limit)")
            ax.set_ylim(0, 1.5 * np.nanmax(mean + se))
        ax.set(xscale="log", xlabel="step size h", ylabel=ylabel, title=label)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xticks(h)
        ax.title.set_fontsize(9)
        ax.legend(fontsize=7)
    ax = axes[3]
    sweep = sorted((k for k in f["curves"].keys() if k.startswith("mnist-h")), key=lambda k: float(k.split("-h")[1].split("-")[0]))
    first_seed = min(k.rsplit("-seed", 1)[1] for k in sweep)
    for k in [k for k in sweep if k.endswith(f"-seed{first_seed}") and "sharpness" in f[f"curves/{k}"]]:
        g = f[f"curves/{k}/sharpness"]
        ax.plot(g["time"][()], g["h_lambda_max"][()], lw=1, label=k.replace("mnist-", "").rsplit("-seed", 1)[0])
    ax.axhline(2, color="0.4", ls=":", label="stability limit 2")
    ax.set(yscale="log", xlabel="time h·steps", ylabel="h·λ_max (1)", title=f"h·λ_max along the run (seed {first_seed})")
    ax.title.set_fontsize(9)
    ax.legend(fontsize=7)
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "mnist-sweep.png", dpi=120)

    if "curves/mnist-perturbation" not in f:
        return
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.2))
    labels = {"h-small": "GD at h_s", "h-large": "GD at h_L", "explicit": "GD + μ|∇E|² at h_s"}
    for i, (tag, label) in enumerate(labels.items()):
        g = f[f"curves/mnist-perturbation/{tag}"]
        x, y, e = g["scale"][()], g["loss_increase"][()], np.nan_to_num(g["loss_increase_se"][()])
        ax.errorbar(x * (1 + 0.03 * (i - 1)), y, yerr=e, fmt="o-", ms=4, capsize=2,
                    label=f"{label} (h = {g.attrs['step_size']:g})")
    ax.set(xscale="log", yscale="log", xlabel="relative perturbation scale σ (θ + σ|θ|/√m · z)",
           ylabel="training-loss increase (nats)", title=f"Loss increase under parameter noise (mean ± SE, {n} seeds)")
    by_seed = f["summary/mnist/by-seed"]
    scales = f["curves/mnist-perturbation/h-small/scale"][()]
    for i, (prefix, label, color) in enumerate([("", "GD at h_L", "C1"), ("egr_", "GD + μ|∇E|² at h_s", "C2")]):
        groups = [by_seed[f"{prefix}perturbation_log_ratio_{s:g}"] for s in scales]
        mean = np.array([g["mean"][()] for g in groups])
        se = np.nan_to_num(np.array([g["se"][()] for g in groups]))
        ax2.errorbar(scales * (1 + 0.03 * (i - 0.5)), mean, yerr=2 * se, fmt="o-", ms=4, capsize=3, color=color, label=f"{label} vs GD at h_s")
    ax2.axhline(0, color="0.4", lw=0.8)
    ax2.set(xscale="log", xlabel="relative perturbation scale σ", ylabel="ln(loss increase / loss increase of GD at h_s)",
            title="Paired by seed and draw: mean ± 2 SE (below 0: more robust)")
    for a in (ax, ax2):
        a.title.set_fontsize(9)
        a.legend(fontsize=7)
    stamp(fig, f)
    fig.tight_layout()
    fig.savefig(figures / "mnist-robustness.png", dpi=120)


def main(results: Path, figures: Path) -> None:
    figures.mkdir(parents=True, exist_ok=True)
    with h5py.File(results / "summary.h5", "r") as f:
        if "curves/portrait" in f:
            phase_portrait(f, figures)
        error_vs_h(f, figures)
        if "curves/balance" in f:
            sharpness_vs_h(f, figures)
        if "curves/mnist-sweep" in f:
            mnist(f, figures)
    print(f"wrote figures to {figures}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
