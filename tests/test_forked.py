"""A forked copy of the grader returns its value, or raises its exception in the caller."""

import os

import pytest

from graders.forked import forked


def test_the_value_comes_back_from_another_process():
    result = forked(lambda base: (os.getpid(), base * 2), 21)
    pid, value = result()
    assert value == 42 and pid != os.getpid()


def test_an_exception_is_raised_in_the_caller():
    def fails():
        raise ValueError("no such exercise")

    with pytest.raises(ValueError, match="no such exercise"):
        forked(fails)()


def test_a_process_that_dies_is_a_clear_error():
    with pytest.raises(RuntimeError, match="ended without a result"):
        forked(os._exit, 3)()
