"""Rebuild the bundled sample class from the course (run after changing solutions or the suite).

    python sample_class/build.py

- ada: complete, in her own style (in each exercise, a valid variant of one function);
- ben: partial: five classic mistakes, and the architectures unit not started;
- cleo: the untouched stubs;
- dev: a syntax error in matmul.py, np.dot in dot_product.py, the rest of the first unit
  done and everything else not started.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from graders import suite  # noqa: E402
from graders.manifest import load_course  # noqa: E402

BEN_MISTAKES = ["matmul.matmul.hadamard", "mse.mse_grad.divides_by_batch",
                "attention.scaled_dot_product_attention.no_scaling", "relu.relu_grad.one_at_zero",
                "backprop.linear_backward.db_mean"]
DOT_WITH_NP_DOT = '''import numpy as np


def dot(a, b):
    if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
        raise ValueError("dot needs two 1-D vectors of the same length")
    return np.dot(a, b)
'''


def stubs(folder: Path, modules) -> None:
    for m in modules:
        shutil.copy(ROOT / "exercises" / f"{m}.py", folder / f"{m}.py")


def main() -> None:
    course = load_course(ROOT)
    for child in HERE.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
    first = {}
    for v in suite.all_valid():  # one per module: variants may bring helpers of the same name
        first.setdefault(v.module, v)
    suite.build_submission(HERE / "ada", ROOT, list(first.values()))

    mutants = {m.id: m for m in suite.all_mutants()}
    ben = suite.build_submission(HERE / "ben", ROOT, [mutants[i] for i in BEN_MISTAKES])
    stubs(ben, [ex.module for ex in course.unit_exercises("architectures") if ex.module != "attention"])

    cleo = HERE / "cleo"
    cleo.mkdir()
    stubs(cleo, [ex.module for ex in course.exercises])

    first_unit = [ex.module for ex in course.unit_exercises(course.units[0].name)]
    dev = suite.build_submission(HERE / "dev", ROOT, modules=first_unit)
    (dev / "matmul.py").write_text((dev / "matmul.py").read_text().replace("def matmul(A, B):", "def matmul(A, B)", 1))
    (dev / "dot_product.py").write_text(suite.replace_function((dev / "dot_product.py").read_text(), "dot",
                                                               DOT_WITH_NP_DOT.split("\n\n\n", 1)[1]))
    (dev / "dot_product.py").write_text("import numpy as np\n" + (dev / "dot_product.py").read_text())
    stubs(dev, [ex.module for ex in course.exercises if ex.module not in first_unit])
    print("wrote", ", ".join(sorted(p.name for p in HERE.iterdir() if p.is_dir())))


if __name__ == "__main__":
    main()
