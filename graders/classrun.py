"""Grading a whole class: every submission folder in a directory, N at a time.

Each submission's result is written atomically to ``OUTDIR/<name>.json`` as soon as it is done,
then ``OUTDIR/gradebook.csv`` is written from all of them. Workers are forked after the examples
and reference outcomes are computed, so they share them instead of recomputing them.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from .errors import UsageError
from .manifest import Course
from .results import SubmissionResult, points, write_atomic
from .runner import Grader

GRADEBOOK = "gradebook.csv"


def class_submissions(class_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """The submission folders of a class, sorted by name."""
    class_dir = Path(class_dir)
    if not class_dir.is_dir():
        raise UsageError(f"{class_dir}: not a folder of submissions")
    out = out_dir.resolve() if out_dir else None
    subs = [p for p in sorted(class_dir.iterdir())
            if p.is_dir() and not p.name.startswith(".") and not p.is_symlink()
            and (out is None or p.resolve() != out)]
    if not subs:
        raise UsageError(f"{class_dir}: no submission folders in it")
    return subs


_GRADER: Grader | None = None


def _grade_one(path: Path) -> tuple[str, str]:
    result = _GRADER.grade(path)
    return path.name, result.to_json()


def grade_class(grader: Grader, submissions: list[Path], out_dir: Path, jobs: int = 1,
                on_done: Callable[[str, SubmissionResult], None] | None = None) -> list[dict]:
    """Grade every submission, write its JSON, and return the results in submission order."""
    global _GRADER
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    grader.prepare()
    _GRADER = grader
    texts: dict[str, str] = {}

    def finish(name: str, text: str) -> None:
        write_atomic(out_dir / f"{name}.json", text)
        texts[name] = text
        if on_done:
            on_done(name, json.loads(text))

    if jobs <= 1:
        for path in submissions:
            finish(*_grade_one(path))
    else:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for name, text in pool.map(_grade_one, submissions):
                finish(name, text)
    results = [json.loads(texts[p.name]) for p in submissions]
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
        row = [r["submission"], *scores.values()]
        if show_units:
            row += [points(sum(scores[ex.module] for ex in exercises if ex.unit == u.name)) for u in units]
        writer.writerow(row + [r["score"], r["max_score"]])
    return buf.getvalue()
