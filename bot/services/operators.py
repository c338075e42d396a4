"""Who may change things with the team key: ``OPERATORS`` (user ids U…/W…, user-group ids S…).

User-group members come from Slack's ``usergroups.users.list`` (scope
``usergroups:read``) and are cached for a short while, so a change in the
group takes effect within ``ttl`` seconds without a Slack call per click.
"""

from __future__ import annotations

import asyncio
import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

logger = logging.getLogger(__name__)


def is_group_id(entry: str) -> bool:
    return entry.startswith("S")


class Operators:
    def __init__(
        self,
        entries: list[str],
        slack: AsyncWebClient | None,
        *,
        ttl: float = 60.0,
        clock=time.monotonic,
    ):
        self.users = frozenset(e for e in entries if not is_group_id(e))
        self.groups = tuple(e for e in entries if is_group_id(e))
        self._slack = slack
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = asyncio.Lock()

    @property
    def configured(self) -> bool:
        return bool(self.users or self.groups)

    async def is_operator(self, user_id: str) -> bool:
        if user_id in self.users:
            return True
        for group in self.groups:
            if user_id in await self._members(group):
                return True
        return False

    async def _members(self, group: str) -> frozenset[str]:
        now = self._clock()
        hit = self._cache.get(group)
        if hit and hit[0] > now:
            return hit[1]
        async with self._lock:
            hit = self._cache.get(group)
            if hit and hit[0] > self._clock():
                return hit[1]
            members, ok = await self._fetch(group, stale=hit[1] if hit else None)
            ttl = self._ttl if ok else min(self._ttl, 5.0)  # retry a failed read soon
            self._cache[group] = (self._clock() + ttl, members)
            return members

    async def _fetch(
        self, group: str, *, stale: frozenset[str] | None
    ) -> tuple[frozenset[str], bool]:
        if self._slack is None:
            return frozenset(), False
        try:
            resp = await self._slack.usergroups_users_list(usergroup=group)
            return frozenset(resp.get("users") or []), True
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else "unknown"
            logger.warning("operators: cannot read user group %s: %s", group, error)
        except Exception as exc:  # noqa: BLE001 - Slack unreachable: keep what we knew, else nobody
            logger.warning("operators: cannot read user group %s: %s", group, type(exc).__name__)
        return (stale if stale is not None else frozenset()), False
