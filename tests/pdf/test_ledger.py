"""The ledger of page counts that parts laid out in parallel share."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from book.pdf import ledger as ledger_module
from book.pdf.ledger import Ledger, LedgerError


def _ledger(parts: int = 4) -> Ledger:
    return Ledger(parts, multiprocessing.get_context("fork"))


def test_pages_before_sums_the_parts_since_the_first_numbered() -> None:
    ledger = _ledger()
    ledger.open({0: 6, 1: 18, 2: 20}, pending={3})
    assert ledger.pages_before(3, since=1) == 38
    assert ledger.pages_before(1, since=1) == 0


def test_a_part_waits_until_the_one_before_it_publishes() -> None:
    ledger = _ledger()
    ledger.open({1: 10}, pending={2, 3})

    def later() -> None:
        time.sleep(0.2)
        ledger.publish(2, 12)

    publisher = threading.Thread(target=later)
    publisher.start()
    try:
        assert ledger.pages_before(3, since=1) == 22
    finally:
        publisher.join()


def test_a_failed_part_stops_whoever_waits_for_it() -> None:
    ledger = _ledger()
    ledger.open({1: 10}, pending={2, 3})
    ledger.fail(2)
    with pytest.raises(LedgerError, match="failed"):
        ledger.pages_before(3, since=1)


def test_waiting_for_a_part_nobody_lays_out_is_an_error_not_a_hang() -> None:
    ledger = _ledger()
    ledger.open({1: 10}, pending={3})  # part 2: neither known nor pending
    with pytest.raises(LedgerError, match="not being laid out"):
        ledger.pages_before(3, since=1)


def test_counts_gives_each_part_once_all_are_known() -> None:
    ledger = _ledger()
    ledger.open({1: 10, 3: 4}, pending={2})
    ledger.publish(2, 8)
    assert ledger.counts([1, 2, 3], waiting=0) == {1: 10, 2: 8, 3: 4}


@pytest.fixture
def no_periodic_look(monkeypatch: pytest.MonkeyPatch) -> None:
    """Waiters look at the ledger on their own only after a minute: an
    answer within the tests' joins comes from being woken."""
    monkeypatch.setattr(ledger_module, "WAIT_SLICE", 60.0)


def _in_thread(ledger: Ledger) -> tuple[threading.Thread, list[bool]]:
    answer: list[bool] = []
    waiter = threading.Thread(target=lambda: answer.append(ledger.lone_part()), daemon=True)
    waiter.start()
    return waiter, answer


@pytest.mark.usefixtures("no_periodic_look")
def test_a_round_of_one_part_is_waited_out() -> None:
    ledger = _ledger()
    waiter, answer = _in_thread(ledger)
    time.sleep(0.1)
    assert not answer  # no round yet: still waiting
    ledger.open({0: 4, 1: 6, 3: 9}, pending={2})
    time.sleep(0.1)
    assert not answer  # the part is being laid out: still waiting
    ledger.publish(2, 12)
    waiter.join(timeout=30)
    assert answer == [True]


@pytest.mark.usefixtures("no_periodic_look")
def test_a_round_of_several_parts_answers_at_once() -> None:
    ledger = _ledger()
    waiter, answer = _in_thread(ledger)
    time.sleep(0.1)
    ledger.open({0: 4}, pending={1, 2, 3})
    waiter.join(timeout=30)
    assert answer == [False]


@pytest.mark.usefixtures("no_periodic_look")
def test_closing_ends_the_wait_for_a_round() -> None:
    ledger = _ledger()
    waiter, answer = _in_thread(ledger)
    time.sleep(0.1)
    ledger.close()
    waiter.join(timeout=30)
    assert answer == [True]
