"""ReLU and its derivative.

The rectified linear unit (ReLU) is the most common activation function in
neural networks. It keeps positive numbers and replaces negative ones with 0:

    relu(x) = max(0, x)          applied to every entry separately

Its derivative (slope) is 1 where ``x > 0`` and 0 where ``x < 0``:

    relu'(x) = 1   if x > 0
               0   if x <= 0     (convention at x = 0, see below)

Shapes
------
Both functions work on arrays of **any** shape, including 0-d, 1-D, a batch
``(N, H)`` or more dimensions. They act on each entry on its own and return
an array of the **same shape**. ``relu_grad`` always returns floats
(``0.0`` / ``1.0``), even for integer input. ``relu`` of an integer array may
stay integer.

The convention relu'(0) = 0
---------------------------
At ``x = 0`` the graph of ReLU has a corner. The slope from the left is 0 and
from the right is 1, so mathematically the derivative does not exist there.
Code still has to return *something*. We use **0**, the same choice as
PyTorch and most libraries. The test is strictly ``x > 0``, not ``x >= 0``.

Worked example
--------------
    x          = [-2.0, -0.5, 0.0, 1.5, 3.0]
    relu(x)      = [ 0.0,  0.0, 0.0, 1.5, 3.0]
    relu_grad(x) = [ 0.0,  0.0, 0.0, 1.0, 1.0]

Why it matters
--------------
Without a nonlinearity, stacking layers would be pointless. Two linear layers
``(X W1) W2`` equal one linear layer ``X (W1 W2)``. ReLU between them breaks
this collapse, while staying cheap to compute and to differentiate. In
backpropagation (the ``backprop`` exercise) the derivative acts as a gate. Gradient flows
through the entries where the input was positive and is blocked everywhere
else.

Common misconceptions
---------------------
* ``np.max`` is not the elementwise maximum. It *reduces* an array to its
  largest entry. ``np.max(x, 0)`` even treats the 0 as ``axis=0``! Python's
  built-in ``max(0, x)`` does not work on arrays either. You want a function
  that compares entry by entry.
* The derivative is not ReLU itself. ``relu(3.0) = 3.0`` but
  ``relu_grad(3.0) = 1.0``. The slope of ``y = x`` is 1, whatever ``x`` is.
* Do not clip the input in place (``x[x < 0] = 0``). That changes the
  caller's array. Build a new array instead.
* ``relu_grad`` must return floats. A boolean array ``x > 0`` is a good
  start, but convert it.

Nothing is forbidden in this exercise: ``np.maximum`` and ``np.where`` are
fine. (Some later exercises forbid the one library call that would do them.)
"""

import numpy as np

__all__ = ["relu", "relu_grad"]


def relu(x):
    """Apply ReLU to every entry: max(0, x).

    Inputs:
    - x: array of any shape (float or integer)

    Returns:
    - out: new array with the same shape as x and out = max(0, x) entrywise.
      Integer input may give an integer result.

    Raises nothing for valid arrays. The input is not modified.

    Example:
    >>> import numpy as np
    >>> relu(np.array([-2.0, -0.5, 0.0, 1.5, 3.0]))
    array([0. , 0. , 0. , 1.5, 3. ])
    >>> relu(np.array([[-1, 2], [3, -4]]))
    array([[0, 2],
           [3, 0]])
    """
    raise NotImplementedError("relu: not implemented yet")


def relu_grad(x):
    """Return the derivative of ReLU at every entry of x.

    Inputs:
    - x: array of any shape (float or integer), the *input* of ReLU

    Returns:
    - g: new float array with the same shape as x. g = 1.0 where x > 0 and
      g = 0.0 elsewhere, including at x == 0 (convention relu'(0) = 0).

    Raises nothing for valid arrays. The input is not modified.

    Example:
    >>> import numpy as np
    >>> relu_grad(np.array([-2.0, -0.5, 0.0, 1.5, 3.0]))
    array([0., 0., 0., 1., 1.])
    >>> relu_grad(np.array([-1, 0, 2]))
    array([0., 0., 1.])
    """
    raise NotImplementedError("relu: not implemented yet")
