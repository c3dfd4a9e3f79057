"""Self-check for the transpose exercise. Run: pytest test_transpose.py"""

import numpy as np
import pytest

from transpose import transpose

EXERCISE = "transpose"


def test_transpose_worked_example():
    A = np.array([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(transpose(A), [[1, 4], [2, 5], [3, 6]])


def test_transpose_shape_and_dtype():
    A = np.arange(12).reshape(3, 4)
    At = transpose(A)
    assert At.shape == (4, 3)
    assert At.dtype == A.dtype
    assert transpose(np.zeros((0, 2))).shape == (2, 0)


def test_transpose_matches_numpy():
    rng = np.random.default_rng(0)
    for shape in [(1, 1), (1, 5), (5, 1), (3, 7)]:
        A = rng.normal(size=shape)
        np.testing.assert_array_equal(transpose(A), A.T)


def test_transpose_twice_is_identity():
    A = np.random.default_rng(1).normal(size=(4, 2))
    np.testing.assert_array_equal(transpose(transpose(A)), A)


def test_transpose_of_product_reverses_order():
    rng = np.random.default_rng(2)
    A, B = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    # (A B)ᵀ = Bᵀ Aᵀ
    np.testing.assert_allclose(transpose(A @ B), transpose(B) @ transpose(A), rtol=1e-10, atol=1e-12)


def test_transpose_returns_new_array():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    A0 = A.copy()
    At = transpose(A)
    assert not np.shares_memory(At, A)
    At[0, 1] = 100.0  # changing the result must not change A
    np.testing.assert_array_equal(A, A0)


def test_transpose_rejects_non_2d():
    with pytest.raises(ValueError):
        transpose(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError):
        transpose(np.ones((2, 2, 2)))
