"""Self-check for the relu exercise. Run: pytest test_relu.py"""

import numpy as np

from relu import relu, relu_grad

EXERCISE = "relu"

X = np.array([-2.0, -0.5, 0.0, 1.5, 3.0])


def test_relu_worked_example():
    np.testing.assert_allclose(relu(X), [0.0, 0.0, 0.0, 1.5, 3.0], atol=0)


def test_relu_grad_worked_example():
    g = relu_grad(X)
    np.testing.assert_allclose(g, [0.0, 0.0, 0.0, 1.0, 1.0], atol=0)
    assert np.issubdtype(g.dtype, np.floating)


def test_relu_grad_is_zero_at_zero():
    np.testing.assert_allclose(relu_grad(np.zeros(3)), np.zeros(3), atol=0)


def test_relu_keeps_shape_and_matches_numpy():
    x = np.random.default_rng(0).normal(size=(2, 3, 4))
    out = relu(x)
    assert out.shape == x.shape
    np.testing.assert_allclose(out, np.maximum(x, 0), atol=0)
    assert relu_grad(x).shape == x.shape


def test_relu_positive_minus_negative_part_is_identity():
    x = np.random.default_rng(1).normal(size=10)
    np.testing.assert_allclose(relu(x) - relu(-x), x, rtol=1e-12, atol=1e-12)


def test_relu_grad_integers_give_floats():
    g = relu_grad(np.array([[-1, 0], [2, 5]]))
    np.testing.assert_array_equal(g, [[0.0, 0.0], [1.0, 1.0]])
    assert np.issubdtype(g.dtype, np.floating)
    np.testing.assert_array_equal(relu(np.array([[-1, 2], [3, -4]])), [[0, 2], [3, 0]])


def test_relu_grad_matches_finite_differences():
    x = np.array([-1.3, -0.2, 0.4, 2.0])
    eps = 1e-6
    numeric = (relu(x + eps) - relu(x - eps)) / (2 * eps)
    np.testing.assert_allclose(relu_grad(x), numeric, atol=1e-6)


def test_relu_does_not_modify_input():
    x = X.copy()
    relu(x)
    relu_grad(x)
    np.testing.assert_array_equal(x, X)
