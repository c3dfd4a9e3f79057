"""Exercise: batch normalisation, forward and backward.

A layer learns more easily when its inputs are on a common scale.
*Batch normalisation* (Ioffe and Szegedy, 2015) rescales every feature using
statistics of the current batch. It first normalises each feature to mean 0
and variance 1, then applies a learned scale and shift. This exercise is the
training-time layer: its forward pass, and its backward pass with exact
gradients.

The forward pass
----------------
    x:     (N, D)   a batch of N examples, D features each (one example per row)
    gamma: (D,)     scale, one per feature
    beta:  (D,)     shift, one per feature
    eps:   float > 0, keeps the division finite (default 1e-5)

Every feature ``d`` (every **column** of ``x``) is normalised over the
**batch** (axis 0):

    mu      = (1/N) Σ_n x[n, :]                   batch mean                  (D,)
    var     = (1/N) Σ_n (x[n, :] - mu)²           biased batch variance       (D,)
    inv_std = 1 / sqrt(var + eps)                                             (D,)
    x_hat   = (x - mu) * inv_std                  normalised                  (N, D)
    out     = x_hat * gamma + beta                scale and shift             (N, D)

``mu``, ``var`` and ``inv_std`` are vectors of length D, and numpy
broadcasting applies them to every row. Afterwards each column of ``x_hat``
has mean 0 and variance ``var / (var + eps)``, just under 1.

*Biased variance.* Divide by ``N``, not ``N - 1``: ``var`` is the mean of
the squared deviations, which is ``np.var(x, axis=0)`` (its default is
``ddof=0``). Compute it in two passes, first ``mu``, then the mean of
``(x - mu)²``. The one-pass formula ``mean(x²) - mu²`` is equal on paper,
but it subtracts two large numbers when the features have a large offset,
and rounding errors swamp the (small) variance.

*eps goes inside the square root.* ``sqrt(var + eps)`` is never 0, even for
a feature that is constant over the batch (``var = 0``), or for a batch of
one example. For such a feature ``x_hat`` is 0 and ``out`` is ``beta``.

*The scale and shift is a linear map.* ``out = x_hat diag(gamma) + beta``:
feature ``d`` is multiplied by its own ``gamma[d]`` (a diagonal matrix, no
mixing between features) and shifted by ``beta[d]``. With
``gamma = sqrt(var + eps)`` and ``beta = mu`` the layer returns ``x``
unchanged. Normalising takes nothing away from what the network can
represent: it only changes which parameters represent it.

The cache
---------
The backward pass needs numbers from the forward pass. Their format is fixed
here, so that each half can be checked on its own:

    cache = (x_hat, gamma, inv_std)      x_hat (N, D), gamma (D,), inv_std (D,)

``batchnorm_forward`` returns ``(out, cache)``. ``batchnorm_backward``
receives exactly this tuple, from your forward pass or built from the
formulas above by the grader.

The backward pass
-----------------
Given ``dout = ∂L/∂out`` of shape (N, D), with every sum over the batch
(axis 0):

    dbeta  = Σ_n dout[n, :]                                         (D,)
    dgamma = Σ_n dout[n, :] * x_hat[n, :]                           (D,)
    dx_hat = dout * gamma                                           (N, D)
    dx     = inv_std / N * (N dx_hat - Σ_n dx_hat - x_hat * Σ_n dx_hat * x_hat)

*Why does dx have three terms?* ``x[n, d]`` reaches the loss through every
entry of column ``d``, not only through ``out[n, d]``, because it changes
the column's ``mu`` and ``var``. For one column (drop the index ``d``),

    ∂x_hat[m] / ∂x[n] = inv_std * (δ_mn - 1/N - x_hat[m] x_hat[n] / N)

where ``δ_mn`` is 1 if m == n and 0 otherwise. The ``-1/N`` comes from the
mean and the last term from the variance. Sum ``dx_hat[m]`` times this over
``m`` and you get the formula for ``dx``. One consequence: **every column of
dx sums to 0**. Adding a constant to a column of ``x`` changes ``mu`` by the
same constant and leaves ``out`` unchanged, so the loss cannot change in
that direction.

Worked example (N = 3, D = 2, eps = 1e-5)
-----------------------------------------
    x = [[1, 2],     gamma = [1, 2]     beta = [0, 1]
         [3, 6],
         [5, 4]]

    mu = [3, 4],  var = [8/3, 8/3] = [2.6667, 2.6667],  inv_std ≈ [0.6124, 0.6124]
    x_hat ≈ [[-1.2247, -1.2247],       out = x_hat * gamma + beta
             [ 0.0,     1.2247],           ≈ [[-1.2247, -1.4495],
             [ 1.2247,  0.0   ]]              [ 0.0,     3.4495],
                                              [ 1.2247,  1.0   ]]

    dout = [[1, 0], [0, 0], [0, 1]]
    dbeta = [1, 1],  dgamma ≈ [-1.2247, 0.0]
    dx ≈ [[ 0.1021, -0.4082],
          [-0.2041, -0.4082],
          [ 0.1021,  0.8165]]        (each column sums to 0)

Common misconceptions
---------------------
* Normalising each *row* (axis 1, over the features). That is layer
  normalisation, a different layer. Batch normalisation works per feature,
  over the batch (axis 0).
* The unbiased variance (``N - 1``, ``ddof=1``). Use the biased one, and a
  batch of one example then gives ``var = 0`` instead of a division by 0.
* ``1 / (sqrt(var) + eps)``: eps belongs inside the square root.
* In the backward pass, treating ``mu`` and ``var`` as constants:
  ``dx = dout * gamma * inv_std`` drops two of the three terms. Then the
  columns of ``dx`` no longer sum to 0.
* ``dgamma`` and ``dbeta`` are *sums* over the batch, not means: every
  example adds its contribution to the shared parameters.

Raise ``ValueError`` for bad input (see each function). Do not modify the
inputs.
"""

import numpy as np

__all__ = ["batchnorm_forward", "batchnorm_backward"]


import numpy as np

def _check(x, gamma, beta, eps):
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError("x must be (N, D) with N >= 1")
    if gamma.shape != (x.shape[1],) or beta.shape != (x.shape[1],):
        raise ValueError("gamma and beta must be (D,)")
    if not eps > 0:
        raise ValueError("eps must be positive")

def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    gamma, beta = np.asarray(gamma), np.asarray(beta)
    _check(x, gamma, beta, eps)
    std = np.sqrt(np.var(x, axis=0) + eps)
    x_hat = (x - np.mean(x, axis=0)) / std
    return gamma * x_hat + beta, (x_hat, gamma, 1.0 / std)


def batchnorm_backward(dout, cache):
    """Gradients of batch normalisation with respect to x, gamma and beta.

    Inputs:
    - dout: (N, D) array, upstream gradient ∂L/∂out
    - cache: the tuple (x_hat, gamma, inv_std) returned by batchnorm_forward,
      with x_hat (N, D), gamma (D,) and inv_std (D,)

    Returns a tuple (dx, dgamma, dbeta):
    - dx: (N, D) array, ∂L/∂x; each of its columns sums to 0
    - dgamma: (D,) array, Σ_n dout[n, :] * x_hat[n, :]
    - dbeta: (D,) array, Σ_n dout[n, :]

    Raises:
    - ValueError: if dout is not of x_hat's shape (N, D), or gamma or
      inv_std is not of shape (D,).

    The inputs (dout and the arrays in the cache) are not modified.

    Example (the worked example of the lesson):
    >>> import numpy as np
    >>> x = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 4.0]])
    >>> out, cache = batchnorm_forward(x, np.array([1.0, 2.0]), np.array([0.0, 1.0]))
    >>> dout = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    >>> dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    >>> np.round(dx, 4)
    array([[ 0.1021, -0.4082],
           [-0.2041, -0.4082],
           [ 0.1021,  0.8165]])
    >>> np.round(dgamma, 4), dbeta
    (array([-1.2247,  0.    ]), array([1., 1.]))
    """
    x_hat, gamma, inv_std = cache
    dout, x_hat = np.asarray(dout, dtype=np.float64), np.asarray(x_hat, dtype=np.float64)
    gamma, inv_std = np.asarray(gamma, dtype=np.float64), np.asarray(inv_std, dtype=np.float64)
    if x_hat.ndim != 2 or dout.shape != x_hat.shape:
        raise ValueError(f"dout {dout.shape} must have x_hat's shape {x_hat.shape}, (N, D)")
    if gamma.shape != (x_hat.shape[1],) or inv_std.shape != (x_hat.shape[1],):
        raise ValueError(f"gamma {gamma.shape} and inv_std {inv_std.shape} must be ({x_hat.shape[1]},)")

    N = x_hat.shape[0]
    dbeta = dout.sum(axis=0)  # (D,)
    dgamma = (dout * x_hat).sum(axis=0)  # (D,)
    dx_hat = dout * gamma  # (N, D)
    dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, dgamma, dbeta
