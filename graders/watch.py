"""``nnla watch``: re-run the self-check of the exercise you are editing, each time you save.

Watches the exercises folder (``exercises/`` of the course, or ``--dir``). Saving
``matmul.py`` or ``test_matmul.py`` runs ``pytest test_matmul.py`` there, which ends with the
progress table and the hint for the next exercise; saving any other Python file there runs the
whole self-check. The folder is polled (twice a second by default): a dozen small files cost
nothing to look at, and polling works the same on every system and with editors that save by
writing a new file and renaming it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from .errors import UsageError

CLEAR = "\033[2J\033[H"

Snapshot = dict[str, tuple[int, int, int]]


def find_exercises_dir(given: str | None = None) -> Path:
    """``--dir``, else the course's ``exercises/``, else this folder if it holds exercises."""
    if given:
        folder = Path(given)
        if not folder.is_dir():
            raise UsageError(f"{folder}: not a folder")
        if not any(folder.glob("test_*.py")):
            raise UsageError(f"{folder}: no exercises to watch in it (no test_*.py files)")
        return folder.resolve()
    here = Path.cwd()
    if (here / "exercises.toml").is_file() or any(here.glob("test_*.py")):
        return here.resolve()
    for folder in (here, *here.parents):
        if (folder / "exercises").is_dir() and ((folder / "course.toml").is_file()
                                                or (folder / "exercises" / "exercises.toml").is_file()):
            return (folder / "exercises").resolve()
    raise UsageError("no exercises folder found here (run this in the course folder, "
                     "or give --dir EXERCISES)")


def snapshot(folder: Path) -> Snapshot:
    """Every ``*.py`` file's (mtime, size, inode): any save changes at least one of them."""
    state = {}
    for path in folder.glob("*.py"):
        try:
            st = path.stat()
        except OSError:  # deleted between glob and stat
            continue
        state[path.name] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return state


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """Names of the files that were added, removed or saved."""
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def targets(folder: Path, names: list[str]) -> list[str]:
    """The test files to run for these changed files (empty: run the whole self-check)."""
    tests = set()
    for name in names:
        stem = name[:-3] if name.endswith(".py") else name
        if stem == "conftest":
            return []
        test = name if stem.startswith("test_") else f"test_{stem}.py"
        if not (folder / test).is_file():
            return []  # a helper or an unknown file: everything may depend on it
        tests.add(test)
    return sorted(tests)


def command(tests: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]


def run(folder: Path, tests: list[str], *, clear: bool, out=None) -> int:
    out = out or sys.stdout
    if clear:
        out.write(CLEAR)
    what = ", ".join(tests) if tests else "every exercise"
    print(f"nnla watch: {time.strftime('%H:%M:%S')} running the self-check for {what}", file=out,
          flush=True)
    return subprocess.run(command(tests), cwd=folder).returncode


def watch(folder: Path, *, interval: float = 0.5, clear: bool = True, initial: bool = True,
          max_runs: int | None = None, out=None) -> int:
    """Poll ``folder`` and run the matching self-check after each save (``max_runs``: for tests)."""
    out = out or sys.stdout
    runs = 0
    if initial:
        run(folder, [], clear=clear, out=out)
        runs += 1
    before = snapshot(folder)
    print(f"\nnnla watch: watching {folder} -- save an exercise to re-run its self-check "
          "(Ctrl+C to stop)", file=out, flush=True)
    while max_runs is None or runs < max_runs:
        time.sleep(interval)
        after = snapshot(folder)
        names = changed(before, after)
        if not names:
            continue
        time.sleep(min(0.2, interval))  # let the editor finish writing
        after = snapshot(folder)
        names = changed(before, after)
        before = after
        run(folder, targets(folder, names), clear=clear, out=out)
        runs += 1
        print(f"\nnnla watch: watching {folder} (Ctrl+C to stop)", file=out, flush=True)
    return 0


def cmd_watch(args) -> int:
    if not 0 < args.interval < float("inf"):
        raise UsageError("--interval must be a positive number of seconds")
    folder = find_exercises_dir(args.dir)
    try:
        return watch(folder, interval=args.interval, clear=not args.no_clear and sys.stdout.isatty())
    except KeyboardInterrupt:
        print("\nnnla watch: stopped", flush=True)
        return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("watch", help="re-run an exercise's self-check each time you save it")
    p.add_argument("--dir", metavar="EXERCISES", help="the exercises folder (default: found from here)")
    p.add_argument("--interval", type=float, default=0.5, metavar="SECONDS",
                   help="how often to look for saved files (default: 0.5)")
    p.add_argument("--no-clear", action="store_true", help="do not clear the screen before a run")
    p.set_defaults(run=cmd_watch)
