"""Hidden checks for the training exercise: ``train_mlp``.

The contract fixes everything (the generator, the order of the draws, the update rule, when the
loss is recorded), so the loss history and the trained parameters are compared with the
reference's, epoch by epoch. Only rounding may differ, and it grows over the epochs: a difference
in the initial weights or in one gradient is carried into every later step, amplified by the
training dynamics. Instead of a fixed tolerance, each example's bounds come from a *running
error analysis* of the contract's algorithm (Wilkinson's running error bounds):
:func:`tracked_run` repeats the reference computation in float64 and carries, next to every
quantity q, a bound e(q) on |computed q - exact q|, where "exact" is the same algorithm in exact
arithmetic from the same random draws. With u = 2⁻⁵³ and γ_k = k·u / (1 - k·u):

- initial weights  z·sqrt(2/fan_in): three roundings, e = 4u|W|; zero biases are exact;
- a product with bias  A @ B + b, with inner size k:
      e = γ_{k+2}·(|A| @ |B| + |b|) + e(A) @ |B| + |A| @ e(B) + e(A) @ e(B) + e(b)
  (any summation order, blocking or FMA of a correct program is within γ_{k+2}, Higham §3.5);
- relu is 1-Lipschitz, so it passes the bound on unchanged;
- the ReLU mask in the backward pass: where |Z1| > e(Z1) (or e(Z1) = 0: Z1 exact) every
  correct program takes the same branch; elsewhere the branch may differ, and the bound of that
  entry becomes |dA1| + e(dA1) (the whole value). This keeps the analysis sound at kinks;
- loss = Σ r² / M:  e = (γ_{M+2}·Σ r² + Σ (2|r| + e(r))·e(r)) / M;  dŶ = 2r/M: 3 more roundings;
- column sums over N rows: γ_N·Σ|·| + Σ e;  the update p - lr·g: e(p) + |lr|·e(g) + 2u(|p| + |lr·g|).

The reference and a correct learner are each within these bounds of the exact run (to first
order the learner's bounds equal the reference's), so they differ by at most twice the bound;
the checks allow 3 times. The bounds stay tiny (a few ulps times the growth of the dynamics over a
dozen epochs) while any mistake in the recipe changes the very first losses in the leading digits.

The learnable-problem check is a property instead: on a problem the network can fit (targets from
a linear teacher) the loss must fall to half its first value; the generated problems are ones the
reference demonstrably solves that way, with room to spare.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call, unpack

checks = Registry()

U = 2.0 ** -53
KEYS = ("W1", "b1", "W2", "b2")
PARAM_SHAPES = {"W1": "(D, H)", "b1": "(H,)", "W2": "(H, O)", "b2": "(O,)"}
ANY_DTYPE = ("float64", "float64", "int64", "float32")


def gamma(k: int) -> float:
    return k * U / (1 - k * U)


# --- the running error analysis --------------------------------------------------------------------

def _affine(A, eA, B, eB, b=None, eb=None):
    """(A @ B + b, its bound), A: (n, k), B: (k, m), b: (m,) or None."""
    k = A.shape[1]
    value = A @ B
    magnitude = np.abs(A) @ np.abs(B)
    error = eA @ np.abs(B) + np.abs(A) @ eB + eA @ eB
    if b is not None:
        value = value + b
        magnitude = magnitude + np.abs(b)
        error = error + eb
    return value, gamma(k + 2) * magnitude + error


def _column_sum(V, eV):
    return V.sum(axis=0), gamma(V.shape[0]) * np.abs(V).sum(axis=0) + eV.sum(axis=0)


def tracked_run(X, Y, hidden, lr, epochs, seed):
    """The contract's training run with running error bounds.

    Returns (losses, loss_bounds, params, param_bounds): bounds on |computed - exact|.
    """
    X, Y = f64(X), f64(Y)
    N, D = X.shape
    O = Y.shape[1]
    M = N * O
    rng = np.random.default_rng(seed)
    P = {"W1": rng.standard_normal((D, hidden)) * np.sqrt(2.0 / D), "b1": np.zeros(hidden),
         "W2": rng.standard_normal((hidden, O)) * np.sqrt(2.0 / hidden), "b2": np.zeros(O)}
    E = {"W1": 4 * U * np.abs(P["W1"]), "b1": np.zeros(hidden), "W2": 4 * U * np.abs(P["W2"]),
         "b2": np.zeros(O)}
    zero_X = np.zeros_like(X)
    losses, loss_bounds = [], []
    for _ in range(epochs):
        Z1, eZ1 = _affine(X, zero_X, P["W1"], E["W1"], P["b1"], E["b1"])
        A1, eA1 = np.maximum(Z1, 0.0), eZ1
        Yh, eYh = _affine(A1, eA1, P["W2"], E["W2"], P["b2"], E["b2"])
        R = Yh - Y
        eR = U * (np.abs(Yh) + np.abs(Y)) + eYh
        losses.append(np.mean(R ** 2))
        loss_bounds.append((gamma(M + 2) * np.sum(R ** 2) + np.sum((2 * np.abs(R) + eR) * eR)) / M)
        dY = 2.0 * R / M
        edY = 2.0 * eR / M + 3 * U * np.abs(dY)
        G, eG = {}, {}
        G["W2"], eG["W2"] = _affine(A1.T, eA1.T, dY, edY)
        G["b2"], eG["b2"] = _column_sum(dY, edY)
        dA1, edA1 = _affine(dY, edY, P["W2"].T, E["W2"].T)
        certain = (np.abs(Z1) > eZ1) | (eZ1 == 0)
        dZ1 = np.where(Z1 > 0, dA1, 0.0)
        edZ1 = np.where(certain, np.where(Z1 > 0, edA1, 0.0), np.abs(dA1) + edA1)
        G["W1"], eG["W1"] = _affine(X.T, zero_X.T, dZ1, edZ1)
        G["b1"], eG["b1"] = _column_sum(dZ1, edZ1)
        for k in KEYS:
            step = lr * G[k]
            E[k] = E[k] + abs(lr) * eG[k] + 2 * U * (np.abs(P[k]) + np.abs(step))
            P[k] = P[k] - step
    return np.array(losses, dtype=np.float64), np.array(loss_bounds, dtype=np.float64), P, E


_TRACKED: dict = {}


def tracked(example):
    """``tracked_run`` for an example, cached (the verdicts of one check share it)."""
    key = id(example)
    hit = _TRACKED.get(key)
    if hit is None or hit[0] is not example:
        if len(_TRACKED) > 512:
            _TRACKED.clear()
        hit = (example, tracked_run(*example.args))
        _TRACKED[key] = hit
    return hit[1]


# --- strategies ------------------------------------------------------------------------------------

@st.composite
def data(draw, shape, bound):
    """Floats in [-bound, bound] or integer values in [-3, 3], in any dtype and layout."""
    if draw(st.integers(0, 3)) == 0:
        dtype = draw(st.sampled_from(ANY_DTYPE))
        arr = draw(hnp.arrays(dtype, shape, elements=st.integers(-3, 3)))
    else:
        arr = draw(gs.arrays(shape, bound=bound, dtypes=("float64", "float64", "float32"), layout=False))
    return draw(gs.layouts(arr))


@st.composite
def training_runs(draw, min_epochs: int = 0):
    """X (N, D), Y (N, O), hidden, lr, epochs, seed; N, D, O and H all different."""
    N, D, O, H = draw(gs.distinct_dims(4, 1, 7))
    X = draw(data((N, D), draw(st.sampled_from([1.0, 3.0]))))
    Y = draw(data((N, O), draw(st.sampled_from([1.0, 3.0]))))
    lr = draw(st.sampled_from([0.1, 0.05, 0.01, 0.0]))
    epochs = draw(st.integers(min_epochs, 12))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    example = args(X, Y, H, lr, epochs, seed)
    # a run that diverges (the loss growing a thousandfold) says nothing about correctness and could
    # overflow: keep the runs where gradient descent is stable
    losses = tracked_run(*example.args)[0]
    assume(np.all(np.isfinite(losses)) and np.all(losses <= 1e3 * (losses[:1] + 1)))
    return example


@st.composite
def learnable_problems(draw):
    """Targets from a linear teacher, which a ReLU network with a few hidden units can fit."""
    N = draw(st.integers(4, 10))
    D, O = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    X = rng.uniform(-1, 1, size=(N, D))
    Y = X @ rng.uniform(-1, 1, size=(D, O)) + rng.uniform(-1, 1, size=O)
    example = args(draw(gs.layouts(X)), Y, draw(st.integers(4, 8)), 0.05, 40,
                   draw(st.integers(0, 2 ** 32 - 1)))
    losses = tracked_run(*example.args)[0]
    assume(losses[-1] <= 0.25 * losses[0])  # the reference learns it, with room to spare
    return example


@st.composite
def bad_runs(draw):
    kind = draw(st.sampled_from(["x_1d", "y_1d", "rows", "hidden", "epochs", "empty"]))
    N, D, O = draw(gs.distinct_dims(3, 2, 5))
    X_shape, Y_shape, hidden, epochs = (N, D), (N, O), 3, 2
    if kind == "x_1d":
        X_shape = (N,)
    elif kind == "y_1d":
        Y_shape = (N,)   # numpy would broadcast (N, 1) against (N,) into (N, N)
    elif kind == "rows":
        Y_shape = (draw(st.integers(1, 6).filter(lambda n: n != N)), O)
    elif kind == "hidden":
        hidden = draw(st.sampled_from([0, -1]))
    elif kind == "epochs":
        epochs = -1
    else:
        X_shape, Y_shape = (0, D), (0, O)
    return args(draw(gs.arrays(X_shape)), draw(gs.arrays(Y_shape)), hidden, 0.01, epochs, 0)


# --- reading a result --------------------------------------------------------------------------------

def result(value) -> tuple[dict | None, object, Mismatch | None]:
    """(params, losses) from a learner's result, params a dict of exactly the four keys."""
    items, problem = unpack(value, 2, "train_mlp")
    if problem:
        return None, None, Mismatch("train_mlp should return a tuple (params, losses)",
                                    "(params, losses)", value)
    params, losses = items
    if not isinstance(params, dict) or set(params) != set(KEYS):
        got = sorted(params) if isinstance(params, dict) else params
        return None, losses, Mismatch("the first value returned should be the params dict with exactly "
                                      "the keys 'W1', 'b1', 'W2', 'b2'", list(KEYS), got)
    return params, losses, None


def losses_within(example, got, ref, first_only: bool) -> Mismatch | None:
    params, losses, problem = result(got[0].value)
    if problem:
        return problem
    expected = ref[0].value[1]
    losses = compare.listed_empty(losses, expected, got[0].note)
    arr = compare.as_float_array(losses)
    if arr is not None and arr.shape != expected.shape:
        return Mismatch(f"losses should be an array of shape (epochs,) = {expected.shape}, one loss per "
                        f"epoch recorded before its update; got shape {arr.shape}", expected, losses)
    if arr is None:
        return Mismatch("losses should be an array of numbers, one loss per epoch", expected, losses)
    _, bounds, _, _ = tracked(example)
    if first_only:
        problem = compare.scalar_within(arr[0], expected[0], 3 * bounds[0],
                                        "losses[0], the loss of the initial network")
        if problem:
            return Mismatch(f"{problem.summary} (initialise exactly as the docstring says: "
                            f"default_rng(seed), W1 drawn first, He scaling, zero biases; record the "
                            f"loss before updating)", expected[0], losses)
        return None
    problem = compare.within(losses, expected, 3 * bounds + compare.TINY, "the loss history")
    if problem and np.all(np.isfinite(arr)):
        wrong = np.nonzero(np.abs(arr - expected) > 3 * bounds + compare.TINY)[0]
        return Mismatch(f"{problem.summary}: the first wrong one is losses[{wrong[0]}]", expected, losses)
    return problem


@checks.add("train_mlp", points=3, strategy=training_runs(min_epochs=1),
            says="losses[0] should be the MSE of the network initialised exactly as documented "
                 "(default_rng(seed); W1, then W2, standard normal times sqrt(2 / fan_in); zero biases)")
def first_loss_matches(example, got, ref):
    return losses_within(example, got, ref, first_only=True)


@checks.add("train_mlp", points=3, strategy=training_runs(),
            says="the loss history should match, epoch by epoch: full-batch gradient descent "
                 "p = p - lr * dp on all four parameters, the loss recorded before each update")
def loss_history_matches(example, got, ref):
    return losses_within(example, got, ref, first_only=False)


@checks.add("train_mlp", points=3, strategy=training_runs(),
            says="the returned params should be the parameters after all `epochs` updates")
def final_params_match(example, got, ref):
    params, _, problem = result(got[0].value)
    if problem:
        return problem
    _, _, _, bounds = tracked(example)
    expected = ref[0].value[0]
    for k in KEYS:
        value = compare.listed_empty(params[k], expected[k], got[0].note)
        arr = compare.as_float_array(value)
        if arr is not None and arr.shape != expected[k].shape:
            return Mismatch(f"params['{k}'] has the wrong shape: {k} is {PARAM_SHAPES[k]} = "
                            f"{expected[k].shape}, got {arr.shape}", expected[k], value)
        problem = compare.within(value, expected[k], 3 * bounds[k] + compare.TINY, f"params['{k}']")
        if problem:
            return problem
    return None


@checks.add("train_mlp", points=3, strategy=learnable_problems(),
            says="on a learnable problem (targets from a linear function, lr = 0.05, 40 epochs) the "
                 "loss should fall to at most half its first value, and stay finite")
def loss_goes_down(example, got, ref):
    _, losses, problem = result(got[0].value)
    if problem:
        return problem
    arr = compare.as_float_array(losses)
    epochs = example.args[4]
    if arr is None or arr.shape != (epochs,):
        return Mismatch(f"losses should be an array of {epochs} losses", ref[0].value[1], losses)
    if not np.all(np.isfinite(arr)):
        return Mismatch("the loss became NaN or infinite", ref[0].value[1], losses)
    if not arr[-1] <= 0.5 * arr[0]:
        trend = "went up" if arr[-1] > arr[0] else "barely went down"
        return Mismatch(f"the loss {trend}: from {arr[0]:.4g} to {arr[-1]:.4g} (check the sign of the "
                        f"update, the learning rate, and that the new parameters are used)",
                        ref[0].value[1], losses)
    return None


@checks.add("train_mlp", points=2, strategy=bad_runs(), handles_errors=True,
            says="train_mlp should raise ValueError unless X is (N, D) and Y is (N, O) with N, D, O >= 1, "
                 "hidden >= 1 and epochs >= 0")
def rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("train_mlp", points=1, strategy=training_runs(), calls=unchanged_call("train_mlp"),
            says="train_mlp must leave X and Y unchanged")
def leaves_data_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
