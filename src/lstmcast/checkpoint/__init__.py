"""A model directory on disk: JSON for settings, safetensors for arrays, nothing pickled.

A model directory holds

=========================  ==================================================
``config.json``            ``{"format": "lstmcast", "format_version": 1,
                           "kind": ..., "lstmcast_version": ..., "config": {...}}``
``weights.safetensors``    the model's arrays, dtypes kept
``optimizer.safetensors``  optional: optimiser buffers; the optimiser's JSON meta
                           (step count, hyperparameters) is the safetensors
                           metadata entry ``"meta"``
``training_state.json``    optional: epoch, history, early stopping, RNG states
``resume.safetensors``     optional: extra arrays needed to resume exactly
=========================  ==================================================

Loading reads only JSON and safetensors, so opening a model cannot run code.

Saving is atomic: the whole directory is written under a hidden temporary sibling
(``.NAME.tmp-<pid>-<hex>``), every file is fsynced, and only then, holding the lock
``.NAME.lock``, is it renamed onto ``NAME`` (an existing model is first renamed aside,
then deleted).  If anything fails, the temporary directory is removed and ``NAME``
still holds the previous complete model, or nothing if there was none.  A process
killed outright (SIGKILL, power loss) between the two renames leaves the previous
model in ``.NAME.old-*``: the next save puts it back, and a load meanwhile reads it
there.  Loading writes nothing at all, not even a lock file; the lock is created new
(``O_EXCL | O_NOFOLLOW``), never opened for writing when it exists, so a link planted
at its name is refused, not written through.  Temporaries of killed
processes are deleted by the next save; a second process saving to the same folder
at the same time is refused with a message.  An existing directory is only replaced
when it is empty or holds nothing but model files, so a mistyped path cannot wipe
unrelated files.  Array files get the permission bits of ``config.json`` beside them.

Loading reads regular files only (a link to one is followed; a FIFO, device or
folder under a model file's name is refused without being opened for long), refuses
JSON nested too deeply or holding a number no save writes (``1e999`` reads as
infinity), and model loaders read each value through :class:`.entries.Entries`, which
checks its type and range and names the file and the key when it is wrong.

The modules: :mod:`.format` (names, version, errors), :mod:`.jsonvalues` (what may be
stored), :mod:`.saving`, :mod:`.loading`, :mod:`.regular` (opening regular files only),
:mod:`.entries` (checked values), :mod:`.folder` (locking, swapping, recovery).

JSON rules, so that what is loaded equals what was saved:

* only ``dict`` (with ``str`` keys), ``list``, ``str``, ``int``, ``float``, ``bool``
  and ``None``; tuples and NumPy scalars or arrays are refused with a pointer to
  :func:`to_jsonable`, which converts them (a tuple comes back as a list, so
  converting is the caller's visible choice, not a silent change);
* ints of any size round-trip exactly (NumPy's PCG64 state holds 128-bit ints);
  floats round-trip bit for bit (JSON writes ``repr``);
* NaN and infinity are **refused** with the path of the offending value
  (``training_state['history']['val_loss'][3]``): JSON has no such numbers, and
  files that other tools can read matter more than storing them.  Store ``None``
  (or a string) instead.

Arrays may be bool, signed or unsigned ints (8 to 64 bits) or floats (16, 32, 64
bits); they come back bit-identical with the same dtype (big-endian input comes
back in little-endian byte order, same values).  Object, string, complex and other
arrays are refused with the key named.
"""

from .folder import check_writable, clean_stale, recover
from .locking import folder_lock
from .format import (ARRAY_FILES, CONFIG_FILE, FORMAT_NAME, FORMAT_VERSION, MAX_JSON_ARRAY_SIZE, MODEL_FILES,
                     OPTIMIZER_FILE, OPTIMIZER_META_KEY, RESUME_FILE, TRAINING_STATE_FILE, WEIGHTS_FILE,
                     Checkpoint, CheckpointError)
from .jsonvalues import to_jsonable
from .loading import ArrayInfo, check_finite, check_shapes, load_checkpoint, read_document, read_header
from .saving import save_checkpoint

__all__ = [
    "ARRAY_FILES", "CONFIG_FILE", "FORMAT_NAME", "FORMAT_VERSION", "MAX_JSON_ARRAY_SIZE", "MODEL_FILES",
    "OPTIMIZER_FILE", "OPTIMIZER_META_KEY", "RESUME_FILE", "TRAINING_STATE_FILE", "WEIGHTS_FILE",
    "ArrayInfo", "Checkpoint", "CheckpointError", "check_finite", "check_shapes", "check_writable", "clean_stale", "folder_lock",
    "load_checkpoint", "read_document", "read_header", "recover", "save_checkpoint", "to_jsonable",
]
