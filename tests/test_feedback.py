"""What learners see: feedback files, the self-check's small failures, nnla watch."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import threading
import time

import pytest

from graders import watch as watch_mod
from graders.learner_feedback import (exercise_views, feedback_html, feedback_markdown,
                                      parse_check_message, write_feedback)
from graders.runner import Grader

from .conftest import ROOT

from graders import suite

MESSAGE = """dot(a, b) should equal the sum of a[i] * b[i]: the result has the wrong value
  input:
    a = array([[1., 2.],
 [3., 4.]])
    b = array([1], dtype=int64)
  expected: 1
  got:      0.0
  difference (got - expected): -1.0
  hint: Multiply matching entries and add them up."""


def test_a_check_message_is_taken_apart():
    parts = parse_check_message(MESSAGE, "dot(a, b) should equal the sum of a[i] * b[i]")
    assert parts["problem"] == "the result has the wrong value"
    # The rows of a matrix line up under its first row, whatever indentation they came with.
    assert parts["input"] == "a = array([[1., 2.],\n           [3., 4.]])\nb = array([1], dtype=int64)"
    assert (parts["expected"], parts["got"], parts["difference"]) == ("1", "0.0", "-1.0")
    assert parts["hint"].startswith("Multiply")
    # Without the check's own words, the first ": " splits the headline.
    assert parse_check_message(MESSAGE)["says"] == "dot(a, b) should equal the sum of a[i] * b[i]"
    # A plain reason stays whole.
    assert parse_check_message("dot: not implemented yet") == {"says": "", "problem": "dot: not implemented yet"}


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    """A wrong dot product, an untouched stub and a complete submission, graded for real."""
    root = tmp_path_factory.mktemp("fb")
    off_by_one = next(m for m in suite.all_mutants() if m.id == "dot_product.dot.off_by_one")
    subs = {"ada <b>&": suite.build_submission(root / "ada <b>&", course.root, [off_by_one]),
            "stub": root / "stub", "full": suite.build_submission(root / "full", course.root)}
    subs["stub"].mkdir()
    shutil.copy(ROOT / "exercises" / "dot_product.py", subs["stub"] / "dot_product.py")
    grader = Grader(course, only=["dot_product"])
    return {name: grader.grade(path, name).to_dict() for name, path in subs.items()}


def test_markdown_names_the_failed_check_with_its_counterexample(course, graded):
    md = feedback_markdown(course, graded["ada <b>&"])
    assert "# Feedback for ada \\<b\\>&" in md
    assert "**Score: 5 / 10**" in md
    assert "### ✗ dot(a, b) should equal the sum of a[i] \\* b[i]" in md
    assert "the result has the wrong value" in md
    block = md.split("```text\n", 1)[1].split("```", 1)[0]
    # The shrunk counterexample: one-entry vectors, the last entry forgotten.
    assert block.startswith("input:\n    a = array([") and "\n    b = array([" in block
    assert "\nexpected: 1" in block and "\ngot:      0" in block
    assert "\ndifference (got - expected): -1" in block
    ex = course.exercise("dot_product")
    assert "**Hint:** Multiply matching entries" in md and ex.concept[:30] in md
    assert "hint:" not in block  # the hint is said once, not in every counterexample
    assert "def dot" not in md and "### BEGIN" not in md  # never any code


def test_html_is_self_contained_and_escaped(course, graded):
    page = feedback_html(course, graded["ada <b>&"])
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "http://" not in page and "https://" not in page
    assert "Feedback for ada &lt;b&gt;&amp;" in page and "ada <b>" not in page
    assert '<dt>got</dt><dd class="got"><pre>0.0</pre>' in page
    assert "Concept to revisit" in page


def test_visibility_hides_hidden_check_details(course, graded):
    result = graded["ada <b>&"]
    prop = feedback_markdown(course, result, visibility="property")
    assert "should equal the sum" in prop and "input:" not in prop and "got:" not in prop
    score = feedback_markdown(course, result, visibility="score")
    assert "should equal the sum" not in score and "5/10" in score and "**Hint:**" in score
    for vis in ("property", "score"):
        page = feedback_html(course, result, visibility=vis)
        assert "<dt>input</dt>" not in page
    with pytest.raises(ValueError):
        feedback_markdown(course, result, visibility="everything")


def test_untouched_and_complete_submissions(course, graded):
    md = feedback_markdown(course, graded["stub"])
    assert "not started" in md and "not implemented yet" in md and "### ✗" not in md
    assert "**Next:** Dot product" in md
    done = feedback_markdown(course, graded["full"])
    assert "All 4 checks passed." in done
    assert "Everything passes" in done and "**Hint:**" not in done
    views = exercise_views(course, graded["full"])
    assert [v.module for v in views] == ["dot_product"] and views[0].done


def test_write_feedback_writes_both_files(course, graded, tmp_path):
    md, page = write_feedback(course, graded["stub"], tmp_path)
    assert md == tmp_path / "feedback" / "stub.md" and page.with_suffix(".md") == md
    assert md.read_text(encoding="utf-8").startswith("# Feedback for stub")
    assert "</html>" in page.read_text(encoding="utf-8")


# --- pytest exercises: small failures ---------------------------------------------------------

def test_self_check_shows_got_next_to_expected_small(tmp_path):
    folder = tmp_path / "exercises"
    shutil.copytree(ROOT / "exercises", folder)
    for f in (ROOT / "solutions").glob("*.py"):
        shutil.copy(f, folder / f.name)
    mse = folder / "mse.py"
    text = mse.read_text(encoding="utf-8")
    assert "return 2.0 * diff / diff.size" in text
    mse.write_text(text.replace("return 2.0 * diff / diff.size", "return 2.0 * diff / diff.shape[0]"),
                   encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", str(folder), "-p", "no:cacheprovider",
                          "-k", "mse"], capture_output=True, text=True, timeout=300)
    out = run.stdout
    assert run.returncode == 1, out
    assert "test_mse.py:19: test_mse_grad_worked_example" in out
    assert "  got:      array([[0., 1.]," in out and "  expected: array([[0. , 0.5]," in out
    assert "3 of 4 entries differ" in out and "largest difference" in out
    assert "ACTUAL" not in out and "DESIRED" not in out and "Traceback" not in out
    # ... and the run ends with the progress table, after pytest's short summary.
    assert out.index("short test summary info") < out.index(": progress") < out.index("next: mse")
    full = subprocess.run([sys.executable, "-m", "pytest", str(folder), "-p", "no:cacheprovider",
                           "-k", "mse", "--tb=long"], capture_output=True, text=True, timeout=300)
    assert "DESIRED" in full.stdout  # --tb=long: pytest's own full report


# --- nnla watch -------------------------------------------------------------------------------

def test_watch_maps_saved_files_to_their_self_check(tmp_path):
    for name in ("matmul.py", "test_matmul.py", "relu.py", "test_relu.py", "helpers.py"):
        (tmp_path / name).write_text("")
    assert watch_mod.targets(tmp_path, ["matmul.py"]) == ["test_matmul.py"]
    assert watch_mod.targets(tmp_path, ["test_relu.py", "matmul.py"]) == ["test_matmul.py", "test_relu.py"]
    assert watch_mod.targets(tmp_path, ["helpers.py"]) == []       # unknown: run everything
    assert watch_mod.targets(tmp_path, ["conftest.py"]) == []
    before = watch_mod.snapshot(tmp_path)
    time.sleep(0.01)
    (tmp_path / "relu.py").write_text("x = 1\n")
    assert watch_mod.changed(before, watch_mod.snapshot(tmp_path)) == ["relu.py"]


def test_watch_runs_the_edited_exercise_on_save(tmp_path, monkeypatch):
    (tmp_path / "matmul.py").write_text("")
    (tmp_path / "test_matmul.py").write_text("")
    ran = []
    monkeypatch.setattr(watch_mod, "run", lambda folder, tests, **kw: ran.append(tests) or 0)
    thread = threading.Thread(target=watch_mod.watch, args=(tmp_path,),
                              kwargs=dict(interval=0.05, clear=False, initial=False, max_runs=1,
                                          out=io.StringIO()))
    thread.start()
    time.sleep(0.3)
    (tmp_path / "matmul.py").write_text("def matmul(A, B):\n    return A\n")
    thread.join(timeout=10)
    assert not thread.is_alive() and ran == [["test_matmul.py"]]


def test_watch_is_a_subcommand():
    run = subprocess.run([sys.executable, "-m", "graders", "watch", "--help"], capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 0 and "--interval" in run.stdout, run.stderr
