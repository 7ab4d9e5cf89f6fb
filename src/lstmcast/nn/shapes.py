"""Parameter shapes of the engine's layers, computed from their sizes without allocating.

A network built from untrusted sizes (a model folder's config.json, a command-line
``--hidden``) could ask for terabytes. These functions give the shapes a layer *would*
have, so a caller can compare them with a weights file's header or refuse a size
before anything is allocated. Every function is tested against the real layer's
``state_dict()``.
"""

from __future__ import annotations

import math

MAX_PARAMETERS = 200_000_000
"""The most parameters lstmcast builds a network with (0.8 GB of float32 weights; training
holds about four times that: weights, gradients and Adam's two moments)."""


def lstm_shapes(input_size: int, hidden_size: int, num_layers: int = 1,
                bidirectional: bool = False) -> dict[str, tuple[int, ...]]:
    """Shapes of :class:`lstmcast.nn.LSTM`'s parameters, keyed as in its ``state_dict``."""
    H, D = int(hidden_size), 2 if bidirectional else 1
    shapes = {}
    for layer in range(int(num_layers)):
        layer_input = int(input_size) if layer == 0 else H * D
        for direction in range(D):
            sfx = f"_l{layer}" + ("_reverse" if direction else "")
            shapes["weight_ih" + sfx] = (4 * H, layer_input)
            shapes["weight_hh" + sfx] = (4 * H, H)
            shapes["bias_ih" + sfx] = (4 * H,)
            shapes["bias_hh" + sfx] = (4 * H,)
    return shapes


def dense_shapes(in_features: int, out_features: int, bias: bool = True) -> dict[str, tuple[int, ...]]:
    """Shapes of :class:`lstmcast.nn.Dense`'s parameters."""
    shapes = {"weight": (int(out_features), int(in_features))}
    if bias:
        shapes["bias"] = (int(out_features),)
    return shapes


def attention_shapes(hidden_size: int, attention_size: int | None = None) -> dict[str, tuple[int, ...]]:
    """Shapes of :class:`lstmcast.nn.Attention`'s parameters."""
    size = int(hidden_size) if attention_size is None else int(attention_size)
    return {"weight": (size, int(hidden_size)), "bias": (size,), "v": (size,)}


def embedding_shapes(num_embeddings: int, embedding_dim: int) -> dict[str, tuple[int, ...]]:
    """Shapes of :class:`lstmcast.nn.Embedding`'s parameters."""
    return {"weight": (int(num_embeddings), int(embedding_dim))}


def prefixed(prefix: str, shapes: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
    """``shapes`` with ``prefix + "."`` before every key (a sub-layer's place in a network)."""
    return {f"{prefix}.{key}": shape for key, shape in shapes.items()}


def check_parameter_count(shapes: dict[str, tuple[int, ...]], settings: str) -> int:
    """Return the number of parameters, or raise if it is over :data:`MAX_PARAMETERS`.

    Parameters
    ----------
    shapes : dict of str to tuple of int
        A network's parameter shapes.
    settings : str
        The sizes that gave them, for the message (``"hidden_size=100000000"``).

    Raises
    ------
    ValueError
        Saying the count and the limit.
    """
    count = sum(math.prod(shape) for shape in shapes.values())
    if count > MAX_PARAMETERS:
        raise ValueError(
            f"{settings} gives a network of {count:.3g} parameters, more than the limit of "
            f"{MAX_PARAMETERS:,} ({MAX_PARAMETERS * 4 / 1e9:.1f} GB as float32); use smaller sizes"
        )
    return count
