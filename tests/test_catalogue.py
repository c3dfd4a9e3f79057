"""Catalogue functions on the wire: sent to the learner by name, never accepted back as functions."""

from __future__ import annotations

import numpy as np
import pytest

from graders import testset
from graders.checks import Call, args
from graders.sandbox import catalogue, containment, wire
from graders.sandbox.catalogue import Catalogued, Received
from graders.sandbox.process import LearnerProcess, Limits
from graders.submission import stage

QUADRATIC = Catalogued("quadratic", {"A": np.array([[2.0, 1.0], [0.0, 4.0]]), "b": np.array([1.0, -1.0])})


def round_trip(value, functions=None):
    blobs: list[bytes] = []
    node = wire.encode(value, blobs)
    return node, wire.decode(node, blobs, functions=functions)


def test_every_catalogue_function_evaluates_in_the_grader():
    x = np.array([[0.5, -1.0, 2.0]])
    W = np.arange(6.0).reshape(2, 3) - 2
    values = {
        "quadratic": Catalogued("quadratic", {"A": np.eye(3), "b": np.ones(3)})(x),
        "sines": Catalogued("sines", {"a": np.ones(3), "w": np.ones(3)})(x),
        "log_sum_exp": Catalogued("log_sum_exp", {})(x),
        "relu_net": Catalogued("relu_net", {"W": W, "b": np.zeros(2), "v": np.ones(2)})(x),
    }
    assert set(values) == set(catalogue.FUNCTIONS)
    np.testing.assert_allclose(values["quadratic"], 0.5 * 5.25 + 1.5)
    np.testing.assert_allclose(values["sines"], np.sum(np.sin(x)))
    np.testing.assert_allclose(values["log_sum_exp"], np.log(np.sum(np.exp(x))))
    np.testing.assert_allclose(values["relu_net"], np.sum(np.maximum(W @ x.ravel(), 0)))
    assert all(type(v) is float for v in values.values())


def test_bad_names_and_parameters_are_refused():
    with pytest.raises(ValueError):
        Catalogued("os.system", {})
    with pytest.raises(ValueError):
        Catalogued("quadratic", {"A": np.eye(2)})              # b missing
    with pytest.raises(ValueError):
        Catalogued("log_sum_exp", {"extra": np.ones(1)})
    with pytest.raises(ValueError):
        QUADRATIC(np.ones(3))                                    # wrong number of entries


def test_a_function_travels_by_name_and_parameters():
    node, _ = round_trip(QUADRATIC, functions="grader")
    assert set(node) == {"f", "p"} and node["f"] == "quadratic"


def test_decoding_a_function_needs_to_know_who_reads_it():
    with pytest.raises(wire.WireError):
        round_trip(QUADRATIC)                                    # the default: refused
    with pytest.raises(wire.WireError):
        round_trip([np.ones(2), {"f": QUADRATIC}])               # nested too
    _, learner = round_trip(QUADRATIC, functions="learner")
    _, grader = round_trip(QUADRATIC, functions="grader")
    assert type(learner) is Received and type(grader) is Catalogued
    x = np.array([0.3, -0.7])
    assert learner(x) == grader(x) == QUADRATIC(x)


def test_the_learner_side_never_sends_a_function_back():
    _, received = round_trip(QUADRATIC, functions="learner")
    node, back = round_trip([received, np.ones(1)])
    assert node["l"][0] == {"x": "function"}
    assert isinstance(back[0], wire.Unsendable)


@pytest.mark.parametrize("node", [
    {"f": "eval", "p": {"d": {}}},
    {"f": 3, "p": {"d": {}}},
    {"f": "quadratic", "p": {"l": []}},
    {"f": "quadratic", "p": {"d": {}}},
    {"f": "log_sum_exp"},
])
def test_malformed_functions_are_refused_even_where_allowed(node):
    with pytest.raises(wire.WireError):
        wire.decode(node, [], functions="learner")


def test_the_disk_cache_keeps_grader_side_functions():
    example = args(QUADRATIC, np.array([1.0, 2.0]), h=1e-3)
    blobs: list[bytes] = []
    again = testset.decode_args(testset.encode_args(example, blobs), blobs)
    assert type(again.args[0]) is Catalogued
    np.testing.assert_array_equal(again.args[0].params["A"], QUADRATIC.params["A"])
    assert again.kwargs == {"h": 1e-3}


LEARNER = '''
import numpy as np

def evaluate(f, x):
    return f(x)

def smuggle(f, box):
    import catalogue
    box["g"] = catalogue.Catalogued("log_sum_exp", {})
    return 1.0

def give_back(f):
    return (f, 1.0)
'''


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    folder = tmp_path_factory.mktemp("catalogue_learner")
    (folder / "learner.py").write_text(LEARNER)
    staged = folder / "staged"
    stage(folder, ["learner"], staged)  # as the grader does: readable by the sandbox's own user
    with LearnerProcess(staged, Limits(), containment.detect()) as proc:
        opened = proc.open("learner", ["evaluate", "smuggle", "give_back"])
        assert opened.ok and not opened.missing
        yield proc


def test_the_learner_process_rebuilds_and_calls_the_function(learner):
    x = np.array([0.25, -1.5])
    out = learner.call(Call("evaluate", args(QUADRATIC, x), return_args=True))
    assert out.kind == "value" and out.value == QUADRATIC(x)
    f_after, x_after = out.args_after.args
    assert isinstance(f_after, wire.Unsendable)
    np.testing.assert_array_equal(x_after, x)


def test_a_function_in_a_learner_reply_is_rejected(learner):
    out = learner.call(Call("smuggle", args(QUADRATIC, {"k": np.zeros(1)}), return_args=True))
    assert out.kind == "limit" and out.error == "bad_value"
    out = learner.call(Call("give_back", args(QUADRATIC)))
    assert out.kind == "limit" and out.error == "bad_value"
