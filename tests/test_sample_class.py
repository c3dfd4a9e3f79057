"""The README's main command: the bundled sample class grades as its folder names promise."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "out"
    run = subprocess.run([sys.executable, "-m", "graders", "grade", "--class", "sample_class", "--out", str(out),
                          "--jobs", "2"], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stderr[-3000:]
    return out, {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")}


def test_complete_learner_scores_full_marks(graded):
    ada = graded[1]["ada"]
    assert ada["score"] == ada["max_score"], {m: e["message"] for m, e in ada["exercises"].items()
                                               if e["status"] != "passed"}


def test_partial_learner_loses_points_exactly_where_the_mistakes_are(graded, course):
    ben = graded[1]["ben"]["exercises"]
    mistaken = {"matmul", "mse", "attention", "relu", "backprop"}
    not_started = {ex.module for ex in course.unit_exercises("architectures")} - {"attention"}
    for module, ex in ben.items():
        if module in mistaken:
            assert ex["status"] in ("partial", "failed") and ex["score"] < ex["max_score"], module
        elif module in not_started:
            assert ex["status"] == "not_implemented", module
        else:
            assert ex["status"] == "passed", module


def test_untouched_learner_scores_zero(graded):
    cleo = graded[1]["cleo"]
    assert cleo["score"] == 0
    assert {ex["status"] for ex in cleo["exercises"].values()} == {"not_implemented"}


def test_broken_learner_gets_clear_statuses(graded):
    dev = graded[1]["dev"]["exercises"]
    assert dev["matmul"]["status"] == "error" and "syntax error on line" in dev["matmul"]["message"]
    assert dev["dot_product"]["status"] == "forbidden" and "numpy.dot" in dev["dot_product"]["message"]
    assert dev["transpose"]["status"] == "passed"


def test_gradebook_report_and_feedback_are_written(graded, course):
    out, results = graded
    rows = (out / "gradebook.csv").read_text().splitlines()
    assert len(rows) == 1 + len(results)
    assert all(f"unit:{u.name}" in rows[0] for u in course.units)
    assert (out / "report.html").is_file()
    assert (out / "feedback" / "ben.md").is_file() and (out / "feedback" / "ben.html").is_file()
