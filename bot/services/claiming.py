"""Claim / Unclaim a job that needs review: "@x is on it", kept in Redis, shown on the
notification clicked, on the job's thread roots in channels, and on its job card.

Rights and audit as for cancel (``Change.CLAIM``): someone who may not change jobs is refused
before anything is stored.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.outcomes import ClaimShown
from bot.render.notification import render_notification
from bot.store import ClaimStore, JobMessages
from bot.values import Actor, Change

from .access import Access, NotAllowed

logger = logging.getLogger(__name__)


class Claiming:
    def __init__(
        self, access: Access, store: ClaimStore, messages: JobMessages, slack: AsyncWebClient
    ):
        self.access = access
        self.store = store
        self.messages = messages
        self.slack = slack

    async def set(
        self, actor: Actor, job_id: str, *, claim: bool, message_ts: str | None
    ) -> ClaimShown | None:
        """Claim (or unclaim) ``job_id``; the notification as the clicked message now reads
        (None when the bot keeps no snapshot of the job). The job's thread roots in channels
        are updated here."""
        user, channel = actor.user_id, actor.channel_id
        identity = await self.access.authorize(actor, Change.CLAIM, job=job_id)
        if claim:
            holder = await self.store.claim(job_id, user)
            if holder is not None:
                raise NotAllowed(f"<@{holder}> is already on it; they can unclaim it first.")
        else:
            await self.store.unclaim(job_id)
        await self.access.audit.record(
            Change.CLAIM,
            user,
            job_id=job_id,
            identity=identity.mode.value,
            channel=channel,
            after="claimed" if claim else "unclaimed",
        )
        snap = await self.messages.latest(job_id)
        if snap is None:
            return None
        by = user if claim else None
        roots = [r for d, r in (await self.messages.roots(job_id)).items() if d.is_channel]
        for root_channel, ts in roots:
            if ts == message_ts:
                continue
            try:
                body = render_notification(snap, thread_root=True, claimed_by=by)
                await self.slack.chat_update(channel=root_channel, ts=ts, **body)
            except Exception as exc:  # noqa: BLE001 - the claim is kept; the card shows it
                logger.info("a thread root did not show the claim (%s)", type(exc).__name__)
        is_root = any(ts == message_ts for _, ts in roots)
        return ClaimShown(snap, thread_root=is_root, claimed_by=by)

    async def holder(self, job_id: str) -> str | None:
        return await self.store.holder(job_id)
