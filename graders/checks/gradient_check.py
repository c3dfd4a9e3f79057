"""Hidden checks for the gradient_check exercise: ``numerical_gradient`` and ``relative_error``.

``numerical_gradient(f, x, h)`` takes a function. Functions cannot cross the wire as code, so
``f`` is one of the trusted functions of :mod:`graders.sandbox.catalogue` with generated
parameters: the learner process rebuilds it by name, and the reference (in this process) calls
the same object. Their exact gradients are known, so the learner's estimate is compared both with
the reference's and with the true gradient, each within a bound derived below.

Error of a central difference (per entry i; g(s) = f(x + s·e_i), u = eps/2)
-------------------------------------------------------------------------------
truncation:  (g(h) - g(-h)) / 2h = g'(0) + h²/12 (g'''(ξ₁) + g'''(ξ₂)),  so  <= h²/6 · M3_i
             with M3_i = max |∂³f/∂x_i³| near x (0 for quadratic and, away from its kinks,
             relu_net; |a_i| |w_i|³ for sines; 1/(6√3) for log_sum_exp).
evaluation:  each computed f(x ± h e_i) is within E(x) of the exact value (E from the rounding
             analysis of each catalogue entry, below); divided by 2h:  (E₊ + E₋) / 2h.
the step:    fl(x_i ± h) - x_i differs from ±h by at most u·(|x_i| + h), which changes the
             quotient by at most (|g'| + h·M2_i)·2u·(|x_i| + h)/h  (M2_i = max |∂²f/∂x_i²|).
the quotient: the subtraction and division round: 4u·(|f₊| + |f₋|)/2h covers any grouping
             (also f₊/2h - f₋/2h).

Against the true gradient the bound is the sum of all four, doubled (the γ_k denominators and
second-order terms). Against the reference, truncation and the step are identical (the points
x ± h e_i are the same numbers in every correct program, see the contract), so the bound is
twice the evaluation and quotient terms: a learner who ignores h or uses a forward difference
changes the truncation error, which is orders of magnitude larger whenever h >= 1e-4.

Every catalogue evaluation is a sum of terms with a few roundings each, so E = (terms + k)·eps·Σ|terms|
by the usual bound |fl(Σ) - Σ| <= γ_n Σ|terms| (Higham §3.1), written with eps = 2u for margin.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from ..sandbox.catalogue import Catalogued
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call

checks = Registry()

EPS = float(np.finfo(np.float64).eps)
U = EPS / 2
ANY_DTYPE = ("float64", "float64", "int64", "float32")
STEPS = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, None)   # None: call without h (the default, 1e-5)


# --- the catalogue functions' exact derivatives and rounding bounds (trusted side only) -----------

def analysis(f: Catalogued, x) -> dict:
    """For f at x (flattened, float64): gradient g, M2, M3 per entry, and E(|x| + h_max)."""
    x = f64(x).reshape(-1)
    p = f.params
    ax = np.abs(x) + 1e-2  # |x ± h| for every step the checks use
    n = x.size
    if f.name == "quadratic":
        A, b = p["A"], p["b"]
        g = 0.5 * (A + A.T) @ x + b
        M2, M3 = np.abs(np.diag(A)), np.zeros(n)
        S = 0.5 * np.sum(np.abs(A) * np.multiply.outer(ax, ax)) + np.sum(np.abs(b) * ax)
        E = (n * n + n + 8) * EPS * S
    elif f.name == "sines":
        a, w = p["a"], p["w"]
        g = a * w * np.cos(w * x)
        M2, M3 = np.abs(a) * w ** 2, np.abs(a) * np.abs(w) ** 3
        # w·x rounds (u|w x|, through |cos| <= 1), sin is within 4 ulp, the product and the sum
        E = EPS * np.sum(np.abs(a) * (np.abs(w) * ax + n + 8))
    elif f.name == "log_sum_exp":
        z = np.exp(x - np.max(x))
        g = z / np.sum(z)
        M2, M3 = np.full(n, 0.25), np.full(n, 1 / (6 * math.sqrt(3)))
        # m + log Σ exp(x - m): |m|·u for the last addition, (n + 8) eps relative for the sum of
        # exponentials (each within 4 ulp), which log turns into an absolute error
        E = EPS * (np.max(ax) + n + 8 + 2 * math.log(n + 1))
    else:  # relu_net: linear between its kinks, and the examples keep x ± h far from them
        W, b, v = p["W"], p["b"], p["v"]
        z = np.sum(W * x, axis=1) + b
        g = W.T @ (v * (z > 0))
        M2 = M3 = np.zeros(n)
        Mz = np.sum(np.abs(W) * ax, axis=1) + np.abs(b)
        E = EPS * (np.sum(np.abs(v) * (n + 4) * Mz) + (len(v) + 4) * np.sum(np.abs(v) * Mz))
    return {"g": g, "M2": M2, "M3": M3, "E": float(E)}


def difference_bounds(f: Catalogued, x, h: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(exact gradient, bound against the exact gradient, bound against the reference), x's shape."""
    shape = np.shape(x)
    xf = f64(x).reshape(-1)
    info = analysis(f, x)
    f_size = np.abs(f(xf)) + np.abs(info["g"]) * h + info["M2"] * h * h + info["E"]  # >= |f(x ± h e_i)|
    evaluation = info["E"] / h                                # (E₊ + E₋) / 2h
    quotient = 4 * U * f_size / h                             # 4u (|f₊| + |f₋|) / 2h
    truncation = h * h / 6 * info["M3"] * 1.01
    step = (np.abs(info["g"]) + h * info["M2"]) * 2 * U * (np.abs(xf) + h) / h
    to_exact = 2 * (truncation + evaluation + quotient + step) + compare.TINY
    to_reference = 2 * (evaluation + quotient) + 4 * U * np.abs(info["g"]) + compare.TINY
    return info["g"].reshape(shape), to_exact.reshape(shape), to_reference.reshape(shape)


# --- strategies ------------------------------------------------------------------------------------

@st.composite
def point_shapes(draw, n_min: int):
    """A shape for x: 0-d, 1-d or 2-d (dims different, so a transposed result shows)."""
    kind = draw(st.sampled_from(["0d", "1d", "1d", "2d"] if n_min <= 1 else ["1d", "2d"]))
    if kind == "0d":
        return ()
    if kind == "1d":
        return (draw(st.integers(n_min, 6)),)
    return draw(gs.distinct_dims(2, 1, 3))


@st.composite
def catalogued_calls(draw):
    """(f, x[, h]) with f from the catalogue and x of any shape, dtype and layout."""
    name = draw(st.sampled_from(["quadratic", "sines", "log_sum_exp", "relu_net"]))
    shape = draw(point_shapes(0 if name == "quadratic" else 1))
    n = int(np.prod(shape, dtype=int))
    x = draw(gs.arrays(shape, bound=draw(st.sampled_from([1.0, gs.SMALL])), dtypes=ANY_DTYPE))
    par = lambda s, bound=3.0: draw(gs.arrays(s, bound=bound, dtypes=("float64",), layout=False))  # noqa: E731
    if name == "quadratic":
        params = {"A": par((n, n)), "b": par((n,))}
    elif name == "sines":
        params = {"a": par((n,)), "w": par((n,))}
    elif name == "log_sum_exp":
        params = {}
    else:
        m = draw(st.integers(1, 4))
        W, v = par((m, n)), par((m,))
        # choose b so that every pre-activation W x + b is at least 0.5 away from the kink at 0;
        # a step moves it by at most max|W|·h <= 3·1e-2, so x ± h e_i stay on the same side
        target = draw(gs.arrays((m,), bound=3.0, dtypes=("float64",), layout=False))
        target = np.where(target >= 0, np.maximum(target, 0.5), np.minimum(target, -0.5))
        b = target - np.sum(W * f64(x).reshape(-1), axis=1)
        params = {"W": W, "b": b, "v": v}
    f = Catalogued(name, params)
    h = draw(st.sampled_from(STEPS))
    if h is None:
        return args(f, x)
    return args(f, x, h) if draw(st.booleans()) else args(f, x, h=h)


def step_of(example) -> float:
    if "h" in example.kwargs:
        return example.kwargs["h"]
    return example.args[2] if len(example.args) > 2 else 1e-5


@st.composite
def bad_steps(draw):
    f = Catalogued("log_sum_exp", {})
    x = draw(gs.arrays((draw(st.integers(1, 4)),)))
    return args(f, x, draw(st.sampled_from([0.0, -1e-5, -0.1, -1.0])))


# --- numerical_gradient ----------------------------------------------------------------------------

def judge_gradient(example, got, expected, bound, what) -> Mismatch | None:
    f, x = example.args[:2]
    value = compare.listed_empty(got[0].value, expected, got[0].note)
    arr = compare.as_float_array(value)
    if arr is not None and arr.shape != np.shape(x):
        return Mismatch(f"the gradient has the wrong shape: it must have x's shape {np.shape(x)}, "
                        f"got {arr.shape}", expected, value)
    return compare.within(value, expected, bound, what)


@checks.add("numerical_gradient", points=2, strategy=catalogued_calls(),
            says="numerical_gradient(f, x, h) should be (f(x + h e_i) - f(x - h e_i)) / (2h) for every "
                 "entry i, computed on a float64 copy of x, with x's shape")
def matches_reference(example, got, ref):
    f, x = example.args[:2]
    _, _, bound = difference_bounds(f, x, step_of(example))
    return judge_gradient(example, got, ref[0].value, bound, "the numerical gradient")


@checks.add("numerical_gradient", points=2, strategy=catalogued_calls(),
            says="numerical_gradient(f, x, h) should approximate the true gradient of f to within "
                 "h²/6·|f'''| (truncation) plus rounding")
def near_true_gradient(example, got, ref):
    f, x = example.args[:2]
    exact, bound, _ = difference_bounds(f, x, step_of(example))
    return judge_gradient(example, got, exact, bound, "the numerical gradient (compared with the exact gradient)")


@checks.add("numerical_gradient", points=1, strategy=catalogued_calls(), calls=unchanged_call("numerical_gradient"),
            says="numerical_gradient must leave x unchanged (nudge a float64 copy, and put each entry back)")
def leaves_x_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


@checks.add("numerical_gradient", points=1, strategy=bad_steps(), handles_errors=True,
            says="numerical_gradient should raise ValueError when the step h is not positive")
def rejects_bad_step(example, got, ref):
    return expect_value_error(example, got, ref)


# --- relative_error --------------------------------------------------------------------------------

@st.composite
def gradient_arrays(draw, shape, bound):
    """Arrays as gradients look: any dtype and layout; no entries below 1e-100 (whose squares
    underflow, so that the plain formula and a scaled norm would disagree)."""
    a = draw(gs.arrays(shape, bound=bound, dtypes=ANY_DTYPE, layout=False))
    a = np.where(np.abs(a) < 1e-100, 0, a).astype(a.dtype)
    return a


@st.composite
def error_pairs(draw):
    """(a, b) of one shape: unrelated, nearly equal (a real gradient check), or one of them zero."""
    ndim = draw(st.integers(0, 2))
    shape = draw(gs.distinct_dims(ndim, 0 if ndim else 1, 5)) if ndim else ()
    bound = draw(st.sampled_from([1e-6, 1.0, gs.SMALL, gs.LARGE]))
    a = draw(gradient_arrays(shape, bound))
    kind = draw(st.sampled_from(["unrelated", "close", "close", "zero"]))
    if kind == "unrelated":
        b = draw(gradient_arrays(shape, bound))
    elif kind == "close":
        noise = draw(gradient_arrays(shape, 1.0)).astype(np.float64)
        b = (f64(a) * (1 + draw(st.sampled_from([1e-3, 1e-7, 1e-10])) * noise)).astype(
            np.float64 if a.dtype.kind == "i" else a.dtype)
    else:
        b = np.zeros(shape, dtype=a.dtype)
    if draw(st.booleans()):
        a, b = b, a
    return args(draw(gs.layouts(a)), draw(gs.layouts(b)))


@st.composite
def equal_pairs(draw):
    """(a, a): the same values twice, including all zeros and empty arrays."""
    shape = draw(st.sampled_from([(), (0,), (3, 0)]) | gs.distinct_dims(draw(st.integers(1, 2)), 1, 5))
    a = draw(gradient_arrays(shape, draw(st.sampled_from([1e-6, 1.0, gs.LARGE]))))
    if draw(st.booleans()):
        a = np.zeros(shape, dtype=a.dtype)
    return args(draw(gs.layouts(a)), draw(gs.layouts(a.copy())))


@st.composite
def mismatched_pairs(draw):
    n, m = draw(gs.distinct_dims(2, 2, 5))
    shapes = draw(st.sampled_from([((n,), (1,)), ((n,), (m,)), ((n, m), (m, n)), ((n,), (n, 1)), ((), (n,))]))
    if draw(st.booleans()):
        shapes = shapes[::-1]
    return args(draw(gs.arrays(shapes[0])), draw(gs.arrays(shapes[1])))


@checks.add("relative_error", points=2, strategy=error_pairs(),
            says="relative_error(a, b) should be ‖a - b‖ / (‖a‖ + ‖b‖), with ‖·‖ the Euclidean norm "
                 "of all entries")
def error_matches_reference(example, got, ref):
    # ‖a - b‖, ‖a‖ and ‖b‖ are each within (n + 3)·u relative (a sum of n squares, the square root,
    # the subtraction), the sum and the quotient add 2u: the ratio is within (n + 6)·eps relative
    # of the exact one for any correct program; two of them differ by at most twice that.
    a, b = example.args
    n = max(np.size(a), 1)
    r = float(ref[0].value)
    bound = 2 * (n + 6) * compare.unit_roundoff(a, b) * r + compare.TINY
    return compare.scalar_within(got[0].value, r, bound, "the relative error")


@checks.add("relative_error", points=1, strategy=equal_pairs(),
            says="relative_error(a, a) should be exactly 0.0, also when a is all zeros or empty "
                 "(0 / 0 counts as agreement here)")
def zero_when_equal(example, got, ref):
    return compare.scalar_within(got[0].value, 0.0, 0.0, "the relative error")


@checks.add("relative_error", points=1, strategy=mismatched_pairs(), handles_errors=True,
            says="relative_error should raise ValueError when a and b have different shapes")
def error_rejects_mismatched_shapes(example, got, ref):
    return expect_value_error(example, got, ref)
