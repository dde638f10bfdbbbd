"""Reaching an address-space limit is "not enough memory" (exit 9), whatever the failing library says."""

import pytest

from handbill import errors, headroom


@pytest.fixture
def fresh(monkeypatch):
    """headroom's state as at the start of a process."""
    monkeypatch.setattr(headroom, "_reserve", None)
    monkeypatch.setattr(headroom, "_ran_out", False)


def test_a_library_failure_at_the_limit_is_reported_as_memory(fresh, monkeypatch):
    """Measured under `ulimit -v`: lxml said XMLSyntaxError "unknown error", the import system SystemError
    "error return without exception set", python-docx's reader a broken package; all were out of memory."""
    monkeypatch.setattr(headroom, "left", lambda: headroom.MB // 2)
    known = errors.documented(SystemError("error return without exception set"))
    assert isinstance(known, errors.OutputError) and "not enough memory" in str(known)
    bad_input = errors.documented(errors.BadInput("leaflet.es.review.docx is not a readable Word file"))
    assert bad_input is not None and bad_input.exit_code == 9


def test_the_same_failure_with_room_left_is_what_it_says(fresh, monkeypatch):
    monkeypatch.setattr(headroom, "left", lambda: 500 * headroom.MB)
    assert errors.documented(SystemError("error return without exception set")) is None
    assert errors.documented(errors.BadInput("not a readable Word file")).exit_code == 3


def test_a_stop_signal_at_the_limit_is_still_the_stop(fresh, monkeypatch, capsys):
    monkeypatch.setattr(headroom, "left", lambda: 0)
    assert errors.report(errors.Interrupted(15)) == 143
    assert "memory" not in capsys.readouterr().err


def test_the_reserve_is_kept_under_a_limit_and_freed_when_memory_runs_out(fresh, monkeypatch):
    monkeypatch.setattr(headroom, "limit", lambda: 200 * headroom.MB)
    headroom.set_aside()
    assert headroom._reserve is not None and len(headroom._reserve) == headroom.RESERVE
    monkeypatch.setattr(headroom, "left", lambda: 100 * headroom.MB)
    assert not headroom.ran_out(ValueError("an ordinary failure"))
    assert headroom._reserve is not None
    assert headroom.ran_out(MemoryError())
    assert headroom._reserve is None
    assert headroom.ran_out(), "once the limit was reached, it stays reached for the way out"


def test_without_a_reserve_each_failure_is_judged_on_its_own(fresh, monkeypatch):
    """Tests and other callers in one long process: a MemoryError once does not make every later error one."""
    monkeypatch.setattr(headroom, "left", lambda: None)
    assert headroom.ran_out(MemoryError())
    assert not headroom.ran_out(ValueError("an ordinary failure"))
    assert errors.documented(ValueError("an ordinary failure")) is None


def test_no_reserve_without_a_limit(fresh, monkeypatch):
    monkeypatch.setattr(headroom, "limit", lambda: None)
    headroom.set_aside()
    assert headroom._reserve is None


def test_running_out_while_measuring_counts_as_running_out(fresh, monkeypatch):
    def starved():
        raise MemoryError

    monkeypatch.setattr(headroom, "left", starved)
    assert headroom.ran_out(SystemError("error return without exception set"))
