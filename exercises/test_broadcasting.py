"""Self-check for the broadcasting exercise (add_bias, batch_linear). Run: pytest test_broadcasting.py"""

import numpy as np
import pytest

from broadcasting import add_bias, batch_linear

EXERCISE = "broadcasting"

X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])              # N = 2, D = 3
W = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0]])  # H = 4
b = np.array([0.5, 0.0, 0.0, -1.0])


def test_add_bias_worked_example():
    out = add_bias(np.array([[1, 2, 3], [4, 5, 6]]), np.array([10, 20, 30]))
    np.testing.assert_array_equal(out, [[11, 22, 33], [14, 25, 36]])


def test_add_bias_goes_along_the_columns_even_for_square_batches():
    Z = np.zeros((3, 3))
    out = add_bias(Z, np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(out, [[1, 2, 3], [1, 2, 3], [1, 2, 3]])


def test_add_bias_rejects_biases_numpy_would_broadcast():
    Z = np.zeros((2, 3))
    for bad in [np.ones(1), np.ones(2), np.float64(1.0), np.ones((2, 3))]:
        with pytest.raises(ValueError):
            add_bias(Z, bad)
    with pytest.raises(ValueError):
        add_bias(np.zeros(3), np.ones(3))  # one example must be a (1, 3) batch


def test_batch_linear_worked_example():
    np.testing.assert_allclose(batch_linear(X, W, b), [[1.5, 2, 3, 5], [4.5, 5, 6, 14]], atol=1e-12)


def test_batch_linear_row_by_row_is_w_x_plus_b():
    rng = np.random.default_rng(0)
    X2, W2, b2 = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    Y = batch_linear(X2, W2, b2)
    assert Y.shape == (5, 4)
    for n in range(5):
        np.testing.assert_allclose(Y[n], W2 @ X2[n] + b2, rtol=1e-12, atol=1e-12)


def test_batch_linear_uses_the_transpose_for_square_weights():
    W_square = np.array([[1.0, 2.0], [0.0, 1.0]])  # y = W x: y0 = x0 + 2 x1, y1 = x1
    Y = batch_linear(np.array([[1.0, 1.0], [2.0, 0.0]]), W_square, np.zeros(2))
    np.testing.assert_allclose(Y, [[3.0, 1.0], [2.0, 0.0]], atol=0)


def test_batch_linear_rejects_bad_shapes():
    with pytest.raises(ValueError):
        batch_linear(X, W.T, b)          # W stored as (D, H)
    with pytest.raises(ValueError):
        batch_linear(X, W, np.ones(1))   # a bias of length 1
    with pytest.raises(ValueError):
        batch_linear(X[0], W, b)         # one example as a vector


def test_inputs_are_not_modified():
    Z, bias = np.ones((2, 3)), np.array([1.0, 2.0, 3.0])
    X0, W0, b0, Z0, bias0 = X.copy(), W.copy(), b.copy(), Z.copy(), bias.copy()
    add_bias(Z, bias)
    batch_linear(X, W, b)
    for now, before in [(X, X0), (W, W0), (b, b0), (Z, Z0), (bias, bias0)]:
        np.testing.assert_array_equal(now, before)
