"""The points ledger: each event counts once, totals stay exact, nothing is deleted."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from gamification import ledger
from gamification.models import EntryKind, PointsAccount, PointsEntry

pytestmark = pytest.mark.django_db


def award(pupil, key: str, amount: int = 5):
    return ledger.points_award(
        pupil=pupil, source_key=key, kind=EntryKind.H5P, amount=amount
    )


def account(pupil) -> PointsAccount:
    return PointsAccount.objects.get(pupil=pupil)


def test_an_event_delivered_twice_awards_once(city):
    assert award(city.pupil_in, "h5p:1") is not None
    assert award(city.pupil_in, "h5p:1") is None
    assert account(city.pupil_in).balance == 5
    assert PointsEntry.objects.count() == 1


def test_the_same_event_counts_for_each_pupil(city):
    award(city.pupil_in, "quiz:7:1")
    award(city.pupil_out, "quiz:7:1")
    assert account(city.pupil_in).balance == account(city.pupil_out).balance == 5


def test_an_award_must_be_positive(city):
    with pytest.raises(ValidationError):
        award(city.pupil_in, "h5p:2", amount=0)
    assert not PointsEntry.objects.exists()


def test_a_reversal_is_a_new_entry_and_happens_once(city):
    entry = award(city.pupil_in, "h5p:1", amount=8)
    reversal = ledger.points_reverse(entry=entry, by=city.teacher, reason="copied")
    assert reversal.amount == -8 and reversal.reverses == entry
    assert PointsEntry.objects.filter(pk=entry.pk).exists()
    totals = account(city.pupil_in)
    assert (totals.balance, totals.xp) == (0, 0)
    with pytest.raises(ValidationError):
        ledger.points_reverse(entry=entry, by=city.teacher)
    with pytest.raises(ValidationError):
        ledger.points_reverse(entry=reversal, by=city.teacher)
    assert account(city.pupil_in).balance == 0


def test_spending_keeps_xp_and_never_overdraws(city):
    award(city.pupil_in, "h5p:1", amount=10)
    ledger.points_spend(pupil=city.pupil_in, source_key="reward:1", amount=7, reason="")
    with pytest.raises(ValidationError):
        ledger.points_spend(
            pupil=city.pupil_in, source_key="reward:2", amount=4, reason=""
        )
    totals = account(city.pupil_in)
    assert (totals.balance, totals.xp) == (3, 10)


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_keep_the_totals_exact(city):
    """100 deliveries of one event and 100 distinct events, from 16 threads at
    once (each its own database connection)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite runs them one by one)")
    pupil = city.pupil_in

    def deliver(key: str):
        try:
            return award(pupil, key, amount=3)
        finally:
            connections.close_all()

    keys = ["h5p:same"] * 100 + [f"h5p:{n}" for n in range(100)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(deliver, keys))
    assert sum(result is not None for result in results[:100]) == 1
    assert all(result is not None for result in results[100:])
    totals = account(pupil)
    assert totals.balance == totals.xp == 3 * 101
    assert totals.entries == PointsEntry.objects.filter(pupil=pupil).count() == 101


@pytest.mark.django_db(transaction=True)
def test_concurrent_purchases_cannot_overdraw(city):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    pupil = city.pupil_in
    award(pupil, "h5p:1", amount=10)

    def buy(n: int):
        try:
            return ledger.points_spend(
                pupil=pupil, source_key=f"reward:{n}", amount=3, reason=""
            )
        except ValidationError:
            return None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        bought = [entry for entry in pool.map(buy, range(10)) if entry]
    assert len(bought) == 3
    assert account(pupil).balance == 1
