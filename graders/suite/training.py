"""Mutants and valid variants of the training exercise."""

import textwrap

from . import mutant, valid

M = "training"

# A correct train_mlp with one line replaced marks each mutant's mistake plainly.
_CORRECT = '''
import numpy as np

def train_mlp(X, Y, hidden, lr, epochs, seed):
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[0] != Y.shape[0] or 0 in X.shape or Y.shape[1] == 0:
        raise ValueError("bad shapes")
    if hidden < 1 or epochs < 0:
        raise ValueError("bad sizes")
    N, D = X.shape
    O = Y.shape[1]
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((D, hidden)) * np.sqrt(2.0 / D)
    b1 = np.zeros(hidden)
    W2 = rng.standard_normal((hidden, O)) * np.sqrt(2.0 / hidden)
    b2 = np.zeros(O)
    losses = []
    for epoch in range(epochs):
        Z1 = X @ W1 + b1
        A1 = np.maximum(Z1, 0)
        diff = A1 @ W2 + b2 - Y
        losses.append(np.mean(diff ** 2))
        dY = 2 * diff / diff.size
        dW2 = A1.T @ dY
        db2 = dY.sum(axis=0)
        dZ1 = (dY @ W2.T) * (Z1 > 0)
        dW1 = X.T @ dZ1
        db1 = dZ1.sum(axis=0)
        W1 = W1 - lr * dW1
        b1 = b1 - lr * db1
        W2 = W2 - lr * dW2
        b2 = b2 - lr * db2
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, np.array(losses)
'''


def _edit(*pairs) -> str:
    """The correct version with (old, new) line replacements applied (each old must occur once)."""
    source = textwrap.dedent(_CORRECT)
    for old, new in pairs:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    return source


MUTANTS = [
    mutant(M, "train_mlp", "loss_after_update",
           "records the loss after the update instead of before it, so the history is shifted by one epoch",
           _edit(("        losses.append(np.mean(diff ** 2))\n", ""),
                 ("        b2 = b2 - lr * db2\n",
                  "        b2 = b2 - lr * db2\n"
                  "        losses.append(np.mean((np.maximum(X @ W1 + b1, 0) @ W2 + b2 - Y) ** 2))\n"))),
    mutant(M, "train_mlp", "draws_w2_first", "draws W2 from the generator before W1, so both get other numbers",
           _edit(("    W1 = rng.standard_normal((D, hidden)) * np.sqrt(2.0 / D)\n", ""),
                 ("    b2 = np.zeros(O)\n",
                  "    b2 = np.zeros(O)\n    W1 = rng.standard_normal((D, hidden)) * np.sqrt(2.0 / D)\n"))),
    mutant(M, "train_mlp", "legacy_global_rng",
           "seeds numpy's old global generator (np.random.seed + randn) instead of default_rng(seed)",
           _edit(("    rng = np.random.default_rng(seed)\n", "    np.random.seed(seed % 2**32)\n"),
                 ("    W1 = rng.standard_normal((D, hidden))", "    W1 = np.random.randn(D, hidden)"),
                 ("    W2 = rng.standard_normal((hidden, O))", "    W2 = np.random.randn(hidden, O)"))),
    mutant(M, "train_mlp", "xavier_scale", "scales the weights by sqrt(1 / fan_in) (Xavier/LeCun) instead of sqrt(2 / fan_in)",
           _edit(("np.sqrt(2.0 / D)", "np.sqrt(1.0 / D)"), ("np.sqrt(2.0 / hidden)", "np.sqrt(1.0 / hidden)"))),
    mutant(M, "train_mlp", "small_positive_biases",
           "starts the hidden biases at 0.01 (a ReLU folk trick) instead of zeros",
           _edit(("    b1 = np.zeros(hidden)\n", "    b1 = np.full(hidden, 0.01)\n"))),
    mutant(M, "train_mlp", "divides_by_batch", "divides the MSE gradient by N instead of N·O",
           _edit(("        dY = 2 * diff / diff.size\n", "        dY = 2 * diff / N\n"))),
    mutant(M, "train_mlp", "uses_updated_w2",
           "updates W2 before backpropagating to the hidden layer, so dW1 is computed with the new W2",
           _edit(("        dZ1 = (dY @ W2.T) * (Z1 > 0)\n",
                  "        W2 = W2 - lr * dW2\n        dZ1 = (dY @ W2.T) * (Z1 > 0)\n"),
                 ("        W2 = W2 - lr * dW2\n        b2", "        b2"))),
    mutant(M, "train_mlp", "rebinds_loop_variable",
           "updates the parameters with `for p, g in ...: p = p - lr * g`, which rebinds a name and changes nothing",
           _edit(("        W1 = W1 - lr * dW1\n        b1 = b1 - lr * db1\n        W2 = W2 - lr * dW2\n"
                  "        b2 = b2 - lr * db2\n",
                  "        for p, g in zip((W1, b1, W2, b2), (dW1, db1, dW2, db2)):\n            p = p - lr * g\n"))),
    mutant(M, "train_mlp", "gradient_ascent", "adds the gradients (p + lr·dp), so the loss grows",
           _edit(("W1 = W1 - lr", "W1 = W1 + lr"), ("b1 = b1 - lr", "b1 = b1 + lr"),
                 ("W2 = W2 - lr", "W2 = W2 + lr"), ("b2 = b2 - lr", "b2 = b2 + lr"))),
    mutant(M, "train_mlp", "records_final_loss",
           "also appends the loss after the last update, returning epochs + 1 losses",
           _edit(("    return {", "    losses.append(np.mean((np.maximum(X @ W1 + b1, 0) @ W2 + b2 - Y) ** 2))\n"
                                  "    return {"))),
    mutant(M, "train_mlp", "forgets_bias_updates", "updates the weights but never the biases",
           _edit(("        b1 = b1 - lr * db1\n", ""), ("        b2 = b2 - lr * db2\n", ""))),
    mutant(M, "train_mlp", "centres_data_in_place",
           "centres the caller's X in place (X -= X.mean(axis=0)) as preprocessing, changing the learner's "
           "problem and the caller's array",
           _edit(("    X = np.asarray(X, dtype=np.float64)\n",
                  "    if np.asarray(X).dtype.kind == 'f' and np.ndim(X) == 2:\n"
                  "        X -= X.mean(axis=0)\n"
                  "    X = np.asarray(X, dtype=np.float64)\n"))),
    mutant(M, "train_mlp", "no_input_checks",
           "does not validate its inputs: a 1-D Y broadcasts against the (N, 1) output, hidden = 0 and "
           "epochs = -1 run without complaint",
           _edit(("    if X.ndim != 2 or Y.ndim != 2 or X.shape[0] != Y.shape[0] or 0 in X.shape or Y.shape[1] == 0:\n"
                  "        raise ValueError(\"bad shapes\")\n"
                  "    if hidden < 1 or epochs < 0:\n"
                  "        raise ValueError(\"bad sizes\")\n", ""))),
]

VALID = [
    valid(M, "train_mlp", "helpers_and_dicts",
          "inner helper functions, a params dict updated in place, rng.normal(0, scale, size) for the draws, "
          "einsum for the products and np.where for the ReLU mask", """
        import numpy as np

        def train_mlp(X, Y, hidden, lr, epochs, seed):
            X = np.array(X, dtype=float)
            Y = np.array(Y, dtype=float)
            if X.ndim != 2 or Y.ndim != 2:
                raise ValueError("X and Y must be 2-D")
            (N, D), O = X.shape, Y.shape[1]
            if N == 0 or D == 0 or O == 0 or Y.shape[0] != N or hidden < 1 or epochs < 0:
                raise ValueError("bad sizes")
            rng = np.random.default_rng(seed)
            params = {}
            params["W1"] = rng.normal(0.0, np.sqrt(2.0 / D), size=(D, hidden))
            params["b1"] = np.zeros(hidden)
            params["W2"] = rng.normal(0.0, np.sqrt(2.0 / hidden), size=(hidden, O))
            params["b2"] = np.zeros(O)

            def forward(p):
                Z1 = np.einsum("nd,dh->nh", X, p["W1"]) + p["b1"]
                A1 = np.where(Z1 > 0, Z1, 0.0)
                return Z1, A1, np.einsum("nh,ho->no", A1, p["W2"]) + p["b2"]

            def gradients(p, Z1, A1, Y_hat):
                dY = (2.0 / Y_hat.size) * (Y_hat - Y)
                dZ1 = np.where(Z1 > 0, np.einsum("no,ho->nh", dY, p["W2"]), 0.0)
                return {"W1": np.einsum("nd,nh->dh", X, dZ1), "b1": np.sum(dZ1, axis=0),
                        "W2": np.einsum("nh,no->ho", A1, dY), "b2": np.sum(dY, axis=0)}

            losses = np.zeros(epochs)
            for epoch in range(epochs):
                Z1, A1, Y_hat = forward(params)
                losses[epoch] = np.sum((Y_hat - Y) ** 2) / Y_hat.size
                grads = gradients(params, Z1, A1, Y_hat)
                for name in params:
                    params[name] -= lr * grads[name]
            return params, losses
    """),
    valid(M, "train_mlp", "explicit_loops_over_examples",
          "accumulates the gradients example by example (a sum over the batch written as a loop)", """
        import numpy as np

        def train_mlp(X, Y, hidden, lr, epochs, seed):
            X = np.asarray(X, dtype=np.float64)
            Y = np.asarray(Y, dtype=np.float64)
            if X.ndim != 2 or Y.ndim != 2 or len(X) != len(Y) or X.size == 0 or Y.size == 0:
                raise ValueError("need X: (N, D), Y: (N, O), nonempty")
            if hidden < 1 or epochs < 0:
                raise ValueError("need hidden >= 1 and epochs >= 0")
            N, D = X.shape
            O = Y.shape[1]
            rng = np.random.default_rng(seed)
            W1 = rng.standard_normal((D, hidden)) * (2.0 / D) ** 0.5
            b1 = np.zeros(hidden)
            W2 = rng.standard_normal((hidden, O)) * (2.0 / hidden) ** 0.5
            b2 = np.zeros(O)
            losses = []
            for _ in range(epochs):
                gW1, gb1 = np.zeros_like(W1), np.zeros_like(b1)
                gW2, gb2 = np.zeros_like(W2), np.zeros_like(b2)
                total = 0.0
                for n in range(N):
                    z = X[n] @ W1 + b1
                    a = np.maximum(z, 0.0)
                    r = a @ W2 + b2 - Y[n]
                    total += float(np.sum(r * r))
                    dy = 2.0 * r / (N * O)
                    gW2 += np.outer(a, dy)
                    gb2 += dy
                    dz = (W2 @ dy) * (z > 0)
                    gW1 += np.outer(X[n], dz)
                    gb1 += dz
                losses.append(total / (N * O))
                W1, b1, W2, b2 = W1 - lr * gW1, b1 - lr * gb1, W2 - lr * gW2, b2 - lr * gb2
            return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, np.array(losses, dtype=float)
    """),
]
