"""Mutants and valid variants of the multihead_attention exercise."""

from . import mutant, valid

M = "multihead_attention"

# The reference's shape checks, shared by the multi_head_attention variants below.
MHA_CHECKS = '''
def _check(X, Wq, Wk, Wv, Wo, num_heads):
    if X.ndim != 3 or any(W.ndim != 2 for W in (Wq, Wk, Wv, Wo)):
        raise ValueError("X must be 3-D and the weights 2-D")
    D = X.shape[2]
    if Wq.shape[0] != D or Wk.shape != Wq.shape or Wv.shape[0] != D or Wo.shape[0] != Wv.shape[1]:
        raise ValueError("bad shapes")
    if num_heads < 1 or Wq.shape[1] % num_heads or Wv.shape[1] % num_heads:
        raise ValueError("num_heads must divide Dk and Dv")


def _softmax(S):
    e = np.exp(S - S.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
'''

SPLIT_CHECKS = '''
def _check(X, num_heads):
    if X.ndim != 3 or num_heads < 1 or X.shape[2] % num_heads:
        raise ValueError("bad input")
'''


def mha_variant(make, name, why, body):
    return make(M, "multi_head_attention", name, why, "import numpy as np\n" + MHA_CHECKS + body)


def split_variant(make, name, why, body):
    return make(M, "split_heads", name, why, "import numpy as np\n" + SPLIT_CHECKS + body)


MUTANTS = [
    # --- causal_mask -------------------------------------------------------------------------------
    mutant(M, "causal_mask", "upper_triangular", "builds the upper triangle (True where j >= i): rows and columns confused", """
        import numpy as np

        def causal_mask(n):
            if n < 0:
                raise ValueError("n must be >= 0")
            return np.triu(np.ones((n, n), dtype=bool))
    """),
    mutant(M, "causal_mask", "blocked_polarity", "True marks the BLOCKED keys, as torch.nn.MultiheadAttention's bool attn_mask does", """
        import numpy as np

        def causal_mask(n):
            if n < 0:
                raise ValueError("n must be >= 0")
            return np.triu(np.ones((n, n), dtype=bool), k=1)
    """),
    mutant(M, "causal_mask", "excludes_diagonal", "strictly lower triangular: a token may not attend to itself", """
        import numpy as np

        def causal_mask(n):
            if n < 0:
                raise ValueError("n must be >= 0")
            return np.tril(np.ones((n, n), dtype=bool), k=-1)
    """),
    mutant(M, "causal_mask", "float_mask", "np.tril(np.ones((n, n))): the right pattern as floats 0.0/1.0, not booleans", """
        import numpy as np

        def causal_mask(n):
            if n < 0:
                raise ValueError("n must be >= 0")
            return np.tril(np.ones((n, n)))
    """),
    mutant(M, "causal_mask", "no_negative_check", "compares aranges without checking n, so n < 0 gives an empty mask", """
        import numpy as np

        def causal_mask(n):
            i = np.arange(n)
            return i[None, :] <= i[:, None]
    """),

    # --- split_heads -------------------------------------------------------------------------------
    split_variant(mutant, "reshape_only", "X.reshape(N, h, T, d): the right shape, but tokens get mixed into heads", """
def split_heads(X, num_heads):
    X = np.asarray(X)
    _check(X, num_heads)
    N, T, D = X.shape
    return X.reshape(N, num_heads, T, D // num_heads)
"""),
    split_variant(mutant, "interleaved_features", "reshapes to (N, T, d, h): head i gets every h-th feature instead of a block", """
def split_heads(X, num_heads):
    X = np.asarray(X)
    _check(X, num_heads)
    N, T, D = X.shape
    return X.reshape(N, T, D // num_heads, num_heads).transpose(0, 3, 1, 2)
"""),
    split_variant(mutant, "heads_after_tokens", "stops after the reshape: returns (N, T, h, d), the heads still behind the tokens", """
def split_heads(X, num_heads):
    X = np.asarray(X)
    _check(X, num_heads)
    N, T, D = X.shape
    return X.reshape(N, T, num_heads, D // num_heads)
"""),
    mutant(M, "split_heads", "drops_remainder", "never checks divisibility: keeps the first h·(D // h) features and silently drops the rest", """
        import numpy as np

        def split_heads(X, num_heads):
            X = np.asarray(X)
            N, T, D = X.shape
            d = D // num_heads
            return X[:, :, :num_heads * d].reshape(N, T, num_heads, d).transpose(0, 2, 1, 3)
    """),
    split_variant(mutant, "reshapes_caller_array", "reshapes with X.shape = (N, T, h, d), which changes the caller's array", """
def split_heads(X, num_heads):
    X = np.asarray(X)
    _check(X, num_heads)
    N, T, D = X.shape
    try:
        X.shape = (N, T, num_heads, D // num_heads)
    except AttributeError:  # a non-contiguous X cannot be reshaped in place
        X = X.reshape(N, T, num_heads, D // num_heads)
    return X.transpose(0, 2, 1, 3)
"""),

    # --- merge_heads -------------------------------------------------------------------------------
    mutant(M, "merge_heads", "reshape_only", "X.reshape(N, T, h·d) without moving the heads back behind the tokens", """
        import numpy as np

        def merge_heads(X):
            X = np.asarray(X)
            if X.ndim != 4:
                raise ValueError("X must be 4-D")
            N, h, T, d = X.shape
            return X.reshape(N, T, h * d)
    """),
    mutant(M, "merge_heads", "interleaves_features", "transposes to (N, T, d, h) before flattening, interleaving the heads' features", """
        import numpy as np

        def merge_heads(X):
            X = np.asarray(X)
            if X.ndim != 4:
                raise ValueError("X must be 4-D")
            N, h, T, d = X.shape
            return X.transpose(0, 2, 3, 1).reshape(N, T, h * d)
    """),
    mutant(M, "merge_heads", "concatenate_unchecked", "concatenates the heads along the last axis without checking that X is 4-D", """
        import numpy as np

        def merge_heads(X):
            X = np.asarray(X)
            return np.concatenate([X[:, i] for i in range(X.shape[1])], axis=-1)
    """),
    mutant(M, "merge_heads", "heads_in_reverse", "concatenates the heads from last to first", """
        import numpy as np

        def merge_heads(X):
            X = np.asarray(X)
            if X.ndim != 4:
                raise ValueError("X must be 4-D")
            N, h, T, d = X.shape
            return X[:, ::-1].transpose(0, 2, 1, 3).reshape(N, T, h * d)
    """),

    # --- multi_head_attention ----------------------------------------------------------------------
    mha_variant(mutant, "scales_by_full_width", "divides the scores by sqrt(Dk) instead of sqrt(d_k) = sqrt(Dk // h)", """
def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    X, Wq, Wk, Wv, Wo = (np.asarray(a, dtype=float) for a in (X, Wq, Wk, Wv, Wo))
    _check(X, Wq, Wk, Wv, Wo, num_heads)
    Q, K, V = (split_heads(X @ W, num_heads) for W in (Wq, Wk, Wv))
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Wq.shape[1])
    if causal:
        S = np.where(causal_mask(X.shape[1]), S, -np.inf)
    weights = _softmax(S)
    return merge_heads(weights @ V) @ Wo, weights
"""),
    mha_variant(mutant, "reshape_split", "splits the heads with a reshape alone, mixing tokens into heads", """
def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    X, Wq, Wk, Wv, Wo = (np.asarray(a, dtype=float) for a in (X, Wq, Wk, Wv, Wo))
    _check(X, Wq, Wk, Wv, Wo, num_heads)
    N, T, D = X.shape
    Q, K, V = ((X @ W).reshape(N, num_heads, T, -1) for W in (Wq, Wk, Wv))
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if causal:
        S = np.where(causal_mask(T), S, -np.inf)
    weights = _softmax(S)
    return merge_heads(weights @ V) @ Wo, weights
"""),
    mha_variant(mutant, "ignores_causal", "accepts causal=True but never masks", """
def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    X, Wq, Wk, Wv, Wo = (np.asarray(a, dtype=float) for a in (X, Wq, Wk, Wv, Wo))
    _check(X, Wq, Wk, Wv, Wo, num_heads)
    Q, K, V = (split_heads(X @ W, num_heads) for W in (Wq, Wk, Wv))
    weights = _softmax(Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1]))
    return merge_heads(weights @ V) @ Wo, weights
"""),
    mha_variant(mutant, "masks_after_softmax", "multiplies the weights by the causal mask after the softmax, so rows no longer sum to 1", """
def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    X, Wq, Wk, Wv, Wo = (np.asarray(a, dtype=float) for a in (X, Wq, Wk, Wv, Wo))
    _check(X, Wq, Wk, Wv, Wo, num_heads)
    Q, K, V = (split_heads(X @ W, num_heads) for W in (Wq, Wk, Wv))
    weights = _softmax(Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1]))
    if causal:
        weights = weights * causal_mask(X.shape[1])
    return merge_heads(weights @ V) @ Wo, weights
"""),
    mha_variant(mutant, "upper_triangle_masked_in", "masks with the transpose of the causal mask: every query sees the FUTURE keys", """
def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    X, Wq, Wk, Wv, Wo = (np.asarray(a, dtype=float) for a in (X, Wq, Wk, Wv, Wo))
    _check(X, Wq, Wk, Wv, Wo, num_heads)
    Q, K, V = (split_heads(X @ W, num_heads) for W in (Wq, Wk, Wv))
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if causal:
        S = np.where(causal_mask(X.shape[1]).T, S, -np.inf)
    weights = _softmax(S)
    return merge_heads(weights @ V) @ Wo, weights
"""),
    mha_variant(mutant, "forgets_output_projection", "returns the merged heads without multiplying by Wo", """
def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    X, Wq, Wk, Wv, Wo = (np.asarray(a, dtype=float) for a in (X, Wq, Wk, Wv, Wo))
    _check(X, Wq, Wk, Wv, Wo, num_heads)
    Q, K, V = (split_heads(X @ W, num_heads) for W in (Wq, Wk, Wv))
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if causal:
        S = np.where(causal_mask(X.shape[1]), S, -np.inf)
    weights = _softmax(S)
    return merge_heads(weights @ V), weights
"""),
    mha_variant(mutant, "folds_scale_into_wq", "folds the 1/sqrt(d_k) scale into the caller's Wq in place (Wq /= ...)", """
def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    Wq = np.asarray(Wq)
    X, Wk, Wv, Wo = (np.asarray(a, dtype=float) for a in (X, Wk, Wv, Wo))
    _check(X, Wq, Wk, Wv, Wo, num_heads)
    if Wq.dtype.kind != "f":
        Wq = Wq.astype(float)
    Wq /= np.sqrt(Wq.shape[1] // num_heads)
    Q, K, V = (split_heads(X @ W, num_heads) for W in (Wq, Wk, Wv))
    S = Q @ np.swapaxes(K, -1, -2)
    if causal:
        S = np.where(causal_mask(X.shape[1]), S, -np.inf)
    weights = _softmax(S)
    return merge_heads(weights @ V) @ Wo, weights
"""),
    mutant(M, "multi_head_attention", "no_validation", "checks nothing: num_heads = 0 ends in a ZeroDivisionError, not a ValueError", """
        import numpy as np

        def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
            X = np.asarray(X, dtype=float)
            N, T, D = X.shape
            d_k = np.shape(Wq)[1] // num_heads
            Q, K, V = (split_heads(X @ np.asarray(W, dtype=float), num_heads) for W in (Wq, Wk, Wv))
            S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
            if causal:
                S = np.where(causal_mask(T), S, -np.inf)
            e = np.exp(S - S.max(axis=-1, keepdims=True))
            weights = e / e.sum(axis=-1, keepdims=True)
            return merge_heads(weights @ V) @ np.asarray(Wo, dtype=float), weights
    """),
]

VALID = [
    valid(M, "causal_mask", "tril_of_ones", "np.tril of a boolean matrix of ones", """
        import numpy as np

        def causal_mask(n):
            if n < 0:
                raise ValueError("n must be >= 0")
            return np.tril(np.ones((n, n), dtype=bool))
    """),
    valid(M, "causal_mask", "double_loop", "two loops filling mask[i, j] = j <= i", """
        import numpy as np

        def causal_mask(n):
            if n < 0:
                raise ValueError("n must be >= 0")
            mask = np.zeros((n, n), dtype=bool)
            for i in range(n):
                for j in range(i + 1):
                    mask[i, j] = True
            return mask
    """),
    valid(M, "causal_mask", "not_strict_upper", "the complement of the strict upper triangle", """
        import numpy as np

        def causal_mask(n):
            if n < 0:
                raise ValueError("n must be >= 0")
            return ~np.triu(np.ones((n, n), dtype=bool), k=1)
    """),
    split_variant(valid, "stack_of_slices", "slices the features into blocks and stacks them on a new axis 1", """
def split_heads(X, num_heads):
    X = np.asarray(X)
    _check(X, num_heads)
    d = X.shape[2] // num_heads
    return np.stack([X[:, :, i * d:(i + 1) * d] for i in range(num_heads)], axis=1)
"""),
    split_variant(valid, "reshape_swapaxes", "reshape with -1, then swapaxes(1, 2)", """
def split_heads(X, num_heads):
    X = np.asarray(X)
    _check(X, num_heads)
    N, T, D = X.shape
    return np.swapaxes(X.reshape(N, T, num_heads, D // num_heads), 1, 2)
"""),
    valid(M, "merge_heads", "concatenate_heads", "concatenates the heads along the features, after checking the shape", """
        import numpy as np

        def merge_heads(X):
            X = np.asarray(X)
            if X.ndim != 4:
                raise ValueError("X must be (N, h, T, d)")
            N, h, T, d = X.shape
            if h == 0 or N == 0 or T == 0:
                return X.transpose(0, 2, 1, 3).reshape(N, T, h * d)
            return np.concatenate([X[:, i] for i in range(h)], axis=-1)
    """),
    valid(M, "merge_heads", "swapaxes_reshape", "swapaxes(1, 2), then reshape with the computed width", """
        import numpy as np

        def merge_heads(X):
            X = np.asarray(X)
            if X.ndim != 4:
                raise ValueError("X must be (N, h, T, d)")
            N, h, T, d = X.shape
            return np.swapaxes(X, 1, 2).reshape(N, T, h * d)
    """),
    mha_variant(valid, "loop_over_heads", "a loop over the heads on column slices, no split/merge; -1e9 for masked scores", """
def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    X, Wq, Wk, Wv, Wo = (np.asarray(a, dtype=np.float64) for a in (X, Wq, Wk, Wv, Wo))
    _check(X, Wq, Wk, Wv, Wo, num_heads)
    N, T, D = X.shape
    d_k, d_v = Wq.shape[1] // num_heads, Wv.shape[1] // num_heads
    weights = np.zeros((N, num_heads, T, T))
    heads = []
    for i in range(num_heads):
        q = X @ Wq[:, i * d_k:(i + 1) * d_k]
        k = X @ Wk[:, i * d_k:(i + 1) * d_k]
        v = X @ Wv[:, i * d_v:(i + 1) * d_v]
        S = q @ k.transpose(0, 2, 1) / np.sqrt(d_k)
        if causal:
            S = np.where(np.tril(np.ones((T, T), dtype=bool)), S, -1e9)
        weights[:, i] = _softmax(S)
        heads.append(weights[:, i] @ v)
    return np.concatenate(heads, axis=-1) @ Wo, weights
"""),
    mha_variant(valid, "einsum_scaled_queries", "einsum throughout, with the queries scaled before the product", """
def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    X, Wq, Wk, Wv, Wo = (np.asarray(a, dtype=np.float64) for a in (X, Wq, Wk, Wv, Wo))
    _check(X, Wq, Wk, Wv, Wo, num_heads)
    N, T, D = X.shape
    h = num_heads
    Q = np.einsum("ntd,dk->ntk", X, Wq).reshape(N, T, h, -1)
    K = np.einsum("ntd,dk->ntk", X, Wk).reshape(N, T, h, -1)
    V = np.einsum("ntd,dk->ntk", X, Wv).reshape(N, T, h, -1)
    Q = Q / np.sqrt(Q.shape[-1])
    S = np.einsum("nqhd,nkhd->nhqk", Q, K)
    if causal:
        S = np.where(np.arange(T)[None, :] <= np.arange(T)[:, None], S, -np.inf)
    weights = _softmax(S)
    heads = np.einsum("nhqk,nkhd->nqhd", weights, V)
    return heads.reshape(N, T, -1) @ Wo, weights
"""),
    mha_variant(valid, "per_sequence_float32", "one sequence at a time, in float32 when every input is float32", """
def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    arrays = [np.asarray(a) for a in (X, Wq, Wk, Wv, Wo)]
    dtype = np.float32 if all(a.dtype == np.float32 for a in arrays) else np.float64
    X, Wq, Wk, Wv, Wo = (a.astype(dtype) for a in arrays)
    _check(X, Wq, Wk, Wv, Wo, num_heads)
    N, T, D = X.shape
    outs, all_weights = [], []
    for n in range(N):
        x = X[n:n + 1]
        Q, K, V = (split_heads(x @ W, num_heads) for W in (Wq, Wk, Wv))
        S = Q @ np.swapaxes(K, -1, -2) / dtype(np.sqrt(Q.shape[-1]))
        if causal:
            S = np.where(causal_mask(T), S, -np.inf)
        w = _softmax(S)
        outs.append(merge_heads(w @ V) @ Wo)
        all_weights.append(w)
    return np.concatenate(outs), np.concatenate(all_weights)
"""),
]
