"""Self-check for the preprocessing exercise (min_max_scale, standardize, train_val_split).
Run: pytest test_preprocessing.py"""

import numpy as np
import pytest

from preprocessing import min_max_scale, standardize, train_val_split

EXERCISE = "preprocessing"

X = np.array([[1, 10, 5], [2, 30, 5], [3, 20, 5]])  # the last column is constant


def test_min_max_scale_worked_example():
    np.testing.assert_allclose(min_max_scale(X), [[0, 0, 0], [0.5, 1, 0], [1, 0.5, 0]], atol=1e-15)


def test_standardize_worked_example():
    r = np.sqrt(1.5)  # 1.2247...
    np.testing.assert_allclose(standardize(X), [[-r, -r, 0], [0, r, 0], [r, 0, 0]], atol=1e-12)


def test_scaled_columns_have_the_promised_statistics():
    rng = np.random.default_rng(0)
    data = rng.normal(loc=[0.0, 50.0, -3.0], scale=[1.0, 10.0, 0.01], size=(20, 3))
    mm = min_max_scale(data)
    np.testing.assert_allclose(mm.min(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(mm.max(axis=0), 1.0, atol=1e-15)
    z = standardize(data)
    np.testing.assert_allclose(z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(z.std(axis=0), 1.0, rtol=1e-12)


def test_constant_columns_become_zero():
    data = np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 4.0]])  # np.std of column 0 is 1.4e-17, not 0
    np.testing.assert_array_equal(min_max_scale(data)[:, 0], 0.0)
    np.testing.assert_array_equal(standardize(data)[:, 0], 0.0)
    np.testing.assert_array_equal(standardize(np.array([[7.0, 1.0]])), [[0.0, 0.0]])  # one row


def test_scalers_reject_bad_input():
    for bad in [np.array([1.0, 2.0, 3.0]), np.zeros((0, 3))]:
        for f in (min_max_scale, standardize):
            with pytest.raises(ValueError):
                f(bad)


@pytest.mark.parametrize("N, val_fraction, n_val", [(10, 0.3, 3), (12, 0.2, 2), (15, 0.1, 2),
                                                    (5, 0.1, 0), (25, 0.1, 2), (7, 0.0, 0),
                                                    (7, 1.0, 7), (0, 0.3, 0)])
def test_split_sizes(N, val_fraction, n_val):
    X_train, X_val, Y_train, Y_val = train_val_split(np.zeros((N, 2)), np.zeros(N), val_fraction, 0)
    assert X_val.shape == (n_val, 2) and Y_val.shape == (n_val,)
    assert X_train.shape == (N - n_val, 2) and Y_train.shape == (N - n_val,)


def test_split_is_a_partition_and_keeps_pairs():
    N = 20
    Xs = np.arange(2 * N).reshape(N, 2)   # row n is [2n, 2n + 1]
    Ys = np.arange(N) * 10                # target of row n is 10 n
    X_train, X_val, Y_train, Y_val = train_val_split(Xs, Ys, 0.3, seed=42)
    rows = np.concatenate([X_train[:, 0], X_val[:, 0]]) // 2
    assert sorted(rows.tolist()) == list(range(N))   # every row exactly once
    np.testing.assert_array_equal(Y_train, X_train[:, 0] * 5)
    np.testing.assert_array_equal(Y_val, X_val[:, 0] * 5)


def test_split_is_reproducible_and_depends_on_the_seed():
    Xs, Ys = np.arange(60).reshape(30, 2), np.arange(30)
    first = train_val_split(Xs, Ys, 0.3, seed=7)
    again = train_val_split(Xs, Ys, 0.3, seed=7)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    others = [train_val_split(Xs, Ys, 0.3, seed=s)[1] for s in (8, 9)]
    assert not all(np.array_equal(first[1], o) for o in others)


def test_split_rejects_bad_input():
    with pytest.raises(ValueError):
        train_val_split(np.zeros((4, 2)), np.zeros(4), 1.5, 0)
    with pytest.raises(ValueError):
        train_val_split(np.zeros((4, 2)), np.zeros(3), 0.5, 0)


def test_inputs_are_not_modified():
    Xs, Ys = np.arange(20.0).reshape(10, 2), np.arange(10.0)
    X0, Y0 = Xs.copy(), Ys.copy()
    min_max_scale(Xs)
    standardize(Xs)
    train_val_split(Xs, Ys, 0.3, 1)
    np.testing.assert_array_equal(Xs, X0)
    np.testing.assert_array_equal(Ys, Y0)
