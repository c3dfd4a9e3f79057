"""Self-check for the eigen exercise. Run: pytest test_eigen.py"""

import numpy as np
import pytest

from eigen import power_iteration

EXERCISE = "eigen"


def test_power_iteration_worked_example():
    value, vector = power_iteration(np.array([[2.0, 0.0], [0.0, 1.0]]), 100, seed=0)
    np.testing.assert_allclose(value, 2.0, rtol=1e-12)
    np.testing.assert_allclose(np.abs(vector), [1.0, 0.0], atol=1e-12)


def test_power_iteration_follows_the_procedure():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.random.default_rng(7).standard_normal(2)
    x /= np.linalg.norm(x)
    for _ in range(3):
        x = A @ x / np.linalg.norm(A @ x)
    value, vector = power_iteration(A, 3, seed=7)
    np.testing.assert_allclose(vector, x, rtol=1e-12)
    np.testing.assert_allclose(value, x @ A @ x, rtol=1e-12)


def test_power_iteration_zero_steps_returns_the_start_vector():
    x = np.random.default_rng(3).standard_normal(4)
    value, vector = power_iteration(np.eye(4), 0, seed=3)
    np.testing.assert_allclose(vector, x / np.linalg.norm(x), rtol=1e-12)


def test_power_iteration_finds_the_dominant_eigenpair():
    rng = np.random.default_rng(1)
    Q = np.linalg.qr(rng.normal(size=(5, 5)))[0]
    A = Q @ np.diag([6.0, 3.0, -2.0, 1.0, 0.5]) @ Q.T
    value, vector = power_iteration(A, 200, seed=1)
    np.testing.assert_allclose(value, 6.0, rtol=1e-10)
    np.testing.assert_allclose(np.abs(vector @ Q[:, 0]), 1.0, rtol=1e-10)
    assert np.linalg.norm(A @ vector - value * vector) < 1e-9     # the residual


def test_power_iteration_negative_dominant_eigenvalue():
    value, vector = power_iteration(np.diag([-5.0, 2.0, 1.0]), 200, seed=2)
    np.testing.assert_allclose(value, -5.0, rtol=1e-12)
    np.testing.assert_allclose(np.abs(vector), [1.0, 0.0, 0.0], atol=1e-12)


def test_power_iteration_is_deterministic_for_a_seed():
    A = np.array([[4.0, 1.0], [1.0, 2.0]])
    v1, x1 = power_iteration(A, 5, seed=11)
    v2, x2 = power_iteration(A, 5, seed=11)
    assert v1 == v2
    np.testing.assert_array_equal(x1, x2)


def test_power_iteration_unit_vector_for_huge_eigenvalues():
    value, vector = power_iteration(np.diag([1e10, 1.0]), 300, seed=0)
    np.testing.assert_allclose(np.linalg.norm(vector), 1.0, rtol=1e-12)
    np.testing.assert_allclose(value, 1e10, rtol=1e-12)


def test_power_iteration_does_not_modify_a():
    A = np.array([[2.0, 1.0], [1.0, 2.0]])
    A0 = A.copy()
    power_iteration(A, 10, seed=0)
    np.testing.assert_array_equal(A, A0)


def test_power_iteration_rejects_bad_input():
    with pytest.raises(ValueError):
        power_iteration(np.ones((2, 3)), 5, seed=0)
    with pytest.raises(ValueError):
        power_iteration(np.eye(2), -1, seed=0)
    with pytest.raises(ValueError):
        power_iteration(np.zeros((3, 3)), 5, seed=0)
