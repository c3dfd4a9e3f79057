"""Mutants and valid variants of ``power_iteration``."""

from . import mutant, valid

_HEAD = """
import numpy as np

def power_iteration(A, num_iters, seed):
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0 or num_iters < 0:
        raise ValueError("bad input")
"""


def _power(name: str, why: str, tail: str, maker=mutant):
    return maker("eigen", "power_iteration", name, why, _HEAD.strip("\n") + "\n" + tail.strip("\n") + "\n")


MUTANTS = [
    _power("norm_as_eigenvalue", "returns ‖A x‖ as the eigenvalue, which loses the sign of a negative λ", """
    x = np.random.default_rng(seed).standard_normal(A.shape[0])
    x = x / np.linalg.norm(x)
    for _ in range(num_iters):
        y = A @ x
        if not np.any(y):
            raise ValueError("A x = 0")
        x = y / np.linalg.norm(y)
    return float(np.linalg.norm(A @ x)), x
    """),
    _power("normalises_at_the_end", "multiplies by A num_iters times and normalises only once at the end", """
    x = np.random.default_rng(seed).standard_normal(A.shape[0])
    x = x / np.linalg.norm(x)
    for _ in range(num_iters):
        x = A @ x
        if not np.any(x):
            raise ValueError("A x = 0")
    x = x / np.linalg.norm(x)
    return float(x @ A @ x), x
    """),
    _power("global_rng", "seeds numpy's old global generator (np.random.seed + randn): a different start", """
    np.random.seed(seed % 2**32)
    x = np.random.randn(A.shape[0])
    x = x / np.linalg.norm(x)
    for _ in range(num_iters):
        y = A @ x
        if not np.any(y):
            raise ValueError("A x = 0")
        x = y / np.linalg.norm(y)
    return float(x @ A @ x), x
    """),
    _power("uniform_start", "starts from rng.random(n) (uniform in [0, 1)) instead of standard_normal", """
    x = np.random.default_rng(seed).random(A.shape[0])
    x = x / np.linalg.norm(x)
    for _ in range(num_iters):
        y = A @ x
        if not np.any(y):
            raise ValueError("A x = 0")
        x = y / np.linalg.norm(y)
    return float(x @ A @ x), x
    """),
    _power("one_step_short", "the loop runs num_iters - 1 times", """
    x = np.random.default_rng(seed).standard_normal(A.shape[0])
    x = x / np.linalg.norm(x)
    for _ in range(num_iters - 1):
        y = A @ x
        if not np.any(y):
            raise ValueError("A x = 0")
        x = y / np.linalg.norm(y)
    return float(x @ A @ x), x
    """),
    _power("stale_eigenvalue", "returns the norm-ratio from the last step, ‖A x_prev‖ with the sign of x_prevᵀ A x_prev", """
    x = np.random.default_rng(seed).standard_normal(A.shape[0])
    x = x / np.linalg.norm(x)
    value = float(x @ A @ x)
    for _ in range(num_iters):
        y = A @ x
        if not np.any(y):
            raise ValueError("A x = 0")
        value = np.sign(x @ y) * np.linalg.norm(y)
        x = y / np.linalg.norm(y)
    return float(value), x
    """),
    _power("no_zero_check", "divides by ‖A x‖ without checking it is 0 (NaNs for the zero matrix)", """
    x = np.random.default_rng(seed).standard_normal(A.shape[0])
    x = x / np.linalg.norm(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(num_iters):
            y = A @ x
            x = y / np.linalg.norm(y)
    return float(x @ A @ x), x
    """),
    _power("unnormalised_start", "forgets to normalise the start vector (only num_iters = 0 shows it)", """
    x = np.random.default_rng(seed).standard_normal(A.shape[0])
    for _ in range(num_iters):
        y = A @ x
        if not np.any(y):
            raise ValueError("A x = 0")
        x = y / np.linalg.norm(y)
    return float(x @ A @ x / (x @ x)), x
    """),
    mutant("eigen", "power_iteration", "rescales_in_place", "divides the caller's A by its norm to avoid overflow", """
        import numpy as np

        def power_iteration(A, num_iters, seed):
            if np.ndim(A) != 2 or np.shape(A)[0] != np.shape(A)[1] or len(A) == 0 or num_iters < 0:
                raise ValueError("bad input")
            A = np.asarray(A, dtype=np.float64)
            scale = np.abs(A).max()
            if scale == 0:
                raise ValueError("zero matrix")
            A /= scale
            x = np.random.default_rng(seed).standard_normal(A.shape[0])
            x = x / np.linalg.norm(x)
            for _ in range(num_iters):
                y = A @ x
                x = y / np.linalg.norm(y)
            return float(x @ A @ x) * scale, x
    """),
]

VALID = [
    _power("max_norm_steps", "divides by max|y| at every step and by the length only at the end", """
    x = np.random.default_rng(seed).standard_normal(A.shape[0])
    x = x / np.linalg.norm(x)
    for _ in range(num_iters):
        y = A @ x
        biggest = np.abs(y).max()
        if biggest == 0:
            raise ValueError("A x = 0")
        x = y / biggest
    x = x / np.linalg.norm(x)
    return float(x @ (A @ x)), x
    """, maker=valid),
    _power("python_loops", "matrix–vector products and norms written out with Python loops", """
    n = A.shape[0]
    rows = A.tolist()
    x = list(np.random.default_rng(seed).standard_normal(n))
    length = sum(v * v for v in x) ** 0.5
    x = [v / length for v in x]
    for _ in range(num_iters):
        y = [sum(a * v for a, v in zip(row, x)) for row in rows]
        length = sum(v * v for v in y) ** 0.5
        if length == 0:
            raise ValueError("A x is zero")
        x = [v / length for v in y]
    Ax = [sum(a * v for a, v in zip(row, x)) for row in rows]
    return sum(a * b for a, b in zip(x, Ax)), np.array(x)
    """, maker=valid),
    _power("rayleigh_ratio", "the Rayleigh quotient as (xᵀ A x) / (xᵀ x), lengths from np.sqrt(np.sum(y ** 2))", """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(A.shape[0])
    x /= np.sqrt(np.sum(x ** 2))
    for step in range(num_iters):
        y = np.dot(A, x)
        size = np.sqrt(np.sum(y ** 2))
        if size == 0.0:
            raise ValueError(f"A x vanished at step {step}")
        x = y / size
    return (x @ A @ x) / (x @ x), x
    """, maker=valid),
]
