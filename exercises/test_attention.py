"""Self-check for the attention exercise. Run: pytest test_attention.py"""

import numpy as np
import pytest

from attention import scaled_dot_product_attention, softmax

EXERCISE = "attention"

Q = np.array([[1.0, 0.0]])
K = np.array([[1.0, 0.0], [0.0, 1.0]])
V = np.array([[1.0, 2.0], [3.0, 4.0]])


def test_softmax_worked_example():
    np.testing.assert_allclose(softmax(np.array([1.0, 2.0, 3.0])), [0.09003057, 0.24472847, 0.66524096], rtol=1e-6)


def test_softmax_axis_and_sums_to_one():
    x = np.random.default_rng(0).normal(size=(3, 4, 5))
    for axis in (0, 1, -1):
        p = softmax(x, axis=axis)
        assert p.shape == x.shape
        np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-12)
        np.testing.assert_allclose(p, np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True), rtol=1e-10)


def test_softmax_large_values_no_overflow():
    p = softmax(np.array([[1e4, -1e4, 0.0], [1000.0, 1000.0, 1000.0]]))
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]], atol=1e-12)


def test_softmax_shift_invariant():
    x = np.random.default_rng(1).normal(size=6)
    np.testing.assert_allclose(softmax(x + 123.0), softmax(x), rtol=1e-10)


def test_scaled_dot_product_attention_worked_example():
    out, weights = scaled_dot_product_attention(Q, K, V)
    np.testing.assert_allclose(weights, [[0.66976155, 0.33023845]], rtol=1e-6)
    np.testing.assert_allclose(out, [[1.6604769, 2.6604769]], rtol=1e-6)


def test_scaled_dot_product_attention_mask_gives_exact_zeros():
    out, weights = scaled_dot_product_attention(Q, K, V, mask=np.array([[True, False]]))
    assert weights[0, 1] == 0.0
    np.testing.assert_allclose(weights, [[1.0, 0.0]], atol=0)
    np.testing.assert_allclose(out, [[1.0, 2.0]])


def test_scaled_dot_product_attention_batched_shapes_and_values():
    rng = np.random.default_rng(2)
    B, n_q, n_k, d_k, d_v = 2, 3, 5, 4, 6
    Qb, Kb, Vb = rng.normal(size=(B, n_q, d_k)), rng.normal(size=(B, n_k, d_k)), rng.normal(size=(B, n_k, d_v))
    out, weights = scaled_dot_product_attention(Qb, Kb, Vb)
    assert out.shape == (B, n_q, d_v)
    assert weights.shape == (B, n_q, n_k)
    scores = Qb @ np.swapaxes(Kb, -1, -2) / np.sqrt(d_k)
    expected = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(weights, expected, rtol=1e-10)
    np.testing.assert_allclose(out, expected @ Vb, rtol=1e-10, atol=1e-12)


def test_scaled_dot_product_attention_causal_mask():
    rng = np.random.default_rng(3)
    n, d = 4, 3
    X = rng.normal(size=(n, d))
    mask = np.tril(np.ones((n, n), dtype=bool))  # query i may attend to keys j <= i
    out, weights = scaled_dot_product_attention(X, X, X, mask=mask)
    assert np.all(weights[~mask] == 0.0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(out[0], X[0], rtol=1e-12)  # the first query sees only itself


def test_scaled_dot_product_attention_rejects_bad_shapes():
    with pytest.raises(ValueError):
        scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 5)), np.ones((4, 2)))  # d_k differs
    with pytest.raises(ValueError):
        scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((5, 2)))  # n_k differs


def test_scaled_dot_product_attention_does_not_modify_inputs():
    q, k, v, mask = Q.copy(), K.copy(), V.copy(), np.array([[True, False]])
    scaled_dot_product_attention(q, k, v, mask=mask)
    softmax(q)
    np.testing.assert_array_equal(q, Q)
    np.testing.assert_array_equal(k, K)
    np.testing.assert_array_equal(v, V)
    np.testing.assert_array_equal(mask, [[True, False]])
