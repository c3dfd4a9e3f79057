"""The grader's side of a learner process: start it, open a module, call functions, kill it.

Everything the learner process sends is parsed as data (JSON headers and ``.npy`` blobs, loaded
with ``allow_pickle=False``) and validated; nothing is unpickled or evaluated. Each call has a
wall-clock deadline; a call that misses it, or a process that dies, costs that call only: the
process is restarted for the next one.
"""

from __future__ import annotations

import json
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
REPLY_CAP = 64 << 20            # bytes of array data a reply may carry
STARTUP_TIMEOUT = 30.0          # seconds for a fresh interpreter to import numpy


@dataclass(frozen=True)
class Limits:
    time_limit: float = 2.0          # wall-clock seconds per call
    memory_mb: int = 1024            # address space on top of the interpreter's own
    open_files: int = 64
    file_bytes: int = 8 << 20        # largest file learner code may write (printed output included)
    processes: int = 64

    def describe_memory(self) -> str:
        mb = self.memory_mb
        return f"{mb // 1024} GiB" if mb % 1024 == 0 else f"{mb} MB"


@dataclass
class OpenResult:
    ok: bool
    missing: list[str] = field(default_factory=list)
    error: Outcome | None = None     # import failure (kind "raised") or a limit


class _Dead(Exception):
    """The learner process is gone or sent something that is not a frame."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class LearnerProcess:
    """One worker (a zygote that forks a session per module) for one staged submission."""

    def __init__(self, submission_dir: Path, limits: Limits, isolation: containment.Isolation):
        self.limits = limits
        self.isolation = isolation
        self.root = Path(tempfile.mkdtemp(prefix="nnla-"))
        self.runtime = self.root / "runtime"
        self.work = self.root / "work"
        self.submission = Path(submission_dir)
        self.runtime.mkdir()
        self.work.mkdir()
        for name in ("worker.py", "wire.py"):
            shutil.copyfile(HERE / name, self.runtime / name)
        self.proc: subprocess.Popen | None = None
        self.module: str | None = None
        self._output_offset = 0

    # --- lifecycle ------------------------------------------------------------------------------
    def _start(self) -> None:
        cmd_r, cmd_w = os.pipe()
        reply_r, reply_w = os.pipe()
        status_r, status_w = os.pipe()
        config = json.dumps({"submission": str(self.submission), "fds": [cmd_r, reply_w, status_w],
                             "pid_namespace": self.isolation.pid_namespace})
        argv = containment.command(self.isolation, self.runtime, self.submission, self.work, config)
        stderr = open(self.work / "worker-stderr.txt", "wb")
        try:
            self.proc = subprocess.Popen(
                argv, cwd=self.work, env=containment.environment(self.work), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=stderr, pass_fds=(cmd_r, reply_w, status_w),
                start_new_session=True)
        finally:
            stderr.close()
            for fd in (cmd_r, reply_w, status_w):
                os.close(fd)
        self.cmd, self.reply, self.status = cmd_w, reply_r, status_r
        for fd in (self.cmd, self.reply, self.status):
            os.set_blocking(fd, False)
        self._buffer = bytearray()
        self._status_buffer = bytearray()

    def kill(self) -> None:
        """Kill the worker and everything it started; the next open starts a fresh one."""
        if self.proc is None:
            return
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

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- I/O with deadlines -----------------------------------------------------------------------
    def _send(self, header: dict, blobs: list[bytes], deadline: float) -> None:
        data = memoryview(wire.pack(header, blobs))
        while data:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            _, ready, _ = select.select([], [self.cmd], [], left)
            if ready:
                try:
                    data = data[os.write(self.cmd, data):]
                except BrokenPipeError:
                    raise _Dead(self._death()) from None

    def _fill(self, want: int, deadline: float) -> None:
        """Read until the buffer holds ``want`` bytes, or the session dies, or time runs out."""
        while len(self._buffer) < want:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.reply, self.status], [], [], left)
            if self.reply in ready:
                chunk = os.read(self.reply, max(want - len(self._buffer), 1 << 16))
                if not chunk:
                    raise _Dead(self._death())
                self._buffer += chunk
            elif self.status in ready:
                raise _Dead(self._death())

    def _take(self, n: int) -> bytes:
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        return data

    def _receive(self, deadline: float) -> tuple[dict, list[bytes]]:
        self._fill(4, deadline)
        (length,) = struct.unpack(">I", bytes(self._buffer[:4]))
        if length > wire.MAX_HEADER:
            raise _Dead(self._garbage("sent a reply header that is too large"))
        self._fill(4 + length, deadline)
        self._take(4)
        try:
            header = wire.unpack_header(self._take(length))
        except wire.WireError as err:
            raise _Dead(self._garbage(f"sent a malformed reply ({err})")) from None
        if sum(header["blobs"]) > REPLY_CAP + (1 << 20):
            raise _Dead(self._garbage("sent a reply that is too large"))
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
                return None
            self._status_buffer += chunk
        line, _, rest = bytes(self._status_buffer).partition(b"\n")
        self._status_buffer = bytearray(rest)
        try:
            status = json.loads(line)
        except ValueError:
            return None
        return status if isinstance(status, dict) else None

    def _death(self) -> Outcome:
        """The session died: say how, and leave the zygote ready (or gone) for the next open."""
        status = self._read_status(wait=2.0)
        self._buffer.clear()
        try:
            while os.read(self.reply, 1 << 16):  # discard a half-written reply
                pass
        except (BlockingIOError, OSError):
            pass
        self.module = None
        if status is None:
            self.kill()
            return Outcome("limit", error="crash", message="the learner process died")
        if "signal" in status:
            name = _signal_name(int(status["signal"]))
            if name == "SIGXCPU":
                return Outcome("limit", error="cpu", message="exceeded its CPU time limit")
            return Outcome("limit", error="crash", message=f"crashed (killed by {name})")
        code = status.get("exit")
        return Outcome("limit", error="crash", message=f"ended the process (exit status {code})")

    def _garbage(self, message: str) -> Outcome:
        self.kill()
        return Outcome("limit", error="crash", message=message)

    def _timeout(self, what: str) -> Outcome:
        self.kill()
        seconds = f"{self.limits.time_limit:g}"
        return Outcome("limit", error="timeout", message=f"{what} timed out after {seconds} s")

    # --- the API the runner uses ----------------------------------------------------------------
    def open(self, module: str, functions: list[str]) -> OpenResult:
        """Start a session that imports ``module``; import time counts against the time limit."""
        if self.module is not None:
            self.end_session()
        if self.proc is None:
            self._start()
            startup = STARTUP_TIMEOUT
        else:
            startup = 0.0
        mem = self.limits.memory_mb << 20
        limits = {"memory_bytes": mem + (1 << 30), "open_files": self.limits.open_files,
                  "file_bytes": self.limits.file_bytes, "processes": self.limits.processes,
                  "core": 0, "cpu_seconds_per_call": max(1, int(self.limits.time_limit + 0.999)),
                  "cpu_seconds_total": 600, "reply_bytes": REPLY_CAP}
        deadline = time.monotonic() + startup + self.limits.time_limit
        self._output_offset = 0
        try:
            self._send({"op": "open", "module": module, "functions": functions, "limits": limits},
                       [], deadline)
            header, _ = self._receive(deadline)
        except TimeoutError:
            return OpenResult(False, error=self._timeout("importing the module"))
        except _Dead as dead:
            return OpenResult(False, error=dead.outcome)
        self.module = module
        if header.get("op") == "import_error":
            self._read_status(wait=2.0)
            self.module = None
            message = str(header.get("message", ""))[:2000]
            line = header.get("line")
            if isinstance(line, int):
                message = f"line {line}: {message}"
            error = Outcome("raised", error=str(header.get("type", "Exception"))[:100], message=message,
                            output=self._new_output(module))
            return OpenResult(False, error=error)
        if header.get("op") != "ready" or not isinstance(header.get("missing"), list):
            return OpenResult(False, error=self._garbage("did not start properly"))
        return OpenResult(True, missing=[str(m) for m in header["missing"]])

    def end_session(self) -> None:
        if self.module is None or self.proc is None:
            return
        deadline = time.monotonic() + 2.0
        try:
            self._send({"op": "close"}, [], deadline)
            self._receive(deadline)
            if self._read_status(wait=2.0) is None:
                self.kill()
        except (TimeoutError, _Dead):
            self.kill()
        self.module = None

    def call(self, call: Call) -> Outcome:
        """Run one learner call in the open session."""
        assert self.module is not None, "open a module first"
        blobs: list[bytes] = []
        header = {"op": "call", "function": call.function,
                  "args": wire.encode(list(call.args.args), blobs),
                  "kwargs": wire.encode(dict(call.args.kwargs), blobs),
                  "return_args": call.return_args}
        deadline = time.monotonic() + self.limits.time_limit
        module = self.module
        try:
            self._send(header, blobs, deadline)
            reply, reply_blobs = self._receive(deadline)
        except TimeoutError:
            outcome = self._timeout(f"{call.function}()")
            outcome.output = self._new_output(module)
            return outcome
        except _Dead as dead:
            dead.outcome.output = self._new_output(module)
            return dead.outcome
        outcome = self._parse_reply(reply, reply_blobs, call)
        outcome.output = self._new_output(module)
        return outcome

    def _parse_reply(self, reply: dict, blobs: list[bytes], call: Call) -> Outcome:
        op = reply.get("op")
        if op == "raised":
            error = str(reply.get("type", "Exception"))[:100]
            message = str(reply.get("message", ""))[:2000]
            if error == "MemoryError":
                return Outcome("limit", error="memory",
                               message=f"exceeded {self.limits.describe_memory()} memory")
            return Outcome("raised", error=error, message=message)
        if op == "bad_value":
            return Outcome("limit", error="bad_value", message=str(reply.get("message", ""))[:500])
        if op == "value":
            try:
                value = wire.decode(reply.get("value"), blobs)
                after = None
                if call.return_args and "args_after" in reply:
                    raw = wire.decode(reply["args_after"], blobs)
                    if isinstance(raw, dict) and isinstance(raw.get("args"), list):
                        after = Args(tuple(raw["args"]), raw.get("kwargs") or {})
            except wire.WireError as err:
                return Outcome("limit", error="bad_value", message=f"returned unreadable data ({err})")
            note = reply.get("note", "")
            return Outcome("value", value=value, args_after=after,
                           note=note[:200] if isinstance(note, str) else "")
        return self._garbage("sent a reply the grader does not understand")

    def _new_output(self, module: str | None) -> str:
        """What the session printed since the last call (the first OUTPUT_CAP bytes of it)."""
        if module is None:
            return ""
        path = self.work / f"output-{module}.txt"
        try:
            with open(path, "rb") as f:
                f.seek(self._output_offset)
                data = f.read(OUTPUT_CAP + 1)
                size = os.fstat(f.fileno()).st_size
        except OSError:
            return ""
        self._output_offset = max(size, self._output_offset)
        text = data[:OUTPUT_CAP].decode("utf-8", errors="replace")
        if len(data) > OUTPUT_CAP:
            text += f"\n[... output cut at {OUTPUT_CAP // 1024} KiB]"
        return text
