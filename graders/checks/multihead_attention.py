"""Hidden checks for the multihead_attention exercise: ``causal_mask``, ``split_heads``,
``merge_heads`` and ``multi_head_attention``.

``causal_mask``, ``split_heads`` and ``merge_heads`` only build booleans or move numbers, so they
are compared exactly. ``multi_head_attention`` is compared within bounds propagated through its
stages, each a per-program error E from the exact value (eps: machine epsilon of the least precise
float input, float64 for integers; |·| entrywise; A_m = |A| + E_A):

    Q = X Wq:   E_Q = (D + 2)·eps·|X||Wq|                       (same for K and V)
    S = Q Kᵀ/√d_k per head:  E_S = (Q_m E_Kᵀ + E_Q K_mᵀ + (d_k + 4)·eps·Q_m K_mᵀ) / √d_k
    weights: perturbing a row's scores by at most Δ (the largest E_S over the keys the row may
             see) scales each weight by a factor in [e^(-2Δ), e^(2Δ)]; the softmax itself rounds
             within 2·eps·(|S - m| + |m| + T + 8) relative (see graders/checks/attention.py), so
             E_w = ρ·w·(1 + ρ) with ρ = e^(2Δ) - 1 + that; masked weights are exactly 0 (E_w = 0)
    heads = w V:  E_H = E_w|V| + w_m E_V + (T + 2)·eps·w_m V_m
    out = merge(heads) Wo:  E_out = merge(E_H)|Wo| + (Dv + 2)·eps·merge(H_m)|Wo|

Learner and reference are each within E of the exact values; the checks allow 3·E. Every
evaluation order is covered: einsum, loops over heads or over the batch, scaling Q (or Wq's
product) before the product, -1e9 instead of -inf for masked scores (scores stay below ~1e3 here,
so exp(-1e9 - m) is exactly 0), float32 arithmetic on float32 inputs.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Call, Registry, args, expect_value_error, inputs_unchanged, unchanged_call, unpack

checks = Registry()

ANY_DTYPE = ("float64", "float64", "int64", "float32")


def split(X, h) -> np.ndarray:
    N, T, D = np.shape(X)
    return np.asarray(X).reshape(N, T, h, D // h).transpose(0, 2, 1, 3)


def merge(X) -> np.ndarray:
    N, h, T, d = np.shape(X)
    return np.asarray(X).transpose(0, 2, 1, 3).reshape(N, T, h * d)


def lower(n) -> np.ndarray:
    return np.tril(np.ones((n, n), dtype=bool))


# --- strategies ------------------------------------------------------------------------------------

@st.composite
def small_arrays(draw, shape, bound: float):
    """Floats within ±bound, or integers in [-3, 3] (so integer scores stay moderate), any layout."""
    dtype = draw(st.sampled_from(ANY_DTYPE))
    if dtype == "int64":
        arr = draw(hnp.arrays(np.int64, shape, elements=st.integers(-3, 3)))
        return draw(gs.layouts(arr))
    return draw(gs.arrays(shape, bound=bound, dtypes=(dtype,)))


def heads_arg(draw, h) -> tuple[tuple, dict]:
    return ((h,), {}) if draw(st.booleans()) else ((), {"num_heads": h})


@st.composite
def mask_sizes(draw):
    return args(draw(st.integers(0, 9)))


@st.composite
def split_inputs(draw):
    """X (N, T, D) with D = h·d; sizes 0 and 1 included; N, T, h, d mostly different."""
    N, T = draw(st.integers(0, 3)), draw(st.integers(0, 5))
    h, d = draw(st.sampled_from([(1, 3), (2, 3), (3, 2), (2, 1), (4, 2), (3, 1), (2, 2), (1, 1)]))
    X = draw(gs.arrays((N, T, h * d), dtypes=ANY_DTYPE))
    extra, kwargs = heads_arg(draw, h)
    return args(X, *extra, **kwargs)


@st.composite
def bad_split_inputs(draw):
    """D not divisible by num_heads (a version that drops the remainder computes silently), X not
    3-D, or num_heads < 1."""
    kind = draw(st.sampled_from(["not_divisible", "not_divisible", "x_2d", "heads_zero"]))
    N, T, h = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(2, 4))
    D = h * draw(st.integers(1, 3)) + draw(st.integers(1, h - 1))
    if kind == "x_2d":
        return args(draw(gs.arrays((T, h * 2))), h)
    if kind == "heads_zero":
        return args(draw(gs.arrays((N, T, D))), 0)
    return args(draw(gs.arrays((N, T, D))), h)


@st.composite
def merge_inputs(draw):
    """X (N, h, T, d), sizes 0 and 1 included, dimensions mostly different."""
    N, h, T, d = draw(st.integers(0, 3)), draw(st.integers(1, 4)), draw(st.integers(0, 5)), draw(st.integers(1, 3))
    return args(draw(gs.arrays((N, h, T, d), dtypes=ANY_DTYPE)))


@st.composite
def bad_merge_inputs(draw):
    """Arrays that are not 4-D (a concatenation over axis 1 would accept a 3-D one)."""
    ndim = draw(st.sampled_from([3, 3, 2, 5]))
    shape = tuple(draw(st.lists(st.integers(2, 4), min_size=ndim, max_size=ndim)))
    return args(draw(gs.arrays(shape)))


def heads_of(example, index: int = 1) -> int:
    return example.args[index] if len(example.args) > index else example.kwargs["num_heads"]


def split_then_merge(example) -> list[Call]:
    return [Call("merge_heads", args(split(example.args[0], heads_of(example))))]


@st.composite
def mha_inputs(draw, causal: bool | None = None):
    """X (N, T, D), Wq, Wk (D, Dk), Wv (D, Dv), Wo (Dv, Do) with Dk = h·d_k, Dv = h·d_v; entries
    small enough that scores stay below ~1e3 and the softmax is not always saturated."""
    N, T = draw(st.integers(1, 2)), draw(st.integers(1, 5))
    h = draw(st.sampled_from([1, 2, 2, 3]))
    d_k, d_v = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    D, Do = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    bound = draw(st.sampled_from([0.5, 1.0, 2.0]))
    X = draw(small_arrays((N, T, D), bound))
    Wq, Wk = draw(small_arrays((D, h * d_k), bound)), draw(small_arrays((D, h * d_k), bound))
    Wv, Wo = draw(small_arrays((D, h * d_v), bound)), draw(small_arrays((h * d_v, Do), bound))
    extra, kwargs = heads_arg(draw, h)
    if causal is None:
        causal = draw(st.booleans())
    if causal:
        kwargs["causal"] = True
    elif draw(st.booleans()):
        kwargs["causal"] = False
    return args(X, Wq, Wk, Wv, Wo, *extra, **kwargs)


@st.composite
def bad_mha_inputs(draw):
    """Shapes multi_head_attention must refuse, and num_heads = 0."""
    kind = draw(st.sampled_from(["dk_not_divisible", "dv_not_divisible", "wk_shape", "wo_rows", "x_2d",
                                 "heads_zero", "heads_zero"]))
    N, T, D, Do = draw(st.integers(1, 2)), draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h = draw(st.integers(2, 3))
    Dk, Dv = h * draw(st.integers(1, 2)), h * draw(st.integers(1, 2))
    shapes = {"X": (N, T, D), "Wq": (D, Dk), "Wk": (D, Dk), "Wv": (D, Dv), "Wo": (Dv, Do)}
    if kind == "dk_not_divisible":
        shapes["Wq"] = shapes["Wk"] = (D, Dk + 1)
    elif kind == "dv_not_divisible":
        shapes["Wv"], shapes["Wo"] = (D, Dv + 1), (Dv + 1, Do)
    elif kind == "wk_shape":
        shapes["Wk"] = (D, Dk + h)
    elif kind == "wo_rows":
        shapes["Wo"] = (Dv + h, Do)
    elif kind == "x_2d":
        shapes["X"] = (T, D)
    heads = 0 if kind == "heads_zero" else h
    return args(*(draw(gs.arrays(shapes[k])) for k in ("X", "Wq", "Wk", "Wv", "Wo")), heads)


# --- causal_mask -------------------------------------------------------------------------------------

@checks.add("causal_mask", points=1, strategy=mask_sizes(), examples=20,
            says="causal_mask(n) should be the (n, n) array with True where j <= i (query i may attend to key j), "
                 "the diagonal included")
def causal_mask_values(example, got, ref):
    expected = ref[0].value
    value = compare.listed_empty(got[0].value, expected, got[0].note)
    problem = compare.same_exactly(value, expected, "mask")
    if problem is None or not problem.summary.endswith("wrong values"):
        return problem
    arr = compare.as_float_array(value) != 0
    n = expected.shape[0]
    if np.array_equal(arr, ~expected):
        why = "True and False are swapped: True means the query MAY attend (torch.nn.MultiheadAttention's bool mask is the opposite)"
    elif np.array_equal(arr, expected.T):
        why = "it is upper triangular; query i (row i) may see keys j <= i, so the mask is LOWER triangular"
    elif np.array_equal(arr, np.tril(np.ones((n, n), dtype=bool), -1)):
        why = "the diagonal must be True: a token may attend to itself"
    else:
        why = "mask[i, j] = (j <= i)"
    return dataclasses.replace(problem, summary=f"{problem.summary}: {why}")


@checks.add("causal_mask", points=1, strategy=mask_sizes(), examples=20,
            says="causal_mask(n) should return a boolean array (dtype bool), so that ~mask and np.where(mask, ...) work")
def causal_mask_is_boolean(example, got, ref):
    value = got[0].value
    if isinstance(value, np.ndarray) and value.dtype == np.bool_:
        return None
    kind = f"an array of dtype {value.dtype}" if isinstance(value, np.ndarray) else f"a {type(value).__name__}"
    return Mismatch(f"the mask should be a numpy array of dtype bool, got {kind} (use dtype=bool, or a comparison "
                    "such as j <= i)", ref[0].value, value)


@checks.add("causal_mask", points=1, strategy=st.integers(-5, -1).map(args), handles_errors=True, examples=5,
            says="causal_mask(n) should raise ValueError for n < 0")
def causal_mask_rejects_negative(example, got, ref):
    problem = expect_value_error(example, got, ref)
    return problem and dataclasses.replace(problem, summary=problem.summary.replace("for these shapes", "for n < 0"))


# --- split_heads and merge_heads -------------------------------------------------------------------

def exact_array(got, expected, what: str, rule: str) -> Mismatch | None:
    value = compare.listed_empty(got.value, expected, got.note)
    arr = compare.as_float_array(value)
    if arr is not None and arr.shape != np.shape(expected):
        return Mismatch(f"{what} has the wrong shape: expected {np.shape(expected)}, got {arr.shape} — {rule}",
                        expected, value)
    return compare.same_exactly(value, expected, what)


def split_mistake(arr, X, h) -> str:
    N, T, D = np.shape(X)
    d = D // h
    Xa = np.asarray(X)
    if arr.size == Xa.size and np.array_equal(arr.reshape(-1), f64(Xa).reshape(-1)):
        return "it is X.reshape(N, h, T, d): the shape is right, but each head gets rows of X mixed across tokens; " \
               "reshape to (N, T, h, d) first, then transpose to (N, h, T, d)"
    if np.array_equal(arr, f64(Xa).reshape(N, T, d, h).transpose(0, 3, 1, 2)):
        return "head i gets every h-th feature (reshape (N, T, d, h)); it should get the block of features i·d .. i·d + d - 1"
    return "out[n, i, t, k] = X[n, t, i·d + k]"


@checks.add("split_heads", points=1, strategy=split_inputs(),
            says="split_heads(X, h) should return the (N, h, T, D // h) array with out[n, i, t, k] = X[n, t, i·(D // h) + k]: "
                 "head i gets the i-th block of consecutive features")
def split_matches_reference(example, got, ref):
    X = example.args[0]
    h = heads_of(example)
    N, T, D = np.shape(X)
    problem = exact_array(got[0], ref[0].value, "the result",
                          f"split_heads gives (N, h, T, D // h) = ({N}, {h}, {T}, {D // h}): heads before tokens")
    if problem is not None and problem.summary.endswith("wrong values"):
        why = split_mistake(compare.as_float_array(got[0].value), X, h)
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: {why}")
    return problem


@checks.add("split_heads", points=1, strategy=bad_split_inputs(), handles_errors=True, examples=20,
            says="split_heads should raise ValueError when X is not 3-D, num_heads < 1, or D is not divisible by num_heads")
def split_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("split_heads", points=1, strategy=split_inputs(), calls=unchanged_call("split_heads"), examples=30,
            says="split_heads must leave X unchanged, shape included (no X.shape = ... on the caller's array)")
def split_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


def merge_mistake(arr, X) -> str:
    N, h, T, d = np.shape(X)
    Xa = f64(X)
    if arr.size == Xa.size and np.array_equal(arr.reshape(-1), Xa.reshape(-1)):
        return "it is X.reshape(N, T, h·d) without the transpose: move the heads back behind the tokens first"
    if np.array_equal(arr, Xa.transpose(0, 2, 3, 1).reshape(N, T, h * d)):
        return "the features are interleaved (transpose (0, 2, 3, 1)); head i's features must stay together as block i"
    return "out[n, t, i·d + k] = X[n, i, t, k]"


@checks.add("merge_heads", points=1, strategy=merge_inputs(),
            says="merge_heads(X) should return the (N, T, h·d) array with out[n, t, i·d + k] = X[n, i, t, k]")
def merge_matches_reference(example, got, ref):
    X = example.args[0]
    N, h, T, d = np.shape(X)
    problem = exact_array(got[0], ref[0].value, "the result",
                          f"merge_heads gives (N, T, h·d) = ({N}, {T}, {h * d})")
    if problem is not None and problem.summary.endswith("wrong values"):
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: {merge_mistake(compare.as_float_array(got[0].value), X)}")
    return problem


@checks.add("merge_heads", points=1, strategy=split_inputs(), calls=split_then_merge,
            says="merge_heads undoes split_heads: merge_heads(split_heads(X, h)) gives back X exactly")
def merge_inverts_split(example, got, ref):
    X = example.args[0]
    return exact_array(got[0], f64(X), "merge_heads(split_heads(X, h))",
                       "the result has X's shape (N, T, D)")


@checks.add("merge_heads", points=1, strategy=bad_merge_inputs(), handles_errors=True, examples=20,
            says="merge_heads should raise ValueError unless X is 4-D (N, h, T, d)")
def merge_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


# --- multi_head_attention --------------------------------------------------------------------------

def mha_bounds(example, w_ref) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on |learner - reference| for weights and out (module doc)."""
    X, Wq, Wk, Wv, Wo = example.args[:5]
    h = heads_of(example, 5)
    causal = example.kwargs.get("causal", False)
    eps = compare.unit_roundoff(X, Wq, Wk, Wv, Wo)
    Xf, aX = f64(X), np.abs(f64(X))
    D, T = Xf.shape[2], Xf.shape[1]
    proj = {}
    for name, W in (("Q", Wq), ("K", Wk), ("V", Wv)):
        value = split(Xf @ f64(W), h)
        error = split((D + 2) * eps * (aX @ np.abs(f64(W))), h)
        proj[name] = (value, error, np.abs(value) + error)
    (Q, EQ, Qm), (K, EK, Km), (V, EV, Vm) = proj["Q"], proj["K"], proj["V"]
    d_k = Q.shape[-1]
    root = np.sqrt(max(d_k, 1))
    tr = lambda a: np.swapaxes(a, -1, -2)  # noqa: E731
    S = Q @ tr(K) / root
    ES = (Qm @ tr(EK) + EQ @ tr(Km) + (d_k + 4) * eps * (Qm @ tr(Km))) / root
    allowed = lower(T) if causal else np.ones((T, T), dtype=bool)
    allowed = np.broadcast_to(allowed, S.shape)
    m = np.max(np.where(allowed, S, -np.inf), axis=-1, keepdims=True)
    delta = np.max(np.where(allowed, ES, 0.0), axis=-1, keepdims=True)
    with np.errstate(over="ignore"):
        rho = np.expm1(2 * delta) + 2 * eps * (np.abs(np.where(allowed, S - m, 0.0)) + np.abs(m) + T + 8)
        w = np.abs(f64(w_ref))
        Ew = np.where(allowed, rho * w * (1 + rho), 0.0)
        wm = w + Ew
        EH = Ew @ np.abs(V) + wm @ EV + (T + 2) * eps * (wm @ Vm)
        H = w @ np.abs(V)
        Dv = Wo.shape[0]
        Eout = merge(EH) @ np.abs(f64(Wo)) + (Dv + 2) * eps * (merge(H + EH) @ np.abs(f64(Wo)))
    slack = compare.underflow_slack(2 * (D + T + Dv) + 16, X, Wq, Wk, Wv, Wo)
    return np.where(allowed, 3 * Ew + slack, 0.0), 3 * Eout + slack


def mha_parts(value):
    items, problem = unpack(value, 2, "multi_head_attention")
    if problem:
        return None, None, Mismatch("multi_head_attention should return a tuple (out, weights)", "(out, weights)", value)
    return items[0], items[1], None


def mha_mistake(example, w_got) -> str:
    """Name a common mistake whose weights match the learner's."""
    X, Wq, Wk, Wv, Wo = (f64(a) for a in example.args[:5])
    h = heads_of(example, 5)
    causal = example.kwargs.get("causal", False)
    N, T, D = X.shape
    Q, K = X @ Wq, X @ Wk
    d_k = Q.shape[-1] // h

    def softmax(S, mask=None, axis=-1):
        if mask is not None:
            S = np.where(mask, S, -np.inf)
        e = np.exp(S - np.max(S, axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    mask = lower(T) if causal else None
    Qh, Kh = split(Q, h), split(K, h)
    candidates = [
        (softmax(Qh @ np.swapaxes(Kh, -1, -2) / np.sqrt(h * d_k), mask),
         "the scores are scaled by sqrt(Dk), the full width; use sqrt(d_k) = sqrt(Dk // num_heads), one head's width"),
        (softmax(Q.reshape(N, h, T, d_k) @ np.swapaxes(K.reshape(N, h, T, d_k), -1, -2) / np.sqrt(d_k), mask),
         "the heads look split with a reshape alone ((N, T, Dk) -> (N, h, T, d_k)); reshape to (N, T, h, d_k), then transpose"),
        (softmax(Qh @ np.swapaxes(Kh, -1, -2) / np.sqrt(d_k), None),
         "the causal mask is not applied: with causal=True, query t may only see keys 0..t"),
        (softmax(Qh @ np.swapaxes(Kh, -1, -2) / np.sqrt(d_k)) * (lower(T) if causal else 1),
         "the weights were masked after the softmax; mask the scores (set them to -inf) BEFORE the softmax"),
        (softmax(Qh @ np.swapaxes(Kh, -1, -2) / np.sqrt(d_k), mask, axis=-2),
         "the softmax runs over the queries (axis -2); each query's weights over the keys (last axis) must sum to 1"),
    ]
    arr = compare.as_float_array(w_got)
    with np.errstate(all="ignore"):
        for cand, why in candidates:
            if arr is not None and cand.shape == arr.shape and np.all(np.isfinite(cand)) and \
                    np.allclose(arr, cand, rtol=1e-7, atol=1e-9):
                return why
    return ""


def mha_within(example, got, ref) -> Mismatch | None:
    out, weights, problem = mha_parts(got[0].value)
    if problem:
        return problem
    out_ref, w_ref = ref[0].value
    for item, expected, name, rule in ((weights, w_ref, "weights", "weights is (N, h, T, T): one T x T matrix per head"),
                                       (out, out_ref, "out", "out is (N, T, Do): merge_heads(heads) @ Wo")):
        arr = compare.as_float_array(item)
        if arr is None:
            return Mismatch(f"{name} is not a numeric array", expected, item)
        if arr.shape != np.shape(expected):
            return Mismatch(f"{name} has the wrong shape: expected {np.shape(expected)}, got {arr.shape} — {rule}",
                            expected, item)
    bound_w, bound_out = mha_bounds(example, w_ref)
    problem = compare.within(weights, w_ref, bound_w, "weights")
    if problem is not None and "NaN" in problem.summary and example.kwargs.get("causal"):
        return dataclasses.replace(problem, summary=f"{problem.summary}: a row whose keys are all masked gives 0/0 in "
                                   "the softmax; the causal mask keeps the diagonal (True = may attend, j <= i)")
    if problem is not None and problem.summary.endswith("wrong values"):
        why = mha_mistake(example, weights) or "weights = softmax(Q Kᵀ / sqrt(d_k)) per head, over the keys"
        return dataclasses.replace(problem, summary=f"{problem.summary}: {why}")
    if problem:
        return problem
    problem = compare.within(out, out_ref, bound_out, "out")
    if problem is not None and problem.summary.endswith("wrong values"):
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: out = merge_heads(weights @ V) @ Wo, "
                                      "with V = split_heads(X @ Wv)")
    return problem


@checks.add("multi_head_attention", points=2, strategy=mha_inputs(causal=False),
            says="multi_head_attention(X, Wq, Wk, Wv, Wo, h) should return (merge_heads(weights @ V) @ Wo, weights) with "
                 "weights = softmax(Q Kᵀ / sqrt(d_k)) per head, Q = split_heads(X @ Wq, h) (K, V alike), d_k = Dk // h")
def mha_matches_reference(example, got, ref):
    return mha_within(example, got, ref)


@checks.add("multi_head_attention", points=1, strategy=mha_inputs(causal=True),
            says="with causal=True, each query t attends only to keys 0..t: its weights are the softmax over those "
                 "keys (each row still sums to 1)")
def causal_mha_matches_reference(example, got, ref):
    return mha_within(example, got, ref)


@checks.add("multi_head_attention", points=1, strategy=mha_inputs(causal=True),
            says="with causal=True, the weights above the diagonal (keys in the future) must be exactly 0.0")
def causal_weights_exactly_zero(example, got, ref):
    _, weights, problem = mha_parts(got[0].value)
    if problem:
        return problem
    w_ref = ref[0].value[1]
    arr = compare.as_float_array(weights)
    if arr is None or arr.shape != np.shape(w_ref):
        return mha_within(example, got, ref)
    T = arr.shape[-1]
    future = ~lower(T)
    if np.all(arr[..., future] == 0.0):
        return None
    return Mismatch("some weights above the diagonal are not exactly 0: set the scores of future keys to -inf "
                    "before the softmax (True in causal_mask(T) means the query MAY attend)", w_ref, weights)


@checks.add("multi_head_attention", points=1, strategy=bad_mha_inputs(), handles_errors=True, examples=30,
            says="multi_head_attention should raise ValueError when the shapes do not fit together or num_heads "
                 "is below 1 or does not divide Dk and Dv")
def mha_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("multi_head_attention", points=1, strategy=mha_inputs(), calls=unchanged_call("multi_head_attention"),
            examples=30, says="multi_head_attention must leave X and the weight matrices unchanged (no Wq /= ... to fold "
                              "in the scale)")
def mha_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
