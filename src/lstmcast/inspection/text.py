"""Inspect a fitted CharModel on one passage.

The passage is read from the zero state, one character per step; step k's values
are those after reading character k. The scalar whose gradients are reported is
the **log-probability the model gives to its most likely next character** after
the whole passage (that character is fixed once chosen), so ``‖dL/dh_t‖`` says how
much character t still moves the model's prediction at the end.
"""

from __future__ import annotations

import numpy as np

from ..nn.functional import log_softmax
from .gradients import state_gradients
from .result import Inspection


def inspect_text(charmodel, text: str) -> Inspection:
    """Gate traces and per-step gradient norms of a character model over ``text``.

    Parameters
    ----------
    charmodel : lstmcast.text.charmodel.CharModel
        A fitted (or loaded) model.
    text : str
        The passage, every character in the model's vocabulary.

    Returns
    -------
    Inspection
        ``labels`` are the characters; ``output`` is the next-character distribution
        after the passage (``output_labels`` the vocabulary); ``grad_x`` is the
        gradient with respect to the character embeddings.

    Raises
    ------
    ValueError
        If the model is not fitted, ``text`` is empty or not a string, or has
        characters outside the vocabulary.
    """
    if not hasattr(charmodel, "network_"):
        raise ValueError("this CharModel is not fitted yet: call fit(text) first")
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string: the passage to inspect")
    vocab = charmodel.vocab_
    ids = vocab.encode(text, "text")[None]  # (1, T)
    net = charmodel.network_
    was_training = net.training
    net.eval()
    try:
        vectors = net.embedding.forward(ids)  # (1, T, E)
        hidden, _ = net.lstm.forward(vectors, record=True)  # (1, T, H)
        logits = net.head.forward(net.dropout.forward(hidden))[:, -1]  # (1, V), as CharNet.forward
        log_p = log_softmax(logits.astype(np.float64), axis=-1)  # (1, V)
        best = int(np.argmax(log_p[0]))
        d_logits = -np.exp(log_p)  # (1, V)  d log p_best / d logits = onehot(best) - p
        d_logits[0, best] += 1.0
        d_out = np.zeros(hidden.shape)  # (1, T, H): only the last step feeds the prediction
        d_out[:, -1] = d_logits @ net.head.params["weight"].astype(np.float64)  # (1, V) @ (V, H)
        grad_h, grad_c, grad_x = state_gradients(net.lstm, d_out)
        gates = {key: {name: np.asarray(v[0], np.float64) for name, v in trace.items()}  # (T, H) each
                 for key, trace in net.lstm.trace.items()}
    finally:
        net.train(was_training)
    return Inspection(
        kind="text",
        window=0,
        labels=list(text),
        gates=gates,
        grad_h={key: g[0] for key, g in grad_h.items()},
        grad_c={key: g[0] for key, g in grad_c.items()},
        objective=f"log-probability of the most likely next character, {vocab.chars[best]!r}",
        output=np.exp(log_p[0]),
        output_labels=list(vocab.chars),
        grad_x=grad_x[0],
    )
