"""One source: stubs are generated from solutions/ and checked for drift."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from graders.errors import UsageError
from graders.manifest import load_course
from graders.sync import out_of_date, stub_source, sync

from .conftest import ROOT


def test_exercises_are_in_sync_with_solutions():
    run = subprocess.run([sys.executable, "-m", "graders", "sync", "--check"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_stub_keeps_signature_and_docstring_and_drops_the_body():
    source = 'def f(x):\n    """Doc."""\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n'
    assert stub_source(source, "mod") == (
        'def f(x):\n    """Doc."""\n    raise NotImplementedError("mod: not implemented yet")\n')


@pytest.mark.parametrize("source, message", [
    ("    ### BEGIN SOLUTION\n    x = 1\n", "never closed"),
    ("    ### END SOLUTION\n", "without"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside another"),
])
def test_broken_markers_are_reported(source, message):
    with pytest.raises(UsageError, match=message):
        stub_source(source, "mod")


def test_no_stub_contains_reference_code(course):
    for ex in course.exercises:
        stub = (course.exercises_dir / f"{ex.module}.py").read_text()
        assert "BEGIN SOLUTION" not in stub
        assert f'raise NotImplementedError("{ex.module}: not implemented yet")' in stub


def test_check_fails_when_a_stub_drifts_and_sync_repairs_it(tmp_path):
    for name in ("course.toml", "solutions", "exercises"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    course = load_course(tmp_path)
    stub = tmp_path / "exercises" / "matmul.py"
    stub.write_text(stub.read_text() + "\n# edited by hand\n")
    run = subprocess.run([sys.executable, "-m", "graders", "--course", str(tmp_path), "sync", "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "matmul.py" in run.stdout
    assert sync(course) == [stub]
    assert out_of_date(course) == []
