"""Mean squared error and its gradient.

A loss function turns "how wrong are the predictions?" into one number that
training tries to make small. For regression, the standard choice is the
**mean squared error** (MSE): square every difference between prediction and
target, then take the mean over **all** entries:

    mse(ŷ, y) = (1 / S) * Σ (ŷ - y)²       S = ŷ.size, the number of entries

Shapes
------
``y_pred`` (ŷ) and ``y_true`` (y) must have exactly the same shape, with at
least one entry. Any shape works: ``(N,)``, or ``(N, O)`` for ``N`` examples
with ``O`` outputs each, or more. ``mse`` returns a scalar (a Python float or
numpy float64). ``mse_grad`` returns an array with the same shape as
``y_pred``.

The gradient
------------
Every entry ``ŷ[i, j]`` appears in exactly one term of the sum, so

    ∂ mse / ∂ŷ[i, j] = (1 / S) * 2 (ŷ[i, j] - y[i, j]) = 2 (ŷ[i, j] - y[i, j]) / S

and the whole gradient is ``2 (ŷ - y) / S``. It has the same shape as ``ŷ``
and is taken with respect to the prediction ``ŷ``, not the target.

**S is the total number of entries, not the batch size.** Say ``Y`` has shape
``(N, O)``, with ``N = 4`` examples and ``O = 3`` outputs each. The mean runs
over all ``S = N·O = 12`` numbers, so the gradient divides by 12. Dividing by
``N = 4`` alone gives a gradient 3 times too large. It would then be the
gradient of a different loss (one that averages over examples but sums over
outputs), not the gradient of the number your ``mse`` reports. A finite
difference check would catch the mismatch at once.

Worked example
--------------
    y_pred = [[1, 2],     y_true = [[1, 1],      diff = y_pred - y_true = [[0, 1],
              [3, 4]]               [1, 1]]                                 [2, 3]]

    S = 4 entries,  squares = [[0, 1], [4, 9]],  sum = 14
    mse      = 14 / 4 = 3.5
    mse_grad = 2 * diff / 4 = [[0.0, 0.5],
                               [1.0, 1.5]]

(Dividing by the batch size N = 2 would wrongly give ``[[0, 1], [2, 3]]``.)

Common misconceptions
---------------------
* The mean of the squared differences is not the square of the mean
  difference. Errors of +1 and -1 give MSE 1, not 0.
* Mismatched shapes are a silent bug in numpy. ``(N,) - (N, 1)`` broadcasts to
  an ``(N, N)`` array and returns a wrong but plausible number. So check that
  the shapes are equal and raise ``ValueError`` if they are not.
* The mean of zero numbers is undefined, so empty input raises
  ``ValueError``.
* Swapping the arguments flips the sign of the gradient. The gradient is
  ``2 (y_pred - y_true) / S``. Gradient descent moves ``y_pred`` *against*
  it, towards ``y_true``.
* Integer input should give float results. Convert to float before
  subtracting. (Unsigned integers would otherwise wrap around: ``1 - 2``
  becomes 255 for ``uint8``.)

Do not modify the inputs.
"""

import numpy as np

__all__ = ["mse", "mse_grad"]


def mse(y_pred, y_true):
    """Return the mean squared error between predictions and targets.

    Inputs:
    - y_pred: array of any shape with at least one entry, the predictions ŷ
    - y_true: array with the same shape as y_pred, the targets y

    Returns:
    - loss: scalar float, mean over all entries of (y_pred - y_true)**2

    Raises:
    - ValueError: if the shapes differ or the arrays are empty.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> y_pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> y_true = np.array([[1.0, 1.0], [1.0, 1.0]])
    >>> print(mse(y_pred, y_true))
    3.5
    """
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = np.asarray(y_true, dtype=np.float64)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"shapes differ: {y_pred.shape} vs {y_true.shape}")
    if y_pred.size == 0:
        raise ValueError("mse of empty arrays is undefined")
    diff = y_pred - y_true
    return float(np.mean(diff ** 2))


def mse_grad(y_pred, y_true):
    y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
    if y_pred.shape != y_true.shape or y_pred.size == 0:
        raise ValueError("bad shapes")
    return 2 * (y_pred - y_true) / y_pred.shape[0]
