"""Writing output files: whole or not at all, with the permissions a new file normally gets.

Results, reports, stubs, the learner bundle and the exports are written under a temporary name
beside their place and renamed into it, so a reader sees the old file or the new one, never half;
an OSError while writing becomes a one-line :class:`~graders.errors.UsageError` that names the
path (:func:`cannot_write`).
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import UsageError


def umask() -> int:
    """The process's umask, read without changing it where the system tells (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the umask (mkstemp gives 0o600)."""
    return 0o666 & ~umask()


def folder_mode() -> int:
    """What ``mkdir`` would give a new folder: 0o777 less the umask (mkdtemp gives 0o700)."""
    return 0o777 & ~umask()


def reason(path: Path, err: Exception) -> str:
    """Why ``path`` cannot be written (or read): a file where a folder must be, or the system's word."""
    for parent in Path(path).parents:
        if os.path.lexists(parent):
            if not os.path.isdir(parent):
                return f"{parent} is not a folder"
            break
    if isinstance(err, IsADirectoryError):
        return "it is a folder"
    return getattr(err, "strerror", None) or str(err)


def cannot_write(path: Path, err: OSError) -> UsageError:
    """The one-line error for an OSError while writing ``path``."""
    return UsageError(f"cannot write {path}: {reason(path, err)}")


def make_folders(folder: Path) -> list[Path]:
    """``mkdir -p folder``; returns the folders it created, outermost first (for :func:`remove_folders`)."""
    folder = Path(folder)
    missing = []
    for p in (folder, *folder.parents):
        if os.path.isdir(p):
            break
        missing.append(p)
    missing.reverse()
    for p in missing:
        try:
            p.mkdir()
        except FileExistsError:
            if not p.is_dir():
                raise
    return missing


def remove_folders(created: list[Path]) -> None:
    """Remove the folders :func:`make_folders` created, when they are empty again (best effort)."""
    for p in reversed(created):
        try:
            p.rmdir()
        except OSError:
            pass


class AtomicFiles:
    """Files written under temporary names beside their targets, put in place together at the end.

    ``with AtomicFiles() as out: out.add(path, data)``: nothing is visible until the block ends
    without an error; then every file is renamed into place (a rename needs no space, so a full
    disk hits while writing, never while renaming). On any error -- a full disk, an unwritable
    folder, a folder in a file's place, an exception in the block -- every temporary file and every
    folder made for them is removed, and an OSError becomes a UsageError naming the path. The files
    get the usual permissions (0o666 less the umask), not mkstemp's 0o600.
    """

    def __init__(self):
        self._staged: list[tuple[str, Path]] = []
        self._made: list[Path] = []

    def folder(self, path: Path) -> None:
        """Make ``path`` (and its parents) now; they are removed again if the files are not written."""
        try:
            self._made += make_folders(path)
        except OSError as err:
            self.abort()
            raise UsageError(f"cannot create {path}: {reason(path, err)}") from None

    def add(self, path: Path, data: bytes) -> None:
        path = Path(path)
        try:
            if os.path.isdir(path):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            self._made += make_folders(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            self._staged.append((tmp, path))
            with os.fdopen(fd, "wb") as f:
                os.chmod(tmp, file_mode())
                f.write(data)
        except OSError as err:
            self.abort()
            raise cannot_write(path, err) from None

    def commit(self) -> None:
        while self._staged:
            tmp, path = self._staged[0]
            try:
                os.replace(tmp, path)
            except OSError as err:
                self.abort()
                raise cannot_write(path, err) from None
            self._staged.pop(0)
        self._made = []

    def abort(self) -> None:
        for tmp, _ in self._staged:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self._staged = []
        remove_folders(self._made)
        self._made = []

    def __enter__(self) -> "AtomicFiles":
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def write_file(path: Path, data: bytes) -> None:
    """:func:`write_atomic_bytes`, for a command's output: an error is a one-line UsageError."""
    try:
        write_atomic_bytes(path, data)
    except OSError as err:
        raise cannot_write(path, err) from None


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old content or the new, never half of it."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Like :func:`write_atomic`; the file keeps the mode of the one it replaces. Raises OSError."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            try:
                mode = path.stat().st_mode & 0o777
            except OSError:
                mode = file_mode()
            os.fchmod(f.fileno(), mode)  # mkstemp's file is private (0600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
