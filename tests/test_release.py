"""`nnla release`: the learner bundle holds what learners need and nothing of the instructor's."""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from graders import release as release_module
from graders.cli import main
from graders.errors import UsageError
from graders.manifest import load_course
from graders.release import bundle_files, release, zip_bytes
from graders.sync import BEGIN, END, stub_source

from .conftest import ROOT
from .test_sync import disk_full, one_line_error, with_umask

# --- the leak check ------------------------------------------------------------------------------
#
# Secret: every non-trivial line of solutions/ and of every file under graders/, except the lines
# the stubs show on purpose (solutions/ outside its solution blocks: docstrings, signatures,
# formulas; computed from solutions/ with sync's own stub_source, never from the bundle).
# graders/release.py is the one exception: it is the code that writes the bundle, so its text
# templates are public by design.

MIN_CHARS = 12
_IMPORT = re.compile(r"^(from\s+[\w.]+\s+)?import\s+[\w., ()*]+(\s+as\s+\w+)?$")
BUNDLE_WRITER = ROOT / "graders" / "release.py"


@functools.cache
def generic_lines() -> frozenset[str]:
    """Every line of Python's own standard library: a line found there is Python, not a secret."""
    lines: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(sysconfig.get_paths()["stdlib"]):
        dirnames[:] = [d for d in dirnames if d not in ("site-packages", "dist-packages", "__pycache__")]
        for name in filenames:
            if name.endswith(".py"):
                try:
                    text = Path(dirpath, name).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                lines.update(line.strip() for line in text.splitlines())
    return frozenset(lines)


def trivial(line: str) -> bool:
    """Short, a comment, a docstring quote, a plain import, or a line of the standard library
    (``except ValueError:``): what any two Python files may share."""
    return (len(line) < MIN_CHARS or line.startswith("#") or line.strip("\"'") == ""
            or bool(_IMPORT.match(line)) or line in generic_lines())


def _text_lines(text: str) -> set[str]:
    return {s for s in (line.strip() for line in text.splitlines()) if not trivial(s)}


def public_lines(root: Path = ROOT) -> set[str]:
    """What the stubs show on purpose: every solution file outside its solution blocks (the
    docstrings, signatures and formulas the course author wrote for learners)."""
    public: set[str] = set()
    for path in sorted((root / "solutions").glob("*.py")):
        public |= _text_lines(stub_source(path.read_text(encoding="utf-8"), path.stem))
    return public


def secret_lines(root: Path = ROOT) -> dict[str, str]:
    """line -> the file it comes from; public lines (see above) excepted."""
    public = public_lines(root)
    secrets: dict[str, str] = {}
    for path in sorted((root / "solutions").glob("*.py")):
        for line in _text_lines(path.read_text(encoding="utf-8")) - public:
            secrets.setdefault(line, str(path.relative_to(root)))
    for dirpath, dirnames, filenames in os.walk(root / "graders", followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__"
                             and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path == BUNDLE_WRITER or path.suffix in (".pyc",) or path.is_symlink():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            for line in _text_lines(text) - public:
                secrets.setdefault(line, str(path.relative_to(root)))
    return secrets


def _file_lines(name: str, data: bytes) -> set[str]:
    """The lines of a bundle file; for a notebook also the lines of each cell's source."""
    text = data.decode("utf-8", errors="replace")
    lines = _text_lines(text)
    if name.endswith(".ipynb"):
        for cell in json.loads(text).get("cells", []):
            source = cell.get("source", "")
            lines |= _text_lines("".join(source) if isinstance(source, list) else source)
    return lines


def leaks(files: dict[str, bytes], secrets: dict[str, str]) -> list[tuple[str, str, str]]:
    """(bundle file, leaked line, where it comes from) for every secret line found in the bundle."""
    found = []
    for name, data in sorted(files.items()):
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                inner = {f"{name}!{i}": zf.read(i) for i in zf.namelist() if not i.endswith("/")}
            found += leaks(inner, secrets)
            continue
        for line in sorted(_file_lines(name, data)):
            if line in secrets:
                found.append((name, line, secrets[line]))
    return found


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def solution_block_lines(module: str) -> list[str]:
    inside, lines = False, []
    for line in (ROOT / "solutions" / f"{module}.py").read_text(encoding="utf-8").splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside and not trivial(line.strip()):
            lines.append(line)
    return lines


# --- fixtures --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def secrets():
    found = secret_lines()
    assert len(found) > 200  # solution blocks and the graders: a real set to compare against
    return found


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, course):
    out = tmp_path_factory.mktemp("release") / "learners"
    release(course, out)
    return out


# --- the leak test ---------------------------------------------------------------------------------

def test_no_solution_or_hidden_check_line_is_in_the_bundle(bundle, secrets):
    assert leaks(tree(bundle), secrets) == []


def test_no_leak_in_the_zip_or_the_notebooks(course, secrets, tmp_path):
    pytest.importorskip("nbformat")
    target = release(course, tmp_path / "learners", as_zip=True, notebooks=True)
    files = {target.name: target.read_bytes()}
    with zipfile.ZipFile(target) as zf:
        assert any(n.endswith(".ipynb") for n in zf.namelist())
    assert leaks(files, secrets) == []


def test_the_leak_check_catches_a_planted_solution_line(bundle, secrets, tmp_path):
    planted = solution_block_lines("matmul")[0]
    files = tree(bundle)
    files["exercises/matmul.py"] += f"\n{planted}\n".encode()
    found = leaks(files, secrets)
    assert [(f, src) for f, _, src in found] == [("exercises/matmul.py", "solutions/matmul.py")]
    assert found[0][1] == planted.strip()


def test_the_leak_check_catches_a_hidden_check_line_anywhere(bundle, secrets):
    check_source = (ROOT / "graders" / "checks" / "dot_product.py").read_text(encoding="utf-8")
    planted = next(l for l in check_source.splitlines() if "says=" in l)
    files = tree(bundle)
    files["README.md"] += f"\n    {planted.strip()}\n".encode()
    assert [(f, src) for f, _, src in leaks(files, secrets)] == [("README.md", "graders/checks/dot_product.py")]


def test_the_leak_check_reads_notebook_cells_and_zips(bundle, secrets):
    planted = solution_block_lines("dot_product")[-1]
    nb = {"cells": [{"cell_type": "code", "source": ["x = 1\n", planted + "\n"]}], "metadata": {},
          "nbformat": 4, "nbformat_minor": 5}
    files = {"notebooks/dot_product.ipynb": json.dumps(nb, indent=1).encode()}
    assert len(leaks(files, secrets)) == 1
    zipped = {"learners.zip": zip_bytes({**tree(bundle), **files}, "learners")}
    assert [f for f, _, _ in leaks(zipped, secrets)] == ["learners.zip!learners/notebooks/dot_product.ipynb"]


# --- what the bundle holds -----------------------------------------------------------------------

def test_the_bundle_holds_exactly_the_learner_files(bundle, course):
    modules = [ex.module for ex in course.exercises]
    expected = {"README.md", "requirements.txt", "pytest.ini", "exercises/conftest.py",
                "exercises/exercises.toml",
                *(f"exercises/{m}.py" for m in modules), *(f"exercises/test_{m}.py" for m in modules)}
    assert set(tree(bundle)) == expected


def test_the_stubs_and_public_tests_are_the_synced_ones(bundle):
    for path in (ROOT / "exercises").iterdir():
        if path.suffix in (".py", ".toml"):
            assert (bundle / "exercises" / path.name).read_bytes() == path.read_bytes(), path.name


def test_no_hidden_settings(bundle, course):
    assert not (bundle / "course.toml").exists()
    learner = tomllib.loads((bundle / "exercises" / "exercises.toml").read_text(encoding="utf-8"))
    assert set(learner) == {"title", "exercise"}
    assert [e["module"] for e in learner["exercise"]] == [ex.module for ex in course.exercises]
    for entry in learner["exercise"]:
        assert set(entry) <= {"module", "title", "hint"}
    everything = "\n".join(d.decode("utf-8") for d in tree(bundle).values())
    assert str(course.grading.seed) not in everything
    assert "memory_limit_mb" not in everything and "[grading]" not in everything


def test_requirements_name_only_what_learners_need(bundle):
    names = [re.split(r"[<>=!~ \[;]", line)[0].lower()
             for line in (bundle / "requirements.txt").read_text().splitlines() if line.strip()]
    assert sorted(names) == ["hypothesis", "numpy", "pytest"]


def test_readme_gives_the_two_commands_and_how_to_submit(bundle, course):
    readme = (bundle / "README.md").read_text(encoding="utf-8")
    assert "python -m pip install -r requirements.txt" in readme
    assert "python -m pytest" in readme
    assert "## Submitting" in readme
    for ex in course.exercises:
        assert f"`exercises/{ex.module}.py`" in readme and ex.title in readme


# --- the bundle on a fresh machine: the README's two commands ---------------------------------------

def _self_check(folder: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "NNLA"))}
    return subprocess.run([sys.executable, "-m", "pytest"], cwd=folder, capture_output=True, text=True,
                          timeout=300, env=env)


def test_a_fresh_bundle_self_checks_to_zero_done(bundle, course, tmp_path):
    fresh = tmp_path / "unzipped"
    shutil.copytree(bundle, fresh)
    run = _self_check(fresh)
    n = len(course.exercises)
    assert run.returncode != 0
    assert f"0/{n} exercises done" in run.stdout, run.stdout[-2000:]
    assert "Traceback" not in run.stdout


def test_the_bundle_passes_once_solved(bundle, course, tmp_path):
    solved = tmp_path / "solved"
    shutil.copytree(bundle, solved)
    for path in (ROOT / "solutions").glob("*.py"):
        shutil.copy(path, solved / "exercises" / path.name)
    run = _self_check(solved)
    n = len(course.exercises)
    assert run.returncode == 0, run.stdout[-3000:]
    assert f"{n}/{n} exercises done" in run.stdout


def test_the_zip_unpacks_to_the_same_bundle_and_is_deterministic(bundle, course, tmp_path):
    first = release(course, tmp_path / "a" / "learners", as_zip=True)
    second = release(course, tmp_path / "b" / "learners.zip", as_zip=True)
    assert first.name == second.name == "learners.zip"
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        zf.extractall(tmp_path / "x")
    assert tree(tmp_path / "x" / "learners") == tree(bundle)
    run = _self_check(tmp_path / "x" / "learners")
    assert run.returncode != 0 and f"0/{len(course.exercises)} exercises done" in run.stdout


# --- refusals and the command ------------------------------------------------------------------------

def _course_copy(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    root.mkdir()
    for name in ("course.toml", "pyproject.toml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "solutions", root / "solutions")
    shutil.copytree(ROOT / "exercises", root / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_a_stale_stub_is_refused(tmp_path):
    root = _course_copy(tmp_path)
    stub = root / "exercises" / "dot_product.py"
    stub.write_text(stub.read_text() + "\n# edited by hand\n")
    with pytest.raises(UsageError, match="nnla sync"):
        bundle_files(load_course(root))


def test_the_command(tmp_path, capsys):
    out = tmp_path / "learners"
    assert main(["--course", str(ROOT), "release", str(out)]) == 0
    assert "python -m pytest" in capsys.readouterr().out
    assert (out / "exercises" / "conftest.py").is_file()
    assert main(["--course", str(ROOT), "release", str(out)]) == 2  # not empty: never overwritten
    assert "not empty" in capsys.readouterr().err
    assert main(["--course", str(ROOT), "release", str(tmp_path / "z"), "--zip"]) == 0
    assert zipfile.is_zipfile(tmp_path / "z.zip")


# --- bad places, full disks, permissions -------------------------------------------------------------

def _unwritable(tmp_path: Path) -> list[tuple[str, str]]:
    """Places no release can go, and what the error must say."""
    afile = tmp_path / "afile.txt"
    afile.write_text("a file\n")
    places = [(str(afile / "sub"), f"{afile} is not a folder")]
    if os.path.isdir("/proc/self"):
        places.append(("/proc/x", "/proc/x"))
    return places


@pytest.mark.parametrize("as_zip", [False, True])
def test_an_unwritable_place_is_one_line(tmp_path, capsys, as_zip):
    for place, says in _unwritable(tmp_path):
        assert main(["--course", str(ROOT), "release", place, *(["--zip"] if as_zip else [])]) == 2
        line = one_line_error(capsys)
        assert line.startswith(f"nnla: error: cannot write {place}") and says in line, line


@pytest.mark.parametrize("existing", [False, True])
def test_a_full_disk_leaves_no_half_bundle(tmp_path, capsys, monkeypatch, existing):
    out = tmp_path / "learners"
    if existing:
        out.mkdir()   # an empty folder given: it stays empty
    disk_full(monkeypatch, release_module, "open", after=3)
    assert main(["--course", str(ROOT), "release", str(out)]) == 2
    line = one_line_error(capsys)
    assert f"cannot write {out}" in line and "No space left on device" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == (["learners"] if existing else [])
    assert not existing or list(out.iterdir()) == []
    monkeypatch.undo()
    assert main(["--course", str(ROOT), "release", str(out)]) == 0   # nothing in the way
    assert (out / "exercises" / "conftest.py").is_file()


def test_a_full_disk_leaves_no_half_zip(tmp_path, capsys, monkeypatch):
    disk_full(monkeypatch, os, "fdopen")
    assert main(["--course", str(ROOT), "release", str(tmp_path / "learners"), "--zip"]) == 2
    assert "No space left on device" in one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_the_bundle_and_its_zip_get_the_umask_permissions(course, tmp_path):
    out = tmp_path / "new" / "learners"
    with_umask(0o027, lambda: release(course, out))
    with_umask(0o027, lambda: release(course, tmp_path / "z", as_zip=True))
    for path in [out, *out.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o750 if path.is_dir() else 0o640), path
    assert stat.S_IMODE((tmp_path / "z.zip").stat().st_mode) == 0o640
