"""Self-check for the batchnorm exercise. Run: pytest test_batchnorm.py"""

import numpy as np
import pytest

from batchnorm import batchnorm_backward, batchnorm_forward

EXERCISE = "batchnorm"

X = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 4.0]])
GAMMA = np.array([1.0, 2.0])
BETA = np.array([0.0, 1.0])
DOUT = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])


def test_forward_worked_example():
    out, cache = batchnorm_forward(X, GAMMA, BETA)
    np.testing.assert_allclose(out, [[-1.22474258, -1.44948515], [0.0, 3.44948515], [1.22474258, 1.0]],
                               rtol=1e-6, atol=1e-12)
    xhat, g, inv_std = cache
    np.testing.assert_allclose(xhat, [[-1.22474258, -1.22474258], [0.0, 1.22474258], [1.22474258, 0.0]],
                               rtol=1e-6, atol=1e-12)
    np.testing.assert_array_equal(g, GAMMA)
    np.testing.assert_allclose(inv_std, 1 / np.sqrt(8 / 3 + 1e-5), rtol=1e-12)


def test_forward_normalises_each_column_over_the_batch():
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 5.0, size=(6, 4))
    eps = 1e-5
    out, _ = batchnorm_forward(x, np.ones(4), np.zeros(4), eps)
    assert out.shape == (6, 4)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-12)
    var = x.var(axis=0)  # biased: divide by N
    np.testing.assert_allclose(out.var(axis=0), var / (var + eps), rtol=1e-10)


def test_forward_scale_and_shift_is_per_feature():
    rng = np.random.default_rng(1)
    x, gamma, beta = rng.normal(size=(5, 3)), rng.normal(size=3), rng.normal(size=3)
    out, _ = batchnorm_forward(x, gamma, beta, eps=0.1)
    plain, _ = batchnorm_forward(x, np.ones(3), np.zeros(3), eps=0.1)
    np.testing.assert_allclose(out, plain * gamma + beta, rtol=1e-12, atol=1e-12)


def test_constant_feature_and_single_example_give_beta():
    x = np.array([[2.0, 1.0], [2.0, 3.0]])  # column 0 is constant
    out, _ = batchnorm_forward(x, np.array([5.0, 1.0]), np.array([0.5, 0.0]))
    np.testing.assert_allclose(out[:, 0], [0.5, 0.5])
    out, _ = batchnorm_forward(np.array([[4.0, -1.0]]), np.ones(2), np.array([1.0, 2.0]))
    np.testing.assert_allclose(out, [[1.0, 2.0]])


def test_backward_worked_example():
    _, cache = batchnorm_forward(X, GAMMA, BETA)
    dx, dgamma, dbeta = batchnorm_backward(DOUT, cache)
    np.testing.assert_allclose(dx, [[0.10206303, -0.40824753], [-0.20412376, -0.40824753], [0.10206073, 0.81649505]],
                               rtol=1e-6)
    np.testing.assert_allclose(dgamma, [-1.22474258, 0.0], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(dbeta, [1.0, 1.0])


def numerical_gradient(f, a, h=1e-6):
    grad = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        old = a[i]
        a[i] = old + h
        plus = f()
        a[i] = old - h
        minus = f()
        a[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def test_backward_agrees_with_finite_differences():
    rng = np.random.default_rng(2)
    x, gamma, beta, dout = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=3), rng.normal(size=(4, 3))
    loss = lambda: np.sum(dout * batchnorm_forward(x, gamma, beta)[0])  # noqa: E731
    _, cache = batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(dgamma, numerical_gradient(loss, gamma), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(dbeta, numerical_gradient(loss, beta), rtol=1e-5, atol=1e-7)


def test_dx_columns_sum_to_zero():
    rng = np.random.default_rng(3)
    _, cache = batchnorm_forward(rng.normal(size=(7, 2)), rng.normal(size=2), rng.normal(size=2))
    dx, _, _ = batchnorm_backward(rng.normal(size=(7, 2)), cache)
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-12)


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        batchnorm_forward(np.ones((3, 2)), np.ones(1), np.zeros(2))  # gamma is not (D,)
    with pytest.raises(ValueError):
        batchnorm_forward(np.ones((3, 2)), np.ones(2), np.zeros(2), eps=0.0)
    _, cache = batchnorm_forward(X, GAMMA, BETA)
    with pytest.raises(ValueError):
        batchnorm_backward(np.ones((1, 2)), cache)  # dout is not (N, D)


def test_does_not_modify_inputs():
    x, gamma, beta, dout = X.copy(), GAMMA.copy(), BETA.copy(), DOUT.copy()
    _, cache = batchnorm_forward(x, gamma, beta)
    saved = [a.copy() for a in cache]
    batchnorm_backward(dout, cache)
    np.testing.assert_array_equal(x, X)
    np.testing.assert_array_equal(gamma, GAMMA)
    np.testing.assert_array_equal(beta, BETA)
    np.testing.assert_array_equal(dout, DOUT)
    for before, after in zip(saved, cache):
        np.testing.assert_array_equal(before, after)
