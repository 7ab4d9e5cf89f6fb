"""Inspection: traces that reproduce the forecast, per-step gradients against finite
differences (and PyTorch), gate statistics against hand-computed values, window errors."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from lstmcast import Forecaster
from lstmcast.forecast.training.network import ForecastNet
from lstmcast.inspection import (Inspection, forget_half_life, gate_summary, inspect_text,
                                 inspect_window, saturated_share, state_gradients)
from lstmcast.nn.functional import log_softmax
from lstmcast.text.charmodel import CharModel

EPS = 1e-6


def _series(n=60, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 100 + 10 * np.sin(2 * np.pi * t / 12) + t + rng.normal(0, 1, n)
    return pd.DataFrame({"y": values}, index=pd.date_range("2000-01-01", periods=n, freq="MS"))


def _fitted(dtype="float32", **kwargs):
    params = dict(look_back=8, horizon=3, hidden_size=3, epochs=2, val_fraction=0.0, patience=None,
                  verbose=False, seed=0, dtype=dtype)
    params.update(kwargs)
    return Forecaster(**params).fit(_series())


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _reference_lstm(lstm, inputs: np.ndarray, nudge=None) -> np.ndarray:
    """Top-layer outputs (T, D*H) for ``inputs`` (T, I), re-running every recurrence by hand.

    ``nudge = (layer, direction, t, "h" or "c", unit, eps)`` adds ``eps`` to that state
    right after step t computes it (a nudged c_t also changes h_t = o_t tanh c_t) and
    runs everything after it forward from there.
    """
    H, D = lstm.hidden_size, lstm.num_directions
    layer_in = np.asarray(inputs, np.float64)  # (T, I)
    T = layer_in.shape[0]
    for layer in range(lstm.num_layers):
        outs = []
        for direction in range(D):
            sfx = f"_l{layer}" + ("_reverse" if direction else "")
            w_ih, w_hh = lstm.params["weight_ih" + sfx], lstm.params["weight_hh" + sfx]
            b = lstm.params["bias_ih" + sfx] + lstm.params["bias_hh" + sfx]
            h, c = np.zeros(H), np.zeros(H)
            out = np.zeros((T, H))
            for t in (range(T) if direction == 0 else range(T - 1, -1, -1)):
                z = w_ih @ layer_in[t] + w_hh @ h + b
                i, f, g, o = _sigmoid(z[:H]), _sigmoid(z[H:2 * H]), np.tanh(z[2 * H:3 * H]), _sigmoid(z[3 * H:])
                c = f * c + i * g
                here = nudge is not None and nudge[:3] == (layer, direction, t)
                if here and nudge[3] == "c":
                    c = c + nudge[5] * np.eye(H)[nudge[4]]
                h = o * np.tanh(c)
                if here and nudge[3] == "h":
                    h = h + nudge[5] * np.eye(H)[nudge[4]]
                out[t] = h
            outs.append(out)
        layer_in = np.concatenate(outs, axis=1)  # (T, D*H)
    return layer_in


def _reference_output(net: ForecastNet, x: np.ndarray, nudge=None) -> float:
    """Sum of the forecast outputs for the window x (1, T, F), by hand (see ``_reference_lstm``)."""
    top = _reference_lstm(net.lstm, x[0], nudge)[None]  # (1, T, D*H)
    H = net.lstm.hidden_size
    if net.attention is not None:
        summary = net.attention.forward(top)
    elif net.lstm.num_directions == 1:
        summary = top[:, -1]
    else:
        summary = np.concatenate([top[:, -1, :H], top[:, 0, H:]], axis=1)
    return float(net.head.forward(summary).sum())


def _finite_differences(net, x, T, output=_reference_output):
    """Central differences of ``output(net, x, nudge)`` with respect to every h_t and c_t."""
    grads = {}
    H = net.lstm.hidden_size
    for layer in range(net.lstm.num_layers):
        for direction in range(net.lstm.num_directions):
            for which in ("h", "c"):
                g = np.zeros((T, H))
                for t in range(T):
                    for unit in range(H):
                        up = output(net, x, (layer, direction, t, which, unit, EPS))
                        down = output(net, x, (layer, direction, t, which, unit, -EPS))
                        g[t, unit] = (up - down) / (2 * EPS)
                grads[(layer, direction, which)] = g
    return grads


def _relative_error(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)) + np.max(np.abs(b)), 1e-300))


def _window_input(fc, window=-1):
    values = fc.table_.values
    start = window % (len(values) - fc.look_back + 1)
    x_scaled = fc.scaled(values)[start:start + fc.look_back][None]  # (1, T, F)
    return fc.network_inputs(x_scaled).x  # (1, T, F)


# ------------------------------------------------------------------ gradients
@pytest.mark.parametrize("num_layers, bidirectional, attention", [
    (1, False, False), (2, False, True), (2, True, False), (1, True, True),
])
def test_step_gradients_equal_finite_differences(num_layers, bidirectional, attention):
    fc = _fitted("float64", num_layers=num_layers, bidirectional=bidirectional, attention=attention)
    ins = inspect_window(fc, window=-1)
    x = _window_input(fc)
    numeric = _finite_differences(fc.network_, x, fc.look_back)
    for (layer, direction) in ins.keys:
        for which, analytic in (("h", ins.grad_h), ("c", ins.grad_c)):
            fd = numeric[(layer, direction, which)]
            assert _relative_error(analytic[(layer, direction)], fd) < 1e-6, (layer, direction, which)
        # the statement: the per-step norms are those of the finite differences
        fd_norm_h = np.linalg.norm(numeric[(layer, direction, "h")], axis=1)
        fd_norm_c = np.linalg.norm(numeric[(layer, direction, "c")], axis=1)
        np.testing.assert_allclose(ins.grad_h_norm(layer, direction), fd_norm_h, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(ins.grad_c_norm(layer, direction), fd_norm_c, rtol=1e-6, atol=1e-9)
    fd_x = np.zeros(x.shape[1:])  # (T, F)
    for index in np.ndindex(*fd_x.shape):
        nudge = np.zeros_like(x)
        nudge[(0, *index)] = EPS
        up, down = _reference_output(fc.network_, x + nudge), _reference_output(fc.network_, x - nudge)
        fd_x[index] = (up - down) / (2 * EPS)
    assert _relative_error(ins.grad_x, fd_x) < 1e-6
    np.testing.assert_allclose(ins.grad_x_norm(), np.abs(fd_x[:, 0]), rtol=1e-6, atol=1e-9)


def test_input_gradient_equals_the_engines_backward():
    net = ForecastNet(2, 3, 4, 2, True, 0.0, 0.0, True, dtype="float64", seed=5)
    net.eval()
    x = np.random.default_rng(1).standard_normal((2, 7, 2))
    y = net.forward(x, record=True)
    from lstmcast.inspection.tracing import _output_gradient

    d_out = _output_gradient(net, np.ones_like(y))
    _, _, dx = state_gradients(net.lstm, d_out)
    net.zero_grad()
    np.testing.assert_allclose(dx, net.backward(np.ones_like(y)), rtol=1e-10, atol=1e-13)


def test_step_gradients_match_torch_autograd():
    torch = pytest.importorskip("torch")
    fc = _fitted("float64", hidden_size=4)
    ins = inspect_window(fc, window=3)
    lstm, head = fc.network_.lstm, fc.network_.head
    x = torch.tensor(_window_input(fc, 3)[0])  # (T, 1)
    cell = torch.nn.LSTMCell(1, 4, dtype=torch.float64)
    cell.load_state_dict({k.removesuffix("_l0"): torch.tensor(v) for k, v in lstm.state_dict().items()})
    h = c = torch.zeros(1, 4, dtype=torch.float64)
    hs, cs = [], []
    for t in range(x.shape[0]):
        h, c = cell(x[t:t + 1], (h, c))
        h.retain_grad(), c.retain_grad()
        hs.append(h), cs.append(c)
    out = h @ torch.tensor(head.params["weight"]).T + torch.tensor(head.params["bias"])
    out.sum().backward()
    np.testing.assert_allclose(ins.grad_h[(0, 0)], np.concatenate([v.grad.numpy() for v in hs]), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ins.grad_c[(0, 0)], np.concatenate([v.grad.numpy() for v in cs]), rtol=1e-10, atol=1e-14)


def test_state_gradients_refuse_a_missing_trace_and_training_dropout():
    net = ForecastNet(1, 2, 3, 2, False, 0.3, 0.0, False, dtype="float64", seed=0)
    net.eval()
    net.forward(np.zeros((1, 4, 1)))  # no record
    with pytest.raises(ValueError, match="trace"):
        state_gradients(net.lstm, np.zeros((1, 4, 3)))
    net.forward(np.zeros((1, 4, 1)), record=True)
    with pytest.raises(ValueError, match="d_out"):
        state_gradients(net.lstm, np.zeros((1, 5, 3)))
    net.train()
    with pytest.raises(ValueError, match="evaluation mode"):
        state_gradients(net.lstm, np.zeros((1, 4, 3)))


# ---------------------------------------------------------------------- trace
@pytest.mark.parametrize("attention", [False, True])
def test_traces_reproduce_the_forecast_exactly(attention):
    fc = _fitted("float32", num_layers=2, attention=attention, dropout=0.2)
    fc.predict()  # leaves the network in training mode; inspection must not use dropout
    ins = inspect_window(fc, window=-1)
    np.testing.assert_array_equal(ins.output, fc.forecast().to_numpy()[:, 0])
    assert ins.output_labels == [d.strftime("%Y-%m-%d") for d in fc.forecast().index]

    net = fc.network_
    net.eval()
    top = ins.gates[(1, 0)]["h"].astype(np.float32)[None]  # (1, T, H): float32 values, exactly
    summary = net.attention.forward(top) if attention else top[:, -1]
    raw = net.head.forward(summary)  # (1, horizon), window-normalised
    x_scaled = fc.scaled(fc.table_.values)[-fc.look_back:][None]  # (1, T, F)
    restored = fc.network_inputs(x_scaled).restore(raw)  # (1, horizon) scaled units
    np.testing.assert_array_equal(fc.scaler_.inverse_transform_target(restored)[0], ins.output)
    if attention:
        np.testing.assert_array_equal(ins.attention, net.attention.weights[0].astype(np.float64))
        assert ins.attention.shape == (fc.look_back,) and math.isclose(ins.attention.sum(), 1.0, rel_tol=1e-6)
    else:
        assert ins.attention is None


def test_traces_follow_the_lstm_equations():
    fc = _fitted("float64", num_layers=2, bidirectional=True)
    ins = inspect_window(fc, window=5)
    lstm, H, T = fc.network_.lstm, 3, fc.look_back
    layer_in = _window_input(fc, 5)[0]  # (T, 1)
    for layer in range(2):
        for direction in range(2):
            tr = ins.gates[(layer, direction)]
            sfx = f"_l{layer}" + ("_reverse" if direction else "")
            w_ih, w_hh = lstm.params["weight_ih" + sfx], lstm.params["weight_hh" + sfx]
            b = lstm.params["bias_ih" + sfx] + lstm.params["bias_hh" + sfx]
            order = list(range(T)) if direction == 0 else list(range(T - 1, -1, -1))
            h_prev, c_prev = np.zeros(H), np.zeros(H)
            for t in order:
                z = w_ih @ layer_in[t] + w_hh @ h_prev + b
                np.testing.assert_allclose(tr["i"][t], _sigmoid(z[:H]), atol=1e-12)
                np.testing.assert_allclose(tr["f"][t], _sigmoid(z[H:2 * H]), atol=1e-12)
                np.testing.assert_allclose(tr["g"][t], np.tanh(z[2 * H:3 * H]), atol=1e-12)
                np.testing.assert_allclose(tr["o"][t], _sigmoid(z[3 * H:]), atol=1e-12)
                np.testing.assert_allclose(tr["c"][t], tr["f"][t] * c_prev + tr["i"][t] * tr["g"][t], atol=1e-12)
                np.testing.assert_allclose(tr["h"][t], tr["o"][t] * np.tanh(tr["c"][t]), atol=1e-12)
                h_prev, c_prev = tr["h"][t], tr["c"][t]
        layer_in = np.concatenate([ins.gates[(layer, 0)]["h"], ins.gates[(layer, 1)]["h"]], axis=1)


# -------------------------------------------------------------------- windows
def test_window_picks_the_rows_it_names():
    fc = _fitted()
    df = _series()
    n = len(df) - fc.look_back + 1
    first = inspect_window(fc, df, window=0)
    assert first.window == 0 and first.labels[0] == "2000-01-01" and len(first.labels) == fc.look_back
    np.testing.assert_array_equal(first.series, df["y"].to_numpy()[:fc.look_back])
    last = inspect_window(fc, df, window=-1)
    assert last.window == n - 1 and last.labels[-1] == df.index[-1].strftime("%Y-%m-%d")
    # a window whose targets are known forecasts the same as predict() does for it
    middle = inspect_window(fc, df, window=10)
    np.testing.assert_allclose(middle.output, fc.predict(df).iloc[10].to_numpy(), rtol=1e-6)
    assert middle.output_labels[0] == df.index[10 + fc.look_back].strftime("%Y-%m-%d")


@pytest.mark.parametrize("window", [53, -54, 1000, 1.0, True, "last"])
def test_bad_window_is_a_clear_error(window):
    fc = _fitted()  # 60 rows, look_back 8 -> 53 windows, valid -53 .. 52
    with pytest.raises(ValueError, match=r"window must be an int in \[-53, 52\]"):
        inspect_window(fc, window=window)


def test_unfitted_forecaster_is_refused():
    with pytest.raises(ValueError, match="not fitted"):
        inspect_window(Forecaster(verbose=False))


# ---------------------------------------------------------------- statistics
def test_forget_half_life_uses_the_geometric_mean():
    f = np.array([[0.5, 0.9, 1.0, 0.25],
                  [0.5, 0.9, 1.0, 1.0]])  # (T=2, H=4)
    half = forget_half_life(f)
    assert half[0] == pytest.approx(1.0)  # halves every step
    assert half[1] == pytest.approx(math.log(2) / -math.log(0.9))  # 6.58 steps
    assert half[2] == math.inf  # never forgets
    assert half[3] == pytest.approx(1.0)  # 0.25 then 1.0: half per step on average


def test_saturation_and_means_by_hand():
    assert saturated_share(np.array([0.01, 0.5, 0.97, 0.96]), "f") == 0.75
    assert saturated_share(np.array([-0.99, 0.5, 0.96, 0.0]), "g") == 0.5
    with pytest.raises(ValueError, match="gate"):
        saturated_share(np.zeros(3), "c")
    gates = {"i": np.full((4, 2), 0.5), "f": np.array([[0.5, 1.0]] * 4), "o": np.array([[0.0, 1.0]] * 4),
             "g": np.array([[-1.0, 0.2]] * 4)}
    s = gate_summary(gates)
    assert s["i"] == {"mean": 0.5, "saturated": 0.0}
    assert s["o"]["saturated"] == 1.0 and s["o"]["mean"] == 0.5
    assert s["g"]["mean"] == pytest.approx(-0.4) and s["g"]["saturated"] == 0.5
    assert s["f"]["mean"] == 0.75 and s["f"]["median_half_life"] == math.inf
    np.testing.assert_array_equal(s["f"]["half_life"], [1.0, math.inf])


def test_to_dict_is_json_with_every_number():
    fc = _fitted(num_layers=2, bidirectional=True, attention=True)
    ins = inspect_window(fc, window=-2)
    ins.gates[(0, 0)]["f"][:, 0] = 1.0  # an infinite half-life must become null, not Infinity
    doc = json.loads(json.dumps(ins.to_dict(), allow_nan=False))
    assert doc["kind"] == "forecast" and doc["window"] == ins.window
    assert [(e["layer"], e["direction"]) for e in doc["layers"]] == [
        (0, "forward"), (0, "reverse"), (1, "forward"), (1, "reverse")]
    entry = doc["layers"][3]
    np.testing.assert_array_equal(np.array(entry["g"]), ins.gates[(1, 1)]["g"])
    np.testing.assert_array_equal(np.array(entry["grad_c_norm"]), ins.grad_c_norm(1, 1))
    assert doc["layers"][0]["summary"]["f"]["half_life"][0] is None
    assert len(doc["attention"]) == fc.look_back and len(doc["output"]) == fc.horizon


def test_layer_and_direction_are_checked():
    ins = inspect_window(_fitted(num_layers=2))
    assert ins.key(-1) == (1, 0) and ins.key(0) == (0, 0)
    with pytest.raises(ValueError, match=r"layer must be an int in \[-2, 1\]"):
        ins.grad_h_norm(2)
    with pytest.raises(ValueError, match="direction must be 0"):
        ins.summary(0, 1)
    assert isinstance(ins, Inspection) and ins.num_layers == 2 and ins.num_directions == 1


# ----------------------------------------------------------------------- text
TEXT = "the cat sat on the mat.\nthe dog sat on the log.\n" * 3


def _charmodel(dtype="float64", num_layers=2):
    return CharModel(hidden_size=4, num_layers=num_layers, embedding_dim=3, seq_len=8, batch_size=4, epochs=1,
                     steps_per_epoch=3, dropout=0.1 if num_layers > 1 else 0.0, verbose=False,
                     dtype=dtype).fit(TEXT)


def test_text_step_gradients_equal_finite_differences():
    model = _charmodel()
    passage = "the dog sat"
    ins = inspect_text(model, passage)
    net = model.network_
    vectors = net.embedding.params["weight"][model.vocab_.encode(passage)][None]  # (1, T, E)
    best = int(np.argmax(ins.output))

    def log_p_best(net, x, nudge=None):
        top = _reference_lstm(net.lstm, x[0], nudge)  # (T, H)
        return float(log_softmax(net.head.forward(top[-1]))[best])

    numeric = _finite_differences(net, vectors, len(passage), output=log_p_best)
    for key in ins.keys:
        assert _relative_error(ins.grad_h[key], numeric[(*key, "h")]) < 1e-6, key
        assert _relative_error(ins.grad_c[key], numeric[(*key, "c")]) < 1e-6, key
        np.testing.assert_allclose(ins.grad_h_norm(*key), np.linalg.norm(numeric[(*key, "h")], axis=1),
                                   rtol=1e-6, atol=1e-9)
    assert ins.objective.endswith(repr(model.vocab_.chars[best]))


def test_text_traces_reproduce_the_models_prediction_exactly():
    model = _charmodel("float32", num_layers=1)
    passage = "the cat sat on"
    ins = inspect_text(model, passage)
    assert ins.kind == "text" and ins.labels == list(passage) and ins.output_labels == list(model.vocab_.chars)
    logits, _ = model.network_.forward(model.vocab_.encode(passage)[None])  # (1, T, V)
    expected = np.exp(log_softmax(logits[0, -1].astype(np.float64)))
    np.testing.assert_array_equal(ins.output, expected)
    h = ins.gates[(0, 0)]["h"].astype(np.float32)  # (T, H), float32 exactly
    np.testing.assert_array_equal(model.network_.head.forward(h)[-1], logits[0, -1])
    assert ins.series is None and ins.attention is None and ins.grad_x.shape == (len(passage), 3)


def test_text_errors_are_clear():
    model = _charmodel(num_layers=1)
    with pytest.raises(ValueError, match="not in the model's vocabulary: 'Z'"):
        inspect_text(model, "the Zoo")
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        inspect_text(model, "")
    with pytest.raises(ValueError, match="not fitted"):
        inspect_text(CharModel(verbose=False), "the")


def test_a_quantile_model_is_inspected_through_its_median():
    fc = _fitted("float64", loss="quantile", quantiles=(0.1, 0.5, 0.9))
    ins = inspect_window(fc, window=-1)
    np.testing.assert_allclose(ins.output, fc.forecast()["y"].to_numpy(), rtol=1e-12)
    x_scaled = fc.scaled(fc.table_.values)[-fc.look_back:][None]  # (1, T, F)
    x = fc.network_inputs(x_scaled).x  # (1, T, F) window-normalised, as the network reads it
    fc.network_.eval()

    def objective(inputs):
        return fc.network_.forward(inputs)[0, :, 1].sum()  # the median's outputs

    numeric = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += EPS
        minus[index] -= EPS
        numeric[index] = (objective(plus) - objective(minus)) / (2 * EPS)
    np.testing.assert_allclose(ins.grad_x, numeric[0], rtol=1e-6, atol=1e-8)


def test_inspection_agrees_across_backends():
    """Traces and per-step gradients come out the same from the compiled sweeps and the NumPy reference."""
    from lstmcast.nn import set_backend

    fc = _fitted("float64", num_layers=2, bidirectional=True, attention=True)
    compiled = inspect_window(fc, window=5)
    previous = set_backend("numpy")
    try:
        reference = inspect_window(fc, window=5)
    finally:
        set_backend(previous)
    np.testing.assert_allclose(compiled.output, reference.output, rtol=0, atol=1e-12)
    for key in reference.gates:
        for name in "ifgoch":
            np.testing.assert_allclose(compiled.gates[key][name], reference.gates[key][name], rtol=0, atol=1e-12)
        np.testing.assert_allclose(compiled.grad_h[key], reference.grad_h[key], rtol=0, atol=1e-10)
        np.testing.assert_allclose(compiled.grad_c[key], reference.grad_c[key], rtol=0, atol=1e-10)
    np.testing.assert_allclose(compiled.grad_x, reference.grad_x, rtol=0, atol=1e-10)
