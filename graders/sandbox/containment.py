"""How the learner process is started: the isolation level and its command line.

Levels (recorded in every result as ``isolation``):

``bwrap``
    Linux, grader running as root. bubblewrap builds new PID, network, IPC, UTS (and cgroup)
    namespaces and a read-only view of ``/`` in which home folders, temp folders, the course
    root, the class folder and the output folder are replaced by empty, size-capped tmpfs
    mounts; only the interpreter, numpy, the staged submission (read-only) and a private 64 MiB
    ``/tmp`` (the working directory) are mounted back. ``setpriv`` then drops to an
    unprivileged host uid that belongs to one *slot* (61000 + n, one per sandbox running at
    the same time, allocated with an ``flock``-ed lock file), so ``RLIMIT_NPROC`` is enforced
    per sandbox and one sandbox cannot signal another's processes.
``bwrap-userns``
    Linux, grader not root, unprivileged user namespaces allowed: the same view and
    namespaces, inside a user namespace (``--unshare-user --disable-userns``). The sandboxed
    code keeps the grader's uid on the host, but the filesystem is read-only apart from its
    private ``/tmp``, and its processes and rlimit counts live in its own namespaces.
``process``
    Everywhere else (macOS, containers that forbid namespaces, ``NNLA_ISOLATION=process``):
    a separate interpreter with a scrubbed environment, resource limits and its own process
    group, running as the grader's user. The instructor is warned in one line.

The environment variable ``NNLA_ISOLATION`` forces a level: ``process``, ``bwrap`` (fail
loudly if it is unavailable) or ``auto`` (the default).
"""

from __future__ import annotations

import dataclasses
import errno
import fcntl
import functools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

SANDBOX_ROOT = "/tmp/.nnla"                 # inside the sandbox: runtime/ and submission/
SANDBOX_WORK = "/tmp/work"                  # inside the sandbox: cwd, HOME, TMPDIR
SANDBOX_TMP_BYTES = 64 << 20                # the private /tmp (a tmpfs: RAM, so capped)
SANDBOX_SHM_BYTES = 16 << 20
MASK_BYTES = 1 << 20                        # the empty tmpfs put over hidden trees
UID_BASE = int(os.environ.get("NNLA_SANDBOX_UID_BASE", "61000"))
MAX_SLOTS = 256
MASK_TREES = ("/tmp", "/var/tmp", "/root", "/home", "/run", "/srv", "/mnt", "/media", "/opt",
              "/workspace", "/work")


class ContainmentError(UsageError):
    """A sandbox could not be set up (reported as a failed call, or at detection time)."""


@dataclass(frozen=True)
class Isolation:
    level: str                       # recorded in every result: bwrap, bwrap-userns or process
    pid_namespace: bool              # the worker may kill(-1) inside its own namespace
    warning: str = ""                # one line for the instructor when protection is missing
    hidden: tuple[str, ...] = ()     # extra paths the sandbox must not show (course, class, out)

    @property
    def contained(self) -> bool:
        return self.level in ("bwrap", "bwrap-userns")

    def with_hidden(self, *paths) -> "Isolation":
        """This isolation, also hiding ``paths`` (folders or files) from learner code."""
        extra = [os.path.realpath(p) for p in paths if p]
        return dataclasses.replace(self, hidden=tuple(dict.fromkeys(self.hidden + tuple(extra))))


# --- detection -------------------------------------------------------------------------------------

_DETECTED: dict[str, Isolation] = {}


def _process_level(missing: str) -> Isolation:
    return Isolation("process", False,
                     f"learner code is NOT contained ({missing}): it runs as a separate process "
                     f"with resource limits only, as your user, and can read your files")


def detect() -> Isolation:
    """The strongest isolation this machine allows (probed once per process)."""
    wanted = os.environ.get("NNLA_ISOLATION", "auto").strip().lower() or "auto"
    probing = _PROBING.pop(wanted, None)
    if probing is not None:
        probing.join()
    if wanted not in _DETECTED:
        _DETECTED[wanted] = _detect(wanted)
    return _DETECTED[wanted]


_PROBING: dict[str, threading.Thread] = {}


def detect_soon() -> None:
    """Start :func:`detect` in the background: the probe (a sandbox that imports numpy) mostly
    waits on another core, so it can run while the grader loads. ``detect`` then waits for it;
    an error it meets is raised there."""
    wanted = os.environ.get("NNLA_ISOLATION", "auto").strip().lower() or "auto"
    if wanted in _DETECTED or wanted in _PROBING:
        return

    def probe() -> None:
        try:
            _DETECTED[wanted] = _detect(wanted)
        except Exception:
            pass  # detect() probes again and raises it

    _PROBING[wanted] = threading.Thread(target=probe, name="nnla-probe", daemon=True)
    _PROBING[wanted].start()


def _detect(wanted: str) -> Isolation:
    if wanted == "process":
        return _process_level("NNLA_ISOLATION=process")
    if wanted not in ("auto", "bwrap", "bwrap-userns"):
        raise ContainmentError(f"NNLA_ISOLATION={wanted!r}: use auto, bwrap or process")
    missing = _why_unavailable()
    if not missing:
        level = "bwrap" if os.geteuid() == 0 and wanted != "bwrap-userns" else "bwrap-userns"
        missing = _probe(Isolation(level, True))
        if not missing:
            return Isolation(level, True)
    if wanted != "auto":
        raise ContainmentError(f"NNLA_ISOLATION={wanted}: containment unavailable ({missing})")
    return _process_level(missing)


def _why_unavailable() -> str:
    if platform.system() != "Linux":
        return f"containment needs Linux namespaces; this is {platform.system()}"
    if not shutil.which("bwrap"):
        return "bubblewrap (bwrap) is not installed"
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        return "setpriv (util-linux) is not installed"
    if not hasattr(os, "pidfd_open"):
        return "this Python has no os.pidfd_open"
    return ""


def _probe(isolation: Isolation) -> str:
    """Start a sandbox that imports numpy; '' when it works, else why not (one line)."""
    tmp = Path(tempfile.mkdtemp(prefix="nnla-probe-"))
    slot = None
    try:
        slot = Slot.acquire() if isolation.level == "bwrap" else None
        for d in ("runtime", "submission"):
            (tmp / d).mkdir()
            os.chmod(tmp / d, 0o755)
        code = "import sys; sys.path[:0] = %r; import numpy; print('ok')" % (library_paths(),)
        launch = plan(isolation, tmp / "runtime", tmp / "submission", tmp, {},
                      slot=slot, argv_tail=["-c", code])
        with open(tmp / "out", "w+b") as out, open(tmp / "err", "w+b") as err:
            started = spawn(launch, stdout=out, stderr=err)
            try:
                started.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                started.proc.kill()
                started.proc.wait()
            finally:
                os.close(started.ns_pidfd)
            out.seek(0)
            err.seek(0)
            if started.proc.returncode == 0 and out.read() == b"ok\n":
                return ""
            lines = [l for l in err.read().decode("utf-8", "replace").splitlines() if l.strip()]
        return f"bwrap failed: {lines[-1] if lines else f'exit status {started.proc.returncode}'}"
    except (OSError, subprocess.SubprocessError, ContainmentError) as err:
        return f"bwrap failed: {err}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if slot is not None:
            slot.release()


# --- per-sandbox unprivileged uid (root mode) ------------------------------------------------------

def _lock_dir() -> Path:
    base = Path("/run/lock") if os.access("/run/lock", os.W_OK) else Path(tempfile.gettempdir())
    path = base / f"nnla-sandbox-slots-{os.geteuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    st = path.lstat()
    if st.st_uid != os.geteuid() or not os.path.isdir(path) or os.path.islink(path):
        raise ContainmentError(f"{path} is not a private folder of this user")
    return path


def _uid_in_use(uid: int) -> bool:
    import pwd

    try:
        pwd.getpwuid(uid)
        return True   # a real account: never borrow its uid
    except KeyError:
        pass
    return bool(processes_of_uid(uid))


def processes_of_uid(uid: int) -> list[int]:
    """Live host processes whose real uid is ``uid`` (a slot's uid belongs to one sandbox)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", "rb") as f:
                status = f.read()
        except OSError:
            continue
        try:
            ruid = int(status.split(b"\nUid:", 1)[1].split()[0])
        except (IndexError, ValueError):
            continue
        if ruid == uid and b"\nState:\tZ" not in status:
            found.append(int(entry))
    return found


class Slot:
    """One sandbox's unprivileged uid, held (flock) while the sandbox's owner lives.

    RLIMIT_NPROC counts every process of a host uid, and a uid may signal its own processes:
    sandboxes running at the same time (``--jobs 2``, or two graders) need different uids.
    """

    def __init__(self, index: int, fd: int):
        self.index = index
        self.uid = UID_BASE + index
        self._fd = fd

    @classmethod
    def acquire(cls) -> "Slot":
        folder = _lock_dir()
        for index in range(MAX_SLOTS):
            fd = os.open(folder / f"slot-{index}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as err:
                os.close(fd)
                if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                    continue
                raise
            if _uid_in_use(UID_BASE + index):
                os.close(fd)
                continue
            return cls(index, fd)
        raise ContainmentError(f"no free sandbox slot (uids {UID_BASE}..{UID_BASE + MAX_SLOTS - 1})")

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)   # closing the descriptor drops the flock
            self._fd = -1

    def __del__(self):
        self.release()


# --- the command line ------------------------------------------------------------------------------

def environment(work_dir: Path | str) -> dict[str, str]:
    """The learner's whole environment: nothing of the instructor's, nothing pointing at the course."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(work_dir),
        "TMPDIR": str(work_dir),
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


@functools.lru_cache(maxsize=None)
def fixed_layout() -> tuple[str, ...]:
    """A prefix that starts a command without address-space randomisation, where that works.

    The learner's process then lays out its memory the same way on every run. This is for
    reproducible grades, not security (learner code can do anything inside the sandbox anyway,
    ctypes included): BLAS kernels can compute on uninitialised stack or buffer padding, and
    when randomised pointers left there happen to read as an infinity or a signalling NaN,
    numpy prints a spurious "invalid value encountered in matmul" into the learner's output on
    roughly one run in a few hundred. With a fixed layout a regrade prints the same thing.
    Empty when ``setarch -R`` is missing or refused (a container's seccomp profile may forbid
    the personality call).
    """
    setarch = shutil.which("setarch")
    if platform.system() != "Linux" or not setarch:
        return ()
    prefix = (setarch, platform.machine(), "-R")
    try:
        ok = subprocess.run([*prefix, "true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return prefix if ok else ()


def python_argv() -> list[str]:
    # Not -I: it implies -E, which would ignore PYTHONHASHSEED. The environment is ours entirely,
    # so -s (no user site) -P (no script folder on sys.path) -B (no .pyc) give the same safety.
    return [sys.executable, "-s", "-P", "-B"]


def library_paths() -> list[str]:
    """Folders the worker needs on sys.path besides the interpreter's own: where numpy lives."""
    import numpy

    return [os.path.dirname(os.path.dirname(os.path.abspath(numpy.__file__)))]


def _needed_paths() -> list[str]:
    """Host paths the sandboxed interpreter must see (read-only), minimal and de-duplicated."""
    candidates = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                  os.path.dirname(sys.executable), os.path.dirname(os.path.realpath(sys.executable)),
                  *library_paths()]
    paths = sorted({os.path.realpath(p) for p in candidates if p and os.path.exists(p)})
    kept: list[str] = []
    for p in paths:
        if not any(_under(p, k) for k in kept):
            kept.append(p)
    return kept


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def default_hidden() -> list[str]:
    """Always hidden: the grader package and the folder it lives in (course, solutions)."""
    package = Path(__file__).resolve().parent.parent           # .../graders
    hidden = [str(package)]
    root = package.parent
    if (root / "course.toml").is_file() or (root / "solutions").is_dir():
        hidden.append(str(root))
    home = os.path.expanduser("~")
    if home not in ("", "/"):
        hidden.append(home)
    return hidden


@dataclass
class Launch:
    """Everything needed to start one worker: argv, env, cwd, and the paths the worker sees."""

    argv: list[str]
    env: dict[str, str]
    cwd: str
    submission: str                  # the submission folder, as the worker sees it
    runtime: str                     # the worker's folder, as the worker sees it
    args_data: bytes = b""           # bwrap's arguments, fed through --args FD

    @property
    def contained(self) -> bool:
        return bool(self.args_data)


@dataclass
class Started:
    proc: subprocess.Popen
    ns_pidfd: int = -1               # pidfd of the sandbox's pid 1: readable once all are gone


def spawn(launch: Launch, *, pass_fds=(), stdout=None, stderr=None) -> Started:
    """Start the worker; for a sandbox, also learn (and pin) the host pid of its pid 1."""
    common = dict(cwd=launch.cwd, env=launch.env, stdin=subprocess.DEVNULL, stdout=stdout,
                  stderr=stderr, start_new_session=True)
    if not launch.contained:
        return Started(subprocess.Popen(launch.argv, pass_fds=tuple(pass_fds), **common))
    if len(launch.args_data) > 60000:
        raise ContainmentError("bwrap command line too long")
    args_r, args_w = os.pipe()
    info_r, info_w = os.pipe()
    try:
        os.write(args_w, launch.args_data)   # fits in the pipe buffer: no reader needed yet
        os.close(args_w)
        argv = [a.replace("@ARGS@", str(args_r)).replace("@INFO@", str(info_w)) for a in launch.argv]
        proc = subprocess.Popen(argv, pass_fds=tuple(pass_fds) + (args_r, info_w), **common)
    except BaseException:
        os.close(info_r)
        raise
    finally:
        for fd in (args_r, info_w):
            os.close(fd)
    try:
        pid = read_info(info_r)
        pidfd = os.pidfd_open(pid)
    except (ContainmentError, OSError) as err:
        proc.kill()
        proc.wait()
        raise ContainmentError(str(err)) from None
    return Started(proc, pidfd)


def plan(isolation: Isolation, runtime_dir: Path, submission_dir: Path, work_dir: Path,
         config: dict, *, slot: Slot | None = None, argv_tail: list[str] | None = None) -> Launch:
    """How to start the worker (zygote) for one submission at this isolation level.

    ``config`` is the worker's configuration; its ``submission`` entry is filled in here with
    the submission folder as the worker will see it.
    """
    seen_runtime = f"{SANDBOX_ROOT}/runtime" if isolation.contained else str(runtime_dir)
    seen_submission = f"{SANDBOX_ROOT}/submission" if isolation.contained else str(submission_dir)
    config = dict(config, submission=seen_submission)
    tail = argv_tail if argv_tail is not None else [
        f"{seen_runtime}/worker.py", json.dumps(config, separators=(",", ":"))]
    if not isolation.contained:
        return Launch([*fixed_layout(), *python_argv(), *tail], environment(work_dir), str(work_dir),
                      seen_submission, seen_runtime)
    if isolation.level == "bwrap" and slot is None:
        raise ContainmentError("root-mode sandboxes need a slot (an unprivileged uid)")
    args = _bwrap_args(isolation, runtime_dir, submission_dir)
    inner = python_argv() + tail
    if isolation.level == "bwrap":
        inner = [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={slot.uid}",
                 f"--regid={slot.uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                 "--no-new-privs", "--"] + inner
    data = "\0".join(args).encode() + b"\0"
    # The options travel through a pipe (--args): /proc/1/cmdline inside the sandbox does not
    # list the host paths it hides. The command itself only names paths inside the sandbox.
    argv = [*fixed_layout(), shutil.which("bwrap") or "bwrap", "--info-fd", "@INFO@", "--args", "@ARGS@",
            "--", *inner]
    # bwrap needs only a minimal environment of its own; the learner's is set with --setenv.
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    return Launch(argv, env, "/", seen_submission, seen_runtime, args_data=data)


def _bwrap_args(isolation: Isolation, runtime_dir: Path, submission_dir: Path) -> list[str]:
    a = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
         "--new-session", "--die-with-parent"]
    if isolation.level == "bwrap-userns":
        a += ["--unshare-user", "--disable-userns"]
    a += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
          "--size", str(SANDBOX_SHM_BYTES), "--perms", "1777", "--tmpfs", "/dev/shm"]
    needed = _needed_paths()
    hidden = [os.path.realpath(p) for p in (*default_hidden(), *isolation.hidden)]
    masks = [t for t in MASK_TREES if os.path.isdir(t) and not os.path.islink(t)]
    masked: list[str] = []

    def visible(path: str) -> bool:
        return not any(_under(path, m) for m in masked)

    # 1. Mask whole trees, then the hidden paths that are still visible. The private /tmp is the
    #    one writable place (sticky, size-capped); every other mask is an empty, tiny tmpfs.
    for t in masks:
        if t == "/tmp":
            a += ["--size", str(SANDBOX_TMP_BYTES), "--perms", "1777", "--tmpfs", "/tmp"]
        else:
            a += ["--size", str(MASK_BYTES), "--perms", "0755", "--tmpfs", t]
        masked.append(t)
    late_hides = []
    for h in sorted(set(hidden), key=len):
        if not os.path.lexists(h):
            continue
        if any(_under(h, n) for n in needed):
            late_hides.append(h)                 # e.g. graders/ installed in site-packages
            continue
        if not visible(h):
            continue
        if os.path.isdir(h):
            # A needed path inside (a venv in the course folder) must stay reachable: 0755.
            mode = "0755" if any(_under(n, h) for n in needed) else "0000"
            a += ["--size", str(MASK_BYTES), "--perms", mode, "--tmpfs", h]
            masked.append(h)
        else:
            a += ["--ro-bind", "/dev/null", h]

    made: set[str] = set()

    def parents(dest: str) -> None:
        # bwrap would create missing parents 0700 root: unusable for the sandbox's uid.
        chain = []
        d = os.path.dirname(dest)
        while d not in ("/", "") and not visible(d) and d not in masked:
            chain.append(d)
            d = os.path.dirname(d)
        for d in reversed(chain):
            if d not in made:
                made.add(d)
                a.extend(["--perms", "0755", "--dir", d])

    # 2. Mount back what the interpreter needs (read-only), at the same paths.
    for n in needed:
        if not visible(n):
            parents(n)
            a += ["--ro-bind", n, n]
    # 3. Hidden paths that live inside something mounted back.
    for h in late_hides:
        if os.path.isdir(h):
            a += ["--size", str(MASK_BYTES), "--perms", "0000", "--tmpfs", h]
        else:
            a += ["--ro-bind", "/dev/null", h]
    # 4. The worker, the staged submission (read-only) and the writable working folder.
    a += ["--perms", "0755", "--dir", SANDBOX_ROOT,
          "--ro-bind", str(Path(runtime_dir).resolve()), f"{SANDBOX_ROOT}/runtime",
          "--ro-bind", str(Path(submission_dir).resolve()), f"{SANDBOX_ROOT}/submission",
          "--perms", "1777", "--dir", SANDBOX_WORK,
          "--chdir", SANDBOX_WORK, "--clearenv"]
    for key, value in environment(SANDBOX_WORK).items():
        a += ["--setenv", key, value]
    return a


def read_info(fd: int, timeout: float = 30.0) -> int:
    """The host pid of the sandbox's pid 1, from bwrap's --info-fd (then closes ``fd``)."""
    import select

    data = b""
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ContainmentError("bwrap did not report its pid in time")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
            if len(data) > 65536:
                break
    finally:
        os.close(fd)
    try:
        pid = json.loads(data.decode())["child-pid"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise ContainmentError("bwrap did not start the sandbox") from None
    if type(pid) is not int or pid <= 1:
        raise ContainmentError("bwrap reported a bad pid")
    return pid
