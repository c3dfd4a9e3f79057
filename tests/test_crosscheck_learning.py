"""The learning references (gradient_check, optimizers, training) and the facts their checks rely
on, checked against an independent implementation: PyTorch (float64, CPU).

- the catalogue functions and their exact gradients (used by the gradient_check checks) against
  torch's autograd, and the reference's numerical gradient against the same within the checks' bound;
- sgd, momentum and Adam against ``torch.optim`` over multi-step runs;
- ``train_mlp`` against the same network trained with torch autograd, and the training checks'
  running error bounds against the difference between the two.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders.checks import args
from graders.checks import gradient_check as gc_checks
from graders.checks import optimizers as opt_checks
from graders.checks import training as training_checks
from graders.examples import reference_module
from graders.sandbox.catalogue import Catalogued

from .conftest import ROOT

SETTINGS = settings(max_examples=40, deadline=None, database=None, derandomize=True)
TOL = dict(rtol=1e-10, atol=1e-12)


def ref(module):
    return reference_module(ROOT / "solutions", module)


def floats(bound=10.0):
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def t(x, grad=False):
    return torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


# --- gradient_check --------------------------------------------------------------------------------

def torch_value(f: Catalogued, x: torch.Tensor) -> torch.Tensor:
    """The catalogue function, written again in torch."""
    x = x.reshape(-1)
    p = {k: t(v) for k, v in f.params.items()}
    if f.name == "quadratic":
        return 0.5 * x @ p["A"] @ x + p["b"] @ x
    if f.name == "sines":
        return torch.sum(p["a"] * torch.sin(p["w"] * x))
    if f.name == "log_sum_exp":
        return torch.logsumexp(x, dim=0)
    return torch.sum(p["v"] * torch.relu(p["W"] @ x + p["b"]))


@SETTINGS
@given(gc_checks.catalogued_calls())
def test_catalogue_values_and_exact_gradients_match_torch(example):
    f, x = example.args[:2]
    xt = t(x, grad=True)
    value = torch_value(f, xt)
    value.backward()
    np.testing.assert_allclose(f(x), value.item(), rtol=1e-12, atol=1e-12)
    info = gc_checks.analysis(f, x)
    np.testing.assert_allclose(info["g"].reshape(np.shape(x)), xt.grad.numpy(), rtol=1e-11, atol=1e-12)
    # the evaluation bound E really bounds the difference to torch's evaluation (another order)
    assert abs(f(x) - value.item()) <= 2 * info["E"] + 1e-300


@SETTINGS
@given(gc_checks.catalogued_calls())
def test_numerical_gradient_is_within_the_checks_bound_of_torch_autograd(example):
    f, x = example.args[:2]
    h = gc_checks.step_of(example)
    xt = t(x, grad=True)
    torch_value(f, xt).backward()
    grad = ref("gradient_check").numerical_gradient(*example.args, **example.kwargs)
    _, bound, _ = gc_checks.difference_bounds(f, x, h)
    assert np.all(np.abs(grad - xt.grad.numpy()) <= bound)


@SETTINGS
@given(st.integers(0, 2).flatmap(lambda nd: st.tuples(
    hnp.arrays(np.float64, (3,) * nd, elements=floats()), hnp.arrays(np.float64, (3,) * nd, elements=floats()))))
def test_relative_error_matches_torch_norms(pair):
    a, b = pair
    at, bt = t(a), t(b)
    denominator = (torch.linalg.vector_norm(at) + torch.linalg.vector_norm(bt)).item()
    expected = 0.0 if denominator == 0 else (torch.linalg.vector_norm(at - bt).item() / denominator)
    np.testing.assert_allclose(ref("gradient_check").relative_error(a, b), expected, **TOL)


# --- optimizers ------------------------------------------------------------------------------------

def bowl_gradients(shape, steps, seed):
    """A fixed sequence of gradients (as if from a noisy loss), the same for both sides."""
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) * rng.choice([1e-3, 1.0, 100.0]) for _ in range(steps)]


@SETTINGS
@given(st.integers(0, 10 ** 6), st.sampled_from([0.1, 0.01]), st.sampled_from([0.0, 0.5, 0.9]))
def test_sgd_and_momentum_match_torch_optim(seed, lr, beta):
    opt = ref("optimizers")
    w0 = np.random.default_rng(seed + 1).normal(size=(3, 4))
    grads = bowl_gradients((3, 4), 8, seed)
    p = torch.nn.Parameter(t(w0))
    sgd = torch.optim.SGD([p], lr=lr, momentum=beta)
    w, v = w0, np.zeros_like(w0)
    w_plain = w0
    for g in grads:
        p.grad = t(g)
        sgd.step()
        w, v = opt.momentum_step(w, g, v, lr=lr, beta=beta)
        w_plain = opt.sgd_step(w_plain, g, lr=lr)
        np.testing.assert_allclose(w, p.detach().numpy(), **TOL)
        # torch keeps buf = beta·buf + g and steps w -= lr·buf: our v is -lr·buf
        if beta > 0:
            np.testing.assert_allclose(v, -lr * sgd.state[p]["momentum_buffer"].numpy(), **TOL)
    if beta == 0:
        np.testing.assert_allclose(w_plain, p.detach().numpy(), **TOL)


@SETTINGS
@given(st.integers(0, 10 ** 6), st.sampled_from([(0.9, 0.999), (0.5, 0.9), (0.0, 0.99)]),
       st.sampled_from([1e-3, 0.1]), st.sampled_from([1e-8, 1e-6]))
def test_adam_matches_torch_optim_over_a_run(seed, betas, lr, eps):
    opt = ref("optimizers")
    w0 = np.random.default_rng(seed + 1).normal(size=(5,))
    p = torch.nn.Parameter(t(w0))
    adam = torch.optim.Adam([p], lr=lr, betas=betas, eps=eps)
    w, m, v = w0, np.zeros(5), np.zeros(5)
    for step, g in enumerate(bowl_gradients((5,), 10, seed), start=1):
        p.grad = t(g)
        adam.step()
        call = args(p.detach().numpy().copy(), g, m, v, step, lr=lr, beta1=betas[0], beta2=betas[1], eps=eps)
        w_bound, m_bound, v_bound = opt_checks.adam_bounds(args(w, g, m, v, step, lr=lr, beta1=betas[0],
                                                                beta2=betas[1], eps=eps))
        w, m, v = opt.adam_step(w, g, m, v, step, lr=lr, beta1=betas[0], beta2=betas[1], eps=eps)
        state = adam.state[p]
        # torch groups the same formula differently: the checks' bounds must accept it
        assert np.all(np.abs(m - state["exp_avg"].numpy()) <= m_bound)
        assert np.all(np.abs(v - state["exp_avg_sq"].numpy()) <= v_bound)
        assert np.all(np.abs(w - call.args[0]) <= w_bound)
        # keep both runs on exactly the same state, so that each step is compared on its own
        with torch.no_grad():
            p.copy_(t(w))
        state["exp_avg"].copy_(t(m))
        state["exp_avg_sq"].copy_(t(v))


# --- training --------------------------------------------------------------------------------------

def torch_training(X, Y, hidden, lr, epochs, seed):
    """train_mlp's contract with torch's autograd and matmul; initialisation from numpy's generator."""
    X, Y = t(X), t(Y)
    D, O = X.shape[1], Y.shape[1]
    rng = np.random.default_rng(seed)
    W1 = torch.nn.Parameter(t(rng.standard_normal((D, hidden)) * np.sqrt(2.0 / D)))
    b1 = torch.nn.Parameter(torch.zeros(hidden, dtype=torch.float64))
    W2 = torch.nn.Parameter(t(rng.standard_normal((hidden, O)) * np.sqrt(2.0 / hidden)))
    b2 = torch.nn.Parameter(torch.zeros(O, dtype=torch.float64))
    params = [W1, b1, W2, b2]
    sgd = torch.optim.SGD(params, lr=lr)
    losses = []
    for _ in range(epochs):
        sgd.zero_grad()
        loss = torch.nn.functional.mse_loss(torch.relu(X @ W1 + b1) @ W2 + b2, Y)
        loss.backward()
        losses.append(loss.item())
        sgd.step()
    return dict(zip(("W1", "b1", "W2", "b2"), (p.detach().numpy() for p in params))), np.array(losses)


@SETTINGS
@given(training_checks.training_runs())
def test_train_mlp_matches_torch_within_the_checks_bounds(example):
    X, Y, hidden, lr, epochs, seed = example.args
    params, losses = ref("training").train_mlp(*example.args)
    torch_params, torch_losses = torch_training(X, Y, hidden, lr, epochs, seed)
    tracked_losses, loss_bounds, _, param_bounds = training_checks.tracked_run(*example.args)
    np.testing.assert_array_equal(tracked_losses, losses)  # the analysis follows the reference exactly
    assert losses.shape == torch_losses.shape == (epochs,)
    # torch is another correct program: the checks (which allow 3 bounds) must accept it
    assert np.all(np.abs(torch_losses - losses) <= 3 * loss_bounds + 1e-300)
    for k in params:
        assert np.all(np.abs(torch_params[k] - params[k]) <= 3 * param_bounds[k] + 1e-300), k


def test_train_mlp_learns_what_torch_learns():
    rng = np.random.default_rng(5)
    X = rng.uniform(-1, 1, size=(12, 3))
    Y = np.tanh(X @ rng.normal(size=(3, 2)))
    _, losses = ref("training").train_mlp(X, Y, 16, 0.1, 200, 11)
    _, torch_losses = torch_training(X, Y, 16, 0.1, 200, 11)
    np.testing.assert_allclose(losses, torch_losses, rtol=1e-9)
    assert losses[-1] < 0.2 * losses[0]
