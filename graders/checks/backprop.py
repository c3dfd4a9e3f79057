"""Hidden checks for the backprop exercise: ``linear_forward``, ``linear_backward``,
``relu_backward`` and ``mlp_loss_and_grads``.

Tolerances follow rounding-error analysis (see :mod:`graders.compare`): each compared value gets a
bound of the form ``k·eps·M`` where ``M`` is the same formula evaluated on absolute values and
``k`` counts the roundings along the longest path, so a correct program that sums in another
order, uses loops or einsum, or accumulates in float32 for float32 inputs never loses points.
ReLU's zeros are compared exactly.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call, unpack

checks = Registry()

ANY_DTYPE = ("float64", "float64", "int64", "float32")  # float32 too: float32 accumulation is fine
GRAD_KEYS = ("W1", "b1", "W2", "b2")
PARAM_SHAPES = {"W1": "(D, H)", "b1": "(H,)", "W2": "(H, O)", "b2": "(O,)"}


# --- comparing with named shapes -------------------------------------------------------------------

def shaped_within(got, expected, bound, what: str, rule: str, values_hint: str = "") -> Mismatch | None:
    """``compare.within`` with a message that says which shape ``what`` must have and why."""
    exp = np.asarray(expected)
    arr = compare.as_float_array(got)
    if arr is not None and arr.shape != exp.shape:
        swapped = " (rows and columns swapped?)" if arr.ndim == 2 and arr.shape == exp.shape[::-1] else ""
        return Mismatch(f"{what} has the wrong shape: expected {exp.shape}, got {arr.shape}{swapped}"
                        f" — {rule}", expected, got)
    problem = compare.within(got, expected, bound, what)
    if problem is not None and values_hint and problem.summary.endswith("wrong values"):
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: {values_hint}")
    return problem


# --- strategies ------------------------------------------------------------------------------------

@st.composite
def linear_inputs(draw):
    """X (N, D), W (D, H), b (H,) with N, D, H all different (N = 1 included)."""
    N, D, H = draw(gs.distinct_dims(3, 1, 7))
    bound = draw(gs.magnitudes())
    arr = lambda shape: draw(gs.arrays(shape, bound=bound, dtypes=ANY_DTYPE))  # noqa: E731
    return args(arr((N, D)), arr((D, H)), arr((H,)))


@st.composite
def bad_linear_inputs(draw):
    """Shapes linear_forward must refuse (some of which numpy would happily broadcast)."""
    kind = draw(st.sampled_from(["inner", "bias_length", "x_1d"]))
    N, D, H = draw(gs.distinct_dims(3, 1, 5))
    W = draw(gs.arrays((D, H)))
    if kind == "inner":
        X = draw(gs.arrays((N, draw(st.integers(1, 6).filter(lambda d: d != D)))))
    elif kind == "x_1d":
        X = draw(gs.arrays((D,)))
    else:
        X = draw(gs.arrays((N, D)))
    b_len = draw(st.integers(1, 6).filter(lambda h: h != H)) if kind == "bias_length" else H
    return args(X, W, draw(gs.arrays((b_len,))))


@st.composite
def backward_inputs(draw):
    """dZ (N, H), X (N, D), W (D, H) with N, D, H all different."""
    N, D, H = draw(gs.distinct_dims(3, 1, 7))
    bound = draw(gs.magnitudes())
    arr = lambda shape: draw(gs.arrays(shape, bound=bound, dtypes=ANY_DTYPE))  # noqa: E731
    return args(arr((N, H)), arr((N, D)), arr((D, H)))


@st.composite
def bad_backward_inputs(draw):
    """dZ, X, W that do not fit; "x_w" is the case a version without checks computes silently."""
    kind = draw(st.sampled_from(["x_w", "x_w", "dz_rows", "dz_cols", "dz_1d"]))
    N, D, H = draw(gs.distinct_dims(3, 1, 5))
    other = lambda n: draw(st.integers(1, 6).filter(lambda m: m != n))  # noqa: E731
    dZ_shape, X_shape = (N, H), (N, D)
    if kind == "x_w":
        X_shape = (N, other(D))
    elif kind == "dz_rows":
        dZ_shape = (other(N), H)
    elif kind == "dz_cols":
        dZ_shape = (N, other(H))
    else:
        dZ_shape = (H,)
    return args(draw(gs.arrays(dZ_shape)), draw(gs.arrays(X_shape)), draw(gs.arrays((D, H))))


@st.composite
def relu_backward_inputs(draw):
    """dA and Z of one shape (1-3 dims); Z has exact zeros (relu'(0) = 0), dA has negatives."""
    ndim = draw(st.integers(1, 3))
    shape = draw(gs.distinct_dims(ndim, 1, 6))
    dA = draw(gs.arrays(shape, dtypes=ANY_DTYPE))
    Z = draw(gs.arrays(shape, dtypes=ANY_DTYPE, layout=False))
    zeros = draw(hnp.arrays(bool, shape))
    Z = np.where(zeros, 0, Z).astype(Z.dtype)
    return args(dA, draw(gs.layouts(Z)))


@st.composite
def bad_relu_backward_inputs(draw):
    """dA and Z of different shapes, broadcastable or not."""
    n, m = draw(gs.distinct_dims(2, 2, 5))
    shapes = draw(st.sampled_from([((n, 1), (n, m)), ((m,), (n, m)), ((n, m), (m,)), ((1, m), (n, m)),
                                   ((n, m), (m, n)), ((n,), (m,))]))
    if draw(st.booleans()):
        shapes = shapes[::-1]
    return args(draw(gs.arrays(shapes[0])), draw(gs.arrays(shapes[1])))


@st.composite
def small_integers(draw, shape):
    """Integer VALUES in [-3, 3] (many exact zeros and ties) in any dtype and layout."""
    dtype = draw(st.sampled_from(ANY_DTYPE))
    arr = draw(hnp.arrays(dtype, shape, elements=st.integers(-3, 3)))
    return draw(gs.layouts(arr))


def hidden_preactivation(X, W1, b1) -> tuple[np.ndarray, np.ndarray]:
    """Z1 = X W1 + b1 in float64 and its rounding bound (two correct programs differ by less)."""
    Z1 = f64(X) @ f64(W1) + f64(b1)
    M = np.abs(f64(X)) @ np.abs(f64(W1)) + np.abs(f64(b1))
    return Z1, compare.reduction_bound(X.shape[1] + 2, M, compare.unit_roundoff(X, W1, b1))


@st.composite
def mlp_inputs(draw):
    """X (N, D), Y (N, O), params W1 (D, H), b1 (H,), W2 (H, O), b2 (O,), all dims different.

    ReLU kinks: where a hidden pre-activation Z1 is within rounding error of 0, two correct programs
    may disagree on whether the unit is active, and their gradients then differ by a whole term.
    Such examples are avoided soundly, in one of two ways:

    - "integers": X, W1 and b1 hold integer values in [-3, 3] (any dtype). Every evaluation order
      computes Z1 exactly (small integer sums are exact even in float32), so every correct program
      gets the same mask. One entry of b1 is chosen to make one Z1 entry exactly 0 (an integer
      bias, so still exact): that is how relu'(0) = 0 is tested here.
    - "floats": anything in [-bound, bound], and the example is rejected unless every entry with
      nonzero terms has |Z1| > 2·(rounding bound of Z1). A correct program's Z1 is within half that
      bound of the exact value, so the exact value and every correct program's Z1 have the sign of
      the reference's. Entries whose terms are all zero are exactly 0 in any order and are kept.

    W2, b2 and Y come after the ReLU and are unrestricted. Magnitudes stay small (<= 10) so float32
    losses cannot overflow.
    """
    N, D, H, O = draw(gs.distinct_dims(4, 1, 6))
    integers = draw(st.booleans())
    if integers:
        X, W1, b1 = (draw(small_integers(s)) for s in ((N, D), (D, H), (H,)))
        # make one pre-activation exactly 0 (still exact: an integer-valued bias), so relu'(0) shows
        n, h = draw(st.integers(0, N - 1)), draw(st.integers(0, H - 1))
        b1[h] = -(f64(X) @ f64(W1))[n, h]  # (b1 is freshly drawn: changing it in place is safe)
    else:
        bound = draw(st.sampled_from([1.0, gs.SMALL]))
        X, W1, b1 = (draw(gs.arrays(s, bound=bound, dtypes=ANY_DTYPE)) for s in ((N, D), (D, H), (H,)))
        Z1, bound_z = hidden_preactivation(X, W1, b1)
        nonzero_terms = (np.abs(f64(X)) @ np.abs(f64(W1)) + np.abs(f64(b1))) > 0
        assume(not np.any(nonzero_terms & (np.abs(Z1) <= 2 * bound_z)))
    bound = draw(st.sampled_from([1.0, gs.SMALL]))
    W2, b2, Y = (draw(gs.arrays(s, bound=bound, dtypes=ANY_DTYPE)) for s in ((H, O), (O,), (N, O)))
    return args(X, Y, {"W1": W1, "b1": b1, "W2": W2, "b2": b2})


@st.composite
def bad_mlp_inputs(draw):
    """Y that does not match the output (N, O) — including (N,) against (N, 1), which numpy would
    broadcast to (N, N) — or a bias of the wrong length."""
    kind = draw(st.sampled_from(["y_1d", "y_cols", "y_rows", "b1_length"]))
    N, D, H, O = draw(gs.distinct_dims(4, 2, 6))
    if kind == "y_1d":
        O = 1
    other = lambda n: draw(st.integers(1, 6).filter(lambda m: m != n))  # noqa: E731
    Y_shape = {"y_1d": (N,), "y_cols": (N, other(O)), "y_rows": (other(N), O)}.get(kind, (N, O))
    b1_len = other(H) if kind == "b1_length" else H
    params = {"W1": draw(gs.arrays((D, H))), "b1": draw(gs.arrays((b1_len,))),
              "W2": draw(gs.arrays((H, O))), "b2": draw(gs.arrays((O,)))}
    return args(draw(gs.arrays((N, D))), draw(gs.arrays(Y_shape)), params)


# --- linear_forward --------------------------------------------------------------------------------

@checks.add("linear_forward", points=3, strategy=linear_inputs(),
            says="linear_forward(X, W, b) should equal X @ W + b, of shape (N, H), with b added to every row")
def forward_matches_reference(example, got, ref):
    X, W, b = example.args
    # Z[n, h] = Σ_d X[n, d] W[d, h] + b[h]: D products and the bias, D + 1 terms.
    abs_sum = np.abs(f64(X)) @ np.abs(f64(W)) + np.abs(f64(b))
    bound = compare.reduction_bound(X.shape[1] + 1, abs_sum, compare.unit_roundoff(X, W, b))
    return shaped_within(got[0].value, ref[0].value, bound, "Z",
                         "Z has one row per example (N) and one column per output (H): (N, D) @ (D, H) -> (N, H)",
                         "Z[n, h] = sum over d of X[n, d] * W[d, h], plus b[h]")


@checks.add("linear_forward", points=1, strategy=bad_linear_inputs(), handles_errors=True,
            says="linear_forward should raise ValueError unless X is (N, D), W is (D, H) and b is (H,)")
def forward_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("linear_forward", points=1, strategy=linear_inputs(), calls=unchanged_call("linear_forward"),
            says="linear_forward must not modify X, W or b (not even their shapes)")
def forward_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- linear_backward -------------------------------------------------------------------------------

def backward_part(example, got, ref, index: int) -> Mismatch | None:
    dZ, X, W = (f64(a) for a in example.args)
    eps = compare.unit_roundoff(*example.args)
    items, problem = unpack(got[0].value, 3, "linear_backward")
    if problem:
        return problem
    expected = ref[0].value[index]
    N, H = dZ.shape
    if index == 0:   # dX = dZ Wᵀ: H terms each
        bound = compare.reduction_bound(H, np.abs(dZ) @ np.abs(W).T, eps)
        return shaped_within(items[0], expected, bound, "dX", "dX must have X's shape (N, D)",
                             "dX = dZ @ W.T, (N, H) @ (H, D) -> (N, D)")
    if index == 1:   # dW = Xᵀ dZ: N terms each
        bound = compare.reduction_bound(N, np.abs(X).T @ np.abs(dZ), eps)
        return shaped_within(items[1], expected, bound, "dW", "dW must have W's shape (D, H)",
                             "dW = X.T @ dZ, (D, N) @ (N, H) -> (D, H): every example adds its contribution")
    bound = compare.reduction_bound(N, np.abs(dZ).sum(axis=0), eps)  # db: N terms each
    return shaped_within(items[2], expected, bound, "db",
                         "db must have b's shape (H,): sum dZ over the batch (axis 0)",
                         "db[h] is the SUM of dZ[:, h] over the whole batch (not the mean, not one row)")


@checks.add("linear_backward", points=2, strategy=backward_inputs(),
            says="linear_backward(dZ, X, W) should return dX = dZ @ W.T, of shape (N, D), first")
def gradient_wrt_X(example, got, ref):
    return backward_part(example, got, ref, 0)


@checks.add("linear_backward", points=2, strategy=backward_inputs(),
            says="linear_backward(dZ, X, W) should return dW = X.T @ dZ, of W's shape (D, H), second")
def gradient_wrt_W(example, got, ref):
    return backward_part(example, got, ref, 1)


@checks.add("linear_backward", points=2, strategy=backward_inputs(),
            says="linear_backward(dZ, X, W) should return db = dZ summed over the batch, of shape (H,), third")
def gradient_wrt_b(example, got, ref):
    return backward_part(example, got, ref, 2)


@checks.add("linear_backward", points=1, strategy=bad_backward_inputs(), handles_errors=True,
            says="linear_backward should raise ValueError unless dZ is (N, H), X is (N, D) and W is (D, H)")
def backward_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


# --- relu_backward ---------------------------------------------------------------------------------

@checks.add("relu_backward", points=2, strategy=relu_backward_inputs(),
            says="relu_backward(dA, Z) should be exactly dA where Z > 0 and exactly 0 elsewhere (also where Z == 0)")
def passes_gradient_where_positive(example, got, ref):
    problem = compare.same_exactly(got[0].value, ref[0].value, "dZ")
    if problem is None or "wrong values" not in problem.summary:
        return problem
    Z = f64(example.args[1])
    wrong = compare.as_float_array(got[0].value) != f64(ref[0].value)
    if np.any(wrong & (Z == 0)):
        why = "where Z == 0 the gradient must be 0 (relu'(0) = 0: use Z > 0, not Z >= 0)"
    elif np.any(wrong & (Z < 0)):
        why = "where Z < 0 the gradient must be exactly 0 (the mask comes from Z, not from dA)"
    else:
        why = "where Z > 0, dA must pass through unchanged (multiply by relu'(Z) = 1, not by Z)"
    return dataclasses.replace(problem, summary=f"{problem.summary}: {why}")


@checks.add("relu_backward", points=1, strategy=bad_relu_backward_inputs(), handles_errors=True,
            says="relu_backward should raise ValueError when dA and Z have different shapes")
def relu_backward_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("relu_backward", points=1, strategy=relu_backward_inputs(), calls=unchanged_call("relu_backward"),
            says="relu_backward must return a new array and leave dA and Z unchanged")
def relu_backward_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- mlp_loss_and_grads ----------------------------------------------------------------------------

def mlp_bounds(X, Y, params) -> tuple[float, dict[str, np.ndarray]]:
    """Bounds on |learner - reference| for the loss and each gradient.

    Derivation. Computed with +, - and * (and division by the constant N·O), every result is a sum
    of monomials in the inputs; a floating-point evaluation multiplies each monomial by at most m
    factors (1 + δ), |δ| <= u = eps/2, where m is the number of roundings on the longest path. So
    |computed - exact| <= γ_m · (the same formula evaluated on absolute values) (Higham §3), for
    any grouping or order a correct program chooses. The ReLU multiplies by a 0/1 mask, exactly,
    and the mask is the same for every correct program (see ``mlp_inputs``). Rounding counts:
    Z1 <= D + 2, Ŷ <= Z1 + H + 2, dŶ = 2(Ŷ - Y)/(N·O) <= Ŷ + 3, dA1 = dŶ W2ᵀ <= dŶ + O + 1,
    dW1 = Xᵀ dZ1 <= dA1 + N + 1, dW2 = A1ᵀ dŶ <= Z1 + dŶ + N + 1 (a product adds both sides'
    counts), loss = Σ(Ŷ - Y)²/(N·O) <= 2(Ŷ + 1) + N·O + 1; all are below
    m = 2(N + D + H + O) + N·O + 16. Two correct programs then differ by at most 2·γ_m·M
    ≈ m·eps·M, and ``reduction_bound(m, M, eps) = 2(m + 2)·eps·M`` leaves a factor 2 to spare.
    """
    eps = compare.unit_roundoff(X, Y, *params.values())  # before the float64 conversion
    X, Y, W1, b1, W2, b2 = (f64(a) for a in (X, Y, params["W1"], params["b1"], params["W2"], params["b2"]))
    N, O = X.shape[0], W2.shape[1]
    active = (X @ W1 + b1) > 0                                    # the mask every program agrees on
    MA1 = (np.abs(X) @ np.abs(W1) + np.abs(b1)) * active          # |A1| and its terms
    Mdiff = MA1 @ np.abs(W2) + np.abs(b2) + np.abs(Y)             # |Ŷ - Y| and its terms
    MdY = 2 * Mdiff / (N * O)
    MdZ1 = (MdY @ np.abs(W2).T) * active
    magnitudes = {"W1": np.abs(X).T @ MdZ1, "b1": MdZ1.sum(axis=0),
                  "W2": MA1.T @ MdY, "b2": MdY.sum(axis=0)}
    m = 2 * (N + X.shape[1] + W1.shape[1] + O) + N * O + 16
    loss_bound = float(compare.reduction_bound(m, np.mean(Mdiff ** 2), eps))
    return loss_bound, {k: compare.reduction_bound(m, v, eps) for k, v in magnitudes.items()}


def mlp_result(value) -> tuple[object, dict | None, Mismatch | None]:
    """(loss, grads) from a learner's result, with grads a dict of exactly the four keys."""
    items, problem = unpack(value, 2, "mlp_loss_and_grads")
    if problem:
        return None, None, Mismatch("mlp_loss_and_grads should return a tuple (loss, grads)",
                                    "(loss, grads)", value)
    loss, grads = items
    if not isinstance(grads, dict):
        return loss, None, Mismatch("the second value returned should be the grads dict, "
                                    "with keys 'W1', 'b1', 'W2', 'b2'", "a dict", grads)
    if set(grads) != set(GRAD_KEYS):
        return loss, None, Mismatch(f"grads should have exactly the keys 'W1', 'b1', 'W2', 'b2', "
                                    f"got {sorted(grads)}", list(GRAD_KEYS), sorted(grads))
    return loss, grads, None


def grads_within(example, got, ref, keys) -> Mismatch | None:
    _, grads, problem = mlp_result(got[0].value)
    if problem:
        return problem
    _, bounds = mlp_bounds(*example.args)
    expected = ref[0].value[1]
    for k in keys:
        problem = shaped_within(grads[k], expected[k], bounds[k], f"grads['{k}']",
                                f"a gradient has the shape of its parameter: {k} is {PARAM_SHAPES[k]}")
        if problem:
            return problem
    return None


@checks.add("mlp_loss_and_grads", points=2, strategy=mlp_inputs(),
            says="the loss should be mse(Ŷ, Y), the mean over all N·O entries, with Ŷ = relu(X @ W1 + b1) @ W2 + b2")
def loss_matches_reference(example, got, ref):
    loss, _, problem = mlp_result(got[0].value)
    if problem:
        return problem
    loss_bound, _ = mlp_bounds(*example.args)
    return compare.scalar_within(loss, ref[0].value[0], loss_bound, "the loss")


@checks.add("mlp_loss_and_grads", points=2, strategy=mlp_inputs(),
            says="grads['W2'] and grads['b2'] should be the exact gradients of the loss, starting "
                 "from dŶ = 2 (Ŷ - Y) / (N·O): dW2 = A1.T @ dŶ, db2 = dŶ summed over the batch")
def output_layer_grads(example, got, ref):
    return grads_within(example, got, ref, ("W2", "b2"))


@checks.add("mlp_loss_and_grads", points=3, strategy=mlp_inputs(),
            says="grads['W1'] and grads['b1'] should be the exact gradients of the loss: "
                 "dZ1 = (dŶ @ W2.T) where Z1 > 0, else 0; dW1 = X.T @ dZ1, db1 = dZ1 summed over the batch")
def hidden_layer_grads(example, got, ref):
    return grads_within(example, got, ref, ("W1", "b1"))


@checks.add("mlp_loss_and_grads", points=1, strategy=bad_mlp_inputs(), handles_errors=True,
            says="mlp_loss_and_grads should raise ValueError when Y's shape is not the output's (N, O) "
                 "or the parameters do not fit")
def mlp_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("mlp_loss_and_grads", points=1, strategy=mlp_inputs(), calls=unchanged_call("mlp_loss_and_grads"),
            says="mlp_loss_and_grads must leave X, Y and params (the dict and its arrays) unchanged "
                 "and return a new grads dict")
def mlp_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
