"""Job operations shared by the command and the buttons: SeekrFlow in, messages out.

Every change is audited here, where it is made: who, which job, from what to
what, and the outcome (a refusal is audited by ``Access.writer``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.payloads import ListState
from bot.render.job_card import job_card
from bot.render.jobs_list import list_message
from bot.render.lifecycle import claimed_note
from bot.render.notices import cancelled_note, not_cancellable
from bot.seekrflow import DataJob, DataJobDetail, NotCancellable, SeekrFlow
from bot.store import Audit, Outcome
from bot.values import Change, Identity

from .access import Access
from .pages import PAGE, pages

CANCELLABLE_BEFORE = "pending|queued|running"  # what SeekrFlow cancels (else it answers 304)


def now() -> datetime:
    return datetime.now(UTC)


SCAN_PAGES = 10  # the most pages one filtered list reads


@dataclass(frozen=True)
class Page:
    """The jobs to show; whether more follow; for a filtered list, how far it read."""

    jobs: list[DataJob]
    has_more: bool
    looked: int | None = None  # jobs read to find these (filtered lists only)
    bounded: bool = False  # reading stopped at SCAN_PAGES with jobs left unread


async def fetch_page(seekr: SeekrFlow, state: ListState) -> Page:
    """The page to show and whether a further non-empty page exists (asks for one more)."""
    query = {
        "job_type": state.job_type.value if state.job_type else None,
        "sort_by": state.sort_by.value,
        "sort_order": state.sort_order.value,
    }
    if state.filtered:
        return await _filtered_page(seekr, state, query)
    if state.limit < 100:
        jobs = await seekr.list_jobs(**query, limit=state.limit + 1, offset=state.offset)
        return Page(jobs[: state.limit], len(jobs) > state.limit)
    page, probe = await asyncio.gather(
        seekr.list_jobs(**query, limit=state.limit, offset=state.offset),
        seekr.list_jobs(**query, limit=1, offset=state.offset + state.limit),
    )
    return Page(page, bool(probe))


async def _filtered_page(seekr: SeekrFlow, state: ListState, query: dict[str, Any]) -> Page:
    """Read pages in SeekrFlow's order, keep the matches, stop once one beyond the page is
    found, the jobs end, or ``SCAN_PAGES`` were read."""
    wanted = state.offset + state.limit + 1
    matches: list[DataJob] = []
    looked, ended = 0, False
    async for jobs in pages(seekr, query, limit=SCAN_PAGES):
        looked += len(jobs)
        matches += [j for j in jobs if state.admits(j.status, j.name)]
        if len(jobs) < PAGE:
            ended = True
            break
        if len(matches) >= wanted:
            break
    end = state.offset + state.limit
    bounded = not ended and len(matches) < wanted
    return Page(matches[state.offset : end], len(matches) > end, looked, bounded)


async def list_for(seekr: SeekrFlow, state: ListState) -> dict[str, Any]:
    page = await fetch_page(seekr, state)
    return list_message(
        page.jobs, state, has_more=page.has_more, looked=page.looked, bounded=page.bounded
    )


async def card_for(
    seekr: SeekrFlow,
    job_id: str,
    notes: list[str] | None = None,
    subscribed: bool | None = None,
    claimed_by: str | None = None,
) -> dict[str, Any]:
    job = await seekr.get_job(job_id)
    if claimed_by and job.status == "needs_review":
        notes = [*(notes or []), claimed_note(claimed_by)]
    return job_card(job, now=now(), notes=notes, subscribed=subscribed)


class Changer:
    """Makes changes with one person's client and audits each of them."""

    def __init__(
        self, seekr: SeekrFlow, identity: Identity, audit: Audit, *, channel: str | None = None
    ):
        self.seekr = seekr
        self.identity = identity
        self._audit = audit
        self._channel = channel

    async def record(self, change: Change, job_id: str, **fields: Any) -> None:
        """One audit entry for a change made (or tried) by this person."""
        await self._audit.record(
            change,
            self.identity.user_id,
            job_id=job_id,
            identity=self.identity.mode.value,
            channel=self._channel,
            **fields,
        )

    async def cancel(self, job_id: str) -> dict[str, Any]:
        """Cancel and return the job card saying what happened.

        SeekrFlow itself is the check at click time: a job that is no longer
        cancellable answers 304, and the card then shows its current status.
        """
        user_id = self.identity.user_id
        try:
            job = await self.seekr.cancel_job(job_id)
        except Exception as exc:
            await self.record(Change.CANCEL, job_id, outcome=Outcome.FAILED,
                               before=CANCELLABLE_BEFORE, after="cancelled",
                               detail=type(exc).__name__)  # fmt: skip
            if not isinstance(exc, NotCancellable):
                raise
            job = await self.seekr.get_job(job_id)
            return job_card(job, now=now(), notes=[not_cancellable(job)])
        await self.record(Change.CANCEL, job_id, before=CANCELLABLE_BEFORE, after=job.status)
        return job_card(job, now=now(), notes=[cancelled_note(user_id, now())])

    async def rename(self, job_id: str, name: str) -> tuple[str, DataJobDetail]:
        """Rename; return the old name and the renamed job."""
        before = await self.seekr.get_job(job_id)
        try:
            after = await self.seekr.rename_job(job_id, name)
        except Exception as exc:
            await self.record(
                Change.RENAME,
                job_id,
                outcome=Outcome.FAILED,
                before=before.name,
                after=name,
                detail=type(exc).__name__,
            )
            raise
        await self.record(Change.RENAME, job_id, before=before.name, after=after.name)
        return before.name, after


async def changer_for(
    access: Access, user_id: str, change: Change, *, job_id: str, channel: str | None
) -> Changer:
    """A ``Changer`` for ``user_id``, or ``NotAllowed`` (audited) before any SeekrFlow call."""
    seekr, identity = await access.writer(user_id, change, job_id=job_id, channel=channel)
    return Changer(seekr, identity, access.audit, channel=channel)
