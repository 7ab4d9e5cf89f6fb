"""Floor 3, figures (matplotlib, no window needed): one module per kind of figure.

Every figure is written to a temporary name and renamed, so an interrupted save
never leaves a broken PNG.
"""

from .panel import pick_series, plot_panel_overview

__all__ = ["pick_series", "plot_panel_overview"]
