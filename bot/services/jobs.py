"""Reading and changing jobs for one actor: list, card, rename, cancel, start, skip, retry.

Every method takes the ``Actor`` and a job (an id, or the ``Reference`` a person typed), checks
the right once (``Access.writer``: refused and audited before any SeekrFlow call), finds the
job with that same client, acts, audits where the change is made, and returns a typed outcome
(``bot.outcomes``). Every card comes from ``JobCards.card``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.clock import utc_now
from bot.outcomes import CancelAsked, CardsFound, JobCard, JobsPage, Page, Renamed
from bot.payloads import ListState
from bot.refs import JobName
from bot.render.notices import cancelled_note, not_cancellable, renamed_note
from bot.seekrflow import JobNotFound, NotCancellable, SeekrFlow
from bot.store import Outcome
from bot.values import Actor, Change

from .access import Access
from .cards import JobCards
from .changer import Changer
from .finding import find_job
from .lifecycle import Lifecycle, Shown
from .pages import PAGE, pages

CANCELLABLE_BEFORE = "pending|queued|running"  # what SeekrFlow cancels (else it answers 304)
SCAN_PAGES = 10  # the most pages one filtered list reads


async def fetch_page(seekr: SeekrFlow, state: ListState) -> Page:
    """The page to show and whether a further non-empty page exists (asks for one more)."""
    query: dict[str, Any] = {
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
    matches = []
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


async def _resolve(seekr: SeekrFlow, job: JobName) -> str:
    return job if isinstance(job, str) else await find_job(seekr, job)


class Jobs:
    """``Deps.jobs``: one calling style for every read and change of a job."""

    def __init__(self, access: Access, cards: JobCards, lifecycle: Lifecycle):
        self.access = access
        self.cards = cards
        self.lifecycle = lifecycle

    async def _changer(self, actor: Actor, change: Change, job: JobName) -> tuple[Changer, str]:
        """The right checked once (before the job is looked up), then the job's id."""
        named = job if isinstance(job, str) else job.job_id
        seekr, identity = await self.access.writer(actor, change, job=named)
        changer = Changer(seekr, identity, self.access.audit, channel=actor.channel_id)
        return changer, await _resolve(seekr, job)

    async def _reader(self, actor: Actor, job: JobName) -> tuple[SeekrFlow, str]:
        seekr = await self.access.reader(actor)
        return seekr, await _resolve(seekr, job)

    async def find(self, actor: Actor, job: JobName) -> str:
        """The id of the job ``job`` names, read with ``actor``'s key."""
        return (await self._reader(actor, job))[1]

    async def list_page(self, actor: Actor, state: ListState) -> JobsPage:
        seekr = await self.access.reader(actor)
        return JobsPage(await fetch_page(seekr, state), state)

    async def card(self, actor: Actor, job: JobName, note: str | None = None) -> JobCard:
        seekr, job_id = await self._reader(actor, job)
        return await self.cards.card(actor, await seekr.get_job(job_id), note)

    async def cards_in(self, actor: Actor, job_ids: list[str]) -> CardsFound:
        """The cards of the jobs a message names; those the key cannot see are counted."""
        seekr = await self.access.reader(actor)
        found = await asyncio.gather(*(seekr.get_job(i) for i in job_ids), return_exceptions=True)
        for f in found:
            if isinstance(f, BaseException) and not isinstance(f, JobNotFound):
                raise f  # a rejected key or SeekrFlow down: said as for any command
        shown = [j for j in found if not isinstance(j, BaseException)]
        cards = [await self.cards.card(actor, j) for j in shown]
        return CardsFound(cards, missing=len(found) - len(shown))

    async def rename_form(self, actor: Actor, job_id: str) -> str:
        """The job's current name, for the rename form (opened after ``may_rename``)."""
        seekr, job_id = await self._reader(actor, job_id)
        return (await seekr.get_job(job_id)).name

    async def may_rename(self, actor: Actor, job_id: str) -> None:
        """NotAllowed (audited) unless ``actor`` may rename: before a form opens."""
        await self.access.authorize(actor, Change.RENAME, job=job_id)

    async def rename(self, actor: Actor, job: JobName, name: str) -> Renamed:
        c, job_id = await self._changer(actor, Change.RENAME, job)
        before = await c.seekr.get_job(job_id)
        try:
            after = await c.seekr.rename_job(job_id, name)
        except Exception as exc:
            await c.record(Change.RENAME, job_id, outcome=Outcome.FAILED, before=before.name,
                           after=name, detail=type(exc).__name__)  # fmt: skip
            raise
        await c.record(Change.RENAME, job_id, before=before.name, after=after.name)
        return Renamed(before.name, after, by=actor.user_id, at=utc_now())

    async def renamed_card(self, actor: Actor, renamed: Renamed) -> JobCard:
        """The card the Rename button was on, saying who renamed it and when."""
        return await self.cards.card(actor, renamed.job, renamed_note(renamed.by, renamed.at))

    async def cancel(self, actor: Actor, job: JobName) -> JobCard:
        """Cancel; the card says what happened. SeekrFlow itself is the check at click time:
        a job no longer cancellable answers 304, and the card then shows its status."""
        c, job_id = await self._changer(actor, Change.CANCEL, job)
        try:
            done = await c.seekr.cancel_job(job_id)
        except Exception as exc:
            await c.record(Change.CANCEL, job_id, outcome=Outcome.FAILED,
                           before=CANCELLABLE_BEFORE, after="cancelled",
                           detail=type(exc).__name__)  # fmt: skip
            if not isinstance(exc, NotCancellable):
                raise
            now = await c.seekr.get_job(job_id)
            return await self.cards.card(actor, now, not_cancellable(now))
        await c.record(Change.CANCEL, job_id, before=CANCELLABLE_BEFORE, after=done.status)
        return await self.cards.card(actor, done, cancelled_note(actor.user_id, utc_now()))

    async def ask_cancel(self, actor: Actor, job_id: str) -> CancelAsked | JobCard:
        """A list row's Cancel: confirm first while the job is cancellable, else its card."""
        c, job_id = await self._changer(actor, Change.CANCEL, job_id)
        job = await c.seekr.get_job(job_id)
        if job.cancellable:
            return CancelAsked(job)
        return await self.cards.card(actor, job, not_cancellable(job))

    async def _step(self, actor: Actor, change: Change, job: JobName, step: Any) -> JobCard:
        c, job_id = await self._changer(actor, change, job)
        shown: Shown = await step(c, job_id)
        return await self.cards.card(actor, *shown)

    async def start(self, actor: Actor, job: JobName) -> JobCard:
        return await self._step(actor, Change.START, job, self.lifecycle.start)

    async def skip_and_start(self, actor: Actor, job: JobName) -> JobCard:
        return await self._step(actor, Change.SKIP_FILES, job, self.lifecycle.skip_and_start)

    async def retry(self, actor: Actor, job: JobName) -> JobCard:
        """The original's card: "Retried by @x as <new job>"."""
        return await self._step(actor, Change.RETRY, job, self.lifecycle.retry)
