"""Every data set the suite knows: its protocol in words, its score, whether ``--quick`` runs it, how to run it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .covariates import run_covariates
from .panels import run_m4, run_synthetic
from .series import ETT_STEP, run_series


@dataclass(frozen=True)
class Case:
    """One data set of the suite.

    Attributes
    ----------
    name : str
        What ``--only`` names.
    protocol : str
        The validation protocol in a few words.
    metric : str
        The score (lower is better).
    quick : bool
        Whether ``--quick`` runs it.
    run : callable or None
        ``run(overrides, seeds, options) -> Outcome``; None for a stub.
    skipped : str
        Why a stub is not run.
    """

    name: str
    protocol: str
    metric: str
    quick: bool
    run: Callable | None = None
    skipped: str = ""


def _series(name: str) -> Callable:
    return lambda overrides, seeds, options: run_series(name, overrides, seeds, options.use_cache)


def _covariates(name: str) -> Callable:
    return lambda overrides, seeds, options: run_covariates(name, overrides, seeds, options.use_cache)


CASES = [
    Case("airline", "airline.py --validation: fit 1949-56, 13 origins 1957-01..1958-01, h=12", "MAE", True,
         _series("airline")),
    Case("temperatures", "airline.py --validation: fit 1981-86, 104 weekly origins from 1987, h=7", "MAE", False,
         _series("temperatures")),
    Case("sunspots", "fit rows 0-60%, origins every 6 months in 60-80%, h=12; tail 80-100% never scored",
         "MAE", False, _series("sunspots")),
    Case("apple", "Close, diff; fit to 2021-02-09, next-step origins 2021-02-10..2022-02-09 (year before test)",
         "MAE", True, _series("apple")),
    Case("etth1-24", f"OT; fit [0, 8640), windows in the validation months [8640, 11520) every {ETT_STEP} h, h=24",
         "MSE z", False, _series("etth1-24")),
    Case("etth1-96", f"OT; fit [0, 8640), windows in the validation months [8640, 11520) every {ETT_STEP} h, h=96",
         "MSE z", False, _series("etth1-96")),
    Case("m4-hourly", "last 48 h of each training series held out, fitted on the rest (test file unread)",
         "OWA", True, lambda overrides, seeds, options: run_m4(overrides, seeds, options.m4_series, options.use_cache)),
    Case("synthetic", "50 seasonal (levels 1-10^4, noise 1-30%) + 10 random walks, 240 rows; last 12 held out",
         "MASE", True, lambda overrides, seeds, options: run_synthetic(overrides, seeds, options.use_cache)),
    Case("epf-be", "epf.py --validation: fit to 2014-01-04, 364 days from 00:00 2014-01-05, h=24, 2 day-ahead columns known",
         "MAE", False, _covariates("epf-be")),
    Case("epf-de", "epf.py --validation: fit to 2015-01-04, 364 days from 00:00 2015-01-05, h=24, 2 day-ahead columns known",
         "MAE", False, _covariates("epf-de")),
    Case("bike", "bike.py --validation: fit to 2012-01-02, 182 days from 00:00 2012-01-03, h=24, hr/weekday/"
         "holiday/workingday known", "MAE", False, _covariates("bike")),
]
"""The suite's data sets, in the order of the table."""
