"""Hidden checks for ``one_hot(labels, num_classes)`` and ``softmax_cross_entropy(logits, labels)``.

``one_hot`` is exact (0.0 and 1.0). For the loss, with u = eps/2 of the logits' precision,
σ_n = max_j |logits[n, j]| and C classes:

- each example's loss logsumexp(z) - z_y, computed with the max subtracted (as the lesson shows,
  or as log-softmax then picked), is within about (4σ_n + C + 2·log C + 4)·u of the exact value
  (the rounding of z_j - m moves exp(z_j - m) by |z_j - m|·u relatively, the sum of C terms adds
  C·u, the final additions u·(|m| + |log S| + |z_y|)); the mean over N adds N·u·loss. The bound
  is twice that, in eps: (4σ + C + 2 log C + 8 + N·loss)·eps, σ the largest |logit|.
- dlogits[n, j] = (p_nj - y_nj) / N, where p_nj is within (4σ_n + C + 6)·u·p_nj (relative), and
  the subtraction and division round once each: the bound is
  ((4σ_n + C + 8)·p_nj + 2·|p_nj - y_nj|)·eps / N, plus subnormal slack.

Large logits (±1e4, rows mixing +1e4 and -1e4) make the naive exp overflow (nan) and the naive
log(softmax) underflow (log 0 = -inf, an infinite loss), so stability is judged by the values.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call, unpack

checks = Registry()

LABEL_DTYPES = ("int64", "int64", "int32", "uint8")


# --- strategies ---------------------------------------------------------------------------------

@st.composite
def labels_for(draw, n: int, C: int):
    dtype = draw(st.sampled_from(LABEL_DTYPES))
    return np.array(draw(st.lists(st.integers(0, C - 1), min_size=n, max_size=n)), dtype=dtype)


@st.composite
def one_hot_inputs(draw):
    """labels (N,) in 0..C-1 with N != C most of the time (N = 0 included), C >= 1."""
    if draw(st.integers(0, 3)) == 0:
        N, C = draw(gs.dims(0, 6)), draw(gs.dims(1, 6))
    else:
        N, C = draw(gs.distinct_dims(2, 0, 8).filter(lambda d: d[1] >= 1))
    return args(draw(gs.layouts(draw(labels_for(N, C)))), C)


@st.composite
def out_of_range_labels(draw):
    """Valid labels except at least one negative or >= num_classes (numpy would wrap a -1)."""
    N, C = draw(gs.dims(1, 6)), draw(gs.dims(1, 6))
    labels = draw(labels_for(N, C)).astype(np.int64)
    labels[draw(st.integers(0, N - 1))] = draw(st.sampled_from([-1, -C, C, C + 1, C + 7]))
    return labels, C


@st.composite
def malformed_labels(draw):
    """Labels that are not whole numbers, or not a 1-D array."""
    N, C = draw(gs.dims(1, 6)), draw(gs.dims(2, 6))
    labels = draw(labels_for(N, C))
    kind = draw(st.sampled_from(["fraction", "fraction", "column", "matrix"]))
    if kind == "fraction":
        labels = labels.astype(np.float64)
        labels[draw(st.integers(0, N - 1))] = draw(st.sampled_from([0.5, 1.5, 0.25, C - 1.5]))
    elif kind == "column":
        labels = labels.reshape(N, 1)
    else:
        labels = np.stack([labels, labels])
    return labels, C


@st.composite
def loss_inputs(draw, huge: bool = False):
    """logits (N, C) with N, C >= 1 (N != C most of the time) and labels (N,)."""
    if draw(st.integers(0, 3)) == 0:
        N, C = draw(gs.dims(1, 6)), draw(gs.dims(1, 6))
    else:
        N, C = draw(gs.distinct_dims(2, 1, 8))
    if huge:
        logits = draw(huge_logits(N, C))
    else:
        logits = draw(gs.arrays((N, C), bound=draw(gs.magnitudes()), dtypes=gs.MIXED_DTYPES))
    return args(logits, draw(gs.layouts(draw(labels_for(N, C)))))


@st.composite
def huge_logits(draw, N: int, C: int):
    """Logits of size 1e3 to 1e4 in float64: rows that mix +1e4 and -1e4 overflow exp and
    underflow softmax."""
    base = draw(gs.arrays((N, C), bound=1.0, dtypes=("float64",), layout=False))
    scale = draw(st.sampled_from([1e3, 1e4, 1e4]))
    logits = base * scale
    for n in range(N):
        if draw(st.booleans()):
            logits[n, draw(st.integers(0, C - 1))] = draw(st.sampled_from([1e4, -1e4, 9999.5]))
    return draw(gs.layouts(logits))


@st.composite
def bad_loss_inputs(draw):
    """Inputs softmax_cross_entropy must refuse."""
    kind = draw(st.sampled_from(["range", "range", "fraction", "length", "logits_1d", "no_rows"]))
    if kind == "range":
        labels, C = draw(out_of_range_labels())
        return args(draw(gs.arrays((labels.shape[0], C))), labels)
    if kind == "fraction":
        labels, C = draw(malformed_labels().filter(lambda lc: lc[0].ndim == 1))
        return args(draw(gs.arrays((labels.shape[0], C))), labels)
    N, C = draw(gs.distinct_dims(2, 1, 6))
    if kind == "length":       # one label too many or too few
        return args(draw(gs.arrays((N, C))), draw(labels_for(N + draw(st.sampled_from([-1, 1])), C)))
    if kind == "logits_1d":    # one example as a vector, not a (1, C) batch
        return args(draw(gs.arrays((C,))), draw(labels_for(1, C)))
    return args(np.zeros((0, C)), np.zeros(0, dtype=np.int64))


# --- comparing ----------------------------------------------------------------------------------

def one_hot_mismatch(outcome, labels, C, expected) -> Mismatch | None:
    value = compare.listed_empty(outcome.value, expected, outcome.note)
    mismatch = compare.same_exactly(value, expected, f"one_hot(labels, {C})")
    if mismatch is None:
        return None
    arr = compare.as_float_array(value)
    if arr is not None and arr.shape == expected.shape[::-1] and np.array_equal(arr.T, expected):
        return Mismatch(f"{mismatch.summary} — it is transposed: one row per label, one column per "
                        f"class, shape (N, num_classes)", expected, value)
    return mismatch


def scales(logits):
    Z = f64(logits)
    sigma = np.max(np.abs(Z), axis=1, keepdims=True)
    return Z, sigma, compare.unit_roundoff(logits)


def loss_bound(logits, loss: float) -> float:
    Z, sigma, eps = scales(logits)
    N, C = Z.shape
    return float((4.0 * np.max(sigma) + C + 2.0 * math.log(C) + 8.0 + N * abs(loss)) * eps
                 + compare.underflow_slack(2 * C + 8, logits))


def grad_bound(logits, labels, dlogits) -> np.ndarray:
    Z, sigma, eps = scales(logits)
    N, C = Z.shape
    d = f64(dlogits)
    Y = np.zeros((N, C))
    Y[np.arange(N), np.asarray(labels, dtype=np.int64)] = 1.0
    p = d * N + Y
    return (((4.0 * sigma + C + 8.0) * np.abs(p) + 2.0 * np.abs(d) * N) * eps / N
            + compare.underflow_slack(C + 8, logits))


def loss_and_grad(outcome) -> tuple[list, Mismatch | None]:
    return unpack(outcome.value, 2, "softmax_cross_entropy(logits, labels)")


def loss_mismatch(example, got, ref) -> Mismatch | None:
    logits, labels = example.args
    items, problem = loss_and_grad(got[0])
    if problem:
        return problem
    loss, dlogits = items
    loss_ref, dlogits_ref = ref[0].value
    N = np.shape(logits)[0]
    problem = compare.scalar_within(loss, loss_ref, loss_bound(logits, loss_ref), "the loss (first item)")
    if problem:
        value = compare.as_float_array(loss)
        if value is not None and value.size == 1 and N > 1 and loss_ref != 0:
            v = float(value.reshape(-1)[0])
            if abs(v - N * loss_ref) <= 1e-6 * abs(N * loss_ref):
                problem = Mismatch(f"{problem.summary} — it looks like the sum over the batch; the "
                                   f"loss is the mean (divide by N = {N})", loss_ref, loss)
            elif not math.isfinite(v):
                problem = Mismatch(f"{problem.summary} — log(softmax) underflowed or exp overflowed: "
                                   f"compute logsumexp(z) - z[label] with the max subtracted",
                                   loss_ref, loss)
        return problem
    return grad_mismatch(dlogits, got[0].note, logits, labels, dlogits_ref)


def grad_mismatch(dlogits, note, logits, labels, expected) -> Mismatch | None:
    value = compare.listed_empty(dlogits, expected, note)
    problem = compare.within(value, expected, grad_bound(logits, labels, expected),
                             "dlogits (second item)")
    if problem is None:
        return None
    arr = compare.as_float_array(value)
    N = np.shape(logits)[0]
    if arr is None or arr.shape != expected.shape:
        return problem
    for factor, why in ((N, f"it is N = {N} times too large: the loss is a mean, divide by N"),
                        (-1.0, "its sign is flipped: the gradient is (softmax - one_hot) / N")):
        if (factor != 1 and np.any(expected != 0)
                and np.allclose(arr, factor * expected, rtol=1e-6, atol=1e-12)):
            return Mismatch(f"{problem.summary} — {why}", expected, value)
    return problem


# --- one_hot ------------------------------------------------------------------------------------

@checks.add("one_hot", points=2, strategy=one_hot_inputs(),
            says="one_hot(labels, C) should be the (N, C) float array with a 1.0 at "
                 "[n, labels[n]] and 0.0 elsewhere")
def one_hot_matches_reference(example, got, ref):
    labels, C = example.args
    return one_hot_mismatch(got[0], labels, C, ref[0].value)


@checks.add("one_hot", points=1.5, strategy=out_of_range_labels().map(lambda lc: args(*lc)),
            handles_errors=True, examples=30,
            says="one_hot(labels, C) should raise ValueError when a label is negative or >= C "
                 "(numpy indexing would silently wrap -1 around to the last class)")
def one_hot_rejects_out_of_range(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("one_hot", points=1.5, strategy=malformed_labels().map(lambda lc: args(*lc)),
            handles_errors=True, examples=30,
            says="one_hot(labels, C) should raise ValueError when labels are not whole numbers "
                 "(1.5 is no class) or not a 1-D array")
def one_hot_rejects_malformed_labels(example, got, ref):
    return expect_value_error(example, got, ref)


# --- softmax_cross_entropy ----------------------------------------------------------------------

@checks.add("softmax_cross_entropy", points=3, strategy=loss_inputs(),
            says="softmax_cross_entropy(logits, labels) should return (mean of -log softmax(logits)"
                 "[n, labels[n]], (softmax(logits) - one_hot(labels)) / N)")
def loss_matches_reference(example, got, ref):
    return loss_mismatch(example, got, ref)


@checks.add("softmax_cross_entropy", points=3, strategy=loss_inputs(huge=True),
            says="softmax_cross_entropy(logits, labels) should stay finite and accurate for logits "
                 "as large as ±1e4: subtract each row's max, and compute log-softmax as "
                 "z - logsumexp(z) instead of log(softmax(z))")
def loss_stable_for_large_logits(example, got, ref):
    return loss_mismatch(example, got, ref)


@checks.add("softmax_cross_entropy", points=1, strategy=loss_inputs(), examples=40,
            says="every row of dlogits should sum to 0 (softmax rows sum to 1, and so do one-hot rows)")
def gradient_rows_sum_to_zero(example, got, ref):
    logits, labels = example.args
    items, problem = loss_and_grad(got[0])
    if problem:
        return problem
    _, dlogits_ref = ref[0].value
    value = compare.as_float_array(items[1])
    if value is None or value.shape != dlogits_ref.shape:
        return compare.within(items[1], dlogits_ref, 0.0, "dlogits (second item)")
    if not np.all(np.isfinite(value)):
        return Mismatch("dlogits contains NaN or infinity", dlogits_ref, items[1])
    sums = value.sum(axis=1)
    C = value.shape[1]
    bound = (grad_bound(logits, labels, dlogits_ref).sum(axis=1)
             + 2.0 * C * np.finfo(np.float64).eps * np.abs(value).sum(axis=1))
    if np.all(np.abs(sums) <= bound):
        return None
    row = int(np.argmax(np.abs(sums) - bound))
    return Mismatch(f"row {row} of dlogits sums to {sums[row]:.6g}, not 0", np.zeros_like(sums), sums)


@checks.add("softmax_cross_entropy", points=2, strategy=bad_loss_inputs(), handles_errors=True,
            examples=30,
            says="softmax_cross_entropy(logits, labels) should raise ValueError for labels outside "
                 "0..C-1 or not whole numbers, one label per row missing or extra, 1-D logits, or "
                 "no rows")
def loss_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("softmax_cross_entropy", points=1, strategy=loss_inputs(),
            calls=unchanged_call("softmax_cross_entropy"), examples=30,
            says="softmax_cross_entropy(logits, labels) must not modify logits or labels "
                 "(logits -= max changes the caller's array)")
def loss_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
