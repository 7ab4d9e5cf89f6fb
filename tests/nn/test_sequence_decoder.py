"""SequenceDecoder: gradients by finite differences, the recurrence over the steps, and PyTorch's LSTM + Linear."""

import numpy as np
import pytest

from lstmcast.nn.gradcheck import gradcheck
from lstmcast.nn.sequence_decoder import SequenceDecoder, sequence_decoder_shapes


def _decoder(seed=0):
    return SequenceDecoder(5, 3, 7, 2, dtype="float64", seed=seed)


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    summary, known = rng.standard_normal((4, 5)), rng.standard_normal((4, 6, 3))
    target = rng.standard_normal((4, 6, 2))

    def loss(d):
        return float(((d - target) ** 2).sum()), (2 * (d - target),)

    errors = gradcheck(_decoder(), loss, (summary, known), eps=1e-6)
    assert max(errors.values()) < 1e-6, errors
    assert {"lstm.weight_ih_l0", "lstm.weight_hh_l0", "out.weight", "input0"} <= set(errors)


def test_a_step_reads_the_known_values_of_its_own_and_earlier_steps_only():
    rng = np.random.default_rng(2)
    decoder = _decoder()
    summary, known = rng.standard_normal((3, 5)), rng.standard_normal((3, 4, 3))
    before = decoder.forward(summary, known)
    changed = known.copy()
    changed[:, 2] += 1.0
    after = decoder.forward(summary, changed)
    np.testing.assert_array_equal(after[:, :2], before[:, :2])
    assert np.abs(after[:, 2] - before[:, 2]).max() > 1e-3 and np.abs(after[:, 3] - before[:, 3]).max() > 1e-6


def test_shapes_match_the_state_dict_and_a_wrong_width_is_refused():
    decoder = _decoder()
    assert {k: v.shape for k, v in decoder.state_dict().items()} == sequence_decoder_shapes(5, 3, 7, 2)
    with pytest.raises(ValueError, match="known"):
        decoder.forward(np.zeros((2, 5)), np.zeros((2, 4, 2)))


def test_matches_torch_values_and_gradients():
    torch = pytest.importorskip("torch")
    decoder = _decoder(seed=3)
    rng = np.random.default_rng(4)
    summary, known = rng.standard_normal((4, 5)), rng.standard_normal((4, 6, 3))
    lstm, out = torch.nn.LSTM(8, 7, batch_first=True).double(), torch.nn.Linear(7, 2).double()
    state = decoder.state_dict()
    lstm.load_state_dict({k[len("lstm."):]: torch.from_numpy(v) for k, v in state.items() if k.startswith("lstm.")})
    out.load_state_dict({k[len("out."):]: torch.from_numpy(v) for k, v in state.items() if k.startswith("out.")})
    s = torch.from_numpy(summary).requires_grad_(True)
    z = torch.cat([s[:, None, :].expand(4, 6, 5), torch.from_numpy(known)], dim=2)
    expected = out(lstm(z)[0])
    weights = torch.from_numpy(rng.standard_normal((4, 6, 2)))
    (expected * weights).sum().backward()
    d = decoder.forward(summary, known)
    np.testing.assert_allclose(d, expected.detach().numpy(), rtol=0, atol=1e-13)
    dsummary = decoder.backward(weights.numpy())
    np.testing.assert_allclose(dsummary, s.grad.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(decoder.lstm.grads["weight_hh_l0"], lstm.weight_hh_l0.grad.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(decoder.out.grads["bias"], out.bias.grad.numpy(), rtol=0, atol=1e-12)
