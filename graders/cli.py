"""The ``nnla`` command (also ``python -m graders``).

Exit status: 0 when the command ran (whatever the scores), 1 when a check it performs fails
(``sync --check``), 2 with a one-line message for bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import UsageError
from .files import cannot_write
from .manifest import Course, find_course_root, load_course

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own errors: one line, exit 2
        raise UsageError(message)


def _course(args) -> Course:
    if args.course:
        return load_course(args.course)
    try:
        return load_course(find_course_root())
    except UsageError:
        if (PACKAGE_ROOT / "course.toml").is_file():
            return load_course(PACKAGE_ROOT)
        raise


# --- commands ----------------------------------------------------------------------------------

def cmd_sync(args) -> int:
    from .sync import out_of_date, sync

    course = _course(args)
    if args.check:
        stale = out_of_date(course)
        for path in stale:
            print(f"out of date: {path.relative_to(course.root)}")
        if stale:
            print("exercises/ is out of date with solutions/: run `nnla sync`")
            return 1
        print("exercises/ is in sync with solutions/")
        return 0
    kept: list[Path] = []
    changed = sync(course, force=args.force, kept=kept)
    for path in changed:
        print(f"wrote {path.relative_to(course.root)}")
    for path in kept:
        print(f"warning: kept {path.relative_to(course.root)}: it holds your own code "
              f"(nnla sync --force replaces it with the new stub)", file=sys.stderr)
    print(f"{len(changed)} file(s) updated" if changed else "exercises/ already up to date")
    return 0


def cmd_hint(args) -> int:
    course = _course(args)
    ex = course.exercise(args.exercise)
    print(f"{ex.title} ({ex.module}): {ex.hint or 'no hint for this exercise'}")
    return 0


def _summary(result: dict) -> str:
    lines = [f"{result['submission']}: {result['score']}/{result['max_score']} points"]
    width = max(len(m) for m in result["exercises"])
    for module, ex in result["exercises"].items():
        lines.append(f"  {module:<{width}}  {ex['score']:>5}/{ex['max_score']:<4} {ex['status']:<15} {ex['message'].splitlines()[0] if ex['message'] else ''}")
    return "\n".join(lines)


def _failures(result: dict) -> str:
    parts = []
    for module, ex in result["exercises"].items():
        for check in ex["checks"]:
            if not check["passed"] and "\n" in check["message"]:
                parts.append(f"--- {module}.{check['function']}: {check['name']}\n{check['message']}")
    return "\n".join(parts)


def _grade_class(args, course, grader, subs) -> int:
    """A class run: progress, results, gradebook, feedback files, the summary and the report."""
    import time

    from .classrun import grade_class
    from .learner_feedback import FEEDBACK_DIR, write_feedback
    from .progress import ClassProgress, print_summary
    from .report import REPORT, RunInfo, write_report

    out = Path(args.out)
    report = Path(args.report) if args.report else out / REPORT
    try:
        report.parent.mkdir(parents=True, exist_ok=True)  # before grading: a bad place fails at once
    except OSError as err:
        raise cannot_write(report, err) from None
    visibility = args.hidden_details or getattr(course.grading, "hidden_details", "full")
    says = {(m, c.function, c.name): c.says for m, checks in grader.checks.items() for c in checks}
    started = time.monotonic()
    with ClassProgress(len(subs), mode=args.progress or "auto") as progress:
        def done(name, result):
            write_feedback(course, result, out, visibility=visibility, says=says)
            progress.done(name, result)

        try:
            results = grade_class(grader, subs, out, jobs=args.jobs, on_done=done,
                                  resume=getattr(args, "resume", False))
        except OSError as err:  # a full disk, say: every result written before it is whole
            why = cannot_write(err.filename or out, err)
            raise UsageError(f"{why} (the results written before are kept: finish with --resume)") from None
    elapsed = time.monotonic() - started  # for the report only: never in the result JSONs
    print_summary(course, results, elapsed=elapsed, troubled=progress.tally.troubled)
    run = RunInfo(elapsed_s=elapsed, jobs=args.jobs, examples=grader.n_examples,
                  time_limit=grader.limits.time_limit, memory_limit_mb=grader.limits.memory_mb)
    try:
        write_report(report, course, results, run=run, feedback_dir=out / FEEDBACK_DIR, says=says)
    except OSError as err:
        raise cannot_write(report, err) from None
    print(f"\nwrote {len(results)} results and {out / 'gradebook.csv'}")
    if args.lms:
        from .lms import write_lms_gradebook

        print(f"{args.lms.capitalize()} gradebook: {write_lms_gradebook(course, results, out, args.lms, args.lms_column)}")
    print(f"feedback for learners: {out / FEEDBACK_DIR}{os.sep} (.md and .html)")
    print(f"class report: {report}")
    return 0


def _check_class_out(args) -> None:
    """Results go beside the submissions, never into one of them or onto the class folder (a
    later run would grade them as a learner); the report is a file."""
    class_dir, out = Path(args.class_dir).resolve(), Path(args.out).resolve()
    if out == class_dir:
        raise UsageError(f"--out {args.out} is the class folder: write the results beside the "
                         f"submissions, not in among them")
    if class_dir in out.parents:
        entry = class_dir / out.relative_to(class_dir).parts[0]
        if entry != out or any(entry.glob("*.py")) or any(entry.glob("*.ipynb")):
            raise UsageError(f"--out {args.out} is inside the submission {entry.name}: write the "
                             f"results beside the submissions")
    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise UsageError(f"--out {args.out} is a file, not a folder")
    if args.report and Path(args.report).is_dir():
        raise UsageError(f"--report {args.report} is a folder: give a file name, such as "
                         f"{Path(args.report) / 'report.html'}")


def _check_only_keeps_results(args, subs) -> None:
    """An --only run must not replace results that grade more exercises than it does."""
    import json

    from .submission import submission_name

    for sub in subs:
        try:
            graded = json.loads((Path(args.out) / f"{submission_name(sub)}.json").read_text("utf-8"))["exercises"]
        except (OSError, ValueError, TypeError, KeyError):
            continue
        others = sorted(set(graded) - set(args.only)) if isinstance(graded, dict) else []
        if others:
            raise UsageError(f"{args.out} holds results for exercises outside --only (such as "
                             f"{others[0]} in {submission_name(sub)}.json), which this run would "
                             f"replace: give another --out")


def cmd_grade(args) -> int:
    from .sandbox import containment

    containment.detect_soon()   # while the grader's modules load
    from .classrun import class_submissions
    from .files import write_atomic
    from .runner import Grader

    course = _course(args)
    if args.class_dir is None and args.submission is None:
        raise UsageError("give a SUBMISSION folder, or --class DIR --out OUTDIR")
    if args.class_dir is not None and args.submission is not None:
        raise UsageError("give either a SUBMISSION or --class DIR, not both")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.class_dir is None:
        for option, given in (("--out", args.out), ("--report", args.report), ("--resume", args.resume),
                              ("--hidden-details", args.hidden_details), ("--progress", args.progress)):
            if given:
                raise UsageError(f"{option} is for class runs: it needs --class DIR --out OUTDIR")
    if args.jobs is None:
        args.jobs = 1 if args.class_dir is not None else min(2, len(os.sched_getaffinity(0))
                                                            if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    if (args.lms or args.lms_column) and args.class_dir is None:
        raise UsageError("--lms and --lms-column need --class DIR --out OUTDIR")
    if args.lms_column is not None and not args.lms:
        raise UsageError("--lms-column needs --lms canvas|moodle")
    if args.lms_column is not None:
        from .lms import check_column

        check_column(args.lms_column)
    if args.class_dir is not None:
        if args.out is None:
            raise UsageError("--class needs --out OUTDIR")
        _check_class_out(args)
        skipped: list[str] = []
        subs = class_submissions(Path(args.class_dir), Path(args.out), skipped)
        for entry in skipped:
            print(f"warning: not graded: {entry}", file=sys.stderr)
        if args.only:
            _check_only_keeps_results(args, subs)
        try:
            Path(args.out).mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise cannot_write(Path(args.out) / "gradebook.csv", err) from None
    else:
        path = Path(args.submission)
        if not path.exists():
            raise UsageError(f"{path}: no such submission")
        if not path.is_dir() and not (path.is_file() and path.suffix.lower() == ".zip"):
            raise UsageError(f"{path}: a submission must be a folder or a .zip file")
    grader = Grader(course, seed=args.seed, only=args.only)
    if grader.isolation.warning:
        print(f"warning: {grader.isolation.warning}", file=sys.stderr)
    if args.class_dir is not None:
        return _grade_class(args, course, grader, subs)
    result = grader.grade(path, jobs=args.jobs)
    data = result.to_dict()
    if args.json:
        try:
            write_atomic(Path(args.json), result.to_json())
        except OSError as err:
            raise cannot_write(args.json, err) from None
    print(_summary(data))
    details = _failures(data)
    if details and args.verbose:
        print("\n" + details)
    elif details:
        print("\n(run with -v to see each failed check and its counterexample)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nnla", description="Linear algebra for neural networks: the course tool.")
    parser.add_argument("--course", metavar="DIR", help="the course folder (default: found from here)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    grade = sub.add_parser("grade", help="grade one submission or a whole class")
    grade.add_argument("submission", nargs="?", help="a submission folder")
    grade.add_argument("--class", dest="class_dir", metavar="DIR", help="a folder of submission folders")
    grade.add_argument("--out", metavar="OUTDIR", help="where class results and the gradebook go")
    grade.add_argument("--json", metavar="FILE", help="also write the result JSON here")
    grade.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="grading processes: with --class, submissions graded at once (default 1); "
                            "for one submission, its exercises are split over N processes (default: "
                            "2 on a machine with 2 or more cores)")
    grade.add_argument("--seed", type=int, default=None, help="override the course seed")
    grade.add_argument("--resume", action="store_true",
                       help="with --class: skip submissions already graded in OUTDIR with the "
                            "same course version, seed and exercises")
    grade.add_argument("--only", action="append", metavar="EXERCISE",
                       help="grade only this exercise (repeatable)")
    grade.add_argument("-v", "--verbose", action="store_true", help="show every failed check")
    grade.add_argument("--report", metavar="FILE",
                       help="where the class report goes (default: OUTDIR/report.html)")
    grade.add_argument("--hidden-details", choices=("full", "property", "score"), default=None,
                       help="what learners' feedback files show of a failed hidden check: the "
                            "property and its counterexample (full, the default), the property "
                            "only, or only each exercise's score")
    grade.add_argument("--lms", choices=("canvas", "moodle"), default=None,
                       help="class runs: also write OUTDIR/gradebook-<lms>.csv for Canvas or Moodle to import")
    grade.add_argument("--lms-column", metavar="NAME", default=None,
                       help="the LMS gradebook's total column (default: the course title); "
                            "exercise columns are 'NAME: <exercise title>'")
    grade.add_argument("--progress", choices=("auto", "bar", "plain", "none"), default=None,
                       help="class runs: a live bar (on a terminal), one line per submission "
                            "(otherwise), or nothing")
    grade.set_defaults(run=cmd_grade)

    sync = sub.add_parser("sync", help="write exercises/ stubs from solutions/")
    sync.add_argument("--check", action="store_true", help="only check; exit 1 when out of date")
    sync.add_argument("--force", action="store_true",
                      help="also replace exercise files that hold code of their own (filled-in stubs)")
    sync.set_defaults(run=cmd_sync)

    hint = sub.add_parser("hint", help="print an exercise's hint")
    hint.add_argument("exercise")
    hint.set_defaults(run=cmd_hint)
    for module in _command_modules():
        module.register(sub)
    return parser


def export_subparsers(sub):
    """The ``export`` command's subparsers (``nnla export nbgrader|gradescope ...``), made once.

    Feature modules call this from ``register``; whichever comes first creates ``export``.
    """
    targets = getattr(sub, "_nnla_export_targets", None)
    if targets is None:
        export = sub.add_parser("export", help="write the course for another system (nbgrader, Gradescope)")
        targets = export.add_subparsers(dest="target", metavar="TARGET", required=True,
                                        parser_class=_Parser)
        sub._nnla_export_targets = targets
    return targets


# Feature modules that add their own subcommands through ``register(subparsers)``.
COMMAND_MODULES = ("graders.verify", "graders.nbgrader", "graders.release", "graders.gradescope",
                   "graders.watch")


def _command_modules():
    import importlib

    return [importlib.import_module(name) for name in COMMAND_MODULES]


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except UsageError as err:
        print(f"nnla: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nnla: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
