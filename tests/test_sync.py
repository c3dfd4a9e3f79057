"""One source: stubs are generated from solutions/ and checked for drift."""

from __future__ import annotations

import builtins
import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from graders.cli import main
from graders.errors import UsageError
from graders.manifest import load_course
from graders.sync import holds_own_code, out_of_date, stub_source, sync

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


@pytest.mark.parametrize("edit, own", [
    (lambda stub: stub + "\n# a note of mine\n", False),              # still a stub
    (lambda stub: stub.replace('raise NotImplementedError("matmul: not implemented yet")',
                               "return A @ B"), True),                  # filled in
    (lambda stub: stub.replace("def matmul(", "def my_matmul("), True),   # renamed
    (lambda stub: stub + "\ndef broken(:\n", True),                    # half-written
])
def test_a_filled_in_exercise_is_told_from_a_stub(edit, own):
    stub = (ROOT / "exercises" / "matmul.py").read_text()
    assert holds_own_code(edit(stub), ["matmul"]) is own


def test_sync_keeps_a_filled_in_exercise_unless_forced(tmp_path, capsys):
    root = course_copy(tmp_path)
    for module in ("matmul", "relu"):  # the course changes: both stubs are out of date
        solution = root / "solutions" / f"{module}.py"
        solution.write_text(solution.read_text().replace('"""', '"""Revised. ', 1))
    mine = root / "exercises" / "matmul.py"
    mine.write_text((root / "solutions" / "matmul.py").read_text())  # a learner's finished work
    kept: list[Path] = []
    assert sync(load_course(root), kept=kept) == [root / "exercises" / "relu.py"]
    assert kept == [mine] and "### BEGIN SOLUTION" in mine.read_text()
    assert main(["--course", str(root), "sync"]) == 0
    assert "kept exercises/matmul.py: it holds your own code" in capsys.readouterr().err
    assert main(["--course", str(root), "sync", "--force"]) == 0
    assert out_of_date(load_course(root)) == []


# --- bad places and full disks: one line, exit 2, nothing half-written -------------------------------

def course_copy(tmp_path: Path) -> Path:
    """course.toml, solutions/ and exercises/ of this course, to break."""
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(ROOT / "course.toml", root / "course.toml")
    shutil.copytree(ROOT / "solutions", root / "solutions")
    shutil.copytree(ROOT / "exercises", root / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def one_line_error(capsys) -> str:
    """The one line ``main`` printed for a UsageError (and nothing like a traceback)."""
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nnla: error: "), err
    return lines[0]


def disk_full(monkeypatch, owner, name: str, after: int = 0) -> None:
    """Simulate a full disk: files opened through ``owner.name`` (``open``, ``os.fdopen``) fail with
    ENOSPC from the ``after + 1``-th on (the file is created, as on a real full disk)."""
    real = getattr(owner, name, None) or getattr(builtins, name)
    count = [0]

    def full(*args, **kwargs):
        f = real(*args, **kwargs)
        count[0] += 1
        if count[0] > after:
            f.close()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return f

    monkeypatch.setattr(owner, name, full, raising=False)


def with_umask(mask: int, fn):
    old = os.umask(mask)
    try:
        return fn()
    finally:
        os.umask(old)


@pytest.mark.parametrize("check", [False, True])
@pytest.mark.parametrize("broken", ["exercises is a file", "a stub is a folder"])
def test_a_broken_exercises_folder_is_one_line(tmp_path, capsys, broken, check):
    root = course_copy(tmp_path)
    if broken == "exercises is a file":
        shutil.rmtree(root / "exercises")
        (root / "exercises").write_text("not a folder\n")
        says = "exercises is not a folder"
    else:
        (root / "exercises" / "matmul.py").unlink()
        (root / "exercises" / "matmul.py").mkdir()
        says = "matmul.py: it is a folder"
    assert main(["--course", str(root), "sync", *(["--check"] if check else [])]) == 2
    assert says in one_line_error(capsys)


def test_a_full_disk_leaves_every_stub_as_it_was(tmp_path, capsys, monkeypatch):
    root = course_copy(tmp_path)
    stubs = sorted((root / "exercises").glob("*.py"))[:3]
    before = {}
    for stub in stubs:
        stub.write_text(stub.read_text() + "\n# edited by hand\n")
        before[stub] = stub.read_bytes()
    disk_full(monkeypatch, os, "fdopen", after=1)   # the second stub cannot be written
    assert main(["--course", str(root), "sync"]) == 2
    assert "No space left on device" in one_line_error(capsys)
    assert {stub: stub.read_bytes() for stub in stubs} == before   # all or nothing: nothing
    assert [p.name for p in (root / "exercises").iterdir() if p.name.endswith(".tmp")] == []
    monkeypatch.undo()
    assert main(["--course", str(root), "sync"]) == 0
    assert out_of_date(load_course(root)) == []


def test_sync_writes_stubs_with_the_umask_permissions(tmp_path):
    root = course_copy(tmp_path)
    stub = root / "exercises" / "matmul.py"
    stub.unlink()
    assert with_umask(0o027, lambda: sync(load_course(root))) == [stub]
    assert stat.S_IMODE(stub.stat().st_mode) == 0o640
