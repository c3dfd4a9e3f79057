"""The test sets' fast path: a reply equal byte for byte to the reference's is neither decoded
nor judged again, and grades come out exactly as when every reply is decoded and judged."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

from graders import suite, testset
from graders.checks import Check, args
from graders.compare import Mismatch
from graders.examples import reference_module
from graders.runner import Grader
from graders.sandbox.process import SAME_AS_EXPECTED, LearnerProcess
from graders.submission import stage

from .conftest import ROOT
from .test_grading import assert_same_text

# Exercises whose results mix all kinds of replies: arrays, scalars, tuples, ValueErrors,
# arguments sent back, several calls per example, a catalogue function.
MODULES = ["dot_product", "relu", "matmul", "mse", "gradient_check", "optimizers", "attention"]


def batch_outcomes(grader: Grader, folder: Path, module: str) -> dict[tuple, list]:
    """Each check of ``module`` run in one batch against ``folder``, as the runner sends it."""
    found = {}
    with LearnerProcess(folder, grader.limits, grader.isolation) as proc:
        ex = grader.course.exercise(module)
        assert proc.open(module, list(ex.functions)).ok
        for key, tests in grader.cases(module).items():
            found[key] = (tests, proc.run_batch(tests.flat_calls, tests.frame, tests.expected))
    return found


def test_the_reference_replies_byte_for_byte_where_the_reference_returned_a_value(grader, tmp_path):
    folder = suite.build_submission(tmp_path / "ref", ROOT, modules=["matmul", "optimizers"])
    for module in ("matmul", "optimizers"):
        for key, (tests, outcomes) in batch_outcomes(grader, folder, module).items():
            assert len(outcomes) == len(tests.expected), key
            for expected, outcome in zip(tests.expected, outcomes):
                if expected is None:  # the reference raised: a reply of its own
                    assert outcome is not SAME_AS_EXPECTED and outcome.kind == "raised", key
                else:
                    assert outcome is SAME_AS_EXPECTED, key


def test_a_reply_that_differs_is_decoded(grader, tmp_path):
    """Off by one unit in the last place (a valid other summation order), or a wrong value: the
    reply is decoded and judged, and only the within-tolerance one passes."""
    folder = suite.build_submission(tmp_path / "sub", ROOT, modules=["matmul"])
    source = (folder / "matmul.py").read_text()
    ulp = source.replace("def matmul(", "def _matmul(", 1) + (
        "\n\ndef matmul(A, B):\n"
        "    C = _matmul(A, B)\n"
        "    return np.nextafter(C, np.inf) if C.dtype.kind == 'f' else C\n")
    (folder / "matmul.py").write_text(ulp)
    key = next(k for k in grader.cases("matmul") if k[1] == "matches_reference")
    tests, outcomes = batch_outcomes(grader, folder, "matmul")[key]
    decoded = [o for o in outcomes if o is not SAME_AS_EXPECTED]
    assert decoded and all(o.kind == "value" for o in decoded)
    result = grader.grade(folder).to_dict()["exercises"]["matmul"]
    assert next(c for c in result["checks"] if c["name"] == "matches_reference")["passed"]


def test_self_pass_records_the_verdict_on_the_references_own_replies():
    """A check the reference fails (on purpose, here) must not let identical replies pass."""
    ref = reference_module(ROOT / "solutions", "relu")
    strategy = st.builds(lambda n: args(np.arange(n, dtype=np.float64) - 1.0), st.integers(1, 4))
    always = Check("always", "relu", 1, "says", strategy, lambda example, got, ref: None)
    never = Check("never", "relu", 1, "says", strategy,
                  lambda example, got, ref: Mismatch("fails on purpose", ref[0].value, got[0].value))
    assert all(testset.build(always, 1, 5, ref).self_pass)
    built = testset.build(never, 1, 5, ref)
    assert not any(built.self_pass) and all(e is not None for e in built.expected)


def test_the_fast_path_grades_exactly_as_judging_every_reply(course, tmp_path, monkeypatch):
    """The reference with valid variants and mutants: the batched path (fast, cached) and the
    plain path (one round trip per call, every reply decoded and judged, no cache) give the same
    result JSON."""
    monkeypatch.setenv("NNLA_CACHE_DIR", str(tmp_path / "cache"))
    rng = random.Random(3)
    fast = Grader(course, only=MODULES, examples=15)
    plain = Grader(course, only=MODULES, examples=15)
    plain.batched = False
    valid = [v for v in suite.all_valid() if v.module in MODULES]
    mutants = [m for m in suite.all_mutants() if m.module in MODULES]
    submissions = [suite.build_submission(tmp_path / "reference", ROOT, modules=MODULES)]
    for i in range(3):
        chosen = {}
        for v in rng.sample(valid, 4) + rng.sample(mutants, 2):
            chosen.setdefault(v.module, v)  # one per module: variants may share helper names
        submissions.append(suite.build_submission(tmp_path / f"mixed{i}", ROOT, list(chosen.values()),
                                                  modules=MODULES))
    scores = set()
    for sub in submissions:
        a, b = fast.grade(sub).to_json(), plain.grade(sub).to_json()
        assert_same_text(a, b)
        scores.add(fast.grade(sub).score)
    assert len(scores) > 1, "the submissions should not all score alike"


def test_in_process_learner_runs_the_batch_frame(course, tmp_path):
    """The notebook kernel's learner answers the runner's batch frame call by call."""
    from graders.inprocess import InProcessLearner

    grader = Grader(course, only=["relu"], examples=5)
    folder = suite.build_submission(tmp_path / "ref", ROOT, modules=["relu"])
    staged = stage(folder, ["relu"], tmp_path / "staged")
    learner = InProcessLearner(tmp_path / "staged", grader.limits)
    assert staged.modules and learner.open("relu", ["relu", "relu_grad"]).ok
    for tests in grader.cases("relu").values():
        outcomes = learner.run_batch(tests.flat_calls, tests.frame, tests.expected)
        assert len(outcomes) == len(tests.flat_calls)
        assert all(o is not SAME_AS_EXPECTED for o in outcomes)
    learner.close()


@pytest.mark.parametrize("damage", ["header", "blob"])
def test_receive_compares_whole_frames(grader, tmp_path, damage):
    """Equal headers but different array bytes, or a different header: never 'the same'."""
    from graders.sandbox import wire

    reply, blobs = wire.value_reply(np.array([1.0, 2.0]), [], {}, False, 1 << 20)
    expected = wire.pack(reply, blobs)
    if damage == "blob":
        sent = wire.pack(reply, [np.array([1.0, 3.0]).tobytes()])
    else:
        sent = wire.pack(dict(reply, note="returned a list, not a numpy array"), blobs)
    proc = LearnerProcess(tmp_path, grader.limits, grader.isolation)
    try:
        proc._buffer, proc._pos = bytearray(expected + sent), 0
        assert proc._receive(0.0, expected) is None
        header, got_blobs = proc._receive(0.0, expected)
        assert wire.decode(header["value"], got_blobs).tolist() == ([1.0, 3.0] if damage == "blob" else [1.0, 2.0])
        assert proc._pos == len(proc._buffer)
    finally:
        proc.close()


def test_an_example_passes_only_when_all_its_calls_are_the_same(grader, tmp_path):
    """The identity law calls matmul(A, I) and then matmul(I, A): a learner right on the first
    call (a reply equal to the reference's) and wrong on the second fails the check."""
    folder = suite.build_submission(tmp_path / "sub", ROOT, modules=["matmul"])
    source = (folder / "matmul.py").read_text()
    (folder / "matmul.py").write_text(source.replace("def matmul(", "def _matmul(", 1) + (
        "\n\ndef matmul(A, B):\n"
        "    C = _matmul(A, B)\n"
        "    left_identity = A.ndim == 2 and A.shape[0] == A.shape[1] and A.dtype.kind == 'i' \\\n"
        "        and np.array_equal(A, np.eye(A.shape[0], dtype=A.dtype))\n"
        "    return C + 1 if left_identity and C.size else C\n"))
    key = next(k for k in grader.cases("matmul") if k[1] == "identity_law")
    tests, outcomes = batch_outcomes(grader, folder, "matmul")[key]
    pairs = list(zip(outcomes[0::2], outcomes[1::2]))
    assert any(a is SAME_AS_EXPECTED and b is not SAME_AS_EXPECTED for a, b in pairs)
    result = grader.grade(folder).to_dict()["exercises"]["matmul"]
    assert not next(c for c in result["checks"] if c["name"] == "identity_law")["passed"]


def test_identical_replies_fail_a_check_the_reference_fails(course, tmp_path, monkeypatch):
    """The fast path passes an example only where the reference's own replies pass: with a
    verdict that fails everything (planted), the reference itself must fail the check."""
    monkeypatch.setenv("NNLA_CACHE_DIR", "off")
    grader = Grader(course, only=["relu"], examples=5)
    index, planted = next((i, c) for i, c in enumerate(grader.checks["relu"]) if not c.handles_errors)
    grader.checks["relu"][index] = dataclasses.replace(
        planted, verdict=lambda example, got, ref: Mismatch("fails on purpose", None, None))
    folder = suite.build_submission(tmp_path / "ref", ROOT, modules=["relu"])
    checks = grader.grade(folder).to_dict()["exercises"]["relu"]["checks"]
    assert not any(grader.cases("relu")[(planted.function, planted.name)].self_pass)
    for check in checks:
        assert check["passed"] == (check["name"] != planted.name), check["name"]


def test_a_stored_test_set_decodes_only_the_examples_it_judges(course, tmp_path, monkeypatch):
    """Read back from the cache, an example and its reference outcomes are decoded only when a
    reply to it differs from the reference's: here, the products with exactly one row."""
    monkeypatch.setenv("NNLA_CACHE_DIR", str(tmp_path / "cache"))
    fresh = Grader(course, only=["matmul"], examples=20)
    key = next(k for k in fresh.cases("matmul") if k[1] == "matches_reference")
    one_row = {i for i, e in enumerate(fresh.cases("matmul")[key].examples) if np.shape(e.args[0])[0] == 1}
    assert 0 < len(one_row) < 20
    folder = suite.build_submission(tmp_path / "sub", ROOT, modules=["matmul"])
    source = (folder / "matmul.py").read_text()
    (folder / "matmul.py").write_text(source.replace("def matmul(", "def _matmul(", 1) + (
        "\n\ndef matmul(A, B):\n"
        "    C = _matmul(A, B)\n"
        "    return np.nextafter(C, np.inf) if C.shape[0] == 1 and C.dtype.kind == 'f' else C\n"))
    stored = Grader(course, only=["matmul"], examples=20)  # reads the cache fresh just wrote
    tests = stored.cases("matmul")[key]
    assert stored.grade(folder).exercises["matmul"].score > 0
    assert {i for i in range(len(tests.calls)) if tests._examples[i] is not None} == one_row
    drawn = fresh.cases("matmul")[key]
    for i in range(len(tests.calls)):  # and each decodes to what was drawn and run
        ours, theirs = [], []
        assert (testset.encode_args(tests.example(i), ours),
                [testset.encode_outcome(o, ours) for o in tests.reference(i)], ours) == \
            (testset.encode_args(drawn.examples[i], theirs),
             [testset.encode_outcome(o, theirs) for o in drawn.references[i]], theirs)
