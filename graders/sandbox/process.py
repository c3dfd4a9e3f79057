"""The grader's side of a learner process: start it, open a module, call functions, kill it.

Everything the learner process sends is parsed as data (JSON headers and ``.npy`` blobs, loaded
with ``allow_pickle=False``) and validated; nothing is unpickled or evaluated. Each call has a
wall-clock deadline; a call that misses it, or a process that dies, costs that call only: the
process is restarted for the next one.
"""

from __future__ import annotations

import json
import mmap
import os
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import Args, Call, Outcome
from . import containment, wire

HERE = Path(__file__).parent
OUTPUT_CAP = 64 * 1024          # bytes of printed output kept per call
OUTPUT_RESET = 1 << 20          # the output file is emptied once it holds this much
REPLY_CAP = 64 << 20            # bytes of array data a reply may carry
STARTUP_TIMEOUT = 30.0          # seconds for a fresh interpreter to import numpy
TEARDOWN_TIMEOUT = 5.0          # seconds for a killed sandbox's processes to be gone
RUNTIME_FILES = ("worker.py", "wire.py", "catalogue.py")  # what the learner process runs
REPLY_WINDOW = 0.005            # seconds a batch's replies may wait to be written together


@dataclass(frozen=True)
class Limits:
    time_limit: float = 2.0          # wall-clock seconds per call
    memory_mb: int = 1024            # address space on top of the interpreter's own
    open_files: int = 64
    file_bytes: int = 8 << 20        # largest file learner code may write (printed output included)
    processes: int = 64              # processes and threads of the sandbox's uid
    exercise_seconds: float | None = None  # all calls of one exercise together (None: default)

    @property
    def exercise_budget(self) -> float:
        """Wall-clock seconds one exercise's calls and imports may take in total."""
        if self.exercise_seconds is not None:
            return float(self.exercise_seconds)
        return max(30.0, 15 * self.time_limit)

    def describe_memory(self) -> str:
        mb = self.memory_mb
        return f"{mb // 1024} GiB" if mb % 1024 == 0 else f"{mb} MB"


_CONTROL = {c: "\ufffd" for c in [*range(0, 9), *range(11, 32), *range(127, 160)]}


def clean_text(value, limit: int = 2000) -> str:
    """Learner-supplied text made safe to store and print: valid UTF-8, no control characters
    (terminal escapes) but newlines and tabs, at most ``limit`` characters."""
    text = value if isinstance(value, str) else str(value)
    text = text[:limit].replace("\r\n", "\n")
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> '?'
    return text.translate(_CONTROL)


@dataclass
class OpenResult:
    ok: bool
    missing: list[str] = field(default_factory=list)
    error: Outcome | None = None     # import failure (kind "raised") or a limit


class _Dead(Exception):
    """The learner process is gone or sent something that is not a frame."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome


class _Garbage(_Dead):
    """It sent something that is not a frame (and was killed for it)."""


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


# A reply that was byte for byte the one expected of it (see graders/testset.py): the runner
# stands the expected outcome in for it. Never judged as it is.
SAME_AS_EXPECTED = Outcome("value")


def value_outcome(reply: dict, blobs: list, return_args: bool) -> Outcome:
    """The outcome a ``value`` reply stands for. Raises :class:`wire.WireError` (or
    RecursionError) for data that does not decode."""
    value = wire.decode(reply.get("value"), blobs)
    after = None
    if return_args and "args_after" in reply:
        raw = wire.decode(reply["args_after"], blobs)
        if isinstance(raw, dict) and isinstance(raw.get("args"), list):
            kwargs = raw.get("kwargs")
            after = Args(tuple(raw["args"]), kwargs if isinstance(kwargs, dict) else {})
    note = reply.get("note", "")
    return Outcome("value", value=value, args_after=after,
                   note=clean_text(note, 200) if isinstance(note, str) else "")


def batch_frame(calls: list[Call], window: float = REPLY_WINDOW) -> bytes:
    """One frame that asks the session to run ``calls`` in order (encode once, send to many);
    their replies are written together once ``window`` seconds have passed since the last write."""
    blobs: list[bytes] = []
    items = [{"function": c.function, "args": wire.encode(list(c.args.args), blobs),
              "kwargs": wire.encode(dict(c.args.kwargs), blobs), "return_args": c.return_args}
             for c in calls]
    return wire.pack({"op": "batch", "calls": items, "window": window}, blobs)


def one_by_one(frame: bytes, count: int) -> bytes:
    """The first ``count`` calls of a batch frame, each reply written as soon as it is made."""
    header, blobs = wire.unpack(frame)
    return wire.pack(dict(header, calls=header["calls"][:count], window=0), list(blobs))


def _shared_page() -> int:
    """A file descriptor of zero bytes for the progress page (see wire.PROGRESS_PAGE), in no
    directory."""
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("nnla-progress", os.MFD_CLOEXEC)
    else:
        with tempfile.TemporaryFile() as f:
            fd = os.dup(f.fileno())
    os.ftruncate(fd, wire.PROGRESS_PAGE.size)
    return fd


class LearnerProcess:
    """One worker (a zygote that forks a session per module) for one staged submission."""

    def __init__(self, submission_dir: Path, limits: Limits, isolation: containment.Isolation):
        self.limits = limits
        self.isolation = isolation
        self.root = Path(tempfile.mkdtemp(prefix="nnla-"))   # private (0700): never in the sandbox
        self.runtime = self.root / "runtime"
        self.work = self.root / "work"                     # the cwd at level "process"
        self.submission = Path(submission_dir)
        self.runtime.mkdir()
        self.work.mkdir()
        os.chmod(self.runtime, 0o755)
        for name in RUNTIME_FILES:
            if not (HERE / name).exists():
                continue
            shutil.copyfile(HERE / name, self.runtime / name)
            os.chmod(self.runtime / name, 0o644)
        self.slot: containment.Slot | None = None
        self.proc: subprocess.Popen | None = None
        self.module: str | None = None
        self._functions: list[str] = []        # the open session's functions (to open it again)
        self._last_module: str | None = None   # whose output the output file holds
        self._session_module: str | None = None  # the module of the session being opened or run
        self._orphaned: set[str] = set()       # modules whose session outlived the zygote
        self._status_ended = False             # the status pipe reached its end: the zygote is gone
        self._ns_pidfd = -1
        self._out_w = self._out_r = -1
        self._output_offset = 0
        self._spent: dict[str, float] = {}   # module -> seconds its imports and calls took
        self._hello_pending = False          # started by begin(), not yet known to be up
        self._progress: mmap.mmap | None = None  # shared with the learner process: never trusted
        self._carried_output = ""            # printed by a batch before it ran again

    # --- lifecycle ------------------------------------------------------------------------------
    def _spawn(self) -> None:
        if self.isolation.level == "bwrap" and self.slot is None:
            try:
                self.slot = containment.Slot.acquire()
            except (OSError, containment.ContainmentError) as err:
                raise _Dead(Outcome("limit", error="crash",
                                    message=f"could not be started ({clean_text(err, 300)})")) from None
        self._close_output()
        out = self.root / "output.txt"
        self._out_w = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | os.O_CLOEXEC, 0o600)
        self._out_r = os.open(out, os.O_RDONLY | os.O_CLOEXEC)
        self._output_offset = 0
        cmd_r, cmd_w = os.pipe()
        reply_r, reply_w = os.pipe()
        status_r, status_w = os.pipe()
        progress_fd = _shared_page()
        if self._progress is not None:
            self._progress.close()
        self._progress = mmap.mmap(progress_fd, wire.PROGRESS_PAGE.size)
        config = {"fds": [cmd_r, reply_w, status_w, progress_fd],
                  "pid_namespace": self.isolation.pid_namespace, "paths": containment.library_paths()}
        if not self.isolation.contained:
            config["parent"] = os.getpid()   # the zygote cleans up (SIGTERM) if we die
        stderr = open(self.root / "worker-stderr.txt", "wb")
        try:
            launch = containment.plan(self.isolation, self.runtime, self.submission, self.work, config,
                                      slot=self.slot)
            started = containment.spawn(launch, pass_fds=(cmd_r, reply_w, status_w, progress_fd),
                                        stdout=self._out_w, stderr=stderr)
        except (OSError, containment.ContainmentError) as err:
            for fd in (cmd_w, reply_r, status_r):
                os.close(fd)
            stderr.close()
            why = self._stderr_tail() or str(err)
            raise _Dead(Outcome("limit", error="crash",
                                message=f"could not be started ({clean_text(why, 300)})")) from None
        finally:
            stderr.close()
            for fd in (cmd_r, reply_w, status_w, progress_fd):
                os.close(fd)
        self.proc, self._ns_pidfd = started.proc, started.ns_pidfd
        self.cmd, self.reply, self.status = cmd_w, reply_r, status_r
        for fd in (self.cmd, self.reply, self.status):
            os.set_blocking(fd, False)
        self._buffer = bytearray()   # reply bytes read, not yet parsed from self._pos on
        self._pos = 0
        self._status_buffer = bytearray()
        self._status_ended = False
        self._hello_pending = True

    def begin(self) -> None:
        """Start the worker now without waiting for it (it loads numpy meanwhile); the first
        :meth:`open` waits. Failing to start is reported by that ``open``."""
        if self.proc is None:
            try:
                self._spawn()
            except _Dead:
                pass  # open() tries again and reports why

    def _start(self) -> None:
        if self.proc is None:
            self._spawn()
        self._await_hello()

    def _await_hello(self) -> None:
        if not self._hello_pending:
            return
        self._hello_pending = False
        hello = self._read_status(wait=STARTUP_TIMEOUT)  # the interpreter and numpy are loaded
        if not hello or hello.get("started") is not True:
            self.kill()
            why = self._stderr_tail()
            raise _Dead(Outcome("limit", error="crash", message="could not be started" +
                                (f" ({clean_text(why, 300)})" if why else "")))

    def _stderr_tail(self) -> str:
        """The last line the worker (or bwrap) wrote to its stderr: why it did not start."""
        try:
            with open(self.root / "worker-stderr.txt", "rb") as f:
                f.seek(max(0, os.fstat(f.fileno()).st_size - 2000))
                lines = [l for l in f.read().decode("utf-8", "replace").splitlines() if l.strip()]
        except OSError:
            return ""
        return lines[-1] if lines else ""

    def kill(self) -> None:
        """Kill the worker and everything it started; the next open starts a fresh one.

        In a sandbox: SIGKILL to bwrap, whose pid 1 then dies (--die-with-parent) and takes the
        whole PID namespace with it; we return once the kernel has reaped all of it (the pidfd
        of pid 1 turns readable). At level ``process``: SIGTERM asks the zygote to kill its
        session and every orphan re-parented to it (it is a subreaper), then its group is killed.
        """
        if self.proc is None:
            return
        if self._ns_pidfd >= 0:
            self.proc.kill()
            # bwrap's --die-with-parent takes the sandbox down when we kill bwrap, but killing
            # the namespace's pid 1 ourselves does not depend on it: the kernel then kills every
            # process in the namespace at once. (A pid 1 outliving its bwrap was seen once.)
            try:
                signal.pidfd_send_signal(self._ns_pidfd, signal.SIGKILL)
            except OSError:
                pass  # already gone
            self.proc.wait()
            ready, _, _ = select.select([self._ns_pidfd], [], [], TEARDOWN_TIMEOUT)
            os.close(self._ns_pidfd)
            self._ns_pidfd = -1
            if not ready and self.slot is not None:  # should not happen: kill the uid's processes
                for _ in range(10):
                    left = containment.processes_of_uid(self.slot.uid)
                    if not left:
                        break
                    for pid in left:
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except OSError:
                            pass
                    time.sleep(0.05)
        else:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=2.0)
            except (OSError, subprocess.TimeoutExpired):
                pass
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                self.proc.kill()
            except OSError:
                pass
            self.proc.wait()
        for fd in (self.cmd, self.reply, self.status):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc = None
        self.module = None
        self._hello_pending = False

    def _close_output(self) -> None:
        for fd in (self._out_w, self._out_r):
            if fd >= 0:
                os.close(fd)
        self._out_w = self._out_r = -1

    def close(self) -> None:
        try:
            self.kill()
        finally:
            self._close_output()
            if self._progress is not None:
                self._progress.close()
                self._progress = None
            if self.slot is not None:
                self.slot.release()
                self.slot = None
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- I/O with deadlines -----------------------------------------------------------------------
    def _send(self, header: dict, blobs: list[bytes], deadline: float) -> None:
        self._send_frame(wire.pack(header, blobs), deadline)

    def _fill(self, want: int, deadline: float) -> None:
        """Read until ``want`` unparsed bytes are buffered, or the session dies, or time runs out."""
        while len(self._buffer) - self._pos < want:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.reply, self.status], [], [], left)
            if self.reply in ready:
                chunk = os.read(self.reply, max(want - (len(self._buffer) - self._pos), 1 << 16))
                if not chunk:
                    raise _Dead(self._death())
                if self._pos:  # drop what was parsed: once per read, not once per reply
                    del self._buffer[:self._pos]
                    self._pos = 0
                self._buffer += chunk
            elif self.status in ready:
                raise _Dead(self._death())

    def _take(self, n: int) -> bytearray:
        data = self._buffer[self._pos:self._pos + n]
        self._pos += n
        return data

    def _receive(self, deadline: float, expected: bytes | None = None) -> tuple[dict, list[bytes]] | None:
        """The next reply frame; None when it is byte for byte ``expected`` (a whole frame)."""
        self._fill(4, deadline)
        (length,) = struct.unpack_from(">I", self._buffer, self._pos)
        if length > wire.MAX_HEADER:
            raise _Garbage(self._garbage("sent a reply header that is too large"))
        self._fill(4 + length, deadline)
        if expected is not None and 4 + length <= len(expected) and \
                self._buffer.startswith(memoryview(expected)[:4 + length], self._pos):
            # The header (with its blobs' lengths) is the expected one: so is the frame's length.
            self._fill(len(expected), deadline)
            if self._buffer.startswith(expected, self._pos):
                self._pos += len(expected)
                return None
        self._pos += 4
        try:
            header = wire.unpack_header(self._take(length))
        except wire.WireError as err:
            raise _Garbage(self._garbage(f"sent a malformed reply ({err})")) from None
        if sum(header["blobs"]) > REPLY_CAP + (1 << 20):
            raise _Garbage(self._garbage("sent a reply that is too large"))
        blobs = []
        for n in header["blobs"]:
            self._fill(n, deadline)
            blobs.append(self._take(n))
        return header, blobs

    def _read_status(self, wait: float) -> dict | None:
        deadline = time.monotonic() + wait
        while b"\n" not in self._status_buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.status], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.status, 4096)
            if not chunk:
                self._status_ended = True
                return None
            self._status_buffer += chunk
            if len(self._status_buffer) > 65536:
                return None
        line, _, rest = bytes(self._status_buffer).partition(b"\n")
        self._status_buffer = bytearray(rest)
        try:
            status = json.loads(line)
        except (ValueError, RecursionError):
            return None
        return status if isinstance(status, dict) else None

    def _death(self) -> Outcome:
        """The session died: say how, and leave the zygote ready (or gone) for the next open."""
        status = self._read_status(wait=2.0)
        self._drain()
        self.module = None
        if status is None:
            self._note_if_orphaned()
            self.kill()
            return Outcome("limit", error="crash", message="the learner process died")
        if "signal" in status:
            try:
                name = _signal_name(int(status["signal"]))
            except (TypeError, ValueError):
                name = "a signal"
            if name == "SIGXCPU":
                return Outcome("limit", error="cpu", message="exceeded its CPU time limit")
            return Outcome("limit", error="crash", message=f"crashed (killed by {name})")
        code = clean_text(status.get("exit"), 20)
        return Outcome("limit", error="crash", message=f"ended the process (exit status {code})")

    def _drain(self) -> None:
        """Discard unread reply data: half-written or forged frames of a session that is over.

        Called once the session is known to be dead (the zygote reported it, after killing
        everything it left), so nothing can write to the reply pipe any more.
        """
        self._buffer.clear()
        self._pos = 0
        try:
            while os.read(self.reply, 1 << 16):
                pass
        except (BlockingIOError, OSError):
            pass

    def _garbage(self, message: str) -> Outcome:
        self.kill()
        return Outcome("limit", error="crash", message=message)

    def _timeout(self, what: str, limit: float) -> Outcome:
        self.kill()
        if limit < self.limits.time_limit:
            return Outcome("limit", error="timeout",
                           message=f"{what} used up this exercise's time budget "
                                   f"({self.limits.exercise_budget:g} s in total)")
        return Outcome("limit", error="timeout", message=f"{what} timed out after {limit:g} s")

    # --- the time budget of one exercise ---------------------------------------------------------
    def _allowance(self, module: str) -> float:
        """Seconds the next call (or import) of ``module`` may take."""
        left = self.limits.exercise_budget - self._spent.get(module, 0.0)
        return min(self.limits.time_limit, left)

    def _over_budget(self, what: str) -> Outcome:
        return Outcome("limit", error="timeout",
                       message=f"{what} not run: this exercise used up its time budget "
                               f"({self.limits.exercise_budget:g} s in total)")

    def _charge(self, module: str, started: float) -> None:
        self._spent[module] = self._spent.get(module, 0.0) + (time.monotonic() - started)

    # --- the API the runner uses ----------------------------------------------------------------
    def open(self, module: str, functions: list[str]) -> OpenResult:
        """Start a session that imports ``module``; import time counts against the time limit."""
        if self.module is not None:
            self.end_session()
        allowance = self._allowance(module)
        if allowance <= 0:
            return OpenResult(False, error=self._over_budget(f"importing {module}"))
        if self.proc is None or self._hello_pending:
            try:
                self._start()
            except _Dead as dead:
                return OpenResult(False, error=dead.outcome)
        else:
            self._drain()  # no session is running: whatever is unread is stale
        limits = {"memory_bytes": self.limits.memory_mb << 20, "open_files": self.limits.open_files,
                  "file_bytes": self.limits.file_bytes, "processes": self.limits.processes,
                  "core": 0, "cpu_seconds_per_call": max(1, int(self.limits.time_limit + 0.999)),
                  "cpu_seconds_total": int(self.limits.exercise_budget) + 2, "reply_bytes": REPLY_CAP}
        began = time.monotonic()
        deadline = began + allowance
        self._reset_output()
        self._session_module = module
        try:
            self._send({"op": "open", "module": module, "functions": functions, "limits": limits},
                       [], deadline)
            header, _ = self._receive(deadline)
        except TimeoutError:
            return OpenResult(False, error=self._timeout("importing the module", allowance))
        except _Dead as dead:
            return OpenResult(False, error=dead.outcome)
        finally:
            self._charge(module, began)
        self.module = self._last_module = module
        self._functions = list(functions)
        if header.get("op") == "import_error":
            self._read_status(wait=2.0)
            self.module = None
            message = clean_text(header.get("message", ""))
            line = header.get("line")
            if type(line) is int:
                message = f"line {line}: {message}"
            error = Outcome("raised", error=clean_text(header.get("type", "Exception"), 100),
                            message=message, output=self._new_output(module))
            return OpenResult(False, error=error)
        if header.get("op") != "ready" or not isinstance(header.get("missing"), list):
            return OpenResult(False, error=self._garbage("did not start properly"))
        missing = [f for f in functions if f in header["missing"]]
        return OpenResult(True, missing=missing)

    def _note_if_orphaned(self) -> None:
        # The zygote is gone (its status pipe ended) though we did not kill it: learner code can
        # kill it (same uid). When that shows here depends on scheduling; that it shows, before
        # the session is over, does not: so it decides the grade (see lost_supervisor).
        if self._status_ended and self._session_module is not None:
            self._orphaned.add(self._session_module)

    def lost_supervisor(self, module: str) -> bool:
        """Whether a session of ``module`` killed the zygote it ran under (asked once)."""
        lost = module in self._orphaned
        self._orphaned.discard(module)
        return lost

    def end_session(self) -> None:
        if self.module is None or self.proc is None:
            return
        deadline = time.monotonic() + 2.0
        try:
            self._send({"op": "close"}, [], deadline)
            self._receive(deadline)
            if self._read_status(wait=2.0) is None:
                self._note_if_orphaned()
                self.kill()
            else:
                self._drain()
        except (TimeoutError, _Dead):
            self.kill()
        self.module = None

    def call(self, call: Call) -> Outcome:
        """Run one learner call in the open session."""
        assert self.module is not None, "open a module first"
        module = self.module
        allowance = self._allowance(module)
        if allowance <= 0:
            return self._over_budget(f"{call.function}()")
        blobs: list[bytes] = []
        header = {"op": "call", "function": call.function,
                  "args": wire.encode(list(call.args.args), blobs),
                  "kwargs": wire.encode(dict(call.args.kwargs), blobs),
                  "return_args": call.return_args}
        began = time.monotonic()
        deadline = began + allowance
        try:
            self._send(header, blobs, deadline)
            reply, reply_blobs = self._receive(deadline)
        except TimeoutError:
            self._charge(module, began)
            outcome = self._timeout(f"{call.function}()", allowance)
            outcome.output = self._new_output(module)
            return outcome
        except _Dead as dead:
            self._charge(module, began)
            dead.outcome.output = self._new_output(module)
            return dead.outcome
        self._charge(module, began)
        outcome = self._parse_reply(reply, reply_blobs, call)
        outcome.output = self._new_output(module)
        return outcome

    def run_batch(self, calls: list[Call], frame: bytes | None = None,
                  expected: list[bytes | None] | None = None) -> list[Outcome]:
        """Run ``calls`` in order in the open session, all sent in one frame.

        Each call keeps its own deadline (measured from the previous reply). Returns one outcome
        per call that ran: fewer than ``len(calls)`` when one was killed (a timeout, a crash),
        which ends the batch. ``frame``: the batch already encoded (see :func:`batch_frame`).
        ``expected``: per call, a reply frame to compare with; a reply equal to it byte for
        byte is not decoded, and its outcome is :data:`SAME_AS_EXPECTED`. ``calls`` need only
        ``function`` and ``return_args``. Printed output is not split per call here: take it
        with :meth:`take_output`.

        The session writes replies in groups (see :func:`batch_frame`), so those of calls that
        finished just before one hung or crashed die with the session. It says in a shared page
        which call it is running: the outcome of a kill goes to that call, and the calls before
        it run again, from the batch's start, in a new session that writes each reply at once
        (for deterministic code, the same outcomes; what the batch printed is kept, not what
        the run again prints). After garbage on the reply pipe (learner code writing to it),
        where it lands among grouped replies depends on timing: the whole batch runs again,
        each reply written at once, and the garbage lands after the call that wrote it.
        """
        assert self.module is not None, "open a module first"
        module, functions = self.module, self._functions
        frame = frame if frame is not None else batch_frame(calls)
        outcomes, at_fault = self._run_frame(calls, frame, expected, slack=REPLY_WINDOW)
        if at_fault > len(outcomes) - 1:
            killed = outcomes[-1]
            known = at_fault < len(calls)       # else garbage, from any call up to the kill
            printed = self._new_output(module)  # what ran up to the kill
            if self.open(module, functions).ok:
                again, _ = self._run_frame(calls[:at_fault], one_by_one(frame, at_fault),
                                           expected, slack=0.0)
                if known and len(again) == at_fault:  # answered up to the call at fault
                    again.append(killed)
                outcomes = again
                printed_again = self._new_output(module)
                if not known:  # the first run went on past the call at fault
                    printed = printed_again
                self.end_session()  # as after the kill: the next check starts afresh
            self._carried_output += printed
        return outcomes

    def _run_frame(self, calls: list[Call], frame: bytes, expected: list[bytes | None] | None,
                   slack: float) -> tuple[list[Outcome], int]:
        """The outcomes of one batch frame, and the index of the call at fault when a kill
        ended it (-1 when none did; ``len(calls)`` when it is not known, after garbage): the
        last outcome is that kill's, whichever call it is."""
        module = self.module
        allowance = self._allowance(module)
        if allowance <= 0:
            return [self._over_budget(f"{calls[0].function}()")], -1
        wire.PROGRESS_PAGE.pack_into(self._progress, 0, 0)  # no call running yet
        began = time.monotonic()
        try:
            self._send_frame(frame, began + allowance)
        except TimeoutError:
            self._charge(module, began)
            return [self._timeout(f"{calls[0].function}()", allowance)], -1
        except _Dead as dead:
            self._charge(module, began)
            return [dead.outcome], -1
        outcomes: list[Outcome] = []
        for i, call in enumerate(calls):
            allowance = self._allowance(module)
            if allowance <= 0:
                self.kill()  # the session is still working through the batch: stop it
                outcomes.append(self._over_budget(f"{call.function}()"))
                break
            started = max(began, time.monotonic()) if not outcomes else time.monotonic()
            try:
                received = self._receive(started + allowance + slack, expected[i] if expected else None)
            except TimeoutError:
                self._charge(module, started)
                self.kill()  # before reading the page: a slow call could still move it on
                at_fault = self._running(i, len(calls))
                outcomes.append(self._timeout(f"{calls[at_fault].function}()", allowance))
                return outcomes, at_fault
            except _Garbage as garbage:
                self._charge(module, started)
                outcomes.append(garbage.outcome)
                return outcomes, len(calls)
            except _Dead as dead:
                self._charge(module, started)
                outcomes.append(dead.outcome)
                return outcomes, self._running(i, len(calls))
            self._charge(module, started)
            if received is None:
                outcomes.append(SAME_AS_EXPECTED)
                continue
            outcome = self._parse_reply(*received, call)
            outcomes.append(outcome)
            if self.module is None:  # the reply was garbage and the process was killed
                return outcomes, len(calls)
        return outcomes, -1

    def _running(self, waited: int, n: int) -> int:
        """The batch call the session said it was running: ``waited`` (the first without a
        reply) or later. Learner code can write the page too: it can only blame its own calls."""
        (said,) = wire.PROGRESS_PAGE.unpack_from(self._progress, 0)
        return said - 1 if waited < said <= n else waited

    def take_output(self) -> str:
        """What the session printed since the last time (call it when no call is running)."""
        carried, self._carried_output = self._carried_output, ""
        text = self._new_output(self.module or self._last_module)
        return (carried + text)[:OUTPUT_CAP] if carried else text

    def _send_frame(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            _, ready, _ = select.select([], [self.cmd], [], left)
            if ready:
                try:
                    view = view[os.write(self.cmd, view):]
                except BrokenPipeError:
                    raise _Dead(self._death()) from None

    def _parse_reply(self, reply: dict, blobs: list[bytes], call: Call) -> Outcome:
        op = reply.get("op")
        if op == "raised":
            error = clean_text(reply.get("type", "Exception"), 100)
            message = clean_text(reply.get("message", ""))
            if error == "MemoryError":
                return Outcome("limit", error="memory",
                               message=f"exceeded {self.limits.describe_memory()} memory")
            return Outcome("raised", error=error, message=message)
        if op == "bad_value":
            return Outcome("limit", error="bad_value", message=clean_text(reply.get("message", ""), 500))
        if op == "value":
            try:
                return value_outcome(reply, blobs, call.return_args)
            except (wire.WireError, RecursionError) as err:
                return Outcome("limit", error="bad_value",
                               message=f"returned unreadable data ({clean_text(err, 200)})")
        return self._garbage("sent a reply the grader does not understand")

    # --- printed output ---------------------------------------------------------------------------
    def _reset_output(self) -> None:
        """A new session starts with an empty output file (the child appends: O_APPEND)."""
        if self._out_w >= 0:
            os.ftruncate(self._out_w, 0)
        self._output_offset = 0

    def _new_output(self, module: str | None) -> str:
        """What the session printed since the last call (the first OUTPUT_CAP bytes of it)."""
        if module is None or self._out_r < 0:
            return ""
        try:
            size = os.fstat(self._out_r).st_size
            if size <= self._output_offset:
                self._output_offset = min(self._output_offset, size)
                return ""
            data = os.pread(self._out_r, OUTPUT_CAP + 1, self._output_offset)
        except OSError:
            return ""
        self._output_offset = size
        if size >= OUTPUT_RESET:  # keep the file small: the next call starts from empty
            self._reset_output()
        text = clean_text(data[:OUTPUT_CAP].decode("utf-8", errors="replace"), OUTPUT_CAP)
        if len(data) > OUTPUT_CAP:
            text += f"\n[... output cut at {OUTPUT_CAP // 1024} KiB]"
        return text
