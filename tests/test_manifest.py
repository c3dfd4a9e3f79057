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


# A one-exercise course (its solution is the real solutions/dot_product.py); {top} goes before the
# exercise, {points} and {extra} into it.
_SMALL = """title = "Small"
{top}
[[exercise]]
module = "dot_product"
title = "Dot product"
functions = ["dot"]
points = {points}
{extra}
"""


def _small(top="", points="10", extra=""):
    return _SMALL.format(top=top, points=points, extra=extra)


def _rejected(text, message, root=ROOT):
    with pytest.raises(UsageError) as err:
        parse_course(text, root)
    assert message in str(err.value), str(err.value)
    assert "\n" not in str(err.value)


def test_the_small_course_is_valid():
    assert parse_course(_small(), ROOT).exercise("dot_product").points == 10


@pytest.mark.parametrize("top, message", [
    ("[[grading]]\nseed = 1",
     "course.toml: grading must be a [grading] table, not an array of tables (write [grading], not [[grading]])"),
    ("grading = 5", "course.toml: grading must be a [grading] table, not an integer"),
    ('grading = "fast"', "course.toml: grading must be a [grading] table, not a string"),
    ("grading = [1, 2]", "course.toml: grading must be a [grading] table, not an array"),
    ('[unit]\nname = "course"\ntitle = "C"',
     "course.toml: unit must be an array of [[unit]] tables, not a table (write [[unit]], not [unit])"),
    ('unit = "course"', "course.toml: unit must be an array of [[unit]] tables, not a string"),
    ("unit = [1]", "[[unit]] #1: must be a table, not an integer"),
    ("version = [1, 0]", "course.toml: version must be a string, not an array"),
])
def test_a_top_level_key_of_the_wrong_shape_is_one_clear_error(top, message):
    _rejected(_small(top=top), message)


@pytest.mark.parametrize("text, message", [
    ('title = "T"\n[exercise]\nmodule = "dot_product"\ntitle = "D"\nfunctions = ["dot"]\npoints = 1\n',
     "course.toml: exercise must be an array of [[exercise]] tables, not a table "
     "(write [[exercise]], not [exercise])"),
    ('title = "T"\nexercise = "dot_product"\n',
     "course.toml: exercise must be an array of [[exercise]] tables, not a string"),
    ('title = "T"\nexercise = [1]\n', "[[exercise]] #1: must be a table, not an integer"),
    ('title = "T"\nexercise = []\n', "at least one [[exercise]] table is required"),
    (_small(extra='unit = ["course"]'), "[[exercise]] 'dot_product': 'unit' must be a string"),
    (_small(extra="unit = 5"), "[[exercise]] 'dot_product': 'unit' must be a string"),
])
def test_an_exercise_of_the_wrong_shape_is_one_clear_error(text, message):
    _rejected(text, message)


@pytest.mark.parametrize("points", ["nan", "-nan", "inf", "-inf", "-3", "0", "1e300",
                                    pytest.param(str(10 ** 400), id="10**400")])
def test_points_must_be_a_positive_finite_number(points):
    _rejected(_small(points=points), "[[exercise]] 'dot_product': points must be positive and finite")


@pytest.mark.parametrize("setting, message", [
    ("time_limit = nan", "time_limit must be a positive number of seconds"),
    ("time_limit = inf", "time_limit must be a positive number of seconds"),
    ("time_limit = -1.5", "time_limit must be a positive number of seconds"),
    ("time_limit = 0", "time_limit must be a positive number of seconds"),
    ("time_limit = 1e300", "time_limit must be a positive number of seconds"),
    pytest.param(f"time_limit = {10 ** 400}", "time_limit must be a positive number of seconds",
                 id="time_limit = 10**400"),
    ("memory_limit_mb = inf", "memory_limit_mb must be an integer of at least 64"),
    ("memory_limit_mb = 0", "memory_limit_mb must be an integer of at least 64"),
    ("memory_limit_mb = 9223372036854775807", "memory_limit_mb must be an integer of at least 64"),
    ("examples = nan", "examples must be an integer between 1 and 10000"),
    ("examples = 0", "examples must be an integer between 1 and 10000"),
    ("seed = nan", "seed must be a non-negative integer"),
    ("seed = -inf", "seed must be a non-negative integer"),
    ('hidden_visibility = ["hidden"]', "hidden_visibility must be one of"),
])
def test_grading_numbers_must_be_meaningful(setting, message):
    _rejected(_small(top=f"[grading]\n{setting}"), f"[grading]: {message}")


def _course_with_matmul(tmp_path, source: bytes):
    shutil.copy(ROOT / "course.toml", tmp_path / "course.toml")
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    (tmp_path / "solutions" / "matmul.py").write_bytes(source)
    return tmp_path


@pytest.mark.parametrize("append, message", [
    (b"\n# caf\xe9\n", "solutions/matmul.py is not UTF-8 text"),
    (b"\nx = 1\x00\n", "solutions/matmul.py cannot be read as Python (it contains a NUL byte"),
    (b"\ndef (:\n", "solutions/matmul.py: syntax error on line "),
    pytest.param(b"\nx = " + b"-" * 200_000 + b"1\n",
                 "solutions/matmul.py cannot be read as Python (it is too deeply nested)", id="deeply-nested"),
])
def test_an_unreadable_solution_file_is_one_clear_error(tmp_path, capsys, append, message):
    from graders.cli import main

    root = _course_with_matmul(tmp_path, (ROOT / "solutions" / "matmul.py").read_bytes() + append)
    with pytest.raises(UsageError) as err:
        load_course(root)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert "line None" not in str(err.value)
    assert main(["--course", str(root), "hint", "matmul"]) == 2
    out = capsys.readouterr()
    assert out.err == f"nnla: error: {err.value}\n" and out.out == ""


def test_a_solution_file_with_a_byte_order_mark_loads(tmp_path):
    bom = b"\xef\xbb\xbf"
    root = _course_with_matmul(tmp_path, bom + (ROOT / "solutions" / "matmul.py").read_bytes())
    assert load_course(root).exercise("matmul").functions == ("matmul",)
