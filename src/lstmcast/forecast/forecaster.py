"""Forecaster: the estimator users hold — from a table to forecasts they can check.

Pipeline, for ``fit`` and every prediction alike::

    table (N, F) --log of the target ("log_*" window_norm), target_transform--> encoded (N, F)
      --scaler fitted on training rows--> scaled (N, F) --sliding windows--> X (n, look_back, F), Y (n, horizon)
      --window_norm on the target column: minus its seasonal profile ("*season*"), then minus its mean, over
        its std ("*mean_std"), or minus its last value ("last"); Y alike--> --patch: look_back / patch steps-->
      ``ensemble`` ForecastNets (each a point forecast, or ordered quantiles with loss="quantile")
      --each output mapped back, the scaler undone, levels rebuilt--> the mean of the members' forecasts
      in original units --no_harm: naive + naive_weight_ (mean - naive)--> --combine: weighted with the
      classical models--> the forecast

The hidden state starts from zero for every window. Validation windows come after the training rows
(their inputs may reach back ``look_back`` rows into training), and the scaler never sees a validation
row. ``docs/architecture.md`` says where each step lives; this class is the only one that knows them all.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .backtest.walk_forward import backtest_copies
from .prediction.next_values import forecast_after, predict_windows
from .scores.evaluation import evaluate_forecaster
from .persistence.model_folder import load_model, save_model
from .backtest.panel_walk_forward import backtest_panel_copies
from .scores.panel_evaluation import panel_evaluate
from .scores.no_harm_series import fit_naive_weights
from .combining.series_combination import fit_combinations, resolved_combine
from .training.panel_fit import fit_panel, is_panel_input
from .prediction.panel_forecasts import panel_forecast, panel_predict
from .prediction.fitted_series import FittedSeries
from .preparing.known import future_frame
from .preparing.fit_inputs import data_future, fit_inputs, static_names
from .prediction.series_models import with_future

class Forecaster(FittedSeries):
    """An LSTM forecaster with the scikit-learn estimator contract.

    Constructor arguments are stored unchanged and validated in :meth:`fit`; what is
    learned ends in ``_`` (``members_``, ``scaler_``, ``history_``, ``table_``,
    ``window_norm_``, ``naive_weight_``).

    Parameters
    ----------
    look_back : int
        Past steps each forecast reads.
    horizon : int
        Steps forecast at once.
    hidden_size, num_layers : int
        LSTM units per layer and stacked layers.
    bidirectional, attention : bool
        Read each window both ways; pool the outputs with attention instead of using
        the last state.
    dropout, recurrent_dropout : float
        Dropout between layers and on the head's input; variational dropout on h_{t-1}.
    scaler : {"standard", "minmax", "none"}
        Fitted on the training rows only, stored with the model.
    window_norm : {None, "mean_std", "log_mean_std", "last", "season_mean_std", "log_season_mean_std", "none", "auto"}
        How each window's target is normalised before the network reads it, and its forecast mapped
        back. ``"mean_std"`` (reversible instance normalisation): minus the window's mean, over its
        standard deviation. ``"log_mean_std"``: the same on the log of the target (positive series
        whose swings grow with the level). ``"last"``: minus the window's last value (zero output = the
        naive forecast). ``"season_mean_std"``, ``"log_season_mean_std"``: first minus the window's own
        seasonal profile, put back into its forecast (:mod:`lstmcast.forecast.preparing.seasonal_profile`;
        multiplicative for the log). ``"auto"``: each of them that suits the target, the one with the
        lowest validation error kept (by a step budget: ranked by fits of an eighth of it, the best then
        fitted in full). ``None`` (the default), chosen on the validation suite: by epochs, ``"mean_std"``
        or, for positive series with two seasons in the look-back, whichever of it and
        ``"log_season_mean_std"`` validates better; by a step budget (large data), ``"auto"``
        (:mod:`~lstmcast.forecast.training.norm_choice`).
        ``window_norm_`` says which was used, ``window_norm_scores_`` the candidates' errors. All act on
        levels: with a ``target_transform`` the windows hold changes and are left as they are.
    target_transform : {"none", "diff", "log_return"}
        Model the target's step-to-step changes (``y_t - y_{t-1}``) or log returns
        (``log(y_t / y_{t-1})``) instead of its levels; forecasts are rebuilt as
        levels from the last observed value, and every metric is on levels.
    loss : {"huber", "mse", "quantile"}
        In window-normalised units (Huber's δ = 1, chosen on the validation suite). ``"quantile"``:
        pinball loss, one output per level in ``quantiles`` and step.
    epochs : int or None
        Epochs to train (at most, with early stopping). ``None`` (and no ``max_steps``): 200,
        raised on small data so that training takes at least 1,000 Adam steps, with the
        patience raised to match (a 120-row monthly series makes 2-3 steps an epoch); with
        more than 50,000 training windows, a step budget of 8,000 steps instead.
    max_steps : int or None
        Train by a step budget instead of epochs: this many Adam steps, each on ``batch_size``
        windows drawn uniformly over every training window; the validation windows (a fixed
        sample of at most 8,192) are scored every tenth of the budget (at most every 250 steps),
        ``patience`` counts those checks, and the best check's weights are kept.
        ``training_plan_`` says how a fit trained. Windows are gathered batch by batch, never all
        at once. See :mod:`lstmcast.forecast.training.fitting`.
    batch_size : int or None
        Windows per Adam step; ``None``: 32 when training by epochs, 256 by a step budget.
    lr, weight_decay, clip_norm
        Adam training; gradients clipped to ``clip_norm`` (``None``: no clipping).
    patience : int or None
        Early stopping on the validation loss, in epochs; the best epoch's weights are kept.
    val_fraction : float
        Share of the rows (the last ones, at least ``horizon`` of them) used for validation, in each
        series; 0 turns it off.
    season : int or None
        Season length for the seasonal-naive and classical baselines, MASE and ``patch=None``.
        ``None``: from the dates' frequency, or, for integer steps, the candidate lag most series
        pass the M4 seasonality test at (``season_`` and ``choices_`` say which; see
        :mod:`lstmcast.forecast.training.choices`).
    dtype : {"float32", "float64"}
    seed : int
        Same seed, same numbers, bit for bit.
    verbose : bool
        Show a progress bar while fitting.
    patch : int or None
        Rows per LSTM step: the look-back is read as ``look_back / patch`` steps of
        ``patch`` consecutive rows each (e.g. ``patch=24`` reads hourly data a day per
        step: a shorter recurrence over a long look-back). ``look_back`` must be a multiple.
        ``None``: one season when the look-back holds at least 4 whole seasons, else 1
        (``patch_`` and ``choices_`` say which).
    ensemble : int
        Networks trained with different seeds (member 0 with ``seed`` itself, so
        ``ensemble=1`` is the single model); the forecast is their mean, and
        ``forecast(spread=True)`` gives the standard deviation between them. With
        ``loss="quantile"`` each level is averaged over the members (the averages of
        ordered quantiles stay ordered).
    quantiles : sequence of float
        Levels forecast with ``loss="quantile"``, increasing; they must include 0.5, the
        point forecast, and a level on each side of it. See :mod:`lstmcast.forecast.intervals.quantiles`.
    interval_method : {"aci", "rolling", "split"}
        How intervals follow the errors: adaptive conformal inference on a rolling
        window (default), the rolling window alone, or the validation errors only.
        See :mod:`lstmcast.forecast.intervals.conformal`.
    interval_window : int
        Recent errors per step kept by ``"aci"`` and ``"rolling"``.
    mc_passes : int
        With dropout: this many Monte-Carlo dropout passes (of every member) give each
        forecast a spread, and intervals are conformal in units of that spread; 0 = off.
    no_harm : {"select", "shrink", "none"}
        ``"select"``: forecast naive (the last value) unless the LSTM beat it on the
        validation windows by more than noise; ``"shrink"``: move the forecasts
        towards naive by a weight fitted there; ``"none"``: the LSTM as trained.
        See :mod:`lstmcast.forecast.scores.no_harm`. Decided per series, on each series' own validation
        windows (``naive_weights_``; the verdict says for how many series naive was kept).
    mode : {"global", "local"}
        For a panel (many series, see :meth:`fit`): one network trained on windows of
        every series (``"global"``), or one model per series (``"local"``, fitted as
        independent tasks, on a Dask cluster when ``fit(client=...)`` gives one).
    combine : {"none", "best", "weights"} or None
        With ``lstmcast[baselines]``: the forecast of each series combined with AutoETS, AutoTheta,
        MSTL and (seasons up to 12) AutoARIMA, fitted on its training rows: the best single model on
        its validation windows (``"best"``), or the non-negative weights adding up to one that fit
        them best (``"weights"``); intervals are conformal on the combined forecast
        (``combinations_``; the verdict says what was used). ``None``: the validation suite's
        choice, ``"none"`` today (``combine_`` and ``choices_`` say which; see
        :data:`~lstmcast.forecast.combining.weights.DEFAULT_COMBINE`).
        See :mod:`lstmcast.forecast.combining`.
    """

    # --------------------------------------------------------------------- fit
    def fit(self, data, target: str | None = None, features=None, date_column: str | None = None,
            fill: str | None = None, freq: str | None = None, resume: bool = False,
            id_column: str | None = None, skip_short: bool = False, client=None,
            future_features=None, static_features=None) -> "Forecaster":
        """Train on ``data`` (a CSV path or a DataFrame); returns ``self``.

        Many series in one call: a long table, one row per (series, time), read when
        ``id_column`` is given (or ``data`` is a DataFrame with a ``unique_id`` column, or a
        :class:`~lstmcast.data.Panel`); see :func:`lstmcast.data.read_panel`. Every series is
        scaled on its own training rows and validated on its own last rows
        (``max(horizon, val_fraction * rows)``); ``mode`` says whether one network learns
        from all of them or each gets its own. ``forecast`` and ``predict`` then return long
        tables, ``evaluate`` a per-series table and the aggregate.

        Parameters
        ----------
        data : str, pathlib.Path or pandas.DataFrame
        target : str, optional
            Column to forecast; may be omitted when there is one value column.
        features : list of str, optional
            Other columns used as inputs, or derived price features computed from
            OHLCV columns: ``"HighLow"``, ``"Return"``, ``"LogVolume"`` (see
            :mod:`lstmcast.data.features`).
        date_column, fill, freq
            See :func:`lstmcast.data.read_series`.
        resume : bool
            Continue training a fitted (or loaded) model for ``epochs`` more epochs
            (``None``: what is left of the epochs it planned), exactly where it stopped;
            the data must have the same columns. Every member continues with the window
            normalisation it was fitted with. (Many series: a global model, on the same series.)
        id_column : str, optional
            The column naming each row's series (``date_column`` is then the time column:
            dates, or whole-number steps).
        skip_short : bool
            Leave out, with a warning each, series shorter than ``look_back + horizon``
            instead of failing.
        client : TaskRunner or dask.distributed.Client, optional
            Where ``mode="local"``'s per-series fits run (default: here, one after another);
            the results are the same wherever they run.
        future_features : list of str, optional
            Inputs known in advance for every step of the horizon: columns of the data (day-ahead
            forecasts) or calendar names (``"hour"``, ``"dayofweek"``, ``"holiday:DE"``, ...; see
            :mod:`lstmcast.data.calendar`), read in the window and, step by step, by the network's
            decoder. ``predict``, ``evaluate`` and ``backtest`` read them from the table, ``forecast``
            from ``future=``; ``future_features_`` lists the columns.
        static_features : list of str, optional
            Many series: columns of one value per series (a market, a category), encoded once and read
            at every step (:mod:`lstmcast.forecast.preparing.static`; ``static_features_``).

        Raises
        ------
        DataError
            For problems with the data (one line naming the file, column and row).
        ValueError
            For bad arguments.
        """
        self._validate()
        if resume:
            self._check_fitted()
            if self.shape_ == "series" and data is not None and is_panel_input(data, id_column):
                raise ValueError("resume: this model was fitted on one series; continue it on that series' table")
        one_series = self.shape_ == "series" if resume else not is_panel_input(data, id_column)
        static = static_names(static_features, one_series)
        inputs = fit_inputs(self, data, one_series, target, features, date_column, fill, freq, resume, future_features)
        fitted = fit_panel(self, inputs.data, target, inputs.features, id_column, date_column, fill, freq, skip_short,
                           client, resume, inputs.future, static)
        for name, value in fitted.items():
            setattr(self, name, value)
        self.shape_ = "series" if one_series else "panel"
        if one_series:
            self.table_ = inputs.table
        else:
            self.__dict__.pop("table_", None)
        first = self.states_[self.panel_.ids[0]]
        self.window_norm_scores_ = first.norm_scores  # scale-free validation error per candidate ("auto" only)
        self.naive_weights_ = fit_naive_weights(self)
        self.combinations_ = {}  # (a refit starts without the last fit's combinations and pools)
        self.__dict__.pop("_classical_pools", None)
        self.combinations_, self.combine_note_, self.combine_ = fit_combinations(self, client)
        self.choices_ = {**self.choices_, "combine": resolved_combine(self.combine)[1]}
        return self

    # ------------------------------------------------------------- predictions
    def predict(self, data=None) -> pd.DataFrame:
        """One forecast per window of ``data`` (default: the fitted data).

        Returns
        -------
        pandas.DataFrame
            Indexed by each window's first forecast date, one column per step
            (``t+1`` ... ``t+horizon``), in the original units. Fitted on a panel: a
            long table with the id and each window's first forecast time as columns.
        """
        if self._on_panel:
            return panel_predict(self, data)
        return predict_windows(self._series_model(), self._read(data))

    def forecast(self, data=None, coverage: float | None = None, spread: bool = False, client=None,
                 future=None) -> pd.DataFrame:
        """The next ``horizon`` values after the end of ``data`` (default: the fitted data).

        No refitting: a newer table with the same columns moves the forecast forward.

        Parameters
        ----------
        data : path or DataFrame, optional
        coverage : float, optional
            Add ``lower`` and ``upper`` columns: a conformal interval meant to hold
            the truth with this probability (e.g. 0.9), from the errors on the
            validation windows and, as ``interval_method`` says, every error of
            ``data`` after the fitted rows (see :mod:`lstmcast.forecast.intervals.uncertainty`).
        spread : bool
            Add a ``spread`` column: the standard deviation of the ensemble members'
            forecasts (0 with ``ensemble=1``), and one column per member
            (``member_1`` ...).
        client : TaskRunner or dask.distributed.Client, optional
            Fitted on a panel: forecast the series as tasks there (runs of series, the model sent
            to each worker once); the same numbers as here.
        future : DataFrame or path, optional
            Fitted with ``future_features`` that are columns of the data: their values for the
            ``horizon`` times after ``data``, indexed by time (or with a time column; with the id
            column too for many series). A missing column, time or value is a one-line error.

        Returns
        -------
        pandas.DataFrame
            Indexed by the future dates, one column named after the target, the
            quantile columns (``q0.05`` ...) of a quantile model, ``lower`` and ``upper``
            with ``coverage``, ``spread`` and the members' point forecasts with ``spread``.
            Fitted on a panel: a long table, ``horizon`` rows per series, columns the id,
            the time, ``forecast`` (and the quantile, ``lower`` and ``upper`` columns); a global
            model also forecasts series it was not fitted on, each scaled on its own rows; see
            :func:`~lstmcast.forecast.prediction.panel_forecasts.panel_forecast`.
        """
        if self._on_panel:
            return panel_forecast(self, data, coverage, spread, client, future)
        table = self._read(data)
        model = with_future(self._series_model(), table.future_dates(self.horizon),
                            future_frame(future, table.dates.name), table.source)
        return forecast_after(model, table, coverage, spread)

    def evaluate(self, data=None, start=None, strong: bool | None = None,
                 coverage: float | None = None, client=None) -> pd.DataFrame:
        """Metrics of the LSTM and of the baselines on exactly the same windows.

        Parameters
        ----------
        data : path or DataFrame, optional
            Defaults to the fitted data.
        start : date-like, int, float or None
            Score only windows whose first forecast step is at or after ``start`` (a
            date, a row number or a fraction of the rows). Default: the validation part when ``data`` is
            omitted, every window otherwise.
        strong : bool or None
            Add AutoETS, AutoARIMA, AutoTheta and MSTL when statsforecast is installed
            (``pip install 'lstmcast[baselines]'``): fitted once on the rows before the
            first scored window, each forecast reading only the rows before its origin
            (see :mod:`lstmcast.forecast.scores.strong`). ``None``: unless the windows' histories
            add up to more than ``strong.WORK_LIMIT`` rows (the verdict then says they
            were skipped); ``True``: always; ``False``: never.
        coverage : float, optional
            Also score intervals for this coverage: ``attrs["intervals"]`` (coverage, ACD,
            width, Winkler, MSIS) and ``attrs["by_step"]`` (coverage and width per step).
            On the validation part these are optimistic: it is also what they are calibrated on.
            (A quantile model always reports ``attrs["pinball"]``.)
        client : TaskRunner or dask.distributed.Client, optional
            Fitted on a panel: the classical models of each series fitted as one task there.

        Returns
        -------
        pandas.DataFrame
            One row per model (``LSTM``, ``naive``, ``seasonal naive``, ``drift``, and
            the classical models), columns MAE, RMSE, MAPE, sMAPE, MASE, R2, DirAcc, in
            original units. ``attrs["verdict"]`` says in one line whether the LSTM beats
            naive and the strongest of all (or which strong baselines were not run),
            what the naive weight did, and how many windows the fit saw;
            ``attrs["windows"]`` how many windows were scored, ``attrs["in_sample_windows"]``
            how many of them forecast dates the fit saw (training rows, or validation
            rows early stopping chose the epoch by).
            Fitted on a panel: means over series (the classical models fitted in each), with
            ``attrs["per_series"]``; see :func:`~lstmcast.forecast.scores.panel_evaluation.panel_evaluate`.
        """
        if self._on_panel:
            return panel_evaluate(self, data, start, coverage, strong, client)
        model = self._series_model()
        if start is None and data is None:
            start = model.split_.val.start if model.split_.sizes[1] > 0 else 0
        return evaluate_forecaster(model, self._read(data), start, strong, coverage)

    def backtest(self, data, target: str | None = None, features=None, start=None, end=None,
                 step: int = 1, refit_every: int | None = None, coverage: float | None = 0.9,
                 date_column: str | None = None, fill: str | None = None, freq: str | None = None,
                 strong: bool | None = None, id_column: str | None = None, future_features=None,
                 static_features=None, client=None):
        """Walk-forward evaluation: forecasts from each origin made only with data before it.

        Copies of this Forecaster (same parameters; ``self`` is left as it is) are
        fitted on all rows before an origin, again every ``refit_every`` rows; with
        ``strong``, so are AutoETS, AutoARIMA, AutoTheta and MSTL when statsforecast is installed.
        See :func:`lstmcast.forecast.backtest.walk_forward.run_backtest` for every argument. Many series
        (``id_column``, as in :meth:`fit`): every series walked forward from ``start`` (a
        row, a share of each series' rows, or a time); see
        :func:`lstmcast.forecast.backtest.panel_walk_forward.panel_backtest` (``end`` is for one series).

        Returns
        -------
        BacktestResult
            ``forecasts`` (one row per origin and step), ``metrics`` (LSTM against
            the baselines over all origins), ``verdict``, the interval ``coverage`` reached
            and the interval scores (``intervals``, ``by_step``, ``calibration``, ``pinball``).
            ``future_features``, ``static_features``, ``client``: as in :meth:`fit` (the horizon's known values read
            from ``data``; the copies' fits and a panel's classical rows run on ``client``, see ``backtest.refits``).
        """
        self._validate()
        future = data_future(future_features, data, date_column)
        if is_panel_input(data, id_column):
            return backtest_panel_copies(self, data, target, features, id_column, date_column, fill, freq, start,
                                         end, step, refit_every, coverage, strong, future,
                                         static_names(static_features, False), client)
        return backtest_copies(self, data, target, features, date_column, fill, freq, future, client, start=start,
                               end=end, step=step, refit_every=refit_every, coverage=coverage, strong=strong)

    def inspect(self, data=None, window: int = -1, series: str | None = None):
        """Gate traces, attention and per-step gradient norms of one window (of the first member).

        See :func:`lstmcast.inspection.inspect_window`; ``window=-1`` is the window
        :meth:`forecast` reads; ``series`` names the series of a model fitted on many.
        """
        return self._inspect(data, window, series)

    # ------------------------------------------------------------- persistence
    def save(self, path) -> Path:
        """Write a model directory (config.json, weights.safetensors, resume state); returns its path."""
        self._check_fitted()
        return save_model(self, path)

    @classmethod
    def load(cls, path) -> "Forecaster":
        """Read a model directory written by :meth:`save`."""
        return load_model(cls, path)
