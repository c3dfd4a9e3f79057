"""What ``nnla grade --class`` shows while it runs, and the summary table at the end.

On a terminal: a live progress bar (rich) with submissions done, rate, time left and the
outcomes so far; a submission that crashed or timed out is also named above the bar. When the
output is not a terminal (CI, a pipe, a log file): one plain line per submission, flushed, so a
log shows progress as it happens. ``--progress {auto,bar,plain,none}`` forces either.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn,
                           TextColumn, TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table
from rich.text import Text

from .learner_feedback import STATUS_WORDS
from .manifest import Course
from .results import STATUSES, points

MODES = ("auto", "bar", "plain", "none")
# Exercise statuses that mean the grader could not run the learner's code normally.
TROUBLE = ("error", "crashed", "timeout")


@dataclass
class Tally:
    """Outcomes so far."""

    done: int = 0
    full: int = 0             # full marks
    lost: int = 0             # below full marks
    trouble: int = 0          # an exercise errored, crashed or timed out
    troubled: list[str] = field(default_factory=list)

    def add(self, result: dict) -> list[str]:
        self.done += 1
        if result["score"] >= result["max_score"]:
            self.full += 1
        else:
            self.lost += 1
        bad = [m for m, ex in result["exercises"].items() if ex["status"] in TROUBLE]
        if bad:
            self.trouble += 1
            self.troubled.append(result["submission"])
        return bad


class _RateColumn(ProgressColumn):
    """Submissions per second (or seconds per submission when slower than one a second)."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        if not speed:
            return Text("  –/s", style="progress.data.speed")
        text = f"{speed:.1f}/s" if speed >= 1 else f"{1 / speed:.1f} s each"
        return Text(text, style="progress.data.speed")


def _is_terminal(stream) -> bool:
    return Console(file=stream).is_terminal


class ClassProgress:
    """Progress of a class run. Use as a context manager; call :meth:`done` per submission
    (it has the signature of ``grade_class``'s ``on_done``)."""

    def __init__(self, total: int, *, mode: str = "auto", out=None, err=None):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.total = total
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        if mode == "auto":
            mode = "bar" if _is_terminal(self.err) else "plain"
        self.mode = mode
        self.tally = Tally()
        self.start = time.monotonic()
        self._progress: Progress | None = None
        self._task = None
        self._first: float | None = None
        self._wide = True
        # With a live bar on stderr and stdout redirected to a file, the file still gets the log.
        self._log_too = mode == "bar" and not _is_terminal(self.out)

    # --- context --------------------------------------------------------------------------
    def __enter__(self) -> "ClassProgress":
        self.start = time.monotonic()
        if self.mode == "bar":
            console = Console(file=self.err)
            # Wide terminals get words; narrow ones (80 columns) symbols and a legend line.
            self._wide = console.width >= 120
            if not self._wide:
                console.print("[green]✓[/] full marks  [yellow]✗[/] lost points  "
                              "[red]⚠[/] crashed or timed out", highlight=False)
            columns = [SpinnerColumn(), TextColumn("[bold]Grading"),
                       BarColumn(bar_width=40 if self._wide else 16), MofNCompleteColumn(),
                       _RateColumn()]
            if self._wide:
                columns.append(TimeElapsedColumn())
            columns += [TextColumn("eta"), TimeRemainingColumn(), TextColumn("{task.fields[tally]}")]
            self._progress = Progress(*columns, console=console, transient=False,
                                      refresh_per_second=8)
            self._progress.start()
            self._task = self._progress.add_task("grading", total=self.total, tally=self._tally_text())
        elif self.mode == "plain":
            self._line(f"grading {self.total} submission{'s' if self.total != 1 else ''}")
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.update(self._task, tally=self._tally_text())
            self._progress.stop()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.start

    # --- events ---------------------------------------------------------------------------
    def _tally_text(self) -> str:
        t = self.tally
        if not self._wide:
            return (f"[green]✓{t.full}[/] [yellow]✗{t.lost}[/]"
                    + (f" [red]⚠{t.trouble}[/]" if t.trouble else ""))
        text = f"[green]✓ {t.full} full marks[/] · [yellow]✗ {t.lost} lost points[/]"
        if t.trouble:
            text += f" · [red]⚠ {t.trouble} crashed/timed out[/]"
        return text

    def _line(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def done(self, name: str, result: dict) -> None:
        bad = self.tally.add(result)
        if self._progress is not None:
            if bad:
                what = ", ".join(f"{m} {STATUS_WORDS.get(result['exercises'][m]['status'], '')}"
                                 for m in bad)
                self._progress.console.print(f"[red]⚠[/] {name}: {what}", highlight=False)
            self._progress.update(self._task, advance=1, tally=self._tally_text())
        if self.mode == "plain" or self._log_too:
            self._line(self._plain(name, result, bad))

    def _plain(self, name: str, result: dict, bad: list[str]) -> str:
        n, width = self.tally.done, len(str(self.total))
        elapsed = self.elapsed
        # The rate from the first submission on: the set-up before it is not paid again.
        now = time.monotonic()
        if self._first is None:
            self._first = now
        rate = (n - 1) / (now - self._first) if n > 1 and now > self._first else 0
        left = (self.total - n) / rate if rate else None
        line = (f"[{n:>{width}}/{self.total}] graded {name}: {points(result['score'])}/"
                f"{points(result['max_score'])}")
        if bad:
            line += " (" + ", ".join(f"{m}: {result['exercises'][m]['status']}" for m in bad) + ")"
        line += f"  · {_clock(elapsed)} elapsed"
        return line + (f", ~{_clock(left)} left" if left is not None and n < self.total else "")


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    m, s = divmod(seconds, 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# --- the summary at the end -----------------------------------------------------------------

def summary_table(course: Course, results: list[dict]) -> Table:
    """Per exercise: mean score, completion and statuses; a total row at the bottom."""
    table = Table(title=f"{course.title} · {len(results)} submissions", title_justify="left",
                  show_lines=False, header_style="bold", expand=False)
    table.add_column("exercise")
    table.add_column("mean", justify="right")
    table.add_column("full marks", justify="right")
    table.add_column("started", justify="right")
    table.add_column("statuses")
    present = {m for r in results for m in r["exercises"]}
    n = len(results) or 1
    for ex in course.exercises:
        if ex.module not in present:
            continue
        rows = [r["exercises"][ex.module] for r in results if ex.module in r["exercises"]]
        mean = sum(e["score"] for e in rows) / n
        full = sum(e["status"] == "passed" for e in rows)
        started = sum(e["status"] not in ("not_implemented", "missing") for e in rows)
        counts: dict[str, int] = {}
        for e in rows:
            counts[e["status"]] = counts.get(e["status"], 0) + 1
        order = sorted(counts, key=lambda k: STATUSES.index(k) if k in STATUSES else len(STATUSES))
        statuses = ", ".join(f"{counts[k]} {STATUS_WORDS.get(k, k)}" for k in order)
        table.add_row(ex.module, f"{mean:.1f}/{points(ex.points)}", f"{100 * full / n:.0f}%",
                      f"{100 * started / n:.0f}%", statuses)
    if results:
        scores = [r["score"] for r in results]
        max_score = results[0]["max_score"]
        full = sum(r["score"] >= r["max_score"] for r in results)
        table.add_section()
        table.add_row("[bold]total", f"[bold]{statistics.fmean(scores):.1f}/{points(max_score)}",
                      f"{100 * full / n:.0f}%", "",
                      f"median {points(statistics.median(scores))}, min {points(min(scores))}, "
                      f"max {points(max(scores))}")
    return table


def print_summary(course: Course, results: list[dict], *, out=None, elapsed: float | None = None,
                  troubled: list[str] = ()) -> None:
    """The final summary table (plain box characters when not on a terminal)."""
    from rich import box

    out = out or sys.stdout
    console = Console(file=out, highlight=False)
    table = summary_table(course, results)
    if not console.is_terminal:
        table.box = box.ASCII2
    console.print()
    console.print(table)
    if elapsed is not None and results:
        console.print(f"graded in {_clock(elapsed)} ({elapsed / len(results):.2f} s per submission)")
    if troubled:
        shown = ", ".join(troubled[:10]) + (f" and {len(troubled) - 10} more" if len(troubled) > 10 else "")
        console.print(f"[red]crashed or timed out somewhere:[/] {shown}")
