"""Mutants lose points in their own exercise only; valid variants score full marks."""

from __future__ import annotations

import pytest

from graders.classrun import grade_class

from . import suite
from .conftest import checked_modules

MUTANTS = [m for m in suite.all_mutants() if m.module in checked_modules()]
VALID = [v for v in suite.all_valid() if v.module in checked_modules()]


@pytest.fixture(scope="session")
def suite_results(grader, course, tmp_path_factory):
    """Every mutant and valid variant graded once, as one class (two at a time)."""
    root = tmp_path_factory.mktemp("suite")
    class_dir = root / "class"
    variants = MUTANTS + VALID
    for v in variants:
        suite.build_submission(class_dir / v.id, course.root, [v])
    results = grade_class(grader, sorted(class_dir.iterdir()), root / "out", jobs=2)
    return {r["submission"]: r for r in results}


@pytest.mark.parametrize("variant", MUTANTS, ids=lambda v: v.id)
def test_mutant_loses_points_in_its_own_exercise_only(variant, suite_results):
    result = suite_results[variant.id]
    for module, ex in result["exercises"].items():
        if module == variant.module:
            assert ex["score"] < ex["max_score"], (
                f"mutant {variant.id} ({variant.why}) kept full marks")
            lost = [c for c in ex["checks"] if not c["passed"]]
            assert any(c["function"] == variant.function for c in lost), (
                f"mutant {variant.id} lost points only on other functions: {[c['name'] for c in lost]}")
        else:
            assert ex["score"] == ex["max_score"], f"mutant {variant.id} cost points in {module}"


@pytest.mark.parametrize("variant", VALID, ids=lambda v: v.id)
def test_valid_variant_scores_full_marks(variant, suite_results):
    result = suite_results[variant.id]
    failed = {m: [c["message"] for c in ex["checks"] if not c["passed"]]
              for m, ex in result["exercises"].items() if ex["score"] < ex["max_score"]}
    assert not failed, f"valid variant {variant.id} ({variant.why}) lost points: {failed}"
