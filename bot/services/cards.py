"""The job card as one viewer sees it: the one place that gathers what a card shows of them.

Every card (``inspect``, Refresh, Cancel, Start, Skip, Retry, a rename, Home, a list row,
the message shortcut) comes from ``JobCards.card``, so each shows the same Subscribe or
Unsubscribe button and the same "@x is on it" note, wherever it was asked for.
"""

from __future__ import annotations

from bot.clock import utc_now
from bot.outcomes import JobCard
from bot.seekrflow import DataJobDetail
from bot.store import ClaimStore, SubscriptionStore
from bot.values import Actor


class JobCards:
    def __init__(self, subs: SubscriptionStore, claims: ClaimStore):
        self.subs = subs
        self.claims = claims

    async def card(self, viewer: Actor, job: DataJobDetail, note: str | None = None) -> JobCard:
        """``job`` as ``viewer`` sees it; ``note``: already-safe mrkdwn saying what happened."""
        subscribed = await self.subs.is_subscribed(viewer.dm, job.id)
        claimed = await self.claims.holder(job.id) if job.status == "needs_review" else None
        return JobCard(
            job,
            at=utc_now(),
            subscribed=subscribed,
            claimed_by=claimed,
            notes=(note,) if note else (),
        )
