"""Result files: read back strictly, written with ordinary permissions, safe in a spreadsheet."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graders.classrun import gradebook_csv
from graders.manifest import load_course
from graders.files import write_atomic
from graders.results import CheckResult, ExerciseResult, SubmissionResult

from .conftest import ROOT


def _result() -> SubmissionResult:
    checks = [CheckResult("matches", "dot", True, 6, 6, "passed"),
              CheckResult("rejects", "dot", False, 0, 4, "dot(a, b) should raise ValueError")]
    return SubmissionResult("alice", "Course", "1.0.0", 7, "bwrap", 6, 10,
                            {"dot_product": ExerciseResult("Dot product", 6, 10, "partial", "1/2", checks)},
                            ["a note"])


def test_a_result_reads_back_as_it_was_written():
    text = _result().to_json()
    assert SubmissionResult.from_dict(json.loads(text)).to_json() == text


@pytest.mark.parametrize("damage", [
    lambda d: d.update(score="6"),
    lambda d: d.update(score=float("nan")),
    lambda d: d.update(seed=True),
    lambda d: d.pop("notes"),
    lambda d: d.update(extra=1),
    lambda d: d.update(notes=[1]),
    lambda d: d.update(exercises=[]),
    lambda d: d["exercises"]["dot_product"].pop("checks"),
    lambda d: d["exercises"]["dot_product"].update(status="great"),
    lambda d: d["exercises"]["dot_product"]["checks"][0].update(passed=1),
    lambda d: d["exercises"]["dot_product"]["checks"].append("x"),
])
def test_a_damaged_result_is_refused(damage):
    data = json.loads(_result().to_json())
    damage(data)
    with pytest.raises(ValueError):
        SubmissionResult.from_dict(data)


def test_written_files_get_the_umask_or_keep_their_mode(tmp_path):
    code = ("import os, sys; os.umask(0o027); from graders.files import write_atomic; "
            "write_atomic(sys.argv[1], 'new')")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "new.json")], check=True, cwd=ROOT)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o640   # not mkstemp's 0600
    private = tmp_path / "private.json"
    private.write_text("old")
    private.chmod(0o600)
    write_atomic(private, "replaced")
    assert private.read_text() == "replaced" and private.stat().st_mode & 0o777 == 0o600


def test_gradebook_cells_cannot_start_a_formula():
    course = load_course(ROOT)
    rows = gradebook_csv(course, [{"submission": '=HYPERLINK("http://x")', "exercises": {},
                                   "score": 0, "max_score": 10},
                                  {"submission": "bob", "exercises": {}, "score": 0, "max_score": 10}])
    names = [line.split(",")[0] for line in rows.splitlines()[1:]]
    assert names == ['"\'=HYPERLINK(""http://x"")"', "bob"]
