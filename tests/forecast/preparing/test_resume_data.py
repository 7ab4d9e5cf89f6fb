"""A resumed fit on other data than the model's is refused, naming both sources and the first difference."""

import numpy as np
import pandas as pd
import pytest

from lstmcast.data import DataError, read_panel
from lstmcast.data.tables import read_series
from lstmcast.forecast.preparing.resume_data import check_same_data

from ...conftest import seasonal_panel, small


def table(values, start="2020-01-01", name="y"):
    frame = pd.DataFrame({name: values}, index=pd.date_range(start, periods=len(values), freq="D", name="date"))
    return read_series(frame, name)


def test_the_same_rows_pass_and_any_difference_is_named():
    fitted = table([1.0, 2.0, 3.0, 4.0])
    check_same_data(table([1.0, 2.0, 3.0, 4.0]), fitted)
    for new, reason in [(table([1.0, 2.0, 3.0]), "it has 3 rows, not 4"),
                        (table([1.0, 2.0, 3.0, 4.0], start="2020-01-02"), "row 0 is dated 2020-01-02, not 2020-01-01"),
                        (table([1.0, 2.0, 9.5, 4.0]), "column 'y' at 2020-01-03 holds 9.5, not 3"),
                        (table([1.0, 2.0, 3.0, 4.0], name="z"), "the columns are z, not y")]:
        with pytest.raises(DataError, match=rf"^DataFrame: resume continues the model fitted on DataFrame, but "
                                            rf"{reason}; its scaler"):
            check_same_data(new, fitted)


def test_a_changed_panel_series_is_named():
    frame = seasonal_panel(n_series=2, lengths=[30, 30], starts=[0, 0])
    fitted = read_panel(frame)
    check_same_data(read_panel(frame.copy()), fitted)
    changed = frame.copy()
    changed.loc[changed.index[changed["unique_id"] == "s1"][4], "y"] = -1.0
    with pytest.raises(DataError, match=r"but column 'y' at series 's1' row 4 holds -1, not "):
        check_same_data(read_panel(changed), fitted)


def test_fit_resume_on_other_data_is_refused_before_training(monkeypatch):
    one = seasonal_panel(n_series=1, lengths=[60], starts=[0]).drop(columns="unique_id").set_index("ds")
    model = small(look_back=6, horizon=3, hidden_size=4, epochs=1).fit(one, target="y")
    other = one.copy()
    other.iloc[10, 0] += 1.0
    import lstmcast.forecast.training.global_fit as panel_fitting

    monkeypatch.setattr(panel_fitting, "train_member", lambda *a, **k: pytest.fail("trained on other data"))
    with pytest.raises(DataError, match=r"^DataFrame: resume continues the model fitted on DataFrame, but column "
                                        r"'y' at 2000-11-01 holds"):
        model.fit(other, resume=True)
