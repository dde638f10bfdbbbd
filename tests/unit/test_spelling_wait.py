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
    monkeypatch.setitem(spelling._loads, str(path), stuck)
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
    monkeypatch.setitem(spelling._loads, str(path), done)
    assert spelling.dictionary("es") == "loaded"
