"""Hidden checks for ``hadamard(A, B)`` and ``hadamard_vs_matmul(A, B)``.

Bounds: a Hadamard product is one rounding per entry, in float64 or (for two float32 operands)
in float32, so two correct results differ by at most 2·eps·|A∘B| plus the subnormal slack of a
product that underflows. A matrix product entry is a sum of n products: ``reduction_bound``
with Σ|terms| = (|A| @ |B|).

Shapes reach 0-d to 3-D arrays with sides 0 to 6, all different (a transposed operand shows),
and for the quiz every case: square (both products), equal rectangular shapes (only ∘), chained
shapes (only @) and neither. Mismatched shapes include the ones numpy broadcasts silently.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call, unpack

checks = Registry()


# --- strategies ---------------------------------------------------------------------------------

@st.composite
def any_shapes(draw) -> tuple[int, ...]:
    """0-d to 3-D, sides 0 to 6, all different when there are several."""
    ndim = draw(st.sampled_from([0, 1, 2, 2, 2, 3]))
    return draw(gs.distinct_dims(ndim, 0, 6)) if ndim else ()


@st.composite
def square_shapes(draw) -> tuple[int, ...]:
    """n x n with n >= 2: A @ B, A * B.T and A * B all run, and only the values differ."""
    return (draw(gs.dims(2, 6)),) * 2


@st.composite
def pair_of_shapes(draw, shape_a, shape_b, dtypes=None):
    bound, dtypes = draw(gs.magnitudes()), dtypes or draw(gs.DTYPE_FAMILIES)
    return args(draw(gs.arrays(shape_a, bound=bound, dtypes=dtypes)),
                draw(gs.arrays(shape_b, bound=bound, dtypes=dtypes)))


@st.composite
def same_shape_pairs(draw, dtypes=None, shapes=None):
    shape = draw(shapes if shapes is not None else any_shapes())
    return draw(pair_of_shapes(shape, shape, dtypes))


@st.composite
def mismatched_pairs(draw):
    """Different shapes; all but the transposed one broadcast silently in numpy."""
    m, n = draw(gs.distinct_dims(2, 2, 5))
    kind = draw(st.sampled_from(["column", "row", "trailing", "outer", "scalar", "transposed"]))
    shapes = {"column": ((m, n), (m, 1)), "row": ((m, n), (1, n)), "trailing": ((m, n), (n,)),
              "outer": ((m, 1), (1, n)), "scalar": ((m, n), ()), "transposed": ((m, n), (n, m))}[kind]
    if draw(st.booleans()):
        shapes = shapes[::-1]
    return draw(pair_of_shapes(*shapes))


@st.composite
def square_pairs(draw):
    """Two n x n matrices (n = 0 to 6): both products exist and differ."""
    n = draw(gs.dims(0, 6))
    return draw(pair_of_shapes((n, n), (n, n)))


@st.composite
def one_or_no_product(draw):
    """Matrix pairs where at most one of the two products is defined."""
    m, n, p, q = draw(gs.distinct_dims(4, 1, 6))
    kind = draw(st.sampled_from(["hadamard", "matmul", "neither"]))
    shapes = {"hadamard": ((m, n), (m, n)),   # m != n: equal shapes, inner sizes differ
              "matmul": ((m, n), (n, p)),     # n != p, so the shapes differ
              "neither": ((m, n), (p, q))}[kind]
    return draw(pair_of_shapes(*shapes))


@st.composite
def non_matrix_pairs(draw):
    """An operand that is not 2-D: a vector, a scalar or a 3-D array."""
    n = draw(gs.dims(1, 4))
    bad = draw(st.sampled_from([(n,), (), (2, n, n)]))
    good = (n, n)
    shapes = (bad, good) if draw(st.booleans()) else (good, bad)
    if draw(st.integers(0, 3)) == 0:
        shapes = (bad, bad)
    return draw(pair_of_shapes(*shapes))


# --- comparing ----------------------------------------------------------------------------------

def hadamard_bound(A, B) -> np.ndarray:
    return (2.0 * compare.unit_roundoff(A, B) * np.abs(f64(A) * f64(B))
            + compare.underflow_slack(2, A, B))


def matmul_bound(A, B) -> np.ndarray:
    abs_terms = np.abs(f64(A)) @ np.abs(f64(B))
    return (compare.reduction_bound(A.shape[1], abs_terms, compare.unit_roundoff(A, B))
            + compare.underflow_slack(A.shape[1] + 2, A, B))


def hadamard_mismatch(value, note: str, A, B, expected, what: str) -> Mismatch | None:
    value = compare.listed_empty(value, expected, note)
    mismatch = compare.within(value, expected, hadamard_bound(A, B), what)
    if mismatch is None:
        return None
    arr = compare.as_float_array(value)
    if arr is not None and A.ndim == 2 and A.shape[0] == A.shape[1] and arr.shape == np.shape(expected):
        if np.allclose(arr, f64(A) @ f64(B), rtol=1e-9, atol=1e-12):
            return Mismatch(f"{mismatch.summary} — that is the matrix product A @ B; the Hadamard "
                            f"product multiplies same-position entries (A * B)", expected, value)
    return mismatch


def matmul_mismatch(value, note: str, A, B, expected, what: str) -> Mismatch | None:
    value = compare.listed_empty(value, expected, note)
    mismatch = compare.within(value, expected, matmul_bound(A, B), what)
    if mismatch is None:
        return None
    arr = compare.as_float_array(value)
    if arr is not None and A.shape == B.shape and arr.shape == np.shape(expected):
        if np.allclose(arr, f64(A) * f64(B), rtol=1e-9, atol=1e-12):
            return Mismatch(f"{mismatch.summary} — that is the Hadamard product A * B; the matrix "
                            f"product sums rows times columns (A @ B)", expected, value)
    return mismatch


# --- hadamard -----------------------------------------------------------------------------------

@checks.add("hadamard", points=1, strategy=same_shape_pairs(),
            says="hadamard(A, B) should multiply same-position entries: C[idx] = A[idx] * B[idx], "
                 "with the shape of A (any number of dimensions)")
def hadamard_matches_reference(example, got, ref):
    A, B = example.args
    return hadamard_mismatch(got[0].value, got[0].note, A, B, ref[0].value, "hadamard(A, B)")


@checks.add("hadamard", points=1, strategy=same_shape_pairs(shapes=square_shapes()),
            says="hadamard(A, B) of two square matrices should still multiply same-position "
                 "entries (A * B), not rows times columns (A @ B)")
def hadamard_square_matrices(example, got, ref):
    A, B = example.args
    return hadamard_mismatch(got[0].value, got[0].note, A, B, ref[0].value, "hadamard(A, B)")


@checks.add("hadamard", points=1, strategy=mismatched_pairs(), handles_errors=True, examples=30,
            says="hadamard(A, B) should raise ValueError when the shapes differ, even when numpy "
                 "could broadcast them (a (3, 1) column times a (1, 3) row is not a Hadamard product)")
def hadamard_rejects_other_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("hadamard", points=1, strategy=same_shape_pairs(dtypes=("float64",)),
            calls=unchanged_call("hadamard"), examples=30,
            says="hadamard(A, B) must not modify A or B (A *= B changes the caller's matrix)")
def hadamard_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- hadamard_vs_matmul -------------------------------------------------------------------------

def quiz_mismatch(example, got, ref) -> Mismatch | None:
    A, B = example.args
    items, problem = unpack(got[0].value, 2, "hadamard_vs_matmul(A, B)")
    if problem:
        return problem
    H_ref, M_ref = ref[0].value
    H, M = items
    shapes = f"A {A.shape} and B {B.shape}"
    for value, expected, name, rule in (
            (H, H_ref, "H = A ∘ B", "equal shapes"),
            (M, M_ref, "M = A @ B", "A.shape[1] == B.shape[0]")):
        if expected is None:
            if value is not None:
                return Mismatch(f"for {shapes}, {name} is not defined (it needs {rule}), so it "
                                f"should be None", None, value)
            continue
        if value is None:
            return Mismatch(f"for {shapes}, {name} is defined ({rule}), so it should be an "
                            f"array, not None", expected, None)
        compare_item = hadamard_mismatch if name.startswith("H") else matmul_mismatch
        item = "first item" if name.startswith("H") else "second item"
        problem = compare_item(value, got[0].note, A, B, expected, f"{name} ({item})")
        if problem:
            return problem
    return None


@checks.add("hadamard_vs_matmul", points=2, strategy=square_pairs(),
            says="for two n x n matrices both products exist: hadamard_vs_matmul(A, B) should "
                 "return (A ∘ B, A @ B), in that order")
def both_products_for_square_matrices(example, got, ref):
    return quiz_mismatch(example, got, ref)


@checks.add("hadamard_vs_matmul", points=2, strategy=one_or_no_product(),
            says="hadamard_vs_matmul(A, B) should return None for a product the shapes do not "
                 "allow: A ∘ B needs equal shapes, A @ B needs A.shape[1] == B.shape[0]")
def none_for_undefined_products(example, got, ref):
    return quiz_mismatch(example, got, ref)


@checks.add("hadamard_vs_matmul", points=1, strategy=non_matrix_pairs(), handles_errors=True,
            examples=20,
            says="hadamard_vs_matmul(A, B) should raise ValueError unless A and B are both 2-D")
def quiz_rejects_non_matrices(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("hadamard_vs_matmul", points=1, strategy=square_pairs(),
            calls=unchanged_call("hadamard_vs_matmul"), examples=30,
            says="hadamard_vs_matmul(A, B) must not modify A or B")
def quiz_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
