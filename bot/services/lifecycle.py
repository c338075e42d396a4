"""Carrying a job from "needs you" to "running again": Start, Skip failed files and start, Retry.

Rights and audit as for cancel: ``changer_for`` refuses (and audits) before any SeekrFlow POST;
each start, skip and retry is one audit entry. POSTs are sent once. A Retry whose clone answer
was lost (a timeout, a dropped connection) is resolved by looking for the job whose
``origin_data_job_id`` is the original, created after the click, before anything is cloned
again (``bot.store.retries``).
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from bot.render import lifecycle as R
from bot.render.job_card import can_skip, job_card
from bot.seekrflow import TERMINAL, DataJobDetail, SeekrFlow, Unavailable, WrongState
from bot.store import Outcome, RetryStore, SubscriptionStore
from bot.values import Change, Dest

from .access import Access
from .jobs import Changer, changer_for, now

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
    def __init__(self, access: Access, subs: SubscriptionStore, retries: RetryStore):
        self.access = access
        self.subs = subs
        self.retries = retries

    async def _changer(
        self, user: str, change: Change, job_id: str, channel: str | None
    ) -> Changer:
        return await changer_for(self.access, user, change, job_id=job_id, channel=channel)

    async def start(self, user: str, job_id: str, channel: str | None) -> dict[str, Any]:
        c = await self._changer(user, Change.START, job_id, channel)
        job = await self._start(c, job_id)
        return job_card(job, now=now(), notes=[R.started_note(user, now())])

    async def _start(self, c: Changer, job_id: str) -> DataJobDetail:
        try:
            job = await c.seekr.start_job(job_id)
        except Exception as exc:
            await c.record(Change.START, job_id, outcome=Outcome.FAILED, detail=type(exc).__name__)
            raise
        await c.record(Change.START, job_id, before="ready_to_start", after=job.status)
        return job

    async def skip_and_start(self, user: str, job_id: str, channel: str | None) -> dict[str, Any]:
        c = await self._changer(user, Change.SKIP_FILES, job_id, channel)
        job = await c.seekr.get_job(job_id)
        if not can_skip(job):
            return job_card(job, now=now(), notes=[R.cannot_skip(job)])
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
            return job_card(fixed, now=now(), notes=[R.skipped_note(user, names, started=False)])
        started = await self._start(c, job_id)
        return job_card(started, now=now(), notes=[R.skipped_note(user, names, started=True)])

    async def retry(self, user: str, job_id: str, channel: str | None) -> dict[str, Any]:
        """Clone the job as "<name> (retry N)", start the clone, copy the original's
        subscriptions to it, and show the original's card saying so."""
        c = await self._changer(user, Change.RETRY, job_id, channel)
        original = await c.seekr.get_job(job_id)
        if original.status not in RETRYABLE:
            return job_card(original, now=now(), notes=[R.cannot_retry(original)])
        at_ms = int(time.time() * 1000)
        standing = await self.retries.claim(job_id, user, at_ms)
        if standing is not None and standing.get("clone"):
            # retried moments ago (perhaps by someone else): say so rather than clone again
            clone = await c.seekr.get_job(standing["clone"])
            note = R.retried_note(standing["by"], clone, 0)
            return job_card(original, now=now(), notes=[note])
        if standing is not None:
            clone = await self._find_clone(c.seekr, job_id, int(standing["at_ms"]))
            if clone is None:
                return job_card(original, now=now(), notes=[R.retry_in_flight(standing["by"])])
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
                    return job_card(original, now=now(), notes=[R.retry_unknown()])
            except Exception as exc:
                await self.retries.release(job_id)
                await c.record(Change.RETRY, job_id, outcome=Outcome.FAILED,
                                detail=type(exc).__name__)  # fmt: skip
                raise
        await self.retries.done(job_id, user, at_ms, clone.id)
        await c.record(Change.RETRY, job_id, before=original.status, after=clone.id)
        copied = await self._copy_subscriptions(job_id, original, clone)
        clone = await self._start_clone(c, clone, user)
        note = R.retried_note(user, clone, copied)
        return job_card(original, now=now(), notes=[note])

    async def _find_clone(self, seekr: SeekrFlow, job_id: str, since_ms: int):
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

    async def _copy_subscriptions(self, job_id: str, original, clone: DataJobDetail) -> int:
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
