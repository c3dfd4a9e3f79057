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
