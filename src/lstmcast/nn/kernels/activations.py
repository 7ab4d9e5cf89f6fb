"""σ and tanh for the compiled sweeps: branch-free, so that a loop over them vectorises.

``math.tanh`` inside a compiled loop is a scalar call into the C library (about 9 ns
an element here); the sweeps evaluate 5H of them per batch row and step, which would
cost more than the matrix products.  These versions are plain arithmetic and
selects, which LLVM turns into AVX instructions (0.1-1 ns an element):

* float32 -- a [13/6] rational approximation of tanh on [-7.905, 7.905] (the one
  Eigen and XLA use), clamped outside it.  Maximum absolute error 2.8e-7 against
  float64 ``numpy.tanh`` (``tests/nn/kernels/test_activations.py`` measures it on a
  dense grid; the bound we promise is 5e-7).
* float64 -- tanh from expm1: with y = -2|x| = n ln2 + r, |r| <= ln2/2,
  expm1(y) = 2^n (1 + p(r)) - 1 where p is expm1's Taylor series to r^13
  (truncation < 1e-17) and 2^n is built from the binary digits of -n by exact multiplies;
  then tanh|x| = -expm1(y) / (2 + expm1(y)).  A few ulp from the exact value
  (measured maximum absolute error 4.5e-16), no cancellation near 0.

σ(z) = ½ + ½ tanh(z/2) in both, so σ's error is half of tanh's.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import overload

# fast-math flags: fused multiply-add and no NaN/inf/signed-zero bookkeeping, which is
# what lets min/max and selects vectorise.  Not 'arcp' or 'afn': divisions stay exact.
FASTMATH = {"nsz", "contract", "nnan", "ninf"}

_F = np.float32
TANH32_CLAMP = _F(7.90531110763549805)
_A1, _A3, _A5, _A7 = _F(4.89352455891786e-03), _F(6.37261928875436e-04), _F(1.48572235717979e-05), _F(5.12229709037114e-08)
_A9, _A11, _A13 = _F(-8.60467152213735e-11), _F(2.00018790482477e-13), _F(-2.76076847742355e-16)
_B0, _B2, _B4, _B6 = _F(4.89352518554385e-03), _F(2.26843463243900e-03), _F(1.18534705686654e-04), _F(1.19825839466702e-06)

LN2_HI = 6.93147180369123816490e-01  # ln 2 split so that n * LN2_HI is exact for |n| < 2^11
LN2_LO = 1.90821492927058770002e-10
INV_LN2 = 1.44269504088896338700e00
TANH64_CLAMP = 20.0  # tanh(20) rounds to 1 in float64
_POW2 = ((32.0, 2.0**-32), (16.0, 2.0**-16), (8.0, 2.0**-8), (4.0, 2.0**-4), (2.0, 0.25), (1.0, 0.5))
# Taylor coefficients of expm1(r) = r + r²/2! + ... + r^13/13!
_E = tuple(1.0 / float(np.prod(np.arange(1, k + 1, dtype=np.float64))) for k in range(2, 14))


@njit(fastmath=FASTMATH, error_model="numpy")
def tanh32(x):
    """tanh for float32 by a [13/6] rational function; |error| <= 2.8e-7."""
    v = min(max(x, -TANH32_CLAMP), TANH32_CLAMP)
    v2 = v * v
    p = ((((((_A13 * v2 + _A11) * v2 + _A9) * v2 + _A7) * v2 + _A5) * v2 + _A3) * v2 + _A1) * v
    q = ((_B6 * v2 + _B4) * v2 + _B2) * v2 + _B0
    return p / q


@njit(fastmath=FASTMATH, error_model="numpy")
def tanh64(x):
    """tanh for float64 through expm1(-2|x|); a few ulp from exact."""
    a = min(x if x >= 0.0 else -x, TANH64_CLAMP)
    y = -2.0 * a  # in [-40, 0]
    n = np.floor(y * INV_LN2 + 0.5)  # in [-58, 0]
    r = (y - n * LN2_HI) - n * LN2_LO  # |r| <= ln2 / 2
    p = _E[11]
    p = p * r + _E[10]
    p = p * r + _E[9]
    p = p * r + _E[8]
    p = p * r + _E[7]
    p = p * r + _E[6]
    p = p * r + _E[5]
    p = p * r + _E[4]
    p = p * r + _E[3]
    p = p * r + _E[2]
    p = p * r + _E[1]
    p = p * r + _E[0]
    em1_r = r + r * r * p  # expm1(r)
    m = -n  # 2^n = 2^-m, m a whole number in [0, 58]: binary digits by float compares (vectorisable)
    s = 1.0
    for bit, scale in _POW2:
        take = m >= bit
        s *= scale if take else 1.0
        m -= bit if take else 0.0
    em1 = s * em1_r + (s - 1.0)  # expm1(y) = 2^n (1 + expm1(r)) - 1
    t = -em1 / (2.0 + em1)
    return t if x >= 0.0 else -t


def tanh(x):
    """tanh of a float32 or float64 scalar inside a compiled kernel (see the module docstring)."""
    return np.tanh(x)  # the interpreter's version; compiled code uses the overload below


@overload(tanh, fastmath=FASTMATH)
def _tanh_overload(x):
    if x == types.float32:
        return lambda x: tanh32(x)
    return lambda x: tanh64(x)


def sigmoid(x):
    """σ of a float32 or float64 scalar inside a compiled kernel: ½ + ½ tanh(x/2)."""
    return 0.5 + 0.5 * np.tanh(0.5 * x)


@overload(sigmoid, fastmath=FASTMATH)
def _sigmoid_overload(x):
    if x == types.float32:
        half = np.float32(0.5)
        return lambda x: half + half * tanh32(half * x)
    return lambda x: 0.5 + 0.5 * tanh64(0.5 * x)


@njit(cache=True, fastmath=FASTMATH, error_model="numpy")
def tanh_array(x, out):
    """out[j] = tanh(x[j]) for a 1-D array; what the tests measure the error of."""
    for j in range(x.shape[0]):
        out[j] = tanh(x[j])


@njit(cache=True, fastmath=FASTMATH, error_model="numpy")
def sigmoid_array(x, out):
    """out[j] = σ(x[j]) for a 1-D array."""
    for j in range(x.shape[0]):
        out[j] = sigmoid(x[j])
