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
* A failed check is shown small: the line of the test that failed, your value
  next to the expected one (big arrays summarised), how many entries differ
  and by how much. ``pytest --tb=long`` shows pytest's full report instead.
* A broken exercise (syntax error, missing function) does not stop the others
  from running. Pytest's ``--continue-on-collection-errors`` is switched on.

The exercise list, titles and hints come from ``exercises.toml`` next to this
file. Each test file says which exercise it checks with a module-level
``EXERCISE = "<module>"`` (otherwise its name ``test_<module>.py`` is used).

Only the standard library and pytest are used (numpy's print options are set
only when the tests themselves have imported numpy).
"""

from __future__ import annotations

import re
import sys
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
    elif (
        report.when == "call"
        and report.failed
        and call.excinfo is not None
        and call.excinfo.errisinstance((AssertionError, pytest.fail.Exception))
        and item.config.option.tbstyle == "auto"
    ):
        short = _short_failure(item, call.excinfo)
        if short:
            report.longrepr = short


# --- small failure reports ---------------------------------------------------------------------
# Values are printed small while a test runs: numpy (when the tests use it) summarises arrays of
# over 50 entries, so a failure never becomes a wall of numbers.
_PRINT = dict(precision=4, threshold=50, edgeitems=3, linewidth=78)
_MAX_VALUE_LINES = 8


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    np = sys.modules.get("numpy")
    if np is None or not hasattr(np, "printoptions"):
        yield
        return
    with np.printoptions(**_PRINT):
        yield


def _failing_line(item, excinfo):
    """(``file:line``, source) of the test's own line that failed."""
    for entry in reversed(excinfo.traceback):
        if Path(str(entry.path)) == Path(str(item.path)):
            try:
                source = str(entry.statement).strip()
            except Exception:
                source = ""
            lines = source.splitlines()
            if len(lines) > 3:
                source = "\n".join(lines[:3] + ["..."])
            return f"{Path(str(entry.path)).name}:{entry.lineno + 1}", source
    return item.nodeid.split("::")[0], ""


def _number(text):
    """``14.`` -> ``14.0``; long floats -> 6 significant digits."""
    try:
        return format(float(text), ".6g") if re.search(r"\d\.\d{7,}", text) else re.sub(
            r"(\d)\.(?!\d)", r"\1.0", text)
    except ValueError:
        return text


def _small(value):
    value = value.strip()
    m = re.fullmatch(r"array\(([^\[\]\n,]*)\)", value)  # a 0-d array: show the number
    if m:
        return _number(m.group(1))
    lines = value.splitlines()
    if len(lines) > _MAX_VALUE_LINES:
        lines = lines[:_MAX_VALUE_LINES] + ["       ..."]
    return "\n            ".join(lines)


def _numpy_parts(message):
    """The interesting parts of a numpy.testing assertion message, or None."""
    m = re.search(r"^ (?:ACTUAL|x): (.*?)^ (?:DESIRED|y): (.*)\Z", message, re.S | re.M)
    if not m:
        return None
    parts = {"got": m.group(1), "expected": m.group(2)}
    head = message[: m.start()]
    tol = re.search(r"rtol=(\S+), atol=(\S+)", head)
    shapes = re.search(r"\(shapes (.*?) mismatch\)", head)
    count = re.search(r"Mismatched elements: (\d+) / (\d+)", head)
    worst = re.search(r"Max absolute difference(?: among violations)?: (\S+)", head)
    first = re.search(r"^ (\[[^\]]*\]): (\S+) \(ACTUAL\), (\S+) \(DESIRED\)", head, re.M)
    notes = []
    if shapes:
        notes.append(f"the shapes differ: {shapes.group(1)} (got, expected)")
    if count and count.group(2) != "1":
        notes.append(f"{count.group(1)} of {count.group(2)} entries differ")
    if first and count and count.group(2) != "1":
        notes.append(f"first at {first.group(1)}: got {_number(first.group(2))}, "
                     f"expected {_number(first.group(3))}")
    if worst:
        notes.append(f"largest difference {worst.group(1).rstrip('.')}")
    if tol:
        notes.append(f"allowed: rtol={tol.group(1)}, atol={tol.group(2)}")
    elif "not equal" in head.lower():
        notes.append("they must be exactly equal")
    parts["notes"] = notes
    return parts


def _short_failure(item, excinfo):
    """A few lines instead of pytest's full report: the line, got and expected."""
    try:
        where, source = _failing_line(item, excinfo)
        message = str(excinfo.value)
        lines = [f"{where}: {item.name}"]
        if source:
            lines += ["    " + l for l in source.splitlines()]
        parts = _numpy_parts(message)
        if parts is not None:
            got, expected = _small(parts["got"]), _small(parts["expected"])
            short = "\n" not in got + expected and len(got + expected) < 60
            lines.insert(0, f"got {got}, expected {expected}" if short else
                         "wrong value" + (f": {parts['notes'][0]}" if parts["notes"] else ""))
            lines += [f"  got:      {got}", f"  expected: {expected}"]
            lines += [f"  ({'; '.join(parts['notes'])})"] if parts["notes"] else []
        elif excinfo.errisinstance(pytest.fail.Exception) and "DID NOT RAISE" in message:
            kind = re.search(r"<class '(?:\w+\.)*(\w+)'>", message)
            what = kind.group(1) if kind else "an exception"
            lines.insert(0, f"should raise {what}, but returned normally")
            lines.append(f"  expected {what} to be raised, but the call returned normally")
        else:
            text = message.strip() or type(excinfo.value).__name__
            # pytest's "where" chain: keep the first level, drop the noise below it.
            text_lines = [l for l in text.splitlines()
                          if not re.match(r"\s*\+\s{3,}(where|and)\b", l) and "<built-in" not in l]
            if len(text_lines) > 12:
                text_lines = text_lines[:12] + ["..."]
            lines.insert(0, text_lines[0])
            lines += ["  " + l for l in text_lines]
        lines.append("(pytest --tb=long shows the full report)")
        return "\n".join(lines)
    except Exception:  # never let the friendly report hide the real one
        return None


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


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Outermost wrapper: the table comes after pytest's failures and short summary, so the run
    # ends with it (and the final "N failed, M passed" line).
    yield
    if config.option.collectonly:
        return
    _progress_table(terminalreporter, config)


def _progress_table(terminalreporter, config):
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
