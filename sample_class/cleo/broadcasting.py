"""Exercise: broadcasting — adding a bias to a batch, and a linear layer on a batch.

A network never processes one example at a time. It stacks ``N`` examples
into the rows of a matrix and processes the whole batch at once. Two things
make this work: matrix products (every row goes through the same weights)
and **broadcasting**, numpy's rule for combining arrays of different shapes.

Broadcasting in one paragraph
-----------------------------
To combine two shapes, numpy lines them up *from the right*. Each pair of
sizes must be equal, or one of them must be 1, and a missing size counts as
1. A size-1 axis is stretched (without copying) to match the other one.

    Z: (N, H)  +  b: (H,)     ->  b is read as (1, H), copied down all N rows  ✓
    Z: (N, H)  +  c: (N, 1)   ->  c is copied across all H columns             ✓
    u: (N, 1)  +  v: (1, H)   ->  (N, H), every u[i] + v[j]: an "outer sum"
    Z: (N, H)  +  b: (N,)     ->  error, unless N == H. Then it runs, and adds
                                  b along the wrong axis!

Adding a bias
-------------
A layer with ``H`` outputs has one bias per output: ``b`` of shape ``(H,)``.
Every example gets the *same* bias vector, so

    out[n, h] = Z[n, h] + b[h]      Z: (N, H),  b: (H,),  out: (N, H)

In numpy this is just ``Z + b``. The rule above lines ``b`` up with the
*columns* (the last axis), which is exactly right. Your job is to refuse
everything else. Broadcasting also accepts a bias of length 1 (added to
everything), a scalar, or an ``(N, H)`` matrix. All of these are bugs that
give wrong numbers with no error. ``add_bias`` raises ``ValueError`` unless
``Z`` is 2-D and ``b`` is 1-D with exactly ``H`` entries.

A linear layer on a batch
-------------------------
Textbooks write a linear layer for **one** example, as a column vector:

    y = W x + b      x: (D,),  W: (H, D),  b: (H,),  y: (H,)

``W`` has one row per output, and ``y[h] = Σ_d W[h, d] x[d] + b[h]``. For a
batch, the examples are the **rows** of ``X``. Transposing ``y = W x + b``
turns the column into a row: ``yᵀ = xᵀ Wᵀ + bᵀ``. Stacking the ``N`` rows
gives

    Y = X Wᵀ + b      X: (N, D) @ Wᵀ: (D, H) -> (N, H), then + b: (H,) broadcast

So the batch formula uses ``Wᵀ``. Check the shapes: ``X @ W`` would be
``(N, D) @ (H, D)``, which fails unless ``D == H``, and then it silently
computes something else. This is PyTorch's convention: ``nn.Linear`` stores
its weight as ``(out_features, in_features) = (H, D)`` and computes
``x Wᵀ + b``. (The backprop exercise follows CS231n instead. There ``W`` is
stored already transposed, as ``(D, H)``, and the layer is ``X W + b``. It is
the same layer with the weight stored the other way round. Always read which
convention a piece of code uses.)

Worked example
--------------
    Z = [[1, 2, 3],     b = [10, 20, 30]     add_bias(Z, b) = [[11, 22, 33],
         [4, 5, 6]]                                            [14, 25, 36]]

    X = [[1, 2, 3],     W = [[1, 0, 0],      b = [0.5, 0, 0, -1]
         [4, 5, 6]]          [0, 1, 0],      (N = 2, D = 3, H = 4)
                             [0, 0, 1],
                             [1, 1, 1]]

    Row 0: W x = [1, 2, 3, 1+2+3] = [1, 2, 3, 6],      + b = [1.5, 2, 3, 5]
    Row 1: W x = [4, 5, 6, 15],                        + b = [4.5, 5, 6, 14]
    batch_linear(X, W, b) = [[1.5, 2, 3,  5],
                             [4.5, 5, 6, 14]]

Common misconceptions
---------------------
* "Broadcasting will sort it out." It sorts out only *shapes*, never
  *meaning*. A wrong-length bias of length 1, or a per-example vector of
  length N when N == H, is accepted silently. Check the shapes yourself.
* ``b[:, None]`` (shape ``(H, 1)``) lines the bias up with the *rows*:
  example ``n`` gets ``b[n]`` added to all of its outputs (and this runs only
  when N == H). The bias belongs to the outputs (the columns), not to the
  examples (the rows).
* ``X @ W`` instead of ``X @ W.T``. Square weights (D == H) hide this bug,
  because the code runs and only the numbers are wrong. Test with D != H.
* ``Z += b`` changes the caller's array. Return a new array instead.

``@`` and ``.T`` are allowed. Both functions raise ``ValueError`` on shapes
that do not fit as described, and neither modifies its inputs.
"""

import numpy as np

__all__ = ["add_bias", "batch_linear"]


def add_bias(Z, b):
    """Add the bias vector b to every row of the batch Z.

    Inputs:
    - Z: (N, H) array, one example per row (float or integer)
    - b: (H,) array, one bias per column

    Returns:
    - out: new (N, H) array, out[n, h] = Z[n, h] + b[h]

    Raises:
    - ValueError: if Z is not 2-D, or b is not a 1-D array of length H
      (a bias of length 1 or N != H, a scalar, or a 2-D b are all refused).

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> add_bias(np.array([[1, 2, 3], [4, 5, 6]]), np.array([10, 20, 30]))
    array([[11, 22, 33],
           [14, 25, 36]])
    >>> add_bias(np.zeros((3, 2)), np.array([0.5, -1.0]))
    array([[ 0.5, -1. ],
           [ 0.5, -1. ],
           [ 0.5, -1. ]])
    """
    raise NotImplementedError("broadcasting: not implemented yet")


def batch_linear(X, W, b):
    """Apply the linear layer y = W x + b to every row x of X: Y = X Wᵀ + b.

    Inputs:
    - X: (N, D) array, one example per row
    - W: (H, D) array, the weights of y = W x + b (one row per output)
    - b: (H,) array, the bias

    Returns:
    - Y: new (N, H) array, Y[n, h] = Σ_d X[n, d] W[h, d] + b[h]

    Raises:
    - ValueError: if X or W is not 2-D, if W.shape[1] != D, or if b is not a
      1-D array of length H.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> W = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
    >>> b = np.array([0.5, 0.0, 0.0, -1.0])
    >>> batch_linear(X, W, b)
    array([[ 1.5,  2. ,  3. ,  5. ],
           [ 4.5,  5. ,  6. , 14. ]])
    """
    raise NotImplementedError("broadcasting: not implemented yet")
