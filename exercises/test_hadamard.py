"""Self-check for the hadamard exercise (hadamard, hadamard_vs_matmul). Run: pytest test_hadamard.py"""

import numpy as np
import pytest

from hadamard import hadamard, hadamard_vs_matmul

EXERCISE = "hadamard"

A = np.array([[1, 2], [3, 4]])
B = np.array([[5, 6], [7, 8]])


def test_hadamard_worked_example():
    np.testing.assert_array_equal(hadamard(A, B), [[5, 12], [21, 32]])


def test_hadamard_any_shape():
    x = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(hadamard(x, np.array([4.0, 3.0, 0.0])), [2.0, -3.0, 0.0], atol=0)
    rng = np.random.default_rng(0)
    P, Q = rng.normal(size=(2, 2, 3, 4))
    np.testing.assert_allclose(hadamard(P, Q), P * Q, rtol=1e-15)


def test_hadamard_is_commutative_and_not_the_matrix_product():
    np.testing.assert_array_equal(hadamard(A, B), hadamard(B, A))
    assert not np.array_equal(hadamard(A, B), A @ B)


def test_hadamard_rejects_shapes_that_would_broadcast():
    with pytest.raises(ValueError):
        hadamard(np.ones((3, 1)), np.ones((1, 3)))  # numpy would give a (3, 3) outer product
    with pytest.raises(ValueError):
        hadamard(np.ones((2, 3)), np.ones(3))


def test_quiz_square_matrices_have_both_products():
    H, M = hadamard_vs_matmul(A, B)
    np.testing.assert_array_equal(H, [[5, 12], [21, 32]])
    np.testing.assert_array_equal(M, [[19, 22], [43, 50]])


def test_quiz_equal_rectangular_shapes_have_only_the_hadamard_product():
    H, M = hadamard_vs_matmul(np.ones((2, 3)), 2 * np.ones((2, 3)))
    np.testing.assert_array_equal(H, 2 * np.ones((2, 3)))
    assert M is None


def test_quiz_chained_shapes_have_only_the_matrix_product():
    H, M = hadamard_vs_matmul(np.ones((2, 3)), np.ones((3, 4)))
    assert H is None
    np.testing.assert_array_equal(M, 3 * np.ones((2, 4)))


def test_quiz_unrelated_shapes_have_neither():
    assert hadamard_vs_matmul(np.ones((2, 3)), np.ones((4, 5))) == (None, None)


def test_quiz_rejects_vectors():
    with pytest.raises(ValueError):
        hadamard_vs_matmul(np.ones(3), np.ones(3))


def test_inputs_are_not_modified():
    P, Q = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[2.0, 0.0], [1.0, 2.0]])
    P0, Q0 = P.copy(), Q.copy()
    hadamard(P, Q)
    hadamard_vs_matmul(P, Q)
    np.testing.assert_array_equal(P, P0)
    np.testing.assert_array_equal(Q, Q0)
