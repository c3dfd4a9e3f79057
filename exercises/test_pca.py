"""Self-check for the pca exercise. Run: pytest test_pca.py"""

import numpy as np
import pytest

from pca import pca

EXERCISE = "pca"


def aligned(components, reference):
    """Flip each row of ``components`` to agree in sign with ``reference`` (either sign is correct)."""
    signs = np.sign(np.sum(components * reference, axis=1))
    return components * np.where(signs == 0, 1, signs)[:, None]


def test_pca_worked_example():
    components, projected, ratio = pca(np.array([[1, 1], [3, 3], [2, 2]]), 1)
    c = np.sqrt(0.5)
    signs = np.sign(components[0, 0])
    np.testing.assert_allclose(signs * components, [[c, c]], rtol=1e-12)
    np.testing.assert_allclose(signs * projected, [[-2 * c], [2 * c], [0.0]], atol=1e-12)
    np.testing.assert_allclose(ratio, [1.0], rtol=1e-12)


def test_pca_shapes():
    X = np.random.default_rng(0).normal(size=(7, 4))
    components, projected, ratio = pca(X, 3)
    assert components.shape == (3, 4)
    assert projected.shape == (7, 3)
    assert ratio.shape == (3,)


def test_pca_finds_the_axes_of_a_stretched_cloud():
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(200, 3)) * [5.0, 2.0, 0.5]    # spread 5, 2, 0.5 along the three axes
    Z -= Z.mean(axis=0)
    R = np.linalg.qr(rng.normal(size=(3, 3)))[0]       # a rotation
    X = Z @ R.T + [10.0, -3.0, 7.0]                    # rotated and moved away from 0
    components, projected, ratio = pca(X, 2)
    np.testing.assert_allclose(np.abs(components @ R), np.eye(3)[:2], atol=0.05)
    assert ratio[0] > ratio[1] > 0


def test_pca_components_are_orthonormal():
    X = np.random.default_rng(2).normal(size=(10, 5))
    components, _, _ = pca(X, 4)
    np.testing.assert_allclose(components @ components.T, np.eye(4), atol=1e-12)


def test_pca_projected_is_centred_data_times_components():
    X = np.random.default_rng(3).normal(size=(8, 3)) + 100.0
    components, projected, _ = pca(X, 2)
    np.testing.assert_allclose(projected, (X - X.mean(axis=0)) @ components.T, atol=1e-10)


def test_pca_ratios_sum_to_one_with_every_component():
    X = np.random.default_rng(4).normal(size=(6, 4))
    _, _, ratio = pca(X, 4)
    np.testing.assert_allclose(ratio.sum(), 1.0, rtol=1e-12)
    assert np.all(np.diff(ratio) <= 0)
    _, _, ratio2 = pca(X, 2)
    np.testing.assert_allclose(ratio2, ratio[:2], rtol=1e-12)   # not renormalised over the top 2


def test_pca_either_sign_is_fine_but_matches_numpy_svd():
    X = np.random.default_rng(5).normal(size=(9, 4))
    _, sv, rows = np.linalg.svd(X - X.mean(0), full_matrices=False)
    components, _, ratio = pca(X, 3)
    np.testing.assert_allclose(aligned(components, rows[:3]), rows[:3], atol=1e-10)
    np.testing.assert_allclose(ratio, sv[:3] ** 2 / np.sum(sv ** 2), rtol=1e-10)


def test_pca_does_not_modify_x():
    X = np.random.default_rng(6).normal(size=(5, 3))
    X0 = X.copy()
    pca(X, 2)
    np.testing.assert_array_equal(X, X0)


def test_pca_rejects_bad_input():
    with pytest.raises(ValueError):
        pca(np.ones(4), 1)
    with pytest.raises(ValueError):
        pca(np.ones((1, 3)), 1)
    with pytest.raises(ValueError):
        pca(np.random.default_rng(7).normal(size=(5, 3)), 4)
