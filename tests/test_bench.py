"""The benchmark's own correctness gate: it must tell a grading difference from printed output."""

import importlib.util
import json
import subprocess
import sys

from .conftest import ROOT

spec = importlib.util.spec_from_file_location("nnla_bench", ROOT / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def result(score=10, message="all 4 checks passed", output=""):
    return json.dumps({"score": score, "exercises": {"matmul": {"score": score, "message": message,
                                                                "output": output}}}, indent=2)


def test_differing_results_separates_grades_from_printed_output(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for name, left, right in [("same", result(), result()),
                              ("printed", result(output=""), result(output="RuntimeWarning: ...")),
                              ("graded", result(10), result(7, "3/4 checks passed"))]:
        (a / f"{name}.json").write_text(left)
        (b / f"{name}.json").write_text(right)
    (a / "lost.json").write_text(result())
    grading, output, unsteady = bench.differing_results(a, b)
    assert output == ["printed.json"] and unsteady == []
    assert list(grading) == ["graded.json", "lost.json"]
    assert '"score": 10' in grading["graded.json"] and '"score": 7' in grading["graded.json"]


def test_unsteady_learner_code_must_still_grade_alike(tmp_path):
    """Learner code that draws from an unseeded generator shows other values in its messages on
    every run: for such results (named by the caller) only the grades must agree."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for name, left, right in [("random", result(7, "got: [0.1]"), result(7, "got: [0.9]")),
                              ("regraded", result(7, "got: [0.1]"), result(10, "got: [0.9]"))]:
        (a / f"{name}.json").write_text(left)
        (b / f"{name}.json").write_text(right)
    found = bench.differing_results(a, b, frozenset({"random.json", "regraded.json"}))
    assert found.unsteady == ["random.json"]
    assert list(found.grading) == ["regraded.json"]
    assert list(bench.differing_results(a, b).grading) == ["random.json", "regraded.json"]


def test_a_class_too_small_for_a_complete_submission_is_a_usage_error():
    ran = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "-n", "5"],
                         capture_output=True, text=True)
    assert ran.returncode == 2 and "must be at least 12" in ran.stderr and "Traceback" not in ran.stderr


def test_the_contained_floor_times_the_learners_own_code_and_a_sandbox(tmp_path):
    """The second floor must time each submission's own functions (not the reference's) and a
    real sandbox start: a learner whose dot sleeps 2 ms per call costs at least 1 ms more per
    call (half of it: room for the noise of timing the rest)."""
    from graders import suite

    slow = "def dot(a, b):\n    import time\n    time.sleep(0.002)\n    return float(np.dot(a, b))\n"
    fast_dir, slow_dir = tmp_path / "class" / "fast", tmp_path / "class" / "slow"
    suite.build_submission(fast_dir, ROOT)
    suite.build_submission(slow_dir, ROOT)
    path = slow_dir / "dot_product.py"
    path.write_text(suite.replace_function(path.read_text(), "dot", slow))
    dot_calls = sum(1 for _, function, _ in bench.check_calls(bench.prepared_grader()) if function == "dot")
    assert dot_calls >= 100
    fast = bench.contained_floor(tmp_path / "class", ["fast"], tmp_path, starts=1)
    slowed = bench.contained_floor(tmp_path / "class", ["slow"], tmp_path, starts=1)
    assert slowed.own_code_s - fast.own_code_s >= dot_calls * 0.001
    assert 0 < fast.sandbox_s < 10 and fast.sampled == 1
