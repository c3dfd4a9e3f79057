"""The architecture references (batchnorm, convolution, rnn, multihead_attention) and the trusted
helpers their checks rely on, checked against an independent implementation: PyTorch (float64, CPU).

- batch normalisation against ``torch.nn.functional.batch_norm`` (training mode) and its gradients
  against autograd; the batchnorm checks' complex-step derivative against torch's;
- ``im2col`` against ``torch.nn.functional.unfold``, ``conv2d`` against ``torch.nn.functional.conv2d``
  (and the convolution checks' own float64 convolution against the same);
- ``rnn_step`` / ``rnn_forward`` against ``torch.nn.RNNCell`` / ``torch.nn.RNN``, and the linear
  recurrence against matrix powers (``numpy.linalg.matrix_power``);
- ``multi_head_attention`` against ``torch.nn.MultiheadAttention`` (square projections, causal or
  not) and, for any projection sizes, against per-head ``scaled_dot_product_attention``.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders.checks import batchnorm as bn_checks
from graders.checks import convolution as conv_checks
from graders.examples import reference_module

from .conftest import ROOT

SETTINGS = settings(max_examples=40, deadline=None, database=None, derandomize=True)
TOL = dict(rtol=1e-10, atol=1e-12)
F = torch.nn.functional


def ref(module):
    return reference_module(ROOT / "solutions", module)


def floats(bound=3.0):
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def arrays(shape, bound=3.0):
    return hnp.arrays(np.float64, shape, elements=floats(bound))


def t(x, grad=False):
    return torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


# --- batchnorm -------------------------------------------------------------------------------------

@st.composite
def batchnorm_problem(draw):
    N, D = draw(st.integers(2, 6)), draw(st.integers(1, 5))  # torch refuses N = 1 in training mode
    x = draw(arrays((N, D), 10.0))
    if draw(st.booleans()):
        x[:, draw(st.integers(0, D - 1))] = draw(floats())  # a constant feature
    return (x, draw(arrays((D,))), draw(arrays((D,))), draw(st.sampled_from([1e-5, 1e-3, 0.1, 1.0])),
            draw(arrays((N, D))))


@SETTINGS
@given(batchnorm_problem())
def test_batchnorm_matches_torch_batch_norm_and_autograd(problem):
    x, gamma, beta, eps, dout = problem
    xt, gt, bt = t(x, True), t(gamma, True), t(beta, True)
    out_t = F.batch_norm(xt, None, None, weight=gt, bias=bt, training=True, eps=eps)
    out_t.backward(t(dout))
    bn = ref("batchnorm")
    out, cache = bn.batchnorm_forward(x, gamma, beta, eps)
    np.testing.assert_allclose(out, out_t.detach().numpy(), **TOL)
    dx, dgamma, dbeta = bn.batchnorm_backward(dout, cache)
    scale = 1.0 + np.abs(cache[2])  # dx carries inv_std, up to 1/sqrt(eps) for a constant feature
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-9, atol=1e-12 * scale.max())
    np.testing.assert_allclose(dgamma, gt.grad.numpy(), **TOL)
    np.testing.assert_allclose(dbeta, bt.grad.numpy(), **TOL)


@SETTINGS
@given(batchnorm_problem(), st.data())
def test_batchnorm_checks_complex_step_matches_torch_directional_derivative(problem, data):
    x, gamma, beta, eps, dout = problem
    N, D = x.shape
    vx, vg, vb = data.draw(arrays((N, D), 1.0)), data.draw(arrays((D,), 1.0)), data.draw(arrays((D,), 1.0))
    xt, gt, bt = t(x, True), t(gamma, True), t(beta, True)
    loss = torch.sum(t(dout) * F.batch_norm(xt, None, None, weight=gt, bias=bt, training=True, eps=eps))
    loss.backward()
    expected = float(np.sum(xt.grad.numpy() * vx) + np.sum(gt.grad.numpy() * vg) + np.sum(bt.grad.numpy() * vb))
    got = bn_checks.complex_step_derivative(x, gamma, beta, eps, dout, vx, vg, vb)
    scale = np.sum(np.abs(xt.grad.numpy() * vx)) + np.sum(np.abs(gt.grad.numpy() * vg)) + np.sum(np.abs(vb) * np.abs(dout).sum(0))
    assert abs(got - expected) <= 1e-9 * (scale + 1.0)


def test_batchnorm_of_a_single_example_is_beta_with_zero_input_gradient():
    x, gamma, beta = np.array([[3.0, -2.0]]), np.array([2.0, 0.5]), np.array([0.25, -1.0])
    out, cache = ref("batchnorm").batchnorm_forward(x, gamma, beta)
    np.testing.assert_array_equal(out, [[0.25, -1.0]])
    # the same layer in torch, in evaluation mode with the batch's own statistics (mean x, var 0)
    expected = F.batch_norm(t(x), t(x[0]), torch.zeros(2, dtype=torch.float64), t(gamma), t(beta), training=False)
    np.testing.assert_allclose(out, expected.numpy(), **TOL)
    dx, dgamma, dbeta = ref("batchnorm").batchnorm_backward(np.array([[1.0, 2.0]]), cache)
    np.testing.assert_array_equal(dx, [[0.0, 0.0]])
    np.testing.assert_array_equal(dbeta, [1.0, 2.0])


def test_batchnorm_uses_the_biased_variance_as_torch_does_in_training():
    x = np.array([[1.0], [3.0]])
    out, (_, _, inv_std) = ref("batchnorm").batchnorm_forward(x, np.ones(1), np.zeros(1), 1e-5)
    np.testing.assert_allclose(inv_std, 1 / np.sqrt(1.0 + 1e-5))  # var = 1 (divide by N = 2), not 2
    np.testing.assert_allclose(out, F.batch_norm(t(x), None, None, training=True, eps=1e-5).numpy(), **TOL)


# --- convolution -----------------------------------------------------------------------------------

@st.composite
def conv_problem(draw, min_n=0):
    N, C, H, W = draw(st.integers(min_n, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 7)), draw(st.integers(1, 7))
    stride, pad = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    kh, kw = draw(st.integers(1, H + 2 * pad)), draw(st.integers(1, W + 2 * pad))
    Fn = draw(st.integers(1, 3))
    return (draw(arrays((N, C, H, W))), draw(arrays((Fn, C, kh, kw))), draw(arrays((Fn,))), stride, pad)


@SETTINGS
@given(conv_problem(min_n=1))
def test_im2col_matches_torch_unfold(problem):
    x, w, _, stride, pad = problem
    kh, kw = w.shape[2:]
    cols = ref("convolution").im2col(x, kh, kw, stride, pad)
    unfolded = F.unfold(t(x), (kh, kw), padding=pad, stride=stride)  # (N, C·kh·kw, H_out·W_out)
    expected = unfolded.permute(1, 0, 2).reshape(unfolded.shape[1], -1).numpy()  # columns ordered n, i, j
    np.testing.assert_array_equal(cols, expected)


@SETTINGS
@given(conv_problem())
def test_conv2d_matches_torch_conv2d(problem):
    x, w, b, stride, pad = problem
    expected = F.conv2d(t(x), t(w), t(b), stride=stride, padding=pad).numpy()
    out = ref("convolution").conv2d(x, w, b, stride, pad)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, **TOL)
    np.testing.assert_allclose(conv_checks.correlate(x, w, stride, pad) + b[:, None, None], expected, **TOL)


# --- rnn -------------------------------------------------------------------------------------------

@st.composite
def rnn_problem(draw):
    T, N, D, H = draw(st.integers(0, 5)), draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 5))
    return (draw(arrays((T, N, D))), draw(arrays((N, H))), draw(arrays((D, H), 1.0)), draw(arrays((H, H), 1.0)),
            draw(arrays((H,))))


def torch_rnn(Wx, Wh, b):
    D, H = Wx.shape
    rnn = torch.nn.RNN(D, H, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(t(Wx.T))
        rnn.weight_hh_l0.copy_(t(Wh.T))
        rnn.bias_ih_l0.copy_(t(b))
        rnn.bias_hh_l0.zero_()
    return rnn


@SETTINGS
@given(rnn_problem())
def test_rnn_forward_matches_torch_rnn(problem):
    xs, h0, Wx, Wh, b = problem
    hs = ref("rnn").rnn_forward(xs, h0, Wx, Wh, b)
    assert hs.shape == (xs.shape[0],) + h0.shape
    if xs.shape[0]:
        with torch.no_grad():
            expected, last = torch_rnn(Wx, Wh, b)(t(xs), t(h0)[None])
        np.testing.assert_allclose(hs, expected.numpy(), **TOL)
        np.testing.assert_allclose(hs[-1], last[0].numpy(), **TOL)


@SETTINGS
@given(rnn_problem())
def test_rnn_step_matches_torch_rnn_cell(problem):
    xs, h0, Wx, Wh, b = problem
    D, H = Wx.shape
    cell = torch.nn.RNNCell(D, H, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(t(Wx.T))
        cell.weight_hh.copy_(t(Wh.T))
        cell.bias_ih.copy_(t(b))
        cell.bias_hh.zero_()
        x = xs[0] if xs.shape[0] else np.ones((h0.shape[0], D))
        expected = cell(t(x), t(h0)).numpy()
    np.testing.assert_allclose(ref("rnn").rnn_step(x, h0, Wx, Wh, b), expected, **TOL)


@SETTINGS
@given(rnn_problem())
def test_linear_rnn_without_input_is_h0_times_powers_of_wh(problem):
    xs, h0, Wx, Wh, b = problem
    T, H = xs.shape[0], Wh.shape[0]
    hs = ref("rnn").rnn_forward(np.zeros_like(xs), h0, Wx, Wh, np.zeros(H), activation="linear")
    for step in range(T):
        expected = h0 @ np.linalg.matrix_power(Wh, step + 1)
        scale = np.abs(h0) @ np.linalg.matrix_power(np.abs(Wh), step + 1)
        assert np.all(np.abs(hs[step] - expected) <= 1e-12 * (scale + 1e-300))


# --- multihead_attention -----------------------------------------------------------------------------

@st.composite
def square_mha_problem(draw):
    h = draw(st.integers(1, 3))
    D = h * draw(st.integers(1, 2))
    N, T = draw(st.integers(1, 2)), draw(st.integers(1, 5))
    return draw(arrays((N, T, D), 2.0)), [draw(arrays((D, D), 1.0)) for _ in range(4)], h, draw(st.booleans())


@SETTINGS
@given(square_mha_problem())
def test_multi_head_attention_matches_torch_multihead_attention(problem):
    X, (Wq, Wk, Wv, Wo), h, causal = problem
    D, T = X.shape[2], X.shape[1]
    mha = torch.nn.MultiheadAttention(D, h, bias=False, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(t(np.concatenate([Wq.T, Wk.T, Wv.T])))  # torch computes x @ W.T
        mha.out_proj.weight.copy_(t(Wo.T))
        # torch's boolean attn_mask means "blocked": the opposite polarity of causal_mask
        blocked = torch.tensor(~ref("multihead_attention").causal_mask(T)) if causal else None
        out_t, w_t = mha(t(X), t(X), t(X), need_weights=True, average_attn_weights=False, attn_mask=blocked)
    out, weights = ref("multihead_attention").multi_head_attention(X, Wq, Wk, Wv, Wo, h, causal=causal)
    np.testing.assert_allclose(out, out_t.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(weights, w_t.numpy(), rtol=1e-9, atol=1e-15)
    if causal:
        assert np.all(weights[..., np.triu_indices(T, 1)[0], np.triu_indices(T, 1)[1]] == 0.0)


@st.composite
def general_mha_problem(draw):
    h, d_k, d_v = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    N, T, D, Do = draw(st.integers(1, 2)), draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    W = [draw(arrays(s, 1.0)) for s in ((D, h * d_k), (D, h * d_k), (D, h * d_v), (h * d_v, Do))]
    return draw(arrays((N, T, D), 2.0)), W, h, draw(st.booleans())


@SETTINGS
@given(general_mha_problem())
def test_multi_head_attention_matches_per_head_torch_sdpa(problem):
    X, (Wq, Wk, Wv, Wo), h, causal = problem
    N, T, _ = X.shape
    split = lambda A: t(A).reshape(N, T, h, -1).transpose(1, 2)  # noqa: E731  (torch's own view ops)
    q, k, v = split(X @ Wq), split(X @ Wk), split(X @ Wv)
    heads = F.scaled_dot_product_attention(q, k, v, is_causal=causal)      # (N, h, T, d_v)
    expected = (heads.transpose(1, 2).reshape(N, T, -1) @ t(Wo)).numpy()
    out, weights = ref("multihead_attention").multi_head_attention(X, Wq, Wk, Wv, Wo, h, causal=causal)
    np.testing.assert_allclose(out, expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-12)


def test_causal_mask_matches_torch_tril():
    for n in range(7):
        expected = torch.tril(torch.ones(n, n, dtype=torch.bool)).numpy()
        np.testing.assert_array_equal(ref("multihead_attention").causal_mask(n), expected)


def test_split_and_merge_heads_match_torch_views():
    X = np.arange(2 * 3 * 6, dtype=np.float64).reshape(2, 3, 6)
    mha = ref("multihead_attention")
    for h in (1, 2, 3, 6):
        expected = t(X).view(2, 3, h, 6 // h).transpose(1, 2).numpy()
        np.testing.assert_array_equal(mha.split_heads(X, h), expected)
        np.testing.assert_array_equal(mha.merge_heads(expected), X)
