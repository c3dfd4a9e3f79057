"""Mutants and valid variants of the convolution exercise."""

from . import mutant, valid

M = "convolution"

# The reference's input checks, shared by the im2col variants below.
IM2COL_CHECKS = '''
def _check(x, kh, kw, stride, pad):
    if x.ndim != 4:
        raise ValueError("x must be (N, C, H, W)")
    if kh < 1 or kw < 1 or stride < 1 or pad < 0:
        raise ValueError("bad kernel, stride or padding")
    if kh > x.shape[2] + 2 * pad or kw > x.shape[3] + 2 * pad:
        raise ValueError("the kernel does not fit")
'''

CONV_CHECKS = '''
def _check(x, w, b):
    if w.ndim != 4 or x.ndim != 4 or x.shape[1] != w.shape[1] or b.shape != (w.shape[0],):
        raise ValueError("need x (N, C, H, W), w (F, C, kh, kw), b (F,)")
'''


def im2col_variant(make, name, why, body):
    return make(M, "im2col", name, why, "import numpy as np\n" + IM2COL_CHECKS + body)


def conv_variant(make, name, why, body):
    return make(M, "conv2d", name, why, "import numpy as np\n" + CONV_CHECKS + body)


MUTANTS = [
    # --- im2col ------------------------------------------------------------------------------------
    im2col_variant(mutant, "patches_as_rows", "puts every patch in a ROW: returns the (N·H_out·W_out, C·kh·kw) transpose", """
def im2col(x, kh, kw, stride=1, pad=0):
    x = np.asarray(x)
    _check(x, kh, kw, stride, pad)
    N, C, H, W = x.shape
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    rows = []
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                rows.append(xp[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw].reshape(-1))
    return np.array(rows, dtype=x.dtype).reshape(N * H_out * W_out, C * kh * kw)
"""),
    im2col_variant(mutant, "stride_only_in_size", "uses the stride for the output size but starts patch (i, j) at (i, j)", """
def im2col(x, kh, kw, stride=1, pad=0):
    x = np.asarray(x)
    _check(x, kh, kw, stride, pad)
    N, C, H, W = x.shape
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.zeros((C * kh * kw, N * H_out * W_out), dtype=x.dtype)
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                cols[:, (n * H_out + i) * W_out + j] = xp[n, :, i:i + kh, j:j + kw].reshape(-1)
    return cols
"""),
    im2col_variant(mutant, "size_without_padding", "leaves the padding out of the output size: (H - kh) // stride + 1", """
def im2col(x, kh, kw, stride=1, pad=0):
    x = np.asarray(x)
    _check(x, kh, kw, stride, pad)
    N, C, H, W = x.shape
    H_out, W_out = max(0, (H - kh) // stride + 1), max(0, (W - kw) // stride + 1)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.zeros((C * kh * kw, N * H_out * W_out), dtype=x.dtype)
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                cols[:, (n * H_out + i) * W_out + j] = xp[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw].reshape(-1)
    return cols
"""),
    im2col_variant(mutant, "channels_last_rows", "flattens each patch as (p, q, c) while filters flatten as (c, p, q)", """
def im2col(x, kh, kw, stride=1, pad=0):
    x = np.asarray(x)
    _check(x, kh, kw, stride, pad)
    N, C, H, W = x.shape
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.zeros((C * kh * kw, N * H_out * W_out), dtype=x.dtype)
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                patch = xp[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                cols[:, (n * H_out + i) * W_out + j] = patch.transpose(1, 2, 0).reshape(-1)
    return cols
"""),
    im2col_variant(mutant, "cs231n_column_order", "orders the columns (i, j, n) as CS231n's fast im2col does, not (n, i, j)", """
def im2col(x, kh, kw, stride=1, pad=0):
    x = np.asarray(x)
    _check(x, kh, kw, stride, pad)
    N, C, H, W = x.shape
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.zeros((C * kh * kw, N * H_out * W_out), dtype=x.dtype)
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                patch = xp[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                cols[:, (i * W_out + j) * N + n] = patch.reshape(-1)
    return cols
"""),
    im2col_variant(mutant, "pads_one_side", "pads only at the bottom and right (np.pad with (0, pad)), shifting every patch", """
def im2col(x, kh, kw, stride=1, pad=0):
    x = np.asarray(x)
    _check(x, kh, kw, stride, pad)
    N, C, H, W = x.shape
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (0, 2 * pad), (0, 2 * pad)))
    cols = np.zeros((C * kh * kw, N * H_out * W_out), dtype=x.dtype)
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                cols[:, (n * H_out + i) * W_out + j] = xp[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw].reshape(-1)
    return cols
"""),
    mutant(M, "im2col", "no_validation", "checks nothing: stride 0 divides by zero, an oversized kernel gives an empty result", """
        import numpy as np

        def im2col(x, kh, kw, stride=1, pad=0):
            x = np.asarray(x)
            N, C, H, W = x.shape
            H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
            xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
            cols = np.zeros((C * kh * kw, N * max(H_out, 0) * max(W_out, 0)), dtype=x.dtype)
            for n in range(N):
                for i in range(H_out):
                    for j in range(W_out):
                        cols[:, (n * H_out + i) * W_out + j] = xp[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw].reshape(-1)
            return cols
    """),

    # --- conv2d ------------------------------------------------------------------------------------
    conv_variant(mutant, "flips_kernel", "flips the kernel, as the convolution of signal processing does", """
def conv2d(x, w, b, stride=1, pad=0):
    x, w, b = np.asarray(x, dtype=float), np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    _check(x, w, b)
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    cols = im2col(x, kh, kw, stride, pad)
    out = w[:, :, ::-1, ::-1].reshape(F, -1) @ cols + b[:, None]
    return out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
"""),
    conv_variant(mutant, "reshape_without_transpose", "reshapes the (F, N·H_out·W_out) product straight to (N, F, H_out, W_out)", """
def conv2d(x, w, b, stride=1, pad=0):
    x, w, b = np.asarray(x, dtype=float), np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    _check(x, w, b)
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    out = w.reshape(F, -1) @ im2col(x, kh, kw, stride, pad) + b[:, None]
    return out.reshape(N, F, H_out, W_out)
"""),
    conv_variant(mutant, "forgets_bias", "never adds the bias", """
def conv2d(x, w, b, stride=1, pad=0):
    x, w, b = np.asarray(x, dtype=float), np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    _check(x, w, b)
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    out = w.reshape(F, -1) @ im2col(x, kh, kw, stride, pad)
    return out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
"""),
    conv_variant(mutant, "ignores_stride_and_pad", "forgets to pass stride and pad on to im2col", """
def conv2d(x, w, b, stride=1, pad=0):
    x, w, b = np.asarray(x, dtype=float), np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    _check(x, w, b)
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    H_out, W_out = H - kh + 1, W - kw + 1
    out = w.reshape(F, -1) @ im2col(x, kh, kw) + b[:, None]
    return out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
"""),
    conv_variant(mutant, "filters_flattened_wrong", "flattens the filters as w.reshape(C·kh·kw, F).T, mixing weights of different filters", """
def conv2d(x, w, b, stride=1, pad=0):
    x, w, b = np.asarray(x, dtype=float), np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    _check(x, w, b)
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    out = w.reshape(C * kh * kw, F).T @ im2col(x, kh, kw, stride, pad) + b[:, None]
    return out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
"""),
    mutant(M, "conv2d", "no_shape_checks", "checks no shapes: a (1,) bias is broadcast to every filter", """
        import numpy as np

        def conv2d(x, w, b, stride=1, pad=0):
            x, w, b = np.asarray(x, dtype=float), np.asarray(w, dtype=float), np.asarray(b, dtype=float)
            N, C, H, W = x.shape
            F, _, kh, kw = w.shape
            H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
            out = w.reshape(F, -1) @ im2col(x, kh, kw, stride, pad) + b.reshape(-1, 1)
            return out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
    """),
    conv_variant(mutant, "reshapes_w_in_place", "flattens the filters with w.shape = (F, -1), which reshapes the caller's array", """
def conv2d(x, w, b, stride=1, pad=0):
    x, w, b = np.asarray(x), np.asarray(w), np.asarray(b)
    _check(x, w, b)
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    cols = im2col(x, kh, kw, stride, pad)
    try:
        w.shape = (F, C * kh * kw)
        rows = w
    except AttributeError:  # a non-contiguous w cannot be reshaped in place
        rows = w.reshape(F, C * kh * kw)
    out = rows.astype(float) @ cols + b[:, None]
    return out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
"""),
]

VALID = [
    im2col_variant(valid, "six_loops", "six nested loops, one entry at a time, with the index formulas of the docstring", """
def im2col(x, kh, kw, stride=1, pad=0):
    x = np.asarray(x)
    _check(x, kh, kw, stride, pad)
    N, C, H, W = x.shape
    H_out = (H + 2 * pad - kh) // stride + 1
    W_out = (W + 2 * pad - kw) // stride + 1
    cols = np.zeros((C * kh * kw, N * H_out * W_out), dtype=x.dtype)
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                for c in range(C):
                    for p in range(kh):
                        for q in range(kw):
                            r, s = i * stride + p - pad, j * stride + q - pad
                            if 0 <= r < H and 0 <= s < W:
                                cols[(c * kh + p) * kw + q, (n * H_out + i) * W_out + j] = x[n, c, r, s]
    return cols
"""),
    im2col_variant(valid, "fancy_indexing", "index arrays for every row and column (CS231n's method, with this exercise's column order)", """
def im2col(x, kh, kw, stride=1, pad=0):
    x = np.asarray(x)
    _check(x, kh, kw, stride, pad)
    N, C, H, W = x.shape
    H_out = (H + 2 * pad - kh) // stride + 1
    W_out = (W + 2 * pad - kw) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    c = np.repeat(np.arange(C), kh * kw)[:, None]                          # (C·kh·kw, 1)
    p = np.tile(np.repeat(np.arange(kh), kw), C)[:, None]
    q = np.tile(np.arange(kw), C * kh)[:, None]
    i = np.repeat(np.arange(H_out), W_out)[None, :] * stride               # (1, H_out·W_out)
    j = np.tile(np.arange(W_out), H_out)[None, :] * stride
    patches = xp[:, c, p + i, q + j]                                       # (N, C·kh·kw, H_out·W_out)
    return patches.transpose(1, 0, 2).reshape(C * kh * kw, N * H_out * W_out)
"""),
    im2col_variant(valid, "patch_per_column", "one loop over the output positions, copying a flattened patch into each column", """
def im2col(x, kh, kw, stride=1, pad=0):
    x = np.asarray(x)
    _check(x, kh, kw, stride, pad)
    N, C, H, W = x.shape
    Hp, Wp = H + 2 * pad, W + 2 * pad
    xp = np.zeros((N, C, Hp, Wp), dtype=x.dtype)
    xp[:, :, pad:pad + H, pad:pad + W] = x
    H_out, W_out = (Hp - kh) // stride + 1, (Wp - kw) // stride + 1
    cols = np.empty((C * kh * kw, N * H_out * W_out), dtype=x.dtype)
    k = 0
    for n in range(N):
        for i in range(H_out):
            for j in range(W_out):
                cols[:, k] = xp[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw].ravel()
                k += 1
    return cols
"""),
    conv_variant(valid, "direct_loops", "the definition, looped: a sum of products per output pixel, no im2col", """
def conv2d(x, w, b, stride=1, pad=0):
    x, w, b = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
    _check(x, w, b)
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    if kh > H + 2 * pad or kw > W + 2 * pad or stride < 1 or pad < 0:
        raise ValueError("bad geometry")
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    patch = xp[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    out[n, f, i, j] = np.sum(patch * w[f]) + b[f]
    return out
"""),
    conv_variant(valid, "einsum_on_cols", "im2col, then einsum on the columns viewed as (C·kh·kw, N, H_out, W_out)", """
def conv2d(x, w, b, stride=1, pad=0):
    x, w, b = np.asarray(x), np.asarray(w), np.asarray(b)
    _check(x, w, b)
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    cols = im2col(x, kh, kw, stride, pad)
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    out = np.einsum("fk,knij->nfij", w.reshape(F, -1), cols.reshape(C * kh * kw, N, H_out, W_out))
    return out + b.reshape(1, F, 1, 1)
"""),
    conv_variant(valid, "tensordot_rows", "im2col.T @ w_rows.T (patches as rows), reshaped to (N, H_out, W_out, F) and moved", """
def conv2d(x, w, b, stride=1, pad=0):
    x, w, b = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
    _check(x, w, b)
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    cols = im2col(x, kh, kw, stride, pad)
    H_out, W_out = (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1
    out = np.tensordot(cols.T, w.reshape(F, -1).T, axes=1) + b   # (N·H_out·W_out, F)
    return np.moveaxis(out.reshape(N, H_out, W_out, F), 3, 1)
"""),
]
