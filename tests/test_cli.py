"""The nnla command: exit 0 when grading ran, 2 with one line for bad input, nothing lost."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graders import suite
from .conftest import ROOT, checked_modules


def nnla(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "graders", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def _only():
    return [arg for m in checked_modules() for arg in ("--only", m)]


def _one_line_error(run):
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    lines = [l for l in run.stderr.splitlines() if l.startswith("nnla: error:")]
    assert len(lines) == 1, run.stderr
    return lines[0]


@pytest.mark.parametrize("args, says", [
    (["grade", "no/such/folder"], "no such submission"),
    (["grade"], "give a SUBMISSION"),
    (["grade", "--class", "no/such/class", "--out", "x"], "not a folder"),
    (["grade", "--class", "exercises"], "--class needs --out"),
    (["grade", "exercises", "--jobs", "0"], "--jobs must be at least 1"),
    (["grade", "exercises", "--only", "cross_product"], "no exercise named 'cross_product'"),
    (["grade", "exercises", "--seed", "abc"], "invalid int value"),
    (["hint", "nope"], "no exercise named 'nope'"),
    (["frobnicate"], "invalid choice"),
    (["--course", "/nonexistent", "sync"], "not found"),
    (["grade", "exercises", "--out", "x"], "--out is for class runs"),
    (["grade", "exercises", "--report", "r.html"], "--report is for class runs"),
    (["grade", "exercises", "--resume"], "--resume is for class runs"),
    (["grade", "exercises", "--hidden-details", "score"], "--hidden-details is for class runs"),
    (["grade", "exercises", "--progress", "plain"], "--progress is for class runs"),
    (["verify", "--jobs", "0"], "--jobs must be at least 1"),
    (["watch", "--dir", "exercises", "--interval", "inf"], "--interval must be a positive number"),
    (["watch", "--dir", "graders"], "no exercises to watch"),
])
def test_bad_input_gives_one_line_and_exit_2(args, says):
    assert says in _one_line_error(nnla(*args))


def test_a_file_is_not_a_submission(tmp_path):
    f = tmp_path / "dot_product.py"
    f.write_text("x = 1\n")
    assert "must be a folder" in _one_line_error(nnla("grade", str(f)))


def test_empty_class_folder_is_bad_input(tmp_path):
    assert "no submission folders" in _one_line_error(nnla("grade", "--class", str(tmp_path), "--out",
                                                              str(tmp_path / "out")))


def test_grade_one_submission_prints_a_summary_and_writes_json(tmp_path):
    sub = suite.build_submission(tmp_path / "alice", ROOT)
    out = tmp_path / "alice.json"
    run = nnla("grade", str(sub), "--json", str(out), *_only())
    assert run.returncode == 0, run.stderr
    assert "alice:" in run.stdout and "passed" in run.stdout
    data = json.loads(out.read_text())
    assert data["score"] == data["max_score"] > 0


def test_grading_a_stub_exits_0_whatever_the_score():
    run = nnla("grade", "exercises", *_only())
    assert run.returncode == 0, run.stderr
    assert "not_implemented" in run.stdout


def test_class_run_writes_results_and_gradebook(tmp_path):
    class_dir = tmp_path / "class"
    suite.build_submission(class_dir / "alice", ROOT)
    (class_dir / "bob").mkdir()
    out = tmp_path / "out"
    run = nnla("grade", "--class", str(class_dir), "--out", str(out), "--jobs", "2", *_only())
    assert run.returncode == 0, run.stderr
    rows = (out / "gradebook.csv").read_text().splitlines()
    assert rows[0].split(",")[0] == "submission" and len(rows) == 3
    assert json.loads((out / "bob.json").read_text())["score"] == 0


def test_bad_json_destination_is_reported_and_nothing_is_half_written(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("keep me")
    run = nnla("grade", "exercises", "--json", str(blocker / "x.json"), *_only())
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert blocker.read_text() == "keep me"


def test_python_dash_m_and_console_script_agree():
    run = subprocess.run(["nnla", "hint", "dot_product"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and run.stdout == nnla("hint", "dot_product").stdout


def test_a_named_pipe_is_not_a_submission(tmp_path):
    import os

    os.mkfifo(tmp_path / "alice.zip")  # opening it to read would wait for a writer forever
    assert "must be a folder or a .zip" in _one_line_error(nnla("grade", str(tmp_path / "alice.zip")))


def test_results_never_go_into_the_class_folder(tmp_path):
    class_dir = tmp_path / "class"
    (class_dir / "alice").mkdir(parents=True)
    (class_dir / "alice" / "dot_product.py").write_text("x = 1\n")
    for out, says in ((class_dir, "is the class folder"), (class_dir / "alice", "is inside the submission alice"),
                      (class_dir / "alice" / "out", "is inside the submission alice")):
        assert says in _one_line_error(nnla("grade", "--class", str(class_dir), "--out", str(out)))
    assert sorted(p.name for p in class_dir.rglob("*")) == ["alice", "dot_product.py"]


@pytest.mark.parametrize("report, says", [("{tmp}", "is a folder: give a file name"),
                                          ("/proc/nnla/report.html", "cannot write /proc/nnla/report.html")])
def test_a_report_path_that_cannot_be_written_is_refused_before_grading(tmp_path, report, says):
    (tmp_path / "class" / "alice").mkdir(parents=True)
    run = nnla("grade", "--class", str(tmp_path / "class"), "--out", str(tmp_path / "out"),
               "--report", report.format(tmp=tmp_path))
    assert says in _one_line_error(run)
    assert not list(tmp_path.glob("out/*.json"))


def test_class_entries_that_are_not_submissions_are_named(tmp_path):
    class_dir = tmp_path / "class"
    (class_dir / "alice").mkdir(parents=True)
    (class_dir / "bob.tar.gz").write_bytes(b"")
    (class_dir / "carol").symlink_to(class_dir / "alice")
    run = nnla("grade", "--class", str(class_dir), "--out", str(tmp_path / "out"), "--only", "dot_product")
    assert run.returncode == 0, run.stderr
    assert "not graded: bob.tar.gz: not a submission folder" in run.stderr
    assert "not graded: carol: a symbolic link" in run.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == ["alice.json"]


def test_an_only_run_does_not_replace_results_of_more_exercises(tmp_path):
    class_dir, out = tmp_path / "class", tmp_path / "out"
    suite.build_submission(class_dir / "alice", ROOT)
    both = ("--only", "dot_product", "--only", "vectors")
    assert nnla("grade", "--class", str(class_dir), "--out", str(out), *both).returncode == 0
    kept = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    run = nnla("grade", "--class", str(class_dir), "--out", str(out), "--only", "dot_product")
    assert "holds results for exercises outside --only (such as vectors" in _one_line_error(run)
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == kept
    # the same selection again, or the whole course, replaces nothing it does not grade
    assert nnla("grade", "--class", str(class_dir), "--out", str(out), *both).returncode == 0


def test_a_full_disk_during_a_class_run_is_one_line_and_keeps_what_was_written(tmp_path, monkeypatch, capsys):
    import errno

    from graders import classrun, cli

    class_dir, out = tmp_path / "class", tmp_path / "out"
    for name in ("alice", "bob"):
        suite.build_submission(class_dir / name, ROOT)
    real, written = classrun.write_atomic, []

    def second_write_fails(path, text):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, text)
        written.append(path.name)

    monkeypatch.setattr(classrun, "write_atomic", second_write_fails)
    code = cli.main(["--course", str(ROOT), "grade", "--class", str(class_dir), "--out", str(out),
                     "--only", "dot_product", "--progress", "none"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    line, = [l for l in err.splitlines() if l.startswith("nnla: error:")]
    assert "No space left on device" in line and "finish with --resume" in line
    assert json.loads((out / written[0]).read_text())["score"] == 10
