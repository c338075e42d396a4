"""Which SeekrFlow client acts for a person, and whether they may change things.

- A person who linked their own key (``/datajobs login``) reads and changes
  with it — also when clicking a button on someone else's message or on a
  notification: the clicker's rights count, never the message author's.
- Otherwise the team key (``SEEKR_API_KEY``) reads for everyone; changing
  (rename, cancel, subscribing a channel) is allowed only to ``OPERATORS``.
  Everyone else gets ``NotAllowed`` before any SeekrFlow call is made.

``writer`` names the action, so the rules live here and nowhere else. Every
client ``writer`` hands out records its changes in the audit trail.
"""

from __future__ import annotations

from typing import Any

import httpx
from redis.asyncio import Redis

from bot.errors import NotAllowed
from bot.identity.acting import NO_KEY, Identities, Identity, build_identities, refusal
from bot.identity.audit import Audit, AuditAction, Outcome
from bot.identity.audited import AuditedClient
from bot.identity.pause import KeyResolver, PauseNotices
from bot.seekrflow import SeekrFlow
from bot.settings import Settings

NO_TEAM_KEY = NO_KEY


class Access:
    def __init__(
        self, settings: Settings, http: httpx.AsyncClient, *, redis: Redis, slack: Any = None
    ):
        self.identities: Identities = build_identities(settings, http, redis, slack)
        self.audit = Audit(redis)
        self.notices = PauseNotices(redis, slack, self.audit)
        #: key_ref -> client for the watcher; pauses (and tells once) when a key stops working
        self.key_resolver = KeyResolver(self.identities, self.notices)

    async def identity(self, user_id: str) -> Identity:
        """Who acts for ``user_id``: ``.mode``, ``.key_ref`` (subscriptions), ``.may(action)``."""
        return await self.identities.identify(user_id)

    async def reader(self, user_id: str) -> SeekrFlow:
        """The client that reads for ``user_id``."""
        identity = await self.identity(user_id)
        if not identity.may_read:
            raise NotAllowed(NO_KEY)
        return self.identities.client(identity)

    async def writer(
        self, user_id: str, action: str, *, job_id: str | None = None, channel: str | None = None
    ) -> SeekrFlow:
        """The client that changes things for ``user_id``; ``action`` is e.g. "cancel".

        Raises ``NotAllowed`` (and audits the refusal) without calling SeekrFlow.
        """
        identity = await self.identity(user_id)
        if not identity.may(action):
            await self.audit.record(
                _audit_action(action),
                user_id,
                outcome=Outcome.REFUSED,
                job_id=job_id,
                identity=identity.mode.value,
                channel=channel,
                detail="not an operator" if identity.may_read else "no key",
            )
            raise NotAllowed(refusal(action) if identity.may_read else NO_KEY)
        client = self.identities.client(identity)
        return AuditedClient(
            client, self.audit, actor=user_id, identity=identity.mode.value, channel=channel
        )  # type: ignore[return-value]


def _audit_action(action: str) -> str:
    if action.startswith("subscribe"):
        return AuditAction.SUBSCRIBE
    if action.startswith("unsubscribe"):
        return AuditAction.UNSUBSCRIBE
    return action
