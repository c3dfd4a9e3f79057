"""Hidden checks for ``l2_norm(x)`` and ``cosine_similarity(a, b)``.

Bounds (u = eps/2 of the least precise input, float64 for integers):

- ``l2_norm``: scaling by the largest |entry| (or by any other number), summing n squares in any
  order and taking the square root gives ‖x‖ within about (n/2 + 4)·u·‖x‖, so two correct
  evaluations are within (n + 8)·u·‖x‖; the bound is twice that, plus a few subnormals for
  results that land in the subnormal range (tiny vectors).
- ``cosine_similarity``: normalising first (a/‖a‖ · b/‖b‖) or dividing last (a·b / (‖a‖ ‖b‖)) are
  each within about (2n + 10)·u of the exact cosine in absolute terms (Σ|a_i b_i| <= ‖a‖ ‖b‖), so
  two correct evaluations are within (4n + 20)·u; the bound is twice that, (4n + 20)·eps.

"No overflow" is judged by the value: with entries near 1e200 the naive sqrt(Σ x²) is inf, with
entries near 1e-200 it is 0, and with int64 entries near 2**40 the squares wrap around.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, describe_error, expect_value_error, inputs_unchanged, unchanged_call

checks = Registry()


# --- strategies ---------------------------------------------------------------------------------

@st.composite
def vector_of(draw, n: int, nonzero: bool = False, dtypes=gs.MIXED_DTYPES, layout: bool = True):
    """A vector of length n (not all zeros when asked), float64, float32 or int64."""
    x = draw(gs.arrays(n, bound=draw(gs.magnitudes()), dtypes=dtypes, layout=False))
    if nonzero and n and not np.any(x):
        x[draw(st.integers(0, n - 1))] = draw(st.sampled_from([1, -2, 3]))
    return draw(gs.layouts(x)) if layout else x


@st.composite
def vectors(draw, min_size: int = 0, nonzero: bool = False, dtypes=gs.MIXED_DTYPES):
    return draw(vector_of(draw(gs.dims(min_size, 12)), nonzero, dtypes))


SCALES = [1e200, 1e250, 1e290, 1e-200, 1e-250]


@st.composite
def extreme_vectors(draw, min_size: int = 0):
    """Entries whose squares overflow (1e200 and up) or underflow (1e-200 and down) in float64,
    a mix of both in one vector, or int64 entries whose squares wrap around."""
    n = draw(gs.dims(max(min_size, 1), 12))
    kind = draw(st.sampled_from(["scaled", "scaled", "mixed", "big_int"]))
    if kind == "big_int":
        values = draw(st.lists(st.integers(-2**40, 2**40), min_size=n, max_size=n))
        x = np.array(values, dtype=np.int64)
        x[draw(st.integers(0, n - 1))] = draw(st.sampled_from([2**33, -2**35, 3 * 2**38]))
        return x
    base = draw(gs.arrays(n, bound=10.0, dtypes=("float64",), layout=False))
    base[draw(st.integers(0, n - 1))] = draw(st.sampled_from([1.0, -3.0, 7.5]))
    if kind == "scaled":
        return draw(gs.layouts(base * draw(st.sampled_from(SCALES))))
    big = draw(st.sampled_from(SCALES[:3]))
    tiny = draw(st.sampled_from(SCALES[3:]))
    pick = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return draw(gs.layouts(np.where(pick, base * big, base * tiny)))


@st.composite
def bad_vectors(draw):
    """Arrays that are not 1-D vectors (a column, a row, a matrix, a scalar, a 3-D array)."""
    n, m = draw(gs.distinct_dims(2, 2, 5))
    shape = draw(st.sampled_from([(), (n, 1), (1, n), (n, m), (n, m, 2)]))
    return args(draw(gs.arrays(shape)))


@st.composite
def vector_pairs(draw, extreme: bool = False):
    """Two non-zero vectors of one length n >= 1; sometimes parallel or anti-parallel."""
    if extreme:
        a = draw(extreme_vectors(min_size=1))
        n = a.shape[0]
        b = np.array(draw(extreme_vectors(min_size=n))[:n])
        if not np.any(b):
            b[0] = 1
    else:
        a = draw(vectors(min_size=1, nonzero=True))
        n = a.shape[0]
        kind = draw(st.sampled_from(["random", "random", "random", "parallel"]))
        if kind == "parallel":
            b = a * draw(st.sampled_from([2, -3, 0.5, -1]))
        else:
            b = draw(vector_of(n, nonzero=True))
    if draw(st.booleans()):
        a, b = b, a
    return args(a, b)


@st.composite
def zero_pairs(draw):
    """At least one zero vector (or two empty ones): the cosine is undefined."""
    n = draw(gs.dims(0, 8))
    a = np.zeros(n, dtype=draw(st.sampled_from(["float64", "int64"])))
    b = draw(vector_of(n, nonzero=True)) if n else np.zeros(0)
    if draw(st.booleans()):
        b = np.zeros(n)
    return args(*((b, a) if draw(st.booleans()) else (a, b)))


@st.composite
def bad_pairs(draw):
    """Different lengths, or an operand that is not 1-D."""
    n = draw(gs.dims(1, 5))
    a = draw(vector_of(n, nonzero=True, layout=False))
    kind = draw(st.sampled_from(["lengths", "lengths", "matrix", "column"]))
    if kind == "lengths":  # (n,) against (1,) broadcasts silently
        m = draw(st.sampled_from([1, n + 1, n + 2]).filter(lambda k: k != n))
        b = np.arange(1, m + 1, dtype=np.float64)
    elif kind == "matrix":
        b = np.arange(1, 2 * n + 1, dtype=np.float64).reshape(2, n)
    else:
        a, b = a.reshape(n, 1), np.arange(1, n + 1, dtype=np.float64).reshape(n, 1)
    return args(*((b, a) if draw(st.booleans()) else (a, b)))


# --- comparing ----------------------------------------------------------------------------------

def norm_bound(x, expected: float) -> float:
    x = np.asarray(x)
    eps = compare.unit_roundoff(x)
    return 2.0 * (x.shape[0] + 8) * eps * abs(expected) + compare.underflow_slack(8, x)


def norm_mismatch(outcome, x, expected: float) -> Mismatch | None:
    mismatch = compare.scalar_within(outcome.value, expected, norm_bound(x, expected), "l2_norm(x)")
    if mismatch is None:
        return None
    arr = compare.as_float_array(outcome.value)
    if arr is None or arr.size != 1:
        return mismatch
    got = np.float64(arr.reshape(-1)[0])
    exp = np.float64(expected)
    xf = f64(x)
    with np.errstate(all="ignore"):
        squared, l1 = exp * exp, np.sum(np.abs(xf))
        why = ""
        if not np.isfinite(got):
            why = "the squares overflowed: divide by max|x[i]| before squaring, multiply back after"
        elif got == 0 and exp > 0:
            why = ("the squares underflowed to 0 (or x was taken for zero): divide by max|x[i]| "
                   "before squaring")
        elif exp > 0 and abs(exp - 1) > 1e-6 and abs(got - squared) <= 1e-9 * squared:
            why = "it looks like the squared norm: take the square root"
        elif exp > 0 and abs(got - exp) > 1e-9 * exp and abs(got - l1) <= 1e-9 * l1:
            why = "it looks like Σ|x[i]| (the L1 norm); the L2 norm is sqrt(Σ x[i]²)"
        elif np.asarray(x).dtype.kind in "iu" and np.max(np.abs(xf)) > 3e9:
            why = "the int64 squares wrapped around: convert x to float before squaring"
    if why:
        return Mismatch(f"{mismatch.summary} — {why}", mismatch.expected, mismatch.got)
    return mismatch


def cosine_bound(a, b) -> float:
    n = np.asarray(a).shape[0]
    eps = compare.unit_roundoff(a, b)
    return (4.0 * n + 20.0) * eps + compare.underflow_slack(8, a, b)


def cosine_mismatch(outcome, a, b, expected: float) -> Mismatch | None:
    mismatch = compare.scalar_within(outcome.value, expected, cosine_bound(a, b),
                                     "cosine_similarity(a, b)")
    if mismatch is None:
        return None
    arr = compare.as_float_array(outcome.value)
    if arr is not None and arr.size == 1:
        got = float(arr.reshape(-1)[0])
        if not np.isfinite(got) or got == 0 and expected != 0:
            return Mismatch(f"{mismatch.summary} — the lengths overflowed or underflowed: normalise "
                            f"each vector with a safe l2_norm first, then take the dot product",
                            mismatch.expected, mismatch.got)
        if abs(got) > 1 + 1e-6:
            return Mismatch(f"{mismatch.summary} — a cosine lies between -1 and 1: divide the dot "
                            f"product by BOTH lengths", mismatch.expected, mismatch.got)
    return mismatch


# --- l2_norm ------------------------------------------------------------------------------------

@checks.add("l2_norm", points=2, strategy=vectors().map(lambda x: args(x)),
            says="l2_norm(x) should be sqrt(x[0]² + x[1]² + ...), and 0.0 for an empty vector")
def norm_matches_reference(example, got, ref):
    return norm_mismatch(got[0], example.args[0], ref[0].value)


@checks.add("l2_norm", points=2, strategy=extreme_vectors().map(lambda x: args(x)),
            says="l2_norm(x) should be accurate for huge entries (1e200 to 1e300), tiny ones "
                 "(1e-200 and below) and large integers: scale by max|x[i]| first so the squares "
                 "cannot overflow or underflow")
def norm_without_overflow(example, got, ref):
    return norm_mismatch(got[0], example.args[0], ref[0].value)


@checks.add("l2_norm", points=0.5, strategy=bad_vectors(), handles_errors=True, examples=20,
            says="l2_norm(x) should raise ValueError unless x is 1-D")
def norm_rejects_non_vectors(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("l2_norm", points=0.5,
            strategy=vectors(dtypes=("float64",)).map(lambda x: args(x)),
            calls=unchanged_call("l2_norm"), examples=30,
            says="l2_norm(x) must not modify x (scale a copy, not x itself)")
def norm_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- cosine_similarity --------------------------------------------------------------------------

@checks.add("cosine_similarity", points=2, strategy=vector_pairs(),
            says="cosine_similarity(a, b) should be a·b / (‖a‖ ‖b‖): 1 for the same direction, "
                 "-1 for opposite directions")
def cosine_matches_reference(example, got, ref):
    a, b = example.args
    return cosine_mismatch(got[0], a, b, ref[0].value)


@checks.add("cosine_similarity", points=1, strategy=vector_pairs(extreme=True),
            says="cosine_similarity(a, b) should work for huge and tiny entries (1e-250 to 1e300): "
                 "lengths do not matter, so normalise each vector with a safe norm first")
def cosine_without_overflow(example, got, ref):
    a, b = example.args
    return cosine_mismatch(got[0], a, b, ref[0].value)


@checks.add("cosine_similarity", points=1, strategy=zero_pairs(), handles_errors=True, examples=20,
            says="cosine_similarity(a, b) should raise ValueError when a or b is a zero vector "
                 "(no direction, so no angle)")
def cosine_rejects_zero_vectors(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error == "ValueError":
        return None
    what = "it returned a value" if out.ok else describe_error(out)
    return Mismatch(f"a zero vector has no direction, so the cosine is undefined (0 / 0); it should "
                    f"raise ValueError, but {what}", "ValueError", out.value if out.ok else out.error)


@checks.add("cosine_similarity", points=0.5, strategy=bad_pairs(), handles_errors=True, examples=20,
            says="cosine_similarity(a, b) should raise ValueError unless a and b are 1-D of equal length")
def cosine_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("cosine_similarity", points=0.5, strategy=vector_pairs(),
            calls=unchanged_call("cosine_similarity"), examples=30,
            says="cosine_similarity(a, b) must not modify a or b (normalise copies)")
def cosine_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)

