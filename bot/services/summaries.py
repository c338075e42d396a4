"""Daily summaries: ``/datajobs summary daily HH:MM [#channel|here]``, ``summary``, ``summary off``.

A person's own summary goes to their DM; a channel's needs the right to subscribe the channel.
The time is in the setter's time zone (``users.info``). The watcher posts them.
"""

from __future__ import annotations

import time
from typing import Any

from bot.render import quiet as R
from bot.render.subscriptions import channel_problem
from bot.store import Audit, DailyStore
from bot.values import Change, DailySummary, Dest

from .access import Access
from .quieting import TimeZones
from .subscribing import Subscribing


class Summaries:
    def __init__(
        self,
        access: Access,
        store: DailyStore,
        zones: TimeZones,
        subscribing: Subscribing,
        audit: Audit,
    ):
        self.access = access
        self.store = store
        self.zones = zones
        self.subscribing = subscribing
        self.audit = audit

    async def _may(self, user_id: str, dest: Dest) -> Change:
        if dest.is_dm:
            await self.access.reader(user_id)  # a summary of nothing helps no one: needs a key
            return Change.SUMMARY
        await self.access.writer(user_id, Change.SUMMARY_CHANNEL, channel=dest.ident)
        return Change.SUMMARY_CHANNEL

    async def set(self, user_id: str, dest: Dest, hour: int, minute: int) -> dict[str, Any]:
        change = await self._may(user_id, dest)
        if dest.is_channel:
            problem = await self.subscribing.channel_problem(dest.ident)
            if problem:
                return channel_problem(problem)
        tz = await self.zones.of(user_id)
        summary = DailySummary(dest, hour, minute, tz, by=user_id)
        nxt = summary.next_after(int(time.time() * 1000))
        await self.store.set(summary, nxt)
        await self._audit(change, user_id, dest, f"daily {summary.clock} {tz}")
        return R.summary_set(summary, nxt)

    async def show(self, places: list[Dest]) -> dict[str, Any]:
        rows = []
        for dest in places:
            rows.append((dest, await self.store.get(dest), await self.store.next_due(dest)))
        return R.summary_shown(rows)

    async def off(self, user_id: str, dest: Dest) -> dict[str, Any]:
        change = await self._may(user_id, dest)
        removed = await self.store.clear(dest)
        if removed:
            await self._audit(change, user_id, dest, "off")
        return R.summary_off(dest, removed=removed)

    async def _audit(self, change: Change, user: str, dest: Dest, detail: str) -> None:
        await self.audit.record(
            change,
            user,
            channel=dest.ident if dest.is_channel else None,
            detail=f"{detail} {dest}",
        )
