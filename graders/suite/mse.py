"""Mutants and valid variants of ``mse`` and ``mse_grad``."""

from . import mutant, valid

MUTANTS = [
    # --- mse -------------------------------------------------------------------------------------
    mutant("mse", "mse", "sum_not_mean", "sums the squared differences instead of averaging them", """
        def mse(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return float(np.sum((y_pred - y_true) ** 2))
    """),
    mutant("mse", "mse", "divides_by_batch", "divides by the batch size y_pred.shape[0] instead of y_pred.size", """
        def mse(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return float(np.sum((y_pred - y_true) ** 2) / y_pred.shape[0])
    """),
    mutant("mse", "mse", "absolute_error", "averages |y_pred - y_true| (the MAE), forgetting to square", """
        def mse(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return float(np.mean(np.abs(y_pred - y_true)))
    """),
    mutant("mse", "mse", "mean_over_axis_0", "np.mean(..., axis=0) averages over the batch only and returns an array", """
        def mse(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return np.mean((y_pred - y_true) ** 2, axis=0)
    """),
    mutant("mse", "mse", "no_shape_check", "no shape check: (N,) against (N, 1) broadcasts to (N, N)", """
        def mse(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.size == 0:
                raise ValueError("empty")
            return float(np.mean((y_pred - y_true) ** 2))
    """),
    mutant("mse", "mse", "no_empty_check", "no check for empty input: np.mean of nothing is nan", """
        def mse(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape:
                raise ValueError("shapes differ")
            return float(np.mean((y_pred - y_true) ** 2))
    """),
    mutant("mse", "mse", "square_of_mean", "squares the mean difference instead of averaging the squares", """
        def mse(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return float(np.mean(y_pred - y_true) ** 2)
    """),
    mutant("mse", "mse", "subtracts_in_place", "np.asarray does not copy a float64 array, so y_pred -= y_true changes the caller's y_pred", """
        def mse(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            y_pred -= y_true
            return float(np.mean(y_pred ** 2))
    """),
    # --- mse_grad --------------------------------------------------------------------------------
    mutant("mse", "mse_grad", "divides_by_batch", "divides by the batch size y_pred.shape[0] instead of y_pred.size", """
        def mse_grad(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return 2 * (y_pred - y_true) / y_pred.shape[0]
    """),
    mutant("mse", "mse_grad", "no_factor_two", "forgets the 2 from the derivative of the square", """
        def mse_grad(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return (y_pred - y_true) / y_pred.size
    """),
    mutant("mse", "mse_grad", "sign_flipped", "differentiates with respect to y_true: 2 (y_true - y_pred) / S", """
        def mse_grad(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return 2 * (y_true - y_pred) / y_pred.size
    """),
    mutant("mse", "mse_grad", "gradient_of_sum", "returns 2 (y_pred - y_true), the gradient of the sum, not of the mean", """
        def mse_grad(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return 2 * (y_pred - y_true)
    """),
    mutant("mse", "mse_grad", "no_shape_check", "no shape check: (N,) against (N, 1) broadcasts to an (N, N) gradient", """
        def mse_grad(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.size == 0:
                raise ValueError("empty")
            diff = y_pred - y_true
            return 2 * diff / diff.size
    """),
    mutant("mse", "mse_grad", "subtracts_in_place", "np.asarray does not copy a float64 array, so y_pred -= y_true changes the caller's y_pred", """
        def mse_grad(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            y_pred -= y_true
            return 2 * y_pred / y_pred.size
    """),
    mutant("mse", "mse_grad", "returns_scalar", "averages the gradient into one number instead of one entry per prediction", """
        def mse_grad(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return float(np.mean(2 * (y_pred - y_true)))
    """),
]

VALID = [
    # --- mse -------------------------------------------------------------------------------------
    valid("mse", "mse", "ndindex_loop", "a loop over every index with a Python float accumulator", """
        def mse(y_pred, y_true):
            if y_pred.shape != y_true.shape:
                raise ValueError("shapes differ")
            if y_pred.size == 0:
                raise ValueError("no entries")
            total = 0.0
            for index in np.ndindex(y_pred.shape):
                d = float(y_pred[index]) - float(y_true[index])
                total += d * d
            return total / y_pred.size
    """),
    valid("mse", "mse", "float32_native", "no float64 conversion: float32 inputs are subtracted, squared and averaged in float32", """
        def mse(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred), np.asarray(y_true)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            diff = y_pred - y_true
            return np.mean(diff * diff)
    """),
    valid("mse", "mse", "fsum", "math.fsum (correctly rounded) over the flattened squares", """
        import math

        def mse(y_pred, y_true):
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            diffs = (np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)).ravel()
            return math.fsum(d * d for d in diffs) / diffs.size
    """),
    valid("mse", "mse", "divide_each_term", "divides every square by S before adding up, then returns a 0-d array", """
        def mse(y_pred, y_true):
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            d = np.subtract(y_pred, y_true, dtype=float)
            return np.array(np.add.reduce((d ** 2 / d.size).ravel()))
    """),
    valid("mse", "mse", "backwards_sum", "adds the squares from the last entry to the first", """
        def mse(y_pred, y_true):
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            flat = (y_pred - y_true).ravel()
            total = 0
            for d in flat[::-1]:
                total = total + d * d
            return total / flat.size
    """),
    # --- mse_grad --------------------------------------------------------------------------------
    valid("mse", "mse_grad", "precomputed_factor", "multiplies by a precomputed (2 / S)", """
        def mse_grad(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return (2.0 / y_pred.size) * (y_pred - y_true)
    """),
    valid("mse", "mse_grad", "scale_then_subtract", "scales both arguments by 2 / S, then subtracts", """
        def mse_grad(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            s = y_pred.size
            return 2 * y_pred / s - 2 * y_true / s
    """),
    valid("mse", "mse_grad", "float32_native", "no float64 conversion: float32 inputs give a float32 gradient", """
        def mse_grad(y_pred, y_true):
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return 2 * (y_pred - y_true) / y_pred.size
    """),
    valid("mse", "mse_grad", "tolist", "returns nested lists", """
        def mse_grad(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape or y_pred.size == 0:
                raise ValueError("bad shapes")
            return (2 * (y_pred - y_true) / y_pred.size).tolist()
    """),
    valid("mse", "mse_grad", "ndindex_loop", "a loop over every index", """
        def mse_grad(y_pred, y_true):
            if y_pred.shape != y_true.shape:
                raise ValueError("shapes differ")
            if y_pred.size == 0:
                raise ValueError("no entries")
            out = np.zeros(y_pred.shape)
            for index in np.ndindex(y_pred.shape):
                out[index] = 2 * (float(y_pred[index]) - float(y_true[index])) / y_pred.size
            return out
    """),
]
