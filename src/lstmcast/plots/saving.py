"""Write a matplotlib figure atomically, without a display."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no window: works on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402

from ..files import atomic_write  # noqa: E402


def save_figure(fig, path) -> Path:
    """Save ``fig`` to ``path`` (format from the suffix, default PNG) via a temporary file; close it."""
    suffix = Path(path).suffix.lstrip(".") or "png"
    try:
        return atomic_write(path, lambda tmp: fig.savefig(tmp, format=suffix, dpi=120, bbox_inches="tight"))
    finally:
        plt.close(fig)
