"""One line that says how the model fared against the baselines it was scored beside."""

from __future__ import annotations

import pandas as pd

from .metrics import compare_to_baseline


def verdict_line(metrics: pd.DataFrame, model: str = "LSTM", not_run: dict[str, str] | None = None) -> str:
    """``model`` against naive on MAE, against the strongest of all the others, and what was not run.

    Parameters
    ----------
    metrics : pandas.DataFrame
        Output of :func:`~lstmcast.forecast.scores.metrics.metrics_table`.
    model : str
        The row being judged.
    not_run : dict of str to str, optional
        Baselines that were not scored, with the reason (e.g. statsforecast missing).

    Returns
    -------
    str
        E.g. ``"LSTM MAE is 60.1% lower than naive (31 vs 77.8); strongest: AutoARIMA
        (MAE 18.1); LSTM does NOT beat AutoARIMA: MAE 71.3% higher (31 vs 18.1)"``.
    """
    verdicts = [compare_to_baseline(metrics, model, "naive")]
    others = metrics.drop(index=model)["MAE"]
    strongest = metrics["MAE"].idxmin()
    verdicts.append(f"strongest: {strongest} (MAE {metrics.loc[strongest, 'MAE']:.4g})")
    best_other = others.idxmin()
    if best_other != "naive":
        verdicts.append(compare_to_baseline(metrics, model, best_other))
    if not_run:
        reasons = sorted(set(not_run.values()))
        verdicts.append(f"not run: {', '.join(not_run)} ({'; '.join(reasons)})")
    return "; ".join(verdicts)
