"""Exercise: convolution as one matrix multiplication (im2col).

A convolutional layer slides a small filter over an image. At every position
it takes the dot product of the filter with the patch of the image under it.
Written as loops this is seven nested ``for``s (six for a single image). The *im2col* trick turns it
into a single matrix product (the ``matmul`` exercise). Copy every patch into one column
of a matrix, flatten every filter into one row, and multiply. That is how
fast libraries have long computed convolutions.

Shapes
------
    x: (N, C, H, W)       N images (N may be 0), C channels (e.g. 3 for RGB), H rows, W columns
    w: (F, C, kh, kw)     F filters, each covering all C channels and kh x kw pixels
    b: (F,)               one bias per filter
    out: (N, F, H_out, W_out)

``stride`` is the step between two neighbouring patches, and ``pad`` is the
number of rows of zeros added above and below, and of columns of zeros added
left and right, before sliding. Both are integers (``stride >= 1``,
``pad >= 0``). The output size is

    H_out = (H + 2·pad - kh) // stride + 1
    W_out = (W + 2·pad - kw) // stride + 1

A patch that would stick out of the padded image is not used (the ``//``
rounds down). The kernel must fit into the padded image
(``kh <= H + 2·pad`` and ``kw <= W + 2·pad``), so that ``H_out`` and
``W_out`` are at least 1.

The convolution
---------------
With ``x_pad`` the zero-padded image (N, C, H + 2·pad, W + 2·pad):

    out[n, f, i, j] = b[f] + Σ_c Σ_p Σ_q  w[f, c, p, q] · x_pad[n, c, i·stride + p, j·stride + q]

(c runs over the channels, p over 0..kh-1, q over 0..kw-1). Output pixel
``(i, j)`` looks at the patch whose top-left corner is
``(i·stride, j·stride)`` in the padded image. Deep-learning libraries call
this a "convolution", but it is a *cross-correlation*: the filter is not
flipped. ``torch.nn.functional.conv2d`` computes exactly this formula.

im2col: the ordering, exactly
-----------------------------
``im2col(x, kh, kw, stride, pad)`` returns ``cols`` of shape
``(C·kh·kw, N·H_out·W_out)``. Each **column** is one patch, and each **row**
is one position inside the patch:

    cols[(c·kh + p)·kw + q,  (n·H_out + i)·W_out + j] = x_pad[n, c, i·stride + p, j·stride + q]

- rows are in the order of ``w[f].reshape(-1)`` (channel first, then the
  patch row p, then the patch column q), so a flattened filter lines up with
  a column;
- columns go through the patches image by image, and inside an image row by
  row: ``n`` first, then ``i``, then ``j`` (C order, like
  ``np.arange(N·H_out·W_out).reshape(N, H_out, W_out)``).

Then, with ``w_rows = w.reshape(F, C·kh·kw)``,

    out_cols = w_rows @ cols + b[:, None]          (F, C·kh·kw) @ (C·kh·kw, N·H_out·W_out)
    out      = out_cols.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)

The reshape gives ``(F, N, H_out, W_out)``, because the columns were ordered
``n, i, j``. The transpose moves the image axis to the front.

Worked example (N = C = F = 1, H = 3, W = 4, kh = kw = 2, stride 1, pad 0)
-------------------------------------------------------------------------
    x[0, 0] = [[1,  2,  3,  4],      w[0, 0] = [[1,  2],     b = [1]
               [5,  6,  7,  8],                 [0, -1]]
               [9, 10, 11, 12]]

    H_out = (3 - 2) // 1 + 1 = 2,   W_out = (4 - 2) // 1 + 1 = 3

    cols = [[1, 2, 3,  5,  6,  7],     <- (p, q) = (0, 0) of every patch
            [2, 3, 4,  6,  7,  8],     <- (0, 1)
            [5, 6, 7,  9, 10, 11],     <- (1, 0)
            [6, 7, 8, 10, 11, 12]]     <- (1, 1)
    (column 0 is the top-left patch [[1, 2], [5, 6]], flattened)

    w_rows @ cols + b = [1, 2, 0, -1] @ cols + 1 = [[0, 2, 4, 8, 10, 12]]
    out[0, 0] = [[0,  2,  4],
                 [8, 10, 12]]

With ``stride=2, pad=1`` the same x and w give ``H_out = (3 + 2 - 2) // 2 + 1
= 2`` and ``W_out = (4 + 2 - 2) // 2 + 1 = 3``.

Common misconceptions
---------------------
* Forgetting the padding in the size formula, or dividing without rounding
  down. Always use ``(H + 2·pad - kh) // stride + 1``.
* Stepping by 1 inside the padded image when ``stride > 1``. The patch of
  output ``(i, j)`` starts at ``(i·stride, j·stride)``, not at ``(i, j)``.
* Flattening a patch as ``(p, q, c)`` while the filter is flattened as
  ``(c, p, q)``. The two orders must agree, or every product pairs the wrong
  weights with the wrong pixels.
* Reshaping ``out_cols`` straight to ``(N, F, H_out, W_out)``. Its rows are
  filters, so it is ``(F, N, H_out, W_out)`` and needs the transpose.
* Flipping the filter (as in the convolution of signal processing). Deep
  learning does not.

Raise ``ValueError`` for bad input (see each function). Do not modify the
inputs.
"""

import numpy as np

__all__ = ["im2col", "conv2d"]


def im2col(x, kh, kw, stride=1, pad=0):
    """Copy every kh x kw patch of a zero-padded batch of images into a column.

    Inputs:
    - x: (N, C, H, W) array
    - kh, kw: int >= 1, the patch height and width
    - stride: int >= 1, the step between neighbouring patches
    - pad: int >= 0, rows/columns of zeros added on every side

    Returns:
    - cols: (C·kh·kw, N·H_out·W_out) array with x's dtype, where
      H_out = (H + 2·pad - kh) // stride + 1, W_out = (W + 2·pad - kw) // stride + 1,
      and cols[(c·kh + p)·kw + q, (n·H_out + i)·W_out + j]
          = x_pad[n, c, i·stride + p, j·stride + q]

    Raises:
    - ValueError: if x is not 4-D, kh, kw or stride is below 1, pad is
      negative, or the kernel does not fit into the padded image
      (kh > H + 2·pad or kw > W + 2·pad).

    x is not modified.

    Example (the worked example of the lesson):
    >>> import numpy as np
    >>> x = np.arange(1, 13).reshape(1, 1, 3, 4)
    >>> im2col(x, 2, 2)
    array([[ 1,  2,  3,  5,  6,  7],
           [ 2,  3,  4,  6,  7,  8],
           [ 5,  6,  7,  9, 10, 11],
           [ 6,  7,  8, 10, 11, 12]])
    >>> im2col(x, 2, 2, stride=2, pad=1).shape
    (4, 6)
    """
    raise NotImplementedError("convolution: not implemented yet")


def conv2d(x, w, b, stride=1, pad=0):
    """2-D convolution (cross-correlation, as in deep learning) via im2col.

    Inputs:
    - x: (N, C, H, W) array of images
    - w: (F, C, kh, kw) array of filters
    - b: (F,) array of biases, one per filter
    - stride: int >= 1
    - pad: int >= 0

    Returns:
    - out: (N, F, H_out, W_out) float array with
      out[n, f, i, j] = b[f] + Σ_{c, p, q} w[f, c, p, q] · x_pad[n, c, i·stride + p, j·stride + q]
      and H_out, W_out as in im2col.

    Raises:
    - ValueError: if w is not 4-D, x and w have a different number of
      channels C, b is not of shape (F,), or for any reason im2col raises.

    The inputs are not modified.

    Example (the worked example of the lesson):
    >>> import numpy as np
    >>> x = np.arange(1.0, 13.0).reshape(1, 1, 3, 4)
    >>> w = np.array([[[[1.0, 2.0], [0.0, -1.0]]]])
    >>> conv2d(x, w, np.array([1.0]))
    array([[[[ 0.,  2.,  4.],
             [ 8., 10., 12.]]]])
    >>> conv2d(x, w, np.array([1.0]), stride=2, pad=1)
    array([[[[ 0., -2.,  1.],
             [ 2., 10.,  9.]]]])
    """
    raise NotImplementedError("convolution: not implemented yet")
