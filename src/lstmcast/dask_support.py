"""Dask, the optional extra a cluster needs: importing it, or saying in one line how to install it."""

from __future__ import annotations

__all__ = ["DASK_HINT", "DaskMissing", "require_dask"]

DASK_HINT = "pip install 'lstmcast[dask]'"


class DaskMissing(ImportError):
    """Dask, the optional extra a cluster needs, cannot be imported; the message says how to install it."""


def require_dask(what: str):
    """``dask.distributed``, or :class:`DaskMissing` saying that ``what`` needs it and how to install it.

    Parameters
    ----------
    what : str
        What asked for a cluster, e.g. ``"workers=4"``, for the message.

    Returns
    -------
    module
        ``dask.distributed``.
    """
    try:
        import dask.distributed as distributed
    except ImportError:
        raise DaskMissing(f"{what} needs Dask, an optional extra: {DASK_HINT}") from None
    return distributed
