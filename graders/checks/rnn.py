"""Hidden checks for the rnn exercise: ``rnn_step`` and ``rnn_forward``.

Bounds (eps: machine epsilon of the least precise float input, float64 for integers). One step
z = x Wx + h Wh + b sums D + H + 1 terms, so a program's z is within Z = γ·M of the exact value,
M = |x||Wx| + |h||Wh| + |b| and γ = (D + H + 3)·eps. tanh is 1-Lipschitz, and more precisely
|tanh(z1) - tanh(z2)| <= max tanh' on [z1, z2] · |z1 - z2| with tanh'(ξ) = 1 - tanh²(ξ), which is
small where tanh saturates; so a program's h is within E = L·Z + 2·eps·|h| + 6·eps of the exact
one, L the largest tanh' on [z - 2Z, z + 2Z] around the grader's float64 z (1 for "linear"). The
absolute 6·eps admits tanh written with exponentials (sign(z)(1 - e^(-2|z|))/(1 + e^(-2|z|)),
2σ(2z) - 1), accurate only in absolute terms near 0, as the activations exercise accepts.

Over a sequence the error of h_{t-1} enters z_t through Wh: Z_t = γ·M_t + E_{t-1}|Wh|, with
M_t computed from |h_{t-1}| + E_{t-1}. Learner and reference are each within E_t of the exact
states; the checks allow 3·E_t. This recursion is sound for every evaluation order; it is tight
where tanh saturates and merely pessimistic (never unfair) for long linear runs.

Norm laws, on inputs with xs = 0, b = 0 and Wh = a random orthogonal matrix (QR of a Gaussian
matrix, float64): with d = ‖WhᵀWh - I‖₂ (the rounding of the construction, ~1e-15) and
ρ = (H + 2)·eps·√H (one product's rounding relative to ‖h‖, since ‖|Wh|‖₂ <= ‖Wh‖_F = √H),
each step multiplies a row's norm by a factor in [1 - d - ρ, 1 + d + ρ]. So the linear run keeps
‖hs[t, n]‖ within ‖h0[n]‖·((1 + d + ρ)^(t+1) - 1) of ‖h0[n]‖ (allowed: twice that), and under
tanh, ‖hs[t, n]‖ <= ‖hs[t-1, n]‖·(1 + d + ρ + 3·eps) (checked on the learner's own run).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call

checks = Registry()

ANY_DTYPE = ("float64", "float64", "int64", "float32")


def activation_of(example) -> str:
    return example.kwargs.get("activation", "tanh")


def activation_kwargs(draw, choices=("default", "tanh", "linear")) -> dict:
    choice = draw(st.sampled_from(choices))
    return {} if choice == "default" else {"activation": choice}


# --- bounds ----------------------------------------------------------------------------------------

def step_error(x, h, e_h, Wx, Wh, b, activation, eps) -> tuple[np.ndarray, np.ndarray]:
    """(h_next in float64, per-program error bound of h_next) for one step from h ± e_h."""
    xf, hf, Wxf, Whf, bf = (f64(a) for a in (x, h, Wx, Wh, b))
    D, H = Wxf.shape
    z = xf @ Wxf + hf @ Whf + bf
    M = np.abs(xf) @ np.abs(Wxf) + (np.abs(hf) + e_h) @ np.abs(Whf) + np.abs(bf)
    Z = (D + H + 3) * eps * M + e_h @ np.abs(Whf)
    if activation == "linear":
        return z, Z + 2 * eps * np.abs(z)
    h_next = np.tanh(z)
    slope = 1.0 - np.tanh(np.maximum(np.abs(z) - 2 * Z, 0.0)) ** 2
    # tanh written with exponentials (sign(z)(1 - e^-2|z|)/(1 + e^-2|z|), 2σ(2z) - 1, ...) is accurate
    # in absolute terms only: within ~3u of tanh near 0, where np.tanh is relatively accurate
    return h_next, slope * Z + 2 * eps * np.abs(h_next) + 6 * eps


def step_bound(example) -> np.ndarray:
    x, h, Wx, Wh, b = example.args
    eps = compare.unit_roundoff(*example.args)
    _, e = step_error(x, h, np.zeros(np.shape(h)), Wx, Wh, b, activation_of(example), eps)
    return 3 * e + compare.underflow_slack(np.shape(Wh)[0] + np.shape(Wx)[0] + 4, *example.args)


def forward_bound(example) -> np.ndarray:
    xs, h0, Wx, Wh, b = example.args
    eps = compare.unit_roundoff(*example.args)
    h, e = f64(h0), np.zeros(np.shape(h0))
    bounds = []
    for t in range(np.shape(xs)[0]):
        h, e = step_error(f64(xs)[t], h, e, Wx, Wh, b, activation_of(example), eps)
        bounds.append(e)
    slack = compare.underflow_slack(np.shape(Wh)[0] + np.shape(Wx)[0] + 4, *example.args)
    return 3 * np.array(bounds).reshape(f64(xs).shape[:2] + (np.shape(h0)[1],)) + slack


# --- strategies ------------------------------------------------------------------------------------

@st.composite
def step_inputs(draw, activations=("default", "tanh")):
    """x (N, D), h (N, H), Wx (D, H), Wh (H, H), b (H,) with N, D, H all different."""
    N, D, H = draw(gs.distinct_dims(3, 1, 6))
    bound = draw(st.sampled_from([1.0, 3.0, gs.SMALL]))
    arr = lambda shape: draw(gs.arrays(shape, bound=bound, dtypes=ANY_DTYPE))  # noqa: E731
    return args(arr((N, D)), arr((N, H)), arr((D, H)), arr((H, H)), arr((H,)), **activation_kwargs(draw, activations))


@st.composite
def bad_step_inputs(draw):
    """Shapes rnn_step must refuse ((H, 1) weights and a (1,) bias would broadcast silently), or an
    unknown activation."""
    kind = draw(st.sampled_from(["wh_column", "bias_one", "x_rows", "wx_rows", "activation"]))
    N, D, H = draw(gs.distinct_dims(3, 2, 5))
    shapes = {"x": (N, D), "h": (N, H), "Wx": (D, H), "Wh": (H, H), "b": (H,)}
    kwargs = {}
    if kind == "wh_column":
        shapes["Wh"] = (H, 1)
    elif kind == "bias_one":
        shapes["b"] = (1,)
    elif kind == "x_rows":
        shapes["x"] = (N + 1, D)
    elif kind == "wx_rows":
        shapes["Wx"] = (D + 1, H)
    else:
        kwargs["activation"] = draw(st.sampled_from(["relu", "sigmoid", "Tanh", "identity"]))
    return args(*(draw(gs.arrays(shapes[k])) for k in ("x", "h", "Wx", "Wh", "b")), **kwargs)


@st.composite
def forward_inputs(draw, activations=("default", "tanh", "linear")):
    """xs (T, N, D) with T = 0..5, h0 (N, H), weights; N, D, H all different and different from T."""
    T = draw(st.sampled_from([0, 1, 2, 3, 4, 5]))
    N, D, H = draw(gs.distinct_dims(3, 1, 6).filter(lambda dims: T not in dims))
    bound = draw(st.sampled_from([0.5, 1.0, 3.0]))
    arr = lambda shape: draw(gs.arrays(shape, bound=bound, dtypes=ANY_DTYPE))  # noqa: E731
    return args(arr((T, N, D)), arr((N, H)), arr((D, H)), arr((H, H)), arr((H,)), **activation_kwargs(draw, activations))


@st.composite
def orthogonal_runs(draw, activation: str):
    """No input (xs = 0), no bias, an orthogonal Wh: the recurrence is h0 times powers of Wh."""
    T = draw(st.integers(1, 8))
    N, D, H = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 6))
    Wh = gs.random_orthogonal(draw(gs.seeded_rngs()), H)
    zeros = draw(st.sampled_from(["float64", "int64", "float32"]))
    h0 = draw(gs.arrays((N, H), bound=draw(st.sampled_from([0.5, 1.0, gs.SMALL])), dtypes=("float64", "float64", "float32")))
    Wx = draw(gs.arrays((D, H), dtypes=ANY_DTYPE))
    kwargs = {"activation": "linear"} if activation == "linear" else activation_kwargs(draw, ("default", "tanh"))
    return args(np.zeros((T, N, D), dtype=zeros), h0, Wx, draw(gs.layouts(Wh)), np.zeros(H, dtype=zeros), **kwargs)


@st.composite
def bad_forward_inputs(draw):
    """xs that is not 3-D (one sequence without the batch axis), an (H, 1) Wh, an h0 for another
    batch size, or an unknown activation."""
    kind = draw(st.sampled_from(["xs_2d", "wh_column", "h0_rows", "activation"]))
    T, N, D, H = draw(gs.distinct_dims(4, 2, 5))
    shapes = {"xs": (T, N, D), "h0": (N, H), "Wx": (D, H), "Wh": (H, H), "b": (H,)}
    kwargs = {}
    if kind == "xs_2d":
        shapes["xs"] = (T, D)
        shapes["h0"] = (1, H)
    elif kind == "wh_column":
        shapes["Wh"] = (H, 1)
    elif kind == "h0_rows":
        shapes["h0"] = (N + 1, H)
    else:
        kwargs["activation"] = draw(st.sampled_from(["relu", "sigmoid", "LINEAR"]))
    return args(*(draw(gs.arrays(shapes[k])) for k in ("xs", "h0", "Wx", "Wh", "b")), **kwargs)


# --- comparing -------------------------------------------------------------------------------------

def step_mistakes(example):
    x, h, Wx, Wh, b = (f64(a) for a in example.args)
    act = (lambda z: z) if activation_of(example) == "linear" else np.tanh
    yield act(x @ Wx + h @ Wh.T + b), "it looks like h @ Wh.T (or Wh @ h per column); the state multiplies as h @ Wh"
    yield act(x @ Wx + h @ Wh), "the bias b is missing"
    if activation_of(example) == "linear":
        yield np.tanh(x @ Wx + h @ Wh + b), 'activation="linear" means no nonlinearity: h_next = x Wx + h Wh + b'
    yield 1 / (1 + np.exp(-(x @ Wx + h @ Wh + b))), "it looks like a sigmoid; the RNN uses tanh"
    yield np.maximum(x @ Wx + h @ Wh + b, 0), "it looks like a ReLU; the RNN uses tanh"


def named_mistake(arr, mistakes) -> str:
    with np.errstate(all="ignore"):
        for cand, why in mistakes:
            if cand.shape == arr.shape and np.all(np.isfinite(cand)) and np.allclose(arr, cand, rtol=1e-7, atol=1e-9):
                return why
    return ""


def step_within(example, got, ref) -> Mismatch | None:
    expected = ref[0].value
    value = compare.listed_empty(got[0].value, expected, got[0].note)
    arr = compare.as_float_array(value)
    if arr is not None and arr.shape != expected.shape:
        return Mismatch(f"h_next has the wrong shape: expected {expected.shape}, got {arr.shape} — h_next is "
                        "(N, H): (N, D) @ (D, H) + (N, H) @ (H, H) + (H,)", expected, value)
    problem = compare.within(value, expected, step_bound(example), "h_next")
    if problem is not None and problem.summary.endswith("wrong values"):
        why = named_mistake(arr, step_mistakes(example)) or "h_next = activation(x @ Wx + h @ Wh + b)"
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: {why}")
    return problem


def forward_mistakes(example):
    xs, h0, Wx, Wh, b = (f64(a) for a in example.args)
    act = (lambda z: z) if activation_of(example) == "linear" else np.tanh
    T = xs.shape[0]
    if T:
        yield (np.stack([act(xs[t] @ Wx + h0 @ Wh + b) for t in range(T)]),
               "every step starts from h0; step t must start from the state step t - 1 produced")
        states = [h0]
        for t in range(T):
            states.append(act(xs[t] @ Wx + states[-1] @ Wh + b))
        yield np.stack(states[:T]), "hs[0] is h0 here; hs[t] is the state AFTER reading xs[t] (h0 is not included)"
        if activation_of(example) == "linear":
            h, out = h0, []
            for t in range(T):
                h = np.tanh(xs[t] @ Wx + h @ Wh + b)
                out.append(h)
            yield np.stack(out), 'activation="linear" means no nonlinearity: h_t = x_t Wx + h_(t-1) Wh + b'


def forward_within(example, got, ref) -> Mismatch | None:
    expected = ref[0].value
    value = compare.listed_empty(got[0].value, expected, got[0].note)
    arr = compare.as_float_array(value)
    if arr is not None and arr.shape != expected.shape:
        return Mismatch(f"hs has the wrong shape: expected {expected.shape}, got {arr.shape} — hs is (T, N, H): "
                        "one state per time step, h0 not included", expected, value)
    problem = compare.within(value, expected, forward_bound(example), "hs")
    if problem is not None and problem.summary.endswith("wrong values"):
        why = named_mistake(arr, forward_mistakes(example)) or \
            "hs[t] = activation(xs[t] @ Wx + hs[t - 1] @ Wh + b), starting from h0"
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: {why}")
    return problem


def row_norms(arr) -> np.ndarray:
    return np.sqrt(np.sum(arr * arr, axis=-1))


def orthogonal_defect(Wh) -> float:
    W = f64(Wh)
    return float(np.linalg.norm(W.T @ W - np.eye(W.shape[0]), 2)) if W.size else 0.0


def norm_growth(example) -> tuple[float, float]:
    """(d + ρ, eps): a step's relative change of a row norm is at most d + ρ (module doc)."""
    Wh = example.args[3]
    H = np.shape(Wh)[0]
    eps = compare.unit_roundoff(*example.args)
    return orthogonal_defect(Wh) + (H + 2) * eps * np.sqrt(H), eps


# --- rnn_step ----------------------------------------------------------------------------------------

@checks.add("rnn_step", points=3, strategy=step_inputs(),
            says="rnn_step(x, h, Wx, Wh, b) should return tanh(x @ Wx + h @ Wh + b), of shape (N, H)")
def step_matches_reference(example, got, ref):
    return step_within(example, got, ref)


@checks.add("rnn_step", points=1, strategy=step_inputs(activations=("linear",)), examples=40,
            says='rnn_step(..., activation="linear") should return x @ Wx + h @ Wh + b, with no nonlinearity')
def linear_step_matches_reference(example, got, ref):
    return step_within(example, got, ref)


@checks.add("rnn_step", points=1, strategy=bad_step_inputs(), handles_errors=True, examples=30,
            says="rnn_step should raise ValueError when the shapes do not fit (x (N, D), h (N, H), Wx (D, H), "
                 'Wh (H, H), b (H,)) or activation is not "tanh" or "linear"')
def step_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("rnn_step", points=1, strategy=step_inputs(), calls=unchanged_call("rnn_step"), examples=30,
            says="rnn_step must return a new array and leave x, h and the weights unchanged (no h[:] = ... in place)")
def step_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- rnn_forward ------------------------------------------------------------------------------------

@checks.add("rnn_forward", points=4, strategy=forward_inputs(),
            says="rnn_forward(xs, h0, Wx, Wh, b) should return hs of shape (T, N, H) with hs[t] = "
                 "activation(xs[t] @ Wx + hs[t - 1] @ Wh + b), starting from h0 (not included)")
def forward_matches_reference(example, got, ref):
    return forward_within(example, got, ref)


@checks.add("rnn_forward", points=2, strategy=orthogonal_runs("linear"), examples=40,
            says='with activation="linear", no input and no bias, hs[t] = h0 Wh^(t+1); for an orthogonal Wh every '
                 "row of hs[t] has the norm of the same row of h0")
def orthogonal_linear_run_keeps_norms(example, got, ref):
    expected = ref[0].value
    value = compare.listed_empty(got[0].value, expected, got[0].note)
    arr = compare.as_float_array(value)
    if arr is None or arr.shape != expected.shape:
        return forward_within(example, got, ref)
    if not np.all(np.isfinite(arr)):
        return Mismatch("hs contains NaN or infinity", expected, value)
    h0 = f64(example.args[1])
    growth, _ = norm_growth(example)
    steps = np.arange(1, arr.shape[0] + 1)[:, None]
    n0 = row_norms(h0)[None, :]
    allowed = 2 * n0 * np.expm1(steps * np.log1p(growth)) + 4 * np.finfo(np.float64).eps * n0 * (arr.shape[2] + 2)
    norms = row_norms(arr)
    if np.all(np.abs(norms - n0) <= allowed + compare.TINY):
        return None
    with np.printoptions(precision=4, threshold=20):
        return Mismatch(f"the rows of h0 have norms {row_norms(h0)}, but the rows of hs[t] have norms "
                        f"{norms} (one row per time step): an orthogonal Wh preserves lengths, so something other "
                        "than h @ Wh happens at each step", np.broadcast_to(n0, norms.shape), norms)


@checks.add("rnn_forward", points=1, strategy=orthogonal_runs("tanh"), examples=40,
            says="with tanh, no input, no bias and an orthogonal Wh, the norm of each row of the state never grows "
                 "from one step to the next (|tanh(z)| <= |z|)")
def tanh_run_never_grows_norms(example, got, ref):
    expected = ref[0].value
    value = compare.listed_empty(got[0].value, expected, got[0].note)
    arr = compare.as_float_array(value)
    if arr is None or arr.shape != expected.shape:
        return forward_within(example, got, ref)
    if not np.all(np.isfinite(arr)):
        return Mismatch("hs contains NaN or infinity", expected, value)
    growth, eps = norm_growth(example)
    states = np.concatenate([f64(example.args[1])[None], arr])
    norms = row_norms(states)
    H = arr.shape[2]
    allowed = norms[:-1] * (1 + growth + 3 * eps) + 4 * np.finfo(np.float64).eps * (H + 2) * norms[:-1] + compare.TINY
    if np.all(norms[1:] <= allowed):
        return None
    t, n = (int(i[0]) for i in np.nonzero(norms[1:] > allowed))
    return Mismatch(f"row {n} of the state grows from norm {norms[t, n]:.6g} to {norms[t + 1, n]:.6g} at step {t}: "
                    "tanh(h @ Wh) cannot be longer than h when Wh is orthogonal (is it tanh? is the state "
                    "carried over correctly?)", norms[t, n], norms[t + 1, n])


@checks.add("rnn_forward", points=1, strategy=bad_forward_inputs(), handles_errors=True, examples=30,
            says="rnn_forward should raise ValueError when xs is not (T, N, D), the shapes do not fit, or "
                 'activation is not "tanh" or "linear"')
def forward_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("rnn_forward", points=1, strategy=forward_inputs(), calls=unchanged_call("rnn_forward"), examples=30,
            says="rnn_forward must leave xs, h0 and the weights unchanged (keep the state in a new variable, "
                 "not in h0)")
def forward_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
