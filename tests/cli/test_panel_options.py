"""The per-series report of many series names the series the overview figure draws."""

import numpy as np
import pandas as pd

from lstmcast.cli.panel_options import print_panel_evaluation


def _table(mase):
    ids = [f"s{k}" for k in range(len(mase))]
    per = pd.DataFrame({"windows": 5, "MAE": 1.0, "MASE": mase}, index=pd.Index(ids, name="series"))
    table = pd.DataFrame({"MAE": [1.0], "MASE": [float(np.nanmean(mase))]}, index=pd.Index(["LSTM"], name="model"))
    table.attrs.update(per_series=per, series=len(ids), windows=5 * len(ids), verdict="verdict")
    return table


def _picked(capsys) -> list[str]:
    out = capsys.readouterr().out
    return [word for line in out.splitlines() for word in line.replace("│", " ").split()
            if word.startswith("s") and word[1:].isdigit()]


def test_ties_are_taken_in_the_series_order(capsys):
    print_panel_evaluation(_table([1.0, 2.0] * 20), "tied")  # 20 series at 1, 20 at 2
    assert _picked(capsys) == ["s0", "s1", "s39"]  # the first 1, the first 2 (the 21st of 40), the last 2


def test_a_series_without_a_mase_is_not_called_the_worst(capsys):
    print_panel_evaluation(_table([2.0, np.nan, 1.0, 3.0]), "unscored")
    assert _picked(capsys) == ["s2", "s0", "s3"]
