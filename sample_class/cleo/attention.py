"""Softmax and scaled dot-product attention.

Attention is the core of the transformer. Each *query* looks at all *keys*,
decides how much each one matches, and returns a weighted average of the
corresponding *values*. The only ingredients are matrix products (the ``matmul``
exercise), a transpose (the ``transpose`` exercise) and the softmax.

Softmax
-------
Softmax turns a vector of arbitrary real scores into positive weights that
add up to 1:

    softmax(x)[i] = exp(x[i]) / Σ_j exp(x[j])

Example: ``softmax([1, 2, 3]) ≈ [0.0900, 0.2447, 0.6652]``. Larger scores get
larger weights, and adding the same number to every score changes nothing.

For an array with several dimensions, softmax is applied along one ``axis``.
With the default ``axis=-1`` (the last axis), every row of a 2-D array is
normalised separately, and each row sums to 1. The result has the same shape
as the input.

*The max-subtraction trick.* ``exp`` overflows quickly. ``exp(710)`` is
already ``inf`` in float64, and then ``inf / inf`` gives ``nan``. The fix
relies on a fact: for any constant ``c`` (one per slice along ``axis``),

    exp(x[i] - c) / Σ_j exp(x[j] - c)
        = exp(x[i]) exp(-c) / (exp(-c) Σ_j exp(x[j])) = softmax(x)[i]

The factor ``exp(-c)`` cancels, so the result is mathematically unchanged.
Choose ``c = max(x)``. Then the largest exponent is ``exp(0) = 1``, and every
other term lies between 0 and 1. Nothing can overflow, and the denominator is
at least 1, so nothing divides by 0. Very negative entries may underflow to
exactly 0, which is harmless (and is exactly what masking relies on). Use
``keepdims=True`` when taking the max and the sum along ``axis``, so the
results broadcast back against ``x``.

Scaled dot-product attention
----------------------------
    scores  = Q Kᵀ / √d_k                    (..., n_q, n_k)
    weights = softmax(scores, axis=-1)       (..., n_q, n_k), each row sums to 1
    out     = weights V                      (..., n_q, d_v)

    Q: (..., n_q, d_k)   n_q queries, each a vector of length d_k
    K: (..., n_k, d_k)   n_k keys, same length d_k as the queries
    V: (..., n_k, d_v)   one value per key, of length d_v

``scores[i, j] = q_i · k_j / √d_k`` says how well query ``i`` matches key
``j``. Row ``i`` of ``out`` is the average of the value rows, weighted by row
``i`` of ``weights``. ``n_q`` and ``n_k`` may differ, and so may ``d_k`` and
``d_v``. The leading dimensions ``...`` (for example batch and heads) must be
the same for Q, K and V, and each slice is handled independently. Here
``Kᵀ`` means swapping the **last two** axes of K. numpy's ``K.T`` reverses
*all* axes, which is wrong for 3-D and larger arrays.

*Why divide by √d_k?* Suppose the entries of ``q`` and ``k`` are independent
with mean 0 and variance 1. Then ``q · k`` is a sum of ``d_k`` such products,
so its variance is ``d_k`` and its typical size is ``√d_k``. Without scaling,
large ``d_k`` gives huge scores, and the softmax saturates into an almost
one-hot vector whose gradients nearly vanish. Dividing by ``√d_k`` brings the
scores back to a typical size of about 1, whatever the dimension.

*The mask.* ``mask`` is an optional boolean array that broadcasts to
``(..., n_q, n_k)``. ``mask[i, j] == True`` means **query i may attend to key
j**. ``False`` means key ``j`` is hidden from query ``i``. Its weight must be
**exactly 0**, and the remaining weights in the row still sum to 1. The clean
way is to set masked scores to ``-inf`` *before* the softmax, since
``exp(-inf) = 0``. Every row must keep at least one ``True``. Otherwise the
row is all ``-inf`` and the softmax is ``0/0 = nan``. A common mask is the
*causal* mask ``np.tril(np.ones((n, n), dtype=bool))``, where query ``i``
sees only keys ``j <= i``, so a language model cannot peek at future tokens.

Worked example (d_k = 2, so √d_k ≈ 1.4142)
-------------------------------------------
    Q = [[1, 0]]      K = [[1, 0],      V = [[1, 2],
                           [0, 1]]           [3, 4]]

    scores  = [[1, 0]] / 1.4142            = [[0.7071, 0.0   ]]
    weights = softmax(scores)              = [[0.6698, 0.3302]]
    out     = 0.6698*[1, 2] + 0.3302*[3, 4] = [[1.6605, 2.6605]]

The query matches key 0 better, so the output is closer to value 0. With
``mask = [[True, False]]`` the weights become ``[[1.0, 0.0]]`` and
``out = [[1.0, 2.0]]``.

Common misconceptions
---------------------
* Softmax over the wrong axis. For attention, each *query* row must sum to 1,
  so normalise over the keys (the last axis).
* Masking *after* the softmax by multiplying the weights with the mask. The
  rows then no longer sum to 1. Exclude the scores before normalising.
* Forgetting the scaling, or dividing by ``d_k`` instead of ``√d_k``.
* Believing max subtraction is an approximation. It is exact. It changes
  only the rounding, not the mathematical result.

Raise ``ValueError`` for incompatible shapes: d_k of Q and K differ, n_k of
K and V differ, leading dimensions differ, an input has fewer than 2
dimensions, or the mask does not broadcast. Do not modify the inputs.
"""

import numpy as np

__all__ = ["softmax", "scaled_dot_product_attention"]


def softmax(x, axis=-1):
    """Numerically stable softmax of x along one axis.

    Inputs:
    - x: array of any shape (float or integer)
    - axis: int, the axis to normalise along (default: the last axis)

    Returns:
    - p: float array with the same shape as x. Entries are >= 0, and every
      slice along `axis` sums to 1. There is no overflow or nan for finite
      entries, even ones as large as ±1e4.

    Raises nothing for valid arrays (an out-of-range axis gives numpy's
    error). The input is not modified.

    Example:
    >>> import numpy as np
    >>> np.round(softmax(np.array([1.0, 2.0, 3.0])), 4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax(np.array([[1000.0, 1000.0], [0.0, -1e4]]))
    array([[0.5, 0.5],
           [1. , 0. ]])
    >>> softmax(np.array([[1.0, 1.0], [5.0, 5.0]]), axis=0)
    array([[0.01798621, 0.01798621],
           [0.98201379, 0.98201379]])
    """
    raise NotImplementedError("attention: not implemented yet")


def scaled_dot_product_attention(Q, K, V, mask=None):
    """Scaled dot-product attention: softmax(Q Kᵀ / √d_k) V.

    Inputs:
    - Q: (..., n_q, d_k) array of queries
    - K: (..., n_k, d_k) array of keys
    - V: (..., n_k, d_v) array of values. The leading dims "..." of Q, K and V
      must be equal.
    - mask: None, or a boolean array that broadcasts to (..., n_q, n_k).
      True means the query may attend to that key. Every query row needs at
      least one True.

    Returns a tuple (out, weights):
    - out: (..., n_q, d_v) array, weights @ V
    - weights: (..., n_q, n_k) array, softmax over the last axis of the
      scaled scores. Masked entries are exactly 0.0, and each row sums to 1.

    Raises:
    - ValueError: if the shapes are incompatible (see the lesson).

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> Q = np.array([[1.0, 0.0]])
    >>> K = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> V = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> out, weights = scaled_dot_product_attention(Q, K, V)
    >>> np.round(weights, 4)
    array([[0.6698, 0.3302]])
    >>> np.round(out, 4)
    array([[1.6605, 2.6605]])
    >>> out, weights = scaled_dot_product_attention(Q, K, V, mask=np.array([[True, False]]))
    >>> weights
    array([[1., 0.]])
    >>> out
    array([[1., 2.]])
    """
    raise NotImplementedError("attention: not implemented yet")
