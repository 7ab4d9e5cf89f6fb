"""Shared by the CLI tests: a small airline model trained through the command line."""

from lstmcast.cli import main
from lstmcast.data.datasets import dataset_path

AIRLINE_SMALL = ["--look-back", "12", "--horizon", "6", "--hidden", "8", "--quiet"]


def train_airline_model(out, epochs: int = 3):
    """Train ``lstmcast train airline --target Passengers`` into ``out`` (asserting exit 0); returns ``out``."""
    argv = ["train", str(dataset_path("airline")), "--target", "Passengers", "--out", str(out),
            *AIRLINE_SMALL, "--epochs", str(epochs)]
    assert main(argv) == 0
    return out
