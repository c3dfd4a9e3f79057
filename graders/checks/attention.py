"""Hidden checks for the attention exercise: ``softmax`` and ``scaled_dot_product_attention``.

Tolerances follow rounding-error analysis (derivations next to :func:`softmax_bound` and
:func:`attention_bounds`): a max-subtracted softmax, a logsumexp softmax, einsum, loops over the
batch, -1e9 instead of -inf for masked scores, or float32 arithmetic for float32 inputs all pass.
Masked attention weights are compared exactly: they must be 0.0.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, inputs_unchanged, unchanged_call, unpack

checks = Registry()

ANY_DTYPE = ("float64", "float64", "int64", "float32")
HUGE = 1e4  # the contract: no overflow or NaN for entries up to ±1e4


def subnormal_slack(*arrays) -> float:
    """Absolute slack for results that land in the subnormal range of the working precision."""
    if compare.unit_roundoff(*arrays) > np.finfo(np.float64).eps:
        return 16 * float(np.finfo(np.float32).smallest_subnormal)
    return compare.TINY


# --- strategies ------------------------------------------------------------------------------------

def axis_choices(ndim: int) -> list:
    """None (use the default) or an axis, positive and negative, so a wrong axis shows."""
    return [None, -1] + list(range(ndim)) + ([-ndim] if ndim > 1 else [])


def with_axis(x, axis):
    return args(x) if axis is None else args(x, axis=axis)


@st.composite
def softmax_inputs(draw):
    """1-3 dims, all different; moderate entries (a softmax without max-subtraction survives)."""
    ndim = draw(st.integers(1, 3))
    shape = draw(gs.distinct_dims(ndim, 1, 6))
    bound = draw(st.sampled_from([1.0, gs.SMALL, 50.0]))
    x = draw(gs.arrays(shape, bound=bound, dtypes=ANY_DTYPE))
    return with_axis(x, draw(st.sampled_from(axis_choices(ndim))))


@st.composite
def large_softmax_inputs(draw):
    """Entries up to ±1e4: each slice along the axis gets its own offset, at least one of them
    large, so exp without max-subtraction overflows (or underflows to 0/0), and slices far below
    the global max underflow when a global instead of a per-slice max is subtracted."""
    ndim = draw(st.integers(1, 3))
    shape = draw(gs.distinct_dims(ndim, 1, 6))
    axis = draw(st.sampled_from(axis_choices(ndim)))
    ax = -1 if axis is None else axis
    base = draw(gs.arrays(shape, bound=gs.SMALL, dtypes=ANY_DTYPE, layout=False))
    offset_shape = list(shape)
    offset_shape[ax] = 1
    levels = [-HUGE, -5000.0, -1000.0, 0.0, 800.0, 5000.0, HUGE - gs.SMALL]
    offsets = draw(hnp.arrays(np.float64, tuple(offset_shape), elements=st.sampled_from(levels)))
    flat = offsets.reshape(-1)
    flat[draw(st.integers(0, flat.size - 1))] = draw(st.sampled_from([-HUGE, -5000.0, 5000.0, HUGE - gs.SMALL]))
    x = (base + offsets).astype(base.dtype)
    return with_axis(draw(gs.layouts(x)), axis)


@st.composite
def masks(draw, batch: tuple, n_q: int, n_k: int) -> np.ndarray:
    """A boolean mask broadcastable to batch + (n_q, n_k), with mixed rows: fully open rows,
    rows with a single True, and random rows (each with at least one True)."""
    full = batch + (n_q, n_k)
    keep = draw(st.integers(0, len(batch)))                  # leading dims the mask keeps
    shape = list(full[len(full) - 2 - keep:])
    for i in range(len(shape)):
        if draw(st.integers(0, 3)) == 3:                     # sometimes a broadcast dim of 1
            shape[i] = 1
    rows, n = int(np.prod(shape[:-1], dtype=np.int64)), shape[-1]
    mask = np.ones((rows, n), dtype=bool)
    if n > 1:
        for r in range(rows):
            kind = draw(st.sampled_from(["single", "random", "open"]))
            if kind == "open":
                continue
            if kind == "single":
                mask[r] = False
            else:
                mask[r] = draw(hnp.arrays(bool, n))
            mask[r, draw(st.integers(0, n - 1))] = True
    return mask.reshape(shape)


@st.composite
def attention_inputs(draw, masked: bool | None = False):
    """Q (..., n_q, d_k), K (..., n_k, d_k), V (..., n_k, d_v) with 0-2 batch dims (of sizes 1-3)
    and n_q, n_k, d_k, d_v all different (so K.T on a batch, or a swapped axis, cannot go unseen).
    ``masked``: True always passes a mask, False never does (sometimes mask=None explicitly), None
    either. Entries are at most 10 in size (50 for integer dtypes), so scores stay
    below ~7100: a masked score of -1e9 underflows to exactly 0 weight, as -inf does, and is fair."""
    nb = draw(st.integers(0, 2))
    batch = tuple(draw(st.lists(st.integers(1, 3), min_size=nb, max_size=nb)))  # small: cheap to draw
    n_q, n_k, d_k, d_v = draw(gs.distinct_dims(4, 1, 6))
    bound = draw(st.sampled_from([1.0, 3.0, gs.SMALL]))
    arr = lambda shape: draw(gs.arrays(batch + shape, bound=bound, dtypes=ANY_DTYPE))  # noqa: E731
    Q, K, V = arr((n_q, d_k)), arr((n_k, d_k)), arr((n_k, d_v))
    if masked is None:
        masked = draw(st.booleans())
    if masked:
        return args(Q, K, V, mask=draw(masks(batch, n_q, n_k)))
    return args(Q, K, V, mask=None) if draw(st.booleans()) else args(Q, K, V)


@st.composite
def bad_attention_inputs(draw):
    """Shapes attention must refuse; "batch" and "q_1d" are ones numpy would broadcast silently."""
    kind = draw(st.sampled_from(["d_k", "n_k", "batch", "batch", "q_1d", "mask"]))
    n_q, n_k, d_k, d_v, b = draw(gs.distinct_dims(5, 2, 7))
    other = lambda n: draw(st.integers(1, 7).filter(lambda m: m != n))  # noqa: E731
    no_broadcast = lambda n: draw(st.integers(2, 7).filter(lambda m: m != n))  # noqa: E731
    q_shape, k_shape, v_shape = (n_q, d_k), (n_k, d_k), (n_k, d_v)
    mask = None
    if kind == "d_k":
        k_shape = (n_k, other(d_k))
    elif kind == "n_k":
        v_shape = (other(n_k), d_v)
    elif kind == "batch":
        batches = draw(st.sampled_from([((b,), (1,), (1,)), ((b,), (), ()), ((), (b,), (b,)),
                                        ((b,), (b,), (other(b),)), ((1, b), (b,), (b,))]))
        q_shape, k_shape, v_shape = (s + t for s, t in zip(batches, (q_shape, k_shape, v_shape)))
    elif kind == "q_1d":
        q_shape = (d_k,)
    else:
        shapes = [(no_broadcast(n_q), n_k), (n_q, no_broadcast(n_k)), (no_broadcast(n_k),)]
        mask = np.ones(draw(st.sampled_from(shapes)), dtype=bool)
    Q, K, V = (draw(gs.arrays(s)) for s in (q_shape, k_shape, v_shape))
    return args(Q, K, V) if mask is None else args(Q, K, V, mask=mask)


# --- softmax ---------------------------------------------------------------------------------------

def softmax_bound(x, axis, p) -> np.ndarray:
    """Bound on |learner - reference| for softmax(x) = p along ``axis``.

    Max-subtracted softmax: x_i - m is rounded by u|x_i - m|, exp adds <= 2.5 ulps, the sum of the
    n exponentials (each <= 1, the largest exactly 1) adds n·u relative, the division u; so
    p̂_i = p_i (1 + θ) with |θ| <= u(|x_i - m| + n + 6). A logsumexp softmax exp(x_i - lse) rounds
    lse = m + log Σ exp(x_j - m) at the scale of |m| as well: |θ| <= u(|x_i - m| + |m| + 4n + 10).
    Two correct programs differ by at most eps·(|x_i - m| + |m| + 4n + 10)·p_i (eps = 2u); the
    bound below is 4·eps·(|x_i - m| + |m| + n + 8)·p_i, comfortably above that, plus a slack for
    results in the subnormal range (float32 arithmetic on float32 inputs).
    """
    eps = compare.unit_roundoff(x)
    xf = f64(x)
    ax = -1 if axis is None else axis
    m = np.max(xf, axis=ax, keepdims=True)
    n = xf.shape[ax]
    return 4 * eps * (np.abs(xf - m) + np.abs(m) + n + 8) * np.abs(f64(p)) + subnormal_slack(x)


def axis_of(example):
    return example.kwargs.get("axis", -1)


def slice_sums_hint(got, axis) -> str:
    arr = compare.as_float_array(got)
    with np.errstate(all="ignore"):
        sums = np.sum(arr, axis=axis)
    with np.printoptions(precision=4, threshold=12):
        return f"each slice along axis={axis} should sum to 1, but yours sum to {sums}"


@checks.add("softmax", points=2, strategy=softmax_inputs(),
            says="softmax(x, axis) should be exp(x) / (sum of exp(x) along axis), of x's shape")
def softmax_matches_reference(example, got, ref):
    x, axis = example.args[0], axis_of(example)
    problem = compare.within(got[0].value, ref[0].value, softmax_bound(x, axis, ref[0].value), "p")
    if problem is not None and problem.summary.endswith("wrong values"):
        sums = np.sum(compare.as_float_array(got[0].value), axis=axis)
        if not np.all(np.abs(sums - 1) <= 1e-6):
            problem = dataclasses.replace(problem, summary=f"{problem.summary}: {slice_sums_hint(got[0].value, axis)}")
    return problem


@checks.add("softmax", points=2, strategy=large_softmax_inputs(),
            says="softmax must not overflow: entries as large as ±1e4 give no NaN or inf "
                 "(subtract the max of each slice along axis before exp)")
def large_entries_no_overflow(example, got, ref):
    x, axis = example.args[0], axis_of(example)
    problem = compare.within(got[0].value, ref[0].value, softmax_bound(x, axis, ref[0].value), "p")
    if problem is not None and "NaN" in problem.summary:
        problem = dataclasses.replace(problem, summary=problem.summary + ": exp overflowed or every "
                                      "exp in a slice underflowed to 0; subtract each slice's own max first")
    return problem


@checks.add("softmax", points=1, strategy=softmax_inputs(),
            says="every slice of softmax(x, axis) along axis should sum to 1")
def slices_sum_to_one(example, got, ref):
    x, axis = example.args[0], axis_of(example)
    arr = compare.as_float_array(got[0].value)
    if arr is None or arr.shape != np.shape(x):
        return compare.within(got[0].value, ref[0].value, 0.0, "p")  # reports the shape problem
    sums = np.sum(arr, axis=axis)
    # Σ_i |p̂_i - p_i| <= Σ_i bound_i, Σ_i p_i = 1, and summing n values adds (n + 2)·eps64·Σ|p̂|.
    n = np.shape(x)[axis]
    allowed = np.sum(softmax_bound(x, axis, ref[0].value), axis=axis) + \
        2 * (n + 2) * np.finfo(np.float64).eps * np.sum(np.abs(arr), axis=axis)
    if np.all(np.isfinite(sums)) and np.all(np.abs(sums - 1) <= allowed):
        return None
    return Mismatch(slice_sums_hint(arr, axis), np.ones_like(sums), sums)


@checks.add("softmax", points=1, strategy=softmax_inputs(), calls=unchanged_call("softmax"),
            says="softmax must return a new array and leave x unchanged (no x -= ... in place)")
def softmax_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- scaled_dot_product_attention -----------------------------------------------------------------

def allowed_positions(example, shape) -> np.ndarray:
    mask = example.kwargs.get("mask")
    if mask is None:
        return np.ones(shape, dtype=bool)
    return np.broadcast_to(np.asarray(mask, dtype=bool), shape)


def attention_bounds(example, w_ref) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on |learner - reference| for the weights and for out.

    Scores s = Q Kᵀ/√d_k: d_k products, d_k - 1 additions, the square root and the division, so
    each correct program's scores are within δ_s = γ_{d_k+2}·|Q||K|ᵀ/√d_k of the exact ones; we take
    δ_s = (d_k + 4)·eps·|Q||K|ᵀ/√d_k. Perturbing the scores of a row by at most Δ (the largest δ_s
    over the row's unmasked keys) changes each softmax weight by a factor within e^{±2Δ}; the
    softmax itself rounds as in :func:`softmax_bound`. Two programs: relative bound
    ρ = 2·(e^{2Δ} - 1) + 4·eps·(|s_i - m| + |m| + n_k + 8), so |ŵ - w| <= ρ·w (+ subnormal slack).
    Masked weights are exactly 0 in every correct program: bound 0.
    out = w V: |ŵV - wV| <= |ŵ - w||V| plus the rounding of a sum of n_k products of each program,
    reduction_bound(n_k, (|w| + bound_w)|V|, eps).
    """
    Q, K, V = example.args
    eps = compare.unit_roundoff(Q, K, V)
    Qf, Kf, Vf = f64(Q), f64(K), f64(V)
    d_k, n_k = Qf.shape[-1], Kf.shape[-2]
    s = Qf @ np.swapaxes(Kf, -1, -2) / np.sqrt(d_k)
    delta_s = (d_k + 4) * eps * (np.abs(Qf) @ np.swapaxes(np.abs(Kf), -1, -2)) / np.sqrt(d_k)
    allowed = allowed_positions(example, s.shape)
    m = np.max(np.where(allowed, s, -np.inf), axis=-1, keepdims=True)
    delta = np.max(np.where(allowed, delta_s, 0.0), axis=-1, keepdims=True)
    rho = 2 * np.expm1(2 * delta) + 4 * eps * (np.abs(np.where(allowed, s - m, 0.0)) + np.abs(m) + n_k + 8)
    w = np.abs(f64(w_ref))
    bound_w = np.where(allowed, rho * w + subnormal_slack(Q, K, V), 0.0)
    bound_out = bound_w @ np.abs(Vf) + compare.reduction_bound(n_k, (w + bound_w) @ np.abs(Vf), eps)
    return bound_w, bound_out


def attention_result(value):
    items, problem = unpack(value, 2, "scaled_dot_product_attention")
    if problem:
        return None, None, Mismatch("scaled_dot_product_attention should return a tuple (out, weights)",
                                    "(out, weights)", value)
    return items[0], items[1], None


def named_shape(got, expected, what: str, rule: str) -> Mismatch | None:
    arr = compare.as_float_array(got)
    if arr is None:
        return Mismatch(f"{what} is not a numeric array", expected, got)
    if arr.shape != np.shape(expected):
        return Mismatch(f"{what} has the wrong shape: expected {np.shape(expected)}, got {arr.shape}"
                        f" — {rule}", expected, got)
    return None


WEIGHTS_RULE = "weights has one row per query and one column per key: (..., n_q, n_k)"
OUT_RULE = ("out has one row per query and one column per value entry: "
            "(..., n_q, n_k) @ (..., n_k, d_v) -> (..., n_q, d_v)")


def attention_within(example, got, ref) -> Mismatch | None:
    out, weights, problem = attention_result(got[0].value)
    if problem:
        return problem
    out_ref, w_ref = ref[0].value
    problem = named_shape(weights, w_ref, "weights", WEIGHTS_RULE) or named_shape(out, out_ref, "out", OUT_RULE)
    if problem:
        return problem
    bound_w, bound_out = attention_bounds(example, w_ref)
    problem = compare.within(weights, w_ref, bound_w, "weights")
    if problem is not None and problem.summary.endswith("wrong values"):
        sums = np.sum(compare.as_float_array(weights), axis=-1)
        hint = ("each query row should sum to 1 over the keys it may attend to (mask the scores "
                "BEFORE the softmax)" if not np.all(np.abs(sums - 1) <= 1e-6) else
                "weights = softmax(Q @ K^T / sqrt(d_k)) over the last axis (the keys)")
        return dataclasses.replace(problem, summary=f"{problem.summary}: {hint}")
    if problem:
        return problem
    problem = compare.within(out, out_ref, bound_out, "out")
    if problem is not None and problem.summary.endswith("wrong values"):
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: out = weights @ V")
    return problem


@checks.add("scaled_dot_product_attention", points=3, strategy=attention_inputs(masked=False),
            says="scaled_dot_product_attention(Q, K, V) should return (weights @ V, weights) with "
                 "weights = softmax(Q @ K^T / sqrt(d_k)), transposing only the last two axes of K")
def attention_matches_reference(example, got, ref):
    return attention_within(example, got, ref)


@checks.add("scaled_dot_product_attention", points=2, strategy=attention_inputs(masked=True),
            says="masked weights (mask == False) must be exactly 0.0: set masked scores to -inf before the softmax")
def masked_weights_exactly_zero(example, got, ref):
    _, weights, problem = attention_result(got[0].value)
    if problem:
        return problem
    w_ref = ref[0].value[1]
    problem = named_shape(weights, w_ref, "weights", WEIGHTS_RULE)
    if problem:
        return problem
    arr = compare.as_float_array(weights)
    hidden = ~allowed_positions(example, np.shape(w_ref))
    if np.all(arr[hidden] == 0.0):
        return None
    return Mismatch("some weights where mask is False are not exactly 0 (True means the query MAY "
                    "attend to the key; False hides it)", w_ref, weights)


@checks.add("scaled_dot_product_attention", points=2, strategy=attention_inputs(masked=True),
            says="with a mask, each query's weights are the softmax over the keys it may attend to "
                 "(rows still sum to 1), and out = weights @ V")
def masked_attention_matches_reference(example, got, ref):
    return attention_within(example, got, ref)


def expect_shape_error(example, got, ref) -> Mismatch | None:
    """ValueError, or numpy's AxisError (a subclass of ValueError) from swapping the axes of a 1-D
    array; the sandbox reports the type name only, so the subclass is named here."""
    out = got[0]
    if out.kind == "raised" and out.error in ("ValueError", "AxisError"):
        return None
    if out.kind == "raised":
        return Mismatch(f"should raise ValueError for these shapes, but raised {out.error}",
                        "ValueError", out.error)
    return Mismatch("should raise ValueError for these shapes, but returned a value", "ValueError", out.value)


@checks.add("scaled_dot_product_attention", points=1, strategy=bad_attention_inputs(), handles_errors=True,
            says="scaled_dot_product_attention should raise ValueError when d_k of Q and K differ, n_k of "
                 "K and V differ, the leading dims differ, an input has fewer than 2 dims, or the mask "
                 "does not broadcast")
def attention_rejects_bad_shapes(example, got, ref):
    return expect_shape_error(example, got, ref)


@checks.add("scaled_dot_product_attention", points=1, strategy=attention_inputs(masked=None),
            calls=unchanged_call("scaled_dot_product_attention"),
            says="scaled_dot_product_attention must leave Q, K, V and mask unchanged")
def attention_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
