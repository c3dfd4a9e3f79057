"""Forbidden shortcuts are found in the source, aliases included, with line numbers."""

from __future__ import annotations

import pytest

from graders.forbidden import scan

DOT_RULES = ("numpy.dot", "numpy.inner", "numpy.vdot", "numpy.matmul", "numpy.einsum",
             "numpy.tensordot", "numpy.linalg.multi_dot", "@", ".dot")
T_RULES = (".T", ".mT", ".transpose", "numpy.transpose", "numpy.swapaxes", "numpy.moveaxis",
           "numpy.rollaxis", "numpy.permute_dims", "numpy.matrix_transpose", "numpy.einsum")


@pytest.mark.parametrize("source, rules, rule, line", [
    ("import numpy as np\ndef dot(a, b):\n    return np.dot(a, b)\n", DOT_RULES, "numpy.dot", 3),
    ("import numpy\ndef dot(a, b):\n    return numpy.inner(a, b)\n", DOT_RULES, "numpy.inner", 3),
    ("from numpy import dot as d\ndef dot(a, b):\n    return d(a, b)\n", DOT_RULES, "numpy.dot", 1),
    ("def matmul(A, B):\n    return A @ B\n", DOT_RULES, "@", 2),
    ("def matmul(A, B):\n    C = A\n    C @= B\n    return C\n", DOT_RULES, "@", 3),
    ("def matmul(A, B):\n    return A.dot(B)\n", DOT_RULES, ".dot", 2),
    ("import numpy as np\ndef matmul(A, B):\n    return np.einsum('ij,jk->ik', A, B)\n", DOT_RULES,
     "numpy.einsum", 3),
    ("import numpy.linalg as la\ndef matmul(A, B):\n    return la.multi_dot([A, B])\n", DOT_RULES,
     "numpy.linalg.multi_dot", 3),
    ("import numpy as np\ndef matmul(A, B):\n    return getattr(np, 'matmul')(A, B)\n", DOT_RULES,
     "numpy.matmul", 3),
    ("import operator\ndef matmul(A, B):\n    return operator.matmul(A, B)\n", DOT_RULES,
     "operator.matmul", 3),
    ("def transpose(A):\n    return A.T.copy()\n", T_RULES, ".T", 2),
    ("import numpy as np\ndef transpose(A):\n    return np.swapaxes(A, 0, 1)\n", T_RULES,
     "numpy.swapaxes", 3),
    ("def transpose(A):\n    return getattr(A, 'transpose')()\n", T_RULES, ".transpose", 2),
])
def test_shortcut_is_found_with_its_line(source, rules, rule, line):
    found = scan(source, rules)
    assert found, "the shortcut was not found"
    assert (found[0].rule, found[0].line) == (rule, line)


@pytest.mark.parametrize("source, rules", [
    ("import numpy as np\ndef dot(a, b):\n    return np.sum(a * b)\n", DOT_RULES),
    ("def dot(a, b):\n    return sum(x * y for x, y in zip(a, b))\n", DOT_RULES),
    ("import numpy as np\ndef transpose(A):\n    out = np.empty(A.shape[::-1])\n    return out\n", T_RULES),
    ("def f(dotted):\n    return dotted\n", DOT_RULES),
])
def test_honest_code_is_not_flagged(source, rules):
    assert scan(source, rules) == []


def test_violation_is_attributed_to_its_function():
    source = "import numpy as np\ndef helper(a, b):\n    return np.dot(a, b)\ndef dot(a, b):\n    return helper(a, b)\n"
    (v,) = scan(source, DOT_RULES)
    assert v.function == "helper"
    assert "line 3" in v.describe()


def test_reference_solutions_use_no_forbidden_shortcut(course):
    for ex in course.exercises:
        source = (course.solutions_dir / f"{ex.module}.py").read_text()
        assert scan(source, ex.forbidden) == [], ex.module
