"""`nnla export gradescope`: the archive, and a simulated Gradescope run end to end.

Gradescope is not needed: the archive is unpacked into a temporary root laid out like
``/autograder`` (``$NNLA_AUTOGRADER_ROOT``), a submission goes into ``submission/``, and
``run_autograder`` runs there with this interpreter (``$NNLA_PYTHON``: setup.sh's venv is what
Gradescope would use). Every results.json is validated against a JSON Schema written from
Gradescope's specification, and its scores are compared with ``nnla grade``'s.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from graders import cache, gradescope
from graders.cli import main
from graders.errors import UsageError
from graders.manifest import load_course, parse_course
from graders.results import points
from graders.runner import course_checks
from graders.sandbox import containment
from graders.sync import solution_code

from .conftest import ROOT
from .test_sync import disk_full, one_line_error, with_umask

jsonschema = pytest.importorskip("jsonschema")

# --- Gradescope's results.json, as a JSON Schema ------------------------------------------------------
# From https://gradescope-autograders.readthedocs.io/en/latest/specs/ ("Output format"): a top-level
# score (optional when every test has one), execution_time in seconds, output and its format,
# visibility and stdout_visibility, extra_data, tests[] and leaderboard[]. Visibility values:
# hidden, after_due_date, after_published, visible; output formats: text, html, simple_format, md,
# ansi; a test's status: passed or failed.

_VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
_FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
GRADESCOPE_RESULTS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Gradescope autograder results.json",
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number", "minimum": 0},
        "output": {"type": "string"},
        "output_format": _FORMAT,
        "test_output_format": _FORMAT,
        "test_name_format": _FORMAT,
        "visibility": _VISIBILITY,
        "stdout_visibility": _VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "score": {"type": "number"},
                    "max_score": {"type": "number", "minimum": 0},
                    "status": {"enum": ["passed", "failed"]},
                    "name": {"type": "string"},
                    "name_format": _FORMAT,
                    "number": {"type": "string"},
                    "output": {"type": "string"},
                    "output_format": _FORMAT,
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "visibility": _VISIBILITY,
                    "extra_data": {"type": "object"},
                },
                "additionalProperties": False,
            },
        },
        "leaderboard": {
            "type": "array",
            "items": {"type": "object", "required": ["name", "value"],
                      "properties": {"name": {"type": "string"}, "value": {"type": ["number", "string"]},
                                     "order": {"enum": ["asc", "desc"]}}},
        },
    },
    "additionalProperties": False,
    # the score is required at the top level unless every test carries one
    "anyOf": [{"required": ["score"]},
              {"required": ["tests"], "properties": {"tests": {"items": {"required": ["score"]}}}}],
}

# What the issue asks of every results.json nnla writes, on top of Gradescope's own rules.
OUR_TOP_LEVEL = {"score", "execution_time", "output", "output_format", "visibility", "stdout_visibility", "tests"}
OUR_TEST_FIELDS = {"name", "score", "max_score", "status", "output", "output_format", "visibility"}


def validate(results: dict) -> None:
    jsonschema.validate(results, GRADESCOPE_RESULTS_SCHEMA)
    assert OUR_TOP_LEVEL <= set(results)
    assert results["output_format"] == "md"
    for test in results["tests"]:
        assert OUR_TEST_FIELDS <= set(test), test


def test_the_schema_rejects_what_gradescope_would():
    jsonschema.Draft202012Validator.check_schema(GRADESCOPE_RESULTS_SCHEMA)
    good = {"score": 1, "tests": [{"name": "a", "score": 1, "max_score": 1, "visibility": "after_due_date"}]}
    jsonschema.validate(good, GRADESCOPE_RESULTS_SCHEMA)
    for bad in ({"score": "1"}, {"score": 1, "visibility": "later"}, {"tests": [{"name": "x"}]},
                {"score": 1, "tests": [{"status": "ok"}]}, {"score": 1, "output_format": "markdown"},
                {"score": 1, "tests": [{"score": 1, "visiblity": "hidden"}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, GRADESCOPE_RESULTS_SCHEMA)


# --- the archive and a simulated /autograder -----------------------------------------------------------

# The simulated runs grade the course's first seven exercises (its core, stable while newer
# exercises are written), which keeps each run to seconds.
CORE = ["dot_product", "matmul", "transpose", "relu", "mse", "backprop", "attention"]


@pytest.fixture(scope="module")
def core(course) -> list[str]:
    return [ex.module for ex in course.exercises if ex.module in CORE]


@pytest.fixture(scope="module")
def archive(tmp_path_factory, course, core) -> Path:
    out = tmp_path_factory.mktemp("export") / "autograder.zip"
    gradescope.export(course, out, only=core)
    return out


def _cache_env() -> dict[str, str]:
    folder = cache.cache_dir()
    return {"NNLA_CACHE_DIR": str(folder) if folder is not None else "off"}


class Autograder:
    """A temporary root laid out like Gradescope's /autograder, made from the archive."""

    def __init__(self, root: Path, archive: Path):
        self.root = root
        (root / "source").mkdir(parents=True)
        (root / "submission").mkdir()
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(root / "source")
        for name in ("setup.sh", "run_autograder"):  # zipfile drops modes; Gradescope keeps them
            (root / "source" / name).chmod(0o755)
        shutil.copy(root / "source" / "run_autograder", root / "run_autograder")  # as Gradescope does

    @property
    def submission(self) -> Path:
        return self.root / "submission"

    def config(self, **changes) -> None:
        path = self.root / "source" / gradescope.CONFIG
        data = json.loads(path.read_text())
        data.update(changes)
        path.write_text(json.dumps(data))

    def env(self, **extra) -> dict[str, str]:
        full = {k: v for k, v in os.environ.items() if not k.startswith(("NNLA_", "PYTEST_"))}
        full.update({"NNLA_AUTOGRADER_ROOT": str(self.root), "NNLA_PYTHON": sys.executable, **_cache_env()})
        full.update(extra)
        return full

    def prepare(self) -> None:
        """setup.sh's step 5 (the examples and reference answers, computed before any submission)."""
        env = self.env(PYTHONPATH=str(self.root / "source" / gradescope.COURSE_DIR))
        proc = subprocess.run([sys.executable, "-s", "-m", "graders.gradescope", "prepare"], cwd=self.root,
                              env=env, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0 and "ready" in proc.stdout, proc.stderr[-3000:]

    def run(self, **env) -> tuple[dict, subprocess.CompletedProcess]:
        proc = subprocess.run(["bash", str(self.root / "run_autograder")], cwd=self.root, env=self.env(**env),
                              capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stderr[-3000:]
        results = json.loads((self.root / "results" / "results.json").read_text(encoding="utf-8"))
        validate(results)
        return results, proc


@pytest.fixture
def autograder(archive, tmp_path) -> Autograder:
    return Autograder(tmp_path / "autograder", archive)


def _scores(results: dict) -> dict[str, float]:
    """Per exercise, the sum of its hidden checks' tests."""
    out: dict[str, float] = {}
    for test in results["tests"]:
        out[test["tags"][0]] = points(out.get(test["tags"][0], 0) + test["score"])
    return out


def _nnla_grade(folder: Path, tmp_path: Path, only: list[str]) -> dict:
    target = tmp_path / "nnla-grade.json"
    args = [a for m in only for a in ("--only", m)]
    assert main(["--course", str(ROOT), "grade", str(folder), "--json", str(target), *args]) == 0
    return json.loads(target.read_text())


def _assert_same_scores(results: dict, graded: dict) -> None:
    assert results["score"] == graded["score"]
    assert _scores(results) == {m: ex["score"] for m, ex in graded["exercises"].items()}
    assert sum(t["max_score"] for t in results["tests"]) == graded["max_score"]


# --- a partial submission, in every form a learner may upload ---------------------------------------------

def partial_submission(folder: Path, modules: list[str]) -> Path:
    """Solved, wrong, untouched, broken and missing exercises side by side."""
    folder.mkdir(parents=True, exist_ok=True)
    course = load_course(ROOT)
    for module in modules[:2]:
        (folder / f"{module}.py").write_text(solution_code((ROOT / "solutions" / f"{module}.py").read_text()))
    shutil.copy(ROOT / "exercises" / f"{modules[2]}.py", folder)                   # untouched stub
    (folder / f"{modules[3]}.py").write_text("def oops(:\n")                        # syntax error
    wrong = solution_code((ROOT / "solutions" / f"{modules[4]}.py").read_text())
    (folder / f"{modules[4]}.py").write_text(wrong + "\n\ndef " + course.exercise(modules[4]).functions[0]
                                             + "(*args, **kwargs):\n    return 0.0\n")  # one function wrong
    for module in modules[5:-1]:
        (folder / f"{module}.py").write_text(solution_code((ROOT / "solutions" / f"{module}.py").read_text()))
    return folder  # the last exercise is missing


@pytest.fixture(scope="module")
def partial(tmp_path_factory, core) -> Path:
    return partial_submission(tmp_path_factory.mktemp("partial") / "exercises", core)


@pytest.fixture(scope="module")
def partial_graded(partial, tmp_path_factory, core) -> dict:
    graded = _nnla_grade(partial, tmp_path_factory.mktemp("graded"), core)
    statuses = {ex["status"] for ex in graded["exercises"].values()}
    assert {"passed", "not_implemented", "error", "partial", "missing"} <= statuses, statuses
    return graded


def test_loose_files_grade_as_nnla_grade_does(autograder, partial, partial_graded):
    for f in partial.iterdir():
        shutil.copy(f, autograder.submission)
    started = time.monotonic()
    results, proc = autograder.run()
    assert time.monotonic() - started < 300
    _assert_same_scores(results, partial_graded)
    assert 0 < results["score"] < partial_graded["max_score"]
    assert "nnla:" in proc.stdout  # the instructor's log (stdout, hidden from learners)
    _assert_markdown_and_visibility(results, partial_graded)


def test_a_folder_and_a_zip_grade_the_same(autograder, partial, partial_graded):
    shutil.copytree(partial, autograder.submission / "my work" / "exercises")
    results, _ = autograder.run()
    _assert_same_scores(results, partial_graded)
    shutil.rmtree(autograder.submission / "my work")
    with zipfile.ZipFile(autograder.submission / "exercises.zip", "w") as zf:
        for f in sorted(partial.iterdir()):
            zf.write(f, f"exercises/{f.name}")
    results, _ = autograder.run()
    _assert_same_scores(results, partial_graded)


def _assert_markdown_and_visibility(results: dict, partial_graded: dict) -> None:
    """Hidden checks' details after the due date; the per-exercise table and total at once."""
    assert results["visibility"] == "visible" and results["stdout_visibility"] == "hidden"
    assert {t["visibility"] for t in results["tests"]} == {"after_due_date"}
    assert {t["output_format"] for t in results["tests"]} == {"md"}
    course = load_course(ROOT)
    for module in partial_graded["exercises"]:  # the per-exercise table is visible at once
        assert course.exercise(module).title in results["output"]
    assert f"{partial_graded['score']}/{partial_graded['max_score']}" in results["output"]
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["score"] == 0 for t in failed)
    wrong = [t for t in failed if t["tags"][0] == list(partial_graded["exercises"])[4]]
    assert any("expected" in t["output"] and "```" in t["output"] for t in wrong)  # the counterexample
    passed = [t for t in results["tests"] if t["status"] == "passed"]
    assert passed and all(t["score"] == t["max_score"] for t in passed)


def test_hidden_visibility_is_configurable(course, tmp_path):
    for visibility in ("visible", "hidden"):
        out = tmp_path / f"{visibility}.zip"
        gradescope.export(course, out, hidden_visibility=visibility, only=["dot_product"])
        ag = Autograder(tmp_path / visibility, out)
        shutil.copy(ROOT / "exercises" / "dot_product.py", ag.submission)
        results, _ = ag.run()
        assert {t["visibility"] for t in results["tests"]} == {visibility}
        assert results["score"] == 0 and "not implemented" in results["output"]
    text = (ROOT / "course.toml").read_text()
    assert parse_course(text.replace("[grading]", "[grading]\nhidden_visibility = \"after_published\""),
                        ROOT).grading.hidden_visibility == "after_published"
    with pytest.raises(UsageError, match="hidden_visibility"):
        parse_course(text.replace("[grading]", "[grading]\nhidden_visibility = \"later\""), ROOT)


def test_a_notebook_submission(autograder, tmp_path, partial_graded):
    module = "dot_product"
    code = solution_code((ROOT / "solutions" / f"{module}.py").read_text())
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# my work"]},
                    {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                     "source": code.splitlines(keepends=True)}],
          "metadata": {"kernelspec": {"language": "python", "name": "python3", "display_name": "Python 3"},
                       "language_info": {"name": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (autograder.submission / f"{module}.ipynb").write_text(json.dumps(nb))
    results, _ = autograder.run()
    assert _scores(results)[module] == partial_graded["exercises"][module]["score"] > 0
    assert results["score"] == partial_graded["exercises"][module]["score"]


# --- always a valid results.json ------------------------------------------------------------------------

def test_an_empty_submission(autograder, course, core):
    results, _ = autograder.run()
    assert results["score"] == 0
    assert "empty" in results["output"]
    assert len(results["tests"]) == sum(len(checks) for checks in course_checks(course, core).values())


HOSTILE = '''
import os, sys
ROOT = os.environ.get("NNLA_AUTOGRADER_ROOT", "/autograder")
STOLEN = []
for path in ("{root}/source/nnla/solutions/dot_product.py", "{root}/source/nnla/course.toml",
             "{root}/source/gradescope.json"):
    try:
        STOLEN.append(open(path).read())
    except OSError as err:
        STOLEN.append(type(err).__name__)
try:
    with open("{root}/results/results.json", "w") as f:
        f.write('{{"score": 1000}}')
except OSError:
    pass
print("STOLEN:", STOLEN)
print("x" * 10_000_000)

def dot(a, b):
    print(STOLEN)
    os.system("sleep 100 &")
    return 1e300
'''


def test_a_hostile_submission_gets_a_valid_result_and_no_secrets(autograder):
    (autograder.submission / "dot_product.py").write_text(HOSTILE.format(root=autograder.root))
    (autograder.submission / "matmul.py").write_text("while True:\n    pass\n")
    (autograder.submission / "transpose.py").write_text("import os\nos._exit(0)\n")
    (autograder.submission / "relu.py").write_bytes(b"\xff\xfe not python")
    started = time.monotonic()
    results, _ = autograder.run()
    assert time.monotonic() - started < 300
    assert results["score"] == 0
    statuses = {t["tags"][0]: t["output"] for t in results["tests"]}
    assert "timed out" in statuses["matmul"]
    assert any(word in statuses["transpose"] for word in ("crashed", "ended", "exit")), statuses["transpose"]
    # the course stays root-only (group and others have no access) after a run
    for path in (autograder.root / "source").rglob("*"):
        assert path.stat().st_mode & 0o077 == 0, path
    if not containment.detect().contained:
        pytest.skip("learner code is not contained on this machine (no working bubblewrap): it could "
                    "read the course, so the no-secrets part of this test does not apply")
    text = json.dumps(results)
    assert "STOLEN" in text  # what it printed is shown (after the due date) ...
    assert "### BEGIN SOLUTION" not in text and "memory_limit_mb" not in text  # ... but it read nothing
    solution = (ROOT / "solutions" / "dot_product.py").read_text()
    body = [l.strip() for l in solution.split("### BEGIN SOLUTION")[1].splitlines() if len(l.strip()) > 12]
    assert body and not any(line in text for line in body)


def test_an_internal_error_still_writes_a_valid_result(autograder):
    (autograder.root / "source" / gradescope.CONFIG).write_text("{ not json")
    results, proc = autograder.run()
    assert results["score"] == 0 and results["tests"] == []
    assert "could not grade" in results["output"] and "gradescope.json" in results["output"]
    assert "Traceback" in proc.stdout + proc.stderr


def test_when_python_cannot_start_the_script_writes_the_result(autograder):
    results, proc = autograder.run(NNLA_PYTHON="/nonexistent/python3")
    assert results["score"] == 0 and "could not grade" in results["output"]
    assert "fallback" in proc.stdout


def test_a_slow_submission_is_cut_off_within_the_budget(course, tmp_path):
    out = tmp_path / "two.zip"
    gradescope.export(course, out, only=["dot_product", "matmul"])
    ag = Autograder(tmp_path / "ag", out)
    ag.config(time_budget=6)
    ag.prepare()
    (ag.submission / "dot_product.py").write_text(
        "import time\n\ndef dot(a, b):\n    time.sleep(1.5)\n    return sum(x * y for x, y in zip(a, b))\n")
    started = time.monotonic()
    results, _ = ag.run()
    assert time.monotonic() - started < 6 + gradescope.GRACE + 30
    assert results["score"] == 0
    assert "longer than its share" in results["output"] or "ran out of time" in results["output"]



def test_the_exercises_after_one_that_overran_its_share_are_still_graded(course, tmp_path):
    """The exercises are graded in turn in one child process: the one that overruns its share
    is stopped with it, and a new child grades those after it, with their full points."""
    out = tmp_path / "three.zip"
    gradescope.export(course, out, only=["dot_product", "matmul", "transpose"])
    ag = Autograder(tmp_path / "ag", out)
    ag.config(time_budget=2 * gradescope.MIN_SHARE)  # matmul gets MIN_SHARE, transpose what is left
    ag.prepare()
    def solved(module: str) -> str:
        return solution_code((ROOT / "solutions" / f"{module}.py").read_text())

    for module in ("dot_product", "transpose"):
        (ag.submission / f"{module}.py").write_text(solved(module))
    # Each call within the time limit, all of them together far beyond the share.
    (ag.submission / "matmul.py").write_text(
        solved("matmul") + "\n\nimport time\n_matmul = matmul\n\n\ndef matmul(A, B):\n"
        f"    time.sleep({course.grading.time_limit / 4})\n    return _matmul(A, B)\n")
    results, proc = ag.run()
    passed = {m: {t["status"] for t in results["tests"] if t["tags"][0] == m}
              for m in ("dot_product", "matmul", "transpose")}
    assert passed == {"dot_product": {"passed"}, "matmul": {"failed"}, "transpose": {"passed"}}, results["output"]
    assert "longer than its share" in results["output"]
    assert results["score"] == points(course.exercise("dot_product").points + course.exercise("transpose").points)
    assert proc.stdout.count("graded ") == 3

# --- the archive ----------------------------------------------------------------------------------------

def test_the_archive_layout(archive, course, core):
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in zf.infolist()}
        config = json.loads(zf.read(gradescope.CONFIG))
        requirements = zf.read("requirements.txt").decode().split()
        setup = zf.read("setup.sh").decode()
    assert {"setup.sh", "run_autograder", "requirements.txt", gradescope.CONFIG} <= names
    assert modes["setup.sh"] == modes["run_autograder"] == 0o755
    assert "nnla/course.toml" in names and "nnla/graders/runner.py" in names
    assert "nnla/graders/checks/dot_product.py" in names
    assert {f"nnla/solutions/{ex.module}.py" for ex in course.exercises} <= names
    assert not any("__pycache__" in n or n.startswith("nnla/graders/suite") or n.startswith("/")
                   or ".." in n for n in names)
    assert config["exercises"] == core
    assert config["hidden_visibility"] == "after_due_date"
    assert sorted(r.split("==")[0] for r in requirements) == ["hypothesis", "numpy"]
    assert all("==" in r for r in requirements)  # pinned: the same inputs as `nnla grade`
    assert "bubblewrap" in setup and "chmod -R go-rwx" in setup and "chown -R root:root" in setup
    assert subprocess.run(["bash", "-n", "-c", setup]).returncode == 0


def test_the_archive_is_deterministic(course, core, tmp_path):
    first, again = tmp_path / "first.zip", tmp_path / "again.zip"
    gradescope.export(course, first, only=core)
    gradescope.export(course, again, only=core)
    assert again.read_bytes() == first.read_bytes()


def test_by_default_the_whole_course_is_exported(course, tmp_path):
    try:
        course_checks(course)
    except UsageError:
        pytest.skip("an exercise of the course has no checks yet")
    config = gradescope.export(course, tmp_path / "all.zip")
    assert config["exercises"] == [ex.module for ex in course.exercises]


def test_the_command(tmp_path, capsys):
    out = tmp_path / "ag.zip"
    assert main(["--course", str(ROOT), "export", "gradescope", str(out), "--unit",
                 load_course(ROOT).exercises[0].unit]) == 0
    assert "points" in capsys.readouterr().out
    with zipfile.ZipFile(out) as zf:
        assert json.loads(zf.read(gradescope.CONFIG))["exercises"][0] == "dot_product"
    assert main(["--course", str(ROOT), "export", "gradescope", str(out), "--only", "nope"]) == 2
    assert main(["--course", str(ROOT), "export", "gradescope", str(tmp_path)]) == 2


# --- collecting an upload -----------------------------------------------------------------------------

def test_collect_reports_a_module_given_twice_and_keeps_the_rest(tmp_path):
    raw = tmp_path / "upload"
    raw.mkdir()
    (raw / "matmul.py").write_text("def matmul(A, B):\n    return A\n")
    (raw / "relu.py").write_text("def relu(x):\n    return x\n")
    with zipfile.ZipFile(raw / "work.zip", "w") as zf:
        zf.writestr("exercises/matmul.py", "def matmul(A, B):\n    return B\n")
        zf.writestr("exercises/dot_product.py", "def dot(a, b):\n    return 0\n")
        zf.writestr("../../escape.py", "x = 1\n")
    got = gradescope.collect(raw, ["dot_product", "matmul", "relu"], tmp_path / "work")
    assert "more than once" in got.problems["matmul"] and "work.zip" in got.problems["matmul"]
    assert sorted(p.name for p in got.folder.iterdir()) == ["dot_product.py", "relu.py"]
    assert not (tmp_path / "escape.py").exists() and not any(tmp_path.rglob("escape.py"))


def test_collect_an_empty_or_missing_upload(tmp_path):
    got = gradescope.collect(tmp_path / "nothing", ["dot_product"], tmp_path / "work")
    assert got.problems == {} and list(got.folder.iterdir()) == [] and "empty" in got.notes[0]


# --- bad places, full disks, permissions -------------------------------------------------------------

def test_an_unwritable_archive_is_one_line(tmp_path, capsys):
    afile = tmp_path / "afile.txt"
    afile.write_text("a file\n")
    places = [(afile / "x.zip", f"{afile} is not a folder")]
    if os.path.isdir("/proc/self"):
        places.append((Path("/proc/x.zip"), "No such file or directory"))
    for place, says in places:
        assert main(["--course", str(ROOT), "export", "gradescope", str(place), "--only", "dot_product"]) == 2
        line = one_line_error(capsys)
        assert line.startswith(f"nnla: error: cannot write {place}") and says in line, line


def test_a_full_disk_keeps_the_archive_there_was(tmp_path, capsys, monkeypatch):
    out = tmp_path / "ag.zip"
    out.write_bytes(b"the archive of last week")
    disk_full(monkeypatch, os, "fdopen")
    assert main(["--course", str(ROOT), "export", "gradescope", str(out), "--only", "dot_product"]) == 2
    assert "No space left on device" in one_line_error(capsys)
    assert out.read_bytes() == b"the archive of last week" and list(tmp_path.iterdir()) == [out]


def test_the_archive_gets_the_umask_permissions(course, tmp_path):
    out = tmp_path / "ag.zip"
    with_umask(0o027, lambda: gradescope.export(course, out, only=["dot_product"]))
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
