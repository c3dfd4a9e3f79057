"""The unit "structure" references (solve, rank, low_rank, pca, eigen, orthogonality) and the
fairness of their checks, against independent implementations: numpy.linalg and PyTorch (float64).

Two kinds of tests:

- each reference against numpy/PyTorch on generated inputs (solve and inverse against
  ``np.linalg.solve`` / ``torch.linalg.solve`` / ``inv``, ranks against ``matrix_rank``, truncated
  SVDs against ``torch.linalg.svd``, PCA against the covariance's ``eigh``, power iteration against
  ``eigh``, Gram–Schmidt against a sign-fixed ``qr``, parameter counts against ``torch.nn.Linear``);
- the hidden checks' verdicts applied to the *library's* answers on the checks' own examples: a
  check that rejected LAPACK's solve, torch's SVD or QR, or numpy's rank would reject a correct
  learner too.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from graders import strategies as gs
from graders.checks import Outcome, load_checks
from graders.examples import generate, reference_module

from .conftest import ROOT

SETTINGS = settings(max_examples=40, deadline=None, database=None, derandomize=True)
N_EXAMPLES = 30


def ref(module: str):
    return reference_module(ROOT / "solutions", module)


def t64(a) -> torch.Tensor:
    return torch.as_tensor(np.asarray(a, dtype=np.float64))


def check(module: str, function: str, name: str):
    return next(c for c in load_checks(module) if c.function == function and c.name == name)


def examples(module: str, function: str, name: str):
    c = check(module, function, name)
    return c, generate(c, 20261121, N_EXAMPLES)


def judge(c, example, value):
    """The check's verdict on ``value`` as the learner's outcome (the reference's as reference)."""
    mod = ref(c.verdict.__module__.rsplit(".", 1)[-1])
    expected = [Outcome("value", value=getattr(mod, call.function)(*call.args.args, **call.args.kwargs))
                for call in c.calls(example)]
    return c.verdict(example, [Outcome("value", value=value)], expected)


@st.composite
def regular_systems(draw):
    n = draw(st.integers(1, 8))
    rng = draw(gs.seeded_rngs())
    A = gs.with_singular_values(rng, n, n, rng.uniform(1.0, 100.0, size=n))
    b = rng.standard_normal((n,) if draw(st.booleans()) else (n, draw(st.integers(1, 3))))
    return A, b


# --- solve, inverse ------------------------------------------------------------------------------

@SETTINGS
@given(regular_systems())
def test_solve_and_inverse_match_numpy_and_torch(system):
    A, b = system
    x = ref("solve").solve(A, b)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(x, torch.linalg.solve(t64(A), t64(b)).numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ref("solve").inverse(A), torch.linalg.inv(t64(A)).numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["solves_the_system", "pivots_on_the_largest_entry"])
def test_solve_checks_accept_lapack(name):
    c, found = examples("solve", "solve", name)
    for example in found:
        A, b = (np.asarray(a, dtype=np.float64) for a in example.args)
        if A.shape[0] == 0:
            continue
        assert judge(c, example, np.linalg.solve(A, b)) is None
        assert judge(c, example, torch.linalg.solve(t64(A), t64(b)).numpy()) is None


def test_inverse_check_accepts_lapack():
    c, found = examples("solve", "inverse", "matches_the_inverse")
    for example in found:
        A = np.asarray(example.args[0], dtype=np.float64)
        if A.shape[0]:
            assert judge(c, example, np.linalg.inv(A)) is None
            assert judge(c, example, torch.linalg.inv(t64(A)).numpy()) is None


@pytest.mark.parametrize("name", ["rejects_singular", "inverse_rejects_singular"])
def test_singular_examples_are_singular_for_numpy(name):
    """Every matrix the singular checks use is rank-deficient by numpy's own rank test, and numpy's
    smallest singular value is below 1e-12 of the largest (far below the contract's 1e-10 pivots)."""
    function = "solve" if name == "rejects_singular" else "inverse"
    for example in examples("solve", function, name)[1]:
        A = np.asarray(example.args[0], dtype=np.float64)
        assert np.linalg.matrix_rank(A) < A.shape[0]
        s = np.linalg.svd(A, compute_uv=False)
        assert s[-1] <= 1e-12 * max(s[0], 1e-300)


# --- rank ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["counts_singular_values", "uses_the_given_tol", "tolerance_is_relative",
                                  "handles_edge_cases"])
def test_rank_matches_numpy_and_torch_on_the_check_examples(name):
    c, found = examples("rank", "matrix_rank", name)
    for example in found:
        A, tol = example.args[0], (example.args[1:] or [example.kwargs.get("tol")])[0]
        expected = ref("rank").matrix_rank(A, tol)
        assert expected == np.linalg.matrix_rank(A, tol=tol)
        assert judge(c, example, int(np.linalg.matrix_rank(A, tol=tol))) is None
        if np.asarray(A).size:  # torch: rank from its own SVD (gesvd/gesdd), float64
            s = torch.linalg.svdvals(t64(A))
            cut = max(np.shape(A)) * torch.finfo(torch.float64).eps * s.max() if tol is None else float(tol)
            if tol is None and np.asarray(A).dtype == np.float32:
                continue  # numpy's float32 convention (eps of float32) has no torch float64 analogue
            assert int((s > cut).sum()) == expected


# --- low_rank ------------------------------------------------------------------------------------

@SETTINGS
@given(st.integers(1, 7), st.integers(1, 7), st.integers(0, 8), gs.seeded_rngs())
def test_low_rank_matches_torch_svd_and_eckart_young(m, n, r, rng):
    W = rng.standard_normal((m, n))
    U, s, Vh = torch.linalg.svd(t64(W), full_matrices=False)
    expected = (U[:, :r] * s[:r]) @ Vh[:r]
    got = ref("low_rank").low_rank_approx(W, r)
    np.testing.assert_allclose(got, expected.numpy(), atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(W - got), float(torch.sqrt(torch.sum(s[r:] ** 2))), atol=1e-12)


@pytest.mark.parametrize("name", ["best_rank_r", "keeps_everything"])
def test_low_rank_checks_accept_torch(name):
    c, found = examples("low_rank", "low_rank_approx", name)
    for example in found:
        W, r = example.args
        U, s, Vh = torch.linalg.svd(t64(W), full_matrices=False)
        assert judge(c, example, ((U[:, :r] * s[:r]) @ Vh[:r]).numpy()) is None


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors")
@pytest.mark.parametrize("m, n, r", [(512, 512, 16), (4, 6, 3), (1000, 10, 1), (7, 3, 0), (3, 5, 9)])
def test_parameter_savings_match_torch_layers(m, n, r):
    full = sum(p.numel() for p in torch.nn.Linear(m, n, bias=False).parameters())
    factored = sum(p.numel() for p in torch.nn.Sequential(torch.nn.Linear(m, r, bias=False),
                                                           torch.nn.Linear(r, n, bias=False)).parameters())
    assert ref("low_rank").parameter_savings((m, n), r) == full - factored


# --- pca -----------------------------------------------------------------------------------------

def pca_by_eigh(X, k):
    """PCA from torch's eigh of the covariance (an independent route)."""
    Xt = t64(X)
    Xc = Xt - Xt.mean(dim=0)
    values, vectors = torch.linalg.eigh(Xc.T @ Xc / (Xt.shape[0] - 1))
    values, vectors = values.flip(0), vectors.flip(1)
    C = vectors[:, :k].T
    return C.numpy(), (Xc @ C.T).numpy(), (values[:k] / values.sum()).numpy()


@pytest.mark.parametrize("name", ["components_match", "components_orthonormal",
                                  "projected_matches_components", "explained_variance"])
def test_pca_checks_accept_the_covariance_route(name):
    c, found = examples("pca", "pca", name)
    for example in found:
        if np.asarray(example.args[0]).shape[1] == 0:
            continue
        assert judge(c, example, pca_by_eigh(*example.args)) is None


@SETTINGS
@given(st.integers(3, 9), st.integers(1, 6), gs.seeded_rngs())
def test_pca_matches_torch_svd(N, D, rng):
    X = rng.standard_normal((N, D)) * rng.uniform(0.5, 5.0, size=D) + 10.0
    k = min(N - 1, D)
    components, projected, ratio = ref("pca").pca(X, k)
    Xc = t64(X) - t64(X).mean(dim=0)
    _, s, Vh = torch.linalg.svd(Xc, full_matrices=False)
    signs = np.sign(np.sum(components * Vh[:k].numpy(), axis=1))
    np.testing.assert_allclose(components * signs[:, None], Vh[:k].numpy(), atol=1e-8)
    np.testing.assert_allclose(projected, Xc.numpy() @ components.T, atol=1e-10)
    np.testing.assert_allclose(ratio, (s[:k] ** 2 / torch.sum(s ** 2)).numpy(), atol=1e-12)


# --- eigen ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["finds_the_dominant_eigenpair", "keeps_the_sign", "returns_a_unit_vector"])
def test_power_iteration_finds_torch_eigh_pair(name):
    c, found = examples("eigen", "power_iteration", name)
    for example in found:
        A = example.args[0]
        values, vectors = torch.linalg.eigh(t64(A))
        top = int(torch.argmax(values.abs()))
        value, vector = ref("eigen").power_iteration(*example.args)
        assert abs(value - float(values[top])) <= 1e-9 * abs(float(values[top]))
        assert abs(abs(float(t64(vector) @ vectors[:, top])) - 1) <= 1e-9
        # and the check accepts torch's own eigenpair
        assert judge(c, example, (float(values[top]), vectors[:, top].numpy())) is None


def test_power_iteration_procedure_matches_torch():
    c, found = examples("eigen", "power_iteration", "follows_the_procedure")
    for example in found:
        A, iters, seed = example.args
        At = t64(A)
        x = t64(np.random.default_rng(seed).standard_normal(At.shape[0]))
        x = x / torch.linalg.vector_norm(x)
        for _ in range(iters):
            y = At @ x
            x = y / torch.linalg.vector_norm(y)
        value, vector = ref("eigen").power_iteration(A, iters, seed)
        np.testing.assert_allclose(vector, x.numpy(), rtol=1e-9, atol=1e-12)
        assert judge(c, example, (float(x @ At @ x), x.numpy())) is None


# --- orthogonality -------------------------------------------------------------------------------

def qr_signed(A):
    """torch's Householder QR with R's diagonal made positive: the Gram–Schmidt Q."""
    Q, R = torch.linalg.qr(t64(A))
    signs = torch.sign(torch.diagonal(R))
    return (Q * torch.where(signs == 0, 1.0, signs)).numpy()


def test_gram_schmidt_matches_torch_qr():
    c, found = examples("orthogonality", "gram_schmidt", "matches_gram_schmidt")
    for example in found:
        A = example.args[0]
        np.testing.assert_allclose(ref("orthogonality").gram_schmidt(A), qr_signed(A), atol=1e-9)
        assert judge(c, example, qr_signed(A)) is None


def test_orthogonal_init_matches_torch_qr_of_the_same_draw():
    c, found = examples("orthogonality", "orthogonal_init", "follows_the_recipe")
    for example in found:
        n, seed = example.args
        expected = qr_signed(np.random.default_rng(seed).standard_normal((n, n)))
        np.testing.assert_allclose(ref("orthogonality").orthogonal_init(n, seed), expected, atol=1e-9)
        assert judge(c, example, expected) is None


@pytest.mark.parametrize("name, answer", [("accepts_orthonormal_columns", True),
                                          ("rejects_other_matrices", False)])
def test_is_orthogonal_matches_torch(name, answer):
    for example in examples("orthogonality", "is_orthogonal", name)[1]:
        Q = t64(example.args[0])
        tol = (example.args[1:] or [example.kwargs.get("tol", 1e-10)])[0]
        deviation = (Q.T @ Q - torch.eye(Q.shape[1], dtype=torch.float64)).abs()
        assert bool((deviation <= tol).all()) is answer
        assert ref("orthogonality").is_orthogonal(*example.args, **example.kwargs) is answer
