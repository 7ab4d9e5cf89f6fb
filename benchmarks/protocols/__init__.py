"""The validation protocols of ``benchmarks/suite.py``: every data set cut from its training part only.

| module | what it holds |
|---|---|
| ``cuts.py`` | ``Cut`` (the rows fitted on, the origins scored, where the never-scored part starts) and its checks |
| ``classical.py`` | AutoETS / AutoARIMA / AutoTheta / MSTL on the same windows, and their cache under ``benchmarks/.cache/`` |
| ``outcome.py`` | ``Outcome`` (one row: each seed's score, seconds, the classical scores, the baselines beside) and the Forecaster the protocols build |
| ``series.py`` | the one-series protocols: airline, temperatures, sunspots, Apple, ETTh1 |
| ``panels.py`` | the many-series protocols: M4 Hourly, synthetic panels |
| ``registry.py`` | ``Case`` and the list of every data set the suite knows, stubs included |
"""
