"""Subscriptions poll with the key of whoever made them; a key that stops working pauses them.

``KeyResolver`` turns a subscription's ``key_ref`` into a SeekrFlow client for
the watcher. When that key is gone (its owner logged out) or SeekrFlow answers
401/403 (revoked), the key_ref is marked dead in Redis (HSETNX: once), every
target of its subscriptions is told once — the owner's DM, or the channel —
and polling it stops making requests until the owner logs in again (which
revives it). The team key keeps being probed now and then, since whoever runs
the bot may fix it without anyone logging in. Only subscriptions made with the
dead key pause: a job also subscribed with another key stays watched with that
key, and its subscribers go on being notified.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from redis.asyncio import Redis

from bot.seekrflow import KeyRejected
from bot.store import keys

from .acting import TEAM_REF, Identities, KeyUnavailable, ref_owner
from .audit import Audit, AuditAction

logger = logging.getLogger(__name__)

TEAM_PROBE_EVERY = 300.0  # seconds between probes of a dead team key


def pause_text(key_ref: str, reason: str, count: int) -> str:
    owner = ref_owner(key_ref)
    whose = f"<@{owner}>'s SeekrFlow key" if owner else "the team's SeekrFlow key (SEEKR_API_KEY)"
    fix = (
        (
            f"<@{owner}> can `/datajobs login` again to resume them, or someone can "
            "`/datajobs subscribe` again with their own key."
        )
        if owner
        else ("They resume once whoever runs the bot fixes the key.")
    )
    subs = "1 job subscription here is" if count == 1 else f"{count} job subscriptions here are"
    return f":pause_button: {subs} paused: {whose} {reason}. {fix}"


class PauseNotices:
    """Finds the targets of a key_ref's subscriptions and tells each of them once."""

    def __init__(self, redis: Redis, slack: Any, audit: Audit):
        self._r = redis
        self._slack = slack
        self._audit = audit

    async def targets(self, key_ref: str) -> dict[str, int]:
        """dest -> how many of its subscriptions poll with ``key_ref`` (other keys' subscriptions
        to the same jobs go on)."""
        counts: dict[str, int] = {}
        for job_id in await self._r.zrange(keys.watch(key_ref), 0, -1):
            job_id = job_id.decode() if isinstance(job_id, bytes) else job_id
            for dest in await self._r.hkeys(keys.job_subs(job_id)):
                dest = dest.decode() if isinstance(dest, bytes) else dest
                rec = await self._r.hget(keys.dest_subs(dest), job_id)
                if rec is None or json.loads(rec).get("key_ref") != key_ref:
                    continue
                counts[dest] = counts.get(dest, 0) + 1
        for dest in await self._r.hkeys(keys.all_subs(key_ref)):
            dest = dest.decode() if isinstance(dest, bytes) else dest
            counts[dest] = counts.get(dest, 0) + 1
        return counts

    async def announce(
        self, key_ref: str, reason: str, *, skip: frozenset[str] = frozenset()
    ) -> int:
        """Tell every target once (the caller already won the HSETNX); returns how many.

        ``skip``: targets already told otherwise (the person who just logged out).
        """
        targets = await self.targets(key_ref)
        told = 0
        for dest, count in sorted(targets.items()):
            if dest in skip:
                continue
            kind, _, ident = dest.partition(":")
            try:
                await self._slack.chat_postMessage(
                    channel=ident, text=pause_text(key_ref, reason, count)
                )
                told += 1
            except Exception as exc:  # noqa: BLE001 - one unreachable target must not stop the rest
                logger.info("pause notice to %s not delivered (%s)", dest, type(exc).__name__)
        await self._audit.record(
            AuditAction.PAUSE,
            "watcher",
            identity=key_ref,
            detail=f"{reason}; {len(targets)} target(s), {told} told",
        )
        return told


class KeyResolver:
    """``await resolver(key_ref)`` -> SeekrFlow client, as the watcher's poller wants it."""

    def __init__(self, identities: Identities, notices: PauseNotices, *, clock=time.monotonic):
        self._ids = identities
        self._notices = notices
        self._clock = clock
        self._last_probe: dict[str, float] = {}

    async def __call__(self, key_ref: str):
        try:
            client = await self._ids.client_for_ref(key_ref)
        except KeyUnavailable:
            await self.key_stopped(key_ref, "is no longer linked (its owner logged out)")
            raise KeyRejected(f"no key for {key_ref}") from None
        if await self._ids.is_dead(key_ref):
            if key_ref != TEAM_REF or not self._probe_due(key_ref):
                raise KeyRejected(f"{key_ref} is paused")  # no request to SeekrFlow
            await client.list_jobs(limit=1)  # KeyRejected again: stays dead, nobody re-told
            await self._ids.revive(key_ref)
            logger.info("the team key works again; its subscriptions resume")
        return _Guarded(client, self, key_ref)

    def _probe_due(self, key_ref: str) -> bool:
        now = self._clock()
        if now - self._last_probe.get(key_ref, -TEAM_PROBE_EVERY) < TEAM_PROBE_EVERY:
            return False
        self._last_probe[key_ref] = now
        return True

    async def key_stopped(self, key_ref: str, reason: str) -> None:
        if await self._ids.mark_dead(key_ref, reason):
            logger.warning(
                "key %s stopped working (%s); pausing its subscriptions", key_ref, reason
            )
            await self._notices.announce(key_ref, reason)


class _Guarded:
    """Passes calls through; a 401/403 on any of them pauses the key_ref."""

    def __init__(self, client: Any, resolver: KeyResolver, key_ref: str):
        self._client, self._resolver, self._ref = client, resolver, key_ref

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        async def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return await attr(*args, **kwargs)
            except KeyRejected:
                await self._resolver.key_stopped(self._ref, "was rejected by SeekrFlow (revoked?)")
                raise

        return call

    def __repr__(self) -> str:
        return f"_Guarded({self._client!r}, {self._ref!r})"
