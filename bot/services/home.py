"""A person's App Home: who acts for them, what needs them, what runs, what they follow.

One open reads one list page (the newest ``HOME_JOBS`` jobs their key can see) and the
details of at most ``RUNNING_SHOWN`` running jobs (for progress and ETA), and keeps what it
read for ``HomeCache.ttl_s`` seconds: opening Home again soon reads nothing. Acting from
Home drops that, so the view published after the change is read afresh.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field

from bot.outcomes import HomeJobs, HomeShown
from bot.seekrflow import DataJob, DataJobDetail, SeekrFlow
from bot.store import HomeCache, SubscriptionStore
from bot.values import Actor

from .access import Access

logger = logging.getLogger(__name__)

HOME_JOBS = 100
RUNNING_SHOWN = 5
FAILED_RECENT = timedelta(days=7)
ACTIVE = ("pending", "queued", "running")
NEEDS_YOU = ("needs_review", "ready_to_start")


class _Read(BaseModel):
    """What one open read, as cached."""

    jobs: list[DataJob] = Field(default_factory=list)
    running: list[DataJobDetail] = Field(default_factory=list)
    at: datetime


class Home:
    def __init__(self, access: Access, subs: SubscriptionStore, cache: HomeCache):
        self.access = access
        self.subs = subs
        self.cache = cache

    async def _read(self, user_id: str, seekr: SeekrFlow) -> _Read:
        raw = await self.cache.get(user_id)
        if raw:
            try:
                return _Read.model_validate_json(raw)
            except ValueError:
                logger.info("a damaged Home cache entry was read afresh")
        jobs = await seekr.list_jobs(sort_by="created_at", sort_order="desc", limit=HOME_JOBS)
        active = [j for j in jobs if j.status == "running"][:RUNNING_SHOWN]
        details = await asyncio.gather(
            *(seekr.get_job(j.id) for j in active), return_exceptions=True
        )
        read = _Read(
            jobs=jobs,
            running=[d for d in details if isinstance(d, DataJobDetail)],
            at=datetime.now(UTC),
        )
        await self.cache.put(user_id, read.model_dump_json())
        return read

    async def view(
        self, actor: Actor, note: str | None = None, *, fresh: bool = False
    ) -> HomeShown:
        """The person's Home; a failure to read their jobs shows as a line, not an empty tab.
        ``fresh``: after a change made from Home, read afresh rather than from the cache."""
        user_id = actor.user_id
        if fresh:
            await self.cache.drop(user_id)
        identity = await self.access.identity(user_id)
        subs = await self.subs.list(actor.dm)
        jobs, problem = None, None
        if identity.may_read:
            try:
                read = await self._read(user_id, self.access.client(identity))
                jobs = split(read.jobs, read.running, read.at)
            except Exception as exc:  # noqa: BLE001 - the tab still opens, saying what went wrong
                problem = str(getattr(exc, "message", None) or type(exc).__name__)
        return HomeShown(identity, jobs, subs, note=note, problem=problem)


def split(jobs: list[DataJob], running: list[DataJobDetail], at: datetime) -> HomeJobs:
    """Which jobs go in which part of Home."""
    recent = at - FAILED_RECENT
    needs = [j for j in jobs if j.status in NEEDS_YOU]
    failed = [j for j in jobs if j.status == "failed" and j.updated_at >= recent]
    details = {d.id: d for d in running}
    active = [details.get(j.id, j) for j in jobs if j.status in ACTIVE]
    return HomeJobs(needs=needs + failed, active=active, looked=len(jobs), at=at)
