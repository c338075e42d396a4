"""bot.services.home.split: which jobs go in which part of Home."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.seekrflow import DataJob, DataJobDetail
from bot.services.home import FAILED_RECENT, split

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def job(n: int, status: str, updated: datetime = NOW) -> DataJob:
    return DataJob(
        id=f"dj-{n:08x}-0000-4000-8000-000000000000",
        user_id="u",
        name=f"job {n}",
        job_type="file_ingestion",
        created_at=updated,
        updated_at=updated,
        status=status,
    )


def test_needs_you_holds_reviews_and_ready_jobs_then_recent_failures() -> None:
    review, ready = job(1, "needs_review"), job(2, "ready_to_start")
    failed_now = job(3, "failed")
    failed_old = job(4, "failed", NOW - FAILED_RECENT - timedelta(minutes=1))
    done = job(5, "completed")
    got = split([failed_now, review, done, failed_old, ready], [], NOW)
    assert [j.id for j in got.needs] == [review.id, ready.id, failed_now.id]
    assert got.looked == 5


def test_a_failure_exactly_a_week_old_still_shows() -> None:
    edge = job(1, "failed", NOW - FAILED_RECENT)
    assert [j.id for j in split([edge], [], NOW).needs] == [edge.id]


def test_active_jobs_keep_their_order_and_use_the_details_read_for_running_ones() -> None:
    queued, running, pending = job(1, "queued"), job(2, "running"), job(3, "pending")
    detail = DataJobDetail.model_validate(running.model_dump())
    got = split([queued, running, pending, job(4, "cancelled")], [detail], NOW)
    assert [j.id for j in got.active] == [queued.id, running.id, pending.id]
    assert isinstance(got.active[1], DataJobDetail)
    assert not isinstance(got.active[0], DataJobDetail)
    assert got.needs == []
