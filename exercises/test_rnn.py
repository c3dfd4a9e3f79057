"""Self-check for the rnn exercise. Run: pytest test_rnn.py"""

import numpy as np
import pytest

from rnn import rnn_forward, rnn_step

EXERCISE = "rnn"

WX = np.array([[1.0, -1.0]])
WH = np.array([[0.0, 1.0], [-1.0, 0.0]])  # a rotation by 90 degrees: orthogonal


def test_rnn_step_worked_example():
    h = rnn_step(np.array([[1.0]]), np.array([[1.0, 0.0]]), WX, WH, np.array([0.0, 0.5]))
    np.testing.assert_allclose(h, [[np.tanh(1.0), np.tanh(0.5)]], rtol=1e-12)
    h = rnn_step(np.array([[1.0]]), np.array([[1.0, 0.0]]), WX, WH, np.array([0.0, 0.5]), activation="linear")
    np.testing.assert_allclose(h, [[1.0, 0.5]], rtol=1e-12)


def test_rnn_step_shapes_and_formula():
    rng = np.random.default_rng(0)
    N, D, H = 4, 3, 5
    x, h, Wx, Wh, b = (rng.normal(size=s) for s in ((N, D), (N, H), (D, H), (H, H), (H,)))
    out = rnn_step(x, h, Wx, Wh, b)
    assert out.shape == (N, H)
    np.testing.assert_allclose(out, np.tanh(x @ Wx + h @ Wh + b), rtol=1e-12, atol=1e-15)


def test_rnn_forward_worked_example():
    xs, h0 = np.zeros((2, 1, 1)), np.array([[1.0, 0.0]])
    np.testing.assert_allclose(rnn_forward(xs, h0, WX, WH, np.zeros(2), activation="linear"),
                               [[[0.0, 1.0]], [[-1.0, 0.0]]], atol=1e-15)
    np.testing.assert_allclose(rnn_forward(xs, h0, WX, WH, np.zeros(2)),
                               [[[0.0, np.tanh(1.0)]], [[-np.tanh(np.tanh(1.0)), 0.0]]], atol=1e-15)


def test_rnn_forward_chains_the_steps():
    rng = np.random.default_rng(1)
    T, N, D, H = 5, 2, 3, 4
    xs, h0 = rng.normal(size=(T, N, D)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(size=(D, H)), rng.normal(size=(H, H)) * 0.5, rng.normal(size=H)
    hs = rnn_forward(xs, h0, Wx, Wh, b)
    assert hs.shape == (T, N, H)
    h = h0
    for step in range(T):
        h = np.tanh(xs[step] @ Wx + h @ Wh + b)  # the state after reading xs[step]
        np.testing.assert_allclose(hs[step], h, rtol=1e-12, atol=1e-14)


def test_empty_sequence():
    assert rnn_forward(np.zeros((0, 2, 3)), np.ones((2, 4)), np.ones((3, 4)), np.eye(4), np.zeros(4)).shape == (0, 2, 4)


def test_orthogonal_linear_recurrence_keeps_norms():
    rng = np.random.default_rng(2)
    H = 5
    Q, _ = np.linalg.qr(rng.normal(size=(H, H)))  # orthogonal: Q.T @ Q = I
    h0 = rng.normal(size=(3, H))
    hs = rnn_forward(np.zeros((10, 3, 2)), h0, rng.normal(size=(2, H)), Q, np.zeros(H), activation="linear")
    np.testing.assert_allclose(np.linalg.norm(hs, axis=-1), np.broadcast_to(np.linalg.norm(h0, axis=-1), (10, 3)),
                               rtol=1e-12)
    hs = rnn_forward(np.zeros((10, 3, 2)), h0, rng.normal(size=(2, H)), Q, np.zeros(H))  # tanh: norms shrink
    norms = np.linalg.norm(np.concatenate([h0[None], hs]), axis=-1)
    assert np.all(norms[1:] <= norms[:-1] * (1 + 1e-12))


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        rnn_step(np.ones((2, 3)), np.ones((2, 4)), np.ones((3, 4)), np.ones((4, 1)), np.ones(4))  # Wh not (H, H)
    with pytest.raises(ValueError):
        rnn_step(np.ones((2, 3)), np.ones((2, 4)), np.ones((3, 4)), np.eye(4), np.ones(4), activation="relu")
    with pytest.raises(ValueError):
        rnn_forward(np.ones((5, 3)), np.ones((1, 4)), np.ones((3, 4)), np.eye(4), np.ones(4))  # xs not (T, N, D)


def test_does_not_modify_inputs():
    xs, h0 = np.ones((3, 2, 1)), np.array([[1.0, 0.0], [0.0, 2.0]])
    saved = h0.copy()
    rnn_forward(xs, h0, WX, WH, np.zeros(2))
    rnn_step(xs[0], h0, WX, WH, np.zeros(2))
    np.testing.assert_array_equal(h0, saved)
    np.testing.assert_array_equal(xs, 1.0)
