"""Exercise: a recurrent neural network (RNN), one step and a whole sequence.

A recurrent network reads a sequence one element at a time and carries a
*hidden state* ``h`` from step to step, a summary of everything it has read
so far. Each step is a linear layer of the current input plus a linear layer
of the previous state, followed by a nonlinearity:

    h_next = tanh(x Wx + h Wh + b)

The same weights are used at every time step. Unrolled over a sequence, the
network is a chain of matrix products by the same matrix ``Wh``, and that
one fact explains much of how RNNs behave.

Shapes (one example per row, as in the backprop exercise)
---------------------------------------------------------
    x:  (N, D)      the inputs of one time step: N sequences, D features each
    h:  (N, H)      the previous hidden state, H units per sequence
    Wx: (D, H)      input-to-hidden weights
    Wh: (H, H)      hidden-to-hidden weights
    b:  (H,)        bias
    h_next: (N, H)

For a whole sequence, the inputs are stacked **time first**:

    xs: (T, N, D)   xs[t] is the input at time t
    h0: (N, H)      the initial hidden state
    hs: (T, N, H)   hs[t] is the hidden state *after* reading xs[t]

    hs[0] = step(xs[0], h0)
    hs[t] = step(xs[t], hs[t - 1])     for t = 1, ..., T - 1

``hs`` holds the T new states. It does not include ``h0``. A sequence of
length ``T = 0`` gives an empty ``hs`` of shape ``(0, N, H)``.

The activation
--------------
``activation="tanh"`` (the default) is the classic RNN. With
``activation="linear"`` the step is just ``x Wx + h Wh + b``, with no
nonlinearity. That version is rarely trained, but it shows the linear
algebra bare. With no input (``xs = 0``) and no bias (``b = 0``), the
recurrence is repeated multiplication by ``Wh``:

    hs[t] = h0 Wh^(t+1)          (Wh^k: the matrix power, k factors of Wh)

What happens to the state is then decided by ``Wh``:

* **Orthogonal Wh** (``Whᵀ Wh = I``, a rotation or reflection): every
  product preserves length, ``‖h Wh‖ = ‖h‖``. So the norm of each row of
  ``hs[t]`` equals the norm of the same row of ``h0``, for every t.
* **Wh = 1.1 I** multiplies the norm by 1.1 at every step (``1.1^50 ≈ 117``).
  **Wh = 0.9 I** divides it (``0.9^50 ≈ 0.005``). Long sequences make
  small scale factors explode or vanish. The same products appear in the
  backward pass, where they cause the *exploding and vanishing gradients*
  of RNNs.

With tanh (still no input, no bias, an orthogonal ``Wh``) the norms can only
shrink or stay the same: ``|tanh(z)| <= |z|`` entry by entry, so
``‖tanh(h Wh)‖ <= ‖h Wh‖ = ‖h‖``.

Worked example (N = 1, D = 1, H = 2)
------------------------------------
    Wx = [[1, -1]],   Wh = [[ 0, 1],     (a rotation by 90 degrees: orthogonal)
                            [-1, 0]],    b = [0, 0.5]

    one step from h = [[1, 0]] with x = [[1]]:
        x Wx + h Wh + b = [1, -1] + [0, 1] + [0, 0.5] = [1, 0.5]
        h_next = tanh([1, 0.5]) ≈ [[0.7616, 0.4621]]

    two steps with no input or bias, from h0 = [[1, 0]]:
        linear: hs ≈ [[[0, 1]], [[-1, 0]]]                  norms 1, 1
        tanh:   hs ≈ [[[0, 0.7616]], [[-0.6420, 0]]]        norms 0.7616, 0.6420

Common misconceptions
---------------------
* Using a different weight matrix at each step. The recurrence shares ``Wx``,
  ``Wh`` and ``b`` across all time steps.
* Starting every step from ``h0``. Each step must start from the state the
  previous step produced.
* Returning ``h0`` as ``hs[0]`` (and dropping the last state), or returning
  only the last state. ``hs[t]`` is the state after reading ``xs[t]``, and
  there are T of them.
* ``Wh @ h`` instead of ``h @ Wh``. With one example per row the state
  multiplies from the left: ``(N, H) @ (H, H)``.
* Thinking tanh keeps norms when ``Wh`` is orthogonal. Only the linear
  recurrence does.

Raise ``ValueError`` for incompatible shapes or an unknown activation. Do not
modify the inputs.
"""

import numpy as np

__all__ = ["rnn_step", "rnn_forward"]


def rnn_step(x, h, Wx, Wh, b, activation="tanh"):
    """One step of a vanilla RNN: h_next = activation(x Wx + h Wh + b).

    Inputs:
    - x: (N, D) array, the inputs of this time step
    - h: (N, H) array, the previous hidden state
    - Wx: (D, H) array, input-to-hidden weights
    - Wh: (H, H) array, hidden-to-hidden weights
    - b: (H,) array, bias
    - activation: "tanh" (the default) or "linear" (no nonlinearity)

    Returns:
    - h_next: (N, H) float array

    Raises:
    - ValueError: if the shapes do not fit together as above, or activation
      is not "tanh" or "linear".

    The inputs are not modified.

    Example (the worked example of the lesson):
    >>> import numpy as np
    >>> Wx, Wh, b = np.array([[1.0, -1.0]]), np.array([[0.0, 1.0], [-1.0, 0.0]]), np.array([0.0, 0.5])
    >>> np.round(rnn_step(np.array([[1.0]]), np.array([[1.0, 0.0]]), Wx, Wh, b), 4)
    array([[0.7616, 0.4621]])
    >>> rnn_step(np.array([[1.0]]), np.array([[1.0, 0.0]]), Wx, Wh, b, activation="linear")
    array([[1. , 0.5]])
    """
    raise NotImplementedError("rnn: not implemented yet")


def rnn_forward(xs, h0, Wx, Wh, b, activation="tanh"):
    """Run an RNN over a whole sequence: T steps with shared weights.

    Inputs:
    - xs: (T, N, D) array, xs[t] is the input at time t (T may be 0)
    - h0: (N, H) array, the initial hidden state
    - Wx: (D, H) array
    - Wh: (H, H) array
    - b: (H,) array
    - activation: "tanh" (the default) or "linear"

    Returns:
    - hs: (T, N, H) float array, hs[t] = rnn_step(xs[t], hs[t - 1], ...)
      with hs[-1] read as h0 for t = 0. h0 itself is not included.

    Raises:
    - ValueError: if xs is not 3-D, the shapes do not fit together as in
      rnn_step, or activation is not "tanh" or "linear".

    The inputs are not modified.

    Example (the worked example of the lesson: no input, no bias):
    >>> import numpy as np
    >>> Wx, Wh, b = np.array([[1.0, -1.0]]), np.array([[0.0, 1.0], [-1.0, 0.0]]), np.zeros(2)
    >>> xs, h0 = np.zeros((2, 1, 1)), np.array([[1.0, 0.0]])
    >>> rnn_forward(xs, h0, Wx, Wh, b, activation="linear")
    array([[[ 0.,  1.]],
    <BLANKLINE>
           [[-1.,  0.]]])
    >>> np.round(rnn_forward(xs, h0, Wx, Wh, b), 4)
    array([[[ 0.    ,  0.7616]],
    <BLANKLINE>
           [[-0.642 ,  0.    ]]])
    """
    raise NotImplementedError("rnn: not implemented yet")
