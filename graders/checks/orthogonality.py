"""Hidden checks for ``gram_schmidt(A)``, ``is_orthogonal(Q, tol)`` and ``orthogonal_init(n, seed)``.

``gram_schmidt``: with independent columns and the convention q_j · a_j > 0 (R's diagonal
positive), Q is unique, so it is compared with the reference. Classical and modified Gram–Schmidt,
re-orthogonalised variants and a sign-fixed Householder QR round differently: modified GS keeps
‖QᵀQ - I‖ within c·u·κ(A), classical GS only within c·u·κ(A)² (Giraud, Langou, Rozložník &
van den Eshof 2005), and each Q is within about the same of the exact one. The bound is
16·(m + n)·u·κ₂(A)², u the unit roundoff of A's precision, on matrices with κ₂(A) <= 30 by
construction (U diag(s) Vᵀ with s in [1, 30], or integer matrices filtered to that). Dependent
columns are built exactly (a zero column, a scaled copy, an integer combination of other columns,
more columns than rows): their remainders are rounding noise, below 1e-13·‖a_j‖, while the
independent columns' remainders exceed ‖a_j‖ / 30, so the contract's 1e-10 is far from both.

``is_orthogonal`` returns a bool: the inputs keep a factor of 100 between the deviation
max|QᵀQ - I| and ``tol`` (and rounding stays far below tol), so the entrywise maximum, the
Frobenius norm and the spectral norm of QᵀQ - I give the same answer.

``orthogonal_init`` follows a recipe the docstring fixes (default_rng(seed), a standard normal
(n, n) matrix, Gram–Schmidt), compared like ``gram_schmidt`` with κ of that matrix (seeds whose
matrix has κ₂ > 100 are skipped, so classical GS passes too); its orthogonality and its
determinism for a seed are checked as properties.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Call, Registry, args, describe_error, inputs_unchanged, unchanged_call

checks = Registry()


def kappa(A) -> float:
    A64 = f64(A)
    if A64.size == 0:
        return 1.0
    s = np.linalg.svd(A64, compute_uv=False)
    return float(s[0] / s[-1]) if s[-1] > 0 else np.inf


# --- strategies: gram_schmidt --------------------------------------------------------------------

@st.composite
def column_shapes(draw):
    kind = draw(st.sampled_from(["tall", "tall", "square", "one", "none"]))
    if kind == "tall":
        n, m = sorted(draw(gs.distinct_dims(2, 1, 8)))
        return m, n
    if kind == "square":
        n = draw(st.integers(1, 6))
        return n, n
    if kind == "one":
        return draw(st.integers(1, 6)), 1
    return draw(st.integers(0, 5)), 0


@st.composite
def independent_columns(draw):
    """(m, n), n <= m, columns independent with κ₂ <= 30, any dtype, layout and scale."""
    m, n = draw(column_shapes())
    rng = draw(gs.seeded_rngs())
    kind = draw(st.sampled_from(["spectral", "spectral", "integer", "float32"]))
    if kind == "integer":
        A = rng.integers(-5, 6, size=(m, n))
        assume(kappa(A) <= 30)
    else:
        A = gs.with_singular_values(rng, m, n, rng.uniform(1.0, 30.0, size=n)) if n else np.zeros((m, 0))
        A = A * draw(st.sampled_from([1.0, 1.0, 1e6, 1e-6]))
        if kind == "float32":
            A = A.astype(np.float32)
    return draw(gs.layouts(A))


@st.composite
def dependent_columns(draw):
    """Columns that are linearly dependent (exactly), or more columns than rows, or not 2-D."""
    kind = draw(st.sampled_from(["zero", "copy", "combination", "combination", "wide", "not_2d"]))
    rng = draw(gs.seeded_rngs())
    if kind == "not_2d":
        return draw(gs.arrays(draw(st.sampled_from([(3,), (2, 3, 2), ()]))))
    if kind == "wide":
        m, n = sorted(draw(gs.distinct_dims(2, 1, 6)))
        return draw(gs.arrays((m, n), bound=draw(gs.magnitudes())))
    m = draw(st.integers(2, 8))
    n = draw(st.integers(2, m))
    integer = draw(st.booleans())
    if integer:
        base = rng.integers(-5, 6, size=(m, n - 1))
        assume(n == 1 or kappa(base) <= 30)
    else:
        base = gs.with_singular_values(rng, m, n - 1, rng.uniform(1.0, 30.0, size=n - 1))
    if kind == "zero":
        extra = np.zeros(m, dtype=base.dtype)
    elif kind == "copy":
        extra = base[:, rng.integers(0, n - 1)] * rng.choice([1, -1, 2, -3])
    else:
        extra = base @ rng.integers(-2, 3, size=n - 1)
    at = int(rng.integers(0, n))
    A = np.insert(base, at, extra, axis=1)
    return draw(gs.layouts(A * draw(st.sampled_from([1.0, 2.0 ** 20, 2.0 ** -20])) if not integer else A))


def orthonormal_problem(A, outcome, expected, what="Q") -> Mismatch | None:
    value = compare.listed_empty(outcome.value, expected, outcome.note)
    Q = compare.as_float_array(value)
    if Q is None:
        return Mismatch(f"{what} is not a numeric array", expected, value)
    if Q.shape != np.shape(expected):
        return Mismatch(f"{what} should have shape {np.shape(expected)}, got {Q.shape}", expected, value)
    if not np.all(np.isfinite(Q)):
        return Mismatch(f"{what} contains NaN or infinity", expected, value)
    m, n = Q.shape
    bound = 16 * (m + n) * compare.unit_roundoff(A) * kappa(A) ** 2 + compare.TINY
    if np.abs(Q - f64(expected)).max(initial=0.0) <= bound:
        return None
    gram = Q.T @ Q
    if np.abs(gram - np.eye(n)).max(initial=0.0) > bound:
        return Mismatch(f"the columns of {what} are not orthonormal: {what}ᵀ{what} differs from I by "
                        f"{np.abs(gram - np.eye(n)).max():.3g}", expected, value)
    return Mismatch(f"{what} is not the Gram–Schmidt result: column j must come from columns 0..j of the "
                    f"input, with q_j · a_j > 0", expected, value)


# --- gram_schmidt --------------------------------------------------------------------------------

@checks.add("gram_schmidt", points=2, strategy=independent_columns().map(args),
            says="gram_schmidt(A) should return orthonormal columns, column j built from a_0..a_j, q_j · a_j > 0")
def matches_gram_schmidt(example, got, ref):
    return orthonormal_problem(example.args[0], got[0], ref[0].value)


@checks.add("gram_schmidt", points=1, strategy=dependent_columns().map(args), handles_errors=True,
            says="gram_schmidt should raise ValueError for dependent columns, more columns than rows, "
                 "or a non-2-D A")
def rejects_dependent_columns(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error == "ValueError":
        return None
    what = describe_error(out) if out.kind == "raised" else "returned a value"
    return Mismatch(f"the columns are linearly dependent (or A is not an (m, n) matrix with n <= m), so "
                    f"gram_schmidt should raise ValueError, but it {what} "
                    f"(compare ‖v‖ with DEPENDENT_TOL * ‖a_j‖, not with 0)", "ValueError",
                    out.error if out.kind == "raised" else out.value)


@checks.add("gram_schmidt", points=1, strategy=independent_columns().map(args),
            calls=unchanged_call("gram_schmidt"), says="gram_schmidt must not modify A")
def leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- is_orthogonal -------------------------------------------------------------------------------

TOLS = [None, None, 1e-12, 1e-8, 1e-5, 1e-3]


def with_tol(Q, tol, positional: bool):
    if tol is None:
        return args(Q)
    return args(Q, tol) if positional else args(Q, tol=tol)


@st.composite
def orthonormal_matrices(draw):
    """Orthonormal columns (square or tall), perhaps slightly off, but within tol/100."""
    tol = draw(st.sampled_from(TOLS))
    kind = draw(st.sampled_from(["random", "random", "tall", "permutation", "float32", "empty"]))
    rng = draw(gs.seeded_rngs())
    n = draw(st.integers(1, 6))
    if kind == "permutation":
        Q = np.eye(n, dtype=np.int64)[rng.permutation(n)] * rng.choice([-1, 1], size=n)
    elif kind == "empty":
        Q = np.zeros((n, 0))
    else:
        m = n + (draw(st.integers(1, 3)) if kind == "tall" else 0)
        Q = gs.random_orthogonal(rng, m)[:, :n]
        if kind == "float32":
            Q = Q.astype(np.float32)
            tol = draw(st.sampled_from([1e-5, 1e-3]))
        elif tol is not None and tol >= 1e-8:  # off by a little, well within tol
            Q = Q * (1 + tol / 200 * rng.uniform(-1, 1, size=n))
    return with_tol(draw(gs.layouts(Q)), tol, draw(st.booleans()))


@st.composite
def almost_orthonormal(draw):
    """Columns that fail by a clear margin: a column too long or short, two columns not at right
    angles, every column scaled, or more columns than rows."""
    tol = draw(st.sampled_from(TOLS))
    limit = 1e-10 if tol is None else tol
    kind = draw(st.sampled_from(["stretched", "stretched", "tilted", "tilted", "scaled", "wide"]))
    rng = draw(gs.seeded_rngs())
    n = draw(st.integers(2, 6))
    m = n + draw(st.integers(0, 2))
    Q = gs.random_orthogonal(rng, m)[:, :n]
    delta = limit * 10 ** rng.uniform(2, 4)
    j = int(rng.integers(0, n))
    if kind == "stretched":
        Q[:, j] *= 1 + delta * rng.choice([-1, 1])
    elif kind == "tilted":
        i = (j + 1) % n
        Q[:, j] = Q[:, j] + delta * Q[:, i]
        Q[:, j] /= np.linalg.norm(Q[:, j])
    elif kind == "scaled":
        Q = Q * draw(st.sampled_from([2.0, 0.5, -3.0]))
    else:
        Q = gs.random_orthogonal(rng, n)[: n - 1]  # (n - 1, n): n columns in n - 1 dimensions
    return with_tol(draw(gs.layouts(Q)), tol, draw(st.booleans()))


@st.composite
def bad_orthogonal_inputs(draw):
    kind = draw(st.sampled_from(["vector", "three_d", "scalar", "negative_tol"]))
    if kind == "negative_tol":
        return args(np.eye(3), -1e-10)
    shape = {"vector": (3,), "three_d": (2, 3, 3), "scalar": ()}[kind]
    return args(draw(gs.arrays(shape)))


def boolean_problem(outcome, expected: bool) -> Mismatch | None:
    value = outcome.value
    ok = isinstance(value, (bool, np.bool_)) or (
        isinstance(value, np.ndarray) and value.dtype == bool and value.size == 1)
    if not ok:
        return Mismatch("is_orthogonal should return True or False", expected, value)
    if bool(np.asarray(value).reshape(())) == expected:
        return None
    deviation = "at most tol" if expected else "more than tol"
    return Mismatch(f"should be {expected}: the largest |(QᵀQ - I)[i, j]| here is {deviation} (compare "
                    f"QᵀQ, the columns, with I entry by entry)", expected, value)


@checks.add("is_orthogonal", points=1, strategy=orthonormal_matrices(),
            says="is_orthogonal should be True when every |(QᵀQ - I)[i, j]| <= tol, also for a tall Q")
def accepts_orthonormal_columns(example, got, ref):
    return boolean_problem(got[0], True)


@checks.add("is_orthogonal", points=1, strategy=almost_orthonormal(),
            says="is_orthogonal should be False when a column's length or an angle is off by more than tol")
def rejects_other_matrices(example, got, ref):
    return boolean_problem(got[0], False)


@checks.add("is_orthogonal", points=1, strategy=bad_orthogonal_inputs(), handles_errors=True,
            says="is_orthogonal should raise ValueError unless Q is 2-D and tol >= 0")
def rejects_bad_input(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error in ("ValueError", "LinAlgError"):
        return None
    what = describe_error(out) if out.kind == "raised" else "returned a value"
    return Mismatch(f"should raise ValueError (Q must be 2-D, tol >= 0), but {what}", "ValueError",
                    out.error if out.kind == "raised" else out.value)


# --- orthogonal_init -----------------------------------------------------------------------------

@st.composite
def init_requests(draw):
    n = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7, 8, 3, 4, 5, 6, 7, 8]))
    seed = draw(st.integers(0, 2**32 - 1))
    assume(kappa(np.random.default_rng(seed).standard_normal((n, n))) <= 100)
    return args(n, seed)


@checks.add("orthogonal_init", points=1, strategy=init_requests(),
            says="orthogonal_init(n, seed) should be gram_schmidt(default_rng(seed).standard_normal((n, n)))")
def follows_the_recipe(example, got, ref):
    n, seed = example.args
    G = np.random.default_rng(seed).standard_normal((n, n))
    return orthonormal_problem(G, got[0], ref[0].value)


@checks.add("orthogonal_init", points=1, strategy=init_requests(),
            says="orthogonal_init should return an orthogonal (n, n) matrix: QᵀQ = Q Qᵀ = I, so ‖Qx‖ = ‖x‖")
def is_orthogonal_matrix(example, got, ref):
    n, seed = example.args
    value = compare.listed_empty(got[0].value, ref[0].value, got[0].note)
    Q = compare.as_float_array(value)
    if Q is None or Q.shape != (n, n) or not np.all(np.isfinite(Q)):
        shape = None if Q is None else Q.shape
        return Mismatch(f"orthogonal_init({n}, seed) should return a finite ({n}, {n}) array, got shape {shape}",
                        ref[0].value, value)
    G = np.random.default_rng(seed).standard_normal((n, n))
    bound = 16 * (2 * n + 2) * compare.unit_roundoff(G) * kappa(G) ** 2
    worst = max(np.abs(Q.T @ Q - np.eye(n)).max(initial=0.0), np.abs(Q @ Q.T - np.eye(n)).max(initial=0.0))
    if worst > bound:
        return Mismatch(f"not orthogonal: QᵀQ or Q Qᵀ differs from I by {worst:.3g} (a scaled random matrix is "
                        f"not orthogonal; orthonormalise its columns)", np.eye(n), Q.T @ Q)
    return None


def same_seed_twice(example):
    n, seed = example.args
    return [Call("orthogonal_init", args(n, seed)), Call("orthogonal_init", args(n, seed)),
            Call("orthogonal_init", args(n, (seed + 1) % 2**32))]


@st.composite
def seeded_requests(draw):
    n = draw(st.integers(2, 6))
    seed = draw(st.integers(0, 2**32 - 2))
    rngs = [np.random.default_rng(s).standard_normal((n, n)) for s in (seed, seed + 1)]
    assume(all(kappa(G) <= 100 for G in rngs))
    return args(n, seed)


@checks.add("orthogonal_init", points=1, strategy=seeded_requests(), calls=same_seed_twice,
            says="the same seed should give the same matrix, and another seed another matrix")
def determined_by_the_seed(example, got, ref):
    first, again, other = (compare.as_float_array(o.value) for o in got)
    if first is None or again is None or other is None or first.shape != again.shape:
        return Mismatch("orthogonal_init should return an array", ref[0].value, got[0].value)
    if not np.array_equal(first, again):
        return Mismatch("the same seed gave two different matrices: draw from "
                        "np.random.default_rng(seed), not from an unseeded generator", first, again)
    if first.shape == other.shape and np.array_equal(first, other):
        return Mismatch("seeds s and s + 1 gave the same matrix: the seed must choose the matrix",
                        ref[2].value, other)
    return None
