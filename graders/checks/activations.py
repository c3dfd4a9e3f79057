"""Hidden checks for ``sigmoid``, ``sigmoid_grad``, ``tanh`` and ``tanh_grad``.

Instability is judged by the values, since the learner process cannot report numpy's overflow
warnings: the naive ``1 / (1 + exp(-x))`` returns 0 for x in (-745, -709.8), where the true
sigmoid is a positive float64 (sigmoid(-720) ≈ 2.03e-313); ``exp(x) / (1 + exp(x))`` returns nan
for x > 709.8; the textbook tanh returns nan for |x| > 710 (or > 355 for the e^(2x) form).

Bounds, with u = eps/2 of the input's precision and s = sigmoid(x):

- ``sigmoid`` is accurate relative to s. Its condition number is |x|·(1 - s): rounding x by u
  already moves s by |x|·(1 - s)·u relative, so a backward-stable formula (the two-branch one,
  exp(-logaddexp(0, -x)), ...) is within (|x|·(1 - s) + 4)·u·s. The bound is twice that for
  two evaluations, (|x|·(1 - s) + 8)·eps·s, plus a few subnormals of the input's precision (for
  s in the subnormal range).
- ``sigmoid_grad`` = s·(1 - s) from such an s is within (|x|·(1 - s) + 4)·u·(g + s²) + 2u·g of
  g = s(1 - s): relative in the left tail, about u·s² where s is near 1 (1 - s rounds).
- ``tanh`` and ``tanh_grad`` lie in [-1, 1] and are compared in absolute terms: 2σ(2x) - 1,
  sign(x)(1 - e^(-2|x|))/(1 + e^(-2|x|)) and friends are within about 8u of tanh, and 1 - t²
  within about 18u; the bounds are 12·eps and 20·eps.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, inputs_unchanged, unchanged_call

checks = Registry()


# --- strategies ---------------------------------------------------------------------------------

@st.composite
def any_shapes(draw) -> tuple[int, ...]:
    """0-d to 3-D, sides 0 to 6, all different when there are several."""
    ndim = draw(st.sampled_from([0, 1, 1, 2, 2, 3]))
    return draw(gs.distinct_dims(ndim, 0, 6)) if ndim else ()


@st.composite
def inputs(draw, dtypes=gs.MIXED_DTYPES):
    """Arrays of any shape; entries up to ±10 mostly (the curved part), sometimes ±1e6."""
    return args(draw(gs.arrays(draw(any_shapes()), bound=draw(gs.magnitudes()), dtypes=dtypes)))


SIGMOID_TAIL = [-745.0, -744.0, -740.0, -730.0, -720.0, -711.0, -710.0, -709.0, -700.0, -40.0,
                -1000.0, 1000.0, 710.0, 720.0, 800.0, 40.0, 0.0]


@st.composite
def sigmoid_tails(draw):
    """Entries deep in the tails: (-745, -700) where the naive formula gives 0 for a positive
    sigmoid, (700, 1000) where exp(x) overflows, and ±1000."""
    n = draw(gs.dims(1, 8))
    element = st.one_of(st.floats(-745.0, -700.0), st.floats(700.0, 1000.0),
                        st.floats(-1000.0, 1000.0), st.sampled_from(SIGMOID_TAIL))
    x = np.array(draw(st.lists(element, min_size=n, max_size=n)), dtype=np.float64)
    x[draw(st.integers(0, n - 1))] = draw(st.floats(-744.0, -710.0))  # one entry the naive formula zeroes
    if draw(st.booleans()) and n % 2 == 0:
        x = x.reshape(2, n // 2)
    return args(draw(gs.layouts(x)))


TANH_TAIL = [-1000.0, 1000.0, -720.0, 720.0, -400.0, 400.0, -360.0, 360.0, -20.0, 20.0, 0.0]


@st.composite
def tanh_tails(draw):
    """Entries where e^x or e^(2x) overflows (|x| > 355), up to ±1000, and around 0."""
    n = draw(gs.dims(1, 8))
    element = st.one_of(st.floats(-1000.0, -350.0), st.floats(350.0, 1000.0),
                        st.floats(-1000.0, 1000.0), st.sampled_from(TANH_TAIL))
    x = np.array(draw(st.lists(element, min_size=n, max_size=n)), dtype=np.float64)
    x[draw(st.integers(0, n - 1))] = draw(st.sampled_from([-1000.0, 1000.0, -720.0, 720.0, 400.0]))
    if draw(st.booleans()) and n % 2 == 0:
        x = x.reshape(2, n // 2)
    return args(draw(gs.layouts(x)))


# --- comparing ----------------------------------------------------------------------------------

def sigmoid_bound(x, s) -> np.ndarray:
    eps = compare.unit_roundoff(x)
    xf, s = f64(x), f64(s)
    return (np.abs(xf) * (1.0 - s) + 8.0) * eps * s + compare.underflow_slack(4, x)


def sigmoid_grad_bound(x, g) -> np.ndarray:
    xf = f64(x)
    with np.errstate(all="ignore"):
        s = np.where(xf >= 0, 1.0 / (1.0 + np.exp(-np.abs(xf))), np.exp(-np.abs(xf)) / (1.0 + np.exp(-np.abs(xf))))
    eps = compare.unit_roundoff(x)
    return ((np.abs(xf) * (1.0 - s) + 8.0) * eps * (f64(g) + s * s) + 2.0 * eps * f64(g)
            + compare.underflow_slack(6, x))


def tanh_bound(x) -> float:
    return 12.0 * compare.unit_roundoff(x) + compare.underflow_slack(4, x)


def tanh_grad_bound(x) -> float:
    return 20.0 * compare.unit_roundoff(x) + compare.underflow_slack(6, x)


def values_mismatch(outcome, x, expected, bound, what: str, mistakes=()) -> Mismatch | None:
    value = compare.listed_empty(outcome.value, expected, outcome.note)
    mismatch = compare.within(value, expected, bound, what)
    if mismatch is None:
        return None
    arr = compare.as_float_array(value)
    exp = np.asarray(expected, dtype=np.float64)
    if arr is None or arr.shape != exp.shape:
        return mismatch
    xf = f64(x)
    with np.errstate(all="ignore"):
        wrong = ~(np.abs(arr - exp) <= np.broadcast_to(bound, exp.shape)) | ~np.isfinite(arr)
        where = xf[wrong] if xf.shape == wrong.shape else np.array([])
        for candidate, why in mistakes:
            cand = np.asarray(candidate, dtype=np.float64)
            if cand.shape == arr.shape and np.allclose(arr, cand, rtol=1e-9, atol=1e-12, equal_nan=True):
                return Mismatch(f"{mismatch.summary} — {why}", expected, value)
    if where.size:
        x0 = float(where.reshape(-1)[0])
        got0 = float(arr[wrong].reshape(-1)[0])
        exp0 = float(exp[wrong].reshape(-1)[0])
        detail = f" (at x = {x0:.6g}: expected {exp0:.6g}, got {got0:.6g})"
        if not np.isfinite(got0):
            detail += "; exp overflowed — rewrite the formula so the exponent is never positive"
        elif got0 == 0 and exp0 != 0 and x0 < 0:
            detail += "; exp(-x) overflowed to inf for this very negative x — use exp(x) / (1 + exp(x)) for x < 0"
        return Mismatch(f"{mismatch.summary}{detail}", expected, value)
    return mismatch


def misuse_of_output(xf, formula_of_output, name: str, output: str):
    """The derivative formula applied to x instead of to the function's output."""
    return (formula_of_output(xf), f"it looks like the formula was applied to x itself; {name} "
                                   f"takes the input x: compute {output} first")


# --- sigmoid ------------------------------------------------------------------------------------

@checks.add("sigmoid", points=1, strategy=inputs(),
            says="sigmoid(x) should be 1 / (1 + exp(-x)) at every entry, with the shape of x")
def sigmoid_matches_reference(example, got, ref):
    (x,) = example.args
    return values_mismatch(got[0], x, ref[0].value, sigmoid_bound(x, ref[0].value), "sigmoid(x)")


@checks.add("sigmoid", points=1, strategy=sigmoid_tails(),
            says="sigmoid(x) should stay accurate for x as large as ±1000: no nan, and the tiny "
                 "positive values of the left tail (sigmoid(-720) ≈ 2.03e-313) must not become 0")
def sigmoid_stable_in_the_tails(example, got, ref):
    (x,) = example.args
    return values_mismatch(got[0], x, ref[0].value, sigmoid_bound(x, ref[0].value), "sigmoid(x)")


@checks.add("sigmoid", points=0.5, strategy=inputs(dtypes=("int64",)), examples=30,
            says="sigmoid(x) of an integer array should be a float array (np.empty_like of an "
                 "integer x is an integer array, which truncates every value to 0 or 1)")
def sigmoid_of_integers(example, got, ref):
    (x,) = example.args
    return values_mismatch(got[0], x, ref[0].value, sigmoid_bound(x, ref[0].value), "sigmoid(x)")


@checks.add("sigmoid", points=0.5, strategy=inputs(dtypes=("float64",)),
            calls=unchanged_call("sigmoid"), examples=30,
            says="sigmoid(x) must not modify x (fill a new output array)")
def sigmoid_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- sigmoid_grad -------------------------------------------------------------------------------

def sigmoid_grad_mismatch(outcome, x, expected) -> Mismatch | None:
    xf = f64(x)
    with np.errstate(all="ignore"):
        mistakes = [misuse_of_output(xf, lambda v: v * (1 - v), "sigmoid_grad(x)", "s = sigmoid(x)")]
    return values_mismatch(outcome, x, expected, sigmoid_grad_bound(x, expected), "sigmoid_grad(x)",
                           mistakes)


@checks.add("sigmoid_grad", points=1, strategy=inputs(),
            says="sigmoid_grad(x) should be s * (1 - s) with s = sigmoid(x), at every entry")
def sigmoid_grad_matches_reference(example, got, ref):
    return sigmoid_grad_mismatch(got[0], example.args[0], ref[0].value)


@checks.add("sigmoid_grad", points=1, strategy=sigmoid_tails(),
            says="sigmoid_grad(x) should stay accurate for x as large as ±1000 (no nan, and tiny "
                 "positive values in the left tail)")
def sigmoid_grad_stable_in_the_tails(example, got, ref):
    return sigmoid_grad_mismatch(got[0], example.args[0], ref[0].value)


@checks.add("sigmoid_grad", points=0.5, strategy=inputs(dtypes=("float64",)),
            calls=unchanged_call("sigmoid_grad"), examples=30,
            says="sigmoid_grad(x) must not modify x")
def sigmoid_grad_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- tanh ---------------------------------------------------------------------------------------

@checks.add("tanh", points=1, strategy=inputs(),
            says="tanh(x) should be (e^x - e^-x) / (e^x + e^-x) at every entry, with the shape of x")
def tanh_matches_reference(example, got, ref):
    (x,) = example.args
    return values_mismatch(got[0], x, ref[0].value, tanh_bound(x), "tanh(x)")


@checks.add("tanh", points=1, strategy=tanh_tails(),
            says="tanh(x) should be ±1 (never nan) for x as large as ±1000, where e^x overflows")
def tanh_stable_for_large_inputs(example, got, ref):
    (x,) = example.args
    return values_mismatch(got[0], x, ref[0].value, tanh_bound(x), "tanh(x)")


@checks.add("tanh", points=0.5, strategy=inputs(dtypes=("float64",)),
            calls=unchanged_call("tanh"), examples=30,
            says="tanh(x) must not modify x")
def tanh_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- tanh_grad ----------------------------------------------------------------------------------

def tanh_grad_mismatch(outcome, x, expected) -> Mismatch | None:
    xf = f64(x)
    with np.errstate(all="ignore"):
        mistakes = [misuse_of_output(xf, lambda v: 1 - v * v, "tanh_grad(x)", "t = tanh(x)")]
    return values_mismatch(outcome, x, expected, tanh_grad_bound(x), "tanh_grad(x)", mistakes)


@checks.add("tanh_grad", points=1, strategy=inputs(),
            says="tanh_grad(x) should be 1 - t**2 with t = tanh(x), at every entry")
def tanh_grad_matches_reference(example, got, ref):
    return tanh_grad_mismatch(got[0], example.args[0], ref[0].value)


@checks.add("tanh_grad", points=0.5, strategy=tanh_tails(),
            says="tanh_grad(x) should be 0 (never nan) for x as large as ±1000")
def tanh_grad_stable_for_large_inputs(example, got, ref):
    return tanh_grad_mismatch(got[0], example.args[0], ref[0].value)


@checks.add("tanh_grad", points=0.5, strategy=inputs(dtypes=("float64",)),
            calls=unchanged_call("tanh_grad"), examples=30,
            says="tanh_grad(x) must not modify x")
def tanh_grad_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
