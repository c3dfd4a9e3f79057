"""Exercise: the rank of a matrix, from its singular values.

The *rank* of a matrix is the number of linearly independent columns. That
is the same as the number of independent rows, and the dimension of the
space of outputs ``A @ x`` can reach. A weight matrix of shape (512, 512)
with rank 20 maps every input into a 20-dimensional subspace. In practice it
is a much smaller layer.

Rank from singular values
-------------------------
Every matrix A of shape (m, n) has a singular value decomposition (SVD)

    A = U diag(s) Vᵀ,    s[0] >= s[1] >= ... >= s[min(m, n) - 1] >= 0

with orthonormal columns in U and V. The singular values ``s`` measure how
much A stretches space along each direction. The rank is the number of
*non-zero* singular values. ``np.linalg.svd(A, compute_uv=False)`` returns
``s`` alone, largest first.

Worked example:

    A = [[1, 2],      the second row is twice the first,
         [2, 4]]      so the rank is 1

    s = [5, 0]        (A = 5 · u vᵀ with u = [1, 2]/√5 and v = [1, 2]/√5)

Why a tolerance
---------------
Rounding blurs "zero". The computed singular values of a matrix that is
exactly rank-deficient come out as tiny numbers like 3e-16, not 0. So count
the singular values above a threshold ``tol``:

    rank = number of s[i] > tol

The default threshold is *relative* to the size of the matrix. numpy uses
the same rule:

    tol = max(m, n) * eps * s[0]

``eps`` is the machine epsilon of the precision the SVD was computed in:
``np.finfo(s.dtype).eps``, about 2.2e-16 for float64 and 1.2e-7 for
float32. Compute the SVD of float inputs in their own precision, and of
integer (or boolean) inputs in float64. A relative tolerance means that
scaling A by 1e-12 or 1e12 does not change its rank. A fixed cut-off like
1e-10 would call a matrix of tiny numbers rank 0. For a huge matrix it
would count rounding noise as rank.

When you pass ``tol`` yourself, it is an absolute threshold on the singular
values, used as it is.

Common misconceptions
---------------------
* Counting ``s != 0``. Rounding noise is not zero.
* Using the number of rows or columns. A (100, 3) matrix has rank at most 3,
  and possibly less.
* Counting non-zero *eigenvalues*. They exist only for square matrices, and
  they can all be 0 when the rank is not: [[0, 1], [0, 0]] has eigenvalues
  0 and 0, but rank 1.
* Forgetting the empty matrix: an (m, 0) or (0, n) matrix has no singular
  values and rank 0.

Rules for this exercise
-----------------------
``np.linalg.matrix_rank`` is rejected by an automatic check.
``np.linalg.svd`` is fine.
"""

import numpy as np

__all__ = ["matrix_rank"]


def matrix_rank(A, tol=None):
    """Return the rank of A: how many singular values exceed a tolerance.

    Inputs:
    - A: (m, n) array, m, n >= 0 (float or integer)
    - tol: None (default) or a number >= 0. None means the relative default
      tol = max(m, n) * eps * s[0], with eps = np.finfo(s.dtype).eps for the
      precision of the SVD (float32 inputs in float32, integer inputs in
      float64), and tol = 0 for an empty matrix.

    Returns:
    - rank: int, the number of singular values s[i] > tol (0 <= rank <= min(m, n))

    Raises:
    - ValueError: if A is not 2-D, or if tol is negative.

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]]))
    1
    >>> matrix_rank(np.eye(3))
    3
    >>> matrix_rank(np.diag([1.0, 1e-3, 1e-9]), tol=1e-6)
    2
    """
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"matrix_rank expects a 2-D array, got shape {A.shape}")
    if tol is not None and tol < 0:
        raise ValueError(f"tol must be >= 0, got {tol}")
    if A.dtype.kind != "f":
        A = A.astype(np.float64)  # integers and booleans: the SVD in float64
    s = np.linalg.svd(A, compute_uv=False)  # singular values, largest first
    if tol is None:
        tol = max(A.shape) * np.finfo(s.dtype).eps * s.max(initial=0.0)
    return int(np.count_nonzero(s > tol))
