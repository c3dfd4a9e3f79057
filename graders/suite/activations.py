"""Mutants and valid variants of ``sigmoid``, ``sigmoid_grad``, ``tanh`` and ``tanh_grad``."""

from . import mutant, valid

M = "activations"

MUTANTS = [
    # --- sigmoid ---------------------------------------------------------------------------------
    mutant(M, "sigmoid", "naive", "the textbook 1 / (1 + exp(-x)): exp(-x) overflows for x below "
           "-709.8 and the result is 0 where the true sigmoid is a positive float", """
        import numpy as np

        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            return 1.0 / (1.0 + np.exp(-x))
    """),
    mutant(M, "sigmoid", "other_naive", "exp(x) / (1 + exp(x)) everywhere: inf / inf = nan for "
           "x above 709.8", """
        import numpy as np

        def sigmoid(x):
            e = np.exp(np.asarray(x, dtype=float))
            return e / (1.0 + e)
    """),
    mutant(M, "sigmoid", "clipped", "clips x to [-500, 500] to avoid the overflow, which changes "
           "the far tails", """
        import numpy as np

        def sigmoid(x):
            x = np.clip(np.asarray(x, dtype=float), -500, 500)
            return 1.0 / (1.0 + np.exp(-x))
    """),
    mutant(M, "sigmoid", "one_minus", "uses σ(x) = 1 - σ(-x) for negative x: no overflow, but "
           "the subtraction cancels and tiny values come out as 0 or inexact", """
        import numpy as np

        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            out = np.empty_like(x)
            pos = x >= 0
            out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
            out[~pos] = 1.0 - 1.0 / (1.0 + np.exp(x[~pos]))
            return out
    """),
    mutant(M, "sigmoid", "swapped_branches", "the two stable formulas used on the wrong sides, so "
           "both overflow", """
        import numpy as np

        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            out = np.empty_like(x)
            pos = x >= 0
            e = np.exp(x[pos])
            out[pos] = e / (1.0 + e)
            out[~pos] = 1.0 / (1.0 + np.exp(-x[~pos]))
            return out
    """),
    mutant(M, "sigmoid", "integer_output", "np.empty_like(x) of an integer x is an integer array: "
           "every value is truncated to 0 or 1", """
        import numpy as np

        def sigmoid(x):
            x = np.asarray(x)
            out = np.empty_like(x)
            pos = x >= 0
            out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
            e = np.exp(x[~pos])
            out[~pos] = e / (1.0 + e)
            return out
    """),
    mutant(M, "sigmoid", "in_place", "fills the two cases into x itself: np.asarray does not copy, "
           "so the caller's array changes", """
        import numpy as np

        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            pos = x >= 0
            neg = ~pos
            e = np.exp(x[neg])
            x[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
            x[neg] = e / (1.0 + e)
            return x
    """),
    # --- sigmoid_grad ----------------------------------------------------------------------------
    mutant(M, "sigmoid_grad", "applied_to_input", "x * (1 - x): the formula needs σ(x), not x", """
        import numpy as np

        def sigmoid_grad(x):
            x = np.asarray(x, dtype=float)
            return x * (1.0 - x)
    """),
    mutant(M, "sigmoid_grad", "exp_formula", "e^(-x) / (1 + e^(-x))²: overflows to nan (or 0) "
           "for very negative x", """
        import numpy as np

        def sigmoid_grad(x):
            e = np.exp(-np.asarray(x, dtype=float))
            return e / (1.0 + e) ** 2
    """),
    mutant(M, "sigmoid_grad", "naive_sigmoid_inline", "recomputes the sigmoid naively inside the "
           "derivative instead of calling the stable sigmoid", """
        import numpy as np

        def sigmoid_grad(x):
            s = 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))
            return s * (1.0 - s)
    """),
    mutant(M, "sigmoid_grad", "tanh_rule", "uses tanh's rule 1 - s² for the sigmoid", """
        import numpy as np

        def sigmoid_grad(x):
            s = sigmoid(x)
            return 1.0 - s * s
    """),
    mutant(M, "sigmoid_grad", "reuses_input_buffer", "computes σ into x's memory (copied from the "
           "sigmoid with masks), changing the caller's array", """
        import numpy as np

        def sigmoid_grad(x):
            x = np.asarray(x, dtype=float)
            pos = x >= 0
            neg = ~pos
            e = np.exp(x[neg])
            x[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
            x[neg] = e / (1.0 + e)
            return x * (1.0 - x)
    """),
    # --- tanh ------------------------------------------------------------------------------------
    mutant(M, "tanh", "textbook", "(e^x - e^-x) / (e^x + e^-x): inf / inf = nan for |x| > 710", """
        import numpy as np

        def tanh(x):
            x = np.asarray(x, dtype=float)
            return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
    """),
    mutant(M, "tanh", "exp_2x", "(e^(2x) - 1) / (e^(2x) + 1): nan once e^(2x) overflows "
           "(x > 355)", """
        import numpy as np

        def tanh(x):
            e = np.exp(2.0 * np.asarray(x, dtype=float))
            return (e - 1.0) / (e + 1.0)
    """),
    mutant(M, "tanh", "forgot_the_2x", "2 σ(x) - 1, which is tanh(x / 2)", """
        import numpy as np

        def tanh(x):
            return 2.0 * sigmoid(x) - 1.0
    """),
    mutant(M, "tanh", "sinh_over_cosh", "np.sinh(x) / np.cosh(x): both overflow to inf for "
           "|x| > 710", """
        import numpy as np

        def tanh(x):
            x = np.asarray(x, dtype=float)
            return np.sinh(x) / np.cosh(x)
    """),
    mutant(M, "tanh", "doubles_in_place", "doubles x in place (x *= 2) before calling the sigmoid", """
        import numpy as np

        def tanh(x):
            x = np.asarray(x, dtype=float)
            x *= 2.0
            return 2.0 * sigmoid(x) - 1.0
    """),
    # --- tanh_grad -------------------------------------------------------------------------------
    mutant(M, "tanh_grad", "applied_to_input", "1 - x²: the formula needs tanh(x), not x", """
        import numpy as np

        def tanh_grad(x):
            x = np.asarray(x, dtype=float)
            return 1.0 - x * x
    """),
    mutant(M, "tanh_grad", "forgot_square", "1 - tanh(x): the square is missing", """
        import numpy as np

        def tanh_grad(x):
            return 1.0 - tanh(x)
    """),
    mutant(M, "tanh_grad", "sigmoid_rule", "uses the sigmoid's rule t (1 - t) for tanh", """
        import numpy as np

        def tanh_grad(x):
            t = tanh(x)
            return t * (1.0 - t)
    """),
    mutant(M, "tanh_grad", "textbook_tanh_inline", "recomputes tanh with the overflowing textbook "
           "formula inside the derivative", """
        import numpy as np

        def tanh_grad(x):
            x = np.asarray(x, dtype=float)
            t = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
            return 1.0 - t * t
    """),
    mutant(M, "tanh_grad", "inline_tanh_in_place", "inlines tanh = 2σ(2x) - 1 and doubles x in place "
           "first", """
        import numpy as np

        def tanh_grad(x):
            x = np.asarray(x, dtype=float)
            x *= 2.0
            t = 2.0 * sigmoid(x) - 1.0
            return 1.0 - t * t
    """),
]

VALID = [
    valid(M, "sigmoid", "logaddexp", "exp(-log(1 + e^(-x))) with np.logaddexp (stable, relative "
          "error about |x|·u)", """
        import numpy as np

        def sigmoid(x):
            x = np.asarray(x, dtype=np.float64)
            return np.exp(-np.logaddexp(0.0, -x))
    """),
    valid(M, "sigmoid", "where_both_branches", "np.where over both formulas, overflow warnings "
          "silenced (the unused branch overflows, harmlessly)", """
        import numpy as np

        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            with np.errstate(over="ignore", invalid="ignore"):
                return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))
    """),
    valid(M, "sigmoid", "exp_of_minus_abs", "one exponential e^(-|x|) serves both branches; float32 "
          "input stays float32", """
        import numpy as np

        def sigmoid(x):
            x = np.asarray(x)
            if x.dtype.kind != "f":
                x = x.astype(np.float64)
            z = np.exp(-np.abs(x))
            return np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    """),
    valid(M, "sigmoid_grad", "symmetric_product", "σ(x) σ(-x), accurate in both tails", """
        import numpy as np

        def sigmoid_grad(x):
            x = np.asarray(x, dtype=float)
            return sigmoid(x) * sigmoid(-x)
    """),
    valid(M, "sigmoid_grad", "exp_of_minus_abs", "e^(-|x|) / (1 + e^(-|x|))², symmetric and "
          "overflow-free", """
        import numpy as np

        def sigmoid_grad(x):
            z = np.exp(-np.abs(np.asarray(x, dtype=float)))
            return z / (1.0 + z) ** 2
    """),
    valid(M, "tanh", "expm1", "tanh(x) = -sign(x) e / (2 + e) with e = expm1(-2|x|): accurate "
          "even near 0", """
        import numpy as np

        def tanh(x):
            x = np.asarray(x, dtype=float)
            e = np.expm1(-2.0 * np.abs(x))
            return -np.sign(x) * e / (2.0 + e)
    """),
    valid(M, "tanh", "exp_of_minus_2abs", "sign(x) (1 - e^(-2|x|)) / (1 + e^(-2|x|)), in a loop "
          "with math.exp", """
        import math

        import numpy as np

        def tanh(x):
            x = np.asarray(x, dtype=float)
            out = np.empty(x.shape)
            for idx in np.ndindex(x.shape):
                t = math.exp(-2.0 * abs(float(x[idx])))
                out[idx] = math.copysign((1.0 - t) / (1.0 + t), float(x[idx]))
            return out
    """),
    valid(M, "tanh_grad", "factored", "(1 - t)(1 + t) instead of 1 - t²", """
        import numpy as np

        def tanh_grad(x):
            t = tanh(x)
            return (1.0 - t) * (1.0 + t)
    """),
    valid(M, "tanh_grad", "via_sigmoid_grad", "tanh'(x) = 4 σ'(2x), from the module's sigmoid_grad", """
        import numpy as np

        def tanh_grad(x):
            return 4.0 * sigmoid_grad(2.0 * np.asarray(x, dtype=float))
    """),
]
