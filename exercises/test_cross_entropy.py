"""Self-check for the cross_entropy exercise (one_hot, softmax_cross_entropy).
Run: pytest test_cross_entropy.py"""

import math

import numpy as np
import pytest

from cross_entropy import one_hot, softmax_cross_entropy

EXERCISE = "cross_entropy"

LOGITS = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
LABELS = np.array([2, 0])


def test_one_hot_worked_example():
    np.testing.assert_array_equal(one_hot(np.array([2, 0, 1]), 3), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert one_hot(np.array([], dtype=int), 4).shape == (0, 4)


def test_one_hot_rejects_bad_labels():
    for labels in [np.array([0, 3]), np.array([-1, 0]), np.array([0.5, 1.0]), np.array([[0], [1]])]:
        with pytest.raises(ValueError):
            one_hot(labels, 3)


def test_loss_worked_example():
    loss, dlogits = softmax_cross_entropy(LOGITS, LABELS)
    assert loss == pytest.approx(0.7531091265562453, rel=1e-12)
    np.testing.assert_allclose(dlogits, [[0.04501529, 0.12236424, -0.16737952],
                                         [-0.33333333, 0.16666667, 0.16666667]], atol=1e-8)


def test_uniform_guess_costs_log_c():
    loss, _ = softmax_cross_entropy(np.zeros((4, 5)), np.array([0, 1, 2, 4]))
    assert loss == pytest.approx(math.log(5), rel=1e-14)


def test_large_logits_stay_finite():
    loss, dlogits = softmax_cross_entropy(np.array([[0.0, -1e4], [1e4, -1e4]]), np.array([1, 0]))
    assert loss == pytest.approx(1e4 / 2, rel=1e-12)  # (1e4 + 0) / 2
    assert np.all(np.isfinite(dlogits))
    np.testing.assert_allclose(dlogits, [[0.5, -0.5], [0.0, 0.0]], atol=1e-12)


def test_gradient_rows_sum_to_zero_and_match_finite_differences():
    rng = np.random.default_rng(0)
    Z, y = rng.normal(size=(3, 4)), np.array([1, 3, 0])
    _, dZ = softmax_cross_entropy(Z, y)
    np.testing.assert_allclose(dZ.sum(axis=1), 0.0, atol=1e-15)
    h = 1e-6
    for idx in np.ndindex(Z.shape):
        up, down = Z.copy(), Z.copy()
        up[idx] += h
        down[idx] -= h
        numeric = (softmax_cross_entropy(up, y)[0] - softmax_cross_entropy(down, y)[0]) / (2 * h)
        assert dZ[idx] == pytest.approx(numeric, abs=1e-8)


def test_loss_rejects_bad_labels():
    with pytest.raises(ValueError):
        softmax_cross_entropy(LOGITS, np.array([2, 3]))   # class 3 does not exist
    with pytest.raises(ValueError):
        softmax_cross_entropy(LOGITS, np.array([2]))      # one label per row


def test_inputs_are_not_modified():
    Z, y = LOGITS.copy(), LABELS.copy()
    softmax_cross_entropy(Z, y)
    one_hot(y, 3)
    np.testing.assert_array_equal(Z, LOGITS)
    np.testing.assert_array_equal(y, LABELS)
