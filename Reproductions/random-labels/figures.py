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
        for name in points:
            g = f["curves"][name]
            if not name.endswith("seed0"):
                continue
            label = name.removesuffix("-seed0")
            ax_loss.plot(g["epoch"][()], g["train_loss"][()], label=label)
            ax_acc.plot(g["epoch"][()], g["train_accuracy"][()], label=label)
            ax_test.plot(g["epoch"][()], g["test_accuracy"][()], label=label)
        ax_loss.set(xlabel="epoch", ylabel="training loss (nats)", yscale="log", title="Training loss")
        ax_acc.set(xlabel="epoch", ylabel="training accuracy", title="Training accuracy (labels trained on)")
        ax_acc.axhline(1.0, color="grey", lw=0.5)
        ax_test.set(xlabel="epoch", ylabel="test accuracy", title="Test accuracy (true labels)")
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
