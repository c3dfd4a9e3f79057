"""Forbidden shortcuts, found by reading the learner's source (never by running it).

A rule in course.toml is one of:
- ``numpy.dot``: any name that resolves to it (``np.dot``, ``numpy.dot``, ``from numpy import dot
  as d``, ``getattr(np, "dot")``);
- ``@``: the matrix-multiplication operator (``a @ b``, ``a @= b``, ``operator.matmul``,
  ``__matmul__``);
- ``.dot``: an attribute of that name on anything (``A.dot(B)``, ``A.T``), including
  ``getattr(A, "dot")``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    rule: str
    line: int
    function: str | None  # the top-level function the use is in, None at module level

    def describe(self) -> str:
        what = "the @ operator" if self.rule == "@" else f"`{self.rule.lstrip('.')}`"
        return f"uses {what} on line {self.line}, which this exercise forbids"


_MODULE_ALIASES = {"np": "numpy"}


class _Scanner(ast.NodeVisitor):
    def __init__(self, rules: tuple[str, ...]):
        self.names = {r for r in rules if not r.startswith(".") and r != "@"}
        self.attrs = {r[1:] for r in rules if r.startswith(".")}
        self.matmul = "@" in rules
        if self.matmul:
            self.names.add("operator.matmul")
            self.attrs.add("__matmul__")
            self.attrs.add("__rmatmul__")
        self.aliases: dict[str, str] = {}  # local name -> dotted origin
        self.found: list[Violation] = []
        self.function: str | None = None

    # --- bookkeeping -------------------------------------------------------
    def _report(self, rule: str, node: ast.AST) -> None:
        self.found.append(Violation(rule, getattr(node, "lineno", 0), self.function))

    def _dotted(self, node: ast.AST) -> str | None:
        """The dotted origin a Name/Attribute chain refers to, through import aliases."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        root = self.aliases.get(node.id, node.id)
        return ".".join([root, *reversed(parts)])

    def _check_name(self, dotted: str | None, node: ast.AST) -> None:
        if dotted is None:
            return
        if dotted in self.names:
            self._report(dotted, node)
            return
        first, _, rest = dotted.partition(".")
        canonical = _MODULE_ALIASES.get(first, first) + ("." + rest if rest else "")
        if canonical in self.names:
            self._report(canonical, node)

    # --- visitors ------------------------------------------------------------
    def visit_FunctionDef(self, node):
        outer = self.function
        if outer is None:
            self.function = node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node):
        for alias in node.names:
            self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
            self._check_name(alias.name, node)

    def visit_ImportFrom(self, node):
        if node.module:
            for alias in node.names:
                origin = f"{node.module}.{alias.name}"
                self.aliases[alias.asname or alias.name] = origin
                self._check_name(origin, node)

    def visit_Name(self, node):
        if node.id in self.aliases:
            self._check_name(self.aliases[node.id], node)

    def visit_Attribute(self, node):
        before = len(self.found)
        self._check_name(self._dotted(node), node)  # the specific rule (numpy.dot) first
        if len(self.found) == before and node.attr in self.attrs:
            self._report("." + node.attr, node)
        self.generic_visit(node)

    def visit_BinOp(self, node):
        if self.matmul and isinstance(node.op, ast.MatMult):
            self._report("@", node)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        if self.matmul and isinstance(node.op, ast.MatMult):
            self._report("@", node)
        self.generic_visit(node)

    def visit_Call(self, node):
        # getattr(obj, "name") is attribute access spelled as a string.
        if (isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
            attr = node.args[1].value
            before = len(self.found)
            base = self._dotted(node.args[0])
            if base is not None:
                self._check_name(f"{base}.{attr}", node)
            if len(self.found) == before and attr in self.attrs:
                self._report("." + attr, node)
        self.generic_visit(node)


def scan(source: str, rules: tuple[str, ...]) -> list[Violation]:
    """Every use of a forbidden shortcut in ``source``, in line order. SyntaxError propagates."""
    if not rules:
        return []
    scanner = _Scanner(tuple(rules))
    scanner.visit(ast.parse(source))
    return sorted(scanner.found, key=lambda v: v.line)
