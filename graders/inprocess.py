"""Grading inside a notebook's kernel: what the hidden test cells of an nbgrader export call.

nbgrader runs a learner's notebook in a kernel and scores each test cell all-or-nothing. The
export gives every hidden check its own test cell, whose hidden part is one call::

    from graders.inprocess import run_check
    run_check("dot_product", "dot", "matches_reference", globals())

:func:`run_check` grades the notebook's code with nnla's own grader, in the kernel's process, and
raises ``AssertionError`` with the check's feedback when that check failed. The code graded is
the module :func:`graders.notebooks.module_source` builds from the notebook file (the one in the
kernel's working folder, which is where nbgrader runs it); the grading is
``Grader._grade_exercise`` itself -- same examples (seeded), same reference, same verdicts,
forbidden-shortcut scan, dead-function rules, shrinking and messages -- with the learner process
replaced by :class:`InProcessLearner`, which calls the learner's functions in this process through
the sandbox worker's own conversion code. So the points nbgrader gives each exercise are the
points ``nnla grade`` gives the same notebook.

The first check cell of an exercise grades the whole exercise; the others reuse its result
(cached per course, seed and code). In-process there is no memory or CPU limit and a segfault ends
the kernel (nbgrader then scores the remaining cells 0); each call's wall-clock time limit and
the exercise's time budget are enforced with ``SIGALRM`` when the kernel runs cells in its main
thread, which ipykernel does.

The course: ``$NNLA_COURSE`` (set by the export's ``nbgrader_config.py``), else the nearest
``course.toml`` or ``nnla_course/course.toml`` above the working folder, else the course shipped
with the installed ``graders`` package.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import linecache
import os
import signal
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

from .checks import Call, Outcome
from .errors import UsageError
from .manifest import COURSE_FILE, Course, load_course
from .notebooks import SUFFIX, NotebookCode, NotebookProblem, module_source, read
from .results import ExerciseResult
from .sandbox import containment, wire
from .sandbox.process import OUTPUT_CAP, REPLY_CAP, LearnerProcess, Limits, OpenResult, clean_text
from .submission import Staged

COURSE_SNAPSHOT = "nnla_course"     # the export's copy of course.toml and solutions/
ISOLATION = containment.Isolation("in-process", False,
                                  "graded inside the notebook kernel, without a sandbox")
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


# --- the sandbox worker's own conversion code, loaded into this process ---------------------------

_WORKER = None


def _worker():
    """``graders/sandbox/worker.py`` as a module: its ``answer_call`` turns a learner's return
    value into the reply the grader parses, exactly as in the learner process."""
    global _WORKER
    if _WORKER is None:
        import numpy

        path = Path(__file__).resolve().parent / "sandbox" / "worker.py"
        spec = importlib.util.spec_from_file_location("_nnla_inprocess_worker", path)
        module = importlib.util.module_from_spec(spec)
        saved = list(sys.path)
        try:
            spec.loader.exec_module(module)
        finally:
            sys.path[:] = saved
        module.np, module.wire = numpy, wire   # the worker imports these in main(), once started
        _WORKER = module
    return _WORKER


def _json_round_trip(header: dict) -> dict:
    """What a header looks like after crossing the wire (JSON, as ``wire.pack`` sends it)."""
    return json.loads(json.dumps(header, separators=(",", ":"), allow_nan=False))


# --- time limits -----------------------------------------------------------------------------------

class _Timeout(BaseException):
    """Raised into learner code by SIGALRM when its time is up."""


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise :class:`_Timeout` in this thread after ``seconds`` (and every 0.1 s after that, in
    case the learner's code swallows it). Yields a list whose first item turns True once fired."""
    fired = [False]
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield fired   # no way to interrupt: the cell timeout of nbgrader is the only limit
        return
    armed = [True]

    def on_alarm(signum, frame):
        if armed[0]:  # a signal still pending after disarming does nothing
            fired[0] = True
            raise _Timeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), 0.1)
    try:
        yield fired
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _interruptible():
    """nbgrader interrupts a kernel whose cell ran too long: make that end the grading, even if
    the learner's code (or the worker's catch-all) swallows the KeyboardInterrupt."""
    hit = [False]
    if threading.current_thread() is not threading.main_thread():
        yield hit
        return

    def on_interrupt(signum, frame):
        hit[0] = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield hit
    finally:
        signal.signal(signal.SIGINT, previous)
    if hit[0]:
        raise KeyboardInterrupt


# --- the learner, in this process ------------------------------------------------------------------

class InProcessLearner:
    """What :class:`~graders.sandbox.process.LearnerProcess` is to the runner, without a process.

    ``open`` executes the staged module in a fresh module object; ``call`` runs one call through
    the worker's ``answer_call`` (arguments and the reply cross an in-memory copy of the wire
    format) and parses the reply with the grader side's own parser. Per-call time limit and the
    exercise's time budget follow the sandbox's rules.
    """

    def __init__(self, submission_dir: Path, limits: Limits):
        self.dir = Path(submission_dir)
        self.limits = limits
        self.module: str | None = None
        self._mod: types.ModuleType | None = None
        self._saved_module = None
        self._pending_output = ""   # what batched calls printed, until take_output()
        self._spent: dict[str, float] = {}
        self._out = io.StringIO()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.end_session()

    # --- time budget (the sandbox's rules) ---------------------------------------------------------
    def _budget(self) -> float | None:
        return getattr(self.limits, "exercise_budget", None)

    def _allowance(self, module: str) -> float:
        budget = self._budget()
        if budget is None:
            return self.limits.time_limit
        return min(self.limits.time_limit, budget - self._spent.get(module, 0.0))

    def _over_budget(self, what: str) -> Outcome:
        return Outcome("limit", error="timeout",
                       message=f"{what} not run: this exercise used up its time budget "
                               f"({self._budget():g} s in total)")

    def _timeout(self, what: str, limit: float) -> Outcome:
        self.end_session()   # the sandbox kills the process: the module is imported afresh
        if limit < self.limits.time_limit:
            return Outcome("limit", error="timeout", message=f"{what} used up this exercise's time "
                                                             f"budget ({self._budget():g} s in total)")
        return Outcome("limit", error="timeout", message=f"{what} timed out after {limit:g} s")

    def _output(self) -> str:
        text = self._out.getvalue()
        self._out = io.StringIO()
        cut = len(text) > OUTPUT_CAP
        text = clean_text(text[:OUTPUT_CAP], OUTPUT_CAP)
        return text + (f"\n[... output cut at {OUTPUT_CAP // 1024} KiB]" if cut else "")

    def _run(self, module: str, what: str, work):
        """Run ``work()`` with the allowance of ``module``; returns (value, timeout outcome)."""
        allowance = self._allowance(module)
        if allowance <= 0:
            return None, self._over_budget(what)
        began = time.monotonic()
        try:
            with _interruptible(), contextlib.redirect_stdout(self._out), \
                    contextlib.redirect_stderr(self._out):
                try:
                    with _time_limit(allowance) as fired:
                        value = work()
                except _Timeout:
                    fired = [True]
                    value = None
            if fired[0]:
                return None, self._timeout(what, allowance)
            return value, None
        except _Timeout:  # fired between the end of the work and disarming the timer
            return None, self._timeout(what, allowance)
        finally:
            self._spent[module] = self._spent.get(module, 0.0) + (time.monotonic() - began)

    # --- the runner's API ------------------------------------------------------------------------
    def open(self, module: str, functions: list[str]) -> OpenResult:
        if self.module is not None:
            self.end_session()
        path = self.dir / f"{module}.py"
        mod = types.ModuleType(module)
        mod.__file__ = str(path)
        self._saved_module = sys.modules.get(module)
        self._mod = mod
        sys.modules[module] = mod   # as imported: dataclasses, pickling and the like find it

        def load():
            try:
                code = compile(path.read_bytes(), str(path), "exec")
                exec(code, mod.__dict__)
            except (_Timeout, KeyboardInterrupt):
                raise
            except BaseException as exc:  # SyntaxError, ImportError, SystemExit, anything at import
                return exc
            return None

        error, timeout = self._run(module, "importing the module", load)
        if timeout is not None:
            timeout.output = self._output()   # (the timeout ended the session)
            return OpenResult(False, error=timeout)
        if error is not None:
            self.end_session()
            message = clean_text(_worker().safe_text(error))
            line = getattr(error, "lineno", None) if isinstance(error, SyntaxError) else None
            if type(line) is int:
                message = f"line {line}: {message}"
            return OpenResult(False, error=Outcome("raised", error=clean_text(type(error).__name__, 100),
                                                   message=message, output=self._output()))
        self.module = module
        missing = [f for f in functions if not callable(getattr(mod, f, None))]
        return OpenResult(True, missing=missing)

    def call(self, call: Call) -> Outcome:
        blobs: list[bytes] = []
        item = {"function": call.function, "args": wire.encode(list(call.args.args), blobs),
                "kwargs": wire.encode(dict(call.args.kwargs), blobs), "return_args": call.return_args}
        return self._answer(item, blobs, call)

    def _answer(self, item: dict, blobs: list, call) -> Outcome:
        """One call, given as the learner process receives it: a batch item and its blobs."""
        assert self.module is not None, "open a module first"
        module = self.module
        header = _json_round_trip(dict(item, op="call"))
        blobs = [bytes(b) for b in blobs]
        worker = _worker()
        replies: list[tuple[dict, list[bytes]]] = []
        worker.queue = lambda reply, reply_blobs=(): replies.append((reply, list(reply_blobs)))
        _, timeout = self._run(module, f"{call.function}()",
                               lambda: worker.answer_call(self._mod, header, blobs, None, REPLY_CAP))
        if timeout is not None:
            timeout.output = self._output()
            return timeout
        if not replies:  # cannot happen: answer_call always replies
            return Outcome("limit", error="crash", message="sent no reply", output=self._output())
        reply, reply_blobs = replies[-1]
        try:
            reply = _json_round_trip(reply)
        except (TypeError, ValueError) as err:
            return Outcome("limit", error="bad_value", message=f"returned unreadable data ({err})",
                           output=self._output())
        outcome = LearnerProcess._parse_reply(self, reply, reply_blobs, call)
        outcome.output = self._output()
        return outcome

    def run_batch(self, calls: list, frame: bytes, expected=None) -> list[Outcome]:
        """The runner's batched path, one call of ``frame`` at a time; ends where the sandbox
        would kill. Every reply is decoded and judged (``expected`` is not used)."""
        header, blobs = wire.unpack(frame)
        outcomes = []
        for item, call in zip(header["calls"], calls):
            outcome = self._answer(item, blobs, call)
            self._pending_output += outcome.output
            outcome.output = ""
            outcomes.append(outcome)
            if self.module is None or (outcome.kind == "limit" and outcome.error in ("timeout", "crash", "cpu")):
                break
        return outcomes

    def take_output(self) -> str:
        text, self._pending_output = self._pending_output[:OUTPUT_CAP], ""
        return text

    def _garbage(self, message: str) -> Outcome:  # used by the reply parser for unknown replies
        self.end_session()
        return Outcome("limit", error="crash", message=message)

    def lost_supervisor(self, module: str) -> bool:
        return False  # no zygote here: the notebook's kernel runs the code itself

    def end_session(self) -> None:
        if self._mod is not None:
            name = self._mod.__name__
            if self._saved_module is not None:
                sys.modules[name] = self._saved_module
            elif sys.modules.get(name) is self._mod:
                del sys.modules[name]
        self._saved_module = None
        self.module, self._mod = None, None


# --- the course and the grader ---------------------------------------------------------------------

_COURSES: dict[str, Course] = {}
_GRADERS: dict[tuple, object] = {}
_RESULTS: dict[tuple, ExerciseResult] = {}


def find_course(start: Path | str | None = None) -> Course:
    """The course the kernel grades with (see the module docstring for the search order)."""
    setting = os.environ.get("NNLA_COURSE", "").strip()
    candidates: list[Path] = []
    if setting:
        given = Path(setting)
        candidates.append(given.parent if given.name == COURSE_FILE else given)
    else:
        here = Path(start or os.getcwd()).resolve()
        for folder in (here, *here.parents):
            candidates += [folder, folder / COURSE_SNAPSHOT]
        candidates.append(PACKAGE_ROOT)
    for folder in candidates:
        if (folder / COURSE_FILE).is_file():
            key = str(folder.resolve())
            if key not in _COURSES:
                _COURSES[key] = load_course(folder)
            return _COURSES[key]
    raise UsageError(f"no course found: NNLA_COURSE={setting!r} holds no {COURSE_FILE}" if setting
                     else f"no {COURSE_FILE} found above {os.getcwd()}; set NNLA_COURSE")


def _grader(course: Course, module: str, seed: int | None, examples: int | None = None):
    from .runner import Grader

    key = (str(course.root), course.grading, module, seed, examples)
    if key not in _GRADERS:
        _GRADERS[key] = Grader(course, seed=seed, isolation=ISOLATION, only=[module], examples=examples)
    return _GRADERS[key]


def grade_exercise(course: Course, module: str, source: str, *, seed: int | None = None,
                   examples: int | None = None) -> ExerciseResult:
    """Grade one exercise's module source in this process, exactly as ``nnla grade`` grades it
    (``Grader(course, seed=seed, examples=examples)``)."""
    grader = _grader(course, module, seed, examples)
    ex = course.exercise(module)
    with tempfile.TemporaryDirectory(prefix="nnla-kernel-") as tmp:
        path = Path(tmp) / f"{module}.py"
        path.write_text(source, encoding="utf-8")
        staged = Staged(name=module, modules={module: path})
        with InProcessLearner(Path(tmp), grader.limits) as proc:
            return grader._grade_exercise(ex, staged, proc)


# --- the notebook's code -----------------------------------------------------------------------------

def _namespace_code(module: str, functions: tuple[str, ...], namespace: dict) -> NotebookCode:
    """Without the notebook file: the code of the cells that defined the exercise's functions."""
    files: list[str] = []
    for fn in functions:
        code = getattr(namespace.get(fn), "__code__", None)
        if code is not None and code.co_filename not in files:
            files.append(code.co_filename)
    cells = []
    for i, filename in enumerate(files):
        text = "".join(linecache.getlines(filename))
        if text:
            cells.append({"cell_type": "code", "source": text, "metadata": {"nbgrader": {
                "solution": True, "grade": False, "locked": False, "grade_id": f"{module}-{i}"}}})
    return module_source({"cells": cells}, module, name=f"{module}{SUFFIX} (the running kernel)")


def learner_code(module: str, namespace: dict | None = None, *, course: Course | None = None,
                 folder: Path | None = None) -> NotebookCode:
    """The code to grade: ``<module>.ipynb`` in ``folder`` (default: the working folder), as
    nbgrader saved it; without that file, the cells that defined the functions in ``namespace``."""
    path = Path(folder or os.getcwd()) / f"{module}{SUFFIX}"
    if path.is_file():
        return read(path, module)
    if namespace is not None:
        course = course or find_course()
        return _namespace_code(module, course.exercise(module).functions, namespace)
    raise NotebookProblem(f"{path.name} is not in {path.parent}: run the notebook from its own folder")


def _shown(message: str, visibility: str) -> str:
    """What the learner sees of a failed check (the course's hidden-details setting)."""
    if visibility == "score":
        return "this hidden check failed"
    if visibility == "property":
        return message.splitlines()[0] if message else "this hidden check failed"
    return message


def run_check(module: str, function: str, check: str, namespace: dict | None = None, *,
              seed: int | None = None) -> None:
    """One hidden check of the notebook's code: returns when it passes, raises AssertionError
    (with the check's feedback) when it fails. The whole exercise is graded once and cached."""
    __tracebackhide__ = True  # IPython: show the message, not this function's frames
    course = find_course()
    try:
        code = learner_code(module, namespace, course=course)
    except NotebookProblem as problem:
        raise AssertionError(str(problem)) from None
    digest = hashlib.sha256(code.source.encode()).hexdigest()
    key = (str(course.root), course.grading, module, seed, digest)
    if key not in _RESULTS:
        _RESULTS[key] = grade_exercise(course, module, code.source, seed=seed)
    result = _RESULTS[key]
    found = [c for c in result.checks if c.function == function and c.name == check]
    if not found:
        raise LookupError(f"exercise {module!r} has no hidden check {function}.{check} "
                          f"(the notebook is older than the course's checks: export it again)")
    outcome = found[0]
    if outcome.passed:
        print(f"{function}: {check} passed")
        return
    message = _shown(outcome.message, getattr(course.grading, "hidden_details", "full"))
    if code.notes:
        message += "\n" + "\n".join(f"note: {n}" for n in code.notes)
    raise AssertionError(message) from None
