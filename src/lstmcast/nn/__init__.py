"""Floor 0, the engine: layers, losses and optimisers on NumPy arrays.

The LSTM's time loops are compiled (Numba) kernels, with the NumPy sweeps kept as
the reference (:func:`set_backend`).  Nothing here imports pandas, files or dates;
every layer has ``forward`` / ``backward`` and PyTorch's parameter names.
"""

from .attention import Attention
from .backend import get_backend, set_backend
from .dense import Dense
from .dropout import Dropout
from .embedding import Embedding
from .gradcheck import gradcheck
from .kernels.pool import get_threads, set_threads
from .losses import cross_entropy, huber_loss, mse_loss, pinball_loss
from .lstm import LSTM
from .module import Module
from .optim import SGD, Adam, AdamW, CosineAnnealingLR, StepLR, clip_grad_norm
from .ordered import OrderedQuantiles
from .sequence_decoder import SequenceDecoder
from .step_decoder import StepDecoder

__all__ = [
    "LSTM", "Dense", "Embedding", "Dropout", "Attention", "OrderedQuantiles",
    "StepDecoder", "SequenceDecoder", "Module",
    "mse_loss", "huber_loss", "cross_entropy", "pinball_loss",
    "SGD", "Adam", "AdamW", "clip_grad_norm", "StepLR", "CosineAnnealingLR",
    "gradcheck", "get_backend", "set_backend", "get_threads", "set_threads",
]
