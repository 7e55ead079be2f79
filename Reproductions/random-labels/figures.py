"""Figures and tables of the random-labels reading (Zhang et al. 2017, Fig. 1a/1b/1c and Table 1).

Usage: figures.py RESULTS_DIR FIGURES_DIR   (reads RESULTS_DIR/summary.h5, writes PNGs, and rewrites the
tables between the `<!-- table1 -->` and `<!-- early-stopping -->` markers of the README next to FIGURES_DIR)
"""
import sys
from pathlib import Path

import h5py
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CONDITIONS = ["true-labels", "shuffled-pixels", "random-pixels", "gaussian", "random-labels"]
UNREGULARIZED = "none (stops at 100 % training accuracy)"

# Zhang et al. 2017, Table 1 (CIFAR-10, train / test accuracy in %), the MLP rows and the best CNN.
PAPER_TABLE1 = {
    "MLP 1×512": {"none": "100.0 / 50.51", "weight-decay": "99.80 / 50.39", "random-labels": "99.34 / 10.61"},
    "MLP 3×512": {"none": "100.0 / 52.39", "weight-decay": "100.0 / 53.35", "random-labels": "100.0 / 10.48"},
    "Inception": {"none": "100.0 / 85.75", "weight-decay": "100.0 / 86.03", "shift": "100.0 / 89.31 (crop)",
                  "random-labels": "100.0 / 9.78"},
}


def curves(f):
    """Every run's curve group with its attributes."""
    out = []
    for name, g in f["curves"].items():
        a = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in g.attrs.items()}
        a["name"], a["group"] = name, g
        out.append(a)
    return out


def first_epoch(g, target):
    acc = g["train_accuracy"][()]
    hit = np.nonzero(acc >= target)[0]
    return float(g["epoch"][()][hit[0]]) if len(hit) else np.nan


def main_grid(runs):
    """The runs of the main grid (not the size sweep)."""
    return [r for r in runs if not int(r.get("size_sweep", 0))]


def fig1a(runs, figures, meta):
    plain = [r for r in main_grid(runs) if r["regularizer"] == UNREGULARIZED and r["condition"] in CONDITIONS]
    panels = sorted({(r["dataset"], r["model"]) for r in plain})
    seed = min(int(r["seed"]) for r in plain)
    cols = min(3, len(panels))
    rows = (len(panels) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.4 * cols, 3.6 * rows), squeeze=False)
    axes = axes.ravel()
    for ax in axes[len(panels):]:
        ax.axis("off")
    for ax, (dataset, model) in zip(axes, panels):
        for r in plain:
            if (r["dataset"], r["model"], int(r["seed"])) != (dataset, model, seed):
                continue
            g = r["group"]
            ax.plot(g["step"][()], g["train_loss"][()], color=f"C{CONDITIONS.index(r['condition'])}", label=r["condition"])
        ax.set(xlabel="optimizer steps", ylabel="training loss (nats per example)", yscale="log", title=f"{dataset}, {model}")
        ax.set_ylim(bottom=1e-3)
    most = max(range(len(panels)), key=lambda i: len(axes[i].get_lines()))
    axes[most].legend(fontsize=7)
    fig.suptitle(f"Fig. 1a analogue: training loss, seed {seed}, profile {meta['profile']}, commit {str(meta['git_commit'])[:10]}", fontsize=9)
    fig.tight_layout()
    fig.savefig(figures / "fig1a-training-loss.png", dpi=110)
    plt.close(fig)


def sweep_runs(runs):
    """(dataset, model) → {p: [curve groups]} for the corruption sweep (p = 0 and 1 from the plain runs)."""
    out = {}
    for r in main_grid(runs):
        if r["regularizer"] != UNREGULARIZED or r["condition"] not in ("true-labels", "random-labels", "corrupted-labels"):
            continue
        out.setdefault((r["dataset"], r["model"]), {}).setdefault(float(r["corruption"]), []).append(r["group"])
    return out


def fig1b_1c(f, runs, figures, meta):
    sweeps = sweep_runs(runs)
    datasets = sorted({d for d, _ in sweeps})
    if not datasets:
        return
    fig_b, axes_b = plt.subplots(1, len(datasets), figsize=(5 * len(datasets), 3.8), squeeze=False)
    fig_c, axes_c = plt.subplots(1, len(datasets), figsize=(5 * len(datasets), 3.8), squeeze=False)
    markers = {"mlp-1x512": "o", "mlp-3x512": "s"}
    for i, dataset in enumerate(datasets):
        ax_b, ax_c = axes_b[0][i], axes_c[0][i]
        models = sorted({m for _, m in sweeps})
        for (d, model), levels in sorted(sweeps.items()):
            if d != dataset:
                continue
            j = models.index(model)
            ps = sorted(levels)
            marker = markers.get(model, "^")
            # Only p = 0 and 1 (no sweep): markers without a line, which would suggest values in between.
            line = "-" if len(ps) > 2 else "none"
            ep99 = [np.mean([first_epoch(g, 0.99) for g in levels[p]]) for p in ps]
            ep100 = [np.mean([first_epoch(g, 1.0) for g in levels[p]]) for p in ps]
            err = [np.mean([1 - g["test_accuracy"][()][-1] for g in levels[p]]) for p in ps]
            best = [np.mean([1 - g["test_accuracy"][()].max() for g in levels[p]]) for p in ps]
            ax_b.plot(ps, ep99, marker=marker, ls=line, color=f"C{j}", label=f"{model}: 99 % train acc.")
            ax_b.plot(ps, ep100, marker=marker, ls="--" if len(ps) > 2 else "none", mfc="none", color=f"C{j}", label=f"{model}: 100 %")
            for p in ps:
                ax_b.scatter([p] * len(levels[p]), [first_epoch(g, 1.0) for g in levels[p]], s=8, color=f"C{j}", alpha=0.4)
            ax_c.plot(ps, err, marker=marker, ls=line, color=f"C{j}", label=f"{model}: at the end")
            if len(ps) > 2:
                ax_c.plot(ps, best, marker=marker, ls=":", color=f"C{j}", label=f"{model}: best epoch")
        ax_b.set(xlabel="label corruption p (fraction of labels)", ylabel="epochs to fit (epochs)", title=f"Time to fit, {dataset}")
        ax_c.set(xlabel="label corruption p (fraction of labels)", ylabel="test error (fraction)", title=f"Test error, {dataset}", ylim=(0, 1))
        # claims.json corruption-sweep, the paper's value (verified): test error ≈ 0.9 (chance) at p = 1.
        ax_c.axhline(0.9, color="grey", lw=0.8, ls="--", label="paper: ≈ 0.9 at p = 1 (chance, CIFAR-10)")
        ax_b.legend(fontsize=6)
        ax_c.legend(fontsize=6)
    for fig, name, what in [(fig_b, "fig1b-time-to-fit.png", "Fig. 1b analogue: epochs to fit (means; dots: each seed, 100 %)"),
                            (fig_c, "fig1c-test-error.png", "Fig. 1c analogue: test error (true test labels), means over seeds")]:
        fig.suptitle(f"{what}\nprofile {meta['profile']}, commit {str(meta['git_commit'])[:10]}", fontsize=8)
        fig.tight_layout()
        fig.savefig(figures / name, dpi=110)
        plt.close(fig)


def fit_vs_n(f, runs, figures, meta):
    """Epochs to fit and test accuracy against the training-set size N (the size sweep)."""
    if "summary/size-sweep" not in f:
        return False
    sweep = [r for r in runs if int(r.get("size_sweep", 0))]
    fig, (ax_t, ax_a) = plt.subplots(1, 2, figsize=(10, 3.8))
    for j, condition in enumerate(["true-labels", "random-labels"]):
        path = f"summary/size-sweep/{condition}"
        if path not in f:
            continue
        g = f[path]
        n = g["train_sizes"][()]
        for key, ls, what in [("epochs_to_999", "-", "99.9 %"), ("epochs_to_99", ":", "99 %")]:
            ax_t.errorbar(n, g[f"{key}_mean"][()], yerr=2 * g[f"{key}_se"][()], marker="o", ls=ls, color=f"C{j}",
                          capsize=3, label=f"{condition}: {what} train acc. (mean ± 2 SE)")
        dots = [r for r in sweep if r["condition"] == condition]
        ax_t.scatter([int(r["train_size"]) for r in dots], [first_epoch(r["group"], 0.999) for r in dots], s=8, color=f"C{j}", alpha=0.4)
        ax_a.errorbar(n, g["test_accuracy_mean"][()], yerr=2 * g["test_accuracy_se"][()], marker="o", color=f"C{j}", capsize=3,
                      label=f"{condition} (mean ± 2 SE)")
        k = g["growth_exponent"]
        ax_t.text(0.02, 0.95 - 0.07 * j, f"{condition}: epochs ∝ N^{k['mean'][()]:.2f} ± {k['se'][()]:.2f} (SE, {int(k['n'][()])} seeds)",
                  transform=ax_t.transAxes, fontsize=7, color=f"C{j}", va="top")
    ax_t.set_ylim(bottom=8)
    ax_t.set(xscale="log", yscale="log", xlabel="training-set size N (examples)", ylabel="epochs to fit (epochs)",
             title="Time to fit against N")
    ax_a.axhline(0.1, color="grey", lw=0.8, ls="--", label="chance (0.1)")
    ax_a.set(xscale="log", xlabel="training-set size N (examples)", ylabel="final test accuracy (fraction)", ylim=(0, 1),
             title="Test accuracy against N")
    ax_t.legend(fontsize=6, loc="lower right")
    ax_a.legend(fontsize=6)
    model = sweep[0]["model"] if sweep else ""
    dataset = sweep[0]["dataset"] if sweep else ""
    fig.suptitle(f"{dataset}, {model}, stop at 99.9 % training accuracy (dots: each seed); profile {meta['profile']}, commit {str(meta['git_commit'])[:10]}",
                 fontsize=8)
    fig.tight_layout()
    fig.savefig(figures / "fit-vs-n.png", dpi=110)
    plt.close(fig)
    return True


def scalar(f, path):
    return float(f[path][()]) if path in f else np.nan


def pct(x):
    return "—" if np.isnan(x) else f"{100 * x:.1f}"


def table1(f):
    """Train / test accuracy (%) with and without each regularizer, and on random labels, beside the paper's."""
    s = f["summary"]
    rows = ["| data set, model (train / test accuracy, %) | none | weight decay | dropout | shift ±2 px | random labels | random labels + wd |",
            "|---|---|---|---|---|---|---|"]
    for dataset in sorted(k for k in s.keys() if k in ("fashion-mnist", "mnist-5k")):
        for model in sorted(s[dataset].keys()):
            g = s[dataset][model]

            def cell(run):
                if run not in g:
                    return "—"
                return f"{pct(float(g[run]['train_accuracy'][()]))} / {pct(float(g[run]['test_accuracy'][()]))}"
            rows.append(f"| {dataset}, {model} | {cell('true-labels-unregularized') if 'true-labels-unregularized' in g else cell('true-labels') + '¹'} "
                        f"| {cell('true-labels-weight-decay')} | {cell('true-labels-dropout')} | {cell('true-labels-shift')} "
                        f"| {cell('random-labels')} | {cell('random-labels-weight-decay')} |")
    for model, cells in PAPER_TABLE1.items():
        rows.append(f"| paper, CIFAR-10, {model} | {cells.get('none', '—')} | {cells.get('weight-decay', '—')} | — "
                    f"| {cells.get('shift', '—')} | {cells.get('random-labels', '—')} | — |")
    return "\n".join(rows)


def early_stopping(f):
    s = f["summary"]
    rows = ["| data set, model | p | final test acc. | best-epoch test acc. | gain |", "|---|---|---|---|---|"]
    for dataset in sorted(k for k in s.keys() if k in ("fashion-mnist", "mnist-5k")):
        for model in sorted(s[dataset].keys()):
            if "corruption" not in s[dataset][model]:
                continue
            c = s[dataset][model]["corruption"]
            for p, t, b in zip(c["levels"][()], c["test_accuracy"][()], c["best_test_accuracy"][()]):
                rows.append(f"| {dataset}, {model} | {p:g} | {t:.3f} | {b:.3f} | {b - t:+.3f} |")
    return "\n".join(rows)


def replace_between(text, marker, body):
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    if start not in text or end not in text:
        return text
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


def main(results: Path, figures: Path) -> None:
    figures.mkdir(parents=True, exist_ok=True)
    with h5py.File(results / "summary.h5", "r") as f:
        meta = f["meta"].attrs
        runs = curves(f)
        fig1a(runs, figures, meta)
        fig1b_1c(f, runs, figures, meta)
        names = ["fig1a-training-loss.png", "fig1b-time-to-fit.png", "fig1c-test-error.png"]
        if fit_vs_n(f, runs, figures, meta):
            names.append("fit-vs-n.png")
        readme = figures.parent / "README.md"
        if readme.exists():
            text = readme.read_text()
            text = replace_between(text, "table1", table1(f))
            text = replace_between(text, "early-stopping", early_stopping(f))
            readme.write_text(text)
    for name in names:
        print(f"wrote {figures / name}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
