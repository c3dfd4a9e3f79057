"""``nnla export nbgrader OUTDIR``: the course as an nbgrader course directory, from the same sources.

Written::

    OUTDIR/nbgrader_config.py                 course id, cell timeout, where the kernel finds the course
    OUTDIR/nnla_course/course.toml            a snapshot of the course the hidden cells grade with
    OUTDIR/nnla_course/solutions/*.py         (its reference solutions: instructor-only, like source/)
    OUTDIR/source/<unit>/<module>.ipynb       one notebook per exercise; one assignment per [[unit]]

Each notebook, in order: the lesson (the module docstring, rendered as Markdown), then for each
function a short heading, its solution cell (the reference between ``### BEGIN SOLUTION`` /
``### END SOLUTION``; the first cell also holds the module's imports), a locked 0-point cell with
the public examples (``exercises/test_<module>.py``), and one locked test cell per hidden check
(points = the check's points, ``grade_id`` ``<module>-<function>-<check>``). A hidden check cell
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
import re
import textwrap
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .manifest import COURSE_FILE, Course, Exercise
from .notebooks import HIDDEN_HEADER, PUBLIC_HEADER
from .results import points, write_atomic
from .sync import BEGIN

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


def split_functions(source: str, is_cell=None) -> list[Chunk]:
    """Cut a module into one chunk per top-level function (the module docstring is left out).

    Code between two functions goes with the function below it; code after the last function goes
    with the last. ``is_cell(name, code)`` says whether a function gets its own cell; the others
    (helpers) are merged into the next cell that does (or the previous one, at the end).
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    start = _docstring_end(tree)
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not defs:
        raise UsageError("the module defines no function")
    raw: list[tuple[str, str, str]] = []
    for k, node in enumerate(defs):
        end = node.end_lineno if k < len(defs) - 1 else len(lines)
        code = "".join(lines[start:end])
        raw.append((node.name, code, f"{node.name}({ast.unparse(node.args)})"))
        start = end
    is_cell = is_cell or (lambda name, code: True)
    chunks: list[Chunk] = []
    pending = ""
    for name, code, signature in raw:
        if is_cell(name, code):
            chunks.append(Chunk(name, (pending + code).strip("\n") + "\n", signature))
            pending = ""
        else:
            pending += code
    if pending.strip():
        if not chunks:
            raise UsageError("no function of the module gets a cell of its own")
        last = chunks[-1]
        chunks[-1] = Chunk(last.name, (last.code + pending).strip("\n") + "\n", last.signature)
    return chunks


def _has_solution(name: str, code: str) -> bool:
    return any(line.strip() == BEGIN for line in code.splitlines())


# --- public examples -------------------------------------------------------------------------------

def _owner(test_name: str, functions: tuple[str, ...]) -> str | None:
    matches = [f for f in functions if test_name == f"test_{f}" or test_name.startswith(f"test_{f}_")]
    return max(matches, key=len) if matches else None


def public_examples(path: Path, ex: Exercise, modules: set[str]) -> dict[str, str]:
    """function -> the code of its public-examples cell (the tests of ``exercises/test_<module>.py``).

    Tests named ``test_<function>_...`` go with that function; the others with the last function.
    The file's own setup (imports, constants, helpers) goes into the first of these cells; the
    import of the learner's module is dropped (in a notebook its functions are already defined).
    """
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    start = _docstring_end(tree)
    preamble: list[str] = []
    tests: dict[str, list[tuple[str, str]]] = {}
    for node in tree.body[1 if start else 0:]:
        text = "".join(lines[start:node.end_lineno]).strip("\n")
        start = node.end_lineno
        if isinstance(node, ast.ImportFrom) and node.module in modules or \
                isinstance(node, ast.Import) and any(a.name in modules for a in node.names):
            continue
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["EXERCISE"]:
            continue
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            owner = _owner(node.name, ex.functions) or ex.functions[-1]
            tests.setdefault(owner, []).append((node.name, text))
        else:
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


def exercise_notebook(course: Course, ex: Exercise, checks: list, number: int):
    """The nbgrader source notebook of one exercise (an ``nbformat`` notebook node)."""
    import nbformat
    import nbformat.v4 as v4

    path = course.solutions_dir / f"{ex.module}.py"
    source = path.read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source), clean=False) or f"Exercise {number}: {ex.title}."
    chunks = split_functions(source, _has_solution)
    wanted = set(ex.functions)
    unknown = [c.name for c in chunks if c.name not in wanted]
    if unknown:
        raise UsageError(f"solutions/{ex.module}.py: {unknown[0]} has a solution block but is not "
                         f"listed in course.toml's functions for {ex.module!r}")
    missing = [fn for fn in ex.functions if fn not in {c.name for c in chunks}]
    if missing:
        raise UsageError(f"solutions/{ex.module}.py: {missing[0]} has no {BEGIN} block")
    unit = next((u.title for u in course.units if u.name == ex.unit), ex.unit)
    n_checks = len(checks)
    about = [lesson_markdown(doc).rstrip("\n"), "",
             f"*{course.title} · {unit} · exercise {number} · {points(ex.points)} points "
             f"from {n_checks} hidden check{'s' if n_checks != 1 else ''}*"]
    if ex.hint:
        about += ["", f"<details><summary>Hint</summary>\n\n{_inline(ex.hint)}\n\n</details>"]
    about += ["", "## How this notebook works", "",
              "Write your code in each solution cell, in place of `raise NotImplementedError()`, and "
              "run it. The cell after it runs the public examples (worth 0 points; they tell you "
              "early that something is off). The locked cells after that are the hidden checks: "
              "each is worth the points it shows and runs when your notebook is graded. Only the "
              "code in the solution cells is graded (plus cells you add that only define helpers); "
              "save the notebook before you submit."]
    cells = [_markdown("\n".join(about), f"{ex.module}-lesson")]
    examples = public_examples(course.exercises_dir / f"test_{ex.module}.py", ex,
                               {e.module for e in course.exercises})
    for chunk in chunks:
        fn = chunk.name
        fn_checks = [c for c in checks if c.function == fn]
        worth = points(sum(c.points for c in fn_checks))
        cells.append(_markdown(f"## `{chunk.signature}`\n\nYour code goes in the cell below. "
                               f"{len(fn_checks)} hidden check{'s' if len(fn_checks) != 1 else ''}, "
                               f"{worth} point{'s' if worth != 1 else ''}.", f"{ex.module}-{fn}-about"))
        cells.append(_code(chunk.code, f"{ex.module}-{fn}", solution=True))
        if fn in examples:
            cells.append(_code(examples[fn], f"{ex.module}-{fn}-examples", grade=True, locked=True, points_=0))
        for check in fn_checks:
            cells.append(_code(hidden_check_cell(ex, check), f"{ex.module}-{fn}-{check.name}",
                               grade=True, locked=True, points_=check.points))
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
    """Write the nbgrader course directory; returns what was written (paths relative to outdir)."""
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir}: not a folder")
    import nbformat

    checks = exported_exercises(course, only)
    written: list[str] = []
    notebooks: dict[str, list[str]] = {}
    for number, ex in enumerate(course.exercises, start=1):
        if ex.module not in checks:
            continue
        nb = exercise_notebook(course, ex, checks[ex.module], number)
        rel = Path("source") / ex.unit / f"{ex.module}.ipynb"
        write_atomic(outdir / rel, nbformat.writes(nb) + "\n")
        written.append(str(rel))
        notebooks.setdefault(ex.unit, []).append(ex.module)
    snapshot = outdir / COURSE_SNAPSHOT
    write_atomic(snapshot / COURSE_FILE, (course.root / COURSE_FILE).read_text(encoding="utf-8"))
    for ex in course.exercises:
        rel = Path(COURSE_SNAPSHOT) / "solutions" / f"{ex.module}.py"
        write_atomic(outdir / rel, (course.solutions_dir / f"{ex.module}.py").read_text(encoding="utf-8"))
    written.append(f"{COURSE_SNAPSHOT}/")
    config = outdir / CONFIG_FILE
    kept_config = False
    try:
        current = config.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    if current is None or current.startswith(CONFIG_MARKER):
        write_atomic(config, config_text(course))
        written.append(CONFIG_FILE)
    else:
        kept_config = True
    return {"outdir": str(outdir), "notebooks": notebooks, "written": written, "kept_config": kept_config,
            "course_id": course_id(course)}


# --- filling a notebook with code (for tests and conversions) --------------------------------------

def fill_notebook(nb: dict, source: str) -> dict:
    """A copy of a (released) notebook whose solution cells hold ``source``'s functions.

    Each solution cell ``<module>-<function>`` receives that function with the code above it;
    helpers and imports go with the next function that has a cell. Outputs are left untouched.
    """
    nb = json.loads(json.dumps(nb))
    cells = {}
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and cell.get("cell_type") == "code":
            cells[str(meta.get("grade_id", "")).split("-", 1)[-1]] = cell  # <module>-<function>
    for chunk in split_functions(source, lambda name, code: name in cells):
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
