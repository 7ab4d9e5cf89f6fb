"""Check a module's backward against central finite differences, in float64.

Error measure, per parameter or input array, with a = analytic and n = numeric::

    error = max|a - n| / max(max|a| + max|n|, 1e-8)

It is taken over the whole array rather than element by element, so entries whose
true gradient is (nearly) zero cannot blow up the ratio with rounding noise, while a
wrong entry of the size of the gradient still shows up as an error of order one.
Two arrays that are both exactly zero score 0.
"""

from __future__ import annotations

import copy
from typing import Callable, Sequence

import numpy as np

from lstmcast.nn.module import Module, stochastic_modules

TINY = 1e-8


def _relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    if analytic.size == 0:
        return 0.0
    scale = float(np.max(np.abs(analytic)) + np.max(np.abs(numeric)))
    return float(np.max(np.abs(analytic - numeric))) / max(scale, TINY)


def _is_float_array(x) -> bool:
    return isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)


def gradcheck(module: Module, loss: Callable, inputs: Sequence, eps: float = 1e-6) -> dict[str, float]:
    """Compare ``module.backward`` with central finite differences of ``loss(module.forward(*inputs))``.

    Parameters
    ----------
    module : Module
        The module under test; every parameter must be float64.
    loss : callable
        ``loss(outputs) -> (value, grad_args)``: ``value`` a float, ``grad_args`` a tuple
        passed as ``module.backward(*grad_args)`` (a single array is taken as a 1-tuple).
    inputs : sequence
        Positional arguments of ``module.forward``. Float arrays (which must be float64)
        are checked too; integer arrays, masks and None are passed through unchanged.
    eps : float, default 1e-6
        Finite-difference step.

    Returns
    -------
    dict[str, float]
        The error (see the module docstring) per parameter name and per float input
        that backward returns a gradient for, named ``"input<i>"`` by position in ``inputs``.
        If backward returns a tuple or list, its entries belong to the float inputs in
        order; if it returns one array, that is the gradient of ``inputs[0]``; None means
        no input gradient.

    Notes
    -----
    Before every forward the generator state of each module in the tree with an ``rng``
    attribute is restored, so dropout draws the same mask in every evaluation; the
    states are left as they were at the start. Gradients are zeroed before the analytic
    pass and hold its result afterwards; parameters and inputs are restored exactly.

    Raises
    ------
    ValueError
        If ``eps`` is not positive, a parameter or float input is not float64, or backward
        returns more input gradients than there are float inputs.
    """
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps!r}")
    for name, param, _ in module.named_parameters():
        if param.dtype != np.float64:
            raise ValueError(f"module parameter {name!r} is {param.dtype}; gradcheck needs float64")
    inputs = [x.copy() if _is_float_array(x) else x for x in inputs]
    float_positions = [i for i, x in enumerate(inputs) if _is_float_array(x)]
    for i in float_positions:
        if inputs[i].dtype != np.float64:
            raise ValueError(f"inputs[{i}] is {inputs[i].dtype}; gradcheck needs float64")

    stochastic = stochastic_modules(module)
    saved_states = [copy.deepcopy(m.rng.bit_generator.state) for m in stochastic]

    def restore_generators() -> None:
        for m, state in zip(stochastic, saved_states):
            m.rng.bit_generator.state = copy.deepcopy(state)

    def evaluate() -> float:
        restore_generators()
        value, _ = loss(module.forward(*inputs))
        return float(value)

    # analytic pass
    module.zero_grad()
    restore_generators()
    _, grad_args = loss(module.forward(*inputs))
    if isinstance(grad_args, np.ndarray):
        grad_args = (grad_args,)
    returned = module.backward(*grad_args)
    analytic = {name: grad.copy() for name, _, grad in module.named_parameters()}
    input_grads: dict[int, np.ndarray] = {}
    if isinstance(returned, (tuple, list)):
        if len(returned) > len(float_positions):
            raise ValueError(
                f"backward returned {len(returned)} input gradients for {len(float_positions)} float inputs"
            )
        for position, grad in zip(float_positions, returned):
            if grad is not None:
                input_grads[position] = np.asarray(grad)
    elif returned is not None:
        if 0 not in float_positions:
            raise ValueError("backward returned one gradient but inputs[0] is not a float array")
        input_grads[0] = np.asarray(returned)

    def numeric_gradient(array: np.ndarray) -> np.ndarray:
        numeric = np.zeros(array.shape, dtype=np.float64)
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + eps
            plus = evaluate()
            array[index] = original - eps
            minus = evaluate()
            array[index] = original  # exact restore
            numeric[index] = (plus - minus) / (2.0 * eps)  # dL/dθ ≈ (L(θ+ε) - L(θ-ε)) / 2ε
        return numeric

    errors: dict[str, float] = {}
    for name, param, _ in module.named_parameters():
        errors[name] = _relative_error(analytic[name], numeric_gradient(param))
    for position, grad in input_grads.items():
        if grad.shape != inputs[position].shape:
            raise ValueError(
                f"backward's gradient for inputs[{position}] has shape {grad.shape}, "
                f"expected {inputs[position].shape}"
            )
        errors[f"input{position}"] = _relative_error(grad, numeric_gradient(inputs[position]))
    restore_generators()
    return errors
