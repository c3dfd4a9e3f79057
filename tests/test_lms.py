"""`nnla grade --class ... --lms canvas|moodle`: a gradebook an LMS imports."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from graders.cli import main
from graders.errors import UsageError
from graders.lms import CANVAS_IDENTITY, CANVAS_POINTS_ROW, lms_csv
from graders.sync import solution_code

from .conftest import ROOT


def _result(name, scores: dict) -> dict:
    return {"submission": name, "score": sum(scores.values()),
            "exercises": {m: {"score": s} for m, s in scores.items()}}


@pytest.fixture
def results():
    return [_result("s2", {"dot_product": 10, "matmul": 7.5}),
            _result("s1", {"dot_product": 0, "matmul": 15}),
            _result("=cmd()", {"dot_product": 4, "matmul": 0})]


def _rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_canvas_layout(course, results):
    rows = _rows(lms_csv(course, results, "canvas", "Homework 1"))
    dot, mm = course.exercise("dot_product"), course.exercise("matmul")
    assert rows[0] == CANVAS_IDENTITY + ["Homework 1", f"Homework 1: {dot.title}", f"Homework 1: {mm.title}"]
    assert rows[1][0] == CANVAS_POINTS_ROW and rows[1][5:] == ["25", "10", "15"]
    by_id = {r[2]: r for r in rows[2:]}
    assert by_id["s2"][0] == "s2" and by_id["s2"][5:] == ["17.5", "10", "7.5"]
    assert by_id["s1"][5:] == ["15", "0", "15"]
    assert "'=cmd()" in by_id  # never a formula in a spreadsheet
    assert [r[2] for r in rows[2:]] == sorted(r[2] for r in rows[2:])


def test_moodle_layout_and_default_column(course, results):
    rows = _rows(lms_csv(course, results, "moodle"))
    assert rows[0][:2] == ["ID number", course.title]
    assert rows[0][2] == f"{course.title}: {course.exercise('dot_product').title}"
    assert {r[0]: r[1:] for r in rows[1:]}["s2"] == ["17.5", "10", "7.5"]
    assert len(rows) == 1 + len(results)  # no points row: Moodle takes maxima from its grade items


def test_bad_options(course, results):
    with pytest.raises(UsageError):
        lms_csv(course, results, "blackboard")
    with pytest.raises(UsageError):
        lms_csv(course, results, "canvas", "two\nlines")


def test_a_class_run_writes_the_lms_gradebook(tmp_path, capsys):
    klass = tmp_path / "class"
    (klass / "ada").mkdir(parents=True)
    (klass / "ada" / "dot_product.py").write_text(solution_code((ROOT / "solutions" / "dot_product.py").read_text()))
    (klass / "bob").mkdir()
    shutil.copy(ROOT / "exercises" / "dot_product.py", klass / "bob")
    out = tmp_path / "out"
    code = main(["--course", str(ROOT), "grade", "--class", str(klass), "--out", str(out), "--only", "dot_product",
                 "--progress", "none", "--lms", "canvas", "--lms-column", "HW1"])
    assert code == 0
    assert "gradebook-canvas.csv" in capsys.readouterr().out
    rows = _rows((out / "gradebook-canvas.csv").read_text())
    assert rows[0][5:] == ["HW1", "HW1: Dot product"]
    scores = {r[2]: r[5:] for r in rows[2:]}
    for name in ("ada", "bob"):
        result = json.loads((out / f"{name}.json").read_text())
        assert scores[name] == [str(result["score"]), str(result["exercises"]["dot_product"]["score"])]
    assert scores["ada"][0] == "10" and scores["bob"][0] == "0"


def test_lms_options_need_a_class_run(tmp_path, capsys):
    assert main(["--course", str(ROOT), "grade", str(ROOT / "exercises"), "--lms", "canvas"]) == 2
    assert "--class" in capsys.readouterr().err
    assert main(["--course", str(ROOT), "grade", "--class", str(tmp_path), "--out", str(tmp_path / "o"),
                 "--lms-column", "X"]) == 2
    assert main(["--course", str(ROOT), "grade", "--class", str(tmp_path), "--out", str(tmp_path / "o"),
                 "--lms", "moodle", "--lms-column", " "]) == 2
