"""Mutants and valid variants of ``one_hot`` and ``softmax_cross_entropy``."""

from . import mutant, valid

M, OH, CE = "cross_entropy", "one_hot", "softmax_cross_entropy"

MUTANTS = [
    # --- one_hot ---------------------------------------------------------------------------------
    mutant(M, OH, "eye_rows_unchecked", "np.eye(C)[labels] with no checks: -1 silently picks the "
           "last class, C raises IndexError, 1.5 raises IndexError", """
        import numpy as np

        def one_hot(labels, num_classes):
            return np.eye(num_classes)[labels]
    """),
    mutant(M, OH, "transposed", "one row per class and one column per label: (C, N)", """
        import numpy as np

        def one_hot(labels, num_classes):
            labels = np.asarray(labels)
            if labels.ndim != 1 or labels.dtype.kind not in "iu":
                raise ValueError("labels must be 1-D integers")
            if np.any(labels < 0) or np.any(labels >= num_classes):
                raise ValueError("label out of range")
            Y = np.zeros((num_classes, len(labels)))
            Y[labels, np.arange(len(labels))] = 1.0
            return Y
    """),
    mutant(M, OH, "classes_from_data", "uses labels.max() + 1 as the number of classes instead of "
           "num_classes", """
        import numpy as np

        def one_hot(labels, num_classes):
            labels = np.asarray(labels)
            if labels.ndim != 1 or labels.dtype.kind not in "iu":
                raise ValueError("labels must be 1-D integers")
            if np.any(labels < 0) or np.any(labels >= num_classes):
                raise ValueError("label out of range")
            C = int(labels.max()) + 1 if len(labels) else num_classes
            Y = np.zeros((len(labels), C))
            Y[np.arange(len(labels)), labels] = 1.0
            return Y
    """),
    mutant(M, OH, "whole_columns", "Y[:, labels] = 1 sets every row's entries for all the labels "
           "present", """
        import numpy as np

        def one_hot(labels, num_classes):
            labels = np.asarray(labels)
            if labels.ndim != 1 or labels.dtype.kind not in "iu":
                raise ValueError("labels must be 1-D integers")
            if np.any(labels < 0) or np.any(labels >= num_classes):
                raise ValueError("label out of range")
            Y = np.zeros((len(labels), num_classes))
            Y[:, labels] = 1.0
            return Y
    """),
    mutant(M, OH, "truncates_fractions", "converts labels with astype(int), so 1.5 quietly becomes "
           "class 1", """
        import numpy as np

        def one_hot(labels, num_classes):
            labels = np.asarray(labels)
            if labels.ndim != 1:
                raise ValueError("labels must be 1-D")
            labels = labels.astype(int)
            if np.any(labels < 0) or np.any(labels >= num_classes):
                raise ValueError("label out of range")
            Y = np.zeros((len(labels), num_classes))
            Y[np.arange(len(labels)), labels] = 1.0
            return Y
    """),
    mutant(M, OH, "upper_bound_only", "checks labels < C but forgets negative labels", """
        import numpy as np

        def one_hot(labels, num_classes):
            labels = np.asarray(labels)
            if labels.ndim != 1 or labels.dtype.kind not in "iu":
                raise ValueError("labels must be 1-D integers")
            if np.any(labels >= num_classes):
                raise ValueError("label out of range")
            Y = np.zeros((len(labels), num_classes))
            Y[np.arange(len(labels)), labels] = 1.0
            return Y
    """),
    # --- softmax_cross_entropy -------------------------------------------------------------------
    mutant(M, CE, "naive", "softmax without the max subtraction, then log: exp(1e4) = inf gives "
           "nan", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            Z = np.asarray(logits, dtype=float)
            if Z.ndim != 2 or Z.shape[0] == 0:
                raise ValueError("logits must be (N, C)")
            N, C = Z.shape
            Y = one_hot(labels, C)
            if Y.shape[0] != N:
                raise ValueError("one label per row")
            P = np.exp(Z) / np.sum(np.exp(Z), axis=1, keepdims=True)
            loss = -np.mean(np.log(P[np.arange(N), np.asarray(labels)]))
            return float(loss), (P - Y) / N
    """),
    mutant(M, CE, "log_of_softmax", "a stable softmax, but the loss takes log(P): a probability "
           "that underflows to 0 gives an infinite loss", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            Z = np.asarray(logits, dtype=float)
            if Z.ndim != 2 or Z.shape[0] == 0:
                raise ValueError("logits must be (N, C)")
            N, C = Z.shape
            Y = one_hot(labels, C)
            if Y.shape[0] != N:
                raise ValueError("one label per row")
            E = np.exp(Z - Z.max(axis=1, keepdims=True))
            P = E / E.sum(axis=1, keepdims=True)
            loss = -np.mean(np.log(P[np.arange(N), np.asarray(labels)]))
            return float(loss), (P - Y) / N
    """),
    mutant(M, CE, "gradient_not_averaged", "returns softmax - one_hot without dividing by N", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            Z = np.asarray(logits, dtype=float)
            if Z.ndim != 2 or Z.shape[0] == 0:
                raise ValueError("logits must be (N, C)")
            N, C = Z.shape
            Y = one_hot(labels, C)
            if Y.shape[0] != N:
                raise ValueError("one label per row")
            shifted = Z - Z.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return float(-np.sum(Y * log_probs) / N), np.exp(log_probs) - Y
    """),
    mutant(M, CE, "summed_loss", "adds up the per-example losses instead of averaging them", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            Z = np.asarray(logits, dtype=float)
            if Z.ndim != 2 or Z.shape[0] == 0:
                raise ValueError("logits must be (N, C)")
            N, C = Z.shape
            Y = one_hot(labels, C)
            if Y.shape[0] != N:
                raise ValueError("one label per row")
            shifted = Z - Z.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return float(-np.sum(Y * log_probs)), (np.exp(log_probs) - Y) / N
    """),
    mutant(M, CE, "softmax_over_batch", "normalises down the columns (axis=0) instead of along "
           "each row", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            Z = np.asarray(logits, dtype=float)
            if Z.ndim != 2 or Z.shape[0] == 0:
                raise ValueError("logits must be (N, C)")
            N, C = Z.shape
            Y = one_hot(labels, C)
            if Y.shape[0] != N:
                raise ValueError("one label per row")
            shifted = Z - Z.max(axis=0, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
            return float(-np.sum(Y * log_probs) / N), (np.exp(log_probs) - Y) / N
    """),
    mutant(M, CE, "forgot_one_hot", "the gradient is softmax / N, without subtracting the one-hot "
           "labels", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            Z = np.asarray(logits, dtype=float)
            if Z.ndim != 2 or Z.shape[0] == 0:
                raise ValueError("logits must be (N, C)")
            N, C = Z.shape
            Y = one_hot(labels, C)
            if Y.shape[0] != N:
                raise ValueError("one label per row")
            shifted = Z - Z.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return float(-np.sum(Y * log_probs) / N), np.exp(log_probs) / N
    """),
    mutant(M, CE, "flipped_sign", "returns (one_hot - softmax) / N, the negative gradient", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            Z = np.asarray(logits, dtype=float)
            if Z.ndim != 2 or Z.shape[0] == 0:
                raise ValueError("logits must be (N, C)")
            N, C = Z.shape
            Y = one_hot(labels, C)
            if Y.shape[0] != N:
                raise ValueError("one label per row")
            shifted = Z - Z.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return float(-np.sum(Y * log_probs) / N), (Y - np.exp(log_probs)) / N
    """),
    mutant(M, CE, "max_subtracted_in_place", "logits -= logits.max(...): the caller's logits "
           "change", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            if logits.ndim != 2 or logits.shape[0] == 0:
                raise ValueError("logits must be (N, C)")
            N, C = logits.shape
            Y = one_hot(labels, C)
            if Y.shape[0] != N:
                raise ValueError("one label per row")
            Z = logits if logits.dtype.kind == "f" else logits.astype(float)
            Z -= Z.max(axis=1, keepdims=True)
            log_probs = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
            return float(-np.sum(Y * log_probs) / N), (np.exp(log_probs) - Y) / N
    """),
    mutant(M, CE, "labels_unchecked", "picks Z[range(N), labels] directly: a label of -1 silently "
           "picks the last class", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            Z = np.asarray(logits, dtype=float)
            labels = np.asarray(labels).astype(int)
            N, C = Z.shape
            shifted = Z - Z.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            rows = np.arange(N)
            dZ = np.exp(log_probs)
            dZ[rows, labels] -= 1.0
            return float(-np.mean(log_probs[rows, labels])), dZ / N
    """),
]

VALID = [
    valid(M, OH, "compare_with_arange", "labels[:, None] == np.arange(C), as floats, with the "
          "checks written out", """
        import numpy as np

        def one_hot(labels, num_classes):
            labels = np.asarray(labels)
            if labels.ndim != 1:
                raise ValueError("labels must be a 1-D array")
            if not np.issubdtype(labels.dtype, np.integer):
                if not np.all(labels == np.round(labels)):
                    raise ValueError("labels must be whole numbers")
                labels = labels.astype(np.int64)
            if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
                raise ValueError("labels must lie in 0..num_classes-1")
            return (labels[:, None] == np.arange(num_classes)[None, :]).astype(float)
    """),
    valid(M, OH, "eye_rows_checked", "rows of the identity matrix, after the checks; returns an "
          "integer array", """
        import numpy as np

        def one_hot(labels, num_classes):
            labels = np.asarray(labels)
            if labels.ndim != 1 or labels.dtype.kind not in "iu":
                raise ValueError("labels must be a 1-D integer array")
            if ((labels < 0) | (labels >= num_classes)).any():
                raise ValueError("label out of range")
            return np.eye(num_classes, dtype=int)[labels]
    """),
    valid(M, CE, "logaddexp_reduce", "np.logaddexp.reduce for logsumexp and np.take_along_axis "
          "for the correct logits", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            Z = np.asarray(logits, dtype=np.float64)
            if Z.ndim != 2 or len(Z) == 0:
                raise ValueError("logits must be a non-empty (N, C) batch")
            N, C = Z.shape
            Y = one_hot(labels, C)
            if len(Y) != N:
                raise ValueError("need one label per example")
            lse = np.logaddexp.reduce(Z, axis=1)
            picked = np.take_along_axis(Z, np.asarray(labels, dtype=np.int64)[:, None], axis=1)[:, 0]
            loss = np.mean(lse - picked)
            return loss, (np.exp(Z - lse[:, None]) - Y) / N
    """),
    valid(M, CE, "row_loop_float32", "a loop over the examples, keeping float32 logits in float32", """
        import numpy as np

        def softmax_cross_entropy(logits, labels):
            Z = np.asarray(logits)
            if Z.dtype.kind != "f":
                Z = Z.astype(np.float64)
            if Z.ndim != 2 or Z.shape[0] < 1:
                raise ValueError("logits must be (N, C) with N >= 1")
            N, C = Z.shape
            Y = one_hot(labels, C).astype(Z.dtype)
            if Y.shape[0] != N:
                raise ValueError("labels and logits disagree on N")
            total = Z.dtype.type(0)
            grad = np.empty_like(Z)
            for n in range(N):
                row = Z[n] - Z[n].max()
                s = np.exp(row).sum()
                total += np.log(s) - row[Y[n] == 1][0]
                grad[n] = (np.exp(row) / s - Y[n]) / N
            return total / N, grad
    """),
]
