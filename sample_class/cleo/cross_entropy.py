"""Exercise: one-hot labels and the softmax cross-entropy loss, computed stably.

A classifier with ``C`` classes outputs one real score per class, the
**logits**. Softmax (the attention exercise) turns each row of scores into
probabilities. The **cross-entropy loss** then measures how much probability
the model gave to the right answer.

Labels and one-hot vectors
--------------------------
The correct classes come as integer labels, one per example:
``labels[n]`` is in ``0, 1, ..., C-1``. The same information as a matrix is
the **one-hot** encoding:

    Y = one_hot(labels, C):   Y[n, c] = 1.0 if c == labels[n] else 0.0     (N, C)

    labels = [2, 0, 1], C = 3   ->   Y = [[0, 0, 1],
                                          [1, 0, 0],
                                          [0, 1, 0]]

Each row has exactly one 1. A label outside ``0..C-1`` is an error. A
negative label would silently pick a class from the end in numpy
(``np.eye(3)[-1]`` is class 2), so check the range yourself. Labels must have
an integer dtype: a float array is an error, even ``[2.0, 0.0]``, whose
values happen to be whole numbers.

The loss
--------
    logits Z: (N, C),   P = softmax(Z) row by row: (N, C),   labels: (N,)

    L = -(1/N) Σ_n log P[n, labels[n]]            a single number >= 0

The loss is small when the model puts probability close to 1 on the right
class, and large when it is confidently wrong. ``L = 0`` only for a perfect
prediction. Guessing uniformly gives ``log C``.

Log-sum-exp: never take log(softmax)
------------------------------------
Computing ``P`` first and then ``log P`` fails for large logits. With
``Z = [[0, -1e4]]`` and label 1, ``P[0, 1] = e^(-1e4)`` underflows to 0 and
``log 0 = -inf``, so the loss comes out as ``inf`` instead of ``1e4``. (And
``np.exp(1e4)`` is ``inf`` before anything else happens.) Instead, write the
log of a softmax entry directly:

    log P[n, c] = Z[n, c] - logsumexp(Z[n])
    logsumexp(z) = log Σ_j e^(z[j]) = m + log Σ_j e^(z[j] - m),   m = max_j z[j]

Subtracting the maximum ``m`` makes the largest exponent ``e^0 = 1``. The sum
is then between 1 and C, so it cannot overflow and its log is finite. So

    loss for example n = logsumexp(Z[n]) - Z[n, labels[n]]

which is fine even for logits of ``±1e4``.

The gradient
------------
The derivative of the loss with respect to the logits is beautifully simple:

    dL/dZ = (P - Y) / N         (N, C),  Y = one_hot(labels, C)

For one example, ``∂/∂z_c [logsumexp(z) - z_y] = P_c - [c == y]``. The
softmax pulls every logit *down* by its probability, and the correct class
gets pulled *up* by 1. The mean over the batch contributes the ``1/N``.
Every row of the gradient sums to 0, because probabilities sum to 1 and so
does each row of ``Y``. Compute ``P`` with the max-subtraction trick as well.

Worked example
--------------
    Z = [[1, 2, 3],       labels = [2, 0]      (N = 2, C = 3)
         [1, 1, 1]]

    P = [[0.0900, 0.2447, 0.6652],
         [0.3333, 0.3333, 0.3333]]
    losses = [-log 0.6652, -log 0.3333] = [0.4076, 1.0986]
    L = (0.4076 + 1.0986) / 2 = 0.7531
    dZ = (P - Y) / 2 = [[ 0.0450, 0.1224, -0.1674],
                        [-0.3333, 0.1667,  0.1667]]

Common misconceptions
---------------------
* Forgetting the ``1/N`` in the gradient. The loss is a *mean*, so the
  gradient of every example is divided by N.
* Softmax over the wrong axis. Each *row* (one example, all classes) must sum
  to 1, which is ``axis=1``.
* Passing one-hot rows where integer labels are expected, or the other way
  round. This function takes integer labels.
* Subtracting the max "in place" (``Z -= Z.max(...)``) changes the caller's
  logits. Build new arrays.
* The sign. The gradient is ``P - Y``, not ``Y - P``, so gradient descent
  raises the correct class's logit.

No shortcuts are forbidden. ``softmax`` from the attention exercise is not
importable here, so write what you need in this file. Neither function
modifies its inputs.
"""

import numpy as np

__all__ = ["one_hot", "softmax_cross_entropy"]


def one_hot(labels, num_classes):
    """Return the one-hot encoding of integer class labels.

    Inputs:
    - labels: (N,) integer array, N >= 0, each entry in 0..num_classes-1
    - num_classes: int C, the number of classes

    Returns:
    - Y: new (N, C) float array with Y[n, labels[n]] = 1.0 and 0.0 elsewhere

    Raises:
    - ValueError: if labels is not 1-D, if its dtype is not an integer one
      (floats are refused, even 2.0), or if a label is negative or
      >= num_classes.

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> one_hot(np.array([2, 0, 1]), 3)
    array([[0., 0., 1.],
           [1., 0., 0.],
           [0., 1., 0.]])
    >>> one_hot(np.array([], dtype=int), 4).shape
    (0, 4)
    """
    raise NotImplementedError("cross_entropy: not implemented yet")


def softmax_cross_entropy(logits, labels):
    """Mean softmax cross-entropy loss of a batch, and its gradient.

    Inputs:
    - logits: (N, C) array of scores, N >= 1, C >= 1 (float or integer).
      Entries may be as large as ±1e4.
    - labels: (N,) integer array, each entry in 0..C-1

    Returns a tuple (loss, dlogits):
    - loss: float, -(1/N) Σ_n log softmax(logits[n])[labels[n]]
    - dlogits: (N, C) float array, (softmax(logits) - one_hot(labels, C)) / N

    Raises:
    - ValueError: if logits is not 2-D or has no rows, if labels is not a 1-D
      array of length N, if its dtype is not an integer one, or if a label lies
      outside 0..C-1.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> loss, dlogits = softmax_cross_entropy(np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]),
    ...                                       np.array([2, 0]))
    >>> round(loss, 4)
    0.7531
    >>> np.round(dlogits, 4)
    array([[ 0.045 ,  0.1224, -0.1674],
           [-0.3333,  0.1667,  0.1667]])
    >>> loss, _ = softmax_cross_entropy(np.array([[0.0, -1e4]]), np.array([1]))
    >>> loss
    10000.0
    """
    raise NotImplementedError("cross_entropy: not implemented yet")
