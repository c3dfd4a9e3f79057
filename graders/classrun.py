"""Grading a whole class: every submission folder (or ``.zip``) in a directory, N at a time.

Each submission's result is written atomically to ``OUTDIR/<name>.json`` as soon as it is done,
then ``OUTDIR/gradebook.csv`` is written from all of them. Workers are forked after the examples
and reference outcomes are computed, so they share them instead of recomputing them.

One submission's failure never touches another's: whatever goes wrong while grading it becomes
its own result (score 0, the reason in its notes). With ``resume=True`` a submission whose
result file already exists for the same course version, seed and exercises is not graded
again, so a class run killed at any moment can be resumed without losing or duplicating work.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

from .errors import UsageError
from .manifest import Course
from .files import write_atomic
from .results import SubmissionResult, points, spreadsheet_cell
from .runner import Grader
from .submission import printable, submission_name

GRADEBOOK = "gradebook.csv"


def class_submissions(class_dir: Path, out_dir: Path | None = None,
                      skipped: list[str] | None = None) -> list[Path]:
    """The submission folders (and .zip files) of a class, sorted by name. Each other entry
    but hidden ones is named in ``skipped``, with the reason, for the caller to report."""
    class_dir = Path(class_dir)
    if not class_dir.is_dir():
        raise UsageError(f"{class_dir}: not a folder of submissions")
    out = out_dir.resolve() if out_dir else None
    subs = []
    for p in sorted(class_dir.iterdir()):
        if p.name.startswith(".") or (out is not None and p.resolve() == out):
            continue
        if p.is_symlink():
            why = "a symbolic link (copy the submission in instead)"
        elif p.is_dir() or (p.is_file() and p.suffix.lower() == ".zip"):
            subs.append(p)
            continue
        else:
            why = "not a submission folder or a .zip file"
        if skipped is not None:
            skipped.append(f"{printable(p.name)}: {why}")
    if not subs:
        raise UsageError(f"{class_dir}: no submission folders in it")
    names: dict[str, Path] = {}
    for p in subs:
        other = names.setdefault(submission_name(p), p)
        if other != p:
            raise UsageError(f"{class_dir}: {printable(other.name)} and {printable(p.name)} are "
                             f"the same submission name; keep one")
    return subs


_GRADER: Grader | None = None


def _grade_one(path: Path) -> tuple[str, str]:
    name = submission_name(path)
    try:
        result = _GRADER.grade(path)
    except Exception as err:  # not gradable (UsageError), or a grader bug: this submission only
        result = _not_graded(_GRADER, path, err)
    return name, result.to_json()


def _not_graded(grader: Grader, path: Path, err: Exception) -> SubmissionResult:
    if isinstance(err, UsageError):
        why = printable(err)
    else:
        why = f"the grader failed on this submission ({type(err).__name__}: {printable(err)[:300]})"
        print(f"nnla: {printable(path.name)}: {why}", file=sys.stderr)
    result = SubmissionResult(
        submission=submission_name(path), course=grader.course.title,
        course_version=grader.course.version, seed=grader.seed, isolation=grader.isolation.level,
        score=0.0, max_score=sum(ex.points for ex in grader.exercises), notes=[why])
    for ex in grader.exercises:
        result.exercises[ex.module] = grader._blank(ex, "error", why, why)
    return result


def _previous_result(path: Path, name: str, grader: Grader) -> str | None:
    """The JSON of an earlier run for the same submission, course version, seed and exercises,
    if any (a damaged file, with a field missing or of the wrong type, is graded again)."""
    try:
        text = path.read_text(encoding="utf-8")
        result = SubmissionResult.from_dict(json.loads(text))
    except (OSError, ValueError, RecursionError):
        return None
    same = (result.submission == name
            and result.course == grader.course.title
            and result.course_version == grader.course.version
            and result.seed == grader.seed
            and list(result.exercises) == [ex.module for ex in grader.exercises])
    return text if same else None


def grade_class(grader: Grader, submissions: list[Path], out_dir: Path, jobs: int = 1,
                on_done: Callable[[str, SubmissionResult], None] | None = None,
                resume: bool = False) -> list[dict]:
    """Grade every submission, write its JSON, and return the results in submission order.

    ``resume``: keep (and report through ``on_done``) results already in ``out_dir`` for the
    same course version, seed and exercises; grade only the others.
    """
    global _GRADER
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Learner code must not see the class (other submissions) nor the results.
    grader.isolation = grader.isolation.with_hidden(out_dir, *{p.parent for p in submissions})
    _GRADER = grader
    texts: dict[str, str] = {}
    names = {p: submission_name(p) for p in submissions}
    if resume:
        kept = {p: _previous_result(out_dir / f"{names[p]}.json", names[p], grader) for p in submissions}
        for stale in out_dir.glob(".*.json.*.tmp"):   # half-written by a run that was killed
            stale.unlink(missing_ok=True)
    else:
        kept = {}
    todo = [p for p in submissions if kept.get(p) is None]
    if todo:
        grader.prepare()

    def finish(name: str, text: str) -> None:
        write_atomic(out_dir / f"{name}.json", text)
        texts[name] = text
        if on_done:
            on_done(name, json.loads(text))

    for path in submissions:
        if kept.get(path) is not None:
            texts[names[path]] = kept[path]
            if on_done:
                on_done(names[path], json.loads(kept[path]))
    jobs = min(jobs, len(todo))  # more workers than submissions would only cost their start
    if jobs <= 1:
        for path in todo:
            finish(*_grade_one(path))
    else:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            # Written as each one finishes: a run killed now loses only what was in progress.
            for future in as_completed([pool.submit(_grade_one, p) for p in todo]):
                finish(*future.result())
    results = [json.loads(texts[names[p]]) for p in submissions]
    write_atomic(out_dir / GRADEBOOK, gradebook_csv(grader.course, results))
    return results


def gradebook_csv(course: Course, results: list[dict]) -> str:
    """One row per submission: a column per exercise, a subtotal per unit, the total."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    graded = {m for r in results for m in r["exercises"]}
    exercises = [ex for ex in course.exercises if ex.module in graded]
    units = [u for u in course.units if any(ex.unit == u.name for ex in exercises)]
    show_units = len(units) > 1
    writer.writerow(["submission", *[ex.module for ex in exercises],
                     *([f"unit:{u.name}" for u in units] if show_units else []), "total", "max_score"])
    for r in results:
        scores = {ex.module: r["exercises"].get(ex.module, {}).get("score", 0) for ex in exercises}
        row = [spreadsheet_cell(r["submission"]), *scores.values()]
        if show_units:
            row += [points(sum(scores[ex.module] for ex in exercises if ex.unit == u.name)) for u in units]
        writer.writerow(row + [r["score"], r["max_score"]])
    return buf.getvalue()
