"""Self-check for the optimizers exercise. Run: pytest test_optimizers.py"""

import numpy as np
import pytest

from optimizers import adam_step, momentum_step, sgd_step

EXERCISE = "optimizers"

W = np.array([1.0, -2.0])
DW = np.array([0.5, -1.0])


def test_sgd_worked_example():
    np.testing.assert_allclose(sgd_step(W, DW, lr=0.1), [0.95, -1.9])


def test_sgd_does_not_modify_inputs():
    w, dw = W.copy(), DW.copy()
    sgd_step(w, dw, lr=0.1)
    np.testing.assert_array_equal(w, W)
    np.testing.assert_array_equal(dw, DW)


def test_sgd_rejects_different_shapes():
    with pytest.raises(ValueError):
        sgd_step(np.ones(3), np.ones(1))


def test_momentum_worked_example_two_steps():
    w1, v1 = momentum_step(W, DW, np.zeros(2), lr=0.1, beta=0.9)
    np.testing.assert_allclose(v1, [-0.05, 0.1])
    np.testing.assert_allclose(w1, [0.95, -1.9])
    w2, v2 = momentum_step(w1, DW, v1, lr=0.1, beta=0.9)
    np.testing.assert_allclose(v2, [-0.095, 0.19])
    np.testing.assert_allclose(w2, [0.855, -1.71])


def test_momentum_does_not_modify_inputs():
    v = np.array([0.2, -0.3])
    momentum_step(W.copy(), DW.copy(), v, lr=0.1, beta=0.9)
    np.testing.assert_array_equal(v, [0.2, -0.3])


def test_momentum_rejects_different_shapes():
    with pytest.raises(ValueError):
        momentum_step(np.ones(3), np.ones(3), np.zeros(1))


def test_adam_worked_example_first_step():
    w_new, m_new, v_new = adam_step(W, DW, np.zeros(2), np.zeros(2), t=1, lr=0.1)
    np.testing.assert_allclose(m_new, [0.05, -0.1])
    np.testing.assert_allclose(v_new, [0.00025, 0.001])
    np.testing.assert_allclose(w_new, [0.9, -1.9], rtol=1e-7)


def test_adam_first_step_moves_each_entry_by_about_lr():
    dw = np.array([1e-3, -5.0, 200.0])   # very different gradient sizes
    w_new, _, _ = adam_step(np.zeros(3), dw, np.zeros(3), np.zeros(3), t=1, lr=0.01)
    np.testing.assert_allclose(w_new, -0.01 * np.sign(dw), rtol=1e-4)


def test_adam_second_step_uses_t_2():
    w1, m1, v1 = adam_step(W, DW, np.zeros(2), np.zeros(2), t=1, lr=0.1)
    w2, m2, v2 = adam_step(w1, DW, m1, v1, t=2, lr=0.1)
    m_hat = m2 / (1 - 0.9 ** 2)
    v_hat = v2 / (1 - 0.999 ** 2)
    np.testing.assert_allclose(w2, w1 - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-12)


def test_adam_minimises_a_bowl():
    target = np.array([3.0, -1.0, 0.5])
    w, m, v = np.zeros(3), np.zeros(3), np.zeros(3)
    for t in range(1, 2001):
        w, m, v = adam_step(w, 2 * (w - target), m, v, t, lr=0.05)
    np.testing.assert_allclose(w, target, atol=1e-3)


def test_adam_does_not_modify_inputs():
    m, v = np.array([0.1, 0.2]), np.array([0.3, 0.4])
    adam_step(W.copy(), DW.copy(), m, v, t=3)
    np.testing.assert_array_equal(m, [0.1, 0.2])
    np.testing.assert_array_equal(v, [0.3, 0.4])


def test_adam_rejects_t_below_1_and_different_shapes():
    with pytest.raises(ValueError):
        adam_step(W, DW, np.zeros(2), np.zeros(2), t=0)
    with pytest.raises(ValueError):
        adam_step(W, DW, np.zeros(1), np.zeros(2), t=1)
