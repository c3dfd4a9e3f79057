"""The class report in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright. The plots and tables must render, sorting must work by clicking, a learner's
feedback must open from its link, nothing may be fetched from the network, and a 200-learner
report must load in well under a second. A screenshot of the report is saved for the test log
(``$NNLA_ARTIFACTS``, default ``build/test-artifacts/``).

Regenerate the README's screenshot with ``python -m tests.test_browser docs/report.png`` (it
grades a simulated class of 24 learners built from the real mutants in the suite).
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from graders.classrun import grade_class
from graders.learner_feedback import FEEDBACK_DIR, write_feedback
from graders.report import RunInfo, write_report

from .conftest import ROOT, checked_modules

from graders import suite

CHROMIUM = os.environ.get("NNLA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Offline, quiet, no sandbox (CI runs as root in a container); a fresh profile every launch.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
ARTIFACTS = Path(os.environ.get("NNLA_ARTIFACTS") or ROOT / "build" / "test-artifacts")
NAMES = ["ada", "alan", "barbara", "claude", "dennis", "edsger", "frances", "grace", "hedy",
         "ivan", "jean", "ken", "katherine", "leslie", "margaret", "niklaus", "radia", "sophie",
         "tim", "tony", "ursula", "vint", "whitfield", "yukihiro"]


def _unavailable(reason: str):
    """Skip on a developer's machine without a browser; fail in CI, where one must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(reason)


@contextmanager
def chromium(width: int = 1300, height: int = 900):
    """A headless Chromium page context with a fresh profile, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="nnla-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": width, "height": height}, offline=True)
        try:
            yield context
        finally:
            context.close()


# --- a sample class: simulated learners with real mistakes -----------------------------------

def demo_class(dest: Path, course, n: int = len(NAMES), seed: int = 7, modules=None) -> Path:
    """``n`` learners, each built from the reference with a few real mutants swapped in and
    the exercises after the ones they reached left as the untouched stubs."""
    rng = random.Random(seed)
    modules = [ex.module for ex in course.exercises if modules is None or ex.module in modules]
    mutants = {m: [v for v in suite.all_mutants() if v.module == m] for m in modules}
    for i, name in enumerate(NAMES[:n]):
        reached = len(modules) if i == 0 else 0 if i == 1 else rng.choices(
            range(1, len(modules) + 1), weights=[1 + k for k in range(len(modules))])[0]
        variants, used = [], set()
        for module in modules[:reached]:
            if i and mutants[module] and rng.random() < 0.45:
                v = rng.choice(mutants[module])
                if v.function not in used:
                    variants.append(v)
                    used.add(v.function)
        folder = suite.build_submission(dest / name, course.root, variants)
        for module in modules[reached:]:
            shutil.copy(course.exercises_dir / f"{module}.py", folder / f"{module}.py")
    return dest


def grade_demo(course, grader, out: Path, class_dir: Path, jobs: int = 1) -> Path:
    import time

    start = time.monotonic()
    subs = sorted(p for p in class_dir.iterdir() if p.is_dir())
    says = {(m, c.function, c.name): c.says for m, cs in grader.checks.items() for c in cs}
    results = grade_class(grader, subs, out, jobs=jobs,
                          on_done=lambda name, r: write_feedback(course, r, out, says=says))
    run = RunInfo(elapsed_s=time.monotonic() - start, jobs=jobs, examples=grader.n_examples,
                  time_limit=grader.limits.time_limit, memory_limit_mb=grader.limits.memory_mb)
    return write_report(out / "report.html", course, results, run=run,
                        feedback_dir=out / FEEDBACK_DIR, says=says)


# --- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with chromium() as context:
        yield context


@pytest.fixture(scope="module")
def report(course, tmp_path_factory):
    """A real class (12 learners, two exercises) graded for real, with feedback and report."""
    from graders.runner import Grader

    root = tmp_path_factory.mktemp("browser")
    modules = [m for m in ("dot_product", "matmul") if m in checked_modules()]
    grader = Grader(course, only=modules)
    class_dir = demo_class(root / "class", course, n=12, modules=modules)
    return grade_demo(course, grader, root / "out", class_dir)


def _open(context, path: Path):
    """A page on ``path`` that records every request leaving the file system, and JS errors."""
    page = context.new_page()
    page.outside, page.errors = [], []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            page.outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page


def _screenshot(page, name: str, capsys) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / name
    page.screenshot(path=str(shot), full_page=True)
    with capsys.disabled():
        print(f"\n[screenshot] {shot}")
    return shot


NAMES_JS = "() => [...document.querySelectorAll('#learners tbody tr')].map(r => r.cells[0].textContent)"
SCORES_JS = ("() => [...document.querySelectorAll('#learners tbody tr')]"
             ".map(r => parseFloat(r.cells[1].dataset.sort))")


# --- tests --------------------------------------------------------------------------------------

def test_plots_and_tables_render(browser, report, capsys):
    page = _open(browser, report)
    plots = page.eval_on_selector_all(
        "img.plot", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.getBoundingClientRect().height])")
    assert len(plots) == 3
    for complete, natural_width, height in plots:
        assert complete and natural_width > 100 and height > 80
    n = len([p for p in (report.parent).glob("*.json")])
    assert page.locator("#learners tbody tr").count() == n == 12
    assert page.locator("#exercise-table tbody tr").count() >= 1
    assert page.locator("#check-table tbody tr").count() >= 1
    for section in ("#overview", "#distribution", "#settings", "#exercises", "#checks"):
        assert page.locator(section).is_visible()
    assert "isolation" in page.locator("#settings").inner_text()
    shot = _screenshot(page, "report.png", capsys)
    assert shot.stat().st_size > 10_000
    assert page.outside == [] and page.errors == []
    page.close()


def test_clicking_a_column_sorts_the_learners(browser, report):
    page = _open(browser, report)
    names = page.evaluate(NAMES_JS)
    assert names == sorted(names)  # by name to begin with
    page.click("#learners thead th:nth-child(2) button")  # Score: highest first
    scores = page.evaluate(SCORES_JS)
    assert scores == sorted(scores, reverse=True) and page.evaluate(NAMES_JS) != names
    assert page.get_attribute("#learners thead th:nth-child(2)", "aria-sort") == "descending"
    page.click("#learners thead th:nth-child(2) button")  # again: lowest first
    assert page.evaluate(SCORES_JS) == sorted(scores)
    assert page.get_attribute("#learners thead th:nth-child(2)", "aria-sort") == "ascending"
    assert page.get_attribute("#learners thead th:nth-child(1)", "aria-sort") is None
    page.click("#learners thead th:nth-child(1) button")  # back to names
    assert page.evaluate(NAMES_JS) == names
    page.fill("#filter", "a")
    shown = page.locator("#learners tbody tr:not([hidden])").count()
    assert 0 < shown < len(names) and page.inner_text("#shown") == str(shown)
    assert page.outside == [] and page.errors == []
    page.close()


def test_feedback_opens_from_the_report(browser, report, capsys):
    page = _open(browser, report)
    # The learner with the lowest score among those whose code ran has failed checks to show.
    page.click("#learners thead th:nth-child(2) button")
    page.click("#learners thead th:nth-child(2) button")
    link = page.locator("#learners tbody tr td.links a", has_text="html").nth(1)
    name = link.locator("xpath=ancestor::tr/td[1]").inner_text()
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/feedback/{name}.html")
    assert page.locator("h1").inner_text() == f"Feedback for {name}"
    assert page.locator("#summary tbody tr").count() >= 1
    _screenshot(page, "feedback.png", capsys)
    assert page.errors == []
    page.close()


def test_a_200_learner_report_loads_fast(browser, course, tmp_path):
    from .test_report import synthetic_class

    results, says = synthetic_class(course, 200, seed=3)
    path = write_report(tmp_path / "report.html", course, results, says=says)
    page = _open(browser, path)
    loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    assert loaded < 1000, f"the report took {loaded:.0f} ms to load"
    took = page.evaluate("""() => { const t = performance.now();
        document.querySelector('#learners thead th:nth-child(3) button').click();
        return performance.now() - t; }""")
    assert took < 200, f"sorting 200 rows took {took:.0f} ms"
    assert page.locator("#learners tbody tr").count() == 200
    assert page.outside == [] and page.errors == []
    page.close()


# --- the README's screenshot --------------------------------------------------------------------

def photograph(report: Path, dest: Path) -> None:
    """The top of a report, as a README shows it."""
    with chromium(width=1320, height=1640) as context:
        page = context.new_page()
        page.goto(Path(report).resolve().as_uri(), wait_until="load")
        page.screenshot(path=str(dest))
    print(f"wrote {dest}")


def make_docs_screenshot(dest: Path, jobs: int = 2) -> None:
    """Grade a simulated class of 24 learners on every exercise and photograph the report."""
    from graders.manifest import load_course
    from graders.runner import Grader

    course = load_course(ROOT)
    modules = [ex.module for ex in course.exercises if ex.module in checked_modules()]
    grader = Grader(course, only=modules)
    with tempfile.TemporaryDirectory() as tmp:
        class_dir = demo_class(Path(tmp) / "class", course, modules=modules)
        photograph(grade_demo(course, grader, Path(tmp) / "out", class_dir, jobs=jobs), dest)


if __name__ == "__main__":
    # python -m tests.test_browser [DEST.png [REPORT.html]]: grade the simulated class and
    # photograph its report, or photograph a report already written (by `nnla grade --class`).
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "report.png")
    if len(sys.argv) > 2:
        photograph(Path(sys.argv[2]), target)
    else:
        make_docs_screenshot(target)
