"""Hidden checks for ``power_iteration(A, num_iters, seed)`` -> (eigenvalue, eigenvector).

Two kinds of checks, so that no correct program is rejected:

- *After many steps* (100 or 200 on matrices whose dominant eigenvalue is at least 1/0.6 times
  larger in size than every other one, so that 0.6¹⁰⁰ ≈ 1e-22 of the start is left), only the
  eigenpair itself is checked: the eigenvalue against λ₁ from ``np.linalg.eigh`` (with its sign),
  the vector against ±v₁, its length 1. Any start vector, any normalisation in between passes.
  Bounds (u the unit roundoff of A's precision, ρ = |λ₂|/|λ₁|): each step's matrix–vector product
  errs by γ_n‖A‖; power iteration shrinks old errors by ρ per step, so the iterate settles within
  16·(n + 2)·u·|λ₁| / (|λ₁| - |λ₂|) of ±v₁ (plus ρ^K·1e8 for a start with a component along v₁ as
  small as 1e-8); the Rayleigh quotient is then within 16·(n + 2)·u·|λ₁| + |λ₁|·θ² of λ₁.
- *After a few steps* (0 to 6), the contract's procedure is followed exactly (the start vector
  ``default_rng(seed).standard_normal(n)``, normalised; then x <- A x / ‖A x‖; the Rayleigh quotient
  of the final x), so (eigenvalue, ±eigenvector) are compared with the reference's. The bound is a
  running first-order error bound of that procedure: ε₀ = 4u and
  ε_{j+1} = 2·(‖A‖₂·ε_j + γ_{n+2}·‖|A||x_j|‖) / ‖A x_j‖ + 4u for the vector, and
  2·‖A‖₂·ε + γ_{n+2}·‖A‖₂ for the eigenvalue, doubled (reference and learner each within it).
  The eigenvector is compared up to sign: a program that normalises differently in between
  (dividing by max|y|, say) follows the same directions.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, describe_error, inputs_unchanged, unchanged_call, unpack

checks = Registry()

RATIO = 0.6


def dominant(A) -> tuple[float, np.ndarray, float]:
    """(λ₁, v₁, ρ = |λ₂| / |λ₁|) of a symmetric matrix, from eigh (trusted side)."""
    values, vectors = np.linalg.eigh(f64(A))
    order = np.argsort(-np.abs(values))
    values, vectors = values[order], vectors[:, order]
    ratio = abs(values[1]) / abs(values[0]) if values.size > 1 and values[0] != 0 else 0.0
    return float(values[0]), vectors[:, 0], float(ratio)


# --- strategies ----------------------------------------------------------------------------------

@st.composite
def gapped_symmetric(draw, sign=None, scales=(1.0, 1.0, 1e3, 1e-3)) -> np.ndarray:
    """A symmetric (n, n) matrix whose dominant eigenvalue is clearly dominant (|λ₂| <= 0.6 |λ₁|)."""
    n = draw(st.integers(1, 7))
    rng = draw(gs.seeded_rngs())
    top_sign = sign if sign is not None else draw(st.sampled_from([1.0, -1.0]))
    kind = draw(st.sampled_from(["spectral", "spectral", "integer", "float32"]))
    if kind == "integer":  # a big integer rank-one part c v vᵀ plus a small symmetric integer part
        v = rng.integers(-3, 4, size=n)
        assume(np.any(v))
        S = rng.integers(-1, 2, size=(n, n))
        A = int(top_sign) * 4 * np.outer(v, v) + S + S.T
    else:
        top = rng.uniform(1.0, 10.0)
        values = np.concatenate([[top_sign * top], rng.uniform(-0.5, 0.5, size=n - 1) * top])
        Q = gs.random_orthogonal(rng, n)
        A = (Q * values) @ Q.T
        A = (A + A.T) / 2 * draw(st.sampled_from(scales))
        if kind == "float32":
            A = A.astype(np.float32)
    lam, _, ratio = dominant(A)
    assume(ratio <= RATIO and lam != 0 and (sign is None or np.sign(lam) == sign))
    return draw(gs.layouts(A))


@st.composite
def converged_runs(draw, sign=None, iters=100, scales=(1.0, 1.0, 1e3, 1e-3)):
    A = draw(gapped_symmetric(sign, scales))
    return args(A, iters, draw(st.integers(0, 2**32 - 1)))


@st.composite
def short_runs(draw):
    """A symmetric A with eigenvalues of size 1 to 10 (any signs), 0 to 6 steps."""
    n = draw(st.integers(1, 7))
    rng = draw(gs.seeded_rngs())
    if draw(st.integers(0, 3)) == 0:
        B = rng.integers(-4, 5, size=(n, n))
        A = B + B.T
        assume(np.any(A))
    else:
        values = rng.uniform(1.0, 10.0, size=n) * rng.choice([-1.0, 1.0], size=n)
        Q = gs.random_orthogonal(rng, n)
        A = (Q * values) @ Q.T
        A = (A + A.T) / 2
    return args(draw(gs.layouts(A)), draw(st.integers(0, 6)), draw(st.integers(0, 2**32 - 1)))


@st.composite
def bad_inputs(draw):
    n = draw(st.integers(2, 5))
    kind = draw(st.sampled_from(["wide", "vector", "empty", "three_d", "negative_iters", "zero_matrix"]))
    seed = draw(st.integers(0, 1000))
    if kind == "negative_iters":
        return args(np.eye(n), -1, seed)
    if kind == "zero_matrix":
        return args(np.zeros((n, n), dtype=draw(st.sampled_from(["float64", "int64"]))),
                    draw(st.integers(1, 5)), seed)
    shape = {"wide": (n, n + 1), "vector": (n,), "empty": (0, 0), "three_d": (2, n, n)}[kind]
    return args(draw(gs.arrays(shape)), 3, seed)


# --- reading and comparing -----------------------------------------------------------------------

def pair(outcome, ref_value, n):
    """(eigenvalue, eigenvector as float64 (n,)) from the learner's result, or a Mismatch."""
    items, problem = unpack(outcome.value, 2, "power_iteration")
    if problem:
        return None, None, Mismatch("power_iteration should return a tuple (eigenvalue, eigenvector)",
                                    "(eigenvalue, eigenvector)", outcome.value)
    value, vector = items
    arr = compare.as_float_array(value)
    if arr is None or arr.size != 1 or not np.isfinite(arr).all():
        return None, None, Mismatch("the eigenvalue should be one finite number", ref_value[0], value)
    vec = compare.as_float_array(vector)
    if vec is None or vec.shape != (n,):
        shape = None if vec is None else vec.shape
        return None, None, Mismatch(f"the eigenvector should be an array of shape ({n},), got {shape}",
                                    ref_value[1], vector)
    if not np.all(np.isfinite(vec)):
        return None, None, Mismatch("the eigenvector contains NaN or infinity (normalise at every step)",
                                    ref_value[1], vector)
    return float(arr.reshape(())), vec, None


def aligned(vec: np.ndarray, target: np.ndarray) -> np.ndarray:
    return vec if vec @ target >= 0 else -vec


def eigenpair_problem(example, outcome, ref_value) -> Mismatch | None:
    A, iters, _ = example.args
    n = np.shape(A)[0]
    value, vec, problem = pair(outcome, ref_value, n)
    if problem:
        return problem
    lam, v1, ratio = dominant(A)
    u = compare.unit_roundoff(A)
    theta = 16 * (n + 2) * u * abs(lam) / (abs(lam) * (1 - ratio)) + ratio ** iters * 1e8
    if abs(value - lam) > 16 * (n + 2) * u * abs(lam) + abs(lam) * theta ** 2 + compare.TINY:
        sign = " (xᵀ A x keeps the sign; ‖A x‖ does not)" if lam < 0 and abs(value + lam) < abs(value - lam) else ""
        return Mismatch(f"the eigenvalue should be the dominant one, {lam:.6g}{sign}", lam, value)
    if np.abs(aligned(vec, v1) - v1).max() > theta + compare.TINY:
        return Mismatch("the eigenvector should be the dominant eigenvector (of length 1; either sign)",
                        v1, vec)
    return None


def running_bounds(A, iters: int, seed: int) -> tuple[float, float]:
    """(bound on the vector, bound on the eigenvalue) for the contract's procedure."""
    A64 = f64(A)
    n = A64.shape[0]
    u = float(np.finfo(np.float64).eps) / 2
    g = (n + 2) * u / (1 - (n + 2) * u)
    norm_A = float(np.linalg.norm(A64, 2))
    x = np.random.default_rng(seed).standard_normal(n)
    x = x / np.linalg.norm(x)
    eps = 4 * u
    for _ in range(iters):
        y = A64 @ x
        size = float(np.linalg.norm(y))
        if size == 0:
            return np.inf, np.inf
        eps = 2 * (norm_A * eps + g * float(np.linalg.norm(np.abs(A64) @ np.abs(x)))) / size + 4 * u
        x = y / size
    return 2 * eps, 2 * (2 * norm_A * eps + g * norm_A)


# --- checks --------------------------------------------------------------------------------------

@checks.add("power_iteration", points=3, strategy=converged_runs(),
            says="after 100 steps, (eigenvalue, eigenvector) should be the dominant eigenpair (vector up to sign)")
def finds_the_dominant_eigenpair(example, got, ref):
    return eigenpair_problem(example, got[0], ref[0].value)


@checks.add("power_iteration", points=2, strategy=converged_runs(sign=-1.0),
            says="a negative dominant eigenvalue should come out negative (the Rayleigh quotient xᵀ A x)")
def keeps_the_sign(example, got, ref):
    return eigenpair_problem(example, got[0], ref[0].value)


@checks.add("power_iteration", points=2, strategy=short_runs(),
            says="after 0 to 6 steps the result should follow the docstring's procedure exactly (seeded start)")
def follows_the_procedure(example, got, ref):
    A, iters, seed = example.args
    n = np.shape(A)[0]
    value, vec, problem = pair(got[0], ref[0].value, n)
    if problem:
        return problem
    ref_value, ref_vec = float(ref[0].value[0]), f64(ref[0].value[1])
    vec_bound, value_bound = running_bounds(A, iters, seed)
    if np.abs(aligned(vec, ref_vec) - ref_vec).max() > vec_bound:
        return Mismatch(f"after {iters} steps the vector differs from the procedure's (start from "
                        f"default_rng(seed).standard_normal(n) divided by its norm, then exactly "
                        f"num_iters steps x = A x / ‖A x‖)", ref_vec, vec)
    if abs(value - ref_value) > value_bound:
        return Mismatch(f"after {iters} steps the eigenvalue should be the Rayleigh quotient xᵀ A x of the "
                        f"final vector", ref_value, value)
    return None


@checks.add("power_iteration", points=1,
            strategy=converged_runs(iters=200, scales=(1e3, 1e-4, 1e10)),
            says="the eigenvector should have length 1, even when |λ| is far from 1 (normalise every step)")
def returns_a_unit_vector(example, got, ref):
    A = example.args[0]
    n = np.shape(A)[0]
    value, vec, problem = pair(got[0], ref[0].value, n)
    if problem:
        return problem
    length = float(np.linalg.norm(vec))
    if abs(length - 1) > 16 * (n + 2) * compare.unit_roundoff(A):
        return Mismatch(f"the eigenvector should have length 1, got length {length:.6g}", 1.0, length)
    return None


@checks.add("power_iteration", points=1, strategy=bad_inputs(), handles_errors=True,
            says="power_iteration should raise ValueError for a non-square or empty A, num_iters < 0, "
                 "or A x = 0")
def rejects_bad_input(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error in ("ValueError", "LinAlgError"):
        return None
    what = describe_error(out) if out.kind == "raised" else "returned a value"
    return Mismatch(f"should raise ValueError (A square and non-empty, num_iters >= 0, A x never the zero "
                    f"vector), but {what}", "ValueError", out.error if out.kind == "raised" else out.value)


@checks.add("power_iteration", points=1, strategy=short_runs(), calls=unchanged_call("power_iteration"),
            says="power_iteration must not modify A")
def leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
