"""Text from data made safe to show on a terminal: control characters escaped, long lists cut.

A series id, a column name or a file's text may hold control characters (``\\x1b[31m``
recolours a terminal, ``\\r`` overwrites a line, ``\\u202e`` reverses it). Everything the
commands print goes through :func:`printable` (the console does it for every string it
renders, see :mod:`.output`; the error and warning lines do it too), so those characters
are shown as escapes such as ``\\x1b``. Files written (CSV, JSON) keep the values.
"""

from __future__ import annotations

import re

LISTED = 10
"""Items of a comma-separated list a one-line message shows before "and N more"."""

LINE_LIMIT = 2000
"""Characters of a one-line message shown at most (the rest is counted, not shown)."""

_ITEMS = re.compile(r"[^,;]*(?:, [^,;]*){%d,}" % LISTED)  # a clause of more than LISTED items


def printable(text: str, keep: str = "") -> str:
    """``text`` with every non-printable character (but those in ``keep``) written as its escape.

    Parameters
    ----------
    text : str
    keep : str
        Characters left as they are, e.g. ``"\\n\\t"`` for generated text.

    Returns
    -------
    str
        ``text`` itself when it is all printable (the common case, checked at C speed);
        otherwise ``\\x1b``, ``\\r``, ``\\u202e`` ... in place of the characters.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else repr(c)[1:-1] for c in text)


def cap_lists(message: str, limit: int = LISTED) -> str:
    """``message`` with each comma-separated list of more than ``limit`` items cut to its first
    ``limit``, then ``and N more``; and the whole cut to :data:`LINE_LIMIT` characters."""
    def cut(match):
        items = match.group(0).split(", ")
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"

    if message.count(", ") > limit:
        message = _ITEMS.sub(cut, message)
    if len(message) > LINE_LIMIT:
        message = message[:LINE_LIMIT] + f" ... ({len(message) - LINE_LIMIT:,} more characters)"
    return message


def one_line(message: str) -> str:
    """A message as one safe line: its lines joined, its lists cut, its control characters escaped."""
    return printable(cap_lists(" ".join(str(message).splitlines())))
