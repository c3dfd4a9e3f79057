"""Mutants and valid variants of ``solve`` and ``inverse``."""

from . import mutant, valid

# The shape checks every variant shares (kept identical so that each mutant has one mistake).
_CHECKS = """
    A = np.array(A, dtype=np.float64)
    b = np.array(b, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or b.ndim not in (1, 2) or b.shape[0] != A.shape[0]:
        raise ValueError("bad shapes")
    n = A.shape[0]
    tol = SINGULAR_TOL * np.abs(A).max(initial=0.0)
"""


def _solve(name: str, why: str, body: str, header: str = _CHECKS, maker=mutant):
    return maker("solve", "solve", name, why, "import numpy as np\n\ndef solve(A, b):\n"
                 + header.strip("\n") + "\n" + body.strip("\n") + "\n")


_BACK = """
    x = np.zeros((n, M.shape[1] - n))
    for k in range(n - 1, -1, -1):
        x[k] = (M[k, n:] - M[k, k + 1:n] @ x[k + 1:]) / M[k, k]
    return x.reshape(b.shape)
"""

MUTANTS = [
    _solve("no_pivoting", "eliminates in the given row order: a zero on the diagonal stops it", """
    M = np.concatenate([A, b if b.ndim == 2 else b[:, None]], axis=1)
    for k in range(n):
        if abs(M[k, k]) <= tol:
            raise ValueError("singular")
        M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
    """ + _BACK),
    _solve("first_nonzero_pivot", "swaps only when the pivot is exactly 0, so a tiny pivot ruins the answer", """
    M = np.concatenate([A, b if b.ndim == 2 else b[:, None]], axis=1)
    for k in range(n):
        if np.abs(M[k:, k]).max() <= tol:
            raise ValueError("singular")
        p = k + np.flatnonzero(M[k:, k])[0]
        M[[k, p]] = M[[p, k]]
        M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
    """ + _BACK),
    _solve("argmax_without_abs", "pivots on the largest value instead of the largest absolute value", """
    M = np.concatenate([A, b if b.ndim == 2 else b[:, None]], axis=1)
    for k in range(n):
        if np.abs(M[k:, k]).max() <= tol:
            raise ValueError("singular")
        p = k + np.argmax(M[k:, k])
        M[[k, p]] = M[[p, k]]
        M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
    """ + _BACK),
    _solve("integer_copy", "copies the inputs without converting: integer rows are rounded at every step", """
    M = np.concatenate([A_in, b_in if b_in.ndim == 2 else b_in[:, None]], axis=1)
    for k in range(n):
        p = k + np.argmax(np.abs(M[k:, k]))
        if abs(M[p, k]) <= tol:
            raise ValueError("singular")
        M[[k, p]] = M[[p, k]]
        M[k + 1:] -= (np.outer(M[k + 1:, k] / M[k, k], M[k])).astype(M.dtype)
    """ + _BACK, header="""
    A_in, b_in = np.asarray(A), np.asarray(b)
    A = np.array(A, dtype=np.float64)
    b = np.array(b, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or b.ndim not in (1, 2) or b.shape[0] != A.shape[0]:
        raise ValueError("bad shapes")
    n = A.shape[0]
    tol = SINGULAR_TOL * np.abs(A).max(initial=0.0)
    """),
    _solve("forgets_to_swap_b", "swaps the rows of A but not the entries of b", """
    c = (b if b.ndim == 2 else b[:, None]).copy()
    for k in range(n):
        p = k + np.argmax(np.abs(A[k:, k]))
        if abs(A[p, k]) <= tol:
            raise ValueError("singular")
        A[[k, p]] = A[[p, k]]
        factors = A[k + 1:, k] / A[k, k]
        A[k + 1:] -= np.outer(factors, A[k])
        c[k + 1:] -= np.outer(factors, c[k])
    x = np.zeros_like(c)
    for k in range(n - 1, -1, -1):
        x[k] = (c[k] - A[k, k + 1:] @ x[k + 1:]) / A[k, k]
    return x.reshape(b.shape)
    """),
    _solve("exact_zero_test", "tests the pivot with == 0, but rounding leaves tiny pivots on singular matrices", """
    M = np.concatenate([A, b if b.ndim == 2 else b[:, None]], axis=1)
    for k in range(n):
        p = k + np.argmax(np.abs(M[k:, k]))
        if M[p, k] == 0:
            raise ValueError("singular")
        M[[k, p]] = M[[p, k]]
        M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
    """ + _BACK),
    _solve("absolute_tolerance", "an absolute pivot tolerance: tiny but regular matrices are called singular", """
    M = np.concatenate([A, b if b.ndim == 2 else b[:, None]], axis=1)
    for k in range(n):
        p = k + np.argmax(np.abs(M[k:, k]))
        if abs(M[p, k]) < 1e-10:
            raise ValueError("singular")
        M[[k, p]] = M[[p, k]]
        M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
    """ + _BACK),
    _solve("in_place", "eliminates in the caller's arrays instead of copies", """
    for k in range(n):
        p = k + np.argmax(np.abs(A[k:, k]))
        if abs(A[p, k]) <= tol:
            raise ValueError("singular")
        A[[k, p]] = A[[p, k]]
        B[[k, p]] = B[[p, k]]
        factors = A[k + 1:, k] / A[k, k]
        A[k + 1:] -= np.outer(factors, A[k])
        B[k + 1:] -= np.outer(factors, B[k]) if B.ndim == 2 else factors * B[k]
    x = np.zeros(B.shape)
    for k in range(n - 1, -1, -1):
        x[k] = (B[k] - A[k, k + 1:] @ x[k + 1:]) / A[k, k]
    return x
    """, header="""
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(b, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or B.ndim not in (1, 2) or B.shape[0] != A.shape[0]:
        raise ValueError("bad shapes")
    n = A.shape[0]
    tol = SINGULAR_TOL * np.abs(A).max(initial=0.0)
    """),
    _solve("no_shape_check", "trusts the shapes: a non-square A or a short b goes through", """
    M = np.concatenate([A, b if b.ndim == 2 else b[:, None]], axis=1)
    n = A.shape[0]
    for k in range(min(A.shape)):
        p = k + np.argmax(np.abs(M[k:, k]))
        if abs(M[p, k]) <= tol:
            raise ValueError("singular")
        M[[k, p]] = M[[p, k]]
        M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
    x = np.zeros((n, M.shape[1] - A.shape[1]))
    for k in range(n - 1, -1, -1):
        x[k] = (M[k, A.shape[1]:] - M[k, k + 1:A.shape[1]] @ x[k + 1:A.shape[1]]) / M[k, k]
    return x.reshape(b.shape)
    """, header="""
    A = np.array(A, dtype=np.float64)
    b = np.array(b, dtype=np.float64)
    tol = SINGULAR_TOL * np.abs(A).max(initial=0.0)
    """),
    _solve("always_2d", "returns an (n, 1) column for a 1-D b", """
    M = np.concatenate([A, b if b.ndim == 2 else b[:, None]], axis=1)
    for k in range(n):
        p = k + np.argmax(np.abs(M[k:, k]))
        if abs(M[p, k]) <= tol:
            raise ValueError("singular")
        M[[k, p]] = M[[p, k]]
        M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
    x = np.zeros((n, M.shape[1] - n))
    for k in range(n - 1, -1, -1):
        x[k] = (M[k, n:] - M[k, k + 1:n] @ x[k + 1:]) / M[k, k]
    return x
    """),
    # --- inverse ---
    mutant("solve", "inverse", "transpose", "returns Aᵀ, which is the inverse only for orthogonal matrices", """
        import numpy as np

        def inverse(A):
            A = np.asarray(A, dtype=np.float64)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("not square")
            solve(A, np.eye(A.shape[0]))  # raises for a singular A
            return A.T.copy()
    """),
    mutant("solve", "inverse", "reciprocal", "takes 1 / a for every entry (the inverse of a number, not of a matrix)", """
        import numpy as np

        def inverse(A):
            A = np.asarray(A, dtype=np.float64)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("not square")
            solve(A, np.eye(A.shape[0]))  # raises for a singular A
            with np.errstate(divide="ignore"):
                return 1.0 / A
    """),
    mutant("solve", "inverse", "transposed_system", "solves Aᵀ X = I, which gives (A⁻¹)ᵀ", """
        import numpy as np

        def inverse(A):
            A = np.asarray(A)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("not square")
            return solve(A.T, np.eye(A.shape[0]))
    """),
    mutant("solve", "inverse", "determinant_is_zero", "the cofactor formula, with singularity tested by det(A) == 0", """
        import numpy as np

        def inverse(A):
            A = np.asarray(A, dtype=np.float64)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("not square")
            n = A.shape[0]
            det = np.linalg.det(A) if n else 1.0
            if det == 0:
                raise ValueError("singular")
            if n == 1:
                return np.array([[1.0 / A[0, 0]]])
            cof = np.zeros((n, n))
            for i in range(n):
                for j in range(n):
                    minor = np.delete(np.delete(A, i, axis=0), j, axis=1)
                    cof[i, j] = (-1) ** (i + j) * np.linalg.det(minor)
            return cof.T / det
    """),
    mutant("solve", "inverse", "normal_equations", "(AᵀA)⁻¹Aᵀ: equals A⁻¹ for square A, but accepts tall matrices", """
        import numpy as np

        def inverse(A):
            A = np.asarray(A, dtype=np.float64)
            if A.ndim != 2:
                raise ValueError("not a matrix")
            return solve(A.T @ A, A.T)
    """),
    mutant("solve", "inverse", "gauss_jordan_in_place", "Gauss–Jordan on the caller's A instead of a copy", """
        import numpy as np

        def inverse(A):
            A = np.asarray(A, dtype=np.float64)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("not square")
            n = A.shape[0]
            X = np.eye(n)
            tol = SINGULAR_TOL * np.abs(A).max(initial=0.0)
            for k in range(n):
                p = k + np.argmax(np.abs(A[k:, k]))
                if abs(A[p, k]) <= tol:
                    raise ValueError("singular")
                A[[k, p]] = A[[p, k]]
                X[[k, p]] = X[[p, k]]
                X[k] /= A[k, k]
                A[k] /= A[k, k]
                for i in range(n):
                    if i != k:
                        X[i] -= A[i, k] * X[k]
                        A[i] -= A[i, k] * A[k]
            return X
    """),
]

VALID = [
    _solve("gauss_jordan", "Gauss–Jordan: reduce [A | b] all the way to [I | x]", """
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
    """, maker=valid),
    _solve("lu_then_substitution", "PA = LU with partial pivoting, then forward and back substitution in loops", """
    U, L, perm = A.copy(), np.eye(n), np.arange(n)
    for k in range(n):
        p = k + int(np.argmax(np.abs(U[k:, k])))
        if abs(U[p, k]) <= tol:
            raise ValueError("singular")
        U[[k, p]] = U[[p, k]]
        L[[k, p], :k] = L[[p, k], :k]
        perm[[k, p]] = perm[[p, k]]
        for i in range(k + 1, n):
            L[i, k] = U[i, k] / U[k, k]
            U[i, k:] = U[i, k:] - L[i, k] * U[k, k:]
    B = (b if b.ndim == 2 else b[:, None])[perm]
    y = np.zeros_like(B)
    for i in range(n):
        y[i] = B[i] - L[i, :i] @ y[:i]
    x = np.zeros_like(B)
    for i in reversed(range(n)):
        x[i] = (y[i] - U[i, i + 1:] @ x[i + 1:]) / U[i, i]
    return x.reshape(b.shape)
    """, maker=valid),
    _solve("complete_pivoting", "pivots on the largest entry of the whole remaining block, swapping columns too", """
    M = np.concatenate([A, b if b.ndim == 2 else b[:, None]], axis=1)
    order = np.arange(n)
    for k in range(n):
        block = np.abs(M[k:, k:n])
        i, j = np.unravel_index(np.argmax(block), block.shape)
        if block[i, j] <= tol:
            raise ValueError("singular")
        M[[k, k + i]] = M[[k + i, k]]
        M[:, [k, k + j]] = M[:, [k + j, k]]
        order[[k, k + j]] = order[[k + j, k]]
        M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
    y = np.zeros((n, M.shape[1] - n))
    for k in range(n - 1, -1, -1):
        y[k] = (M[k, n:] - M[k, k + 1:n] @ y[k + 1:]) / M[k, k]
    x = np.zeros_like(y)
    x[order] = y
    return x.reshape(b.shape)
    """, maker=valid),
    valid("solve", "solve", "python_lists", "plain Python lists and loops", """
        import numpy as np

        def solve(A, b):
            A, b = np.asarray(A), np.asarray(b)
            if A.ndim != 2 or A.shape[0] != A.shape[1] or b.ndim not in (1, 2) or len(b) != len(A):
                raise ValueError("A must be square and b must have len(A) rows")
            n = len(A)
            B = b if b.ndim == 2 else b[:, None]
            rows = [[float(v) for v in row] for row in A.tolist()]
            M = [row + [float(v) for v in rhs] for row, rhs in zip(rows, B.tolist())]
            tol = SINGULAR_TOL * max((abs(v) for row in rows for v in row), default=0.0)
            for k in range(n):
                p = max(range(k, n), key=lambda i: abs(M[i][k]))
                if abs(M[p][k]) <= tol:
                    raise ValueError("A is singular")
                M[k], M[p] = M[p], M[k]
                for i in range(k + 1, n):
                    f = M[i][k] / M[k][k]
                    M[i] = [a - f * c for a, c in zip(M[i], M[k])]
            x = [[0.0] * B.shape[1] for _ in range(n)]
            for k in reversed(range(n)):
                for c in range(B.shape[1]):
                    done = sum(M[k][j] * x[j][c] for j in range(k + 1, n))
                    x[k][c] = (M[k][n + c] - done) / M[k][k]
            return np.array(x, dtype=np.float64).reshape(b.shape)
    """),
    # --- inverse ---
    valid("solve", "inverse", "gauss_jordan", "Gauss–Jordan on [A | I]", """
        import numpy as np

        def inverse(A):
            M = np.array(A, dtype=np.float64)
            if M.ndim != 2 or M.shape[0] != M.shape[1]:
                raise ValueError("only a square matrix has an inverse")
            n = M.shape[0]
            tol = SINGULAR_TOL * np.abs(M).max(initial=0.0)
            X = np.eye(n)
            for k in range(n):
                p = k + np.argmax(np.abs(M[k:, k]))
                if abs(M[p, k]) <= tol:
                    raise ValueError("singular")
                M[[k, p]], X[[k, p]] = M[[p, k]], X[[p, k]]
                X[k], M[k] = X[k] / M[k, k], M[k] / M[k, k]
                for i in range(n):
                    if i != k:
                        X[i], M[i] = X[i] - M[i, k] * X[k], M[i] - M[i, k] * M[k]
            return X
    """),
    valid("solve", "inverse", "column_by_column", "solves A x = e_j for each column j and stacks the answers", """
        import numpy as np

        def inverse(A):
            A = np.asarray(A)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("only a square matrix has an inverse")
            n = A.shape[0]
            if n == 0:
                return np.zeros((0, 0))
            return np.column_stack([solve(A, np.eye(n)[:, j]) for j in range(n)])
    """),
]
