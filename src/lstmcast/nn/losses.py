"""Loss functions: each returns ``(loss, dloss)``, the mean loss and its gradient.

The reductions are means, matching PyTorch's defaults, so ``dloss`` already carries
the ``1 / N`` factor and can be passed straight to a layer's ``backward``.
"""

from __future__ import annotations

import numpy as np

from lstmcast.nn.functional import log_softmax


def _float_array(x, name: str) -> np.ndarray:
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    if x.size == 0:
        raise ValueError(f"{name} must not be empty")
    return x


def _matching_target(pred: np.ndarray, target) -> np.ndarray:
    target = np.asarray(target, dtype=pred.dtype)
    if target.shape != pred.shape:
        raise ValueError(f"target must have the shape of pred {pred.shape}, got {target.shape}")
    return target


def mse_loss(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error, as ``torch.nn.functional.mse_loss``.

    Parameters
    ----------
    pred, target : ndarray of the same shape

    Returns
    -------
    loss : float
        mean((pred - target)^2)
    dpred : ndarray
        2 (pred - target) / N, in pred's dtype.

    Raises
    ------
    ValueError
        If ``pred`` is empty or ``target`` has another shape.
    """
    pred = _float_array(pred, "pred")
    target = _matching_target(pred, target)
    diff = pred - target
    loss = np.mean(diff * diff)  # L = mean(d^2)
    dpred = diff * pred.dtype.type(2.0 / diff.size)  # dL/dpred = 2 d / N
    return float(loss), dpred


def huber_loss(pred: np.ndarray, target: np.ndarray, delta: float = 1.0) -> tuple[float, np.ndarray]:
    """Huber loss, as ``torch.nn.functional.huber_loss``.

    Per element, with d = pred - target: 0.5 d^2 if |d| < delta, else
    delta (|d| - 0.5 delta); the mean over all elements.

    Parameters
    ----------
    pred, target : ndarray of the same shape
    delta : float, default 1.0
        Where the loss turns from quadratic to linear; must be positive.

    Returns
    -------
    loss : float
    dpred : ndarray
        clip(d, -delta, delta) / N, in pred's dtype.

    Raises
    ------
    ValueError
        If ``delta`` is not positive, ``pred`` is empty or ``target`` has another shape.
    """
    if not delta > 0:
        raise ValueError(f"delta must be positive, got {delta!r}")
    pred = _float_array(pred, "pred")
    target = _matching_target(pred, target)
    diff = pred - target
    absdiff = np.abs(diff)
    quadratic = absdiff < delta
    # L = 0.5 d^2 (|d| < delta), delta (|d| - delta / 2) otherwise
    elementwise = np.where(quadratic, 0.5 * diff * diff, delta * (absdiff - 0.5 * delta))
    loss = np.mean(elementwise)
    # dL/dd = d (|d| < delta), delta sign(d) otherwise: clip(d, -delta, delta)
    dpred = np.clip(diff, -delta, delta) * pred.dtype.type(1.0 / diff.size)
    return float(loss), dpred.astype(pred.dtype, copy=False)


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy with integer class targets, mean over all positions.

    Parameters
    ----------
    logits : ndarray, shape (B, V) or (B, T, V)
        Unnormalised scores over V classes.
    targets : int ndarray, shape (B,) or (B, T)
        The class index at each position, in [0, V).

    Returns
    -------
    loss : float
        mean over positions of -log softmax(logits)[target], as
        ``torch.nn.functional.cross_entropy`` (classes on the last axis here).
    dlogits : ndarray
        (softmax(logits) - onehot(targets)) / N, in logits' dtype.

    Raises
    ------
    ValueError
        If ``logits`` is not 2-D or 3-D, or ``targets`` has the wrong shape, dtype or range.
    """
    logits = _float_array(logits, "logits")
    if logits.ndim not in (2, 3):
        raise ValueError(f"logits must have shape (B, V) or (B, T, V), got {logits.shape}")
    targets = np.asarray(targets)
    if targets.shape != logits.shape[:-1]:
        raise ValueError(f"targets must have shape {logits.shape[:-1]}, got {targets.shape}")
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(f"targets must be an integer array, got dtype {targets.dtype}")
    classes = logits.shape[-1]
    if targets.min() < 0 or targets.max() >= classes:
        raise ValueError(
            f"targets must lie in [0, {classes}), got values in [{targets.min()}, {targets.max()}]"
        )
    flat_logits = logits.reshape(-1, classes)  # (N, V)
    flat_targets = targets.reshape(-1)  # (N,)
    count = flat_targets.size
    logp = log_softmax(flat_logits, axis=-1)  # (N, V)
    rows = np.arange(count)
    loss = -np.mean(logp[rows, flat_targets])  # L = -mean_n log p_n[y_n]
    dlogits = np.exp(logp)  # (N, V)   dL/dlogits = (p - onehot(y)) / N
    dlogits[rows, flat_targets] -= 1.0
    dlogits *= logits.dtype.type(1.0 / count)
    return float(loss), dlogits.reshape(logits.shape)  # (B, [T,] V)


def pinball_loss(pred: np.ndarray, target: np.ndarray, quantiles) -> tuple[float, np.ndarray]:
    """Pinball (quantile) loss, the mean over all elements and quantiles.

    Per element, with d = target - pred[..., k] and τ = quantiles[k]:
    ``max(τ d, (τ - 1) d)``, minimised in expectation by the τ-quantile of the target.

    Parameters
    ----------
    pred : ndarray, shape (..., Q)
        One forecast per quantile on the last axis.
    target : ndarray, shape (...)
        The outcomes, the shape of ``pred`` without its last axis.
    quantiles : sequence of float, length Q, each in (0, 1)

    Returns
    -------
    loss : float
    dpred : ndarray
        ``(1[d < 0] - τ) / N`` with N = pred.size (at d = 0 the gradient taken is ``-τ / N``).

    Raises
    ------
    ValueError
        If the shapes do not match or a quantile is outside (0, 1).
    """
    pred = _float_array(pred, "pred")
    tau = np.asarray(quantiles, dtype=pred.dtype)
    if tau.ndim != 1 or tau.size != pred.shape[-1] or not np.all((tau > 0) & (tau < 1)):
        raise ValueError(f"quantiles must be {pred.shape[-1]} numbers in (0, 1), got {quantiles!r}")
    target = np.asarray(target, dtype=pred.dtype)
    if target.shape != pred.shape[:-1]:
        raise ValueError(f"target must have shape {pred.shape[:-1]}, got {target.shape}")
    diff = target[..., None] - pred  # (..., Q)
    loss = np.mean(np.maximum(tau * diff, (tau - 1) * diff))  # L = mean max(τ d, (τ - 1) d)
    dpred = ((diff < 0).astype(pred.dtype) - tau) * pred.dtype.type(1.0 / diff.size)  # dL/dpred = -dL/dd
    return float(loss), dpred
