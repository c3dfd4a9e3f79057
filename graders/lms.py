"""Gradebooks an LMS can import: ``nnla grade --class DIR --out OUT --lms canvas|moodle``.

One row per submission (its folder name is the student id), the total in a column the instructor
names (``--lms-column``, default the course title), and one column per exercise, named
``<column>: <exercise title>``.

Canvas (Grades > Import): Canvas' own export layout, ``Student, ID, SIS User ID, SIS Login ID,
Section``, then the grade columns, and a ``Points Possible`` row so that new columns become
assignments worth the right points. The student id goes in ``SIS User ID`` (and ``Student``);
Canvas matches rows on it. Columns that do not exist yet become new assignments.

Moodle (Grades > Import > CSV file): ``ID number`` then the grade columns; on import, map
``ID number`` to the users' ID number and each column to a grade item (or a new one).

Both files are UTF-8 with a header row; scores print as nnla prints points (``7.5``, ``10``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .errors import UsageError
from .manifest import Course
from .files import write_atomic
from .results import points, spreadsheet_cell

LMS = ("canvas", "moodle")
FILES = {"canvas": "gradebook-canvas.csv", "moodle": "gradebook-moodle.csv"}
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "    Points Possible"   # as Canvas writes it in its own exports
MOODLE_IDENTITY = ["ID number"]


def check_column(column: str | None) -> None:
    if column is not None and (not column.strip() or any(c in column for c in "\r\n")):
        raise UsageError("--lms-column must be a non-empty name on one line")


def columns(course: Course, results: list[dict], column: str | None) -> tuple[str, list, list[str]]:
    """(total column, graded exercises in course order, their column names)."""
    check_column(column)
    name = (column or course.title).strip()
    graded = {m for r in results for m in r.get("exercises", {})}
    exercises = [ex for ex in course.exercises if ex.module in graded]
    return name, exercises, [f"{name}: {ex.title}" for ex in exercises]


def lms_csv(course: Course, results: list[dict], lms: str, column: str | None = None) -> str:
    if lms not in LMS:
        raise UsageError(f"--lms must be one of {', '.join(LMS)}")
    total, exercises, names = columns(course, results, column)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n" if lms == "canvas" else "\n")
    if lms == "canvas":
        writer.writerow(CANVAS_IDENTITY + [spreadsheet_cell(total)] + [spreadsheet_cell(n) for n in names])
        writer.writerow([CANVAS_POINTS_ROW, "", "", "", ""]
                        + [points(sum(ex.points for ex in exercises))] + [points(ex.points) for ex in exercises])
    else:
        writer.writerow(MOODLE_IDENTITY + [spreadsheet_cell(total)] + [spreadsheet_cell(n) for n in names])
    for r in sorted(results, key=lambda r: r["submission"]):
        student = spreadsheet_cell(r["submission"])
        scores = [points(r["exercises"].get(ex.module, {}).get("score", 0)) for ex in exercises]
        total_score = points(r.get("score", sum(scores)))
        if lms == "canvas":
            writer.writerow([student, "", student, "", ""] + [total_score] + scores)
        else:
            writer.writerow([student, total_score] + scores)
    return buf.getvalue()


def write_lms_gradebook(course: Course, results: list[dict], out_dir: Path, lms: str,
                        column: str | None = None) -> Path:
    text = lms_csv(course, results, lms, column)  # checks lms first
    path = Path(out_dir) / FILES[lms]
    write_atomic(path, text)
    return path
