"""nnla self-check plugin: short failures and a progress table.

Run ``pytest`` in this folder (or ``pytest test_matmul.py`` for one exercise).
This file makes the output friendlier while you work through the exercises:

* A test that fails only because a function still raises
  ``NotImplementedError`` (the stub you have not filled in yet) shows one line,
  such as ``dot_product: not implemented yet``, instead of a long traceback.
* At the end, a table lists every exercise in course order with its status:
  ``done`` (all of its tests passed), ``in progress`` (some passed, or your
  code ran but failed), ``not started`` (nothing passed, only
  "not implemented yet"), ``error`` (its test file could not be imported,
  usually a syntax error in your module) or ``not run`` (its tests were not
  part of this run, e.g. with ``-k``). It then names the next exercise and
  shows a hint.
* A broken exercise (syntax error, missing function) does not stop the others
  from running. Pytest's ``--continue-on-collection-errors`` is switched on.

The exercise list, titles and hints come from ``exercises.toml`` next to this
file. Each test file says which exercise it checks with a module-level
``EXERCISE = "<module>"`` (otherwise its name ``test_<module>.py`` is used).

Only the standard library and pytest are used.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

_TOML = Path(__file__).resolve().parent / "exercises.toml"
_STATE = pytest.StashKey[dict]()


def _load_course():
    """Return (title, [exercise dicts]) from exercises.toml, or defaults."""
    try:
        with open(_TOML, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return "nnla exercises", []
    exercises = [e for e in data.get("exercise", []) if isinstance(e, dict) and "module" in e]
    return data.get("title", "nnla exercises"), exercises


def _state(config):
    if _STATE not in config.stash:
        config.stash[_STATE] = {
            "selected": {},  # exercise -> list of nodeids in this run
            "deselected": {},  # exercise -> number of tests filtered out (-k, -m, ...)
            "passed": set(),  # nodeids whose call phase passed
            "failed": set(),  # nodeids that failed or errored in any phase
            "not_implemented": set(),  # nodeids that failed with NotImplementedError
            "ran": set(),  # nodeids that produced a call/skip report
        }
    return config.stash[_STATE]


def _exercise_from_path(path):
    name = Path(str(path).split("::")[0]).name
    if name.startswith("test_") and name.endswith(".py"):
        return name[len("test_") : -len(".py")]
    return None


def _exercise_of(item):
    module = getattr(item, "module", None)
    exercise = getattr(module, "EXERCISE", None)
    if isinstance(exercise, str):
        return exercise
    return _exercise_from_path(item.nodeid)


def pytest_configure(config):
    # One exercise with a syntax error should not stop the others from running.
    config.option.continue_on_collection_errors = True


def pytest_collection_finish(session):
    state = _state(session.config)
    for item in session.items:
        state["selected"].setdefault(_exercise_of(item), []).append(item.nodeid)


def pytest_deselected(items):
    if not items:
        return
    state = _state(items[0].config)
    for item in items:
        exercise = _exercise_of(item)
        state["deselected"][exercise] = state["deselected"].get(exercise, 0) + 1


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    state = _state(item.config)
    if report.failed:
        state["failed"].add(report.nodeid)
    if report.when == "call" or report.skipped:
        state["ran"].add(report.nodeid)
    if report.when == "call" and report.passed:
        state["passed"].add(report.nodeid)
    if (
        report.when == "call"
        and report.failed
        and call.excinfo is not None
        and call.excinfo.errisinstance(NotImplementedError)
    ):
        state["not_implemented"].add(report.nodeid)
        message = str(call.excinfo.value) or f"{_exercise_of(item)}: not implemented yet"
        report.longrepr = message


def _status(exercise, state, collect_errors):
    """Return (status, detail) for one exercise."""
    if exercise in collect_errors:
        return "error", "could not import its test file (see the error above)"
    nodeids = state["selected"].get(exercise, [])
    deselected = state["deselected"].get(exercise, 0)
    ran = [n for n in nodeids if n in state["ran"] or n in state["failed"]]
    if not ran:
        return "not run", ""
    passed = [n for n in nodeids if n in state["passed"] and n not in state["failed"]]
    total = len(nodeids) + deselected
    detail = f"{len(passed)}/{total} tests passed"
    if total > len(ran):
        detail += f", {total - len(ran)} not run"
    real_failures = [
        n for n in ran if n in state["failed"] and n not in state["not_implemented"]
    ]
    if len(passed) == total:
        return "done", detail
    if passed or real_failures:
        return "in progress", detail
    return "not started", detail


_MARKUP = {
    "done": {"green": True},
    "in progress": {"yellow": True},
    "not started": {"red": True},
    "error": {"red": True, "bold": True},
    "not run": {},
}


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.option.collectonly:
        return
    state = _state(config)
    title, course = _load_course()
    order = [e["module"] for e in course]
    info = {e["module"]: e for e in course}

    collect_errors = set()
    for report in terminalreporter.stats.get("error", []):
        if isinstance(report, pytest.CollectReport) and report.failed:
            exercise = _exercise_from_path(report.nodeid)
            if exercise:
                collect_errors.add(exercise)

    # Exercises that have tests here but are missing from exercises.toml go last.
    seen = set(state["selected"]) | set(state["deselected"]) | collect_errors
    order += sorted(e for e in seen if e and e not in info)
    if not order:
        return

    statuses = {e: _status(e, state, collect_errors) for e in order}
    width = max(len(e) for e in order)
    title_width = max(len(info.get(e, {}).get("title", e)) for e in order)

    terminalreporter.write_sep("=", f"{title}: progress")
    for number, exercise in enumerate(order, start=1):
        status, detail = statuses[exercise]
        label = info.get(exercise, {}).get("title", exercise)
        terminalreporter.write(f"{number:>3}. {exercise:<{width}}  {label:<{title_width}}  ")
        if detail:
            terminalreporter.write(f"{status:<12}", **_MARKUP[status])
            terminalreporter.write_line(f" {detail}")
        else:
            terminalreporter.write_line(status, **_MARKUP[status])

    done = [e for e in order if statuses[e][0] == "done"]
    not_run = [e for e in order if statuses[e][0] == "not run"]
    summary = f"{len(done)}/{len(order)} exercises done"
    if len(done) == len(order):
        terminalreporter.write_line(f"{summary} — well done!", green=True, bold=True)
        return
    if not_run:
        summary += f" ({len(not_run)} not run this time)"

    # Next: the first exercise in course order that ran and is not done; if
    # everything that ran is done, the first not-run exercise after them.
    pending = [e for e in order if statuses[e][0] in ("error", "in progress", "not started")]
    if pending:
        nxt = pending[0]
    else:
        last_done = max(order.index(e) for e in done) if done else -1
        later = [e for e in not_run if order.index(e) > last_done]
        nxt = (later or not_run)[0]
    label = info.get(nxt, {}).get("title", nxt)
    terminalreporter.write_line(f"{summary} — next: {nxt} ({label})", bold=True)
    hint = info.get(nxt, {}).get("hint")
    if hint:
        terminalreporter.write_line(f"Hint: {hint}")
