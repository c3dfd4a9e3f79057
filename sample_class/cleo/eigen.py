"""Exercise: power iteration, the dominant eigenpair.

An *eigenvector* of a square matrix A is a direction that A only stretches:

    A v = λ v,     v ≠ 0,   λ the eigenvalue (a number)

The *dominant* eigenpair is the one whose eigenvalue has the largest
absolute value |λ|. It matters throughout deep learning. Take the Hessian of
a loss. Its top eigenvalue limits the stable learning rate: gradient descent
diverges once lr > 2 / λ_max. For a weight matrix W, the top eigenvalue of
Wᵀ W is the square of the largest singular value of W, the most W can
stretch a vector. Spectral normalisation divides W by that number. All of
these are computed by power iteration. It needs nothing but matrix–vector
products.

The method
----------
Start from a random unit vector x and repeat:

    y = A x
    x = y / ‖y‖            (‖·‖ is the Euclidean norm, np.linalg.norm)

Why it works: write x = Σ c_i v_i in terms of the eigenvectors. After t
steps the direction is that of Σ c_i λ_i^t v_i. The term with the largest
|λ_i| grows fastest, and the others shrink relative to it by (|λ_2| / |λ_1|)^t.
The normalisation only keeps the numbers from overflowing or underflowing.
It does not change the direction.

The eigenvalue estimate is the *Rayleigh quotient* of the final unit vector:

    λ = xᵀ A x

It keeps the sign. If λ_1 < 0, the iterates flip sign at every step, which
is fine: only the direction matters, and a vector and its opposite are the
same eigenvector. ‖A x‖ gives |λ| only, so it would miss the sign.

Convergence is measured by the *residual* ‖A x - λ x‖. It is 0 exactly when
(λ, x) is an eigenpair, and small when the pair is nearly one.

This exercise's procedure (follow it exactly)
---------------------------------------------
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    x = x / ‖x‖
    repeat num_iters times:   x = A x / ‖A x‖
    return (xᵀ A x, x)

With num_iters = 0 you get the normalised start vector and its Rayleigh
quotient. Same seed, same answer. The checks compare your results with this
procedure after a few steps, up to the sign of x. After many steps they
check only the eigenpair itself.

Worked example
--------------
    A = [[2, 0],     eigenvalues 2 and 1, dominant eigenvector [1, 0]
         [0, 1]]

    x_0 = [0.6, 0.8]                    (a unit vector)
    A x_0 = [1.2, 0.8]   ->  x_1 = [0.8321, 0.5547]
    A x_1 = [1.6641, 0.5547] -> x_2 = [0.9487, 0.3162]
    ...   the second entry halves relative to the first at every step
    λ = x_2ᵀ A x_2 = 2·0.9 + 1·0.1 = 1.9 -> 2

The matrices in this exercise are symmetric (A = Aᵀ, like Hessians,
covariance matrices and Wᵀ W). Their eigenvalues are real and their
eigenvectors orthogonal.

Common misconceptions
---------------------
* Forgetting to normalise: A^t x overflows (or underflows to 0) within a
  few hundred steps.
* Returning ‖A x‖ as the eigenvalue: it loses the sign of a negative λ.
* Expecting a particular sign of the eigenvector: v and -v are equally
  correct.
* Convergence is slow when |λ_2| is close to |λ_1|. Check the residual
  rather than trusting a fixed number of steps.

Rules for this exercise
-----------------------
``np.linalg.eig``, ``eigh``, ``eigvals``, ``eigvalsh`` and ``svd`` (and the
SciPy versions) are rejected by an automatic check. ``@`` and
``np.linalg.norm`` are fine.
"""

import numpy as np

__all__ = ["power_iteration"]


def power_iteration(A, num_iters, seed):
    """Estimate the dominant eigenpair of a square matrix by power iteration.

    Inputs:
    - A: (n, n) array, n >= 1 (float or integer), usually symmetric
    - num_iters: int >= 0, the number of steps x <- A x / ‖A x‖
    - seed: int, the start vector is
      x = np.random.default_rng(seed).standard_normal(n), normalised to length 1

    Returns a tuple (eigenvalue, eigenvector):
    - eigenvalue: float, the Rayleigh quotient xᵀ A x of the final x
    - eigenvector: (n,) float64 array x, the final iterate, ‖x‖ = 1

    Raises:
    - ValueError: if A is not a square 2-D array with n >= 1, if
      num_iters < 0, or if some step gives A x = 0 (e.g. A is the zero
      matrix: there is no direction to normalise).

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> value, vector = power_iteration(np.array([[2.0, 0.0], [0.0, 1.0]]), 100, seed=0)
    >>> round(float(value), 6), np.abs(vector).round(6)
    (2.0, array([1., 0.]))
    >>> value, vector = power_iteration(np.array([[-3.0, 0.0], [0.0, 1.0]]), 100, seed=0)
    >>> round(float(value), 6)
    -3.0
    """
    raise NotImplementedError("eigen: not implemented yet")
