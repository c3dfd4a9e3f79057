"""Hidden checks for ``matrix_rank(A, tol=None)``.

The rank is an integer, so results are compared exactly; fairness comes from the inputs. Computed
singular values of a rank-deficient matrix are rounding noise (a few eps·σ_max) instead of 0, and
different SVD routines (or an SVD in float32 rather than float64) produce different noise. So
every matrix here has a *clear gap*: each of its singular values is either below 1/20 of the
default tolerance max(m, n)·eps·σ_max or above 1000 times it. Any correct program, with any SVD
routine and either precision the docstring allows, counts the same values. The matrices are
built to have rank r (U diag(s) Vᵀ with r non-zero s in [1, 10], or an integer product B C with
an inner size r), then scaled by 1e-12 ... 1e6 (or exact powers of two for integer products):
the default tolerance is relative, and a rank that changes with the scale is wrong.

With an explicit ``tol`` (an absolute threshold), the singular values are spread out (each at
least 3 times the next) and ``tol`` is the geometric mean of two neighbours, or below or above all
of them, so "> tol" and ">= tol" and every rounding agree.

``np.linalg.svd`` raises ``LinAlgError`` (a subclass of ValueError) for a 1-D array; the
bad-input check accepts it as the ValueError it is.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch
from . import Registry, args, describe_error, inputs_unchanged, unchanged_call

checks = Registry()


def default_tol(A) -> tuple[np.ndarray, float]:
    """(singular values, default tolerance), computed as numpy's matrix_rank does."""
    A = np.asarray(A)
    if A.dtype.kind != "f":
        A = A.astype(np.float64)
    s = np.linalg.svd(A, compute_uv=False)
    return s, max(A.shape) * float(np.finfo(s.dtype).eps) * float(s.max(initial=0.0))


def clear_gap(A) -> bool:
    """Every singular value far below or far above the default tolerance (in float64 and float32)."""
    for B in (np.asarray(A, dtype=np.float64), np.asarray(A)):
        s, tol = default_tol(B)
        if np.any((s > tol / 20) & (s < 1000 * tol)):
            return False
    return True


# --- strategies ----------------------------------------------------------------------------------

@st.composite
def matrix_shapes(draw, min_size: int = 1):
    kind = draw(st.sampled_from(["distinct", "distinct", "square", "vector"]))
    if kind == "distinct":
        return draw(gs.distinct_dims(2, max(min_size, 1), 8))
    if kind == "square":
        n = draw(st.integers(max(min_size, 1), 7))
        return n, n
    n = draw(st.integers(2, 7))
    return draw(st.sampled_from([(1, n), (n, 1)]))


@st.composite
def low_rank_matrices(draw, scales=(1.0, 1.0, 1e6, 1e-6, 1e-12), min_size: int = 1):
    """An (m, n) matrix of rank r (0 <= r <= min(m, n)) with a clear gap, any dtype and layout."""
    m, n = draw(matrix_shapes(min_size))
    rng = draw(gs.seeded_rngs())
    r = draw(st.integers(0, min(m, n)))
    kind = draw(st.sampled_from(["spectral", "spectral", "integer", "float32"]))
    if kind == "spectral":
        A = gs.with_singular_values(rng, m, n, rng.uniform(1.0, 10.0, size=r))
        A = A * draw(st.sampled_from(scales))
    else:
        A = rng.integers(-4, 5, size=(m, r)) @ rng.integers(-4, 5, size=(r, n))
        power = draw(st.sampled_from([0, 0, 20, -20, -40])) if max(scales) > 1 else 0
        if kind == "float32":
            A = (A * 2.0 ** power).astype(np.float32)
        elif power:
            A = A * 2.0 ** power
    assume(clear_gap(A))
    return draw(gs.layouts(A))


@st.composite
def explicit_tolerances(draw):
    """A matrix with spread-out singular values and a tol between two of them (or beyond all)."""
    m, n = draw(matrix_shapes())
    k = min(m, n)
    rng = draw(gs.seeded_rngs())
    s = gs.separated_values(rng, k, low=draw(st.sampled_from([1e-3, 1.0, 1e3])), ratio=3.0)
    A = gs.with_singular_values(rng, m, n, s)
    cut = draw(st.integers(0, k))  # how many values stay above tol
    if cut == 0:
        tol = s[0] * 3.0
    elif cut == k:
        tol = s[-1] / 3.0
    else:
        tol = float(np.sqrt(s[cut - 1] * s[cut]))
    A = draw(gs.layouts(A))
    return args(A, tol=tol) if draw(st.booleans()) else args(A, tol)


@st.composite
def scaled_matrices(draw):
    """Tiny full-rank or huge rank-deficient matrices: a fixed cut-off gets them wrong."""
    m, n = draw(matrix_shapes())
    rng = draw(gs.seeded_rngs())
    k = min(m, n)
    if draw(st.booleans()):
        A = gs.with_singular_values(rng, m, n, rng.uniform(1.0, 10.0, size=k)) * 1e-13
    else:
        r = draw(st.integers(0, k - 1)) if k > 1 else 0
        A = gs.with_singular_values(rng, m, n, rng.uniform(1.0, 10.0, size=r)) * 1e9
    assume(clear_gap(A))
    return args(draw(gs.layouts(A)))


@st.composite
def edge_matrices(draw):
    """Empty matrices, 1 x 1 matrices, zero matrices, single rows and columns."""
    kind = draw(st.sampled_from(["empty", "empty", "one", "zeros", "line"]))
    n = draw(st.integers(1, 5))
    if kind == "empty":
        shape = draw(st.sampled_from([(0, n), (n, 0), (0, 0)]))
        A = np.zeros(shape, dtype=draw(st.sampled_from(["float64", "int64"])))
    elif kind == "one":
        A = draw(gs.arrays((1, 1)))
    elif kind == "zeros":
        A = np.zeros(draw(gs.distinct_dims(2, 1, 6)), dtype=draw(st.sampled_from(["float64", "int64"])))
    else:
        A = draw(gs.arrays(draw(st.sampled_from([(1, n + 1), (n + 1, 1)])), bound=draw(gs.magnitudes())))
    return args(draw(gs.layouts(A)))


@st.composite
def bad_inputs(draw):
    n = draw(st.integers(1, 5))
    kind = draw(st.sampled_from(["vector", "scalar", "three_d", "negative_tol"]))
    if kind == "negative_tol":
        return args(draw(gs.arrays((n, n + 1))), tol=draw(st.sampled_from([-1.0, -1e-12])))
    shape = {"vector": (n,), "scalar": (), "three_d": (2, n, n + 1)}[kind]
    return args(draw(gs.arrays(shape)))


# --- comparing -----------------------------------------------------------------------------------

def same_rank(example, got, ref, hint: str = "") -> Mismatch | None:
    problem = compare.scalar_within(got[0].value, ref[0].value, 0.0, "the rank")
    if problem is None:
        return None
    if "wrong value" in problem.summary:
        return Mismatch(f"the rank should be {ref[0].value}{hint}", ref[0].value, got[0].value)
    return problem


@checks.add("matrix_rank", points=4, strategy=low_rank_matrices().map(args),
            says="matrix_rank should count the singular values above max(m, n)·eps·s[0]")
def counts_singular_values(example, got, ref):
    return same_rank(example, got, ref, " (count the singular values above the relative default "
                                         "tolerance: rounding noise is not rank)")


@checks.add("matrix_rank", points=2, strategy=explicit_tolerances(),
            says="matrix_rank(A, tol) should count the singular values above the given tol")
def uses_the_given_tol(example, got, ref):
    return same_rank(example, got, ref, " (with tol given, count the s[i] > tol, tol used as it is)")


@checks.add("matrix_rank", points=1, strategy=scaled_matrices(),
            says="the rank should not change when A is scaled by 1e-13 or 1e9 (relative tolerance)")
def tolerance_is_relative(example, got, ref):
    return same_rank(example, got, ref, " (the default tolerance is relative to s[0], so scaling A "
                                         "does not change the rank)")


@checks.add("matrix_rank", points=1, strategy=edge_matrices(),
            says="empty and zero matrices have rank 0; a non-zero row or column has rank 1")
def handles_edge_cases(example, got, ref):
    return same_rank(example, got, ref)


@checks.add("matrix_rank", points=1, strategy=bad_inputs(), handles_errors=True,
            says="matrix_rank should raise ValueError unless A is 2-D and tol >= 0")
def rejects_bad_input(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error in ("ValueError", "LinAlgError"):
        return None
    what = describe_error(out) if out.kind == "raised" else "returned a value"
    return Mismatch(f"should raise ValueError (A must be 2-D, tol >= 0), but {what}", "ValueError",
                    out.error if out.kind == "raised" else out.value)


@checks.add("matrix_rank", points=1, strategy=low_rank_matrices(scales=(1.0,)).map(args),
            calls=unchanged_call("matrix_rank"), says="matrix_rank must not modify A")
def leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
