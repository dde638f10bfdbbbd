"""Waiting for a background dictionary load never outlives a stop signal."""

import threading
from concurrent.futures import Future

import pytest

from handbill import errors, spelling


def test_a_swallowed_stop_ends_the_wait_for_a_load_that_never_finishes(monkeypatch):
    """A SIGTERM whose exception Python swallowed (raised inside a weakref callback) can leave the loading
    thread stuck on the import lock; the wait must end with the stop, not hang (the soak saw a 300 s hang)."""
    path = spelling.find("es")
    if path is None:
        pytest.fail("hunspell-es is installed by the README's set-up")
    stuck: Future = Future()  # injected failure: a load that never completes
    monkeypatch.setitem(spelling._loads, str(path), (stuck, None))
    monkeypatch.setattr(errors, "_received", [15])
    outcome: list[BaseException] = []

    def wait() -> None:
        try:
            spelling.dictionary("es")
        except BaseException as exc:  # noqa: BLE001 — the outcome is what is checked
            outcome.append(exc)

    waiter = threading.Thread(target=wait, daemon=True)
    waiter.start()
    waiter.join(10)
    assert not waiter.is_alive(), "the wait outlived the stop signal"
    assert isinstance(outcome[0], errors.Interrupted) and outcome[0].exit_code == 143


def test_a_finished_load_is_returned_without_waiting(monkeypatch):
    path = spelling.find("es")
    assert path is not None
    done: Future = Future()
    done.set_result("loaded")
    monkeypatch.setitem(spelling._loads, str(path), (done, None))
    assert spelling.dictionary("es") == "loaded"


def test_a_loading_thread_that_died_without_a_word_ends_the_wait(monkeypatch):
    """Under a memory limit the loading thread can fail while it records the outcome and leave its future pending
    for ever; the wait ends with MemoryError (exit 9) instead of hanging (CI saw a 180 s hang at 130 MB)."""
    path = spelling.find("es")
    assert path is not None
    dead = threading.Thread(target=lambda: None, name="hunspell es")
    dead.start()
    dead.join()
    monkeypatch.setitem(spelling._loads, str(path), (Future(), dead))
    with pytest.raises(MemoryError):
        spelling.dictionary("es")


def test_a_load_that_could_not_record_its_failure_is_tried_again(monkeypatch):
    """A load in the calling thread whose failure could not even be recorded leaves no pending entry behind for
    the next question to wait on."""
    path = spelling.find("es")
    assert path is not None
    monkeypatch.setattr(spelling, "_threads_affordable", lambda: False)
    monkeypatch.delitem(spelling._loads, str(path), raising=False)
    calls = []

    def broken(_path, _future):
        calls.append(1)
        raise MemoryError  # injected: set_exception itself ran out of memory

    monkeypatch.setattr(spelling, "_load", broken)
    for _ in range(2):
        with pytest.raises(MemoryError):
            spelling.dictionary("es")
    assert len(calls) == 2 and str(path) not in spelling._loads
