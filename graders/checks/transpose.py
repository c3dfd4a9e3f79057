"""Hidden checks for ``transpose(A)``.

Moving entries is exact, so values are compared exactly (a float32 or integer input may come back
as float64 or as a list: the values are what count). The contract also says the result is a new
array, not a view of ``A``; that cannot be observed from here, because the learner's result and
arguments come back from the learner process as separate copies.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call

checks = Registry()


# --- strategies ---------------------------------------------------------------------------------

@st.composite
def matrix_shapes(draw) -> tuple[int, int]:
    kind = draw(st.sampled_from(["distinct", "distinct", "distinct", "vector", "free"]))
    if kind == "distinct":  # tall and wide, 0 included: (0, 3) -> (3, 0)
        return draw(gs.distinct_dims(2, 0, 9))
    if kind == "vector":    # a row becomes a column and back
        n = draw(gs.dims(2, 8))
        return draw(st.sampled_from([(1, n), (n, 1)]))
    return draw(gs.dims(0, 6)), draw(gs.dims(0, 6))


@st.composite
def matrices(draw, shapes=None) -> object:
    shape = draw(shapes if shapes is not None else matrix_shapes())
    return args(draw(gs.arrays(shape, bound=draw(gs.magnitudes()), dtypes=gs.MIXED_DTYPES)))


@st.composite
def asymmetric_squares(draw) -> object:
    """A square matrix that differs from its transpose (so returning A unchanged is visible)."""
    n = draw(gs.dims(2, 7))
    arr = draw(gs.arrays((n, n), bound=draw(gs.magnitudes()), dtypes=gs.MIXED_DTYPES, layout=False))
    if np.array_equal(arr, arr.T):
        i, j = draw(st.sampled_from([(i, j) for i in range(n) for j in range(n) if i < j]))
        arr[i, j] = arr[j, i] + 1
    return args(draw(gs.layouts(arr)))


@st.composite
def not_matrices(draw) -> object:
    """Arrays that are not 2-D: 0-d, 1-D (numpy's .T leaves them alone), 3-D and 4-D."""
    ndim = draw(st.sampled_from([0, 1, 1, 3, 4]))
    shape = tuple(draw(gs.dims(0 if ndim == 1 else 1, 4)) for _ in range(ndim))
    return args(draw(gs.arrays(shape, dtypes=gs.MIXED_DTYPES)))


# --- comparing ----------------------------------------------------------------------------------

def explain(mismatch: Mismatch, value, A) -> Mismatch:
    """The mismatch, with a summary that names the usual confusions."""
    arr = compare.as_float_array(value)
    if arr is None:
        return mismatch
    m, n = A.shape
    A64 = np.asarray(A, dtype=np.float64)
    if arr.shape != (n, m):
        if arr.shape == (m, n):
            summary = (f"transpose(A) has the wrong shape: expected {(n, m)}, got {arr.shape}, "
                       f"the shape of A — the rows of A should become the columns of the result")
        else:
            summary = (f"transpose(A) has the wrong shape: expected {(n, m)} = "
                       f"(A.shape[1], A.shape[0]), got {arr.shape}")
    elif m == n and np.array_equal(arr, A64):
        summary = ("transpose(A) returned A unchanged; in a square matrix the entries move too: "
                   "A[i, j] goes to position [j, i]")
    elif A.size > 1 and np.array_equal(arr, A64.reshape(n, m)):
        summary = ("transpose(A) has the right shape, but the entries are still in reading order: "
                   "that is A reshaped, not transposed (A[i, j] must move to position [j, i])")
    else:
        summary = "transpose(A)[j, i] should equal A[i, j], but some entries differ"
    return Mismatch(summary, mismatch.expected, mismatch.got)


def transposed_mismatch(outcome, A, expected) -> Mismatch | None:
    value = compare.listed_empty(outcome.value, expected, outcome.note)
    mismatch = compare.same_exactly(value, expected, "transpose(A)")
    return None if mismatch is None else explain(mismatch, value, A)


# --- checks -------------------------------------------------------------------------------------

@checks.add("transpose", points=4, strategy=matrices(),
            says="transpose(A) should have shape (n, m) for A of shape (m, n), "
                 "with transpose(A)[j, i] == A[i, j]")
def matches_reference(example, got, ref):
    (A,) = example.args
    return transposed_mismatch(got[0], A, ref[0].value)


@checks.add("transpose", points=2, strategy=asymmetric_squares(),
            says="transposing a square matrix should swap the entries across the diagonal "
                 "(A[i, j] goes to [j, i])")
def square_matrices(example, got, ref):
    (A,) = example.args
    return transposed_mismatch(got[0], A, ref[0].value)


@checks.add("transpose", points=2, strategy=not_matrices(), handles_errors=True,
            says="transpose(A) should raise ValueError unless A is 2-D")
def rejects_non_matrices(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("transpose", points=2, strategy=st.one_of(matrices(), asymmetric_squares()),
            calls=unchanged_call("transpose"),
            says="transpose(A) must not modify A")
def leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
