"""Mutants and valid variants of ``l2_norm`` and ``cosine_similarity``."""

from . import mutant, valid

M, NORM, COS = "vectors", "l2_norm", "cosine_similarity"

MUTANTS = [
    # --- l2_norm ---------------------------------------------------------------------------------
    mutant(M, NORM, "naive", "the textbook formula sqrt(Σ x²): overflows to inf near 1e200 and "
           "underflows to 0 near 1e-200", """
        import numpy as np

        def l2_norm(x):
            x = np.asarray(x, dtype=float)
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            return float(np.sqrt(np.sum(x * x)))
    """),
    mutant(M, NORM, "overflow_guard_only", "scales only when the entries are huge, so tiny "
           "vectors still underflow to 0", """
        import numpy as np

        def l2_norm(x):
            x = np.asarray(x, dtype=float)
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            m = np.max(np.abs(x)) if x.size else 0.0
            if m > 1e150:
                return float(m * np.sqrt(np.sum((x / m) ** 2)))
            return float(np.sqrt(np.sum(x ** 2)))
    """),
    mutant(M, NORM, "no_sqrt", "returns the squared norm (forgets the square root)", """
        import numpy as np

        def l2_norm(x):
            x = np.asarray(x, dtype=float)
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            if x.size == 0 or not np.any(x):
                return 0.0
            m = np.max(np.abs(x))
            return float(m * m * np.sum((x / m) ** 2))
    """),
    mutant(M, NORM, "l1_norm", "adds up the absolute values: the L1 norm, not the length", """
        import numpy as np

        def l2_norm(x):
            x = np.asarray(x, dtype=float)
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            return float(np.sum(np.abs(x)))
    """),
    mutant(M, NORM, "empty_crashes", "np.max of an empty vector raises, so n == 0 fails instead "
           "of giving 0.0", """
        import numpy as np

        def l2_norm(x):
            x = np.asarray(x, dtype=float)
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            m = np.max(np.abs(x))
            if m == 0:
                return 0.0
            return float(m * np.sqrt(np.sum((x / m) ** 2)))
    """),
    mutant(M, NORM, "scales_in_place", "divides the caller's array by its max (x /= m) to save "
           "a copy", """
        import numpy as np

        def l2_norm(x):
            if x.ndim != 1:
                raise ValueError("x must be 1-D")
            if x.size == 0:
                return 0.0
            m = float(np.max(np.abs(x)))
            if m == 0:
                return 0.0
            if x.dtype.kind == "f":
                x /= m
                return float(m * np.sqrt(np.sum(x * x)))
            s = x / m
            return float(m * np.sqrt(np.sum(s * s)))
    """),
    mutant(M, NORM, "flattens", "accepts any shape by flattening (the Frobenius norm of a matrix) "
           "instead of refusing non-vectors", """
        import numpy as np

        def l2_norm(x):
            x = np.asarray(x, dtype=float).ravel()
            if x.size == 0:
                return 0.0
            m = np.max(np.abs(x))
            if m == 0:
                return 0.0
            return float(m * np.sqrt(np.sum((x / m) ** 2)))
    """),
    # --- cosine_similarity -----------------------------------------------------------------------
    mutant(M, COS, "naive_lengths", "a·b / (sqrt(a·a) sqrt(b·b)): the dot products overflow or "
           "underflow for entries near 1e±200", """
        import numpy as np

        def cosine_similarity(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of one length")
            na, nb = np.sqrt(a @ a), np.sqrt(b @ b)
            if na == 0 or nb == 0:
                raise ValueError("zero vector")
            return float(a @ b / (na * nb))
    """),
    mutant(M, COS, "zero_gives_nan", "no zero-vector check: 0 / 0 returns nan with a warning "
           "instead of raising", """
        import numpy as np

        def cosine_similarity(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of one length")
            with np.errstate(all="ignore"):
                return float(np.sum((a / l2_norm(a)) * (b / l2_norm(b))))
    """),
    mutant(M, COS, "one_length", "divides the dot product by only one of the two lengths", """
        import numpy as np

        def cosine_similarity(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of one length")
            na, nb = l2_norm(a), l2_norm(b)
            if na == 0 or nb == 0:
                raise ValueError("zero vector")
            return float(np.sum((a / na) * b))
    """),
    mutant(M, COS, "clipped_at_zero", "believes a similarity cannot be negative and clips to "
           "[0, 1]", """
        import numpy as np

        def cosine_similarity(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of one length")
            na, nb = l2_norm(a), l2_norm(b)
            if na == 0 or nb == 0:
                raise ValueError("zero vector")
            return float(np.clip(np.sum((a / na) * (b / nb)), 0.0, 1.0))
    """),
    mutant(M, COS, "normalises_in_place", "turns the caller's vectors into unit vectors "
           "(a /= ‖a‖)", """
        import numpy as np

        def cosine_similarity(a, b):
            if a.ndim != 1 or a.shape != b.shape:
                raise ValueError("need two 1-D vectors of one length")
            na, nb = l2_norm(a), l2_norm(b)
            if na == 0 or nb == 0:
                raise ValueError("zero vector")
            a = a if a.dtype.kind == "f" else a.astype(float)
            b = b if b.dtype.kind == "f" else b.astype(float)
            a /= na
            b /= nb
            return float(np.sum(a * b))
    """),
    mutant(M, COS, "no_shape_check", "trusts broadcasting: a length-1 vector is silently "
           "stretched", """
        import numpy as np

        def cosine_similarity(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            na, nb = l2_norm(a.ravel()), l2_norm(b.ravel())
            if na == 0 or nb == 0:
                raise ValueError("zero vector")
            return float(np.sum((a / na) * (b / nb)))
    """),
]

VALID = [
    # --- l2_norm ---------------------------------------------------------------------------------
    valid(M, NORM, "one_pass_rescaling", "LAPACK's dnrm2 idea: one loop that rescales the running "
          "sum of squares whenever a larger entry turns up", """
        import math

        import numpy as np

        def l2_norm(x):
            x = np.asarray(x)
            if x.ndim != 1:
                raise ValueError("l2_norm needs a 1-D vector")
            scale, ssq = 0.0, 1.0
            for value in x.tolist():
                v = abs(float(value))
                if v == 0.0:
                    continue
                if v > scale:
                    ssq = 1.0 + ssq * (scale / v) ** 2
                    scale = v
                else:
                    ssq += (v / scale) ** 2
            return scale * math.sqrt(ssq)
    """),
    valid(M, NORM, "power_of_two_scaling", "scales by a power of two (exact) chosen with "
          "np.frexp, and uses a dot product for the sum of squares", """
        import numpy as np

        def l2_norm(x):
            x = np.asarray(x, dtype=np.float64)
            if x.ndim != 1:
                raise ValueError("l2_norm needs a 1-D vector")
            if x.size == 0 or not np.any(x):
                return 0.0
            _, exponent = np.frexp(np.max(np.abs(x)))
            scaled = np.ldexp(x, -int(exponent))
            return float(np.ldexp(np.sqrt(np.dot(scaled, scaled)), int(exponent)))
    """),
    valid(M, NORM, "float32_stays_float32", "scales by the max, but keeps float32 input in float32 "
          "and returns a numpy scalar", """
        import numpy as np

        def l2_norm(x):
            x = np.asarray(x)
            if x.ndim != 1:
                raise ValueError("l2_norm needs a 1-D vector")
            if x.dtype.kind != "f":
                x = x.astype(np.float64)
            if x.shape[0] == 0:
                return x.dtype.type(0)
            m = np.abs(x).max()
            if m == 0:
                return m
            return m * np.sqrt(((x / m) ** 2).sum())
    """),
    # --- cosine_similarity -----------------------------------------------------------------------
    valid(M, COS, "scale_by_max_then_formula", "divides each vector by its largest |entry| (the "
          "cosine ignores lengths), then uses a·b / (‖a‖ ‖b‖) directly", """
        import numpy as np

        def cosine_similarity(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
                raise ValueError("need two 1-D vectors of one length")
            ma = np.max(np.abs(a)) if a.size else 0.0
            mb = np.max(np.abs(b)) if b.size else 0.0
            if ma == 0 or mb == 0:
                raise ValueError("cosine similarity of a zero vector is undefined")
            a, b = a / ma, b / mb
            return float(a @ b / (np.sqrt(a @ a) * np.sqrt(b @ b)))
    """),
    valid(M, COS, "clipped_loop", "unit vectors built with l2_norm, a Python loop for the dot "
          "product, and the result clipped to [-1, 1]", """
        import numpy as np

        def cosine_similarity(a, b):
            a, b = np.asarray(a), np.asarray(b)
            if a.ndim != 1 or b.ndim != 1 or a.shape[0] != b.shape[0]:
                raise ValueError("need two 1-D vectors of one length")
            na, nb = l2_norm(a), l2_norm(b)
            if na == 0.0 or nb == 0.0:
                raise ValueError("cosine similarity of a zero vector is undefined")
            total = 0.0
            for x, y in zip(a.tolist(), b.tolist()):
                total += (x / na) * (y / nb)
            return min(1.0, max(-1.0, total))
    """),
]
