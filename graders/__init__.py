"""nnla's instructor side: the manifest, hidden property checks, the grader and its reports.

Learner code never runs in this package's process: see ``graders.sandbox``.
"""

__version__ = "0.1.0"
