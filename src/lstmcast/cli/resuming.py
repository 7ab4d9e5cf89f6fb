"""``--resume`` and Ctrl-C, shared by ``train`` and ``text train``."""

from __future__ import annotations

from rich.text import Text

from .output import console
from .shown import printable

EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), also when the best weights were saved."""

NOT_SETTINGS = ("epochs", "verbose", "max_minutes")
"""Parameters a resumed run may change: how long it trains and what it shows."""


def resume_epochs(saved, asked, defaults, epochs: int | None, where) -> int | None:
    """Set ``saved.epochs`` to the epochs left to train and return the total asked for.

    A saved Forecaster with ``epochs=None`` planned its epochs from its data; without
    ``epochs`` it keeps ``None`` and the resumed fit finishes that plan (``None`` is returned).

    Parameters
    ----------
    saved : estimator
        The loaded model (Forecaster or CharModel) to continue.
    asked : estimator
        The one the command-line flags describe.
    defaults : estimator
        One with the default settings: a flag left at its default is not a request.
    epochs : int or None
        ``--epochs``: epochs in all; ``None`` keeps the saved model's setting.
    where : str
        The model folder, for messages.

    Raises
    ------
    ValueError
        If a flag asks for a setting other than the saved model's, or the model has
        already trained ``epochs`` epochs.
    """
    have, want, default = saved.get_params(), asked.get_params(), defaults.get_params()
    for name, value in want.items():
        if name not in NOT_SETTINGS and value != default[name] and value != have[name]:
            raise ValueError(f"{name}={value} differs from the {have[name]} of the model in {where}: "
                             "--resume continues that model with its own settings")
    total = have["epochs"] if epochs is None else epochs
    if total is None:  # the model plans its own epochs: the resumed fit trains what is left of the plan
        return None
    done = saved.history_.epochs
    if total <= done:
        raise ValueError(f"the model in {where} has trained {done} epochs, as many as epochs={total}: "
                         "pass a larger epochs= (epochs in all) to train more")
    saved.epochs = total - done
    return total


def say_if_interrupted(history, path, resume_command: str, kept_best: bool) -> int:
    """After saving: say that Ctrl-C ended the training and how to go on; the exit status.

    ``kept_best``: the model holds its best validation epoch's weights (early
    stopping), not the last epoch's.
    """
    if not history.interrupted:
        return 0
    best = f"the best weights so far (epoch {history.best_epoch})" if kept_best and history.best_epoch else \
        f"the weights after epoch {history.epochs}"
    console.print(Text.assemble(("interrupted", "bold"), printable(
        f" after {history.epochs} complete epochs: saved {best} to {path}; continue with: {resume_command}")))
    return EXIT_INTERRUPTED
