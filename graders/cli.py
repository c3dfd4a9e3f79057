"""The ``nnla`` command (also ``python -m graders``).

Exit status: 0 when the command ran (whatever the scores), 1 when a check it performs fails
(``sync --check``), 2 with a one-line message for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import UsageError
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
    changed = sync(course)
    for path in changed:
        print(f"wrote {path.relative_to(course.root)}")
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


def cmd_grade(args) -> int:
    from .classrun import class_submissions, grade_class
    from .results import write_atomic
    from .runner import Grader

    course = _course(args)
    if args.class_dir is None and args.submission is None:
        raise UsageError("give a SUBMISSION folder, or --class DIR --out OUTDIR")
    if args.class_dir is not None and args.submission is not None:
        raise UsageError("give either a SUBMISSION or --class DIR, not both")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.class_dir is not None:
        if args.out is None:
            raise UsageError("--class needs --out OUTDIR")
        subs = class_submissions(Path(args.class_dir), Path(args.out))
        try:
            Path(args.out).mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UsageError(f"cannot create {args.out}: {err.strerror or err}") from None
    else:
        path = Path(args.submission)
        if not path.exists():
            raise UsageError(f"{path}: no such submission")
        if not path.is_dir():
            raise UsageError(f"{path}: a submission must be a folder")
    grader = Grader(course, seed=args.seed, only=args.only)
    if grader.isolation.warning:
        print(f"warning: {grader.isolation.warning}", file=sys.stderr)
    if args.class_dir is not None:
        def progress(name, result):
            print(f"graded {name}: {result['score']}/{result['max_score']}", flush=True)

        results = grade_class(grader, subs, Path(args.out), jobs=args.jobs, on_done=progress)
        print()
        for r in results:
            print(_summary(r))
        print(f"\nwrote {len(results)} results and {Path(args.out) / 'gradebook.csv'}")
        return 0
    result = grader.grade(path)
    data = result.to_dict()
    if args.json:
        try:
            write_atomic(Path(args.json), result.to_json())
        except OSError as err:
            raise UsageError(f"cannot write {args.json}: {err.strerror or err}") from None
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
    grade.add_argument("--jobs", type=int, default=1, metavar="N", help="submissions graded at once")
    grade.add_argument("--seed", type=int, default=None, help="override the course seed")
    grade.add_argument("--only", action="append", metavar="EXERCISE",
                       help="grade only this exercise (repeatable)")
    grade.add_argument("-v", "--verbose", action="store_true", help="show every failed check")
    grade.set_defaults(run=cmd_grade)

    sync = sub.add_parser("sync", help="write exercises/ stubs from solutions/")
    sync.add_argument("--check", action="store_true", help="only check; exit 1 when out of date")
    sync.set_defaults(run=cmd_sync)

    hint = sub.add_parser("hint", help="print an exercise's hint")
    hint.add_argument("exercise")
    hint.set_defaults(run=cmd_hint)
    for module in _command_modules():
        module.register(sub)
    return parser


# Feature modules that add their own subcommands through ``register(subparsers)``.
COMMAND_MODULES = ("graders.verify", "graders.nbgrader", "graders.release", "graders.gradescope",
                   "graders.watch")


def _command_modules():
    import importlib

    for name in COMMAND_MODULES:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:  # a real missing dependency inside the module
                raise


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
