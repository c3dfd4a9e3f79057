"""Mutants and valid variants of the backprop exercise."""

from . import mutant, valid

M = "backprop"

MUTANTS = [
    # --- linear_forward ----------------------------------------------------------------------------
    mutant(M, "linear_forward", "forgets_bias", "computes X @ W and forgets to add the bias b", """
        import numpy as np

        def linear_forward(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] or b.shape != (W.shape[1],):
                raise ValueError("bad shapes")
            return X @ W
    """),
    mutant(M, "linear_forward", "pytorch_layout", "treats W as (H, D), as torch.nn.Linear stores it, and computes X @ W.T + b", """
        import numpy as np

        def linear_forward(X, W, b):
            return X @ W.T + b
    """),
    mutant(M, "linear_forward", "bias_per_example", "adds b down the columns (b[n] to row n) instead of along each row", """
        import numpy as np

        def linear_forward(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] or b.shape != (W.shape[1],):
                raise ValueError("bad shapes")
            return X @ W + b.reshape(-1, 1)
    """),
    mutant(M, "linear_forward", "no_shape_check", "trusts numpy: a 1-D X or a bias of length 1 broadcasts silently", """
        def linear_forward(X, W, b):
            return X @ W + b
    """),
    mutant(M, "linear_forward", "reshapes_bias_in_place", "sets b.shape = (1, H) to make the row vector explicit, changing the caller's array", """
        import numpy as np

        def linear_forward(X, W, b):
            if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] or b.shape != (W.shape[1],):
                raise ValueError("bad shapes")
            b.shape = (1, W.shape[1])
            return X @ W + b
    """),
    mutant(M, "linear_forward", "hadamard", "uses the entrywise product X * W instead of the matrix product", """
        import numpy as np

        def linear_forward(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] or b.shape != (W.shape[1],):
                raise ValueError("bad shapes")
            return X * W + b
    """),

    # --- linear_backward ---------------------------------------------------------------------------
    mutant(M, "linear_backward", "dW_transposed", "computes dW = dZ.T @ X, which has shape (H, D) instead of W's (D, H)", """
        import numpy as np

        def linear_backward(dZ, X, W):
            if dZ.ndim != 2 or X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] \\
                    or dZ.shape != (X.shape[0], W.shape[1]):
                raise ValueError("bad shapes")
            return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)
    """),
    mutant(M, "linear_backward", "dX_not_transposed", "computes dX = dZ @ W, forgetting the transpose", """
        import numpy as np

        def linear_backward(dZ, X, W):
            if dZ.ndim != 2 or X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] \\
                    or dZ.shape != (X.shape[0], W.shape[1]):
                raise ValueError("bad shapes")
            return dZ @ W, X.T @ dZ, dZ.sum(axis=0)
    """),
    mutant(M, "linear_backward", "db_first_row", "takes db from the first example only (dZ[0]) instead of summing over the batch", """
        import numpy as np

        def linear_backward(dZ, X, W):
            if dZ.ndim != 2 or X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] \\
                    or dZ.shape != (X.shape[0], W.shape[1]):
                raise ValueError("bad shapes")
            return dZ @ W.T, X.T @ dZ, dZ[0]
    """),
    mutant(M, "linear_backward", "db_mean", "averages dZ over the batch for db instead of summing", """
        import numpy as np

        def linear_backward(dZ, X, W):
            if dZ.ndim != 2 or X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] \\
                    or dZ.shape != (X.shape[0], W.shape[1]):
                raise ValueError("bad shapes")
            return dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)
    """),
    mutant(M, "linear_backward", "db_wrong_axis", "sums dZ over the outputs (axis 1), giving one number per example", """
        import numpy as np

        def linear_backward(dZ, X, W):
            if dZ.ndim != 2 or X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] \\
                    or dZ.shape != (X.shape[0], W.shape[1]):
                raise ValueError("bad shapes")
            return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)
    """),
    mutant(M, "linear_backward", "dW_averaged", "divides dW by the batch size, as if the layer averaged its gradient", """
        import numpy as np

        def linear_backward(dZ, X, W):
            if dZ.ndim != 2 or X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] \\
                    or dZ.shape != (X.shape[0], W.shape[1]):
                raise ValueError("bad shapes")
            return dZ @ W.T, X.T @ dZ / X.shape[0], dZ.sum(axis=0)
    """),
    mutant(M, "linear_backward", "no_shape_check", "no shape checks: an X whose D differs from W's still gives a dW", """
        def linear_backward(dZ, X, W):
            return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)
    """),

    # --- relu_backward -----------------------------------------------------------------------------
    mutant(M, "relu_backward", "mask_ge_zero", "uses Z >= 0, so the gradient passes at Z == 0 (relu'(0) should be 0)", """
        import numpy as np

        def relu_backward(dA, Z):
            if dA.shape != Z.shape:
                raise ValueError("shapes differ")
            return np.where(Z >= 0, dA, 0.0)
    """),
    mutant(M, "relu_backward", "mask_from_dA", "builds the mask from the upstream gradient (dA > 0) instead of the ReLU input Z", """
        import numpy as np

        def relu_backward(dA, Z):
            if dA.shape != Z.shape:
                raise ValueError("shapes differ")
            return np.where(dA > 0, dA, 0.0)
    """),
    mutant(M, "relu_backward", "returns_mask", "returns relu'(Z) itself and forgets to multiply by dA", """
        import numpy as np

        def relu_backward(dA, Z):
            if dA.shape != Z.shape:
                raise ValueError("shapes differ")
            return (Z > 0).astype(float)
    """),
    mutant(M, "relu_backward", "times_relu", "multiplies dA by relu(Z) instead of by relu'(Z)", """
        import numpy as np

        def relu_backward(dA, Z):
            if dA.shape != Z.shape:
                raise ValueError("shapes differ")
            return dA * np.maximum(Z, 0)
    """),
    mutant(M, "relu_backward", "in_place", "zeroes the entries of dA in place (dA[Z <= 0] = 0) and returns the caller's array", """
        def relu_backward(dA, Z):
            if dA.shape != Z.shape:
                raise ValueError("shapes differ")
            dA[Z <= 0] = 0
            return dA
    """),
    mutant(M, "relu_backward", "no_shape_check", "lets np.where broadcast dA against Z of another shape", """
        import numpy as np

        def relu_backward(dA, Z):
            return np.where(Z > 0, dA, 0.0)
    """),

    # --- mlp_loss_and_grads ------------------------------------------------------------------------
    mutant(M, "mlp_loss_and_grads", "grad_over_N", "divides the MSE gradient by the batch size N instead of N·O", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            Z1 = linear_forward(X, W1, b1)
            A1 = np.maximum(Z1, 0)
            Y_hat = linear_forward(A1, W2, b2)
            if Y.shape != Y_hat.shape:
                raise ValueError("Y has the wrong shape")
            diff = Y_hat - Y
            loss = float(np.mean(diff ** 2))
            dY = 2 * diff / X.shape[0]
            dA1, dW2, db2 = linear_backward(dY, A1, W2)
            _, dW1, db1 = linear_backward(relu_backward(dA1, Z1), X, W1)
            return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    """),
    mutant(M, "mlp_loss_and_grads", "missing_factor_2", "forgets the 2 in the derivative of the square", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            Z1 = linear_forward(X, W1, b1)
            A1 = np.maximum(Z1, 0)
            Y_hat = linear_forward(A1, W2, b2)
            if Y.shape != Y_hat.shape:
                raise ValueError("Y has the wrong shape")
            diff = Y_hat - Y
            loss = float(np.mean(diff ** 2))
            dY = diff / diff.size
            dA1, dW2, db2 = linear_backward(dY, A1, W2)
            _, dW1, db1 = linear_backward(relu_backward(dA1, Z1), X, W1)
            return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    """),
    mutant(M, "mlp_loss_and_grads", "activation_as_derivative", "multiplies dA1 by the activation A1 = relu(Z1) instead of by relu'(Z1)", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            Z1 = X @ W1 + b1
            A1 = np.maximum(Z1, 0)
            Y_hat = A1 @ W2 + b2
            if Y.shape != Y_hat.shape:
                raise ValueError("Y has the wrong shape")
            diff = Y_hat - Y
            loss = float(np.mean(diff ** 2))
            dY = 2 * diff / diff.size
            dA1 = dY @ W2.T
            dZ1 = dA1 * A1
            return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dY, "b2": dY.sum(axis=0)}
    """),
    mutant(M, "mlp_loss_and_grads", "no_relu_backward", "skips the ReLU in the backward pass (dZ1 = dA1)", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            Z1 = linear_forward(X, W1, b1)
            A1 = np.maximum(Z1, 0)
            Y_hat = linear_forward(A1, W2, b2)
            if Y.shape != Y_hat.shape:
                raise ValueError("Y has the wrong shape")
            diff = Y_hat - Y
            loss = float(np.mean(diff ** 2))
            dA1, dW2, db2 = linear_backward(2 * diff / diff.size, A1, W2)
            _, dW1, db1 = linear_backward(dA1, X, W1)
            return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    """),
    mutant(M, "mlp_loss_and_grads", "mask_ge_zero", "builds its own ReLU mask with Z1 >= 0, so units exactly at 0 pass gradient", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            Z1 = X @ W1 + b1
            A1 = np.maximum(Z1, 0)
            Y_hat = A1 @ W2 + b2
            if Y.shape != Y_hat.shape:
                raise ValueError("Y has the wrong shape")
            diff = Y_hat - Y
            loss = float(np.mean(diff ** 2))
            dY = 2 * diff / diff.size
            dZ1 = (dY @ W2.T) * (Z1 >= 0)
            return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dY, "b2": dY.sum(axis=0)}
    """),
    mutant(M, "mlp_loss_and_grads", "dW2_from_preactivation", "uses Z1 (before the ReLU) instead of A1 for dW2", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            Z1 = X @ W1 + b1
            A1 = np.maximum(Z1, 0)
            Y_hat = A1 @ W2 + b2
            if Y.shape != Y_hat.shape:
                raise ValueError("Y has the wrong shape")
            diff = Y_hat - Y
            loss = float(np.mean(diff ** 2))
            dY = 2 * diff / diff.size
            dZ1 = (dY @ W2.T) * (Z1 > 0)
            return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": Z1.T @ dY, "b2": dY.sum(axis=0)}
    """),
    mutant(M, "mlp_loss_and_grads", "loss_over_N", "sums the squared errors and divides by the batch size N only", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            Z1 = X @ W1 + b1
            A1 = np.maximum(Z1, 0)
            Y_hat = A1 @ W2 + b2
            if Y.shape != Y_hat.shape:
                raise ValueError("Y has the wrong shape")
            diff = Y_hat - Y
            loss = float(np.sum(diff ** 2) / X.shape[0])
            dY = 2 * diff / diff.size
            dZ1 = (dY @ W2.T) * (Z1 > 0)
            return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dY, "b2": dY.sum(axis=0)}
    """),
    mutant(M, "mlp_loss_and_grads", "no_target_check", "does not check Y's shape: Y of shape (N,) broadcasts against (N, 1) to (N, N)", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            Z1 = X @ W1 + b1
            A1 = np.maximum(Z1, 0)
            diff = A1 @ W2 + b2 - Y
            loss = float(np.mean(diff ** 2))
            dY = 2 * diff / diff.size
            dZ1 = (dY @ W2.T) * (Z1 > 0)
            return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dY, "b2": dY.sum(axis=0)}
    """),
    mutant(M, "mlp_loss_and_grads", "grads_alias_params", "writes the gradients into params itself (grads = params), overwriting the weights", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            Z1 = linear_forward(X, W1, b1)
            A1 = np.maximum(Z1, 0)
            Y_hat = linear_forward(A1, W2, b2)
            if Y.shape != Y_hat.shape:
                raise ValueError("Y has the wrong shape")
            diff = Y_hat - Y
            loss = float(np.mean(diff ** 2))
            dA1, dW2, db2 = linear_backward(2 * diff / diff.size, A1, W2)
            _, dW1, db1 = linear_backward(relu_backward(dA1, Z1), X, W1)
            grads = params
            grads["W1"], grads["b1"], grads["W2"], grads["b2"] = dW1, db1, dW2, db2
            return loss, grads
    """),
]

VALID = [
    # --- linear_forward ----------------------------------------------------------------------------
    valid(M, "linear_forward", "einsum", "np.einsum for the product, bias added with an explicit new axis", """
        import numpy as np

        def linear_forward(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or b.ndim != 1 or X.shape[1] != W.shape[0] or len(b) != W.shape[1]:
                raise ValueError("shapes do not fit")
            return np.einsum("nd,dh->nh", X, W) + b[np.newaxis, :]
    """),
    valid(M, "linear_forward", "loops_float32", "triple loop accumulating in the inputs' float type (float32 for float32 inputs)", """
        import numpy as np

        def linear_forward(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or b.shape != (W.shape[1],) or X.shape[1] != W.shape[0]:
                raise ValueError("shapes do not fit")
            dtype = np.result_type(X, W, b, np.float32)
            N, D = X.shape
            H = W.shape[1]
            Z = np.empty((N, H), dtype=dtype)
            for n in range(N):
                for h in range(H):
                    acc = dtype.type(b[h])
                    for d in range(D):
                        acc = dtype.type(acc + dtype.type(X[n, d]) * dtype.type(W[d, h]))
                    Z[n, h] = acc
            return Z
    """),
    valid(M, "linear_forward", "row_by_row", "one row at a time with np.dot (bias first), stacked with np.array", """
        import numpy as np

        def linear_forward(X, W, b):
            X, W, b = np.asarray(X), np.asarray(W), np.asarray(b)
            if X.ndim != 2 or W.ndim != 2 or b.shape != (W.shape[1],) or X.shape[1] != W.shape[0]:
                raise ValueError("shapes do not fit")
            return np.array([b + np.dot(row, W) for row in X]).reshape(X.shape[0], W.shape[1])
    """),

    # --- linear_backward ---------------------------------------------------------------------------
    valid(M, "linear_backward", "loops", "explicit loops over every index, returning a list", """
        import numpy as np

        def linear_backward(dZ, X, W):
            dZ, X, W = np.asarray(dZ), np.asarray(X), np.asarray(W)
            if dZ.ndim != 2 or X.ndim != 2 or W.ndim != 2:
                raise ValueError("need 2-D arrays")
            N, D = X.shape
            H = W.shape[1]
            if W.shape[0] != D or dZ.shape != (N, H):
                raise ValueError("shapes do not fit")
            dX, dW, db = np.zeros((N, D)), np.zeros((D, H)), np.zeros(H)
            for n in range(N):
                for h in range(H):
                    db[h] += dZ[n, h]
                    for d in range(D):
                        dX[n, d] += dZ[n, h] * W[d, h]
                        dW[d, h] += X[n, d] * dZ[n, h]
            return [dX, dW, db]
    """),
    valid(M, "linear_backward", "einsum_ones", "einsum for the products and a vector of ones for the bias sum", """
        import numpy as np

        def linear_backward(dZ, X, W):
            dZ, X, W = np.asarray(dZ), np.asarray(X), np.asarray(W)
            if not (dZ.ndim == X.ndim == W.ndim == 2) or X.shape[1] != W.shape[0] \\
                    or dZ.shape != (X.shape[0], W.shape[1]):
                raise ValueError("shapes do not fit")
            dX = np.einsum("nh,dh->nd", dZ, W)
            dW = np.einsum("nd,nh->dh", X, dZ)
            db = np.ones(X.shape[0]) @ dZ
            return dX, dW, db
    """),
    valid(M, "linear_backward", "transpose_of_product", "dW as (dZ.T @ X).T and dX as (W @ dZ.T).T, in the inputs' precision", """
        import numpy as np

        def linear_backward(dZ, X, W):
            dZ, X, W = np.asarray(dZ), np.asarray(X), np.asarray(W)
            if dZ.ndim != 2 or X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] \\
                    or dZ.shape != (X.shape[0], W.shape[1]):
                raise ValueError("shapes do not fit")
            return (W @ dZ.T).T, (dZ.T @ X).T, np.add.reduce(dZ, axis=0)
    """),

    # --- relu_backward -----------------------------------------------------------------------------
    valid(M, "relu_backward", "multiply_mask", "multiplies dA by the boolean mask Z > 0", """
        import numpy as np

        def relu_backward(dA, Z):
            dA, Z = np.asarray(dA), np.asarray(Z)
            if dA.shape != Z.shape:
                raise ValueError("dA and Z must have the same shape")
            return dA * (Z > 0)
    """),
    valid(M, "relu_backward", "copy_then_zero", "copies dA and zeroes the copy where Z <= 0", """
        import numpy as np

        def relu_backward(dA, Z):
            if np.shape(dA) != np.shape(Z):
                raise ValueError("dA and Z must have the same shape")
            dZ = np.array(dA, dtype=float, copy=True)
            dZ[Z <= 0] = 0
            return dZ
    """),
    valid(M, "relu_backward", "heaviside_loop", "np.heaviside(Z, 0) entry by entry in a loop over np.ndindex", """
        import numpy as np

        def relu_backward(dA, Z):
            dA, Z = np.asarray(dA), np.asarray(Z)
            if dA.shape != Z.shape:
                raise ValueError("dA and Z must have the same shape")
            out = np.zeros(dA.shape)
            for idx in np.ndindex(dA.shape):
                out[idx] = dA[idx] * np.heaviside(Z[idx], 0.0)
            return out
    """),

    # --- mlp_loss_and_grads ------------------------------------------------------------------------
    valid(M, "mlp_loss_and_grads", "scale_last", "backpropagates Ŷ - Y unscaled and multiplies every gradient by 2/(N·O) at the end", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            X, Y = np.asarray(X), np.asarray(Y)
            W1, b1, W2, b2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))
            if X.ndim != 2 or W1.shape[0] != X.shape[1] or b1.shape != (W1.shape[1],) \\
                    or W2.shape[0] != W1.shape[1] or b2.shape != (W2.shape[1],) \\
                    or Y.shape != (X.shape[0], W2.shape[1]):
                raise ValueError("shapes do not fit")
            Z1 = X @ W1 + b1
            A1 = np.where(Z1 > 0, Z1, 0)
            r = A1 @ W2 + b2 - Y
            scale = 2.0 / r.size
            g1 = (r @ W2.T) * (Z1 > 0)
            grads = {"b2": scale * r.sum(axis=0), "W2": scale * (A1.T @ r),
                     "b1": scale * g1.sum(axis=0), "W1": scale * (X.T @ g1)}
            return np.sum(r * r) / r.size, grads
    """),
    valid(M, "mlp_loss_and_grads", "per_example_loop", "accumulates per-example gradients in a loop over the batch, with einsum", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            X, Y = np.asarray(X), np.asarray(Y)
            p = {k: np.asarray(v) for k, v in params.items()}
            N, D = X.shape
            H, O = p["W2"].shape
            if p["W1"].shape != (D, H) or p["b1"].shape != (H,) or p["b2"].shape != (O,) or Y.shape != (N, O):
                raise ValueError("shapes do not fit")
            grads = {k: np.zeros(v.shape) for k, v in p.items()}
            loss = 0.0
            for n in range(N):
                z = np.einsum("d,dh->h", X[n], p["W1"]) + p["b1"]
                a = np.maximum(z, 0.0)
                r = np.einsum("h,ho->o", a, p["W2"]) + p["b2"] - Y[n]
                loss += float(np.dot(r, r))
                g = 2.0 * r / (N * O)
                grads["W2"] += np.outer(a, g)
                grads["b2"] += g
                gz = (p["W2"] @ g) * (z > 0)
                grads["W1"] += np.outer(X[n], gz)
                grads["b1"] += gz
            return loss / (N * O), grads
    """),
    valid(M, "mlp_loss_and_grads", "mask_from_activation", "takes the ReLU mask from the activation (A1 > 0, the same as Z1 > 0) and uses np.dot", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            A1 = np.maximum(linear_forward(X, W1, b1), 0)
            Y_hat = np.dot(A1, W2) + b2
            if np.shape(Y) != Y_hat.shape:
                raise ValueError("Y does not match the output")
            dY = 2 * (Y_hat - Y) / Y_hat.size
            dZ1 = np.dot(dY, W2.T) * (A1 > 0)
            grads = dict(W2=np.dot(A1.T, dY), b2=dY.sum(axis=0), W1=np.dot(X.T, dZ1), b1=dZ1.sum(axis=0))
            return np.mean((Y_hat - Y) ** 2), grads
    """),
    valid(M, "mlp_loss_and_grads", "list_and_float32", "returns a list [loss, grads], working in float32 when the inputs are float32", """
        import numpy as np

        def mlp_loss_and_grads(X, Y, params):
            dtype = np.result_type(X, Y, *params.values(), np.float32)
            X, Y = np.asarray(X, dtype=dtype), np.asarray(Y, dtype=dtype)
            W1, b1, W2, b2 = (np.asarray(params[k], dtype=dtype) for k in ("W1", "b1", "W2", "b2"))
            Z1 = linear_forward(X, W1, b1)
            Y_hat = linear_forward(np.maximum(Z1, 0), W2, b2)
            if Y.shape != Y_hat.shape:
                raise ValueError("Y does not match the output")
            dY = dtype.type(2) * (Y_hat - Y) / dtype.type(Y.size)
            dA1, dW2, db2 = linear_backward(dY, np.maximum(Z1, 0), W2)
            _, dW1, db1 = linear_backward(relu_backward(dA1, Z1), X, W1)
            return [np.mean((Y_hat - Y) ** 2), dict(W1=dW1, b1=db1, W2=dW2, b2=db2)]
    """),
]
