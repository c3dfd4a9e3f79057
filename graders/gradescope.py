"""``nnla export gradescope OUT.zip``: the course as a Gradescope autograder, and the code it runs.

The archive (Gradescope unpacks it into ``/autograder/source``)::

    setup.sh            run once, as root, when Gradescope builds the image: installs Python 3.11+,
                        bubblewrap and setpriv (the containment tool), a venv with the pinned
                        dependencies, puts the course package on its path, computes every hidden
                        check's examples and reference answers once, and locks source/ root-only
    run_autograder      run per submission: grades /autograder/submission into
                        /autograder/results/results.json, always (a fallback JSON is written by
                        the script itself if Python cannot even start)
    requirements.txt    numpy and hypothesis pinned to the versions the course was exported with
                        (hypothesis' version decides the generated inputs: pinning it keeps
                        Gradescope's grades identical to ``nnla grade``'s)
    gradescope.json     what to grade: the exercises, the visibility of hidden checks' details,
                        the time budget
    nnla/               the course: course.toml, solutions/, graders/ (a source tree, no build step)

Every path is below one root, ``$NNLA_AUTOGRADER_ROOT`` (default ``/autograder``), so the whole
thing runs anywhere: ``tests/test_gradescope.py`` unpacks the archive into a temporary root, puts a
submission in ``submission/`` and runs ``run_autograder``.

What a learner may upload, all graded the same way: loose ``.py`` files, a folder, a ``.zip``
(unpacked by :func:`graders.submission.stage`, which never writes outside its folder and caps
sizes), and ``<module>.ipynb`` notebooks (their code is taken by :mod:`graders.notebooks`).

Each exercise is graded in a child process of its own, with a share of the time budget
(default 420 s of Gradescope's 600 s): a submission that is slow everywhere loses the exercises
that ran out of time, never its results.json. The results follow Gradescope's specification
(https://gradescope-autograders.readthedocs.io/en/latest/specs/): one test per hidden check
(score, max_score, status, output in Markdown), whose visibility is ``[grading] hidden_visibility``
of course.toml (default ``after_due_date``); the per-exercise table and the total are visible at
once.
"""

from __future__ import annotations

import io
import json
import os
import select
import signal
import stat
import sys
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .errors import UsageError
from .manifest import COURSE_FILE, HIDDEN_VISIBILITIES, Course
from .files import write_atomic, write_file
from .results import points

if TYPE_CHECKING:
    from .runner import Grader

ROOT_ENV = "NNLA_AUTOGRADER_ROOT"
DEFAULT_ROOT = "/autograder"
CONFIG = "gradescope.json"
COURSE_DIR = "nnla"
CONFIG_FORMAT = 1
VISIBILITIES = HIDDEN_VISIBILITIES   # Gradescope's values: hidden, after_due_date, after_published, visible
DEFAULT_BUDGET = 420.0      # seconds for all exercises together; Gradescope's default limit is 600
MIN_SHARE = 20.0            # an exercise always gets at least this long (budget permitting)
GRACE = 5.0                 # seconds a timed-out exercise gets to clean up before SIGKILL
MAX_ZIPS = 8                # zip files looked into in one upload
MAX_NOTEBOOK_BYTES = 32 << 20
PINNED = ("numpy", "hypothesis")   # what the grading process imports besides the standard library
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# --- the archive ----------------------------------------------------------------------------------

SETUP_SH = r"""#!/usr/bin/env bash
# Written by `nnla export gradescope`. Gradescope runs it once, as root, when it builds the image.
set -euo pipefail
ROOT="${NNLA_AUTOGRADER_ROOT:-/autograder}"
SRC="$ROOT/source"
VENV="$ROOT/nnla-venv"
export DEBIAN_FRONTEND=noninteractive

apt_install() { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"; }

find_python() {
    for py in python3.13 python3.12 python3.11 python3; do
        if command -v "$py" >/dev/null 2>&1 \
           && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$py"
            return 0
        fi
    done
    return 1
}

# 1. The containment tool for learner code: bubblewrap (namespaces) and setpriv (util-linux).
apt_install bubblewrap util-linux ca-certificates

# 2. Python 3.11 or newer, and a venv of our own.
PY="$(find_python)" || { apt_install python3.11 python3.11-venv && PY="$(find_python)"; }
if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    VER="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    apt_install "python$VER-venv" && "$PY" -m venv "$VENV"
fi

# 3. The grader's dependencies, pinned to the versions the course was exported with.
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$SRC/requirements.txt"

# 4. The course package, from this archive: on the venv's path, no build step.
SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$SRC/nnla" > "$SITE/nnla-course.pth"

# 5. Every hidden check's examples and reference answers, computed once here, not per submission.
NNLA_CACHE_DIR="$SRC/cache" NNLA_AUTOGRADER_ROOT="$ROOT" "$VENV/bin/python" -s -m graders.gradescope prepare

# 6. Lock the course against learner code: root only.
chown -R root:root "$SRC"
chmod -R go-rwx "$SRC"
echo "nnla autograder ready"
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Written by `nnla export gradescope`. Gradescope runs it for every submission; it grades
# $ROOT/submission and always leaves a valid $ROOT/results/results.json.
ROOT="${NNLA_AUTOGRADER_ROOT:-/autograder}"
SRC="$ROOT/source"
RESULTS="$ROOT/results/results.json"
HARD_LIMIT="${NNLA_HARD_LIMIT:-540}"      # seconds; Gradescope's default limit is 600
mkdir -p "$ROOT/results"
rm -f "$RESULTS"
chmod -R go-rwx "$SRC" 2>/dev/null || true   # the course stays root-only
if [ -n "${NNLA_PYTHON:-}" ]; then
    PY="$NNLA_PYTHON"
elif [ -x "$ROOT/nnla-venv/bin/python" ]; then
    PY="$ROOT/nnla-venv/bin/python"
else
    PY="$(command -v python3 || echo python3)"
fi
START="$(date +%s)"
cd "$ROOT" 2>/dev/null || cd /
PYTHONPATH="$SRC/nnla" NNLA_CACHE_DIR="${NNLA_CACHE_DIR:-$SRC/cache}" NNLA_AUTOGRADER_ROOT="$ROOT" \
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
    timeout --kill-after=10 "$HARD_LIMIT" "$PY" -s -m graders.gradescope run
STATUS=$?
if [ ! -s "$RESULTS" ]; then
    ELAPSED=$(( $(date +%s) - START ))
    if [ "$STATUS" = 124 ] || [ "$STATUS" = 137 ]; then
        WHY="grading did not finish within $HARD_LIMIT seconds"
    else
        WHY="the autograder stopped unexpectedly (exit status $STATUS)"
    fi
    printf '{"score": 0, "execution_time": %d, "output": "**The autograder could not grade this submission:** %s. Please tell your instructor; the details are in the autograder output.", "output_format": "md", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}\n' \
        "$ELAPSED" "$WHY" > "$RESULTS"
    echo "nnla: wrote a fallback results.json ($WHY)"
fi
exit 0
"""


def _course_files(course: Course) -> dict[str, bytes]:
    """nnla/: course.toml, solutions/, and the graders package (its real files, no links, no caches)."""
    files = {f"{COURSE_DIR}/{COURSE_FILE}": (course.root / COURSE_FILE).read_bytes()}
    for path in sorted(course.solutions_dir.glob("*.py")):  # every reference course.toml may name
        if path.is_file() and not path.is_symlink():
            files[f"{COURSE_DIR}/solutions/{path.name}"] = path.read_bytes()
    package = Path(__file__).resolve().parent
    for dirpath, dirnames, filenames in os.walk(package, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", "suite") and not d.startswith(".")
                             and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.endswith(".py") and not path.is_symlink():
                rel = path.relative_to(package.parent).as_posix()
                files[f"{COURSE_DIR}/{rel}"] = path.read_bytes()
    return files


def _requirements() -> str:
    lines = []
    for name in PINNED:
        try:
            lines.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(name)
    return "\n".join(lines) + "\n"


def export_files(course: Course, *, only: list[str] | None = None, units: list[str] | None = None,
                 hidden_visibility: str | None = None, time_budget: float | None = None) -> dict[str, bytes]:
    """Every file of the autograder archive: path -> content."""
    from .runner import course_checks

    modules = [ex.module for ex in course.exercises]
    if units:
        known = {u.name for u in course.units}
        for unit in units:
            if unit not in known:
                raise UsageError(f"no unit named {unit!r} (the course has: {', '.join(sorted(known))})")
        modules = [ex.module for ex in course.exercises if ex.unit in units]
    if only:
        for module in only:
            course.exercise(module)
        modules = [m for m in modules if m in only]
    if not modules:
        raise UsageError("nothing to export: --only and --unit select no exercise")
    course_checks(course, modules)  # every exported exercise must have its checks
    visibility = hidden_visibility or getattr(course.grading, "hidden_visibility", "after_due_date")
    if visibility not in VISIBILITIES:
        raise UsageError(f"hidden checks' visibility must be one of {', '.join(VISIBILITIES)}")
    budget = DEFAULT_BUDGET if time_budget is None else float(time_budget)
    if not 30 <= budget <= 3600:
        raise UsageError("--time-budget must be between 30 and 3600 seconds")
    config = {"format": CONFIG_FORMAT, "course": course.title, "version": course.version,
              "exercises": modules, "hidden_visibility": visibility, "time_budget": budget}
    files = {"setup.sh": SETUP_SH.encode(), "run_autograder": RUN_AUTOGRADER.encode(),
             "requirements.txt": _requirements().encode(),
             CONFIG: (json.dumps(config, indent=2) + "\n").encode()}
    files.update(_course_files(course))
    return dict(sorted(files.items()))


EXECUTABLE = {"setup.sh", "run_autograder"}


def archive_bytes(files: dict[str, bytes]) -> bytes:
    """The zip Gradescope wants: files at its root, scripts executable, deterministic."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, data in sorted(files.items()):
            info = zipfile.ZipInfo(rel, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix: the mode bits below are honoured
            mode = 0o755 if rel in EXECUTABLE else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            zf.writestr(info, data)
    return buf.getvalue()


def export(course: Course, out: Path, **options) -> dict:
    """Write the archive; returns its configuration (what gradescope.json says)."""
    out = Path(out)
    if out.is_dir():
        raise UsageError(f"{out}: is a folder; give the archive's file name (e.g. autograder.zip)")
    files = export_files(course, **options)
    write_file(out, archive_bytes(files))   # whole or not at all; UsageError when it cannot be
    return json.loads(files[CONFIG])


# --- a submission, whatever its form, as one folder of .py files ----------------------------------

@dataclass
class Collected:
    folder: Path                                            # what nnla grades
    notes: list[str] = field(default_factory=list)          # for the learner
    problems: dict[str, str] = field(default_factory=dict)  # module -> why it cannot be graded


def _walk_files(root: Path, suffix: str, limit: int = 2000):
    """Regular files named *suffix below root, never following links, capped."""
    from .submission import SKIP_DIRS

    seen = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        if len(Path(dirpath).relative_to(root).parts) > 16:
            dirnames[:] = []
        for name in sorted(filenames):
            seen += 1
            if seen > limit:
                return
            path = Path(dirpath) / name
            if name.lower().endswith(suffix) and not path.is_symlink() and path.is_file():
                yield path


def _notebooks_from_zip(path: Path, dest: Path, notes: list[str]) -> None:
    """Copy the ``.ipynb`` members of a zip into dest (safe names only, sizes capped, no links)."""
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist()[:5000]:
                name = info.filename.replace("\\", "/")
                if info.is_dir() or not name.lower().endswith(".ipynb"):
                    continue
                parts = PurePosixPath(name).parts
                if (name.startswith("/") or ".." in parts or not parts
                        or any(p.startswith(".") or ":" in p for p in parts)):
                    continue
                if stat.S_ISLNK(info.external_attr >> 16) or info.file_size > MAX_NOTEBOOK_BYTES:
                    continue
                with zf.open(info) as member:
                    data = member.read(MAX_NOTEBOOK_BYTES + 1)
                if len(data) > MAX_NOTEBOOK_BYTES:
                    continue
                target = dest.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, ValueError) as err:
        notes.append(f"{path.name}: its notebooks could not be read ({type(err).__name__})")


def collect(raw: Path, modules: list[str], work: Path) -> Collected:
    """Every form a learner may upload (loose files, folders, zips, notebooks) as one flat folder."""
    from .submission import Staged, printable, stage

    raw = Path(raw)
    out = Collected(work / "graded")
    out.folder.mkdir(parents=True)
    os.chmod(out.folder, 0o755)
    if not raw.is_dir() or not any(raw.iterdir()):
        out.notes.append("The submission is empty: upload your exercise files (e.g. dot_product.py).")
        return out
    sources: dict[str, list[tuple[str, Path]]] = {}   # stem -> [(where it came from, staged file)]

    def take(staged: Staged, folder: Path, where: str) -> None:
        for file in sorted(folder.glob("*.py")):
            sources.setdefault(file.stem, []).append((where, file))
        for module, problem in staged.problems.items():
            out.problems.setdefault(module, problem)
        out.notes.extend(staged.notes)

    # 1. .py files anywhere in the upload (loose, or in folders)
    try:
        take(stage(raw, modules, work / "files"), work / "files", "your files")
    except UsageError as err:
        out.notes.append(str(err))
    # 2. zip files in the upload
    zips = list(_walk_files(raw, ".zip"))
    if len(zips) > MAX_ZIPS:
        out.notes.append(f"only the first {MAX_ZIPS} zip files were opened")
    nb_root = work / "notebooks-in"
    for i, path in enumerate(zips[:MAX_ZIPS]):
        label = printable(path.relative_to(raw))
        try:
            take(stage(path, modules, work / f"zip{i}"), work / f"zip{i}", label)
        except UsageError as err:
            out.notes.append(str(err))
        _notebooks_from_zip(path, nb_root / f"zip{i}", out.notes)
    # 3. notebooks, for the exercises no .py file was given for
    notebooks = list(_walk_files(raw, ".ipynb"))
    for path in notebooks:
        target = nb_root / "files" / path.relative_to(raw)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.stat().st_size <= MAX_NOTEBOOK_BYTES:
            target.write_bytes(path.read_bytes())
    if nb_root.is_dir():
        named = {p.stem for p in nb_root.rglob("*.ipynb")}
        both = sorted(m for m in modules if m in named and m in sources)
        for module in both:
            if not any(f"{module}.ipynb" in note for note in out.notes):
                out.notes.append(f"{module}: both {module}.py and {module}.ipynb were submitted; "
                                 f"{module}.py was graded")
        wanted = [m for m in modules if m in named and m not in sources]
        if wanted:
            try:
                from .notebooks import stage_notebooks
            except ImportError:
                for module in wanted:
                    out.problems[module] = (f"{module}.ipynb: this autograder grades .py files only; "
                                            f"submit {module}.py")
            else:
                staged = Staged("submission")
                (work / "nb").mkdir()
                stage_notebooks(nb_root, wanted, work / "nb", staged)
                for module in wanted:
                    out.problems.pop(module, None)
                take(staged, work / "nb", "your notebook")
    # 4. one file per module, or a clear problem
    for stem, found in sorted(sources.items()):
        if len(found) > 1:
            if stem in modules:
                where = ", ".join(sorted({w for w, _ in found}))
                out.problems[stem] = f"{stem}.py was submitted more than once ({where}); keep one"
            continue
        target = out.folder / f"{stem}.py"
        target.write_bytes(found[0][1].read_bytes())
        os.chmod(target, 0o644)
        if stem in modules:
            out.problems.pop(stem, None)
    return out


# --- grading in a child process, one exercise after another -------------------------------------------

def _blank(grader: Grader, module: str, status: str, message: str) -> dict:
    ex = grader.course.exercise(module)
    checks = [{"name": c.name, "function": c.function, "passed": False, "points": 0,
               "max_points": points(c.points), "message": message} for c in grader.checks[module]]
    return {"title": ex.title, "score": 0, "max_score": points(ex.points), "status": status,
            "message": message, "checks": checks, "output": ""}


class _Child:
    """A forked process that grades exercises in turn in one learner process (one sandbox for
    all of them) and sends each result as one line of JSON as soon as it is known. The parent
    gives each exercise its own deadline; one that misses it is the one being graded then."""

    def __init__(self, grader: Grader, folder: Path, modules: list[str]):
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: grade, send, leave without running the parent's cleanups
            code = 0
            try:
                os.close(read_fd)
                signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))  # unwinds: learner processes get killed
                with os.fdopen(write_fd, "wb") as pipe:
                    for module, ex in grader.grade_in_turn(folder, modules):
                        pipe.write(json.dumps({"module": module, "result": ex.to_dict()}).encode() + b"\n")
                        pipe.flush()
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(write_fd)
        self.pid, self.fd, self.buffer = pid, read_fd, b""

    def next(self, module: str, deadline: float) -> tuple[dict | None, str]:
        """The result of ``module``, the next exercise in turn: (result dict, '') or (None, why not).
        After (None, why) the child is gone."""
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                return None, "timeout"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 1 << 16)
                if not chunk:
                    _, status = os.waitpid(self.pid, 0)
                    self.pid = None
                    self.stop()
                    return None, f"the grading process failed (status {status})"
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            sent = json.loads(line)
            if sent["module"] != module:
                raise ValueError
            return sent["result"], ""
        except (ValueError, KeyError, TypeError):
            self.stop()
            return None, "the grading process sent a broken result"

    def finish(self) -> None:
        """After the last result: let the child clean up and leave (it closes the pipe as it
        goes), stopping it only if that takes longer than GRACE."""
        end = time.monotonic() + GRACE
        while self.fd >= 0 and time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, end - time.monotonic()))
            if ready and not os.read(self.fd, 1 << 16):
                os.waitpid(self.pid, 0)
                self.pid = None
                break
        self.stop()

    def stop(self) -> None:
        """End the child (if still running) and close the pipe."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.pid is not None:
            _stop(self.pid)
            self.pid = None


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.monotonic() + GRACE
    while time.monotonic() < end:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


@dataclass
class Setup:
    root: Path
    config: dict
    course: Course
    grader: Grader  # of the exported exercises


def load_setup(root: Path) -> Setup:
    from .manifest import load_course
    from .runner import Grader
    from .sandbox import containment

    source = root / "source"
    try:
        config = json.loads((source / CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UsageError(f"{source / CONFIG} cannot be read ({err})") from None
    if not isinstance(config, dict) or config.get("format") != CONFIG_FORMAT:
        raise UsageError(f"{source / CONFIG}: not a configuration this version of nnla understands")
    course = load_course(source / COURSE_DIR)
    isolation = containment.detect()
    if hasattr(isolation, "with_hidden"):
        isolation = isolation.with_hidden(source, root / "results")
    return Setup(root, config, course, Grader(course, only=list(config["exercises"]), isolation=isolation))


def grade_submission(setup: Setup, raw: Path, *, started: float | None = None) -> dict:
    """The nnla result (as ``nnla grade`` writes it) of the upload in ``raw``, within the budget.

    The exercises are graded in turn in one child process (one sandbox start for all). Each gets
    its share of the time left when it starts; one that overruns it scores 0 with a message, and
    a new child goes on with the next.
    """
    import tempfile

    started = time.monotonic() if started is None else started
    budget = float(setup.config.get("time_budget", DEFAULT_BUDGET))
    grader = setup.grader
    modules = [ex.module for ex in grader.exercises]
    grader.prepare(decode=False)  # one submission: the child decodes only what it judges
    result = {"submission": "submission", "course": setup.course.title,
              "course_version": setup.course.version, "seed": grader.seed,
              "isolation": grader.isolation.level, "score": 0, "max_score": 0,
              "exercises": {}, "notes": []}
    with tempfile.TemporaryDirectory(prefix="nnla-gradescope-") as tmp:
        os.chmod(tmp, 0o755)
        collected = collect(raw, modules, Path(tmp))
        result["notes"] = list(dict.fromkeys(collected.notes))
        child = None
        try:
            for i, module in enumerate(modules):
                left = budget - (time.monotonic() - started)
                share = max(left / (len(modules) - i), min(MIN_SHARE, left))
                if module in collected.problems:
                    ex = _blank(grader, module, "error", collected.problems[module])
                elif share <= 1:
                    if child is not None:  # it would go on with exercises nobody waits for
                        child.stop()
                        child = None
                    ex = _blank(grader, module, "timeout", "not graded: the autograder ran out of time "
                                                             "on the exercises before it")
                else:
                    if child is None:
                        child = _Child(grader, collected.folder,
                                       [m for m in modules[i:] if m not in collected.problems])
                    began = time.monotonic()
                    ex, why = child.next(module, began + share)
                    print(f"nnla: graded {module} in {time.monotonic() - began:.1f} s", flush=True)
                    if why:
                        child = None  # gone: the next exercise starts a new one
                    if why == "timeout":
                        ex = _blank(grader, module, "timeout",
                                    f"grading {module} took longer than its share of the autograder's "
                                    f"time ({share:.0f} s): make its functions faster")
                    elif why:
                        print(f"nnla: {module}: {why}", flush=True)
                        ex = _blank(grader, module, "error",
                                    f"the autograder could not grade {module} ({why}); please tell your instructor")
                result["exercises"][module] = ex
            if child is not None:
                child.finish()
        finally:
            if child is not None:
                child.stop()
    result["score"] = points(sum(e["score"] for e in result["exercises"].values()))
    result["max_score"] = points(sum(e["max_score"] for e in result["exercises"].values()))
    return result


# --- Gradescope's results.json ----------------------------------------------------------------------

def _fence(text: str) -> str:
    """``text`` as a Markdown code block whose fence no backtick run inside can close."""
    longest, run = 0, 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def _cell(text: str) -> str:
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    first = first if len(first) <= 160 else first[:157] + "..."
    return first.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'")


def _says(setup: Setup) -> dict:
    return {(m, c.function, c.name): " ".join(c.says.split())
            for m, checks in setup.grader.checks.items() for c in checks}


def gradescope_results(setup: Setup, result: dict, elapsed: float) -> dict:
    visibility = setup.config.get("hidden_visibility", "after_due_date")
    says = _says(setup)
    tests = []
    rows = ["| # | exercise | points | status | |", "|---|---|---|---|---|"]
    numbers = {ex.module: n for n, ex in enumerate(setup.course.exercises, start=1)}
    for module, ex in result["exercises"].items():
        n = numbers[module]
        rows.append(f"| {n} | {_cell(ex['title'])} (`{module}.py`) | {ex['score']}/{ex['max_score']} "
                    f"| {ex['status'].replace('_', ' ')} | {_cell(ex['message'])} |")
        for k, check in enumerate(ex["checks"], start=1):
            prop = says.get((module, check["function"], check["name"]), check["name"])
            name = f"{n}.{k} {module} · {check['function']}: {prop}"
            if check["passed"]:
                output = "Passed." if check["message"] in ("", "passed") else f"Passed. {_cell(check['message'])}"
            else:
                output = f"**Failed.**\n\n{_fence(check['message'] or 'failed')}"
            tests.append({"name": name if len(name) <= 250 else name[:247] + "...", "number": f"{n}.{k}",
                          "score": points(check["points"]), "max_score": points(check["max_points"]),
                          "status": "passed" if check["passed"] else "failed",
                          "output": output, "output_format": "md", "visibility": visibility,
                          "tags": [module, check["function"]]})
        if ex.get("output"):
            tests.append({"name": f"{n}.0 {module}: what your code printed", "number": f"{n}.0",
                          "score": 0, "max_score": 0, "status": "passed",
                          "output": _fence(ex["output"]), "output_format": "md",
                          "visibility": visibility, "tags": [module]})
    lines = [f"## {setup.course.title}: {result['score']}/{result['max_score']} points", "", *rows, ""]
    if visibility != "visible":
        when = {"after_due_date": "after the due date", "after_published": "once grades are published",
                "hidden": "to your instructor only"}[visibility]
        lines += [f"Each hidden check's result, with the smallest input it failed on, is shown {when}.", ""]
    if result.get("notes"):
        lines += ["**Notes**", "", *[f"- {_cell(n)}" for n in result["notes"]], ""]
    return {
        "score": result["score"],
        "execution_time": int(round(elapsed)),
        "output": "\n".join(lines),
        "output_format": "md",
        "test_output_format": "md",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"nnla": {"course": result["course"], "version": result["course_version"],
                                "isolation": result["isolation"], "max_score": result["max_score"]}},
    }


def failure_results(message: str, elapsed: float) -> dict:
    """A valid results.json for when grading itself went wrong: score 0, a clear message."""
    return {"score": 0, "execution_time": int(round(elapsed)),
            "output": f"**The autograder could not grade this submission:** {message}\n\n"
                      f"This is not about your code. Please tell your instructor.",
            "output_format": "md", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}


def autograder_root() -> Path:
    return Path(os.environ.get(ROOT_ENV) or DEFAULT_ROOT)


def run(root: Path | None = None) -> dict:
    """Grade ``ROOT/submission`` into ``ROOT/results/results.json``; never leaves without writing it."""
    started = time.monotonic()
    root = Path(root) if root is not None else autograder_root()
    target = root / "results" / "results.json"
    try:
        setup = load_setup(root)
        result = grade_submission(setup, root / "submission", started=started)
        data = gradescope_results(setup, result, time.monotonic() - started)
        print(f"nnla: {result['score']}/{result['max_score']} points "
              f"(isolation {result['isolation']}, {time.monotonic() - started:.1f} s)")
        for module, ex in result["exercises"].items():
            print(f"  {module:<20} {ex['score']:>5}/{ex['max_score']:<5} {ex['status']}")
    except BaseException as err:  # noqa: BLE001 -- whatever happened, Gradescope gets a results.json
        traceback.print_exc()
        why = str(err) if isinstance(err, UsageError) else f"internal error ({type(err).__name__}: {err})"
        data = failure_results(why, time.monotonic() - started)
    write_atomic(target, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return data


def prepare(root: Path | None = None) -> None:
    """setup.sh's step: compute every check's examples and reference answers into the cache."""
    setup = load_setup(Path(root) if root is not None else autograder_root())
    setup.grader.prepare()
    isolation = setup.grader.isolation
    print(f"nnla: {len(setup.grader.exercises)} exercises ready; learner code isolation: {isolation.level}")
    if isolation.warning:
        print(f"nnla: warning: {isolation.warning}")


# --- the command ----------------------------------------------------------------------------------

def cmd_export_gradescope(args) -> int:
    from .cli import _course

    course = _course(args)
    out = Path(args.out)
    config = export(course, out, only=args.only, units=args.unit,
                    hidden_visibility=args.hidden_visibility, time_budget=args.time_budget)
    total = points(sum(course.exercise(m).points for m in config["exercises"]))
    print(f"wrote {out}: {len(config['exercises'])} exercises, {total} points; hidden checks' "
          f"details: {config['hidden_visibility']}")
    print("upload it as the assignment's autograder (Configure Autograder > Zip file upload) "
          "and set the assignment's points to " f"{total}")
    return 0


def register(subparsers) -> None:
    from .cli import export_subparsers

    targets = export_subparsers(subparsers)
    p = targets.add_parser("gradescope", help="write a Gradescope autograder archive (setup.sh, run_autograder, the course)")
    p.add_argument("out", metavar="OUT.zip", help="the archive to write")
    p.add_argument("--only", action="append", metavar="EXERCISE", help="grade only this exercise (repeatable)")
    p.add_argument("--unit", action="append", metavar="UNIT", help="grade only this unit's exercises (repeatable)")
    p.add_argument("--hidden-visibility", choices=VISIBILITIES, default=None,
                   help="when learners see each hidden check's result and counterexample "
                        "(default: course.toml's [grading] hidden_visibility, else after_due_date)")
    p.add_argument("--time-budget", type=float, default=None, metavar="SECONDS",
                   help=f"time for grading one submission, all exercises together (default {DEFAULT_BUDGET:g})")
    p.set_defaults(run=cmd_export_gradescope)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:
        run()
        return 0
    if argv[:1] == ["prepare"]:
        prepare()
        return 0
    print("usage: python -m graders.gradescope run|prepare   (root: $NNLA_AUTOGRADER_ROOT, default /autograder)",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
