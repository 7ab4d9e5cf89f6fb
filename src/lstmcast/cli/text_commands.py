"""Placeholder until the text_commands commands land."""


def register(subparsers) -> None:
    """Adds nothing yet."""
