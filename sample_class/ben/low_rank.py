"""Exercise: low-rank approximation (truncated SVD), and what it saves.

A weight matrix W of shape (m, n) has m·n parameters. Suppose it is close to
a matrix of rank r. Then it can be stored as two thin factors,
A: (m, r) and B: (r, n), with W ≈ A @ B. That is r·(m + n) numbers instead
of m·n. The layer ``x @ W`` becomes two cheaper layers, ``(x @ A) @ B``.
LoRA fine-tuning and many compression methods use this idea. The best
factors come from the singular value decomposition.

Truncated SVD
-------------
Write the SVD as a sum of rank-one pieces, largest first:

    W = U diag(s) Vᵀ = s[0] u_0 v_0ᵀ + s[1] u_1 v_1ᵀ + ... ,   s[0] >= s[1] >= ... >= 0

    U: (m, p)   s: (p,)   Vᵀ: (p, n)   with p = min(m, n)

Keep the first r pieces:

    W_r = Σ_{i < r} s[i] u_i v_iᵀ = U[:, :r] @ diag(s[:r]) @ Vᵀ[:r, :]      (m, n)

In numpy, ``U, s, Vt = np.linalg.svd(W, full_matrices=False)`` gives
``Vt = Vᵀ`` (its *rows* are the v_i). The factors are then
A = U[:, :r] * s[:r] (scale each column) and B = Vt[:r].

Eckart–Young: nothing of rank r does better
-------------------------------------------
Among all matrices of rank at most r, W_r is closest to W. The error is
exactly the part that was dropped:

    ‖W - W_r‖_F = sqrt(s[r]² + s[r+1]² + ... )

(‖·‖_F, the Frobenius norm, is the square root of the sum of squared
entries.) So the singular values tell you in advance how much a rank-r
approximation loses. If r is at least the rank of W, nothing is dropped,
and W_r is W itself (up to rounding). r = 0 keeps nothing and gives the zero
matrix.

Worked example
--------------
    W = [[3, 0],     s = [3, 1], u_0 = v_0 = [1, 0], u_1 = v_1 = [0, 1]
         [0, 1]]

    W_1 = 3 · [1, 0]ᵀ [1, 0] = [[3, 0],
                                [0, 0]]      error ‖W - W_1‖_F = 1 = s[1]

Counting parameters: a 512 × 512 layer has 262,144 weights. Rank-16
factors have 16 · (512 + 512) = 16,384, which saves 245,760. The factors
only pay off while r < m·n / (m + n). Beyond that break-even rank, the
"savings" are negative.

Common misconceptions
---------------------
* ``np.linalg.svd`` returns Vᵀ, not V. Take its first r *rows*.
* Forgetting the singular values. U[:, :r] @ Vt[:r] has the right shape but
  the wrong size along every direction.
* Keeping the r *smallest* singular values. numpy sorts them largest first.
* Zeroing the smallest *entries* of W (pruning) is a different method. It
  does not give the best rank-r matrix.
* r larger than min(m, n) is not an error. It keeps every piece.
* Getting the directions from the eigenvectors of Wᵀ W squares the
  condition number: small singular values lose half of their digits. Take
  the SVD of W itself.

You may use ``np.linalg.svd``, ``@`` and ``.T`` freely in this exercise.
"""

import numpy as np

__all__ = ["low_rank_approx", "parameter_savings"]


def low_rank_approx(W, r):
    """Return the best rank-r approximation of W: its SVD truncated to r terms.

    Inputs:
    - W: (m, n) array, m, n >= 0 (float or integer)
    - r: int >= 0, the rank to keep (r >= min(m, n) keeps everything)

    Returns:
    - W_r: (m, n) float64 array, Σ_{i < r} s[i] u_i v_iᵀ. It has rank at most
      r, and ‖W - W_r‖_F = sqrt(Σ_{i >= r} s[i]²), the smallest possible.

    Raises:
    - ValueError: if W is not 2-D, or if r < 0.

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> low_rank_approx(np.array([[3.0, 0.0], [0.0, 1.0]]), 1)
    array([[3., 0.],
           [0., 0.]])
    >>> low_rank_approx(np.array([[3.0, 0.0], [0.0, 1.0]]), 0)
    array([[0., 0.],
           [0., 0.]])
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2:
        raise ValueError(f"W must be 2-D, got shape {W.shape}")
    if r < 0:
        raise ValueError(f"r must be >= 0, got {r}")
    U, s, Vt = np.linalg.svd(W, full_matrices=False)  # s is sorted, largest first
    return (U[:, :r] * s[:r]) @ Vt[:r]  # keep the r largest pieces s[i] u_i v_iᵀ


def parameter_savings(shape, r):
    """Return how many parameters rank-r factors save over a full (m, n) matrix.

    A full matrix has m·n parameters. Rank-r factors A: (m, r) and
    B: (r, n) with W ≈ A @ B have r·(m + n). (The singular values are folded
    into A, so they are not counted separately.)

    Inputs:
    - shape: a pair (m, n) of ints >= 0, the shape of the full matrix
    - r: int >= 0, the rank of the factors

    Returns:
    - saved: int, m·n - r·(m + n). It is negative when the factors are
      bigger than the matrix (r above the break-even rank m·n / (m + n)).

    Raises:
    - ValueError: if shape does not have exactly two entries, or if m, n or
      r is negative.

    Example:
    >>> parameter_savings((512, 512), 16)
    245760
    >>> parameter_savings((4, 6), 3)
    -6
    """
    if len(shape) != 2:
        raise ValueError(f"shape must be a pair (m, n), got {shape}")
    m, n = shape
    if m < 0 or n < 0 or r < 0:
        raise ValueError(f"sizes must be >= 0, got shape {shape} and r = {r}")
    return int(m * n - r * (m + n))
