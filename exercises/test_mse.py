"""Self-check for the mse exercise. Run: pytest test_mse.py"""

import numpy as np
import pytest

from mse import mse, mse_grad

EXERCISE = "mse"

Y_PRED = np.array([[1.0, 2.0], [3.0, 4.0]])
Y_TRUE = np.array([[1.0, 1.0], [1.0, 1.0]])


def test_mse_worked_example():
    np.testing.assert_allclose(mse(Y_PRED, Y_TRUE), 3.5)


def test_mse_grad_worked_example():
    np.testing.assert_allclose(mse_grad(Y_PRED, Y_TRUE), [[0.0, 0.5], [1.0, 1.5]], atol=1e-12)


def test_mse_zero_when_equal():
    y = np.random.default_rng(0).normal(size=(3, 2))
    np.testing.assert_allclose(mse(y, y.copy()), 0.0, atol=0)
    np.testing.assert_allclose(mse_grad(y, y.copy()), np.zeros((3, 2)), atol=0)


def test_mse_grad_divides_by_all_entries():
    # Y of shape (N, O) = (4, 3): the mean is over all 12 entries, not the 4 rows.
    rng = np.random.default_rng(1)
    y_pred, y_true = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    np.testing.assert_allclose(mse_grad(y_pred, y_true), 2 * (y_pred - y_true) / 12, rtol=1e-12)


def test_mse_grad_matches_finite_differences():
    rng = np.random.default_rng(2)
    y_pred, y_true = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    eps = 1e-6
    numeric = np.zeros_like(y_pred)
    for idx in np.ndindex(y_pred.shape):
        plus, minus = y_pred.copy(), y_pred.copy()
        plus[idx] += eps
        minus[idx] -= eps
        numeric[idx] = (mse(plus, y_true) - mse(minus, y_true)) / (2 * eps)
    np.testing.assert_allclose(mse_grad(y_pred, y_true), numeric, rtol=1e-5, atol=1e-8)


def test_mse_integers_give_float():
    loss = mse(np.array([1, 2, 3]), np.array([1, 1, 1]))
    assert isinstance(loss, (float, np.floating))
    np.testing.assert_allclose(loss, 5 / 3)


def test_mse_rejects_shape_mismatch():
    with pytest.raises(ValueError):
        mse(np.ones(3), np.ones((3, 1)))
    with pytest.raises(ValueError):
        mse_grad(np.ones(3), np.ones((3, 1)))


def test_mse_rejects_empty():
    with pytest.raises(ValueError):
        mse(np.array([]), np.array([]))
    with pytest.raises(ValueError):
        mse_grad(np.array([]), np.array([]))


def test_mse_does_not_modify_inputs():
    y_pred, y_true = Y_PRED.copy(), Y_TRUE.copy()
    mse(y_pred, y_true)
    mse_grad(y_pred, y_true)
    np.testing.assert_array_equal(y_pred, Y_PRED)
    np.testing.assert_array_equal(y_true, Y_TRUE)
