"""``nnla verify``: the course's self-test, run after every edit of the course (and by CI).

It checks that the manifest is valid, the stubs are in sync, every reference scores full marks,
every stub scores 0, every bundled mutant (``graders/suite``) loses points in its own exercise
and nowhere else, every valid variant scores full marks, and every hidden check kills at least
one mutant (a check no mutant fails is redundant or untested). It prints the kill matrix summary.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError
from .manifest import Course
from .suite import Variant, all_mutants, all_valid, build_submission
from .sync import out_of_date

if TYPE_CHECKING:
    from .runner import Grader  # imported when needed: `nnla` starts without loading the grader

REFERENCE, STUBS = "_reference", "_stubs"


@dataclass
class SuiteReport:
    results: dict[str, dict]                       # submission name -> result JSON (as a dict)
    mutants: list[Variant]
    valid: list[Variant]
    kills: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)  # check -> mutant ids
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def mutant_problem(variant: Variant, result: dict) -> str | None:
    """Why a mutant is not caught as it must be (None when it is)."""
    if variant.module not in result["exercises"]:
        return f"mutant {variant.id}: its exercise was not graded"
    for module, ex in result["exercises"].items():
        if module == variant.module:
            lost = [c for c in ex["checks"] if not c["passed"]]
            if not lost:
                return f"mutant {variant.id} ({variant.why}) keeps full marks"
            if not any(c["function"] == variant.function for c in lost):
                return f"mutant {variant.id} loses points only on other functions"
        elif ex["score"] != ex["max_score"]:
            return f"mutant {variant.id} costs points in {module}, not only in {variant.module}"
    return None


def valid_problem(variant: Variant, result: dict) -> str | None:
    for module, ex in result["exercises"].items():
        if ex["score"] != ex["max_score"]:
            failed = [c["name"] for c in ex["checks"] if not c["passed"]]
            return f"valid variant {variant.id} ({variant.why}) loses points in {module}: {', '.join(failed)}"
    return None


def run_suite(grader: Grader, jobs: int = 2, workdir: Path | None = None) -> SuiteReport:
    """Grade the reference and the stubs on every exercise, and each mutant and valid variant on
    its own exercise (the other modules of its submission are the reference's, graded once)."""
    from .classrun import grade_class
    from .runner import Grader

    modules = [ex.module for ex in grader.exercises]
    mutants = [m for m in all_mutants() if m.module in modules]
    valid = [v for v in all_valid() if v.module in modules]
    course = grader.course
    graded: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="nnla-verify-", dir=workdir) as tmp:
        root = Path(tmp)
        whole = root / "whole"
        build_submission(whole / REFERENCE, course.root)
        stubs = whole / STUBS
        stubs.mkdir(parents=True)
        for ex in grader.exercises:
            (stubs / f"{ex.module}.py").write_bytes((course.exercises_dir / f"{ex.module}.py").read_bytes())
        graded += grade_class(grader, sorted(whole.iterdir()), root / "out-whole", jobs=jobs)
        for module in modules:
            variants = [v for v in mutants + valid if v.module == module]
            if not variants:
                continue
            class_dir = root / module
            for v in variants:
                build_submission(class_dir / v.id, course.root, [v], modules=[module])
            one = Grader(course, seed=grader.seed, examples=grader.n_examples,
                         only=[module])
            graded += grade_class(one, sorted(class_dir.iterdir()), root / f"out-{module}", jobs=jobs)
    report = SuiteReport({r["submission"]: r for r in graded}, mutants, valid)
    ref, stub = report.results[REFERENCE], report.results[STUBS]
    if ref["score"] != ref["max_score"]:
        bad = [m for m, e in ref["exercises"].items() if e["score"] != e["max_score"]]
        report.problems.append(f"the reference loses points in {', '.join(bad)}")
    for module, ex in stub["exercises"].items():
        if ex["score"] != 0 or ex["status"] != "not_implemented":
            report.problems.append(f"the stub of {module} scores {ex['score']} ({ex['status']}), not 0")
    for m in mutants:
        problem = mutant_problem(m, report.results[m.id])
        if problem:
            report.problems.append(problem)
    for v in valid:
        problem = valid_problem(v, report.results[v.id])
        if problem:
            report.problems.append(problem)
    for module, checks in grader.checks.items():
        for check in checks:
            killers = [m.id for m in mutants if m.module == module and not next(
                c["passed"] for c in report.results[m.id]["exercises"][module]["checks"]
                if c["name"] == check.name and c["function"] == check.function)]
            report.kills[(module, check.function, check.name)] = killers
            if not killers:
                report.problems.append(f"check {module}.{check.function}.{check.name} kills no mutant")
    return report


def kill_matrix(report: SuiteReport) -> str:
    """One line per check: how many mutants it kills, and which."""
    lines = [f"{'check':<58} kills"]
    for (module, function, name), killers in report.kills.items():
        short = ", ".join(k.split(".", 2)[2] for k in killers)
        lines.append(f"{module}.{function}.{name:<{max(1, 56 - len(module) - len(function))}} "
                     f"{len(killers):>3}  {short[:90]}")
    return "\n".join(lines)


def verify(course: Course, jobs: int = 2) -> tuple[bool, str]:
    """The whole self-test; returns (ok, printable report)."""
    lines = [f"course: {course.title} {course.version}: {len(course.exercises)} exercises, "
             f"{course.max_score:g} points — manifest valid"]
    stale = out_of_date(course)
    if stale:
        lines.append("FAIL stubs out of date: " + ", ".join(p.name for p in stale) + " (run `nnla sync`)")
        return False, "\n".join(lines)
    lines.append("ok   stubs in sync with solutions")
    from .runner import Grader

    grader = Grader(course)
    report = run_suite(grader, jobs=jobs)
    lines.append(f"graded the reference, the stubs, {len(report.mutants)} mutants and "
                 f"{len(report.valid)} valid variants")
    lines.append("")
    lines.append(kill_matrix(report))
    lines.append("")
    if report.ok:
        lines.append(f"ok   every reference full, every stub 0, every mutant caught in its own exercise "
                     f"only, every valid variant full, every one of {len(report.kills)} checks kills a mutant")
    else:
        lines += [f"FAIL {p}" for p in report.problems]
    return report.ok, "\n".join(lines)


def cmd_verify(args) -> int:
    from .cli import _course

    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    ok, text = verify(_course(args), jobs=args.jobs)
    print(text)
    return 0 if ok else 1


def register(sub) -> None:
    parser = sub.add_parser("verify", help="self-test the course: references, stubs, mutants, checks")
    parser.add_argument("--jobs", type=int, default=2, metavar="N")
    parser.set_defaults(run=cmd_verify)
