"""CharNet's backward: finite differences in float64 and PyTorch's autograd."""

import numpy as np
import pytest

from lstmcast.nn.gradcheck import gradcheck
from lstmcast.nn.losses import cross_entropy
from lstmcast.text.network import CharNet


def _inputs(seed=0, vocab=6, batch=3, steps=5, hidden=4, layers=2):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, vocab, (batch, steps))
    targets = rng.integers(0, vocab, (batch, steps))
    state = (0.5 * rng.standard_normal((layers, batch, hidden)), 0.5 * rng.standard_normal((layers, batch, hidden)))
    return ids, targets, state


def test_gradients_match_finite_differences_with_a_carried_state_and_dropout():
    net = CharNet(6, embedding_dim=3, hidden_size=4, num_layers=2, dropout=0.3, dtype="float64", seed=1)
    ids, targets, state = _inputs()

    def loss(outputs):
        logits, _ = outputs
        value, dlogits = cross_entropy(logits, targets)
        return value, dlogits

    errors = gradcheck(net, loss, [ids, state])
    assert set(errors) == {name for name, _, _ in net.named_parameters()}
    assert max(errors.values()) < 1e-6, errors


def test_forward_and_gradients_match_pytorch():
    torch = pytest.importorskip("torch")
    net = CharNet(6, embedding_dim=3, hidden_size=4, num_layers=2, dropout=0.0, dtype="float64", seed=2)
    ids, targets, (h0, c0) = _inputs(seed=3)

    class TorchCharNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = torch.nn.Embedding(6, 3)
            self.lstm = torch.nn.LSTM(3, 4, num_layers=2, batch_first=True)
            self.head = torch.nn.Linear(4, 6)

        def forward(self, x, state):
            out, state = self.lstm(self.embedding(x), state)
            return self.head(out), state

    ref = TorchCharNet().double()
    ref.load_state_dict({k: torch.from_numpy(v) for k, v in net.state_dict().items()})
    logits, (h_n, c_n) = net.forward(ids, (h0, c0))
    _, dlogits = cross_entropy(logits, targets)
    net.zero_grad()
    net.backward(dlogits)

    t_logits, (t_h, t_c) = ref(torch.from_numpy(ids), (torch.from_numpy(h0), torch.from_numpy(c0)))
    torch.nn.functional.cross_entropy(t_logits.reshape(-1, 6), torch.from_numpy(targets).reshape(-1)).backward()
    np.testing.assert_allclose(logits, t_logits.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h_n, t_h.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(c_n, t_c.detach().numpy(), rtol=1e-10, atol=1e-12)
    for name, _, grad in net.named_parameters():
        np.testing.assert_allclose(grad, dict(ref.named_parameters())[name].grad.numpy(), rtol=1e-8, atol=1e-12,
                                   err_msg=name)
