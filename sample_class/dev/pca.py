"""Exercise: principal component analysis (PCA).

A data set X of N examples with D features is a cloud of N points in
D-dimensional space. PCA finds the directions along which the cloud spreads
out most. It keeps the top k of them. Projecting onto those directions gives
a k-dimensional summary of every example, and that summary loses as little
of the spread as possible. PCA is used to visualise embeddings, to compress
features and to whiten inputs. It is also a good first look at what a
network has learned.

The recipe
----------
    X: (N, D)   one example per row

1. Centre: subtract the mean of each feature (column),
   Xc = X - X.mean(axis=0). PCA describes the spread *around* the mean.
   Without centring, the first "direction" points at the mean instead.
2. SVD of the centred data: Xc = U diag(s) Vᵀ. The rows of Vᵀ are
   orthonormal directions in feature space, sorted by s (largest first).
   ``np.linalg.svd(Xc, full_matrices=False)`` returns ``U, s, Vt``.
3. The top k rows of Vᵀ are the *principal components*:
   components = Vt[:k], shape (k, D), with orthonormal rows.
4. Project: projected = Xc @ componentsᵀ, shape (N, k). Entry (i, j) is the
   coordinate of example i along component j.
5. The variance along component j is s[j]² / N (or / (N - 1); the factor
   cancels below). The *explained variance ratio* is the fraction of the
   total variance that it captures:

       explained_variance_ratio[j] = s[j]² / Σ_i s[i]²        shape (k,)

   These fractions are sorted largest first. All of them together (k = all)
   sum to 1.

The same components are the eigenvectors of the covariance matrix
Xcᵀ Xc / N, with eigenvalues s²/N. The SVD route is more accurate, because
it never squares the numbers.

Signs
-----
A direction and its opposite describe the same axis, so each component is
determined only up to sign. If you flip component j, column j of
``projected`` flips with it. This exercise's convention: flip each component
so that its entry of largest absolute value is positive (the first such
entry, if there is a tie). Either sign is accepted, though, as long as the
component and its column of ``projected`` agree.

Worked example
--------------
    X = [[ 1,  1],      mean = [2, 2],   Xc = [[-1, -1],
         [ 3,  3],                             [ 1,  1],
         [ 2,  2]]                             [ 0,  0]]

All the spread is along the diagonal: Xc = U diag([2, 0]) Vᵀ with first
direction v_0 = [1, 1]/√2 ≈ [0.7071, 0.7071]. With k = 1:

    components = [[0.7071, 0.7071]]
    projected  = [[-1.4142], [1.4142], [0]]     (= Xc @ v_0, ±√2)
    explained_variance_ratio = [1.0]            (4 / (4 + 0))

Common misconceptions
---------------------
* Forgetting to centre.
* Taking columns of Vt (or rows of U) as the components. The components
  live in feature space, so each has D entries: the *rows* of Vt.
* Using s instead of s² in the ratio. Variance is squared spread.
* Dividing by the sum over the top k only. The ratio compares with the
  *total* variance, so with k < D the ratios usually sum to less than 1.
* Projecting the uncentred X.

You may use ``np.linalg.svd`` (or ``np.linalg.eigh``), ``@`` and ``.T``
freely in this exercise.
"""

import numpy as np

__all__ = ["pca"]


def pca(X, k):
    """Principal component analysis: the top k directions of spread of X.

    Inputs:
    - X: (N, D) array, N >= 2 examples (rows), D >= 0 features (float or
      integer). The rows must not all be equal (there must be some variance).
    - k: int, the number of components, 0 <= k <= min(N, D)

    Returns a tuple (components, projected, explained_variance_ratio):
    - components: (k, D) float64 array with orthonormal rows, the
      directions of largest variance of the centred data, largest first.
      Each is determined up to sign. The convention: the entry of largest
      absolute value is positive (either sign is accepted).
    - projected: (N, k) float64 array, (X - X.mean(axis=0)) @ components.T
    - explained_variance_ratio: (k,) float64 array, s[j]² / Σ_i s[i]² for
      the singular values s of the centred data, largest first

    Raises:
    - ValueError: if X is not 2-D, if N < 2, or if k is not in 0..min(N, D).

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> components, projected, ratio = pca(np.array([[1, 1], [3, 3], [2, 2]]), 1)
    >>> components.round(4), projected.round(4), ratio.round(4)
    (array([[0.7071, 0.7071]]), array([[-1.4142],
           [ 1.4142],
           [ 0.    ]]), array([1.]))
    """
    raise NotImplementedError("pca: not implemented yet")
