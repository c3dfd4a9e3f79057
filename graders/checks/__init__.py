"""Hidden property checks: one module per exercise, each check declaring its points next to it.

A check draws an *example* (the arguments) from a hypothesis strategy, turns it into one or more
learner *calls*, and judges the learner's outcomes against the reference's outcomes for the same
calls. Most checks compare with the reference; others state a law (``(AB)ᵀ = BᵀAᵀ``), demand a
``ValueError``, or demand that the inputs are left untouched. Example::

    checks = Registry()

    @checks.add("dot", points=4, strategy=vector_pairs(),
                says="dot(a, b) equals the sum of a[i] * b[i]")
    def matches_reference(example, got, ref):
        return compare.scalar_within(got[0].value, ref[0].value, bound(example))

The verdict returns ``None`` when the property holds and a :class:`~graders.compare.Mismatch`
otherwise. Outcomes where the learner raised, timed out or crashed never reach a verdict unless
the check asks for them (``handles_errors=True``, e.g. a check that expects a ``ValueError``).
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable

from hypothesis import strategies as st

from ..compare import Mismatch


@dataclass(frozen=True)
class Args:
    """Positional and keyword arguments of one call."""

    args: tuple
    kwargs: dict = field(default_factory=dict)


def args(*positional, **keyword) -> Args:
    return Args(tuple(positional), dict(keyword))


@dataclass(frozen=True)
class Call:
    function: str
    args: Args
    return_args: bool = False  # send the arguments back after the call (to see mutation)


@dataclass
class Outcome:
    """What one call did. ``kind``: ``value``, ``raised`` (an exception) or ``limit`` (killed)."""

    kind: str
    value: Any = None
    error: str = ""          # exception type name (raised) or limit name (timeout, memory, crash, ...)
    message: str = ""
    args_after: Any = None   # the arguments as they were after the call, when asked for
    note: str = ""           # e.g. "returned a list, not a numpy array"
    output: str = ""         # what the call printed (captured, capped)

    @property
    def ok(self) -> bool:
        return self.kind == "value"


Verdict = Callable[[Args, list, list], "Mismatch | None"]


@dataclass(frozen=True)
class Check:
    name: str
    function: str
    points: float
    says: str                       # the property in plain words
    strategy: st.SearchStrategy     # draws an Args
    verdict: Verdict
    make_calls: Callable[[Args], list[Call]] | None = None
    examples: int | None = None     # overrides the course's examples per check
    handles_errors: bool = False    # the verdict sees raised outcomes too

    def calls(self, example: Args) -> list[Call]:
        if self.make_calls is not None:
            return self.make_calls(example)
        return [Call(self.function, example)]


class Registry(list):
    """The checks of one exercise, in the order they run."""

    def add(self, function: str, *, points: float, says: str, strategy: st.SearchStrategy,
            calls: Callable[[Args], list[Call]] | None = None, examples: int | None = None,
            handles_errors: bool = False):
        def decorate(verdict: Verdict) -> Verdict:
            name = verdict.__name__
            if any(c.function == function and c.name == name for c in self):
                raise ValueError(f"check {function}.{name} is defined twice")
            self.append(Check(name, function, points, says, strategy, verdict, calls, examples,
                              handles_errors))
            return verdict
        return decorate


def load_checks(module: str) -> list[Check]:
    """The checks of one exercise: ``graders/checks/<module>.py``'s ``checks`` registry."""
    with _without_composite_lint():
        mod = importlib.import_module(f"{__name__}.{module}")
    return list(mod.checks)


@contextmanager
def _without_composite_lint():
    """Skip hypothesis' lint of ``@st.composite`` functions while check modules load.

    For each composite, hypothesis reads and parses the source file to warn when the function
    never calls ``draw``: about a fifth of a second for the course's strategies, at every start
    of ``nnla``. The lint only speaks to authors: ``tests/test_grading.py`` imports every check
    module with it on and its warning made an error. (Private API: if it moves, nothing is
    skipped.)
    """
    try:
        from hypothesis.strategies._internal import core
        saved = core.is_first_param_referenced_in_function
    except (ImportError, AttributeError):
        yield
        return
    core.is_first_param_referenced_in_function = lambda f: True
    try:
        yield
    finally:
        core.is_first_param_referenced_in_function = saved


# --- verdict helpers shared by the check modules ----------------------------------------------

def describe_error(outcome: Outcome) -> str:
    if outcome.kind == "raised":
        text = f"{outcome.error}: {outcome.message}" if outcome.message else outcome.error
        return f"raised {text}"
    return outcome.message or outcome.error


def expect_value_error(example: Args, got: list, ref: list) -> Mismatch | None:
    """Verdict for bad-input checks: the call must raise ValueError."""
    out = got[0]
    if out.kind == "raised" and out.error == "ValueError":
        return None
    if out.kind == "raised":
        return Mismatch(f"should raise ValueError for these shapes, but {describe_error(out)}",
                        "ValueError", f"{out.error}")
    return Mismatch("should raise ValueError for these shapes, but returned a value",
                    "ValueError", out.value)


def unpack(value, n: int, what: str) -> tuple[list, Mismatch | None]:
    """A learner's tuple-like result as a list of ``n`` items (a list or stacked array is fine)."""
    if isinstance(value, (tuple, list)) and len(value) == n:
        return list(value), None
    if hasattr(value, "shape") and getattr(value, "ndim", 0) > 0 and value.shape[0] == n:
        return list(value), None
    return [], Mismatch(f"{what} should return a tuple of {n} values", f"a tuple of {n}", value)


def inputs_unchanged(example: Args, got: list, ref: list) -> Mismatch | None:
    """Verdict: after the call, every array argument still holds its original values."""
    import numpy as np

    after = got[0].args_after
    if after is None:
        return None
    before_all = list(example.args) + list(example.kwargs.values())
    after_all = list(after.args) + list(after.kwargs.values())
    for index, (before, now) in enumerate(zip(before_all, after_all)):
        items = before.items() if isinstance(before, dict) else [(None, before)]
        for key, value in items:
            current = now.get(key) if isinstance(now, dict) and key is not None else now
            if isinstance(value, np.ndarray) and not (
                    isinstance(current, np.ndarray) and current.shape == value.shape
                    and np.array_equal(current, value)):
                label = f"argument {index + 1}" + (f" ['{key}']" if key else "")
                return Mismatch(f"modified its input ({label}); work on a copy or build a new array",
                                value, current)
    return None


def unchanged_call(function: str) -> Callable[[Args], list[Call]]:
    return lambda example: [Call(function, example, return_args=True)]
