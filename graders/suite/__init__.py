"""Mutants and valid variants: the two error rates of the graders, measured.

A *mutant* is a realistic wrong implementation of one function (modelled on a real learner
mistake); it must lose points in its own exercise and nowhere else. A *valid variant* is a
different correct way to write a function; it must score full marks. Each lives in
``graders/suite/<module>.py`` as ``MUTANTS`` and ``VALID`` lists; a submission is built from the
reference modules with one function's definition replaced by the variant's source.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from ..sync import solution_code


@dataclass(frozen=True)
class Variant:
    module: str
    function: str
    name: str
    why: str        # the learner mistake a mutant models, or the style a valid variant shows
    source: str     # replaces the function's definition (may start with imports or helpers)
    valid: bool

    @property
    def id(self) -> str:
        return f"{self.module}.{self.function}.{self.name}"


def mutant(module: str, function: str, name: str, why: str, source: str) -> Variant:
    return Variant(module, function, name, why, textwrap.dedent(source).strip() + "\n", False)


def valid(module: str, function: str, name: str, why: str, source: str) -> Variant:
    return Variant(module, function, name, why, textwrap.dedent(source).strip() + "\n", True)


def replace_function(source: str, function: str, replacement: str) -> str:
    """``source`` with the top-level ``def function`` (and its decorators) replaced."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            lines = source.splitlines(keepends=True)
            return "".join(lines[:start]) + replacement + "".join(lines[node.end_lineno:])
    raise ValueError(f"{function} is not defined at the top level")


def reference_sources(course_root: Path) -> dict[str, str]:
    """module -> the reference module's code as a learner would submit it (markers removed)."""
    return {p.stem: solution_code(p.read_text(encoding="utf-8"))
            for p in sorted((course_root / "solutions").glob("*.py"))}


def build_submission(dest: Path, course_root: Path, variants: list[Variant] = (),
                     modules: list[str] | None = None) -> Path:
    """A submission folder: every reference module (or those in ``modules``), with each
    variant's function swapped in."""
    sources = reference_sources(course_root)
    for v in variants:
        sources[v.module] = replace_function(sources[v.module], v.function, v.source)
    dest.mkdir(parents=True, exist_ok=True)
    for module, text in sources.items():
        if modules is not None and module not in modules:
            continue
        (dest / f"{module}.py").write_text(text, encoding="utf-8")
    return dest


def _collect(attr: str) -> list[Variant]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(mod, attr, []))
    return found


def all_mutants() -> list[Variant]:
    return _collect("MUTANTS")


def all_valid() -> list[Variant]:
    return _collect("VALID")
