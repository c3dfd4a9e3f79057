"""Exercise: the Hadamard product, and how it differs from the matrix product.

Two different products of matrices appear in every neural network, and
mixing them up is one of the most common bugs in numpy code.

The Hadamard (element-wise) product
-----------------------------------
    (A ∘ B)[i, j] = A[i, j] * B[i, j]

It multiplies entries that sit in the same position. ``A`` and ``B`` must
have exactly the same shape, and so does the result. In numpy it is the
``*`` operator. It works for arrays of any shape, not only matrices.

The matrix product
------------------
    (A B)[i, j] = Σ_k A[i, k] * B[k, j]       (m, n) @ (n, p) -> (m, p)

Entry ``[i, j]`` is the dot product of row ``i`` of ``A`` with column ``j`` of
``B`` (the matmul exercise). The *inner* sizes must agree. In numpy it is the
``@`` operator.

When is each one defined?
-------------------------
Take ``A`` of shape ``(m, n)`` and ``B`` of shape ``(p, q)``.

* ``A ∘ B`` needs equal shapes: ``(m, n) == (p, q)``.
* ``A B`` needs ``n == p``.

Both exist only when ``A`` and ``B`` are square matrices of the same size,
and even then they are usually different. For ``(2, 3)`` and ``(2, 3)`` only
the Hadamard product exists. For ``(2, 3)`` and ``(3, 4)`` only the matrix
product does. For ``(2, 3)`` and ``(4, 5)`` neither does.

Worked example
--------------
    A = [[1, 2],      B = [[5, 6],
         [3, 4]]           [7, 8]]

    A ∘ B = [[1*5, 2*6],   = [[ 5, 12],
             [3*7, 4*8]]      [21, 32]]

    A B   = [[1*5 + 2*7, 1*6 + 2*8],   = [[19, 22],
             [3*5 + 4*7, 3*6 + 4*8]]      [43, 50]]

Where each one appears in a network
-----------------------------------
* The matrix product mixes features. A linear layer ``X W`` lets every output
  depend on every input.
* The Hadamard product works position by position. Examples are a dropout
  mask, the gates of an LSTM, and every backward pass through an element-wise
  function: ``dZ = dA ∘ relu'(Z)`` (the backprop exercise).

Useful facts
------------
* ``A ∘ B = B ∘ A`` always, but ``A B != B A`` in general.
* The "do nothing" matrix is the all-ones matrix for ``∘`` and the identity
  matrix ``I`` for the matrix product. So ``A ∘ I`` keeps only the diagonal
  of ``A``, while ``A I = A``.
* Multiplying by a diagonal matrix *is* an element-wise product.
  ``diag(d) @ X`` scales row ``i`` of ``X`` by ``d[i]``, which is
  ``d[:, None] * X`` (broadcasting, the next exercise).
* ``Σ_ij (A ∘ B)[i, j] = trace(Aᵀ B)``. This "matrix dot product" is the
  dot product of the two matrices read as long vectors.

Common misconceptions
---------------------
* In numpy, ``*`` is always element-wise for arrays. (The old ``np.matrix``
  class used ``*`` for the matrix product. It is deprecated, so do not use
  it.) MATLAB writes the Hadamard product as ``.*``.
* Square matrices hide the bug. ``A * B`` and ``A @ B`` both run without an
  error, and only the numbers are wrong. Test with non-square shapes.
* Broadcasting can turn ``*`` into something else entirely. A column
  ``(3, 1)`` times a row ``(1, 3)`` gives a ``(3, 3)`` outer product and no
  error. So ``hadamard`` checks that the shapes are equal itself and raises
  ``ValueError`` if they are not.

Your tasks
----------
``hadamard(A, B)`` computes ``A ∘ B``. ``hadamard_vs_matmul(A, B)`` is a
small quiz. For two matrices it returns both products as a pair
``(A ∘ B, A B)``, and puts ``None`` in place of a product that is not
defined for these shapes. The ``*`` and ``@`` operators are allowed. The
point is knowing which one to use, and when.

Neither function modifies its inputs.
"""

import numpy as np

__all__ = ["hadamard", "hadamard_vs_matmul"]


def hadamard(A, B):
    """Return the Hadamard (element-wise) product A ∘ B.

    Inputs:
    - A: array of any shape (float or integer)
    - B: array with exactly the same shape as A

    Returns:
    - C: new array with the shape of A, C[idx] = A[idx] * B[idx] at every
      position idx

    Raises:
    - ValueError: if A and B have different shapes (even shapes that numpy
      could broadcast, such as (3, 1) and (1, 3)).

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> hadamard(np.array([[1, 2], [3, 4]]), np.array([[5, 6], [7, 8]]))
    array([[ 5, 12],
           [21, 32]])
    >>> hadamard(np.array([0.5, -1.0, 2.0]), np.array([4.0, 3.0, 0.0]))
    array([ 2., -3.,  0.])
    """
    A, B = np.asarray(A), np.asarray(B)
    if A.shape != B.shape:
        raise ValueError(f"the Hadamard product needs equal shapes, got {A.shape} and {B.shape}")
    return A * B  # same-position products: a new array


def hadamard_vs_matmul(A, B):
    """Return both products of two matrices, (A ∘ B, A B), with None for an undefined one.

    Inputs:
    - A: (m, n) array (float or integer)
    - B: (p, q) array

    Returns a tuple (H, M):
    - H: (m, n) array A ∘ B if (m, n) == (p, q), otherwise None
    - M: (m, q) array A B if n == p, otherwise None

    Raises:
    - ValueError: if A or B is not 2-D.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> A = np.array([[1, 2], [3, 4]])
    >>> B = np.array([[5, 6], [7, 8]])
    >>> H, M = hadamard_vs_matmul(A, B)
    >>> H
    array([[ 5, 12],
           [21, 32]])
    >>> M
    array([[19, 22],
           [43, 50]])
    >>> H, M = hadamard_vs_matmul(np.ones((2, 3)), np.ones((2, 3)))
    >>> H.shape, M
    ((2, 3), None)
    >>> H, M = hadamard_vs_matmul(np.ones((2, 3)), np.ones((3, 4)))
    >>> H, M.shape
    (None, (2, 4))
    """
    A, B = np.asarray(A), np.asarray(B)
    if A.ndim != 2 or B.ndim != 2:
        raise ValueError(f"expected two matrices, got shapes {A.shape} and {B.shape}")
    H = A * B if A.shape == B.shape else None  # same shape: element-wise
    M = A @ B if A.shape[1] == B.shape[0] else None  # inner sizes agree: rows times columns
    return H, M
