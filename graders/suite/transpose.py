"""Mutants and valid variants of ``transpose``."""

from . import mutant, valid

MUTANTS = [
    mutant("transpose", "transpose", "square_swapped_twice", "swaps A[i, j] and A[j, i] for every pair of a square matrix, so each pair is swapped back", """
        def transpose(A):
            A = np.asarray(A)
            if A.ndim != 2:
                raise ValueError("transpose needs a 2-D array")
            m, n = A.shape
            if m == n:
                out = A.copy()
                for i in range(n):
                    for j in range(n):
                        out[i, j], out[j, i] = out[j, i], out[i, j]
                return out
            out = np.empty((n, m), dtype=A.dtype)
            for i in range(m):
                for j in range(n):
                    out[j, i] = A[i, j]
            return out
    """),
    mutant("transpose", "transpose", "reshape", "reshapes to (n, m), which keeps the entries in reading order", """
        def transpose(A):
            A = np.asarray(A)
            if A.ndim != 2:
                raise ValueError("transpose needs a 2-D array")
            m, n = A.shape
            return A.reshape(n, m).copy()
    """),
    mutant("transpose", "transpose", "off_by_one", "the row loop stops one row early (range(m - 1))", """
        def transpose(A):
            A = np.asarray(A)
            if A.ndim != 2:
                raise ValueError("transpose needs a 2-D array")
            m, n = A.shape
            out = np.zeros((n, m), dtype=A.dtype)
            for i in range(m - 1):
                for j in range(n):
                    out[j, i] = A[i, j]
            return out
    """),
    mutant("transpose", "transpose", "no_ndim_check", "no 2-D check: reads A.shape[0] and A.shape[1] and hopes", """
        def transpose(A):
            rows, cols = A.shape[0], A.shape[1]
            out = np.empty((cols, rows), dtype=A.dtype)
            for i in range(rows):
                for j in range(cols):
                    out[j, i] = A[i, j]
            return out
    """),
    mutant("transpose", "transpose", "square_in_place", "transposes a square matrix in place (saving memory), changing the caller's A", """
        def transpose(A):
            A = np.asarray(A)
            if A.ndim != 2:
                raise ValueError("transpose needs a 2-D array")
            m, n = A.shape
            if m == n:
                for i in range(n):
                    for j in range(i + 1, n):
                        A[i, j], A[j, i] = A[j, i], A[i, j]
                return A
            out = np.empty((n, m), dtype=A.dtype)
            for i in range(m):
                for j in range(n):
                    out[j, i] = A[i, j]
            return out
    """),
    mutant("transpose", "transpose", "rot90", "rotates by 90 degrees (np.rot90): the right shape, but the rows come out reversed", """
        def transpose(A):
            A = np.asarray(A)
            if A.ndim != 2:
                raise ValueError("transpose needs a 2-D array")
            return np.rot90(A).copy()
    """),
    mutant("transpose", "transpose", "integer_result", "allocates the result with dtype=int, truncating float entries", """
        def transpose(A):
            A = np.asarray(A)
            if A.ndim != 2:
                raise ValueError("transpose needs a 2-D array")
            m, n = A.shape
            out = np.zeros((n, m), dtype=int)
            for i in range(m):
                for j in range(n):
                    out[j, i] = A[i, j]
            return out
    """),
]

VALID = [
    valid("transpose", "transpose", "nested_lists", "a list of lists from a comprehension (also for empty shapes)", """
        def transpose(A):
            if A.ndim != 2:
                raise ValueError("transpose needs a 2-D array")
            m, n = A.shape
            return [[A[i, j] for i in range(m)] for j in range(n)]
    """),
    valid("transpose", "transpose", "fortran_ravel", "reads A column by column (ravel in Fortran order) and reshapes", """
        def transpose(A):
            A = np.asarray(A)
            if A.ndim != 2:
                raise ValueError("transpose needs a 2-D array")
            m, n = A.shape
            return np.reshape(A.ravel(order="F"), (n, m)).copy()
    """),
    valid("transpose", "transpose", "column_slices", "copies column j of A into row j of the result", """
        def transpose(A):
            A = np.asarray(A)
            if A.ndim != 2:
                raise ValueError("transpose needs a 2-D array")
            out = np.empty((A.shape[1], A.shape[0]), dtype=A.dtype)
            for j in range(A.shape[1]):
                out[j, :] = A[:, j]
            return out
    """),
    valid("transpose", "transpose", "float_result", "fills a float64 np.zeros array (integers come back as floats)", """
        def transpose(A):
            if len(A.shape) != 2:
                raise ValueError("transpose needs a 2-D array")
            m, n = A.shape
            out = np.zeros((n, m))
            for i in range(m):
                for j in range(n):
                    out[j, i] = A[i, j]
            return out
    """),
    valid("transpose", "transpose", "flat_index", "walks the flat index of the result: out.flat[j * m + i] = A[i, j]", """
        def transpose(A):
            A = np.asarray(A)
            if A.ndim != 2:
                raise ValueError("transpose needs a 2-D array")
            m, n = A.shape
            out = np.empty(m * n, dtype=A.dtype)
            for i in range(m):
                for j in range(n):
                    out[j * m + i] = A[i, j]
            return out.reshape(n, m)
    """),
]
