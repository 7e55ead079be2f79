"""Learning curves of the random-labels reading (Zhang et al. 2017, Fig. 1a analogue).

Usage: figures.py RESULTS_DIR FIGURES_DIR   (reads RESULTS_DIR/summary.h5, writes PNGs)
"""
import sys
from pathlib import Path

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(results: Path, figures: Path) -> None:
    figures.mkdir(parents=True, exist_ok=True)
    with h5py.File(results / "summary.h5", "r") as f:
        points = sorted(f["curves"].keys())
        fig, (ax_loss, ax_acc, ax_test) = plt.subplots(1, 3, figsize=(15, 4))
        # Colour by condition, line style by model; the first seed only.
        conditions = ["true-labels", "shuffled-pixels", "random-pixels", "gaussian", "random-labels"]
        models = sorted({n.split("-")[0] + "-" + n.split("-")[1] for n in points})
        styles = ["-", "--", ":", "-."]
        first_seed = min(n.rsplit("-seed", 1)[1] for n in points)
        for name in points:
            g = f["curves"][name]
            stem, seed = name.rsplit("-seed", 1)
            if seed != first_seed:
                continue
            model = models[0] if len(models) == 1 else next(m for m in models if stem.startswith(m))
            condition = stem[len(model) + 1:]
            style = dict(color=f"C{conditions.index(condition)}", ls=styles[models.index(model) % len(styles)], label=stem)
            ax_loss.plot(g["epoch"][()], g["train_loss"][()], **style)
            ax_acc.plot(g["epoch"][()], g["train_accuracy"][()], **style)
            ax_test.plot(g["epoch"][()], g["test_accuracy"][()], **style)
        ax_loss.set(xlabel="epoch", ylabel="training loss (nats)", yscale="log", title="Training loss")
        ax_acc.set(xlabel="epoch", ylabel="training accuracy", title="Training accuracy (labels trained on)")
        ax_acc.axhline(1.0, color="grey", lw=0.5)
        ax_test.set(xlabel="epoch", ylabel="test accuracy", title="Test accuracy (true test labels)")
        ax_test.axhline(0.1, color="grey", lw=0.5, ls="--")
        ax_acc.legend(fontsize=7)
        meta = f["meta"].attrs
        fig.suptitle(f"Random labels, seed {meta['seed']}, commit {str(meta['git_commit'])[:10]}", fontsize=9)
        fig.tight_layout()
        fig.savefig(figures / "learning-curves.png", dpi=120)
        print(f"wrote {figures / 'learning-curves.png'}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
