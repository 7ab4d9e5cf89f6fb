"""Cases of kind api: the same mistakes through Forecaster."""

from __future__ import annotations

from .checks import api_result
from .core import case, py


API = """\
from lstmcast import Forecaster
import numpy as np, pandas as pd
kw = dict(look_back=6, horizon=3, hidden_size=4, epochs=2, verbose=False)
"""
for name, code, expect, names, mech in [
    ("look-back-string", "Forecaster(**{**kw, 'look_back': '6'}).fit('a.csv')", "refuse", ("look_back",), 0),
    ("look-back-float", "Forecaster(**{**kw, 'look_back': 6.5}).fit('a.csv')", "refuse", ("look_back",), 0),
    ("hidden-negative", "Forecaster(**{**kw, 'hidden_size': -1}).fit('a.csv')", "refuse", ("hidden_size",), 0),
    ("quantiles-string", "Forecaster(**kw, loss='quantile', quantiles='0.5').fit('a.csv')", "refuse", ("quantiles",), 0),
    ("dtype-float16", "Forecaster(**kw, dtype='float16').fit('a.csv')", "refuse", ("dtype",), 0),
    ("seed-negative", "Forecaster(**kw, seed=-1).fit('a.csv')", "refuse", ("seed",), 10),
    ("data-integer", "Forecaster(**kw).fit(42)", "refuse", ("data",), 0),
    ("data-empty-frame", "Forecaster(**kw).fit(pd.DataFrame())", "refuse", ("data", "empty", "rows", "column"), 0),
    ("data-object-column", "df = pd.read_csv('a.csv'); df['Passengers'] = df['Passengers'].astype(str) + 'x'\n"
     "Forecaster(**kw).fit(df, date_column='Month')", "refuse", ("Passengers",), 0),
    ("data-inf", "df = pd.read_csv('a.csv'); df.loc[10, 'Passengers'] = np.inf\n"
     "Forecaster(**kw).fit(df, date_column='Month')", "refuse", ("Passengers",), 4),
    ("target-missing", "Forecaster(**kw).fit('a.csv', target='nope')", "refuse", ("nope",), 0),
    ("id-column-missing", "Forecaster(**kw).fit('a.csv', id_column='nope')", "refuse", ("nope",), 0),
    ("forecast-before-fit", "Forecaster(**kw).forecast()", "refuse", ("fit",), 0),
    ("coverage-2", "Forecaster.load('m').forecast(coverage=2)", "refuse", ("coverage",), 0),
    ("start-aware-on-naive", "Forecaster.load('m').evaluate('a.csv', start='1955-01-01T00:00+05:00', strong=False)",
     "refuse", ("start",), 5),
    ("start-timestamp-utc", "Forecaster.load('m').evaluate('a.csv', start=pd.Timestamp('1955-01-01', tz='UTC'), "
     "strong=False)", "refuse", ("start",), 5),
    ("load-missing", "Forecaster.load('nope')", "refuse", ("nope",), 0),
    ("predict-too-short", "Forecaster.load('m').predict(pd.read_csv('a.csv', index_col=0, parse_dates=True).iloc[:4])",
     "refuse", ("look_back", "rows", "short"), 0),
    ("forecast-other-columns", "df = pd.read_csv('a.csv', index_col=0, parse_dates=True).rename(columns="
     "{'Passengers': 'Other'})\nForecaster.load('m').forecast(df)", "refuse", ("Passengers",), 0),
    ("backtest-step-0", "Forecaster(**kw).backtest('a.csv', start=0.9, step=0, strong=False)", "refuse", ("step",), 0),
]:
    case("api", name, py(API + code), fixtures=("a.csv", "m"), expect=expect, names=names, mech=mech)

for name, code, expect, names, mech in [
    ("start-negative-vs-row", "fc = Forecaster.load('m')\n"
     "a = fc.evaluate('a.csv', start=-40, strong=False).attrs['windows']\n"
     "b = fc.evaluate('a.csv', start=104, strong=False).attrs['windows']\n"
     "assert a == b, f'start=-40 scores {a} windows, start=104 {b}'\nprint('OK')", "either", ("start",), 9),
    ("naive-start-on-aware-data", "df = pd.read_csv('a.csv', index_col=0, parse_dates=True)\n"
     "df.index = df.index.tz_localize('UTC')\nfc = Forecaster(**kw).fit(df)\n"
     "fc.evaluate(df, start='1959-01-01', strong=False)\nprint('OK')", "either", ("start",), 5),
    ("concurrent-forecasts", "import concurrent.futures as cf\nfc = Forecaster.load('m')\n"
     "with cf.ThreadPoolExecutor(4) as pool:\n"
     "    outs = list(pool.map(lambda _: fc.forecast(coverage=0.9), range(8)))\n"
     "assert all(o.equals(outs[0]) for o in outs), 'concurrent forecasts differ'\nprint('OK')", "ok", (), 0),
    ("concurrent-saves", "import concurrent.futures as cf\nfc = Forecaster.load('m')\n"
     "def save(_):\n    try:\n        fc.save('saved')\n    except ValueError as e:\n        return str(e)\n"
     "with cf.ThreadPoolExecutor(4) as pool:\n    said = list(pool.map(save, range(4)))\n"
     "back = Forecaster.load('saved').forecast()\nassert back.equals(fc.forecast()), 'saved model differs'\n"
     "print('OK')", "ok", (), 0),
    ("concurrent-fit-and-forecast", "import concurrent.futures as cf\nfc = Forecaster.load('m')\n"
     "ref = fc.forecast()\n"
     "with cf.ThreadPoolExecutor(2) as pool:\n"
     "    f1 = pool.submit(lambda: Forecaster(**kw).fit('a.csv').forecast())\n"
     "    f2 = pool.submit(lambda: [fc.forecast() for _ in range(5)])\n"
     "    f1.result(); outs = f2.result()\n"
     "assert all(o.equals(ref) for o in outs), 'forecast changed while another model trained'\nprint('OK')", "ok", (), 0),
    ("numpy-array-data", "Forecaster(**kw).fit(np.sin(np.arange(100) / 3.0))\nprint('OK')", "either", ("data",), 0),
    ("unique-id-frame", "rows = [(s, d, 10 * k + np.sin(i / 2)) for k, s in enumerate('abc', 1) "
     "for i, d in enumerate(pd.date_range('2020-01-01', periods=40))]\n"
     "df = pd.DataFrame(rows, columns=['unique_id', 'ds', 'y'])\n"
     "out = Forecaster(**kw).fit(df).forecast()\nassert out['unique_id'].nunique() == 3, out\nprint('OK')",
     "ok", (), 0),
    ("save-missing-parent", "Forecaster.load('m').save('nodir/sub/m2')\nForecaster.load('nodir/sub/m2')\nprint('OK')",
     "either", ("nodir",), 0),
    ("huge-value-1e308", "df = pd.read_csv('a.csv', index_col=0, parse_dates=True).astype(float)\n"
     "df.iloc[10, 0] = 1e308\n"
     "out = Forecaster(**kw).fit(df).forecast(coverage=0.9)\nassert np.isfinite(out.to_numpy()).all(), out\n"
     "print('OK')", "either", ("Passengers",), 4),
]:
    case("api", name, py(API + code), fixtures=("a.csv", "m"), expect=expect, names=names, mech=mech,
         check=api_result)
