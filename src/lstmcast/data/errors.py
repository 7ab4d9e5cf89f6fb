"""The one exception a user's data can raise.

A ``DataError`` means the data, not the code, is wrong: a missing file, an unknown
column, a value that is not a number, a date that appears twice.  Its message is a
single line that names the file (or ``"DataFrame"``), the column and the row, so the
command line can print it as it is, without a traceback.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager


class DataError(ValueError):
    """A mistake in the user's data, described in one line.

    It derives from ``ValueError`` so that code catching bad input in general also
    catches it; code that wants to tell data mistakes apart catches ``DataError``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).splitlines()))


class DataWarning(UserWarning):
    """Data that can be used but is not what it seems: dates with gaps, irregular spacing.

    The message is one line naming the file and what to pass to repair it; the
    command line prints it as ``lstmcast: warning: ...``.
    """


@contextmanager
def quiet_data_warnings():
    """Silence :class:`DataWarning` inside the block: for re-reading a table whose warning was already given."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        yield
