"""``nnla export nbgrader``, proven against the real nbgrader.

Two temporary courses, both cut from this one with :func:`graders.nbgrader.write_course_subset`
(fewer examples per check, on both sides):

- **the whole course** (all exercises, every assignment): ``generate_assignment`` succeeds for
  every unit, the release holds no solution line and no hidden test, its code cells are the module
  stubs' code, and ``validate`` passes every source notebook (the solutions in place) and fails
  stubs;
- **the round trip** (one whole unit, plus the exercises whose modules have given code beside the
  imports: helpers, constants): notebook submissions -- the reference, the stubs, mutants, a
  forbidden shortcut, a messy notebook with edited test cells, outputs, magics and scratch cells --
  go through ``autograde --force`` and ``export``. The scores in nbgrader's gradebook (sqlite) must
  equal, per exercise and in total, what ``nnla grade --class`` gives for the same ``submitted/``
  folder, and what nnla gives for the same code as ``.py`` modules.
"""

from __future__ import annotations

import ast
import copy
import csv
import json
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from graders import suite
from graders.cli import main
from graders.errors import UsageError
from graders.manifest import load_course
from graders.nbgrader import (COURSE_SNAPSHOT, check_regions, export, fill_notebook, lesson_markdown,
                              module_segments, notebook_parts, public_examples, split_functions,
                              write_course_subset)
from graders.runner import Grader
from graders.sync import BEGIN, END, solution_code, stub_source

from .conftest import checked_modules
from .test_sync import disk_full, one_line_error, with_umask

ROOT = Path(__file__).resolve().parent.parent
ROUNDTRIP_UNIT = "vectors_and_matrices"   # one whole unit: one assignment, five notebooks
EXAMPLES = 20                             # per hidden check, on both sides of the round trip
VALIDATE_EXAMPLES = 5                     # per hidden check, when validate runs every notebook


def given_beyond_imports(source: str) -> bool:
    """Whether a module gives the learner top-level code besides its imports and ``__all__``
    (helper functions, constants): what the notebook's given cells must carry."""
    tree = ast.parse(source)
    body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["__all__"]:
            continue
        if isinstance(node, ast.FunctionDef) and BEGIN in ast.get_source_segment(source, node):
            continue   # a function the learner writes
        return True
    return False


def roundtrip_modules() -> list[str]:
    course = load_course(ROOT)
    have = set(checked_modules())
    return [e.module for e in course.exercises if e.module in have and (
        e.unit == ROUNDTRIP_UNIT
        or given_beyond_imports((course.solutions_dir / f"{e.module}.py").read_text(encoding="utf-8")))]


def nbgrader_env() -> dict:
    """nbgrader runs ``alembic`` from PATH: put this interpreter's scripts first."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    # the kernels import this tree's graders, whatever (or wherever) nnla is installed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("NNLA_COURSE", None)   # the export's nbgrader_config.py sets it
    env["PYTHONUNBUFFERED"] = "1"  # logs and results in the order they happen
    return env


TIMES: dict[str, float] = {}


def nbgrader(course_dir: Path, *args: str, timeout: float = 600) -> str:
    began = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course_dir, env=nbgrader_env(),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout)
    output = proc.stdout
    TIMES[" ".join(args[:1])] = TIMES.get(" ".join(args[:1]), 0) + time.monotonic() - began
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{output[-4000:]}"
    return output


# --- notebook submissions ----------------------------------------------------------------------------

def read_nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write_nb(path: Path, nb: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def messy(nb: dict, module: str) -> dict:
    """What learners do to notebooks that must not change the grade: outputs everywhere, edited
    (emptied) test cells, a magic and a try-out line in a solution cell, scratch cells that fail,
    a helper in a cell of its own."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "some output\n"}]
            cell["execution_count"] = 7
        if meta.get("grade") and not meta.get("solution"):
            cell["source"] = "pass  # the learner emptied this test cell"
        if meta.get("solution"):
            cell["source"] += ("\n\n%timeit -n1 -r1 sum(range(10))\nprint('trying it out:', 1 / 0 if False else 1)"
                               "\nassert 1 == 2, 'my own quick test'\n")
        cells.append(cell)
        if meta.get("solution"):
            cells.append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                          "source": "x = undefined_name + 1  # scratch work that fails", "id": f"s{len(cells)}"})
            cells.append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                          "source": "def _unused_helper(v):\n    return v\n", "id": f"h{len(cells)}"})
    nb["cells"] = cells
    return nb


def forbidden_variant(module: str) -> tuple[str, str] | None:
    """A correct function that uses a shortcut the exercise forbids (None: none written)."""
    sources = {
        "dot_product": ("dot", "import numpy as np\n\ndef dot(a, b):\n    if a.ndim != 1 or b.ndim != 1 or "
                        "a.shape != b.shape:\n        raise ValueError('shapes')\n    return np.dot(a, b)\n"),
        "matmul": ("matmul", "def matmul(A, B):\n    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:\n"
                   "        raise ValueError('shapes')\n    return A @ B\n"),
    }
    return sources.get(module)


# --- the whole course through generate_assignment and validate ------------------------------------

def validations(output: str) -> dict[str, bool]:
    """notebook path (absolute, as logged) -> passed, from ``nbgrader validate``'s log."""
    verdicts = {}
    for block in output.split("[ValidateApp | INFO] Validating '")[1:]:
        path = block.split("'", 1)[0]
        ok = "Success! Your notebook passes all the tests." in block
        assert ok or "VALIDATION FAILED" in block, f"no verdict for {path}:\n{block[-2000:]}"
        verdicts[path] = ok
    return verdicts


@pytest.fixture(scope="module")
def whole_course(tmp_path_factory):
    started = time.monotonic()
    full = load_course(ROOT)
    modules = checked_modules()
    root = tmp_path_factory.mktemp("nbgrader-course")
    course_dir = write_course_subset(full, root / "course", modules, examples=VALIDATE_EXAMPLES)
    course = load_course(course_dir)
    out = root / "nbcourse"
    assert main(["--course", str(course_dir), "export", "nbgrader", str(out)]) == 0
    generate = nbgrader(out, "generate_assignment", "*", "--force")   # every unit, one run
    sources = [f"source/{e.unit}/{e.module}.ipynb" for e in course.exercises]
    with_solutions = validations(nbgrader(out, "validate", *sources))
    # the stubs (a sample: each notebook costs a kernel): a module with given helpers, and the
    # exercise with the most functions (the most solution cells)
    sample = [course.exercise("optimizers"), max(course.exercises, key=lambda e: len(e.functions))]
    with_stubs = validations(nbgrader(out, "validate", *[f"release/{e.unit}/{e.module}.ipynb" for e in sample]))
    return {"course": course, "out": out, "generate": generate, "sources": sources,
            "with_solutions": with_solutions, "with_stubs": with_stubs, "stub_sample": sample,
            "seconds": time.monotonic() - started}


def _code_cells(nb: dict, *, given_and_solution_only: bool = False) -> list[str]:
    texts = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] != "code":
            continue
        if given_and_solution_only and meta.get("grade"):
            continue
        texts.append("".join(cell["source"]))
    return texts


def test_every_exercise_is_released_in_its_assignment(whole_course):
    course, out = whole_course["course"], whole_course["out"]
    assert len(course.exercises) == len(checked_modules()) == len(load_course(ROOT).exercises)
    assert "ERROR" not in whole_course["generate"], whole_course["generate"][-3000:]
    for unit in course.units:
        released = sorted(p.stem for p in (out / "release" / unit.name).glob("*.ipynb"))
        assert released == sorted(e.module for e in course.unit_exercises(unit.name)), unit.name


def test_release_has_no_solution_and_no_hidden_test(whole_course):
    course, out = whole_course["course"], whole_course["out"]
    for ex in course.exercises:
        path = out / "release" / ex.unit / f"{ex.module}.ipynb"
        text = path.read_text()
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "run_check",
                       "graders"):
            assert marker not in text, f"{ex.module}.ipynb's release contains {marker!r}"
        shown = {line.strip() for cell in _code_cells(read_nb(path)) for line in cell.splitlines()}
        stub = {line.strip() for line in (ROOT / "exercises" / f"{ex.module}.py").read_text().splitlines()}
        solution = (course.solutions_dir / f"{ex.module}.py").read_text()
        hidden = [line.strip() for block in re.findall(rf"(?ms)^[ \t]*{BEGIN}\n(.*?)^[ \t]*{END}$", solution)
                  for line in block.splitlines() if len(line.strip()) > 20 and line.strip() not in stub]
        assert hidden, ex.module
        leaked = [line for line in hidden if line in shown]
        assert not leaked, f"{ex.module}.ipynb's release shows reference lines {leaked[:3]}"
        code = "\n".join(_code_cells(read_nb(path)))
        assert code.count("raise NotImplementedError()") == len(ex.functions), ex.module
        assert "Public examples for" in code and "Hidden check for" in code


def test_released_code_is_the_module_stub(whole_course):
    """Given and solution cells of a released notebook, in order, hold what exercises/<module>.py
    holds after its docstring (nbgrader's stub line in place of nnla's)."""
    course, out = whole_course["course"], whole_course["out"]
    for ex in course.exercises:
        nb = read_nb(out / "release" / ex.unit / f"{ex.module}.ipynb")
        cells = _code_cells(nb, given_and_solution_only=True)
        code = "\n".join(cells)
        code = re.sub(r"(?m)^([ \t]*)# YOUR CODE HERE\n[ \t]*raise NotImplementedError\(\)$",
                      rf'\1raise NotImplementedError("{ex.module}: not implemented yet")', code)
        stub = (ROOT / "exercises" / f"{ex.module}.py").read_text()
        body = "".join(stub.splitlines(keepends=True)[ast.parse(stub).body[0].end_lineno:])
        assert [l for l in code.splitlines() if l.strip()] == [l for l in body.splitlines() if l.strip()], ex.module
        kinds = [c["metadata"]["nbgrader"] for c in nb["cells"] if c["cell_type"] == "code"
                 and not c["metadata"]["nbgrader"].get("grade")]
        assert kinds[0]["grade_id"] == f"{ex.module}-setup" and kinds[0]["locked"] and not kinds[0]["solution"]
        assert [k["grade_id"] for k in kinds if k["solution"]] == [f"{ex.module}-{fn}" for fn in ex.functions]


def test_validate_passes_every_solution_and_fails_stubs(whole_course):
    out = whole_course["out"]
    passed = {str(Path(p).relative_to(out)): ok for p, ok in whole_course["with_solutions"].items()}
    assert sorted(passed) == sorted(whole_course["sources"])
    failed = [p for p, ok in passed.items() if not ok]
    assert not failed, f"nbgrader validate fails with the solutions in place: {failed}"
    stubs = whole_course["with_stubs"]
    assert len(stubs) == len(whole_course["stub_sample"]) and not any(stubs.values()), stubs
    print(f"\nwhole course: {whole_course['seconds']:.0f} s")


# --- the round trip ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory):
    started = time.monotonic()
    modules = roundtrip_modules()
    assert modules, "no exercise of the round trip has checks yet"
    root = tmp_path_factory.mktemp("nbgrader")
    course_dir = write_course_subset(load_course(ROOT), root / "course", modules, examples=EXAMPLES)
    course = load_course(course_dir)
    units = {m: course.exercise(m).unit for m in modules}
    out = root / "nbcourse"
    assert main(["--course", str(course_dir), "export", "nbgrader", str(out)]) == 0
    generate = nbgrader(out, "generate_assignment", "*", "--force")

    refs = {m: solution_code((course_dir / "solutions" / f"{m}.py").read_text(encoding="utf-8")) for m in modules}
    students: dict[str, dict[str, str | None]] = {"reference": dict(refs), "stubs": {m: None for m in modules}}
    # mutants-k: the k-th mutant of every exercise at once; mutants-2 uses a forbidden shortcut
    # instead where one is written (correct code that must still lose the exercise)
    mutants: dict[str, dict[str, str]] = {}       # student -> module -> what was swapped in
    for k in (1, 2):
        student = f"mutants-{k}"
        sources, names = dict(refs), {}
        for m in modules:
            found = [v for v in suite.all_mutants() if v.module == m]
            shortcut = forbidden_variant(m) if k == 2 else None
            if shortcut:
                sources[m] = suite.replace_function(refs[m], *shortcut)
                names[m] = f"{shortcut[0]}:forbidden shortcut"
            elif found:
                v = found[(k - 1) % len(found)]
                sources[m] = suite.replace_function(refs[m], v.function, v.source)
                names[m] = f"{v.function}:{v.name}"
        students[student] = sources
        mutants[student] = names

    for student, sources in students.items():
        for m in modules:
            nb = read_nb(out / "release" / units[m] / f"{m}.ipynb")
            if sources[m] is not None:
                nb = fill_notebook(nb, sources[m])
            write_nb(out / "submitted" / student / units[m] / f"{m}.ipynb", nb)
    for m in modules:   # the messy learner: the reference, with everything that must not count
        nb = fill_notebook(read_nb(out / "release" / units[m] / f"{m}.ipynb"), refs[m])
        write_nb(out / "submitted" / "messy" / units[m] / f"{m}.ipynb", messy(nb, m))
    students["messy"] = dict(refs)

    autograde = nbgrader(out, "autograde", "*", "--force")
    nbgrader(out, "export")

    from nbgrader.api import Gradebook

    from graders.nbgrader import course_id

    nb_scores: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}", course_id=course_id(course)) as gb:
        for student in students:
            scores = nb_scores[student] = {"total": 0.0, "max": 0.0}
            for unit in sorted(set(units.values())):
                submission = gb.find_submission(unit, student)
                scores.update({nb.name: float(nb.score) for nb in submission.notebooks})
                scores["total"] += float(submission.score)
                scores["max"] += float(submission.max_score)
    exported: dict[str, float] = {}
    with open(out / "grades.csv", newline="") as f:
        for row in csv.DictReader(f):
            exported[row["student_id"]] = exported.get(row["student_id"], 0.0) + float(row["raw_score"])

    # nnla on the same submitted/ folder, as an instructor would run it
    grades = root / "nnla-grades"
    assert main(["--course", str(course_dir), "grade", "--class", str(out / "submitted"), "--out", str(grades),
                 "--progress", "none"]) == 0
    nnla_results = {p.stem: json.loads(p.read_text()) for p in grades.glob("*.json")}
    with open(grades / "gradebook.csv", newline="") as f:
        nnla_gradebook = {row["submission"]: row for row in csv.DictReader(f)}

    # nnla on the same code as .py modules
    grader = Grader(course)
    as_modules = {}
    for student, sources in students.items():
        folder = root / "py" / student
        folder.mkdir(parents=True)
        for m, src in sources.items():
            text = src if src is not None else (course_dir / "solutions" / f"{m}.py").read_text(encoding="utf-8")
            if src is None:
                text = stub_source(text, m)
            (folder / f"{m}.py").write_text(text, encoding="utf-8")
        as_modules[student] = grader.grade(folder).to_dict()

    return {"modules": modules, "units": units, "out": out, "students": students, "mutants": mutants,
            "nb": nb_scores, "exported": exported, "nnla": nnla_results, "nnla_gradebook": nnla_gradebook,
            "as_modules": as_modules, "course": course, "generate": generate, "autograde": autograde,
            "seconds": time.monotonic() - started}


def test_roundtrip_covers_a_unit_and_the_modules_with_given_code(roundtrip):
    modules = roundtrip["modules"]
    course = load_course(ROOT)
    assert [e.module for e in course.unit_exercises(ROUNDTRIP_UNIT)] == [m for m in modules
                                                                         if roundtrip["units"][m] == ROUNDTRIP_UNIT]
    assert {"vectors", "hadamard", "optimizers", "solve", "orthogonality"} <= set(modules)
    assert len(set(roundtrip["units"].values())) >= 3


def test_every_grade_is_the_same_in_nbgrader_and_nnla(roundtrip):
    modules = roundtrip["modules"]
    course = roundtrip["course"]
    rows = []
    for student in roundtrip["students"]:
        nb = roundtrip["nb"][student]
        ours = roundtrip["nnla"][student]
        py = roundtrip["as_modules"][student]
        for m in modules:
            rows.append((student, m, nb[m], ours["exercises"][m]["score"], py["exercises"][m]["score"]))
            assert nb[m] == pytest.approx(ours["exercises"][m]["score"], abs=1e-6), (student, m, ours["exercises"][m])
            assert ours["exercises"][m]["score"] == py["exercises"][m]["score"], (student, m)
        assert nb["total"] == pytest.approx(ours["score"], abs=1e-6), student
        assert nb["max"] == pytest.approx(course.max_score)
        assert roundtrip["exported"][student] == pytest.approx(ours["score"], abs=1e-6)
        assert float(roundtrip["nnla_gradebook"][student]["total"]) == pytest.approx(nb["total"], abs=1e-6)
    print("\nstudent, exercise, nbgrader, nnla (notebooks), nnla (.py)")
    for row in rows:
        print(*row, sep=", ")
    print(f"round trip: {roundtrip['seconds']:.0f} s; nbgrader commands: "
          + ", ".join(f"{k} {v:.0f} s" for k, v in TIMES.items()))


def test_the_submissions_span_the_scores(roundtrip):
    """The comparison means something: full marks, zero, and partial scores all occur, in every
    exercise of the round trip."""
    students, nb, course = roundtrip["students"], roundtrip["nb"], roundtrip["course"]
    top = course.max_score
    assert nb["reference"]["total"] == pytest.approx(top)
    assert nb["messy"]["total"] == pytest.approx(top)
    assert nb["stubs"]["total"] == 0
    for m in roundtrip["modules"]:
        full = course.exercise(m).points
        assert nb["reference"][m] == pytest.approx(full) and nb["messy"][m] == pytest.approx(full), m
        assert nb["stubs"][m] == 0, m
        for student, names in roundtrip["mutants"].items():
            if m in names:
                assert nb[student][m] < full, f"{student}'s {names[m]} in {m} lost no point"
                if "forbidden" in names[m]:
                    assert roundtrip["nnla"][student]["exercises"][m]["status"] == "forbidden"
    assert any("forbidden" in what for names in roundtrip["mutants"].values() for what in names.values())
    assert len({nb[s][m] for s in students for m in roundtrip["modules"]} - {0.0}) >= 5, "few distinct partial scores"


def test_nnla_gradebook_is_keyed_by_student_id(roundtrip):
    assert set(roundtrip["nnla_gradebook"]) == set(roundtrip["students"])
    notes = roundtrip["nnla"]["reference"]["notes"]
    assert any("graded from" in n and ".ipynb" in n for n in notes)


# --- the export itself (no nbgrader run) --------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    course = load_course(ROOT)
    only = [e.module for e in course.exercises if e.module in checked_modules()]
    out = tmp_path_factory.mktemp("export")
    report = export(course, out / "a", only)
    export(course, out / "b", only)
    return course, only, out, report


def test_export_is_deterministic_and_complete(exported):
    course, only, out, report = exported
    files_a = sorted(p.relative_to(out / "a") for p in (out / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(out / "b") for p in (out / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        if rel.name != "nbgrader_config.py":
            assert (out / "a" / rel).read_bytes() == (out / "b" / rel).read_bytes(), rel
    units = [u.name for u in course.units if any(e.unit == u.name and e.module in only for e in course.exercises)]
    assert sorted(report["notebooks"]) == sorted(units)
    for unit, modules in report["notebooks"].items():   # course.toml order within each assignment
        assert modules == [e.module for e in course.exercises if e.unit == unit and e.module in only]
    for ex in course.exercises:
        if ex.module in only:
            assert (out / "a" / "source" / ex.unit / f"{ex.module}.ipynb").is_file()
    assert (out / "a" / COURSE_SNAPSHOT / "course.toml").read_text() == (ROOT / "course.toml").read_text()


def test_export_cells_follow_nbgrader_schema(exported):
    from nbgrader.nbgraderformat import MetadataValidator

    course, only, out, _ = exported
    for ex in course.exercises:
        if ex.module not in only:
            continue
        path = out / "a" / "source" / ex.unit / f"{ex.module}.ipynb"
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        MetadataValidator().validate_nb(nb)
        graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
        assert sum(c.metadata.nbgrader.points for c in graded) == pytest.approx(ex.points)
        ids = [c.metadata.nbgrader["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
        assert len(ids) == len(set(ids))
        solutions = [c.metadata.nbgrader.grade_id for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        assert solutions == [f"{ex.module}-{fn}" for fn in ex.functions]
        for cell in graded:
            meta = cell.metadata.nbgrader
            assert meta.locked and not meta.solution and meta.schema_version == 3
            if meta.points:
                assert "### BEGIN HIDDEN TESTS" in cell.source and "run_check(" in cell.source
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def test_every_solution_block_begins_and_ends_in_one_cell(exported):
    """Read as nbgrader reads markers (any line containing them): in each cell of every exported
    notebook they alternate BEGIN, END, ..., END, only in solution cells; and the given and
    solution cells, in order and without markers, are the whole reference module."""
    course, only, out, _ = exported
    for ex in course.exercises:
        nb = read_nb(out / "a" / "source" / ex.unit / f"{ex.module}.ipynb")
        code = []
        for cell in nb["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            text = "".join(cell["source"])
            marks = [("B" if "BEGIN SOLUTION" in line else "E") for line in text.splitlines()
                     if "BEGIN SOLUTION" in line or "END SOLUTION" in line]
            where = f"{ex.module}.ipynb, cell {meta.get('grade_id')}"
            if meta.get("solution"):
                assert marks and "".join(marks) == "BE" * (len(marks) // 2), f"{where}: markers {marks}"
            else:
                assert not marks, f"{where} holds a solution marker"
            if cell["cell_type"] == "code" and not meta.get("grade"):
                code.append(text)
        module = solution_code((course.solutions_dir / f"{ex.module}.py").read_text())
        body = "".join(module.splitlines(keepends=True)[ast.parse(module).body[0].end_lineno:])
        joined = solution_code("\n".join(code))
        assert [l for l in joined.splitlines() if l.strip()] == [l for l in body.splitlines() if l.strip()], ex.module


def test_module_segments_cover_every_module_and_keep_blocks_whole():
    course = load_course(ROOT)
    for ex in course.exercises:
        source = (course.solutions_dir / f"{ex.module}.py").read_text()
        segments = module_segments(source)
        after_doc = "".join(source.splitlines(keepends=True)[ast.parse(source).body[0].end_lineno:])
        assert "".join(s.code for s in segments) == after_doc, ex.module
        for seg in segments:
            marks = [l.strip() for l in seg.code.splitlines() if l.strip() in (BEGIN, END)]
            assert marks == [BEGIN, END] * (len(marks) // 2), (ex.module, seg.line, marks)
            assert seg.solution == bool(marks)
        assert [f for s in segments if s.solution for f in s.functions] == list(ex.functions), ex.module


SYNTHETIC = '''"""A module with everything between its functions."""

import numpy as np

__all__ = ["f", "g"]

### BEGIN SOLUTION
EPS = 1e-8
### END SOLUTION

# a helper the learner writes
def _helper(x):
    ### BEGIN SOLUTION
    return x + EPS
    ### END SOLUTION

SCALE = 2   # given


@staticmethod
def f(x):
    """f."""
    ### BEGIN SOLUTION
    return _helper(x)
    # a trailing comment, indented: still f's
    ### END SOLUTION
# --- the next section, at column 0: g's ---

def _given(x):
    return x * SCALE


def g(x):
    ### BEGIN SOLUTION
    return _given(x)
    ### END SOLUTION


def _late(x):
    ### BEGIN SOLUTION
    return x
    ### END SOLUTION


TAIL = 1
'''
LATE = '''def _late(x):
    ### BEGIN SOLUTION
    return x
    ### END SOLUTION


'''
G = '''def g(x):
    ### BEGIN SOLUTION
    return _given(x)
    ### END SOLUTION
'''


def _marks(code: str) -> list[str]:
    return [line.strip() for line in code.splitlines() if line.strip() in (BEGIN, END)]


def test_notebook_parts_give_each_block_its_cell():
    parts = notebook_parts(SYNTHETIC, ("f", "g"), "synthetic.py")
    assert [(p.kind, p.function) for p in parts] == [("given", None), ("solution", "f"), ("given", None),
                                                     ("solution", "g")]
    setup, f, given, g = (p.code for p in parts)
    assert setup == 'import numpy as np\n\n__all__ = ["f", "g"]\n'
    # the learner's own constant and helper (solution blocks) go with the next graded function,
    # with the given constant between them, in the module's order
    assert f.startswith("### BEGIN SOLUTION\nEPS = 1e-8\n### END SOLUTION\n\n# a helper the learner writes\n"
                        "def _helper(x):")
    assert "SCALE = 2   # given\n\n\n@staticmethod\ndef f(x):" in f
    assert f.endswith("    # a trailing comment, indented: still f's\n    ### END SOLUTION\n")
    assert given == "# --- the next section, at column 0: g's ---\n\ndef _given(x):\n    return x * SCALE\n"
    # learner code after the last graded function goes into its cell, with what follows it
    assert g == G + "\n\n" + LATE + "TAIL = 1\n"
    assert [p.signature for p in parts if p.function] == ["f(x)", "g(x)"]
    for p in parts:   # every block opens and closes in its part
        assert _marks(p.code) == [BEGIN, END] * (len(_marks(p.code)) // 2)
        assert bool(_marks(p.code)) == (p.kind == "solution")
    # given code after the last function, with no learner code after it: a locked cell at the end
    tail = notebook_parts(SYNTHETIC.replace(LATE, ""), ("f", "g"))
    assert [(p.kind, p.function) for p in tail][-2:] == [("solution", "g"), ("given", None)]
    assert tail[-2].code == G and tail[-1].code == "TAIL = 1\n"


def test_notebook_parts_refuse_what_nbgrader_cannot_cut():
    with pytest.raises(UsageError, match="g and g2 share"):   # one block around two graded functions
        notebook_parts(SYNTHETIC.replace(G, f"{BEGIN}\ndef g(x):\n    return 1\n\n\ndef g2(x):\n    return 2\n{END}\n"),
                       ("f", "g", "g2"))
    with pytest.raises(UsageError, match="g has no"):
        notebook_parts(SYNTHETIC.replace(G, "def g(x):\n    return 1\n"), ("f", "g"))
    with pytest.raises(UsageError, match="h .*not defined"):
        notebook_parts(SYNTHETIC, ("f", "h"))
    with pytest.raises(UsageError, match="inside another"):
        module_segments(f"def f():\n    {BEGIN}\n    {BEGIN}\n    return 1\n    {END}\n")
    with pytest.raises(UsageError, match="never closed"):
        module_segments("def f():\n    ### BEGIN SOLUTION\n    return 1\n")
    with pytest.raises(UsageError, match="without"):
        module_segments("def f():\n    return 1\n    ### END SOLUTION\n")


def test_check_regions_refuses_cells_nbgrader_would_break_on():
    def cell(source, **meta):
        return {"cell_type": "code", "source": source, "metadata": {"nbgrader": {"grade_id": "x", **meta}}}

    check_regions([cell(f"def f():\n    {BEGIN}\n    return 1\n    {END}", solution=True)], "ok.ipynb")
    bad = [[cell(f"def f():\n    {BEGIN}\n    return 1", solution=True)],              # no END in the cell
           [cell(f"    {END}\nx = 1", solution=True)],                                 # END first
           [cell(f"{BEGIN}\nx = 1\n{END}", locked=True)],                              # not a solution cell
           [cell(f"x = 1  # see {BEGIN}\n{END}", solution=True)],                      # not a marker line
           [cell("### BEGIN HIDDEN TESTS\nassert True", grade=True, locked=True)]]     # never closed
    for cells in bad:
        with pytest.raises(UsageError):
            check_regions(cells, "bad.ipynb")


def test_fill_notebook_does_not_repeat_the_given_code():
    from graders.nbgrader import exercise_notebook
    from graders.notebooks import module_source
    from graders.runner import course_checks

    course = load_course(ROOT)
    ex = course.exercise("optimizers")
    nb = json.loads(json.dumps(exercise_notebook(course, ex, course_checks(course, ["optimizers"])["optimizers"], 13)))
    reference = solution_code((course.solutions_dir / "optimizers.py").read_text())
    filled = fill_notebook(nb, reference)
    cells = {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in filled["cells"]}
    assert "def _same_shapes(" in cells["optimizers-setup"] and "import numpy as np" in cells["optimizers-setup"]
    assert cells["optimizers-sgd_step"].startswith("def sgd_step(")
    assert sum(text.count("def _same_shapes(") for text in cells.values()) == 1
    code = module_source(filled, "optimizers").source
    namespace: dict = {}
    exec(compile(code, "optimizers.ipynb", "exec"), namespace)
    assert {"np", "_same_shapes", "sgd_step", "momentum_step", "adam_step"} <= set(namespace)


def test_public_examples_run_after_the_functions_they_use():
    course = load_course(ROOT)
    modules = {e.module for e in course.exercises}
    cells = public_examples(ROOT / "exercises" / "test_activations.py", course.exercise("activations"), modules)
    # named after tanh, but it calls tanh_grad too: it runs once tanh_grad is defined
    assert "def test_tanh_no_nan_for_huge_inputs" in cells["tanh_grad"]
    assert "def test_tanh_no_nan_for_huge_inputs" not in cells.get("tanh", "")
    cells = public_examples(ROOT / "exercises" / "test_preprocessing.py", course.exercise("preprocessing"), modules)
    split = cells["train_val_split"]
    assert "def test_split_sizes(N, val_fraction, n_val)" in split and "def _all_test_split_sizes():" in split
    assert "for _example in (_all_test_split_sizes, " in split


def test_parametrized_public_examples_run_once_per_row(tmp_path):
    """As pytest would: every row of every (stacked) parametrize, pytest.param included."""
    course = load_course(ROOT)
    ex = course.exercise("dot_product")
    path = tmp_path / "test_dot_product.py"
    path.write_text(
        "import pytest\n\nfrom dot_product import dot\n\nCALLS = []\n\n\n"
        "@pytest.mark.parametrize(argnames='c', argvalues=[5, pytest.param(6, id='six')])\n"
        "@pytest.mark.parametrize('a, b', [(1, 2), pytest.param(3, 4)])\n"
        "def test_dot_rows(a, b, c):\n    CALLS.append((a, b, c))\n\n\n"
        "@pytest.mark.parametrize(('x',), [(7,)])\n"
        "def test_dot_one(x):\n    CALLS.append(x)\n")
    cell = public_examples(path, ex, {"dot_product"})["dot"]
    namespace: dict = {}
    exec(compile(cell, "cell", "exec"), namespace)
    assert sorted(namespace["CALLS"], key=str) == sorted([(1, 2, 5), (3, 4, 5), (1, 2, 6), (3, 4, 6), 7], key=str)
    assert "dot(): all 2 public examples passed" in cell


def test_write_course_subset_keeps_the_course_text(tmp_path):
    course = load_course(ROOT)
    dest = write_course_subset(course, tmp_path / "c", ["optimizers", "dot_product"], examples=3)
    subset = load_course(dest)
    assert [e.module for e in subset.exercises] == ["dot_product", "optimizers"]
    assert [u.name for u in subset.units] == ["vectors_and_matrices", "learning"]
    assert subset.grading.examples == 3 and subset.grading.seed == course.grading.seed
    assert (dest / "solutions" / "optimizers.py").read_bytes() == (ROOT / "solutions" / "optimizers.py").read_bytes()
    assert (dest / "exercises" / "test_dot_product.py").is_file()
    with pytest.raises(UsageError):
        write_course_subset(course, tmp_path / "d", ["no_such_exercise"])

def test_fill_notebook_round_trips_the_module():
    source = solution_code((ROOT / "solutions" / "dot_product.py").read_text())
    chunks = split_functions((ROOT / "solutions" / "dot_product.py").read_text())
    assert [c.name for c in chunks] == ["dot"] and chunks[0].code.startswith("import numpy as np")
    assert chunks[0].signature == "dot(a, b)"
    nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {"nbgrader": {
        "solution": True, "grade_id": "dot_product-dot"}}, "outputs": []}]}
    filled = fill_notebook(nb, source)
    assert "def dot(a, b):" in filled["cells"][0]["source"]
    assert "import numpy as np" in filled["cells"][0]["source"]


def test_lesson_markdown_keeps_the_math_readable():
    doc = '''Exercise 9: things.

    Text with ``code`` and a $ sign and <b>.

    Heading
    -------
        y = Σ_i a[i] * b[i]      (n,)
        z = 2 * y

    * a bullet with ``x_i``
      continued
    '''
    md = lesson_markdown(doc)
    assert md.startswith("# Exercise 9: things\n")
    assert "## Heading" in md
    assert "```text\ny = Σ_i a[i] * b[i]      (n,)\nz = 2 * y\n```" in md
    assert "`code`" in md and "\\$" in md and "&lt;b>" in md
    assert "* a bullet with `x_i`\n  continued" in md


# --- bad places, full disks, permissions -------------------------------------------------------------

def test_an_unwritable_export_folder_is_one_line(tmp_path, capsys):
    afile = tmp_path / "afile.txt"
    afile.write_text("a file\n")
    taken = tmp_path / "taken"
    (taken / "nbgrader_config.py").mkdir(parents=True)   # a folder where the config goes
    places = [(afile / "x", f"cannot create {afile / 'x'}: {afile} is not a folder"),
              (taken, f"cannot write {taken / 'nbgrader_config.py'}: it is a folder")]
    if os.path.isdir("/proc/self"):
        places.append((Path("/proc/x"), "cannot create /proc/x: No such file or directory"))
    for place, says in places:
        assert main(["--course", str(ROOT), "export", "nbgrader", str(place), "--only", "dot_product"]) == 2
        assert says in one_line_error(capsys)
    assert [p.name for p in taken.iterdir()] == ["nbgrader_config.py"]   # nothing else written


def test_a_full_disk_leaves_the_export_folder_as_it_was(tmp_path, capsys, monkeypatch):
    out = tmp_path / "nb"
    disk_full(monkeypatch, os, "fdopen", after=1)
    assert main(["--course", str(ROOT), "export", "nbgrader", str(out), "--only", "dot_product"]) == 2
    assert "No space left on device" in one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []   # not even the folder
    monkeypatch.undo()
    assert main(["--course", str(ROOT), "export", "nbgrader", str(out), "--only", "dot_product"]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    disk_full(monkeypatch, os, "fdopen", after=2)
    assert main(["--course", str(ROOT), "export", "nbgrader", str(out), "--only", "matmul"]) == 2
    assert "No space left on device" in one_line_error(capsys)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_the_export_gets_the_umask_permissions(tmp_path):
    out = tmp_path / "nb"
    with_umask(0o027, lambda: export(load_course(ROOT), out, ["dot_product"]))
    for path in [out, *out.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o750 if path.is_dir() else 0o640), path
