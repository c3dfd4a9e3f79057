"""Backpropagation through a two-layer network.

This exercise puts the earlier pieces together. You will write the forward
and backward pass of a small multilayer perceptron (MLP) and get *exact*
gradients of the loss with respect to every parameter.

The linear layer
----------------
A linear (fully connected) layer maps a batch of inputs to a batch of
outputs:

    Z = X W + b

    X: (N, D)   N examples, D features each (one example per row)
    W: (D, H)   weights
    b: (H,)     bias, added to every row (numpy broadcasting)
    Z: (N, H)   N examples, H outputs each

Entry by entry: ``Z[n, h] = Σ_d X[n, d] W[d, h] + b[h]``.

Going backwards
---------------
Backpropagation is the chain rule, applied from the loss backwards. Write
``dZ`` for ``∂L/∂Z``, the gradient of the final scalar loss ``L`` with
respect to ``Z``. **A gradient always has the shape of the thing it is the
gradient of.** So ``dZ`` is ``(N, H)``, ``dW`` is ``(D, H)``, ``db`` is
``(H,)`` and ``dX`` is ``(N, D)``. Given ``dZ`` from the layer above, the
linear layer's backward pass is

    dX = dZ Wᵀ                 (N, H) @ (H, D) -> (N, D)
    dW = Xᵀ dZ                 (D, N) @ (N, H) -> (D, H)
    db = Σ_n dZ[n, :]          sum over the batch (the rows) -> (H,)

*Why dW = Xᵀ dZ, by shapes.* ``dW`` must be ``(D, H)``, like ``W``. The only
ingredients are ``X`` ``(N, D)`` and ``dZ`` ``(N, H)``. The batch size ``N``
must disappear, so it has to be the inner, summed-over size. The only matrix
product that does this is ``(D, N) @ (N, H)``, which is ``Xᵀ dZ``. The entry
formula agrees. ``W[d, h]`` affects ``Z[n, h]`` with slope ``X[n, d]`` for
every example ``n``, so

    dW[d, h] = Σ_n X[n, d] dZ[n, h] = (Xᵀ dZ)[d, h]

Every example contributes to the weight gradient, and the contributions add
up. The same argument gives ``dX = dZ Wᵀ``, and ``db`` sums ``dZ`` over the
batch because ``b[h]`` is added to every row.

**Transposes, never inverses.** Backprop does not "undo" the layer or solve
``Z = X W`` for anything. It multiplies by derivatives (the chain rule), and
for a matrix product those derivatives come out as transposes. ``W`` is
usually not even square (``D != H``), so ``W⁻¹`` does not exist. When it
does exist, it is still the wrong answer.

The ReLU layer
--------------
``A = relu(Z)`` acts entry by entry, so its backward pass is an entrywise
product with the derivative (the ``relu`` exercise):

    dZ = dA * relu'(Z)    =   dA where Z > 0, and 0 elsewhere (also at Z == 0)

It needs ``Z``, the *input* of the ReLU, saved from the forward pass.

The whole network
-----------------
    X --[W1, b1]--> Z1 --relu--> A1 --[W2, b2]--> Ŷ --mse(·, Y)--> L

    X: (N, D)  W1: (D, H)  b1: (H,)  Z1, A1: (N, H)
    W2: (H, O)  b2: (O,)  Ŷ, Y: (N, O)  L: scalar

The forward pass computes and keeps ``Z1``, ``A1`` and ``Ŷ``. The loss is the
MSE over all ``N·O`` entries (the ``mse`` exercise). The backward pass walks the chain
in reverse:

    dŶ = 2 (Ŷ - Y) / (N·O)                                   (N, O)
    dA1 = dŶ W2ᵀ,   dW2 = A1ᵀ dŶ,   db2 = Σ_n dŶ[n, :]        second linear layer
    dZ1 = dA1 where Z1 > 0, else 0                           ReLU
    dW1 = Xᵀ dZ1,   db1 = Σ_n dZ1[n, :]                      first linear layer

Worked example (D = H = O = 1, N = 2)
-------------------------------------
    X = [[1], [2]],  Y = [[3], [1]],  W1 = [[1]], b1 = [0], W2 = [[2]], b2 = [1]

    Z1 = A1 = [[1], [2]],  Ŷ = [[3], [5]],  Ŷ - Y = [[0], [4]]
    L = (0² + 4²) / 2 = 8.0
    dŶ = 2 (Ŷ - Y) / 2 = [[0], [4]]
    dW2 = A1ᵀ dŶ = 1*0 + 2*4 = [[8]],  db2 = [4]
    dA1 = dŶ W2ᵀ = [[0], [8]]  ->  dZ1 = [[0], [8]]  (both Z1 > 0)
    dW1 = Xᵀ dZ1 = 1*0 + 2*8 = [[16]],  db1 = [8]

How to check a gradient
-----------------------
Nudge one parameter by a tiny ``ε``. The loss should change by about
``gradient × ε``:

    dW[d, h] ≈ (L(W[d, h] + ε) - L(W[d, h] - ε)) / (2 ε)

The self-check tests compare your gradients with this estimate.

Common misconceptions
---------------------
* ``db`` has shape ``(H,)``, not ``(N, H)``. Sum over the batch, do not copy
  ``dZ``.
* Dividing the MSE gradient by ``N`` instead of ``N·O`` (see the ``mse`` exercise).
* ``Y`` of shape ``(N,)`` against ``Ŷ`` of shape ``(N, 1)`` broadcasts to
  ``(N, N)``. Here ``Y`` must have the same shape as ``Ŷ``, and a mismatch
  is a ``ValueError``.
* Modifying the parameters or inputs in place. Return a new ``grads`` dict
  and leave ``params`` untouched.

You may use ``@`` and ``.T`` freely in this exercise.
"""

import numpy as np

__all__ = ["linear_forward", "linear_backward", "relu_backward", "mlp_loss_and_grads"]


def linear_forward(X, W, b):
    """Forward pass of a linear layer: Z = X W + b.

    Inputs:
    - X: (N, D) array, one example per row
    - W: (D, H) array of weights
    - b: (H,) array of biases, added to every row

    Returns:
    - Z: (N, H) array

    Raises:
    - ValueError: if the shapes do not fit together as above.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> W = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    >>> b = np.array([0.5, -0.5, 0.0])
    >>> linear_forward(X, W, b)
    array([[1.5, 1.5, 3. ],
           [3.5, 3.5, 7. ]])
    """
    raise NotImplementedError("backprop: not implemented yet")


def linear_backward(dZ, X, W):
    """Backward pass of a linear layer Z = X W + b.

    Inputs:
    - dZ: (N, H) array, upstream gradient ∂L/∂Z
    - X: (N, D) array, the input used in the forward pass
    - W: (D, H) array, the weights used in the forward pass

    Returns a tuple (dX, dW, db):
    - dX: (N, D) array, dZ Wᵀ
    - dW: (D, H) array, Xᵀ dZ
    - db: (H,) array, the column sums of dZ (summed over the batch)

    Raises:
    - ValueError: if the shapes do not fit together as above.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> dZ = np.array([[1.0, 0.0], [0.0, 2.0]])
    >>> X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> dX, dW, db = linear_backward(dZ, X, W)
    >>> dX
    array([[1., 0., 1.],
           [0., 2., 2.]])
    >>> dW
    array([[ 1.,  8.],
           [ 2., 10.],
           [ 3., 12.]])
    >>> db
    array([1., 2.])
    """
    raise NotImplementedError("backprop: not implemented yet")


def relu_backward(dA, Z):
    """Backward pass of A = relu(Z): pass dA through where Z > 0.

    Inputs:
    - dA: array, upstream gradient ∂L/∂A
    - Z: array with the same shape as dA, the ReLU input from the forward
      pass

    Returns:
    - dZ: new array with the same shape, dA where Z > 0 and 0 elsewhere
      (including where Z == 0)

    Raises:
    - ValueError: if dA and Z have different shapes.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> relu_backward(np.array([[1.0, 2.0, 3.0]]), np.array([[-1.0, 0.0, 4.0]]))
    array([[0., 0., 3.]])
    """
    raise NotImplementedError("backprop: not implemented yet")


def mlp_loss_and_grads(X, Y, params):
    """Loss and exact gradients of a two-layer ReLU network with MSE loss.

    The network is Ŷ = relu(X W1 + b1) W2 + b2, and the loss is mse(Ŷ, Y), the
    mean over all N·O entries.

    Inputs:
    - X: (N, D) array of inputs
    - Y: (N, O) array of targets
    - params: dict with
        - "W1": (D, H) array
        - "b1": (H,) array
        - "W2": (H, O) array
        - "b2": (O,) array

    Returns a tuple (loss, grads):
    - loss: scalar float
    - grads: dict with the same keys as params, where grads[k] has the shape
      of params[k] and holds ∂loss/∂params[k]

    Raises:
    - ValueError: if the shapes do not fit together (including Y's shape
      differing from the network output's shape (N, O)).

    Neither the inputs nor params are modified.

    Example (the worked example from the lesson):
    >>> import numpy as np
    >>> params = {"W1": np.array([[1.0]]), "b1": np.array([0.0]),
    ...           "W2": np.array([[2.0]]), "b2": np.array([1.0])}
    >>> loss, grads = mlp_loss_and_grads(np.array([[1.0], [2.0]]), np.array([[3.0], [1.0]]), params)
    >>> print(loss)
    8.0
    >>> grads["W1"], grads["b1"], grads["W2"], grads["b2"]
    (array([[16.]]), array([8.]), array([[8.]]), array([4.]))
    """
    raise NotImplementedError("backprop: not implemented yet")
