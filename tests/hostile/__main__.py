"""``python -m tests.hostile CLASS_DIR [OUT_DIR]``: write every attack as a submission folder."""

import sys
from pathlib import Path

from . import build_class

ROOT = Path(__file__).resolve().parents[2]

if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    class_dir = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) == 3 else class_dir.parent / "out"
    for path in build_class(class_dir, ROOT, out):
        print(path)
