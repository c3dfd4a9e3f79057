"""``nnla export nbgrader OUTDIR``: the course as an nbgrader course directory, from the same sources.

Written::

    OUTDIR/nbgrader_config.py                 course id, cell timeout, where the kernel finds the course
    OUTDIR/nnla_course/course.toml            a snapshot of the course the hidden cells grade with
    OUTDIR/nnla_course/solutions/*.py         (its reference solutions: instructor-only, like source/)
    OUTDIR/source/<unit>/<module>.ipynb       one notebook per exercise; one assignment per [[unit]]

Each notebook, in order: the lesson (the module docstring, rendered as Markdown); a locked cell
of the code the module stub gives the learner (imports, ``__all__``, constants, helpers without a
solution block: ``grade_id`` ``<module>-setup``); then for each function a short heading, its
solution cell (the reference between ``### BEGIN SOLUTION`` / ``### END SOLUTION``, ``grade_id``
``<module>-<function>``), a locked 0-point cell with the public examples
(``exercises/test_<module>.py``), and one locked test cell per hidden check (points = the check's
points, ``grade_id`` ``<module>-<function>-<check>``). Given code between two functions gets a
locked cell of its own there (``<module>-<function>-given``, before that function; ``<module>-end``
after the last). The module is cut with its syntax tree (see :func:`module_segments`), so every
solution block begins and ends in one cell. A hidden check cell
holds no check code: between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` it calls
:func:`graders.inprocess.run_check`, which grades the notebook's code with the same seeded examples,
reference and verdicts as ``nnla grade``. nbgrader scores a test cell all-or-nothing, nnla scores a
check all-or-nothing, so per-exercise scores agree.

Everything written is a pure function of the course: exporting twice gives identical files.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import shutil
import textwrap
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .manifest import COURSE_FILE, Course, Exercise, load_course
from .files import AtomicFiles
from .notebooks import HIDDEN_HEADER, PUBLIC_HEADER
from .results import points
from .sync import BEGIN, END

SCHEMA_VERSION = 3                  # nbgrader's cell metadata schema
COURSE_SNAPSHOT = "nnla_course"     # where the kernel-side grader finds course.toml and solutions
CONFIG_FILE = "nbgrader_config.py"
CONFIG_MARKER = "# Written by `nnla export nbgrader`"
CELL_TIMEOUT = 600                  # seconds; the first check cell of an exercise runs all its checks
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


# --- the lesson: a module docstring as Markdown --------------------------------------------------

_CODE_SPAN = re.compile(r"(``.+?``|`[^`]+`)")
_UNDERLINE = re.compile(r"-{3,}|={3,}|~{3,}")


def _inline(text: str) -> str:
    """reST inline markup to Markdown: ``x`` becomes `x`; ``$`` and ``<`` are escaped outside code."""
    out = []
    for part in _CODE_SPAN.split(text):
        if part.startswith("``") and part.endswith("``") and len(part) > 4:
            inner = part[2:-2]
            out.append(f"``{inner}``" if "`" in inner else f"`{inner}`")
        elif part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(part)
        else:
            out.append(part.replace("\\", "\\\\").replace("$", "\\$").replace("<", "&lt;"))
    return "".join(out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def lesson_markdown(docstring: str) -> str:
    """The teaching text of a module docstring, for a notebook.

    The first line becomes the title, underlined lines become headings, indented blocks (formulas,
    shapes, worked examples) become fenced text blocks so their alignment and symbols survive,
    ``literals`` become code spans, and characters Jupyter would read as math or HTML are escaped.
    """
    lines = inspect.cleandoc(docstring).splitlines()
    if not lines:
        return ""
    out = [f"# {_inline(lines[0].strip().rstrip('.'))}"]
    i = 1
    while i < len(lines):
        line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and not line.startswith(" ") and _UNDERLINE.fullmatch(following.strip()):
            while out and not out[-1].strip():
                out.pop()
            out += ["", f"## {_inline(line.strip())}", ""]
            i += 2
            continue
        if line.strip() and _indent(line) >= 4 and (not out[-1].strip() or out[-1].startswith("#")):
            block = []
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) >= 4):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
                i -= 1
            if out[-1].strip():
                out.append("")
            out += ["```text", *textwrap.dedent("\n".join(block)).splitlines(), "```"]
            continue
        out.append(_inline(line))
        i += 1
    return "\n".join(out).strip() + "\n"


# --- cutting a module into cells -----------------------------------------------------------------

@dataclass(frozen=True)
class Segment:
    """Consecutive lines of a module: one top-level statement and the comments that belong to it
    (several statements when a solution block or a line spans them).

    A definition owns its decorators and the column-0 comments just above it, and the indented
    comment lines after its last statement -- where ``### END SOLUTION`` sits, which
    ``node.end_lineno`` does not cover. Joined in order, the segments give back the module after
    its docstring, line for line.
    """

    code: str
    functions: tuple[str, ...]   # the top-level functions it defines, in order
    solution: bool               # it holds a ### BEGIN SOLUTION / ### END SOLUTION block
    line: int                    # its first line (1-based), for messages


@dataclass(frozen=True)
class Chunk:
    """The code of one cell: a top-level function with the code above it (imports, helpers)."""

    name: str        # the function the cell is for
    code: str
    signature: str   # "dot(a, b)"


def _docstring_end(tree: ast.Module) -> int:
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first.end_lineno or 0
    return 0


def _first_line(node: ast.stmt) -> int:
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])


def _tidy(text: str) -> str:
    """``text`` without its leading and trailing blank lines, ending in one newline."""
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    return f"{node.name}({ast.unparse(node.args)})"


def module_segments(source: str, origin: str = "the module") -> list[Segment]:
    """Cut a module (after its docstring) into segments (see :class:`Segment`), using its syntax tree.

    A cut falls between two top-level statements, never inside a solution block: a block that
    spans statements keeps them in one segment. Markers are read as ``nnla sync`` reads them (a
    line that is exactly ``### BEGIN SOLUTION`` or ``### END SOLUTION``); a nested, unclosed or
    unopened block is a :class:`UsageError` naming ``origin`` and the line.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    top = _docstring_end(tree)
    body = tree.body[1:] if top else list(tree.body)
    if not body:
        return []
    # where each statement's lines begin (0-based); None: it shares a line with the one before
    starts: list[int | None] = [top]
    for prev, node in zip(body, body[1:]):
        first = _first_line(node) - 1
        cut = prev.end_lineno
        if first < cut:
            starts.append(None)
            continue
        for k in range(prev.end_lineno, first):   # comments and blank lines between the two
            text = lines[k]
            if not text.strip():
                continue
            if text[0] in " \t" or text.strip() == END:
                cut = k + 1   # indented under the definition above (or closing its block): its own
            else:
                break         # a column-0 comment: it introduces what follows
        starts.append(cut)
    # marker depth, line by line, as nnla sync checks it
    depth_after: list[int] = []
    depth = 0
    for lineno, text in enumerate(lines, start=1):
        marker = text.strip()
        if marker == BEGIN:
            if depth:
                raise UsageError(f"{origin}:{lineno}: {BEGIN} inside another solution block")
            depth = 1
        elif marker == END:
            if not depth:
                raise UsageError(f"{origin}:{lineno}: {END} without {BEGIN}")
            depth = 0
        depth_after.append(depth)
    if depth:
        raise UsageError(f"{origin}: {BEGIN} is never closed")
    segments: list[Segment] = []
    begin = top
    functions: list[str] = []
    for k, node in enumerate(body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(node.name)
        following = starts[k + 1] if k + 1 < len(body) else len(lines)
        if following is None or (following < len(lines) and depth_after[following - 1]):
            continue   # the next statement is on this line, or inside this solution block
        code = "".join(lines[begin:following])
        solution = any(l.strip() == BEGIN for l in lines[begin:following])
        segments.append(Segment(code, tuple(functions), solution, begin + 1))
        begin, functions = following, []
    return segments


def split_functions(source: str, is_cell=None) -> list[Chunk]:
    """Cut a module into one chunk per top-level function (the module docstring is left out).

    Code between two functions goes with the function below it; code after the last function goes
    with the last. ``is_cell(name, code)`` says whether a function gets its own cell; the others
    (helpers) are merged into the next cell that does (or the previous one, at the end).
    """
    tree = ast.parse(source)
    signatures = {n.name: _signature(n) for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if not signatures:
        raise UsageError("the module defines no function")
    is_cell = is_cell or (lambda name, code: True)
    chunks: list[Chunk] = []
    pending = ""
    for segment in module_segments(source):
        own = [f for f in segment.functions if is_cell(f, segment.code)]
        if len(own) > 1:
            raise UsageError(f"line {segment.line}: {own[0]} and {own[1]} cannot get a cell each "
                             f"(they share a line or a solution block)")
        if own:
            chunks.append(Chunk(own[0], _tidy(pending + segment.code), signatures[own[0]]))
            pending = ""
        else:
            pending += segment.code
    if pending.strip():
        if not chunks:
            raise UsageError("no function of the module gets a cell of its own")
        last = chunks[-1]
        chunks[-1] = Chunk(last.name, _tidy(last.code + pending), last.signature)
    return chunks


@dataclass(frozen=True)
class Part:
    """The code of one code cell of an exercise notebook, before the cell is made."""

    kind: str               # "given" (locked: imports, constants, helpers given to the learner)
                            # or "solution" (the learner's cell for one graded function)
    function: str | None    # the graded function of a solution cell
    code: str
    signature: str = ""


def notebook_parts(source: str, functions: tuple[str, ...], origin: str = "the module") -> list[Part]:
    """The code cells of an exercise notebook, in the module's own order.

    - Each graded function (``functions``, from course.toml) gets a solution cell: its definition
      with the solution block, as in the module.
    - What the module stub gives the learner outside the functions -- imports, ``__all__``,
      constants, helper functions without a solution block -- goes into locked cells of given
      code, where it sits in the module: before the first function (the setup cell), between two
      functions, or after the last.
    - What the learner must write that is not a graded function (a helper, or other code holding a
      solution block) goes into the solution cell of the next graded function (the last one's when
      none follows), with any given code between them, so the order is the module's.
    """
    tree = ast.parse(source)
    signatures = {n.name: _signature(n) for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    parts: list[Part] = []
    given: list[str] = []      # given code waiting for its cell
    pending: list[str] = []    # learner code waiting for the next graded function's cell

    def flush_given():
        if given and _tidy("".join(given)):
            parts.append(Part("given", None, _tidy("".join(given))))
        given.clear()

    for segment in module_segments(source, origin):
        graded = [f for f in segment.functions if f in functions]
        if len(graded) > 1:
            raise UsageError(f"{origin}:{segment.line}: {graded[0]} and {graded[1]} share a solution "
                             f"block (or a line); give each function its own block")
        if graded:
            fn = graded[0]
            if not segment.solution:
                raise UsageError(f"{origin}: {fn} has no {BEGIN} block")
            flush_given()
            parts.append(Part("solution", fn, _tidy("".join(pending) + segment.code), signatures[fn]))
            pending.clear()
        elif segment.solution or pending:
            flush_given()
            pending.append(segment.code)
        else:
            given.append(segment.code)
    if pending:
        if not any(p.kind == "solution" for p in parts):
            raise UsageError(f"{origin}: no graded function to hold the solution block at line "
                             f"{module_segments(source, origin)[-1].line}")
        tail = []
        while parts[-1].kind == "given":
            tail.insert(0, parts.pop().code + "\n\n")
        last = parts[-1]
        parts[-1] = Part("solution", last.function, last.code + "\n\n" + _tidy("".join(tail + pending)),
                         last.signature)
    flush_given()
    seen = [p.function for p in parts if p.kind == "solution"]
    missing = [fn for fn in functions if fn not in seen]
    if missing:
        raise UsageError(f"{origin}: {missing[0]} (listed in course.toml) is not defined at the top "
                         f"level with a {BEGIN} block")
    return parts


# --- public examples -------------------------------------------------------------------------------

def _owner(test_name: str, functions: tuple[str, ...]) -> str | None:
    matches = [f for f in functions if test_name == f"test_{f}" or test_name.startswith(f"test_{f}_")]
    return max(matches, key=len) if matches else None


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _parametrize_args(deco: ast.expr) -> tuple[ast.expr, ast.expr] | None:
    """(argnames, argvalues) of a ``@pytest.mark.parametrize(...)`` decorator, else None."""
    if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) and deco.func.attr == "parametrize"):
        return None
    given = dict(zip(("argnames", "argvalues"), deco.args))
    given.update({k.arg: k.value for k in deco.keywords if k.arg in ("argnames", "argvalues")})
    if set(given) != {"argnames", "argvalues"}:
        return None
    return given["argnames"], given["argvalues"]


def _all_rows(node: ast.FunctionDef, where: str) -> str | None:
    """For a parametrized test, a function calling it once per parameter row, as pytest would
    (``_all_<test>``); None for a plain test. Stacked decorators combine their rows."""
    marks = [m for m in map(_parametrize_args, node.decorator_list) if m]
    if not marks:
        return None
    lines = [f"def _all_{node.name}():"]
    rows = []
    for depth, (names_node, values_node) in enumerate(marks):
        try:
            names = ast.literal_eval(names_node)
        except ValueError:
            raise UsageError(f"{where}: {node.name}: its parametrize argument names must be written out") from None
        wrap = isinstance(names, str) and len([n for n in names.split(",") if n.strip()]) == 1
        names = [n.strip() for n in names.split(",") if n.strip()] if isinstance(names, str) else list(names)
        pad, row = "    " * (depth + 1), f"_row{depth}"
        single = f"({row},)" if wrap else row   # pytest: one name in a string takes bare values
        lines += [f"{pad}for {row} in {ast.unparse(values_node)}:",
                  f"{pad}    {row} = {row}.values if type({row}).__name__ == \"ParameterSet\" else {single}"]
        rows.append(f"**dict(zip({tuple(names)!r}, {row}))")
    lines.append(f"{'    ' * (len(marks) + 1)}{node.name}({', '.join(rows)})")
    return "\n".join(lines)


def public_examples(path: Path, ex: Exercise, modules: set[str]) -> dict[str, str]:
    """function -> the code of its public-examples cell (the tests of ``exercises/test_<module>.py``).

    A test goes into the examples cell of the last of the exercise's functions it uses (directly,
    or through a helper of the file), so everything it calls is defined when the cell runs -- and
    at least as late as its name says (``test_<function>_...``); a test that names and uses none
    goes with the last function. The file's own setup (imports, constants, helpers) goes into the
    first of these cells; the import of the learner's module is dropped (in a notebook its
    functions are already defined). A parametrized test runs once per parameter row, through
    a function ``_all_<test>`` written after it.
    """
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    start = _docstring_end(tree)
    preamble: list[str] = []
    helpers: dict[str, set[str]] = {}     # a helper of the file -> the names it uses
    tests: dict[str, list[tuple[str, str]]] = {}
    order = {fn: k for k, fn in enumerate(ex.functions)}
    for node in tree.body[1 if start else 0:]:
        text = "".join(lines[start:node.end_lineno]).strip("\n")
        start = node.end_lineno
        if isinstance(node, ast.ImportFrom) and node.module in modules or \
                isinstance(node, ast.Import) and any(a.name in modules for a in node.names):
            continue
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["EXERCISE"]:
            continue
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            used, todo = set(), _names(node)
            while todo:   # through the file's helpers, transitively
                name = todo.pop()
                if name not in used:
                    used.add(name)
                    todo |= helpers.get(name, set()) - used
            candidates = [f for f in ex.functions if f in used]
            named = _owner(node.name, ex.functions)
            if named:
                candidates.append(named)
            owner = max(candidates, key=order.__getitem__) if candidates else ex.functions[-1]
            runner = _all_rows(node, str(path.name))
            if runner:
                text += "\n\n\n" + runner
            tests.setdefault(owner, []).append((f"_all_{node.name}" if runner else node.name, text))
        else:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                helpers[node.name] = _names(node)
            preamble.append(text)
    cells: dict[str, str] = {}
    for fn in ex.functions:
        if fn not in tests:
            continue
        names = [name for name, _ in tests[fn]]
        header = (PUBLIC_HEADER.format(function=fn) + " (0 points): run this cell to try your "
                  "function on the course's examples.\n# The hidden checks below decide the points.\n")
        body = ["\n\n".join(preamble)] if not cells and preamble else []
        body += [text for _, text in tests[fn]]
        body.append(f"for _example in ({', '.join(names)},):\n    _example()\n"
                    f"print(\"{fn}(): all {len(names)} public example{'s' if len(names) != 1 else ''} passed\")")
        cells[fn] = header + "\n\n\n".join(body) + "\n"
    return cells


# --- one notebook ----------------------------------------------------------------------------------

def _cell_id(grade_id: str) -> str:
    """A notebook cell id (nbformat: 1-64 of [A-Za-z0-9-_]) derived from the grade id, stable."""
    if len(grade_id) <= 64:
        return grade_id
    return f"{grade_id[:55]}-{zlib.crc32(grade_id.encode()):08x}"


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points_: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution}
    if grade:
        meta["points"] = points(points_ or 0)
    return {"nbgrader": meta}


def _markdown(text: str, grade_id: str):
    import nbformat.v4 as v4

    return v4.new_markdown_cell(text.rstrip("\n"), id=_cell_id(grade_id), metadata=_meta(grade_id, locked=True))


def _code(text: str, grade_id: str, **kind):
    import nbformat.v4 as v4

    return v4.new_code_cell(text.rstrip("\n"), id=_cell_id(grade_id), metadata=_meta(grade_id, **kind))


def hidden_check_cell(ex: Exercise, check) -> str:
    says = " ".join(check.says.split())
    pts = points(check.points)
    return (f"{HIDDEN_HEADER.format(function=check.function)}: {says} ({pts} point{'s' if pts != 1 else ''}).\n"
            f"### BEGIN HIDDEN TESTS\n"
            f"from graders.inprocess import run_check\n"
            f"run_check({ex.module!r}, {check.function!r}, {check.name!r}, globals())\n"
            f"### END HIDDEN TESTS\n")


def check_regions(cells, origin: str) -> None:
    """Refuse cells nbgrader would reject or clear wrongly, before nbgrader sees them.

    nbgrader's ``ClearSolutions`` / ``ClearHiddenTests`` take any line *containing* ``BEGIN
    SOLUTION`` (``BEGIN HIDDEN TESTS``) as the start of a region, which must end in the same cell
    and sit in a solution (grade) cell. Each such line here must also be an exact marker line.
    """
    kinds = (("SOLUTION", BEGIN, END, "solution"), ("HIDDEN TESTS", "### BEGIN HIDDEN TESTS",
                                                    "### END HIDDEN TESTS", "grade"))
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        name = meta.get("grade_id", "a cell")
        for word, begin, end, needs in kinds:
            inside = False
            for line in cell.get("source", "").splitlines():
                opens, closes = f"BEGIN {word}" in line, f"END {word}" in line
                if not (opens or closes):
                    continue
                if line.strip() not in (begin, end) or cell.get("cell_type") != "code":
                    raise UsageError(f"{origin}: cell {name}: nbgrader would read {line.strip()!r} as "
                                     f"a marker; write markers on lines of their own, in code")
                if opens and inside or closes and not inside:
                    raise UsageError(f"{origin}: cell {name}: {line.strip()!r} is out of place")
                inside = opens
                if not meta.get(needs):
                    raise UsageError(f"{origin}: cell {name} holds {line.strip()!r} but is not a "
                                     f"{needs} cell")
            if inside:
                raise UsageError(f"{origin}: cell {name}: {begin} is not closed in the same cell")


def exercise_notebook(course: Course, ex: Exercise, checks: list, number: int):
    """The nbgrader source notebook of one exercise (an ``nbformat`` notebook node)."""
    import nbformat
    import nbformat.v4 as v4

    origin = f"solutions/{ex.module}.py"
    source = (course.solutions_dir / f"{ex.module}.py").read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source), clean=False) or f"Exercise {number}: {ex.title}."
    parts = notebook_parts(source, ex.functions, origin)
    unit = next((u.title for u in course.units if u.name == ex.unit), ex.unit)
    n_checks = len(checks)
    about = [lesson_markdown(doc).rstrip("\n"), "",
             f"*{course.title} · {unit} · exercise {number} · {points(ex.points)} points "
             f"from {n_checks} hidden check{'s' if n_checks != 1 else ''}*"]
    if ex.hint:
        about += ["", f"<details><summary>Hint</summary>\n\n{_inline(ex.hint)}\n\n</details>"]
    setup = "" if parts[0].kind == "solution" else (
        "The first code cell is given: the imports, constants and helpers your functions may use, "
        "as at the top of the module. It is read-only; run it first. ")
    about += ["", "## How this notebook works", "",
              f"{setup}Write your code in each solution cell, in place of `raise NotImplementedError()`, and "
              "run it. The cell after it runs the public examples (worth 0 points; they tell you "
              "early that something is off). The locked cells after that are the hidden checks: "
              "each is worth the points it shows and runs when your notebook is graded. Only the "
              "code in the solution cells is graded (plus the given cells, and cells you add that "
              "only define helpers); save the notebook before you submit."]
    cells = [_markdown("\n".join(about), f"{ex.module}-lesson")]
    examples = public_examples(course.exercises_dir / f"test_{ex.module}.py", ex,
                               {e.module for e in course.exercises})
    graded = [p.function for p in parts if p.kind == "solution"]
    for k, part in enumerate(parts):
        if part.kind == "given":
            after = next((p.function for p in parts[k + 1:] if p.kind == "solution"), None)
            grade_id = (f"{ex.module}-setup" if not any(p.kind == "solution" for p in parts[:k])
                        else f"{ex.module}-{after}-given" if after else f"{ex.module}-end")
            cells.append(_code(part.code, grade_id, locked=True))
            continue
        fn = part.function
        fn_checks = [c for c in checks if c.function == fn]
        worth = points(sum(c.points for c in fn_checks))
        cells.append(_markdown(f"## `{part.signature}`\n\nYour code goes in the cell below. "
                               f"{len(fn_checks)} hidden check{'s' if len(fn_checks) != 1 else ''}, "
                               f"{worth} point{'s' if worth != 1 else ''}.", f"{ex.module}-{fn}-about"))
        cells.append(_code(part.code, f"{ex.module}-{fn}", solution=True))
        if fn in examples:
            cells.append(_code(examples[fn], f"{ex.module}-{fn}-examples", grade=True, locked=True, points_=0))
        for check in fn_checks:
            cells.append(_code(hidden_check_cell(ex, check), f"{ex.module}-{fn}-{check.name}",
                               grade=True, locked=True, points_=check.points))
    unchecked = [c.function for c in checks if c.function not in graded]
    if unchecked:
        raise UsageError(f"{origin}: the hidden checks of {unchecked[0]} have no solution cell to follow")
    ids = [c.metadata.nbgrader.grade_id for c in cells]
    clash = next((i for i in ids if ids.count(i) > 1), None)
    if clash:
        raise UsageError(f"{origin}: two cells would get the grade_id {clash!r}; rename a function or check")
    check_regions(cells, f"{ex.module}.ipynb")
    nb = v4.new_notebook(cells=cells, metadata={"kernelspec": dict(KERNELSPEC),
                                                "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb


# --- the course directory ---------------------------------------------------------------------------

def course_id(course: Course) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", course.title.lower()).strip("-")
    return slug or "nnla"


def config_text(course: Course) -> str:
    return f'''{CONFIG_MARKER} for "{course.title}" {course.version}.
# Re-exporting rewrites this file while this first line is unchanged; remove the line to keep edits.
"""nbgrader configuration.

The hidden test cells call nnla's grader (the ``graders`` package) inside the notebook's kernel, so
nnla must be installed in the Python that runs the kernel (``pip install nnla``, or ``pip install -e``
of the course repository). The kernel finds the course -- course.toml and the reference solutions
it grades against -- in {COURSE_SNAPSHOT}/ next to this file (kernels inherit NNLA_COURSE).
"""
import os

c = get_config()  # noqa: F821 (defined by nbgrader when it reads this file)

c.CourseDirectory.course_id = {course_id(course)!r}
os.environ.setdefault("NNLA_COURSE", os.path.join(os.path.dirname(os.path.abspath(__file__)), {COURSE_SNAPSHOT!r}))

# The first hidden check cell of a notebook grades the whole exercise (its result is reused by
# the next cells); give slow learner code time. nnla limits each function call separately.
c.Execute.timeout = {CELL_TIMEOUT}
'''


def write_course_subset(course: Course, dest: Path, modules: Iterable[str], *,
                        examples: int | None = None) -> Path:
    """Write at ``dest`` (a new folder) a course made of ``modules`` only: its ``course.toml`` keeps
    the top, ``[grading]`` and, of the units and exercises, those of ``modules`` (text and comments
    as they are; ``examples`` per check replaced when given), with their ``solutions/<module>.py``,
    ``exercises/<module>.py`` and ``exercises/test_<module>.py``. Returns ``dest``.

    For exporting or grading a part of the course -- the nbgrader tests and benchmarks do -- with
    exactly the course's sources. Exercises keep course.toml's order, whatever the order given.
    """
    import tomllib

    wanted = set(modules)
    for module in wanted:
        course.exercise(module)   # UsageError for an unknown module
    units = {course.exercise(m).unit for m in wanted}
    text = (course.root / COURSE_FILE).read_text(encoding="utf-8")
    kept = []
    for block in re.split(r"(?m)^(?=\[)", text):
        header = block.split("\n", 1)[0].split("#", 1)[0].strip()
        if header in ("[[exercise]]", "[[unit]]"):
            key = "exercise" if header == "[[exercise]]" else "unit"
            entry = tomllib.loads(block)[key][0]
            if entry.get("module" if key == "exercise" else "name") not in (wanted if key == "exercise" else units):
                continue
        elif header == "[grading]" and examples is not None:
            block, found = re.subn(r"(?m)^examples\s*=\s*\d+", f"examples = {int(examples)}", block)
            if not found:
                first, _, rest = block.partition("\n")
                block = f"{first}\nexamples = {int(examples)}\n{rest}"
        kept.append(block)
    dest = Path(dest)
    dest.mkdir(parents=True)
    (dest / COURSE_FILE).write_text("".join(kept), encoding="utf-8")
    for ex in course.exercises:
        if ex.module not in wanted:
            continue
        for folder, name in (("solutions", f"{ex.module}.py"), ("exercises", f"{ex.module}.py"),
                             ("exercises", f"test_{ex.module}.py")):
            src = course.root / folder / name
            if src.is_file():
                (dest / folder).mkdir(exist_ok=True)
                shutil.copyfile(src, dest / folder / name)
    subset = load_course(dest)
    if [e.module for e in subset.exercises] != [e.module for e in course.exercises if e.module in wanted]:
        raise UsageError(f"{course.root / COURSE_FILE}: could not cut out the exercises {sorted(wanted)}")
    return dest


def exported_exercises(course: Course, only: list[str] | None = None) -> dict[str, list]:
    """module -> its checks, for the exercises to export (all of them unless ``only``)."""
    from .runner import course_checks

    if only is not None:
        for module in only:
            course.exercise(module)
    try:
        return course_checks(course, only)
    except UsageError as err:
        raise UsageError(f"{err}; export the exercises that have checks with --only EXERCISE") from None


def export(course: Course, outdir: Path, only: list[str] | None = None) -> dict:
    """Write the nbgrader course directory; returns what was written (paths relative to outdir).

    Every file is computed first and written under a temporary name beside its place, then all are
    renamed into place: an error (a full disk, an unwritable folder, a folder in a file's place)
    leaves the folder as it was and is a UsageError naming the path.
    """
    outdir = Path(outdir)
    if os.path.lexists(outdir) and not os.path.isdir(outdir):
        raise UsageError(f"{outdir}: not a folder")
    import nbformat

    checks = exported_exercises(course, only)
    files: dict[Path, str] = {}   # relative to outdir -> text
    written: list[str] = []
    notebooks: dict[str, list[str]] = {}
    for number, ex in enumerate(course.exercises, start=1):
        if ex.module not in checks:
            continue
        nb = exercise_notebook(course, ex, checks[ex.module], number)
        rel = Path("source") / ex.unit / f"{ex.module}.ipynb"
        files[rel] = nbformat.writes(nb) + "\n"
        written.append(str(rel))
        notebooks.setdefault(ex.unit, []).append(ex.module)
    files[Path(COURSE_SNAPSHOT) / COURSE_FILE] = (course.root / COURSE_FILE).read_text(encoding="utf-8")
    for ex in course.exercises:
        rel = Path(COURSE_SNAPSHOT) / "solutions" / f"{ex.module}.py"
        files[rel] = (course.solutions_dir / f"{ex.module}.py").read_text(encoding="utf-8")
    written.append(f"{COURSE_SNAPSHOT}/")
    with AtomicFiles() as out:   # an error anywhere in the block: nothing is written
        out.folder(outdir)
        config = outdir / CONFIG_FILE
        if os.path.isdir(config):
            raise UsageError(f"cannot write {config}: it is a folder")
        try:
            current = config.read_bytes()
        except FileNotFoundError:
            current = None
        except OSError as err:
            raise UsageError(f"cannot read {config}: {err.strerror or err}") from None
        kept_config = current is not None and not current.startswith(CONFIG_MARKER.encode("utf-8"))
        if not kept_config:
            files[Path(CONFIG_FILE)] = config_text(course)
            written.append(CONFIG_FILE)
        for rel, text in files.items():
            out.add(outdir / rel, text.encode("utf-8"))
    return {"outdir": str(outdir), "notebooks": notebooks, "written": written, "kept_config": kept_config,
            "course_id": course_id(course)}


# --- filling a notebook with code (for tests and conversions) --------------------------------------

def fill_notebook(nb: dict, source: str) -> dict:
    """A copy of a (released) notebook whose solution cells hold ``source``'s functions.

    Each solution cell ``<module>-<function>`` receives that function with the code above it;
    helpers and imports go with the next function that has a cell, except code the notebook
    already gives in a locked cell (its imports, constants, helpers), which is not repeated.
    Outputs are left untouched.
    """
    nb = json.loads(json.dumps(nb))
    cells = {}
    given = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code":
            continue
        if meta.get("solution"):
            cells[str(meta.get("grade_id", "")).split("-", 1)[-1]] = cell  # <module>-<function>
        elif meta.get("locked") and not meta.get("grade"):
            text = cell.get("source", "")
            given.append("".join(text) if isinstance(text, list) else text)
    shown = "\n".join(given)
    kept = "".join(seg.code for seg in module_segments(source)
                   if any(f in cells for f in seg.functions) or _tidy(seg.code).strip() not in shown)
    for chunk in split_functions(kept, lambda name, code: name in cells):
        cells[chunk.name]["source"] = chunk.code.rstrip("\n")
    return nb


# --- the command ------------------------------------------------------------------------------------

def cmd_export_nbgrader(args) -> int:
    from .cli import _course

    course = _course(args)
    out = Path(args.outdir)
    report = export(course, out, args.only)
    for unit, modules in report["notebooks"].items():
        print(f"assignment {unit}: {', '.join(f'{m}.ipynb' for m in modules)}")
    if report["kept_config"]:
        print(f"kept your {CONFIG_FILE} (not written by nnla); make sure NNLA_COURSE points at "
              f"{out / COURSE_SNAPSHOT}")
    n = sum(len(m) for m in report["notebooks"].values())
    print(f"wrote {n} notebook(s) in {len(report['notebooks'])} assignment(s) to {out}/source "
          f"(course id {report['course_id']!r})")
    first = next(iter(report["notebooks"]), "UNIT")
    print(f"next: cd {out} && nbgrader generate_assignment {first} "
          f"&& nbgrader release_assignment {first}   (see 'Using with nbgrader' in the README)")
    return 0


def register(subparsers) -> None:
    from .cli import export_subparsers

    targets = export_subparsers(subparsers)
    p = targets.add_parser("nbgrader", help="write an nbgrader course directory (one notebook per "
                                            "exercise, one assignment per unit)")
    p.add_argument("outdir", metavar="OUTDIR", help="the nbgrader course folder to write (created if needed)")
    p.add_argument("--only", action="append", metavar="EXERCISE",
                   help="export only this exercise (repeatable)")
    p.set_defaults(run=cmd_export_nbgrader)
