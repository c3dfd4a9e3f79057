"""Self-check for the multihead_attention exercise. Run: pytest test_multihead_attention.py"""

import numpy as np
import pytest

from multihead_attention import causal_mask, merge_heads, multi_head_attention, split_heads

EXERCISE = "multihead_attention"

X = np.array([[[1.0, 0.0], [0.0, 1.0]]])
I = np.eye(2)  # noqa: E741
WO = np.array([[1.0, 1.0], [0.0, 1.0]])


def softmax(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    total = e.sum(axis=-1, keepdims=True)
    return e / total


def test_causal_mask():
    m = causal_mask(3)
    assert m.dtype == bool
    np.testing.assert_array_equal(m, [[True, False, False], [True, True, False], [True, True, True]])
    assert causal_mask(0).shape == (0, 0)


def test_split_heads_worked_example():
    X8 = np.arange(8).reshape(1, 2, 4)
    np.testing.assert_array_equal(split_heads(X8, 2), [[[[0, 1], [4, 5]], [[2, 3], [6, 7]]]])


def test_split_and_merge_are_inverses():
    rng = np.random.default_rng(0)
    Xr = rng.normal(size=(2, 5, 6))
    for h in (1, 2, 3, 6):
        parts = split_heads(Xr, h)
        assert parts.shape == (2, h, 5, 6 // h)
        np.testing.assert_array_equal(parts[:, 1 % h], Xr[:, :, (1 % h) * (6 // h):(1 % h + 1) * (6 // h)])
        np.testing.assert_array_equal(merge_heads(parts), Xr)


def test_multi_head_attention_worked_example():
    out, weights = multi_head_attention(X, I, I, I, WO, num_heads=2)
    np.testing.assert_allclose(out, [[[0.73105858, 1.23105858], [0.5, 1.23105858]]], rtol=1e-7)
    assert weights.shape == (1, 2, 2, 2)
    out, weights = multi_head_attention(X, I, I, I, WO, num_heads=2, causal=True)
    np.testing.assert_allclose(out, [[[1.0, 1.0], [0.5, 1.23105858]]], rtol=1e-7)
    assert weights[0, 0, 0, 1] == 0.0 and weights[0, 1, 0, 1] == 0.0


def test_one_head_is_plain_attention():
    rng = np.random.default_rng(1)
    Xr = rng.normal(size=(2, 4, 3))
    Wq, Wk, Wv, Wo = rng.normal(size=(3, 5)), rng.normal(size=(3, 5)), rng.normal(size=(3, 2)), rng.normal(size=(2, 3))
    out, weights = multi_head_attention(Xr, Wq, Wk, Wv, Wo, 1)
    expected = softmax((Xr @ Wq) @ np.swapaxes(Xr @ Wk, 1, 2) / np.sqrt(5))
    np.testing.assert_allclose(weights[:, 0], expected, rtol=1e-10)
    np.testing.assert_allclose(out, expected @ (Xr @ Wv) @ Wo, rtol=1e-10, atol=1e-12)


def test_each_head_uses_its_own_block_and_scale():
    rng = np.random.default_rng(2)
    Xr = rng.normal(size=(1, 3, 4))
    W = [rng.normal(size=(4, 6)) for _ in range(3)]
    _, weights = multi_head_attention(Xr, *W, rng.normal(size=(6, 2)), 3)
    head = 1  # features 2 and 3 of the projections, scale sqrt(2)
    q, k = (Xr @ W[0])[0, :, 2:4], (Xr @ W[1])[0, :, 2:4]
    np.testing.assert_allclose(weights[0, head], softmax(q @ k.T / np.sqrt(2)), rtol=1e-10)


def test_causal_weights():
    rng = np.random.default_rng(3)
    Xr = rng.normal(size=(2, 5, 4))
    _, weights = multi_head_attention(Xr, *(rng.normal(size=(4, 4)) for _ in range(4)), 2, causal=True)
    assert np.all(weights[..., ~causal_mask(5)] == 0.0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(weights[..., 0, 0], 1.0)  # the first token sees only itself


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        split_heads(np.ones((1, 2, 5)), 2)  # 5 features do not split into 2 heads
    with pytest.raises(ValueError):
        merge_heads(np.ones((2, 3, 4)))
    with pytest.raises(ValueError):
        multi_head_attention(np.ones((1, 2, 3)), np.ones((3, 3)), np.ones((3, 3)), np.ones((3, 3)), np.ones((3, 3)), 2)


def test_does_not_modify_inputs():
    x, wo = X.copy(), WO.copy()
    multi_head_attention(x, I, I, I, wo, 2, causal=True)
    split_heads(x, 2)
    np.testing.assert_array_equal(x, X)
    np.testing.assert_array_equal(wo, WO)
