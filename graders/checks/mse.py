"""Hidden checks for ``mse(y_pred, y_true)`` and ``mse_grad(y_pred, y_true)``.

Bounds, for S = y_pred.size entries and d = y_pred - y_true:

- ``mse`` is a sum of S rounded squares divided by S: two correct evaluations (any order, float32
  accumulation of float32 inputs, dividing each term first) differ by at most
  ``reduction_bound(S, Σd²/S)`` plus underflow slack.
- ``mse_grad`` is elementwise: a subtraction, a scaling by 2 and a division (or a multiplication
  by a rounded 2/S): about 4·eps·|expected|. Scaling both arguments before subtracting
  (2·ŷ/S - 2·y/S) is also correct and rounds relative to |ŷ| + |y|, so that term is added.

Shapes reach (N, O) batches with N != O and both > 1, so dividing by the batch size N alone is
caught, as well as 1-D and 3-D arrays. The laws split a batch into its rows: with rows of equal
length, the batch mse is the mean of the row mses, and the batch gradient is each row's gradient
divided by N.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch
from . import Call, Registry, args, expect_value_error, inputs_unchanged, unchanged_call

checks = Registry()


# --- strategies ---------------------------------------------------------------------------------

@st.composite
def loss_shapes(draw) -> tuple[int, ...]:
    kind = draw(st.sampled_from(["batch", "batch", "batch", "vector", "tensor", "column", "row"]))
    if kind == "batch":        # N examples with O outputs each, N != O
        return draw(gs.distinct_dims(2, 2, 8))
    if kind == "vector":
        return (draw(gs.dims(1, 12)),)
    if kind == "tensor":
        return draw(gs.distinct_dims(3, 2, 5))
    n = draw(gs.dims(1, 8))
    return (n, 1) if kind == "column" else (1, n)


@st.composite
def batch_shapes(draw) -> tuple[int, ...]:
    """Shapes where the batch size N is not the number of entries: (N, O) and (N, A, B)."""
    if draw(st.integers(0, 3)) == 3:  # (hypothesis shrinks towards 0: to the simpler 2-D case)
        return draw(gs.distinct_dims(3, 2, 4))
    return draw(gs.distinct_dims(2, 2, 8))


@st.composite
def loss_pairs(draw, shapes=None, nonzero: bool = False) -> object:
    """y_pred and y_true of one shape; sometimes equal in places (exact zero differences).

    ``nonzero``: no zero entries (0 becomes 1), so that writing a difference or a product into
    an argument always changes it (for the checks that inputs are left alone).
    """
    shape = draw(shapes if shapes is not None else loss_shapes())
    bound, dtypes = draw(gs.magnitudes()), draw(gs.DTYPE_FAMILIES)
    y_pred = draw(gs.arrays(shape, bound=bound, dtypes=dtypes, layout=False))
    y_true = draw(gs.arrays(shape, bound=bound, dtypes=dtypes, layout=False))
    if nonzero:
        y_pred, y_true = (np.where(a == 0, 1, a).astype(a.dtype) for a in (y_pred, y_true))
    elif draw(st.integers(0, 3)) == 0:
        same = np.asarray(draw(st.lists(st.booleans(), min_size=y_pred.size, max_size=y_pred.size)),
                          dtype=bool).reshape(shape)
        y_true = np.where(same, y_pred, y_true).astype(y_true.dtype)
    return args(draw(gs.layouts(y_pred)), draw(gs.layouts(y_true)))


@st.composite
def bad_pairs(draw) -> object:
    """Shapes that differ (many of them broadcast silently in numpy), or no entries at all."""
    n, o = draw(gs.distinct_dims(2, 2, 6))
    kind = draw(st.sampled_from(["column", "empty", "transposed", "dropped", "empty", "lengths"]))
    if kind == "column":        # (N,) against (N, 1): broadcasts to (N, N)
        shapes = (n,), (n, 1)
    elif kind == "transposed":  # (N, O) against (O, N)
        shapes = (n, o), (o, n)
    elif kind == "dropped":     # (N, O) against (O,): broadcasts to (N, O)
        shapes = (n, o), (o,)
    elif kind == "lengths":     # (N,) against (1,): broadcasts to (N,)
        shapes = (n,), (1,)
    else:                       # equal shapes, no entries
        shapes = draw(st.sampled_from([(0,), (0, o), (n, 0)])),
        shapes = shapes * 2
    if draw(st.booleans()):
        shapes = shapes[::-1]
    return args(*(draw(gs.arrays(s, dtypes=gs.MIXED_DTYPES)) for s in shapes))


# --- comparing ----------------------------------------------------------------------------------

def loss_bound(y_pred, y_true) -> float:
    d = np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64)
    size = d.size
    return float(compare.reduction_bound(size, np.sum(d * d) / size, compare.unit_roundoff(y_pred, y_true),
                                         extra_ops=4)
                 + compare.underflow_slack(2 * size + 4, y_pred, y_true))


def grad_bound(y_pred, y_true) -> np.ndarray:
    p = np.asarray(y_pred, dtype=np.float64)
    t = np.asarray(y_true, dtype=np.float64)
    eps = compare.unit_roundoff(y_pred, y_true)
    expected = 2.0 * (p - t) / p.size
    return (4 * eps * np.abs(expected) + 4 * eps * (np.abs(p) + np.abs(t)) / p.size
            + compare.underflow_slack(4, y_pred, y_true))


def scale_mistakes(y_pred) -> list[tuple[float, str]]:
    """(factor, explanation) for results that are the right one times a telltale factor."""
    size, batch = y_pred.size, y_pred.shape[0]
    found = []
    if 1 < batch < size:
        found.append((size / batch, f"it looks divided by the batch size y_pred.shape[0] = {batch} "
                                    f"instead of the number of entries y_pred.size = {size}"))
    if size > 1:
        found.append((size, f"it looks like a sum, not a mean: divide by y_pred.size = {size}"))
    return found


def diagnose(mismatch: Mismatch, value, expected, mistakes) -> Mismatch:
    """The mismatch, with the likely mistake named when the value is a telltale multiple."""
    arr = compare.as_float_array(value)
    exp = np.asarray(expected, dtype=np.float64)
    if arr is not None and exp.ndim == 0 and arr.size == 1:
        arr = arr.reshape(())
    if arr is None or arr.shape != exp.shape or not np.any(exp != 0):
        return mismatch
    for factor, text in mistakes:
        if np.allclose(arr, factor * exp, rtol=1e-5, atol=0):
            return Mismatch(f"{mismatch.summary} — {text}", mismatch.expected, mismatch.got)
    return mismatch


def loss_mismatch(outcome, y_pred, y_true, expected) -> Mismatch | None:
    mismatch = compare.scalar_within(outcome.value, expected, loss_bound(y_pred, y_true),
                                     "mse(y_pred, y_true)")
    if mismatch is None:
        return None
    return diagnose(mismatch, outcome.value, expected, scale_mistakes(y_pred))


def grad_mistakes(y_pred) -> list[tuple[float, str]]:
    return [(-1.0, "its sign is flipped: the gradient is 2 * (y_pred - y_true) / S, "
                   "with respect to y_pred"),
            (0.5, "it is half the gradient: the derivative of d² is 2·d, keep the factor 2")] \
        + scale_mistakes(y_pred)


def grad_mismatch(outcome, y_pred, y_true, expected) -> Mismatch | None:
    mismatch = compare.within(outcome.value, expected, grad_bound(y_pred, y_true),
                              "mse_grad(y_pred, y_true)")
    if mismatch is None:
        return None
    return diagnose(mismatch, outcome.value, expected, grad_mistakes(y_pred))


def row_mistakes(y_pred) -> list[tuple[float, str]]:
    """Telltale ratios between a batch result and the one its rows imply (laws below).

    Dividing by shape[0] gives the batch Σ/N but a row Σ_i/shape[1] (its own shape[0]): the
    ratio is shape[1]. Summing instead of averaging gives Σ against the rows' mean Σ/N: ratio N.
    """
    n, first = y_pred.shape[0], y_pred.shape[1]
    return [(first, f"it looks divided by the batch size y_pred.shape[0] = {n} instead of the "
                    f"number of entries y_pred.size = {y_pred.size}"),
            (n, f"it looks like a sum, not a mean: divide by y_pred.size = {y_pred.size}")]


def row_calls(function: str):
    def calls(example) -> list[Call]:
        y_pred, y_true = example.args
        return [Call(function, example)] + [Call(function, args(y_pred[i], y_true[i]))
                                            for i in range(y_pred.shape[0])]
    return calls


# --- mse ----------------------------------------------------------------------------------------

@checks.add("mse", points=4, strategy=loss_pairs(),
            says="mse(y_pred, y_true) should be the mean of (y_pred - y_true)**2 over all entries")
def loss_matches_reference(example, got, ref):
    y_pred, y_true = example.args
    return loss_mismatch(got[0], y_pred, y_true, ref[0].value)


@checks.add("mse", points=2, strategy=loss_pairs(batch_shapes()), calls=row_calls("mse"),
            examples=30,
            says="the mse of a batch of N equal-length rows should be the mean of the N row mses "
                 "(the mean runs over all entries, not over the rows only)")
def loss_is_mean_of_row_losses(example, got, ref):
    y_pred, y_true = example.args
    values = []
    for i, outcome in enumerate(got):
        what = "mse(y_pred, y_true)" if i == 0 else f"mse(y_pred[{i - 1}], y_true[{i - 1}])"
        arr = compare.as_float_array(outcome.value)
        if arr is None or arr.size != 1 or arr.ndim > 1:
            return compare.scalar_within(outcome.value, ref[i].value, 0.0, what)
        values.append(float(arr.reshape(())))
    batch, rows = values[0], float(np.mean(values[1:]))
    bound = loss_bound(y_pred, y_true) + max(loss_bound(p, t) for p, t in zip(y_pred, y_true))
    if abs(batch - rows) <= bound:
        return None
    return diagnose(Mismatch(f"mse of the whole batch is {batch:.6g}, but the mean of the "
                             f"row mses is {rows:.6g}", rows, batch), batch, rows,
                    row_mistakes(y_pred))


@checks.add("mse", points=1, strategy=bad_pairs(), handles_errors=True,
            says="mse(y_pred, y_true) should raise ValueError if the shapes differ or there "
                 "are no entries")
def loss_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("mse", points=1, strategy=loss_pairs(nonzero=True),
            calls=unchanged_call("mse"),
            says="mse(y_pred, y_true) must not modify y_pred or y_true")
def loss_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- mse_grad -----------------------------------------------------------------------------------

@checks.add("mse_grad", points=3, strategy=loss_pairs(),
            says="mse_grad(y_pred, y_true) should be 2 * (y_pred - y_true) / S, where S is the "
                 "number of entries, with the shape of y_pred")
def grad_matches_reference(example, got, ref):
    y_pred, y_true = example.args
    return grad_mismatch(got[0], y_pred, y_true, ref[0].value)


@checks.add("mse_grad", points=2, strategy=loss_pairs(batch_shapes()), calls=row_calls("mse_grad"),
            examples=30,
            says="the gradient for a batch of N rows should be each row's own gradient divided "
                 "by N (every entry weighs 1/S in the mean, S = y_pred.size)")
def grad_is_row_gradients_over_n(example, got, ref):
    y_pred, y_true = example.args
    n = y_pred.shape[0]
    rows = []
    for i, outcome in enumerate(got[1:]):
        arr = compare.as_float_array(outcome.value)
        if arr is None or arr.shape != y_pred[i].shape:
            return compare.within(outcome.value, ref[i + 1].value, 0.0,
                                  f"mse_grad(y_pred[{i}], y_true[{i}])")
        rows.append(arr / n)
    expected = np.stack(rows)
    bound = grad_bound(y_pred, y_true) + np.stack([grad_bound(p, t) for p, t in zip(y_pred, y_true)]) / n
    mismatch = compare.within(got[0].value, expected, bound, "mse_grad(y_pred, y_true)")
    if mismatch is None:
        return None
    mismatch = Mismatch(f"{mismatch.summary}: it should be the row gradients divided by N = {n}",
                        expected, got[0].value)
    return diagnose(mismatch, got[0].value, expected, row_mistakes(y_pred))


@checks.add("mse_grad", points=1, strategy=bad_pairs(), handles_errors=True,
            says="mse_grad(y_pred, y_true) should raise ValueError if the shapes differ or there "
                 "are no entries")
def grad_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("mse_grad", points=1, strategy=loss_pairs(nonzero=True),
            calls=unchanged_call("mse_grad"),
            says="mse_grad(y_pred, y_true) must not modify y_pred or y_true")
def grad_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
