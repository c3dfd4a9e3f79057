"""Exercise: the sigmoid and tanh activations, their derivatives, and overflow.

Sigmoid and tanh are the classic "squashing" activations. They are still
everywhere: in the gates of LSTMs and GRUs, in binary classifiers (the
sigmoid turns a score into a probability) and in attention variants.

The functions
-------------
    sigmoid(x) = σ(x) = 1 / (1 + e^(-x))                 values in (0, 1)
    tanh(x)           = (e^x - e^(-x)) / (e^x + e^(-x))  values in (-1, 1)

``σ(0) = 0.5``. ``σ`` is near 1 for large positive ``x`` and near 0 for large
negative ``x``. It satisfies ``σ(-x) = 1 - σ(x)``. ``tanh`` is odd
(``tanh(-x) = -tanh(x)``), passes through 0, and is a stretched sigmoid:
``tanh(x) = 2 σ(2x) - 1``.

Shapes: all four functions act on every entry separately. They take an array
``x`` of **any** shape (0-d, ``(N,)``, a batch ``(N, H)``, ...) and return a
new float array of the **same shape**. Integer input gives float output.

Derivatives: reuse the output
-----------------------------
Both derivatives are simplest when written with the function's own value:

    σ'(x)    = σ(x) (1 - σ(x))
    tanh'(x) = 1 - tanh(x)²

This is why backpropagation keeps the activation's *output* from the forward
pass. Here ``sigmoid_grad(x)`` and ``tanh_grad(x)`` take the **input** ``x``,
compute ``s = sigmoid(x)`` (or ``t = tanh(x)``) and return ``s * (1 - s)``
(or ``1 - t**2``). Both derivatives are largest at 0 (``σ'(0) = 0.25``,
``tanh'(0) = 1``) and vanish for large ``|x|``. That is the "saturation" that
slows the training of deep sigmoid networks.

Worked example
--------------
    x               = [-2.0,    0.0,    2.0   ]
    sigmoid(x)      = [ 0.1192, 0.5,    0.8808]
    sigmoid_grad(x) = [ 0.1050, 0.25,   0.1050]
    tanh(x)         = [-0.9640, 0.0,    0.9640]
    tanh_grad(x)    = [ 0.0707, 1.0,    0.0707]

(``0.8808 * (1 - 0.8808) ≈ 0.1050`` and ``1 - 0.9640² ≈ 0.0707``.)

Overflow: the formula is not the algorithm
------------------------------------------
``np.exp`` overflows to ``inf`` for arguments above about 709.78. So

* ``1 / (1 + np.exp(-x))`` at ``x = -1000`` computes ``1 / (1 + inf)``. That
  is 0 with a RuntimeWarning, and numerically it is right by luck. At
  ``x = -720`` the same formula gives 0, but the true value
  ``σ(-720) ≈ 2.03e-313`` *is* a float64 number: the answer is wrong.
* ``np.exp(x) / (1 + np.exp(x))`` at ``x = 1000`` gives ``inf / inf = nan``.
* The textbook tanh formula gives ``inf / inf = nan`` once ``|x| > 710``.

The cure is to choose, for each entry, a form whose exponent is never
positive:

    for x >= 0:  σ(x) = 1 / (1 + e^(-x))         e^(-x) <= 1
    for x <  0:  σ(x) = e^x / (1 + e^x)          e^x < 1   (multiply top and
                                                 bottom of 1 / (1 + e^(-x)) by e^x)

Nothing overflows, nothing divides by 0, and small results stay accurate
because no subtraction cancels. Select the entries with a boolean mask, for
example ``pos = x >= 0``, then fill ``out[pos]`` and ``out[~pos]``. (Note that
``np.where(x >= 0, formula1, formula2)`` still evaluates *both* formulas on
*all* entries. Its result is right, but it triggers the overflow warnings
anyway. The self-check asks for a run without warnings. The grader cannot
see warnings, so it judges only the values.) For tanh, use
``tanh(x) = 2 σ(2x) - 1`` with your stable sigmoid, or a similar rewrite with
``e^(-2|x|)``.

How accurate is "accurate"?
---------------------------
* ``sigmoid`` must be accurate *relative to its own size*, also deep in the
  left tail. ``sigmoid(-40)`` is ``4.248e-18``, not 0, and ``sigmoid(-720)``
  is ``2.03e-313``. Formulas that compute a tiny σ by subtracting from 1, such
  as ``1 - σ(-x)`` or ``0.5 * (1 + tanh(x / 2))``, lose these values, and so
  does clipping ``x`` to a "safe" range first. The checks allow a relative
  error of a few units in the last place, plus about ``|x|`` units more,
  because rounding ``x`` itself already moves ``σ(x)`` that much.
* ``sigmoid_grad`` is checked the same way. The only extra slack covers the
  rounding of ``1 - s`` when ``s`` is close to 1, so ``s * (1 - s)`` with an
  accurate ``s`` passes.
* ``tanh`` and ``tanh_grad`` lie between -1 and 1. They must be right to
  within a few units of ``2.2e-16`` (float64 epsilon) in *absolute* terms, and
  must never return nan or inf, even for ``|x| = 1000``.

Common misconceptions
---------------------
* Passing the output where the input is expected. ``sigmoid_grad(x)`` is
  ``σ(x) (1 - σ(x))``, not ``x (1 - x)``. The second form is correct only if
  its argument is already ``σ(x)``.
* ``np.empty_like(x)`` for an integer ``x`` is an integer array, so every
  value you store in it gets truncated to 0 or 1. Convert ``x`` to float first.
* Changing the caller's array while filling the two cases. Write into a new
  output array, never into ``x``.

Rules for this exercise
-----------------------
``np.tanh``, ``math.tanh`` and ``scipy.special.expit`` (a ready-made sigmoid)
are rejected. Build both functions from ``np.exp``. Your ``tanh`` may call
your ``sigmoid``, and your derivatives should call your functions. Do not
modify the input.
"""

import numpy as np

__all__ = ["sigmoid", "sigmoid_grad", "tanh", "tanh_grad"]


def sigmoid(x):
    """Numerically stable logistic sigmoid 1 / (1 + exp(-x)), entry by entry.

    Inputs:
    - x: array of any shape (float or integer), finite entries

    Returns:
    - s: new float array with the shape of x, 0 <= s <= 1. It never overflows
      and is accurate relative to its own size, also for very negative x
      (sigmoid(-720) ≈ 2.03e-313, not 0).

    Raises nothing for valid arrays. The input is not modified.

    Example:
    >>> import numpy as np
    >>> np.round(sigmoid(np.array([-2.0, 0.0, 2.0])), 4)
    array([0.1192, 0.5   , 0.8808])
    >>> sigmoid(np.array([-1000.0, 1000.0]))
    array([0., 1.])
    >>> float(sigmoid(np.array(-40)))
    4.248354255291589e-18
    """
    raise NotImplementedError("activations: not implemented yet")


def sigmoid_grad(x):
    """Derivative of the sigmoid at x, computed from its output: σ(x) (1 - σ(x)).

    Inputs:
    - x: array of any shape (float or integer), the *input* of the sigmoid

    Returns:
    - ds: new float array with the shape of x, 0 <= ds <= 0.25

    Raises nothing for valid arrays. The input is not modified.

    Example:
    >>> import numpy as np
    >>> np.round(sigmoid_grad(np.array([-2.0, 0.0, 2.0])), 4)
    array([0.105, 0.25 , 0.105])
    >>> sigmoid_grad(np.array([-1000.0, 1000.0]))
    array([0., 0.])
    """
    raise NotImplementedError("activations: not implemented yet")


def tanh(x):
    """Hyperbolic tangent, entry by entry, without overflow (np.tanh is not allowed).

    Inputs:
    - x: array of any shape (float or integer), finite entries

    Returns:
    - t: new float array with the shape of x, -1 <= t <= 1, accurate to a few
      units of float64 epsilon (absolute). No nan or inf, even for |x| = 1000.

    Raises nothing for valid arrays. The input is not modified.

    Example:
    >>> import numpy as np
    >>> np.round(tanh(np.array([-2.0, 0.0, 1.0, 2.0])), 4)
    array([-0.964 ,  0.    ,  0.7616,  0.964 ])
    >>> tanh(np.array([-1000.0, 1000.0]))
    array([-1.,  1.])
    """
    raise NotImplementedError("activations: not implemented yet")


def tanh_grad(x):
    """Derivative of tanh at x, computed from its output: 1 - tanh(x)².

    Inputs:
    - x: array of any shape (float or integer), the *input* of tanh

    Returns:
    - dt: new float array with the shape of x, 0 <= dt <= 1

    Raises nothing for valid arrays. The input is not modified.

    Example:
    >>> import numpy as np
    >>> np.round(tanh_grad(np.array([-2.0, 0.0, 2.0])), 4)
    array([0.0707, 1.    , 0.0707])
    >>> tanh_grad(np.array([1000.0]))
    array([0.])
    """
    raise NotImplementedError("activations: not implemented yet")
