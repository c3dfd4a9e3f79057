"""Composable hypothesis strategies for the hidden checks (one place, minitorch style).

Inputs must reach the regions where bugs live: sizes 0 and 1, shapes whose dimensions all differ
(so a swapped axis shows), negatives and exact zeros, large magnitudes, integer dtypes, and
memory layouts a learner may not expect (Fortran order, non-contiguous views).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Magnitudes chosen so float64 sums cannot overflow while cancellation still happens.
SMALL = 10.0
LARGE = 1e6
INT_RANGE = 50

# The dtypes of most checks' arrays: mostly float64, sometimes float32 or int64.
MIXED_DTYPES = ("float64", "float64", "float32", "int64")
# One family per example: operands of mixed dtypes, or all float32 (float32 arithmetic
# throughout), or all integer.
DTYPE_FAMILIES = st.sampled_from([MIXED_DTYPES, MIXED_DTYPES, ("float32",), ("int64",)])


def finite_floats(bound: float = SMALL) -> st.SearchStrategy[float]:
    """Finite floats in [-bound, bound], with 0, ±1 and halves (values hypothesis shrinks to)."""
    return st.one_of(
        st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False),
        st.sampled_from([0.0, 1.0, -1.0, 0.5, -2.0]),
    )


@st.composite
def layouts(draw, arr: np.ndarray) -> np.ndarray:
    """The same values in C order, Fortran order, or as a non-contiguous view."""
    kind = draw(st.sampled_from(["C", "F", "strided"]))
    if kind == "F":
        return np.array(arr, order="F")  # (np.asfortranarray would turn 0-d into 1-d)
    if kind == "strided" and arr.ndim > 0 and arr.size > 0:
        base = np.zeros(arr.shape[:-1] + (2 * arr.shape[-1],), dtype=arr.dtype)
        base[..., ::2] = arr
        return base[..., ::2]
    return np.array(arr, order="C")


@st.composite
def arrays(draw, shape, *, bound: float = SMALL, dtypes=("float64", "float64", "int64"),
           layout: bool = True) -> np.ndarray:
    """An array of the given shape: mostly float64, sometimes int64, in any memory layout."""
    dtype = draw(st.sampled_from(dtypes))
    if dtype.startswith("int"):
        elements = st.integers(-INT_RANGE, INT_RANGE)
    else:
        elements = finite_floats(bound)
        if dtype == "float32":
            elements = elements.map(lambda v: float(np.float32(v)))
    arr = draw(hnp.arrays(dtype, shape, elements=elements))
    return draw(layouts(arr)) if layout else arr


def dims(min_value: int = 0, max_value: int = 6) -> st.SearchStrategy[int]:
    return st.integers(min_value, max_value)


@st.composite
def distinct_dims(draw, count: int, min_value: int = 1, max_value: int = 7) -> tuple[int, ...]:
    """``count`` sizes that all differ, so that any swapped axis changes a shape."""
    return tuple(draw(st.lists(st.integers(min_value, max_value), min_size=count, max_size=count,
                               unique=True)))


def magnitudes() -> st.SearchStrategy[float]:
    """The largest |entry| an array may have: small most of the time, sometimes large."""
    return st.sampled_from([SMALL, SMALL, LARGE])


# --- matrices built by construction (unit "structure": solve, rank, low_rank, pca, eigen, ...) ---
#
# Numerical linear algebra has many correct answers and condition-dependent accuracy, so value
# checks need matrices whose conditioning is known, and ValueError / rank checks need singular
# matrices with a clear gap between the zero and the non-zero singular values. Both are built from
# a numpy generator seeded by hypothesis (deterministic for a course seed; shrinking acts on the seed).

def seeded_rngs() -> st.SearchStrategy[np.random.Generator]:
    """numpy generators from hypothesis-drawn seeds, for matrices built by construction."""
    return st.integers(0, 2**32 - 1).map(np.random.default_rng)


def random_orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random (n, n) orthogonal matrix: QR of a Gaussian matrix with R's diagonal made positive
    (Haar distributed, Mezzadri 2007)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    d = np.sign(np.diag(r))
    return q * np.where(d == 0, 1.0, d)


def with_singular_values(rng: np.random.Generator, m: int, n: int, s) -> np.ndarray:
    """An (m, n) float64 matrix U diag(s) Vᵀ with U, V random orthonormal columns: its singular
    values are ``s`` (len(s) <= min(m, n); the others are 0), up to rounding of the product."""
    s = np.asarray(s, dtype=np.float64)
    k = s.shape[0]
    u = random_orthogonal(rng, m)[:, :k]
    v = random_orthogonal(rng, n)[:, :k]
    return (u * s) @ v.T


def separated_values(rng: np.random.Generator, k: int, low: float = 1.0, ratio: float = 1.25,
                     spread: float = 3.0) -> np.ndarray:
    """``k`` values, largest first, each at least ``ratio`` times the next, the smallest ``low``
    (a spectrum whose every gap is clear, so singular vectors / eigenvectors are unique up to sign)."""
    steps = ratio * rng.uniform(1.0, spread, size=k - 1) if k > 1 else np.zeros(0)
    values = low * np.concatenate([[1.0], np.cumprod(steps)])
    return values[::-1].copy()
