"""The transpose.

The transpose of a matrix swaps its rows and columns. Row ``i`` of ``A``
becomes column ``i`` of ``Aᵀ``:

    Aᵀ[j, i] = A[i, j]

Shapes
------
If ``A`` has shape ``(m, n)``, then ``Aᵀ`` has shape ``(n, m)``. A 1-D numpy
array has no rows or columns to swap. (numpy's own ``.T`` leaves a 1-D array
unchanged, which surprises many people.) So this exercise accepts only 2-D
arrays and raises ``ValueError`` for anything else.

Worked example
--------------
    A = [[1, 2, 3],          Aᵀ = [[1, 4],
         [4, 5, 6]]                [2, 5],
                                   [3, 6]]
    shape (2, 3)             shape (3, 2)

Why it matters
--------------
Transposes appear all over backpropagation (the ``backprop`` exercise). If a layer computes
``Z = X W``, the gradients are ``dX = dZ Wᵀ`` and ``dW = Xᵀ dZ``. Attention
(the ``attention`` exercise) compares queries with keys using ``Q Kᵀ``.

Two laws worth knowing (the self-check tests use them):

* ``(Aᵀ)ᵀ = A``: transposing twice gives back the original.
* ``(A B)ᵀ = Bᵀ Aᵀ``: the order reverses. Shapes show why. If ``A`` is
  ``(m, n)`` and ``B`` is ``(n, p)``, then ``(A B)ᵀ`` is ``(p, m)``. Only
  ``(p, n) @ (n, m)``, which is ``Bᵀ Aᵀ``, has that shape. ``Aᵀ Bᵀ`` would
  be ``(n, m) @ (p, n)``, which is usually not even defined.

Common misconceptions
---------------------
* **Transpose is not reshape.** Reshaping ``[[1, 2, 3], [4, 5, 6]]`` to
  ``(3, 2)`` gives ``[[1, 2], [3, 4], [5, 6]]``. It keeps the entries in
  reading order and only changes where the rows break. The transpose
  ``[[1, 4], [2, 5], [3, 6]]`` moves entries to new positions.
* **Transpose is not inverse.** ``A Aᵀ`` is usually not the identity. (It is
  only for special "orthogonal" matrices, such as rotations.) A non-square
  matrix has no inverse at all, but it always has a transpose.
* **Views share memory.** numpy's ``A.T`` does not copy anything. It is a
  *view* of the same numbers, so writing into ``A.T`` changes ``A``. Your
  function must return a **new** array, so that changing the result never
  changes the input.

Rules for this exercise
-----------------------
Move the entries yourself. An automatic check rejects ``.T``, ``.mT``,
``.transpose()``, ``np.transpose``, ``np.swapaxes``, ``np.moveaxis``,
``np.rollaxis``, ``np.permute_dims``, ``np.matrix_transpose`` and
``np.einsum``. Create the result with ``np.empty((n, m), dtype=A.dtype)`` and
fill it using loops. The result keeps the input's dtype: integers stay
integers. Do not modify the input.
"""

import numpy as np

__all__ = ["transpose"]


def transpose(A):
    """Return the transpose of a 2-D array as a new array.

    Inputs:
    - A: (m, n) array (any dtype)

    Returns:
    - At: (n, m) array with the same dtype as A and At[j, i] = A[i, j]. It is
      a new array, not a view, so changing it never changes A.

    Raises:
    - ValueError: if A is not 2-D.

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> transpose(np.array([[1, 2, 3], [4, 5, 6]]))
    array([[1, 4],
           [2, 5],
           [3, 6]])
    >>> transpose(np.zeros((0, 2))).shape
    (2, 0)
    """
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"transpose expects a 2-D array, got shape {A.shape}")
    m, n = A.shape
    out = np.empty((n, m), dtype=A.dtype)
    for i in range(m):
        for j in range(n):
            out[j, i] = A[i, j]
    return out
