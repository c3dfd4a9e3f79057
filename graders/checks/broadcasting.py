"""Hidden checks for ``add_bias(Z, b)`` and ``batch_linear(X, W, b)``.

Bounds: ``add_bias`` is one addition per entry, so two correct results differ by at most
2·eps·(|Z| + |b|). An entry of ``batch_linear`` is a sum of D products plus the bias:
``reduction_bound`` with Σ|terms| = |X| @ |W|ᵀ + |b|, plus underflow slack.

The shapes are chosen so that each classic mistake shows: N, D, H all different (a transposed
weight or a bias on the wrong axis raises or gives the wrong shape), and square cases
N = D = H (where ``X @ W`` and ``b[:, None]`` run without error and only the values are wrong).
The bad shapes include the ones numpy broadcasts silently: a bias of length 1, a scalar bias, a
matrix "bias", a 1-D or 3-D batch.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call

checks = Registry()


# --- strategies ---------------------------------------------------------------------------------

@st.composite
def arrays_like(draw):
    """A function drawing arrays of one magnitude and dtype family."""
    bound, dtypes = draw(gs.magnitudes()), draw(gs.DTYPE_FAMILIES)
    return lambda shape: draw(gs.arrays(shape, bound=bound, dtypes=dtypes))


@st.composite
def bias_inputs(draw, dtypes=None):
    """Z (N, H) and b (H,): N != H most of the time, N == H (>= 2) sometimes."""
    if draw(st.integers(0, 2)) == 0:
        N = H = draw(gs.dims(2, 6))
    else:
        N, H = draw(gs.distinct_dims(2, 0, 7))
    if dtypes:
        return args(draw(gs.arrays((N, H), dtypes=dtypes)), draw(gs.arrays((H,), dtypes=dtypes)))
    arr = draw(arrays_like())
    return args(arr((N, H)), arr((H,)))


@st.composite
def bad_bias_inputs(draw):
    """Shapes add_bias must refuse; all but "wrong_length" broadcast silently in numpy."""
    N, H = draw(gs.distinct_dims(2, 2, 6))
    kind = draw(st.sampled_from(["length_one", "length_one", "scalar", "matrix", "z_1d", "z_3d",
                                 "wrong_length"]))
    Z_shape, b_shape = {"length_one": ((N, H), (1,)), "scalar": ((N, H), ()),
                        "matrix": ((N, H), (N, H)), "z_1d": ((H,), (H,)),
                        "z_3d": ((2, N, H), (H,)), "wrong_length": ((N, H), (N,))}[kind]
    return args(draw(gs.arrays(Z_shape)), draw(gs.arrays(b_shape)))


@st.composite
def linear_inputs(draw, square: bool = False):
    """X (N, D), W (H, D), b (H,): all sizes different (0 included), or N = D = H >= 2."""
    if square:
        N = D = H = draw(gs.dims(2, 6))
    else:
        N, D, H = draw(gs.distinct_dims(3, 0, 7))
    arr = draw(arrays_like())
    return args(arr((N, D)), arr((H, D)), arr((H,)))


@st.composite
def bad_linear_inputs(draw):
    """Shapes batch_linear must refuse (several of which numpy would broadcast or multiply)."""
    N, D, H = draw(gs.distinct_dims(3, 2, 6))
    kind = draw(st.sampled_from(["w_stored_d_h", "bias_length_one", "bias_length_one", "bias_n",
                                 "bias_scalar", "x_1d", "w_1d"]))
    X_shape, W_shape, b_shape = (N, D), (H, D), (H,)
    if kind == "w_stored_d_h":      # the (D, H) convention of the backprop exercise
        W_shape = (D, H)
    elif kind == "bias_length_one":
        b_shape = (1,)
    elif kind == "bias_n":
        b_shape = (N,)
    elif kind == "bias_scalar":
        b_shape = ()
    elif kind == "x_1d":            # one example, not a batch: X @ W.T would give (H,)
        X_shape = (D,)
    else:                           # a weight vector: X @ w would give (N,)
        W_shape, b_shape = (D,), (1,)
    return args(draw(gs.arrays(X_shape)), draw(gs.arrays(W_shape)), draw(gs.arrays(b_shape)))


# --- comparing ----------------------------------------------------------------------------------

def bias_bound(Z, b) -> np.ndarray:
    return 2.0 * compare.unit_roundoff(Z, b) * (np.abs(f64(Z)) + np.abs(f64(b)))


def bias_mismatch(outcome, Z, b, expected) -> Mismatch | None:
    value = compare.listed_empty(outcome.value, expected, outcome.note)
    mismatch = compare.within(value, expected, bias_bound(Z, b), "add_bias(Z, b)")
    if mismatch is None:
        return None
    arr = compare.as_float_array(value)
    Zf, bf = f64(Z), f64(b)
    if arr is not None and arr.shape == expected.shape and Zf.shape[0] == bf.shape[0]:
        if np.allclose(arr, Zf + bf[:, None], rtol=1e-9, atol=1e-12):
            return Mismatch(f"{mismatch.summary} — the bias was added down the rows (b[n] to example "
                            f"n); it belongs to the columns: out[n, h] = Z[n, h] + b[h]",
                            expected, value)
    return mismatch


def linear_bound(X, W, b) -> np.ndarray:
    abs_terms = np.abs(f64(X)) @ np.abs(f64(W)).T + np.abs(f64(b))
    D = np.shape(X)[1]
    return (compare.reduction_bound(D + 1, abs_terms, compare.unit_roundoff(X, W, b))
            + compare.underflow_slack(D + 2, X, W, b))


def linear_mismatch(outcome, X, W, b, expected) -> Mismatch | None:
    value = compare.listed_empty(outcome.value, expected, outcome.note)
    mismatch = compare.within(value, expected, linear_bound(X, W, b), "batch_linear(X, W, b)")
    if mismatch is None:
        return None
    arr = compare.as_float_array(value)
    Xf, Wf, bf = f64(X), f64(W), f64(b)
    if arr is None or arr.shape != expected.shape:
        return mismatch
    mistakes = []
    if Wf.shape[0] == Wf.shape[1]:
        mistakes.append((Xf @ Wf + bf, "it looks like X @ W + b; with W stored as (H, D) the batch "
                                       "formula is X @ W.T + b"))
    if Xf.shape[0] == bf.shape[0]:
        mistakes.append((Xf @ Wf.T + bf[:, None], "the bias was added down the rows; it belongs to "
                                                  "the outputs (columns): + b, not + b[:, None]"))
    mistakes.append((Xf @ Wf.T, "it looks like the bias is missing"))
    for candidate, why in mistakes:
        if candidate.shape == arr.shape and np.allclose(arr, candidate, rtol=1e-9, atol=1e-12):
            return Mismatch(f"{mismatch.summary} — {why}", expected, value)
    return mismatch


# --- add_bias -----------------------------------------------------------------------------------

@checks.add("add_bias", points=2, strategy=bias_inputs(),
            says="add_bias(Z, b) should add b[h] to column h of every row: out[n, h] = Z[n, h] + b[h]")
def bias_matches_reference(example, got, ref):
    Z, b = example.args
    return bias_mismatch(got[0], Z, b, ref[0].value)


@checks.add("add_bias", points=1.5, strategy=bad_bias_inputs(), handles_errors=True, examples=30,
            says="add_bias(Z, b) should raise ValueError unless Z is (N, H) and b is (H,); numpy "
                 "would silently broadcast a length-1 bias, a scalar or a matrix")
def bias_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("add_bias", points=0.5, strategy=bias_inputs(dtypes=("float64",)),
            calls=unchanged_call("add_bias"), examples=30,
            says="add_bias(Z, b) must not modify Z or b (Z += b changes the caller's batch)")
def bias_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- batch_linear -------------------------------------------------------------------------------

@checks.add("batch_linear", points=2, strategy=linear_inputs(),
            says="batch_linear(X, W, b) should apply y = W x + b to every row x of X: "
                 "Y = X @ W.T + b, of shape (N, H)")
def linear_matches_reference(example, got, ref):
    X, W, b = example.args
    return linear_mismatch(got[0], X, W, b, ref[0].value)


@checks.add("batch_linear", points=2, strategy=linear_inputs(square=True),
            says="batch_linear(X, W, b) should use W.T and add b along the columns even when "
                 "N = D = H, where X @ W and b[:, None] run without an error")
def linear_square_shapes(example, got, ref):
    X, W, b = example.args
    return linear_mismatch(got[0], X, W, b, ref[0].value)


@checks.add("batch_linear", points=2, strategy=bad_linear_inputs(), handles_errors=True,
            examples=30,
            says="batch_linear(X, W, b) should raise ValueError unless X is (N, D), W is (H, D) and "
                 "b is (H,)")
def linear_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)
