"""course.toml -> typed, validated objects.

The manifest is the single description of the course: its title and version, the grading
settings, and the exercises in curriculum order. Everything else (stubs, checks, reports,
exports) reads it through :func:`load_course`; nothing else parses the TOML.
"""

from __future__ import annotations

import ast
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

COURSE_FILE = "course.toml"

_TOP_KEYS = {"title", "version", "grading", "unit", "exercise"}
_UNIT_KEYS = {"name", "title"}
_GRADING_KEYS = {"seed", "examples", "time_limit", "memory_limit_mb", "hidden_visibility"}
# When learners see each hidden check's result on Gradescope (its visibility values).
HIDDEN_VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
_EXERCISE_KEYS = {"module", "title", "unit", "functions", "points", "hint", "concept", "forbidden"}
# Upper bounds that keep every number meaningful (and representable by the sandbox's limits).
MAX_POINTS = 1_000_000
MAX_TIME_LIMIT = 3600.0     # seconds per learner call
MAX_MEMORY_LIMIT_MB = 1 << 20


@dataclass(frozen=True)
class Grading:
    """Settings that make a grading run what it is (part of every result's identity)."""

    seed: int = 0
    examples: int = 60
    time_limit: float = 2.0
    memory_limit_mb: int = 1024
    hidden_visibility: str = "after_due_date"   # Gradescope: when each hidden check's details show


@dataclass(frozen=True)
class Unit:
    """A group of exercises (an nbgrader assignment, a subtotal in the gradebook)."""

    name: str
    title: str


@dataclass(frozen=True)
class Exercise:
    module: str
    title: str
    functions: tuple[str, ...]
    points: float
    hint: str = ""
    concept: str = ""
    forbidden: tuple[str, ...] = ()
    unit: str = "course"


@dataclass(frozen=True)
class Course:
    title: str
    version: str
    grading: Grading
    exercises: tuple[Exercise, ...]
    root: Path = field(compare=False)
    units: tuple[Unit, ...] = ()

    def unit_exercises(self, unit: str) -> list[Exercise]:
        return [ex for ex in self.exercises if ex.unit == unit]

    @property
    def max_score(self) -> float:
        return sum(e.points for e in self.exercises)

    @property
    def solutions_dir(self) -> Path:
        return self.root / "solutions"

    @property
    def exercises_dir(self) -> Path:
        return self.root / "exercises"

    def exercise(self, module: str) -> Exercise:
        for ex in self.exercises:
            if ex.module == module:
                return ex
        names = ", ".join(e.module for e in self.exercises)
        raise UsageError(f"no exercise named {module!r} (the course has: {names})")


def _require(table: dict, key: str, kind: type | tuple, where: str):
    if key not in table:
        raise UsageError(f"{where}: missing required key {key!r}")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise UsageError(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
    return value


def _reject_unknown(table: dict, allowed: set, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _shape(value) -> str:
    """What a TOML value is, in the words of a course.toml author."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array of tables" if value and all(isinstance(v, dict) for v in value) else "an array"
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        type(value), f"a {type(value).__name__}")


def _is_number(value, low: float, high: float, *, low_inclusive: bool) -> bool:
    """An int or float (never a bool, nan or inf) within ``low`` .. ``high``."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return (low <= value if low_inclusive else low < value) and value <= high


def _parse_grading(table) -> Grading:
    if not isinstance(table, dict):
        raise UsageError(f"course.toml: grading must be a [grading] table, not {_shape(table)}"
                         + (" (write [grading], not [[grading]])" if _shape(table) == "an array of tables" else ""))
    _reject_unknown(table, _GRADING_KEYS, "[grading]")
    g = Grading(**table)
    if not isinstance(g.seed, int) or isinstance(g.seed, bool) or g.seed < 0:
        raise UsageError("[grading]: seed must be a non-negative integer")
    if not isinstance(g.examples, int) or isinstance(g.examples, bool) or not 1 <= g.examples <= 10_000:
        raise UsageError("[grading]: examples must be an integer between 1 and 10000")
    if not _is_number(g.time_limit, 0, MAX_TIME_LIMIT, low_inclusive=False):
        raise UsageError(f"[grading]: time_limit must be a positive number of seconds "
                         f"(at most {MAX_TIME_LIMIT:g})")
    if (not isinstance(g.memory_limit_mb, int) or isinstance(g.memory_limit_mb, bool)
            or not 64 <= g.memory_limit_mb <= MAX_MEMORY_LIMIT_MB):
        raise UsageError(f"[grading]: memory_limit_mb must be an integer of at least 64 "
                         f"(and at most {MAX_MEMORY_LIMIT_MB})")
    if not isinstance(g.hidden_visibility, str) or g.hidden_visibility not in HIDDEN_VISIBILITIES:
        raise UsageError(f"[grading]: hidden_visibility must be one of {', '.join(HIDDEN_VISIBILITIES)}")
    return Grading(seed=g.seed, examples=g.examples, time_limit=float(g.time_limit),
                   memory_limit_mb=g.memory_limit_mb, hidden_visibility=g.hidden_visibility)


def _parse_exercise(table: dict, index: int) -> Exercise:
    where = f"[[exercise]] #{index + 1}"
    if not isinstance(table, dict):
        raise UsageError(f"{where}: must be a table, not {_shape(table)} "
                         f"(course.toml: exercise must be an array of [[exercise]] tables)")
    _reject_unknown(table, _EXERCISE_KEYS, where)
    module = _require(table, "module", str, where)
    where = f"[[exercise]] {module!r}"
    if not module.isidentifier():
        raise UsageError(f"{where}: module must be a Python identifier")
    functions = _require(table, "functions", list, where)
    if not functions or not all(isinstance(f, str) and f.isidentifier() for f in functions):
        raise UsageError(f"{where}: functions must be a non-empty list of identifiers")
    if len(set(functions)) != len(functions):
        raise UsageError(f"{where}: a function is listed twice")
    points = _require(table, "points", (int, float), where)
    if not _is_number(points, 0, MAX_POINTS, low_inclusive=False):
        raise UsageError(f"{where}: points must be positive and finite (at most {MAX_POINTS})")
    forbidden = table.get("forbidden", [])
    if not isinstance(forbidden, list) or not all(isinstance(f, str) and f for f in forbidden):
        raise UsageError(f"{where}: forbidden must be a list of names")
    for key in ("hint", "concept", "unit"):
        if not isinstance(table.get(key, ""), str):
            raise UsageError(f"{where}: {key!r} must be a string")
    return Exercise(
        module=module,
        title=_require(table, "title", str, where),
        functions=tuple(functions),
        points=points,
        hint=table.get("hint", ""),
        concept=table.get("concept", ""),
        forbidden=tuple(forbidden),
        unit=table.get("unit", "course"),
    )


def defined_functions(path: Path, label: str | None = None) -> set[str]:
    """Names of the top-level functions a module defines (read with ast, never imported).

    A file that is not UTF-8 Python source is a :class:`UsageError` naming it as ``label``."""
    label = label or path.name
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UsageError(f"{label} cannot be read ({err.strerror or err})") from None
    raw = raw.removeprefix(b"\xef\xbb\xbf")   # a UTF-8 byte order mark, which Python accepts
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise UsageError(f"{label} is not UTF-8 text (an undecodable byte on line {line})") from None
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise UsageError(f"{label} cannot be read as Python (it contains a NUL byte, on line {line})")
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as err:
        where = f" on line {err.lineno}" if err.lineno else ""
        detail = " ".join(str(err.msg or "invalid syntax").split())
        raise UsageError(f"{label}: syntax error{where} ({detail})") from None
    except (MemoryError, RecursionError):
        raise UsageError(f"{label} cannot be read as Python (it is too deeply nested)") from None
    except ValueError as err:
        raise UsageError(f"{label} cannot be read as Python ({' '.join(str(err).split())})") from None
    return {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _parse_units(raw, exercises: tuple[Exercise, ...]) -> tuple[Unit, ...]:
    """``[[unit]]`` tables in order; every exercise names one (or none are declared at all)."""
    if not isinstance(raw, list):
        raise UsageError(f"course.toml: unit must be an array of [[unit]] tables, not {_shape(raw)}"
                         + (" (write [[unit]], not [unit])" if isinstance(raw, dict) else ""))
    units = []
    for i, table in enumerate(raw):
        where = f"[[unit]] #{i + 1}"
        if not isinstance(table, dict):
            raise UsageError(f"{where}: must be a table, not {_shape(table)} "
                             f"(course.toml: unit must be an array of [[unit]] tables)")
        _reject_unknown(table, _UNIT_KEYS, where)
        name = _require(table, "name", str, where)
        if not name.isidentifier():
            raise UsageError(f"{where}: name must be an identifier")
        if any(u.name == name for u in units):
            raise UsageError(f"course.toml: unit {name!r} is listed twice")
        units.append(Unit(name, _require(table, "title", str, where)))
    if not units:
        named = sorted({ex.unit for ex in exercises} - {"course"})
        if named:
            raise UsageError(f"course.toml: exercises name unit {named[0]!r} but no [[unit]] table declares it")
        return (Unit("course", "Course"),)
    names = {u.name for u in units}
    for ex in exercises:
        if ex.unit not in names:
            raise UsageError(f"[[exercise]] {ex.module!r}: unit {ex.unit!r} is not declared "
                             f"(declared: {', '.join(u.name for u in units)})")
    for u in units:
        if not any(ex.unit == u.name for ex in exercises):
            raise UsageError(f"[[unit]] {u.name!r} has no exercises")
    return tuple(units)


def _check_against_solutions(course: Course) -> None:
    for ex in course.exercises:
        path = course.solutions_dir / f"{ex.module}.py"
        if not path.is_file():
            raise UsageError(f"exercise {ex.module!r}: solution file solutions/{ex.module}.py is missing")
        defined = defined_functions(path, f"solutions/{ex.module}.py")
        missing = [f for f in ex.functions if f not in defined]
        if missing:
            raise UsageError(f"exercise {ex.module!r}: function {missing[0]!r} is listed in course.toml "
                             f"but not defined in solutions/{ex.module}.py")


def parse_course(text: str, root: Path, *, check_solutions: bool = True) -> Course:
    """Parse the text of a course.toml whose course lives in ``root``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"course.toml is not valid TOML: {err}") from None
    _reject_unknown(data, _TOP_KEYS, "course.toml")
    title = _require(data, "title", str, "course.toml")
    version = data.get("version", "0")
    if not isinstance(version, (str, int, float)) or isinstance(version, bool):
        raise UsageError(f"course.toml: version must be a string, not {_shape(version)}")
    version = str(version)
    grading = _parse_grading(data.get("grading", {}))
    raw = data.get("exercise", [])
    if not isinstance(raw, list):
        raise UsageError(f"course.toml: exercise must be an array of [[exercise]] tables, not {_shape(raw)}"
                         + (" (write [[exercise]], not [exercise])" if isinstance(raw, dict) else ""))
    if not raw:
        raise UsageError("course.toml: at least one [[exercise]] table is required")
    exercises = tuple(_parse_exercise(t, i) for i, t in enumerate(raw))
    units = _parse_units(data.get("unit", []), exercises)
    seen_modules: set[str] = set()
    seen_functions: dict[str, str] = {}
    for ex in exercises:
        if ex.module in seen_modules:
            raise UsageError(f"course.toml: exercise {ex.module!r} is listed twice")
        seen_modules.add(ex.module)
        for fn in ex.functions:
            if fn in seen_functions:
                raise UsageError(f"course.toml: function {fn!r} is listed in both "
                                 f"{seen_functions[fn]!r} and {ex.module!r}")
            seen_functions[fn] = ex.module
    course = Course(title=title, version=version, grading=grading, exercises=exercises, root=root,
                    units=units)
    if check_solutions:
        _check_against_solutions(course)
    return course


def find_course_root(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` (default: cwd) holding course.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / COURSE_FILE).is_file():
            return folder
    raise UsageError(f"no {COURSE_FILE} found in {here} or any parent folder (use --course)")


def load_course(root: Path | str | None = None) -> Course:
    """Load and validate the course at ``root`` (a folder or a course.toml path)."""
    if root is None:
        root = find_course_root()
    root = Path(root)
    if root.is_file():
        root = root.parent
    path = root / COURSE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot be read ({err})") from None
    return parse_course(text, root.resolve())
