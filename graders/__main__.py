"""``python -m graders`` is the ``nnla`` command."""

import sys

from .cli import main

sys.exit(main())
