"""Self-check for the matmul exercise. Run: pytest test_matmul.py"""

import numpy as np
import pytest

from matmul import matmul

EXERCISE = "matmul"


def test_matmul_worked_example():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    B = np.array([[5.0, 6.0], [7.0, 8.0]])
    np.testing.assert_allclose(matmul(A, B), [[19.0, 22.0], [43.0, 50.0]])


def test_matmul_is_not_hadamard():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    B = np.array([[5.0, 6.0], [7.0, 8.0]])
    # A * B = [[5, 12], [21, 32]] is the elementwise product, not the matrix product
    assert not np.allclose(matmul(A, B), A * B)
    np.testing.assert_allclose(matmul(B, A), [[23.0, 34.0], [31.0, 46.0]])


def test_matmul_shape_and_values_match_numpy():
    rng = np.random.default_rng(0)
    for m, n, p in [(2, 3, 4), (1, 5, 1), (4, 1, 3), (3, 3, 3)]:
        A, B = rng.normal(size=(m, n)), rng.normal(size=(n, p))
        C = matmul(A, B)
        assert C.shape == (m, p)
        np.testing.assert_allclose(C, A @ B, rtol=1e-10, atol=1e-12)


def test_matmul_inner_size_zero_gives_zeros():
    C = matmul(np.zeros((2, 0)), np.zeros((0, 3)))
    assert C.shape == (2, 3)
    np.testing.assert_allclose(C, np.zeros((2, 3)), atol=0)


def test_matmul_identity_and_associativity():
    rng = np.random.default_rng(1)
    A, B, C = rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    np.testing.assert_allclose(matmul(A, np.eye(3)), A, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(matmul(matmul(A, B), C), matmul(A, matmul(B, C)), rtol=1e-9, atol=1e-12)


def test_matmul_integers():
    A = np.array([[1, 0, 2], [0, 1, 0]])
    B = np.array([[1], [2], [3]])
    np.testing.assert_array_equal(matmul(A, B), [[7], [2]])


def test_matmul_rejects_inner_size_mismatch():
    with pytest.raises(ValueError):
        matmul(np.ones((2, 3)), np.ones((2, 3)))


def test_matmul_rejects_1d():
    with pytest.raises(ValueError):
        matmul(np.ones(3), np.ones((3, 2)))


def test_matmul_does_not_modify_inputs():
    rng = np.random.default_rng(2)
    A, B = rng.normal(size=(3, 2)), rng.normal(size=(2, 4))
    A0, B0 = A.copy(), B.copy()
    matmul(A, B)
    np.testing.assert_array_equal(A, A0)
    np.testing.assert_array_equal(B, B0)
