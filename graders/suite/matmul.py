"""Mutants and valid variants of ``matmul``."""

from . import mutant, valid

MUTANTS = [
    mutant("matmul", "matmul", "hadamard", "multiplies matching entries (A * B) instead of rows by columns", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2:
                raise ValueError("matmul needs 2-D arrays")
            return A * B
    """),
    mutant("matmul", "matmul", "wrong_order", "computes B A: row i of B times column j of A", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or B.shape[1] != A.shape[0]:
                raise ValueError("inner sizes differ")
            C = np.zeros((B.shape[0], A.shape[1]))
            for i in range(B.shape[0]):
                for j in range(A.shape[1]):
                    C[i, j] = np.sum(B[i, :] * A[:, j])
            return C
    """),
    mutant("matmul", "matmul", "output_p_by_m", "fills C[j, i] instead of C[i, j]: an output of shape (p, m)", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError("matmul needs (m, n) @ (n, p)")
            m, p = A.shape[0], B.shape[1]
            C = np.zeros((p, m))
            for i in range(m):
                for j in range(p):
                    C[j, i] = np.sum(A[i, :] * B[:, j])
            return C
    """),
    mutant("matmul", "matmul", "off_by_one_k", "the k loop stops one term early (range(n - 1))", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError("matmul needs (m, n) @ (n, p)")
            m, n = A.shape
            p = B.shape[1]
            C = np.zeros((m, p))
            for i in range(m):
                for j in range(p):
                    for k in range(n - 1):
                        C[i, j] += A[i, k] * B[k, j]
            return C
    """),
    mutant("matmul", "matmul", "no_checks_broadcast", "no shape checks: numpy broadcasting silently accepts (m, 1) @ (q, p)", """
        def matmul(A, B):
            return (A[:, :, None] * B[None, :, :]).sum(axis=1)
    """),
    mutant("matmul", "matmul", "row_view_in_place", "multiplies a row of A in place (A[i, :] is a view), changing A", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError("matmul needs (m, n) @ (n, p)")
            C = np.zeros((A.shape[0], B.shape[1]))
            for i in range(A.shape[0]):
                for j in range(B.shape[1]):
                    row = A[i, :]
                    row *= B[:, j]
                    C[i, j] = row.sum()
            return C
    """),
    mutant("matmul", "matmul", "starts_with_first_term", "starts the sum with the k = 0 term, so n = 0 breaks", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError("matmul needs (m, n) @ (n, p)")
            C = A[:, 0:1] * B[0:1, :]
            for k in range(1, A.shape[1]):
                C = C + A[:, k:k + 1] * B[k:k + 1, :]
            return C
    """),
    mutant("matmul", "matmul", "requires_equal_shapes", "demands equal shapes (square thinking) and refuses valid (m, n) @ (n, p)", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or A.shape != B.shape:
                raise ValueError("shapes must match")
            n = A.shape[0]
            C = np.zeros((n, n))
            for i in range(n):
                for j in range(n):
                    C[i, j] = np.sum(A[i, :] * B[:, j])
            return C
    """),
    mutant("matmul", "matmul", "dtype_of_a", "allocates C with A's dtype, so an integer A truncates a float product", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError("matmul needs (m, n) @ (n, p)")
            C = np.zeros((A.shape[0], B.shape[1]), dtype=A.dtype)
            for i in range(A.shape[0]):
                for j in range(B.shape[1]):
                    C[i, j] = np.sum(A[i, :] * B[:, j])
            return C
    """),
]

VALID = [
    valid("matmul", "matmul", "triple_loop", "three nested loops with a Python float accumulator", """
        def matmul(A, B):
            if A.ndim != 2 or B.ndim != 2:
                raise ValueError("A and B must be 2-D")
            m, n = A.shape
            n2, p = B.shape
            if n != n2:
                raise ValueError("inner sizes differ")
            C = np.zeros((m, p))
            for i in range(m):
                for j in range(p):
                    total = 0.0
                    for k in range(n):
                        total += float(A[i, k]) * float(B[k, j])
                    C[i, j] = total
            return C
    """),
    valid("matmul", "matmul", "float32_accumulator", "accumulates in the inputs' own dtype (float32 stays float32, integers stay exact)", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError("matmul needs (m, n) @ (n, p)")
            dtype = np.result_type(A.dtype, B.dtype)
            C = np.zeros((A.shape[0], B.shape[1]), dtype=dtype)
            for i in range(A.shape[0]):
                for j in range(B.shape[1]):
                    acc = dtype.type(0)
                    for k in range(A.shape[1]):
                        acc = dtype.type(acc + A[i, k] * B[k, j])
                    C[i, j] = acc
            return C
    """),
    valid("matmul", "matmul", "outer_products", "a sum of n outer products (column k of A times row k of B)", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError("matmul needs (m, n) @ (n, p)")
            C = np.zeros((A.shape[0], B.shape[1]))
            for k in range(A.shape[1]):
                C += A[:, k:k + 1] * B[k:k + 1, :]
            return C
    """),
    valid("matmul", "matmul", "nested_lists", "a list of lists built with comprehensions (also for empty shapes)", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError("matmul needs (m, n) @ (n, p)")
            m, n = A.shape
            p = B.shape[1]
            return [[sum(A[i][k] * B[k][j] for k in range(n)) for j in range(p)] for i in range(m)]
    """),
    valid("matmul", "matmul", "reversed_kahan", "compensated (Kahan) summation from k = n - 1 down to 0", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError("matmul needs (m, n) @ (n, p)")
            m, n = A.shape
            p = B.shape[1]
            a, b = A.tolist(), B.tolist()
            C = np.zeros((m, p))
            for i in range(m):
                for j in range(p):
                    total, carry = 0.0, 0.0
                    for k in reversed(range(n)):
                        term = a[i][k] * b[k][j] - carry
                        new = total + term
                        carry = (new - total) - term
                        total = new
                    C[i, j] = total
            return C
    """),
    valid("matmul", "matmul", "add_reduce_columns", "np.add.reduce over broadcast products, one column of C at a time", """
        def matmul(A, B):
            A, B = np.asarray(A), np.asarray(B)
            if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
                raise ValueError("matmul needs (m, n) @ (n, p)")
            C = np.zeros((A.shape[0], B.shape[1]), dtype=np.result_type(A, B))
            for j in range(B.shape[1]):
                C[:, j] = np.add.reduce(A * B[:, j], axis=1)
            return C
    """),
]
