"""What a model directory may store: plain JSON values and plain numeric arrays.

See :mod:`lstmcast.checkpoint` for the rules; :func:`to_jsonable` converts NumPy values
and tuples, :func:`check_json` and :func:`check_arrays` refuse anything else with the
path to the offending value.
"""

from __future__ import annotations

import math

import numpy as np

from .format import ARRAY_DTYPES, MAX_JSON_ARRAY_SIZE, CheckpointError

def to_jsonable(obj):
    """Return ``obj`` with NumPy values and tuples turned into plain JSON types.

    NumPy bools, ints, floats and strings become ``bool``, ``int``, ``float`` and
    ``str``; arrays (at most :data:`MAX_JSON_ARRAY_SIZE` elements) become nested
    lists of those; tuples become lists; dicts and lists are converted item by
    item.  Python ``str``, ``int``, ``float``, ``bool`` and ``None`` are returned as
    they are (NaN and infinity too: :func:`save_checkpoint` refuses them).

    Parameters
    ----------
    obj : object
        A value built from dicts, lists, tuples, Python and NumPy scalars and small
        NumPy arrays.

    Returns
    -------
    object
        The same value made only of dict, list, str, int, float, bool and None.

    Raises
    ------
    ValueError
        If ``obj`` holds an array larger than ``MAX_JSON_ARRAY_SIZE``, a complex,
        object or date array or scalar, a dict key that is not a string, or any
        other type; the message gives the path to the value.
    """
    return _to_jsonable(obj, "obj")


def _to_jsonable(obj, where: str):
    if isinstance(obj, np.generic):  # first: np.float64 and np.str_ are also float and str
        if isinstance(obj, (np.bool_, np.integer, np.floating, np.str_)):
            return obj.item()
        raise ValueError(f"{where} is a numpy {obj.dtype} scalar, which has no JSON form")
    if obj is None or type(obj) in (bool, str, int, float):
        return obj
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, int) and not isinstance(obj, bool):
        return int(obj)  # IntEnum and other int subclasses
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "biuf" and obj.dtype.kind != "U":
            raise ValueError(f"{where} is a numpy {obj.dtype} array, which has no JSON form")
        if obj.size > MAX_JSON_ARRAY_SIZE:
            raise ValueError(
                f"{where} is an array of {obj.size} elements, more than {MAX_JSON_ARRAY_SIZE} "
                "for JSON; store it with the weights instead"
            )
        return obj.tolist()
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if isinstance(key, np.str_):
                key = str(key)
            if not isinstance(key, str):
                raise ValueError(f"{where} has key {key!r}; JSON object keys must be strings")
            out[key] = _to_jsonable(value, f"{where}[{key!r}]")
        return out
    if isinstance(obj, (list, tuple)):
        return [_to_jsonable(value, f"{where}[{i}]") for i, value in enumerate(obj)]
    raise ValueError(f"{where} is a {type(obj).__name__}, which has no JSON form")


def check_json(obj, where: str, path_on_stack: frozenset = frozenset()) -> None:
    """Raise CheckpointError unless ``obj`` is plain JSON that loads back equal to itself."""
    kind = type(obj)
    if obj is None or kind in (bool, str, int):
        return
    if kind is float:
        if not math.isfinite(obj):
            raise CheckpointError(
                f"{where} is {obj!r}; JSON has no NaN or infinity, store None or a string instead"
            )
        return
    if kind in (dict, list):
        if id(obj) in path_on_stack:
            raise CheckpointError(f"{where} contains itself; JSON cannot hold a cycle")
        inner = path_on_stack | {id(obj)}
        if kind is dict:
            for key, value in obj.items():
                if type(key) is not str:
                    raise CheckpointError(
                        f"{where} has key {key!r} ({type(key).__name__}); "
                        "JSON object keys must be str"
                    )
                check_json(value, f"{where}[{key!r}]", inner)
        else:
            for i, value in enumerate(obj):
                check_json(value, f"{where}[{i}]", inner)
        return
    if isinstance(obj, (np.generic, np.ndarray, tuple)):
        raise CheckpointError(
            f"{where} is a {kind.__module__}.{kind.__name__}, not plain JSON; "
            "convert it with lstmcast.checkpoint.to_jsonable first"
        )
    raise CheckpointError(f"{where} is a {kind.__name__}, which has no JSON form")


def check_arrays(arrays, where: str) -> dict[str, np.ndarray]:
    """Return ``arrays`` as contiguous little-endian ndarrays, or raise naming the bad key."""
    if not isinstance(arrays, dict):
        raise CheckpointError(
            f"{where} must be a dict of str -> numpy array, got {type(arrays).__name__}"
        )
    checked = {}
    for key, value in arrays.items():
        if not isinstance(key, str) or not key or key == "__metadata__":
            raise CheckpointError(
                f"{where} has key {key!r}; keys must be non-empty strings other than '__metadata__'"
            )
        try:
            array = np.asarray(value)
        except ValueError as error:
            raise CheckpointError(f"{where}[{key!r}] is not an array: {error}") from None
        if np.dtype(array.dtype.newbyteorder("<")) not in ARRAY_DTYPES:
            raise CheckpointError(
                f"{where}[{key!r}] has dtype {array.dtype}; only bool, int8-64, uint8-64 and "
                "float16/32/64 arrays can be saved"
            )
        # np.asarray, not np.ascontiguousarray: the latter turns a 0-d array into shape (1,)
        checked[key] = np.asarray(array, dtype=array.dtype.newbyteorder("<"), order="C")
    return checked
