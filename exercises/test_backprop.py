"""Self-check for the backprop exercise. Run: pytest test_backprop.py"""

import numpy as np
import pytest

from backprop import linear_backward, linear_forward, mlp_loss_and_grads, relu_backward

EXERCISE = "backprop"


def _params(rng, D=3, H=4, O=2):
    return {
        "W1": rng.normal(size=(D, H)),
        "b1": rng.normal(size=H),
        "W2": rng.normal(size=(H, O)),
        "b2": rng.normal(size=O),
    }


def test_linear_forward_worked_example():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    W = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    b = np.array([0.5, -0.5, 0.0])
    np.testing.assert_allclose(linear_forward(X, W, b), [[1.5, 1.5, 3.0], [3.5, 3.5, 7.0]])


def test_linear_backward_worked_example():
    dZ = np.array([[1.0, 0.0], [0.0, 2.0]])
    X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    dX, dW, db = linear_backward(dZ, X, W)
    np.testing.assert_allclose(dX, [[1.0, 0.0, 1.0], [0.0, 2.0, 2.0]], atol=1e-12)
    np.testing.assert_allclose(dW, [[1.0, 8.0], [2.0, 10.0], [3.0, 12.0]], atol=1e-12)
    np.testing.assert_allclose(db, [1.0, 2.0])


def test_linear_backward_shapes_and_values():
    rng = np.random.default_rng(0)
    N, D, H = 5, 3, 4
    X, W, dZ = rng.normal(size=(N, D)), rng.normal(size=(D, H)), rng.normal(size=(N, H))
    dX, dW, db = linear_backward(dZ, X, W)
    assert (dX.shape, dW.shape, db.shape) == ((N, D), (D, H), (H,))
    np.testing.assert_allclose(dX, dZ @ W.T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dW, X.T @ dZ, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(db, dZ.sum(axis=0), rtol=1e-10, atol=1e-12)


def test_relu_backward_worked_example():
    out = relu_backward(np.array([[1.0, 2.0, 3.0]]), np.array([[-1.0, 0.0, 4.0]]))
    np.testing.assert_allclose(out, [[0.0, 0.0, 3.0]], atol=0)


def test_mlp_loss_and_grads_worked_example():
    params = {"W1": np.array([[1.0]]), "b1": np.array([0.0]), "W2": np.array([[2.0]]), "b2": np.array([1.0])}
    loss, grads = mlp_loss_and_grads(np.array([[1.0], [2.0]]), np.array([[3.0], [1.0]]), params)
    np.testing.assert_allclose(loss, 8.0)
    np.testing.assert_allclose(grads["W1"], [[16.0]])
    np.testing.assert_allclose(grads["b1"], [8.0])
    np.testing.assert_allclose(grads["W2"], [[8.0]])
    np.testing.assert_allclose(grads["b2"], [4.0])


def test_mlp_loss_and_grads_keys_and_shapes():
    rng = np.random.default_rng(1)
    params = _params(rng)
    loss, grads = mlp_loss_and_grads(rng.normal(size=(5, 3)), rng.normal(size=(5, 2)), params)
    assert np.ndim(loss) == 0
    assert set(grads) == set(params)
    for k in params:
        assert np.shape(grads[k]) == params[k].shape, k


def test_mlp_loss_and_grads_match_finite_differences():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    params = _params(rng)
    _, grads = mlp_loss_and_grads(X, Y, params)
    eps = 1e-6
    for k in params:
        numeric = np.zeros_like(params[k])
        for idx in np.ndindex(params[k].shape):
            plus = {name: p.copy() for name, p in params.items()}
            minus = {name: p.copy() for name, p in params.items()}
            plus[k][idx] += eps
            minus[k][idx] -= eps
            numeric[idx] = (mlp_loss_and_grads(X, Y, plus)[0] - mlp_loss_and_grads(X, Y, minus)[0]) / (2 * eps)
        np.testing.assert_allclose(grads[k], numeric, rtol=1e-4, atol=1e-7, err_msg=k)


def test_mlp_loss_and_grads_rejects_wrong_target_shape():
    rng = np.random.default_rng(3)
    params = _params(rng, O=1)
    with pytest.raises(ValueError):
        mlp_loss_and_grads(rng.normal(size=(4, 3)), rng.normal(size=4), params)  # Y must be (4, 1)


def test_mlp_loss_and_grads_does_not_modify_inputs():
    rng = np.random.default_rng(4)
    X, Y, params = rng.normal(size=(4, 3)), rng.normal(size=(4, 2)), _params(rng)
    X0, Y0 = X.copy(), Y.copy()
    params0 = {k: v.copy() for k, v in params.items()}
    mlp_loss_and_grads(X, Y, params)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
    for k in params0:
        np.testing.assert_array_equal(params[k], params0[k])
