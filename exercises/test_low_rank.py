"""Self-check for the low_rank exercise. Run: pytest test_low_rank.py"""

import numpy as np
import pytest

from low_rank import low_rank_approx, parameter_savings

EXERCISE = "low_rank"


def test_low_rank_worked_example():
    W = np.array([[3.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(low_rank_approx(W, 1), [[3.0, 0.0], [0.0, 0.0]], atol=1e-12)
    np.testing.assert_allclose(low_rank_approx(W, 0), np.zeros((2, 2)))
    np.testing.assert_allclose(low_rank_approx(W, 2), W, atol=1e-12)


def test_low_rank_has_rank_r_and_the_eckart_young_error():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(6, 4))
    s = np.linalg.svd(W, compute_uv=False)
    for r in range(5):
        W_r = low_rank_approx(W, r)
        assert W_r.shape == (6, 4)
        assert np.linalg.matrix_rank(W_r) == r
        np.testing.assert_allclose(np.linalg.norm(W - W_r), np.sqrt(np.sum(s[r:] ** 2)), atol=1e-10)


def test_low_rank_beats_other_rank_r_matrices():
    rng = np.random.default_rng(1)
    W = rng.normal(size=(5, 5))
    best = np.linalg.norm(W - low_rank_approx(W, 2))
    for _ in range(20):
        other = rng.normal(size=(5, 2)) @ rng.normal(size=(2, 5))
        assert best <= np.linalg.norm(W - other)


def test_low_rank_r_at_least_the_rank_gives_w_back():
    rng = np.random.default_rng(2)
    W = rng.normal(size=(5, 2)) @ rng.normal(size=(2, 3))  # rank 2
    for r in [2, 3, 10]:
        np.testing.assert_allclose(low_rank_approx(W, r), W, atol=1e-12)


def test_low_rank_does_not_modify_w():
    W = np.arange(12.0).reshape(3, 4)
    W0 = W.copy()
    low_rank_approx(W, 1)
    np.testing.assert_array_equal(W, W0)


def test_low_rank_rejects_bad_input():
    with pytest.raises(ValueError):
        low_rank_approx(np.ones(3), 1)
    with pytest.raises(ValueError):
        low_rank_approx(np.eye(3), -1)


def test_parameter_savings_examples():
    assert parameter_savings((512, 512), 16) == 245760
    assert parameter_savings((4, 6), 3) == -6      # beyond the break-even rank
    assert parameter_savings((4, 6), 0) == 24
    assert parameter_savings((1000, 10), 1) == 10000 - 1010


def test_parameter_savings_rejects_bad_input():
    with pytest.raises(ValueError):
        parameter_savings((4, 6), -1)
    with pytest.raises(ValueError):
        parameter_savings((4,), 1)
