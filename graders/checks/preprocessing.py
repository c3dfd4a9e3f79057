"""Hidden checks for ``min_max_scale(X)``, ``standardize(X)`` and
``train_val_split(X, Y, val_fraction, seed)``.

Bounds (u = eps/2 of X's precision), per column j, for non-constant columns:

- ``min_max_scale``: (x - lo) / (hi - lo) is three roundings, but other correct forms such as
  x / span - lo / span round relative to |x| + |lo|; the problem's own sensitivity to rounding
  its inputs is (|x| + |lo| + |hi|) / (hi - lo), so the bound is 8·eps·(|x| + |lo| + |hi|) /
  (hi - lo).
- ``standardize``: the mean of N numbers in any order is within N·u·M of the exact mean
  (M = max |X[:, j]|), which moves every deviation by that much and the std by about as much,
  so z = d / s is within about (N + 4)·u·(M / s)·(1 + |z|). The bound is twice that.
  (mean(x²) - mean(x)² is not accepted: it cancels catastrophically, as the lesson says.)
- Constant columns (all values equal) must be exactly 0.0: the stated convention.

``train_val_split`` is checked by its properties, since many procedures are correct for a seed:
the sizes round(val_fraction·N); every row of X in exactly one part, with its own row of Y; the
same seed twice gives the same split; three different seeds do not all give the same split.
Inputs reach N = 0, fractions 0 and 1, the 70/30, 80/20 and 90/10 splits and their ties
(0.1·15 = 1.5 rounds to 2, 0.1·25 = 2.5 rounds to 2).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .. import compare, strategies as gs
from ..compare import Mismatch, f64
from . import Call, Registry, args, expect_value_error, inputs_unchanged, unchanged_call, unpack

checks = Registry()


# --- strategies: scaling ------------------------------------------------------------------------

@st.composite
def data_matrices(draw, constant_columns: bool = False, grid: bool = False, dtypes=gs.MIXED_DTYPES):
    """X (N, D), N >= 1, D >= 0, N != D mostly; some columns constant when asked.

    ``grid``: floats rounded to 3 decimals, so that squared deviations cannot underflow (the
    lesson's "values of ordinary size"), and some columns shifted by a large offset (years,
    prices: a mean far larger than the spread)."""
    if constant_columns:
        # N = 3, 6 or 7 rows of 0.1 (and the like): their float64 mean is not 0.1 exactly, so the
        # computed std is about 1e-17 instead of 0
        N, D = draw(st.sampled_from([3, 6, 7, 3, 6, 7, 1, 2, 5])), draw(gs.dims(1, 6))
    elif draw(st.integers(0, 3)) == 0:
        N, D = draw(gs.dims(1, 6)), draw(gs.dims(0, 6))
    else:
        N, D = draw(gs.distinct_dims(2, 1, 8))
    X = draw(gs.arrays((N, D), bound=draw(gs.magnitudes()), dtypes=dtypes, layout=False))
    if grid and X.dtype.kind == "f":
        X = np.round(X, 3)
    if grid and D and draw(st.booleans()):
        offset = draw(st.sampled_from([1e4, 1e6, -1e5]))
        small = draw(gs.arrays((N,), bound=10.0, dtypes=(X.dtype.name,), layout=False))
        X[:, draw(st.integers(0, D - 1))] = (np.round(small, 3) + offset if X.dtype.kind == "f"
                                             else small + int(offset))
    if constant_columns and D:
        columns = draw(st.lists(st.integers(0, D - 1), min_size=1, max_size=D, unique=True))
        for k, j in enumerate(columns):
            values = [0.1, 0.7, 0.2, 2.7] if k == 0 else [0.1, -2.3, 1e5 + 0.3, 0.0, 3.0, 1 / 3]
            value = draw(st.sampled_from(values))
            X[:, j] = value if X.dtype.kind == "f" else int(value)
    return args(draw(gs.layouts(X)))


@st.composite
def bad_matrices(draw):
    """Not a 2-D batch (a vector, a scalar, a 3-D array), or no rows."""
    n, d = draw(gs.distinct_dims(2, 1, 5))
    shape = draw(st.sampled_from([(0, d), (n,), (0, d), (), (2, n, d)]))
    return args(draw(gs.arrays(shape)))


# --- strategies: splitting ----------------------------------------------------------------------

FRACTIONS = [0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.25, 0.5, 0.0, 1.0]
# (N, val_fraction) where val_fraction * N is an exact half: Python's round goes to the even
# neighbour (0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4, 7.5 -> 8).
TIES = [(5, 0.1), (15, 0.1), (25, 0.1), (35, 0.1), (5, 0.3), (15, 0.3), (25, 0.3), (2, 0.25),
        (10, 0.25), (6, 0.25)]


@st.composite
def split_inputs(draw, min_rows: int = 0, max_rows: int = 40, fractions=None):
    """X with distinct rows (so rows can be traced), Y of shape (N,) or (N, K), a fraction and a
    seed."""
    if fractions is None and draw(st.integers(0, 3)) == 0:
        N, fraction = draw(st.sampled_from(TIES))
    else:
        N = draw(st.integers(min_rows, max_rows))
        if fractions is None:
            fraction = draw(st.one_of(st.sampled_from(FRACTIONS), st.floats(0.0, 1.0)))
        else:
            fraction = draw(st.sampled_from(fractions))
    D = draw(st.sampled_from([None, 1, 2, 3]))
    ids = draw(st.permutations(range(N))) if N else []
    first = np.array(ids, dtype=np.float64) * draw(st.sampled_from([1.0, 0.5, -3.0])) + draw(
        st.sampled_from([0.0, 0.25, 100.0]))
    if D is None:
        X = first
    else:
        rest = draw(gs.arrays((N, D - 1), dtypes=("float64",), layout=False))
        X = np.column_stack([first, rest]) if N else np.zeros((0, D))
    if draw(st.booleans()):
        X = X.astype(np.int64) if np.all(X == np.round(X)) else X
    K = draw(st.sampled_from([None, None, 2]))
    Y = draw(gs.arrays((N,) if K is None else (N, K), dtypes=("int64", "float64"), layout=False))
    seed = draw(st.integers(0, 2**32 - 1))
    return args(draw(gs.layouts(X)), draw(gs.layouts(Y)), fraction, seed)


@st.composite
def bad_split_inputs(draw):
    N = draw(st.integers(2, 8))
    X = np.arange(2 * N, dtype=np.float64).reshape(N, 2)
    Y = np.arange(N)
    kind = draw(st.sampled_from(["fraction", "fraction", "lengths", "scalar"]))
    if kind == "fraction":
        return args(X, Y, draw(st.sampled_from([-0.1, 1.5, -1.0, 2.0, 1.0000001])), 0)
    if kind == "lengths":
        return args(X, Y[:-1], 0.2, 0)
    return args(np.float64(3.0), np.float64(1.0), 0.5, 0)


# --- comparing: scaling -------------------------------------------------------------------------

def min_max_bound(X) -> np.ndarray:
    Xf = f64(X)
    lo, hi = Xf.min(axis=0), Xf.max(axis=0)
    span = hi - lo
    constant = span == 0
    scale = (np.abs(Xf) + np.abs(lo) + np.abs(hi)) / np.where(constant, 1.0, span)
    return np.where(constant, 0.0, 8.0 * compare.unit_roundoff(X) * scale)


def standardize_bound(X, expected) -> np.ndarray:
    Xf = f64(X)
    N = Xf.shape[0]
    constant = Xf.max(axis=0) == Xf.min(axis=0)
    M = np.max(np.abs(Xf), axis=0)
    std = np.sqrt(np.mean((Xf - Xf.mean(axis=0)) ** 2, axis=0))
    ratio = M / np.where(constant | (std == 0), 1.0, std)
    bound = 2.0 * (N + 4) * compare.unit_roundoff(X) * ratio * (1.0 + np.abs(f64(expected)))
    return np.where(constant, 0.0, bound)


def scaled_mismatch(outcome, X, expected, bound, what: str, mistakes) -> Mismatch | None:
    value = compare.listed_empty(outcome.value, expected, outcome.note)
    mismatch = compare.within(value, expected, bound, what)
    if mismatch is None:
        return None
    arr = compare.as_float_array(value)
    Xf = f64(X)
    if arr is None or arr.shape != expected.shape:
        return mismatch
    constant = Xf.max(axis=0) == Xf.min(axis=0)
    if np.any(constant):
        column = arr[:, constant]
        if not np.all(column == 0):
            j = int(np.flatnonzero(constant)[0])
            return Mismatch(f"{mismatch.summary} — column {j} is constant (all values equal); the "
                            f"convention maps it to 0.0 exactly (test max == min, not std == 0)",
                            expected, value)
    with np.errstate(all="ignore"):
        for candidate, why in mistakes(Xf):
            cand = np.asarray(candidate)
            good = ~constant[None, :] & np.isfinite(cand) if cand.shape == arr.shape else None
            if good is not None and np.any(good) and np.allclose(arr[good], cand[good], rtol=1e-9, atol=1e-12):
                return Mismatch(f"{mismatch.summary} — {why}", expected, value)
    return mismatch


def min_max_mistakes(Xf):
    lo, hi = Xf.min(axis=1, keepdims=True), Xf.max(axis=1, keepdims=True)
    yield (Xf - lo) / (hi - lo), "it looks scaled per row (axis=1); scale each column (axis=0)"
    yield Xf / Xf.max(axis=0), "it looks like X / max; subtract the column minimum first"


def standardize_mistakes(Xf):
    N = Xf.shape[0]
    if N > 1:
        yield ((Xf - Xf.mean(axis=0)) / Xf.std(axis=0, ddof=1),
               "it looks like the sample std (ddof=1, dividing by N - 1); use the population std "
               "(divide by N)")
    yield ((Xf - Xf.mean(axis=1, keepdims=True)) / Xf.std(axis=1, keepdims=True),
           "it looks standardised per row (axis=1); use each column's mean and std (axis=0)")
    yield (Xf - Xf.mean(axis=0)) / Xf.var(axis=0), "it divides by the variance, not the std"


# --- comparing: splitting -----------------------------------------------------------------------

def expected_sizes(X, fraction) -> tuple[int, int]:
    N = np.shape(X)[0]
    n_val = round(fraction * N)
    return N - n_val, n_val


def split_parts(example, outcome) -> tuple[list, Mismatch | None]:
    parts, problem = unpack(outcome.value, 4, "train_val_split(X, Y, val_fraction, seed)")
    if problem:
        return [], problem
    arrays = []
    for part, name in zip(parts, ("X_train", "X_val", "Y_train", "Y_val")):
        arr = compare.as_float_array(part)
        if arr is None:
            return [], Mismatch(f"{name} is not a numeric array", None, part)
        arrays.append(arr)
    return arrays, None


def sizes_problem(example, arrays) -> Mismatch | None:
    X, Y, fraction, _ = example.args
    n_train, n_val = expected_sizes(X, fraction)
    rest_x, rest_y = tuple(np.shape(X)[1:]), tuple(np.shape(Y)[1:])
    want = {"X_train": (n_train,) + rest_x, "X_val": (n_val,) + rest_x,
            "Y_train": (n_train,) + rest_y, "Y_val": (n_val,) + rest_y}
    N = np.shape(X)[0]
    for arr, (name, shape) in zip(arrays, want.items()):
        if arr.shape != shape and not (arr.size == 0 and int(np.prod(shape)) == 0 and arr.ndim == 1):
            return Mismatch(f"{name} should have shape {shape}: n_val = round({fraction!r} * {N}) = "
                            f"{n_val} rows for validation, {n_train} for training; got {arr.shape}",
                            shape, arr.shape)
    return None


def row_key(row) -> tuple:
    return tuple(np.asarray(row, dtype=np.float64).reshape(-1).tolist())


# --- min_max_scale ------------------------------------------------------------------------------

@checks.add("min_max_scale", points=1, strategy=data_matrices(),
            says="min_max_scale(X) should map each column to [0, 1]: (X - min) / (max - min), "
                 "with min and max taken over the rows (axis=0)")
def min_max_matches_reference(example, got, ref):
    (X,) = example.args
    return scaled_mismatch(got[0], X, ref[0].value, min_max_bound(X), "min_max_scale(X)",
                           min_max_mistakes)


@checks.add("min_max_scale", points=1, strategy=data_matrices(constant_columns=True), examples=40,
            says="min_max_scale(X) should map a constant column (max == min) to 0.0, without "
                 "dividing by zero")
def min_max_constant_columns(example, got, ref):
    (X,) = example.args
    return scaled_mismatch(got[0], X, ref[0].value, min_max_bound(X), "min_max_scale(X)",
                           min_max_mistakes)


@checks.add("min_max_scale", points=0.5, strategy=bad_matrices(), handles_errors=True, examples=20,
            says="min_max_scale(X) should raise ValueError unless X is 2-D with at least one row")
def min_max_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("min_max_scale", points=0.5, strategy=data_matrices(dtypes=("float64",)),
            calls=unchanged_call("min_max_scale"), examples=30,
            says="min_max_scale(X) must not modify X")
def min_max_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- standardize --------------------------------------------------------------------------------

@checks.add("standardize", points=1, strategy=data_matrices(grid=True),
            says="standardize(X) should give each column mean 0 and std 1: (X - mean) / std over "
                 "the rows, with the population std (divide by N)")
def standardize_matches_reference(example, got, ref):
    (X,) = example.args
    return scaled_mismatch(got[0], X, ref[0].value, standardize_bound(X, ref[0].value),
                           "standardize(X)", standardize_mistakes)


@checks.add("standardize", points=1, strategy=data_matrices(constant_columns=True, grid=True),
            examples=40,
            says="standardize(X) should map a constant column to 0.0 exactly; its computed std may "
                 "be a tiny non-zero number like 1.4e-17, so test max == min, not std == 0")
def standardize_constant_columns(example, got, ref):
    (X,) = example.args
    return scaled_mismatch(got[0], X, ref[0].value, standardize_bound(X, ref[0].value),
                           "standardize(X)", standardize_mistakes)


@checks.add("standardize", points=0.5, strategy=bad_matrices(), handles_errors=True, examples=20,
            says="standardize(X) should raise ValueError unless X is 2-D with at least one row")
def standardize_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("standardize", points=0.5, strategy=data_matrices(grid=True, dtypes=("float64",)),
            calls=unchanged_call("standardize"), examples=30,
            says="standardize(X) must not modify X")
def standardize_leaves_input_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)


# --- train_val_split ----------------------------------------------------------------------------

@checks.add("train_val_split", points=1, strategy=split_inputs(),
            says="train_val_split should put n_val = round(val_fraction * N) rows (Python's round) "
                 "in the validation part and the other N - n_val in the training part")
def split_sizes_as_promised(example, got, ref):
    arrays, problem = split_parts(example, got[0])
    return problem or sizes_problem(example, arrays)


@checks.add("train_val_split", points=1, strategy=split_inputs(),
            says="every row of X should land in exactly one of X_train and X_val, next to its own "
                 "row of Y (use the same indices for X and Y)")
def split_is_a_partition_keeping_pairs(example, got, ref):
    X, Y, _, _ = example.args
    arrays, problem = split_parts(example, got[0])
    if problem or sizes_problem(example, arrays):
        return problem or sizes_problem(example, arrays)
    X_train, X_val, Y_train, Y_val = arrays
    index = {row_key(row): n for n, row in enumerate(np.asarray(X))}
    seen: dict[int, str] = {}
    Yf = f64(Y)
    for part, targets, name in ((X_train, Y_train, "train"), (X_val, Y_val, "val")):
        for k, (row, target) in enumerate(zip(part, targets)):
            n = index.get(row_key(row))
            if n is None:
                return Mismatch(f"X_{name}[{k}] is not a row of X", None, row)
            if n in seen:
                return Mismatch(f"row {n} of X appears twice (in X_{seen[n]} and X_{name}); the two "
                                f"parts must not overlap", None, row)
            seen[n] = name
            if not np.array_equal(np.asarray(target, dtype=np.float64), Yf[n]):
                return Mismatch(f"Y_{name}[{k}] should be Y[{n}], the target of X_{name}[{k}] = "
                                f"X[{n}]: X and Y were not split with the same indices",
                                Yf[n], target)
    missing = sorted(set(range(len(index))) - set(seen))
    if missing:
        return Mismatch(f"row {missing[0]} of X is in neither part", None, None)
    return None


def twice(example) -> list[Call]:
    return [Call("train_val_split", example), Call("train_val_split", example)]


@checks.add("train_val_split", points=0.5, strategy=split_inputs(min_rows=1), calls=twice,
            examples=30,
            says="train_val_split with the same seed should give the same split every time (draw "
                 "from np.random.default_rng(seed), not from the global random state)")
def same_seed_same_split(example, got, ref):
    first, problem = split_parts(example, got[0])
    if problem:
        return problem
    second, problem = split_parts(example, got[1])
    if problem:
        return problem
    for a, b, name in zip(first, second, ("X_train", "X_val", "Y_train", "Y_val")):
        if a.shape != b.shape or not np.array_equal(a, b):
            return Mismatch(f"two calls with the same seed gave different {name}; the split must be "
                            f"reproducible", a, b)
    return None


def three_seeds(example) -> list[Call]:
    X, Y, fraction, seed = example.args
    return [Call("train_val_split", args(X, Y, fraction, (seed + k) % 2**32)) for k in range(3)]


@checks.add("train_val_split", points=0.5,
            strategy=split_inputs(min_rows=30, max_rows=50, fractions=[0.2, 0.3, 0.5, 0.7]),
            calls=three_seeds, examples=20,
            says="train_val_split should depend on the seed: three different seeds should not all "
                 "give the same split")
def seed_changes_split(example, got, ref):
    results = []
    for outcome in got:
        parts, problem = split_parts(example, outcome)
        if problem:
            return problem
        results.append(parts)
    first = results[0]
    if all(all(a.shape == b.shape and np.array_equal(a, b) for a, b in zip(first, other))
           for other in results[1:]):
        seeds = ", ".join(str(c) for c in (example.args[3], (example.args[3] + 1) % 2**32,
                                           (example.args[3] + 2) % 2**32))
        return Mismatch(f"seeds {seeds} all gave exactly the same split; the rows should be chosen "
                        f"at random with np.random.default_rng(seed)", None, None)
    return None


@checks.add("train_val_split", points=0.5, strategy=bad_split_inputs(), handles_errors=True,
            examples=20,
            says="train_val_split should raise ValueError when val_fraction is not between 0 and 1 "
                 "or X and Y have different numbers of rows")
def split_rejects_bad_input(example, got, ref):
    return expect_value_error(example, got, ref)


@checks.add("train_val_split", points=0.5, strategy=split_inputs(min_rows=2),
            calls=unchanged_call("train_val_split"), examples=30,
            says="train_val_split must not modify X or Y (np.random.shuffle shuffles in place)")
def split_leaves_inputs_alone(example, got, ref):
    return inputs_unchanged(example, got, ref)
