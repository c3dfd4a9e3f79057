"""Mutants and valid variants of ``pca``."""

from . import mutant, valid

_HEAD = """
import numpy as np

def pca(X, k):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError("X must be (N, D) with N >= 2")
    if not 0 <= k <= min(X.shape):
        raise ValueError("k out of range")
"""


def _pca(name: str, why: str, tail: str, maker=mutant):
    return maker("pca", "pca", name, why, _HEAD.strip("\n") + "\n" + tail.strip("\n") + "\n")


MUTANTS = [
    _pca("no_centring", "takes the SVD of X itself: the first direction points at the mean", """
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    C = Vt[:k]
    return C, X @ C.T, s[:k] ** 2 / np.sum(s ** 2)
    """),
    _pca("components_as_columns", "returns the directions as columns, shape (D, k)", """
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    C = Vt[:k]
    return C.T, Xc @ C.T, s[:k] ** 2 / np.sum(s ** 2)
    """),
    _pca("singular_value_ratio", "divides singular values instead of variances (s, not s²)", """
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    C = Vt[:k]
    return C, Xc @ C.T, s[:k] / np.sum(s)
    """),
    _pca("ratio_of_kept", "normalises the ratios over the k kept components only (they always sum to 1)", """
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    C = Vt[:k]
    return C, Xc @ C.T, s[:k] ** 2 / np.sum(s[:k] ** 2) if k else np.zeros(0)
    """),
    _pca("smallest_components", "takes the last k rows of Vt, the directions of least variance", """
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    order = np.arange(len(s))[::-1][:k]
    C = Vt[order]
    return C, Xc @ C.T, s[order] ** 2 / np.sum(s ** 2)
    """),
    _pca("projects_uncentred", "centres for the SVD but projects the original X", """
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    C = Vt[:k]
    return C, X @ C.T, s[:k] ** 2 / np.sum(s ** 2)
    """),
    _pca("standardises", "divides every feature by its standard deviation first (that is PCA of the correlation matrix)", """
    std = X.std(axis=0)
    Xs = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    _, s, Vt = np.linalg.svd(Xs, full_matrices=False)
    C = Vt[:k]
    return C, Xs @ C.T, s[:k] ** 2 / np.sum(s ** 2)
    """),
    _pca("loadings", "returns the loadings, each direction times its standard deviation, as the components", """
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    C = Vt[:k] * (s[:k, None] / np.sqrt(len(X) - 1))
    return C, Xc @ C.T, s[:k] ** 2 / np.sum(s ** 2)
    """),
    mutant("pca", "pca", "centres_in_place", "subtracts the mean from the caller's X", """
        import numpy as np

        def pca(X, k):
            if np.ndim(X) != 2 or len(X) < 2 or not 0 <= k <= min(np.shape(X)):
                raise ValueError("bad input")
            X = np.asarray(X, dtype=np.float64)
            X -= X.mean(axis=0)
            _, s, Vt = np.linalg.svd(X, full_matrices=False)
            C = Vt[:k]
            return C, X @ C.T, s[:k] ** 2 / np.sum(s ** 2)
    """),
    mutant("pca", "pca", "no_validation", "no checks: a k beyond min(N, D) quietly returns fewer components", """
        import numpy as np

        def pca(X, k):
            X = np.asarray(X, dtype=np.float64)
            Xc = X - X.mean(axis=0)
            _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
            C = Vt[:k]
            return C, Xc @ C.T, s[:k] ** 2 / np.sum(s ** 2)
    """),
]

VALID = [
    _pca("covariance_eigh", "eigenvectors of the covariance matrix (N - 1), sorted by eigenvalue, largest first", """
    Xc = X - X.mean(axis=0)
    cov = Xc.T @ Xc / (X.shape[0] - 1)
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    C = vectors[:, :k].T
    return C, Xc @ C.T, values[:k] / values.sum()
    """, maker=valid),
    _pca("raw_svd_signs", "keeps whatever signs the SVD returns (no sign convention)", """
    Xc = X - X.mean(axis=0)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    variance = s ** 2 / (len(X) - 1)
    return Vt[:k].copy(), U[:, :k] * s[:k], variance[:k] / variance.sum()
    """, maker=valid),
    _pca("first_entry_positive", "another sign convention: each component's first non-zero entry positive", """
    mean = X.sum(axis=0) / len(X)
    Xc = X - mean
    _, s, Vt = np.linalg.svd(Xc)
    C = Vt[:k].copy()
    for j in range(k):
        nonzero = np.flatnonzero(np.abs(C[j]) > 1e-12)
        if nonzero.size and C[j, nonzero[0]] < 0:
            C[j] = -C[j]
    projected = np.zeros((len(X), k))
    for i in range(len(X)):
        for j in range(k):
            projected[i, j] = np.dot(Xc[i], C[j])
    return C, projected, s[:k] ** 2 / np.sum(s ** 2)
    """, maker=valid),
]
