"""Hidden checks for the batchnorm exercise: ``batchnorm_forward`` and ``batchnorm_backward``.

The cache. The grader cannot hand the learner's own cache from ``batchnorm_forward`` to
``batchnorm_backward``: every call is built from the example alone. So the cache format is part
of the contract (``cache = (x_hat, gamma, inv_std)``, stated in the lesson and both docstrings):
the forward checks grade the learner's cache against it, and the backward checks build the cache
from the example with the lesson's formulas (float64, sometimes rounded to float32 as a float32
forward pass would leave it) and pass it in. Each half is graded on its own; a learner whose
forward is wrong can still earn the backward points, and the other way round.

Bounds (per-program error E from the exact value on the given inputs; two correct programs differ
by at most 2E, and the checks allow 4E). eps is the machine epsilon of x (float64 for integers;
numpy's promotion never computes x's statistics in less), eps_out that of the least precise of x,
gamma and beta (for the last step); per column, A = mean|x|, c = x - mu, V = var + eps_bn:

- forward: the mean of N numbers in any order is within e_mu = (N + 2)·eps·A (exact for N = 1); each deviation
  within e_c = e_mu + eps·(|c| + e_mu); the two-pass variance within
  e_v = mean(2|c|·e_c + e_c²) + (N + 3)·eps·mean((|c| + e_c)²), plus eps·V for adding eps_bn
  (also covers eps_bn rounded to float32). With ρ = e_v / V <= ½, |(1 + ρ)^(-1/2) - 1| <= ρ, so
  inv_std is within e_s = inv_std·(ρ + 3·eps); x_hat within e_c·(s + e_s) + |c|·e_s +
  2·eps·(|c| + e_c)(s + e_s); out within |gamma|·e_xhat + 3·eps_out·(|gamma|(|x_hat| + e_xhat) + |beta|).
  (ρ > ½ happens only for float32 work on a column whose spread is below float32's resolution
  of its mean; the bound is then unlimited: no correct float32 program can be told apart.)
  The one-pass variance mean(x²) - mu² is not covered, as the lesson says.
- backward, on the given cache (g = dout·gamma, S2 = Σ g·x_hat): every correct arrangement
  (the lesson's formula, means instead of sums, the staged dvar/dmu version) computes sums of
  at most N terms and a few products, so dx is within
  s/N·(N + 8)·eps·(N|g| + Σ|g| + |x_hat|·Σ|g·x_hat|) of the lesson's formula evaluated exactly;
  the staged version also keeps the term s·S2·Σx_hat/N², zero on paper but not for a rounded
  x_hat, which is added. dgamma and dbeta are sums of N products: ``reduction_bound``.
- Finite differences: the directional derivative of L = Σ dout·out along a random direction is
  computed by the complex-step method (Im f(x + ih·v)/h with h = 1e-30: no subtraction, so no
  cancellation and no truncation error at float64 resolution) on float64 inputs whose columns
  have a spread of at least 0.1; its error is far below 1e-9 of the scale Σ|v|·|terms|, which is
  the tolerance (plus the learner's own bound).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Call, Registry, args, describe_error, unpack

checks = Registry()

ANY_DTYPE = ("float64", "float64", "int64", "float32")
EPSILONS = [1e-5, 1e-5, 1e-3, 0.1, 1.0, 1e-8]
CACHE_RULE = "cache = (x_hat, gamma, inv_std): x_hat (N, D), gamma (D,) as given, inv_std (D,)"


def subnormal_slack(*arrays) -> float:
    return compare.underflow_slack(16, *arrays)


# --- the lesson's formulas, in float64, with their rounding bounds ---------------------------------

def forward_analysis(x, gamma, beta, eps_bn) -> dict:
    """Reference values and per-program error bounds of the forward pass (see the module doc)."""
    eps = compare.unit_roundoff(x)  # the statistics are computed in x's precision (or better)
    eps_out = compare.unit_roundoff(x, gamma, beta)
    xf = f64(x)
    N = xf.shape[0]
    mu = xf.mean(axis=0)
    c = xf - mu
    ac = np.abs(c)
    var = np.mean(c * c, axis=0)
    V = var + eps_bn
    s = 1.0 / np.sqrt(V)
    x_hat = c * s
    e_mu = (N + 2) * eps * np.mean(np.abs(xf), axis=0) if N > 1 else 0.0 * s  # one number's mean is exact
    e_c = e_mu + eps * (ac + e_mu)
    e_v = np.mean(2 * ac * e_c + e_c ** 2, axis=0) + (N + 3) * eps * np.mean((ac + e_c) ** 2, axis=0)
    e_v = e_v + eps * (V + e_v)
    rho = e_v / V
    unbounded = ~(rho <= 0.5)
    e_s = s * (rho + 3 * eps)
    e_xhat = e_c * (s + e_s) + ac * e_s + 2 * eps * (ac + e_c) * (s + e_s)
    g, b = np.abs(f64(gamma)), np.abs(f64(beta))
    e_out = g * e_xhat + 3 * eps_out * (g * (np.abs(x_hat) + e_xhat) + b)
    e_s, e_xhat, e_out = (np.where(unbounded, np.inf, e) for e in (e_s, e_xhat, e_out))
    with np.errstate(invalid="ignore"):
        slack = subnormal_slack(x, gamma, beta)
        return {"x_hat": x_hat, "inv_std": s, "var": var,
                "b_xhat": 4 * e_xhat + slack, "b_s": 4 * e_s + slack, "b_out": 4 * e_out + slack}


def make_cache(x, gamma, eps_bn, dtype="float64"):
    """The cache (x_hat, gamma, inv_std) a correct forward pass returns, as the lesson defines it."""
    xf = f64(x)
    c = xf - xf.mean(axis=0)
    inv_std = 1.0 / np.sqrt(np.mean(c * c, axis=0) + eps_bn)
    return (c * inv_std).astype(dtype), gamma, inv_std.astype(dtype)


def backward_analysis(dout, cache) -> dict:
    """Per-program bounds of dx, dgamma and dbeta on the given cache (see the module doc)."""
    x_hat, gamma, inv_std = cache
    eps = compare.unit_roundoff(dout, x_hat, gamma, inv_std)
    xh, d, s = f64(x_hat), f64(dout), f64(inv_std)
    N = xh.shape[0]
    ag = np.abs(d * f64(gamma))
    sum_g, sum_gx = ag.sum(axis=0), (ag * np.abs(xh)).sum(axis=0)
    inner_abs = N * ag + sum_g + np.abs(xh) * sum_gx
    staged = s * sum_gx * np.abs(xh.sum(axis=0)) / N ** 2
    e_dx = s / N * (N + 8) * eps * inner_abs + staged
    slack = subnormal_slack(dout, x_hat, gamma, inv_std)
    return {
        "b_dx": 4 * e_dx + slack, "staged": staged, "sum_gx": sum_gx,
        "b_dgamma": 2 * compare.reduction_bound(N, np.abs(d * xh).sum(axis=0), eps) + slack,
        "b_dbeta": 2 * compare.reduction_bound(N, np.abs(d).sum(axis=0), eps) + slack,
        "scale_dx": s / N * inner_abs,
    }


def complex_step_derivative(x, gamma, beta, eps_bn, dout, vx, vg, vb) -> float:
    """d/dt Σ dout·out(x + t·vx, gamma + t·vg, beta + t·vb) at t = 0, by the complex step."""
    h = 1e-30
    xc, gc, bc = x + 1j * h * vx, gamma + 1j * h * vg, beta + 1j * h * vb
    c = xc - xc.mean(axis=0)
    out = c / np.sqrt(np.mean(c * c, axis=0) + eps_bn) * gc + bc
    return float(np.sum(dout * out).imag / h)


# --- strategies ------------------------------------------------------------------------------------

def eps_choice(draw) -> dict:
    """eps as a keyword, or left to its default 1e-5."""
    eps = draw(st.sampled_from(EPSILONS + [None]))
    return {} if eps is None else {"eps": eps}


def eps_of(example) -> float:
    return example.kwargs.get("eps", 1e-5)


@st.composite
def forward_inputs(draw, constant: bool = False):
    """x (N, D) with N != D (N = 1 included), gamma and beta (D,), any dtypes and layouts.

    ``constant``: some columns hold one value repeated (var = 0), or the batch is a single
    example, and magnitudes stay moderate (values where the normalised result is exactly 0 up to
    the mean's rounding)."""
    N, D = draw(gs.distinct_dims(2, 1, 7))
    if constant and draw(st.booleans()):
        N = 1
    bound = gs.SMALL if constant else draw(gs.magnitudes())
    dtypes = ("float64", "int64") if constant else ANY_DTYPE
    x = draw(gs.arrays((N, D), bound=bound, dtypes=dtypes, layout=False))
    if constant and N > 1:
        columns = draw(st.lists(st.integers(0, D - 1), min_size=1, max_size=D, unique=True))
        for j in columns:
            value = draw(st.sampled_from([0.1, 0.7, -2.3, 3.0, 0.0, 1 / 3, 5.0]))
            x[:, j] = value if x.dtype.kind == "f" else int(value)
    gamma = draw(gs.arrays((D,), bound=gs.SMALL, dtypes=ANY_DTYPE))
    beta = draw(gs.arrays((D,), bound=gs.SMALL, dtypes=ANY_DTYPE))
    return args(draw(gs.layouts(x)), gamma, beta, **eps_choice(draw))


@st.composite
def bad_forward_inputs(draw):
    """Input batchnorm_forward must refuse; most of it numpy would compute silently."""
    kind = draw(st.sampled_from(["x_1d", "gamma_length", "beta_length", "eps_zero", "eps_negative",
                                 "empty_batch"]))
    N, D = draw(gs.distinct_dims(2, 2, 6))
    x_shape = {"x_1d": (D,), "empty_batch": (0, D)}.get(kind, (N, D))
    gamma_len = draw(st.sampled_from([1, D + 1])) if kind == "gamma_length" else D
    beta_len = draw(st.sampled_from([1, D - 1])) if kind == "beta_length" else D
    eps = {"eps_zero": 0.0, "eps_negative": -draw(st.sampled_from([1e-5, 0.1]))}.get(kind, 1e-5)
    return args(draw(gs.arrays(x_shape)), draw(gs.arrays((gamma_len,))), draw(gs.arrays((beta_len,))),
                eps=eps)


@st.composite
def backward_inputs(draw):
    """dout (N, D) and the cache of x (N, D), gamma (D,), in float64 or rounded to float32."""
    N, D = draw(gs.distinct_dims(2, 1, 7))
    x = draw(gs.arrays((N, D), bound=draw(gs.magnitudes()), dtypes=ANY_DTYPE, layout=False))
    gamma = draw(gs.arrays((D,), bound=gs.SMALL, dtypes=ANY_DTYPE))
    eps_bn = draw(st.sampled_from(EPSILONS))
    x_hat, gamma, inv_std = make_cache(x, gamma, eps_bn, draw(st.sampled_from(["float64", "float64", "float32"])))
    dout = draw(gs.arrays((N, D), bound=draw(st.sampled_from([1.0, gs.SMALL])), dtypes=ANY_DTYPE))
    return args(dout, (draw(gs.layouts(x_hat)), gamma, inv_std))


@st.composite
def bad_backward_inputs(draw):
    """dout that does not have x_hat's shape: a single row (numpy would broadcast it silently),
    the transpose, or a column too many."""
    kind = draw(st.sampled_from(["one_row", "one_row", "transposed", "extra_column"]))
    N, D = draw(gs.distinct_dims(2, 2, 6))
    shape = {"one_row": (1, D), "transposed": (D, N), "extra_column": (N, D + 1)}[kind]
    x_hat, gamma, inv_std = make_cache(draw(gs.arrays((N, D), layout=False)), draw(gs.arrays((D,))), 1e-5)
    return args(draw(gs.arrays(shape)), (x_hat, gamma, inv_std))


def unit_directions(draw, shape) -> np.ndarray:
    return draw(hnp.arrays(np.float64, shape, elements=st.floats(-1.0, 1.0, allow_subnormal=False)))


@st.composite
def derivative_inputs(draw):
    """float64 x whose columns have a spread of at least 0.1, gamma, beta, eps, dout, and a
    direction (vx, vg, vb); the call gets (dout, cache) only, the rest is for the verdict."""
    N, D = draw(gs.distinct_dims(2, 2, 6))
    x = draw(gs.arrays((N, D), bound=gs.SMALL, dtypes=("float64",), layout=False))
    assume(np.all(np.std(x, axis=0) >= 0.1))
    gamma = draw(gs.arrays((D,), bound=3.0, dtypes=("float64",), layout=False))
    beta = draw(gs.arrays((D,), bound=3.0, dtypes=("float64",), layout=False))
    eps_bn = draw(st.sampled_from(EPSILONS))
    dout = draw(gs.arrays((N, D), bound=3.0, dtypes=("float64",), layout=False))
    return args(dout, make_cache(x, gamma, eps_bn), x=x, beta=beta, eps=eps_bn, vx=unit_directions(draw, (N, D)),
                vg=unit_directions(draw, (D,)), vb=unit_directions(draw, (D,)))


def backward_call(example) -> list[Call]:
    """Only (dout, cache) go to the learner; the keywords are for the verdict."""
    return [Call("batchnorm_backward", args(*example.args))]


def backward_unchanged_call(example) -> list[Call]:
    return [Call("batchnorm_backward", args(*example.args), return_args=True)]


# --- comparing -------------------------------------------------------------------------------------

def shaped(got, expected, what: str, rule: str) -> Mismatch | None:
    arr = compare.as_float_array(got)
    if arr is None:
        return Mismatch(f"{what} is not a numeric array", expected, got)
    if arr.shape != np.shape(expected):
        return Mismatch(f"{what} has the wrong shape: expected {np.shape(expected)}, got {arr.shape} — {rule}",
                        expected, got)
    return None


def forward_parts(value):
    items, problem = unpack(value, 2, "batchnorm_forward")
    if problem:
        return None, None, Mismatch("batchnorm_forward should return a tuple (out, cache)", "(out, cache)", value)
    return items[0], items[1], None


def forward_mistakes(xf, gamma, beta, eps_bn):
    """Outputs of common wrong forward passes, with what each one does wrong."""
    g, b = f64(gamma), f64(beta)
    mu, N = xf.mean(axis=0), xf.shape[0]
    c = xf - mu
    var = np.mean(c * c, axis=0)
    if N > 1:
        yield (c / np.sqrt(np.sum(c * c, axis=0) / (N - 1) + eps_bn) * g + b,
               "it looks like the unbiased variance (N - 1, ddof=1); batchnorm uses the biased one (divide by N)")
    yield c / (np.sqrt(var) + eps_bn) * g + b, "it looks like 1 / (sqrt(var) + eps); eps belongs inside the square root"
    yield c / np.sqrt(var) * g + b, "it looks like eps is missing: divide by sqrt(var + eps)"
    yield c / (var + eps_bn) * g + b, "it divides by the variance, not by sqrt(var + eps)"
    rows = xf - xf.mean(axis=1, keepdims=True)
    yield (rows / np.sqrt(np.mean(rows * rows, axis=1, keepdims=True) + eps_bn) * g + b,
           "it looks normalised per row (axis=1, layer norm); batchnorm normalises each column over the batch (axis=0)")
    yield c * np.sqrt(var + eps_bn) * g + b, "it multiplies by sqrt(var + eps) instead of dividing"
    yield c / np.sqrt(var + eps_bn) * g, "beta is missing: out = x_hat * gamma + beta"
    yield c / np.sqrt(var + eps_bn) + b, "gamma is missing: out = x_hat * gamma + beta"


def named_mistake(arr, mistakes) -> str:
    with np.errstate(all="ignore"):
        for candidate, why in mistakes:
            cand = np.asarray(candidate)
            if cand.shape == arr.shape and np.all(np.isfinite(cand)) and \
                    np.allclose(arr, cand, rtol=1e-7, atol=1e-9):
                return why
    return ""


def out_within(example, got, ref) -> Mismatch | None:
    x, gamma, beta = example.args
    out, _, problem = forward_parts(got[0].value)
    if problem:
        return problem
    out_ref = ref[0].value[0]
    problem = shaped(out, out_ref, "out", "out has x's shape (N, D)")
    if problem:
        return problem
    a = forward_analysis(x, gamma, beta, eps_of(example))
    problem = compare.within(out, out_ref, a["b_out"], "out")
    if problem is not None and "NaN" in problem.summary:
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: a constant feature or a batch of one "
                                      "example has var = 0; use the biased variance (divide by N) and add eps inside "
                                      "the square root, sqrt(var + eps)")
    elif problem is not None and problem.summary.endswith("wrong values"):
        why = named_mistake(compare.as_float_array(out), forward_mistakes(f64(x), gamma, beta, eps_of(example)))
        why = why or "out = (x - mu) / sqrt(var + eps) * gamma + beta, with mu and the biased var of each column"
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: {why}")
    return problem


def unchanged_deep(before, after, label) -> Mismatch | None:
    """Every array in ``before`` (also inside tuples and lists) still equal in ``after``.
    ``label``: the argument's name, or a tuple of names for a tuple of arguments."""
    if isinstance(before, np.ndarray):
        if not (isinstance(after, np.ndarray) and after.shape == before.shape and np.array_equal(after, before)):
            return Mismatch(f"modified its input ({label}); work on a copy or build a new array", before, after)
        return None
    if isinstance(before, (tuple, list)) and isinstance(after, (tuple, list)) and len(before) == len(after):
        names = label if isinstance(label, tuple) else [f"{label}[{i}]" for i in range(len(before))]
        for name, b, a in zip(names, before, after):
            problem = unchanged_deep(b, a, name)
            if problem:
                return problem
    return None


# --- batchnorm_forward -----------------------------------------------------------------------------

@checks.add("batchnorm_forward", points=3, strategy=forward_inputs(),
            says="batchnorm_forward(x, gamma, beta, eps) should return out = (x - mu) / sqrt(var + eps) * gamma "
                 "+ beta first, with the batch mean mu and biased variance var of each column of x")
def out_matches_reference(example, got, ref):
    return out_within(example, got, ref)


@checks.add("batchnorm_forward", points=1, strategy=forward_inputs(constant=True), examples=40,
            says="a feature that is constant over the batch (var = 0), or a batch of one example, gives "
                 "x_hat = 0 and out = beta: eps inside the square root keeps the division finite")
def constant_features_give_beta(example, got, ref):
    return out_within(example, got, ref)


@checks.add("batchnorm_forward", points=1, strategy=forward_inputs(),
            says="batchnorm_forward should return the cache (x_hat, gamma, inv_std) as the docstring "
                 "specifies: x_hat (N, D), gamma as given, inv_std = 1 / sqrt(var + eps) of shape (D,)")
def cache_as_specified(example, got, ref):
    x, gamma, beta = example.args
    _, cache, problem = forward_parts(got[0].value)
    if problem:
        return problem
    items, problem = unpack(cache, 3, "the cache")
    if problem:
        return Mismatch(f"the cache should be a tuple of 3 arrays: {CACHE_RULE}", "(x_hat, gamma, inv_std)", cache)
    a = forward_analysis(x, gamma, beta, eps_of(example))
    x_hat_ref, gamma_ref, inv_std_ref = ref[0].value[1]
    eps = compare.unit_roundoff(x, gamma, beta)
    for item, expected, bound, name in ((items[0], x_hat_ref, a["b_xhat"], "cache[0] (x_hat)"),
                                        (items[1], gamma_ref, 2 * eps * np.abs(f64(gamma)), "cache[1] (gamma)"),
                                        (items[2], inv_std_ref, a["b_s"], "cache[2] (inv_std)")):
        problem = shaped(item, expected, name, CACHE_RULE)
        if problem:
            return problem
        problem = compare.within(item, expected, bound, name)
        if problem:
            return dataclasses.replace(problem, summary=f"{problem.summary} — {CACHE_RULE}")
    return None


@checks.add("batchnorm_forward", points=1, strategy=bad_forward_inputs(), handles_errors=True, examples=30,
            says="batchnorm_forward should raise ValueError unless x is (N, D) with N >= 1, gamma and beta "
                 "are (D,), and eps > 0")
def forward_rejects_bad_input(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error == "ValueError":
        return None
    what = describe_error(out) if out.kind == "raised" else "returned a value"
    return Mismatch(f"should raise ValueError for this input, but {what}", "ValueError",
                    out.error if out.kind == "raised" else out.value)


@checks.add("batchnorm_forward", points=1, strategy=forward_inputs(), examples=30,
            calls=lambda example: [Call("batchnorm_forward", example, return_args=True)],
            says="batchnorm_forward must leave x, gamma and beta unchanged (no x -= mu in place)")
def forward_leaves_inputs_alone(example, got, ref):
    after = got[0].args_after
    if after is None:
        return None
    return unchanged_deep(tuple(example.args), tuple(after.args), ("x", "gamma", "beta"))


# --- batchnorm_backward ----------------------------------------------------------------------------

def backward_parts(value):
    items, problem = unpack(value, 3, "batchnorm_backward")
    if problem:
        return None, Mismatch("batchnorm_backward should return a tuple (dx, dgamma, dbeta)",
                              "(dx, dgamma, dbeta)", value)
    return items, None


def backward_mistakes(dout, cache):
    """dx of common wrong backward passes, with what each one does wrong."""
    x_hat, gamma, inv_std = (f64(a) for a in cache)
    d = f64(dout)
    N = x_hat.shape[0]
    dxh = d * gamma
    yield dxh * inv_std, ("it looks like mu and var were treated as constants (dx = dout * gamma * inv_std); "
                          "x also moves the batch mean and variance, which adds two terms")
    yield (inv_std * (dxh - dxh.mean(axis=0)),
           "the mean term is there but the variance term (- x_hat * mean(dx_hat * x_hat)) is missing")
    yield (inv_std * (dxh - x_hat * (dxh * x_hat).mean(axis=0)),
           "the variance term is there but the mean term (- mean(dx_hat)) is missing")
    yield inv_std / N * (N * d - d.sum(axis=0) - x_hat * (d * x_hat).sum(axis=0)), \
        "gamma is missing: dx_hat = dout * gamma"
    yield inv_std * (dxh - dxh.mean(axis=1, keepdims=True) - x_hat * (dxh * x_hat).mean(axis=1, keepdims=True)), \
        "the sums run over the features (axis=1); they run over the batch (axis=0)"


@checks.add("batchnorm_backward", points=2, strategy=backward_inputs(),
            says="batchnorm_backward(dout, cache) should return dx = inv_std / N * (N dx_hat - sum(dx_hat) - "
                 "x_hat * sum(dx_hat * x_hat)) first, with dx_hat = dout * gamma and sums over the batch")
def dx_matches_reference(example, got, ref):
    items, problem = backward_parts(got[0].value)
    if problem:
        return problem
    dx_ref = ref[0].value[0]
    problem = shaped(items[0], dx_ref, "dx", "dx has x's shape (N, D)")
    if problem:
        return problem
    a = backward_analysis(*example.args)
    problem = compare.within(items[0], dx_ref, a["b_dx"], "dx")
    if problem is not None and problem.summary.endswith("wrong values"):
        why = named_mistake(compare.as_float_array(items[0]), backward_mistakes(*example.args))
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: {why or 'see the lesson for the three terms of dx'}")
    return problem


@checks.add("batchnorm_backward", points=2, strategy=backward_inputs(),
            says="batchnorm_backward(dout, cache) should return dgamma = sum over the batch of dout * x_hat "
                 "second and dbeta = sum over the batch of dout third, both of shape (D,)")
def dgamma_dbeta_match_reference(example, got, ref):
    items, problem = backward_parts(got[0].value)
    if problem:
        return problem
    a = backward_analysis(*example.args)
    _, dgamma_ref, dbeta_ref = ref[0].value
    rule = "the gradient of a (D,) parameter has shape (D,): sum over the batch (axis 0)"
    for item, expected, bound, name, formula in (
            (items[1], dgamma_ref, a["b_dgamma"], "dgamma", "dgamma = (dout * x_hat).sum(axis=0), a sum, not a mean"),
            (items[2], dbeta_ref, a["b_dbeta"], "dbeta", "dbeta = dout.sum(axis=0), a sum, not a mean")):
        problem = shaped(item, expected, name, rule) or compare.within(item, expected, bound, name)
        if problem is not None:
            if problem.summary.endswith("wrong values"):
                problem = dataclasses.replace(problem, summary=f"{problem.summary}: {formula}")
            return problem
    return None


@checks.add("batchnorm_backward", points=1, strategy=backward_inputs(),
            says="every column of dx sums to 0: shifting a feature by a constant leaves out unchanged, so the "
                 "loss cannot change in that direction")
def dx_columns_sum_to_zero(example, got, ref):
    items, problem = backward_parts(got[0].value)
    if problem:
        return problem
    dx_ref = ref[0].value[0]
    problem = shaped(items[0], dx_ref, "dx", "dx has x's shape (N, D)")
    if problem:
        return problem
    arr = compare.as_float_array(items[0])
    if not np.all(np.isfinite(arr)):
        return Mismatch("dx contains NaN or infinity", dx_ref, items[0])
    a = backward_analysis(*example.args)
    x_hat, _, inv_std = example.args[1]
    N = arr.shape[0]
    sums = arr.sum(axis=0)
    # the exact formula's column sum on the rounded cache is -s·S2·Σx_hat/N (0 on paper)
    # (plus the rounding of a sum of your own dx entries, at their precision: a rounding-level residue is no error)
    eps = compare.unit_roundoff(*example.args[:1], *example.args[1])
    allowed = (a["b_dx"].sum(axis=0) + f64(inv_std) * a["sum_gx"] * np.abs(f64(x_hat).sum(axis=0)) / N
               + 16 * (N + 8) * eps * np.abs(arr).sum(axis=0))
    if np.all(np.abs(sums) <= allowed):
        return None
    with np.printoptions(precision=4, threshold=12):
        return Mismatch(f"the columns of dx should sum to 0, but they sum to {sums}: the mean term "
                        "- sum(dx_hat) / N is missing or wrong", np.zeros_like(sums), sums)


@checks.add("batchnorm_backward", points=1, strategy=derivative_inputs(), calls=backward_call, examples=30,
            says="dx, dgamma and dbeta should agree with finite differences: moving x, gamma and beta by t times "
                 "(vx, vg, vb) changes L = sum(dout * out) at the rate sum(dx*vx) + sum(dgamma*vg) + sum(dbeta*vb)")
def matches_finite_differences(example, got, ref):
    items, problem = backward_parts(got[0].value)
    if problem:
        return problem
    dout, cache = example.args
    k = example.kwargs
    x, gamma = k["x"], f64(cache[1])
    parts = []
    for item, expected, name in zip(items, ref[0].value, ("dx", "dgamma", "dbeta")):
        problem = shaped(item, expected, name, f"{name} has the shape of what it is the gradient of")
        if problem:
            return problem
        parts.append(compare.as_float_array(item))
    if not all(np.all(np.isfinite(p)) for p in parts):
        return Mismatch("the gradients contain NaN or infinity", ref[0].value, items)
    predicted = float(np.sum(parts[0] * k["vx"]) + np.sum(parts[1] * k["vg"]) + np.sum(parts[2] * k["vb"]))
    numeric = complex_step_derivative(x, gamma, k["beta"], k["eps"], dout, k["vx"], k["vg"], k["vb"])
    a = backward_analysis(dout, cache)
    xh = f64(cache[0])
    scale = (np.sum(np.abs(k["vx"]) * a["scale_dx"]) + np.sum(np.abs(k["vg"]) * np.abs(dout * xh).sum(axis=0))
             + np.sum(np.abs(k["vb"]) * np.abs(dout).sum(axis=0)))
    allowed = (np.sum(np.abs(k["vx"]) * a["b_dx"]) + np.sum(np.abs(k["vg"]) * a["b_dgamma"])
               + np.sum(np.abs(k["vb"]) * a["b_dbeta"]) + 1e-9 * scale + 1e-300)
    if abs(predicted - numeric) <= allowed:
        return None
    return Mismatch(f"along the direction (vx, vg, vb), L changes at the rate {numeric:.6g} (finite "
                    f"differences), but your gradients predict {predicted:.6g}", numeric, predicted)


@checks.add("batchnorm_backward", points=1, strategy=bad_backward_inputs(), handles_errors=True, examples=30,
            says="batchnorm_backward should raise ValueError unless dout has x_hat's shape (N, D) "
                 "(a single row of dout must not be broadcast)")
def backward_rejects_bad_shapes(example, got, ref):
    out = got[0]
    if out.kind == "raised" and out.error == "ValueError":
        return None
    what = describe_error(out) if out.kind == "raised" else "returned a value"
    return Mismatch(f"should raise ValueError for these shapes, but {what}", "ValueError",
                    out.error if out.kind == "raised" else out.value)


@checks.add("batchnorm_backward", points=1, strategy=backward_inputs(), calls=backward_unchanged_call, examples=30,
            says="batchnorm_backward must leave dout and the arrays in the cache unchanged (no dout *= gamma in place)")
def backward_leaves_inputs_alone(example, got, ref):
    after = got[0].args_after
    if after is None:
        return None
    return unchanged_deep(tuple(example.args), tuple(after.args),
                          ("dout", ("cache[0] (x_hat)", "cache[1] (gamma)", "cache[2] (inv_std)")))
