"""Exercise: preparing data — feature scaling and a reproducible train/validation split.

Before a network sees any data, the data is put into shape. This exercise
covers two steps that every training script has: bringing the features to
comparable scales, and holding out part of the data to measure how well the
model generalises.

The data matrix
---------------
    X: (N, D)    N examples (rows), D features (columns)

A **column** is one feature measured on every example, for instance age in
years in one column and income in euros in another. Scaling works **per
column**, with statistics taken *over the batch axis* (``axis=0``, down the
rows). Every feature gets its own minimum, maximum, mean and standard
deviation, each of shape ``(D,)``, and numpy broadcasting applies them to
every row.

Why scale? With one feature in the tens of thousands and another near 1, the
loss surface is a long, thin valley. Gradient descent zig-zags across it, and
a step size that suits one feature is far too large for the other.

Min-max scaling
---------------
    out[:, j] = (X[:, j] - min_j) / (max_j - min_j)         every column in [0, 1]

The smallest value of each column becomes 0 and the largest becomes 1.

Standardisation (z-scores)
--------------------------
    out[:, j] = (X[:, j] - mean_j) / std_j                  mean 0, std 1 per column
    mean_j = (1/N) Σ_n X[n, j],    std_j = sqrt((1/N) Σ_n (X[n, j] - mean_j)²)

This uses the population standard deviation (divide by N, numpy's default
``ddof=0``), not the sample version that divides by N - 1. Compute the
variance as the mean of the squared *deviations*. The shortcut
``mean(x²) - mean(x)²`` is mathematically equal, but it cancels
catastrophically when the mean is large compared to the spread (it can even
come out negative).

Constant columns: the convention
--------------------------------
A column whose values are all equal has ``max - min = 0`` and ``std = 0``,
and dividing by it gives ``nan``. Such a column carries no information, so
both functions map it to **0.0** everywhere. Detect it with
``max == min``, not with ``std == 0``. The floating-point mean of
``[0.1, 0.1, 0.1]`` is ``0.10000000000000002``, so its computed std is
``1.4e-17``, not 0, and dividing by that gives garbage. Do not add a small
epsilon to the denominator either. That changes the values of every column
whose spread is small.

Both scalers need at least one row (the minimum or mean of nothing is
undefined) and raise ``ValueError`` for ``N = 0`` or a ``X`` that is not 2-D.
(A single feature is a column, shape ``(N, 1)``.) Values are assumed to be of
ordinary size: finite, with ``max - min`` finite, and with squared deviations
that do not underflow.

Worked example
--------------
    X = [[1, 10, 5],
         [2, 30, 5],
         [3, 20, 5]]           the last column is constant

    min_max_scale(X) = [[0.0, 0.0, 0.0],      column 0: (x - 1) / 2
                        [0.5, 1.0, 0.0],      column 1: (x - 10) / 20
                        [1.0, 0.5, 0.0]]      column 2: constant -> 0

    means = [2, 20, 5],  stds = [0.8165, 8.165, 0]
    standardize(X) = [[-1.2247, -1.2247, 0.0],
                      [ 0.0,     1.2247, 0.0],
                      [ 1.2247,  0.0,    0.0]]

A train/validation split
------------------------
A model is trained on one part of the data and evaluated on rows it has
never seen. ``train_val_split(X, Y, val_fraction, seed)`` puts

    n_val   = round(val_fraction * N)    rows into the validation set,
    n_train = N - n_val                  rows into the training set.

``round`` is Python's built-in ``round`` (the same as ``np.round``). Exact
halves go to the even neighbour: ``round(0.5) = 0``, ``round(1.5) = 2``,
``round(2.5) = 2``. So a 70/30 split of ``N = 10`` rows is 7 + 3, an 80/20
split of 12 rows is 10 + 2 (``round(2.4) = 2``), and a 90/10 split of 15
rows is 13 + 2 (``round(1.5) = 2``).

Which rows go where is random, but **reproducible**. Draw the randomness from
``rng = np.random.default_rng(seed)``, never from numpy's global random
state. The same seed must always give the same split, and different seeds
should give different splits. For example, shuffle the row indices with
``perm = rng.permutation(N)``, then take the first ``n_val`` indices for
validation and the rest for training. Any procedure with these properties is
accepted, and the order of rows inside each part does not matter.

**Rows stay paired.** ``Y[n]`` is the target of ``X[n]``. Index ``X`` and
``Y`` with the *same* indices. Shuffling them separately destroys the
dataset. (``np.random.shuffle(X)`` is doubly wrong: it shuffles the caller's
``X`` in place, and ``Y`` is not shuffled along with it.)

Common misconceptions
---------------------
* ``axis=1`` computes statistics per *example* instead of per *feature*.
* In a real pipeline, the scaling statistics come from the *training* split
  only and are then reused, unchanged, on the validation split. Computing
  them on all the data first "leaks" information about the validation rows
  into training. (Here each function just scales the X it is given.)
* ``int(val_fraction * N)`` truncates instead of rounding. In floating
  point ``0.3 * 3`` is ``0.8999999999999999``, so ``int`` gives 0 rows where
  ``round`` gives 1. Use ``round``.

No shortcuts are forbidden. None of the functions modifies its inputs.
"""

import numpy as np

__all__ = ["min_max_scale", "standardize", "train_val_split"]


def min_max_scale(X):
    """Scale every column of X to [0, 1]: (X - min) / (max - min), per column.

    Inputs:
    - X: (N, D) array, N >= 1 (float or integer), one example per row

    Returns:
    - out: new (N, D) float array. In each column the minimum becomes 0.0 and
      the maximum 1.0. A constant column (max == min) becomes all 0.0.

    Raises:
    - ValueError: if X is not 2-D or has no rows.

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> min_max_scale(np.array([[1, 10, 5], [2, 30, 5], [3, 20, 5]]))
    array([[0. , 0. , 0. ],
           [0.5, 1. , 0. ],
           [1. , 0.5, 0. ]])
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be (N, D) with N >= 1, got shape {X.shape}")
    lo, hi = X.min(axis=0), X.max(axis=0)  # (D,) each: statistics over the rows
    span = hi - lo
    constant = span == 0
    return np.where(constant, 0.0, (X - lo) / np.where(constant, 1.0, span))
    ### END SOLUTION


def standardize(X):
    """Give every column of X mean 0 and standard deviation 1: (X - mean) / std.

    Inputs:
    - X: (N, D) array, N >= 1 (float or integer), one example per row

    Returns:
    - out: new (N, D) float array, (X - mean) / std column by column, with
      the population std (ddof=0, divide by N). A constant column (all values
      equal) becomes all 0.0.

    Raises:
    - ValueError: if X is not 2-D or has no rows.

    The input is not modified.

    Example:
    >>> import numpy as np
    >>> np.round(standardize(np.array([[1, 10, 5], [2, 30, 5], [3, 20, 5]])), 4)
    array([[-1.2247, -1.2247,  0.    ],
           [ 0.    ,  1.2247,  0.    ],
           [ 1.2247,  0.    ,  0.    ]])
    """
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be (N, D) with N >= 1, got shape {X.shape}")
    mean = X.mean(axis=0)  # (D,)
    std = np.sqrt(np.mean((X - mean) ** 2, axis=0))  # (D,), ddof=0
    constant = X.max(axis=0) == X.min(axis=0)  # not std == 0: rounding makes it tiny
    return np.where(constant, 0.0, (X - mean) / np.where(constant, 1.0, std))
    ### END SOLUTION


def train_val_split(X, Y, val_fraction, seed):
    """Split the rows of (X, Y) at random, reproducibly, into training and validation parts.

    Inputs:
    - X: (N, ...) array, one example per row (any number of dimensions >= 1)
    - Y: (N, ...) array, the targets, with the same N
    - val_fraction: float between 0 and 1, the share of rows for validation
    - seed: int, seeds np.random.default_rng. The same seed gives the same
      split.

    Returns a tuple (X_train, X_val, Y_train, Y_val) of new arrays:
    - X_val: (n_val, ...) with n_val = round(val_fraction * N), Python's round
    - X_train: (N - n_val, ...), the other rows
    - Y_val, Y_train: the rows of Y with the same indices as X_val, X_train
    Every row of X lands in exactly one of X_train and X_val, paired with its
    own row of Y. The order inside each part does not matter.

    Raises:
    - ValueError: if X or Y is 0-d, if their numbers of rows differ, or if
      val_fraction is not between 0 and 1.

    The inputs are not modified.

    Example:
    >>> import numpy as np
    >>> X = np.arange(10).reshape(5, 2)
    >>> Y = np.array([0, 1, 2, 3, 4])
    >>> X_train, X_val, Y_train, Y_val = train_val_split(X, Y, 0.4, seed=0)
    >>> X_train.shape, X_val.shape, Y_train.shape, Y_val.shape
    ((3, 2), (2, 2), (3,), (2,))
    >>> bool(np.all(X_val[:, 0] == 2 * Y_val))  # X[n] = [2n, 2n+1]: pairs kept
    True
    """
    ### BEGIN SOLUTION
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim == 0 or Y.ndim == 0 or X.shape[0] != Y.shape[0]:
        raise ValueError(f"X and Y need the same number of rows, got shapes {X.shape} and {Y.shape}")
    if not 0 <= val_fraction <= 1:  # also refuses nan
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    N = X.shape[0]
    n_val = round(val_fraction * N)
    perm = np.random.default_rng(seed).permutation(N)  # a shuffled 0..N-1, fixed by the seed
    val, train = perm[:n_val], perm[n_val:]
    return X[train], X[val], Y[train], Y[val]  # the same indices for X and Y: pairs kept
    ### END SOLUTION
