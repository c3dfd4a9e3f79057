"""Mutants and valid variants of the gradient_check exercise."""

from . import mutant, valid

M = "gradient_check"

MUTANTS = [
    # --- numerical_gradient --------------------------------------------------------------------------
    mutant(M, "numerical_gradient", "forward_difference",
           "uses the forward difference (f(x + h e_i) - f(x)) / h, whose error is h/2·f'' instead of h²/6·f'''", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if not h > 0:
                raise ValueError("h must be positive")
            x = np.array(x, dtype=float)
            grad = np.zeros(x.shape)
            fx = f(x)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + h
                grad[i] = (f(x) - fx) / h
                x[i] = old
            return grad
    """),
    mutant(M, "numerical_gradient", "divides_by_h",
           "divides the central difference by h instead of 2h (the points are 2h apart)", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if h <= 0:
                raise ValueError("h must be positive")
            x = np.array(x, dtype=float)
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + h
                fp = f(x)
                x[i] = old - h
                fm = f(x)
                x[i] = old
                grad[i] = (fp - fm) / h
            return grad
    """),
    mutant(M, "numerical_gradient", "nudges_everything",
           "nudges every entry at once, f(x + h) - f(x - h), which measures the sum of all partial derivatives", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if h <= 0:
                raise ValueError("h must be positive")
            x = np.array(x, dtype=float)
            slope = (f(x + h) - f(x - h)) / (2 * h)
            return np.full(x.shape, slope)
    """),
    mutant(M, "numerical_gradient", "forgets_to_restore",
           "nudges a copy but never puts the entry back, so each later derivative is taken at a shifted point", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if h <= 0:
                raise ValueError("h must be positive")
            x = np.array(x, dtype=float)
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                x[i] += h
                fp = f(x)
                x[i] -= 2 * h
                fm = f(x)
                grad[i] = (fp - fm) / (2 * h)
            return grad
    """),
    mutant(M, "numerical_gradient", "nudges_callers_array",
           "nudges the caller's x in place (CS231n style) without a float64 copy: integer entries cannot "
           "hold x + h, float32 entries round it", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if h <= 0:
                raise ValueError("h must be positive")
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + h
                fp = f(x)
                x[i] = old - h
                fm = f(x)
                x[i] = old
                grad[i] = (fp - fm) / (2 * h)
            return grad
    """),
    mutant(M, "numerical_gradient", "copy_keeps_dtype",
           "copies x with x.copy(), which keeps an integer or float32 dtype, so x ± h is not what it should be", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if h <= 0:
                raise ValueError("h must be positive")
            x = x.copy()
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + h
                fp = f(x)
                x[i] = old - h
                fm = f(x)
                x[i] = old
                grad[i] = (fp - fm) / (2 * h)
            return grad
    """),
    mutant(M, "numerical_gradient", "ignores_h",
           "hard-codes the step 1e-5 and ignores the h it is given", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if h <= 0:
                raise ValueError("h must be positive")
            step = 1e-5
            x = np.array(x, dtype=float)
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + step
                fp = f(x)
                x[i] = old - step
                fm = f(x)
                x[i] = old
                grad[i] = (fp - fm) / (2 * step)
            return grad
    """),
    mutant(M, "numerical_gradient", "flat_result",
           "loops over x.size with a flat view and returns the flat (size,) gradient instead of x's shape", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if h <= 0:
                raise ValueError("h must be positive")
            x = np.array(x, dtype=float)
            flat = x.reshape(-1)
            grad = np.zeros(flat.size)
            for i in range(flat.size):
                old = flat[i]
                flat[i] = old + h
                fp = f(x)
                flat[i] = old - h
                fm = f(x)
                flat[i] = old
                grad[i] = (fp - fm) / (2 * h)
            return grad
    """),
    mutant(M, "numerical_gradient", "aliased_points",
           "writes x_plus = x and x_minus = x (names for the same array, not copies), so the 'minus' point "
           "is x itself and the caller's array is changed", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if h <= 0:
                raise ValueError("h must be positive")
            grad = np.zeros(np.shape(x))
            for i in np.ndindex(np.shape(x)):
                x_plus = x
                x_plus[i] = x[i] + h
                fp = f(x_plus)
                x_minus = x
                x_minus[i] = x[i] - h
                fm = f(x_minus)
                grad[i] = (fp - fm) / (2 * h)
            return grad
    """),
    mutant(M, "numerical_gradient", "no_step_check",
           "accepts h <= 0 and returns a gradient (or divides by zero) instead of raising ValueError", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            x = np.array(x, dtype=float)
            grad = np.zeros(x.shape)
            with np.errstate(all="ignore"):
                for i in np.ndindex(x.shape):
                    old = x[i]
                    x[i] = old + h
                    fp = f(x)
                    x[i] = old - h
                    fm = f(x)
                    x[i] = old
                    grad[i] = (fp - fm) / (2 * h) if h != 0 else 0.0
            return grad
    """),
    # --- relative_error ------------------------------------------------------------------------------
    mutant(M, "relative_error", "max_denominator",
           "divides by max(‖a‖, ‖b‖) instead of ‖a‖ + ‖b‖", """
        import numpy as np

        def relative_error(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.shape != b.shape:
                raise ValueError("shapes differ")
            scale = max(np.linalg.norm(a), np.linalg.norm(b))
            return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
    """),
    mutant(M, "relative_error", "zero_over_zero",
           "does not handle two all-zero arrays, so 0 / 0 gives NaN", """
        import numpy as np

        def relative_error(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.shape != b.shape:
                raise ValueError("shapes differ")
            with np.errstate(invalid="ignore"):
                return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))
    """),
    mutant(M, "relative_error", "elementwise_max",
           "computes CS231n's elementwise max |a - b| / max(1e-8, |a| + |b|) instead of the ratio of norms", """
        import numpy as np

        def relative_error(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.shape != b.shape:
                raise ValueError("shapes differ")
            if a.size == 0:
                return 0.0
            return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
    """),
    mutant(M, "relative_error", "squared_norms",
           "forgets the square roots: ‖a - b‖² / (‖a‖² + ‖b‖²)", """
        import numpy as np

        def relative_error(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.shape != b.shape:
                raise ValueError("shapes differ")
            scale = np.sum(a ** 2) + np.sum(b ** 2)
            return 0.0 if scale == 0 else float(np.sum((a - b) ** 2) / scale)
    """),
    mutant(M, "relative_error", "epsilon_in_denominator",
           "adds 1e-8 to the denominator to avoid 0 / 0, which distorts the error of small gradients", """
        import numpy as np

        def relative_error(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            if a.shape != b.shape:
                raise ValueError("shapes differ")
            return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-8))
    """),
    mutant(M, "relative_error", "no_shape_check",
           "trusts broadcasting: a (3,) and a (1,) array, or (n,) and (n, 1), give a number instead of an error", """
        import numpy as np

        def relative_error(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            scale = np.linalg.norm(a) + np.linalg.norm(b)
            return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
    """),
]

VALID = [
    # --- numerical_gradient --------------------------------------------------------------------------
    valid(M, "numerical_gradient", "unit_vectors",
          "builds the one-hot array e_i and evaluates f(x + h e_i) and f(x - h e_i) on new arrays", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if not h > 0:
                raise ValueError("h must be positive")
            x = np.asarray(x, dtype=np.float64)
            grad = np.empty(x.shape)
            for i in np.ndindex(x.shape):
                e = np.zeros(x.shape)
                e[i] = 1.0
                grad[i] = (f(x + h * e) - f(x - h * e)) / (2 * h)
            return grad
    """),
    valid(M, "numerical_gradient", "flat_view",
          "loops over a flat view of a float64 copy and reshapes the gradient back to x's shape", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            if h <= 0:
                raise ValueError("h must be positive")
            work = np.array(x, dtype=np.float64, order="C")
            flat = work.reshape(-1)
            grad = np.zeros(flat.size)
            for i in range(flat.size):
                old = flat[i]
                flat[i] = old + h
                fp = f(work)
                flat[i] = old - h
                fm = f(work)
                flat[i] = old
                grad[i] = fp / (2 * h) - fm / (2 * h)
            return grad.reshape(work.shape)
    """),
    valid(M, "numerical_gradient", "nditer_copies",
          "np.nditer with multi_index, and a fresh copy for each of the two points", """
        import numpy as np

        def numerical_gradient(f, x, h=1e-5):
            h = float(h)
            if h <= 0:
                raise ValueError("h must be positive")
            x = np.asarray(x).astype(np.float64)
            grad = np.zeros_like(x)
            it = np.nditer(x, flags=["multi_index", "zerosize_ok"])
            while not it.finished:
                i = it.multi_index
                plus, minus = x.copy(), x.copy()
                plus[i] += h
                minus[i] -= h
                grad[i] = 0.5 * (f(plus) - f(minus)) / h
                it.iternext()
            return grad
    """),
]

VALID += [
    # --- relative_error ------------------------------------------------------------------------------
    valid(M, "relative_error", "manual_norms",
          "square roots of sums of squares written out, and an early return when both are all zeros", """
        import numpy as np

        def relative_error(a, b):
            a = np.asarray(a, dtype=np.float64)
            b = np.asarray(b, dtype=np.float64)
            if a.shape != b.shape:
                raise ValueError("a and b must have the same shape")
            if not a.any() and not b.any():
                return 0.0
            diff = np.sqrt(np.sum((a - b) * (a - b)))
            return diff / (np.sqrt(np.sum(a * a)) + np.sqrt(np.sum(b * b)))
    """),
    valid(M, "relative_error", "scaled_norms",
          "divides everything by the largest entry first (a norm that cannot overflow), in plain Python", """
        import math
        import numpy as np

        def relative_error(a, b):
            if np.shape(a) != np.shape(b):
                raise ValueError("a and b must have the same shape")
            xs = [float(v) for v in np.ravel(a)]
            ys = [float(v) for v in np.ravel(b)]
            s = max([abs(v) for v in xs + ys], default=0.0)
            if s == 0:
                return 0.0
            norm = lambda vs: math.sqrt(sum((v / s) ** 2 for v in vs))
            return norm([x - y for x, y in zip(xs, ys)]) / (norm(xs) + norm(ys))
    """),
]
