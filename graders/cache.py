"""On-disk cache of each exercise's generated examples and reference outcomes.

Generating examples with hypothesis and running the reference costs seconds per course; the
result depends only on the grader's code, the exercise's checks and solution, the seed and the
example count, and the library versions. So it is computed once and stored, keyed by a hash of
all of those, in our own plain-data wire format (JSON + ``.npy``, never pickle).

Location: ``$NNLA_CACHE_DIR``, else ``$XDG_CACHE_HOME/nnla``, else ``~/.cache/nnla``. Set
``NNLA_CACHE_DIR=off`` to disable it. A missing, stale or unreadable entry is simply recomputed.
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path
from typing import NamedTuple

import hypothesis
import numpy as np

from .checks import Args, Outcome
from .examples import wire_copy
from .results import write_atomic_bytes
from .sandbox import wire

FORMAT = 3
GRADERS = Path(__file__).resolve().parent


class Cases(NamedTuple):
    """One check's test set: its examples, the reference's outcomes for each example's calls,
    and the choices hypothesis made to draw each example (to shrink from it)."""

    examples: list[Args]
    references: list[list[Outcome]]
    choices: list[bytes]


def cache_dir() -> Path | None:
    setting = os.environ.get("NNLA_CACHE_DIR")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nnla"


# What the cached data depends on: the checks (strategies, calls; they share helpers), how
# examples are drawn, and how they travel. Editing a report or an exporter keeps the cache.
_INPUTS = ("checks/*.py", "strategies.py", "examples.py", "cache.py", "sandbox/wire.py",
           "sandbox/catalogue.py")


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


def _encode_outcome(o: Outcome, blobs: list[bytes]) -> dict:
    node = {"kind": o.kind, "error": o.error, "message": o.message,
            "value": wire.encode(o.value, blobs)}
    if o.args_after is not None:
        node["after"] = wire.encode({"args": list(o.args_after.args), "kwargs": o.args_after.kwargs}, blobs)
    return node


def _decode_outcome(node: dict, blobs: list[bytes]) -> Outcome:
    after = None
    if "after" in node:
        raw = wire.decode(node["after"], blobs, functions="grader")  # our own data
        after = Args(tuple(raw["args"]), raw["kwargs"])
    return Outcome(node["kind"], value=wire.decode(node["value"], blobs, functions="grader"), error=node["error"],
                   message=node["message"], args_after=after)


def encode_args(example: Args, blobs: list[bytes]) -> dict:
    return wire.encode({"args": list(example.args), "kwargs": dict(example.kwargs)}, blobs)


def decode_args(node: dict, blobs: list[bytes]) -> Args:
    raw = wire.decode(node, blobs, functions="grader")  # our own data: catalogue functions allowed
    return Args(tuple(raw["args"]), raw["kwargs"])


round_trip = wire_copy  # the example exactly as the learner process (and the cache) will see it


def load(path: Path) -> dict | None:
    """{check key: :class:`Cases`} from a cache file, or None."""
    try:
        data = path.read_bytes()
        (length,) = struct.unpack(">I", data[:4])
        header = wire.unpack_header(data[4:4 + length])
        blobs, offset = [], 4 + length
        for n in header["blobs"]:
            blobs.append(data[offset:offset + n])
            offset += n
        result = {}
        for entry in header["checks"]:
            examples = [decode_args(e, blobs) for e in entry["examples"]]
            reference = [[_decode_outcome(o, blobs) for o in outs] for outs in entry["reference"]]
            choices = [blobs[i] for i in entry["choices"]]
            if not len(examples) == len(reference) == len(choices):
                return None
            result[tuple(entry["key"])] = Cases(examples, reference, choices)
        return result
    except Exception:  # any damage means: recompute
        return None


def round_trip_outcome(outcome: Outcome) -> Outcome:
    """A reference outcome exactly as the cache will return it (e.g. numpy scalars as 0-d arrays)."""
    blobs: list[bytes] = []
    try:
        return _decode_outcome(_encode_outcome(outcome, blobs), blobs)
    except wire.WireError:
        return outcome  # not storable: such an exercise is simply not cached


def _blob(data: bytes, blobs: list[bytes]) -> int:
    blobs.append(bytes(data))
    return len(blobs) - 1


def store(path: Path, entries: dict[tuple, Cases]) -> None:
    blobs: list[bytes] = []
    try:
        checks = [{"key": list(k),
                   "examples": [encode_args(e, blobs) for e in cases.examples],
                   "reference": [[_encode_outcome(o, blobs) for o in outs] for outs in cases.references],
                   "choices": [_blob(c, blobs) for c in cases.choices]}
                  for k, cases in entries.items()]
        write_atomic_bytes(path, wire.pack({"format": FORMAT, "checks": checks}, blobs))
        prefix = path.name.rsplit("-", 1)[0]  # module-seed-n
        for old in path.parent.glob(f"{prefix}-*.nnla"):  # the same entry for older code
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, wire.WireError):
        pass  # an unwritable cache or an unstorable value is no reason to fail grading
