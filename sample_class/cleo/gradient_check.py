"""Exercise: gradient checking with central differences.

Backpropagation (the backprop exercise) gives *exact* gradients, but only if
the code is right. A wrong transpose or a forgotten factor gives wrong
gradients that still have the right shapes, and training then goes wrong
without any error message. The standard safeguard is to compare the analytic
gradient with a *numerical* one, computed from the definition of the
derivative by evaluating the function itself. That is what you write here.

Partial derivatives by finite differences
-----------------------------------------
Let ``f`` take an array ``x`` and return one number (a loss, for example).
The partial derivative with respect to entry ``i`` asks how fast ``f``
changes when only ``x[i]`` moves. Let ``e_i`` be the array of ``x``'s shape
that is 1 at position ``i`` and 0 everywhere else. Then, for a small step
``h > 0``,

    forward difference:   (f(x + h e_i) - f(x)) / h
    central difference:   (f(x + h e_i) - f(x - h e_i)) / (2h)

Taylor's theorem explains why the central difference is much better. Write
``g(s) = f(x + s e_i)``, so that ``g'(0)`` is the partial derivative:

    g(h)  = g(0) + h g'(0) + h²/2 g''(0) + h³/6 g'''(ξ₁)
    g(-h) = g(0) - h g'(0) + h²/2 g''(0) - h³/6 g'''(ξ₂)

Subtract and divide by 2h. The g(0) and g'' terms cancel:

    (g(h) - g(-h)) / (2h) = g'(0) + h²/12 (g'''(ξ₁) + g'''(ξ₂))

So the central difference is off by at most ``h²/6 · max|g'''|`` (the
*truncation error*). The forward difference is off by about ``h/2 · |g''|``.
With h = 1e-5 that is an error near 1e-10 against one near 1e-5.

Rounding error
--------------
Why not take ``h`` tiny, like 1e-12? Each value ``f(x ± h e_i)`` is computed
with a rounding error of about ``ε·|f|``, where ε ≈ 2.2e-16 is float64's
machine epsilon. The subtraction cancels the leading digits, and the division
by 2h magnifies what is left, so the *rounding error* is about ``ε·|f| / h``.
The total error is about

    h²/6 · |g'''|  +  ε·|f| / h

which is smallest near h ≈ (ε)^(1/3) ≈ 1e-5 for values of size 1. That is
why ``h = 1e-5`` is the default. It is also why this must be done in float64:
in float32 (ε ≈ 1.2e-7) the rounding error with h = 1e-5 is about 1e-2, and
even the best h only gets it down to about 1e-5. An integer ``x`` is worse
still, because ``x[i] + 1e-5`` cannot even be stored in an integer array. So
work on a float64 copy of ``x``.

Shapes
------
``x`` may have any shape, for example a weight matrix ``W: (D, H)``. The
numerical gradient has the *same shape* as ``x``: one partial derivative per
entry. Computing it takes ``2 · x.size`` evaluations of ``f``. ``np.ndindex(
x.shape)`` walks through every index of an array of any shape, 0-d included.

Measuring agreement: the relative error
---------------------------------------
To compare an analytic gradient ``a`` with a numerical one ``b`` we use

    relative_error(a, b) = ‖a - b‖ / (‖a‖ + ‖b‖)

where ``‖·‖`` is the Euclidean norm of all entries (``np.linalg.norm``). It
does not depend on the scale of the gradients, it is symmetric, and it lies
between 0 and 1. When both are all zeros the two gradients agree, and the
relative error is defined as 0.0. Rough guide for float64 and h = 1e-5:
below 1e-7 the gradients agree; around 1e-4 or above, look for a bug (or a
kink, see below).

Worked example
--------------
    f(x) = x[0]² + 3·x[0]·x[1]  at  x = [1, 2],  so  f(x) = 7
    exact gradient: [2·x[0] + 3·x[1], 3·x[0]] = [8, 3]

    With h = 0.1:
    f(1.1, 2) = 7.81,  f(0.9, 2) = 6.21   ->  (7.81 - 6.21) / 0.2 = 8.0
    f(1, 2.1) = 7.3,   f(1, 1.9) = 6.7    ->  (7.3 - 6.7) / 0.2   = 3.0
    numerical gradient = [8.0, 3.0]  (exact up to rounding: f''' = 0 here)

    The forward difference would give (7.81 - 7) / 0.1 = 8.1 for the first
    entry, off by h/2 · g'' = 0.05 · 2 = 0.1.

    relative_error([8, 3], [8.1, 3]) = 0.1 / (√73 + √74.61) ≈ 0.00582

Using it on your own backprop
-----------------------------
To check ``grads["W1"]`` from ``mlp_loss_and_grads``, wrap the loss as a
function of W1 alone::

    def loss_of_W1(W1):
        return mlp_loss_and_grads(X, Y, dict(params, W1=W1))[0]

    numeric = numerical_gradient(loss_of_W1, params["W1"])
    print(relative_error(grads["W1"], numeric))   # tiny if backprop is right

Common misconceptions
---------------------
* Dividing by ``h`` instead of ``2h``: the result is twice the gradient.
* Nudging every entry at once (``f(x + h)``) measures the sum of all partial
  derivatives, not one of them. Nudge one entry at a time.
* Nudging ``x`` in place and forgetting to put the entry back: every later
  partial derivative is then taken at the wrong point. Nudge a float64 *copy*
  and restore each entry after use. Never change the caller's array.
* Kinks: near a point where ``f`` is not differentiable (ReLU at 0), the two
  points ``x ± h e_i`` can lie on different sides of the kink, and the
  central difference then averages two different slopes. A large relative
  error right at a kink is not a bug in your backprop.
* Comparing gradients with an absolute difference: 1e-6 is tiny for
  gradients of size 1000 and huge for gradients of size 1e-8. The relative
  error does not depend on the scale.

Do not modify the input arrays.
"""

import numpy as np

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f, x, h=1e-5):
    """Central-difference estimate of the gradient of a scalar function f at x.

    Inputs:
    - f: a function that takes an array of x's shape and returns a number
    - x: array of any shape (float or integer), the point to differentiate at
    - h: positive step size (default 1e-5)

    Returns:
    - grad: float64 array of x's shape, with
      grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h)
      for every index i, where e_i is 1 at index i and 0 elsewhere and
      x ± h e_i are computed in float64.

    Raises:
    - ValueError: if h is not a positive finite number.

    f is called 2 * x.size times, with float64 arrays. x is not modified.

    Example:
    >>> import numpy as np
    >>> f = lambda x: x[0] ** 2 + 3 * x[0] * x[1]
    >>> np.round(numerical_gradient(f, np.array([1.0, 2.0]), h=0.1), 10)
    array([8., 3.])
    """
    raise NotImplementedError("gradient_check: not implemented yet")


def relative_error(a, b):
    """Relative error ‖a - b‖ / (‖a‖ + ‖b‖) between two arrays of the same shape.

    Inputs:
    - a: array of any shape, e.g. an analytic gradient
    - b: array of the same shape, e.g. a numerical gradient

    Returns:
    - err: float in [0, 1]; ‖·‖ is the Euclidean norm of all entries. It is
      0.0 when a and b are both all zeros (including when they are empty).

    Raises:
    - ValueError: if a and b have different shapes.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> print(relative_error(np.array([3.0, 4.0]), np.array([3.0, 4.0])))
    0.0
    >>> print(relative_error(np.array([3.0, 4.0]), np.zeros(2)))
    1.0
    >>> print(round(relative_error(np.array([8.0, 3.0]), np.array([8.1, 3.0])), 5))
    0.00582
    """
    raise NotImplementedError("gradient_check: not implemented yet")
