"""Live progress on a running job's thread roots in channels.

After a poll, the running jobs with a thread root in a channel get their root updated in place
with progress and ETA: at most once a minute per message (``keys.progress_gate``), and only
while the workspace's ``chat.update`` calls this minute, counted across replicas
(``keys.update_budget``), leave room for status updates. It runs beside the poll and delivery
loops, so it never delays a status notification.
"""

from __future__ import annotations

import asyncio
import logging
import time

from slack_sdk.web.async_client import AsyncWebClient

from bot.render.lifecycle import slow_note
from bot.render.notification import render_notification
from bot.seekrflow import SeekrFlow, SeekrFlowError
from bot.store import JobMessages, NotifyState, keys
from bot.values import Dest, JobSnapshot

from .snapshot import snapshot

logger = logging.getLogger(__name__)

EVERY_MS = 60_000
BUDGET = 40
"""``chat.update`` calls a minute progress may bring the workspace's count to (Tier 3: ~50)."""
MAX_JOBS = 20  # per poll of one key


class LiveProgress:
    def __init__(
        self,
        state: NotifyState,
        slack: AsyncWebClient,
        *,
        every_ms: int = EVERY_MS,
        budget: int = BUDGET,
    ):
        self.state = state
        self.messages = JobMessages(state.r)
        self.slack = slack
        self.every_ms = every_ms
        self.budget = budget
        self._tasks: set[asyncio.Task] = set()
        self._busy: set[str] = set()

    def after_poll(self, key: str, client: SeekrFlow, running: list[str]) -> None:
        """Start refreshing ``running`` jobs' roots, unless this key's last refresh still runs."""
        if not running or key in self._busy:
            return
        self._busy.add(key)
        task = asyncio.create_task(self._refresh(client, running[:MAX_JOBS]))
        self._tasks.add(task)

        def done(t: asyncio.Task[None]) -> None:
            self._tasks.discard(t)
            self._busy.discard(key)

        task.add_done_callback(done)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _refresh(self, client: SeekrFlow, jobs: list[str]) -> None:
        try:
            for job_id in jobs:
                await self._one(client, job_id)
        except Exception as exc:  # noqa: BLE001 - cosmetic: the next poll tries again
            logger.info("live progress not updated (%s)", type(exc).__name__)

    async def _one(self, client: SeekrFlow, job_id: str) -> None:
        roots = {d: root for d, root in (await self.messages.roots(job_id)).items() if d.is_channel}
        due = [d for d in roots if not await self.messages.progress_gated(d, job_id)]
        if not due:
            return
        try:
            job = await client.get_job(job_id)
        except SeekrFlowError:
            return
        if job.status != "running":
            return
        snap = snapshot(job)
        await self._slow(job_id, job, snap, roots)
        now = _shown(snap.progress, snap.eta_min)
        body = render_notification(snap, thread_root=True)
        for dest in due:
            if await self._shows(job_id, dest) == now:
                continue  # nothing new to show: the minute is not spent
            if not await self.messages.claim_progress(dest, job_id, self.budget, self.every_ms):
                continue
            (status,) = await self.state.job_fields(job_id, "status")
            if status != "running":  # a status notification overtook this update
                return
            channel, ts = roots[dest]
            await self.slack.chat_update(channel=channel, ts=ts, **body)
            await self.state.r.hset(keys.job(job_id), f"live:{dest}", now)

    async def _slow(self, job_id: str, job, snap: JobSnapshot, roots: dict) -> None:
        """One "looks slow" note in each channel thread once the run has taken half again as
        long as the ETA it showed when first seen running."""
        aj = job.alignment_job
        if aj is None or aj.eta_minutes is None:
            return
        r, jk, now = self.state.r, keys.job(job_id), int(time.time() * 1000)
        await r.hsetnx(jk, "run_seen", now)
        await r.hsetnx(jk, "eta_ms", max(60_000, int(aj.eta_minutes) * 60_000))
        seen, eta = await r.hmget(jk, "run_seen", "eta_ms")
        if now - int(seen) <= 1.5 * int(eta) or not await r.hsetnx(jk, "slow", "1"):
            return
        body = slow_note(snap, int(eta) // 60_000)
        for channel, ts in roots.values():
            await self.slack.chat_postMessage(channel=channel, thread_ts=ts, **body)

    async def _shows(self, job_id: str, dest: Dest) -> str:
        """What the root shows now: its last live update, or the snapshot it was posted with."""
        (shown,) = await self.state.job_fields(job_id, f"live:{dest}")
        if shown:
            return shown
        posted = await self.messages.latest(job_id)
        return _shown(posted.progress, posted.eta_min) if posted else ""


def _shown(progress: float | None, eta: int | None) -> str:
    return f"{'' if progress is None else round(progress)}|{'' if eta is None else eta}"


def minute(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // 60)


__all__ = ["Dest", "LiveProgress", "minute"]
