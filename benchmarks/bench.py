"""Grading speed, measured side by side: nnla vs nbgrader, jobs 2 vs jobs 1, nnla vs the floor.

    python benchmarks/bench.py                      # N = 200 submissions, 3 repeats
    python benchmarks/bench.py -n 40 --repeats 1    # a quicker look
    python benchmarks/bench.py --json out.json      # also write the table as JSON

One run:
1. builds a class of N submissions from the course itself: complete (the reference with a
   valid variant of graders/suite in about half of its exercises, as learners write their own
   code), partial (the same, with one to three mutants), untouched stubs, and a few that loop
   forever in one function (they hit the per-call time limit);
2. grades it with the unbatched path once and checks that the optimised path gives
   byte-identical result files (correctness first; where learner code returns other values on
   every run, as an unseeded random generator does, its messages differ between any two runs:
   the optimised path is run twice to find those, and they must grade alike);
3. times `nnla grade --class` with --jobs 1 and --jobs 2 (median of the repeats; the peak
   memory of the whole process tree is sampled from /proc: PSS, with the RSS sum beside it), and one `nnla grade` of a single
   complete submission from a cold start (a new process), with --jobs 1 and 2 and without the
   disk cache, and the same submission through the Gradescope export's run_autograder;
4. exports the first 20 submissions' first unit as nbgrader notebooks, checks that nbgrader and
   nnla give the same scores, and times `nbgrader autograde` against `nnla grade --class` on
   the same notebooks (the same checks and example counts run on both sides);
5. measures the floor: calling the reference functions in-process on exactly the inputs the
   checks use, with no grading around it (it bounds the throughput on this machine's cores);
   and, beside it, what judging every one of those outcomes in full costs (what a submission
   whose replies all differ from the reference's needs on top); then a floor closer to a real
   class: the complete submissions' own code on the same inputs plus one sandbox start, the
   least that a contained grader spends on each;
6. times `pytest exercises` with the solutions in place;
and prints one table (medians, ratios, peak memory).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graders import suite  # noqa: E402
from graders.cache import cache_dir  # noqa: E402
from graders.examples import judge, reference_module  # noqa: E402
from graders.manifest import load_course  # noqa: E402
from graders.nbgrader import fill_notebook, write_course_subset  # noqa: E402
from graders.runner import Grader  # noqa: E402
from graders.sandbox.process import LearnerProcess  # noqa: E402

LOOP = "def {fn}(*args, **kwargs):\n    while True:\n        pass\n"


# --- measuring ---------------------------------------------------------------------------------

def tree_memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB of a process and all its descendants, from /proc.

    PSS splits each shared page between the processes that share it; summing RSS over a tree of
    forked processes (workers, zygotes, sessions) counts every shared page once per process. The
    benchmark reports PSS as the memory the run occupies, and the RSS sum beside it.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    rss = pss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return rss, pss


class Ran(NamedTuple):
    """One command's wall time, peak memory of its process tree (PSS, and the RSS sum) and output."""

    seconds: float
    pss_mb: int
    rss_sum_mb: int
    output: str


def run(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> Ran:
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True)
    peak = [0, 0]  # PSS, RSS sum (KiB)
    done = threading.Event()

    def sample():
        while not done.is_set():
            rss, pss = tree_memory_kb(proc.pid)
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - began
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{out[-3000:]}")
    return Ran(elapsed, peak[0] // 1024, peak[1] // 1024, out)


def nnla(*args: str) -> list[str]:
    return [sys.executable, "-m", "graders", "--course", str(ROOT), *args]


def gradescope_env(root: Path) -> dict[str, str]:
    """What Gradescope's run_autograder sees, below ``root`` instead of /autograder (this
    interpreter stands in for the venv setup.sh makes; the example cache is the one the rest of
    the benchmark uses, already filled)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNLA_")}
    folder = cache_dir()
    env.update(NNLA_AUTOGRADER_ROOT=str(root), NNLA_PYTHON=sys.executable,
               NNLA_CACHE_DIR=str(folder) if folder is not None else "off")
    return env


def gradescope_root(root: Path, submission: Path) -> Path:
    """An autograder root for the whole course, laid out as Gradescope does (the archive in
    source/, run_autograder beside it), prepared as setup.sh does, with ``submission`` uploaded."""
    import zipfile

    source = root / "source"
    source.mkdir(parents=True)
    run(nnla("export", "gradescope", str(root / "autograder.zip")))
    with zipfile.ZipFile(root / "autograder.zip") as zf:
        zf.extractall(source)
    shutil.copy(source / "run_autograder", root / "run_autograder")
    env = dict(gradescope_env(root), PYTHONPATH=str(source / "nnla"))
    run([sys.executable, "-s", "-m", "graders.gradescope", "prepare"], env=env, cwd=root)
    shutil.copytree(submission, root / "submission")
    return root


# --- the class ----------------------------------------------------------------------------------

def build_class(dest: Path, n: int, seed: int = 7) -> dict[str, str]:
    """N submissions: ~45% complete, ~35% partial, ~15% stubs, a few looping forever.

    Like learners' code, complete and partial submissions are not the reference itself: half of
    the exercises that have valid variants in graders/suite get one of them (another summation
    order, loops, another formula; one per module, as variants of one module may define helpers
    of the same name), so those are judged value by value rather than matched byte for byte with
    the reference's replies. Partial ones have one to three mutants instead, in other modules.
    """
    course = load_course(ROOT)
    rng = random.Random(seed)
    mutants = suite.all_mutants()
    variants: dict[str, list] = {}
    for v in suite.all_valid():
        variants.setdefault(v.module, []).append(v)

    def own_code(broken: list) -> list:
        taken = {m.module for m in broken}
        return [rng.choice(options) for module, options in sorted(variants.items())
                if rng.random() < 0.5 and module not in taken] + broken

    kinds = {}
    for i in range(n):
        name = f"learner{i:04d}"
        r = i % 20
        if r in (0,) and i > 0:
            kind = "timeout"
        elif r in (1, 2, 3):
            kind = "stubs"
        elif r < 11:
            kind = "partial"
        else:
            kind = "complete"
        folder = dest / name
        if kind == "stubs":
            folder.mkdir(parents=True)
            for ex in course.exercises:
                shutil.copy(ROOT / "exercises" / f"{ex.module}.py", folder)
        elif kind == "partial":
            suite.build_submission(folder, ROOT, own_code(rng.sample(mutants, rng.randint(1, 3))))
        else:
            suite.build_submission(folder, ROOT, own_code([]))
            if kind == "timeout":
                ex = rng.choice(course.exercises)
                fn = ex.functions[0]
                path = folder / f"{ex.module}.py"
                path.write_text(suite.replace_function(path.read_text(), fn, LOOP.format(fn=fn)))
        kinds[name] = kind
    return kinds


def _without_output(text: str) -> dict:
    result = json.loads(text)
    for ex in result.get("exercises", {}).values():
        ex.pop("output", None)
    return result


def _grades(text: str) -> dict:
    """What a result grades: the scores, statuses and each check's verdict, without messages."""
    result = json.loads(text)
    return {"score": result.get("score"),
            "exercises": {m: (ex.get("score"), ex.get("status"),
                              [(c.get("name"), c.get("passed"), c.get("points")) for c in ex.get("checks", [])])
                          for m, ex in result.get("exercises", {}).items()}}


class Differences(NamedTuple):
    grading: dict[str, str]  # result file -> where it differs in what it grades or says: the gate fails
    output: list[str]     # only in printed output
    unsteady: list[str]   # learner code that gives other values on every run: same grades, other messages


def differing_results(a: Path, b: Path, unsteady: frozenset[str] = frozenset()) -> Differences:
    """Where two class runs' result files differ.

    Printed output is the learner process's, captured as it is: numpy's floating-point warnings
    from OpenBLAS kernels can be spurious and come and go between runs of the same code, so a
    difference there is reported apart and does not count as a grading difference. Results in
    ``unsteady`` (they differ between two runs of the same path: learner code that draws from an
    unseeded generator shows other values in its messages each time) must grade alike.
    """
    names = sorted({p.name for p in a.glob("*.json")} | {p.name for p in b.glob("*.json")})
    found = Differences({}, [], [])
    for name in names:
        if not ((a / name).exists() and (b / name).exists()):
            found.grading[name] = "only in one run"
            continue
        text_a, text_b = (a / name).read_text(), (b / name).read_text()
        if text_a == text_b:
            continue
        if _without_output(text_a) == _without_output(text_b):
            found.output.append(name)
            continue
        if name in unsteady and _grades(text_a) == _grades(text_b):
            found.unsteady.append(name)
            continue
        lines_a, lines_b = text_a.splitlines(), text_b.splitlines()
        at = next((i for i, (x, y) in enumerate(zip(lines_a, lines_b)) if x != y), min(len(lines_a), len(lines_b)))
        found.grading[name] = f"line {at + 1}:\n    {lines_a[at:at + 1]}\n    {lines_b[at:at + 1]}"
    return found


# --- nbgrader, side by side ----------------------------------------------------------------------

def nbgrader_side_by_side(work: Path, class_dir: Path, students: list[str]) -> dict:
    course = load_course(ROOT)
    unit = course.units[0].name
    modules = [ex.module for ex in course.unit_exercises(unit)]
    small = write_course_subset(course, work / "course", modules)
    out = work / "nb"
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("NNLA_COURSE", None)
    run([sys.executable, "-m", "graders", "--course", str(small), "export", "nbgrader", str(out)])
    run([sys.executable, "-m", "nbgrader", "generate_assignment", unit, "--force"], env=env, cwd=out)
    for student in students:
        for m in modules:
            nb = json.loads((out / "release" / unit / f"{m}.ipynb").read_text())
            source = (class_dir / student / f"{m}.py").read_text()
            if f'raise NotImplementedError("{m}: not implemented yet")' not in source:
                nb = fill_notebook(nb, source)
            target = out / "submitted" / student / unit / f"{m}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(nb))
    t_nb, mem_nb, _, _ = run([sys.executable, "-m", "nbgrader", "autograde", unit, "--force"], env=env, cwd=out)
    run([sys.executable, "-m", "nbgrader", "export"], env=env, cwd=out)
    with open(out / "grades.csv", newline="") as f:
        nb_scores = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(f)}
    grades = work / "nnla-nb"
    t_ours, mem_ours, _, _ = run([sys.executable, "-m", "graders", "--course", str(small), "grade", "--class",
                               str(out / "submitted"), "--out", str(grades), "--jobs", "2", "--progress", "none"])
    ours = {p.stem: json.loads(p.read_text())["score"] for p in grades.glob("*.json")}
    mismatched = {s: (nb_scores.get(s), ours.get(s)) for s in students
                  if abs((nb_scores.get(s) or 0) - (ours.get(s) or 0)) > 1e-6}
    if mismatched:
        raise SystemExit(f"nbgrader and nnla disagree: {mismatched}")
    return {"unit": unit, "exercises": len(modules), "students": len(students),
            "nbgrader_s": t_nb, "nnla_s": t_ours, "nbgrader_mb": mem_nb, "nnla_mb": mem_ours,
            "examples_per_check": course.grading.examples}


# --- the floor ----------------------------------------------------------------------------------

class Floor(NamedTuple):
    calls: int          # the learner calls of one complete submission
    call_s: float       # the reference functions called on the checks' inputs: the floor
    judge_s: float      # each check's judge given the reference's own outcomes, in full


def prepared_grader() -> Grader:
    """A grader of the course with every test set loaded."""
    grader = Grader(load_course(ROOT))
    grader.prepare()
    return grader


def check_calls(grader: Grader) -> list[tuple[str, str, object]]:
    """Every learner call one complete submission answers, in grading order: (module, function, args)."""
    calls = []
    for module, checks in grader.checks.items():
        for check in checks:
            cases = grader.cases(module)[(check.function, check.name)]
            for example in cases.examples:
                calls.extend((module, call.function, call.args) for call in check.calls(example))
    return calls


def calls_seconds(calls: list, modules: dict) -> float:
    """In-process time of ``calls`` made on ``modules`` (module name -> module), second pass:
    a class run's steady state, with numpy's and the functions' own caches warm."""
    work = [(getattr(modules[module], function), a) for module, function, a in calls]
    for _ in range(2):
        began = time.perf_counter()
        for function, a in work:
            try:
                function(*a.args, **a.kwargs)
            except Exception:
                pass
        spent = time.perf_counter() - began
    return spent


def floor_seconds() -> Floor:
    """The floor: what one submission costs with no grading machinery at all, in-process, the
    reference called on exactly the checks' inputs. Any grader of these checks makes these calls,
    so the number of cores divided by it bounds the throughput from above. Beside it, the cost of
    judging every outcome in full (nnla skips it for replies equal to the reference's)."""
    grader = prepared_grader()
    calls = check_calls(grader)
    call_s = calls_seconds(calls, {m: reference_module(grader.course.solutions_dir, m) for m in grader.checks})
    judging = []
    for module, checks in grader.checks.items():
        for check in checks:
            cases = grader.cases(module)[(check.function, check.name)]
            judging += [(check, example, outcomes) for example, outcomes in zip(cases.examples, cases.references)]
    for _ in range(2):  # the second pass, as above: what judges cache per example is warm
        began = time.perf_counter()
        for check, example, outcomes in judging:
            judge(check, example, outcomes, outcomes)
        judge_s = time.perf_counter() - began
    return Floor(len(calls), call_s, judge_s)


class ContainedFloor(NamedTuple):
    own_code_s: float   # median over complete submissions: their own functions on the checks' inputs
    sandbox_s: float    # median wall time to start a sandbox, open one session and stop it
    sampled: int        # complete submissions whose code was timed


def contained_floor(class_dir: Path, complete: list[str], scratch: Path, sample: int = 8,
                    starts: int = 7) -> ContainedFloor:
    """A floor closer to a real class, still with no grading around it: each complete submission
    costs at least its own code on the checks' inputs (learners' code, not the reference: loops,
    other formulas) plus one sandbox, started and stopped (bubblewrap, the interpreter, numpy),
    which containment needs once per submission. The benchmark's own generated code (the
    reference and graders/suite's variants) runs in this process; a real class's never does."""
    grader = prepared_grader()
    course = grader.course
    calls = check_calls(grader)
    own = [calls_seconds(calls, {m: reference_module(class_dir / name, m) for m in grader.checks})
           for name in complete[:sample]]
    stub = scratch / "stubs-for-the-sandbox"
    shutil.copytree(ROOT / "exercises", stub, ignore=shutil.ignore_patterns("test_*", "__pycache__"))
    started = []
    for _ in range(starts):
        began = time.perf_counter()
        with LearnerProcess(stub, grader.limits, grader.isolation) as proc:
            proc.begin()
            opened = proc.open(course.exercises[0].module, list(course.exercises[0].functions))
            if not opened.ok:
                raise SystemExit(f"the sandbox did not start: {opened.error.message}")
        started.append(time.perf_counter() - began)
    shutil.rmtree(stub)
    return ContainedFloor(statistics.median(own), statistics.median(started), len(own))


# --- main ----------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="submissions in the class (default 200)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing; the median is reported")
    parser.add_argument("--nbgrader-students", type=int, default=20)
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    if args.n < 12:  # learner0011 is the first complete submission build_class writes
        parser.error("-n must be at least 12: the class needs a complete submission")

    work = Path(tempfile.mkdtemp(prefix="nnla-bench-"))
    class_dir = work / "class"
    kinds = build_class(class_dir, args.n)
    n = len(kinds)
    print(f"class: {n} submissions ({', '.join(f'{k}: {list(kinds.values()).count(k)}' for k in sorted(set(kinds.values())))})")
    # As after `pip install`: the grader's bytecode compiled (where PYTHONDONTWRITEBYTECODE is
    # set, as on CI machines, nothing else would write it and every start would compile again).
    run([sys.executable, "-m", "compileall", "-q", str(ROOT / "graders")])
    run(nnla("grade", str(ROOT / "solutions"), "--json", str(work / "warm.json")))  # fills the example cache

    # correctness first: the optimised path equals the plain one on the whole class
    plain_env = dict(os.environ, NNLA_UNBATCHED="1", NNLA_CACHE_DIR="off")
    t_plain = run(nnla("grade", "--class", str(class_dir), "--out", str(work / "plain"), "--jobs", "2",
                             "--progress", "none"), env=plain_env).seconds
    for out in ("fast", "fast-again"):
        run(nnla("grade", "--class", str(class_dir), "--out", str(work / out), "--jobs", "2", "--progress", "none"))
    again = differing_results(work / "fast", work / "fast-again")
    found = differing_results(work / "plain", work / "fast", frozenset(again.grading))
    if found.grading:
        raise SystemExit("the optimised path does not give the same results as the plain one:\n  "
                         + "\n  ".join(f"{name} {where}" for name, where in found.grading.items()))
    print(f"optimised results identical to the unbatched, uncached path on all {n} submissions "
          f"(that path took {t_plain:.1f} s with --jobs 2)"
          + (f"; printed output differed in {len(found.output)} ({', '.join(found.output)})" if found.output else "")
          + (f"; same grades, other counterexample values in {len(found.unsteady)} whose learner code "
             f"returns other values on every run ({', '.join(found.unsteady)})" if found.unsteady else ""))

    rows: dict[str, dict] = {}

    def timed(label: str, cmd: list[str], env=None, cwd=None, per: int | None = None) -> None:
        times, mems, rss = [], [], []
        for r in range(args.repeats):
            ran = run(cmd, env=env, cwd=cwd)
            times.append(ran.seconds)
            mems.append(ran.pss_mb)
            rss.append(ran.rss_sum_mb)
        med = statistics.median(times)
        rows[label] = {"seconds": med, "runs": times, "peak_mb": max(mems), "peak_rss_sum_mb": max(rss),
                       **({"per_second": per / med} if per else {})}
        print(f"  {label}: {med:.2f} s" + (f" ({per / med:.2f}/s)" if per else "")
              + f", peak {max(mems)} MB PSS ({max(rss)} MB RSS summed over processes)")

    for jobs in (1, 2):
        timed(f"class --jobs {jobs}", nnla("grade", "--class", str(class_dir), "--out", str(work / f"j{jobs}"),
                                           "--jobs", str(jobs), "--progress", "none"), per=n)
    complete = next(name for name, k in kinds.items() if k == "complete")
    timed("one submission, cold process, --jobs 1", nnla("grade", str(class_dir / complete), "--jobs", "1"))
    timed("one submission, cold process, --jobs 2", nnla("grade", str(class_dir / complete), "--jobs", "2"))
    timed("one submission, cold process, --jobs 2, no cache",
          nnla("grade", str(class_dir / complete), "--jobs", "2"), env=dict(os.environ, NNLA_CACHE_DIR="off"))

    gs_root = gradescope_root(work / "gradescope", class_dir / complete)
    timed("one submission, Gradescope's run_autograder (cold, whole course)",
          ["bash", str(gs_root / "run_autograder")], env=gradescope_env(gs_root), cwd=gs_root)

    solved = work / "solved" / "exercises"
    shutil.copytree(ROOT / "exercises", solved)
    for f in (ROOT / "solutions").glob("*.py"):
        shutil.copy(f, solved)
    timed("pytest exercises (solved)", [sys.executable, "-m", "pytest", str(solved), "-q", "-p", "no:cacheprovider"],
          cwd=solved.parent)

    fl = floor_seconds()
    floor = fl.call_s
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    rows["floor"] = {"seconds": floor, "calls": fl.calls, "judge_all_s": fl.judge_s,
                     "bound_per_second": cores / floor, "cores": cores}
    print(f"  floor: {floor:.3f} s for {fl.calls} reference calls (one submission's inputs): at most "
          f"{cores / floor:.1f} submissions/s on {cores} cores, with no grading machinery at all; "
          f"judging every outcome in full would add {fl.judge_s:.3f} s")

    complete_names = [name for name, k in kinds.items() if k == "complete"]
    cf = contained_floor(class_dir, complete_names, work)
    per_complete = cf.own_code_s + cf.sandbox_s
    rows["floor with learners' code and containment"] = {
        "seconds": per_complete, "own_code_s": cf.own_code_s, "sandbox_s": cf.sandbox_s,
        "sampled": cf.sampled, "bound_per_second": cores / per_complete, "cores": cores}
    print(f"  floor with learners' code and containment: {cf.own_code_s:.3f} s for a complete "
          f"submission's own code (median of {cf.sampled}) + {cf.sandbox_s:.3f} s for its sandbox: at "
          f"most {cores / per_complete:.1f} complete submissions/s on {cores} cores, with no grading at all")

    nb = None
    if not args.skip_nbgrader:
        students = sorted(kinds)[: args.nbgrader_students]
        nb = nbgrader_side_by_side(work / "nbgrader", class_dir, students)
        rows["nbgrader side by side"] = nb
        print(f"  nbgrader autograde: {nb['nbgrader_s']:.1f} s vs nnla {nb['nnla_s']:.1f} s on "
              f"{nb['students']} submissions x {nb['exercises']} notebooks (same scores)")

    j1, j2 = rows["class --jobs 1"]["seconds"], rows["class --jobs 2"]["seconds"]
    ratios = {
        "jobs 2 vs jobs 1 (speed-up)": j1 / j2,
        # both as submissions/s on this machine's cores: the floor's bound over ours --jobs 2
        "floor's bound vs ours --jobs 2 (throughput)": (cores / floor) / (n / j2),
        "contained floor's bound vs ours --jobs 2 (throughput)": (cores / per_complete) / (n / j2),
    }
    if nb:
        ratios["nbgrader vs ours (speed-up, same notebooks)"] = nb["nbgrader_s"] / nb["nnla_s"]
    print("\n| measure | value |\n|---|---|")
    for label, row in rows.items():
        if label == "nbgrader side by side":
            continue
        extra = f", {row['per_second']:.2f} submissions/s" if "per_second" in row else ""
        if label == "floor":
            extra = (f" for {row['calls']} reference calls (bound {row['bound_per_second']:.1f} submissions/s "
                     f"on {row['cores']} cores; judging every outcome in full: {row['judge_all_s']:.3f} s more)")
        if label == "floor with learners' code and containment":
            extra = (f": own code {row['own_code_s']:.3f} s + sandbox {row['sandbox_s']:.3f} s (bound "
                     f"{row['bound_per_second']:.1f} complete submissions/s on {row['cores']} cores)")
        mem = f", peak {row['peak_mb']} MB PSS ({row['peak_rss_sum_mb']} MB RSS sum)" if "peak_mb" in row else ""
        print(f"| {label} | {row['seconds']:.3f} s{extra}{mem} |")
    if nb:
        print(f"| nbgrader autograde, {nb['students']} x {nb['exercises']} notebooks | {nb['nbgrader_s']:.1f} s |")
        print(f"| nnla grade --class, the same notebooks | {nb['nnla_s']:.1f} s |")
    for label, value in ratios.items():
        print(f"| {label} | {value:.2f}x |")
    report = {"submissions": n, "kinds": {k: list(kinds.values()).count(k) for k in set(kinds.values())},
              "repeats": args.repeats, "rows": rows, "ratios": ratios, "cpus": os.cpu_count(),
              "load_before": os.getloadavg()}
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
