"""A Forecaster to and from its model folder: fitted on one series (:mod:`lstmcast.forecast.persistence.one_series`) or on many
(:mod:`lstmcast.forecast.persistence.panel`), told apart by the folder's ``kind``."""

from __future__ import annotations

from pathlib import Path

from ...checkpoint import read_document
from .stored_values import choices_entry, future_entry, static_entry
from ..preparing.known import FutureSpec
from ..preparing.static import StaticSpec
from .panel import KIND as PANEL_KIND, load_panel_forecaster, save_panel_forecaster
from .one_series import load_forecaster, save_forecaster

__all__ = ["load_model", "save_model"]


def save_model(fc, path) -> Path:
    """Write the fitted Forecaster ``fc`` to the directory ``path``; returns its path."""
    params = fc.get_params(deep=False)
    choices = choices_entry(fc.season_, fc.patch_, fc.choices_, fc.combine_, fc.combinations_, fc.combine_note_)
    choices["future"] = future_entry(fc.__dict__.get("future_") or FutureSpec())
    choices["static"] = static_entry(fc.__dict__.get("static_") or StaticSpec())
    if fc.shape_ == "panel":
        return save_panel_forecaster(path, params, fc.panel_, fc.mode_, fc.states_, fc.naive_weights_, choices)
    return save_forecaster(path, params, fc.table_, fc.split_, fc.scaler_, fc.window_norm_, fc.members_,
                           fc.residuals_, fc.naive_weight_, choices)


def load_model(cls, path):
    """Rebuild a fitted ``cls`` (the Forecaster class, passed so that this module does not import it)
    from a directory written by :func:`save_model`."""
    if read_document(path).get("kind") == PANEL_KIND:
        parts = load_panel_forecaster(path, lambda params: cls(**params)._validate())
        fc = cls(**parts.params)
        fc.future_, fc.static_ = parts.future, parts.static  # (the networks' decoders read their columns)
        parts.restore(fc, fc._network_spec)
        return fc
    parts = load_forecaster(path, lambda params: cls(**params)._validate())
    fc = cls(**parts.params)
    fc.future_ = parts.future
    parts.restore(fc, fc._network_spec(parts.input_size))
    return fc
