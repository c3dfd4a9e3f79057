"""The wire format between the grader and a learner process: plain data only, never pickle.

A frame is ``[4-byte big-endian header length][JSON header][blob 0][blob 1]...`` where the
header's ``"blobs"`` lists the byte length of each blob. Arrays travel as raw little-endian
buffers described in the JSON (the plain-data subset of ``.npy`` without its header to parse: a
dtype from a fixed list of numeric types, a shape whose size must match the buffer's length,
C or Fortran order); nothing is ever unpickled or evaluated. Values are encoded as JSON trees:

- ``{"a": [i, dtype, shape, order, step]}``: blob ``i`` holds the array's bytes; ``step`` 2 marks
  a strided view (take every 2nd entry of the last axis, so the receiver gets a genuinely
  non-contiguous array);
- ``{"t": [...]}`` a tuple, ``{"l": [...]}`` a list, ``{"d": {key: ...}}`` a dict with str keys;
- ``{"n": null}`` None, ``{"p": value}`` a JSON-safe Python scalar (bool, int, float, str);
- ``{"x": "typename"}`` something that cannot travel (only ever sent by the learner side);
- ``{"f": name, "p": {...}}`` a trusted function from ``catalogue.py`` with its parameters (sent
  to the learner only: :func:`decode` refuses it unless told where it is, see ``functions``).

This module is imported by both sides and, inside the sandbox, runs next to learner code: it
imports nothing but the standard library and numpy.
"""

from __future__ import annotations

import json
import math
import struct

import numpy as np

try:  # in the grader: part of the graders.sandbox package
    from . import catalogue
except ImportError:  # in the learner process: copied next to this file
    import catalogue

MAX_HEADER = 1 << 20           # 1 MiB of JSON per frame
MAX_DEPTH = 8                  # nesting of tuples/lists/dicts in a value
MAX_ITEMS = 4096               # entries of one tuple/list/dict
_NUMERIC_KINDS = "biuf"


class WireError(Exception):
    """A frame or value that is not what the protocol allows."""


# The only array types that travel: booleans, integers and floats, little-endian.
DTYPES = {np.dtype(t).str: np.dtype(t) for t in
          ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float16", "float32", "float64")}
MAX_NDIM = 32

# Beside the pipes, a page both sides map: the session stores 1 + the index of the batch call it
# is about to run (0: none yet), so that after a kill the grader knows which call was running.
PROGRESS_PAGE = struct.Struct("<Q")


def _array_node(arr: np.ndarray, blobs: list[bytes], step: int) -> dict:
    if arr.dtype.str not in DTYPES:
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    order = "F" if arr.flags.f_contiguous and not arr.flags.c_contiguous else "C"
    blobs.append(arr.tobytes(order=order))
    return {"a": [len(blobs) - 1, arr.dtype.str, list(arr.shape), order, step]}


def _decode_array(spec, blobs: list[bytes]) -> np.ndarray:
    if not (isinstance(spec, list) and len(spec) == 5):
        raise WireError("malformed array reference")
    index, dtype, shape, order, step = spec
    if type(index) is not int or not 0 <= index < len(blobs):
        raise WireError("bad array reference")
    if dtype not in DTYPES:
        raise WireError("array of a non-numeric type")
    if (not isinstance(shape, list) or len(shape) > MAX_NDIM
            or not all(type(n) is int and n >= 0 for n in shape)):
        raise WireError("malformed array shape")
    if order not in ("C", "F") or step not in (1, 2) or (step == 2 and not shape):
        raise WireError("malformed array reference")
    dt = DTYPES[dtype]
    if math.prod(shape) * dt.itemsize != len(blobs[index]):
        raise WireError("array data does not match its shape")
    arr = np.frombuffer(bytearray(blobs[index]), dtype=dt).reshape(shape, order=order)
    return arr[..., ::2] if step == 2 else arr


def encode(value, blobs: list[bytes], *, budget: list[int] | None = None, depth: int = 0):
    """Encode ``value`` as a JSON tree, appending array blobs. ``budget``: bytes left, mutable."""
    if depth > MAX_DEPTH:
        raise WireError("value is nested too deeply")
    if value is None:
        return {"n": None}
    if isinstance(value, (bool, int, float, str)) and type(value) in (bool, int, float, str):
        if isinstance(value, float) and not math.isfinite(value):
            value = np.float64(value)  # JSON has no NaN/inf: send as a 0-d array instead
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
            raise WireError("integer too large")
        else:
            return {"p": value}
    if isinstance(value, tuple) and type(value) is tuple:
        if len(value) > MAX_ITEMS:
            raise WireError("tuple too long")
        return {"t": [encode(v, blobs, budget=budget, depth=depth + 1) for v in value]}
    if isinstance(value, dict) and type(value) is dict:
        if len(value) > MAX_ITEMS or not all(type(k) is str for k in value):
            raise WireError("dict keys must be strings")
        return {"d": {k: encode(v, blobs, budget=budget, depth=depth + 1) for k, v in value.items()}}
    if isinstance(value, list) and type(value) is list:
        if len(value) > MAX_ITEMS:
            raise WireError("list too long")
        return {"l": [encode(v, blobs, budget=budget, depth=depth + 1) for v in value]}
    if type(value) is np.ndarray or isinstance(value, np.generic):
        arr = np.asarray(value)
        if arr.dtype.kind not in _NUMERIC_KINDS:
            raise WireError(f"arrays of dtype {arr.dtype} cannot be sent")
        strided = arr.ndim > 0 and arr.size > 0 and not (arr.flags.c_contiguous or arr.flags.f_contiguous)
        if strided:
            padded = np.zeros(arr.shape[:-1] + (2 * arr.shape[-1],), dtype=arr.dtype)
            padded[..., ::2] = arr
            arr = padded
        if budget is not None:
            budget[0] -= arr.nbytes
            if budget[0] < 0:
                raise WireError("too large")
        return _array_node(arr, blobs, 2 if strided else 1)
    if isinstance(value, catalogue.Received):  # learner side: a function never goes back as one
        return {"x": "function"}
    if isinstance(value, catalogue.Catalogued):
        return {"f": value.name, "p": encode(dict(value.params), blobs, budget=budget, depth=depth + 1)}
    raise WireError(type(value).__name__)


def decode(node, blobs: list[bytes], *, depth: int = 0, functions: str | None = None):
    """Inverse of :func:`encode`; validates structure and never unpickles.

    ``{"f": name, ...}`` (a catalogue function) is refused unless ``functions`` says who reads
    it: ``"learner"`` (the learner process reading the grader's commands: a
    :class:`catalogue.Received`) or ``"grader"`` (the grader reading its own stored examples: a
    :class:`catalogue.Catalogued`). Never pass it for what a learner process sent.
    """
    if depth > MAX_DEPTH or not isinstance(node, dict) or len(node) not in (1, 2):
        raise WireError("malformed value")
    if "a" in node:
        if len(node) != 1:
            raise WireError("malformed array reference")
        return _decode_array(node["a"], blobs)
    if "f" in node:
        return _decode_function(node, blobs, depth, functions)
    if len(node) != 1:
        raise WireError("malformed value")
    (tag, body), = node.items()
    if tag == "n":
        return None
    if tag == "p":
        if type(body) not in (bool, int, float, str):
            raise WireError("malformed scalar")
        return _text(body) if type(body) is str else body
    if tag in ("t", "l"):
        if not isinstance(body, list) or len(body) > MAX_ITEMS:
            raise WireError("malformed sequence")
        items = [decode(v, blobs, depth=depth + 1, functions=functions) for v in body]
        return tuple(items) if tag == "t" else items
    if tag == "d":
        if not isinstance(body, dict) or len(body) > MAX_ITEMS:
            raise WireError("malformed dict")
        return {_text(str(k)): decode(v, blobs, depth=depth + 1, functions=functions)
                for k, v in body.items()}
    if tag == "x":
        return Unsendable(_text(str(body)[:100]))
    raise WireError("unknown value tag")


def _decode_function(node, blobs, depth, functions):
    """``{"f": name, "p": params}`` -> the catalogue's callable (see :func:`decode`)."""
    if functions not in ("learner", "grader"):
        raise WireError("a function cannot be sent this way")
    name = node.get("f")
    if set(node) != {"f", "p"} or type(name) is not str or name not in catalogue.FUNCTIONS:
        raise WireError("unknown function")
    params = decode(node["p"], blobs, depth=depth + 1)
    if not isinstance(params, dict):
        raise WireError("malformed function parameters")
    try:
        return (catalogue.Received if functions == "learner" else catalogue.Catalogued)(name, params)
    except ValueError as err:
        raise WireError(f"bad function parameters ({err})") from None


def _text(s: str) -> str:
    """JSON may carry lone surrogates (``"\\udcff"``): they cannot be written out as UTF-8."""
    return s if s.isascii() else s.encode("utf-8", "replace").decode("utf-8")


class Unsendable:
    """Stands for a learner value of a type that cannot cross the wire."""

    def __init__(self, typename: str):
        self.typename = typename

    def __repr__(self):
        return f"<{self.typename} object>"


# --- what a learner's function returned, as a reply ------------------------------------------------

def learner_value(value, depth: int = 0):
    """Turn what learner code returned into plain data; returns (plain, note).

    Runs in the learner process, on untrusted objects (its caller turns any exception into a
    ``bad_value`` reply), and in the grader on the reference's values (to know the reply of a
    learner that returns exactly what the reference returns).
    """
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if value is None or type(value) in (bool, int, float):
        return value, ""
    if type(value) is np.ndarray or isinstance(value, np.generic):
        return value, ""
    if type(value) is tuple:
        items = [learner_value(v, depth + 1) for v in value[: MAX_ITEMS + 1]]
        return tuple(i for i, _ in items), next((n for _, n in items if n), "")
    if type(value) is dict:
        out, note = {}, ""
        for k, v in list(value.items())[: MAX_ITEMS + 1]:
            out[str(k)], n = learner_value(v, depth + 1)
            note = note or n
        return out, note
    if isinstance(value, np.ndarray):
        return (np.array(value, copy=True).view(np.ndarray),
                f"returned a {type(value).__name__} (a numpy array subclass)")
    if type(value) is list:
        try:
            arr = np.asarray(value)
            if arr.dtype.kind in _NUMERIC_KINDS:
                return arr, "returned a list, not a numpy array"
        except Exception:
            pass
        items = [learner_value(v, depth + 1) for v in value[: MAX_ITEMS + 1]]
        return [i for i, _ in items], "returned a list, not a numpy array"
    # Anything else (array-likes, odd objects): numpy decides, inside this process.
    arr = np.asarray(value)
    if arr.dtype.kind not in _NUMERIC_KINDS:
        raise WireError(f"returned a {type(value).__name__}, not a number or array")
    return np.array(arr, copy=True), f"returned a {type(value).__name__}"


def value_reply(value, call_args: list, call_kwargs: dict, return_args: bool,
                max_bytes: int) -> tuple[dict, list[bytes]]:
    """The reply to a call that returned ``value`` (and left its arguments as ``call_args``,
    ``call_kwargs``): a header and its blobs, for :func:`pack`. Raises :class:`WireError` for a
    value that cannot travel, ``"too large"`` past ``max_bytes`` of array data."""
    blobs: list[bytes] = []
    plain, note = learner_value(value)
    budget = [max_bytes]
    reply = {"op": "value", "value": encode(plain, blobs, budget=budget), "note": note}
    if return_args:
        reply["args_after"] = encode({"args": list(call_args), "kwargs": call_kwargs}, blobs, budget=budget)
    return reply, blobs


_to_json = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode  # made once: pack runs per call


def pack(header: dict, blobs: list[bytes] = ()) -> bytes:
    header = dict(header, blobs=[len(b) for b in blobs])
    head = _to_json(header).encode()
    return b"".join([struct.pack(">I", len(head)), head, *blobs])


def unpack(frame) -> tuple[dict, list]:
    """A whole frame held in memory (the grader's own data): its header and its blobs."""
    (length,) = struct.unpack_from(">I", frame, 0)
    header = unpack_header(bytes(frame[4:4 + length]))
    view, blobs, offset = memoryview(frame), [], 4 + length
    for n in header["blobs"]:
        blobs.append(view[offset:offset + n])
        offset += n
    if offset != len(frame):
        raise WireError("frame length does not match its header")
    return header, blobs


def unpack_header(raw: bytes) -> dict:
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # deep nesting: RecursionError
        raise WireError("header is not JSON") from None
    if not isinstance(header, dict) or not isinstance(header.get("blobs"), list) or \
            not all(type(n) is int and n >= 0 for n in header["blobs"]):
        raise WireError("malformed header")
    return header
