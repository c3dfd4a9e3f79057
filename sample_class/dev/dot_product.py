import numpy as np
"""The dot product.

Almost everything a neural network computes is built from one small
operation: multiply two lists of numbers entry by entry, then add up the
products. That operation is the *dot product*:

    a · b = a[0]*b[0] + a[1]*b[1] + ... + a[n-1]*b[n-1] = Σ_i a[i] b[i]

Shapes
------
``a`` and ``b`` are 1-D numpy arrays with the same length ``n``, so both have
shape ``(n,)``. The result is a single number (a scalar), not an array.

``n = 0`` is allowed. A sum with no terms is 0, so the dot product of two
empty vectors is 0 (the same rule that makes ``sum([]) == 0``).

Worked example
--------------
    a = [1, 2, 3]
    b = [4, 5, 6]
    a · b = 1*4 + 2*5 + 3*6 = 4 + 10 + 18 = 32

Why it matters
--------------
One neuron computes ``w · x + b``: the dot product of its weight vector with
its input, plus a bias. The dot product measures how much two vectors agree.
It is large and positive when they point the same way, 0 when they are
perpendicular (``[1, 0] · [0, 1] = 0``), and negative when they point in
opposite directions. Matrix multiplication (the ``matmul`` exercise) is just many dot
products, and attention (the ``attention`` exercise) uses dot products to score how well a
query matches a key.

Useful facts (the self-check tests use some of them):

* symmetric: ``a · b = b · a``
* linear:    ``(2a + c) · b = 2 (a · b) + (c · b)``
* ``a · a = Σ a[i]²``, the squared length of ``a``, which is never negative

Common misconceptions
---------------------
* The dot product is a number, not a vector. In numpy, ``a * b`` gives the
  *vector* of products ``[a[0]*b[0], a[1]*b[1], ...]``. You still have to add
  those products up.
* Vectors of different lengths have no dot product. numpy broadcasting will
  happily combine shapes ``(3,)`` and ``(1,)`` without an error, so check the
  lengths yourself and raise ``ValueError``.
* A 2-D array of shape ``(1, n)`` or ``(n, 1)`` is not a 1-D vector here.
  Reject it with ``ValueError`` too (look at ``a.ndim``).

Rules for this exercise
-----------------------
The point is to write the sum yourself once, so an automatic check rejects
these shortcuts: ``np.dot``, ``np.inner``, ``np.vdot``, ``np.matmul``,
``np.einsum``, ``np.tensordot``, ``np.linalg.multi_dot``, the ``@`` operator
and the ``.dot()`` method. Elementwise ``*`` with ``np.sum``, or a plain
``for`` loop, is fine. From the ``relu`` exercise on you may use ``@`` freely.

Do not modify the input arrays.
"""

import numpy as np

__all__ = ["dot"]


def dot(a, b):
    if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
        raise ValueError("dot needs two 1-D vectors of the same length")
    return np.dot(a, b)
