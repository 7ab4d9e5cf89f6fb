"""Floor 2: look inside a fitted LSTM — gate traces, attention, per-step gradients.

>>> ins = inspect_window(fc, window=-1)       # a Forecaster, the window forecast() reads
>>> ins.gates[(0, 0)]["f"]                    # (T, H) forget gate of layer 0, forward
>>> ins.grad_h_norm()                         # (T,) ‖dL/dh_t‖ of the top layer: how far back it looks
>>> ins.summary()["f"]["median_half_life"]    # steps until a cell keeps half its content
>>> ins.to_dict()                             # every number, ready for json.dump
>>> inspect_text(charmodel, "ROMEO:")         # a CharModel over a passage, one step per character
"""

from .forecast import inspect_window
from .gradients import state_gradients
from .result import Inspection
from .summary import forget_half_life, gate_summary, saturated_share
from .text import inspect_text

__all__ = ["Inspection", "inspect_window", "inspect_text", "state_gradients", "gate_summary",
           "forget_half_life", "saturated_share"]
