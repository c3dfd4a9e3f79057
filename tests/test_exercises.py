"""The learner's self-check: `pytest exercises` fails short on stubs, passes when solved."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def run_pytest(folder, *args):
    return subprocess.run([sys.executable, "-m", "pytest", str(folder), "-p", "no:cacheprovider", *args],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    dest = tmp_path_factory.mktemp("learner") / "exercises"
    shutil.copytree(ROOT / "exercises", dest)
    return dest


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    dest = tmp_path_factory.mktemp("solved") / "exercises"
    shutil.copytree(ROOT / "exercises", dest)
    for f in (ROOT / "solutions").glob("*.py"):
        shutil.copy(f, dest / f.name)
    return dest


def test_stubs_fail_with_short_messages_and_a_progress_line(stubs, course):
    run = run_pytest(stubs)
    assert run.returncode == 1
    out = run.stdout
    n = len(course.exercises)
    assert f"0/{n} exercises done" in out and f"next: {course.exercises[0].module}" in out
    assert course.exercises[0].hint[:40] in out
    assert "not implemented yet" in out
    assert "Traceback" not in out and out.count("raise NotImplementedError") == 0


def test_solutions_pass_every_public_test(solved, course):
    run = run_pytest(solved)
    assert run.returncode == 0, run.stdout[-3000:]
    assert f"{len(course.exercises)}/{len(course.exercises)} exercises done" in run.stdout


def test_one_exercise_can_be_run_alone(stubs):
    run = run_pytest(stubs, "-k", "matmul")
    assert run.returncode == 1
    assert "next: matmul" in run.stdout and "not run" in run.stdout


def test_root_pytest_does_not_collect_exercises():
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert "exercises/test_" not in run.stdout
