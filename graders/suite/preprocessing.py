"""Mutants and valid variants of ``min_max_scale``, ``standardize`` and ``train_val_split``."""

from . import mutant, valid

M, MM, STD, SPLIT = "preprocessing", "min_max_scale", "standardize", "train_val_split"

MUTANTS = [
    # --- min_max_scale ---------------------------------------------------------------------------
    mutant(M, MM, "per_row", "takes min and max along axis=1: scales each example instead of each "
           "feature", """
        import numpy as np

        def min_max_scale(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            lo, hi = X.min(axis=1, keepdims=True), X.max(axis=1, keepdims=True)
            span = hi - lo
            return np.where(span == 0, 0.0, (X - lo) / np.where(span == 0, 1.0, span))
    """),
    mutant(M, MM, "divides_by_zero", "no special case for constant columns: 0 / 0 gives nan", """
        import numpy as np

        def min_max_scale(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            lo, hi = X.min(axis=0), X.max(axis=0)
            return (X - lo) / (hi - lo)
    """),
    mutant(M, MM, "epsilon", "adds 1e-8 to the denominator instead of handling constant columns: "
           "every other column comes out slightly wrong", """
        import numpy as np

        def min_max_scale(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            lo, hi = X.min(axis=0), X.max(axis=0)
            return (X - lo) / (hi - lo + 1e-8)
    """),
    mutant(M, MM, "divide_by_max", "divides by the column maximum without subtracting the "
           "minimum", """
        import numpy as np

        def min_max_scale(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            hi = X.max(axis=0)
            return np.where(hi == X.min(axis=0), 0.0, X / np.where(hi == 0, 1.0, hi))
    """),
    mutant(M, MM, "in_place", "X -= X.min(axis=0) and X /= span: rescales the caller's data", """
        import numpy as np

        def min_max_scale(X):
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            if X.dtype.kind != "f":
                X = X.astype(float)
            lo, hi = X.min(axis=0), X.max(axis=0)
            span = np.where(hi == lo, 1.0, hi - lo)
            X -= lo
            X /= span
            return X
    """),
    mutant(M, MM, "accepts_vectors", "no shape check: a 1-D vector is scaled as a whole", """
        import numpy as np

        def min_max_scale(X):
            X = np.asarray(X, dtype=float)
            lo, hi = X.min(axis=0), X.max(axis=0)
            span = hi - lo
            return np.where(span == 0, 0.0, (X - lo) / np.where(span == 0, 1.0, span))
    """),
    # --- standardize -----------------------------------------------------------------------------
    mutant(M, STD, "sample_std", "divides by the sample std (ddof=1) instead of the population "
           "std", """
        import numpy as np

        def standardize(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            constant = X.max(axis=0) == X.min(axis=0)
            std = X.std(axis=0, ddof=1) if X.shape[0] > 1 else np.zeros(X.shape[1])
            return np.where(constant, 0.0, (X - X.mean(axis=0)) / np.where(constant, 1.0, std))
    """),
    mutant(M, STD, "std_equals_zero", "detects constant columns with std == 0, which misses "
           "columns whose computed std is 1e-17 instead of 0", """
        import numpy as np

        def standardize(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            mean, std = X.mean(axis=0), X.std(axis=0)
            return np.where(std == 0, 0.0, (X - mean) / np.where(std == 0, 1.0, std))
    """),
    mutant(M, STD, "epsilon", "divides by std + 1e-8 instead of handling constant columns", """
        import numpy as np

        def standardize(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            return (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8)
    """),
    mutant(M, STD, "one_pass_variance", "variance as mean(x²) - mean(x)²: cancels catastrophically "
           "when the mean is large compared to the spread", """
        import numpy as np

        def standardize(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            mean = X.mean(axis=0)
            var = np.maximum(np.mean(X * X, axis=0) - mean * mean, 0.0)
            constant = X.max(axis=0) == X.min(axis=0)
            std = np.where(constant | (var == 0), 1.0, np.sqrt(var))
            return np.where(constant, 0.0, (X - mean) / std)
    """),
    mutant(M, STD, "per_row", "mean and std along axis=1: standardises each example", """
        import numpy as np

        def standardize(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            mean, std = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)
            constant = X.max(axis=1, keepdims=True) == X.min(axis=1, keepdims=True)
            return np.where(constant, 0.0, (X - mean) / np.where(constant, 1.0, std))
    """),
    mutant(M, STD, "in_place", "X -= mean; X /= std on the caller's array", """
        import numpy as np

        def standardize(X):
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D)")
            if X.dtype.kind != "f":
                X = X.astype(float)
            constant = X.max(axis=0) == X.min(axis=0)
            std = np.where(constant, 1.0, X.std(axis=0))
            X -= X.mean(axis=0)
            X /= std
            X[:, constant] = 0.0
            return X
    """),
    mutant(M, STD, "empty_batch_nan", "no check for N == 0: returns an empty array (with warnings) "
           "instead of raising", """
        import numpy as np

        def standardize(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2:
                raise ValueError("X must be 2-D")
            if X.shape[0] == 0:
                return X.copy()
            mean, std = X.mean(axis=0), X.std(axis=0)
            constant = X.max(axis=0) == X.min(axis=0)
            return np.where(constant, 0.0, (X - mean) / np.where(constant, 1.0, std))
    """),
    # --- train_val_split -------------------------------------------------------------------------
    mutant(M, SPLIT, "separate_shuffles", "shuffles X and Y with two different permutations: the "
           "pairs are destroyed", """
        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            X, Y = np.asarray(X), np.asarray(Y)
            if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y) or not 0 <= val_fraction <= 1:
                raise ValueError("bad input")
            rng = np.random.default_rng(seed)
            n_val = round(val_fraction * len(X))
            X, Y = X[rng.permutation(len(X))], Y[rng.permutation(len(Y))]
            return X[n_val:], X[:n_val], Y[n_val:], Y[:n_val]
    """),
    mutant(M, SPLIT, "truncates", "n_val = int(val_fraction * N) truncates instead of rounding", """
        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            X, Y = np.asarray(X), np.asarray(Y)
            if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y) or not 0 <= val_fraction <= 1:
                raise ValueError("bad input")
            perm = np.random.default_rng(seed).permutation(len(X))
            n_val = int(val_fraction * len(X))
            return X[perm[n_val:]], X[perm[:n_val]], Y[perm[n_val:]], Y[perm[:n_val]]
    """),
    mutant(M, SPLIT, "rounds_half_up", "n_val = int(val_fraction * N + 0.5) rounds exact halves up, "
           "not to the even neighbour as promised", """
        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            X, Y = np.asarray(X), np.asarray(Y)
            if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y) or not 0 <= val_fraction <= 1:
                raise ValueError("bad input")
            perm = np.random.default_rng(seed).permutation(len(X))
            n_val = int(val_fraction * len(X) + 0.5)
            return X[perm[n_val:]], X[perm[:n_val]], Y[perm[n_val:]], Y[perm[:n_val]]
    """),
    mutant(M, SPLIT, "global_random_state", "np.random.permutation without the seed: a different "
           "split on every call", """
        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            X, Y = np.asarray(X), np.asarray(Y)
            if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y) or not 0 <= val_fraction <= 1:
                raise ValueError("bad input")
            perm = np.random.permutation(len(X))
            n_val = round(val_fraction * len(X))
            return X[perm[n_val:]], X[perm[:n_val]], Y[perm[n_val:]], Y[perm[:n_val]]
    """),
    mutant(M, SPLIT, "fixed_seed", "default_rng(0): reproducible, but the seed argument is ignored", """
        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            X, Y = np.asarray(X), np.asarray(Y)
            if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y) or not 0 <= val_fraction <= 1:
                raise ValueError("bad input")
            perm = np.random.default_rng(0).permutation(len(X))
            n_val = round(val_fraction * len(X))
            return X[perm[n_val:]], X[perm[:n_val]], Y[perm[n_val:]], Y[perm[:n_val]]
    """),
    mutant(M, SPLIT, "no_shuffle", "takes the last rows for validation, without shuffling", """
        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            X, Y = np.asarray(X), np.asarray(Y)
            if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y) or not 0 <= val_fraction <= 1:
                raise ValueError("bad input")
            n_train = len(X) - round(val_fraction * len(X))
            return X[:n_train], X[n_train:], Y[:n_train], Y[n_train:]
    """),
    mutant(M, SPLIT, "off_by_one_overlap", "train starts at perm[n_val - 1]: one row is in both "
           "parts", """
        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            X, Y = np.asarray(X), np.asarray(Y)
            if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y) or not 0 <= val_fraction <= 1:
                raise ValueError("bad input")
            perm = np.random.default_rng(seed).permutation(len(X))
            n_val = round(val_fraction * len(X))
            train = perm[max(n_val - 1, 0):] if 0 < n_val < len(X) else perm[n_val:]
            return X[train], X[perm[:n_val]], Y[train], Y[perm[:n_val]]
    """),
    mutant(M, SPLIT, "shuffles_in_place", "rng.shuffle(X) and rng.shuffle(Y) with two generators "
           "from the same seed: pairs kept, but the caller's arrays are shuffled", """
        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y) or not 0 <= val_fraction <= 1:
                raise ValueError("bad input")
            np.random.default_rng(seed).shuffle(X)
            np.random.default_rng(seed).shuffle(Y)
            n_val = round(val_fraction * len(X))
            return X[n_val:].copy(), X[:n_val].copy(), Y[n_val:].copy(), Y[:n_val].copy()
    """),
    mutant(M, SPLIT, "fraction_unchecked", "no check of val_fraction: 1.5 or -0.1 give nonsense "
           "slices instead of an error", """
        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            X, Y = np.asarray(X), np.asarray(Y)
            if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y):
                raise ValueError("bad input")
            perm = np.random.default_rng(seed).permutation(len(X))
            n_val = round(val_fraction * len(X))
            return X[perm[n_val:]], X[perm[:n_val]], Y[perm[n_val:]], Y[perm[:n_val]]
    """),
]

VALID = [
    valid(M, MM, "ptp_and_loop", "np.ptp for the span and a loop over the columns", """
        import numpy as np

        def min_max_scale(X):
            X = np.asarray(X)
            if X.ndim != 2 or len(X) == 0:
                raise ValueError("X must be a 2-D batch with at least one row")
            out = np.zeros(X.shape)
            for j in range(X.shape[1]):
                col = X[:, j].astype(float)
                span = np.ptp(col)
                if span > 0:
                    out[:, j] = (col - col.min()) / span
            return out
    """),
    valid(M, MM, "reciprocal_float32", "multiplies by 1 / span and keeps float32 data in float32", """
        import numpy as np

        def min_max_scale(X):
            X = np.asarray(X)
            if X.ndim != 2 or X.shape[0] < 1:
                raise ValueError("X must be (N, D) with N >= 1")
            if X.dtype.kind != "f":
                X = X.astype(np.float64)
            lo = X.min(axis=0)
            span = X.max(axis=0) - lo
            constant = span == 0
            inv = 1 / np.where(constant, 1, span)
            return np.where(constant, 0, (X - lo) * inv)
    """),
    valid(M, STD, "np_std_and_ptp", "np.mean / np.std (ddof=0) with np.ptp to find constant "
          "columns", """
        import numpy as np

        def standardize(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or len(X) == 0:
                raise ValueError("X must be a 2-D batch with at least one row")
            constant = np.ptp(X, axis=0) == 0
            std = np.std(X, axis=0)
            std[constant] = 1.0
            out = (X - np.mean(X, axis=0)) / std
            out[:, constant] = 0.0
            return out
    """),
    valid(M, STD, "welford_loop", "Welford's one-pass running mean and variance, column by column", """
        import math

        import numpy as np

        def standardize(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D) with N >= 1")
            N, D = X.shape
            out = np.zeros((N, D))
            for j in range(D):
                col = X[:, j]
                if col.max() == col.min():
                    continue
                mean, m2 = 0.0, 0.0
                for k, v in enumerate(col.tolist(), start=1):
                    delta = v - mean
                    mean += delta / k
                    m2 += delta * (v - mean)
                out[:, j] = (col - mean) / math.sqrt(m2 / N)
            return out
    """),
    valid(M, STD, "shift_by_first_row", "subtracts the first row before the statistics (a shift "
          "changes neither the deviations nor the std, and constant columns become exactly 0)", """
        import numpy as np

        def standardize(X):
            X = np.asarray(X, dtype=float)
            if X.ndim != 2 or X.shape[0] == 0:
                raise ValueError("X must be (N, D) with N >= 1")
            shifted = X - X[0]
            dev = shifted - shifted.mean(axis=0)
            std = np.sqrt((dev ** 2).mean(axis=0))
            constant = np.all(shifted == 0, axis=0)
            return np.where(constant, 0.0, dev / np.where(constant, 1.0, std))
    """),
    valid(M, SPLIT, "choice_and_mask", "rng.choice picks the validation rows, a boolean mask keeps "
          "the original order inside each part", """
        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            X, Y = np.asarray(X), np.asarray(Y)
            if X.ndim < 1 or Y.ndim < 1 or X.shape[0] != Y.shape[0]:
                raise ValueError("X and Y need the same number of rows")
            if not (0.0 <= val_fraction <= 1.0):
                raise ValueError("val_fraction must be in [0, 1]")
            N = X.shape[0]
            n_val = round(val_fraction * N)
            rng = np.random.default_rng(seed)
            is_val = np.zeros(N, dtype=bool)
            is_val[rng.choice(N, size=n_val, replace=False)] = True
            return X[~is_val], X[is_val], Y[~is_val], Y[is_val]
    """),
    valid(M, SPLIT, "python_random", "Python's random.Random(seed) shuffles a list of indices; the "
          "validation rows come last", """
        import random

        import numpy as np

        def train_val_split(X, Y, val_fraction, seed):
            X, Y = np.asarray(X), np.asarray(Y)
            if X.ndim == 0 or Y.ndim == 0 or len(X) != len(Y):
                raise ValueError("X and Y need the same number of rows")
            if val_fraction < 0 or val_fraction > 1:
                raise ValueError("val_fraction must be between 0 and 1")
            order = list(range(len(X)))
            random.Random(seed).shuffle(order)
            n_train = len(order) - round(val_fraction * len(order))
            train, val = order[:n_train], order[n_train:]
            return X[train], X[val], Y[train], Y[val]
    """),
]
