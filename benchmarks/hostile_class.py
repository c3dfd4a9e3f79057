"""The untrusted-code issue's timing criterion, measured: the bundled sample class plus every
hostile submission, graded as one class with the course's own settings.

    python benchmarks/hostile_class.py                 # the whole course, default examples
    python benchmarks/hostile_class.py --json out.json

One run:
1. builds a class: the four bundled sample submissions and one submission per attack of the
   hostile suite (``tests/hostile``: a complete reference with one function or module swapped
   for the attack), every exercise of the course in each;
2. times ``nnla grade --class CLASS --out OUT --jobs 2`` (containment as detected; the result
   JSON records the level);
3. grades every submission alone (``nnla grade SUB --json``, one process each) and checks that
   every honest exercise (all of a sample submission's, and every exercise a hostile submission
   did not attack) got exactly the score it gets alone;
4. prints the wall time against the 3-minute bound and exits non-zero if either part fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hostile  # noqa: E402

BOUND_SECONDS = 180.0


def nnla(*args: str) -> list[str]:
    return [sys.executable, "-m", "graders", "--course", str(ROOT), *args]


def build(class_dir: Path, out: Path) -> dict[str, str | None]:
    """The class folder; returns each submission's attacked module (None: all honest)."""
    subs: dict[str, str | None] = {}
    for sample in sorted(p for p in (ROOT / "sample_class").iterdir() if p.is_dir()):
        dest = class_dir / sample.name
        dest.mkdir(parents=True)
        for f in sample.iterdir():
            if f.is_file():
                dest.joinpath(f.name).write_bytes(f.read_bytes())
        subs[sample.name] = None
    for attack in hostile.ATTACKS:
        hostile.build(class_dir / attack.id, ROOT, attack,
                      {"COURSE": ROOT, "OUT": out.resolve(), "CLASS": class_dir.resolve(), "PORT": 9})
        subs[attack.id] = attack.module
    return subs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nnla-hostile-class-") as tmp:
        work = Path(tmp)
        class_dir, out = work / "class", work / "out"
        subs = build(class_dir, out)
        began = time.monotonic()
        run = subprocess.run(nnla("grade", "--class", str(class_dir), "--out", str(out), "--jobs", "2",
                                  "--progress", "none"), capture_output=True, text=True)
        wall = time.monotonic() - began
        if run.returncode not in (0, 1):
            print(run.stderr, file=sys.stderr)
            return 2
        in_class = {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")}
        differences, isolation = [], {r["isolation"] for r in in_class.values()}
        honest = 0
        for name, attacked in subs.items():
            alone_file = work / "alone" / f"{name}.json"
            subprocess.run(nnla("grade", str(class_dir / name), "--json", str(alone_file)),
                           capture_output=True, text=True)
            alone = json.loads(alone_file.read_text())
            for module, ex in alone["exercises"].items():
                if module == attacked:
                    continue
                honest += 1
                got = in_class[name]["exercises"][module]["score"]
                if got != ex["score"]:
                    differences.append(f"{name}/{module}: {got} in the class, {ex['score']} alone")
    figures = {"submissions": len(subs), "hostile": sum(a is not None for a in subs.values()),
               "class_wall_s": round(wall, 1), "bound_s": BOUND_SECONDS, "isolation": sorted(isolation),
               "honest_exercises_compared": honest, "differences": differences}
    print(f"{len(subs)} submissions ({figures['hostile']} hostile), isolation {', '.join(sorted(isolation))}: "
          f"graded in {wall:.1f} s with --jobs 2 (bound {BOUND_SECONDS:.0f} s)")
    print(f"{honest} honest exercises compared with grading alone: "
          + ("all identical" if not differences else f"{len(differences)} differ"))
    for d in differences:
        print("  " + d)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if wall < BOUND_SECONDS and not differences else 1


if __name__ == "__main__":
    sys.exit(main())
