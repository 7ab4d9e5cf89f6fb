"""Placeholder until the stock_commands commands land."""


def register(subparsers) -> None:
    """Adds nothing yet."""
