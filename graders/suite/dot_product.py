"""Mutants and valid variants of ``dot``."""

from . import mutant, valid

MUTANTS = [
    mutant("dot_product", "dot", "off_by_one", "the loop stops one entry early", """
        def dot(a, b):
            if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
                raise ValueError("bad shapes")
            total = 0.0
            for i in range(len(a) - 1):
                total += a[i] * b[i]
            return total
    """),
    mutant("dot_product", "dot", "hadamard_not_summed", "returns the vector of products, forgetting to add them up", """
        def dot(a, b):
            if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
                raise ValueError("bad shapes")
            return a * b
    """),
    mutant("dot_product", "dot", "no_shape_check", "trusts numpy broadcasting instead of checking the lengths", """
        import numpy as np

        def dot(a, b):
            return float(np.sum(a * b))
    """),
    mutant("dot_product", "dot", "in_place", "accumulates into the first argument, changing the caller's array", """
        def dot(a, b):
            if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
                raise ValueError("bad shapes")
            a *= b
            return a.sum()
    """),
    mutant("dot_product", "dot", "empty_is_none", "returns None for empty vectors instead of 0", """
        def dot(a, b):
            if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
                raise ValueError("bad shapes")
            if len(a) == 0:
                return None
            return sum(x * y for x, y in zip(a, b))
    """),
]

VALID = [
    valid("dot_product", "dot", "plain_loop", "an explicit for loop over the indices", """
        def dot(a, b):
            if a.ndim != 1 or b.ndim != 1 or a.shape != b.shape:
                raise ValueError("dot needs two 1-D vectors of the same length")
            total = 0
            for i in range(a.shape[0]):
                total = total + a[i] * b[i]
            return total
    """),
    valid("dot_product", "dot", "generator_sum", "Python's sum over a generator of products", """
        def dot(a, b):
            if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
                raise ValueError("shapes differ")
            return sum(float(x) * float(y) for x, y in zip(a, b))
    """),
    valid("dot_product", "dot", "kahan", "compensated (Kahan) summation", """
        def dot(a, b):
            if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
                raise ValueError("shapes differ")
            total, carry = 0.0, 0.0
            for x, y in zip(a.tolist(), b.tolist()):
                term = x * y - carry
                new = total + term
                carry = (new - total) - term
                total = new
            return total
    """),
    valid("dot_product", "dot", "add_reduce", "np.add.reduce over the elementwise product", """
        import numpy as np

        def dot(a, b):
            a, b = np.asarray(a), np.asarray(b)
            if a.ndim != 1 or b.ndim != 1 or a.size != b.size:
                raise ValueError("shapes differ")
            return np.add.reduce(a * b)
    """),
]
