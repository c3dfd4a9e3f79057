"""The learner side: the only code that imports a learner's module.

Runs as a script in its own process (inside the containment when available), copied next to
``wire.py`` into a private runtime folder; standard library and numpy only.

The process starts as a *zygote*: it imports numpy once, then for each exercise the grader opens,
forks a *session* child that imports the learner module and answers calls. File descriptors
(numbers given in the config): commands from the grader, replies to the grader (both shared by
zygote and session), and zygote -> grader status (closed in the session, so learner code cannot
forge it). Standard output and error are a file the grader reads back after each call (opened
for appending, size-capped by RLIMIT_FSIZE); nothing printed is ever parsed.
After a session ends the zygote kills whatever the session left behind, then reports
``{"exit": code}`` or ``{"signal": n}`` on the status descriptor. On SIGTERM (the grader
stopping it, or the grader dying: parent-death signal) it does the same cleanup and exits.
"""

import ctypes
import errno
import json
import os
import resource
import signal
import struct
import sys
from time import monotonic

RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))
CMD_FD, REPLY_FD, STATUS_FD = 3, 4, 5  # the real numbers come in the config
PROGRESS = None                         # the page shared with the grader (wire.PROGRESS_PAGE)
MAX_MESSAGE = 2000
np = wire = None                        # imported in main(), once sys.path is set


# --- framing ------------------------------------------------------------------------------------

def read_exact(fd, n):
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_frame(fd):
    (length,) = struct.unpack(">I", read_exact(fd, 4))
    header = wire.unpack_header(read_exact(fd, length))
    data = memoryview(read_exact(fd, sum(header["blobs"])))  # all blobs in one read
    blobs, offset = [], 0
    for n in header["blobs"]:
        blobs.append(data[offset:offset + n])
        offset += n
    return header, blobs


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


QUEUED = []              # replies packed but not yet written (see the "batch" op in serve)
QUEUED_BYTES = [0]
QUEUE_LIMIT = 1 << 20    # bytes: written at once past this


def queue(header, blobs=()):
    frame = wire.pack(header, list(blobs))
    QUEUED.append(frame)
    QUEUED_BYTES[0] += len(frame)


def flush():
    if QUEUED:
        data = b"".join(QUEUED)
        QUEUED.clear()
        QUEUED_BYTES[0] = 0
        write_all(REPLY_FD, data)


def send(header, blobs=()):
    """Write a frame to the grader now, after any reply queued before it."""
    queue(header, blobs)
    flush()


# --- session: one learner module ----------------------------------------------------------------

def safe_text(exc):
    """str(exc), without trusting the learner's __str__ to behave."""
    try:
        text = str(exc)
    except BaseException:
        text = ""
    if not isinstance(text, str):
        text = ""
    return text[:MAX_MESSAGE]


def address_space_in_use():
    """Bytes of address space this process uses now (VmSize), or None where unknown."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def set_limits(limits):
    mem = limits.get("memory_bytes")
    if mem:
        base = address_space_in_use()
        total = mem + (base if base is not None else 1 << 30)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (total, total))
        except (ValueError, OSError):
            pass  # macOS: not supported
    for name, key in (("RLIMIT_NOFILE", "open_files"), ("RLIMIT_FSIZE", "file_bytes"),
                      ("RLIMIT_NPROC", "processes"), ("RLIMIT_CORE", "core")):
        value = limits.get(key)
        if value is not None and hasattr(resource, name):
            try:
                resource.setrlimit(getattr(resource, name), (value, value))
            except (ValueError, OSError):
                pass
    cpu = limits.get("cpu_seconds_total")
    if cpu:
        try:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        except (ValueError, OSError):
            pass


def trusted_path_entries(extra):
    """sys.path entries of the interpreter itself (stdlib, site-packages) and numpy's folder."""
    roots = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                                           sys.base_exec_prefix) if p}
    roots.update(os.path.realpath(p) for p in extra)
    kept = []
    for p in sys.path:
        if not p or p == RUNTIME_DIR:
            continue
        real = os.path.realpath(p)
        if any(real == r or real.startswith(r.rstrip("/") + "/") for r in roots):
            kept.append(p)
    return kept


def only_standard_finders():
    """Drop import hooks installed by .pth files (editable installs of the grader, say)."""
    keep = []
    for finder in sys.meta_path:
        module = getattr(finder, "__module__", "") or getattr(type(finder), "__module__", "")
        if module in ("_frozen_importlib", "_frozen_importlib_external", "importlib._bootstrap",
                      "importlib._bootstrap_external"):
            keep.append(finder)
    sys.meta_path[:] = keep
    sys.path_importer_cache.clear()


def serve(command, config):
    """Import the learner module and answer calls until told to close."""
    os.close(STATUS_FD)
    os.setpgid(0, 0)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a flood of output fails the write, not us
    os.dup2(1, 2)                                  # stdout is the grader's output file
    for stream in (sys.stdout, sys.stderr):        # write through, so a crash loses no output
        try:
            stream.reconfigure(line_buffering=True, write_through=True)
        except (AttributeError, ValueError):
            pass
    module_name = command["module"]
    limits = command.get("limits", {})
    sys.path[:] = [config["submission"]] + trusted_path_entries(config.get("paths", []))
    only_standard_finders()
    set_limits(limits)
    try:
        import importlib
        module = importlib.import_module(module_name)
    except BaseException as exc:  # SyntaxError, ImportError, SystemExit, anything at import
        line = getattr(exc, "lineno", None) if isinstance(exc, SyntaxError) else None
        send({"op": "import_error", "type": type(exc).__name__, "message": safe_text(exc),
              "line": line if isinstance(line, int) else None})
        flush_output()
        os._exit(0)
    missing = [f for f in command.get("functions", []) if not callable(getattr(module, f, None))]
    send({"op": "ready", "missing": missing})
    cpu_step = limits.get("cpu_seconds_per_call")
    max_reply = limits.get("reply_bytes", 64 << 20)
    while True:
        try:
            header, blobs = read_frame(CMD_FD)
        except (EOFError, OSError, wire.WireError, struct.error):
            os._exit(0)
        op = header.get("op")
        if op == "call":
            answer_call(module, header, blobs, cpu_step, max_reply)
            flush()
        elif op == "batch":  # many calls in one frame (their arguments share its blobs)
            # Replies are written together, once ``window`` seconds have passed since the last
            # write (one write and one wake-up of the grader for many quick calls). Those still
            # queued die with a session that is killed or crashes; the progress page tells the
            # grader which call was running then, and it runs the calls before it again.
            window = header.get("window", 0)
            window = window if type(window) in (int, float) else 0
            written = monotonic()
            for index, call in enumerate(header.get("calls", [])):
                wire.PROGRESS_PAGE.pack_into(PROGRESS, 0, index + 1)  # no system call: a store
                answer_call(module, call, blobs, cpu_step, max_reply)
                now = monotonic()
                if now - written >= window or QUEUED_BYTES[0] >= QUEUE_LIMIT:
                    flush()
                    written = now
            flush()
        else:
            send({"op": "closing"})
            flush_output()
            os._exit(0)


def flush_output():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def answer_call(module, header, blobs, cpu_step, max_reply):
    call_args = wire.decode(header["args"], blobs, functions="learner")  # from the grader: trusted
    call_kwargs = wire.decode(header["kwargs"], blobs, functions="learner")
    if cpu_step:
        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(used.ru_utime + used.ru_stime)
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = spent + int(cpu_step) + 1
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        try:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
        except (ValueError, OSError):
            pass
    function = getattr(module, header["function"], None)
    try:
        value = function(*call_args, **call_kwargs)
    except BaseException as exc:  # the learner's exception, whatever it is
        flush_output()
        queue({"op": "raised", "type": type(exc).__name__, "message": safe_text(exc)})
        return
    flush_output()
    try:
        reply, reply_blobs = wire.value_reply(value, call_args, call_kwargs,
                                              bool(header.get("return_args")), max_reply)
    except wire.WireError as err:
        text = safe_text(err)
        if text == "too large":
            text = f"returned more than {max_reply >> 20} MB of data"
        queue({"op": "bad_value", "message": text})
        return
    except BaseException as exc:  # a learner object misbehaved while being converted
        queue({"op": "bad_value", "message": f"its result could not be read "
                                             f"({type(exc).__name__}: {safe_text(exc)[:200]})"})
        return
    queue(reply, reply_blobs)


# --- zygote -------------------------------------------------------------------------------------

def _prctl(option, value):
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except Exception:
        return False


def kill_leftovers(session_pgid, in_pid_namespace):
    if in_pid_namespace:
        try:
            os.kill(-1, signal.SIGKILL)  # every process in our namespace but us (and its init)
        except OSError:
            pass
    elif session_pgid > 0:
        try:
            os.killpg(session_pgid, signal.SIGKILL)
        except OSError:
            pass
    while True:  # reap everything re-parented to us (we are a subreaper)
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            # Descendants that left the process group are still alive: find them by parent.
            try:
                entries = os.listdir("/proc")
            except OSError:
                entries = []
            for pid_s in entries:
                if pid_s.isdigit():
                    try:
                        with open(f"/proc/{pid_s}/stat") as f:
                            ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                        if ppid == os.getpid():
                            os.kill(int(pid_s), signal.SIGKILL)
                    except (OSError, ValueError, IndexError):
                        pass
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                return


def main():
    global CMD_FD, REPLY_FD, STATUS_FD, PROGRESS, np, wire
    config = json.loads(sys.argv[1])
    CMD_FD, REPLY_FD, STATUS_FD, progress_fd = config["fds"]
    os.environ.pop("PWD", None)  # bwrap's --chdir adds it; the environment is the grader's choice
    sys.path[:0] = [RUNTIME_DIR] + [p for p in config.get("paths", []) if p not in sys.path]
    import numpy
    import numpy.random  # not loaded by numpy itself: loaded here once, not in every session
    import wire as wire_module
    np, wire = numpy, wire_module
    import mmap
    PROGRESS = mmap.mmap(progress_fd, wire.PROGRESS_PAGE.size)  # shared by every session
    os.close(progress_fd)
    in_pid_namespace = bool(config.get("pid_namespace")) and os.getpid() < 16
    _prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: orphans of a session are re-parented to us
    session = [0]

    def stop(signum, frame):
        kill_leftovers(session[0], in_pid_namespace)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    parent = config.get("parent")
    if parent and _prctl(1, signal.SIGTERM) and os.getppid() != parent:  # PR_SET_PDEATHSIG
        stop(0, None)
    write_all(STATUS_FD, b'{"started": true}\n')  # numpy is imported: ready for sessions
    while True:
        try:
            command, _ = read_frame(CMD_FD)
        except (EOFError, OSError, wire.WireError, struct.error):
            stop(0, None)
        if command.get("op") != "open":
            continue
        pid = os.fork()
        if pid == 0:
            try:
                serve(command, config)
            finally:
                os._exit(70)
        session[0] = pid
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass
        while True:
            try:
                _, status = os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
        kill_leftovers(pid, in_pid_namespace)
        session[0] = 0
        if os.WIFSIGNALED(status):
            report = {"signal": os.WTERMSIG(status)}
        else:
            report = {"exit": os.WEXITSTATUS(status)}
        try:
            write_all(STATUS_FD, (json.dumps(report) + "\n").encode())
        except OSError as err:
            if err.errno == errno.EPIPE:
                stop(0, None)


if __name__ == "__main__":
    main()
