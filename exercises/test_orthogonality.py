"""Self-check for the orthogonality exercise. Run: pytest test_orthogonality.py"""

import numpy as np
import pytest

from orthogonality import gram_schmidt, is_orthogonal, orthogonal_init

EXERCISE = "orthogonality"


def test_gram_schmidt_worked_example():
    Q = gram_schmidt(np.array([[3.0, 1.0], [4.0, 2.0]]))
    np.testing.assert_allclose(Q, [[0.6, -0.8], [0.8, 0.6]], atol=1e-12)


def test_gram_schmidt_orthonormal_same_span_positive_r():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(6, 4))
    Q = gram_schmidt(A)
    assert Q.shape == (6, 4)
    np.testing.assert_allclose(Q.T @ Q, np.eye(4), atol=1e-12)
    R = Q.T @ A                                       # A = Q R
    np.testing.assert_allclose(Q @ R, A, atol=1e-12)
    np.testing.assert_allclose(np.tril(R, -1), 0.0, atol=1e-12)   # R is upper triangular
    assert np.all(np.diag(R) > 0)                     # q_j · a_j > 0


def test_gram_schmidt_integer_input():
    Q = gram_schmidt(np.array([[1, 1], [0, 1], [0, 0]]))
    np.testing.assert_allclose(Q, [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], atol=1e-12)


@pytest.mark.parametrize("A", [
    [[1.0, 2.0], [2.0, 4.0]],                      # second column = 2 * first
    [[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [0.0, 0.0, 0.0]],  # third = first + second
    [[1.0, 0.0], [1.0, 0.0]],                      # a zero column
    [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],            # three columns in 2-D
])
def test_gram_schmidt_rejects_dependent_columns(A):
    with pytest.raises(ValueError):
        gram_schmidt(np.array(A))


def test_gram_schmidt_does_not_modify_a():
    A = np.array([[3.0, 1.0], [4.0, 2.0]])
    A0 = A.copy()
    gram_schmidt(A)
    np.testing.assert_array_equal(A, A0)


def test_is_orthogonal_examples():
    result = is_orthogonal(np.array([[0.6, -0.8], [0.8, 0.6]]))
    assert isinstance(result, (bool, np.bool_)) and result
    assert not is_orthogonal(np.array([[1.0, 1.0], [0.0, 1.0]]))
    assert not is_orthogonal(2 * np.eye(3))                          # orthogonal, not orthonormal
    assert is_orthogonal(np.array([[1.0], [0.0], [0.0]]))             # a tall Q: QᵀQ = I, Q Qᵀ ≠ I


def test_is_orthogonal_uses_tol():
    Q = np.eye(2) * (1 + 1e-6)
    assert not is_orthogonal(Q)                # default tol 1e-10
    assert is_orthogonal(Q, tol=1e-4)
    assert not is_orthogonal(np.eye(2) * (1 + 1e-7), tol=1e-9)    # np.allclose would say True


def test_is_orthogonal_rejects_bad_input():
    with pytest.raises(ValueError):
        is_orthogonal(np.ones(3))
    with pytest.raises(ValueError):
        is_orthogonal(np.eye(2), tol=-1.0)


def test_orthogonal_init_recipe_and_properties():
    Q = orthogonal_init(5, seed=3)
    expected = gram_schmidt(np.random.default_rng(3).standard_normal((5, 5)))
    np.testing.assert_allclose(Q, expected, atol=1e-12)
    np.testing.assert_allclose(Q.T @ Q, np.eye(5), atol=1e-12)
    np.testing.assert_allclose(Q @ Q.T, np.eye(5), atol=1e-12)


def test_orthogonal_init_preserves_lengths_over_many_steps():
    Q = orthogonal_init(4, seed=0)
    h = np.array([1.0, -2.0, 0.5, 3.0])
    for _ in range(100):                        # a linear "recurrent network": h <- Q h
        h = Q @ h
    np.testing.assert_allclose(np.linalg.norm(h), np.linalg.norm([1.0, -2.0, 0.5, 3.0]), rtol=1e-10)


def test_orthogonal_init_same_seed_same_matrix():
    np.testing.assert_array_equal(orthogonal_init(3, seed=8), orthogonal_init(3, seed=8))
    assert not np.allclose(orthogonal_init(3, seed=8), orthogonal_init(3, seed=9))
