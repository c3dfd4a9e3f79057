"""Trusted scalar functions of an array, for exercises that take a Python function as argument.

A function cannot cross the wire as code (the wire carries plain data, never pickle), so the
grader sends a *name* from this catalogue together with its parameters, and the learner process
rebuilds the callable from its own copy of this file. Every entry is pure numpy: ``f(x)`` reads
``x`` (any shape; its entries are taken in C order, ``x.reshape(-1)``), never modifies it, and
returns a Python float.

- ``quadratic(A, b)``:  f(x) = ½ xᵀAx + bᵀx                     A: (n, n), b: (n,)
- ``sines(a, w)``:      f(x) = Σ_i a[i] sin(w[i] x[i])           a, w: (n,)
- ``log_sum_exp()``:    f(x) = log Σ_i exp(x[i])                 n >= 1
- ``relu_net(W, b, v)``: f(x) = Σ_j v[j] max(0, (W x + b)[j])    W: (m, n), b, v: (m,)

:class:`Catalogued` is the value the grader puts into a call's arguments; it is also callable in
the grader's process (where the reference solution runs). What the learner process receives is a
:class:`Received`, which the wire refuses to send back as a function.

This file is copied into the learner process's runtime folder next to ``wire.py``: it imports
nothing but the standard library and numpy.
"""

from __future__ import annotations

import numpy as np


def _flat(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64).reshape(-1)


def _entries(x, n: int) -> np.ndarray:
    x = _flat(x)
    if x.size != n:
        raise ValueError(f"f expects an array with {n} entries, got one with {x.size}")
    return x


def quadratic(x, A, b) -> float:
    x = _entries(x, b.shape[0])
    return float(0.5 * np.sum(A * np.multiply.outer(x, x)) + np.sum(b * x))


def sines(x, a, w) -> float:
    x = _entries(x, a.shape[0])
    return float(np.sum(a * np.sin(w * x)))


def log_sum_exp(x) -> float:
    x = _flat(x)
    if x.size == 0:
        raise ValueError("log_sum_exp needs at least one entry")
    m = np.max(x)
    return float(m + np.log(np.sum(np.exp(x - m))))


def relu_net(x, W, b, v) -> float:
    x = _entries(x, W.shape[1])
    z = np.sum(W * x, axis=1) + b
    return float(np.sum(v * np.maximum(z, 0.0)))


# name -> (function, parameter names, the formula in words)
FUNCTIONS = {
    "quadratic": (quadratic, ("A", "b"), "f(x) = ½ xᵀAx + bᵀx"),
    "sines": (sines, ("a", "w"), "f(x) = Σ a[i] sin(w[i] x[i])"),
    "log_sum_exp": (log_sum_exp, (), "f(x) = log Σ exp(x[i])"),
    "relu_net": (relu_net, ("W", "b", "v"), "f(x) = Σ v[j] max(0, (W x + b)[j])"),
}


class Catalogued:
    """A catalogue function with its parameters: ``f = Catalogued("sines", {"a": a, "w": w})``.

    ``f(x)`` evaluates it. The wire sends it to the learner process as its name and parameters.
    """

    def __init__(self, name: str, params: dict):
        if name not in FUNCTIONS:
            raise ValueError(f"{name!r} is not in the catalogue")
        names = FUNCTIONS[name][1]
        if not isinstance(params, dict) or set(params) != set(names):
            raise ValueError(f"{name} takes the parameters {', '.join(names) or '(none)'}")
        for key, value in params.items():
            arr = np.asarray(value)
            if arr.dtype.kind not in "biuf":
                raise ValueError(f"{name}: parameter {key} must be numeric")
        self.name = name
        self.params = {k: np.asarray(params[k], dtype=np.float64) for k in names}

    @property
    def formula(self) -> str:
        return FUNCTIONS[self.name][2]

    def __call__(self, x) -> float:
        return FUNCTIONS[self.name][0](x, **self.params)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"<{self.formula}: {self.name}({args})>"


class Received(Catalogued):
    """A catalogue function as the learner process receives it (never sent back as one)."""
