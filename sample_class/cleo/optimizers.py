"""Exercise: optimizers (SGD, momentum and Adam) with explicit state.

Training a network means repeating one move: look at the gradient ``dw`` of
the loss with respect to a parameter array ``w``, and step ``w`` a little in
the direction that lowers the loss. Optimizers differ in how they turn the
gradient into a step. Some of them remember the past, and that memory is
their *state*.

In this exercise the state is explicit. Each function takes the current
parameters, gradient and state, and *returns new arrays*: the new parameters
and the new state. The caller keeps the state and passes it back on the next
step. Nothing is changed in place, so you can always see (and test) what one
step did.

Shapes: ``w``, ``dw`` and every state array (``v``, ``m``) have the same
shape, any shape at all (a weight matrix ``(D, H)``, a bias ``(H,)``, a
scalar ``()``). Every operation is elementwise: each entry of ``w`` is
updated on its own. A shape mismatch is a ``ValueError``. Do not rely on
broadcasting here: a ``(1,)`` gradient against a ``(5,)`` parameter is a bug,
not a shortcut.

SGD: plain gradient descent
---------------------------
    w_new = w - lr · dw

``lr`` is the learning rate. The minus sign matters: the gradient points
uphill, so we step the opposite way.

Momentum
--------
Plain gradient descent zig-zags in narrow valleys and crawls on gentle
slopes. Momentum keeps a *velocity* ``v`` (same shape as ``w``, zeros at the
start). The velocity is a decaying sum of past steps:

    v_new = beta · v - lr · dw
    w_new = w + v_new

``beta`` (typically 0.9) is how much velocity survives each step. Steps that
keep pointing the same way add up, and steps that alternate cancel out. This
is the convention of CS231n. PyTorch stores ``v = beta·v + dw`` and steps
``w -= lr·v`` instead. With a constant ``lr`` both give the same ``w``, but
their ``v`` differ by the factor ``-lr``. Here, follow the convention above.

Adam
----
Adam keeps two running averages, both starting at zeros:

    m_new = beta1 · m + (1 - beta1) · dw       first moment (mean of dw)
    v_new = beta2 · v + (1 - beta2) · dw²      second moment (mean of dw², elementwise)

and divides one by the square root of the other, so that every entry of ``w``
takes steps of about the same size ``lr``, however large or small its
gradient:

    m_hat = m_new / (1 - beta1^t)              bias correction
    v_hat = v_new / (1 - beta2^t)
    w_new = w - lr · m_hat / (sqrt(v_hat) + eps)

``t`` is the number of this step, counting from 1: the first call uses
``t = 1``, the next ``t = 2``, and so on. ``eps`` (1e-8) only prevents a
division by zero. It is added *after* the square root.

Why bias correction? The averages start at zero, so early on they are too
small. After one step ``m = (1 - beta1)·dw = 0.1·dw``, only a tenth of the
gradient. Dividing by ``1 - beta1^t`` (0.1 at t = 1) undoes exactly this
shrinkage, and so does ``1 - beta2^t`` for ``v``. As t grows, ``beta^t → 0``
and the correction fades away. Without it, Adam's first step would be
``0.1 / sqrt(0.001) ≈ 3.16`` times too large.

Worked example
--------------
    w = [1.0, -2.0],  dw = [0.5, -1.0],  lr = 0.1

    SGD:       w_new = [1.0 - 0.05, -2.0 + 0.1] = [0.95, -1.9]

    Momentum (beta = 0.9), starting from v = [0, 0]:
      step 1:  v = [-0.05, 0.1],                     w = [0.95, -1.9]
      step 2 (same dw):  v = 0.9·[-0.05, 0.1] - [0.05, -0.1] = [-0.095, 0.19]
                         w = [0.95 - 0.095, -1.9 + 0.19] = [0.855, -1.71]

    Adam (beta1 = 0.9, beta2 = 0.999, eps = 1e-8), t = 1, m = v = [0, 0]:
      m = 0.1·dw = [0.05, -0.1],    v = 0.001·dw² = [0.00025, 0.001]
      m_hat = [0.5, -1.0],          v_hat = [0.25, 1.0]
      w_new = w - 0.1·[0.5/0.5, -1.0/1.0] ≈ [0.9, -1.9]
      (each entry moved by about lr = 0.1, as promised)

Common misconceptions
---------------------
* ``w += ...`` or ``v *= beta`` inside the function changes the *caller's*
  arrays. Build new arrays and return them.
* Adam's ``t`` starts at 1. With ``t = 0``, ``1 - beta^0 = 0`` and the bias
  correction divides by zero (so t < 1 is a ``ValueError``).
* ``dw²`` means squaring each entry (``dw ** 2``), not a matrix product.
* ``sqrt(v_hat + eps)`` is not ``sqrt(v_hat) + eps``: they differ when the
  gradients are small.
* Updating ``w`` with the *old* velocity: momentum first updates ``v``, then
  steps ``w`` with the new ``v``.

Do not modify the input arrays.
"""

import numpy as np

__all__ = ["sgd_step", "momentum_step", "adam_step"]


def _same_shapes(**arrays):
    """Raise ValueError unless all the arrays have the same shape (a helper you may use)."""
    shapes = {name: np.shape(a) for name, a in arrays.items()}
    if len(set(shapes.values())) > 1:
        raise ValueError("shapes differ: " + ", ".join(f"{k} {v}" for k, v in shapes.items()))


def sgd_step(w, dw, lr=0.01):
    """One step of gradient descent: w_new = w - lr * dw.

    Inputs:
    - w: array of any shape, the parameters
    - dw: array of w's shape, the gradient of the loss with respect to w
    - lr: learning rate (a number)

    Returns:
    - w_new: new array of w's shape

    Raises:
    - ValueError: if dw's shape differs from w's.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> sgd_step(np.array([1.0, -2.0]), np.array([0.5, -1.0]), lr=0.1)
    array([ 0.95, -1.9 ])
    """
    raise NotImplementedError("optimizers: not implemented yet")


def momentum_step(w, dw, v, lr=0.01, beta=0.9):
    """One step of SGD with momentum (CS231n convention).

        v_new = beta * v - lr * dw
        w_new = w + v_new

    Inputs:
    - w: array of any shape, the parameters
    - dw: array of w's shape, the gradient
    - v: array of w's shape, the velocity (zeros before the first step)
    - lr: learning rate
    - beta: momentum, in [0, 1)

    Returns a tuple (w_new, v_new) of new arrays of w's shape.

    Raises:
    - ValueError: if dw or v has a different shape from w.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> w_new, v_new = momentum_step(np.array([1.0, -2.0]), np.array([0.5, -1.0]),
    ...                              np.zeros(2), lr=0.1, beta=0.9)
    >>> w_new, v_new
    (array([ 0.95, -1.9 ]), array([-0.05,  0.1 ]))
    """
    raise NotImplementedError("optimizers: not implemented yet")


def adam_step(w, dw, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One step of Adam, with bias correction.

        m_new = beta1 * m + (1 - beta1) * dw
        v_new = beta2 * v + (1 - beta2) * dw**2
        m_hat = m_new / (1 - beta1**t)
        v_hat = v_new / (1 - beta2**t)
        w_new = w - lr * m_hat / (sqrt(v_hat) + eps)

    Inputs:
    - w: array of any shape, the parameters
    - dw: array of w's shape, the gradient
    - m: array of w's shape, first-moment estimate (zeros before step 1)
    - v: array of w's shape, second-moment estimate (zeros before step 1)
    - t: int >= 1, the number of this step (1 for the first call)
    - lr, beta1, beta2, eps: numbers (defaults from the Adam paper)

    Returns a tuple (w_new, m_new, v_new) of new arrays of w's shape.

    Raises:
    - ValueError: if dw, m or v has a different shape from w, or if t < 1.

    The inputs are not modified.

    Example (first step: each entry moves by about lr):
    >>> import numpy as np
    >>> w_new, m_new, v_new = adam_step(np.array([1.0, -2.0]), np.array([0.5, -1.0]),
    ...                                 np.zeros(2), np.zeros(2), t=1, lr=0.1)
    >>> np.round(w_new, 6), m_new, v_new
    (array([ 0.9, -1.9]), array([ 0.05, -0.1 ]), array([0.00025, 0.001  ]))
    """
    raise NotImplementedError("optimizers: not implemented yet")
