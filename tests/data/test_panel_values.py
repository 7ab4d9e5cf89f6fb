"""Value checks over a whole panel at once: the first series that fails is named."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import DataError, read_panel
from lstmcast.data.panel_values import check_positive_target


def panel_with(values_b, steps=False):
    times = list(range(1, 5)) if steps else list(pd.date_range("2021-01-01", periods=4))
    return read_panel(pd.DataFrame({"unique_id": ["a"] * 4 + ["b"] * 4 + ["c"] * 4, "ds": times * 3,
                                    "y": [1.0, 2, 3, 4, *values_b, 5, 0, 7, 8]}))


def test_the_first_series_with_a_value_that_is_not_positive_is_named_with_its_time():
    with pytest.raises(DataError, match=r"^DataFrame: series 'b': target_transform='log_return' needs a positive "
                                        r"'y', found -1.0 at 2021-01-03 \(and 1 more series\); use "
                                        r"target_transform='diff'$"):
        check_positive_target(panel_with([1, 2, -1, 3]), "target_transform='log_return'", "target_transform='diff'")


def test_integer_steps_are_named_as_steps_and_positive_panels_pass():
    with pytest.raises(DataError, match=r"series 'c': x needs a positive 'y', found 0.0 at step 2; use z$"):
        check_positive_target(panel_with([1, 2, 3, 4], steps=True), "x", "z")
    panel = panel_with([1, 2, 3, 4])
    panel.frame.loc[panel.frame["y"] <= 0, "y"] = 1.0
    check_positive_target(panel, "x", "z")
    assert np.all(panel.frame["y"] > 0)
