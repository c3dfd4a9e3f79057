"""Hidden checks for ``solve(A, b)`` and ``inverse(A)``.

Many programs solve a linear system correctly: Gaussian elimination with partial or complete
pivoting, Gauss–Jordan, an LU factorisation with forward and back substitution, multiplying by a
computed inverse, a float32 solve of float32 data. They round differently, so values are judged by
what every one of them guarantees, from the rounding-error analysis of linear systems (Higham,
*Accuracy and Stability of Numerical Algorithms*, §7.1–7.2, §9.4, §14.3). With eps the unit
roundoff of the least precise input (a float32 solve of float32 data is fair) and
κ = ‖A‖∞‖A⁻¹‖∞:

- ``solve``: a backward-stable method returns x̂ with ‖b - A x̂‖ ≲ c·n·eps·ρ·‖A‖‖x̂‖ (ρ the pivot
  growth, small for the matrices here); methods that are not backward stable, such as x = A⁻¹b
  with a computed inverse, still give ‖b - A x̂‖ ≲ c·n·eps·κ·(‖A‖‖x̂‖ + ‖b‖). The check is
  max|A x̂ - b| ≤ 16·(n + 2)·eps·κ·(‖A‖∞·max|x̂| + max|b|), the residual computed in float64.
- ``inverse``: the inverse is unique, and a backward error ε gives a forward error of at most
  κ·ε/(1 - κ·ε) relative to ‖A⁻¹‖; the check is max|X̂ - A⁻¹| ≤ 16·(n + 2)·eps·κ·‖A⁻¹‖∞ against
  the reference.

The value checks use matrices whose conditioning is controlled by construction: U diag(s) Vᵀ with
singular values in [1, 30] (κ₂ ≤ 30), or row-permuted, strictly diagonally dominant integer
matrices (‖A⁻¹‖∞ ≤ 1, so κ∞ ≤ 45), in float64, float32 or int64, any layout, scaled by 1e-12 to
1e6 (the singularity test is relative: a matrix of tiny numbers is perfectly invertible). Every
mistake in the elimination changes the answer by far more than these bounds.

Singular matrices are built to be exactly singular (a zero row or column, a row or column that is
a multiple of another, an integer product B C of rank < n, U diag(s) Vᵀ with zero singular values),
scaled by powers of two. Any elimination leaves pivots below about 1e3·eps·max|A| on them, while
the well-conditioned matrices' pivots exceed max|A| / 100: the contract's relative tolerance
1e-10·max|A| sits far from both, and so does any other sensible relative tolerance.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call

checks = Registry()

KAPPA = 30.0


# --- strategies ----------------------------------------------------------------------------------

def dominant_integer(rng: np.random.Generator, n: int) -> np.ndarray:
    """An (n, n) strictly diagonally dominant int64 matrix (margin >= 1, so ‖A⁻¹‖∞ <= 1)."""
    A = rng.integers(-3, 4, size=(n, n))
    off = np.abs(A).sum(axis=1) - np.abs(np.diag(A))
    np.fill_diagonal(A, (off + rng.integers(1, 4, size=n)) * rng.choice([-1, 1], size=n))
    return A


@st.composite
def well_conditioned(draw, n: int) -> np.ndarray:
    """An (n, n) matrix with κ₂ <= 30 (or κ∞ <= 45 for the integer ones), rows in random order."""
    rng = draw(gs.seeded_rngs())
    kind = draw(st.sampled_from(["spectral", "spectral", "integer", "float32"]))
    if kind == "integer":
        A = dominant_integer(rng, n)[rng.permutation(n)]
    else:
        A = gs.with_singular_values(rng, n, n, rng.uniform(1.0, KAPPA, size=n)) if n else np.zeros((0, 0))
        A = A * draw(st.sampled_from([1.0, 1.0, 1e6, 1e-6, 1e-12]))
        if kind == "float32":
            A = A.astype(np.float32)
    return draw(gs.layouts(A))


@st.composite
def right_hand_sides(draw, n: int, dtypes=("float64", "float64", "int64")) -> np.ndarray:
    """b: (n,) or (n, k) with k != n, any dtype, layout and magnitude."""
    if draw(st.booleans()):
        shape = (n,)
    else:
        shape = (n, draw(st.integers(1, 4).filter(lambda k: k != n)))
    return draw(gs.arrays(shape, bound=draw(gs.magnitudes()), dtypes=dtypes))


def sizes(min_n: int, max_n: int = 7) -> st.SearchStrategy[int]:
    """n in min_n..max_n; 0 (the empty system) now and then, not as often as hypothesis likes it."""
    return st.sampled_from([n for n in range(max(min_n, 1), max_n + 1)] * 3 + ([0] if min_n == 0 else []))


@st.composite
def systems(draw, min_n: int = 0, max_n: int = 7):
    n = draw(sizes(min_n, max_n))
    A = draw(well_conditioned(n))
    # integer systems are integer on both sides often (all-integer arithmetic is a classic trap)
    dtypes = ("int64", "int64", "float64") if A.dtype.kind == "i" else ("float64", "float64", "int64")
    return args(A, draw(right_hand_sides(n, dtypes)))


@st.composite
def square_matrices(draw, min_n: int = 0, max_n: int = 7):
    return args(draw(well_conditioned(draw(sizes(min_n, max_n)))))


def pivot_trap(rng: np.random.Generator, n: int, delta: float, negative: bool) -> np.ndarray:
    """A well-conditioned matrix whose A[0, 0] is delta (0 or tiny): elimination must swap rows.

    A strictly diagonally dominant B with one off-diagonal entry set to delta, its rows permuted so
    that entry lands at [0, 0]. ``negative``: every other entry of column 0 is made <= 0, so a
    pivot chosen by the largest *value* (instead of the largest absolute value) is the tiny one.
    """
    B = dominant_integer(rng, n).astype(np.float64)
    if negative:
        B[:, 0] = -np.abs(B[:, 0])  # a column sign change keeps B diagonally dominant
    perm = rng.permutation(n)
    if perm[0] == 0:
        perm[[0, 1]] = perm[[1, 0]]
    B[perm[0], 0] = delta  # off the diagonal of B, since perm[0] != 0
    return B[perm]


@st.composite
def pivoting_systems(draw):
    n = draw(st.integers(2, 7))
    rng = draw(gs.seeded_rngs())
    A = pivot_trap(rng, n, draw(st.sampled_from([0.0, 0.0, 1e-20, 1e-14, 1e-10])), draw(st.booleans()))
    A = draw(gs.layouts(A * draw(st.sampled_from([1.0, 1e6, 1e-6]))))
    return args(A, draw(right_hand_sides(n)))


@st.composite
def pivoting_matrices(draw):
    n = draw(st.integers(2, 7))
    rng = draw(gs.seeded_rngs())
    A = pivot_trap(rng, n, draw(st.sampled_from([0.0, 1e-20, 1e-12])), draw(st.booleans()))
    return args(draw(gs.layouts(A)))


SINGULAR_KINDS = ["zero_row", "zero_column", "multiple_row", "multiple_column", "product", "product",
                  "spectral"]


@st.composite
def singular_matrices(draw) -> np.ndarray:
    """An exactly singular (n, n) matrix, n >= 1, scaled by a power of two (so still singular)."""
    n = draw(st.integers(1, 7))
    rng = draw(gs.seeded_rngs())
    kind = draw(st.sampled_from(SINGULAR_KINDS))
    if kind == "product":  # rank r < n, integer
        r = int(rng.integers(0, n))
        A = rng.integers(-5, 6, size=(n, r)) @ rng.integers(-5, 6, size=(r, n))
    elif kind == "spectral":
        r = int(rng.integers(0, n))
        A = gs.with_singular_values(rng, n, n, rng.uniform(1.0, 10.0, size=r))
    else:
        A = rng.integers(-5, 6, size=(n, n)).astype(np.float64)
        if kind.endswith("column"):
            A = A.T.copy()
        i, j = rng.choice(n, size=2, replace=False) if n > 1 else (0, 0)
        zero = kind.startswith("zero") or n == 1
        A[i] = 0.0 if zero else A[j] * rng.choice([1.0, -1.0, 2.0, 0.5, -3.0])
        if kind.endswith("column"):
            A = A.T.copy()
        if np.all(A == np.round(A)) and draw(st.booleans()):
            A = A.astype(np.int64)
    if A.dtype.kind == "f" or draw(st.booleans()):
        A = A * draw(st.sampled_from([1.0, 2.0 ** 30, 2.0 ** -30]))
    return draw(gs.layouts(A))


@st.composite
def singular_systems(draw):
    A = draw(singular_matrices())
    return args(A, draw(right_hand_sides(A.shape[0])))


@st.composite
def bad_systems(draw):
    """Shapes solve must refuse: A not square or not 2-D, b of the wrong length or dimension."""
    m, n = draw(gs.distinct_dims(2, 1, 5))
    kind = draw(st.sampled_from(["wide", "tall", "vector", "three_d", "b_length", "b_three_d",
                                 "b_scalar"]))
    A_shape, b_shape = (n, n), (n,)
    if kind == "wide":
        A_shape, b_shape = (m, n), (m,)
    elif kind == "tall":
        A_shape, b_shape = (n, m), (n,)
    elif kind == "vector":
        A_shape = (n,)
    elif kind == "three_d":
        A_shape, b_shape = (2, n, n), (2, n)
    elif kind == "b_length":
        b_shape = draw(st.sampled_from([(m,), (m, 2)]))
    elif kind == "b_three_d":
        b_shape = (n, 2, 1)
    else:
        b_shape = ()
    rng = draw(gs.seeded_rngs())
    A = dominant_integer(rng, max(A_shape))[:A_shape[0], :A_shape[-1]] if len(A_shape) == 2 else \
        draw(gs.arrays(A_shape))
    return args(draw(gs.layouts(A)), draw(gs.arrays(b_shape)))


@st.composite
def non_square(draw):
    m, n = draw(gs.distinct_dims(2, 1, 5))
    shape = draw(st.sampled_from([(m, n), (n, m), (n,), (2, n, n), ()]))
    return args(draw(gs.arrays(shape)))


# --- comparing -----------------------------------------------------------------------------------

def inf_norm(M: np.ndarray) -> float:
    return float(np.abs(M).sum(axis=1).max(initial=0.0)) if M.ndim == 2 else float(np.abs(M).max(initial=0.0))


def condition(A64: np.ndarray) -> float:
    """κ∞(A) = ‖A‖∞‖A⁻¹‖∞ (1 for the empty matrix)."""
    if A64.shape[0] == 0:
        return 1.0
    return inf_norm(A64) * inf_norm(np.linalg.inv(A64))


def numeric(value, expected, note: str, what: str):
    """(float64 array, None) when ``value`` is a finite array of ``expected``'s shape."""
    value = compare.listed_empty(value, expected, note)
    arr = compare.as_float_array(value)
    if arr is None:
        return None, Mismatch(f"{what} is not a numeric array", expected, value)
    if arr.shape != np.shape(expected):
        return None, Mismatch(f"{what} has the wrong shape: expected {np.shape(expected)}, got {arr.shape}",
                              expected, value)
    if not np.all(np.isfinite(arr)):
        return None, Mismatch(f"{what} contains NaN or infinity (a division by a zero pivot?)",
                              expected, value)
    return arr, None


def residual_problem(A, b, outcome, expected) -> Mismatch | None:
    x, problem = numeric(outcome.value, expected, outcome.note, "x")
    if problem:
        return problem
    A64, b64 = f64(A), f64(b)
    n = A64.shape[0]
    if n == 0:
        return None
    residual = np.abs(A64 @ x - b64).max()
    scale = inf_norm(A64) * np.abs(x).max() + np.abs(b64).max()
    bound = 16 * (n + 2) * compare.unit_roundoff(A, b) * condition(A64) * scale + compare.TINY
    if residual <= bound:
        return None
    return Mismatch(f"A @ x does not reproduce b: max|A x - b| = {residual:.3g}, more than rounding "
                    f"explains ({bound:.1e})", expected, x)


def inverse_problem(A, outcome, expected) -> Mismatch | None:
    X, problem = numeric(outcome.value, expected, outcome.note, "the inverse")
    if problem:
        return problem
    A64 = f64(A)
    n = A64.shape[0]
    if n == 0:
        return None
    bound = 16 * (n + 2) * compare.unit_roundoff(A) * condition(A64) * inf_norm(f64(expected))
    if np.abs(X - f64(expected)).max() <= bound + compare.TINY:
        return None
    product = A64 @ X
    return Mismatch(f"this is not the inverse: A @ result should be the identity, but its largest "
                    f"deviation from I is {np.abs(product - np.eye(n)).max():.3g}", expected, X)


# --- solve ---------------------------------------------------------------------------------------

@checks.add("solve", points=4, strategy=systems(),
            says="solve(A, b) should return x with A @ x = b, for b of shape (n,) or (n, k)")
def solves_the_system(example, got, ref):
    A, b = example.args
    return residual_problem(A, b, got[0], ref[0].value)


@checks.add("solve", points=2, strategy=pivoting_systems(),
            says="solve should pivot on the largest entry: A[0, 0] may be 0 or tiny")
def pivots_on_the_largest_entry(example, got, ref):
    A, b = example.args
    return residual_problem(A, b, got[0], ref[0].value)


@checks.add("solve", points=1, strategy=singular_systems(), handles_errors=True,
            says="solve should raise ValueError for a singular A (relative pivot tolerance)")
def rejects_singular(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error == "ValueError":
        return None
    what = f"raised {out.error}" if out.kind == "raised" else "returned a value"
    return Mismatch(f"A is singular, so solve should raise ValueError, but it {what} (compare the "
                    f"pivot with SINGULAR_TOL * max|A|, not with 0)", "ValueError",
                    out.error if out.kind == "raised" else out.value)


@checks.add("solve", points=1, strategy=bad_systems(), handles_errors=True,
            says="solve should raise ValueError unless A is square and b has n rows")
def rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("solve", points=1, strategy=systems(min_n=1), calls=unchanged_call("solve"),
            says="solve must not modify A or b")
def leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- inverse -------------------------------------------------------------------------------------

@checks.add("inverse", points=3, strategy=st.one_of(square_matrices(), pivoting_matrices()),
            says="inverse(A) should equal A⁻¹ (A @ inverse(A) = I)")
def matches_the_inverse(example, got, ref):
    return inverse_problem(example.args[0], got[0], ref[0].value)


@checks.add("inverse", points=1, strategy=singular_matrices().map(args), handles_errors=True,
            says="inverse should raise ValueError for a singular A")
def inverse_rejects_singular(example, got, ref):
    return rejects_singular(example, got, ref)


@checks.add("inverse", points=1, strategy=non_square(), handles_errors=True,
            says="inverse should raise ValueError unless A is a square matrix")
def inverse_rejects_non_square(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("inverse", points=1, strategy=square_matrices(min_n=1), calls=unchanged_call("inverse"),
            says="inverse must not modify A")
def inverse_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
