"""Forecast and loss figures are written whole, as PNG, or not at all."""

import pandas as pd
import pytest

from lstmcast.plots import forecast as forecast_plots
from lstmcast.plots.forecast import plot_forecast, plot_loss
from lstmcast.training import History

PNG = b"\x89PNG\r\n\x1a\n"


def _series():
    history = pd.Series(range(24), index=pd.date_range("2020-01-01", periods=24, freq="MS"), name="y", dtype=float)
    dates = pd.date_range("2022-01-01", periods=6, freq="MS")
    fc = pd.DataFrame({"y": range(24, 30), "lower": range(20, 26), "upper": range(28, 34)}, index=dates, dtype=float)
    return history, fc


def test_forecast_figure_is_a_png(tmp_path):
    history, fc = _series()
    path = plot_forecast(history, fc, tmp_path / "f.png", actual=fc["y"] + 1)
    data = path.read_bytes()
    assert data[:8] == PNG and len(data) > 10_000
    assert [p.name for p in tmp_path.iterdir()] == ["f.png"]


def test_loss_figure_is_a_png(tmp_path):
    history = History(train_loss=[1.0, 0.5, 0.3], val_loss=[1.2, 0.6, 0.7], seconds=[0.1] * 3, best_epoch=2)
    assert plot_loss(history, tmp_path / "loss.png").read_bytes()[:8] == PNG


def test_failed_save_leaves_nothing(tmp_path, monkeypatch):
    history, fc = _series()

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(forecast_plots.plt.Figure, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        plot_forecast(history, fc, tmp_path / "f.png")
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_a_clear_error(tmp_path):
    history, fc = _series()
    with pytest.raises(ValueError, match="folder .* does not exist"):
        plot_forecast(history, fc, tmp_path / "nope" / "f.png")
