"""Matrix multiplication.

A neural-network layer does its work with one matrix product. If a batch of
``N`` inputs with ``D`` features each is stored as the rows of ``X`` (shape
``(N, D)``), and the layer's weights are in ``W`` (shape ``(D, H)``), then
``X W`` (shape ``(N, H)``) holds all ``N·H`` neuron outputs at once. Each one
is a dot product.

The definition
--------------
For ``A`` of shape ``(m, n)`` and ``B`` of shape ``(n, p)``, the product
``C = A B`` has shape ``(m, p)`` and entries

    C[i, j] = Σ_k A[i, k] * B[k, j]        (k = 0, ..., n-1)

In words: ``C[i, j]`` is the dot product of **row i of A** with
**column j of B**.

The shape rule is ``(m, n) @ (n, p) -> (m, p)``. The two *inner* sizes must
match (they are summed away). The two *outer* sizes survive into the result.
If the inner sizes differ, the product is not defined.

If ``n = 0``, every ``C[i, j]`` is an empty sum, so ``C`` is an
``(m, p)`` array of zeros. It is not an empty array.

Worked example
--------------
    A = [[1, 2],        B = [[5, 6],
         [3, 4]]             [7, 8]]

    C[0, 0] = 1*5 + 2*7 = 19        C[0, 1] = 1*6 + 2*8 = 22
    C[1, 0] = 3*5 + 4*7 = 43        C[1, 1] = 3*6 + 4*8 = 50

    A B = [[19, 22],
           [43, 50]]

A non-square case: shapes ``(2, 3) @ (3, 1) -> (2, 1)``.

    [[1, 0, 2],     [[1],      [[1*1 + 0*2 + 2*3],     [[7],
     [0, 1, 0]]  @   [2],   =   [0*1 + 1*2 + 0*3]]  =   [2]]
                     [3]]

Common misconceptions
---------------------
* **Matmul is not "multiply matching entries and sum them".** Multiplying
  matching entries is the *Hadamard* (elementwise) product, ``A * B`` in
  numpy. It needs equal shapes and gives a same-shaped result. For the
  example above, ``A * B = [[5, 12], [21, 32]]``, which is not ``A B``.
  Matmul pairs a *row* of A with a *column* of B.
* **Order matters.** In general ``A B != B A``. In the example,
  ``B A = [[23, 34], [31, 46]]``. Often only one order is even defined:
  ``(2, 3) @ (3, 1)`` works, but ``(3, 1) @ (2, 3)`` does not.
* **Inner sizes are what must agree.** ``(m, n) @ (n, p)`` is fine even when
  ``m``, ``n`` and ``p`` are all different. Requiring square matrices, or
  equal shapes, is a mistake.
* A matrix times the identity is unchanged: ``A I = A``. The self-check
  tests use this, and associativity ``(A B) C = A (B C)``.

Rules for this exercise
-----------------------
Write the product yourself, using the definition above. An automatic check
rejects ``np.dot``, ``np.inner``, ``np.vdot``, ``np.matmul``, ``np.einsum``,
``np.tensordot``, ``np.linalg.multi_dot``, the ``@`` operator and the
``.dot()`` method. Loops over ``i`` and ``j`` (with elementwise ``*`` and
``np.sum`` for each entry) are fine, and so is numpy broadcasting. Raise
``ValueError`` if an input is not 2-D or the inner sizes differ. Do not modify
the inputs.
"""

import numpy as np

__all__ = ["matmul"]


def matmul(A, B)
    """Return the matrix product A B.

    Inputs:
    - A: (m, n) array
    - B: (n, p) array. Its number of rows must equal A's number of columns.

    Returns:
    - C: (m, p) array with C[i, j] = Σ_k A[i, k] * B[k, j]. If n == 0, C is
      all zeros.

    Raises:
    - ValueError: if A or B is not 2-D, or if A.shape[1] != B.shape[0].

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> B = np.array([[5.0, 6.0], [7.0, 8.0]])
    >>> matmul(A, B)
    array([[19., 22.],
           [43., 50.]])
    >>> matmul(np.zeros((2, 0)), np.zeros((0, 3)))
    array([[0., 0., 0.],
           [0., 0., 0.]])
    """
    A = np.asarray(A)
    B = np.asarray(B)
    if A.ndim != 2 or B.ndim != 2:
        raise ValueError(f"matmul expects 2-D arrays, got shapes {A.shape} and {B.shape}")
    if A.shape[1] != B.shape[0]:
        raise ValueError(f"inner sizes differ: {A.shape} @ {B.shape}")
    # products[i, k, j] = A[i, k] * B[k, j]; summing over k gives C[i, j].
    # With n == 0 the sum over an empty axis is 0, giving zeros of shape (m, p).
    products = A[:, :, None] * B[None, :, :]
    return products.sum(axis=1)
