"""Shared fixtures: the course, and one prepared grader per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.manifest import load_course
from graders.runner import Grader

ROOT = Path(__file__).resolve().parent.parent


def checked_modules() -> list[str]:
    """Exercises of the course whose hidden checks exist (all of them, once the course is complete)."""
    have = {p.stem for p in (ROOT / "graders" / "checks").glob("*.py")}
    return [ex.module for ex in load_course(ROOT).exercises if ex.module in have]


@pytest.fixture(scope="session")
def course():
    return load_course(ROOT)


@pytest.fixture(scope="session")
def grader(course):
    g = Grader(course, only=[ex.module for ex in course.exercises if ex.module in checked_modules()])
    g.prepare()
    return g
