"""``lstmcast text train | generate | demo``: the character model from the command line."""

from __future__ import annotations

import argparse
import math
import sys

from rich.table import Table

from ..data.datasets import load_text
from ..text.charmodel import CharModel, check_text_length, split_point
from ..text.scoring import TextScore, unigram_score
from ..text.textfile import read_text_file
from .output import console
from .resuming import resume_epochs, say_if_interrupted
from .saving import check_out_folder, save_model
from .shown import printable

DEMO_SETTINGS = dict(hidden_size=192, num_layers=1, embedding_dim=32, seq_len=64, batch_size=32,
                     lr=4e-3, lr_decay=0.95, steps_per_epoch=60, patience=None, epochs=1000)


def register(subparsers) -> None:
    """Add the ``text`` command and its sub-commands."""
    text = subparsers.add_parser(
        "text", help="character-level language model: train, generate, demo",
        description="Learn a text one character at a time with an LSTM, then write new text in its style.",
    )
    commands = text.add_subparsers(title="text commands", metavar="COMMAND")
    text.set_defaults(handler=lambda args: _print_help(text))

    train = commands.add_parser(
        "train", help="fit a character model to a UTF-8 text file and save it",
        description="Fit a character-level LSTM to FILE.txt (the first 90% trains, the last 10% "
        "validates), report validation bits per character beside the unigram baseline, and save a "
        "model folder for `lstmcast text generate`.",
    )
    train.add_argument("file", metavar="FILE.txt", help="UTF-8 text file to learn")
    train.add_argument("--out", required=True, metavar="DIR", help="model folder to write")
    train.add_argument("--resume", action="store_true",
                       help="continue training the model in --out (after Ctrl-C, or for more epochs) until it "
                       "has trained --epochs epochs in all; the same numbers as one uninterrupted run")
    _add_hyperparameters(train)
    train.set_defaults(handler=run_train)

    gen = commands.add_parser(
        "generate", help="write text with a saved character model",
        description="Read PRIME, then print LENGTH more characters drawn from the model.",
    )
    gen.add_argument("model", metavar="DIR", help="model folder written by `lstmcast text train`")
    gen.add_argument("--prime", help="text to start from (default: a newline)")
    gen.add_argument("--length", type=int, default=400, help="characters to generate (default: %(default)s)")
    gen.add_argument("--temperature", type=float, default=0.8,
                     help="0 = always the most likely character; lower is safer, higher wilder (default: %(default)s)")
    gen.add_argument("--top-k", type=int, help="draw only among the K most likely characters")
    gen.add_argument("--seed", type=int, help="random seed: same seed, same text")
    gen.set_defaults(handler=run_generate)

    demo = commands.add_parser(
        "demo", help="train briefly on tiny Shakespeare and write a sample",
        description="Train a small character model on the bundled tiny Shakespeare (1.1 million "
        "characters) for a minute or two, print its validation bits per character beside the "
        "unigram baseline, and print a sample.",
    )
    demo.add_argument("--minutes", type=float, default=1.5, help="training time (default: %(default)s)")
    demo.add_argument("--out", metavar="DIR", help="also save the model to this folder")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(handler=run_demo)


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _add_hyperparameters(parser: argparse.ArgumentParser) -> None:
    d = CharModel().get_params()
    g = parser.add_argument_group("model and training")
    g.add_argument("--hidden", type=int, default=d["hidden_size"], help="LSTM units per layer (default: %(default)s)")
    g.add_argument("--layers", type=int, default=d["num_layers"], help="stacked LSTM layers (default: %(default)s)")
    g.add_argument("--embedding", type=int, default=d["embedding_dim"], help="character vector length (default: %(default)s)")
    g.add_argument("--dropout", type=float, default=d["dropout"], help="dropout rate (default: %(default)s)")
    g.add_argument("--seq-len", type=int, default=d["seq_len"], help="characters per training chunk (default: %(default)s)")
    g.add_argument("--batch-size", type=int, default=d["batch_size"], help="text rows read in parallel (default: %(default)s)")
    g.add_argument("--lr", type=float, default=d["lr"], help="Adam learning rate (default: %(default)s)")
    g.add_argument("--lr-decay", type=float, default=d["lr_decay"], help="learning-rate factor per epoch (default: %(default)s)")
    g.add_argument("--clip-norm", type=float, default=d["clip_norm"], help="gradient norm clip (default: %(default)s)")
    g.add_argument("--epochs", type=int,
                   help=f"maximum epochs in all (default: {d['epochs']}; with --resume, the saved model's)")
    g.add_argument("--steps-per-epoch", type=int, help="chunks per epoch (default: one pass over the text)")
    g.add_argument("--minutes", type=float, help="stop training after this many minutes")
    g.add_argument("--patience", type=int, default=d["patience"],
                   help="stop after this many epochs without improvement; 0 = never (default: %(default)s)")
    g.add_argument("--seed", type=int, default=d["seed"], help="random seed (default: %(default)s)")
    g.add_argument("--quiet", action="store_true", help="no progress bar")


def _fit(model: CharModel, text: str, resume: bool = False) -> CharModel:
    try:
        return model.fit(text, resume=resume)
    except FloatingPointError as err:  # the training diverged: the user's settings, not a bug
        raise ValueError(str(err)) from None


def _scores_table(model_score: TextScore, baseline: TextScore, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("model", "bits/char", "nats/char", "perplexity", "accuracy"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for name, s in (("LSTM", model_score), ("unigram baseline", baseline)):
        table.add_row(name, f"{s.bits_per_char:.3f}", f"{s.nats_per_char:.3f}", f"{s.perplexity:.2f}",
                      f"{s.accuracy:.1%}")
    return table


def _report(model: CharModel, text: str, source: str) -> None:
    split = split_point(len(text))
    val = text[split:]
    history = model.history_
    note = " (time budget reached)" if model.stopped_by_time_ else " (stopped early)" if history.stopped_early else ""
    best = f", best epoch {history.best_epoch}" if history.best_epoch else ""
    console.print(f"trained {history.epochs} epochs in {_duration(sum(history.seconds))}{best}{note}")
    vocab = model.vocab_
    baseline = unigram_score(vocab.encode(text[:split]), vocab.encode(val), len(vocab))
    title = f"{source}: validation on the last 10% ({len(val) - 1:,} characters predicted)"
    console.print(_scores_table(model.evaluate(val), baseline, title))


def _shown(text: str) -> str:
    """Generated text for standard output: on a terminal, its control characters but newlines and tabs
    escaped (a model learns them from its training text); into a pipe or a file, as it is."""
    return printable(text, keep="\n\t") if sys.stdout.isatty() else text


def _duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 60 else f"{seconds / 60:.1f} min"


def _check_out(path) -> None:
    """Refuse, before any training, a --out that saving would refuse."""
    check_out_folder(path)


def _charmodel_from(args) -> CharModel:
    return CharModel(hidden_size=args.hidden, num_layers=args.layers, embedding_dim=args.embedding,
                     dropout=args.dropout, seq_len=args.seq_len, batch_size=args.batch_size, lr=args.lr,
                     seed=args.seed, epochs=CharModel().epochs if args.epochs is None else args.epochs,
                     patience=None if args.patience == 0 else args.patience, clip_norm=args.clip_norm,
                     lr_decay=args.lr_decay, steps_per_epoch=args.steps_per_epoch, max_minutes=args.minutes,
                     verbose=not args.quiet)


def run_train(args) -> int:
    if not args.resume:
        _check_out(args.out)
    text = read_text_file(args.file)
    asked = _charmodel_from(args)
    if args.resume:
        model = CharModel.load(args.out)
        total = resume_epochs(model, asked, CharModel(), args.epochs, args.out)
        model.verbose, model.max_minutes = asked.verbose, asked.max_minutes
    else:
        model = asked
        if args.seq_len >= 1:  # otherwise fit names the bad seq_len
            check_text_length(text, args.seq_len, what=str(args.file))
    vocab_size = len(set(text))
    console.print(f"{args.file}: {len(text):,} characters, {vocab_size} distinct; training on the first 90%, "
                  "validating on the last 10%")
    _fit(model, text, resume=args.resume)
    if args.resume:
        model.epochs = total
    _report(model, text, str(args.file))
    path = save_model(model, args.out)
    console.print(f"model saved to {path}  —  try: lstmcast text generate {path} --length 400")
    return say_if_interrupted(model.history_, path, f"lstmcast text train {args.file} --out {path} --resume",
                              kept_best=model.patience is not None)


def run_generate(args) -> int:
    model = CharModel.load(args.model)
    prime = args.prime
    if prime is None:
        prime = "\n" if "\n" in model.vocab_ else model.vocab_.chars[0]
    sample = model.sample(prime, length=args.length, temperature=args.temperature, top_k=args.top_k,
                          seed=args.seed)
    print(_shown(prime + sample))  # plain print: the text as it is, no markup read
    return 0


def run_demo(args) -> int:
    if not (isinstance(args.minutes, float) and math.isfinite(args.minutes) and args.minutes > 0):
        raise ValueError(f"--minutes must be a positive number, got {args.minutes!r}")
    if args.out:
        _check_out(args.out)
    text = load_text("shakespeare")
    model = CharModel(**DEMO_SETTINGS, max_minutes=args.minutes, seed=args.seed, verbose=not args.quiet)
    console.print(f"tiny Shakespeare: {len(text):,} characters; training a {model.num_layers}-layer "
                  f"{model.hidden_size}-unit LSTM for {args.minutes:g} minutes")
    _fit(model, text)
    if model.history_.interrupted:
        console.print(f"interrupted after {model.history_.epochs} complete epochs: going on with the model as it is")
    _report(model, text, "tiny Shakespeare")
    console.print("sample (prime 'ROMEO:', temperature 0.8):")
    print(_shown("ROMEO:" + model.sample("ROMEO:", length=300, temperature=0.8, seed=args.seed)))
    if args.out:
        console.print(f"model saved to {save_model(model, args.out)}")
    return 0
