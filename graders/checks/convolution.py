"""Hidden checks for the convolution exercise: ``im2col`` and ``conv2d``.

``im2col`` only copies numbers (and zeros for the padding), so it is compared exactly, with the
row and column order the docstring fixes. ``conv2d`` sums C·kh·kw products and the bias per
output, so any summation order is within ``reduction_bound(C·kh·kw + 1, Σ|terms|, eps)`` of
another; the absolute terms come from a float64 convolution of |x| with |w| computed here.

Inputs stay small (N <= 2, C <= 3, H, W <= 7): N = 0 and 1, kernels from 1x1 up to the whole
padded image, strides 1 to 3 that do not divide the size (the // of the size formula), padding
0 to 2, H != W and kh != kw mostly (so a swapped axis shows), any dtype and memory layout.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call

checks = Registry()

ANY_DTYPE = ("float64", "float64", "int64", "float32")


def out_size(H, W, kh, kw, stride, pad) -> tuple[int, int]:
    return (H + 2 * pad - kh) // stride + 1, (W + 2 * pad - kw) // stride + 1


def windows(x, kh, kw, stride, pad) -> np.ndarray:
    """(N, C, H_out, W_out, kh, kw) float64 patches of the zero-padded x (grader side only)."""
    xp = np.pad(f64(x), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    view = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))
    return view[:, :, ::stride, ::stride]


def correlate(x, w, stride, pad) -> np.ndarray:
    """out[n, f, i, j] = Σ_{c,p,q} w[f, c, p, q]·x_pad[n, c, i·stride + p, j·stride + q], float64."""
    return np.einsum("ncijpq,fcpq->nfij", windows(x, w.shape[2], w.shape[3], stride, pad), f64(w))


# --- strategies ------------------------------------------------------------------------------------

def geometry_kwargs(draw, stride: int, pad: int) -> tuple[tuple, dict]:
    """stride and pad passed positionally, as keywords, or left to their defaults when 1 and 0."""
    how = draw(st.sampled_from(["positional", "keywords", "defaults"]))
    if how == "defaults" and stride == 1 and pad == 0:
        return (), {}
    if how == "positional":
        return (stride, pad), {}
    kwargs = {"stride": stride, "pad": pad}
    if how == "defaults":  # leave out whichever is at its default
        kwargs = {k: v for k, v in kwargs.items() if (k, v) not in (("stride", 1), ("pad", 0))}
    return (), kwargs


@st.composite
def geometries(draw, strided: bool | None = None):
    """(N, C, H, W, kh, kw, stride, pad). ``strided``: True forces stride > 1 or pad > 0 (and
    sizes the stride does not divide), False forces stride 1 and pad 0, None draws either."""
    N = draw(st.sampled_from([0, 1, 1, 2, 2, 2]))
    C = draw(st.integers(1, 3))
    H, W = draw(st.one_of(gs.distinct_dims(2, 1, 7), st.tuples(gs.dims(1, 7), gs.dims(1, 7))))
    if strided is None:
        strided = draw(st.booleans())
    if strided:
        stride, pad = draw(st.integers(1, 3)), draw(st.integers(0, 2))
        if stride == 1 and pad == 0:
            stride = 2
    else:
        stride, pad = 1, 0
    kh = draw(st.integers(1, min(H + 2 * pad, 5)))
    kw = draw(st.integers(1, min(W + 2 * pad, 5)))
    return N, C, H, W, kh, kw, stride, pad


@st.composite
def im2col_inputs(draw, strided: bool | None = None):
    N, C, H, W, kh, kw, stride, pad = draw(geometries(strided))
    x = draw(gs.arrays((N, C, H, W), dtypes=ANY_DTYPE))
    extra, kwargs = geometry_kwargs(draw, stride, pad)
    return args(x, kh, kw, *extra, **kwargs)


@st.composite
def bad_im2col_inputs(draw):
    """x not 4-D, a kernel larger than the padded image, stride 0, or negative padding."""
    kind = draw(st.sampled_from(["x_3d", "kernel_too_tall", "kernel_too_wide", "stride_zero", "pad_negative"]))
    C, H, W = draw(st.integers(1, 3)), draw(st.integers(2, 6)), draw(st.integers(2, 6))
    pad = draw(st.integers(0, 1))
    kh, kw, stride = draw(st.integers(1, H)), draw(st.integers(1, W)), 1
    if kind == "kernel_too_tall":
        kh = H + 2 * pad + draw(st.integers(1, 2))
    elif kind == "kernel_too_wide":
        kw = W + 2 * pad + 1
    elif kind == "stride_zero":
        stride = 0
    elif kind == "pad_negative":
        pad = -1
    shape = (C, H, W) if kind == "x_3d" else (draw(st.integers(1, 2)), C, H, W)
    return args(draw(gs.arrays(shape)), kh, kw, stride=stride, pad=pad)


@st.composite
def conv_inputs(draw, strided: bool | None = None):
    N, C, H, W, kh, kw, stride, pad = draw(geometries(strided))
    F = draw(st.integers(1, 3))
    bound = draw(gs.magnitudes())
    x = draw(gs.arrays((N, C, H, W), bound=bound, dtypes=ANY_DTYPE))
    w = draw(gs.arrays((F, C, kh, kw), bound=bound, dtypes=ANY_DTYPE))
    b = draw(gs.arrays((F,), bound=bound, dtypes=ANY_DTYPE))
    extra, kwargs = geometry_kwargs(draw, stride, pad)
    return args(x, w, b, *extra, **kwargs)


@st.composite
def one_hot_images(draw):
    """x is zero except one pixel equal to 1; b = 0, stride 1, some padding."""
    N, C, H, W = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(2, 7)), draw(st.integers(2, 7))
    pad = draw(st.integers(0, 2))
    kh, kw = draw(gs.distinct_dims(2, 1, min(H + 2 * pad, W + 2 * pad, 4)))
    F = draw(st.integers(1, 3))
    x = np.zeros((N, C, H, W), dtype=draw(st.sampled_from(["float64", "int64"])))
    x[draw(st.integers(0, N - 1)), draw(st.integers(0, C - 1)), draw(st.integers(0, H - 1)), draw(st.integers(0, W - 1))] = 1
    w = draw(gs.arrays((F, C, kh, kw), dtypes=ANY_DTYPE))
    return args(draw(gs.layouts(x)), w, np.zeros(F), 1, pad)


@st.composite
def bad_conv_inputs(draw):
    """Channels of x and w differ, b has the wrong shape ((1,) would broadcast silently), w is 3-D."""
    kind = draw(st.sampled_from(["channels", "bias_one", "bias_one", "bias_column", "w_3d"]))
    N, C, H, W = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(2, 6)), draw(st.integers(2, 6))
    F = draw(st.integers(2, 3))
    kh, kw = draw(st.integers(1, H)), draw(st.integers(1, W))
    w_shape, b_shape = (F, C, kh, kw), (F,)
    if kind == "channels":
        w_shape = (F, C + 1, kh, kw)
    elif kind == "bias_one":
        b_shape = (1,)
    elif kind == "bias_column":
        b_shape = (F, 1)
    else:
        w_shape = (F, kh, kw)
    return args(draw(gs.arrays((N, C, H, W))), draw(gs.arrays(w_shape)), draw(gs.arrays(b_shape)))


# --- im2col ------------------------------------------------------------------------------------------

def geometry_of(example) -> tuple[int, int, int, int]:
    """kh, kw, stride, pad of an im2col example (positional or keyword, or defaults)."""
    a, k = example.args, example.kwargs
    stride = a[3] if len(a) > 3 else k.get("stride", 1)
    pad = a[4] if len(a) > 4 else k.get("pad", 0)
    return a[1], a[2], stride, pad


def conv_geometry_of(example) -> tuple[int, int]:
    a, k = example.args, example.kwargs
    return (a[3] if len(a) > 3 else k.get("stride", 1)), (a[4] if len(a) > 4 else k.get("pad", 0))


def size_rule(x_shape, kh, kw, stride, pad) -> str:
    N, C, H, W = x_shape
    H_out, W_out = out_size(H, W, kh, kw, stride, pad)
    return (f"cols is (C·kh·kw, N·H_out·W_out) = ({C}·{kh}·{kw}, {N}·{H_out}·{W_out}), with "
            f"H_out = (H + 2·pad - kh) // stride + 1 = ({H} + 2·{pad} - {kh}) // {stride} + 1 = {H_out} and "
            f"W_out = ({W} + 2·{pad} - {kw}) // {stride} + 1 = {W_out}")


def im2col_mistake(arr, x, kh, kw, stride, pad) -> str:
    """What a wrong cols of the right size looks like it did, when it matches a known mistake."""
    N, C, H, W = np.shape(x)
    H_out, W_out = out_size(H, W, kh, kw, stride, pad)
    patches = windows(x, kh, kw, stride, pad)               # (N, C, H_out, W_out, kh, kw)
    orders = {
        "columns ordered (i, j, n) — the image index must change slowest: column (n·H_out + i)·W_out + j":
            patches.transpose(1, 4, 5, 2, 3, 0),
        "rows ordered (p, q, c) — the channel must change slowest, as in w[f].reshape(-1): row (c·kh + p)·kw + q":
            patches.transpose(4, 5, 1, 0, 2, 3),
        "rows ordered (c, q, p) — p (the patch row) comes before q (the patch column)":
            patches.transpose(1, 5, 4, 0, 2, 3),
    }
    for why, candidate in orders.items():
        if candidate.size == arr.size and np.array_equal(candidate.reshape(arr.shape), arr):
            return why
    if stride > 1:
        unstrided = windows(x, kh, kw, 1, pad)[:, :, :H_out, :W_out]
        if unstrided.shape[2:4] == (H_out, W_out) and np.array_equal(
                unstrided.transpose(1, 4, 5, 0, 2, 3).reshape(arr.shape), arr):
            return "patch (i, j) starts at (i·stride, j·stride) of the padded image, not at (i, j)"
    return ""


@checks.add("im2col", points=4, strategy=im2col_inputs(),
            says="im2col(x, kh, kw, stride, pad) should return cols with cols[(c·kh + p)·kw + q, (n·H_out + i)·W_out + j] "
                 "= x_pad[n, c, i·stride + p, j·stride + q]: one patch per column, zeros for the padding")
def im2col_matches_reference(example, got, ref):
    x = example.args[0]
    kh, kw, stride, pad = geometry_of(example)
    expected = ref[0].value
    arr = compare.as_float_array(compare.listed_empty(got[0].value, expected, got[0].note))
    if arr is not None and arr.shape != expected.shape:
        hint = " (patches as rows? each patch is a COLUMN)" if arr.shape == expected.shape[::-1] else ""
        return Mismatch(f"cols has the wrong shape: expected {expected.shape}, got {arr.shape}{hint} — "
                        f"{size_rule(np.shape(x), kh, kw, stride, pad)}", expected, got[0].value)
    problem = compare.same_exactly(arr if arr is not None else got[0].value, expected, "cols")
    if problem is not None and problem.summary.endswith("wrong values"):
        why = im2col_mistake(arr, x, kh, kw, stride, pad) or (
            "cols[(c·kh + p)·kw + q, (n·H_out + i)·W_out + j] = x_pad[n, c, i·stride + p, j·stride + q], where x_pad "
            "has pad rows/columns of zeros on EVERY side (top, bottom, left and right)")
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: {why}")
    return problem


@checks.add("im2col", points=1, strategy=im2col_inputs(strided=True),
            says="with stride and padding, cols should have N·H_out·W_out columns, where H_out = (H + 2·pad - kh) "
                 "// stride + 1 and W_out = (W + 2·pad - kw) // stride + 1 (rounding down)")
def im2col_output_size(example, got, ref):
    x = example.args[0]
    kh, kw, stride, pad = geometry_of(example)
    expected = ref[0].value
    arr = compare.as_float_array(compare.listed_empty(got[0].value, expected, got[0].note))
    if arr is None:
        return Mismatch("cols is not a numeric array", expected, got[0].value)
    if arr.shape != expected.shape:
        return Mismatch(f"cols has the wrong shape: expected {expected.shape}, got {arr.shape} — "
                        f"{size_rule(np.shape(x), kh, kw, stride, pad)}", expected, got[0].value)
    return None


@checks.add("im2col", points=1, strategy=bad_im2col_inputs(), handles_errors=True, examples=30,
            says="im2col should raise ValueError when x is not 4-D, kh, kw or stride is below 1, pad is negative, "
                 "or the kernel does not fit into the padded image")
def im2col_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


# --- conv2d ------------------------------------------------------------------------------------------

def conv_bound(example) -> np.ndarray:
    x, w, b = example.args[:3]
    stride, pad = conv_geometry_of(example)
    w_ = np.asarray(w)
    abs_sum = correlate(np.abs(f64(x)), np.abs(f64(w)), stride, pad) + np.abs(f64(b))[:, None, None]
    K = w_.shape[1] * w_.shape[2] * w_.shape[3]
    return compare.reduction_bound(K + 1, abs_sum, compare.unit_roundoff(x, w, b)) + \
        compare.underflow_slack(K + 2, x, w, b)


def conv_mistake(arr, example) -> str:
    x, w, b = example.args[:3]
    stride, pad = conv_geometry_of(example)
    plain = correlate(x, w, stride, pad)
    full = plain + f64(b)[:, None, None]
    candidates = [
        (correlate(x, f64(w)[:, :, ::-1, ::-1], stride, pad) + f64(b)[:, None, None],
         "it looks like the kernel was flipped; deep-learning convolution does not flip it (cross-correlation)"),
        (plain, "the bias b[f] is missing"),
    ]
    if np.shape(x)[0] > 1:  # (F, N·H_out·W_out) reshaped straight to (N, F, H_out, W_out)
        candidates.append((full.transpose(1, 0, 2, 3).reshape(full.shape),
                           "images and filters are mixed up: the (F, N·H_out·W_out) product reshapes to "
                           "(F, N, H_out, W_out) and needs .transpose(1, 0, 2, 3)"))
    with np.errstate(all="ignore"):
        for cand, why in candidates:
            if cand.shape == arr.shape and np.all(np.isfinite(cand)) and np.allclose(arr, cand, rtol=1e-9, atol=1e-9):
                return why
    return ""


def conv_within(example, got, ref) -> Mismatch | None:
    x, w, b = example.args[:3]
    stride, pad = conv_geometry_of(example)
    expected = ref[0].value
    value = compare.listed_empty(got[0].value, expected, got[0].note)
    arr = compare.as_float_array(value)
    if arr is not None and arr.shape != expected.shape:
        N, C, H, W = np.shape(x)
        F, _, kh, kw = np.shape(w)
        H_out, W_out = out_size(H, W, kh, kw, stride, pad)
        return Mismatch(f"out has the wrong shape: expected {expected.shape}, got {arr.shape} — out is "
                        f"(N, F, H_out, W_out) with H_out = ({H} + 2·{pad} - {kh}) // {stride} + 1 = {H_out}, "
                        f"W_out = ({W} + 2·{pad} - {kw}) // {stride} + 1 = {W_out}", expected, got[0].value)
    problem = compare.within(value, expected, conv_bound(example), "out")
    if problem is not None and problem.summary.endswith("wrong values"):
        why = conv_mistake(arr, example)
        problem = dataclasses.replace(problem, summary=f"{problem.summary}: {why}" if why else
                                      f"{problem.summary}: out[n, f, i, j] = b[f] + sum over c, p, q of "
                                      "w[f, c, p, q] * x_pad[n, c, i·stride + p, j·stride + q]")
    return problem


@checks.add("conv2d", points=3, strategy=conv_inputs(strided=False),
            says="conv2d(x, w, b) should return out[n, f, i, j] = b[f] + sum over c, p, q of w[f, c, p, q] * "
                 "x[n, c, i + p, j + q], of shape (N, F, H_out, W_out)")
def conv2d_matches_reference(example, got, ref):
    return conv_within(example, got, ref)


@checks.add("conv2d", points=3, strategy=conv_inputs(strided=True),
            says="conv2d(x, w, b, stride, pad) should slide over the zero-padded x in steps of stride: "
                 "out[n, f, i, j] = b[f] + sum of w[f] * x_pad[n, :, i·stride : i·stride + kh, j·stride : j·stride + kw]")
def conv2d_stride_and_padding(example, got, ref):
    return conv_within(example, got, ref)


@checks.add("conv2d", points=1, strategy=one_hot_images(),
            says="for an image that is 0 except for a single 1 at (h, w), out[n, f, h + pad - p, w + pad - q] = "
                 "w[f, c, p, q]: the formula uses the filter as it is, not flipped (a cross-correlation), so the "
                 "response shows it mirrored")
def kernel_not_flipped(example, got, ref):
    x, w, b, stride, pad = example.args
    expected = ref[0].value
    value = compare.listed_empty(got[0].value, expected, got[0].note)
    arr = compare.as_float_array(value)
    if arr is None or arr.shape != expected.shape:
        return conv_within(example, got, ref)
    # the law, independently of the reference: one product w·1 per output, every other term exactly 0
    n, c, h, v = (int(i[0]) for i in np.nonzero(f64(x)))
    law = np.zeros(expected.shape)
    F, _, kh, kw = np.shape(w)
    for p in range(kh):
        for q in range(kw):
            i, j = h + pad - p, v + pad - q
            if 0 <= i < law.shape[2] and 0 <= j < law.shape[3]:
                law[n, :, i, j] = f64(w)[:, c, p, q]
    bound = compare.underflow_slack(4, x, w)
    if np.all(np.isfinite(arr)) and np.all(np.abs(arr - law) <= bound):
        return None
    flipped = np.zeros(expected.shape)
    for p in range(kh):
        for q in range(kw):
            i, j = h + pad - p, v + pad - q
            if 0 <= i < law.shape[2] and 0 <= j < law.shape[3]:
                flipped[n, :, i, j] = f64(w)[:, c, kh - 1 - p, kw - 1 - q]
    why = (" — it looks like the kernel was flipped; deep learning's convolution does not flip it"
           if np.allclose(arr, flipped) else "")
    return Mismatch(f"out has the wrong values for an image with a single 1 at {(n, c, h, v)}{why}", law, value)


@checks.add("conv2d", points=1, strategy=bad_conv_inputs(), handles_errors=True, examples=30,
            says="conv2d should raise ValueError when x and w have different numbers of channels, w is not 4-D, "
                 "or b is not of shape (F,) (a (1,) bias must not be broadcast)")
def conv2d_rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("conv2d", points=1, strategy=conv_inputs(), calls=unchanged_call("conv2d"), examples=30,
            says="conv2d must leave x, w and b unchanged (values and shapes: no w.shape = ... on the caller's array)")
def conv2d_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
