"""Grading: a submission in, a :class:`SubmissionResult` out.

The trusted process generates the inputs, computes the reference, calls the learner through a
:class:`~graders.sandbox.process.LearnerProcess`, compares, shrinks and scores. A check passes
when every one of its examples passes; a crash, timeout or ``NotImplementedError`` in one function
costs that function only.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from . import cache, feedback, forbidden, testset
from .checks import Args, Check, Outcome, load_checks
from .errors import UsageError
from .forked import forked
from .examples import (Failure, check_seed, example_size, judge, parameter_names, reference_module,
                       shrink, unjudgeable, wire_copy)
from .manifest import Course, Exercise
from .results import CheckResult, ExerciseResult, SubmissionResult, exercise_status
from .sandbox import containment
from .sandbox.process import OUTPUT_CAP, SAME_AS_EXPECTED, LearnerProcess, Limits
from .submission import Staged, read_source, stage
from .testset import TestSet


def course_checks(course: Course, only: list[str] | None = None) -> dict[str, list[Check]]:
    """Every exercise's checks, validated against the manifest (functions and points)."""
    result = {}
    for ex in course.exercises:
        if only is not None and ex.module not in only:
            continue
        try:
            checks = load_checks(ex.module)
        except ModuleNotFoundError:
            raise UsageError(f"exercise {ex.module!r} has no checks (graders/checks/{ex.module}.py)") from None
        for check in checks:
            if check.function not in ex.functions:
                raise UsageError(f"graders/checks/{ex.module}.py: check {check.name!r} grades "
                                 f"{check.function!r}, which course.toml does not list")
        for fn in ex.functions:
            if not any(c.function == fn for c in checks):
                raise UsageError(f"exercise {ex.module!r}: function {fn!r} has no hidden check")
        total = sum(c.points for c in checks)
        if abs(total - ex.points) > 1e-9:
            raise UsageError(f"exercise {ex.module!r}: its checks are worth {total:g} points but "
                             f"course.toml gives {ex.points:g}")
        result[ex.module] = checks
    return result


class Grader:
    """Grades submissions of one course with one seed; examples and references are cached."""

    def __init__(self, course: Course, *, seed: int | None = None,
                 isolation: containment.Isolation | None = None, examples: int | None = None,
                 only: list[str] | None = None):
        if only is not None:
            for module in only:
                course.exercise(module)  # a clear error for an unknown name
        self.course = course
        self.exercises = [ex for ex in course.exercises if only is None or ex.module in only]
        self.seed = course.grading.seed if seed is None else seed
        self.n_examples = examples or course.grading.examples
        self.limits = Limits(time_limit=course.grading.time_limit,
                             memory_mb=course.grading.memory_limit_mb)
        if isolation is None:
            containment.detect_soon()  # the checks load meanwhile
        self.checks = course_checks(course, only)
        if isolation is None:
            isolation = containment.detect()
        self.isolation = isolation.with_hidden(course.root)
        self._cases: dict[str, dict[tuple, TestSet]] = {}
        # NNLA_UNBATCHED=1: one round trip per call, as before batching (for the benchmark's
        # check that the optimised path gives byte-identical results).
        self.batched = os.environ.get("NNLA_UNBATCHED") != "1"

    # --- trusted side, cached -------------------------------------------------------------------
    def _n(self, check: Check) -> int:
        return check.examples or self.n_examples

    def cases(self, module: str) -> dict[tuple, TestSet]:
        """Each check's test set (see :mod:`graders.testset`): from the disk cache, or computed now."""
        if module in self._cases:
            return self._cases[module]
        folder = cache.cache_dir()
        path = None
        if folder is not None:
            path = cache.entry_path(folder, self.course.solutions_dir, module, self.seed, self.n_examples)
            stored = cache.load(path)
            wanted = {(c.function, c.name) for c in self.checks[module]}
            if stored is not None and set(stored) == wanted:
                self._cases[module] = stored
                return stored
        ref_mod = reference_module(self.course.solutions_dir, module)
        computed = {(check.function, check.name):
                    testset.build(check, check_seed(self.seed, module, check), self._n(check), ref_mod)
                    for check in self.checks[module]}
        if path is not None:
            cache.store(path, computed)
        self._cases[module] = computed
        return computed

    def reference(self, module: str, check: Check, example: Args) -> list[Outcome]:
        return testset.reference_outcomes(reference_module(self.course.solutions_dir, module), check.calls(example))

    def prepare(self, decode: bool = True) -> None:
        """Load or compute every test set now (before forking grading processes, which then
        share them). ``decode``: also decode every example, as a class run does once for all of
        its submissions; one submission decodes only the examples it has to judge."""
        for module in self.checks:
            for tests in self.cases(module).values():
                if decode:
                    tests.decode()

    # --- one submission ------------------------------------------------------------------------
    def grade(self, path: Path, name: str | None = None, jobs: int = 1) -> SubmissionResult:
        """Grade one submission. With ``jobs`` > 1, that many grading processes (this one and
        forked copies), each with its own learner process, take the exercises one at a time:
        the same results, sooner on idle cores."""
        path = Path(path)
        modules = [ex.module for ex in self.exercises]
        with tempfile.TemporaryDirectory(prefix="nnla-stage-") as tmp:
            staged = stage(path, modules, Path(tmp) / "submission")
            result = SubmissionResult(
                submission=name or staged.name, course=self.course.title,
                course_version=self.course.version, seed=self.seed, isolation=self.isolation.level,
                score=0.0, max_score=sum(ex.points for ex in self.exercises), notes=list(staged.notes))
            folder = Path(tmp) / "submission"
            jobs = max(1, min(jobs, len(self.exercises)))
            taken = multiprocessing.get_context("fork").Value("i", 0) if jobs > 1 else None
            helpers = [forked(self._grade_taken, staged, folder, taken) for _ in range(jobs - 1)]
            graded = self._grade_taken(staged, folder, taken)
            for helper in helpers:
                graded.update(helper())
            for ex in self.exercises:
                result.exercises[ex.module] = graded[ex.module]
        result.score = sum(e.score for e in result.exercises.values())
        return result

    def grade_in_turn(self, path: Path, modules: list[str]) -> Iterator[tuple[str, ExerciseResult]]:
        """Grade the exercises ``modules`` of one submission in this order, in one learner
        process, and give each result as soon as it is known (a caller that stops waiting for
        one, say at a deadline, loses none of those before it)."""
        with tempfile.TemporaryDirectory(prefix="nnla-stage-") as tmp:
            staged = stage(Path(path), [ex.module for ex in self.exercises], Path(tmp) / "submission")
            todo = iter([self.course.exercise(m) for m in modules])
            yield from self._in_turn(staged, Path(tmp) / "submission", lambda: next(todo, None))

    def _grade_taken(self, staged: Staged, folder: Path, taken) -> dict[str, ExerciseResult]:
        """Grade exercises in course order until none is left; ``taken`` (shared between the
        grading processes, None when alone) counts those already taken."""
        def take() -> Exercise | None:
            with taken.get_lock():
                i, taken.value = taken.value, taken.value + 1
            return self.exercises[i] if i < len(self.exercises) else None

        todo = iter(self.exercises)
        return dict(self._in_turn(staged, folder, take if taken is not None else lambda: next(todo, None)))

    def _in_turn(self, staged: Staged, folder: Path,
                 next_exercise: Callable[[], Exercise | None]) -> Iterator[tuple[str, ExerciseResult]]:
        """(module, result) of each exercise ``next_exercise`` gives, graded in one learner process."""
        with LearnerProcess(folder, self.limits, self.isolation) as proc:
            proc.begin()  # the learner process starts while the first examples load
            while (ex := next_exercise()) is not None:
                if ex.module in staged.modules:
                    self.cases(ex.module)
                yield ex.module, self._grade_exercise(ex, staged, proc)

    def _blank(self, ex: Exercise, status: str, message: str, reason: str) -> ExerciseResult:
        checks = [CheckResult(c.name, c.function, False, 0, c.points, reason)
                  for c in self.checks[ex.module]]
        return ExerciseResult(ex.title, 0, ex.points, status, message, checks)

    def _grade_exercise(self, ex: Exercise, staged: Staged, proc: LearnerProcess) -> ExerciseResult:
        if ex.module in staged.problems:
            problem = staged.problems[ex.module]
            return self._blank(ex, "error", problem, problem)
        if ex.module not in staged.modules:
            msg = f"{ex.module}.py not found in the submission"
            return self._blank(ex, "missing", msg, msg)
        source = read_source(staged.modules[ex.module])
        if source is None:
            msg = f"{ex.module}.py is not UTF-8 text"
            return self._blank(ex, "error", msg, msg)
        try:
            violations = forbidden.scan(source, ex.forbidden)
            compile(source, f"{ex.module}.py", "exec")
        except SyntaxError as err:
            msg = f"{ex.module}.py has a syntax error on line {err.lineno}: {err.msg}"
            return self._blank(ex, "error", msg, msg)
        except (ValueError, RecursionError) as err:
            msg = f"{ex.module}.py cannot be read as Python ({type(err).__name__})"
            return self._blank(ex, "error", msg, msg)
        banned: dict[str, str] = {}
        for v in violations:
            targets = [v.function] if v.function in ex.functions else list(ex.functions)
            for fn in targets:
                banned.setdefault(fn, f"{fn} {v.describe()}")
        if len(banned) == len(ex.functions):
            first = banned[ex.functions[0]]
            return self._blank(ex, "forbidden", first, first)

        opened = proc.open(ex.module, list(ex.functions))
        if not opened.ok:
            err = opened.error
            if err.kind == "raised":
                msg = f"importing {ex.module}.py raised {err.error}: {err.message}".rstrip(": ")
                status = "error"
            else:
                msg = f"{ex.module}.py {err.message}"
                status = {"timeout": "timeout"}.get(err.error, "crashed")
            result = self._blank(ex, status, msg, msg)
            result.output = err.output[:OUTPUT_CAP]
            return result

        dead: dict[str, str] = {fn: f"{fn} is not defined in {ex.module}.py" for fn in opened.missing}
        dead.update(banned)
        kinds: set[str] = set()
        outputs: list[str] = []
        results = []
        shrunk: set[str] = set()  # functions whose counterexample hypothesis already shrank
        for check in self.checks[ex.module]:
            if check.function in dead:
                results.append(CheckResult(check.name, check.function, False, 0, check.points,
                                           dead[check.function]))
                kinds.add("dead")
                continue
            passed, message, failure = self._run_check(ex, check, proc, outputs,
                                                       shrink_it=check.function not in shrunk)
            if failure is not None and failure.judged:
                shrunk.add(check.function)
            if failure is not None:
                kinds.add(failure.kind if failure.kind != "limit" else failure.error)
                if failure.kind == "not_implemented":
                    dead[check.function] = f"{check.function}: not implemented yet"
                elif failure.kind == "limit" and failure.error == "timeout":
                    dead[check.function] = f"not run: {check.function} timed out in an earlier check"
            results.append(CheckResult(check.name, check.function, passed,
                                       check.points if passed else 0, check.points, message))
        proc.end_session()
        if proc.lost_supervisor(ex.module):
            # Whether its checks had passed before that showed depends on scheduling; a grade
            # must not, so none of them counts.
            why = (f"{ex.module}.py killed the process that runs it (its supervisor in the sandbox), "
                   "so no check of this exercise counts")
            results = [CheckResult(r.name, r.function, False, 0, r.max_points, why) for r in results]
            kinds.add("crash")
        if "dead" in kinds:
            kinds.discard("dead")
            if any(fn in banned for fn in ex.functions):
                kinds.add("forbidden")
            if opened.missing:
                kinds.add("missing")
        status = exercise_status(results, kinds)
        if status in ("failed",) and "forbidden" in kinds:
            status = "forbidden"
        score = sum(r.points for r in results)
        n_passed = sum(r.passed for r in results)
        if status == "passed":
            message = f"all {len(results)} checks passed"
        elif status == "not_implemented":
            message = f"{ex.module}: not implemented yet"
        else:
            message = f"{n_passed}/{len(results)} checks passed"
            if banned:
                message += "; " + "; ".join(sorted(set(banned.values())))
        output = "".join(outputs)
        if len(output) > OUTPUT_CAP:
            output = output[:OUTPUT_CAP] + f"\n[... output cut at {OUTPUT_CAP // 1024} KiB]"
        return ExerciseResult(ex.title, score, ex.points, status, message, results, output)

    def _ensure_open(self, proc: LearnerProcess, ex: Exercise) -> Outcome | None:
        """Reopen the exercise's session if a kill ended it; an outcome when that fails."""
        if proc.module is not None:
            return None
        opened = proc.open(ex.module, list(ex.functions))
        if opened.ok:
            return None
        return opened.error if opened.error.kind == "limit" else \
            Outcome("limit", error="crash", message="could not be restarted")

    def _call_all(self, proc: LearnerProcess, ex: Exercise, example: Args, check: Check) -> list[Outcome]:
        """One example's calls, one at a time (used while shrinking)."""
        got = []
        for call in check.calls(example):
            problem = self._ensure_open(proc, ex)
            if problem is not None:
                return got + [problem]
            outcome = proc.call(call)
            got.append(outcome)
            if outcome.kind == "limit":
                break
        return got

    def _run_check(self, ex: Exercise, check: Check, proc: LearnerProcess, outputs: list[str],
                   shrink_it: bool = True) -> tuple[bool, str, Failure | None]:
        """Run one check's examples in one batch and judge them. A failure is reported with the
        smallest failing example, shrunk by hypothesis if ``shrink_it`` (the runner shrinks the
        first failing check of each function: one minimal counterexample per bug, at the cost
        of one shrink)."""
        failure = example = None
        notes = set()
        tests = self.cases(ex.module)[(check.function, check.name)]
        if self.batched:
            problem = self._ensure_open(proc, ex)
            flat = [problem] if problem is not None else \
                proc.run_batch(tests.flat_calls, tests.frame, tests.expected)
            outputs.append(proc.take_output())
        else:  # the plain path, one round trip per call, all judged (the benchmark checks both agree)
            flat = []
            for example, calls in zip(tests.examples, tests.calls):
                got = self._call_all(proc, ex, example, check)
                outputs.extend(o.output for o in got)
                flat += got
                if len(got) < len(calls) or any(o.kind == "limit" for o in got):
                    break  # a kill ends the check, as it ends a batch
        start = 0
        failures: list[tuple[Args, Failure, bytes]] = []
        for i, (calls, recorded) in enumerate(zip(tests.calls, tests.choices)):
            first, start = start, start + len(calls)
            got = flat[first:start]
            if not got:  # the batch ended early (a kill): the failure is already recorded
                break
            if len(got) == len(calls) and tests.self_pass[i] and all(o is SAME_AS_EXPECTED for o in got):
                continue  # the reference's own replies, judged once for all learners: passed
            got = [tests.expected_outcome(first + j) if o is SAME_AS_EXPECTED else o for j, o in enumerate(got)]
            failure = unjudgeable(got)
            if failure is not None and failure.kind == "not_implemented":
                example = None  # a stub: its message shows no example, so none is decoded
            else:
                example = tests.example(i)
                failure = failure or judge(check, example, got, tests.reference(i))
            if failure is not None:
                failures.append((example, failure, recorded))
                if not failure.judged:
                    break  # a kill or NotImplementedError: nothing after it ran
            else:
                notes.update(o.note for o in got if o.note)
        if not failures:
            return True, ("passed" + (f" (note: {'; '.join(sorted(notes))})" if notes else "")), None
        example, failure, _ = failures[0]
        if failure.judged:
            # The smallest failing example of the batch; then hypothesis shrinks it, if it finds
            # a smaller one within its budget.
            example, failure, recorded = min((f for f in failures if f[1].judged),
                                             key=lambda f: example_size(f[0]))
            if shrink_it:
                def evaluate(candidate: Args) -> Failure | None:
                    candidate = wire_copy(candidate)
                    got = self._call_all(proc, ex, candidate, check)
                    return judge(check, candidate, got, self.reference(ex.module, check, candidate))
                smaller = shrink(check, check_seed(self.seed, ex.module, check), self._n(check), recorded,
                                 evaluate)
                if smaller is not None:
                    candidate = wire_copy(smaller[0])
                    if example_size(candidate) < example_size(example):
                        example, failure = candidate, smaller[1]
        names = parameter_names(reference_module(self.course.solutions_dir, ex.module), check.function)
        if failure.kind == "not_implemented":
            return False, f"{check.function}: not implemented yet", failure
        message = feedback.describe(failure, check.says, check.function, example, names, ex.hint)
        return False, message, failure
