"""Reading a submission: find each exercise's module file and stage a clean copy of it.

A submission is a folder laid out like ``exercises/``; module files are named ``<module>.py`` and
unique in the tree (subfolders are fine). The staged copy is flat, holds only Python files, and
is what the learner process sees: symlinks, oversized files and odd names are left out.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

MAX_FILE_BYTES = 1 << 20   # a learner module larger than 1 MiB is not a module
MAX_FILES = 2000           # files looked at in one submission tree
SKIP_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", "node_modules", ".venv", "venv"}


@dataclass
class Staged:
    """What was found in a submission, and where its staged copy lives."""

    name: str
    modules: dict[str, Path] = field(default_factory=dict)     # module -> staged file
    problems: dict[str, str] = field(default_factory=dict)     # module -> why it is unusable
    notes: list[str] = field(default_factory=list)


def submission_name(path: Path) -> str:
    return path.name or path.resolve().name


def _walk(root: Path):
    """Regular files below root, never following symlinks; yields (path, relative path)."""
    count = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            count += 1
            if count > MAX_FILES:
                return
            yield Path(dirpath) / name


def stage(path: Path, modules: list[str], dest: Path) -> Staged:
    """Copy the submission's module files (and other small .py helpers) flat into ``dest``."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path}: no such submission")
    if not path.is_dir():
        raise UsageError(f"{path}: a submission must be a folder")
    staged = Staged(submission_name(path))
    found: dict[str, list[Path]] = {}
    for file in _walk(path):
        if not file.name.endswith(".py"):
            continue
        found.setdefault(file.name[:-3], []).append(file)
    dest.mkdir(parents=True, exist_ok=True)
    for stem, files in sorted(found.items()):
        wanted = stem in modules
        if not stem.isidentifier():
            continue
        if len(files) > 1:
            if wanted:
                where = ", ".join(str(f.relative_to(path)) for f in files)
                staged.problems[stem] = f"{stem}.py appears more than once ({where}); keep one"
            continue
        file = files[0]
        if file.is_symlink() or not file.is_file():
            if wanted:
                staged.problems[stem] = f"{stem}.py is a link, not a file; submit the file itself"
            continue
        if file.stat().st_size > MAX_FILE_BYTES:
            if wanted:
                staged.problems[stem] = f"{stem}.py is larger than {MAX_FILE_BYTES >> 20} MiB"
            continue
        target = dest / file.name
        shutil.copyfile(file, target)
        if wanted:
            staged.modules[stem] = target
    return staged


def read_source(path: Path) -> str | None:
    """The module's text, or None when it is not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
