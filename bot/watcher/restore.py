"""After the notification state went back in time: what Slack already shows is not posted again.

Redis restored from an older snapshot brings back, as still to be told,
notifications that are already in Slack, and job statuses from before changes
that were already told (the poller sees those changes again and records the
very same notification ids). ``bot.store.lua_restore`` notices it atomically
with every post and opens a *restore window*; while it lasts, each target's
queued notifications are looked for in its conversation (the message metadata
the bot writes on every notification) since the old clock, and those found are
marked sent instead of being posted. A job's thread root found there is kept,
so later events of the job still go into its thread.

Each conversation (and each job thread) is read once per window and replica:
messages the bot posts after that are recorded in Redis as usual.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.store import RestoreWindow

from .messages import nids_in, root_in

logger = logging.getLogger(__name__)

HISTORY_PAGES = 10  # of 200 messages: a conversation busier than 2,000 messages is read in part
THREAD_PAGES = 5
MAX_SCANS = 512  # conversations and threads remembered per window


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass
class Seen:
    """What one conversation (or thread) shows of the bot's notifications."""

    nids: dict[str, str] = field(default_factory=dict)  # nid -> ts of the message holding it
    roots: dict[str, str] = field(default_factory=dict)  # job id -> ts of its thread's root
    complete: bool = True  # False: read in part (too long, or unreadable)

    def add(self, other: Seen) -> None:
        self.nids.update(other.nids)
        for job, ts in other.roots.items():
            self.roots.setdefault(job, ts)
        self.complete = self.complete and other.complete


class RestoreGuard:
    """This replica's view: the highest post counter it saw, and the open window (if any)."""

    def __init__(self, slack: AsyncWebClient):
        self.slack = slack
        self.highest = 0
        self.window: RestoreWindow | None = None
        self._scans: dict[tuple[str, str], Seen] = {}
        self._told: set[str] = set()

    def learn(self, generation: int, window: RestoreWindow | None, *, compared: bool) -> None:
        """A generation read from Redis; ``compared``: the script already held it against
        ``highest`` (so it is the truth now, even if lower)."""
        self.highest = generation if compared else max(self.highest, generation)
        if window is not None and (self.window is None or window.id != self.window.id):
            self._scans.clear()
            if window.id not in self._told:
                self._told.add(window.id)
                logger.warning(
                    "the notification state went back in time (%s); until %s every "
                    "notification is first looked for in its conversation since %s, and what "
                    "Slack already shows is not posted again",
                    _why(window),
                    _when(window.until_ms),
                    _when(window.since_ms),
                )
        if window is None and self.window is not None:
            self._scans.clear()
        self.window = window

    def active(self, now_ms: int) -> RestoreWindow | None:
        if self.window is not None and not self.window.active(now_ms):
            self.window = None
            self._scans.clear()
        return self.window

    def health(self, now_ms: int) -> dict:
        w = self.active(now_ms)
        if w is None:
            return {}
        return {
            "redis_restore": {
                "noticed_at": _when(w.at_ms),
                "why": _why(w),
                "checking_since": _when(w.since_ms),
                "checking_until": _when(w.until_ms),
            }
        }

    async def seen(self, window: RestoreWindow, channel: str, threads: list[str]) -> Seen | None:
        """The bot's notifications in ``channel`` and the given threads since the window's
        start. None: Slack could not be read just now (look again later)."""
        out = Seen()
        for thread in ["", *threads]:
            key = (channel, thread)
            part = self._scans.get(key)
            if part is None:
                part = await self._read(channel, thread, window.since_ms)
                if part is None:
                    return None
                if len(self._scans) >= MAX_SCANS:
                    self._scans.pop(next(iter(self._scans)))
                self._scans[key] = part
            out.add(part)
        return out

    async def _read(self, channel: str, thread: str, since_ms: int) -> Seen | None:
        oldest = f"{max(0.0, since_ms / 1000):.6f}"
        seen = Seen()
        cursor = None
        pages = THREAD_PAGES if thread else HISTORY_PAGES
        started = time.monotonic()
        for _ in range(pages):
            try:
                if thread:
                    resp = await self.slack.conversations_replies(
                        channel=channel,
                        ts=thread,
                        oldest=oldest,
                        limit=200,
                        cursor=cursor,
                        include_all_metadata=True,
                    )
                else:
                    resp = await self.slack.conversations_history(
                        channel=channel,
                        oldest=oldest,
                        limit=200,
                        cursor=cursor,
                        include_all_metadata=True,
                    )
            except SlackApiError as exc:
                error = exc.response.get("error") if exc.response is not None else None
                status = exc.response.status_code if exc.response is not None else None
                if error == "ratelimited" or status == 429 or (status or 0) >= 500:
                    return None
                # unreadable for good (no history scope, not a member): post without the check
                logger.warning(
                    "cannot read %s to look for notifications already posted (%s); "
                    "posting without that check",
                    channel,
                    error,
                )
                seen.complete = False
                return seen
            except Exception as exc:  # noqa: BLE001 - timeout, reset: look again later
                logger.info("could not read %s (%s)", channel, type(exc).__name__)
                return None
            for msg in resp.get("messages", []):
                ts = msg.get("ts", "")
                for nid in nids_in(msg):
                    seen.nids.setdefault(nid, ts)
                job = root_in(msg)
                if job and msg.get("thread_ts") in (None, ts):
                    seen.roots.setdefault(job, ts)
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        else:
            seen.complete = False
            logger.warning(
                "%s has more messages since %s than are read to look for notifications "
                "already posted; older ones may be posted again",
                channel,
                _when(since_ms),
            )
        logger.debug("read %s in %.2fs", channel, time.monotonic() - started)
        return seen


def _why(w: RestoreWindow) -> str:
    if w.reason == "generation":
        return "Redis went back to an older snapshot: its post counter is lower than seen"
    return (
        f"its last write was {w.gone_ms / 1000:.0f} s ago: Redis was restored from an older "
        "snapshot, or every replica was stopped that long"
    )
