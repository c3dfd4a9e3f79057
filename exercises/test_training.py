"""Self-check for the training exercise. Run: pytest test_training.py"""

import numpy as np
import pytest

from training import train_mlp

EXERCISE = "training"


def line_data():
    X = np.array([[0.0], [0.5], [1.0], [1.5]])
    return X, 2 * X + 1


def initial_params(D, H, O, seed):
    """The documented initialisation, written out."""
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((D, H)) * np.sqrt(2.0 / D)
    W2 = rng.standard_normal((H, O)) * np.sqrt(2.0 / H)
    return {"W1": W1, "b1": np.zeros(H), "W2": W2, "b2": np.zeros(O)}


def mse_of(params, X, Y):
    hidden = np.maximum(X @ params["W1"] + params["b1"], 0)
    return np.mean((hidden @ params["W2"] + params["b2"] - Y) ** 2)


def test_shapes():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    params, losses = train_mlp(X, Y, hidden=4, lr=0.01, epochs=5, seed=1)
    assert set(params) == {"W1", "b1", "W2", "b2"}
    assert params["W1"].shape == (3, 4) and params["b1"].shape == (4,)
    assert params["W2"].shape == (4, 2) and params["b2"].shape == (2,)
    assert np.shape(losses) == (5,)


def test_zero_epochs_returns_the_documented_initialisation():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    params, losses = train_mlp(X, Y, hidden=4, lr=0.1, epochs=0, seed=7)
    assert np.shape(losses) == (0,)
    for k, v in initial_params(3, 4, 2, seed=7).items():
        np.testing.assert_allclose(params[k], v, rtol=1e-12, err_msg=k)


def test_first_loss_is_the_loss_of_the_initial_network():
    X, Y = line_data()
    _, losses = train_mlp(X, Y, hidden=8, lr=0.05, epochs=3, seed=0)
    np.testing.assert_allclose(losses[0], mse_of(initial_params(1, 8, 1, seed=0), X, Y), rtol=1e-12)


def test_one_epoch_is_one_gradient_descent_step():
    X, Y = line_data()
    p = initial_params(1, 8, 1, seed=3)
    Z1 = X @ p["W1"]
    hidden = np.maximum(Z1, 0.0)
    dY = 2 * (hidden @ p["W2"] - Y) / Y.size
    dZ1 = (dY @ p["W2"].T) * (Z1 > 0)
    expected = {"W1": p["W1"] - 0.05 * X.T @ dZ1, "b1": -0.05 * dZ1.sum(axis=0),
                "W2": p["W2"] - 0.05 * hidden.T @ dY, "b2": -0.05 * dY.sum(axis=0)}
    params, _ = train_mlp(X, Y, hidden=8, lr=0.05, epochs=1, seed=3)
    for k in expected:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-10, atol=1e-14, err_msg=k)


def test_same_seed_same_run_other_seed_other_run():
    X, Y = line_data()
    _, a = train_mlp(X, Y, hidden=8, lr=0.05, epochs=10, seed=0)
    _, b = train_mlp(X, Y, hidden=8, lr=0.05, epochs=10, seed=0)
    _, c = train_mlp(X, Y, hidden=8, lr=0.05, epochs=10, seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_loss_goes_down_on_a_line():
    X, Y = line_data()
    _, losses = train_mlp(X, Y, hidden=8, lr=0.05, epochs=300, seed=0)
    assert losses[-1] < 0.01 * losses[0]


def test_does_not_modify_the_data():
    X, Y = line_data()
    X0, Y0 = X.copy(), Y.copy()
    train_mlp(X, Y, hidden=4, lr=0.05, epochs=3, seed=0)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)


def test_rejects_bad_input():
    X, Y = line_data()
    with pytest.raises(ValueError):
        train_mlp(X, Y[:, 0], hidden=4, lr=0.05, epochs=3, seed=0)   # Y must be (N, O)
    with pytest.raises(ValueError):
        train_mlp(X, Y[:3], hidden=4, lr=0.05, epochs=3, seed=0)     # rows differ
    with pytest.raises(ValueError):
        train_mlp(X, Y, hidden=0, lr=0.05, epochs=3, seed=0)
