"""Comparing a learner's value with the reference's, fairly.

Tolerances follow rounding-error analysis instead of one global ``rtol``: a sum of n products
computed in any order differs from the exact value by at most about n·u·Σ|terms| (Higham,
*Accuracy and Stability of Numerical Algorithms*, §3.1), so two correct programs differ by at most
twice that. :func:`reduction_bound` turns that into an elementwise bound; exact expectations
(ReLU's zeros, masked attention weights) are compared with :func:`same_exactly`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TINY = 1e-300  # absolute slack for results that underflow differently in another order


@dataclass(frozen=True)
class Mismatch:
    """Why a learner value is not acceptable, in plain words, with what was expected."""

    summary: str
    expected: object = None
    got: object = None


def f64(a) -> np.ndarray:
    """``a`` as a float64 array (what the bounds are computed in)."""
    return np.asarray(a, dtype=np.float64)


def unit_roundoff(*arrays) -> float:
    """Machine epsilon of the least precise floating input (float64 for integer inputs)."""
    eps = np.finfo(np.float64).eps
    for a in arrays:
        a = np.asarray(a)
        if a.dtype.kind == "f":
            eps = max(eps, float(np.finfo(a.dtype).eps))
    return eps


def reduction_bound(n_terms, abs_sum, eps: float, extra_ops: int = 2) -> np.ndarray:
    """Largest difference two correct evaluations of a sum of ``n_terms`` products may show.

    ``abs_sum`` is Σ|terms| (same shape as the result). Each evaluation is within
    γ_k·Σ|terms| of the exact sum with k = n_terms + extra_ops; γ_k ≈ k·u and u = eps/2,
    so two evaluations are within 2·k·u·Σ|terms| = k·eps·Σ|terms| of each other. A factor 2
    of slack covers the γ_k denominator and conversions of integer inputs.
    """
    k = np.asarray(n_terms, dtype=np.float64) + extra_ops
    return 2.0 * k * eps * np.asarray(abs_sum, dtype=np.float64) + TINY


def as_float_array(value) -> np.ndarray | None:
    """``value`` as a float64 array, or None if it is not numeric (lists of numbers are fine)."""
    try:
        arr = np.asarray(value)
    except Exception:
        return None
    if arr.dtype.kind not in "biuf":
        return None
    return arr.astype(np.float64)


def _shape_problem(got: np.ndarray, expected: np.ndarray, what: str) -> Mismatch | None:
    if got.shape != expected.shape:
        hint = ""
        if got.shape == expected.shape[::-1] and got.ndim == 2:
            hint = " (rows and columns swapped?)"
        return Mismatch(f"{what} has the wrong shape: expected {expected.shape}, got {got.shape}{hint}",
                        expected, got)
    return None


def within(got, expected, bound, what: str = "the result") -> Mismatch | None:
    """Elementwise |got - expected| <= bound, with the same shape and only finite values."""
    exp = np.asarray(expected, dtype=np.float64)
    arr = as_float_array(got)
    if arr is None:
        return Mismatch(f"{what} is not a numeric array", expected, got)
    problem = _shape_problem(arr, exp, what)
    if problem:
        return problem
    if not np.all(np.isfinite(arr)):
        return Mismatch(f"{what} contains NaN or infinity", expected, got)
    if np.all(np.abs(arr - exp) <= np.broadcast_to(bound, exp.shape)):
        return None
    return Mismatch(f"{what} has the wrong values", expected, got)


def same_exactly(got, expected, what: str = "the result") -> Mismatch | None:
    """Same shape and exactly the same values (for results the contract makes exact)."""
    exp = np.asarray(expected, dtype=np.float64)
    arr = as_float_array(got)
    if arr is None:
        return Mismatch(f"{what} is not a numeric array", expected, got)
    problem = _shape_problem(arr, exp, what)
    if problem:
        return problem
    if np.array_equal(arr, exp):
        return None
    return Mismatch(f"{what} has the wrong values", expected, got)


def scalar_within(got, expected: float, bound: float, what: str = "the result") -> Mismatch | None:
    """A scalar result: a Python number, a numpy scalar or a 0-d array are all accepted."""
    arr = as_float_array(got)
    if arr is None or arr.size != 1 or arr.ndim > 1:
        shape = "a non-numeric value" if arr is None else f"an array of shape {arr.shape}"
        return Mismatch(f"{what} should be a single number, got {shape}", expected, got)
    value = float(arr.reshape(()))
    if not np.isfinite(value):
        return Mismatch(f"{what} is NaN or infinite", expected, got)
    if abs(value - float(expected)) <= bound:
        return None
    return Mismatch(f"{what} has the wrong value", expected, got)


def underflow_slack(n_ops, *arrays) -> float:
    """Absolute slack for ``n_ops`` roundings that may land in the subnormal range.

    Relative bounds such as :func:`reduction_bound` miss underflow: in float32 the product of two
    entries near 1e-25 is 0, while in float64 it is 1e-50, so a float32 and a float64 evaluation
    differ by more than any multiple of their (tiny) magnitudes. A rounding that underflows is
    off by at most half the smallest subnormal of its precision: the least precise float input's
    (float64's for integer inputs). Add ``n_ops`` of them to a relative bound.
    """
    tiny = float(np.finfo(np.float64).smallest_subnormal)
    for a in arrays:
        a = np.asarray(a)
        if a.dtype.kind == "f":
            tiny = max(tiny, float(np.finfo(a.dtype).smallest_subnormal))
    return float(n_ops) * tiny


def listed_empty(value, expected, note: str = ""):
    """A learner's empty *list* read as the empty array it stands for.

    A Python list cannot spell an empty shape such as (0, 3): ``[]`` is all it can say (it can
    spell (3, 0) as ``[[], [], []]``). When the learner returned a list (``note`` from the
    outcome says so), the list is empty, ``expected`` is empty, and the list's shape is the
    start of ``expected``'s shape, the value is taken as an empty array of ``expected``'s shape.
    Any other value is returned unchanged, for :func:`within` or :func:`same_exactly` to judge.
    """
    if "list" not in (note or ""):
        return value
    arr = as_float_array(value)
    exp = np.asarray(expected)
    if arr is None or arr.ndim == 0 or arr.size or exp.size or arr.shape[-1] != 0:
        return value
    if exp.shape[:arr.ndim] == arr.shape:
        return np.zeros(exp.shape)
    return value
