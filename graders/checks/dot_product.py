"""Hidden checks for ``dot(a, b)``."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from . import Registry, args, expect_value_error, inputs_unchanged, unchanged_call

checks = Registry()


@st.composite
def vector_pairs(draw, bound=None):
    n = draw(gs.dims(0, 12))
    bound = bound or draw(gs.magnitudes())
    return args(draw(gs.arrays(n, bound=bound)), draw(gs.arrays(n, bound=bound)))


@st.composite
def bad_pairs(draw):
    """Shapes dot must refuse: different lengths, or an operand that is not 1-D."""
    kind = draw(st.sampled_from(["lengths", "matrix", "column", "scalar"]))
    n = draw(gs.dims(1, 5))
    a = draw(gs.arrays(n))
    if kind == "lengths":
        b = draw(gs.arrays(draw(st.integers(0, 6).filter(lambda m: m != n))))
    elif kind == "matrix":
        b = draw(gs.arrays((n, draw(gs.dims(1, 3)))))
    elif kind == "column":
        a, b = draw(gs.arrays((n, 1))), draw(gs.arrays((n, 1)))
    else:
        b = draw(gs.arrays(()))
    return args(*((b, a) if draw(st.booleans()) else (a, b)))


def dot_bound(a, b) -> float:
    terms = np.abs(np.asarray(a, dtype=np.float64) * np.asarray(b, dtype=np.float64))
    return float(compare.reduction_bound(len(terms), terms.sum(), compare.unit_roundoff(a, b)))


@checks.add("dot", points=5, strategy=vector_pairs(),
            says="dot(a, b) should equal the sum of a[i] * b[i]")
def matches_reference(example, got, ref):
    a, b = example.args
    return compare.scalar_within(got[0].value, ref[0].value, dot_bound(a, b))


@checks.add("dot", points=1, strategy=st.just(args(np.zeros(0), np.zeros(0))), examples=1,
            says="dot of two empty vectors should be 0 (a sum with no terms)")
def empty_is_zero(example, got, ref):
    return compare.scalar_within(got[0].value, 0.0, 0.0)


@checks.add("dot", points=2, strategy=bad_pairs(), handles_errors=True,
            says="dot(a, b) should raise ValueError unless a and b are 1-D of equal length")
def rejects_bad_shapes(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("dot", points=2, strategy=vector_pairs(), calls=unchanged_call("dot"),
            says="dot(a, b) must not modify a or b")
def leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
