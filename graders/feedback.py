"""Turning a failed example into words: the property, the shrunk input, expected, got, difference.

Printed small (``precision=4, threshold=50``); never shows reference or hidden test code.
"""

from __future__ import annotations

import numpy as np

from .checks import Args
from .examples import Failure

PRINT = dict(precision=4, threshold=50, edgeitems=3, linewidth=88, suppress=False)
MAX_VALUE_CHARS = 600


def show(value) -> str:
    """A small, readable rendering of an input or output value."""
    with np.printoptions(**PRINT):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            text = repr(value.item())
        elif isinstance(value, np.ndarray):
            text = np.array2string(value, separator=", ")
            extra = []
            if value.dtype != np.float64:
                extra.append(f"dtype={value.dtype}")
            if value.ndim and value.size == 0 or value.ndim > 1 and value.size > 0 and value.shape[0] == 0:
                extra.append(f"shape={value.shape}")
            text = f"array({text}{', ' + ', '.join(extra) if extra else ''})"
        elif isinstance(value, np.generic):
            text = repr(value.item())
        elif isinstance(value, tuple):
            text = "(" + ", ".join(show(v) for v in value) + ("," if len(value) == 1 else "") + ")"
        elif isinstance(value, list):
            text = "[" + ", ".join(show(v) for v in value) + "]"
        elif isinstance(value, dict):
            text = "{" + ", ".join(f"{k!r}: {show(v)}" for k, v in value.items()) + "}"
        else:
            text = repr(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[:MAX_VALUE_CHARS] + " ..."
    return text


def show_args(example: Args, names: list[str]) -> str:
    parts = []
    for i, value in enumerate(example.args):
        name = names[i] if i < len(names) else f"arg{i + 1}"
        parts.append(f"{name} = {show(value)}")
    parts += [f"{k} = {show(v)}" for k, v in example.kwargs.items()]
    return "\n    ".join(parts) if parts else "(no arguments)"


def difference(expected, got) -> str | None:
    try:
        e = np.asarray(expected, dtype=np.float64)
        g = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if e.shape != g.shape or e.size == 0:
        return None
    diff = g - e
    with np.errstate(invalid="ignore"):
        worst = np.nanmax(np.abs(diff)) if np.any(np.isfinite(diff)) else float("nan")
    if e.ndim == 0:
        return show(float(diff))
    return f"{show(diff)} (largest {float(worst):.4g})"


def describe(failure: Failure, says: str, function: str, example: Args, names: list[str],
             hint: str = "") -> str:
    """The message of a failed check."""
    lines = [f"{says}: {failure.summary}" if failure.kind != "limit"
             else f"{says}: {function} {failure.summary}"]
    lines.append(f"  input:\n    {show_args(example, names)}")
    if failure.kind == "mismatch":
        lines.append(f"  expected: {show(failure.expected)}")
        lines.append(f"  got:      {show(failure.got)}")
        diff = difference(failure.expected, failure.got)
        if diff is not None:
            lines.append(f"  difference (got - expected): {diff}")
    elif failure.kind == "raised" and failure.expected is not None:
        lines.append(f"  expected: {show(failure.expected)}")
    if failure.output:
        printed = failure.output.strip()
        if printed:
            lines.append("  it printed: " + printed[:300].replace("\n", "\n    "))
    if hint:
        lines.append(f"  hint: {hint}")
    return "\n".join(lines)
