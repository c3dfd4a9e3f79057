"""Mutants and valid variants of ``hadamard`` and ``hadamard_vs_matmul``."""

from . import mutant, valid

M, HAD, QUIZ = "hadamard", "hadamard", "hadamard_vs_matmul"

MUTANTS = [
    # --- hadamard --------------------------------------------------------------------------------
    mutant(M, HAD, "matmul", "uses the matrix product @ for 'multiplying two matrices'", """
        import numpy as np

        def hadamard(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.shape != B.shape:
                raise ValueError("shapes differ")
            return A @ B
    """),
    mutant(M, HAD, "no_shape_check", "trusts broadcasting, so a column times a row silently "
           "becomes an outer product", """
        import numpy as np

        def hadamard(A, B):
            return np.asarray(A) * np.asarray(B)
    """),
    mutant(M, HAD, "in_place", "multiplies into the first argument (A *= B) and returns it", """
        import numpy as np

        def hadamard(A, B):
            if A.shape != B.shape:
                raise ValueError("shapes differ")
            A *= B
            return A
    """),
    mutant(M, HAD, "matrix_loops_only", "two nested loops over rows and columns: only works for "
           "2-D arrays", """
        import numpy as np

        def hadamard(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.shape != B.shape:
                raise ValueError("shapes differ")
            C = np.zeros(A.shape)
            for i in range(A.shape[0]):
                for j in range(A.shape[1]):
                    C[i, j] = A[i, j] * B[i, j]
            return C
    """),
    mutant(M, HAD, "transposed_partner", "indexes the second matrix as B[j, i] (a mix-up of "
           "loop indices)", """
        import numpy as np

        def hadamard(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.shape != B.shape:
                raise ValueError("shapes differ")
            if A.ndim == 2 and A.shape[0] == A.shape[1]:
                return A * B.T
            return A * B
    """),
    # --- hadamard_vs_matmul ----------------------------------------------------------------------
    mutant(M, QUIZ, "swapped", "returns (A @ B, A ∘ B): the two products in the wrong order", """
        import numpy as np

        def hadamard_vs_matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2:
                raise ValueError("need matrices")
            H = A * B if A.shape == B.shape else None
            M = A @ B if A.shape[1] == B.shape[0] else None
            return M, H
    """),
    mutant(M, QUIZ, "reversed_matmul", "computes B @ A instead of A @ B (the matrix product does "
           "not commute)", """
        import numpy as np

        def hadamard_vs_matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2:
                raise ValueError("need matrices")
            H = A * B if A.shape == B.shape else None
            M = B @ A if A.shape[1] == B.shape[0] and B.shape[1] == A.shape[0] else None
            return H, M
    """),
    mutant(M, QUIZ, "transposes_to_fit", "makes the matrix product 'work' for equal rectangular "
           "shapes with A @ B.T", """
        import numpy as np

        def hadamard_vs_matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2:
                raise ValueError("need matrices")
            H = A * B if A.shape == B.shape else None
            if A.shape[1] == B.shape[0]:
                M = A @ B
            elif A.shape[1] == B.shape[1]:
                M = A @ B.T
            else:
                M = None
            return H, M
    """),
    mutant(M, QUIZ, "same_shape_means_both", "thinks equal shapes allow both products (true only "
           "for square matrices)", """
        import numpy as np

        def hadamard_vs_matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2:
                raise ValueError("need matrices")
            if A.shape == B.shape:
                try:
                    return A * B, A @ B
                except ValueError:
                    return A * B, A * B
            if A.shape[1] == B.shape[0]:
                return None, A @ B
            return None, None
    """),
    mutant(M, QUIZ, "aliased_result", "H = A, then H *= B: the 'copy' is the caller's matrix", """
        import numpy as np

        def hadamard_vs_matmul(A, B):
            if A.ndim != 2 or B.ndim != 2:
                raise ValueError("need matrices")
            M = A @ B if A.shape[1] == B.shape[0] else None
            H = None
            if A.shape == B.shape:
                H = A if A.dtype == np.result_type(A, B) else A.astype(np.result_type(A, B))
                H *= B
            return H, M
    """),
    mutant(M, QUIZ, "accepts_vectors", "no 2-D check: vectors give an inner product and a "
           "Hadamard product instead of an error", """
        import numpy as np

        def hadamard_vs_matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            H = A * B if A.shape == B.shape else None
            try:
                M = A @ B
            except ValueError:
                M = None
            return H, M
    """),
]

VALID = [
    valid(M, HAD, "multiply_ufunc", "np.multiply with an explicit shape check", """
        import numpy as np

        def hadamard(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if np.shape(A) != np.shape(B):
                raise ValueError(f"shapes {A.shape} and {B.shape} differ")
            return np.multiply(A, B)
    """),
    valid(M, HAD, "flat_loop", "a loop over the flattened entries, reshaped back, with float32 "
          "kept for two float32 inputs", """
        import numpy as np

        def hadamard(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.shape != B.shape:
                raise ValueError("the Hadamard product needs equal shapes")
            out = np.empty(A.shape, dtype=np.result_type(A, B))
            flat_a, flat_b, flat_out = A.ravel(), B.ravel(), out.reshape(-1)
            for i in range(flat_a.size):
                flat_out[i] = flat_a[i] * flat_b[i]
            return out
    """),
    valid(M, QUIZ, "uses_hadamard_and_loops", "calls the module's hadamard and writes the matrix "
          "product as loops of dot products", """
        import numpy as np

        def hadamard_vs_matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2:
                raise ValueError("A and B must be matrices")
            H = hadamard(A, B) if A.shape == B.shape else None
            M = None
            if A.shape[1] == B.shape[0]:
                M = np.zeros((A.shape[0], B.shape[1]))
                for i in range(A.shape[0]):
                    for j in range(B.shape[1]):
                        M[i, j] = np.sum(A[i, :] * B[:, j])
            return H, M
    """),
    valid(M, QUIZ, "try_except_list", "asks numpy (np.matmul, catching its ValueError) and "
          "returns a list instead of a tuple", """
        import numpy as np

        def hadamard_vs_matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2:
                raise ValueError("A and B must be matrices")
            H = np.multiply(A, B) if A.shape == B.shape else None
            try:
                M = np.matmul(A, B)
            except ValueError:
                M = None
            return [H, M]
    """),
]
