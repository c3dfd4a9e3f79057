"""Mutants and valid variants of ``matrix_rank``."""

from . import mutant, valid

_HEAD = """
import numpy as np

def matrix_rank(A, tol=None):
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError("A must be 2-D")
    if tol is not None and tol < 0:
        raise ValueError("tol must be >= 0")
    if A.dtype.kind != "f":
        A = A.astype(np.float64)
    s = np.linalg.svd(A, compute_uv=False)
"""


def _rank(name: str, why: str, tail: str, maker=mutant):
    return maker("rank", "matrix_rank", name, why, _HEAD.strip("\n") + "\n" + tail.strip("\n") + "\n")


MUTANTS = [
    _rank("absolute_tolerance", "a fixed cut-off 1e-10: wrong for tiny and for huge matrices", """
    if tol is None:
        tol = 1e-10
    return int(np.sum(s > tol))
    """),
    _rank("counts_nonzero", "counts the singular values that are not exactly 0: rounding noise counts as rank", """
    if tol is None:
        tol = 0.0
    return int(np.sum(s > tol))
    """),
    _rank("ignores_tol", "always uses the default tolerance, even when tol is given", """
    return int(np.sum(s > max(A.shape) * np.finfo(s.dtype).eps * s.max(initial=0.0)))
    """),
    _rank("tol_relative", "multiplies a given tol by s[0], as if it were relative", """
    if tol is None:
        tol = max(A.shape) * np.finfo(s.dtype).eps
    return int(np.sum(s > tol * s.max(initial=0.0)))
    """),
    _rank("min_dimension", "assumes full rank: returns min(m, n)", """
    return min(A.shape)
    """),
    _rank("empty_crash", "takes s[0] for the tolerance, which does not exist for an empty matrix", """
    if tol is None:
        tol = max(A.shape) * np.finfo(s.dtype).eps * s[0]
    return int(np.sum(s > tol))
    """),
    mutant("rank", "matrix_rank", "no_ndim_check", "lets a 3-D stack through (np.linalg.svd accepts stacks)", """
        import numpy as np

        def matrix_rank(A, tol=None):
            A = np.asarray(A, dtype=np.float64)
            if tol is not None and tol < 0:
                raise ValueError("tol must be >= 0")
            s = np.linalg.svd(A, compute_uv=False).ravel()
            if tol is None:
                tol = max(A.shape) * np.finfo(s.dtype).eps * s.max(initial=0.0)
            return int(np.sum(s > tol))
    """),
    mutant("rank", "matrix_rank", "in_place_abs", "normalises the caller's A in place before the SVD", """
        import numpy as np

        def matrix_rank(A, tol=None):
            if np.ndim(A) != 2:
                raise ValueError("A must be 2-D")
            if tol is not None and tol < 0:
                raise ValueError("tol must be >= 0")
            A = np.asarray(A)
            if A.dtype.kind == "f":
                big = np.abs(A).max(initial=0.0)
                if big > 0:
                    A /= big
                    if tol is not None:
                        tol = tol / big
            else:
                A = A.astype(np.float64)
            s = np.linalg.svd(A, compute_uv=False)
            if tol is None:
                tol = max(A.shape) * np.finfo(s.dtype).eps * s.max(initial=0.0)
            return int(np.sum(s > tol))
    """),
]

VALID = [
    _rank("loop_count", "counts in a loop, with the threshold written out", """
    largest = s[0] if len(s) else 0.0
    threshold = tol if tol is not None else largest * max(A.shape) * np.finfo(s.dtype).eps
    count = 0
    for value in s:
        if value > threshold:
            count += 1
    return count
    """, maker=valid),
    valid("rank", "matrix_rank", "float64_always", "always takes the SVD in float64, with float64's eps", """
        import numpy as np

        def matrix_rank(A, tol=None):
            if np.ndim(A) != 2:
                raise ValueError("matrix_rank needs a 2-D array")
            if tol is not None and tol < 0:
                raise ValueError("negative tol")
            A = np.array(A, dtype=np.float64)
            if A.size == 0:
                return 0
            U, s, Vt = np.linalg.svd(A)
            if tol is None:
                tol = s[0] * max(A.shape) * np.finfo(np.float64).eps
            return int((s > tol).sum())
    """),
    valid("rank", "matrix_rank", "transposed", "takes the SVD of the wide orientation (the rank of Aᵀ is the same)", """
        import numpy as np

        def matrix_rank(A, tol=None):
            A = np.asarray(A)
            if A.ndim != 2:
                raise ValueError("A must be a matrix")
            if tol is not None and tol < 0:
                raise ValueError("tol must not be negative")
            if A.dtype.kind not in "f":
                A = A.astype(float)
            if A.shape[0] > A.shape[1]:
                A = A.T
            s = np.linalg.svd(A, compute_uv=False)
            if tol is None:
                tol = np.max(s, initial=0) * np.finfo(s.dtype).eps * max(A.shape)
            return int(np.count_nonzero(s > tol))
    """),
]
