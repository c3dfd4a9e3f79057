"""``nnla export nbgrader``, proven against the real nbgrader.

On a temporary course (one unit, the exercises that have checks, few examples), the export is
run through nbgrader's own commands: ``generate_assignment`` (the release holds no solution and
no hidden test), ``validate`` (passes with the solutions, fails with the stubs), then notebook
submissions -- the reference, the stubs, mutants, a forbidden shortcut, a messy notebook with
edited test cells, outputs, magics and scratch cells -- go through ``autograde --force`` and
``export``. The scores in nbgrader's gradebook (sqlite) must equal, per exercise and in total,
what ``nnla grade --class`` gives for the same ``submitted/`` folder, and what nnla gives for the
same code as ``.py`` modules.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from graders import suite
from graders.cli import main
from graders.manifest import load_course
from graders.nbgrader import COURSE_SNAPSHOT, export, fill_notebook, lesson_markdown, split_functions
from graders.runner import Grader
from graders.sync import solution_code, stub_source

from .conftest import checked_modules

ROOT = Path(__file__).resolve().parent.parent
UNIT_CANDIDATES = ["dot_product", "matmul"]   # two exercises of the first unit: one assignment
EXAMPLES = 20                                               # per hidden check, on both sides


# --- a small course --------------------------------------------------------------------------------

def small_course(dest: Path, modules: list[str], examples: int = EXAMPLES) -> Path:
    """A course folder with only ``modules`` (their units, solutions and public examples)."""
    course = load_course(ROOT)
    units = {course.exercise(m).unit for m in modules}
    text = (ROOT / "course.toml").read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=\[)", text)
    kept = []
    for block in blocks:
        header = block.split("\n", 1)[0].strip()
        if header == "[[exercise]]":
            module = re.search(r'(?m)^module\s*=\s*"([^"]+)"', block).group(1)
            if module not in modules:
                continue
        elif header == "[[unit]]":
            name = re.search(r'(?m)^name\s*=\s*"([^"]+)"', block).group(1)
            if name not in units:
                continue
        elif header == "[grading]":
            block = re.sub(r"(?m)^examples\s*=\s*\d+", f"examples = {examples}", block)
        kept.append(block)
    dest.mkdir(parents=True)
    (dest / "course.toml").write_text("".join(kept), encoding="utf-8")
    for folder in ("solutions", "exercises"):
        (dest / folder).mkdir()
    for m in modules:
        shutil.copyfile(ROOT / "solutions" / f"{m}.py", dest / "solutions" / f"{m}.py")
        test = ROOT / "exercises" / f"test_{m}.py"
        if test.exists():
            shutil.copyfile(test, dest / "exercises" / test.name)
    loaded = load_course(dest)
    assert [e.module for e in loaded.exercises] == modules
    return dest


def nbgrader_env() -> dict:
    """nbgrader runs ``alembic`` from PATH: put this interpreter's scripts first."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
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


# --- the round trip ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory):
    started = time.monotonic()
    modules = [m for m in UNIT_CANDIDATES if m in checked_modules()]
    assert modules, "no exercise of the first unit has checks yet"
    root = tmp_path_factory.mktemp("nbgrader")
    course_dir = small_course(root / "course", modules)
    course = load_course(course_dir)
    unit = course.exercise(modules[0]).unit
    out = root / "nbcourse"
    assert main(["--course", str(course_dir), "export", "nbgrader", str(out)]) == 0

    generate = nbgrader(out, "generate_assignment", unit, "--force")
    validated = nbgrader(out, "validate", f"source/{unit}/{modules[0]}.ipynb", f"release/{unit}/{modules[0]}.ipynb")
    validate_ok, _, validate_stub = validated.partition(f"Validating '{out / 'release'}")

    refs = {m: solution_code((course_dir / "solutions" / f"{m}.py").read_text(encoding="utf-8")) for m in modules}
    mutants = []
    for m in modules:
        found = [v for v in suite.all_mutants() if v.module == m]
        if found:
            mutants.append(found[0])
    mutants = mutants[:2]
    students: dict[str, dict[str, str | None]] = {"reference": dict(refs), "stubs": {m: None for m in modules}}
    for v in mutants:
        sources = dict(refs)
        sources[v.module] = suite.replace_function(refs[v.module], v.function, v.source)
        students[f"mutant-{v.module}-{v.name}"] = sources
    shortcuts = {m: forbidden_variant(m) for m in modules if forbidden_variant(m)}
    if shortcuts:
        sources = dict(refs)
        for m, (fn, src) in shortcuts.items():
            sources[m] = suite.replace_function(refs[m], fn, src)
        students["forbidden"] = sources

    release = out / "release" / unit
    for student, sources in students.items():
        for m in modules:
            nb = read_nb(release / f"{m}.ipynb")
            if sources[m] is not None:
                nb = fill_notebook(nb, sources[m])
            write_nb(out / "submitted" / student / unit / f"{m}.ipynb", nb)
    for m in modules:   # the messy learner: the reference, with everything that must not count
        nb = fill_notebook(read_nb(release / f"{m}.ipynb"), refs[m])
        write_nb(out / "submitted" / "messy" / unit / f"{m}.ipynb", messy(nb, m))
    students["messy"] = dict(refs)

    autograde = nbgrader(out, "autograde", unit, "--force")
    nbgrader(out, "export")

    from nbgrader.api import Gradebook

    from graders.nbgrader import course_id

    nb_scores: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}", course_id=course_id(course)) as gb:
        for student in students:
            submission = gb.find_submission(unit, student)
            nb_scores[student] = {nb.name: float(nb.score) for nb in submission.notebooks}
            nb_scores[student]["total"] = float(submission.score)
            nb_scores[student]["max"] = float(submission.max_score)
    with open(out / "grades.csv", newline="") as f:
        exported = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(f)}

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

    return {"modules": modules, "unit": unit, "out": out, "students": students, "nb": nb_scores,
            "exported": exported, "nnla": nnla_results, "nnla_gradebook": nnla_gradebook,
            "as_modules": as_modules, "course": course, "generate": generate, "autograde": autograde,
            "validate_ok": validate_ok, "validate_stub": validate_stub,
            "seconds": time.monotonic() - started}


def test_release_has_no_solution_and_no_hidden_test(roundtrip):
    release = roundtrip["out"] / "release" / roundtrip["unit"]
    refs = {m: (roundtrip["out"] / COURSE_SNAPSHOT / "solutions" / f"{m}.py").read_text() for m in roundtrip["modules"]}
    for m in roundtrip["modules"]:
        text = (release / f"{m}.ipynb").read_text()
        nb = read_nb(release / f"{m}.ipynb")
        code = "\n".join("".join(c["source"]) for c in nb["cells"])
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "run_check",
                       "graders"):
            assert marker not in text, f"{m}.ipynb's release contains {marker!r}"
        body = refs[m].split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION", 1)[0]
        for line in body.splitlines():
            if len(line.strip()) > 20:
                assert line.strip() not in code, f"{m}.ipynb's release shows the reference line {line.strip()!r}"
        assert "raise NotImplementedError()" in code
        assert "Public examples for" in code and "Hidden check for" in code


def test_validate_passes_with_solutions_and_fails_with_stubs(roundtrip):
    assert "Success! Your notebook passes all the tests." in roundtrip["validate_ok"]
    assert "VALIDATION FAILED" in roundtrip["validate_stub"]


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
    """The comparison means something: full marks, zero, and partial scores all occur."""
    totals = {s: roundtrip["nb"][s]["total"] for s in roundtrip["students"]}
    top = roundtrip["course"].max_score
    assert totals["reference"] == pytest.approx(top)
    assert totals["messy"] == pytest.approx(top)
    assert totals["stubs"] == 0
    mutants = [s for s in totals if s.startswith("mutant-")]
    assert mutants and all(0 <= totals[s] < top for s in mutants)
    if "forbidden" in totals:
        assert totals["forbidden"] < top


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
