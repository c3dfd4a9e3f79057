"""Self-check for the vectors exercise (l2_norm, cosine_similarity). Run: pytest test_vectors.py"""

import math

import numpy as np
import pytest

from vectors import cosine_similarity, l2_norm

EXERCISE = "vectors"


def test_l2_norm_worked_example():
    assert l2_norm(np.array([3.0, 4.0])) == pytest.approx(5.0, rel=1e-15)


def test_l2_norm_of_empty_and_zero_vectors_is_zero():
    assert l2_norm(np.array([], dtype=float)) == 0.0
    assert l2_norm(np.zeros(4)) == 0.0


def test_l2_norm_matches_numpy():
    rng = np.random.default_rng(0)
    for n in [1, 2, 7, 30]:
        x = rng.normal(size=n)
        assert l2_norm(x) == pytest.approx(np.linalg.norm(x), rel=1e-13)


def test_l2_norm_scales_with_the_vector():
    x = np.array([1.0, -2.0, 2.0])  # length 3
    assert l2_norm(x) == pytest.approx(3.0, rel=1e-15)
    assert l2_norm(-5 * x) == pytest.approx(15.0, rel=1e-15)


def test_l2_norm_does_not_overflow_or_underflow():
    assert l2_norm(np.array([3e200, -4e200])) == pytest.approx(5e200, rel=1e-14)
    assert l2_norm(np.array([3e-200, 4e-200])) == pytest.approx(5e-200, rel=1e-14)
    big = np.array([3 * 2**40, 4 * 2**40])  # int64 squares would wrap around
    assert l2_norm(big) == pytest.approx(5 * 2**40, rel=1e-14)


def test_l2_norm_rejects_a_matrix():
    with pytest.raises(ValueError):
        l2_norm(np.ones((2, 3)))


def test_cosine_similarity_worked_examples():
    assert cosine_similarity(np.array([1.0, 0.0]), np.array([1.0, 1.0])) == pytest.approx(1 / math.sqrt(2))
    assert cosine_similarity(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])) == pytest.approx(1.0)
    assert cosine_similarity(np.array([1.0, 0.0]), np.array([0.0, 5.0])) == pytest.approx(0.0, abs=1e-15)
    assert cosine_similarity(np.array([1.0, 2.0]), np.array([-3.0, -6.0])) == pytest.approx(-1.0)


def test_cosine_similarity_ignores_lengths_even_huge_or_tiny_ones():
    a, b = np.array([1.0, 2.0, -1.0]), np.array([0.5, -1.0, 3.0])
    expected = cosine_similarity(a, b)
    assert -1 <= expected <= 1
    assert cosine_similarity(1e200 * a, b) == pytest.approx(expected, rel=1e-12)
    assert cosine_similarity(a, 1e-200 * b) == pytest.approx(expected, rel=1e-12)


def test_cosine_similarity_is_symmetric():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(2, 5))
    assert cosine_similarity(a, b) == pytest.approx(cosine_similarity(b, a), rel=1e-12)


def test_cosine_similarity_rejects_zero_vectors_and_bad_shapes():
    with pytest.raises(ValueError):
        cosine_similarity(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError):
        cosine_similarity(np.ones(3), np.ones(2))


def test_inputs_are_not_modified():
    a, b = np.array([3.0, 4.0]), np.array([1e200, -2e200])
    a0, b0 = a.copy(), b.copy()
    l2_norm(a)
    l2_norm(b)
    cosine_similarity(a, b)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)
