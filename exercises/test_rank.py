"""Self-check for the rank exercise. Run: pytest test_rank.py"""

import numpy as np
import pytest

from rank import matrix_rank

EXERCISE = "rank"


def test_rank_worked_example():
    assert matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]])) == 1


def test_rank_of_identity_and_zero():
    assert matrix_rank(np.eye(4)) == 4
    assert matrix_rank(np.zeros((3, 5))) == 0


def test_rank_counts_independent_columns_not_the_shape():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(6, 2)) @ rng.normal(size=(2, 5))  # (6, 5), but rank 2
    assert matrix_rank(A) == 2
    assert matrix_rank(A.T) == 2


def test_rank_ignores_rounding_noise():
    # rows 1 and 2 add up to row 3 exactly in real numbers; the SVD sees noise around 1e-16
    A = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.5, 0.7, 0.9]])
    assert matrix_rank(A) == 2


def test_rank_tolerance_is_relative():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 3)) @ rng.normal(size=(3, 5))  # rank 3
    for scale in [1e-13, 1.0, 1e9]:
        assert matrix_rank(scale * A) == 3


def test_rank_explicit_tol():
    A = np.diag([1.0, 1e-3, 1e-9])
    assert matrix_rank(A, tol=1e-6) == 2
    assert matrix_rank(A, tol=1e-12) == 3
    assert matrix_rank(A, tol=10.0) == 0


def test_rank_empty_matrices():
    assert matrix_rank(np.zeros((0, 3))) == 0
    assert matrix_rank(np.zeros((3, 0))) == 0


def test_rank_integer_input():
    assert matrix_rank(np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]])) == 2


def test_rank_returns_an_int():
    assert isinstance(matrix_rank(np.eye(2)), (int, np.integer))


def test_rank_rejects_bad_input():
    with pytest.raises(ValueError):
        matrix_rank(np.ones(3))
    with pytest.raises(ValueError):
        matrix_rank(np.eye(2), tol=-1.0)
