"""Write a matplotlib figure atomically, without a display."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no window: works on servers and in CI
import matplotlib.pyplot as plt  # noqa: E402


def save_figure(fig, path) -> Path:
    """Save ``fig`` to ``path`` (format from the suffix, default PNG) via a temporary file; close it."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise ValueError(f"cannot write {path}: folder {path.parent} does not exist")
    suffix = path.suffix.lstrip(".") or "png"
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fig.savefig(tmp, format=suffix, dpi=120, bbox_inches="tight")
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if tmp.exists():
            tmp.unlink()
    return path
