"""Shared fixtures: the course, and one prepared grader per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.manifest import load_course
from graders.runner import Grader

ROOT = Path(__file__).resolve().parent.parent


def checked_modules() -> list[str]:
    """Exercises whose hidden checks exist (all of them, once the course is complete)."""
    return [p.stem for p in sorted((ROOT / "graders" / "checks").glob("*.py")) if p.stem != "__init__"]


@pytest.fixture(scope="session")
def course():
    return load_course(ROOT)


@pytest.fixture(scope="session")
def grader(course):
    g = Grader(course, only=[ex.module for ex in course.exercises if ex.module in checked_modules()])
    g.prepare()
    return g
