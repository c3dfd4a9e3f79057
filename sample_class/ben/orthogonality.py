"""Exercise: orthonormal bases, Gram–Schmidt, and orthogonal initialisation.

Vectors q_0, ..., q_{n-1} are *orthonormal* when each has length 1 and
every two of them are perpendicular: q_i · q_j = 1 if i = j, else 0. Put
them as the columns of a matrix Q: (m, n). Then all those dot products fit
in one identity:

    Qᵀ Q = I   (n × n)

A square Q with Qᵀ Q = I is an *orthogonal matrix*. Its inverse is simply
its transpose, Q⁻¹ = Qᵀ, and then Q Qᵀ = I as well.

Why orthogonal matrices matter
------------------------------
They preserve lengths and angles:

    ‖Q x‖² = (Q x)ᵀ (Q x) = xᵀ Qᵀ Q x = xᵀ x = ‖x‖²

A recurrent network applies the same weight matrix at every time step,
h_t = W h_{t-1} + ... . If W stretches, a hundred steps blow the signal (and
the gradient flowing back through Wᵀ) up like 1.1¹⁰⁰ ≈ 14,000. If it
shrinks, the signal dies like 0.9¹⁰⁰ ≈ 0.00003. An orthogonal W does
neither. This is why recurrent and very deep networks are often
*initialised* with a random orthogonal matrix.

Gram–Schmidt
------------
Turn linearly independent columns a_0, ..., a_{n-1} of A: (m, n) into
orthonormal columns q_0, ..., q_{n-1} that span the same space, one column
at a time. Take a_j, remove its components along the directions found so
far, and normalise what is left:

    v = a_j - Σ_{i < j} (q_i · a_j) q_i
    q_j = v / ‖v‖

If v is (nearly) the zero vector, then a_j is a combination of the earlier
columns. It adds no new direction, so there is nothing to normalise: raise
ValueError. "Nearly" uses a relative tolerance, as in the solve exercise:
a_j counts as dependent when

    ‖v‖ <= DEPENDENT_TOL * ‖a_j‖,        DEPENDENT_TOL = 1e-10

(so a zero column is always dependent). More columns than rows (n > m) are
always dependent. Only m directions exist in m-dimensional space.

Each q_j points to the same side as a_j (q_j · a_j > 0). With this
convention the answer is unique: A = Q R with R upper triangular and R's
diagonal positive. The checks compare your Q with the reference's.

*Modified* Gram–Schmidt is the same in exact arithmetic and better in
floating point. It subtracts the projections one at a time, each computed
from the *current* v:

    v = a_j;  for i < j:  v = v - (q_i · v) q_i

The classical formula computes every q_i · a_j from the original a_j. With
rounding, its q's slowly lose their orthogonality when the columns of A are
nearly dependent. Both versions are accepted on the well-conditioned
matrices the checks use.

Worked example
--------------
    A = [[3, 1],     a_0 = [3, 4],  a_1 = [1, 2]
         [4, 2]]

    q_0 = [3, 4] / 5 = [0.6, 0.8]
    v   = [1, 2] - (0.6·1 + 0.8·2) [0.6, 0.8] = [1, 2] - 2.2 [0.6, 0.8] = [-0.32, 0.24]
    q_1 = v / 0.4 = [-0.8, 0.6]
    Q = [[0.6, -0.8],      QᵀQ = I,  and q_1 · a_1 = 0.4 > 0
         [0.8,  0.6]]

Random orthogonal matrices
--------------------------
Apply Gram–Schmidt to a square matrix of independent standard normal
entries. The result is a random orthogonal matrix, "uniformly" distributed
over all of them (the Haar distribution). The recipe for
``orthogonal_init``:

    rng = np.random.default_rng(seed)
    Q = gram_schmidt(rng.standard_normal((n, n)))

Checking orthogonality
----------------------
Rounding makes Qᵀ Q equal to I only approximately. ``is_orthogonal`` asks
whether every entry of Qᵀ Q - I is at most ``tol`` in absolute value. That
is the question "are the columns orthonormal?", for a square Q or a tall
one (m > n).

Common misconceptions
---------------------
* Subtracting projections onto the original columns a_i instead of the
  orthonormal q_i.
* Forgetting to normalise (orthogonal is not orthonormal).
* Checking Q Qᵀ = I for a tall Q. Its columns can be orthonormal while
  Q Qᵀ (m × m) is not I: it projects onto the column space.
* ``np.allclose(Q.T @ Q, I, atol=tol)`` also allows a *relative* error of
  1e-5 by default (its ``rtol``), so it accepts columns of length 1.000005.

Rules for this exercise
-----------------------
``np.linalg.qr`` (and SciPy's ``qr``, ``orth`` and ``ortho_group``) are
rejected by an automatic check. ``@``, ``.T`` and ``np.linalg.norm`` are
fine.
"""

import numpy as np

__all__ = ["gram_schmidt", "is_orthogonal", "orthogonal_init", "DEPENDENT_TOL"]

DEPENDENT_TOL = 1e-10  # a_j is dependent when ‖v‖ <= DEPENDENT_TOL * ‖a_j‖


def gram_schmidt(A):
    """Orthonormalise the columns of A (Gram–Schmidt).

    Inputs:
    - A: (m, n) array with linearly independent columns, n <= m (float or
      integer; n = 0 is allowed)

    Returns:
    - Q: (m, n) float64 array with orthonormal columns (Qᵀ Q = I) spanning
      the same space as A's columns. Column j is built from columns
      0..j of A, and q_j · a_j > 0. So A = Q R with R upper triangular and a
      positive diagonal.

    Raises:
    - ValueError: if A is not 2-D, if n > m, or if a column is dependent on
      the earlier ones: ‖v‖ <= DEPENDENT_TOL * ‖a_j‖ for its remainder v.

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> gram_schmidt(np.array([[3.0, 1.0], [4.0, 2.0]]))
    array([[ 0.6, -0.8],
           [ 0.8,  0.6]])
    """
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[1] > A.shape[0]:
        raise ValueError(f"A must be (m, n) with n <= m, got shape {A.shape}")
    Q = np.zeros(A.shape)
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for i in range(j):  # modified Gram–Schmidt: project the current v
            v -= (Q[:, i] @ v) * Q[:, i]
        norm = np.linalg.norm(v)
        if norm <= DEPENDENT_TOL * np.linalg.norm(A[:, j]):
            raise ValueError(f"column {j} depends linearly on the columns before it")
        Q[:, j] = v / norm
    return Q


def is_orthogonal(Q, tol=1e-10):
    """Return whether the columns of Q are orthonormal: |Qᵀ Q - I| <= tol entrywise.

    Inputs:
    - Q: (m, n) array (square or tall; float or integer)
    - tol: number >= 0, the largest allowed |(Qᵀ Q - I)[i, j]|

    Returns:
    - ok: bool, True when every entry of Qᵀ Q - I (n × n) is at most tol in
      absolute value. (An (m, 0) Q has no columns: True.)

    Raises:
    - ValueError: if Q is not 2-D, or if tol < 0.

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> is_orthogonal(np.array([[0.6, -0.8], [0.8, 0.6]]))
    True
    >>> is_orthogonal(np.array([[1.0, 1.0], [0.0, 1.0]]))
    False
    >>> is_orthogonal(np.array([[1.0], [0.0], [0.0]]))   # one unit column
    True
    """
    Q = np.asarray(Q, dtype=np.float64)
    if Q.ndim != 2:
        raise ValueError(f"Q must be 2-D, got shape {Q.shape}")
    if tol < 0:
        raise ValueError(f"tol must be >= 0, got {tol}")
    deviation = np.abs(Q.T @ Q - np.eye(Q.shape[1]))
    return bool(deviation.max(initial=0.0) <= tol)


def orthogonal_init(n, seed):
    """A random (n, n) orthogonal matrix, for initialising weights.

    Inputs:
    - n: int >= 0
    - seed: int. Use exactly this recipe:
      Q = gram_schmidt(np.random.default_rng(seed).standard_normal((n, n)))

    Returns:
    - Q: (n, n) float64 orthogonal matrix, Qᵀ Q = Q Qᵀ = I (up to rounding).
      The same seed always gives the same Q.

    Raises:
    - ValueError: if n < 0.

    Example:
    >>> Q = orthogonal_init(4, seed=0)
    >>> Q.shape, is_orthogonal(Q)
    ((4, 4), True)
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return gram_schmidt(np.random.default_rng(seed).standard_normal((n, n)))
