"""Hidden checks for ``relu(x)`` and ``relu_grad(x)``.

Both are exact: relu keeps or zeroes each entry, relu_grad is 0.0 or 1.0. Values are compared
exactly, whatever the dtype of the result (an integer relu of integer input, a boolean or
float32 mask from relu_grad, or a list, all carry the same values). -0.0 equals 0.0.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch
from . import Call, Registry, args, inputs_unchanged, unchanged_call

checks = Registry()


# --- strategies ---------------------------------------------------------------------------------

@st.composite
def any_shapes(draw) -> tuple[int, ...]:
    """0-d to 3-D, sides 0 to 6, all different when there are several (an axis mix-up shows)."""
    ndim = draw(st.sampled_from([0, 1, 1, 2, 2, 3]))
    return draw(gs.distinct_dims(ndim, 0, 6)) if ndim else ()


@st.composite
def activations(draw) -> object:
    return args(draw(gs.arrays(draw(any_shapes()), bound=draw(gs.magnitudes()), dtypes=gs.MIXED_DTYPES)))


@st.composite
def with_zeros(draw) -> object:
    """Arrays with some entries exactly 0 (or -0.0), the corner of ReLU."""
    shape = draw(any_shapes().filter(lambda s: int(np.prod(s)) > 0))
    arr = draw(gs.arrays(shape, dtypes=gs.MIXED_DTYPES, layout=False))
    zeros = draw(st.lists(st.sampled_from(list(np.ndindex(*shape))), min_size=1, max_size=arr.size))
    negative = arr.dtype.kind == "f" and draw(st.booleans())
    for index in zeros:
        arr[index] = -0.0 if negative else 0
    return args(draw(gs.layouts(arr)))


# --- comparing ----------------------------------------------------------------------------------

def exact(outcome, expected, what: str) -> Mismatch | None:
    value = compare.listed_empty(outcome.value, expected, outcome.note)
    return compare.same_exactly(value, expected, what)


# --- relu ---------------------------------------------------------------------------------------

@checks.add("relu", points=2, strategy=activations(),
            says="relu(x) should be max(0, x) at every entry, with the same shape as x")
def relu_matches_reference(example, got, ref):
    return exact(got[0], ref[0].value, "relu(x)")


def both_signs(example) -> list[Call]:
    (x,) = example.args
    return [Call("relu", example), Call("relu", args(-x))]


@checks.add("relu", points=1, strategy=activations(), calls=both_signs,
            says="relu(x) - relu(-x) should give back x: the positive part minus the negative part")
def positive_minus_negative_part(example, got, ref):
    (x,) = example.args
    parts = []
    for outcome, what in ((got[0], "relu(x)"), (got[1], "relu(-x)")):
        value = compare.as_float_array(compare.listed_empty(outcome.value, x, outcome.note))
        if value is None or value.shape != x.shape:
            shape = "not numeric" if value is None else f"shape {value.shape}"
            return Mismatch(f"{what} should have the shape of x, {x.shape}, but it has {shape}",
                            x, outcome.value)
        parts.append(value)
    return compare.same_exactly(parts[0] - parts[1], x, "relu(x) - relu(-x)")


@checks.add("relu", points=1, strategy=activations(), calls=unchanged_call("relu"),
            says="relu(x) must not modify x (build a new array)")
def relu_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- relu_grad ----------------------------------------------------------------------------------

@checks.add("relu_grad", points=3, strategy=activations(),
            says="relu_grad(x) should be 1.0 where x > 0 and 0.0 elsewhere, with the same shape as x")
def grad_matches_reference(example, got, ref):
    return exact(got[0], ref[0].value, "relu_grad(x)")


@checks.add("relu_grad", points=2, strategy=with_zeros(),
            says="relu_grad(x) should be exactly 0 where x is 0 (the convention relu'(0) = 0)")
def grad_is_zero_at_zero(example, got, ref):
    (x,) = example.args
    expected = ref[0].value
    value = compare.as_float_array(compare.listed_empty(got[0].value, expected, got[0].note))
    if value is None or value.shape != x.shape:
        return compare.same_exactly(got[0].value, expected, "relu_grad(x)")
    at_zero = value[np.asarray(x) == 0]
    if np.all(at_zero == 0):
        return None
    wrong = at_zero[at_zero != 0]
    return Mismatch(f"relu_grad(x) is {wrong[0]:g} at an entry where x == 0; "
                    f"the convention is relu'(0) = 0 (test x > 0, not x >= 0)", expected, got[0].value)


@checks.add("relu_grad", points=1, strategy=activations(), calls=unchanged_call("relu_grad"),
            says="relu_grad(x) must not modify x (build a new array)")
def grad_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
