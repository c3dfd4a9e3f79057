"""The core references, checked against an independent implementation: PyTorch (float64, CPU).

Gradients come from torch's autograd, attention from torch.nn.functional's own kernel, so a
mistake shared by our reference and our checks cannot hide here.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders.examples import reference_module

from .conftest import ROOT

SETTINGS = settings(max_examples=40, deadline=None, database=None, derandomize=True)
TOL = dict(rtol=1e-10, atol=1e-12)


def ref(module):
    return reference_module(ROOT / "solutions", module)


def floats(bound=10.0):
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def matrices(shape, bound=10.0):
    return hnp.arrays(np.float64, shape, elements=floats(bound))


def t(x, grad=False):
    return torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


@SETTINGS
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
                  elements=floats()))
def test_relu_and_its_gradient_match_torch(x):
    xt = t(x, grad=True)
    y = torch.relu(xt)
    y.sum().backward()
    np.testing.assert_array_equal(ref("relu").relu(x), y.detach().numpy())
    # torch's relu' at 0 is 0 too: the convention is the same
    np.testing.assert_array_equal(ref("relu").relu_grad(x), xt.grad.numpy())


@SETTINGS
@given(st.tuples(st.integers(1, 5), st.integers(1, 4)).flatmap(
    lambda s: st.tuples(matrices(s), matrices(s))))
def test_mse_and_its_gradient_match_torch_autograd(pair):
    y_pred, y_true = pair
    p = t(y_pred, grad=True)
    loss = torch.nn.functional.mse_loss(p, t(y_true), reduction="mean")
    loss.backward()
    np.testing.assert_allclose(ref("mse").mse(y_pred, y_true), loss.item(), **TOL)
    np.testing.assert_allclose(ref("mse").mse_grad(y_pred, y_true), p.grad.numpy(), **TOL)


@st.composite
def layer(draw):
    n, d, h = draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    return draw(matrices((n, d))), draw(matrices((d, h))), draw(matrices((h,))), draw(matrices((n, h)))


@SETTINGS
@given(layer())
def test_linear_forward_and_backward_match_torch_autograd(data):
    X, W, b, dZ = data
    Xt, Wt, bt = t(X, True), t(W, True), t(b, True)
    Z = Xt @ Wt + bt
    Z.backward(t(dZ))
    bp = ref("backprop")
    np.testing.assert_allclose(bp.linear_forward(X, W, b), Z.detach().numpy(), **TOL)
    dX, dW, db = bp.linear_backward(dZ, X, W)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), **TOL)
    np.testing.assert_allclose(dW, Wt.grad.numpy(), **TOL)
    np.testing.assert_allclose(db, bt.grad.numpy(), **TOL)


@st.composite
def mlp_problem(draw):
    n, d, h, o = (draw(st.integers(1, 4)) for _ in range(4))
    # integer-valued inputs keep every pre-activation exact, so ReLU's kink is never ambiguous
    ints = lambda shape: hnp.arrays(np.float64, shape, elements=st.integers(-3, 3).map(float))
    params = {"W1": draw(ints((d, h))), "b1": draw(ints((h,))), "W2": draw(ints((h, o))),
              "b2": draw(ints((o,)))}
    return draw(ints((n, d))), draw(ints((n, o))), params


@SETTINGS
@given(mlp_problem())
def test_mlp_loss_and_grads_match_torch_autograd(problem):
    X, Y, params = problem
    tp = {k: t(v, True) for k, v in params.items()}
    hidden = torch.relu(t(X) @ tp["W1"] + tp["b1"])
    loss = torch.nn.functional.mse_loss(hidden @ tp["W2"] + tp["b2"], t(Y))
    loss.backward()
    our_loss, grads = ref("backprop").mlp_loss_and_grads(X, Y, params)
    np.testing.assert_allclose(our_loss, loss.item(), **TOL)
    assert set(grads) == set(params)
    for k in params:
        np.testing.assert_allclose(grads[k], tp[k].grad.numpy(), **TOL, err_msg=k)


@SETTINGS
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5),
                  elements=floats(1e4)), st.data())
def test_softmax_matches_torch_even_at_large_magnitudes(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    ours = ref("attention").softmax(x, axis=axis)
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, torch.softmax(t(x), dim=axis).numpy(), rtol=1e-9, atol=1e-15)


@st.composite
def attention_problem(draw):
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    n_q, n_k, d_k, d_v = (draw(st.integers(1, 5)) for _ in range(4))
    Q, K, V = (draw(matrices(batch + shape, 3.0)) for shape in ((n_q, d_k), (n_k, d_k), (n_k, d_v)))
    mask = None
    if draw(st.booleans()):
        mask = draw(hnp.arrays(np.bool_, batch + (n_q, n_k)))
        mask[..., 0] |= ~mask.any(axis=-1)  # every query may attend somewhere
    return Q, K, V, mask


@SETTINGS
@given(attention_problem())
def test_attention_matches_torch_sdpa_with_and_without_mask(problem):
    Q, K, V, mask = problem
    out, weights = ref("attention").scaled_dot_product_attention(Q, K, V, mask=mask)
    expected = torch.nn.functional.scaled_dot_product_attention(
        t(Q), t(K), t(V), attn_mask=None if mask is None else torch.tensor(mask))
    np.testing.assert_allclose(out, expected.numpy(), rtol=1e-9, atol=1e-12)
    if mask is not None:
        assert np.all(weights[~np.broadcast_to(mask, weights.shape)] == 0.0)
