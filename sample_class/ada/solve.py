"""Exercise: solving linear systems, and the inverse.

Many problems come down to a square system of linear equations

    A x = b        A: (n, n)   x, b: (n,)

"find the vector x that A maps to b". You will solve it the way computers
do: *Gaussian elimination with partial pivoting*, then *back substitution*.

Gaussian elimination
--------------------
Adding a multiple of one equation to another does not change the solution.
Use that to clear everything below the diagonal, one column at a time. At
step k, the *pivot* is the entry M[k, k]. For every row i below it,

    row_i  <-  row_i - (M[i, k] / M[k, k]) * row_k

Apply each operation to the whole row of the *augmented* matrix [A | b], so
that b changes along with A. After n steps the system is upper triangular,
U x = c. Solve it from the bottom up (back substitution):

    x[n-1] = c[n-1] / U[n-1, n-1]
    x[k]   = (c[k] - Σ_{j > k} U[k, j] x[j]) / U[k, k]     for k = n-2, ..., 0

Partial pivoting
----------------
Before step k, look down column k (rows k, ..., n-1) for the entry of
largest absolute value, and swap its row with row k. Two reasons:

* A zero pivot stops plain elimination, even when the system is fine:

      A = [[0, 2],     b = [4,      swap the rows:  [[1, 1],  x = [3,
           [1, 1]]          3]                       [0, 2]]       4]

  The second equation gives x[1] = 4 / 2 = 2, and the first then gives
  x[0] = 3 - 2 = 1. So x = [1, 2]. Check: 0*1 + 2*2 = 4 and 1*1 + 1*2 = 3.

* A *tiny* pivot is just as bad, and harder to spot. With
  A = [[1e-20, 1], [1, 1]] and b = [1, 2] the solution is x ≈ [1, 1].
  Without a swap, the multiplier 1e20 swamps every other number: the
  computer rounds 1 - 1e20 to -1e20, and elimination returns x = [0, 1].
  With the swap, every multiplier is at most 1 in size, and the rounding
  errors stay small.

Pivot on the largest entry, not on the first non-zero one.

Singular matrices
-----------------
If every candidate pivot in a column is zero, then A is *singular*. Its
columns are linearly dependent, and A x = b has either no solution or
infinitely many. In floating point, rounding leaves tiny non-zero numbers
where exact arithmetic would give 0. So this exercise uses a *relative*
tolerance: A counts as singular when, at some step, the largest available
pivot is at most

    tol = SINGULAR_TOL * max|A[i, j]|,       SINGULAR_TOL = 1e-10

Then raise ValueError. The tolerance is relative, so multiplying A by 1e-12
or by 1e12 does not change the answer. A matrix of tiny numbers can be
perfectly invertible. (For an empty 0×0 A, max|A| is 0.)

The inverse, and why you rarely need it
---------------------------------------
The inverse A⁻¹ is the matrix with A A⁻¹ = A⁻¹ A = I. Its column j solves
A x = e_j, where e_j is column j of the identity. So inverting is solving
with n right-hand sides at once:

    inverse(A) = solve(A, I)

This is why ``solve`` also accepts a matrix ``B`` of shape ``(n, k)``: it
solves A X = B for all k columns together. Forming A⁻¹ just to compute
A⁻¹ b costs more work than solving A x = b directly, and it is usually less
accurate. Numerical code solves; it almost never inverts.

Backpropagation never inverts either. The gradient of Z = X W with respect
to X is dX = dZ Wᵀ: a *transpose*, not an inverse. W is usually not even
square, so W⁻¹ would not exist.

Common misconceptions
---------------------
* Forgetting to swap the entries of b (the right-hand side) when you swap
  two rows of A.
* Working on A itself: elimination overwrites the caller's matrix. Copy
  first. Copy as float64, too: a copy of an integer array stays integer,
  and then every row operation is silently rounded to whole numbers.
* Testing ``pivot == 0``. After rounding, a singular matrix rarely shows an
  exact zero. Compare with the relative tolerance instead.
* The transpose is the inverse only for orthogonal matrices. In general,
  Aᵀ ≠ A⁻¹.

Rules for this exercise
-----------------------
Write the elimination yourself. ``np.linalg.solve``, ``np.linalg.inv``,
``np.linalg.pinv``, ``np.linalg.lstsq`` (and their tensor and SciPy
versions) are rejected by an automatic check. ``@``, ``np.argmax`` and
slicing are fine.
"""

import numpy as np

__all__ = ["solve", "inverse", "SINGULAR_TOL"]

SINGULAR_TOL = 1e-10  # relative pivot tolerance: singular when |pivot| <= SINGULAR_TOL * max|A|


import numpy as np

def solve(A, b):
    A = np.array(A, dtype=np.float64)
    b = np.array(b, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or b.ndim not in (1, 2) or b.shape[0] != A.shape[0]:
        raise ValueError("bad shapes")
    n = A.shape[0]
    tol = SINGULAR_TOL * np.abs(A).max(initial=0.0)
    M = np.concatenate([A, b if b.ndim == 2 else b[:, None]], axis=1)
    for k in range(n):
        p = k + np.argmax(np.abs(M[k:, k]))
        if abs(M[p, k]) <= tol:
            raise ValueError("singular")
        M[[k, p]] = M[[p, k]]
        M[k] = M[k] / M[k, k]
        for i in range(n):
            if i != k:
                M[i] = M[i] - M[i, k] * M[k]
    return M[:, n:].reshape(b.shape)


def inverse(A):
    """Return the inverse of a square, non-singular matrix.

    Inputs:
    - A: (n, n) array, n >= 0 (float or integer)

    Returns:
    - A_inv: (n, n) float64 array with A @ A_inv = A_inv @ A = I (up to
      rounding). Column j of A_inv solves A x = e_j.

    Raises:
    - ValueError: if A is not a square 2-D array, or if A is singular (the
      same test as in ``solve``).

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> inverse(np.array([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    >>> inverse(np.array([[0, 1], [1, 0]]))   # a swap undoes itself
    array([[0., 1.],
           [1., 0.]])
    """
    A = np.asarray(A)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"only square matrices have an inverse, got shape {A.shape}")
    return solve(A, np.eye(A.shape[0]))  # solve A X = I: n systems with one elimination
