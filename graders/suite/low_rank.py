"""Mutants and valid variants of ``low_rank_approx`` and ``parameter_savings``."""

from . import mutant, valid

_HEAD = """
import numpy as np

def low_rank_approx(W, r):
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2:
        raise ValueError("W must be 2-D")
    if r < 0:
        raise ValueError("r must be >= 0")
"""


def _approx(name: str, why: str, tail: str, maker=mutant):
    return maker("low_rank", "low_rank_approx", name, why, _HEAD.strip("\n") + "\n" + tail.strip("\n") + "\n")


def _savings(name: str, why: str, body: str, maker=mutant):
    return maker("low_rank", "parameter_savings", name, why, """
def parameter_savings(shape, r):
    if len(shape) != 2:
        raise ValueError("shape must be (m, n)")
    m, n = shape
    if m < 0 or n < 0 or r < 0:
        raise ValueError("negative size")
""".strip("\n") + "\n" + body.strip("\n") + "\n")


MUTANTS = [
    _approx("keeps_r_plus_one", "slices one piece too many: s[:r + 1]", """
    U, s, Vt = np.linalg.svd(W, full_matrices=False)
    return (U[:, :r + 1] * s[:r + 1]) @ Vt[:r + 1]
    """),
    _approx("smallest_values", "keeps the last r pieces, as if numpy sorted the singular values smallest first", """
    U, s, Vt = np.linalg.svd(W, full_matrices=False)
    k = s.size - min(r, s.size)
    return (U[:, k:] * s[k:]) @ Vt[k:]
    """),
    _approx("forgets_singular_values", "multiplies U and Vt without the singular values", """
    U, s, Vt = np.linalg.svd(W, full_matrices=False)
    return U[:, :r] @ Vt[:r]
    """),
    _approx("columns_of_vt", "takes Vt for V: its first r columns instead of its first r rows", """
    U, s, Vt = np.linalg.svd(W)
    k = min(r, s.size)
    V = Vt[:, :k]
    return U[:, :k] @ np.diag(s[:k]) @ V.T
    """),
    _approx("prunes_entries", "keeps the r largest entries of each row (magnitude pruning), not r directions", """
    out = np.zeros_like(W)
    for i in range(W.shape[0]):
        keep = np.argsort(-np.abs(W[i]))[:r]
        out[i, keep] = W[i, keep]
    return out
    """),
    _approx("rejects_large_r", "raises ValueError when r exceeds min(m, n) instead of keeping everything", """
    if r > min(W.shape):
        raise ValueError("r is larger than the rank can be")
    U, s, Vt = np.linalg.svd(W, full_matrices=False)
    return (U[:, :r] * s[:r]) @ Vt[:r]
    """),
    mutant("low_rank", "low_rank_approx", "subtracts_in_place", "subtracts the dropped pieces from the caller's W", """
        import numpy as np

        def low_rank_approx(W, r):
            if np.ndim(W) != 2:
                raise ValueError("W must be 2-D")
            if r < 0:
                raise ValueError("r must be >= 0")
            W = np.asarray(W, dtype=np.float64)
            U, s, Vt = np.linalg.svd(W, full_matrices=False)
            for i in range(r, s.size):
                W -= s[i] * np.outer(U[:, i], Vt[i])
            return W
    """),
    mutant("low_rank", "low_rank_approx", "no_checks", "no validation: a negative r slices from the end", """
        import numpy as np

        def low_rank_approx(W, r):
            U, s, Vt = np.linalg.svd(np.asarray(W, dtype=np.float64), full_matrices=False)
            return (U[..., :r] * s[..., None, :r]) @ Vt[..., :r, :]
    """),
    # --- parameter_savings ---
    _savings("counts_singular_values", "counts the r singular values separately: r·(m + n + 1)", """
    return m * n - r * (m + n + 1)
    """),
    _savings("product_not_sum", "factors of r·m·n parameters (multiplies instead of adding the sizes)", """
    return m * n - r * m * n
    """),
    _savings("fraction", "returns the fraction saved instead of the number of parameters", """
    return 1 - r * (m + n) / (m * n) if m * n else 0
    """),
    _savings("sign_flipped", "returns the factors' size minus the full size", """
    return r * (m + n) - m * n
    """),
    _savings("clamps_at_zero", "never reports a negative saving", """
    return max(0, m * n - r * (m + n))
    """),
    mutant("low_rank", "parameter_savings", "no_validation", "accepts negative sizes and ranks", """
        def parameter_savings(shape, r):
            m, n = shape[0], shape[1]
            return m * n - r * (m + n)
    """),
]

VALID = [
    _approx("outer_products", "a loop adding s[i] u_i v_iᵀ for the r largest singular values", """
    U, s, Vt = np.linalg.svd(W, full_matrices=False)
    out = np.zeros(W.shape)
    for i in range(min(r, s.size)):
        out += s[i] * np.outer(U[:, i], Vt[i])
    return out
    """, maker=valid),
    _approx("zero_the_rest", "the full SVD with the dropped singular values set to 0", """
    U, s, Vt = np.linalg.svd(W)
    kept = s.copy()
    kept[r:] = 0.0
    S = np.zeros(W.shape)
    S[:s.size, :s.size] = np.diag(kept)
    return U @ S @ Vt
    """, maker=valid),
    _approx("transposed_svd", "the SVD of Wᵀ, with the roles of U and V exchanged", """
    V, s, Ut = np.linalg.svd(W.T, full_matrices=False)
    return Ut[:r].T @ np.diag(s[:r]) @ V[:, :r].T
    """, maker=valid),
    _savings("array_sizes", "counts the entries of arrays of the right shapes (np.empty allocates nothing)", """
    import numpy as np
    full = np.empty((m, n)).size
    factors = np.empty((m, r)).size + np.empty((r, n)).size
    return full - factors
    """, maker=valid),
    _savings("expanded", "m·n - m·r - r·n, written out", """
    return m * n - m * r - r * n
    """, maker=valid),
]
