"""The hostile suite: learner code that attacks the grader, graded as one class, two at a time.

Each attack in ``tests/hostile`` is a reference submission with one function (or the end of one
module) replaced by the attack. For each: the attacked exercise gets the score the attack
deserves, every other exercise keeps full marks, and grading it takes bounded wall time. Then
the run as a whole: nothing left running, no file in the output folder touched by learner code,
nothing reached over the network, the isolation level recorded.

Attacks marked ``contained_only`` need the sandbox (bubblewrap): without it they are skipped, or
fail when ``NNLA_REQUIRE_CONTAINMENT=1`` (set it in CI, where bubblewrap is installed).
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from graders import suite
from graders.classrun import grade_class
from graders.manifest import load_course
from graders.runner import Grader
from graders.sandbox import containment

from . import hostile
from .conftest import ROOT, checked_modules

ISOLATION = containment.detect()
CONTAINED = ISOLATION.contained
REQUIRE_CONTAINMENT = os.environ.get("NNLA_REQUIRE_CONTAINMENT") == "1"
EXAMPLES = 5                 # examples per check: enough to meet every attack, quick to grade
EXERCISE_BUDGET = 6.0        # seconds of calls per exercise (slow_when_unobserved meets it)
CLASS_SECONDS = 150.0        # the whole hostile class, two at a time
NEIGHBOURS = 3               # exercises graded from the first attacked one on, in course order
ATTACKS = [a for a in hostile.ATTACKS if a.module in checked_modules()]
SECRET = "NNLA_TEST_SECRET"


class TimedGrader(Grader):
    """Records each submission's grading wall time in its notes (for the bounds below)."""

    def grade(self, path, name=None):
        began = time.monotonic()
        result = super().grade(path, name)
        result.notes.append(f"wall_seconds={time.monotonic() - began:.2f}")
        return result


def wall_seconds(result: dict) -> float:
    return float(next(n for n in result["notes"] if n.startswith("wall_seconds="))[13:])


class Listener:
    """A TCP listener on the host's loopback: no sandboxed attack may ever reach it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self._thread.join()
        self.sock.close()


@dataclasses.dataclass
class HostileRun:
    results: dict[str, dict]
    texts: dict[str, str]
    wall: float
    out: Path
    listener_connections: int
    grader: Grader


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    if REQUIRE_CONTAINMENT and not CONTAINED:
        pytest.fail(f"NNLA_REQUIRE_CONTAINMENT=1 but the isolation level is {ISOLATION.level}: "
                    f"{ISOLATION.warning}")
    course = load_course(ROOT)
    graded = [ex.module for ex in course.exercises if ex.module in checked_modules()]
    # The attacked exercise and the ones graded right after it (where a survivor would strike):
    # enough to show the damage stays put, and quick to grade however large the course grows.
    attacked = {a.module for a in ATTACKS}
    first = min(graded.index(m) for m in attacked)
    graded = sorted(attacked | set(graded[first:first + NEIGHBOURS]), key=graded.index)
    grader = TimedGrader(course, examples=EXAMPLES, only=graded)
    grader.limits = dataclasses.replace(grader.limits, exercise_seconds=EXERCISE_BUDGET)
    root = tmp_path_factory.mktemp("hostile")
    class_dir, out = root / "class", root / "out"
    listener = Listener()
    attacks = [a for a in ATTACKS if CONTAINED or not a.contained_only]
    subs = hostile.build_class(class_dir, ROOT, out, listener.port, attacks)
    subs.append(suite.build_submission(class_dir / "honest-reference", ROOT))
    os.environ[SECRET] = "hunter2"  # the grader's workers inherit it; learner code must not see it
    try:
        began = time.monotonic()
        results = grade_class(grader, sorted(subs), out, jobs=2)
        wall = time.monotonic() - began
    finally:
        del os.environ[SECRET]
        listener.close()
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.is_file()}
    return HostileRun({r["submission"]: r for r in results}, texts, wall, out,
                      listener.connections, grader)


def _messages(ex: dict) -> str:
    return "\n".join([ex["message"], ex.get("output", "")] + [c["message"] for c in ex["checks"]])


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_attack_is_contained(attack, hostile_run):
    if attack.contained_only and not CONTAINED:
        pytest.skip(f"needs containment (isolation here: {ISOLATION.level})")
    result = hostile_run.results[attack.id]
    ex = result["exercises"][attack.module]
    explained = f"{attack.name}: {attack.why}\n  got {ex['score']}/{ex['max_score']} {ex['status']}: " \
                f"{_messages(ex)[:1500]}"
    if attack.expect == "zero":
        assert ex["score"] == 0, explained
    elif attack.expect == "full":
        assert ex["score"] == ex["max_score"], explained
    else:
        assert ex["score"] < ex["max_score"], explained
    if attack.says:
        assert any(s in _messages(ex) for s in attack.says), f"expected one of {attack.says}\n{explained}"
    for module, other in result["exercises"].items():
        if module != attack.module:
            assert other["score"] == other["max_score"], (
                f"{attack.name} cost points in {module}: {other['status']} {other['message']}")
    assert wall_seconds(result) < attack.seconds, f"{attack.name} took {wall_seconds(result)} s"
    assert result["isolation"] == ISOLATION.level


def test_the_honest_reference_keeps_full_marks(hostile_run):
    result = hostile_run.results["honest-reference"]
    assert result["score"] == result["max_score"], [
        (m, e["message"]) for m, e in result["exercises"].items() if e["score"] < e["max_score"]]


def test_the_hostile_class_grades_in_bounded_time(hostile_run):
    assert hostile_run.wall < CLASS_SECONDS, f"the hostile class took {hostile_run.wall:.1f} s"


def test_nothing_is_left_running(hostile_run):
    """Every sandbox's processes are gone (daemons, fork storms): a slot uid that nobody holds
    (its lock is free) has no process at all."""
    if ISOLATION.level != "bwrap":
        pytest.skip("slot uids exist only when the grader runs as root with bubblewrap")
    import fcntl

    folder = containment._lock_dir()
    left = []
    for index in range(16):
        with open(folder / f"slot-{index}.lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # in use by a grader running right now (another test run, say)
            uid = containment.UID_BASE + index
            if containment.processes_of_uid(uid):
                left.append(uid)
    assert not left


def test_learner_code_never_touches_the_results(hostile_run):
    if not CONTAINED:
        pytest.skip("without containment learner code runs as the grader's user")
    time.sleep(1.0)  # a surviving daemon would have rewritten something by now
    now = {p.name: p.read_text(encoding="utf-8") for p in hostile_run.out.iterdir() if p.is_file()}
    assert now == hostile_run.texts
    assert "HACKED" not in now and not any("HACKED" in t for t in now.values())
    for name, text in now.items():
        if name.endswith(".json"):
            data = json.loads(text)
            assert data["score"] <= data["max_score"]
    fake = hostile_run.results.get("hostile-fake_result_file")
    if fake is not None:
        assert fake["exercises"]["dot_product"]["score"] == 0
        assert "wrote []" in _messages(fake["exercises"]["dot_product"])


def test_no_connection_reached_the_host(hostile_run):
    if not CONTAINED:
        pytest.skip("without containment learner code shares the grader's network")
    assert hostile_run.listener_connections == 0


def test_stored_messages_are_clean_text(hostile_run):
    for name, text in hostile_run.texts.items():
        assert "\x1b" not in text, name
        text.encode("utf-8")  # no lone surrogates
