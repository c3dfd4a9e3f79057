"""Mutants and valid variants of the attention exercise."""

from . import mutant, valid

M = "attention"

# The reference's shape checks, shared by the attention variants below.
CHECKS = '''
def _check(Q, K, V):
    if Q.ndim < 2 or K.ndim < 2 or V.ndim < 2:
        raise ValueError("Q, K and V need at least 2 dimensions")
    if not (Q.shape[:-2] == K.shape[:-2] == V.shape[:-2]):
        raise ValueError("leading dims differ")
    if Q.shape[-1] != K.shape[-1] or K.shape[-2] != V.shape[-2]:
        raise ValueError("d_k or n_k differ")
'''


def attention_mutant(name, why, body):
    return mutant(M, "scaled_dot_product_attention", name, why, "import numpy as np\n" + CHECKS + body)


def attention_valid(name, why, body):
    return valid(M, "scaled_dot_product_attention", name, why, "import numpy as np\n" + CHECKS + body)


MUTANTS = [
    # --- softmax -----------------------------------------------------------------------------------
    mutant(M, "softmax", "no_max_subtraction", "exp(x) / sum(exp(x)) without subtracting the max: overflows for large entries", """
        import numpy as np

        def softmax(x, axis=-1):
            e = np.exp(x)
            return e / np.sum(e, axis=axis, keepdims=True)
    """),
    mutant(M, "softmax", "ignores_axis", "always normalises along the last axis, whatever axis says", """
        import numpy as np

        def softmax(x, axis=-1):
            e = np.exp(x - np.max(x, axis=-1, keepdims=True))
            return e / np.sum(e, axis=-1, keepdims=True)
    """),
    mutant(M, "softmax", "divides_by_max", "normalises by the largest exponential instead of the sum", """
        import numpy as np

        def softmax(x, axis=-1):
            e = np.exp(x - np.max(x, axis=axis, keepdims=True))
            return e / np.max(e, axis=axis, keepdims=True)
    """),
    mutant(M, "softmax", "no_keepdims", "forgets keepdims=True, so the sums broadcast against the wrong axis", """
        import numpy as np

        def softmax(x, axis=-1):
            e = np.exp(x - np.max(x, axis=axis, keepdims=True))
            return e / np.sum(e, axis=axis)
    """),
    mutant(M, "softmax", "global_max", "subtracts the max of the whole array, so slices far below it underflow to 0/0", """
        import numpy as np

        def softmax(x, axis=-1):
            e = np.exp(x - np.max(x))
            return e / np.sum(e, axis=axis, keepdims=True)
    """),
    mutant(M, "softmax", "global_sum", "divides by the sum over the whole array instead of along axis", """
        import numpy as np

        def softmax(x, axis=-1):
            e = np.exp(x - np.max(x, axis=axis, keepdims=True))
            return e / np.sum(e)
    """),
    mutant(M, "softmax", "shifts_in_place", "subtracts the max in place (x -= ...), changing the caller's array", """
        import numpy as np

        def softmax(x, axis=-1):
            x -= np.max(x, axis=axis, keepdims=True)
            e = np.exp(x)
            return e / np.sum(e, axis=axis, keepdims=True)
    """),

    # --- scaled_dot_product_attention --------------------------------------------------------------
    attention_mutant("no_scaling", "forgets to divide the scores by sqrt(d_k)", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    scores = Q @ np.swapaxes(K, -1, -2)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    return weights @ V, weights
"""),
    attention_mutant("divides_by_d_k", "divides the scores by d_k instead of sqrt(d_k)", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    scores = Q @ np.swapaxes(K, -1, -2) / Q.shape[-1]
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    return weights @ V, weights
"""),
    attention_mutant("mask_after_softmax", "multiplies the weights by the mask after the softmax, so rows no longer sum to 1", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    weights = softmax(Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1]), axis=-1)
    if mask is not None:
        weights = weights * mask
    return weights @ V, weights
"""),
    attention_mutant("inverted_mask", "reads True as 'hidden': masks the keys the query may attend to", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, -np.inf, scores)
    weights = softmax(scores, axis=-1)
    return weights @ V, weights
"""),
    attention_mutant("ignores_mask", "accepts the mask argument but never applies it", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    weights = softmax(Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1]), axis=-1)
    return weights @ V, weights
"""),
    attention_mutant("full_transpose", "uses K.T, which reverses ALL axes (batch included) instead of the last two", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    scores = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    return weights @ V, weights
"""),
    attention_mutant("softmax_over_queries", "normalises over the queries (axis -2) instead of the keys", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=-2)
    return weights @ V, weights
"""),
    attention_mutant("returns_swapped", "returns (weights, out) instead of (out, weights)", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    return weights, weights @ V
"""),
    attention_mutant("scales_queries_in_place", "scales the queries in place (Q /= sqrt(d_k)), changing the caller's Q", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    Q /= np.sqrt(Q.shape[-1])
    scores = Q @ np.swapaxes(K, -1, -2)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    return weights @ V, weights
"""),
    mutant(M, "scaled_dot_product_attention", "no_shape_check", "no shape checks: numpy broadcasts batch dims that differ, and a 1-D Q", """
        import numpy as np

        def scaled_dot_product_attention(Q, K, V, mask=None):
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
            weights = softmax(scores, axis=-1)
            return weights @ V, weights
    """),
]

VALID = [
    # --- softmax -----------------------------------------------------------------------------------
    valid(M, "softmax", "logsumexp", "exp(x - logsumexp(x)), with the max taken out of the log", """
        import numpy as np

        def softmax(x, axis=-1):
            x = np.asarray(x, dtype=float)
            m = np.max(x, axis=axis, keepdims=True)
            lse = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
            return np.exp(x - lse)
    """),
    valid(M, "softmax", "slices_loop_float32", "moves the axis last and loops over the slices, in float32 for float32 input", """
        import numpy as np

        def softmax(x, axis=-1):
            x = np.asarray(x)
            dtype = np.float32 if x.dtype == np.float32 else np.float64
            moved = np.moveaxis(x.astype(dtype), axis, -1)
            out = np.empty(moved.shape, dtype=dtype)
            for idx in np.ndindex(moved.shape[:-1]):
                row = moved[idx]
                e = np.exp(row - row.max())
                total = dtype(0)
                for v in e:
                    total = dtype(total + v)
                out[idx] = e / total
            return np.moveaxis(out, -1, axis)
    """),
    valid(M, "softmax", "apply_along_axis_list", "np.apply_along_axis with a 1-D softmax, returned as nested lists", """
        import numpy as np

        def _softmax_1d(v):
            e = np.exp(v - v.max())
            return e / e.sum()

        def softmax(x, axis=-1):
            return np.apply_along_axis(_softmax_1d, axis, np.asarray(x, dtype=float)).tolist()
    """),

    # --- scaled_dot_product_attention --------------------------------------------------------------
    attention_valid("einsum", "np.einsum for both products, its own max-subtracted softmax", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q), np.asarray(K), np.asarray(V)
    _check(Q, K, V)
    scores = np.einsum("...qd,...kd->...qk", Q, K) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(np.broadcast_to(mask, scores.shape), scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    return np.einsum("...qk,...kv->...qv", weights, V), weights
"""),
    attention_valid("large_negative_fill", "masked scores set to -1e9: exp underflows to exactly 0 for these magnitudes", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    scores = (Q / np.sqrt(Q.shape[-1])) @ np.swapaxes(K, -1, -2)
    if mask is not None:
        scores = np.broadcast_to(scores, np.broadcast_shapes(scores.shape, np.shape(mask))).copy()
        scores[~np.broadcast_to(mask, scores.shape)] = -1e9
    weights = softmax(scores, axis=-1)
    return weights @ V, weights
"""),
    attention_valid("normalise_after_product", "multiplies the unnormalised exponentials by V, then divides out and weights by the row sums", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    _check(Q, K, V)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - np.max(scores, axis=-1, keepdims=True))
    total = np.sum(e, axis=-1, keepdims=True)
    return (e @ V) / total, e / total
"""),
    attention_valid("batch_loop_float32", "flattens the batch dims and loops over them, in float32 for float32 inputs", """
def scaled_dot_product_attention(Q, K, V, mask=None):
    Q, K, V = np.asarray(Q), np.asarray(K), np.asarray(V)
    _check(Q, K, V)
    dtype = np.result_type(Q, K, V, np.float32)
    n_q, d_k = Q.shape[-2:]
    n_k, d_v = V.shape[-2:]
    lead = Q.shape[:-2]
    full = lead + (n_q, n_k)
    allowed = np.ones(full, dtype=bool) if mask is None else np.broadcast_to(mask, full)
    q, k, v = (a.reshape((-1,) + a.shape[-2:]).astype(dtype) for a in (Q, K, V))
    allowed = allowed.reshape(-1, n_q, n_k)
    out = np.empty((q.shape[0], n_q, d_v), dtype=dtype)
    weights = np.zeros((q.shape[0], n_q, n_k), dtype=dtype)
    for b in range(q.shape[0]):
        for i in range(n_q):
            keys = np.flatnonzero(allowed[b, i])
            s = (k[b][keys] @ q[b, i]) / dtype.type(np.sqrt(d_k))
            e = np.exp(s - s.max())
            weights[b, i, keys] = e / e.sum()
        out[b] = weights[b] @ v[b]
    return out.reshape(lead + (n_q, d_v)), weights.reshape(full)
"""),
]
