"""Generated inputs, reference outcomes and shrinking: the trusted side of every check.

Each check's examples are drawn once per (course, seed) by hypothesis with a seed derived from
the course seed and the check's name, so every learner faces the identical test set and every
regrade is the same. Each example keeps hypothesis' record of the choices that drew it, so
shrinking (run only for a check that failed) starts from the learner's smallest failing example
itself: hypothesis replays it from an in-memory example database and shrinks it, with no
generation phase in between.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
import importlib.util
import inspect
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.control import current_build_context
from hypothesis.database import InMemoryExampleDatabase, choices_to_bytes

from .checks import Args, Call, Check, Outcome
from .compare import Mismatch

SHRINK_BUDGET = 40  # learner evaluations one shrink may spend (each costs a hypothesis draw)
_REPLAY_KEY = b"nnla-failing-example"  # where shrink() puts the example to start from


def example_size(example: Args) -> tuple[int, float]:
    """How big an example is: its number of array entries, then their total magnitude."""
    import numpy as np

    count, magnitude = 0, 0.0
    stack = list(example.args) + list(example.kwargs.values())
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
            count += value.size
            magnitude += float(np.sum(np.abs(value.astype(np.float64)))) if value.size else 0.0
    return count, magnitude


def wire_copy(example: Args) -> Args:
    """A copy that keeps each array's memory layout (``copy.deepcopy`` makes views contiguous):
    exactly what the learner process will receive."""
    from .sandbox import wire

    blobs: list[bytes] = []
    node = wire.encode({"args": list(example.args), "kwargs": dict(example.kwargs)}, blobs)
    raw = wire.decode(node, blobs, functions="grader")
    return Args(tuple(raw["args"]), raw["kwargs"])


def check_seed(course_seed: int, module: str, check: Check) -> int:
    return zlib.crc32(f"{course_seed}:{module}:{check.function}:{check.name}".encode())


def _settings(n: int, phases, database=None) -> settings:
    return settings(max_examples=n, database=database, phases=phases, deadline=None,
                    suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
                    print_blob=False, report_multiple_bugs=False)


@contextmanager
def _no_local_constants():
    """Switch off hypothesis' "local constants" while we draw.

    Hypothesis (6.13x+) draws, 5% of the time, a constant found in the source of any local module
    that happens to be imported. Our examples would then depend on which modules the grading
    process had loaded (``--only X`` vs the whole course, the CLI vs a test): not a pure function
    of (course, seed). The global constants (0, ±1, inf edges, ...) stay.
    """
    from hypothesis.internal.conjecture import providers

    saved = providers._get_local_constants
    empty = providers.Constants()
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = saved
        providers.CONSTANTS_CACHE.cache.clear()


def generate_recorded(check: Check, seed_value: int, n: int) -> list[tuple[Args, bytes]]:
    """The check's examples, deterministically for a given seed (hypothesis' generate phase),
    each with the choice sequence that drew it (hypothesis' database format)."""
    found: list[tuple[Args, bytes]] = []

    @_settings(n, [Phase.generate])
    @hypothesis_seed(seed_value)
    @given(check.strategy)
    def collect(example):
        choices = current_build_context().data.choices  # every draw of this example, in order
        found.append((wire_copy(example), choices_to_bytes(choices)))

    with _no_local_constants():
        collect()
    return found


def generate(check: Check, seed_value: int, n: int) -> list[Args]:
    """The check's examples, deterministically for a given seed."""
    return [example for example, _ in generate_recorded(check, seed_value, n)]


class _Failed(Exception):
    pass


class _BudgetSpent(BaseException):
    """Stops hypothesis at once (it re-raises BaseExceptions instead of shrinking them)."""


def shrink(check: Check, seed_value: int, n: int, start: bytes,
           evaluate: Callable[[Args], "Failure | None"]) -> tuple[Args, "Failure"] | None:
    """Shrink a failing example, given as its recorded choices (see :func:`generate_recorded`).

    Hypothesis replays ``start`` from an in-memory database (its *reuse* phase) and shrinks it
    (its *shrink* phase) against the learner; nothing new is generated. Failures where the learner
    was killed (timeouts, crashes) are not shrunk: each would cost a restart. The budget bounds
    the learner evaluations. Hypothesis only tries candidates simpler than its current failure (in
    its own order, which prefers round numbers), so the last failure found is the simplest.
    """
    best: list[tuple[Args, Failure]] = []
    spent = [0]
    database = InMemoryExampleDatabase()
    # The *secondary* corpus: hypothesis replays it and, when the example still fails, shrinks
    # it. (A failure replayed from the primary corpus counts as already shrunk: no shrinking.)
    database.save(_REPLAY_KEY + b".secondary", start)

    @_settings(n, [Phase.reuse, Phase.shrink], database)
    @hypothesis_seed(seed_value)
    @given(check.strategy)
    def probe(example):
        if spent[0] >= SHRINK_BUDGET:
            raise _BudgetSpent
        spent[0] += 1
        example = wire_copy(example)
        failure = evaluate(example)
        if failure is not None and failure.kind != "limit":
            best.append((example, failure))
            raise _Failed

    probe._hypothesis_internal_database_key = _REPLAY_KEY
    try:
        with _no_local_constants():
            probe()
    except (Exception, _BudgetSpent):  # _Failed, the budget, or hypothesis reporting a flaky learner
        pass
    return best[-1] if best else None


# --- the reference -------------------------------------------------------------------------------

_REFERENCES: dict[Path, object] = {}


def reference_module(solutions_dir: Path, module: str):
    """The reference solution, imported from its file (trusted code, in this process)."""
    path = (solutions_dir / f"{module}.py").resolve()
    if path not in _REFERENCES:
        name = f"_nnla_reference_{module}_{zlib.crc32(str(path).encode()):08x}"
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
        _REFERENCES[path] = mod
    return _REFERENCES[path]


def reference_outcome(ref_module, call: Call) -> Outcome:
    function = getattr(ref_module, call.function)
    a = copy.deepcopy(call.args)
    try:
        value = function(*a.args, **a.kwargs)
    except Exception as exc:
        return Outcome("raised", error=type(exc).__name__, message=str(exc))
    return Outcome("value", value=value, args_after=a if call.return_args else None)


def parameter_names(ref_module, function: str) -> list[str]:
    try:
        return list(inspect.signature(getattr(ref_module, function)).parameters)
    except (TypeError, ValueError, AttributeError):
        return []


# --- judging one example -----------------------------------------------------------------------

@dataclass
class Failure:
    """Why one example failed: a verdict's mismatch, an exception, or a limit."""

    kind: str               # "mismatch", "raised", "not_implemented", "limit"
    summary: str
    expected: object = None
    got: object = None
    error: str = ""         # limit name (timeout, crash, memory, ...) or exception type
    output: str = ""

    @property
    def judged(self) -> bool:
        """The calls ran to their end and were judged wrong (a mismatch or an exception), unlike
        a kill or NotImplementedError: such a failure can be compared and shrunk."""
        return self.kind in ("mismatch", "raised")


def unjudgeable(got: list[Outcome]) -> Failure | None:
    """A kill or NotImplementedError among the outcomes: a failure whatever the example was."""
    for out in got:
        if out.kind == "limit":
            return Failure("limit", out.message, error=out.error, output=out.output)
        if out.kind == "raised" and out.error == "NotImplementedError":
            return Failure("not_implemented", "not implemented yet", error=out.error)
    return None


def judge(check: Check, example: Args, got: list[Outcome], ref: list[Outcome]) -> Failure | None:
    early = unjudgeable(got)
    if early is not None:
        return early
    if not check.handles_errors:
        for out, expected in zip(got, ref):
            if out.kind == "raised":
                text = f"{out.error}: {out.message}" if out.message else out.error
                return Failure("raised", f"raised {text}", expected=expected.value, got=out.error,
                               error=out.error)
    mismatch = check.verdict(example, got, ref)
    if mismatch is None:
        return None
    if not isinstance(mismatch, Mismatch):
        raise TypeError(f"check {check.name} returned {type(mismatch).__name__}, not a Mismatch")
    return Failure("mismatch", mismatch.summary, expected=mismatch.expected, got=mismatch.got)
