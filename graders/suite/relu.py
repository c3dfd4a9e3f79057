"""Mutants and valid variants of ``relu`` and ``relu_grad``."""

from . import mutant, valid

MUTANTS = [
    # --- relu ------------------------------------------------------------------------------------
    mutant("relu", "relu", "absolute_value", "takes |x|, turning negatives positive instead of zeroing them", """
        def relu(x):
            return np.abs(x)
    """),
    mutant("relu", "relu", "clipped_above", "clips to [0, 1] (np.clip(x, 0, 1)), capping large activations", """
        def relu(x):
            return np.clip(x, 0, 1)
    """),
    mutant("relu", "relu", "maximum_out_x", "np.maximum(x, 0, out=x) writes the result into the caller's array", """
        def relu(x):
            x = np.asarray(x)
            return np.maximum(x, 0, out=x)
    """),
    mutant("relu", "relu", "mask_in_place", "zeroes the negatives in place (x[x < 0] = 0) and returns x", """
        def relu(x):
            x[x < 0] = 0
            return x
    """),
    mutant("relu", "relu", "np_max_reduces", "np.max(x, 0) reduces along axis 0 instead of comparing entrywise", """
        def relu(x):
            return np.max(x, 0)
    """),
    mutant("relu", "relu", "leaky", "leaky ReLU: keeps 0.01 * x for negative x", """
        def relu(x):
            x = np.asarray(x)
            return np.where(x > 0, x, 0.01 * x)
    """),
    mutant("relu", "relu", "returns_mask", "returns the 0/1 mask (the derivative) instead of the values", """
        def relu(x):
            return (np.asarray(x) > 0).astype(float)
    """),
    # --- relu_grad -------------------------------------------------------------------------------
    mutant("relu", "relu_grad", "one_at_zero", "tests x >= 0, so relu'(0) = 1 instead of 0", """
        def relu_grad(x):
            return (np.asarray(x) >= 0).astype(np.float64)
    """),
    mutant("relu", "relu_grad", "heaviside_half", "np.heaviside(x, 0.5): the midpoint convention relu'(0) = 0.5", """
        def relu_grad(x):
            return np.heaviside(x, 0.5)
    """),
    mutant("relu", "relu_grad", "returns_x", "returns x where x > 0 (the ReLU itself) instead of 1", """
        def relu_grad(x):
            x = np.asarray(x)
            return np.where(x > 0, x, 0.0)
    """),
    mutant("relu", "relu_grad", "sign", "np.sign(x): -1 for negative inputs instead of 0", """
        def relu_grad(x):
            return np.sign(x).astype(np.float64)
    """),
    mutant("relu", "relu_grad", "overwrites_x", "writes the mask into x (x[...] = x > 0) and returns it", """
        def relu_grad(x):
            x[...] = x > 0
            return x
    """),
    mutant("relu", "relu_grad", "python_if", "a Python if on the whole array (works for one number, raises for arrays)", """
        def relu_grad(x):
            if x > 0:
                return 1.0
            return 0.0
    """),
]

VALID = [
    # --- relu ------------------------------------------------------------------------------------
    valid("relu", "relu", "times_mask", "multiplies by the boolean mask: x * (x > 0)", """
        def relu(x):
            return x * (x > 0)
    """),
    valid("relu", "relu", "where", "np.where(x > 0, x, 0)", """
        def relu(x):
            return np.where(x > 0, x, 0)
    """),
    valid("relu", "relu", "clip_below", "np.clip with no upper bound", """
        def relu(x):
            return np.clip(x, 0, None)
    """),
    valid("relu", "relu", "ndindex_loop", "a loop over every index of a float copy", """
        def relu(x):
            out = np.array(x, dtype=float)
            for index in np.ndindex(out.shape):
                if out[index] < 0:
                    out[index] = 0.0
            return out
    """),
    valid("relu", "relu", "half_abs", "(x + |x|) / 2", """
        def relu(x):
            return (x + np.abs(x)) / 2
    """),
    valid("relu", "relu", "tolist", "returns nested lists (a Python number for 0-d input)", """
        def relu(x):
            return np.maximum(x, 0).tolist()
    """),
    # --- relu_grad -------------------------------------------------------------------------------
    valid("relu", "relu_grad", "boolean_mask", "returns the boolean mask x > 0 (same values as 1.0 / 0.0)", """
        def relu_grad(x):
            return np.asarray(x) > 0
    """),
    valid("relu", "relu_grad", "where_floats", "np.where(x > 0, 1.0, 0.0)", """
        def relu_grad(x):
            return np.where(np.asarray(x) > 0, 1.0, 0.0)
    """),
    valid("relu", "relu_grad", "heaviside_zero", "np.heaviside(x, 0.0): the step function with h(0) = 0", """
        def relu_grad(x):
            return np.heaviside(x, 0.0)
    """),
    valid("relu", "relu_grad", "input_dtype", "casts the mask to x's own dtype (integers stay integers, float32 stays float32)", """
        def relu_grad(x):
            x = np.asarray(x)
            return (x > 0).astype(x.dtype)
    """),
    valid("relu", "relu_grad", "clipped_sign", "np.maximum(np.sign(x), 0): sign(0) is 0", """
        def relu_grad(x):
            return np.maximum(np.sign(x), 0.0)
    """),
    valid("relu", "relu_grad", "ndindex_loop", "a loop over every index with an explicit if", """
        def relu_grad(x):
            x = np.asarray(x)
            out = np.zeros(x.shape)
            for index in np.ndindex(x.shape):
                if x[index] > 0:
                    out[index] = 1.0
            return out
    """),
]
