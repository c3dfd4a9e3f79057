"""Self-check for the solve exercise. Run: pytest test_solve.py"""

import numpy as np
import pytest

from solve import inverse, solve

EXERCISE = "solve"


def test_solve_worked_example_needs_a_row_swap():
    x = solve(np.array([[0.0, 2.0], [1.0, 1.0]]), np.array([4.0, 3.0]))
    np.testing.assert_allclose(x, [1.0, 2.0], rtol=1e-12)


def test_solve_tiny_pivot_needs_partial_pivoting():
    # without swapping in the largest entry, rounding returns [0, 1]
    x = solve(np.array([[1e-20, 1.0], [1.0, 1.0]]), np.array([1.0, 2.0]))
    np.testing.assert_allclose(x, [1.0, 1.0], rtol=1e-12)


def test_solve_integer_inputs_give_float_answers():
    x = solve(np.array([[2, 1], [1, 3]]), np.array([1, 2]))
    np.testing.assert_allclose(x, [0.2, 0.6], rtol=1e-12)


def test_solve_residual_is_small_on_random_systems():
    rng = np.random.default_rng(0)
    for n in [1, 2, 3, 5, 8]:
        A = rng.normal(size=(n, n)) + n * np.eye(n)
        b = rng.normal(size=n)
        x = solve(A, b)
        assert x.shape == (n,)
        np.testing.assert_allclose(A @ x, b, rtol=1e-10, atol=1e-10)


def test_solve_several_right_hand_sides_at_once():
    A = np.array([[2.0, 0.0], [0.0, 4.0]])
    B = np.array([[2.0, 4.0, 6.0], [4.0, 8.0, 12.0]])
    X = solve(A, B)
    assert X.shape == (2, 3)
    np.testing.assert_allclose(X, [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])


def test_solve_scale_does_not_matter():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([9.0, 8.0])
    for scale in [1e-12, 1.0, 1e12]:
        np.testing.assert_allclose(solve(scale * A, scale * b), [2.0, 3.0], rtol=1e-10)


@pytest.mark.parametrize("A", [
    [[1.0, 2.0], [2.0, 4.0]],                      # second row = 2 * first row
    [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],  # row 3 = 2 * row 2 - row 1 (rounding!)
    [[0.0, 0.0], [0.0, 0.0]],
])
def test_solve_singular_raises(A):
    with pytest.raises(ValueError):
        solve(np.array(A), np.ones(len(A)))


@pytest.mark.parametrize("A, b", [
    (np.ones((2, 3)), np.ones(2)),        # not square
    (np.eye(3), np.ones(2)),              # b too short
    (np.ones(3), np.ones(3)),             # A is not a matrix
])
def test_solve_rejects_bad_shapes(A, b):
    with pytest.raises(ValueError):
        solve(A, b)


def test_solve_does_not_modify_inputs():
    A = np.array([[0.0, 2.0], [1.0, 1.0]])
    b = np.array([4.0, 3.0])
    A0, b0 = A.copy(), b.copy()
    solve(A, b)
    np.testing.assert_array_equal(A, A0)
    np.testing.assert_array_equal(b, b0)


def test_inverse_worked_examples():
    np.testing.assert_allclose(inverse(np.array([[2.0, 0.0], [0.0, 4.0]])), [[0.5, 0.0], [0.0, 0.25]])
    np.testing.assert_allclose(inverse(np.array([[0, 1], [1, 0]])), [[0.0, 1.0], [1.0, 0.0]])


def test_inverse_times_matrix_is_identity():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4)) + 4 * np.eye(4)
    A_inv = inverse(A)
    np.testing.assert_allclose(A @ A_inv, np.eye(4), atol=1e-12)
    np.testing.assert_allclose(A_inv @ A, np.eye(4), atol=1e-12)


def test_inverse_is_not_the_transpose():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(inverse(A), [[-2.0, 1.0], [1.5, -0.5]], rtol=1e-12)


def test_inverse_rejects_singular_and_non_square():
    with pytest.raises(ValueError):
        inverse(np.array([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(ValueError):
        inverse(np.ones((2, 3)))
