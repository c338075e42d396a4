"""Daily summaries: ``/datajobs summary daily HH:MM [#channel|here]``, ``summary``, ``summary off``.

A person's own summary goes to their DM; a channel's needs the right to subscribe the channel.
The time is in the setter's time zone (``users.info``). The watcher posts them.
"""

from __future__ import annotations

from bot.clock import now_ms
from bot.outcomes import ChannelProblem, SummaryOff, SummarySet, SummaryShown
from bot.store import Audit, DailyStore
from bot.values import Actor, Change, DailySummary, Dest

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

    async def _may(self, actor: Actor, dest: Dest) -> Change:
        """A person's own summary needs a key (a summary of nothing helps no one); a
        channel's, the right to change things."""
        await self.access.authorize(actor, Change.SUMMARY, dest=dest)
        return Change.SUMMARY.in_channel if dest.is_channel else Change.SUMMARY

    async def set(
        self, actor: Actor, dest: Dest, hour: int, minute: int
    ) -> SummarySet | ChannelProblem:
        change = await self._may(actor, dest)
        if dest.is_channel:
            problem = await self.subscribing.channel_problem(dest.ident)
            if problem:
                return ChannelProblem(problem)
        tz = await self.zones.of(actor.user_id)
        summary = DailySummary(dest, hour, minute, tz, by=actor.user_id)
        nxt = summary.next_after(now_ms())
        await self.store.set(summary, nxt)
        await self._audit(change, actor.user_id, dest, f"daily {summary.clock} {tz}")
        return SummarySet(summary, nxt)

    async def show(self, actor: Actor) -> SummaryShown:
        """The summaries of the places ``actor`` can see (their DM, the channel they are in)."""
        rows = []
        for dest in actor.places():
            rows.append((dest, await self.store.get(dest), await self.store.next_due(dest)))
        return SummaryShown(rows)

    async def off(self, actor: Actor, dest: Dest) -> SummaryOff:
        change = await self._may(actor, dest)
        removed = await self.store.clear(dest)
        if removed:
            await self._audit(change, actor.user_id, dest, "off")
        return SummaryOff(dest, removed=removed)

    async def _audit(self, change: Change, user: str, dest: Dest, detail: str) -> None:
        await self.audit.record(
            change,
            user,
            channel=dest.ident if dest.is_channel else None,
            detail=f"{detail} {dest}",
        )
