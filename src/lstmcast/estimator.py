"""The scikit-learn estimator contract shared by the Forecaster and the CharModel.

Constructor arguments are stored unchanged (validated when fitting) and named in the
class's ``PARAMS``; :meth:`Estimator.get_params` lists them and
:meth:`Estimator.set_params` changes them, as scikit-learn defines both, so
``sklearn.base.clone`` gives an unfitted copy with the same parameters. Fitted models
also pickle and deep-copy (to send them to Dask or joblib workers) and forecast the same,
bit for bit; files to keep are the model folders of ``save`` (safetensors and JSON).

``inspector`` is the function behind an estimator's ``inspect`` method. The inspection
floor reads the estimators, so they do not import it: :mod:`lstmcast` (the package's
``__init__``, which Python runs before any of its modules) joins each estimator class to
its inspection function.
"""

from __future__ import annotations

__all__ = ["Estimator"]


class Estimator:
    """Constructor arguments listed, set and shown; a subclass names them in ``PARAMS``."""

    PARAMS: tuple[str, ...] = ()
    inspector = None  # set by lstmcast/__init__.py: staticmethod(inspector(model, ...))

    def get_params(self, deep: bool = True) -> dict:
        """The constructor arguments, as given.

        Parameters
        ----------
        deep : bool
            Also list the parameters of arguments that are estimators themselves, as
            ``name__parameter`` (scikit-learn's convention; none of ours are).

        Returns
        -------
        dict
            ``{name: value}`` for every name in ``PARAMS``.
        """
        params = {name: getattr(self, name) for name in self.PARAMS}
        if deep:
            for name, value in list(params.items()):
                if hasattr(value, "get_params") and not isinstance(value, type):
                    params.update({f"{name}__{key}": inner for key, inner in value.get_params().items()})
        return params

    def set_params(self, **params) -> "Estimator":
        """Change constructor arguments (checked when fitting, like the constructor's); returns ``self``.

        Raises
        ------
        ValueError
            Naming an argument the estimator does not have, and listing those it has.
        """
        for key, value in params.items():
            name, _, inner = key.partition("__")
            if name not in self.PARAMS:
                raise ValueError(f"set_params: {type(self).__name__} has no parameter {name!r} "
                                 f"(its parameters: {', '.join(self.PARAMS)})")
            if inner:
                if not hasattr(getattr(self, name), "set_params"):
                    raise ValueError(f"set_params: {key!r}: {name} of {type(self).__name__} is not an estimator")
                getattr(self, name).set_params(**{inner: value})
            else:
                setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = type(self)().get_params(deep=False)
        changed = ", ".join(f"{k}={v!r}" for k, v in self.get_params(deep=False).items() if v != defaults[k])
        return f"{type(self).__name__}({changed})"

    def _inspect(self, *args):
        """Call the inspection function joined to this class (see the module's docstring)."""
        if self.inspector is None:
            raise RuntimeError(f"{type(self).__name__}.inspect: lstmcast.inspection is not joined to it; "
                               "import lstmcast first")
        return self.inspector(self, *args)
