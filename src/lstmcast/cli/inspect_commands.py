"""Placeholder until the inspect_commands commands land."""


def register(subparsers) -> None:
    """Adds nothing yet."""
