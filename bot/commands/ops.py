"""Job operations shared by the command and the buttons: SeekrFlow in, messages out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from bot.payloads import ListState
from bot.render.job_card import job_card
from bot.render.jobs_list import list_message
from bot.render.notices import cancelled_note
from bot.render.text import clip, status_label
from bot.seekrflow import DataJob, DataJobDetail, NotCancellable, SeekrFlow


def now() -> datetime:
    return datetime.now(UTC)


async def fetch_page(seekr: SeekrFlow, state: ListState) -> tuple[list[DataJob], bool]:
    """The page to show and whether a further non-empty page exists (asks for one more)."""
    query = {"job_type": state.job_type.value if state.job_type else None,
             "sort_by": state.sort_by.value, "sort_order": state.sort_order.value}
    if state.limit < 100:
        jobs = await seekr.list_jobs(**query, limit=state.limit + 1, offset=state.offset)
        return jobs[: state.limit], len(jobs) > state.limit
    page, probe = await asyncio.gather(
        seekr.list_jobs(**query, limit=state.limit, offset=state.offset),
        seekr.list_jobs(**query, limit=1, offset=state.offset + state.limit),
    )
    return page, bool(probe)


async def list_for(seekr: SeekrFlow, state: ListState) -> dict[str, Any]:
    jobs, has_more = await fetch_page(seekr, state)
    return list_message(jobs, state, has_more=has_more)


async def card_for(seekr: SeekrFlow, job_id: str, notes: list[str] | None = None,
                   subscribed: bool | None = None) -> dict[str, Any]:
    return job_card(await seekr.get_job(job_id), now=now(), notes=notes, subscribed=subscribed)


def not_cancellable(job: DataJobDetail) -> str:
    return (f":information_source: Not cancelled: *{clip(job.name, 300)}* is "
            f"{status_label(job.status)}; only pending, queued or running jobs can be cancelled.")


async def cancel(seekr: SeekrFlow, job_id: str, user_id: str) -> dict[str, Any]:
    """Cancel and return the job card saying what happened.

    SeekrFlow itself is the check at click time: a job that is no longer
    cancellable answers 304, and the card then shows its current status.
    """
    try:
        job = await seekr.cancel_job(job_id)
    except NotCancellable:
        job = await seekr.get_job(job_id)
        return job_card(job, now=now(), notes=[not_cancellable(job)])
    return job_card(job, now=now(), notes=[cancelled_note(user_id, now())])


async def rename(seekr: SeekrFlow, job_id: str, name: str) -> tuple[str, DataJobDetail]:
    """Rename; return the old name and the renamed job."""
    before = await seekr.get_job(job_id)
    after = await seekr.rename_job(job_id, name)
    return before.name, after
