"""course.toml is parsed into typed objects; every inconsistency is one clear error."""

from __future__ import annotations

import shutil

import pytest

from graders.errors import UsageError
from graders.manifest import load_course, parse_course

from .conftest import ROOT


def test_the_course_loads_in_curriculum_order(course):
    modules = [ex.module for ex in course.exercises]
    for earlier, later in [("dot_product", "matmul"), ("matmul", "transpose"), ("relu", "mse"),
                           ("mse", "backprop"), ("backprop", "attention"), ("attention", "multihead_attention")]:
        assert modules.index(earlier) < modules.index(later)
    units = [u.name for u in course.units]
    assert [units.index(ex.unit) for ex in course.exercises] == sorted(units.index(ex.unit) for ex in course.exercises)
    assert course.grading.seed > 0 and course.grading.examples > 0
    assert course.exercise("mse").functions == ("mse", "mse_grad")
    assert "numpy.dot" in course.exercise("matmul").forbidden
    assert {ex.unit for ex in course.exercises} <= {u.name for u in course.units}


def _course_text():
    return (ROOT / "course.toml").read_text()


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace('title = "Dot product"', 'title = "Dot product"\ncolour = "red"'),
     "unknown key 'colour'"),
    (lambda t: t.replace("[grading]", "[grading]\nspeed = 3"), "unknown key 'speed'"),
    (lambda t: t.replace('functions = ["dot"]', 'functions = ["dot", "dot"]'), "listed twice"),
    (lambda t: t.replace('module = "matmul"', 'module = "dot_product"'), "listed twice"),
    (lambda t: t.replace('functions = ["transpose"]', 'functions = ["dot"]'), "listed in both"),
    (lambda t: t.replace('functions = ["dot"]', 'functions = ["dot", "cross"]'),
     "function 'cross' is listed in course.toml but not defined"),
    (lambda t: t.replace("seed = ", "seed = -"), "seed must be"),
    (lambda t: t.replace("points = 10", 'points = "ten"', 1), "wrong type"),
    (lambda t: t.replace('unit = "learning"', 'unit = "nowhere"', 1), "not declared"),
    (lambda t: t + "\n[[exercise]]\nmodule = \"ghost\"\nunit = \"learning\"\ntitle = \"G\"\nfunctions = [\"g\"]\npoints = 1\n",
     "solutions/ghost.py is missing"),
    (lambda t: t.replace("[grading]", "[grading"), "not valid TOML"),
])
def test_inconsistent_manifests_are_rejected_with_one_clear_error(edit, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        parse_course(edit(_course_text()), ROOT)
    assert "\n" not in str(err.value)


def test_missing_course_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not found"):
        load_course(tmp_path)


def test_a_copied_course_loads_from_its_own_folder(tmp_path):
    shutil.copy(ROOT / "course.toml", tmp_path / "course.toml")
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    assert load_course(tmp_path).root == tmp_path.resolve()
