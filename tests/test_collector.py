"""The cycle collector is paused while large structures are built, and always comes back."""

from __future__ import annotations

import gc
import threading

import pytest

from translator import collector


def test_overlapping_pauses_leave_the_collector_as_they_found_it() -> None:
    assert gc.isenabled()
    first = collector.paused()
    second = collector.paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first to begin ends first
    assert not gc.isenabled()  # the second is still building
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_failure_inside_still_turns_it_back_on() -> None:
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("bad file")
    assert gc.isenabled()


def test_pauses_in_threads() -> None:
    ready = threading.Barrier(4)

    def build() -> None:
        with collector.paused():
            ready.wait()
            [[n] for n in range(10_000)]

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_application_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
