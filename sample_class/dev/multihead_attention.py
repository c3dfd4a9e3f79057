"""Exercise: multi-head self-attention with a causal mask.

The attention exercise computed ``softmax(Q Kᵀ / √d_k) V`` for one set of
queries, keys and values. A transformer layer runs several attentions side by
side, called *heads*, each on its own slice of the features, and mixes their
results with one more matrix. Everything new here is linear algebra without
arithmetic: reshapes and transposes that move the heads into a batch axis and
back.

Shapes
------
    X:  (N, T, D)      N sequences of T tokens, each a vector of D features (T >= 1)
    Wq: (D, Dk)        query projection      Wk: (D, Dk)  key projection
    Wv: (D, Dv)        value projection      Wo: (Dv, Do) output projection
    num_heads: int h >= 1 that divides Dk and Dv;  d_k = Dk // h,  d_v = Dv // h

Usually ``Dk = Dv = Do = D``, but nothing requires it.

Splitting and merging heads
---------------------------
``split_heads(X, h)`` cuts the last axis of an (N, T, D) array into h
consecutive blocks of ``d = D // h`` features: head 0 gets features
``0 .. d-1``, head 1 gets ``d .. 2d-1``, and so on. Then it moves the head
axis in front of the tokens:

    split_heads(X, h)[n, i, t, k] = X[n, t, i·d + k]            (N, h, T, d)

    X.reshape(N, T, h, d)              (N, T, h, d)   cut D into h blocks of d
     .transpose(0, 2, 1, 3)            (N, h, T, d)   heads before tokens

Now ``(N, h)`` are batch axes, and attention (which works on the last two
axes) runs on every head of every sequence at once. ``merge_heads`` is the
inverse, ``(N, h, T, d) -> (N, T, h·d)``: transpose back, then reshape.
``merge_heads(split_heads(X, h))`` gives back ``X`` exactly. A reshape
alone is not enough. ``X.reshape(N, h, T, d)`` has the right *shape*, but it
cuts the rows of X in the wrong places and mixes tokens into each head.

Multi-head attention
--------------------
    Q = split_heads(X Wq, h)           (N, h, T, d_k)
    K = split_heads(X Wk, h)           (N, h, T, d_k)
    V = split_heads(X Wv, h)           (N, h, T, d_v)
    weights = softmax(Q Kᵀ / √d_k)     (N, h, T, T)    Kᵀ: swap the last two axes only
    heads   = weights V                (N, h, T, d_v)
    out     = merge_heads(heads) Wo    (N, T, Dv) @ (Dv, Do) -> (N, T, Do)

The scale is ``√d_k``, the size of a *head's* query vectors, not ``√Dk``. Each
head has its own pattern of weights, and ``Wo`` mixes the heads' outputs.

Causal masking
--------------
A language model must predict token t from tokens ``0..t`` only. The *causal
mask* says which keys each query may see:

    causal_mask(T)[i, j] = True  if j <= i  (query i may attend to key j)
                           False if j > i   (key j is in query i's future)

    causal_mask(3) = [[ True, False, False],
                      [ True,  True, False],
                      [ True,  True,  True]]

It is a boolean array, lower triangular, diagonal included. ``True`` means
*may attend*, the same polarity as the attention exercise and as
``torch.nn.functional.scaled_dot_product_attention``. (Watch out:
``torch.nn.MultiheadAttention``'s boolean ``attn_mask`` uses the opposite
polarity, with True meaning *blocked*.) With ``causal=True``, masked scores
are set to ``-inf`` before the softmax, so those weights are exactly 0 and
each row still sums to 1. Every row keeps at least its diagonal.

Worked example (N = 1, T = 2, D = Dk = Dv = Do = 2, h = 2, so d_k = d_v = 1)
----------------------------------------------------------------------------
    X = [[[1, 0],        Wq = Wk = Wv = I (2x2),   Wo = [[1, 1],
          [0, 1]]]                                       [0, 1]]

    head 0 sees feature 0:  Q = K = V = [[1], [0]]
        scores = [[1, 0], [0, 0]] / √1  ->  weights ≈ [[0.7311, 0.2689], [0.5, 0.5]]
        head output ≈ [[0.7311], [0.5]]
    head 1 sees feature 1:  Q = K = V = [[0], [1]]
        weights ≈ [[0.5, 0.5], [0.2689, 0.7311]],  head output ≈ [[0.5], [0.7311]]
    merged ≈ [[0.7311, 0.5], [0.5, 0.7311]]
    out = merged Wo ≈ [[[0.7311, 1.2311], [0.5, 1.2311]]]

With ``causal=True`` query 0 sees only key 0, so both heads' first rows of
weights are ``[1, 0]``, and ``out ≈ [[[1, 1], [0.5, 1.2311]]]``. With
``num_heads=1`` the single head sees both features, and its weights are
``[[0.6698, 0.3302], [0.3302, 0.6698]]`` (scale √2).

Common misconceptions
---------------------
* ``X.reshape(N, h, T, d)`` instead of reshape-then-transpose. The shape is
  right, but the heads get the wrong numbers.
* Splitting with ``reshape(N, T, d, h)``. That hands every h-th feature to a
  head (features i, i + h, i + 2h, ...) instead of a block of consecutive
  features.
* Scaling by ``√Dk`` (the full width) instead of ``√d_k`` (one head's width).
* Reading the causal mask the wrong way round (True = blocked), or leaving
  out the diagonal. A token may always attend to itself.
* Applying ``Wo`` to each head separately before merging, or forgetting it.

Raise ``ValueError`` for incompatible shapes, a ``num_heads`` that does not
divide Dk and Dv, or ``n < 0`` in ``causal_mask``. Do not modify the inputs.
This module must not import your attention module: it is self-contained.
"""

import numpy as np

__all__ = ["causal_mask", "split_heads", "merge_heads", "multi_head_attention"]


def causal_mask(n):
    """The (n, n) causal mask: True where query i may attend to key j (j <= i).

    Inputs:
    - n: int >= 0, the sequence length

    Returns:
    - mask: (n, n) boolean array, lower triangular with the diagonal True

    Raises:
    - ValueError: if n < 0.

    Example:
    >>> causal_mask(3)
    array([[ True, False, False],
           [ True,  True, False],
           [ True,  True,  True]])
    """
    raise NotImplementedError("multihead_attention: not implemented yet")


def split_heads(X, num_heads):
    """Cut the features into num_heads consecutive blocks, heads before tokens.

    Inputs:
    - X: (N, T, D) array
    - num_heads: int h >= 1 that divides D

    Returns:
    - (N, h, T, D // h) array with out[n, i, t, k] = X[n, t, i·(D // h) + k]
      (same dtype as X)

    Raises:
    - ValueError: if X is not 3-D, num_heads < 1, or D is not divisible by
      num_heads.

    X is not modified.

    Example:
    >>> import numpy as np
    >>> X = np.arange(8).reshape(1, 2, 4)     # tokens [0, 1, 2, 3] and [4, 5, 6, 7]
    >>> split_heads(X, 2)
    array([[[[0, 1],
             [4, 5]],
    <BLANKLINE>
            [[2, 3],
             [6, 7]]]])
    """
    raise NotImplementedError("multihead_attention: not implemented yet")


def merge_heads(X):
    """Inverse of split_heads: (N, h, T, d) -> (N, T, h·d).

    Inputs:
    - X: (N, h, T, d) array

    Returns:
    - (N, T, h·d) array with out[n, t, i·d + k] = X[n, i, t, k] (same dtype)

    Raises:
    - ValueError: if X is not 4-D.

    X is not modified.

    Example:
    >>> import numpy as np
    >>> X = np.arange(8).reshape(1, 2, 4)
    >>> merge_heads(split_heads(X, 2))
    array([[[0, 1, 2, 3],
            [4, 5, 6, 7]]])
    """
    raise NotImplementedError("multihead_attention: not implemented yet")


def multi_head_attention(X, Wq, Wk, Wv, Wo, num_heads, causal=False):
    """Multi-head self-attention of a batch of sequences.

    Inputs:
    - X: (N, T, D) array, T >= 1
    - Wq, Wk: (D, Dk) arrays
    - Wv: (D, Dv) array
    - Wo: (Dv, Do) array
    - num_heads: int h >= 1 dividing Dk and Dv
    - causal: if True, query t attends only to keys 0..t (causal_mask(T))

    Returns a tuple (out, weights):
    - out: (N, T, Do) array, merge_heads(weights @ V) @ Wo
    - weights: (N, h, T, T) array, softmax(Q Kᵀ / √(Dk // h)) over the last
      axis, per head. Each row sums to 1. With causal=True, the entries above
      the diagonal are exactly 0.0.

    Raises:
    - ValueError: if X is not 3-D, the weight shapes do not fit together as
      above, or num_heads is below 1 or does not divide Dk and Dv.

    The inputs are not modified.

    Example (the worked example of the lesson):
    >>> import numpy as np
    >>> X, I = np.array([[[1.0, 0.0], [0.0, 1.0]]]), np.eye(2)
    >>> Wo = np.array([[1.0, 1.0], [0.0, 1.0]])
    >>> out, weights = multi_head_attention(X, I, I, I, Wo, num_heads=2)
    >>> np.round(out, 4)
    array([[[0.7311, 1.2311],
            [0.5   , 1.2311]]])
    >>> out, weights = multi_head_attention(X, I, I, I, Wo, num_heads=2, causal=True)
    >>> np.round(out, 4)
    array([[[1.    , 1.    ],
            [0.5   , 1.2311]]])
    >>> weights[0, :, 0]
    array([[1., 0.],
           [1., 0.]])
    """
    raise NotImplementedError("multihead_attention: not implemented yet")
