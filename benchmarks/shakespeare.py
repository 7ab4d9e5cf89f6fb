"""Tiny Shakespeare, character level, on nanoGPT's split: validation nats per character.

The protocol (nanoGPT's ``data/shakespeare_char``):

- the 1,115,394 characters of ``tinyshakespeare/input.txt`` (bundled as
  ``lstmcast.data.load_text("shakespeare")``), vocabulary = every character (65);
- the first ``int(0.9 N)`` characters train, the last 10% (111,540 characters)
  validate;
- validation cross-entropy in nats per character over the *whole* validation
  text, every character predicted from all of the validation text before it (the
  library's parallel streams with warm-up, see ``lstmcast.text.scoring``).

Reference points on this split: unigram 3.35, 5-gram model 1.71, a 2-layer 256-unit
PyTorch LSTM 1.50 after 15 minutes on this CPU, nanoGPT's 10M-parameter
transformer 1.47.  Goal: 1.55 or lower within 30 minutes of training.

The model is the library's ``CharModel`` (Embedding -> 2 x 256 LSTM -> Dense, Adam,
gradient clipping, truncated BPTT over chunks of 128 with the state carried along
each of 32 rows).  Why these settings: with one BLAS thread a step costs about the
same per character at batch 32 as at 64 (12,500 characters per second measured
here for 2 x 256), so batch 32 gives twice the updates in the same time; the
learning rate falls by ``--lr-decay`` after every validation period (about 2.5
minutes), to about 0.1 of its start after 30 minutes.  One "epoch" here is ``--eval-every`` steps, after which the whole
validation text is scored; ``--minutes`` is the budget for training and those
validations together.

Run by hand, never by the test suite::

    python benchmarks/shakespeare.py                  # 30 minutes
    python benchmarks/shakespeare.py --minutes 2      # a quick check
    python benchmarks/shakespeare.py --save runs/shakespeare   # keep the model; then
    lstmcast text generate runs/shakespeare --prime "ROMEO:" --length 400
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from pathlib import Path

# One BLAS thread unless the caller says otherwise (the library asks for one while it trains,
# see lstmcast.text.charmodel.BLAS_THREADS; this covers anything run outside fit as well).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402  (after the thread setting)

try:
    import lstmcast  # noqa: F401  (installed with pip install -e .)
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lstmcast.data import load_text  # noqa: E402
from lstmcast.text import CharModel, split_point, unigram_score  # noqa: E402

REFERENCES = [  # (model, validation nats/char on this split)
    ("unigram (character frequencies)", 3.35),
    ("5-gram model", 1.71),
    ("PyTorch LSTM 2 x 256, 15 min on this CPU", 1.50),
    ("nanoGPT transformer, 10M parameters", 1.47),
]
GOAL = 1.55


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=30.0, help="training budget, validations included (default: %(default)s)")
    p.add_argument("--eval-every", type=int, default=400, help="training steps between validations (default: %(default)s)")
    p.add_argument("--hidden", type=int, default=256, help="LSTM units per layer (default: %(default)s)")
    p.add_argument("--layers", type=int, default=2, help="stacked LSTM layers (default: %(default)s)")
    p.add_argument("--embedding", type=int, default=64, help="character vector length (default: %(default)s)")
    p.add_argument("--seq-len", type=int, default=128, help="characters per chunk (default: %(default)s)")
    p.add_argument("--batch-size", type=int, default=32, help="rows read in parallel (default: %(default)s)")
    p.add_argument("--lr", type=float, default=2e-3, help="Adam learning rate at the start (default: %(default)s)")
    p.add_argument("--lr-decay", type=float, default=0.85, help="lr factor per validation period (default: %(default)s)")
    p.add_argument("--dropout", type=float, default=0.0, help="(default: %(default)s)")
    p.add_argument("--clip-norm", type=float, default=5.0, help="(default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    p.add_argument("--sample-length", type=int, default=500, help="characters of the closing sample (default: %(default)s)")
    p.add_argument("--save", metavar="DIR", help="write the trained model to this folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    text = load_text("shakespeare")
    n_train = split_point(len(text))
    assert n_train == int(len(text) * 0.9) == 1_003_854, "nanoGPT's split"
    train, val = text[:n_train], text[n_train:]
    model = CharModel(hidden_size=args.hidden, num_layers=args.layers, embedding_dim=args.embedding,
                      dropout=args.dropout, seq_len=args.seq_len, batch_size=args.batch_size, lr=args.lr,
                      seed=args.seed, epochs=10**6, patience=None, clip_norm=args.clip_norm,
                      lr_decay=args.lr_decay, steps_per_epoch=args.eval_every, max_minutes=args.minutes,
                      verbose=not args.quiet)

    print(f"tiny Shakespeare: {len(text):,} characters, {len(set(text))} distinct; "
          f"train {len(train):,}, validation {len(val):,}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    print(f"model: embedding {args.embedding} -> LSTM {args.layers} x {args.hidden} -> dense; seq_len {args.seq_len}, "
          f"batch {args.batch_size}, Adam lr {args.lr:g} x {args.lr_decay:g} per {args.eval_every} steps, "
          f"clip {args.clip_norm:g}, dropout {args.dropout:g}; budget {args.minutes:g} min")

    started = time.perf_counter()
    model.fit(text)
    wall = time.perf_counter() - started
    history = model.history_
    print(f"{model.network_.num_parameters():,} parameters; {history.epochs} validation periods in {wall / 60:.1f} min")

    print()
    print(f"{'minutes':>8} {'steps':>6} {'lr':>9} {'train loss':>11} {'val nats/char':>14} {'val bits/char':>14}")
    elapsed = 0.0
    total_steps = model.training_state_["optimizer"]["step"]  # only the last period can be short
    for epoch, (seconds, train_loss, val_loss) in enumerate(
            zip(history.seconds, history.train_loss, history.val_loss)):
        elapsed += seconds
        steps = min((epoch + 1) * args.eval_every, total_steps)
        lr = args.lr * args.lr_decay ** epoch
        print(f"{elapsed / 60:8.2f} {steps:6d} {lr:9.2e} {train_loss:11.4f} {val_loss:14.4f} "
              f"{val_loss / math.log(2):14.4f}")
    if model.stopped_by_time_:
        print("(the last period was cut short by the time budget)")

    final = model.evaluate(val)
    vocab = model.vocab_
    unigram = unigram_score(vocab.encode(train), vocab.encode(val), len(vocab))
    print()
    print(f"{'model':<45} {'val nats/char':>14}")
    print(f"{'lstmcast CharModel, ' + f'{wall / 60:.1f} min (this run)':<45} {final.nats_per_char:14.4f}")
    print(f"{'unigram, computed here':<45} {unigram.nats_per_char:14.4f}")
    for name, value in REFERENCES:
        print(f"{name:<45} {value:14.2f}")
    verdict = "reached" if final.nats_per_char <= GOAL else "not reached"
    print(f"goal {GOAL} nats/char (within 30 minutes): {verdict} in this {wall / 60:.1f}-minute run "
          f"(bits/char {final.bits_per_char:.3f}, perplexity {final.perplexity:.2f}, "
          f"next-character accuracy {final.accuracy:.1%}; {total_steps} steps, "
          f"{total_steps * args.batch_size * args.seq_len / wall:,.0f} training characters per second, "
          "validations included)")

    print()
    print("sample (prime 'ROMEO:', temperature 0.8):")
    print("ROMEO:" + model.sample("ROMEO:", length=args.sample_length, temperature=0.8, seed=args.seed))
    if args.save:
        print(f"\nmodel saved to {model.save(args.save)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
