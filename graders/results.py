"""Results: per check -> per exercise -> per submission, and their JSON form.

The JSON is a pure function of (course, submission, seed): no times, no paths, no randomness, so
two runs give byte-identical files.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields, replace

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

    @classmethod
    def from_dict(cls, data) -> "SubmissionResult":
        """Read back what :meth:`to_dict` gave, strictly: ``ValueError`` for a missing, unknown
        or wrongly typed field (a damaged or hand-broken file)."""
        values = _fields(data, cls, "result")
        exercises = _typed(values["exercises"], dict, "exercises")
        values["exercises"] = {m: _exercise(e, m) for m, e in exercises.items()}
        values["notes"] = [_typed(n, str, "notes") for n in _typed(values["notes"], list, "notes")]
        return cls(**values)


_PLAIN = {"str": str, "int": int, "float": float, "bool": bool}  # field annotations are text


def _typed(value, kind: type, where: str):
    ok = type(value) in (int, float) and math.isfinite(value) if kind is float else type(value) is kind
    if not ok:
        raise ValueError(f"{where}: not {kind.__name__}")
    return value


def _fields(data, klass, where: str) -> dict:
    """``data`` as ``klass``'s fields: exactly those, the plain ones of their type."""
    if type(data) is not dict or set(data) != {f.name for f in fields(klass)}:
        raise ValueError(f"{where}: not a valid {klass.__name__}")
    return {f.name: _typed(data[f.name], _PLAIN[f.type], f"{where}.{f.name}") if f.type in _PLAIN
            else data[f.name] for f in fields(klass)}


def _exercise(data, where: str) -> ExerciseResult:
    values = _fields(data, ExerciseResult, where)
    if values["status"] not in STATUSES:
        raise ValueError(f"{where}.status: unknown")
    values["checks"] = [CheckResult(**_fields(c, CheckResult, f"{where}.checks"))
                        for c in _typed(values["checks"], list, f"{where}.checks")]
    return ExerciseResult(**values)


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


def spreadsheet_cell(text) -> str:
    """A CSV cell a spreadsheet will not run as a formula (a learner chooses their folder's name)."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
