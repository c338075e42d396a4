"""Subscribing and unsubscribing, shared by the commands and the buttons.

Rules: a DM subscription is the person's own and needs only read access; a
channel's subscription belongs to the channel and needs the right to change
things (``Change.SUBSCRIBE_CHANNEL`` / ``UNSUBSCRIBE_CHANNEL``). The bot checks
a channel can take its messages before subscribing it. Each subscription
records the key (``KeyRef``) the watcher polls it with.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Literal

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.render import subscriptions as R
from bot.render.text import clip
from bot.seekrflow import TERMINAL, SeekrFlow
from bot.store import Audit, History, QuietStore, SubscriptionStore
from bot.values import Change, Dest, HistoryEntry, KeyRef, Seen

from .access import Access, NotAllowed

logger = logging.getLogger(__name__)

Where = Literal["dm", "here", "channel"]
DEFAULT_BOT_NAME = "datajobs"


def place_for(where: Where, user_id: str, channel_id: str | None, named: str | None = None) -> Dest:
    """Where notifications go: ``dm`` the person; ``here`` the channel the command was typed
    in (in the bot's own DM: the person's DM); ``channel`` the ``named`` one."""
    if where == "channel" and named:
        return Dest.channel(named)
    if where == "here" and channel_id and not channel_id.startswith("D"):
        return Dest.channel(channel_id)
    return Dest.dm(user_id)


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

    async def _client(
        self, user_id: str, dest: Dest, change: Change, job_id: str | None
    ) -> tuple[SeekrFlow, KeyRef]:
        """The client that checks the job, and the key_ref the watcher polls with."""
        if dest.is_dm:
            identity = await self.access.identity(user_id)
            seekr = await self.access.reader(user_id)
        else:
            seekr, identity = await self.access.writer(
                user_id, change, job_id=job_id, channel=dest.ident
            )
        if identity.key_ref is None:  # pragma: no cover - reader/writer refuse first
            raise NotAllowed("No SeekrFlow key acts for you here.")
        return seekr, identity.key_ref

    async def subscribe(
        self, user_id: str, dest: Dest, job_id: str | None, events: tuple[str, ...]
    ) -> dict[str, Any]:
        change = Change.SUBSCRIBE if dest.is_dm else Change.SUBSCRIBE_CHANNEL
        seekr, key_ref = await self._client(user_id, dest, change, job_id)
        if dest.is_channel:
            problem = await self.channel_problem(dest.ident)
            if problem:
                return R.channel_problem(problem)
        if job_id is None:
            res = await self.store.subscribe_all(dest, events=events, key_ref=key_ref, by=user_id)
            await self._audit(change, user_id, None, dest, key_ref)
            return R.subscribed_all(dest, events, created=res.created, previous=res.previous_events)
        job = await seekr.get_job(job_id)  # an unknown job is refused here (JobNotFound)
        if job.status in TERMINAL:
            entry = HistoryEntry(int(time.time() * 1000), job.status, 0, dest, Seen.FINISHED_FIRST)
            await self.history.note(job.id, entry)
            return R.already_finished(job.id, job.name, job.status)
        res = await self.store.subscribe_job(dest, job, events=events, key_ref=key_ref, by=user_id)
        await self._audit(change, user_id, job.id, dest, key_ref)
        return R.subscribed(
            dest, job.id, job.name, events, created=res.created, previous=res.previous_events
        )

    async def unsubscribe(
        self, user_id: str, dest: Dest, job_id: str | None, key_ref: KeyRef | None = None
    ) -> dict[str, Any]:
        removed = await self.remove(user_id, dest, job_id, key_ref)
        return R.unsubscribed(dest, job_id, removed=removed)

    async def remove(
        self, user_id: str, dest: Dest, job_id: str | None, key_ref: KeyRef | None
    ) -> bool:
        """Remove one subscription (``job_id`` None = the every-job ones, of ``key_ref`` or all).

        Someone else's DM subscription is theirs alone to remove.
        """
        if dest.is_dm and dest.ident != user_id:
            raise NotAllowed("That is someone else's subscription; only they can remove it.")
        change = Change.UNSUBSCRIBE if dest.is_dm else Change.UNSUBSCRIBE_CHANNEL
        if dest.is_channel:
            _, identity = await self.access.writer(
                user_id, change, job_id=job_id, channel=dest.ident
            )
        else:
            identity = await self.access.identity(user_id)
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
            await self._audit(change, user_id, job_id, dest, identity.key_ref)
        return removed

    async def listing(
        self, dest: Dest, note: str | None = None, *, page: int = 0, user_id: str | None = None
    ) -> dict[str, Any]:
        """One page of ``dest``'s subscriptions with their snoozes; in a channel, also how many
        the person (``user_id``) has by DM."""
        own = None
        if dest.is_channel and user_id:
            own = await self.store.count(Dest.dm(user_id))
        dead = frozenset(await self.access.key_state.dead())
        return R.subscriptions_list(
            dest,
            await self.store.list(dest),
            broken=await self.store.broken_reason(dest),
            note=note,
            quiets=await self.quiet.of(dest),
            paused=dead,
            page=page,
            own=own,
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
