"""Results: per check -> per exercise -> per submission, and their JSON form.

The JSON is a pure function of (course, submission, seed): no times, no paths, no randomness, so
two runs give byte-identical files.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

STATUSES = ("passed", "partial", "failed", "not_implemented", "missing", "error", "forbidden",
            "timeout", "crashed")


def points(x: float) -> float | int:
    """Points as they print: integers stay integers, fractions keep 4 decimals."""
    x = round(float(x), 4)
    return int(x) if x == int(x) else x


@dataclass
class CheckResult:
    name: str
    function: str
    passed: bool
    points: float
    max_points: float
    message: str = ""


@dataclass
class ExerciseResult:
    title: str
    score: float
    max_score: float
    status: str
    message: str = ""
    checks: list[CheckResult] = field(default_factory=list)
    output: str = ""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["score"], data["max_score"] = points(self.score), points(self.max_score)
        for c in data["checks"]:
            c["points"], c["max_points"] = points(c["points"]), points(c["max_points"])
        return data


@dataclass
class SubmissionResult:
    submission: str
    course: str
    course_version: str
    seed: int
    isolation: str
    score: float
    max_score: float
    exercises: dict[str, ExerciseResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(replace(self, exercises={}))  # each exercise converts itself, once
        data["score"], data["max_score"] = points(self.score), points(self.max_score)
        data["exercises"] = {m: ex.to_dict() for m, ex in self.exercises.items()}
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def exercise_status(checks: list[CheckResult], failure_kinds: set[str]) -> str:
    """The status of an implemented, importable exercise from its checks' outcomes."""
    earned = sum(c.points for c in checks)
    total = sum(c.max_points for c in checks)
    if checks and earned >= total:
        return "passed"
    if earned > 0:
        return "partial"
    if failure_kinds and failure_kinds <= {"not_implemented"}:
        return "not_implemented"
    if "timeout" in failure_kinds:
        return "timeout"
    if "crash" in failure_kinds:
        return "crashed"
    return "failed"


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old content or the new, never half of it."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
