"""On-disk cache of each exercise's test sets (see :mod:`graders.testset`).

Generating examples with hypothesis and running the reference costs seconds per course; the
result depends only on the grader's code, the exercise's checks and solution, the seed and the
example count, and the library versions. So it is computed once and stored, keyed by a hash of
all of those, in our own plain-data wire format (JSON and raw array bytes, never pickle).

Location: ``$NNLA_CACHE_DIR``, else ``$XDG_CACHE_HOME/nnla``, else ``~/.cache/nnla``. Set
``NNLA_CACHE_DIR=off`` to disable it. A missing, stale or unreadable entry is simply recomputed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import hypothesis
import numpy as np

from .files import write_atomic_bytes
from .sandbox import wire
from .testset import TestSet

FORMAT = 5
GRADERS = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    setting = os.environ.get("NNLA_CACHE_DIR")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nnla"


# What the cached data depends on: the checks (strategies, calls, verdicts; they share helpers),
# how examples are drawn and judged, and how they and the replies travel. Editing a report or an
# exporter keeps the cache.
_INPUTS = ("checks/*.py", "strategies.py", "examples.py", "compare.py", "testset.py", "cache.py",
           "sandbox/wire.py", "sandbox/catalogue.py", "sandbox/process.py")


def _grader_files() -> list[Path]:
    """The grader code the examples and reference outcomes depend on."""
    return sorted(p for pattern in _INPUTS for p in GRADERS.glob(pattern))


def entry_path(folder: Path, solutions_dir: Path, module: str, seed: int, n_examples: int) -> Path:
    """Where an exercise's entry lives: named by module, seed and example count (kept side by
    side: the tests' small counts must not evict the course's), then the hash of the rest."""
    return folder / f"{module}-{seed}-{n_examples}-{key(solutions_dir, module, seed, n_examples)}.nnla"


def key(solutions_dir: Path, module: str, seed: int, n_examples: int) -> str:
    h = hashlib.sha256()
    h.update(f"{FORMAT}|{module}|{seed}|{n_examples}|{hypothesis.__version__}|{np.__version__}".encode())
    for path in [*_grader_files(), solutions_dir / f"{module}.py"]:
        h.update(path.name.encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()[:32]


def load(path: Path) -> dict[tuple, TestSet] | None:
    """{(function, check name): :class:`TestSet`} from a cache file, or None."""
    try:
        data = path.read_bytes()
        header, blobs = wire.unpack(data)
        if header.get("format") != FORMAT:
            return None
        return {tuple(entry["key"]): TestSet.from_node(entry, blobs) for entry in header["checks"]}
    except Exception:  # any damage means: recompute
        return None


def store(path: Path, entries: dict[tuple, TestSet]) -> None:
    blobs: list[bytes] = []
    try:
        checks = [dict(testset.to_node(blobs), key=list(k)) for k, testset in entries.items()]
        write_atomic_bytes(path, wire.pack({"format": FORMAT, "checks": checks}, blobs))
        prefix = path.name.rsplit("-", 1)[0]  # module-seed-n
        for old in path.parent.glob(f"{prefix}-*.nnla"):  # the same entry for older code
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, wire.WireError):
        pass  # an unwritable cache or an unstorable value is no reason to fail grading
