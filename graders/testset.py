"""One check's test set: what every learner faces, computed once per course and seed.

A :class:`TestSet` holds, for one check:

- ``examples``: the arguments hypothesis drew (seeded per check), as the learner receives them;
- ``references``: the reference's outcome of each example's calls;
- ``choices``: the choices hypothesis made to draw each example (shrinking starts from them);
- ``calls``: each example's calls, as (function, return_args);
- ``frame``: all of the check's calls encoded once, as the one batch frame the learner process
  is sent;
- ``expected``: for each call, the exact reply frame of a learner whose function returns what the
  reference returned and leaves its arguments as they came (None where the reference raised, or
  where its value is not sent as itself);
- ``self_pass``: for each example, whether those replies pass the check.

A learner reply equal byte for byte to ``expected`` decodes to exactly the outcome that
``self_pass`` was judged on, so the runner needs neither to decode nor to judge it again: the
verdict is a pure function of the example and the outcomes. Everything else is judged in full.

Test sets are stored by :mod:`graders.cache` and read back lazily: an example and its reference
outcomes are decoded only when a reply to it has to be judged.
"""

from __future__ import annotations

from typing import NamedTuple

from .checks import Args, Call, Check, Outcome
from .examples import generate_recorded, judge, reference_outcome, wire_copy
from .sandbox import wire
from .sandbox.process import REPLY_CAP, batch_frame, value_outcome


class BatchCall(NamedTuple):
    """What the grader needs to know of a call while its replies come back."""

    function: str
    return_args: bool


class TestSet:
    def __init__(self, calls: list[list[BatchCall]], frame: bytes, expected: list[bytes | None],
                 self_pass: list[bool], choices: list[bytes], *, examples: list[Args] | None = None,
                 references: list[list[Outcome]] | None = None, stored: list | None = None):
        self.calls = calls
        self.flat_calls = [c for example_calls in calls for c in example_calls]
        self.frame = frame
        self.expected = expected
        self.self_pass = self_pass
        self.choices = choices
        # Per example: its arguments and the reference's outcomes, decoded, or None while they
        # are still ``stored`` (one frame per example, decoded on first use).
        n = len(calls)
        self._examples: list[Args | None] = list(examples) if examples is not None else [None] * n
        self._references: list[list[Outcome] | None] = \
            list(references) if references is not None else [None] * n
        self._stored = stored

    # --- decoded on first use ---------------------------------------------------------------------
    def _decode(self, i: int) -> None:
        if self._examples[i] is None:
            header, blobs = wire.unpack(self._stored[i])
            self._examples[i] = decode_args(header["args"], blobs)
            self._references[i] = [decode_outcome(o, blobs) for o in header["references"]]

    def example(self, i: int) -> Args:
        """The arguments of example ``i``."""
        self._decode(i)
        return self._examples[i]

    def reference(self, i: int) -> list[Outcome]:
        """The reference's outcome of each call of example ``i``."""
        self._decode(i)
        return self._references[i]

    def decode(self) -> None:
        """Decode every stored example and reference outcome now (once)."""
        for i in range(len(self.calls)):
            self._decode(i)

    @property
    def examples(self) -> list[Args]:
        self.decode()
        return self._examples

    @property
    def references(self) -> list[list[Outcome]]:
        self.decode()
        return self._references

    def expected_outcome(self, index: int) -> Outcome:
        """The outcome that the learner process's reply ``expected[index]`` stands for (decoded
        anew each time: verdicts get arrays of their own, as from a real reply)."""
        header, blobs = wire.unpack(self.expected[index])
        return value_outcome(header, blobs, self.flat_calls[index].return_args)

    # --- stored as bytes ----------------------------------------------------------------------------
    def to_node(self, blobs: list[bytes]) -> dict:
        """A JSON node (its bytes appended to ``blobs``): see :func:`from_node`."""
        def blob(data: bytes) -> int:
            blobs.append(bytes(data))
            return len(blobs) - 1

        def stored(example: Args, references: list[Outcome]) -> bytes:
            own: list[bytes] = []
            return wire.pack({"args": encode_args(example, own),
                              "references": [encode_outcome(o, own) for o in references]}, own)

        return {"calls": [[[c.function, c.return_args] for c in calls] for calls in self.calls],
                "frame": blob(self.frame),
                "stored": [blob(stored(e, r)) for e, r in zip(self.examples, self.references)],
                "expected": [None if e is None else blob(e) for e in self.expected],
                "self_pass": self.self_pass, "choices": [blob(c) for c in self.choices]}

    @classmethod
    def from_node(cls, node: dict, blobs: list) -> TestSet:
        calls = [[BatchCall(f, r) for f, r in example] for example in node["calls"]]
        expected = [None if i is None else blobs[i] for i in node["expected"]]
        choices = [bytes(blobs[i]) for i in node["choices"]]
        stored = [blobs[i] for i in node["stored"]]
        if not (len(calls) == len(node["self_pass"]) == len(choices) == len(stored)
                and len(expected) == sum(len(c) for c in calls)):
            raise ValueError("inconsistent test set")
        return cls(calls, blobs[node["frame"]], expected, node["self_pass"], choices, stored=stored)


def build(check: Check, seed_value: int, n: int, ref_module) -> TestSet:
    """Draw the check's examples, run the reference on them, and work out the replies that
    match it."""
    drawn = generate_recorded(check, seed_value, n)
    examples = [wire_copy(e) for e, _ in drawn]
    per_example = [check.calls(e) for e in examples]
    references = [reference_outcomes(ref_module, calls) for calls in per_example]
    frame = batch_frame([c for calls in per_example for c in calls])
    expected = expected_replies(frame, [o for outs in references for o in outs])
    self_pass, start = [], 0
    for example, calls, refs in zip(examples, per_example, references):
        replies = expected[start:start + len(calls)]
        start += len(calls)
        if any(r is None for r in replies):
            self_pass.append(False)  # never used: such an example is always judged in full
            continue
        got = [value_outcome(*wire.unpack(r), call.return_args) for r, call in zip(replies, calls)]
        self_pass.append(judge(check, example, got, refs) is None)
    return TestSet([[BatchCall(c.function, c.return_args) for c in calls] for calls in per_example],
                   frame, expected, self_pass, [c for _, c in drawn], examples=examples,
                   references=references)


def reference_outcomes(ref_module, calls: list[Call]) -> list[Outcome]:
    """The reference's outcome of each call, exactly as the cache will return it."""
    return [round_trip_outcome(reference_outcome(ref_module, call)) for call in calls]


def expected_replies(frame: bytes, references: list[Outcome]) -> list[bytes | None]:
    """For each call of a batch frame, the reply of a learner that returns the reference's value
    and leaves the arguments as they came: built by the learner process's own encoder
    (:func:`wire.value_reply`) from the arguments as the learner process decodes them."""
    header, blobs = wire.unpack(frame)
    replies: list[bytes | None] = []
    for item, ref in zip(header["calls"], references):
        reply = None
        if ref.kind == "value":
            args = wire.decode(item["args"], blobs, functions="learner")
            kwargs = wire.decode(item["kwargs"], blobs, functions="learner")
            try:
                header_out, reply_blobs = wire.value_reply(ref.value, args, kwargs, item["return_args"], REPLY_CAP)
            except (wire.WireError, ValueError, TypeError):
                header_out = None
            # A note ("returned a list") travels with the outcome: keep the fast path to plain values.
            if header_out is not None and not header_out["note"]:
                reply = wire.pack(header_out, reply_blobs)
        replies.append(reply)
    return replies


# --- outcomes and arguments as plain data ---------------------------------------------------------

def encode_outcome(o: Outcome, blobs: list[bytes]) -> dict:
    node = {"kind": o.kind, "error": o.error, "message": o.message,
            "value": wire.encode(o.value, blobs)}
    if o.args_after is not None:
        node["after"] = wire.encode({"args": list(o.args_after.args), "kwargs": o.args_after.kwargs}, blobs)
    return node


def decode_outcome(node: dict, blobs: list[bytes]) -> Outcome:
    after = None
    if "after" in node:
        raw = wire.decode(node["after"], blobs, functions="grader")  # our own data
        after = Args(tuple(raw["args"]), raw["kwargs"])
    return Outcome(node["kind"], value=wire.decode(node["value"], blobs, functions="grader"), error=node["error"],
                   message=node["message"], args_after=after)


def encode_args(example: Args, blobs: list[bytes]) -> dict:
    return wire.encode({"args": list(example.args), "kwargs": dict(example.kwargs)}, blobs)


def decode_args(node: dict, blobs: list[bytes]) -> Args:
    raw = wire.decode(node, blobs, functions="grader")  # our own data: catalogue functions allowed
    return Args(tuple(raw["args"]), raw["kwargs"])


def round_trip_outcome(outcome: Outcome) -> Outcome:
    """A reference outcome exactly as the cache will return it (e.g. numpy scalars as 0-d arrays)."""
    blobs: list[bytes] = []
    try:
        return decode_outcome(encode_outcome(outcome, blobs), blobs)
    except wire.WireError:
        return outcome  # not storable: such an exercise is simply not cached
