"""The references of vectors, hadamard, broadcasting, activations, cross_entropy and
preprocessing, checked against independent implementations: PyTorch (float64, CPU) on ordinary
inputs, and mpmath / math.hypot (exact or correctly rounded) where PyTorch itself overflows or
flushes to zero (norms of 1e±200 vectors, the sigmoid's subnormal tail).

The train/validation split has no PyTorch counterpart with the same rounding rule, so its
contract (sizes, partition, pairing, determinism) is checked directly on the reference.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders.examples import reference_module

from .conftest import ROOT

SETTINGS = settings(max_examples=40, deadline=None, database=None, derandomize=True)
TOL = dict(rtol=1e-10, atol=1e-12)
mpmath.mp.prec = 200


def ref(module):
    return reference_module(ROOT / "solutions", module)


def floats(bound=10.0):
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def arrays(shape, bound=10.0):
    return hnp.arrays(np.float64, shape, elements=floats(bound))


def ordinary(shape, bound=10.0):
    """Entries on a 0.001 grid: no products or squares that underflow (torch does not rescale)."""
    return arrays(shape, bound).map(lambda a: np.round(a, 3))


def t(x, grad=False):
    return torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def nonzero(x):
    return bool(np.any(x != 0))


# --- vectors --------------------------------------------------------------------------------------

@SETTINGS
@given(st.integers(0, 12).flatmap(lambda n: ordinary(n)))
def test_l2_norm_matches_torch(x):
    np.testing.assert_allclose(ref("vectors").l2_norm(x), torch.linalg.vector_norm(t(x)).item(), **TOL)


@SETTINGS
@given(st.integers(1, 8).flatmap(lambda n: arrays(n)).filter(nonzero),
       st.sampled_from([1e200, 1e250, 1e-200, 1e-250]))
def test_l2_norm_of_huge_and_tiny_vectors_matches_math_hypot(x, scale):
    x = x * scale  # torch.linalg.vector_norm gives inf or 0 here; math.hypot is correctly scaled
    exact = float(mpmath.sqrt(mpmath.fsum(mpmath.mpf(float(v)) ** 2 for v in x)))
    assert math.isclose(ref("vectors").l2_norm(x), exact, rel_tol=1e-14)
    assert math.isclose(math.hypot(*x), exact, rel_tol=1e-14)


@SETTINGS
@given(st.integers(1, 10).flatmap(lambda n: st.tuples(ordinary(n).filter(nonzero),
                                                     ordinary(n).filter(nonzero))))
def test_cosine_similarity_matches_torch(pair):
    a, b = pair
    expected = torch.nn.functional.cosine_similarity(t(a), t(b), dim=0, eps=1e-300).item()
    np.testing.assert_allclose(ref("vectors").cosine_similarity(a, b), expected, rtol=0, atol=1e-13)
    # and it is scale-invariant, also far beyond where a·b would overflow
    np.testing.assert_allclose(ref("vectors").cosine_similarity(a * 1e200, b * 1e-200), expected,
                               rtol=0, atol=1e-13)


# --- hadamard -------------------------------------------------------------------------------------

@SETTINGS
@given(st.integers(0, 5).flatmap(lambda n: st.tuples(arrays((n, n)), arrays((n, n)))))
def test_hadamard_and_matmul_match_torch(pair):
    A, B = pair
    np.testing.assert_array_equal(ref("hadamard").hadamard(A, B), torch.mul(t(A), t(B)).numpy())
    H, M = ref("hadamard").hadamard_vs_matmul(A, B)
    np.testing.assert_array_equal(H, torch.mul(t(A), t(B)).numpy())
    np.testing.assert_allclose(M, torch.matmul(t(A), t(B)).numpy(), **TOL)


@SETTINGS
@given(st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)).flatmap(
    lambda s: st.tuples(arrays(s[:2]), arrays(s[2:]))))
def test_quiz_defines_exactly_what_torch_can_compute(pair):
    A, B = pair
    H, M = ref("hadamard").hadamard_vs_matmul(A, B)
    try:
        expected_m = torch.matmul(t(A), t(B)).numpy()
    except RuntimeError:
        expected_m = None
    assert (M is None) == (expected_m is None)
    if M is not None:
        np.testing.assert_allclose(M, expected_m, **TOL)
    assert (H is None) == (A.shape != B.shape)  # torch.mul would broadcast; Hadamard does not


# --- broadcasting ---------------------------------------------------------------------------------

@SETTINGS
@given(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)).flatmap(
    lambda s: st.tuples(arrays((s[0], s[1])), arrays((s[2], s[1])), arrays((s[2],)))))
def test_batch_linear_is_torch_linear(inputs):
    X, W, b = inputs  # torch.nn.functional.linear stores W as (out, in) = (H, D) too
    np.testing.assert_allclose(ref("broadcasting").batch_linear(X, W, b),
                               torch.nn.functional.linear(t(X), t(W), t(b)).numpy(), **TOL)


@SETTINGS
@given(st.tuples(st.integers(0, 5), st.integers(0, 5)).flatmap(
    lambda s: st.tuples(arrays(s), arrays((s[1],)))))
def test_add_bias_matches_torch(pair):
    Z, b = pair
    np.testing.assert_array_equal(ref("broadcasting").add_bias(Z, b), (t(Z) + t(b)).numpy())


# --- activations ----------------------------------------------------------------------------------

@SETTINGS
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
                  elements=floats(40.0)))
def test_activations_and_their_gradients_match_torch_autograd(x):
    act = ref("activations")
    for name, torch_fn, tol in (("sigmoid", torch.sigmoid, dict(rtol=1e-13, atol=0)),
                                ("tanh", torch.tanh, dict(rtol=0, atol=1e-15))):
        xt = t(x, grad=True)
        y = torch_fn(xt)
        y.sum().backward()
        np.testing.assert_allclose(getattr(act, name)(x), y.detach().numpy(), **tol)
        np.testing.assert_allclose(getattr(act, f"{name}_grad")(x), xt.grad.numpy(),
                                   rtol=1e-12 if name == "sigmoid" else 0, atol=1e-15)


@SETTINGS
@given(st.lists(st.one_of(st.floats(-745.0, -700.0), st.floats(-1000.0, 1000.0)), min_size=1, max_size=8))
def test_sigmoid_tails_match_mpmath(values):
    # torch.sigmoid (and scipy.special.expit) flush sigmoid(-720) to 0; the exact value is 2.03e-313
    x = np.array(values)
    got = ref("activations").sigmoid(x)
    grad = ref("activations").sigmoid_grad(x)
    for v, s, g in zip(values, got, grad):
        exact = 1 / (1 + mpmath.exp(-mpmath.mpf(v)))
        exact_s, exact_g = float(exact), float(exact * (1 - exact))
        tiny = 4 * 5e-324
        assert abs(s - exact_s) <= (abs(v) + 8) * 2.2e-16 * exact_s + tiny
        assert abs(g - exact_g) <= (abs(v) + 8) * 2.2e-16 * (exact_g + exact_s ** 2) + tiny
    np.testing.assert_allclose(ref("activations").tanh(x), np.tanh(x), rtol=0, atol=4.5e-16)


# --- cross_entropy --------------------------------------------------------------------------------

@SETTINGS
@given(st.tuples(st.integers(1, 6), st.integers(1, 5), st.sampled_from([10.0, 1e3, 1e4])).flatmap(
    lambda s: st.tuples(arrays(s[:2], s[2]), st.lists(st.integers(0, s[1] - 1), min_size=s[0],
                                                      max_size=s[0]))))
def test_softmax_cross_entropy_matches_torch_autograd(inputs):
    logits, labels = inputs
    labels = np.array(labels)
    z = t(logits, grad=True)
    loss = torch.nn.functional.cross_entropy(z, torch.tensor(labels), reduction="mean")
    loss.backward()
    got_loss, got_grad = ref("cross_entropy").softmax_cross_entropy(logits, labels)
    scale = 1 + np.max(np.abs(logits))
    np.testing.assert_allclose(got_loss, loss.item(), rtol=1e-12, atol=1e-13 * scale)
    np.testing.assert_allclose(got_grad, z.grad.numpy(), rtol=1e-10, atol=1e-15 * scale)
    np.testing.assert_array_equal(
        ref("cross_entropy").one_hot(labels, logits.shape[1]),
        torch.nn.functional.one_hot(torch.tensor(labels), logits.shape[1]).numpy())


# --- preprocessing --------------------------------------------------------------------------------

@SETTINGS
@given(st.tuples(st.integers(1, 8), st.integers(1, 5)).flatmap(lambda s: arrays(s, 1e3)),
       st.sampled_from([0.0, 1e4, -1e6]))
def test_scalers_match_torch(X, offset):
    X = np.round(X, 3) + offset
    Xt = t(X)
    lo, hi = Xt.amin(dim=0), Xt.amax(dim=0)
    constant = (hi == lo)
    mm = torch.where(constant, torch.zeros_like(Xt), (Xt - lo) / torch.where(constant, 1.0, hi - lo))
    std = Xt.std(dim=0, unbiased=False)
    z = torch.where(constant, torch.zeros_like(Xt), (Xt - Xt.mean(dim=0)) / torch.where(constant, 1.0, std))
    pre = ref("preprocessing")
    np.testing.assert_allclose(pre.min_max_scale(X), mm.numpy(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(pre.standardize(X), z.numpy(), rtol=1e-6, atol=1e-6)
    assert np.all(pre.standardize(X)[:, constant.numpy()] == 0)


@SETTINGS
@given(st.integers(0, 40), st.one_of(st.sampled_from([0.1, 0.2, 0.3, 0.0, 1.0]), st.floats(0, 1)),
       st.integers(0, 2**32 - 1))
def test_train_val_split_contract(N, fraction, seed):
    X = np.arange(3 * N).reshape(N, 3)
    Y = np.arange(N) * 7
    split = ref("preprocessing").train_val_split
    X_train, X_val, Y_train, Y_val = split(X, Y, fraction, seed)
    n_val = round(fraction * N)
    assert X_val.shape == (n_val, 3) and X_train.shape == (N - n_val, 3)
    rows = np.concatenate([X_train[:, 0], X_val[:, 0]]) // 3
    assert sorted(rows.tolist()) == list(range(N))
    np.testing.assert_array_equal(Y_train, X_train[:, 0] // 3 * 7)
    np.testing.assert_array_equal(Y_val, X_val[:, 0] // 3 * 7)
    for a, b in zip(split(X, Y, fraction, seed), (X_train, X_val, Y_train, Y_val)):
        np.testing.assert_array_equal(a, b)
