"""Hidden checks for ``matmul(A, B)``.

Values are compared with the rounding-error bound of a sum of ``n`` products (any summation order,
float32 accumulation for float32 inputs, integer or float arithmetic for integer inputs all
pass); the identity and empty-inner laws are exact for every such evaluation but are judged with
the same bound, to stay fair to any order of operations.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch
from . import Call, Registry, args, expect_value_error, inputs_unchanged, unchanged_call

checks = Registry()

# (dtypes of A, dtypes of B): mixed, both float32 (float32 arithmetic throughout), both integer,
# or an integer A with a float B (a result allocated with A's dtype would truncate).
MIXED = gs.MIXED_DTYPES
DTYPE_PAIRS = st.sampled_from([(MIXED, MIXED), (MIXED, MIXED), (("float32",), ("float32",)),
                               (("int64",), ("int64",)), (("int64",), ("float64", "float32"))])


# --- strategies ---------------------------------------------------------------------------------

@st.composite
def matmul_dims(draw) -> tuple[int, int, int]:
    """(m, n, p): all different most of the time, so that a swapped axis changes a shape."""
    kind = draw(st.sampled_from(["distinct", "distinct", "distinct", "vector", "empty", "free"]))
    if kind == "distinct":  # tall, wide, long inner: every ordering of three different sizes
        return draw(gs.distinct_dims(3, 1, 9))
    if kind == "empty":     # no rows, no columns, or an empty inner size (a zero matrix)
        m, n, p = draw(gs.distinct_dims(3, 1, 6))
        which = draw(st.sampled_from([0, 1, 2]))
        return tuple(0 if i == which else size for i, size in enumerate((m, n, p)))
    if kind == "vector":
        m, n, p = draw(gs.distinct_dims(3, 2, 7))
        which = draw(st.sampled_from(["row", "column", "outer", "inner"]))
        return {"row": (1, n, p), "column": (m, n, 1), "outer": (m, 1, p), "inner": (1, n, 1)}[which]
    return draw(gs.dims(0, 6)), draw(gs.dims(0, 6)), draw(gs.dims(0, 6))  # 0s, squares, equal sizes


@st.composite
def matrix_pairs(draw, dims=None) -> object:
    """A and B of shapes (m, n) and (n, p), of any dtype and layout, sometimes with large entries."""
    m, n, p = draw(dims if dims is not None else matmul_dims())
    bound, dtypes = draw(gs.magnitudes()), draw(DTYPE_PAIRS)
    return args(draw(gs.arrays((m, n), bound=bound, dtypes=dtypes[0])),
                draw(gs.arrays((n, p), bound=bound, dtypes=dtypes[1])))


@st.composite
def empty_inner_dims(draw) -> tuple[int, int, int]:
    m, p = draw(gs.distinct_dims(2, 1, 6))
    return m, 0, p


@st.composite
def single_matrices(draw) -> object:
    """One non-empty matrix A, usually not square (so that I_m and I_n differ)."""
    if draw(st.integers(0, 4)) == 0:
        shape = (draw(gs.dims(1, 5)), draw(gs.dims(1, 5)))
    else:
        shape = draw(gs.distinct_dims(2, 1, 8))
    return args(draw(gs.arrays(shape, bound=draw(gs.magnitudes()), dtypes=gs.MIXED_DTYPES)))


@st.composite
def bad_pairs(draw) -> object:
    """Operands whose product is not defined: inner sizes differ, or one is not 2-D."""
    m, n, p, q = draw(gs.distinct_dims(4, 0, 6))
    kind = draw(st.sampled_from(["inner", "same_shape", "reversed", "broadcastable",
                                 "vector", "three_d", "scalar"]))
    if kind == "inner":            # (m, n) @ (q, p), q != n
        shapes = (m, n), (q, p)
    elif kind == "same_shape":     # the Hadamard trap: equal, non-square shapes
        m, n = draw(gs.distinct_dims(2, 1, 6))
        shapes = (m, n), (m, n)
    elif kind == "reversed":       # B A is defined, A B is not
        shapes = (m, n), (p, m)
    elif kind == "broadcastable":  # numpy broadcasting would silently accept these
        m, n, p = draw(gs.distinct_dims(3, 2, 6))
        shapes = draw(st.sampled_from([((m, 1), (n, p)), ((m, n), (1, p))]))
    elif kind == "vector":         # a 1-D operand
        n = max(n, 1)
        shapes = draw(st.sampled_from([((m, n), (n,)), ((n,), (n, p)), ((n,), (n,))]))
    elif kind == "three_d":        # a stack of matrices
        shapes = draw(st.sampled_from([((2, m, n), (n, p)), ((m, n), (2, n, p))]))
    else:                          # a 0-d array
        shapes = draw(st.sampled_from([((), (n, p)), ((m, n), ())]))
    return args(*(draw(gs.arrays(s, dtypes=gs.MIXED_DTYPES)) for s in shapes))


# --- comparing ----------------------------------------------------------------------------------

def product_bound(A, B) -> np.ndarray:
    """Elementwise bound for two correct evaluations of Σ_k A[i, k] B[k, j] in any order."""
    n = A.shape[1]
    abs_sum = np.abs(np.asarray(A, dtype=np.float64)) @ np.abs(np.asarray(B, dtype=np.float64))
    return (compare.reduction_bound(n, abs_sum, compare.unit_roundoff(A, B))
            + compare.underflow_slack(n + 2, A, B))


def explain_shape(mismatch: Mismatch, value, A, B) -> Mismatch:
    """The mismatch, with a summary that teaches when the shape of A B is wrong."""
    arr = compare.as_float_array(value)
    want = (A.shape[0], B.shape[1])
    if arr is None or arr.shape == want:
        return mismatch
    head = f"matmul(A, B) has the wrong shape: expected {want}, got {arr.shape}"
    if arr.shape == want[::-1]:
        tail = " — are you multiplying in the right order?"
    elif arr.shape in (A.shape, B.shape):
        which = "A" if arr.shape == A.shape else "B"
        tail = (f" (the shape of {which}) — A B takes its rows from A and its columns from B, "
                f"so it has shape (A.shape[0], B.shape[1])")
    else:
        tail = " — A B has A's number of rows and B's number of columns"
    return Mismatch(head + tail, mismatch.expected, mismatch.got)


def product_mismatch(outcome, A, B, expected) -> Mismatch | None:
    value = compare.listed_empty(outcome.value, expected, outcome.note)
    mismatch = compare.within(value, expected, product_bound(A, B), "matmul(A, B)")
    return None if mismatch is None else explain_shape(mismatch, value, A, B)


# --- checks -------------------------------------------------------------------------------------

@checks.add("matmul", points=6, strategy=matrix_pairs(),
            says="matmul(A, B)[i, j] should be the sum over k of A[i, k] * B[k, j], "
                 "for A of shape (m, n) and B of shape (n, p)")
def matches_reference(example, got, ref):
    A, B = example.args
    return product_mismatch(got[0], A, B, ref[0].value)


def identity_calls(example) -> list[Call]:
    """A times an integer identity, on either side: the result must keep A's (float) values."""
    (A,) = example.args
    m, n = A.shape
    return [Call("matmul", args(A, np.eye(n, dtype=np.int64))),
            Call("matmul", args(np.eye(m, dtype=np.int64), A))]


@checks.add("matmul", points=2, strategy=single_matrices(), calls=identity_calls,
            says="multiplying by an identity matrix I (integer entries, matching size) should "
                 "change nothing: matmul(A, I) and matmul(I, A) should both equal A")
def identity_law(example, got, ref):
    (A,) = example.args
    m, n = A.shape
    for outcome, what, size in ((got[0], "matmul(A, I)", n), (got[1], "matmul(I, A)", m)):
        value = compare.listed_empty(outcome.value, A, outcome.note)
        bound = (compare.reduction_bound(size, np.abs(A.astype(np.float64)), compare.unit_roundoff(A))
                 + compare.underflow_slack(size + 2, A))
        mismatch = compare.within(value, A, bound, what)
        if mismatch is None:
            continue
        arr = compare.as_float_array(value)
        if arr is not None and arr.shape != A.shape:
            return Mismatch(f"{what} has shape {arr.shape}, but it should be A itself, of shape "
                            f"{A.shape}", A, outcome.value)
        return Mismatch(f"{mismatch.summary}: it should be A itself", A, outcome.value)
    return None


@checks.add("matmul", points=2, strategy=matrix_pairs(empty_inner_dims()), examples=20,
            says="an (m, 0) matrix times a (0, p) matrix should be an (m, p) matrix of zeros, "
                 "because each entry is a sum with no terms")
def empty_inner_gives_zeros(example, got, ref):
    A, B = example.args
    return product_mismatch(got[0], A, B, np.zeros((A.shape[0], B.shape[1])))


@checks.add("matmul", points=3, strategy=bad_pairs(), handles_errors=True,
            says="matmul(A, B) should raise ValueError unless A and B are 2-D and "
                 "A.shape[1] == B.shape[0]")
def rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("matmul", points=2, strategy=matrix_pairs(), calls=unchanged_call("matmul"),
            says="matmul(A, B) must not modify A or B")
def leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
