"""The class report: one self-contained HTML file for the instructor.

``nnla grade --class DIR --out OUTDIR`` writes it to ``OUTDIR/report.html`` (or ``--report FILE``):

* the run's settings (course version, seed, isolation level, examples per check, time taken);
* the score distribution (a matplotlib histogram);
* per exercise: mean score, completion (full marks) and how many started it;
* per check: the pass rate among learners whose code ran on it, hardest first, with the most
  common way it failed -- this is where misconceptions show;
* a sortable, filterable table of learners with links to their feedback files.

Plots are matplotlib SVGs embedded as ``data:`` URIs; CSS and the few lines of script are inline.
Nothing is fetched over the network, so the file can be opened offline, mailed or archived.
The report is built from the result JSONs alone (plus the course), so it can be rebuilt later
from an ``OUTDIR`` without regrading: see :func:`load_results`.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from . import __version__
from .learner_feedback import BASE_CSS, STATUS_WORDS, check_descriptions, parse_check_message
from .manifest import Course
from .files import write_atomic
from .results import STATUSES, points

REPORT = "report.html"
HARDEST_PLOTTED = 12
# Colours shared by the plots and the page (GitHub-like, readable for most colour-blind readers).
BLUE, GREEN, GREY, RED = "#0969da", "#1a7f37", "#8c959f", "#cf222e"


@dataclass
class RunInfo:
    """What the report says about the run itself (none of it is in the result JSONs' grades)."""

    elapsed_s: float | None = None        # wall-clock time of the grading run
    jobs: int | None = None
    examples: int | None = None           # generated examples per hidden check
    time_limit: float | None = None       # seconds per learner call
    memory_limit_mb: int | None = None
    generated_at: datetime | None = None  # default: now


# --- statistics -------------------------------------------------------------------------------

@dataclass
class ExerciseStats:
    module: str
    title: str
    max_score: float
    mean: float              # mean points
    completion: float        # fraction with full marks
    started: float           # fraction whose code ran (not missing or a stub)
    statuses: Counter


@dataclass
class CheckStats:
    module: str
    function: str
    name: str
    says: str
    points: float
    passed: int = 0
    attempted: int = 0       # learners whose code ran on the check's examples
    total: int = 0
    problems: Counter = field(default_factory=Counter)
    example: str | None = None  # a learner who failed it (to look at a counterexample)

    @property
    def rate(self) -> float | None:
        return self.passed / self.attempted if self.attempted else None


_NOT_STARTED = {"not_implemented", "missing"}


def exercise_stats(course: Course, results: list[dict]) -> list[ExerciseStats]:
    graded = [m for m in _modules(course, results)]
    stats = []
    titles = {ex.module: ex.title for ex in course.exercises}
    for module in graded:
        rows = [r["exercises"][module] for r in results if module in r["exercises"]]
        n = len(rows) or 1
        stats.append(ExerciseStats(
            module=module, title=titles.get(module, rows[0]["title"] if rows else module),
            max_score=rows[0]["max_score"] if rows else 0,
            mean=sum(e["score"] for e in rows) / n,
            completion=sum(e["status"] == "passed" for e in rows) / n,
            started=sum(e["status"] not in _NOT_STARTED for e in rows) / n,
            statuses=Counter(e["status"] for e in rows)))
    return stats


def check_stats(course: Course, results: list[dict], says: dict | None = None) -> list[CheckStats]:
    """Every check's pass rate, hardest first (checks nobody's code reached go last)."""
    modules = _modules(course, results)
    if says is None:
        says = check_descriptions(modules)
    table: dict[tuple, CheckStats] = {}
    for r in results:
        for module in modules:
            ex = r["exercises"].get(module)
            if ex is None:
                continue
            for c in ex["checks"]:
                key = (module, c["function"], c["name"])
                st = table.get(key)
                if st is None:
                    st = table[key] = CheckStats(module, c["function"], c["name"],
                                                 says.get(key, c["name"].replace("_", " ")),
                                                 c["max_points"])
                st.total += 1
                if c["passed"]:
                    st.passed += 1
                    st.attempted += 1
                elif "\n  input:" in c["message"]:  # the learner's code ran on an example
                    st.attempted += 1
                    st.problems[parse_check_message(c["message"], says.get(key))["problem"]] += 1
                    st.example = st.example or r["submission"]
    order = {m: i for i, m in enumerate(modules)}
    return sorted(table.values(), key=lambda s: (s.rate is None, s.rate if s.rate is not None else 0,
                                                 -s.attempted, order[s.module], s.name))


def _modules(course: Course, results: list[dict]) -> list[str]:
    present = {m for r in results for m in r["exercises"]}
    ordered = [ex.module for ex in course.exercises if ex.module in present]
    return ordered + sorted(present - set(ordered))


def _pct(score: float, max_score: float) -> float:
    return 100.0 * score / max_score if max_score else 0.0


# --- plots ------------------------------------------------------------------------------------

def _figure(width: float, height: float, *, left: float, bottom: float, top: float = 0.12,
            right: float = 0.25):
    """A figure with one axes and fixed margins (inches): quicker than a layout engine, and
    the labels' room is known from their length."""
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state

    fig = Figure(figsize=(width, height), dpi=100)
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height,
                        top=1 - top / height)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#afb8c1")
    ax.tick_params(colors="#59636e", labelsize=9)
    return fig, ax


def _svg_uri(fig) -> str:
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "nnla"}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, transparent=False,
                    facecolor="white")
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _rc():
    import matplotlib

    return matplotlib.rc_context({"font.family": ["DejaVu Sans", "sans-serif"], "font.size": 9,
                                  "axes.titlesize": 10, "axes.labelcolor": "#59636e"})


def histogram_svg(percents: list[float]) -> str:
    """The score distribution: learners per 10% band of the total score."""
    with _rc():
        fig, ax = _figure(5.4, 2.7, left=0.5, bottom=0.5)
        edges = list(range(0, 101, 10))
        counts, _, bars = ax.hist([min(max(p, 0), 100) for p in percents], bins=edges,
                                  color=BLUE, edgecolor="white", linewidth=1)
        for count, bar in zip(counts, bars):
            if count:
                ax.annotate(f"{int(count)}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            ha="center", va="bottom", fontsize=8, color="#1f2328",
                            xytext=(0, 2), textcoords="offset points")
        if percents:
            mean = statistics.fmean(percents)
            ax.axvline(mean, color=RED, linestyle="--", linewidth=1.2)
            left = mean < 75
            ax.annotate(f"mean {mean:.0f}%", (mean, 1), xycoords=("data", "axes fraction"),
                        xytext=(4 if left else -4, -2), textcoords="offset points", va="top",
                        ha="left" if left else "right", color=RED, fontsize=8.5)
        ax.set_xlim(0, 100)
        ax.set_xticks(edges, [f"{e}%" for e in edges])
        ax.set_ylim(0, max(max(counts, default=0) * 1.18, 1))
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("total score (% of the points)")
        ax.set_ylabel("learners")
        return _svg_uri(fig)


def exercises_svg(stats: list[ExerciseStats]) -> str:
    """Per exercise: mean score and completion, side by side."""
    with _rc():
        fig, ax = _figure(5.4, 0.75 + 0.42 * max(len(stats), 1), top=0.35, bottom=0.3,
                          left=_label_inches([s.module for s in stats], 9))
        ys = list(range(len(stats)))
        h = 0.38
        mean = [_pct(s.mean, s.max_score) for s in stats]
        done = [100 * s.completion for s in stats]
        ax.barh([y - h / 2 for y in ys], mean, height=h, color=BLUE, label="mean score")
        ax.barh([y + h / 2 for y in ys], done, height=h, color=GREEN, label="full marks")
        for y, m, d in zip(ys, mean, done):
            ax.annotate(f"{m:.0f}%", (m, y - h / 2), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
            ax.annotate(f"{d:.0f}%", (d, y + h / 2), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ax.set_yticks(ys, [s.module for s in stats])
        ax.invert_yaxis()
        ax.set_xlim(0, 109)
        ax.set_xticks(range(0, 101, 20), [f"{t}%" for t in range(0, 101, 20)])
        ax.legend(loc="lower right", fontsize=8, frameon=False, ncols=2,
                  bbox_to_anchor=(1, 1), borderaxespad=0)
        return _svg_uri(fig)


def _label_inches(labels: list[str], points: float) -> float:
    """Room for tick labels: DejaVu Sans averages about 0.6 em a character."""
    longest = max((len(label) for label in labels), default=4)
    return 0.15 + longest * 0.6 * points / 72


def _short(text: str, n: int = 58) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def checks_svg(stats: list[CheckStats]) -> str:
    """The hardest checks' pass rates (among learners whose code ran on them)."""
    shown = [s for s in stats if s.rate is not None][:HARDEST_PLOTTED]  # already hardest first
    with _rc():
        labels = [_short(s.says, 70) for s in shown]
        fig, ax = _figure(8.8, 0.75 + 0.28 * max(len(shown), 1), bottom=0.5,
                          left=_label_inches(labels, 8.5))
        ys = list(range(len(shown)))
        rates = [100 * s.rate for s in shown]
        colors = [RED if r < 50 else "#bf8700" if r < 80 else GREEN for r in rates]
        ax.barh(ys, rates, height=0.62, color=colors)
        for y, r, s in zip(ys, rates, shown):
            ax.annotate(f"{r:.0f}%  ({s.passed}/{s.attempted})", (r, y), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=7.5)
        ax.set_yticks(ys, labels, fontsize=8.5)
        ax.invert_yaxis()
        ax.set_xlim(0, 112)
        ax.set_xticks(range(0, 101, 20), [f"{t}%" for t in range(0, 101, 20)])
        ax.set_xlabel("pass rate among learners whose code ran on the check")
        return _svg_uri(fig)


# --- HTML -------------------------------------------------------------------------------------

_CSS = BASE_CSS + """
main{max-width:1320px}
#learners th,#learners td{padding:5px 8px}
header.top{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px 24px;margin:8px 0 4px}
header.top h1{margin:0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:16px 0}
.stat{background:var(--bg);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.stat b{display:block;font-size:24px;font-variant-numeric:tabular-nums}
.stat span{color:var(--muted);font-size:13px}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px}
.grid2>.card{margin:0}
@media (max-width:1000px){.grid2{grid-template-columns:minmax(0,1fr)}}
.ex-grid{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,7fr);gap:16px;align-items:start}
@media (max-width:1000px){.ex-grid{grid-template-columns:minmax(0,1fr)}}
figure{margin:0}figure img{width:100%;height:auto;display:block}
figcaption{color:var(--muted);font-size:13px;margin-top:4px}
dl.settings{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.settings dt{color:var(--muted)}dl.settings dd{margin:0;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
.rate{font-weight:700;font-variant-numeric:tabular-nums}
.r-low{color:var(--bad)}.r-mid{color:var(--warn)}.r-high{color:var(--ok)}
td.says{min-width:240px;max-width:380px}
.toolbar{display:flex;gap:12px;align-items:center;margin:0 0 8px;flex-wrap:wrap}
.toolbar input{font:inherit;padding:5px 10px;border:1px solid var(--line);border-radius:6px;min-width:240px}
#learners thead th{position:sticky;top:0;z-index:1}
#learners th button{all:unset;cursor:pointer;display:inline-flex;gap:4px;align-items:center}
#learners th button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
#learners th button::after{content:"\\2195";color:#afb8c1;font-size:11px}
#learners th[aria-sort=ascending] button::after{content:"\\25B2";color:var(--accent)}
#learners th[aria-sort=descending] button::after{content:"\\25BC";color:var(--accent)}
#learners td.ex{font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap}
td.c-passed{background:#f0fbf3;color:var(--ok)}td.c-partial{background:#fffbe6;color:var(--warn)}
td.c-failed,td.c-error,td.c-forbidden,td.c-timeout,td.c-crashed,td.c-missing{background:#fff5f5;color:var(--bad)}
td.c-not_implemented{color:#8c959f}
td.links{white-space:nowrap}
tr[hidden]{display:none}
.legend{display:flex;gap:6px;flex-wrap:wrap;font-size:12px}
details.more{margin-top:10px}details.more summary{cursor:pointer;color:var(--muted)}
details.more ul{margin:6px 0 0;padding-left:22px;columns:2 420px;font-size:13.5px}
footer{color:var(--muted);font-size:12.5px;margin-top:24px}
"""

# Sorting and filtering the learners table: a click on a header sorts by that column (again:
# reversed); numbers sort as numbers (the cell's data-sort), names in natural order.
_JS = r"""
(function () {
  var table = document.getElementById("learners");
  if (!table) return;
  var tbody = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  function key(row, i) {
    var cell = row.cells[i];
    var v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent.trim() : v;
  }
  function sortBy(i, dir) {
    var numeric = heads[i].getAttribute("data-type") === "number";
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = key(a, i), y = key(b, i), c;
      c = numeric ? parseFloat(x) - parseFloat(y) : collator.compare(x, y);
      if (c === 0) c = collator.compare(key(a, 0), key(b, 0));
      return dir === "ascending" ? c : -c;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    tbody.appendChild(frag);
    heads.forEach(function (h, j) {
      if (j === i) h.setAttribute("aria-sort", dir); else h.removeAttribute("aria-sort");
    });
  }
  heads.forEach(function (h, i) {
    var b = h.querySelector("button");
    if (!b) return;
    b.addEventListener("click", function () {
      var now = h.getAttribute("aria-sort");
      var first = h.getAttribute("data-type") === "number" ? "descending" : "ascending";
      sortBy(i, now ? (now === "ascending" ? "descending" : "ascending") : first);
    });
  });
  var filter = document.getElementById("filter");
  var count = document.getElementById("shown");
  if (filter) filter.addEventListener("input", function () {
    var q = filter.value.trim().toLowerCase(), n = 0;
    Array.prototype.forEach.call(tbody.rows, function (r) {
      var hide = q !== "" && r.cells[0].textContent.toLowerCase().indexOf(q) < 0;
      r.hidden = hide; if (!hide) n++;
    });
    count.textContent = n;
  });
})();
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _status_order(counts) -> list[str]:
    """Statuses from best to worst (the order of ``results.STATUSES``; unknown ones last)."""
    return sorted(counts, key=lambda k: (STATUSES.index(k) if k in STATUSES else len(STATUSES), k))


def _num(x: float) -> str:
    """Points for a table cell: at most two decimals."""
    x = round(float(x), 2)
    return str(int(x)) if x == int(x) else f"{x:g}"


def _rate_class(rate: float) -> str:
    return "r-low" if rate < 0.5 else "r-mid" if rate < 0.8 else "r-high"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, s = divmod(round(seconds), 60)
    hours, m = divmod(minutes, 60)
    return f"{hours} h {m:02d} min" if hours else f"{m} min {s:02d} s"


def _settings(course: Course, results: list[dict], run: RunInfo, modules: list[str]) -> list[tuple[str, str]]:
    def one(key, default):
        values = sorted({str(r.get(key)) for r in results if r.get(key) is not None})
        return ", ".join(values) if values else str(default)

    when = (run.generated_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    rows = [("course", f"{course.title}"),
            ("course version", one("course_version", course.version)),
            ("seed", one("seed", course.grading.seed)),
            ("isolation", one("isolation", "unknown")),
            ("exercises graded", f"{len(modules)} of {len(course.exercises)}: {', '.join(modules)}"),
            ("submissions", str(len(results)))]
    if run.examples is not None:
        rows.append(("examples per check", str(run.examples)))
    if run.time_limit is not None:
        rows.append(("time limit per call", f"{run.time_limit:g} s"))
    if run.memory_limit_mb is not None:
        rows.append(("memory limit per call", f"{run.memory_limit_mb} MB"))
    if run.jobs is not None:
        rows.append(("parallel jobs", str(run.jobs)))
    if run.elapsed_s is not None:
        per = f" ({run.elapsed_s / len(results):.2f} s per submission)" if results else ""
        rows.append(("time taken", _duration(run.elapsed_s) + per))
    rows.append(("report written", when.strftime("%Y-%m-%d %H:%M UTC") + f" by nnla {__version__}"))
    return rows


def _href(report_dir: Path | None, feedback_file: Path) -> str:
    if report_dir is None:
        return quote(feedback_file.as_posix())
    return quote(Path(os.path.relpath(feedback_file, report_dir)).as_posix())


def render_report(course: Course, results: list[dict], *, run: RunInfo | None = None,
                  feedback_dir: Path | None = None, report_dir: Path | None = None,
                  says: dict | None = None) -> str:
    """The report's HTML. ``feedback_dir`` holds ``<name>.html`` files to link (the folder
    written by :func:`graders.learner_feedback.write_feedback`); ``report_dir`` is where the
    report will live, so the links can be relative."""
    run = run or RunInfo()
    results = sorted(results, key=lambda r: r["submission"])
    modules = _modules(course, results)
    if says is None:
        says = check_descriptions(modules)
    ex_stats = exercise_stats(course, results)
    ck_stats = check_stats(course, results, says)
    percents = [_pct(r["score"], r["max_score"]) for r in results]
    n = len(results)
    max_score = results[0]["max_score"] if results else 0
    mean = statistics.fmean(percents) if percents else 0.0
    median = statistics.median(percents) if percents else 0.0
    full = sum(r["score"] >= r["max_score"] for r in results)
    none = sum(r["score"] == 0 for r in results)

    out = [f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Class report · {_e(course.title)}</title>
<style>{_CSS}</style></head>
<body><main>
<header class="top"><h1>Class report</h1>
<div class="muted">{_e(course.title)} · version {_e(course.version)} · {n} submission{'s' if n != 1 else ''}</div></header>
<section class="cards" id="overview">
<div class="stat"><b>{n}</b><span>submissions</span></div>
<div class="stat"><b>{mean:.0f}%</b><span>mean score (of {points(max_score)} points)</span></div>
<div class="stat"><b>{median:.0f}%</b><span>median score</span></div>
<div class="stat"><b>{full}</b><span>full marks</span></div>
<div class="stat"><b>{none}</b><span>scored nothing</span></div>
</section>
<div class="grid2">
<section class="card" id="distribution"><h2>Score distribution</h2>
<figure><img class="plot" src="{histogram_svg(percents)}" alt="Histogram of total scores: learners per 10% band">
<figcaption>Learners per 10% band of the total score; the dashed line is the mean.</figcaption></figure></section>
<section class="card" id="settings"><h2>Run settings</h2><dl class="settings">
"""]
    for label, value in _settings(course, results, run, modules):
        out.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    out.append("</dl></section></div>")

    # Per exercise.
    rows = []
    for s in ex_stats:
        counts = " ".join(f'<span class="badge s-{_e(k)}">{s.statuses[k]} {_e(STATUS_WORDS.get(k, k))}</span>'
                          for k in _status_order(s.statuses))
        rows.append(f'<tr><td>{_e(s.title)} <code>{_e(s.module)}</code></td>'
                    f'<td class="num">{s.mean:.1f}/{points(s.max_score)} '
                    f'<span class="muted">({_pct(s.mean, s.max_score):.0f}%)</span></td>'
                    f'<td class="num">{100 * s.completion:.0f}%</td>'
                    f'<td class="num">{100 * s.started:.0f}%</td><td><div class="legend">{counts}</div></td></tr>')
    out.append(f"""<section class="card" id="exercises"><h2>Exercises</h2>
<div class="ex-grid"><figure><img class="plot" src="{exercises_svg(ex_stats)}" alt="Mean score and completion per exercise">
<figcaption>Mean score and share of learners with full marks, per exercise.</figcaption></figure>
<div class="scroll"><table id="exercise-table"><thead><tr><th>Exercise</th><th class="num">Mean score</th>
<th class="num" title="full marks">Completed</th><th class="num" title="their code ran: not a stub, not missing">Started</th><th>Statuses</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table></div></div></section>""")

    # Per check, hardest first: the failed ones in a table, the rest folded away.
    failed = [s for s in ck_stats if s.rate is not None and s.passed < s.attempted]
    clean = [s for s in ck_stats if s.rate is not None and s.passed == s.attempted]
    unreached = [s for s in ck_stats if s.rate is None]
    rows = []
    for i, s in enumerate(failed, start=1):
        problem, k = s.problems.most_common(1)[0] if s.problems else ("", 0)
        common = f'{_e(problem)} <span class="muted">({k} of {sum(s.problems.values())})</span>'
        if s.example and feedback_dir is not None:
            page = Path(feedback_dir) / f"{s.example}.html"
            common += (f' · <a href="{_href(report_dir, page)}#ex-{_e(s.module)}">'
                       f'example: {_e(s.example)}</a>')
        rows.append(f'<tr><td class="num">{i}</td><td><code>{_e(s.module)}</code><br>'
                    f'<code>{_e(s.function)}</code></td><td class="says">{_e(s.says)}</td>'
                    f'<td class="num">{_num(s.points)}</td>'
                    f'<td class="num"><span class="rate {_rate_class(s.rate)}">{100 * s.rate:.0f}%</span> '
                    f'<span class="muted">({s.passed}/{s.attempted})</span></td>'
                    f'<td class="num">{100 * (1 - s.rate):.0f}%</td><td>{common}</td></tr>')
    out.append("""<section class="card" id="checks"><h2>Checks, hardest first</h2>
<p class="muted">Pass rates count learners whose code ran on the check's examples (stubs and missing
files are left out). A low rate on one check with one common failure usually means a shared misconception.</p>""")
    if failed:
        out.append(f"""<figure><img class="plot" src="{checks_svg(failed)}" alt="Pass rate of the hardest checks" style="max-width:880px">
<figcaption>The {min(len(failed), HARDEST_PLOTTED)} hardest of the {len(failed)} checks someone failed
({len(ck_stats)} checks in all).</figcaption></figure>
<div class="scroll"><table id="check-table"><thead><tr><th class="num">#</th><th>Exercise<br>function</th>
<th>Check (the property)</th><th class="num">Points</th><th class="num">Passed</th><th class="num">Failed by</th>
<th>Most common failure</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>""")
    else:
        out.append("<p><b>Every learner whose code ran passed every check.</b></p>")
    for group, label in ((clean, "every learner whose code ran on them passed"),
                         (unreached, "no learner's code reached (only stubs or missing files)")):
        if group:
            items = "".join(f"<li><code>{_e(s.module)}.{_e(s.function)}</code> {_e(s.says)}"
                            f' <span class="muted">({s.passed}/{s.attempted})</span></li>'
                            if s.attempted else
                            f"<li><code>{_e(s.module)}.{_e(s.function)}</code> {_e(s.says)}</li>"
                            for s in group)
            out.append(f'<details class="more"><summary>{len(group)} check{"s" if len(group) != 1 else ""} '
                       f'{label}</summary><ul>{items}</ul></details>')
    out.append("</section>")

    # Learners.
    titles = {s.module: s.title for s in ex_stats}
    heads = ['<th data-type="text" aria-sort="ascending"><button type="button">Learner</button></th>',
             '<th class="num" data-type="number"><button type="button">Score</button></th>',
             '<th class="num" data-type="number"><button type="button">%</button></th>']
    heads += [f'<th class="num" data-type="number" title="{_e(titles[m])}"><button type="button">'
              f'{_e(m)}</button></th>' for m in modules]
    heads.append('<th data-type="text"><button type="button">Notes</button></th>')
    if feedback_dir is not None:
        heads.append("<th>Feedback</th>")
    rows = []
    for r, pct in zip(results, percents):
        name = r["submission"]
        cells = [f'<td data-sort="{_e(name)}">{_e(name)}</td>',
                 f'<td class="num" data-sort="{r["score"]}">{_num(r["score"])}/{_num(r["max_score"])}</td>',
                 f'<td class="num" data-sort="{pct:.4f}">{pct:.0f}%</td>']
        for m in modules:
            ex = r["exercises"].get(m)
            if ex is None:
                cells.append('<td class="ex" data-sort="-1">–</td>')
                continue
            words = STATUS_WORDS.get(ex["status"], ex["status"])
            cells.append(f'<td class="ex c-{_e(ex["status"])}" data-sort="{ex["score"]}" '
                         f'title="{_e(words)}: {points(ex["score"])}/{points(ex["max_score"])}">'
                         f'{_num(ex["score"])}</td>')
        problems = sorted({STATUS_WORDS.get(e["status"], e["status"]) for e in r["exercises"].values()
                           if e["status"] in ("error", "crashed", "timeout", "forbidden", "missing")})
        notes = "; ".join(problems + list(r.get("notes", [])))
        cells.append(f"<td>{_e(notes)}</td>")
        if feedback_dir is not None:
            md, page = Path(feedback_dir) / f"{name}.md", Path(feedback_dir) / f"{name}.html"
            cells.append(f'<td class="links"><a href="{_href(report_dir, page)}">html</a> · '
                         f'<a href="{_href(report_dir, md)}">md</a></td>')
        rows.append(f'<tr>{"".join(cells)}</tr>')
    out.append(f"""<section class="card" id="learners-section"><h2>Learners</h2>
<div class="toolbar"><input id="filter" type="search" placeholder="Find a learner…" aria-label="Find a learner">
<span class="muted"><span id="shown">{n}</span> of {n} shown · click a column to sort</span></div>
<div class="scroll"><table id="learners"><thead><tr>{''.join(heads)}</tr></thead>
<tbody>{''.join(rows)}</tbody></table></div></section>
<footer>Written by nnla {_e(__version__)}. Self-contained: no network needed to view this file.</footer>
</main><script>{_JS}</script></body></html>
""")
    return "\n".join(out)


def write_report(path: Path, course: Course, results: list[dict], *, run: RunInfo | None = None,
                 feedback_dir: Path | None = None, says: dict | None = None) -> Path:
    """Write the class report to ``path`` (atomically) and return the path."""
    path = Path(path)
    text = render_report(course, results, run=run, feedback_dir=feedback_dir,
                         report_dir=path.resolve().parent, says=says)
    write_atomic(path, text)
    return path


def load_results(out_dir: Path) -> list[dict]:
    """The result JSONs of a class run's ``OUTDIR`` (to rebuild a report without regrading)."""
    results = []
    for p in sorted(Path(out_dir).glob("*.json")):
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and "submission" in data and "exercises" in data:
            results.append(data)
    return results
