"""Snoozing and muting notifications, from a notification's menu or the subscriptions list.

A person quiets their own DM; a channel's notifications are quieted with the same right as
subscribing the channel (``Change.SNOOZE_CHANNEL``). "Until tomorrow 9:00" is in the person's
own time zone, asked of Slack (``users.info``) and kept for an hour.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import now_ms
from bot.outcomes import Quieted, Unquieted
from bot.payloads import QuietOp
from bot.store import Audit, QuietStore
from bot.values import ALL_SCOPE, Actor, Change, DailySummary, Dest, Quiet

from .access import Access

logger = logging.getLogger(__name__)

HOUR_MS = 3600 * 1000
MORNING = (9, 0)
TZ_TTL = 3600.0


def tomorrow_at(now_ms: int, tz: str, hour: int, minute: int) -> int:
    """Tomorrow's date in ``tz`` (from ``now_ms``) at ``hour:minute`` there, in ms."""
    zone = DailySummary(Dest.dm("U0"), hour, minute, tz).zone()
    day = datetime.fromtimestamp(now_ms / 1000, zone).date() + timedelta(days=1)
    return int(datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).timestamp() * 1000)


class TimeZones:
    """A person's IANA time zone from ``users.info`` (UTC when Slack can't say)."""

    def __init__(self, slack: AsyncWebClient):
        self._slack = slack
        self._cache: dict[str, tuple[float, str]] = {}

    async def of(self, user_id: str) -> str:
        hit = self._cache.get(user_id)
        if hit and time.monotonic() - hit[0] < TZ_TTL:
            return hit[1]
        tz = "UTC"
        try:
            user = (await self._slack.users_info(user=user_id)).get("user") or {}
            ZoneInfo(str(user.get("tz") or "UTC"))
            tz = str(user.get("tz") or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            tz = "UTC"
        except Exception as exc:  # noqa: BLE001 - UTC is a fine answer when Slack can't say
            logger.info("users.info for a time zone failed (%s)", type(exc).__name__)
            return tz  # not kept: asked again next time
        self._cache[user_id] = (time.monotonic(), tz)
        return tz


class Quieting:
    def __init__(self, access: Access, store: QuietStore, zones: TimeZones, audit: Audit):
        self.access = access
        self.store = store
        self.zones = zones
        self.audit = audit

    async def apply(
        self, actor: Actor, dest: Dest, job_id: str | None, op: QuietOp
    ) -> Quieted | Unquieted:
        """Snooze (``hour`` / ``morning``), mute, or undo (``unquiet``) ``job_id`` at ``dest``
        (None: what its every-job subscriptions bring)."""
        await self.access.authorize(actor, Change.SNOOZE, dest=dest, job=job_id)
        user_id = actor.user_id
        scope = job_id or ALL_SCOPE
        change = Change.SNOOZE.in_channel if dest.is_channel else Change.SNOOZE
        now = now_ms()
        name = await self.store.job_name(dest, job_id) if job_id else ""
        if op == "unquiet":
            was, released = await self.store.unquiet(dest, scope)
            if was:
                await self._audit(change, user_id, scope, dest, "unquiet")
            return Unquieted(dest, scope, was=bool(was), released=released, name=name)
        tz = await self.zones.of(user_id)
        if op == "hour":
            until = now + HOUR_MS
        elif op == "morning":
            until = tomorrow_at(now, tz, *MORNING)
        else:
            until = 0
        q = Quiet(dest, scope, until, by=user_id, at_ms=now)
        await self.store.quiet(q)
        await self._audit(change, user_id, scope, dest, op)
        return Quieted(q, tz, name=name)

    async def _audit(self, change: Change, user: str, scope: str, dest: Dest, op: str) -> None:
        await self.audit.record(
            change,
            user,
            job_id=scope if scope != ALL_SCOPE else "all",
            channel=dest.ident if dest.is_channel else None,
            detail=f"{op} {dest}",
        )
