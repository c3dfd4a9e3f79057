"""Hidden checks for the optimizers exercise: ``sgd_step``, ``momentum_step`` and ``adam_step``.

Every update is elementwise, so each entry's rounding error is bounded on its own (u = eps/2, the
unit roundoff of the least precise input; float32 inputs may be updated in float32):

- SGD, w - lr·dw: two roundings, |error| <= 2u (|w| + |lr·dw|) for any grouping.
- momentum, v' = β v - lr·dw and w' = w + v': three roundings for v', one more for w' (or four for
  w + βv - lr·dw written out): within 4u of |β v| + |lr·dw| and of |w| + |β v| + |lr·dw|.
- Adam: m' and v' are within 3u (|m| + |dw|) and 3u (v + dw²) (also in the "lerp" form
  m + (1 - β1)(dw - m)). The bias corrections c = 1 - β^t are within
  ρ = (t + 2)·u·β^t / c + u relative (β^t by pow, or by t multiplications). The step
  s = lr·m̂/(√v̂ + ε) then has |error| <= lr·δm/(c1 (√v̂ + ε)) + |s|·(ρ1 + ρ2/2 + 12u), with δm the
  error of m', and w' = w - s adds u (|w| + |s|). This covers the folded form
  lr·√c2/c1 · m'/(√v' + ε√c2) of the Adam paper and PyTorch's as well.

Two correct programs differ by at most twice one program's error; each bound below has a further
factor 1.5 to spare.

Multi-step runs: a check cannot feed the learner's output back into the next call (calls are made
from the example alone), so a run is checked step by step: the example is a short run of the
reference on a quadratic bowl, and every step is one learner call from the reference's state at
that step (t = 1, 2, ... for Adam). Every step must match.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Args, Call, Registry, args, expect_value_error, inputs_unchanged, unchanged_call, unpack

checks = Registry()

ANY_DTYPE = ("float64", "float64", "int64", "float32")
LRS = (0.5, 0.1, 0.01, 1e-3, 0.0)


# --- strategies ------------------------------------------------------------------------------------

@st.composite
def shapes(draw):
    """0-d, empty, 1-d or 2-d with different dims."""
    ndim = draw(st.sampled_from([0, 1, 1, 2, 2]))
    if ndim == 0:
        return ()
    return draw(gs.distinct_dims(ndim, 0 if draw(st.integers(0, 9)) == 0 else 1, 6))


@st.composite
def same_shape_arrays(draw, count: int, nonnegative: tuple = ()):
    shape = draw(shapes())
    bound = draw(gs.magnitudes())
    out = []
    for i in range(count):
        a = draw(gs.arrays(shape, bound=bound, dtypes=ANY_DTYPE, layout=False))
        if i in nonnegative:
            a = np.abs(a)
        out.append(draw(gs.layouts(a)))
    return out


@st.composite
def sgd_inputs(draw):
    w, dw = draw(same_shape_arrays(2))
    lr = draw(st.sampled_from(LRS + (None,)))
    return args(w, dw) if lr is None else args(w, dw, lr)


@st.composite
def momentum_inputs(draw):
    w, dw, v = draw(same_shape_arrays(3))
    if draw(st.booleans()):
        return args(w, dw, v)  # the defaults
    return args(w, dw, v, draw(st.sampled_from(LRS)), draw(st.sampled_from([0.0, 0.5, 0.9, 0.99])))


ADAM_BETAS = [(0.9, 0.999), (0.9, 0.999), (0.5, 0.9), (0.0, 0.99), (0.99, 0.9999)]
ADAM_STEPS = [1, 1, 2, 3, 10, 100, 1000, 100000]


@st.composite
def adam_inputs(draw):
    w, dw, m, v = draw(same_shape_arrays(4, nonnegative=(3,)))  # v, a mean of squares, is >= 0
    if draw(st.integers(0, 3)) == 0:  # the very first step: zero state
        m, v = np.zeros_like(m), np.zeros_like(v)
        t = 1
    else:
        t = draw(st.sampled_from(ADAM_STEPS))
    if draw(st.booleans()):
        return args(w, dw, m, v, t)  # the defaults
    beta1, beta2 = draw(st.sampled_from(ADAM_BETAS))
    return args(w, dw, m, v, t, lr=draw(st.sampled_from(LRS[:-1])), beta1=beta1, beta2=beta2,
                eps=draw(st.sampled_from([1e-8, 1e-6])))


@st.composite
def first_adam_steps(draw):
    """t = 1 from zero state, gradients of every size (also far below and above 1)."""
    shape = draw(gs.distinct_dims(draw(st.integers(1, 2)), 1, 6))
    w = draw(gs.arrays(shape, bound=gs.SMALL, dtypes=ANY_DTYPE))
    dw = draw(gs.arrays(shape, bound=draw(st.sampled_from([1e-3, 1.0, gs.SMALL, gs.LARGE])), dtypes=ANY_DTYPE))
    beta1, beta2 = draw(st.sampled_from(ADAM_BETAS))
    zeros = np.zeros(shape)
    return args(w, dw, zeros, zeros.copy(), 1, lr=draw(st.sampled_from([0.1, 0.01, 1e-3])),
                beta1=beta1, beta2=beta2, eps=1e-8)


@st.composite
def bad_shapes(draw, count: int, with_t: bool = False):
    """One array of a different shape (numpy could broadcast most of them), or Adam's t < 1."""
    n, m = draw(gs.distinct_dims(2, 2, 5))
    shape = draw(st.sampled_from([(n,), (n, m)]))
    arrays = [draw(gs.arrays(shape)) for _ in range(count)]
    kind = draw(st.sampled_from(["shape", "shape", "t"] if with_t else ["shape"]))
    t = 1
    if kind == "shape":
        odd = draw(st.sampled_from([(1,), (m,), (n, 1), (1, n), shape[::-1] + (1,)]))
        arrays[draw(st.integers(1, count - 1)) if draw(st.booleans()) else 0] = draw(gs.arrays(odd))
    else:
        arrays[-1] = np.abs(arrays[-1])
        t = draw(st.sampled_from([0, -1]))
    return args(*arrays, t) if with_t else args(*arrays)


# --- bounds ----------------------------------------------------------------------------------------

def sgd_bound(w, dw, lr) -> np.ndarray:
    M = np.abs(f64(w)) + abs(lr) * np.abs(f64(dw))
    return 1.5 * 2 * compare.unit_roundoff(w, dw) * M + compare.TINY  # 2 · 2u · M = 2 eps M


def momentum_bounds(w, dw, v, lr, beta) -> tuple[np.ndarray, np.ndarray]:
    eps = compare.unit_roundoff(w, dw, v)
    Mv = abs(beta) * np.abs(f64(v)) + abs(lr) * np.abs(f64(dw))
    Mw = np.abs(f64(w)) + Mv
    return 1.5 * 4 * eps * Mw + compare.TINY, 1.5 * 4 * eps * Mv + compare.TINY


def adam_values(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """The exact-formula quantities (in float64) that the Adam bounds are made of."""
    w, dw, m, v = (f64(a) for a in (w, dw, m, v))
    c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
    m_new = beta1 * m + (1 - beta1) * dw
    v_new = beta2 * v + (1 - beta2) * dw ** 2
    denom = np.sqrt(v_new / c2) + eps
    step = lr * (m_new / c1) / denom
    return dict(w=w, dw=dw, m=m, v=v, t=t, lr=lr, beta1=beta1, beta2=beta2, c1=c1, c2=c2,
                denom=denom, step=step)


def adam_bounds(example: Args) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds on |learner - reference| for (w_new, m_new, v_new)."""
    q = adam_values(*example.args, **example.kwargs)
    u = compare.unit_roundoff(*example.args[:4]) / 2
    delta_m = 3 * u * (np.abs(q["m"]) + np.abs(q["dw"]))
    delta_v = 3 * u * (q["v"] + q["dw"] ** 2)
    t = q["t"]
    rho1 = (t + 2) * u * q["beta1"] ** t / q["c1"] + u
    rho2 = (t + 2) * u * q["beta2"] ** t / q["c2"] + u
    step = np.abs(q["step"])
    e_w = (u * (np.abs(q["w"]) + step) + abs(q["lr"]) * delta_m / (q["c1"] * q["denom"])
           + step * (rho1 + rho2 / 2 + 12 * u))
    slack = 2 * 1.5
    return slack * e_w + compare.TINY, slack * delta_m + compare.TINY, slack * delta_v + compare.TINY


# --- comparing tuples ------------------------------------------------------------------------------

def parts_within(value, expected: tuple, bounds: tuple, names: tuple, function: str, note: str = "",
                 where: str = "") -> Mismatch | None:
    items, problem = unpack(value, len(names), function)
    if problem:
        return problem
    for item, exp, bound, name in zip(items, expected, bounds, names):
        item = compare.listed_empty(item, exp, note)
        problem = compare.within(item, exp, bound, where + name)
        if problem:
            return problem
    return None


def momentum_hyper(example: Args) -> tuple[float, float]:
    extra = list(example.args[3:])
    lr = example.kwargs.get("lr", extra[0] if len(extra) > 0 else 0.01)
    beta = example.kwargs.get("beta", extra[1] if len(extra) > 1 else 0.9)
    return lr, beta


# --- sgd_step --------------------------------------------------------------------------------------

@checks.add("sgd_step", points=2, strategy=sgd_inputs(),
            says="sgd_step(w, dw, lr) should return w - lr * dw")
def sgd_matches_reference(example, got, ref):
    w, dw = example.args[:2]
    lr = example.args[2] if len(example.args) > 2 else 0.01
    value = compare.listed_empty(got[0].value, ref[0].value, got[0].note)
    return compare.within(value, ref[0].value, sgd_bound(w, dw, lr), "w_new")


@checks.add("sgd_step", points=1, strategy=sgd_inputs(), calls=unchanged_call("sgd_step"),
            says="sgd_step must return a new array and leave w and dw unchanged")
def sgd_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


@checks.add("sgd_step", points=1, strategy=bad_shapes(2), handles_errors=True,
            says="sgd_step should raise ValueError when dw's shape differs from w's")
def sgd_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


# --- momentum_step ---------------------------------------------------------------------------------

@checks.add("momentum_step", points=2, strategy=momentum_inputs(),
            says="momentum_step(w, dw, v, lr, beta) should return (w + v_new, v_new) with "
                 "v_new = beta * v - lr * dw")
def momentum_matches_reference(example, got, ref):
    w, dw, v = example.args[:3]
    bounds = momentum_bounds(w, dw, v, *momentum_hyper(example))
    return parts_within(got[0].value, ref[0].value, bounds, ("w_new", "v_new"), "momentum_step", got[0].note)


@st.composite
def bowls(draw, optimizer: str):
    """A short run on the bowl L(w) = ½ Σ c (w - target)², whose gradient is c (w - target)."""
    shape = draw(gs.distinct_dims(draw(st.integers(1, 2)), 1, 5))
    start = draw(gs.arrays(shape, bound=gs.SMALL, dtypes=("float64",), layout=False))
    target = draw(gs.arrays(shape, bound=gs.SMALL, dtypes=("float64",), layout=False))
    curvature = np.abs(draw(gs.arrays(shape, bound=3.0, dtypes=("float64",), layout=False)))
    steps = draw(st.integers(2, 6))
    if optimizer == "momentum":
        return args(start=start, target=target, curvature=curvature, steps=steps,
                    lr=draw(st.sampled_from([0.3, 0.1, 0.01])), beta=draw(st.sampled_from([0.5, 0.9])))
    beta1, beta2 = draw(st.sampled_from(ADAM_BETAS))
    return args(start=start, target=target, curvature=curvature, steps=steps,
                lr=draw(st.sampled_from([0.1, 0.01])), beta1=beta1, beta2=beta2, eps=1e-8)


def momentum_run(example: Args) -> list[Call]:
    """The steps of a momentum run from v = 0 (the states from this trusted re-implementation)."""
    k = example.kwargs
    w, v = k["start"], np.zeros_like(k["start"])
    calls = []
    for _ in range(k["steps"]):
        dw = k["curvature"] * (w - k["target"])
        calls.append(Call("momentum_step", args(w, dw, v, k["lr"], k["beta"])))
        v = k["beta"] * v - k["lr"] * dw
        w = w + v
    return calls


def adam_run(example: Args) -> list[Call]:
    """The steps of an Adam run from m = v = 0, t = 1, 2, ..."""
    k = example.kwargs
    w, m, v = k["start"], np.zeros_like(k["start"]), np.zeros_like(k["start"])
    hyper = {name: k[name] for name in ("lr", "beta1", "beta2", "eps")}
    calls = []
    for t in range(1, k["steps"] + 1):
        dw = k["curvature"] * (w - k["target"])
        calls.append(Call("adam_step", args(w, dw, m, v, t, **hyper)))
        m = k["beta1"] * m + (1 - k["beta1"]) * dw
        v = k["beta2"] * v + (1 - k["beta2"]) * dw ** 2
        w = w - k["lr"] * (m / (1 - k["beta1"] ** t)) / (np.sqrt(v / (1 - k["beta2"] ** t)) + k["eps"])
    return calls


@checks.add("momentum_step", points=1, strategy=bowls("momentum"), calls=momentum_run,
            says="every step of a momentum run from v = 0 on a quadratic bowl should match (each "
                 "call gets w, dw and v of that step)")
def momentum_run_matches(example, got, ref):
    for i, (call, out, expected) in enumerate(zip(momentum_run(example), got, ref)):
        w, dw, v, lr, beta = call.args.args
        problem = parts_within(out.value, expected.value, momentum_bounds(w, dw, v, lr, beta),
                               ("w_new", "v_new"), "momentum_step", out.note, f"step {i + 1}: ")
        if problem:
            return problem
    return None


@checks.add("momentum_step", points=1, strategy=momentum_inputs(), calls=unchanged_call("momentum_step"),
            says="momentum_step must return new arrays and leave w, dw and v unchanged")
def momentum_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


@checks.add("momentum_step", points=1, strategy=bad_shapes(3), handles_errors=True,
            says="momentum_step should raise ValueError unless w, dw and v have the same shape")
def momentum_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


# --- adam_step -------------------------------------------------------------------------------------

ADAM_NAMES = ("w_new", "m_new", "v_new")


@checks.add("adam_step", points=2, strategy=adam_inputs(),
            says="adam_step should return (w_new, m_new, v_new) with m_new = beta1*m + (1-beta1)*dw, "
                 "v_new = beta2*v + (1-beta2)*dw**2 and w_new = w - lr * m_hat / (sqrt(v_hat) + eps), "
                 "m_hat = m_new / (1 - beta1**t), v_hat = v_new / (1 - beta2**t)")
def adam_matches_reference(example, got, ref):
    return parts_within(got[0].value, ref[0].value, adam_bounds(example), ADAM_NAMES, "adam_step", got[0].note)


@checks.add("adam_step", points=1, strategy=first_adam_steps(),
            says="Adam's first step (t = 1, m = v = 0) should move each entry by about lr, against "
                 "the sign of dw: bias correction makes m_hat = dw and sqrt(v_hat) = |dw|")
def first_step_is_about_lr(example, got, ref):
    items, problem = unpack(got[0].value, 3, "adam_step")
    if problem:
        return problem
    w, dw = f64(example.args[0]), f64(example.args[1])
    lr, eps = example.kwargs["lr"], example.kwargs["eps"]
    expected = w - lr * dw / (np.abs(dw) + eps)   # exactly what the formula gives at t = 1
    bound, _, _ = adam_bounds(example)
    problem = compare.within(items[0], expected, bound, "w_new")
    if problem is None:
        return None
    got_w = compare.as_float_array(items[0])
    moved = np.abs(got_w - w) if got_w is not None and got_w.shape == w.shape else np.zeros(0)
    return Mismatch(f"{problem.summary}: at t = 1 each entry should move by lr = {lr} "
                    f"(times |dw| / (|dw| + eps)); it moved by up to {float(np.max(moved, initial=0)):.4g}",
                    expected, items[0])


@checks.add("adam_step", points=1, strategy=bowls("adam"), calls=adam_run,
            says="every step of an Adam run from m = v = 0 on a quadratic bowl should match (each "
                 "call gets w, dw, m, v and t = 1, 2, ... of that step)")
def adam_run_matches(example, got, ref):
    for i, (call, out, expected) in enumerate(zip(adam_run(example), got, ref)):
        problem = parts_within(out.value, expected.value, adam_bounds(call.args), ADAM_NAMES, "adam_step",
                               out.note, f"step t = {i + 1}: ")
        if problem:
            return problem
    return None


@checks.add("adam_step", points=1, strategy=adam_inputs(), calls=unchanged_call("adam_step"),
            says="adam_step must return new arrays and leave w, dw, m and v unchanged")
def adam_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


@checks.add("adam_step", points=1, strategy=bad_shapes(4, with_t=True), handles_errors=True,
            says="adam_step should raise ValueError unless w, dw, m and v have the same shape, "
                 "or when t < 1 (t counts steps from 1)")
def adam_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)
