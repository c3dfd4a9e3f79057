"""Self-check for the convolution exercise. Run: pytest test_convolution.py"""

import numpy as np
import pytest

from convolution import conv2d, im2col

EXERCISE = "convolution"

X = np.arange(1.0, 13.0).reshape(1, 1, 3, 4)
W = np.array([[[[1.0, 2.0], [0.0, -1.0]]]])


def test_im2col_worked_example():
    cols = im2col(X, 2, 2)
    np.testing.assert_array_equal(cols, [[1, 2, 3, 5, 6, 7], [2, 3, 4, 6, 7, 8], [5, 6, 7, 9, 10, 11],
                                         [6, 7, 8, 10, 11, 12]])


def test_im2col_order_and_size_with_stride_and_padding():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 5, 6))
    kh, kw, stride, pad = 3, 2, 2, 1
    cols = im2col(x, kh, kw, stride=stride, pad=pad)
    H_out, W_out = (5 + 2 - 3) // 2 + 1, (6 + 2 - 2) // 2 + 1
    assert cols.shape == (3 * kh * kw, 2 * H_out * W_out)
    padded = np.pad(x, 1)[1:-1, 1:-1]  # zeros around H and W only
    n, i, j = 1, 2, 1  # one patch, checked by hand: column (n·H_out + i)·W_out + j
    top, left = i * stride, j * stride
    window = padded[n, :, top:top + kh, left:left + kw]
    np.testing.assert_array_equal(cols[:, (n * H_out + i) * W_out + j], window.reshape(-1))


def test_conv2d_worked_example():
    np.testing.assert_allclose(conv2d(X, W, np.array([1.0])), [[[[0.0, 2.0, 4.0], [8.0, 10.0, 12.0]]]])
    np.testing.assert_allclose(conv2d(X, W, np.array([1.0]), stride=2, pad=1), [[[[0.0, -2.0, 1.0], [2.0, 10.0, 9.0]]]])


@pytest.mark.parametrize("stride, pad", [(1, 0), (1, 1), (2, 0), (2, 2), (3, 1)])
def test_conv2d_output_size_and_one_entry_by_hand(stride, pad):
    rng = np.random.default_rng(stride * 10 + pad)
    x, w, b = rng.normal(size=(2, 3, 7, 5)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=4)
    out = conv2d(x, w, b, stride, pad)
    H_out, W_out = (7 + 2 * pad - 3) // stride + 1, (5 + 2 * pad - 2) // stride + 1
    assert out.shape == (2, 4, H_out, W_out)
    # the last filter at the last output position of the second image, from the definition
    padded = np.pad(x, 1 * pad)[pad:x.shape[0] + pad, pad:x.shape[1] + pad] if pad else x
    top, left = (H_out - 1) * stride, (W_out - 1) * stride
    expected = b[3] + np.sum(w[3] * padded[1, :, top:top + 3, left:left + 2])
    np.testing.assert_allclose(out[1, 3, H_out - 1, W_out - 1], expected, rtol=1e-10, atol=1e-12)


def test_a_single_pixel_shows_the_kernel_unflipped():
    x = np.zeros((1, 1, 5, 5))
    x[0, 0, 2, 2] = 1.0
    w = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    out = conv2d(x, w, np.zeros(1))
    # out[i, j] = sum of w[p, q] * x[i + p, j + q] = w[2 - i, 2 - j]: the kernel is NOT flipped in
    # the formula, so the single pixel's response shows it mirrored (a flipping conv2d shows it upright)
    np.testing.assert_array_equal(out[0, 0], w[0, 0, ::-1, ::-1])


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        im2col(np.ones((3, 4, 4)), 2, 2)  # x is not 4-D
    with pytest.raises(ValueError):
        im2col(np.ones((1, 1, 3, 3)), 4, 2)  # kernel taller than the image
    with pytest.raises(ValueError):
        conv2d(np.ones((1, 2, 4, 4)), np.ones((3, 2, 2, 2)), np.ones(1))  # b is not (F,)
    with pytest.raises(ValueError):
        conv2d(np.ones((1, 2, 4, 4)), np.ones((3, 1, 2, 2)), np.ones(3))  # channels differ
