"""Read a plain-text training file, refusing what is not one with a one-line message."""

from __future__ import annotations

from pathlib import Path

from lstmcast.data.errors import DataError


def read_text_file(path) -> str:
    """Return the contents of a UTF-8 text file (a leading byte-order mark is dropped).

    Parameters
    ----------
    path : str or os.PathLike

    Raises
    ------
    DataError
        If the file is missing, a directory, unreadable, empty, binary (holds NUL
        bytes) or not valid UTF-8; the message names the file and, for bad bytes,
        their position.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if path.is_dir():
        raise DataError(f"{path} is a directory, not a text file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path} cannot be read: {err.strerror or err}") from None
    if not data:
        raise DataError(f"{path} is empty: give a text file with the text to learn")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataError(f"{path} looks binary, not text: it holds a NUL byte at byte offset {nul}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad = data[err.start : err.start + 1].hex()
        raise DataError(
            f"{path} is not valid UTF-8 text: byte 0x{bad} at byte offset {err.start}; "
            "save it as UTF-8 (for example with iconv -t UTF-8)"
        ) from None
    if not text:
        raise DataError(f"{path} is empty: give a text file with the text to learn")
    return text
