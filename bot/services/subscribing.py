"""Subscribing and unsubscribing, shared by the commands and the buttons.

Rules: a DM subscription is the person's own and needs only read access; a
channel's subscription belongs to the channel and needs the right to change
things (``Change.SUBSCRIBE_CHANNEL`` / ``UNSUBSCRIBE_CHANNEL``). The bot checks
a channel can take its messages before subscribing it. Each subscription
records the key (``KeyRef``) the watcher polls it with.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import now_ms
from bot.outcomes import (
    AlreadyFinished,
    ChannelProblem,
    Subscribed,
    SubscriptionsPage,
    Unsubscribed,
)
from bot.refs import JobName
from bot.render.text import clip
from bot.seekrflow import TERMINAL
from bot.store import Audit, History, QuietStore, SubscriptionStore
from bot.values import Actor, Change, Dest, HistoryEntry, KeyRef, Seen, Where, place_for

from .access import Access
from .finding import find_job

__all__ = ["Subscribing", "Where", "place_for"]

logger = logging.getLogger(__name__)

DEFAULT_BOT_NAME = "datajobs"


class Subscribing:
    """Built once per process (``Deps.subscribing``)."""

    def __init__(
        self,
        access: Access,
        store: SubscriptionStore,
        slack: AsyncWebClient,
        audit: Audit,
        quiet: QuietStore,
        history: History,
    ):
        self.access = access
        self.store = store
        self.slack = slack
        self.audit = audit
        self.quiet = quiet
        self.history = history
        self._bot_name: str | None = None

    async def bot_name(self) -> str:
        """The bot's own name (for "/invite @name"), asked of Slack once (``auth.test``).

        Asked when first needed rather than at start-up: the demo serves its Slack from the
        bot's own port, which answers only once start-up is over. A failed ask is not kept.
        """
        if self._bot_name is None:
            try:
                self._bot_name = (await self.slack.auth_test()).get("user") or DEFAULT_BOT_NAME
            except SlackApiError as exc:
                logger.info("auth.test failed (%s)", exc.response.get("error"))
                return DEFAULT_BOT_NAME
        return self._bot_name

    async def channel_problem(self, channel_id: str) -> str | None:
        """Why the bot could not post in the channel, as a sentence; None when it can."""
        label = f"<#{channel_id}>"
        invite = f"`/invite @{clip(await self.bot_name(), 80)}`"
        try:
            info = (await self.slack.conversations_info(channel=channel_id))["channel"]
        except SlackApiError as exc:
            if exc.response.get("error") == "channel_not_found":
                return (
                    f":lock: I can't see {label}. If it is a private channel, invite me "
                    f"with {invite} in that channel, then subscribe again."
                )
            raise
        if info.get("is_archived"):
            return f":file_cabinet: {label} is archived, so I can't post there."
        if not info.get("is_member") and not info.get("is_im"):
            return (
                f":wave: I'm not in {label} yet: invite me with {invite} there, then "
                "subscribe again."
            )
        return None

    async def subscribe(
        self, actor: Actor, dest: Dest, job: JobName | None, events: tuple[str, ...]
    ) -> Subscribed | AlreadyFinished | ChannelProblem:
        """``dest`` told of ``job`` (None: every job the actor's key sees) on ``events``."""
        named = job if isinstance(job, str) or job is None else job.job_id
        identity = await self.access.authorize(actor, Change.SUBSCRIBE, dest=dest, job=named)
        change = Change.SUBSCRIBE.in_channel if dest.is_channel else Change.SUBSCRIBE
        seekr, key_ref = self.access.client(identity), identity.key_ref
        assert key_ref is not None  # authorize refuses who has no key
        if dest.is_channel:
            problem = await self.channel_problem(dest.ident)
            if problem:
                return ChannelProblem(problem)
        if job is None:
            res = await self.store.subscribe_all(
                dest, events=events, key_ref=key_ref, by=actor.user_id
            )
            await self._audit(change, actor.user_id, None, dest, key_ref)
            return Subscribed(dest, None, "", events, res.created, res.previous_events)
        job_id = job if isinstance(job, str) else await find_job(seekr, job)
        found = await seekr.get_job(job_id)  # an unknown job is refused here (JobNotFound)
        if found.status in TERMINAL:
            entry = HistoryEntry(now_ms(), found.status, 0, dest, Seen.FINISHED_FIRST)
            await self.history.note(found.id, entry)
            return AlreadyFinished(found.id, found.name, found.status)
        res = await self.store.subscribe_job(dest, found, events=events, key_ref=key_ref,
                                             by=actor.user_id)  # fmt: skip
        await self._audit(change, actor.user_id, found.id, dest, key_ref)
        return Subscribed(dest, found.id, found.name, events, res.created, res.previous_events)

    async def unsubscribe(
        self, actor: Actor, dest: Dest, job: JobName | None, key_ref: KeyRef | None = None
    ) -> Unsubscribed:
        """Remove one subscription (``job`` None = the every-job ones, of ``key_ref`` or all).
        Someone else's DM subscription is theirs alone to remove."""
        job_id = job if isinstance(job, str) or job is None else job.job_id
        identity = await self.access.authorize(actor, Change.UNSUBSCRIBE, dest=dest, job=job_id)
        if job is not None and not isinstance(job, str) and job_id is None:
            job_id = await find_job(await self.access.reader(actor), job)
        change = Change.UNSUBSCRIBE.in_channel if dest.is_channel else Change.UNSUBSCRIBE
        if job_id is not None:
            removed = await self.store.unsubscribe_job(dest, job_id)
        else:
            refs = {s.key_ref for s in await self.store.list(dest) if s.all_jobs}
            if key_ref is not None:
                refs &= {key_ref}
            removed = False
            for ref in sorted(refs):
                removed = await self.store.unsubscribe_all(dest, ref) or removed
        if removed:
            await self._audit(change, actor.user_id, job_id, dest, identity.key_ref)
        return Unsubscribed(dest, job_id, removed)

    async def listing(
        self, actor: Actor, dest: Dest, *, page: int = 0, note: str | None = None
    ) -> SubscriptionsPage:
        """One page of ``dest``'s subscriptions with their snoozes; in a channel, also how many
        the person has by DM. Another person's DM list is theirs alone."""
        await self.access.authorize(actor, Change.VIEW_SUBSCRIPTIONS, dest=dest)
        own = await self.store.count(actor.dm) if dest.is_channel else None
        return SubscriptionsPage(
            dest,
            await self.store.list(dest),
            broken=await self.store.broken_reason(dest),
            quiets=await self.quiet.of(dest),
            paused=frozenset(await self.access.key_state.dead()),
            page=page,
            own=own,
            note=note,
        )

    async def is_subscribed(self, user_id: str, job_id: str) -> bool:
        """Whether the person's DM is subscribed to the job (for the job card's button)."""
        return await self.store.is_subscribed(Dest.dm(user_id), job_id)

    async def _audit(
        self, change: Change, user_id: str, job_id: str | None, dest: Dest, key_ref: KeyRef | None
    ) -> None:
        await self.audit.record(
            change,
            user_id,
            job_id=job_id or "all",
            identity=str(key_ref) if key_ref else None,
            channel=dest.ident if dest.is_channel else None,
            detail=str(dest),
        )
