"""Exercise: training a two-layer network with gradient descent, from scratch.

Everything comes together here: the network and its gradients from the
backprop exercise, and the update rule from the optimizers exercise. The
result is a training loop that really learns. Start from random weights, then
repeat: compute the loss and its gradients, and step every parameter downhill.

The network
-----------
    X --[W1, b1]--> Z1 --relu--> A1 --[W2, b2]--> Ŷ --mse(·, Y)--> L

    X: (N, D)   W1: (D, H)   b1: (H,)   Z1, A1: (N, H)
    W2: (H, O)  b2: (O,)     Ŷ, Y: (N, O)

    L = mean((Ŷ - Y)²) over all N·O entries

This is exactly ``mlp_loss_and_grads`` from the backprop exercise. Write the
forward and backward pass here again (copying your own code is fine). This
file must work on its own.

Deterministic initialisation
----------------------------
Random starting weights break the symmetry between hidden units. If every
unit started equal, they would all get the same gradient and stay equal
forever. The randomness comes from a generator made from ``seed``, so the
same seed always gives the same network, the same training run and the same
numbers. Use exactly this recipe, in this order:

    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((D, H)) * np.sqrt(2.0 / D)    # drawn first
    b1 = np.zeros(H)
    W2 = rng.standard_normal((H, O)) * np.sqrt(2.0 / H)    # drawn second
    b2 = np.zeros(O)

The factor ``sqrt(2 / fan_in)`` is *He initialisation*. It keeps the size of
the activations roughly constant from layer to layer in ReLU networks.
Drawing W2 before W1, or using ``np.random.seed`` / ``np.random.randn``
(numpy's older global generator), gives different numbers.

The training loop (full-batch gradient descent)
-----------------------------------------------
One *epoch* is one pass over the whole data set. Here every epoch uses all N
examples at once, so it is exactly one update:

    for each of the `epochs` epochs:
        1. forward pass with the current parameters; record the loss L
        2. backward pass: dW1, db1, dW2, db2 (all four, from the same
           forward pass)
        3. update every parameter p:  p = p - lr * dp

The loss is recorded *before* the update, so ``losses[0]`` is the loss of the
freshly initialised network and ``losses[-1]`` the loss just before the last
update. ``epochs = 0`` returns the initial parameters and an empty loss
history.

Worked example: one epoch by hand
---------------------------------
Take the network of the backprop exercise's worked example (D = H = O = 1,
N = 2) and ``lr = 0.01``:

    X = [[1], [2]],  Y = [[3], [1]],  W1 = [[1]], b1 = [0], W2 = [[2]], b2 = [1]
    loss = 8.0,  dW1 = [[16]], db1 = [8], dW2 = [[8]], db2 = [4]

    after the update:  W1 = 1 - 0.01·16 = 0.84,  b1 = -0.08,
                       W2 = 2 - 0.01·8  = 1.92,  b2 = 0.96
    new forward pass:  Z1 = [[0.76], [1.6]],  Ŷ = [[2.4192], [4.032]]
    new loss = ((-0.5808)² + 3.032²) / 2 ≈ 4.7652   (down from 8.0)

With train_mlp the starting weights come from the seed, so the numbers
differ. The pattern is the same: a loss history that goes down.

Common misconceptions
---------------------
* Recording the loss *after* the update shifts the whole history by one.
* Updating W2 first and then computing dW1 with the *new* W2. Compute all
  four gradients from one forward pass, then update.
* Forgetting ``lr``, or adding the gradient (``p + lr*dp``): the loss then
  goes up.
* Dividing the MSE gradient by N instead of N·O (see the mse exercise).
* Modifying X or Y (e.g. normalising them in place). Leave the inputs alone.
* Integer inputs: convert X and Y to float64 first.

You may use ``@`` and ``.T`` freely in this exercise.
"""

import numpy as np

__all__ = ["train_mlp"]


def train_mlp(X, Y, hidden, lr, epochs, seed):
    """Train a two-layer ReLU network with full-batch gradient descent on the MSE loss.

    Inputs:
    - X: (N, D) array of inputs, N >= 1, D >= 1
    - Y: (N, O) array of targets, O >= 1
    - hidden: int H >= 1, the number of hidden units
    - lr: learning rate (a number)
    - epochs: int >= 0, the number of gradient-descent updates
    - seed: int, seeds np.random.default_rng for the initialisation

    Initialisation (exactly this, in this order):
        rng = np.random.default_rng(seed)
        W1 = rng.standard_normal((D, H)) * np.sqrt(2.0 / D);  b1 = np.zeros(H)
        W2 = rng.standard_normal((H, O)) * np.sqrt(2.0 / H);  b2 = np.zeros(O)

    Each epoch: forward pass, record the loss mean((Ŷ - Y)²), backward pass,
    then p = p - lr * dp for every parameter p.

    Returns a tuple (params, losses):
    - params: dict with "W1": (D, H), "b1": (H,), "W2": (H, O), "b2": (O,),
      the parameters after all the updates
    - losses: (epochs,) float64 array; losses[e] is the loss just before
      update e (losses[0] is the loss of the initial network)

    Raises:
    - ValueError: if X or Y is not 2-D, if their numbers of rows differ, if
      N, D or O is 0, if hidden < 1, or if epochs < 0.

    The inputs are not modified.

    Example (a straight line, y = 2x + 1, is easy to learn):
    >>> import numpy as np
    >>> X = np.array([[0.0], [0.5], [1.0], [1.5]])
    >>> params, losses = train_mlp(X, 2 * X + 1, hidden=8, lr=0.05, epochs=300, seed=0)
    >>> losses.shape, params["W1"].shape, params["b2"].shape
    ((300,), (1, 8), (1,))
    >>> bool(losses[-1] < 0.01 * losses[0])
    True
    """
    raise NotImplementedError("training: not implemented yet")
