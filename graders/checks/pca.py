"""Hidden checks for ``pca(X, k)`` -> (components, projected, explained_variance_ratio).

PCA has many correct answers: every component may come with either sign, an SVD of the centred
data and an eigendecomposition of its covariance (with N or N - 1) round differently, and when
variances tie only the subspace is determined. The checks accept all of them:

- components are compared with the reference one by one *up to sign*, and only on data whose
  spread is designed with clear gaps (each variance at least 1.25² times the next, so each
  component is unique up to sign); orthonormality is checked on any data;
- ``projected`` is checked against the learner's *own* components, (X - mean) @ componentsᵀ, so
  a flipped component must come with its flipped column, and nothing else is asked;
- the explained variance ratios are unique (singular values are perfectly conditioned) and are
  compared with the reference on any data, ties included.

Bounds, with u the unit roundoff of X's precision and ‖X‖ its Frobenius norm (mean included:
centring rounds relative to it): a backward-stable route computes the exact answer for data
perturbed by E = 16·(N + D)·u·‖X‖. Singular values move by at most E (Weyl), so a ratio
s_j² / Σs² moves by at most about 4·s_1·E / Σs²; the bound is twice that times √min(N, D). The
j-th singular vector turns by at most E / gap_j (Wedin), gap_j the distance from s_j to its
neighbours; the covariance route works with s² and turns by up to s_1 / s_j times more, so the
component bound is 2·(1 + s_1 / s_j)·E / gap_j (reference and learner each within half of it).
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, describe_error, inputs_unchanged, unchanged_call, unpack

checks = Registry()


# --- strategies ----------------------------------------------------------------------------------

@st.composite
def designed_data(draw, min_k: int = 0):
    """X = mean + Z diag(s) Vᵀ: centred orthonormal Z (N, q), orthonormal V (D, q), gapped s.

    Returns (X, k) with k <= q, so the top k components are unique up to sign. The mean is often
    large compared with the spread (a forgotten centring then shows)."""
    N, D = draw(gs.distinct_dims(2, 2, 8))
    q = draw(st.integers(1, min(N - 1, D)))
    dtype = draw(st.sampled_from(["float64", "float64", "float64", "float32"]))
    if dtype == "float32":
        q = min(q, 3)
    rng = draw(gs.seeded_rngs())
    G = rng.standard_normal((N, q))
    Z, _ = np.linalg.qr(G - G.mean(axis=0))  # orthonormal columns, each orthogonal to (1, ..., 1)
    s = gs.separated_values(rng, q, low=1.0, ratio=1.25, spread=1.6)
    V = gs.random_orthogonal(rng, D)[:, :q]
    offset = draw(st.sampled_from([0.0, 1.0, 10.0, 100.0]))
    X = (Z * s) @ V.T + offset * s[0] * rng.uniform(-1, 1, size=D)
    X = (X * draw(st.sampled_from([1.0, 1.0, 1e6, 1e-6]))).astype(dtype)
    k = draw(st.integers(min(min_k, q), q))
    return draw(gs.layouts(X)), k


@st.composite
def any_data(draw):
    """Random data of any dtype (ties and repeated rows included), any k in 0..min(N, D)."""
    N = draw(st.integers(2, 8))
    D = draw(st.integers(0, 8))
    X = draw(gs.arrays((N, D), bound=draw(gs.magnitudes())))
    Xc = f64(X) - f64(X).mean(axis=0)
    assume(D == 0 or np.sum(Xc ** 2) > 1e-100)  # some variance (the contract's precondition)
    return X, draw(st.integers(0, min(N, D)))


@st.composite
def bad_inputs(draw):
    N, D = draw(gs.distinct_dims(2, 2, 6))
    kind = draw(st.sampled_from(["vector", "three_d", "one_row", "negative_k", "k_too_big"]))
    if kind == "vector":
        return args(draw(gs.arrays((N,))), 1)
    if kind == "three_d":
        return args(draw(gs.arrays((2, N, D))), 1)
    if kind == "one_row":
        return args(draw(gs.arrays((1, D))), 1)
    if kind == "negative_k":
        return args(draw(gs.arrays((N, D))), -1)
    return args(draw(gs.arrays((N, D))), min(N, D) + draw(st.integers(1, 2)))


# --- reading and comparing -----------------------------------------------------------------------

def spectrum(X) -> tuple[np.ndarray, np.ndarray, float]:
    """(centred X in float64, singular values of it, the backward error E)."""
    X64 = f64(X)
    Xc = X64 - X64.mean(axis=0)
    s = np.linalg.svd(Xc, compute_uv=False)
    E = 16 * (X64.shape[0] + X64.shape[1]) * compare.unit_roundoff(X) * float(np.linalg.norm(X64))
    return Xc, s, E


def parts(example, outcome, ref_value):
    """The learner's three arrays, as float64 arrays of the reference's shapes, or a Mismatch."""
    items, problem = unpack(outcome.value, 3, "pca")
    if problem:
        return None, Mismatch("pca should return a tuple (components, projected, explained_variance_ratio)",
                              "a tuple of 3 arrays", outcome.value)
    names = ("components", "projected", "explained_variance_ratio")
    shapes = ("(k, D)", "(N, k)", "(k,)")
    result = []
    for item, expected, name, shape in zip(items, ref_value, names, shapes):
        item = compare.listed_empty(item, expected, outcome.note)
        arr = compare.as_float_array(item)
        if arr is None:
            return None, Mismatch(f"{name} is not a numeric array", expected, item)
        if arr.shape != np.shape(expected):
            hint = " (components are the ROWS of Vt: one per row, D entries each)" if name == "components" else ""
            return None, Mismatch(f"{name} should have shape {shape} = {np.shape(expected)}, got "
                                  f"{arr.shape}{hint}", expected, item)
        if not np.all(np.isfinite(arr)):
            return None, Mismatch(f"{name} contains NaN or infinity", expected, item)
        result.append(arr)
    return result, None


def component_bounds(s: np.ndarray, E: float, k: int) -> np.ndarray:
    padded = np.concatenate([[np.inf], s, [0.0]])
    bounds = []
    for j in range(k):
        gap = min(padded[j] - padded[j + 1], padded[j + 1] - padded[j + 2])
        bounds.append(2 * (1 + s[0] / s[j]) * E / gap if gap > 0 else np.inf)
    return np.array(bounds)


@checks.add("pca", points=3, strategy=designed_data().map(lambda e: args(*e)),
            says="components should be the top-k directions of the centred data, largest first (either sign)")
def components_match(example, got, ref):
    arrays, problem = parts(example, got[0], ref[0].value)
    if problem:
        return problem
    components = arrays[0]
    expected = f64(ref[0].value[0])
    X, k = example.args
    _, s, E = spectrum(X)
    for j, bound in enumerate(component_bounds(s, E, k)):
        sign = 1.0 if components[j] @ expected[j] >= 0 else -1.0
        if np.abs(sign * components[j] - expected[j]).max() > bound + compare.TINY:
            rank = "largest" if j == 0 else f"{j + 1}{ {2: 'nd', 3: 'rd'}.get(j + 1, 'th')} largest"
            return Mismatch(f"component {j} is not the direction of the {rank} variance of the centred "
                            f"data (up to sign): centre X, take the rows of Vt, largest first",
                            expected, components)
    return None


@checks.add("pca", points=1, strategy=st.one_of(designed_data(), any_data()).map(lambda e: args(*e)),
            says="the components should be orthonormal: components @ components.T = I")
def components_orthonormal(example, got, ref):
    arrays, problem = parts(example, got[0], ref[0].value)
    if problem:
        return problem
    C = arrays[0]
    X = example.args[0]
    bound = 64 * (sum(np.shape(X)) + 2) * compare.unit_roundoff(X)
    deviation = np.abs(C @ C.T - np.eye(C.shape[0])).max(initial=0.0)
    if deviation > bound:
        return Mismatch(f"the components are not orthonormal: components @ components.T differs from I by "
                        f"{deviation:.3g}", np.eye(C.shape[0]), C @ C.T)
    return None


@checks.add("pca", points=2, strategy=designed_data(min_k=1).map(lambda e: args(*e)),
            says="projected should be (X - X.mean(axis=0)) @ components.T, with your own components")
def projected_matches_components(example, got, ref):
    arrays, problem = parts(example, got[0], ref[0].value)
    if problem:
        return problem
    components, projected = arrays[0], arrays[1]
    Xc, s, E = spectrum(example.args[0])
    expected = Xc @ components.T
    if np.abs(projected - expected).max(initial=0.0) <= 4 * E + compare.TINY:
        return None
    return Mismatch("projected should be the centred data times the transposed components, "
                    "(X - X.mean(axis=0)) @ components.T (if you flip a component, flip its column too)",
                    expected, projected)


@checks.add("pca", points=2, strategy=st.one_of(designed_data(), any_data()).map(lambda e: args(*e)),
            says="explained_variance_ratio[j] should be s[j]² / Σ s², largest first")
def explained_variance(example, got, ref):
    arrays, problem = parts(example, got[0], ref[0].value)
    if problem:
        return problem
    ratio = arrays[2]
    expected = f64(ref[0].value[2])
    _, s, E = spectrum(example.args[0])
    if s.size == 0:
        return None
    total = float(np.sum(s ** 2))
    bound = 8 * np.sqrt(s.size) * s[0] * E / total + compare.TINY
    if np.abs(ratio - expected).max(initial=0.0) <= bound:
        return None
    return Mismatch("explained_variance_ratio should be the squared singular values of the centred data "
                    "divided by the sum of ALL of them (s**2 / (s**2).sum()), the first k", expected, ratio)


@checks.add("pca", points=1, strategy=bad_inputs(), handles_errors=True,
            says="pca should raise ValueError unless X is 2-D with N >= 2 and 0 <= k <= min(N, D)")
def rejects_bad_input(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error in ("ValueError", "LinAlgError"):
        return None
    what = describe_error(out) if out.kind == "raised" else "returned a value"
    return Mismatch(f"should raise ValueError (X must be (N, D) with N >= 2, 0 <= k <= min(N, D)), but {what}",
                    "ValueError", out.error if out.kind == "raised" else out.value)


@checks.add("pca", points=1, strategy=designed_data(min_k=1).map(lambda e: args(*e)),
            calls=unchanged_call("pca"), says="pca must not modify X (centre a copy)")
def leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
