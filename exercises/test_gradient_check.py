"""Self-check for the gradient_check exercise. Run: pytest test_gradient_check.py"""

import numpy as np
import pytest

from gradient_check import numerical_gradient, relative_error

EXERCISE = "gradient_check"


def f_worked(x):
    return x[0] ** 2 + 3 * x[0] * x[1]


def test_numerical_gradient_worked_example():
    grad = numerical_gradient(f_worked, np.array([1.0, 2.0]), h=0.1)
    np.testing.assert_allclose(grad, [8.0, 3.0], rtol=1e-10)


def test_numerical_gradient_default_step_is_accurate():
    grad = numerical_gradient(f_worked, np.array([1.0, 2.0]))
    np.testing.assert_allclose(grad, [8.0, 3.0], rtol=1e-8)


def test_numerical_gradient_keeps_the_shape_of_x():
    # f(W) = sum(W * C) has gradient C, whatever the shape of W
    C = np.arange(6.0).reshape(2, 3) - 2.5
    grad = numerical_gradient(lambda W: np.sum(W * C), np.ones((2, 3)))
    assert grad.shape == (2, 3)
    np.testing.assert_allclose(grad, C, rtol=1e-8, atol=1e-8)


def test_numerical_gradient_of_a_scalar_input():
    grad = numerical_gradient(lambda x: np.sin(x).item(), np.array(0.5))
    assert np.shape(grad) == ()
    np.testing.assert_allclose(grad, np.cos(0.5), rtol=1e-9)


def test_numerical_gradient_error_shrinks_like_h_squared():
    exact = np.cos([0.3, 1.2])
    f = lambda x: np.sum(np.sin(x))  # noqa: E731
    err_big = np.max(np.abs(numerical_gradient(f, np.array([0.3, 1.2]), h=1e-2) - exact))
    err_small = np.max(np.abs(numerical_gradient(f, np.array([0.3, 1.2]), h=1e-3) - exact))
    assert 50 < err_big / err_small < 200  # 10 times smaller h, about 100 times smaller error


def test_numerical_gradient_of_integer_input_is_computed_in_float():
    grad = numerical_gradient(f_worked, np.array([1, 2]))
    np.testing.assert_allclose(grad, [8.0, 3.0], rtol=1e-8)


def test_numerical_gradient_checks_an_analytic_gradient():
    rng = np.random.default_rng(0)
    X, Y, W = rng.normal(size=(5, 3)), rng.normal(size=(5, 2)), rng.normal(size=(3, 2))
    loss = lambda W: np.sum((X @ W - Y) ** 2)  # noqa: E731
    analytic = 2 * X.T @ (X @ W - Y)
    assert relative_error(analytic, numerical_gradient(loss, W)) < 1e-8


def test_numerical_gradient_does_not_modify_x():
    x = np.array([1.0, 2.0])
    numerical_gradient(f_worked, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_numerical_gradient_rejects_a_step_that_is_not_positive():
    with pytest.raises(ValueError):
        numerical_gradient(f_worked, np.array([1.0, 2.0]), h=0.0)
    with pytest.raises(ValueError):
        numerical_gradient(f_worked, np.array([1.0, 2.0]), h=-1e-5)


def test_relative_error_worked_example():
    np.testing.assert_allclose(relative_error(np.array([8.0, 3.0]), np.array([8.1, 3.0])),
                               0.1 / (np.sqrt(73) + np.sqrt(74.61)), rtol=1e-12)


def test_relative_error_special_values():
    a = np.array([3.0, 4.0])
    assert relative_error(a, a.copy()) == 0.0
    np.testing.assert_allclose(relative_error(a, np.zeros(2)), 1.0)
    np.testing.assert_allclose(relative_error(a, -a), 1.0)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_relative_error_is_symmetric_and_scale_free():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    np.testing.assert_allclose(relative_error(a, b), relative_error(b, a), rtol=1e-12)
    np.testing.assert_allclose(relative_error(1000 * a, 1000 * b), relative_error(a, b), rtol=1e-12)


def test_relative_error_rejects_different_shapes():
    with pytest.raises(ValueError):
        relative_error(np.ones(3), np.ones(1))
