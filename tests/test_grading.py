"""End to end: the reference scores full, stubs score 0, results are identical on every run."""

from __future__ import annotations

import difflib
import json
import shutil
import textwrap

import pytest

from graders.classrun import grade_class
from graders.results import STATUSES

from graders import suite
from .conftest import ROOT


@pytest.fixture(scope="module")
def reference_result(grader, tmp_path_factory):
    return grader.grade(suite.build_submission(tmp_path_factory.mktemp("ref") / "reference", ROOT)).to_dict()


def test_reference_scores_full_marks(reference_result, grader):
    assert reference_result["score"] == reference_result["max_score"] == sum(ex.points for ex in grader.exercises)
    for module, ex in reference_result["exercises"].items():
        assert ex["status"] == "passed", (module, [c["message"] for c in ex["checks"] if not c["passed"]])


def test_untouched_stubs_score_zero_as_not_implemented(grader):
    result = grader.grade(ROOT / "exercises").to_dict()
    assert result["score"] == 0
    for module, ex in result["exercises"].items():
        assert ex["status"] == "not_implemented", module
        assert all(c["message"].endswith("not implemented yet") for c in ex["checks"])


def test_result_json_has_the_documented_shape(reference_result):
    for key in ("submission", "score", "max_score", "seed", "exercises"):
        assert key in reference_result
    for ex in reference_result["exercises"].values():
        assert ex["status"] in STATUSES
        for check in ex["checks"]:
            assert set(check) == {"name", "function", "passed", "points", "max_points", "message"}


def test_a_failed_check_reports_a_shrunk_counterexample(grader, tmp_path):
    off_by_one = next(m for m in suite.all_mutants() if m.id == "dot_product.dot.off_by_one")
    sub = suite.build_submission(tmp_path / "sub", ROOT, [off_by_one])
    ex = grader.grade(sub).to_dict()["exercises"]["dot_product"]
    failed = next(c for c in ex["checks"] if c["name"] == "matches_reference")
    assert not failed["passed"]
    for part in ("input:", "expected:", "got:", "difference", "hint:"):
        assert part in failed["message"]
    # shrunk: the smallest failing input is a pair of 1-element vectors
    assert "a = array([" in failed["message"] and "," not in failed["message"].split("a = array([")[1].split("]")[0]


def _first_module(grader):
    return grader.exercises[0].module


def test_syntax_error_costs_only_its_exercise(grader, tmp_path):
    sub = suite.build_submission(tmp_path / "sub", ROOT)
    module = _first_module(grader)
    (sub / f"{module}.py").write_text("def broken(:\n")
    result = grader.grade(sub).to_dict()
    ex = result["exercises"][module]
    assert ex["status"] == "error" and "syntax error on line 1" in ex["message"]
    for other, data in result["exercises"].items():
        if other != module:
            assert data["score"] == data["max_score"]


def test_missing_module_is_missing_and_others_still_graded(grader, tmp_path):
    sub = suite.build_submission(tmp_path / "sub", ROOT)
    module = _first_module(grader)
    (sub / f"{module}.py").unlink()
    result = grader.grade(sub).to_dict()
    assert result["exercises"][module]["status"] == "missing"
    assert result["score"] == result["max_score"] - result["exercises"][module]["max_score"]


def test_modules_in_subfolders_are_found(grader, tmp_path):
    sub = suite.build_submission(tmp_path / "flat", ROOT)
    nested = tmp_path / "nested"
    (nested / "part1").mkdir(parents=True)
    for i, f in enumerate(sorted(sub.glob("*.py"))):
        shutil.copy(f, (nested / "part1" if i % 2 else nested) / f.name)
    result = grader.grade(nested).to_dict()
    assert result["score"] == result["max_score"]


def test_forbidden_shortcut_scores_zero_with_line_number(grader, tmp_path):
    sub = suite.build_submission(tmp_path / "sub", ROOT, [suite.mutant(
        "dot_product", "dot", "np_dot", "uses the forbidden np.dot", """
        import numpy as np

        def dot(a, b):
            if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
                raise ValueError("bad")
            return np.dot(a, b)
    """)])
    ex = grader.grade(sub).to_dict()["exercises"]["dot_product"]
    line = 1 + (sub / "dot_product.py").read_text().splitlines().index("    return np.dot(a, b)")
    assert ex["status"] == "forbidden" and ex["score"] == 0
    assert ex["message"] == f"dot uses `numpy.dot` on line {line}, which this exercise forbids"


def test_two_runs_and_job_counts_give_byte_identical_json(grader, tmp_path):
    mutants = suite.all_mutants()[:2]
    class_dir = tmp_path / "class"
    for m in mutants:
        suite.build_submission(class_dir / m.id, ROOT, [m])
    subs = sorted(class_dir.iterdir())
    grade_class(grader, subs, tmp_path / "one", jobs=1)
    grade_class(grader, subs, tmp_path / "two", jobs=2)
    for s in subs:
        one = (tmp_path / "one" / f"{s.name}.json").read_text()
        assert_same_text(one, (tmp_path / "two" / f"{s.name}.json").read_text())
        assert_same_text(one, grader.grade(s).to_json())  # alone, outside a class
        assert_same_text(one, grader.grade(s, jobs=3).to_json())  # its exercises split over 3 processes
        assert json.loads(one)["score"] < json.loads(one)["max_score"]
    gradebook = (tmp_path / "one" / "gradebook.csv").read_text().splitlines()
    assert gradebook[0].startswith("submission,") and "total" in gradebook[0]
    assert len(gradebook) == 1 + len(subs)


def assert_same_text(a: str, b: str) -> None:
    """Equal, or fail showing where (pytest's own diff of two long strings stops too early)."""
    if a != b:
        pytest.fail("differ:\n" + "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), n=3)))


def test_what_the_learner_prints_is_the_same_on_every_regrade(grader, tmp_path):
    """The learner's process runs without address-space randomisation, so even printed addresses
    repeat. Why it matters: BLAS kernels may compute on uninitialised padding, and where stale
    randomised pointers read as inf or a signalling NaN, numpy prints a spurious "invalid value
    encountered in matmul" on about one run in hundreds (seen with OpenBLAS' SkylakeX sgemv on
    linear_backward), which made the same submission's result JSON differ between regrades."""
    sub = suite.build_submission(tmp_path / "prints", ROOT, modules=["dot_product"])
    module = sub / "dot_product.py"
    module.write_text(module.read_text() + textwrap.dedent("""
        _said = []
        _reference_dot = dot

        def dot(u, v):
            if not _said:
                _said.append(True)
                print("object at", hex(id(object())), "buffer at", hex(np.zeros(3).ctypes.data))
            return _reference_dot(u, v)
        """))
    first, second = (grader.grade(sub).to_dict()["exercises"]["dot_product"] for _ in range(2))
    assert first["output"].startswith("object at 0x") and first["score"] == first["max_score"]
    assert_same_text(first["output"], second["output"])


def test_examples_do_not_depend_on_what_the_process_imported():
    """Hypothesis mines constants from loaded local modules; the grader switches that off."""
    import subprocess
    import sys

    script = ("import sys, hashlib\n"
              "if sys.argv[1] == 'more':\n"
              "    import graders.sandbox.process, graders.checks.matmul, graders.checks.rnn, tests.conftest\n"
              "from graders.checks import load_checks\n"
              "from graders.examples import generate\n"
              "from graders import testset\n"
              "h = hashlib.sha256()\n"
              "for check in load_checks('dot_product') + load_checks('rnn'):\n"
              "    for e in generate(check, 1234, 40):\n"
              "        blobs = []\n"
              "        h.update(repr(testset.encode_args(e, blobs)).encode() + b''.join(blobs))\n"
              "print(h.hexdigest())\n")
    digests = {subprocess.run([sys.executable, "-c", script, arg], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout for arg in ("few", "more")}
    assert len(digests) == 1


def test_the_example_cache_keeps_each_count_and_replaces_stale_entries(tmp_path, monkeypatch):
    """Entries for other example counts survive (the tests' small counts must not evict the
    course's); an entry for the same module, seed and count but older code is replaced; a hit
    gives the test sets that were stored."""
    from graders import testset
    from graders.manifest import load_course
    from graders.runner import Grader

    monkeypatch.setenv("NNLA_CACHE_DIR", str(tmp_path))
    course = load_course(ROOT)
    stale = tmp_path / "dot_product-{}-3-{}.nnla".format(course.grading.seed, "0" * 32)
    stale.write_bytes(b"from older grader code")
    cases = Grader(course, examples=3, only=["dot_product"]).cases("dot_product")
    Grader(course, examples=4, only=["dot_product"]).cases("dot_product")
    assert not stale.exists()
    assert sorted(p.name.split("-")[2] for p in tmp_path.glob("dot_product-*.nnla")) == ["3", "4"]
    again = Grader(course, examples=3, only=["dot_product"]).cases("dot_product")
    assert again.keys() == cases.keys()
    for key, stored in again.items():
        assert len(stored.examples) == len(stored.references) == len(stored.choices) > 0
        assert stored.choices == cases[key].choices
        assert (bytes(stored.frame), stored.self_pass, stored.calls) == \
            (bytes(cases[key].frame), cases[key].self_pass, cases[key].calls)
        assert [None if e is None else bytes(e) for e in stored.expected] == \
            [None if e is None else bytes(e) for e in cases[key].expected]
        blobs_a, blobs_b = [], []
        assert ([testset.encode_args(e, blobs_a) for e in stored.examples], blobs_a) == \
            ([testset.encode_args(e, blobs_b) for e in cases[key].examples], blobs_b)


def test_every_composite_strategy_draws(tmp_path):
    """``load_checks`` skips hypothesis' lint of ``@st.composite`` functions (it costs a fifth of
    a second at every start): here every check module is imported with the lint on, and the
    warning it gives for a composite that never calls ``draw`` is an error."""
    import subprocess
    import sys

    from graders.manifest import load_course

    strict = ("import importlib, sys, warnings\n"
              "from hypothesis.errors import HypothesisDeprecationWarning\n"
              "warnings.simplefilter('error', HypothesisDeprecationWarning)\n")
    modules = [e.module for e in load_course(ROOT).exercises]
    every_check = strict + ("for m in sys.argv[1:]:\n"
                            "    importlib.import_module('graders.checks.' + m)\n")
    done = subprocess.run([sys.executable, "-c", every_check, *modules], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    planted = tmp_path / "planted.py"  # (the lint reads the source: it must be in a file)
    planted.write_text(strict + ("from hypothesis import strategies as st\n"
                                 "@st.composite\n"
                                 "def forgets_to_draw(draw):\n"
                                 "    return 1\n"))
    caught = subprocess.run([sys.executable, str(planted)], cwd=ROOT, capture_output=True, text=True)
    assert caught.returncode != 0 and "draw()" in caught.stderr
