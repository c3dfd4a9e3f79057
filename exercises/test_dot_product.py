"""Self-check for the dot_product exercise. Run: pytest test_dot_product.py"""

import numpy as np
import pytest

from dot_product import dot

EXERCISE = "dot_product"


def test_dot_worked_example():
    a = np.array([1.0, 2.0, 3.0])
    b = np.array([4.0, 5.0, 6.0])
    np.testing.assert_allclose(dot(a, b), 32.0)


def test_dot_perpendicular_is_zero():
    np.testing.assert_allclose(dot(np.array([1.0, 0.0]), np.array([0.0, 1.0])), 0.0, atol=1e-12)


def test_dot_empty_is_zero():
    np.testing.assert_allclose(dot(np.array([]), np.array([])), 0.0, atol=0)


def test_dot_matches_numpy():
    rng = np.random.default_rng(0)
    for n in [1, 2, 5, 17]:
        a, b = rng.normal(size=n), rng.normal(size=n)
        np.testing.assert_allclose(dot(a, b), np.dot(a, b), rtol=1e-10, atol=1e-12)


def test_dot_integers():
    assert dot(np.array([1, 2, 3]), np.array([4, 5, 6])) == 32


def test_dot_symmetric_and_linear():
    rng = np.random.default_rng(1)
    a, b, c = rng.normal(size=(3, 6))
    np.testing.assert_allclose(dot(a, b), dot(b, a), rtol=1e-12)
    np.testing.assert_allclose(dot(2 * a + c, b), 2 * dot(a, b) + dot(c, b), rtol=1e-10, atol=1e-12)


def test_dot_rejects_length_mismatch():
    with pytest.raises(ValueError):
        dot(np.array([1.0, 2.0, 3.0]), np.array([1.0]))


def test_dot_rejects_2d():
    with pytest.raises(ValueError):
        dot(np.ones((1, 3)), np.ones((1, 3)))


def test_dot_does_not_modify_inputs():
    a, b = np.array([1.0, -2.0, 3.0]), np.array([4.0, 5.0, -6.0])
    a0, b0 = a.copy(), b.copy()
    dot(a, b)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)
