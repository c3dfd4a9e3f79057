"""How the learner process is started: the isolation level and its command line.

Level ``process`` (everywhere): a separate interpreter with a scrubbed environment, resource
limits and its own process group. Stronger levels are added where the platform allows them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Isolation:
    level: str            # recorded in every result
    pid_namespace: bool   # the worker may kill(-1) inside its own namespace
    warning: str = ""     # one line for the instructor when protection is missing


def detect() -> Isolation:
    return Isolation("process", False,
                     "containment unavailable: learner code runs as a separate process with "
                     "resource limits, but without namespaces")


def environment(work_dir: Path) -> dict[str, str]:
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


def command(isolation: Isolation, runtime_dir: Path, submission_dir: Path, work_dir: Path,
            config_json: str) -> list[str]:
    """argv that starts the worker (zygote) for one submission."""
    return [sys.executable, "-I", "-B", str(runtime_dir / "worker.py"), config_json]
