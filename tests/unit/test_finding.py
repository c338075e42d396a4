"""bot.services.finding.decide: which job a name or prefix means, given what the list read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.refs import Reference, RefKind
from bot.seekrflow import DataJob
from bot.services.finding import Ambiguous, NoSuchJob, Scan, decide

AT = datetime(2026, 12, 1, tzinfo=UTC)


def job(n: int, name: str) -> DataJob:
    return DataJob(
        id=f"dj-{n:08x}-0000-4000-8000-000000000000",
        user_id="u",
        name=name,
        job_type="file_ingestion",
        created_at=AT,
        updated_at=AT,
        status="completed",
    )


PAYROLL, PAYROLL_V2, CLAIMS = job(1, "Payroll"), job(2, "Payroll v2"), job(3, "Claims FAQ")
NAME = Reference(RefKind.NAME, "payroll")


def test_one_exact_match_wins_over_partial_ones_even_past_the_bound() -> None:
    found = Scan(exact=[PAYROLL], partial=[PAYROLL_V2], looked=1000, complete=False)
    assert decide(NAME, found) == PAYROLL.id


def test_two_exact_matches_are_ambiguous_and_name_both() -> None:
    twin = job(4, "PAYROLL")
    with pytest.raises(Ambiguous) as err:
        decide(NAME, Scan(exact=[PAYROLL, twin], partial=[], looked=2, complete=True))
    assert err.value.matches == [PAYROLL, twin]


def test_a_unique_partial_match_is_used_when_the_whole_list_was_read() -> None:
    found = Scan(exact=[], partial=[PAYROLL_V2], looked=3, complete=True)
    assert decide(NAME, found) == PAYROLL_V2.id


def test_a_unique_partial_match_past_the_bound_is_shown_not_used() -> None:
    found = Scan(exact=[], partial=[PAYROLL_V2], looked=1000, complete=False)
    with pytest.raises(Ambiguous) as err:
        decide(NAME, found)
    assert err.value.matches == [PAYROLL_V2]
    assert err.value.complete is False


def test_nothing_found_says_how_many_were_read_and_whether_that_was_all() -> None:
    with pytest.raises(NoSuchJob) as err:
        decide(NAME, Scan(exact=[], partial=[], looked=1000, complete=False))
    assert (err.value.looked, err.value.complete) == (1000, False)
    with pytest.raises(NoSuchJob) as err:
        decide(NAME, Scan(exact=[], partial=[], looked=3, complete=True))
    assert (err.value.looked, err.value.complete) == (3, True)


def test_a_name_matches_exactly_but_for_case_and_partially_inside_a_name() -> None:
    assert NAME.exact(PAYROLL.id, PAYROLL.name)
    assert not NAME.exact(PAYROLL_V2.id, PAYROLL_V2.name)
    assert NAME.matches(PAYROLL_V2.id, PAYROLL_V2.name)
    assert not NAME.matches(CLAIMS.id, CLAIMS.name)
