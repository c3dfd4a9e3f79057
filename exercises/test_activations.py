"""Self-check for the activations exercise (sigmoid, tanh and their derivatives).
Run: pytest test_activations.py"""

import warnings

import numpy as np
import pytest

from activations import sigmoid, sigmoid_grad, tanh, tanh_grad

EXERCISE = "activations"

X = np.array([-2.0, 0.0, 2.0])


def test_worked_example():
    np.testing.assert_allclose(sigmoid(X), [0.11920292202211756, 0.5, 0.8807970779778824], rtol=1e-14)
    np.testing.assert_allclose(sigmoid_grad(X), [0.10499358540350652, 0.25, 0.10499358540350652], rtol=1e-13)
    np.testing.assert_allclose(tanh(X), [-0.9640275800758169, 0.0, 0.9640275800758169], atol=1e-15)
    np.testing.assert_allclose(tanh_grad(X), [0.07065082485316443, 1.0, 0.07065082485316443], atol=1e-14)


def test_shapes_and_float_results():
    x = np.arange(-6, 6).reshape(3, 4)  # integers
    for f in (sigmoid, sigmoid_grad, tanh, tanh_grad):
        out = f(x)
        assert out.shape == (3, 4)
        assert np.issubdtype(out.dtype, np.floating)
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-14)
    np.testing.assert_allclose(tanh(x), np.tanh(x), atol=1e-15)


def test_sigmoid_far_tails():
    s = sigmoid(np.array([-1000.0, -720.0, -40.0, 40.0, 1000.0]))
    assert s[0] == 0.0 and s[-1] == 1.0
    assert s[1] == pytest.approx(2.0322308024e-313, rel=1e-9)  # not 0!
    assert s[2] == pytest.approx(4.248354255291589e-18, rel=1e-14)


def test_sigmoid_without_overflow_warnings():
    # The hidden grader judges only the values; this self-check also asks for a clean run.
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning fails this test
        sigmoid(np.array([-1000.0, -720.0, 0.0, 720.0, 1000.0]))


def test_tanh_no_nan_for_huge_inputs():
    x = np.array([-1000.0, -400.0, 400.0, 1000.0])
    np.testing.assert_array_equal(tanh(x), [-1.0, -1.0, 1.0, 1.0])
    np.testing.assert_array_equal(tanh_grad(x), [0.0, 0.0, 0.0, 0.0])
    assert np.all(np.isfinite(sigmoid_grad(x)))


def test_symmetries():
    x = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), atol=1e-15)
    np.testing.assert_allclose(tanh(-x), -tanh(x), atol=1e-15)
    np.testing.assert_allclose(tanh(x), 2 * sigmoid(2 * x) - 1, atol=1e-15)


def test_derivatives_match_finite_differences():
    x = np.array([-3.0, -0.5, 0.0, 0.7, 2.5])
    h = 1e-6
    np.testing.assert_allclose(sigmoid_grad(x), (sigmoid(x + h) - sigmoid(x - h)) / (2 * h), atol=1e-9)
    np.testing.assert_allclose(tanh_grad(x), (tanh(x + h) - tanh(x - h)) / (2 * h), atol=1e-9)


def test_derivatives_take_the_input_not_the_output():
    # sigmoid_grad(0) = σ(0) (1 - σ(0)) = 0.25; the formula x (1 - x) would give 0.
    assert sigmoid_grad(np.array([0.0]))[0] == pytest.approx(0.25)
    assert tanh_grad(np.array([0.0]))[0] == pytest.approx(1.0)


def test_input_is_not_modified():
    x = np.array([[-3.0, 0.0], [2.0, -800.0]])
    x0 = x.copy()
    for f in (sigmoid, sigmoid_grad, tanh, tanh_grad):
        f(x)
        np.testing.assert_array_equal(x, x0)
