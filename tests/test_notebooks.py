"""Notebook submissions: reading them into modules, staging them, and grading them in a kernel.

Fast tests (no nbgrader run): what code a notebook contributes (solution cells by ``grade_id``,
all code cells without metadata; never test cells or outputs), the clear statuses of broken
notebooks, ``nnla grade`` on notebooks and on nbgrader's ``submitted/`` tree, and the in-process
grader the hidden test cells use giving the sandbox's results check for check.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from graders import suite
from graders.cli import main
from graders.inprocess import grade_exercise, learner_code, run_check
from graders.manifest import load_course
from graders.nbgrader import exercise_notebook, fill_notebook
from graders.notebooks import NotebookProblem, module_source, parse
from graders.runner import Grader, course_checks
from graders.sync import solution_code

from .conftest import checked_modules

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = 10   # per check, on both sides of the in-process comparison
CHEAP_TO_SHRINK = {"dot_product", "matmul", "transpose", "relu"}
REFERENCE = solution_code((ROOT / "solutions" / "dot_product.py").read_text(encoding="utf-8"))
WRONG = suite.replace_function(REFERENCE, "dot", "def dot(a, b):\n    return 0.0\n")


@pytest.fixture(scope="module")
def course():
    return load_course(ROOT)


@pytest.fixture(scope="module")
def dot_notebook(course):
    """The exported dot_product notebook (as JSON), solution cells holding the stub."""
    ex = course.exercise("dot_product")
    nb = exercise_notebook(course, ex, course_checks(course, ["dot_product"])["dot_product"], 1)
    return json.loads(json.dumps(nb))


def code_cell(source: str, nbgrader: dict | None = None, outputs=()) -> dict:
    meta = {"nbgrader": nbgrader} if nbgrader is not None else {}
    return {"cell_type": "code", "source": source, "metadata": meta, "outputs": list(outputs),
            "execution_count": None}


def notebook(cells: list[dict], language: str | None = "python") -> dict:
    meta = {"kernelspec": {"name": "k", "display_name": "k", "language": language}} if language else {}
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": cells}


SOLUTION = {"solution": True, "grade": False, "locked": False, "grade_id": "dot_product-dot", "schema_version": 3}
TEST = {"solution": False, "grade": True, "locked": True, "points": 5, "grade_id": "dot_product-dot-x",
        "schema_version": 3}


# --- what a notebook contributes ------------------------------------------------------------------

def test_solution_cells_by_grade_id_and_nothing_else():
    nb = notebook([
        {"cell_type": "markdown", "source": "def not_code(): pass", "metadata": {}},
        code_cell("import numpy as np\n\ndef dot(a, b):\n    return np.sum(a * b)\n", SOLUTION,
                  outputs=[{"output_type": "stream", "name": "stdout", "text": "def leaked(): pass"}]),
        code_cell("def dot(a, b):\n    return 'the learner edited the test cell'\n", TEST),
        code_cell("x = dot(np.ones(2), np.ones(3))  # scratch work"),
        code_cell("import math\nEPS = 1e-12\n\ndef _helper(v):\n    return v\n"),
    ])
    code = module_source(nb, "dot_product")
    assert code.mode == "solution cells" and code.cells == 2
    assert "return np.sum(a * b)" in code.source and "_helper" in code.source and "EPS = 1e-12" in code.source
    for absent in ("not_code", "leaked", "edited the test cell", "scratch work"):
        assert absent not in code.source
    compile(code.source, "dot_product.py", "exec")


def test_without_metadata_every_code_cell_but_the_exported_test_cells():
    nb = notebook([
        code_cell("import numpy as np\n\ndef dot(a, b):\n    return np.sum(a * b)\n"),
        code_cell("# Public examples for dot() (0 points): run this cell\nassert dot(1, 2) == 99\n"),
        code_cell("# Hidden check for dot(): something (5 points).\nraise RuntimeError\n"),
        code_cell("LIMIT = 3\n"),
    ])
    code = module_source(nb, "dot_product")
    assert code.mode == "code cells" and code.cells == 2
    assert "LIMIT = 3" in code.source and "99" not in code.source and "RuntimeError" not in code.source


def test_notebook_only_lines_are_left_out():
    nb = notebook([code_cell(
        "%matplotlib inline\nimport numpy as np\n!pip install nothing\n\ndef dot(a, b):\n    return np.sum(a * b)\n\n"
        "dot(np.ones(2), np.ones(3))\nprint(dot(np.ones(2), np.ones(2)))\nassert dot(np.ones(1), np.ones(1)) == 5\n"
        "np?\n", SOLUTION)])
    code = module_source(nb, "dot_product")
    namespace: dict = {}
    exec(compile(code.source, "dot_product.py", "exec"), namespace)   # nothing raises at import
    assert namespace["dot"](__import__("numpy").ones(3), __import__("numpy").ones(3)) == 3


def test_a_cell_with_a_syntax_error_is_left_out_with_a_note():
    nb = notebook([code_cell("import numpy as np\n", SOLUTION | {"grade_id": "dot_product-setup"}),
                   code_cell("def dot(a, b)\n    return 0\n", SOLUTION)])
    code = module_source(nb, "dot_product")
    assert "def dot" not in code.source
    assert len(code.notes) == 1 and "syntax error" in code.notes[0] and "dot_product-dot" in code.notes[0]


@pytest.mark.parametrize("text, expected", [
    ('{"cells": [', "JSON is broken"),
    (b"\xff\xfe", "not UTF-8"),
    ('[1, 2]', "not a Jupyter notebook"),
    ('{"nbformat": 3, "worksheets": []}', "old notebook format"),
    ('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}', "malformed"),
])
def test_broken_notebooks_give_a_clear_problem(text, expected):
    with pytest.raises(NotebookProblem, match=expected):
        module_source(text, "dot_product")


def test_other_kernels_and_deleted_cells_give_a_clear_problem():
    with pytest.raises(NotebookProblem, match="uses a R kernel"):
        parse(json.dumps(notebook([code_cell("x <- 1")], language="R")), "dot_product.ipynb")
    only_markdown = notebook([{"cell_type": "markdown", "source": "# Exercise", "metadata": {}}])
    with pytest.raises(NotebookProblem, match="no code cells"):
        module_source(only_markdown, "dot_product")
    solutions_deleted = notebook([code_cell("pass", TEST), code_cell("pass", TEST | {"grade_id": "y"})])
    with pytest.raises(NotebookProblem, match="none of the exercise's solution cells"):
        module_source(solutions_deleted, "dot_product")


# --- nnla grade on notebooks -------------------------------------------------------------------------

def _write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dot_grader(course):
    g = Grader(course, only=["dot_product"])
    g.prepare()
    return g


def test_a_notebook_grades_exactly_as_its_module(tmp_path, dot_grader, dot_notebook):
    for name, source in (("right", REFERENCE), ("wrong", WRONG)):
        _write(tmp_path / "nb" / name / "dot_product.ipynb", fill_notebook(dot_notebook, source))
        _write(tmp_path / "py" / name / "dot_product.py", source)
        from_nb = dot_grader.grade(tmp_path / "nb" / name).to_dict()["exercises"]["dot_product"]
        from_py = dot_grader.grade(tmp_path / "py" / name).to_dict()["exercises"]["dot_product"]
        assert [(c["name"], c["passed"]) for c in from_nb["checks"]] == \
            [(c["name"], c["passed"]) for c in from_py["checks"]]
        assert from_nb["score"] == from_py["score"] == (10 if name == "right" else from_nb["score"])
    assert from_nb["score"] < 10


def test_a_py_file_wins_over_the_notebook(tmp_path, dot_grader, dot_notebook):
    _write(tmp_path / "s" / "dot_product.ipynb", fill_notebook(dot_notebook, REFERENCE))
    _write(tmp_path / "s" / "dot_product.py", WRONG)
    assert dot_grader.grade(tmp_path / "s").exercises["dot_product"].score < 10


@pytest.mark.parametrize("content, status, words", [
    ('{"cells": [', "error", "JSON is broken"),
    (json.dumps(notebook([code_cell("x <- 1")], language="R")), "error", "uses a R kernel"),
    (json.dumps(notebook([{"cell_type": "markdown", "source": "hi", "metadata": {}}])), "error", "no code cells"),
])
def test_broken_notebook_submissions_get_a_status_not_a_crash(tmp_path, dot_grader, content, status, words):
    _write(tmp_path / "s" / "dot_product.ipynb", content)
    ex = dot_grader.grade(tmp_path / "s").exercises["dot_product"]
    assert ex.status == status and words in ex.message and ex.score == 0


def test_two_copies_of_a_notebook_are_a_problem(tmp_path, dot_grader, dot_notebook):
    for folder in ("a", "b"):
        _write(tmp_path / "s" / folder / "dot_product.ipynb", fill_notebook(dot_notebook, REFERENCE))
    ex = dot_grader.grade(tmp_path / "s").exercises["dot_product"]
    assert ex.status == "error" and "more than once" in ex.message


def test_class_run_on_nbgrader_submitted_tree_is_keyed_by_student(tmp_path, dot_notebook):
    submitted = tmp_path / "course" / "submitted"
    _write(submitted / "alice" / "vectors_and_matrices" / "dot_product.ipynb", fill_notebook(dot_notebook, REFERENCE))
    _write(submitted / "alice" / "vectors_and_matrices" / "timestamp.txt", "2026-11-21 09:00:00\n")
    _write(submitted / "bob" / "vectors_and_matrices" / "dot_product.ipynb", fill_notebook(dot_notebook, WRONG))
    out = tmp_path / "grades"
    assert main(["--course", str(ROOT), "grade", "--class", str(submitted), "--out", str(out),
                 "--only", "dot_product", "--progress", "none"]) == 0
    with open(out / "gradebook.csv", newline="") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"alice", "bob"}
    assert float(rows["alice"]["dot_product"]) == 10 and float(rows["bob"]["dot_product"]) < 10


# --- grading in the kernel's process --------------------------------------------------------------------

def _sandbox(grader: Grader, module: str, source: str):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / f"{module}.py").write_text(source, encoding="utf-8")
        return grader.grade(Path(tmp)).exercises[module]


def _cases(modules):
    """Every exercise's reference and stub; mutants where shrinking their failures is cheap."""
    refs = suite.reference_sources(ROOT)
    cases = []
    for m in modules:
        cases.append((f"{m}.reference", m, refs[m]))
        variants = [v for v in suite.all_mutants() if v.module == m][:2] if m in CHEAP_TO_SHRINK else []
        cases += [(v.id, m, suite.replace_function(refs[m], v.function, v.source)) for v in variants]
        cases.append((f"{m}.stub", m, (ROOT / "exercises" / f"{m}.py").read_text(encoding="utf-8")))
    return cases


def test_in_process_grading_equals_the_sandbox(course):
    """Check for check, message for message: what the hidden test cells report is nnla's grade."""
    modules = [e.module for e in course.exercises if e.module in checked_modules()]
    graders = {m: Grader(course, only=[m], examples=EXAMPLES) for m in modules}
    differences = []
    for name, module, source in _cases(modules):
        sandboxed = _sandbox(graders[module], module, source)
        in_kernel = grade_exercise(course, module, source, examples=EXAMPLES)
        a = [(c.name, c.passed, c.points, c.message) for c in sandboxed.checks]
        b = [(c.name, c.passed, c.points, c.message) for c in in_kernel.checks]
        if a != b or sandboxed.status != in_kernel.status:
            differences.append((name, sandboxed.status, in_kernel.status,
                                [(x, y) for x, y in zip(a, b) if x != y][:2]))
    assert not differences, differences


def test_in_process_time_limit_and_import_errors(course):
    slow = "import time\n\ndef dot(a, b):\n    while True:\n        time.sleep(0.01)\n"
    ex = grade_exercise(course, "dot_product", slow)
    assert ex.score == 0 and ex.status == "timeout"
    assert "timed out after" in ex.checks[0].message
    assert "earlier check" in ex.checks[1].message or "time budget" in ex.checks[1].message
    broken = "raise ValueError('at import')\n\ndef dot(a, b):\n    return 0\n"
    ex = grade_exercise(course, "dot_product", broken)
    assert ex.status == "error" and "importing dot_product.py raised ValueError: at import" in ex.message


def test_run_check_reads_the_notebook_next_to_it(tmp_path, monkeypatch, dot_notebook):
    monkeypatch.setenv("NNLA_COURSE", str(ROOT))
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "dot_product.ipynb", fill_notebook(dot_notebook, REFERENCE))
    for check in ("matches_reference", "empty_is_zero", "rejects_bad_shapes", "leaves_inputs_alone"):
        run_check("dot_product", "dot", check)
    off_by_one = next(v for v in suite.all_mutants() if v.id == "dot_product.dot.off_by_one")
    _write(tmp_path / "dot_product.ipynb",
           fill_notebook(dot_notebook, suite.replace_function(REFERENCE, "dot", off_by_one.source)))
    with pytest.raises(AssertionError, match="should equal the sum"):
        run_check("dot_product", "dot", "matches_reference")
    run_check("dot_product", "dot", "rejects_bad_shapes")   # this mutant still checks shapes
    _write(tmp_path / "dot_product.ipynb", '{"cells": [')
    with pytest.raises(AssertionError, match="JSON is broken"):
        run_check("dot_product", "dot", "empty_is_zero")


def test_run_check_without_the_file_uses_the_cells_that_ran(tmp_path, monkeypatch, course):
    monkeypatch.setenv("NNLA_COURSE", str(ROOT))
    monkeypatch.chdir(tmp_path)
    cell = tmp_path / "cell_17.py"   # what IPython's linecache holds for an executed cell
    cell.write_text(WRONG, encoding="utf-8")
    namespace: dict = {}
    exec(compile(WRONG, str(cell), "exec"), namespace)
    code = learner_code("dot_product", namespace, course=course)
    assert "return 0.0" in code.source
    with pytest.raises(AssertionError):
        run_check("dot_product", "dot", "matches_reference", namespace)
    with pytest.raises(AssertionError, match="not in"):
        run_check("dot_product", "dot", "matches_reference")


def test_kernel_finds_the_exported_course_snapshot(tmp_path, monkeypatch):
    from graders.inprocess import COURSE_SNAPSHOT, find_course

    monkeypatch.delenv("NNLA_COURSE", raising=False)
    snapshot = tmp_path / "nbcourse" / COURSE_SNAPSHOT
    shutil.copytree(ROOT / "solutions", snapshot / "solutions")
    shutil.copyfile(ROOT / "course.toml", snapshot / "course.toml")
    deep = tmp_path / "nbcourse" / "autograded" / "alice" / "unit"
    deep.mkdir(parents=True)
    assert find_course(deep).root == snapshot.resolve()
