"""Optimisers (SGD, Adam, AdamW), gradient clipping and learning-rate schedules.

Each optimiser walks ``module.named_parameters()`` at every step and updates the
parameter arrays *in place* (the arrays are shared with the layers), in the
parameters' own dtype. The update rules follow ``torch.optim`` line by line, so the
same gradients give the same parameters. ``state_dict()`` returns
``(arrays, meta)``: arrays keyed ``"<buffer>.<parameter name>"`` for a safetensors
file, and a JSON-serialisable dict with the step count and hyperparameters;
``load_state_dict(arrays, meta)`` restores both so resumed training is bit-identical.
"""

from __future__ import annotations

import math

import numpy as np

from lstmcast.nn.module import Module


class Optimizer:
    """Shared machinery: the module, the learning rate, per-parameter buffers, the step count.

    Subclasses name their buffers in ``buffer_names`` and implement ``_update``.
    """

    buffer_names: tuple[str, ...] = ()

    def __init__(self, module: Module, lr: float, weight_decay: float) -> None:
        if not isinstance(module, Module):
            raise ValueError(f"module must be a lstmcast.nn Module, got {type(module).__name__}")
        if not lr >= 0:
            raise ValueError(f"lr must be >= 0, got {lr!r}")
        if not weight_decay >= 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay!r}")
        self.module = module
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.step_count = 0
        # buffers[buffer][param name]: zeros give exactly torch's first step (0 * beta + x == x)
        self.buffers: dict[str, dict[str, np.ndarray]] = {
            buffer: {name: np.zeros_like(param) for name, param, _ in module.named_parameters()}
            for buffer in self.buffer_names
        }

    # -- the update ---------------------------------------------------------
    def step(self) -> None:
        """Apply one update to every parameter from its current gradient, in place."""
        self.step_count += 1
        for name, param, grad in self.module.named_parameters():
            self._update(name, param, grad)

    def _update(self, name: str, param: np.ndarray, grad: np.ndarray) -> None:
        raise NotImplementedError

    def zero_grad(self) -> None:
        """Set every gradient of the module to zero, in place."""
        self.module.zero_grad()

    # -- state --------------------------------------------------------------
    def hyperparameters(self) -> dict:
        """The hyperparameters as JSON-serialisable values (``lr`` included)."""
        return {"lr": self.lr, "weight_decay": self.weight_decay}

    def _set_hyperparameters(self, meta: dict) -> None:
        self.lr = float(meta["lr"])
        self.weight_decay = float(meta["weight_decay"])

    def state_dict(self) -> tuple[dict[str, np.ndarray], dict]:
        """Return ``(arrays, meta)``: copies of the buffers and the step count plus hyperparameters."""
        arrays = {
            f"{buffer}.{name}": value.copy()
            for buffer, per_param in self.buffers.items()
            for name, value in per_param.items()
        }
        meta = {"type": type(self).__name__, "step": self.step_count, **self.hyperparameters()}
        return arrays, meta

    def load_state_dict(self, arrays: dict[str, np.ndarray], meta: dict) -> None:
        """Restore buffers, step count and hyperparameters from :meth:`state_dict` output.

        Raises
        ------
        ValueError
            If ``meta`` is for another optimiser or ``arrays`` has missing,
            unexpected or mis-shaped keys.
        """
        if meta.get("type") != type(self).__name__:
            raise ValueError(f"meta is for optimiser {meta.get('type')!r}, expected {type(self).__name__!r}")
        expected = {
            f"{buffer}.{name}": value
            for buffer, per_param in self.buffers.items()
            for name, value in per_param.items()
        }
        missing = sorted(set(expected) - set(arrays))
        unexpected = sorted(set(arrays) - set(expected))
        if missing or unexpected:
            raise ValueError(f"arrays keys do not match: missing {missing}, unexpected {unexpected}")
        for key, target in expected.items():
            value = np.asarray(arrays[key])
            if value.shape != target.shape:
                raise ValueError(f"arrays[{key!r}] has shape {value.shape}, expected {target.shape}")
        for key, target in expected.items():
            target[...] = arrays[key]
        self.step_count = int(meta["step"])
        self._set_hyperparameters(meta)


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, Nesterov and L2 weight decay.

    As ``torch.optim.SGD`` with ``dampening=0``::

        g = grad + weight_decay * p
        buf = momentum * buf + g            (buf = g on the first step)
        g = g + momentum * buf if nesterov else buf
        p -= lr * g

    Parameters
    ----------
    module : Module
    lr : float
    momentum : float, default 0.0
    weight_decay : float, default 0.0
    nesterov : bool, default False
        Needs ``momentum > 0``.
    """

    def __init__(self, module: Module, lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False) -> None:
        if not momentum >= 0:
            raise ValueError(f"momentum must be >= 0, got {momentum!r}")
        if nesterov and momentum <= 0:
            raise ValueError("nesterov=True needs momentum > 0")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.buffer_names = ("momentum_buffer",) if self.momentum > 0 else ()
        super().__init__(module, lr, weight_decay)

    def _update(self, name: str, param: np.ndarray, grad: np.ndarray) -> None:
        g = grad + self.weight_decay * param if self.weight_decay else grad
        if self.momentum:
            buf = self.buffers["momentum_buffer"][name]
            buf *= self.momentum
            buf += g  # buf = momentum * buf + g
            g = g + self.momentum * buf if self.nesterov else buf
        param -= self.lr * g

    def hyperparameters(self) -> dict:
        return {**super().hyperparameters(), "momentum": self.momentum, "nesterov": self.nesterov}

    def _set_hyperparameters(self, meta: dict) -> None:
        super()._set_hyperparameters(meta)
        if float(meta["momentum"]) != self.momentum:
            raise ValueError(f"meta has momentum {meta['momentum']!r}, this optimiser {self.momentum!r}")
        self.nesterov = bool(meta["nesterov"])


class Adam(Optimizer):
    """Adam with L2 weight decay added to the gradient, as ``torch.optim.Adam``::

        g = grad + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g^2
        p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    Parameters
    ----------
    module : Module
    lr : float, default 1e-3
    betas : (float, float), default (0.9, 0.999)
    eps : float, default 1e-8
    weight_decay : float, default 0.0
    """

    buffer_names = ("exp_avg", "exp_avg_sq")
    decoupled = False

    def __init__(self, module: Module, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        if len(betas) != 2 or not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas!r}")
        if not eps >= 0:
            raise ValueError(f"eps must be >= 0, got {eps!r}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = float(eps)
        super().__init__(module, lr, weight_decay)

    def _update(self, name: str, param: np.ndarray, grad: np.ndarray) -> None:
        beta1, beta2 = self.betas
        if self.decoupled:
            param *= 1.0 - self.lr * self.weight_decay  # AdamW: p = p - lr * wd * p
            g = grad
        else:
            g = grad + self.weight_decay * param if self.weight_decay else grad
        m = self.buffers["exp_avg"][name]
        v = self.buffers["exp_avg_sq"][name]
        m *= beta1
        m += (1.0 - beta1) * g
        v *= beta2
        v += (1.0 - beta2) * (g * g)
        step_size = self.lr / (1.0 - beta1 ** self.step_count)
        bias_correction2_sqrt = math.sqrt(1.0 - beta2 ** self.step_count)
        denom = np.sqrt(v) / bias_correction2_sqrt + self.eps
        param -= step_size * (m / denom)

    def hyperparameters(self) -> dict:
        return {**super().hyperparameters(), "betas": list(self.betas), "eps": self.eps}

    def _set_hyperparameters(self, meta: dict) -> None:
        super()._set_hyperparameters(meta)
        self.betas = (float(meta["betas"][0]), float(meta["betas"][1]))
        self.eps = float(meta["eps"])


class AdamW(Adam):
    """Adam with decoupled weight decay, as ``torch.optim.AdamW``: ``p *= 1 - lr * wd`` first.

    Parameters
    ----------
    module : Module
    lr : float, default 1e-3
    betas : (float, float), default (0.9, 0.999)
    eps : float, default 1e-8
    weight_decay : float, default 1e-2
    """

    decoupled = True

    def __init__(self, module: Module, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2) -> None:
        super().__init__(module, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)


def clip_grad_norm(module: Module, max_norm: float) -> float:
    """Scale all gradients in place so their joint L2 norm is at most ``max_norm``.

    As ``torch.nn.utils.clip_grad_norm_``: the factor is
    ``min(1, max_norm / (total_norm + 1e-6))``.

    Returns
    -------
    float
        The total L2 norm of all gradients before clipping.

    Raises
    ------
    ValueError
        If ``max_norm`` is not positive.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm!r}")
    grads = [grad for _, _, grad in module.named_parameters()]
    total = math.sqrt(sum(float(np.linalg.norm(g.ravel())) ** 2 for g in grads))
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for grad in grads:
            grad *= coef
    return total


class _Schedule:
    """A learning-rate schedule: ``step()`` advances ``last_epoch`` and sets ``optimizer.lr``."""

    def __init__(self, optimizer) -> None:
        if not hasattr(optimizer, "lr"):
            raise ValueError(f"optimizer must have an lr attribute, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self.base_lr = float(optimizer.lr)
        self.last_epoch = 0

    def lr_at(self, epoch: int) -> float:
        raise NotImplementedError

    def step(self) -> float:
        """Advance one epoch, set and return the optimiser's new learning rate."""
        self.last_epoch += 1
        self.optimizer.lr = self.lr_at(self.last_epoch)
        return self.optimizer.lr

    def settings(self) -> dict:
        raise NotImplementedError

    def state_dict(self) -> dict:
        """A JSON-serialisable dict: the schedule type, its settings, base_lr and last_epoch."""
        return {"type": type(self).__name__, "base_lr": self.base_lr,
                "last_epoch": self.last_epoch, **self.settings()}

    def load_state_dict(self, state: dict) -> None:
        """Restore from :meth:`state_dict` output and set the optimiser's lr to match.

        Raises
        ------
        ValueError
            If ``state`` is for another schedule or other settings.
        """
        if state.get("type") != type(self).__name__:
            raise ValueError(f"state is for schedule {state.get('type')!r}, expected {type(self).__name__!r}")
        for key, value in self.settings().items():
            if state[key] != value:
                raise ValueError(f"state has {key}={state[key]!r}, this schedule {value!r}")
        self.base_lr = float(state["base_lr"])
        self.last_epoch = int(state["last_epoch"])
        self.optimizer.lr = self.lr_at(self.last_epoch)


class StepLR(_Schedule):
    """``lr = base_lr * gamma ** (epoch // step_size)``, as ``torch.optim.lr_scheduler.StepLR``.

    Parameters
    ----------
    optimizer : Optimizer
    step_size : int
        Epochs between decays.
    gamma : float, default 0.1
        Multiplicative decay.
    """

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1) -> None:
        if int(step_size) != step_size or step_size < 1:
            raise ValueError(f"step_size must be a positive int, got {step_size!r}")
        if not gamma > 0:
            raise ValueError(f"gamma must be positive, got {gamma!r}")
        super().__init__(optimizer)
        self.step_size = int(step_size)
        self.gamma = float(gamma)

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma ** (epoch // self.step_size)

    def settings(self) -> dict:
        return {"step_size": self.step_size, "gamma": self.gamma}


class CosineAnnealingLR(_Schedule):
    """``lr = eta_min + (base_lr - eta_min) (1 + cos(pi epoch / T_max)) / 2``.

    The closed form of ``torch.optim.lr_scheduler.CosineAnnealingLR`` (which keeps
    following the cosine after ``T_max``).

    Parameters
    ----------
    optimizer : Optimizer
    T_max : int
        Epochs from ``base_lr`` down to ``eta_min``.
    eta_min : float, default 0.0
    """

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0) -> None:
        if int(T_max) != T_max or T_max < 1:
            raise ValueError(f"T_max must be a positive int, got {T_max!r}")
        if not eta_min >= 0:
            raise ValueError(f"eta_min must be >= 0, got {eta_min!r}")
        super().__init__(optimizer)
        self.T_max = int(T_max)
        self.eta_min = float(eta_min)

    def lr_at(self, epoch: int) -> float:
        cosine = (1.0 + math.cos(math.pi * epoch / self.T_max)) / 2.0
        return self.eta_min + (self.base_lr - self.eta_min) * cosine

    def settings(self) -> dict:
        return {"T_max": self.T_max, "eta_min": self.eta_min}
