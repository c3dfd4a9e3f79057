"""Reading a submission: find each exercise's module file and stage a clean copy of it.

A submission is a folder laid out like ``exercises/``, or a ``.zip`` of one; module files are
named ``<module>.py`` and unique in the tree (subfolders are fine). The staged copy is flat,
holds only Python files whose names are identifiers, and is what the learner process sees.

Nothing in a submission is trusted: symlinks are never followed (in a folder) nor created (from a
zip), zip entries that would land outside the folder (``../``, absolute paths) are ignored,
sizes are checked before anything is read and every read is capped (a zip bomb decompresses at
most ``MAX_FILE_BYTES`` per module), and odd names (non-UTF-8, not identifiers) are skipped.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import UsageError

MAX_FILE_BYTES = 1 << 20   # a learner module larger than 1 MiB is not a module
MAX_FILES = 2000           # files (and folders) looked at in one submission tree
MAX_DEPTH = 32             # folder nesting looked into
MAX_STAGED_BYTES = 16 << 20  # all staged .py files together
MAX_ZIP_BYTES = 256 << 20  # a zip file larger than this is not opened
SKIP_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", "node_modules", ".venv", "venv"}


@dataclass
class Staged:
    """What was found in a submission, and where its staged copy lives."""

    name: str
    modules: dict[str, Path] = field(default_factory=dict)     # module -> staged file
    problems: dict[str, str] = field(default_factory=dict)     # module -> why it is unusable
    notes: list[str] = field(default_factory=list)


def printable(text) -> str:
    """A path or name as text that can be stored and shown (non-UTF-8 bytes become '?')."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = str(text).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(c if c.isprintable() else "?" for c in text)


def submission_name(path: Path) -> str:
    path = Path(path)
    name = path.name or path.resolve().name
    if path.suffix.lower() == ".zip" and not path.is_dir():
        name = name[:-4]
    return printable(name)


@dataclass
class _Candidate:
    stem: str
    where: str                 # relative path, for messages
    size: int
    read: object               # () -> bytes | None (None: larger than MAX_FILE_BYTES)
    link: bool = False


def _read_capped_file(path: Path):
    def read() -> bytes | None:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            data = b""
            while len(data) <= MAX_FILE_BYTES:
                chunk = os.read(fd, MAX_FILE_BYTES + 1 - len(data))
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(fd)
        return None if len(data) > MAX_FILE_BYTES else data
    return read


def _folder_candidates(root: Path, notes: list[str]) -> list[_Candidate]:
    """Python files below ``root``, never following symlinks, with bounded effort."""
    found: list[_Candidate] = []
    seen = 0
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_FILES:
                notes.append(f"only the first {MAX_FILES} files of the submission were looked at")
                return found
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name not in SKIP_DIRS and not name.startswith(".") and depth < MAX_DEPTH:
                        stack.append((Path(entry.path), depth + 1))
                    continue
                if not name.endswith(".py"):
                    continue
                link = entry.is_symlink()
                regular = entry.is_file(follow_symlinks=False)
                size = entry.stat(follow_symlinks=False).st_size
            except OSError:
                continue
            rel = printable(os.path.relpath(entry.path, root))
            found.append(_Candidate(name[:-3], rel, size, _read_capped_file(Path(entry.path)),
                                    link=link or not regular))
    return found


def _zip_entry_count(path: Path) -> int | None:
    """Entries the zip's central directory claims, read before zipfile parses all of them."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            tail = min(size, 65536 + 22)
            f.seek(size - tail)
            data = f.read(tail)
    except OSError:
        return None
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(data):
        return None
    count = struct.unpack("<H", data[at + 10:at + 12])[0]
    return None if count == 0xFFFF else count   # 0xFFFF: zip64, let zipfile read the real count


def _safe_member_path(name: str) -> str | None:
    """The entry's path inside the folder, or None when it would land outside (or is odd)."""
    name = name.replace("\\", "/")
    if "\x00" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = PurePosixPath(name).parts
    if any(p == ".." for p in parts):
        return None
    return "/".join(p for p in parts if p not in ("", "."))


def _zip_candidates(path: Path, notes: list[str]) -> list[_Candidate]:
    try:
        if path.stat().st_size > MAX_ZIP_BYTES:
            raise UsageError(f"{printable(path)}: the zip file is larger than {MAX_ZIP_BYTES >> 20} MiB")
        count = _zip_entry_count(path)
        if count is not None and count > 10 * MAX_FILES:
            raise UsageError(f"{printable(path)}: the zip file has {count} entries; not opened")
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as err:
        raise UsageError(f"{printable(path)}: not a readable zip file ({printable(err)})") from None
    infos = archive.infolist()
    if len(infos) > MAX_FILES:
        notes.append(f"only the first {MAX_FILES} entries of the zip were looked at")
        infos = infos[:MAX_FILES]
    escaping = []
    found = []
    for info in infos:
        if info.is_dir():
            continue
        inside = _safe_member_path(info.filename)
        if inside is None:
            escaping.append(printable(info.filename))
            continue
        parts = inside.split("/")
        if any(p in SKIP_DIRS or p.startswith(".") for p in parts[:-1]) or "__MACOSX" in parts:
            continue
        if not parts[-1].endswith(".py"):
            continue
        mode = (info.external_attr >> 16) & 0o170000
        link = mode not in (0, stat.S_IFREG)

        def read(info=info) -> bytes | None:
            try:
                with archive.open(info) as member:
                    data = member.read(MAX_FILE_BYTES + 1)   # capped: a bomb stops here
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError,
                    RuntimeError, zipfile.LargeZipFile):  # encrypted entries: RuntimeError
                return b"\xff"  # unreadable: reported as not UTF-8
            return None if len(data) > MAX_FILE_BYTES else data

        found.append(_Candidate(parts[-1][:-3], printable(inside), info.file_size, read, link=link))
    if escaping:
        shown = ", ".join(escaping[:3]) + (" ..." if len(escaping) > 3 else "")
        notes.append(f"ignored {len(escaping)} zip entr{'y' if len(escaping) == 1 else 'ies'} "
                     f"with a path outside the folder: {shown}")
    return found


def stage(path: Path, modules: list[str], dest: Path) -> Staged:
    """Copy the submission's module files (and other small .py helpers) flat into ``dest``."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{printable(path)}: no such submission")
    staged = Staged(submission_name(path))
    if path.is_dir():
        candidates = _folder_candidates(path, staged.notes)
    elif path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        candidates = _zip_candidates(path, staged.notes)
    else:
        raise UsageError(f"{printable(path)}: a submission must be a folder or a .zip file")
    found: dict[str, list[_Candidate]] = {}
    for c in candidates:
        found.setdefault(c.stem, []).append(c)
    dest.mkdir(parents=True, exist_ok=True)
    os.chmod(dest, 0o755)   # the sandbox's unprivileged uid reads it
    total = 0
    for stem, files in sorted(found.items()):
        wanted = stem in modules
        if not stem.isidentifier() or not stem.isascii():
            continue
        if len(files) > 1:
            if wanted:
                where = ", ".join(f.where for f in files)
                staged.problems[stem] = f"{stem}.py appears more than once ({where}); keep one"
            continue
        file = files[0]
        if file.link:
            if wanted:
                staged.problems[stem] = f"{stem}.py is a link, not a file; submit the file itself"
            continue
        if file.size > MAX_FILE_BYTES:
            if wanted:
                staged.problems[stem] = f"{stem}.py is larger than {MAX_FILE_BYTES >> 20} MiB"
            continue
        try:
            data = file.read()
        except OSError:
            data = b"\xff"
        if data is None:
            if wanted:
                staged.problems[stem] = f"{stem}.py is larger than {MAX_FILE_BYTES >> 20} MiB"
            continue
        total += len(data)
        if total > MAX_STAGED_BYTES:
            if wanted:
                staged.problems[stem] = f"{stem}.py: the submission's Python files are too large together"
            continue
        target = dest / f"{stem}.py"
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(target, 0o644)
        if wanted:
            staged.modules[stem] = target
    if path.is_dir():
        # Notebook submissions (released .ipynb files filled in, nbgrader's submitted/ tree): a
        # module with no usable .py file is built from <module>.ipynb's solution cells.
        from .notebooks import stage_notebooks
        stage_notebooks(path, [m for m in modules if m not in staged.modules and m not in staged.problems],
                        dest, staged)
    return staged


def read_source(path: Path) -> str | None:
    """The module's text, or None when it is not UTF-8 (a UTF-8 byte order mark is fine)."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
