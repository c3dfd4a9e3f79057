"""Run a function in a forked copy of this (trusted) grading process and collect its result.

Used to grade the exercises of one submission on several cores at once. The copy shares
everything loaded so far (course, checks, cached examples) without pickling it; only the
result comes back, pickled between two copies of the grader (never from learner code).
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from typing import Callable, TypeVar

T = TypeVar("T")


def forked(fn: Callable[..., T], *args) -> Callable[[], T]:
    """Start ``fn(*args)`` in a forked process; call the returned function to wait for its
    value (or its exception, raised here)."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run, args=(send, fn, args), daemon=True)  # ends with its caller
    proc.start()
    send.close()

    def result() -> T:
        try:
            ok, value = receive.recv()
        except EOFError:
            proc.join()
            raise RuntimeError(f"a grading process ended without a result (exit code {proc.exitcode})") from None
        finally:
            receive.close()
        proc.join()
        if not ok:
            raise value
        return value

    return result


def _run(send, fn, args) -> None:
    # Stopped (SIGTERM, as multiprocessing does with daemons when the caller exits): unwind, so
    # the learner processes this copy started are killed on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        reply = (True, fn(*args))
    except BaseException as err:  # reported to the caller, which raises it
        reply = (False, err)
    try:
        send.send(reply)
    except Exception as err:  # an unpicklable exception
        send.send((False, RuntimeError(f"{type(reply[1]).__name__}: {reply[1]} ({err})")))
    send.close()
