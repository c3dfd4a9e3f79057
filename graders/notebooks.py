"""Notebook submissions: the code of a learner's ``<module>.ipynb`` as a plain module source.

A notebook exported by ``nnla export nbgrader`` (and released by nbgrader) holds, per exercise,
solution cells (nbgrader metadata ``solution: true``, ``grade_id`` ``<module>-<function>``) and
locked test cells. The module nnla grades is built from:

- the **solution cells**, in notebook order (found by their nbgrader metadata), plus any code cell
  the learner added that only *defines* things (imports, functions, classes, constants), so a
  helper written in a cell of its own still counts;
- without any nbgrader metadata (it was stripped, or the notebook was made by hand): **every code
  cell**, except the test cells this course exports (recognised by their first line).

Test cells, outputs and markdown are ignored, whatever the learner did to them. Inside the cells
used, lines that only exist in a notebook are left out: IPython magics and shell escapes
(``%timeit``, ``!pip``), and top-level expressions and asserts that display or try out a value
(``dot(a, b)``, ``print(...)``, ``assert dot(a, b) == 32``). A cell with a syntax error is left
out (the functions it defines then count as missing) and reported in a note.

The same function builds the module for ``nnla grade`` (through :func:`stage_notebooks`, called
by ``graders.submission.stage``) and for the hidden test cells that nbgrader runs
(``graders.inprocess``), so both grade exactly the same code.

A notebook whose JSON is broken, which is not a Jupyter notebook, whose kernel language is not
Python, or which has no usable code cell left, raises :class:`NotebookProblem` with a message
meant for the learner.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

SUFFIX = ".ipynb"
MAX_NOTEBOOK_BYTES = 32 << 20   # notebooks carry outputs (plots); the code itself is small

# First lines of the test cells ``nnla export nbgrader`` writes: how they are recognised when a
# notebook lost its nbgrader metadata.
PUBLIC_HEADER = "# Public examples for {function}()"
HIDDEN_HEADER = "# Hidden check for {function}()"
_TEST_CELL = re.compile(r"^\s*# (Public examples|Hidden check) for [A-Za-z_][A-Za-z0-9_]*\(\)")
_MAGIC = re.compile(r"^\s*(%|!)|^\s*[A-Za-z_][\w.]*\?\??\s*$")
_RUNNING_CELL_MAGICS = {"%%time", "%%timeit", "%%capture", "%%prun"}  # these run their cell as code


class NotebookProblem(Exception):
    """The notebook cannot be graded; the message says why, for the learner."""


@dataclass
class NotebookCode:
    """A module source built from a notebook, and how."""

    source: str
    cells: int                   # code cells used
    mode: str                    # "solution cells" or "code cells" (no nbgrader metadata)
    notes: list[str] = field(default_factory=list)


# --- reading ---------------------------------------------------------------------------------

def _cell_text(cell: dict, name: str, index: int) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotebookProblem(f"{name}: cell {index} is malformed (its source is not text)")


def parse(text: str | bytes, name: str = "notebook.ipynb") -> dict:
    """The notebook's JSON as a dict, checked enough to read its cells; or NotebookProblem."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise NotebookProblem(f"{name} is not a readable notebook (not UTF-8 text)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise NotebookProblem(f"{name} is not a readable notebook: its JSON is broken (line {err.lineno}, "
                              f"column {err.colno}: {err.msg}); open it in Jupyter, or submit a "
                              f"fresh copy with your code pasted in") from None
    except RecursionError:
        raise NotebookProblem(f"{name} is not a readable notebook (nested too deeply)") from None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise NotebookProblem(f"{name} is not a Jupyter notebook (it has no cells)")
    major = data.get("nbformat")
    if "worksheets" in data or isinstance(major, int) and major < 4:
        raise NotebookProblem(f"{name} is saved in an old notebook format (nbformat {major}); "
                              f"open and save it with a current Jupyter")
    if not isinstance(data.get("cells"), list) or not all(isinstance(c, dict) for c in data["cells"]):
        raise NotebookProblem(f"{name} is not a Jupyter notebook (its cells are malformed)")
    meta = data.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    for key, lang_key in (("kernelspec", "language"), ("language_info", "name")):
        info = meta.get(key)
        lang = info.get(lang_key) if isinstance(info, dict) else None
        if isinstance(lang, str) and lang.strip() and not lang.strip().lower().startswith(("python", "ipython")):
            raise NotebookProblem(f"{name} uses a {lang.strip()} kernel, but this course's notebooks run "
                                  f"Python; switch the kernel to Python 3, run your cells, and save")
    return data


def _nbgrader_meta(cell: dict) -> dict:
    meta = cell.get("metadata")
    nb = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nb if isinstance(nb, dict) else {}


def _is_test_cell(cell: dict, text: str) -> bool:
    meta = _nbgrader_meta(cell)
    if meta.get("grade") and not meta.get("solution"):
        return True
    return bool(_TEST_CELL.match(text))


def _literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _defines_only(tree: ast.Module) -> bool:
    """True when a cell only defines things: running it cannot fail on the learner's own tries."""
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring or a bare string
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and \
                all(isinstance(t, ast.Name) for t in targets) and _literal(node.value):
            continue  # a constant: EPS = 1e-12, SHAPE = (2, 3)
        return False
    return True


def _parse_cell(text: str) -> tuple[str, ast.Module]:
    """The cell as Python: IPython-only lines become comments when that is what breaks parsing."""
    try:
        return text, ast.parse(text)
    except SyntaxError as first:
        lines = text.splitlines(keepends=True)
        if lines and lines[0].lstrip().startswith("%%"):
            magic = lines[0].split()[0]
            if magic not in _RUNNING_CELL_MAGICS:  # the cell is the magic's input, not Python
                commented = "".join("# " + l if l.strip() else l for l in lines)
                return commented, ast.parse(commented)
        changed = False
        for i, line in enumerate(lines):
            if _MAGIC.match(line):
                lines[i] = "# " + line.lstrip() if line.strip() else line
                changed = True
        if changed:
            candidate = "".join(lines)
            try:
                return candidate, ast.parse(candidate)
            except SyntaxError:
                pass
        raise first


def _drop_tries(text: str, tree: ast.Module) -> str:
    """Comment out top-level expressions and asserts (a value displayed, a quick try-out), and
    ``from __future__`` imports (legal only at the top of a module, which a cell rarely is)."""
    spans = [(n.lineno, n.end_lineno or n.lineno) for n in tree.body]
    lines = text.splitlines(keepends=True)
    for node, (start, end) in zip(tree.body, spans):
        droppable = (isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant)) or \
            isinstance(node, ast.Assert) or \
            isinstance(node, ast.ImportFrom) and node.module == "__future__"  # only legal at the top
        if not droppable:
            continue
        shared = any(not (e < start or s > end) for s, e in spans if (s, e) != (start, end))
        if shared or node.col_offset != 0:
            continue  # on a line with another statement: leave it
        for i in range(start - 1, min(end, len(lines))):
            lines[i] = "# (not graded) " + lines[i] if lines[i].strip() else lines[i]
    return "".join(lines)


def module_source(notebook: dict | str | bytes, module: str, *, name: str | None = None) -> NotebookCode:
    """The module source nnla grades for ``module``, built from a notebook (see the module doc)."""
    name = name or f"{module}{SUFFIX}"
    data = parse(notebook, name) if isinstance(notebook, (str, bytes)) else notebook
    cells = data["cells"]
    code_cells = []
    for index, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        code_cells.append((index, cell, _cell_text(cell, name, index)))
    if not code_cells:
        raise NotebookProblem(f"{name} has no code cells (were they deleted?); start again from the "
                              f"released notebook and paste your code into its solution cells")
    by_id = any(_nbgrader_meta(c).get("solution") for _, c, _ in code_cells)
    notes: list[str] = []
    parts: list[str] = [f"# {module}: the code of {name}'s "
                        f"{'solution cells' if by_id else 'code cells'}, as nnla grades it.\n"]
    used = 0
    for index, cell, text in code_cells:
        meta = _nbgrader_meta(cell)
        label = meta.get("grade_id") if isinstance(meta.get("grade_id"), str) else ""
        if _is_test_cell(cell, text):
            continue
        try:
            code, tree = _parse_cell(text)
        except SyntaxError as err:
            where = f"cell {index}" + (f" ({label})" if label else "")
            if by_id and not meta.get("solution"):
                continue  # an added scratch cell: not part of the module anyway
            notes.append(f"{name}: {where} has a syntax error on its line {err.lineno}: {err.msg}; "
                         f"it was left out, so what it defines counts as missing")
            continue
        if by_id and not meta.get("solution"):
            if meta.get("locked") and label:
                pass  # a read-only cell given by the course (nbgrader restores it): part of the code
            elif not _defines_only(tree):
                continue  # scratch work in a cell the learner added: not graded
        code = _drop_tries(code, tree)
        used += 1
        parts.append(f"\n# --- cell {index}{': ' + label if label else ''} ---\n{code.rstrip()}\n")
    if used == 0:
        raise NotebookProblem(f"{name} has none of the exercise's solution cells left (were they "
                              f"deleted?); start again from the released notebook and paste your "
                              f"code into its solution cells")
    return NotebookCode("".join(parts), used, "solution cells" if by_id else "code cells", notes)


def read(path: Path, module: str) -> NotebookCode:
    """:func:`module_source` of a notebook file (size-checked)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise NotebookProblem(f"{path.name} is larger than {MAX_NOTEBOOK_BYTES >> 20} MiB; clear its "
                                  f"outputs (Edit > Clear All Outputs), save and submit again")
        raw = path.read_bytes()
    except OSError as err:
        raise NotebookProblem(f"{path.name} cannot be read ({err.strerror or err})") from None
    return module_source(raw, module, name=path.name)


# --- staging (called from graders.submission.stage) ---------------------------------------------

def _notebook_files(root: Path) -> dict[str, list[Path]]:
    """``<stem>.ipynb`` files below root (not following links, skipping checkpoints)."""
    from .submission import MAX_FILES, SKIP_DIRS

    found: dict[str, list[Path]] = {}
    count = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for filename in sorted(filenames):
            count += 1
            if count > MAX_FILES:
                return found
            if filename.endswith(SUFFIX):
                found.setdefault(filename[: -len(SUFFIX)], []).append(Path(dirpath) / filename)
    return found


def stage_notebooks(root: Path, modules: list[str], dest: Path, staged) -> None:
    """For each wanted module found as ``<module>.ipynb`` under ``root``, write ``dest/<module>.py``.

    ``staged`` is the :class:`graders.submission.Staged` being filled: its ``modules``,
    ``problems`` and ``notes`` are updated the way ``.py`` files update them.
    """
    if not modules:
        return
    root = Path(root)
    found = _notebook_files(root)
    for module in modules:
        files = found.get(module)
        if not files:
            continue
        if len(files) > 1:
            where = ", ".join(str(f.relative_to(root)) for f in files)
            staged.problems[module] = f"{module}{SUFFIX} appears more than once ({where}); keep one"
            continue
        file = files[0]
        if file.is_symlink() or not file.is_file():
            staged.problems[module] = f"{module}{SUFFIX} is a link, not a file; submit the file itself"
            continue
        try:
            code = read(file, module)
        except NotebookProblem as problem:
            staged.problems[module] = str(problem)
            continue
        target = Path(dest) / f"{module}.py"
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(code.source)
        os.chmod(target, 0o644)   # the sandbox's unprivileged uid reads it
        staged.modules[module] = target
        kind = code.mode.split()[0]
        staged.notes.append(f"{module}: graded from {file.relative_to(root)} "
                            f"({code.cells} {kind} cell{'s' if code.cells != 1 else ''})")
        staged.notes.extend(code.notes)
