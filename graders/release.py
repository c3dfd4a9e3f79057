"""``nnla release OUTDIR``: the bundle learners get, written from the same sources as everything else.

Written (and nothing else)::

    OUTDIR/README.md                      setup in one command, self-check, how to submit
    OUTDIR/requirements.txt               numpy, pytest, hypothesis: all a learner needs
    OUTDIR/pytest.ini                     so that a plain ``pytest`` in OUTDIR runs the self-check
    OUTDIR/exercises/<module>.py          the stubs (``nnla sync``'s output: solution blocks removed)
    OUTDIR/exercises/test_<module>.py     the public examples
    OUTDIR/exercises/conftest.py          the self-check plugin (progress table, short failures)
    OUTDIR/exercises/exercises.toml       the learner's view of course.toml: order, titles, hints
    OUTDIR/notebooks/<module>.ipynb       with --notebooks: the same stubs as notebooks

The bundle holds no reference code and no hidden check: the stubs are generated from
``solutions/`` with every ``### BEGIN SOLUTION`` block replaced, the files are taken from an
explicit list (never "everything in exercises/"), and ``tests/test_release.py`` compares every
non-trivial line of ``solutions/`` and ``graders/`` with every file of the bundle. A release
refuses to run while ``exercises/`` is out of date with ``solutions/`` (run ``nnla sync``), so
learners get exactly what the project's own tests checked.

``--zip`` writes the same files as one archive (``OUTDIR.zip``, everything under one folder);
both forms are byte-identical from run to run.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import tempfile
import tomllib
import zipfile
from pathlib import Path

from .errors import UsageError
from .manifest import Course
from .files import cannot_write, folder_mode, make_folders, remove_folders, write_file
from .results import points
from .sync import BEGIN, END, LEARNER_MANIFEST, expected_files, out_of_date

# What a learner installs: the self-check needs pytest; the stubs and tests numpy; hypothesis is
# there for learners who write their own property tests (the course teaches with them).
LEARNER_PACKAGES = ("numpy", "pytest", "hypothesis")
_FALLBACK_PINS = {"numpy": "numpy>=1.24", "pytest": "pytest>=7", "hypothesis": "hypothesis>=6.80"}
PLUGIN = "conftest.py"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)   # fixed timestamps: the archive is a function of the course


def _requirement_lines(course: Course) -> list[str]:
    """The learner packages with the version bounds the project itself declares."""
    pins = dict(_FALLBACK_PINS)
    try:
        project = tomllib.loads((course.root / "pyproject.toml").read_text(encoding="utf-8"))
        for dep in project.get("project", {}).get("dependencies", []):
            name = dep.split(";")[0].strip()
            for sep in ("[", "=", ">", "<", "!", "~", " "):
                name = name.split(sep)[0]
            if name.lower() in pins:
                pins[name.lower()] = dep.strip()
    except (OSError, tomllib.TOMLDecodeError):
        pass
    return [pins[name] for name in LEARNER_PACKAGES]


def _exercise_table(course: Course) -> list[str]:
    rows = ["| # | file | functions | points | what you build |", "|---|---|---|---|---|"]
    for number, ex in enumerate(course.exercises, start=1):
        fns = ", ".join(f"`{f}`" for f in ex.functions)
        rows.append(f"| {number} | `exercises/{ex.module}.py` | {fns} | {points(ex.points)} | {ex.title} |")
    return rows


def learner_readme(course: Course, *, notebooks: bool = False) -> str:
    n = len(course.exercises)
    first = course.exercises[0]
    forbidding = [ex for ex in course.exercises if ex.forbidden]
    lines = [
        f"# {course.title}",
        "",
        f"{n} exercises, each a small NumPy function you write yourself, in curriculum order. "
        f"Every file in `exercises/` is one lesson: its docstring explains the idea, the shapes "
        f"of every array and a worked example; you replace its `raise NotImplementedError(...)` "
        f"line with your code.",
        "",
        "## Setup (once)",
        "",
        "You need Python 3.11 or newer. In this folder:",
        "",
        "```bash",
        "python -m pip install -r requirements.txt",
        "```",
        "",
        "(Inside a virtual environment if you like: `python -m venv .venv`, then activate it first.)",
        "",
        "## Self-check",
        "",
        "```bash",
        "python -m pytest",
        "```",
        "",
        f"runs the public examples of every exercise and ends with your progress, e.g. "
        f"`0/{n} exercises done — next: {first.module}` and a hint. A function you have not "
        f"written yet fails with one short line, `not implemented yet`.",
        "",
        "```bash",
        f"python -m pytest -k {first.module}      # one exercise",
        "python -m pytest -x                # stop at the first failure",
        "```",
        "",
        "The examples here are only a first check. Your submission is graded by hidden checks that "
        "try many generated inputs (empty arrays, 1×1, tall and wide shapes, integer and float32 "
        "dtypes, large values, ...) and compare your results with the expected ones; a failed "
        "check shows you the smallest input it found.",
        "",
        "## The exercises",
        "",
        *_exercise_table(course),
        "",
        "Titles and hints are also in `exercises/exercises.toml`.",
        "",
    ]
    if forbidding:
        lines += ["## Shortcuts that are not allowed", "",
                  "Some exercises ask you to write the computation yourself; the grader reads your "
                  "code and reports the line of a forbidden call:", ""]
        for ex in forbidding:
            lines.append(f"- `{ex.module}`: " + ", ".join(f"`{name}`" for name in ex.forbidden))
        lines.append("")
    if notebooks:
        lines += ["## Notebooks", "",
                  "`notebooks/` holds the same exercises as Jupyter notebooks (install Jupyter with "
                  "`python -m pip install jupyterlab`). Write your code in the solution cells; the "
                  "cell after each runs the public examples. Submit either the notebook or the "
                  "`.py` file of an exercise, not both.", ""]
    lines += [
        "## Submitting",
        "",
        "Submit the files you filled in, named as they are here (`dot_product.py`, `matmul.py`, "
        "...): upload them one by one, or the whole `exercises/` folder, or a zip of it, "
        "wherever your course collects work (e.g. Gradescope). Exercises you have not started "
        "can stay as they are. Your code runs in a separate, limited process: keep it to "
        "computing the answer (no files, no network).",
        "",
    ]
    return "\n".join(lines)


PYTEST_INI = """[pytest]
# `python -m pytest` in this folder runs the self-check in exercises/.
testpaths = exercises
"""


def _clear_solutions(text: str, module: str, inside: bool) -> tuple[str, bool]:
    """nbgrader's clear-solutions on one cell: each marked block becomes the not-implemented line."""
    out = []
    for line in text.splitlines():
        marker = line.strip()
        if marker == BEGIN and not inside:
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("{module}: not implemented yet")')
        elif marker == END and inside:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out).rstrip("\n"), inside


def _notebook_files(course: Course) -> dict[str, bytes]:
    """``notebooks/<module>.ipynb``: nbgrader's exercise notebooks with solutions and hidden cells removed."""
    try:
        import nbformat

        from . import nbgrader
        from .runner import course_checks
    except ImportError as err:
        raise UsageError(f"--notebooks needs the nbgrader export and nbformat ({err})") from None
    checks = course_checks(course)
    files = {}
    for number, ex in enumerate(course.exercises, start=1):
        nb = nbgrader.exercise_notebook(course, ex, checks[ex.module], number)
        kept = []
        inside = False  # a solution block may end in a later cell than it began: carry the state
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            text = cell.get("source", "")
            if "### BEGIN HIDDEN TESTS" in text or (meta.get("grade") and meta.get("points", 0)):
                continue  # a hidden check cell: it runs when the submission is graded, not here
            if cell.get("cell_type") == "code":
                cell["source"], inside = _clear_solutions(text, ex.module, inside)
                cell["outputs"], cell["execution_count"] = [], None
            kept.append(cell)
        if inside:
            raise UsageError(f"{ex.module}.ipynb: {BEGIN} is never closed")
        nb.cells = kept
        nbformat.validate(nb)
        files[f"notebooks/{ex.module}.ipynb"] = (nbformat.writes(nb) + "\n").encode("utf-8")
    return files


def bundle_files(course: Course, *, notebooks: bool = False) -> dict[str, bytes]:
    """Every file of the bundle: relative path -> content. Nothing else is ever written."""
    stale = out_of_date(course)
    if stale:
        names = ", ".join(str(p.relative_to(course.root)) for p in stale[:3])
        raise UsageError(f"exercises/ is out of date with solutions/ ({names}); run `nnla sync` first")
    generated = expected_files(course)
    files: dict[str, bytes] = {}
    for path, text in generated.items():
        files[f"exercises/{path.name}"] = text.encode("utf-8")
    for ex in course.exercises:
        test = course.exercises_dir / f"test_{ex.module}.py"
        if test.is_file():
            files[f"exercises/{test.name}"] = test.read_bytes()
    plugin = course.exercises_dir / PLUGIN
    if not plugin.is_file():
        raise UsageError(f"{plugin}: the self-check plugin is missing")
    files[f"exercises/{PLUGIN}"] = plugin.read_bytes()
    if f"exercises/{LEARNER_MANIFEST}" not in files:
        raise UsageError(f"sync wrote no exercises/{LEARNER_MANIFEST}")
    files["README.md"] = learner_readme(course, notebooks=notebooks).encode("utf-8")
    files["requirements.txt"] = ("\n".join(_requirement_lines(course)) + "\n").encode("utf-8")
    files["pytest.ini"] = PYTEST_INI.encode("utf-8")
    if notebooks:
        files.update(_notebook_files(course))
    return dict(sorted(files.items()))


def write_tree(files: dict[str, bytes], outdir: Path) -> None:
    """Write the bundle at ``outdir`` (a new or an empty folder): all of it, or nothing.

    The bundle is built in a temporary folder on the same filesystem and renamed into place at the
    end: next to ``outdir`` when ``outdir`` is new; inside it when it is an existing empty folder
    (a mount point or a link stays one), its entries then renamed into ``outdir`` and taken out
    again on an error. Any error (a full disk, an unwritable parent, a file where a folder must be)
    removes what was written and is a UsageError naming ``outdir``. Files and folders get the
    usual permissions (the umask's), not those of a temporary folder.
    """
    outdir = Path(outdir)
    existing = os.path.isdir(outdir)
    if existing:
        try:
            if os.listdir(outdir):
                raise UsageError(f"{outdir}: exists and is not empty; give a new folder")
        except OSError as err:
            raise cannot_write(outdir, err) from None
    elif os.path.lexists(outdir):
        raise UsageError(f"{outdir}: exists and is not a folder")
    made: list[Path] = []
    tmp: Path | None = None
    moved: list[Path] = []
    try:
        if existing:
            tmp = Path(tempfile.mkdtemp(dir=outdir, prefix=".nnla-release.", suffix=".tmp"))
        else:
            made = make_folders(outdir.parent)
            tmp = Path(tempfile.mkdtemp(dir=outdir.parent, prefix=f".{outdir.name}.", suffix=".tmp"))
        for rel, data in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as f:   # a new file: the umask's permissions
                f.write(data)
        if existing:
            for entry in sorted(os.listdir(tmp)):
                os.rename(tmp / entry, outdir / entry)
                moved.append(outdir / entry)
            os.rmdir(tmp)
        else:
            os.chmod(tmp, folder_mode())  # mkdtemp's folder is 0o700
            os.rename(tmp, outdir)
        tmp = None
    except BaseException as err:
        for path in moved:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        remove_folders(made)
        if isinstance(err, OSError):
            raise cannot_write(outdir, err) from None
        raise


def zip_bytes(files: dict[str, bytes], top: str) -> bytes:
    """A deterministic zip: sorted entries under ``top/``, fixed dates and permissions."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, data in sorted(files.items()):
            info = zipfile.ZipInfo(f"{top}/{rel}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, data)
    return buf.getvalue()


def release(course: Course, out: Path, *, as_zip: bool = False, notebooks: bool = False) -> Path:
    """Write the bundle to ``out`` (a folder), or to ``out`` + ``.zip``; returns what was written."""
    files = bundle_files(course, notebooks=notebooks)
    out = Path(out)
    if as_zip:
        target = out if out.suffix == ".zip" else out.with_name(out.name + ".zip")
        top = target.stem or "exercises"
        if target.is_dir():
            raise UsageError(f"{target}: is a folder")
        write_file(target, zip_bytes(files, top))   # whole or not at all; UsageError when it cannot be
        return target
    write_tree(files, out)
    return out


# --- the command ------------------------------------------------------------------------------------

def cmd_release(args) -> int:
    from .cli import _course

    course = _course(args)
    target = release(course, Path(args.outdir), as_zip=args.zip, notebooks=args.notebooks)
    n = len(course.exercises)
    print(f"wrote the learner bundle ({n} exercises) to {target}")
    where = f"unzip {target.name} && cd {target.stem}" if args.zip else f"cd {target}"
    print(f"learners: {where} && python -m pip install -r requirements.txt && python -m pytest")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("release", help="write the learner bundle (stubs, public tests, self-check)")
    p.add_argument("outdir", metavar="OUTDIR", help="a new folder (or, with --zip, the archive's name)")
    p.add_argument("--zip", action="store_true", help="write one archive, OUTDIR.zip, instead of a folder")
    p.add_argument("--notebooks", action="store_true",
                   help="also add the exercises as Jupyter notebooks (notebooks/<module>.ipynb)")
    p.set_defaults(run=cmd_release)

