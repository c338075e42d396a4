"""Time-driven work: snoozes that end, and daily summaries that come due.

Both are claimed in Redis (``bot.store.quieting``, ``bot.store.daily``), so every replica may run
this loop and each snooze ends once, each summary is told once a day.
"""

from __future__ import annotations

import logging

from bot.store import DailyStore, NotifyState, QuietStore

logger = logging.getLogger(__name__)

CLAIM_MS = 60_000  # a claimed summary not enqueued within this (a crash) comes due again


class Schedules:
    def __init__(self, state: NotifyState):
        self.quiet = QuietStore(state.r)
        self.daily = DailyStore(state.r)

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
        return queued
