"""Time-driven work: snoozes that end, and daily summaries that come due.

Both are claimed in Redis (``bot.store.quieting``, ``bot.store.daily``), so every replica may run
this loop and each snooze ends once, each summary is told once a day.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.render.lifecycle import review_reminder
from bot.store import ClaimStore, DailyStore, JobMessages, NotifyState, QuietStore

logger = logging.getLogger(__name__)

CLAIM_MS = 60_000  # a claimed summary not enqueued within this (a crash) comes due again


class Schedules:
    def __init__(self, state: NotifyState, slack: AsyncWebClient | None = None):
        self.quiet = QuietStore(state.r)
        self.daily = DailyStore(state.r)
        self.claims = ClaimStore(state.r)
        self.messages = JobMessages(state.r)
        self.slack = slack

    async def step(self, now_ms: int) -> int:
        """End due snoozes and enqueue due summaries; returns how many summaries were queued."""
        await self.quiet.wake(now_ms)
        queued = 0
        for summary, due, config in await self.daily.claim(now_ms, CLAIM_MS):
            nxt = summary.next_after(max(due, now_ms))
            res = await self.daily.enqueue(summary, due, nxt, config, now_ms)
            queued += res == 1
            if res == 0:
                logger.info("the daily summary for %s was already told that day", summary.dest)
        if self.slack is not None:
            for job_id in await self.claims.due_reviews(now_ms):
                await self._remind(job_id)
        return queued

    async def _remind(self, job_id: str) -> None:
        """One reminder, in each channel thread of the job and to its DM subscribers, for a
        job still in review that nobody claimed."""
        if self.slack is None or not await self.claims.remind_once(job_id):
            return
        snap = await self.messages.latest(job_id)
        if snap is None:
            return
        body = review_reminder(snap)
        roots = await self.messages.roots(job_id)
        places: list[tuple[str, str | None]] = [
            (c, ts) for d, (c, ts) in roots.items() if d.is_channel
        ]
        places += [(user, None) for user in await self.claims.dm_subscribers(job_id)]
        for channel, thread in places:
            try:
                await self.slack.chat_postMessage(channel=channel, thread_ts=thread, **body)
            except Exception as exc:  # noqa: BLE001 - a reminder is best effort, sent once
                logger.info("a review reminder was not delivered (%s)", type(exc).__name__)
