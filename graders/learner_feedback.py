"""Feedback files for learners: ``OUTDIR/feedback/<name>.md`` and ``<name>.html``.

Built from a submission's result JSON (a dict, as ``SubmissionResult.to_dict()`` gives it) and the
course: per exercise its score and status in words, each failed check in plain words with its
shrunk counterexample (input, expected, got, difference), the hint and the concept to revisit.

How much of a hidden check a learner sees is the ``visibility`` setting:

``full``
    the property in words, what went wrong, and the counterexample (the default);
``property``
    the property in words and what went wrong, but no counterexample;
``score``
    only each exercise's score and status, with its hint and concept.

The HTML file is self-contained (inline CSS, no scripts, no network) so it can be mailed or
uploaded to an LMS as it is. Neither file shows reference code or hidden test code: the result
JSON never holds any.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import Course
from .files import write_atomic
from .results import points

VISIBILITY = ("full", "property", "score")
FEEDBACK_DIR = "feedback"

STATUS_WORDS = {
    "passed": "done",
    "partial": "partly right",
    "failed": "not right yet",
    "not_implemented": "not started",
    "missing": "file missing",
    "error": "could not be loaded",
    "forbidden": "uses a forbidden shortcut",
    "timeout": "too slow (timed out)",
    "crashed": "crashed",
}
# Statuses where the checks never really ran: one reason for the whole exercise, no per-check list.
_WHOLE_EXERCISE = {"not_implemented", "missing", "error", "forbidden"}

# The sections of a failed check's message, as graders.feedback.describe writes them.
_SECTION = re.compile(r"^  (input|expected|got|difference \(got - expected\)|it printed|hint):[ ]?(.*)$")
_KEYS = {"difference (got - expected)": "difference", "it printed": "printed"}
MAX_OUTPUT_LINES = 40


@dataclass
class FailedCheck:
    """One failed hidden check, taken apart for display."""

    name: str
    function: str
    says: str                # the property, in plain words
    problem: str             # what went wrong ("the result has the wrong value")
    points: float
    max_points: float
    input: str = ""
    expected: str = ""
    got: str = ""
    difference: str = ""
    printed: str = ""

    @property
    def has_counterexample(self) -> bool:
        return bool(self.input or self.expected or self.got)


@dataclass
class ExerciseView:
    number: int
    module: str
    title: str
    score: float
    max_score: float
    status: str
    message: str
    hint: str
    concept: str
    n_checks: int
    n_passed: int
    failed: list[FailedCheck] = field(default_factory=list)
    reason: str = ""         # one reason for the whole exercise (not started, missing, ...)
    output: str = ""

    @property
    def words(self) -> str:
        return STATUS_WORDS.get(self.status, self.status.replace("_", " "))

    @property
    def done(self) -> bool:
        return self.status == "passed"


# --- reading the result -----------------------------------------------------------------------

def check_descriptions(modules) -> dict[tuple[str, str, str], str]:
    """(module, function, check name) -> the property in plain words, from the check modules."""
    from .checks import load_checks

    says = {}
    for module in modules:
        try:
            checks = load_checks(module)
        except ModuleNotFoundError:
            continue
        for c in checks:
            says[(module, c.function, c.name)] = c.says
    return says


def _humanize(name: str) -> str:
    return name.replace("_", " ")


def parse_check_message(message: str, says: str | None = None) -> dict:
    """Split a failed check's message into says, problem and counterexample sections.

    A message written by ``graders.feedback.describe`` starts with ``"<says>: <problem>"`` and
    goes on with indented ``input:``, ``expected:``, ``got:``, ``difference ...:`` sections.
    Anything else (``"dot: not implemented yet"``) is returned whole as the problem.
    """
    lines = message.splitlines() or [""]
    head, rest = lines[0], lines[1:]
    out = {"says": says or "", "problem": head}
    if says and head.startswith(says + ": "):
        out["problem"] = head[len(says) + 2:]
    elif rest and _SECTION.match(rest[0]) and ": " in head:
        out["says"], out["problem"] = head.split(": ", 1)
    current = None
    for line in rest:
        m = _SECTION.match(line)
        if m:
            key = _KEYS.get(m.group(1), m.group(1))
            current = key
            out[key] = m.group(2)
        elif current is not None:
            out[current] += "\n" + line
    if "input" in out:
        out["input"] = _realign("\n".join(l[4:] if l.startswith("    ") else l
                                          for l in out["input"].strip("\n").splitlines()))
    for key in ("expected", "got", "difference", "printed"):
        if key in out:
            out[key] = _realign(out[key].strip()) if key != "printed" else out[key].strip()
    return out


def _realign(text: str) -> str:
    """Line up the rows of a printed multi-dimensional array under its first row."""
    lines = text.splitlines()
    anchor = None  # (column of the first "[", how many "[" open the first row)
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if not stripped:
            continue  # numpy separates the blocks of a 3-D array with a blank line
        if anchor is not None and stripped.startswith("[") and line[0].isspace():
            depth = len(stripped) - len(stripped.lstrip("["))
            lines[i] = " " * max(anchor[0] + anchor[1] - depth, 0) + stripped
            continue
        start = line.find("array([")
        if start >= 0:
            col = start + len("array(")
            rest = line[col:]
            anchor = (col, len(rest) - len(rest.lstrip("[")))
        else:
            anchor = None
    return "\n".join(lines)


def exercise_views(course: Course, result: dict, says: dict | None = None) -> list[ExerciseView]:
    """The graded exercises of a result, in course order, ready to be shown."""
    if says is None:
        says = check_descriptions(result["exercises"])
    views = []
    numbers = {ex.module: i for i, ex in enumerate(course.exercises, start=1)}
    known = {ex.module: ex for ex in course.exercises}
    order = [ex.module for ex in course.exercises if ex.module in result["exercises"]]
    order += [m for m in result["exercises"] if m not in known]
    for module in order:
        data = result["exercises"][module]
        ex = known.get(module)
        checks = data.get("checks", [])
        view = ExerciseView(
            number=numbers.get(module, len(numbers) + 1), module=module,
            title=data.get("title") or (ex.title if ex else module),
            score=data["score"], max_score=data["max_score"], status=data["status"],
            message=data.get("message", ""), hint=ex.hint if ex else "",
            concept=ex.concept if ex else "", n_checks=len(checks),
            n_passed=sum(1 for c in checks if c["passed"]), output=data.get("output", ""))
        if view.status in _WHOLE_EXERCISE:
            view.reason = view.message or view.words
        else:
            for c in checks:
                if c["passed"]:
                    continue
                parsed = parse_check_message(c["message"], says.get((module, c["function"], c["name"])))
                if parsed.get("difference") == "nan":  # no number to subtract from: says nothing
                    del parsed["difference"]
                if "input" in parsed and not parsed.get("got") and parsed["problem"].startswith("raised "):
                    parsed["got"] = parsed["problem"]  # what the call did, next to what it should
                view.failed.append(FailedCheck(
                    name=c["name"], function=c["function"],
                    says=parsed["says"] or _humanize(c["name"]), problem=parsed["problem"],
                    points=c["points"], max_points=c["max_points"],
                    input=parsed.get("input", ""), expected=parsed.get("expected", ""),
                    got=parsed.get("got", ""), difference=parsed.get("difference", ""),
                    printed=parsed.get("printed", "")))
        views.append(view)
    return views


def next_exercise(views: list[ExerciseView]) -> ExerciseView | None:
    """The first exercise in course order that is not done yet."""
    return next((v for v in views if not v.done), None)


def _check_visibility(visibility: str) -> None:
    if visibility not in VISIBILITY:
        raise ValueError(f"visibility must be one of {', '.join(VISIBILITY)}, not {visibility!r}")


def _output_excerpt(text: str) -> str:
    lines = text.rstrip().splitlines()
    if len(lines) > MAX_OUTPUT_LINES:
        lines = lines[:MAX_OUTPUT_LINES] + [f"[... {len(lines) - MAX_OUTPUT_LINES} more lines]"]
    return "\n".join(lines)


def counterexample_text(check: FailedCheck) -> str:
    """The counterexample as a small plain-text block."""
    parts = []
    if check.input:
        parts.append("input:\n" + "\n".join("    " + l for l in check.input.splitlines()))
    if check.expected:
        parts.append("expected: " + check.expected)
    if check.got:
        parts.append("got:      " + check.got)
    if check.difference:
        parts.append("difference (got - expected): " + check.difference)
    if check.printed:
        parts.append("your code printed: " + check.printed)
    return "\n".join(parts)


# --- Markdown ---------------------------------------------------------------------------------

def _md_escape(text: str) -> str:
    """Escape only what Markdown would misread, so the raw file stays easy to read."""
    text = re.sub(r"([\\`*<>|])", r"\\\1", text)
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    text = text.replace("](", "]\\(")
    return re.sub(r"^([#+-]|\d+\.)(?=\s)", r"\\\1", text)


def _fence(text: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}text\n{text}\n{ticks}"


def feedback_markdown(course: Course, result: dict, *, visibility: str = "full",
                      says: dict | None = None) -> str:
    """The learner's feedback as Markdown."""
    _check_visibility(visibility)
    views = exercise_views(course, result, says)
    name = result["submission"]
    out = [f"# Feedback for {_md_escape(name)}", "",
           f"{_md_escape(course.title)} · course version {_md_escape(str(result.get('course_version', course.version)))}",
           "", f"**Score: {points(result['score'])} / {points(result['max_score'])}**", ""]
    for note in result.get("notes", []):
        out += [f"> Note: {_md_escape(note)}", ""]
    out += ["| # | Exercise | Score | Status |", "|---|---|---|---|"]
    for v in views:
        out.append(f"| {v.number} | [{_md_escape(v.title)}](#{v.number}-{_slug(v.title)}) (`{v.module}`) "
                   f"| {points(v.score)}/{points(v.max_score)} | {v.words} |")
    out.append("")
    nxt = next_exercise(views)
    if nxt is None:
        out += ["**Everything passes. Well done!**", ""]
    else:
        out += [f"**Next:** {_md_escape(nxt.title)} (`{nxt.module}`)."
                + (f" Hint: {_md_escape(nxt.hint)}" if nxt.hint else ""), ""]
    for v in views:
        out += [f"## {v.number}. {_md_escape(v.title)}", "",
                f"`{v.module}` · **{points(v.score)}/{points(v.max_score)}** points · {v.words}", ""]
        if v.reason:
            out += [_md_escape(v.reason), ""]
        elif v.done:
            out += [f"All {v.n_checks} checks passed.", ""]
            continue
        else:
            out += [f"{v.n_passed} of {v.n_checks} checks passed.", ""]
        if visibility != "score":
            for c in v.failed:
                out += [f"### ✗ {_md_escape(c.says)}", "",
                        f"`{c.function}` · {points(c.points)}/{points(c.max_points)} points · "
                        f"{_md_escape(c.problem)}", ""]
                if visibility == "full" and c.has_counterexample:
                    out += [_fence(counterexample_text(c)), ""]
            if visibility == "full" and v.output.strip():
                out += ["Your code printed:", "", _fence(_output_excerpt(v.output)), ""]
        if v.hint:
            out += [f"**Hint:** {_md_escape(v.hint)}", ""]
        if v.concept:
            out += [f"**Concept to revisit:** {_md_escape(v.concept)}", ""]
    return "\n".join(out).rstrip() + "\n"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- HTML -------------------------------------------------------------------------------------

BASE_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--ok:#1a7f37;
--okbg:#dafbe1;--warn:#9a6700;--warnbg:#fff8c5;--bad:#cf222e;--badbg:#ffebe9;--accent:#0969da}
*{box-sizing:border-box}
body{margin:0;background:var(--soft);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI","DejaVu Sans",Roboto,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:0 0 8px}h3{font-size:16px;margin:0 0 6px}
a{color:var(--accent)}
.muted{color:var(--muted)}
.card{background:var(--bg);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:16px 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:13px;color:var(--muted);font-weight:600;background:var(--soft)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:13px/1.45 ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,Consolas,monospace}
code{background:var(--soft);padding:1px 5px;border-radius:4px}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:10px 12px;
margin:6px 0;overflow-x:auto;white-space:pre}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12.5px;font-weight:600;
white-space:nowrap;border:1px solid transparent}
.s-passed{background:var(--okbg);color:var(--ok);border-color:#aceebb}
.s-partial{background:var(--warnbg);color:var(--warn);border-color:#f5e0a0}
.s-failed,.s-error,.s-forbidden,.s-timeout,.s-crashed,.s-missing{background:var(--badbg);color:var(--bad);border-color:#ffcecb}
.s-not_implemented{background:#eaeef2;color:var(--muted);border-color:var(--line)}
"""

_FEEDBACK_CSS = BASE_CSS + """
.score{font-size:34px;font-weight:700;margin:6px 0 2px}
.meter{height:10px;background:#eaeef2;border-radius:5px;overflow:hidden;max-width:420px}
.meter>span{display:block;height:100%;background:var(--ok)}
.next{border-left:4px solid var(--accent)}
.ex-head{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}
.ex-head .pts{margin-left:auto;font-weight:700;font-variant-numeric:tabular-nums}
.check{border-top:1px solid var(--line);padding-top:10px;margin-top:12px}
.check h3::before{content:"\\2717  ";color:var(--bad)}
.cx{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;align-items:start;margin-top:6px}
.cx dt{color:var(--muted);font-size:13px;padding-top:8px}
.cx dd{margin:0}
.cx dd pre{margin:2px 0}
.cx .got pre{border-color:#ffcecb;background:#fff5f5}
.cx .exp pre{border-color:#aceebb;background:#f4fdf6}
.tip{margin:10px 0 0}
.tip b{color:var(--muted);font-weight:600}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _badge(status: str, words: str) -> str:
    return f'<span class="badge s-{_e(status)}">{_e(words)}</span>'


def _pct(score: float, max_score: float) -> float:
    return 100.0 * score / max_score if max_score else 0.0


def feedback_html(course: Course, result: dict, *, visibility: str = "full",
                  says: dict | None = None) -> str:
    """The learner's feedback as one self-contained HTML page."""
    _check_visibility(visibility)
    views = exercise_views(course, result, says)
    name = result["submission"]
    score, max_score = points(result["score"]), points(result["max_score"])
    pct = _pct(result["score"], result["max_score"])
    parts = [f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Feedback for {_e(name)} · {_e(course.title)}</title>
<style>{_FEEDBACK_CSS}</style></head>
<body><main>
<header class="card"><h1>Feedback for {_e(name)}</h1>
<div class="muted">{_e(course.title)} · course version {_e(result.get('course_version', course.version))}</div>
<div class="score" data-score="{score}">{score} <span class="muted">/ {max_score}</span></div>
<div class="meter" role="img" aria-label="{pct:.0f}% of the points"><span style="width:{pct:.1f}%"></span></div>
"""]
    for note in result.get("notes", []):
        parts.append(f'<p class="muted">Note: {_e(note)}</p>')
    parts.append("</header>")
    nxt = next_exercise(views)
    if nxt is None:
        parts.append('<section class="card next"><b>Everything passes. Well done!</b></section>')
    else:
        hint = f'<p class="tip"><b>Hint</b> {_e(nxt.hint)}</p>' if nxt.hint else ""
        parts.append(f'<section class="card next"><b>Next:</b> <a href="#ex-{_e(nxt.module)}">'
                     f'{_e(nxt.title)}</a> <code>{_e(nxt.module)}</code>{hint}</section>')
    rows = "".join(
        f'<tr><td class="num">{v.number}</td><td><a href="#ex-{_e(v.module)}">{_e(v.title)}</a> '
        f'<code>{_e(v.module)}</code></td><td class="num">{points(v.score)}/{points(v.max_score)}</td>'
        f'<td>{_badge(v.status, v.words)}</td></tr>' for v in views)
    parts.append(f'<section class="card"><h2>Exercises</h2><table id="summary"><thead><tr>'
                 f'<th class="num">#</th><th>Exercise</th><th class="num">Score</th><th>Status</th>'
                 f'</tr></thead><tbody>{rows}</tbody></table></section>')
    for v in views:
        parts.append(f'<section class="card exercise" id="ex-{_e(v.module)}">'
                     f'<div class="ex-head"><h2>{v.number}. {_e(v.title)}</h2>'
                     f'<code>{_e(v.module)}</code> {_badge(v.status, v.words)}'
                     f'<span class="pts">{points(v.score)}/{points(v.max_score)}</span></div>')
        if v.reason:
            parts.append(f"<p>{_e(v.reason)}</p>")
        elif v.done:
            parts.append(f"<p>All {v.n_checks} checks passed.</p></section>")
            continue
        else:
            parts.append(f"<p>{v.n_passed} of {v.n_checks} checks passed.</p>")
        if visibility != "score":
            for c in v.failed:
                parts.append(f'<div class="check"><h3>{_e(c.says)}</h3>'
                             f'<div class="problem">{_e(c.problem)} <span class="muted">· '
                             f'<code>{_e(c.function)}</code> · '
                             f'{points(c.points)}/{points(c.max_points)} points</span></div>')
                if visibility == "full" and c.has_counterexample:
                    parts.append('<dl class="cx">')
                    for label, value, cls in (("input", c.input, ""), ("expected", c.expected, "exp"),
                                              ("got", c.got, "got"),
                                              ("difference", c.difference, ""),
                                              ("it printed", c.printed, "")):
                        if value:
                            parts.append(f'<dt>{label}</dt><dd class="{cls}"><pre>{_e(value)}</pre></dd>')
                    parts.append("</dl>")
                parts.append("</div>")
            if visibility == "full" and v.output.strip():
                parts.append(f"<details><summary>Your code printed</summary>"
                             f"<pre>{_e(_output_excerpt(v.output))}</pre></details>")
        if v.hint:
            parts.append(f'<p class="tip"><b>Hint</b> {_e(v.hint)}</p>')
        if v.concept:
            parts.append(f'<p class="tip"><b>Concept to revisit</b> {_e(v.concept)}</p>')
        parts.append("</section>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


# --- files ------------------------------------------------------------------------------------

def feedback_paths(out_dir: Path, name: str) -> tuple[Path, Path]:
    folder = Path(out_dir) / FEEDBACK_DIR
    return folder / f"{name}.md", folder / f"{name}.html"


def write_feedback(course: Course, result: dict, out_dir: Path, *, visibility: str = "full",
                   says: dict | None = None) -> tuple[Path, Path]:
    """Write ``out_dir/feedback/<name>.md`` and ``.html``; return their paths."""
    md, page = feedback_paths(out_dir, result["submission"])
    if says is None:
        says = check_descriptions(result["exercises"])
    write_atomic(md, feedback_markdown(course, result, visibility=visibility, says=says))
    write_atomic(page, feedback_html(course, result, visibility=visibility, says=says))
    return md, page
