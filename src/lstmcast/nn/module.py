"""The base class every layer derives from.

A module owns two dicts with identical keys, ``params`` and ``grads``, holding its
own arrays; sub-modules assigned as attributes are registered automatically, and
their parameters appear under dotted names (``"lstm.weight_ih_l0"``), exactly as in
a PyTorch ``state_dict``.  ``backward`` *adds* into ``grads``; ``zero_grad`` clears.
"""

from __future__ import annotations

import copy
import itertools
from typing import Iterator

import numpy as np

DTYPES = {"float32": np.float32, "float64": np.float64}


def resolve_dtype(dtype) -> np.dtype:
    """Return the NumPy dtype for ``"float32"`` / ``"float64"`` (or the types themselves).

    Raises
    ------
    ValueError
        If ``dtype`` is anything else.
    """
    key = np.dtype(dtype).name if not isinstance(dtype, str) else dtype
    if key not in DTYPES:
        raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
    return np.dtype(DTYPES[key])


class Module:
    """Parameters, gradients, sub-modules and the train / eval switch."""

    def __init__(self) -> None:
        object.__setattr__(self, "_modules", {})
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.training = True

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, Module):
            self._modules[name] = value
        elif name in self.__dict__.get("_modules", {}):
            del self._modules[name]
        object.__setattr__(self, name, value)

    # -- parameters ---------------------------------------------------------
    def add_param(self, name: str, value: np.ndarray) -> np.ndarray:
        """Register ``value`` as a parameter with a zero gradient of the same shape."""
        self.params[name] = value
        self.grads[name] = np.zeros_like(value)
        return value

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """Yield ``(name, param, grad)`` for this module and every sub-module, depth first."""
        for name, value in self.params.items():
            yield prefix + name, value, self.grads[name]
        for child_name, child in self._modules.items():
            yield from child.named_parameters(prefix + child_name + ".")

    def num_parameters(self) -> int:
        """Total number of scalar parameters."""
        return int(sum(p.size for _, p, _ in self.named_parameters()))

    def zero_grad(self) -> None:
        """Set every gradient to zero, in place."""
        for _, _, grad in self.named_parameters():
            grad[...] = 0

    # -- modes --------------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        """Switch this module and its sub-modules to training mode (dropout on)."""
        self.training = mode
        for child in self._modules.values():
            child.train(mode)
        return self

    def eval(self) -> "Module":
        """Switch to evaluation mode (dropout off)."""
        return self.train(False)

    def replica(self, training: bool = False, seed=None) -> "Module":
        """A copy of this module tree for one call's forward passes, sharing the parameter arrays.

        The copy has its own mode, dropout generators and scratch space, so calls on
        replicas of one network may run at once (in threads) and none changes the
        network: ``forecast`` on a fitted model is a pure function of it and its arguments.

        Parameters
        ----------
        training : bool
            Dropout on (Monte-Carlo passes) or off.
        seed : int or sequence of int, optional
            With ``training=True``, required: the k-th module with a generator (in the
            order of the tree) draws its masks from ``default_rng([*seed, k])``.

        Raises
        ------
        ValueError
            If ``training`` is True and no ``seed`` is given.
        """
        if training and seed is None:
            raise ValueError("replica(training=True) needs a seed for the dropout masks")
        words = None if seed is None else [int(word) for word in np.atleast_1d(seed)]
        return self._replicate(training, words, itertools.count())

    def _replicate(self, training: bool, words: list[int] | None, counter) -> "Module":
        view = copy.copy(self)  # its own attributes; params and grads are the same dicts of arrays
        view.training = training
        if "_buffers" in view.__dict__:
            view._buffers = {}  # scratch arrays are written by every forward
        if training and isinstance(getattr(self, "rng", None), np.random.Generator):
            view.rng = np.random.default_rng([*words, next(counter)])  # eval views never draw
        object.__setattr__(view, "_modules", {})
        for name, child in self._modules.items():
            setattr(view, name, child._replicate(training, words, counter))
        return view

    # -- state --------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter, keyed by dotted name (PyTorch's names and layout)."""
        return {name: param.copy() for name, param, _ in self.named_parameters()}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Copy ``state`` into the parameters in place, checking keys and shapes.

        Raises
        ------
        ValueError
            Naming the missing, unexpected or mis-shaped keys.
        """
        own = {name: param for name, param, _ in self.named_parameters()}
        missing = sorted(set(own) - set(state))
        unexpected = sorted(set(state) - set(own))
        if missing or unexpected:
            raise ValueError(f"state_dict keys do not match: missing {missing}, unexpected {unexpected}")
        for name, param in own.items():
            value = np.asarray(state[name])
            if value.shape != param.shape:
                raise ValueError(
                    f"state_dict[{name!r}] has shape {value.shape}, expected {param.shape}"
                )
            param[...] = value


def stochastic_modules(module: Module) -> list[Module]:
    """Every module in the tree (``module`` included) with a Generator in attribute ``rng``."""
    found = []
    stack = [module]
    while stack:
        current = stack.pop()
        if isinstance(getattr(current, "rng", None), np.random.Generator):
            found.append(current)
        stack.extend(current._modules.values())
    return found
