"""The graders' two error rates, measured: mutants are caught, valid variants keep full marks.

Everything is graded once, as one class (`graders.verify.run_suite`, the same code `nnla verify`
runs): the reference, the stubs, every mutant and every valid variant of `graders/suite/`.
"""

from __future__ import annotations

import pytest

from graders import suite
from graders.verify import kill_matrix, mutant_problem, run_suite, valid_problem

from .conftest import checked_modules

MUTANTS = [m for m in suite.all_mutants() if m.module in checked_modules()]
VALID = [v for v in suite.all_valid() if v.module in checked_modules()]


@pytest.fixture(scope="session")
def suite_report(grader, tmp_path_factory):
    return run_suite(grader, jobs=2, workdir=tmp_path_factory.mktemp("suite"))


@pytest.mark.parametrize("variant", MUTANTS, ids=lambda v: v.id)
def test_mutant_loses_points_in_its_own_exercise_only(variant, suite_report):
    assert mutant_problem(variant, suite_report.results[variant.id]) is None


@pytest.mark.parametrize("variant", VALID, ids=lambda v: v.id)
def test_valid_variant_scores_full_marks(variant, suite_report):
    assert valid_problem(variant, suite_report.results[variant.id]) is None


def test_every_check_kills_at_least_one_mutant(suite_report):
    print("\n" + kill_matrix(suite_report))
    idle = [".".join(k) for k, killers in suite_report.kills.items() if not killers]
    assert not idle, f"checks that no mutant fails (redundant or untested): {idle}"


def test_suite_is_large_enough(grader):
    """At least four mutants per function and thirty valid variants in all (the fairness bar)."""
    per_function = {(ex.module, fn): 0 for ex in grader.exercises for fn in ex.functions}
    for m in MUTANTS:
        per_function[(m.module, m.function)] += 1
    thin = {".".join(k): n for k, n in per_function.items() if n < 4}
    assert not thin, f"functions with fewer than 4 mutants: {thin}"
    assert len(MUTANTS) >= 60 and len(VALID) >= 30
