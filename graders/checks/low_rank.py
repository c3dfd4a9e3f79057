"""Hidden checks for ``low_rank_approx(W, r)`` and ``parameter_savings(shape, r)``.

``low_rank_approx`` is judged by the property that defines it (Eckart–Young), not by comparison
with the reference's matrix: when singular values tie at the cut (the identity, integer matrices
with repeated singular values) many rank-r matrices are equally good, and every one of them must
pass. With p = max(m, n), eps the unit roundoff of W's precision and ‖W‖ its Frobenius norm:

- rank: the result has rank at most r, i.e. its (r+1)-th singular value is at most τ;
- optimality: ‖W - Ŵ‖_F <= sqrt(Σ_{i >= r} s_i²) + τ.

τ = 16·(m + n)·eps·‖W‖. A backward-stable SVD returns the exact SVD of W + E with ‖E‖ <= c·p·eps·‖W‖
(Higham §20.3, Golub & Van Loan §8.6); truncating it is off the optimum by at most 2‖E‖_F
(Mirsky's theorem: singular values move by at most ‖E‖), and forming the product adds r·eps·‖W‖.
A wrong truncation is off by a dropped or kept singular value, far more than τ on these inputs.
(A route through the eigenvectors of WᵀW squares the condition number and misses this bound on
matrices with small singular values: the docstring asks for the SVD of W.)

``parameter_savings`` is exact integer arithmetic.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, describe_error, inputs_unchanged, unchanged_call

checks = Registry()


# --- strategies ----------------------------------------------------------------------------------

@st.composite
def weight_matrices(draw, min_size: int = 1) -> np.ndarray:
    """Random matrices of any dtype (ties and zeros included), or matrices with a chosen spectrum."""
    m, n = draw(gs.distinct_dims(2, min_size, 8)) if draw(st.integers(0, 3)) else \
        (lambda k: (k, k))(draw(st.integers(min_size, 6)))
    kind = draw(st.sampled_from(["random", "random", "spectral", "ties", "float32"]))
    rng = draw(gs.seeded_rngs())
    if kind == "random":
        return draw(gs.arrays((m, n), bound=draw(gs.magnitudes())))
    if kind == "ties":  # repeated singular values, e.g. a scaled identity block: many optimal answers
        k = min(m, n)
        s = np.repeat(rng.uniform(1.0, 5.0, size=(k + 1) // 2), 2)[:k]
        return draw(gs.layouts(gs.with_singular_values(rng, m, n, np.sort(s)[::-1])
                               if draw(st.booleans()) else np.eye(m, n, dtype=np.int64) * 3))
    s = gs.separated_values(rng, min(m, n), low=draw(st.sampled_from([1e-3, 1.0])))
    W = gs.with_singular_values(rng, m, n, s) * draw(st.sampled_from([1.0, 1e6, 1e-6]))
    return draw(gs.layouts(W.astype(np.float32) if kind == "float32" else W))


@st.composite
def truncations(draw):
    W = draw(weight_matrices())
    r = draw(st.integers(0, min(W.shape)))
    return args(W, r)


@st.composite
def generous_truncations(draw):
    """r at least the rank of W (a low-rank W by construction), up to beyond min(m, n)."""
    m, n = draw(gs.distinct_dims(2, 1, 8))
    rng = draw(gs.seeded_rngs())
    rank = draw(st.integers(0, min(m, n)))
    if draw(st.booleans()):
        W = rng.integers(-4, 5, size=(m, rank)) @ rng.integers(-4, 5, size=(rank, n))
    else:
        W = gs.with_singular_values(rng, m, n, rng.uniform(1.0, 10.0, size=rank))
    r = draw(st.integers(rank, min(m, n) + 3))
    return args(draw(gs.layouts(W)), r)


@st.composite
def bad_truncations(draw):
    m, n = draw(gs.distinct_dims(2, 1, 5))
    kind = draw(st.sampled_from(["vector", "three_d", "negative_r"]))
    if kind == "negative_r":
        return args(draw(gs.arrays((m, n))), draw(st.sampled_from([-1, -2])))
    shape = (m,) if kind == "vector" else (2, m, n)
    return args(draw(gs.arrays(shape)), 1)


# --- comparing -----------------------------------------------------------------------------------

def tau(W) -> float:
    W64 = f64(W)
    return 16 * sum(W64.shape) * compare.unit_roundoff(W) * float(np.linalg.norm(W64)) + compare.TINY


def eckart_young_problem(example, outcome, expected) -> Mismatch | None:
    W, r = example.args
    W64 = f64(W)
    value = compare.listed_empty(outcome.value, expected, outcome.note)
    arr = compare.as_float_array(value)
    if arr is None:
        return Mismatch("the result is not a numeric array", expected, value)
    if arr.shape != W64.shape:
        return Mismatch(f"the result should have W's shape {W64.shape}, got {arr.shape}", expected, value)
    if not np.all(np.isfinite(arr)):
        return Mismatch("the result contains NaN or infinity", expected, value)
    if W64.size == 0:
        return None
    bound = tau(W)
    s_got = np.linalg.svd(arr, compute_uv=False)
    if r < s_got.size and s_got[r] > bound:
        return Mismatch(f"the result should have rank at most r = {r}, but it has {int(np.sum(s_got > bound))} "
                        f"clearly non-zero singular values (keep only the r largest pieces)", expected, value)
    s = np.linalg.svd(W64, compute_uv=False)
    best = float(np.sqrt(np.sum(s[r:] ** 2)))
    error = float(np.linalg.norm(W64 - arr))
    if error > best + bound:
        return Mismatch(f"not the best rank-{r} approximation: ‖W - result‖_F = {error:.6g}, but the "
                        f"truncated SVD achieves {best:.6g} (the norm of the dropped singular values)",
                        expected, value)
    return None


# --- low_rank_approx -----------------------------------------------------------------------------

@checks.add("low_rank_approx", points=4, strategy=truncations(),
            says="the result should have rank <= r and error ‖W - W_r‖_F = sqrt(Σ dropped s²) (Eckart–Young)")
def best_rank_r(example, got, ref):
    return eckart_young_problem(example, got[0], ref[0].value)


@checks.add("low_rank_approx", points=1, strategy=generous_truncations(),
            says="r >= rank(W), even r > min(m, n), should give W back")
def keeps_everything(example, got, ref):
    return eckart_young_problem(example, got[0], ref[0].value)


@checks.add("low_rank_approx", points=1, strategy=bad_truncations(), handles_errors=True,
            says="low_rank_approx should raise ValueError unless W is 2-D and r >= 0")
def rejects_bad_input(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error in ("ValueError", "LinAlgError"):
        return None
    what = describe_error(out) if out.kind == "raised" else "returned a value"
    return Mismatch(f"should raise ValueError (W must be 2-D, r >= 0), but {what}", "ValueError",
                    out.error if out.kind == "raised" else out.value)


@checks.add("low_rank_approx", points=1, strategy=truncations(), calls=unchanged_call("low_rank_approx"),
            says="low_rank_approx must not modify W")
def leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- parameter_savings ---------------------------------------------------------------------------

@st.composite
def layer_shapes(draw, beyond: bool = False):
    m = draw(st.one_of(st.integers(0, 9), st.sampled_from([64, 128, 300, 512, 768, 1024, 4096])))
    n = draw(st.one_of(st.integers(0, 9), st.sampled_from([10, 256, 512, 1000, 3072, 4096])))
    if beyond:  # r above the break-even rank m·n / (m + n): the factors cost more
        m, n = max(m, 1), max(n, 1)
        r = draw(st.integers(m * n // (m + n) + 1, min(m, n) + 5))
    else:
        r = draw(st.integers(0, max(min(m, n), 0)))
    return args((m, n), r)


def exact_count(example, got, ref) -> Mismatch | None:
    value = got[0].value
    expected = ref[0].value
    arr = compare.as_float_array(value)
    if arr is None or arr.size != 1:
        return Mismatch("parameter_savings should return one integer", expected, value)
    number = float(arr.reshape(()))
    if number != expected:
        (m, n), r = example.args
        return Mismatch(f"a full ({m}, {n}) matrix has m·n = {m * n} parameters and rank-{r} factors "
                        f"(m, r) and (r, n) have r·(m + n) = {r * (m + n)}; the savings are the "
                        f"difference", expected, value)
    return None


@checks.add("parameter_savings", points=1, strategy=layer_shapes(),
            says="parameter_savings((m, n), r) should be m·n - r·(m + n)")
def counts_parameters(example, got, ref):
    return exact_count(example, got, ref)


@checks.add("parameter_savings", points=1, strategy=layer_shapes(beyond=True),
            says="above the break-even rank the savings are negative (the factors are bigger)")
def negative_beyond_break_even(example, got, ref):
    return exact_count(example, got, ref)


@st.composite
def bad_layer_shapes(draw):
    kind = draw(st.sampled_from(["negative_r", "negative_m", "negative_n", "one", "three"]))
    m, n, r = draw(st.integers(1, 50)), draw(st.integers(1, 50)), draw(st.integers(0, 5))
    if kind == "negative_r":
        return args((m, n), -draw(st.integers(1, 3)))
    if kind == "negative_m":
        return args((-m, n), r)
    if kind == "negative_n":
        return args((m, -n), r)
    return args((m,) if kind == "one" else (m, n, 3), r)


@checks.add("parameter_savings", points=1, strategy=bad_layer_shapes(), handles_errors=True,
            says="parameter_savings should raise ValueError for a shape that is not (m, n) >= 0, or r < 0")
def rejects_bad_sizes(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error == "ValueError":
        return None
    what = describe_error(out) if out.kind == "raised" else "returned a value"
    return Mismatch(f"should raise ValueError (shape must be a pair of sizes >= 0, r >= 0), but {what}",
                    "ValueError", out.error if out.kind == "raised" else out.value)
