"""Subscriptions poll with the key of whoever made them; a key that stops working pauses them.

``KeyResolver`` turns a subscription's ``KeyRef`` into a SeekrFlow client for
the watcher. When that key is gone (its owner logged out) or SeekrFlow answers
401/403 (revoked), the key_ref is marked dead in Redis (once), every target of
its subscriptions is told once — the owner's DM, or the channel — and polling
it stops making requests until the owner logs in again (which revives it).
The team key keeps being probed now and then, since whoever runs the bot may
fix it without anyone logging in. Only subscriptions made with the dead key
pause: a job also subscribed with another key stays watched with that key,
and its subscribers go on being notified.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from bot.render.identity import pause_text
from bot.seekrflow import KeyRejected, SeekrFlow, Unavailable
from bot.store import Audit
from bot.values import Change, Dest, KeyRef

from .access import Access, KeyUnavailable

logger = logging.getLogger(__name__)

TEAM_PROBE_EVERY = 300.0  # seconds between probes of a dead team key
LOGGED_OUT = "is no longer linked (its owner logged out)"
REJECTED = "was rejected by SeekrFlow (revoked?)"


class PauseNotices:
    """Finds the targets of a key_ref's subscriptions and tells each of them once."""

    def __init__(self, access: Access, slack: Any, audit: Audit):
        self._access = access
        self._slack = slack
        self._audit = audit

    async def announce(
        self, key_ref: KeyRef, reason: str, *, skip: frozenset[Dest] = frozenset()
    ) -> int:
        """Tell every target once (the caller already won the mark); returns how many.

        ``skip``: targets already told otherwise (the person who just logged out).
        """
        targets = await self._access.key_state.targets(key_ref)
        told = 0
        for dest, count in sorted(targets.items()):
            if dest in skip:
                continue
            try:
                await self._slack.chat_postMessage(
                    channel=dest.ident, text=pause_text(key_ref, reason, count)
                )
                told += 1
            except Exception as exc:  # noqa: BLE001 - one unreachable target must not stop the rest
                logger.info("pause notice to %s not delivered (%s)", dest, type(exc).__name__)
        await self._audit.record(
            Change.PAUSE,
            "watcher",
            identity=str(key_ref),
            detail=f"{reason}; {len(targets)} target(s), {told} told",
        )
        return told

    async def key_stopped(self, key_ref: KeyRef, reason: str) -> None:
        if await self._access.key_state.mark_dead(key_ref, reason):
            logger.warning(
                "key %s stopped working (%s); pausing its subscriptions", key_ref, reason
            )
            await self.announce(key_ref, reason)


class KeyResolver:
    """``await resolver(key_ref)`` -> SeekrFlow client, as the watcher's poller wants it."""

    def __init__(
        self, access: Access, notices: PauseNotices, *, clock: Callable[[], float] = time.monotonic
    ):
        self._access = access
        self._notices = notices
        self._clock = clock
        self._last_probe: dict[KeyRef, float] = {}

    async def __call__(self, key_ref: KeyRef) -> SeekrFlow:
        async def pause(exc: KeyRejected) -> KeyRejected:
            await self._notices.key_stopped(key_ref, REJECTED)
            return exc

        try:
            client = await self._access.client_for_ref(key_ref, on_key_rejected=pause)
        except KeyUnavailable:
            if not key_ref.is_team and not self._access.keystore.available:
                # this replica runs without BOT_ENCRYPTION_KEY: the key may well be linked and
                # readable by the others, so nothing is paused; the poll is left to them
                logger.warning(
                    "cannot read the linked key of %s: BOT_ENCRYPTION_KEY is not set here",
                    key_ref,
                )
                raise Unavailable(f"{key_ref} cannot be read by this replica") from None
            await self._notices.key_stopped(key_ref, LOGGED_OUT)
            raise KeyRejected(f"no key for {key_ref}") from None
        if await self._access.key_state.is_dead(key_ref):
            if not key_ref.is_team or not self._probe_due(key_ref):
                raise KeyRejected(f"{key_ref} is paused")  # no request to SeekrFlow
            await client.list_jobs(limit=1)  # KeyRejected again: stays dead, nobody re-told
            await self._access.key_state.revive(key_ref)
            logger.info("the team key works again; its subscriptions resume")
        return client

    def _probe_due(self, key_ref: KeyRef) -> bool:
        now = self._clock()
        if now - self._last_probe.get(key_ref, -TEAM_PROBE_EVERY) < TEAM_PROBE_EVERY:
            return False
        self._last_probe[key_ref] = now
        return True
