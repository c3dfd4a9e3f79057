"""The learner process: what it sees, what it is allowed, how it is stopped; staging; resuming.

Tests of the containment itself (``what_learner_code_sees``) run at whatever level this machine
allows and check what that level promises; the fallback without containment (level ``process``)
is forced with ``NNLA_ISOLATION=process`` and must grade correctly too.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from graders import suite
from graders.checks import Args, Call
from graders.classrun import grade_class
from graders.manifest import load_course
from graders.runner import Grader
from graders.sandbox import containment, wire
from graders.sandbox.process import OUTPUT_CAP, LearnerProcess, Limits, clean_text
from graders.submission import MAX_FILE_BYTES, stage

from .conftest import ROOT

LEVEL = containment.detect()
CONTAINED = LEVEL.contained
needs_containment = pytest.mark.skipif(not CONTAINED, reason=f"isolation here: {LEVEL.level}")


def process_level() -> containment.Isolation:
    return containment.Isolation("process", False)


def module_dir(tmp_path: Path, name: str, source: str) -> Path:
    folder = tmp_path / "sub"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    os.chmod(folder, 0o755)
    return folder


def call(proc: LearnerProcess, function: str, *args):
    return proc.call(Call(function, Args(tuple(args))))


# --- detection ---------------------------------------------------------------------------------

def test_containment_is_used_where_available():
    if os.environ.get("NNLA_REQUIRE_CONTAINMENT") == "1":
        assert CONTAINED, LEVEL.warning
    if CONTAINED:
        assert LEVEL.pid_namespace and not LEVEL.warning
    else:
        assert LEVEL.level == "process" and LEVEL.warning


def test_without_bubblewrap_grading_falls_back_with_a_one_line_warning(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on it
    level = containment._detect("auto")
    assert level.level == "process" and not level.pid_namespace
    assert "bubblewrap (bwrap) is not installed" in level.warning
    assert "\n" not in level.warning
    with pytest.raises(containment.ContainmentError):
        containment._detect("bwrap")  # asked for explicitly: an error, not a silent downgrade


def test_forced_process_level_grades_correctly_and_is_recorded(monkeypatch, tmp_path, capsys):
    from graders.cli import main

    monkeypatch.setenv("NNLA_ISOLATION", "process")
    monkeypatch.setattr(containment, "_DETECTED", {})
    sub = suite.build_submission(tmp_path / "alice", ROOT)
    assert main(["grade", str(sub), "--only", "dot_product", "--json", str(tmp_path / "r.json")]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "NOT contained" in warnings[0]
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["isolation"] == "process" and result["score"] == result["max_score"]


def test_concurrent_sandboxes_get_distinct_uids():
    a = containment.Slot.acquire()
    b = containment.Slot.acquire()
    try:
        assert a.uid != b.uid and a.uid >= containment.UID_BASE and b.uid >= containment.UID_BASE
    finally:
        a.release()
        b.release()


# --- what learner code sees ----------------------------------------------------------------------

PROBE = r'''
import errno, json, os, resource, socket, sys

def _try(f):
    try:
        return f()
    except BaseException as e:
        return "EXC " + type(e).__name__

def facts(port, course, hidden):
    def connect():
        s = socket.socket()
        s.settimeout(1)
        try:
            s.connect(("127.0.0.1", port))
            return "connected"
        finally:
            s.close()
    info = dict(
        uid=os.getuid(), pid=os.getpid(), cwd=os.getcwd(), env=sorted(os.environ),
        hash=hash("nnla"), path=sys.path, file=__file__,
        pids=sorted(int(p) for p in os.listdir("/proc") if p.isdigit()) if os.path.isdir("/proc") else [],
        connect=_try(connect),
        course=_try(lambda: os.listdir(course)),
        solutions=_try(lambda: open(os.path.join(course, "solutions", "dot_product.py")).read()[:10]),
        hidden=[_try(lambda: os.listdir(h)) for h in hidden],
        graders=_try(lambda: __import__("graders")),
        write_cwd=_try(lambda: open("x.txt", "w").write("x")),
        write_own=_try(lambda: open(os.path.join(os.path.dirname(__file__), "x.py"), "w")),
        shadow=_try(lambda: open("/etc/shadow").read()[:1]),
        limits={n: resource.getrlimit(getattr(resource, "RLIMIT_" + n))[0]
                for n in ("AS", "NPROC", "NOFILE", "FSIZE", "CPU", "CORE")},
    )
    print(json.dumps(info, default=str))
    return 0
'''


def learner_facts(tmp_path, isolation, hidden=()) -> dict:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    sub = module_dir(tmp_path, "probe", PROBE)
    try:
        with LearnerProcess(sub, Limits(), isolation.with_hidden(*hidden)) as proc:
            assert proc.open("probe", ["facts"]).ok
            out = call(proc, "facts", port, str(ROOT), [str(h) for h in hidden])
            assert out.kind == "value", out
            return json.loads(out.output)
    finally:
        listener.close()


def test_the_learner_environment_is_scrubbed_at_every_level(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLA_TEST_SECRET", "hunter2")
    expected_hash = subprocess.run(
        [sys.executable, "-c", "print(hash('nnla'))"], env={"PYTHONHASHSEED": "0"},
        capture_output=True, text=True).stdout.strip()
    for isolation in {LEVEL, process_level()}:
        facts = learner_facts(tmp_path, isolation)
        assert facts["env"] == sorted(containment.environment("/").keys()), isolation.level
        assert str(facts["hash"]) == expected_hash  # PYTHONHASHSEED=0 really applies
        assert facts["path"][0] == os.path.dirname(facts["file"])  # the learner's folder first
        assert not any(p.startswith(str(ROOT)) for p in facts["path"])
        assert facts["graders"].startswith("EXC")  # the grader package cannot be imported
        limits = facts["limits"]
        assert limits["NOFILE"] == Limits().open_files and limits["FSIZE"] == Limits().file_bytes
        assert limits["CORE"] == 0 and 0 < limits["CPU"] < 10


@needs_containment
def test_the_sandbox_hides_the_course_network_and_other_processes(tmp_path):
    secret_dir = tmp_path / "class-of-2026"
    secret_dir.mkdir()
    (secret_dir / "bob.py").write_text("secret")
    facts = learner_facts(tmp_path, LEVEL, hidden=[secret_dir])
    assert facts["course"].startswith("EXC") and facts["solutions"].startswith("EXC")
    assert all(h.startswith("EXC") or h == [] for h in facts["hidden"])
    assert facts["connect"].startswith("EXC")           # own network namespace
    assert max(facts["pids"]) < 100                      # own PID namespace: a handful of pids
    assert facts["write_cwd"] == 1                       # a private writable working folder
    assert facts["write_own"].startswith("EXC")          # its own code is read-only
    assert facts["shadow"].startswith("EXC")
    assert facts["cwd"] == containment.SANDBOX_WORK
    if LEVEL.level == "bwrap":
        assert facts["uid"] >= containment.UID_BASE      # an unprivileged uid of its own
        assert facts["limits"]["NPROC"] == Limits().processes


# --- stopping it ---------------------------------------------------------------------------------

DAEMONS = r'''
import os, signal, subprocess, time

def spawn():
    pids = []
    if os.fork() == 0:                      # double fork + new session, ignores SIGTERM/SIGHUP
        os.setsid()
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            time.sleep(600)
        os._exit(0)
    pids.append(subprocess.Popen(["sleep", "600"], start_new_session=True).pid)
    time.sleep(0.3)
    return len(pids)

def hang():
    while True:
        pass
'''


def _host_children(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (by /proc parent links)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if fields[0] != "Z":
                    parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found += kids
        frontier += kids
    return found


@pytest.mark.parametrize("isolation", [LEVEL, process_level()], ids=lambda i: i.level)
def test_daemons_and_hung_calls_leave_nothing_behind(tmp_path, isolation):
    if isolation.level == "process" and sys.platform != "linux":
        pytest.skip("needs /proc to look")
    sub = module_dir(tmp_path, "daemons", DAEMONS)
    limits = Limits(time_limit=1.0)
    with LearnerProcess(sub, limits, isolation) as proc:
        assert proc.open("daemons", ["spawn", "hang"]).ok
        assert call(proc, "spawn").kind == "value"
        zygote = proc.proc.pid
        assert len(_host_children(zygote)) >= 3       # the session and its escapees
        proc.end_session()                            # session over: everything it left is killed
        assert len(_host_children(zygote)) <= 2       # at most bwrap's pid 1 and the zygote
        assert proc.open("daemons", ["spawn", "hang"]).ok
        call(proc, "spawn")
        out = call(proc, "hang")                      # the time limit kills the whole tree
        assert out.kind == "limit" and out.message == "hang() timed out after 1 s"
        assert proc.proc is None and not _host_children(zygote)
        if proc.slot is not None:
            assert not containment.processes_of_uid(proc.slot.uid)


KILLS_ITS_ZYGOTE = """
import os, signal

def kill_parent():
    os.kill(os.getppid(), signal.SIGKILL)   # the zygote: same uid, so this is allowed
    return 1

def fine():
    return 2
"""


@pytest.mark.parametrize("isolation", [LEVEL, process_level()], ids=lambda i: i.level)
def test_a_session_that_kills_its_zygote_is_known_to_have_done_so(tmp_path, isolation):
    """However many answers got out before the sandbox fell apart (scheduling decides), the
    process reports that the session killed its zygote, so the runner can score it alike."""
    sub = module_dir(tmp_path, "zygote", KILLS_ITS_ZYGOTE)
    for _ in range(3):
        with LearnerProcess(sub, Limits(time_limit=2.0), isolation) as proc:
            assert proc.open("zygote", ["kill_parent", "fine"]).ok
            call(proc, "kill_parent")
            for _ in range(20):
                if call(proc, "fine").kind != "value":
                    break
            proc.end_session()
            assert proc.lost_supervisor("zygote")
            assert not proc.lost_supervisor("zygote")           # asked once
            assert proc.open("zygote", ["kill_parent", "fine"]).ok  # a fresh sandbox
            assert call(proc, "fine").kind == "value"
            proc.end_session()
            assert not proc.lost_supervisor("zygote")


FAILS_ON_SEVEN = """
import os, signal

def hang(x):
    print("called with", x)
    while x == 7:
        pass
    return x

def crash(x):
    print("called with", x)
    if x == 7:
        os.kill(os.getpid(), signal.SIGSEGV)
    return x

def scribble(x):
    print("called with", x)
    if x == 7:
        import json, sys
        os.write(json.loads(sys.argv[1])["fds"][1], b"\\xff" * 64)  # the reply pipe: not a frame
    return x
"""


@pytest.mark.parametrize("isolation", [LEVEL, process_level()], ids=lambda i: i.level)
@pytest.mark.parametrize("function", ["hang", "crash", "scribble"])
def test_a_batch_that_hangs_or_crashes_midway_blames_the_right_call(tmp_path, isolation, function):
    """A batch's replies travel in groups, so quick replies can die with a session that hangs
    or crashes right after them, and garbage written to the reply pipe lands among them where
    timing puts it: the call at fault must still be the one reported, every time, with every
    call before it answered, and what the batch printed shown once."""
    from graders.sandbox.process import batch_frame

    sub = module_dir(tmp_path, "seven", FAILS_ON_SEVEN)
    calls = [Call(function, Args((x,))) for x in [*range(7), 7, 8, 9]]
    with LearnerProcess(sub, Limits(time_limit=1.0), isolation) as proc:
        for _ in range(3):
            assert proc.open("seven", ["hang", "crash", "scribble"]).ok
            outcomes = proc.run_batch(calls, batch_frame(calls, window=10.0))  # one write at the end
            assert [o.value for o in outcomes[:7]] == list(range(7))
            assert len(outcomes) == 8 and outcomes[7].kind == "limit"
            assert outcomes[7].error == ("timeout" if function == "hang" else "crash")
            if function == "scribble":
                assert "too large" in outcomes[7].message
            assert proc.module is None                    # killed: the next open starts afresh
            printed, expected = proc.take_output(), "".join(f"called with {x}\n" for x in range(8))
            # garbage does not stop the session: it may run on before the grader has read it
            assert printed.startswith(expected) if function == "scribble" else printed == expected


@needs_containment
def test_the_sandbox_dies_with_the_grader(tmp_path):
    """A grader killed with SIGKILL takes its sandboxes (and their daemons) with it."""
    sub = module_dir(tmp_path, "daemons", DAEMONS)
    script = f'''
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from graders.checks import Args, Call
from graders.sandbox import containment
from graders.sandbox.process import LearnerProcess, Limits
proc = LearnerProcess(Path({str(sub)!r}), Limits(), containment.detect())
assert proc.open("daemons", ["spawn"]).ok
proc.call(Call("spawn", Args(())))
print(proc.proc.pid, proc.slot.uid if proc.slot else -1, flush=True)
time.sleep(600)
'''
    grader = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        bwrap_pid, uid = map(int, grader.stdout.readline().split())
        assert _host_children(bwrap_pid)
    finally:
        grader.kill()
        grader.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _host_children(bwrap_pid):
        time.sleep(0.05)
    assert not _host_children(bwrap_pid)
    if uid >= 0:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and containment.processes_of_uid(uid):
            time.sleep(0.05)
        assert not containment.processes_of_uid(uid)


# --- output, replies, limits ---------------------------------------------------------------------

NOISY = r'''
def flood():
    try:
        while True:
            print("x" * 100000)
    except OSError:
        pass
    return 1

def quiet():
    print("hello")
    return 2

def evil_message():
    raise RuntimeError("\x1b[2Jfake\udcff")
'''


def test_output_is_captured_capped_and_each_session_starts_clean(tmp_path):
    sub = module_dir(tmp_path, "noisy", NOISY)
    with LearnerProcess(sub, Limits(), LEVEL) as proc:
        assert proc.open("noisy", ["flood", "quiet"]).ok
        out = call(proc, "flood")
        assert out.kind == "value" and out.value == 1
        assert len(out.output) <= OUTPUT_CAP + 100 and "output cut at 64 KiB" in out.output
        proc.end_session()
        assert proc.open("noisy", ["flood", "quiet"]).ok
        out = call(proc, "quiet")     # the flood of the last session left no full file behind
        assert out.value == 2 and out.output == "hello\n"
        out = call(proc, "evil_message")
        assert out.kind == "raised" and "\x1b" not in out.message and "fake" in out.message
        out.message.encode("utf-8")


def test_clean_text_and_wire_refuse_what_cannot_be_stored():
    assert clean_text("a\x1b[31mb\r\nc\udcff") == "a\ufffd[31mb\nc?"
    with pytest.raises(wire.WireError):
        wire.unpack_header(b"[" * 100000)
    assert wire.decode({"p": "\udcff"}, []) == "?"


def test_a_memory_hog_fails_its_call_only(tmp_path):
    sub = module_dir(tmp_path, "hog", "import numpy as np\n"
                                      "def hog():\n    return np.ones(1 << 28).sum()\n"
                                      "def fine():\n    return float(np.ones(10**6).sum())\n")
    with LearnerProcess(sub, Limits(memory_mb=256), LEVEL) as proc:
        assert proc.open("hog", ["hog", "fine"]).ok
        out = call(proc, "hog")
        assert out.kind == "limit" and out.message == "exceeded 256 MB memory"
        assert call(proc, "fine").value == 1e6


def test_the_exercise_time_budget_stops_slow_code(tmp_path):
    sub = module_dir(tmp_path, "slow", "import time\ndef slow():\n    time.sleep(0.4)\n    return 1\n")
    limits = Limits(time_limit=1.0, exercise_seconds=1.0)
    with LearnerProcess(sub, limits, LEVEL) as proc:
        assert proc.open("slow", ["slow"]).ok
        began = time.monotonic()
        outcomes = [call(proc, "slow") for _ in range(3)]
        assert [o.kind for o in outcomes] == ["value", "value", "limit"]
        assert "time budget" in outcomes[-1].message
        assert time.monotonic() - began < 1.5
        reopened = proc.open("slow", ["slow"])      # a re-import is refused too, at once
        assert not reopened.ok and "time budget" in reopened.error.message


# --- staging -------------------------------------------------------------------------------------

def _zip(path: Path, entries: dict[str, bytes], links: dict[str, str] = {}) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
        for name, target in links.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16)
            z.writestr(info, target)
    return path


def test_zip_entries_outside_the_folder_links_and_bombs_are_refused(tmp_path):
    bomb = b"0" * (MAX_FILE_BYTES * 40)   # 40 MiB of zeros: about 40 KiB compressed
    z = _zip(tmp_path / "carol.zip", {
        "../evil.py": b"x = 1\n", "/etc/cron.d/evil.py": b"x = 1\n", "..\\..\\win.py": b"x = 1\n",
        "carol/matmul.py": bomb, "carol/transpose.py": b"def transpose(A):\n    return A.T\n",
    }, links={"carol/dot_product.py": "/etc/passwd"})
    began = time.monotonic()
    staged = stage(z, ["dot_product", "matmul", "transpose", "evil"], tmp_path / "staged")
    assert time.monotonic() - began < 2.0
    assert staged.name == "carol"
    assert sorted(p.name for p in (tmp_path / "staged").iterdir()) == ["transpose.py"]
    assert "link" in staged.problems["dot_product"]
    assert "larger than 1 MiB" in staged.problems["matmul"]
    assert any("outside the folder" in n and "3 zip entries" in n for n in staged.notes)
    assert not (tmp_path / "evil.py").exists()


def test_folders_with_links_odd_names_and_huge_files_stage_safely(tmp_path):
    sub = tmp_path / "dave"
    sub.mkdir()
    (sub / "dot_product.py").symlink_to("/etc/passwd")
    (sub / "outside").symlink_to("/", target_is_directory=True)
    (sub / "big.bin").touch()
    os.truncate(sub / "big.bin", 100 << 20)        # a 100 MB file (sparse: cheap to make)
    (sub / "matmul.py").touch()
    os.truncate(sub / "matmul.py", 100 << 20)
    odd = os.fsencode(sub) + b"/\xff\xfe"
    os.mkdir(odd)
    with open(odd + b"/transpose.py", "wb") as f:
        f.write(b"def transpose(A):\n    return A.T\n")
    with open(os.fsencode(sub) + b"/\xe9t\xe9.py", "wb") as f:
        f.write(b"x = 1\n")
    (sub / "relu.py").write_bytes(b"def relu(x):\n    return '\xff'\n")  # not UTF-8
    began = time.monotonic()
    staged = stage(sub, ["dot_product", "matmul", "transpose", "relu"], tmp_path / "staged")
    assert time.monotonic() - began < 2.0
    assert "link" in staged.problems["dot_product"]
    assert "larger than 1 MiB" in staged.problems["matmul"]
    assert "transpose" in staged.modules and "relu" in staged.modules
    json.dumps(dataclasses.asdict(staged), default=str, ensure_ascii=False).encode("utf-8")


def test_bad_submissions_get_clear_outcomes_and_never_touch_others(tmp_path):
    """One class: broken folders and zips next to a good one; each gets its own clear result."""
    course = load_course(ROOT)
    grader = Grader(course, examples=3, only=["dot_product"])
    klass = tmp_path / "class"
    good = suite.build_submission(klass / "good", ROOT)
    (klass / "empty").mkdir()
    cases = {
        "syntax": "def dot(a, b)\n    return 0\n",
        "import_fails": "import no_such_module_anywhere\n",
        "raises_at_import": "raise ValueError('boom')\n",
        "wrong_type": "def dot(a, b):\n    return 'thirty-two'\n",
        "wrong_shape": "import numpy as np\ndef dot(a, b):\n    return np.zeros(3)\n",
        "nan": "def dot(a, b):\n    return float('nan')\n",
        "gigabyte": "import numpy as np\ndef dot(a, b):\n    return np.ones(1 << 27)\n",
        "bad_array": "class X:\n    def __array__(self, *a, **k):\n        raise TypeError('no')\n"
                     "    def __float__(self):\n        raise TypeError('no')\n"
                     "def dot(a, b):\n    return X()\n",
        "not_utf8": b"def dot(a, b):\n    return '\xff'\n",
    }
    for name, source in cases.items():
        folder = klass / name
        folder.mkdir(parents=True)
        data = source if isinstance(source, bytes) else source.encode()
        (folder / "dot_product.py").write_bytes(data)
    (klass / "broken.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    _zip(klass / "zipped.zip", {"zipped/dot_product.py": (good / "dot_product.py").read_bytes()})
    from graders.classrun import class_submissions
    results = {r["submission"]: r for r in grade_class(grader, class_submissions(klass), tmp_path / "out",
                                                        jobs=2)}
    ex = {name: r["exercises"]["dot_product"] for name, r in results.items()}
    assert ex["good"]["score"] == 10 and ex["zipped"]["score"] == 10
    assert ex["empty"]["status"] == "missing"
    assert "syntax error on line 1" in ex["syntax"]["message"]
    assert "ModuleNotFoundError" in ex["import_fails"]["message"]
    assert "raised ValueError: boom" in ex["raises_at_import"]["message"]
    assert "not UTF-8" in ex["not_utf8"]["message"]
    assert "not a readable zip" in ex["broken"]["message"]
    for name in ("wrong_type", "wrong_shape", "nan", "gigabyte", "bad_array"):
        assert ex[name]["score"] < ex[name]["max_score"], name  # (leaving inputs alone still counts)
    assert all(r["score"] == 0 for n, r in results.items() if n not in ("good", "zipped", "wrong_shape", "nan"))
    messages = {n: "\n".join(c["message"] for c in e["checks"]) for n, e in ex.items()}
    # Allocating exactly 1 GiB sits at the limit: refused (memory), or filled too slowly (time),
    # or too large to send back: each one a clear message.
    assert any(s in messages["gigabyte"] for s in ("exceeded 1 GiB memory", "timed out",
                                                  "returned more than 64 MB"))
    assert "NaN" in messages["nan"]
    assert "could not be read" in messages["bad_array"]


# --- batch safety: resume ------------------------------------------------------------------------

def _small_class(tmp_path: Path, n: int = 4) -> Path:
    klass = tmp_path / "class"
    for i in range(n):
        suite.build_submission(klass / f"s{i}", ROOT)
    return klass


def test_resume_skips_what_is_done_and_regrades_the_rest(tmp_path):
    course = load_course(ROOT)
    grader = Grader(course, examples=3, only=["dot_product"])
    klass, out = _small_class(tmp_path, 3), tmp_path / "out"
    subs = sorted(klass.iterdir())
    first = grade_class(grader, subs, out, jobs=1)
    (out / "s1.json").unlink()                                  # as if killed before writing it
    marked = json.loads((out / "s0.json").read_text())
    marked["notes"] = ["kept from the first run"]
    (out / "s0.json").write_text(json.dumps(marked))
    (out / ".s2.json.abc.tmp").write_text("half")               # a write the kill interrupted
    seen = []
    again = grade_class(grader, subs, out, jobs=1, resume=True, on_done=lambda n, r: seen.append(n))
    assert sorted(seen) == ["s0", "s1", "s2"]
    assert again[0]["notes"] == ["kept from the first run"]    # not graded again
    assert again[1] == first[1]                                  # graded again, identically
    assert not list(out.glob(".*.tmp"))
    other_seed = Grader(course, examples=3, only=["dot_product"], seed=1)
    third = grade_class(other_seed, subs, out, jobs=1, resume=True)
    assert third[0]["notes"] == [] and all(r["seed"] == 1 for r in third)


def test_resume_grades_a_damaged_result_again(tmp_path):
    grader = Grader(load_course(ROOT), examples=3, only=["dot_product"])
    klass, out = _small_class(tmp_path, 4), tmp_path / "out"
    subs = sorted(klass.iterdir())
    first = grade_class(grader, subs, out, jobs=1)

    def damage(name, change):
        data = json.loads((out / f"{name}.json").read_text())
        change(data)
        (out / f"{name}.json").write_text(json.dumps(data))

    damage("s0", lambda d: d.update(score="abc"))
    damage("s1", lambda d: d["exercises"]["dot_product"].pop("checks"))
    damage("s2", lambda d: d.update(submission="s3"))            # another learner's file
    damage("s3", lambda d: d.update(notes=["kept: a valid file"]))
    seen = []
    again = grade_class(grader, subs, out, jobs=1, resume=True,
                        on_done=lambda n, r: seen.append((n, r["notes"])))
    assert again[:3] == first[:3]                                 # graded again, identically
    assert again[3]["notes"] == ["kept: a valid file"]
    assert sorted(seen) == [("s0", []), ("s1", []), ("s2", []), ("s3", ["kept: a valid file"])]


def test_a_class_run_killed_at_any_moment_resumes_without_loss_or_duplicates(tmp_path):
    klass, out = _small_class(tmp_path, 6), tmp_path / "out"
    cmd = [sys.executable, "-m", "graders", "grade", "--class", str(klass), "--out", str(out),
           "--jobs", "2", "--only", "dot_product", "--progress", "none"]
    run = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.glob("s*.json")):
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)                          # the whole run, mid-flight
    run.wait()
    done_before = {p.name: p.read_text() for p in out.glob("s*.json")}
    assert 1 <= len(done_before) < 6
    subprocess.run(cmd + ["--resume"], cwd=ROOT, check=True, capture_output=True)
    after = {p.name: p.read_text() for p in out.glob("s*.json")}
    assert sorted(after) == [f"s{i}.json" for i in range(6)]
    assert all(after[name] == text for name, text in done_before.items())   # kept, not regraded
    rows = (out / "gradebook.csv").read_text().splitlines()
    assert sorted(r.split(",")[0] for r in rows[1:]) == [f"s{i}" for i in range(6)]
    assert len({json.loads(t)["score"] for t in after.values()}) == 1
