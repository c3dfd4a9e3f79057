"""Mutants and valid variants of ``add_bias`` and ``batch_linear``."""

from . import mutant, valid

M, BIAS, LIN = "broadcasting", "add_bias", "batch_linear"

MUTANTS = [
    # --- add_bias --------------------------------------------------------------------------------
    mutant(M, BIAS, "wrong_axis", "adds the bias down the rows with b[:, None] (example n gets "
           "b[n]); runs whenever N == H", """
        import numpy as np

        def add_bias(Z, b):
            Z, b = np.asarray(Z), np.asarray(b)
            if Z.ndim != 2 or b.ndim != 1 or len(b) not in Z.shape:
                raise ValueError("bad shapes")
            return Z + b[:, None]
    """),
    mutant(M, BIAS, "trusts_broadcasting", "no shape check: a length-1 bias or a scalar is "
           "silently added to everything", """
        import numpy as np

        def add_bias(Z, b):
            return np.asarray(Z) + np.asarray(b)
    """),
    mutant(M, BIAS, "checks_length_only", "checks len(b) == Z.shape[1] but not that b is 1-D or "
           "that Z is 2-D", """
        import numpy as np

        def add_bias(Z, b):
            Z, b = np.asarray(Z), np.asarray(b)
            if np.ndim(b) == 0 or b.shape[-1] != Z.shape[-1]:
                raise ValueError("bias length must match the number of columns")
            return Z + b
    """),
    mutant(M, BIAS, "in_place", "Z += b: adds the bias into the caller's batch", """
        import numpy as np

        def add_bias(Z, b):
            if Z.ndim != 2 or b.shape != (Z.shape[1],):
                raise ValueError("bad shapes")
            if Z.dtype == np.result_type(Z, b):
                Z += b
                return Z
            return Z + b
    """),
    mutant(M, BIAS, "first_row_only", "a loop that adds the bias to row 0 and copies the rest", """
        import numpy as np

        def add_bias(Z, b):
            Z, b = np.asarray(Z), np.asarray(b)
            if Z.ndim != 2 or b.shape != (Z.shape[1],):
                raise ValueError("bad shapes")
            out = np.array(Z, dtype=float)
            if len(out):
                out[0] = out[0] + b
            return out
    """),
    # --- batch_linear ----------------------------------------------------------------------------
    mutant(M, LIN, "untransposed", "X @ W + b: forgets that W is stored (H, D); runs when D == H", """
        import numpy as np

        def batch_linear(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or b.ndim != 1:
                raise ValueError("bad shapes")
            if W.shape[0] != X.shape[1] or b.shape[0] != W.shape[1]:
                raise ValueError("bad shapes")
            return X @ W + b
    """),
    mutant(M, LIN, "column_formula", "writes the textbook W x + b for the whole batch, (W @ X.T + "
           "b[:, None]), and returns it without transposing back: (H, N)", """
        import numpy as np

        def batch_linear(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or W.shape[1] != X.shape[1] or b.shape != (W.shape[0],):
                raise ValueError("bad shapes")
            return W @ X.T + b[:, None]
    """),
    mutant(M, LIN, "bias_wrong_axis", "X @ W.T + b[:, None]: the bias goes down the rows; runs "
           "when N == H", """
        import numpy as np

        def batch_linear(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or W.shape[1] != X.shape[1] or b.shape != (W.shape[0],):
                raise ValueError("bad shapes")
            if X.shape[0] == b.shape[0]:
                return X @ W.T + b[:, None]
            return X @ W.T + b
    """),
    mutant(M, LIN, "no_bias", "forgets to add the bias", """
        import numpy as np

        def batch_linear(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or W.shape[1] != X.shape[1] or b.shape != (W.shape[0],):
                raise ValueError("bad shapes")
            return X @ W.T
    """),
    mutant(M, LIN, "no_shape_checks", "relies on numpy to complain: a length-1 bias or a single "
           "example (1-D X) slips through", """
        import numpy as np

        def batch_linear(X, W, b):
            return np.asarray(X) @ np.asarray(W).T + np.asarray(b)
    """),
    mutant(M, LIN, "bias_before_weights", "adds the bias to the input: (X + b) @ W.T; runs when "
           "D == H", """
        import numpy as np

        def batch_linear(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or W.shape[1] != X.shape[1] or b.shape != (W.shape[0],):
                raise ValueError("bad shapes")
            return (X + b) @ W.T
    """),
]

VALID = [
    valid(M, BIAS, "explicit_tile", "b[np.newaxis, :] broadcast with np.add, shapes checked one by "
          "one", """
        import numpy as np

        def add_bias(Z, b):
            Z = np.asarray(Z)
            b = np.asarray(b)
            if Z.ndim != 2:
                raise ValueError("Z must be 2-D")
            if b.ndim != 1 or b.shape[0] != Z.shape[1]:
                raise ValueError("b must have one entry per column of Z")
            return np.add(Z, b[np.newaxis, :])
    """),
    valid(M, BIAS, "row_loop", "a loop over the rows into a float copy", """
        import numpy as np

        def add_bias(Z, b):
            Z, b = np.asarray(Z), np.asarray(b)
            if Z.ndim != 2 or b.shape != (Z.shape[1],):
                raise ValueError(f"shapes do not fit: Z {Z.shape}, b {b.shape}")
            out = np.array(Z, dtype=np.result_type(Z, b, np.float64))
            for n in range(out.shape[0]):
                out[n] += b
            return out
    """),
    valid(M, LIN, "column_formula_transposed_back", "the textbook column form W @ X.T + b[:, None], "
          "transposed back to (N, H)", """
        import numpy as np

        def batch_linear(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or b.ndim != 1:
                raise ValueError("X and W must be 2-D, b 1-D")
            if W.shape[1] != X.shape[1] or b.shape[0] != W.shape[0]:
                raise ValueError("shapes do not fit")
            return (W @ X.T + b[:, None]).T
    """),
    valid(M, LIN, "einsum_and_add_bias", "np.einsum for the product, then the module's add_bias", """
        import numpy as np

        def batch_linear(X, W, b):
            X, W = np.asarray(X), np.asarray(W)
            if X.ndim != 2 or W.ndim != 2 or W.shape[1] != X.shape[1]:
                raise ValueError("need X (N, D) and W (H, D)")
            return add_bias(np.einsum("nd,hd->nh", X, W), b)
    """),
]
