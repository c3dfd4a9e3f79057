"""Mutants and valid variants of ``gram_schmidt``, ``is_orthogonal`` and ``orthogonal_init``."""

from . import mutant, valid

_GS_HEAD = """
import numpy as np

def gram_schmidt(A):
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[1] > A.shape[0]:
        raise ValueError("A must be (m, n) with n <= m")
    m, n = A.shape
    Q = np.zeros((m, n))
"""


def _gs(name: str, why: str, tail: str, maker=mutant):
    return maker("orthogonality", "gram_schmidt", name, why, _GS_HEAD.strip("\n") + "\n" + tail.strip("\n") + "\n")


_IO_HEAD = """
import numpy as np

def is_orthogonal(Q, tol=1e-10):
    Q = np.asarray(Q, dtype=np.float64)
    if Q.ndim != 2 or tol < 0:
        raise ValueError("Q must be 2-D and tol >= 0")
"""


def _io(name: str, why: str, tail: str, maker=mutant):
    return maker("orthogonality", "is_orthogonal", name, why, _IO_HEAD.strip("\n") + "\n" + tail.strip("\n") + "\n")


MUTANTS = [
    _gs("projects_on_columns", "subtracts projections onto the original columns a_i instead of the q_i", """
    for j in range(n):
        v = A[:, j].copy()
        for i in range(j):
            v -= (A[:, i] @ A[:, j]) / (A[:, i] @ A[:, i]) * A[:, i]
        norm = np.linalg.norm(v)
        if norm <= DEPENDENT_TOL * np.linalg.norm(A[:, j]):
            raise ValueError("dependent")
        Q[:, j] = v / norm
    return Q
    """),
    _gs("no_normalising", "makes the columns orthogonal but not of length 1", """
    for j in range(n):
        v = A[:, j].copy()
        for i in range(j):
            v -= (Q[:, i] @ v) / (Q[:, i] @ Q[:, i]) * Q[:, i]
        if np.linalg.norm(v) <= DEPENDENT_TOL * np.linalg.norm(A[:, j]):
            raise ValueError("dependent")
        Q[:, j] = v
    return Q
    """),
    _gs("rows_not_columns", "loops over the rows of A (for a in A) as if they were the vectors", """
    rows = []
    for a in A:
        v = a.copy()
        for q in rows:
            v -= (q @ v) * q
        norm = np.linalg.norm(v)
        if norm <= DEPENDENT_TOL * np.linalg.norm(a):
            raise ValueError("dependent")
        rows.append(v / norm)
    return np.array(rows).T
    """),
    _gs("exact_zero_test", "raises only when the remainder is exactly 0; rounding noise gets normalised", """
    for j in range(n):
        v = A[:, j].copy()
        for i in range(j):
            v -= (Q[:, i] @ v) * Q[:, i]
        norm = np.linalg.norm(v)
        if norm == 0:
            raise ValueError("dependent")
        Q[:, j] = v / norm
    return Q
    """),
    _gs("householder_signs", "a Householder QR without fixing signs: some columns point away from a_j", """
    R = A.copy()
    Qfull = np.eye(m)
    for k in range(n):
        x = R[k:, k]
        v = x.copy()
        v[0] += np.linalg.norm(x) * (1.0 if x[0] >= 0 else -1.0)
        if np.linalg.norm(v) <= DEPENDENT_TOL * max(np.linalg.norm(A[:, k]), 1e-300):
            raise ValueError("dependent")
        v /= np.linalg.norm(v)
        R[k:] -= 2.0 * np.outer(v, v @ R[k:])
        Qfull[:, k:] -= 2.0 * np.outer(Qfull[:, k:] @ v, v)
        if abs(R[k, k]) <= DEPENDENT_TOL * np.linalg.norm(A[:, k]):
            raise ValueError("dependent")
    return Qfull[:, :n]
    """),
    mutant("orthogonality", "gram_schmidt", "in_place", "normalises the caller's columns in place", """
        import numpy as np

        def gram_schmidt(A):
            if np.ndim(A) != 2 or np.shape(A)[1] > np.shape(A)[0]:
                raise ValueError("A must be (m, n) with n <= m")
            Q = np.asarray(A, dtype=np.float64)
            for j in range(Q.shape[1]):
                size = np.linalg.norm(Q[:, j])
                for i in range(j):
                    Q[:, j] -= (Q[:, i] @ Q[:, j]) * Q[:, i]
                norm = np.linalg.norm(Q[:, j])
                if norm <= DEPENDENT_TOL * size:
                    raise ValueError("dependent")
                Q[:, j] /= norm
            return Q
    """),
    # --- is_orthogonal ---
    _io("rows_instead_of_columns", "compares Q Qᵀ with I: a tall Q with orthonormal columns fails", """
    return bool(np.abs(Q @ Q.T - np.eye(Q.shape[0])).max(initial=0.0) <= tol)
    """),
    _io("only_angles", "checks only that the columns are perpendicular, not their lengths", """
    G = Q.T @ Q
    off = G - np.diag(np.diag(G))
    return bool(np.abs(off).max(initial=0.0) <= tol)
    """),
    _io("only_lengths", "checks only that every column has length 1", """
    return bool(np.abs(np.sum(Q * Q, axis=0) - 1).max(initial=0.0) <= tol)
    """),
    _io("exact_equality", "demands QᵀQ == I exactly, which rounding never gives", """
    return bool(np.array_equal(Q.T @ Q, np.eye(Q.shape[1])))
    """),
    _io("allclose_default_rtol", "np.allclose(QᵀQ, I, atol=tol) also allows a relative 1e-5", """
    return bool(np.allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=tol))
    """),
    _io("ignores_tol", "always uses 1e-10, whatever tol is passed", """
    return bool(np.abs(Q.T @ Q - np.eye(Q.shape[1])).max(initial=0.0) <= 1e-10)
    """),
    mutant("orthogonality", "is_orthogonal", "no_validation", "no input checks: a vector or a negative tol goes through", """
        import numpy as np

        def is_orthogonal(Q, tol=1e-10):
            Q = np.atleast_2d(np.asarray(Q, dtype=np.float64))
            G = np.swapaxes(Q, -1, -2) @ Q
            return bool(np.all(np.abs(G - np.eye(G.shape[-1])) <= tol))
    """),
    # --- orthogonal_init ---
    mutant("orthogonality", "orthogonal_init", "scaled_gaussian", "a Gaussian matrix scaled by 1/√n is only roughly orthogonal", """
        import numpy as np

        def orthogonal_init(n, seed):
            if n < 0:
                raise ValueError("n must be >= 0")
            return np.random.default_rng(seed).standard_normal((n, n)) / np.sqrt(max(n, 1))
    """),
    mutant("orthogonality", "orthogonal_init", "transposed_draw", "orthonormalises the transpose of the drawn matrix", """
        import numpy as np

        def orthogonal_init(n, seed):
            if n < 0:
                raise ValueError("n must be >= 0")
            return gram_schmidt(np.random.default_rng(seed).standard_normal((n, n)).T)
    """),
    mutant("orthogonality", "orthogonal_init", "global_rng", "np.random.seed and np.random.randn: another generator", """
        import numpy as np

        def orthogonal_init(n, seed):
            if n < 0:
                raise ValueError("n must be >= 0")
            np.random.seed(seed % 2**32)
            return gram_schmidt(np.random.randn(n, n))
    """),
    mutant("orthogonality", "orthogonal_init", "unseeded", "draws from an unseeded generator: a new matrix every call", """
        import numpy as np

        def orthogonal_init(n, seed):
            if n < 0:
                raise ValueError("n must be >= 0")
            return gram_schmidt(np.random.default_rng().standard_normal((n, n)))
    """),
]

VALID = [
    _gs("classical", "classical Gram–Schmidt: every coefficient from the original column a_j", """
    for j in range(n):
        a = A[:, j]
        v = a - Q[:, :j] @ (Q[:, :j].T @ a)
        norm = np.linalg.norm(v)
        if norm <= DEPENDENT_TOL * np.linalg.norm(a):
            raise ValueError(f"column {j} is dependent")
        Q[:, j] = v / norm
    return Q
    """, maker=valid),
    _gs("twice_is_enough", "classical Gram–Schmidt with a second orthogonalisation pass", """
    for j in range(n):
        a = A[:, j]
        v = a.copy()
        for _ in range(2):
            v = v - Q[:, :j] @ (Q[:, :j].T @ v)
        norm = np.linalg.norm(v)
        if norm <= DEPENDENT_TOL * np.linalg.norm(a):
            raise ValueError(f"column {j} is dependent")
        Q[:, j] = v / norm
    return Q
    """, maker=valid),
    _gs("householder_fixed_signs", "Householder QR, each column's sign fixed so that R's diagonal is positive", """
    R = A.copy()
    Qfull = np.eye(m)
    for k in range(n):
        x = R[k:, k]
        v = x.copy()
        v[0] += np.linalg.norm(x) * (1.0 if x[0] >= 0 else -1.0)
        if np.linalg.norm(v) == 0:
            raise ValueError("dependent")
        v /= np.linalg.norm(v)
        R[k:] -= 2.0 * np.outer(v, v @ R[k:])
        Qfull[:, k:] -= 2.0 * np.outer(Qfull[:, k:] @ v, v)
        if abs(R[k, k]) <= DEPENDENT_TOL * np.linalg.norm(A[:, k]):
            raise ValueError("dependent")
    signs = np.sign(np.diag(R)[:n])
    return Qfull[:, :n] * signs
    """, maker=valid),
    # --- is_orthogonal ---
    _io("frobenius", "the Frobenius norm of QᵀQ - I instead of its largest entry", """
    return bool(np.linalg.norm(Q.T @ Q - np.eye(Q.shape[1])) <= tol)
    """, maker=valid),
    _io("loops", "every pair of columns with a dot product in a loop; returns numpy's bool", """
    n = Q.shape[1]
    worst = 0.0
    for i in range(n):
        for j in range(n):
            target = 1.0 if i == j else 0.0
            worst = max(worst, abs(np.dot(Q[:, i], Q[:, j]) - target))
    return np.bool_(worst <= tol)
    """, maker=valid),
    # --- orthogonal_init ---
    valid("orthogonality", "orthogonal_init", "column_by_column", "draws the matrix, then orthonormalises it inline (modified GS)", """
        import numpy as np

        def orthogonal_init(n, seed):
            if n < 0:
                raise ValueError("n must not be negative")
            G = np.random.default_rng(seed).standard_normal((n, n))
            Q = np.zeros((n, n))
            for j in range(n):
                v = G[:, j].copy()
                for i in range(j):
                    v = v - np.dot(Q[:, i], v) * Q[:, i]
                Q[:, j] = v / np.linalg.norm(v)
            return Q
    """),
    valid("orthogonality", "orthogonal_init", "via_qr_recipe", "the recipe with the module's gram_schmidt, n checked with operator.index", """
        import operator
        import numpy as np

        def orthogonal_init(n, seed):
            n = operator.index(n)
            if n < 0:
                raise ValueError("n must not be negative")
            rng = np.random.default_rng(seed)
            return gram_schmidt(rng.standard_normal(size=(n, n)))
    """),
]
