"""Exercise: vectors — length (the L2 norm) and alignment (cosine similarity).

A vector has a **length** and a **direction**. Neural networks use both all
the time: the length of a gradient decides whether to clip it, the length of
a weight vector is what weight decay shrinks, and the direction of an
embedding is what "similar meaning" compares.

The L2 norm (Euclidean length)
------------------------------
    ‖x‖ = sqrt(x[0]² + x[1]² + ... + x[n-1]²) = sqrt(Σ_i x[i]²)

This is Pythagoras in n dimensions. ``x`` is a 1-D array of shape ``(n,)``,
and the result is a single non-negative number. ``‖x‖ = 0`` only for the zero
vector, and the empty vector (``n = 0``) has norm 0 (an empty sum is 0).
Scaling a vector scales its length: ``‖c·x‖ = |c|·‖x‖``.

Cosine similarity
-----------------
The dot product (first exercise) mixes length and direction:
``a · b = ‖a‖ ‖b‖ cos θ``, where ``θ`` is the angle between ``a`` and ``b``.
Dividing out both lengths leaves only the direction:

    cos θ = (a · b) / (‖a‖ ‖b‖)

It is  1 when ``a`` and ``b`` point the same way (``b = 2a``),
       0 when they are perpendicular,
      -1 when they point in opposite directions (``b = -a``),
and always lies between -1 and 1. Lengths do not matter: ``a`` and ``1000·a``
have the same direction. A zero vector has no direction, so its cosine
similarity with anything is undefined (``0 / 0``). Raise ``ValueError`` then.

Shapes: ``a`` and ``b`` are 1-D arrays of the same length ``n >= 1``, and the
result is a single number.

Worked example
--------------
    x = [3, 4]:      ‖x‖ = sqrt(9 + 16) = sqrt(25) = 5

    a = [1, 0], b = [1, 1]:
        a · b = 1,  ‖a‖ = 1,  ‖b‖ = sqrt(2)
        cos θ = 1 / sqrt(2) ≈ 0.7071            (θ = 45 degrees)

    a = [1, 2, 3], b = [2, 4, 6]:   cos θ = 1.0  (b = 2a, same direction)
    a = [1, 0],    b = [0, 5]:      cos θ = 0.0  (perpendicular)

Overflow and underflow: scale first
-----------------------------------
Squaring is dangerous in floating point. The largest float64 is about
``1.8e308``, so for ``x = [1e200, 1e200]`` the square ``1e400`` overflows to
``inf`` and the naive formula answers ``inf``, although the true length,
``1.414e200``, is a perfectly ordinary float. Tiny entries fail the other
way: ``(1e-200)² = 1e-400`` underflows to 0, and the naive formula says that
a non-zero vector has length 0. (Integer arrays are worse: an ``int64``
square above about ``9.2e18`` wraps around *silently* to a wrong number, and
that already happens for entries of 3.1e9.)

The fix uses ``‖c·x‖ = |c|·‖x‖``. Let ``m = max_i |x[i]|``. Then

    ‖x‖ = m · ‖x / m‖ = m · sqrt(Σ_i (x[i] / m)²)

Every entry of ``x / m`` lies between -1 and 1, and at least one is ±1. So
the sum of squares lies between 1 and ``n``: it cannot overflow, and what
underflows is too small to matter next to that 1. When ``m = 0`` the vector
is zero and so is its norm (do not divide by 0). Your ``l2_norm`` must be
accurate for any finite entries whose norm is a finite float: huge ones like
``1e300``, tiny ones like ``1e-250``, and large integers.

Cosine similarity has the same problem (``a · b`` of two vectors with entries
near 1e200 overflows too). Since lengths do not matter, normalise first. Turn
``a`` and ``b`` into unit vectors ``a / ‖a‖`` and ``b / ‖b‖``, using your
safe ``l2_norm``, and take their dot product. ``cosine_similarity`` must
work for the same range of entries.

Rounding may push a result just past ±1. For ``a = [1, 2, 3]`` and
``b = [2, 4, 6]`` the computed value may be ``1.0000000000000004``. That is
fine. You may clip the result to [-1, 1], but you do not have to.

Common misconceptions
---------------------
* ``len(x)`` is the number of entries, not the length of the vector in the
  geometric sense.
* ``Σ x[i]²`` is the *squared* norm. Do not forget the square root.
* ``Σ |x[i]|`` is a different norm (L1), not the Euclidean length.
* A large dot product does not mean two vectors are aligned. It grows with
  their lengths. Only the cosine measures the angle.
* The cosine similarity of a zero vector is not 0. It is undefined, so
  raise ``ValueError``.

Rules for this exercise
-----------------------
Write the norm yourself. These one-call shortcuts are rejected:
``np.linalg.norm``, ``scipy.linalg.norm``, ``np.hypot``, ``math.hypot`` and
``math.dist``. ``np.sqrt``, ``np.sum``, ``np.max``, ``np.abs``, the ``@``
operator and ``np.dot`` are fine. ``cosine_similarity`` may call your
``l2_norm``.

Both functions raise ``ValueError`` for inputs that are not 1-D, and neither
modifies its inputs.
"""

import numpy as np

__all__ = ["l2_norm", "cosine_similarity"]


def l2_norm(x):
    """Return the Euclidean length sqrt(Σ x[i]²) of a 1-D vector, without overflow.

    Inputs:
    - x: (n,) array, n >= 0 (float or integer), finite. Entries may be huge
      (1e300) or tiny (1e-250): only the norm itself must be a finite float.

    Returns:
    - norm: float >= 0, accurate to a few units in the last place. It is 0.0
      for the zero vector and for n == 0.

    Raises:
    - ValueError: if x is not 1-D.

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> l2_norm(np.array([3.0, 4.0]))
    5.0
    >>> print(f"{l2_norm(np.array([3e200, -4e200])):.6g}")  # the naive formula gives inf
    5e+200
    >>> l2_norm(np.array([], dtype=float))
    0.0
    """
    raise NotImplementedError("vectors: not implemented yet")


def cosine_similarity(a, b):
    """Return the cosine of the angle between two vectors: a·b / (‖a‖ ‖b‖).

    Inputs:
    - a: (n,) array, n >= 1 (float or integer), not all zeros
    - b: (n,) array with the same length, not all zeros. Entries of a and b
      may be huge (1e300) or tiny (1e-250), as for l2_norm.

    Returns:
    - cos: float between -1 and 1 (up to rounding): 1 for the same direction,
      0 for perpendicular vectors, -1 for opposite directions.

    Raises:
    - ValueError: if a or b is not 1-D, if their lengths differ, or if either
      is a zero vector (including n == 0).

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> round(cosine_similarity(np.array([1.0, 0.0]), np.array([1.0, 1.0])), 4)
    0.7071
    >>> round(cosine_similarity(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])), 12)
    1.0
    >>> cosine_similarity(np.array([1.0, 0.0]), np.array([0.0, 5.0]))
    0.0
    """
    raise NotImplementedError("vectors: not implemented yet")
