"""Carrying a job from "needs you" to "running again": Start, Skip failed files and start, Retry.

Reached through ``Jobs`` (``bot.services.jobs``), which checks rights (refused and audited
before any SeekrFlow POST) and turns what these return into the viewer's card;
each start, skip and retry is one audit entry. POSTs are sent once. A Retry whose clone answer
was lost (a timeout, a dropped connection) is resolved by looking for the job whose
``origin_data_job_id`` is the original, created after the click, before anything is cloned
again (``bot.store.retries``).
"""

from __future__ import annotations

import logging
import re

from bot.clock import now_ms, utc_now
from bot.render import lifecycle as R
from bot.render.job_card import can_skip
from bot.seekrflow import TERMINAL, DataJobDetail, SeekrFlow, Unavailable, WrongState
from bot.store import Outcome, RetryStore, SubscriptionStore
from bot.values import Change, Dest

from .changer import Changer

#: What a lifecycle step shows: the job's card, with a note saying what happened.
Shown = tuple[DataJobDetail, str]

logger = logging.getLogger(__name__)

RETRYABLE = ("failed", "cancelled", "stopped")
_RETRY_SUFFIX = re.compile(r"^(.*) \(retry (\d+)\)$")


def retry_name(name: str) -> str:
    """``"nightly"`` -> ``"nightly (retry 1)"``; ``"nightly (retry 1)"`` -> ``"… (retry 2)"``;
    always within SeekrFlow's 255 characters."""
    m = _RETRY_SUFFIX.match(name)
    base, n = (m.group(1), int(m.group(2)) + 1) if m else (name, 1)
    suffix = f" (retry {n})"
    return base[: 255 - len(suffix)].rstrip() + suffix


def failed_files(job: DataJobDetail) -> tuple[list[str], list[str]]:
    """(failed file ids, their names) of a job, for Skip failed files."""
    bad = [f for f in job.files if f.status == "failed"]
    return [f.file_id for f in bad], [f.name or f.file_id for f in bad]


class Lifecycle:
    """Start, skip and retry with one person's ``Changer`` (rights already checked)."""

    def __init__(self, subs: SubscriptionStore, retries: RetryStore):
        self.subs = subs
        self.retries = retries

    async def start(self, c: Changer, job_id: str) -> Shown:
        job = await self._start(c, job_id)
        return job, R.started_note(c.identity.user_id, utc_now())

    async def _start(self, c: Changer, job_id: str) -> DataJobDetail:
        try:
            job = await c.seekr.start_job(job_id)
        except Exception as exc:
            await c.record(Change.START, job_id, outcome=Outcome.FAILED, detail=type(exc).__name__)
            raise
        await c.record(Change.START, job_id, before="ready_to_start", after=job.status)
        return job

    async def skip_and_start(self, c: Changer, job_id: str) -> Shown:
        user = c.identity.user_id
        job = await c.seekr.get_job(job_id)
        if not can_skip(job):
            return job, R.cannot_skip(job)
        ids, names = failed_files(job)
        try:
            fixed = await c.seekr.remove_files(job_id, ids)
        except Exception as exc:
            await c.record(
                Change.SKIP_FILES, job_id, outcome=Outcome.FAILED, detail=type(exc).__name__
            )
            raise
        await c.record(
            Change.SKIP_FILES, job_id, before=f"{len(ids)} failed file(s)", after=fixed.status,
            detail=", ".join(ids)[:500],
        )  # fmt: skip
        if fixed.status != "ready_to_start":
            return fixed, R.skipped_note(user, names, started=False)
        started = await self._start(c, job_id)
        return started, R.skipped_note(user, names, started=True)

    async def retry(self, c: Changer, job_id: str) -> Shown:
        """Clone the job as "<name> (retry N)", start the clone, copy the original's
        subscriptions to it, and show the original's card saying so."""
        user = c.identity.user_id
        original = await c.seekr.get_job(job_id)
        if original.status not in RETRYABLE:
            return original, R.cannot_retry(original)
        at_ms = now_ms()
        standing = await self.retries.claim(job_id, user, at_ms)
        clone: DataJobDetail | None
        if standing is not None and standing.get("clone"):
            # retried moments ago (perhaps by someone else): say so rather than clone again
            clone = await c.seekr.get_job(standing["clone"])
            return original, R.retried_note(standing["by"], clone, 0)
        if standing is not None:
            clone = await self._find_clone(c.seekr, job_id, int(standing["at_ms"]))
            if clone is None:
                return original, R.retry_in_flight(standing["by"])
            at_ms = int(standing["at_ms"])
        else:
            try:
                clone = await c.seekr.clone_job(job_id, retry_name(original.name))
            except (Unavailable, TimeoutError) as exc:
                # the answer was lost: SeekrFlow may or may not have made the clone
                clone = await self._find_clone(c.seekr, job_id, at_ms)
                if clone is None:
                    await c.record(Change.RETRY, job_id, outcome=Outcome.FAILED,
                                    detail=f"{type(exc).__name__}: outcome unknown")  # fmt: skip
                    return original, R.retry_unknown()
            except Exception as exc:
                await self.retries.release(job_id)
                await c.record(Change.RETRY, job_id, outcome=Outcome.FAILED,
                                detail=type(exc).__name__)  # fmt: skip
                raise
        assert clone is not None  # each branch above returned when no clone was found
        await self.retries.done(job_id, user, at_ms, clone.id)
        await c.record(Change.RETRY, job_id, before=original.status, after=clone.id)
        copied = await self._copy_subscriptions(job_id, original, clone)
        clone = await self._start_clone(c, clone, user)
        return original, R.retried_note(user, clone, copied)

    async def _find_clone(
        self, seekr: SeekrFlow, job_id: str, since_ms: int
    ) -> DataJobDetail | None:
        """The job cloned from ``job_id`` at or after ``since_ms`` (newest first), or None."""
        try:
            rows = await seekr.list_jobs(limit=100)
        except Exception as exc:  # noqa: BLE001 - can't tell now: the claim stands
            logger.info("could not look for a clone (%s)", type(exc).__name__)
            return None
        for row in rows:
            created = int(row.created_at.timestamp() * 1000)
            if row.origin_data_job_id == job_id and created >= since_ms - 5_000:
                return await seekr.get_job(row.id)
        return None

    async def _copy_subscriptions(
        self, job_id: str, original: DataJobDetail, clone: DataJobDetail
    ) -> int:
        """Every subscription of the original (same place, same events, same key) to the
        clone; returns how many."""
        records = await self.retries.subscriptions_of(job_id)
        if original.status not in TERMINAL:
            records = []
        n = 0
        for raw_dest, rec, events in records:
            try:
                dest = Dest.parse(raw_dest)
                await self.subs.subscribe_job(
                    dest, clone, events=events, key_ref=rec.key_ref, by=rec.by
                )
                n += 1
            except (ValueError, KeyError) as exc:
                logger.info("a subscription was not copied to the retry (%s)", exc)
        return n

    async def _start_clone(self, c: Changer, clone: DataJobDetail, user: str) -> DataJobDetail:
        if clone.status == "ready_to_start":
            try:
                return await self._start(c, clone.id)
            except WrongState:
                pass
        if clone.status not in TERMINAL:
            ref = c.identity.key_ref
            if ref is not None:
                await self.retries.start_when_ready(clone.id, ref)
        return clone
