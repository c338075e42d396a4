"""Small typed values the bot passes around, each parsed and formatted in one place.

- ``Dest``: where notifications go, a person's DM or a channel (``u:<id>`` / ``c:<id>`` in Redis).
- ``KeyRef``: which SeekrFlow key a subscription polls with (``team`` / ``user:<id>``); never a key.
- ``Nid``: one notification, ``<job>|<status>|<occurrence>|<dest>``: the same transition always
  gets the same id, so a repeat is recognised.
- ``Change``: every change a person (or the watcher) makes; the permission check, the refusal
  text and the audit all speak it.
- ``JobSnapshot``: what a notification shows of a job, stored when the transition was seen.
- ``Subscription``: one target's subscription to a job (or to every job of a key).
- ``Identity``: who acts for a Slack user (their linked key, the team key, or nobody).
- ``Actor``: who asks, from where (user, channel, team, enterprise): built once per request at
  the edge and handed to every service.
- ``Quiet``: a snooze (until a time) or a mute (until undone) of one job, or of what a target's
  every-job subscriptions bring.
- ``Seen``: one line of a job's history: a status change, a target, and what the bot did.
- ``DailySummary``: when a target gets its daily summary.

No I/O here, and nothing of Slack's or Redis's clients.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from bot.seekrflow.models import JobStatus, JobType, SortBy, SortOrder

__all__ = ["JobStatus", "JobType", "SortBy", "SortOrder"]  # what a person types, as values

_SLACK_ID = re.compile(r"^[A-Z0-9]{2,30}$")


@dataclass(frozen=True, order=True)
class Dest:
    """A notification target: ``Dest.dm(user_id)`` or ``Dest.channel(channel_id)``."""

    kind: Literal["u", "c"]
    ident: str

    @classmethod
    def dm(cls, user_id: str) -> Dest:
        return cls("u", user_id)

    @classmethod
    def channel(cls, channel_id: str) -> Dest:
        return cls("c", channel_id)

    @classmethod
    def parse(cls, raw: str) -> Dest:
        """``u:U123`` / ``c:C123`` -> Dest; ValueError for anything else."""
        kind, sep, ident = str(raw).partition(":")
        if not sep or kind not in ("u", "c") or not _SLACK_ID.match(ident):
            raise ValueError(f"not a notification target: {str(raw)[:40]!r}")
        return cls(kind, ident)  # type: ignore[arg-type]

    @property
    def is_dm(self) -> bool:
        return self.kind == "u"

    @property
    def is_channel(self) -> bool:
        return self.kind == "c"

    @property
    def label(self) -> str:
        """How Slack shows it in mrkdwn: a user or channel mention token (ids only)."""
        return f"<@{self.ident}>" if self.is_dm else f"<#{self.ident}>"

    def __str__(self) -> str:
        return f"{self.kind}:{self.ident}"


@dataclass(frozen=True, order=True)
class KeyRef:
    """The SeekrFlow key a subscription polls with: the team key, or one person's linked key."""

    owner: str | None = None  # the Slack user id of a linked key; None for the team key

    @classmethod
    def user(cls, slack_user_id: str) -> KeyRef:
        return cls(slack_user_id)

    @classmethod
    def parse(cls, raw: str) -> KeyRef:
        """``team`` / ``user:U123`` -> KeyRef; ValueError for anything else."""
        raw = str(raw)
        if raw == "team":
            return TEAM
        kind, sep, owner = raw.partition(":")
        if kind != "user" or not sep or not _SLACK_ID.match(owner):
            raise ValueError(f"not a key reference: {raw[:40]!r}")
        return cls(owner)

    @property
    def is_team(self) -> bool:
        return self.owner is None

    def __str__(self) -> str:
        return "team" if self.owner is None else f"user:{self.owner}"


TEAM = KeyRef(None)


@dataclass(frozen=True)
class Nid:
    """A notification id; the Lua that enqueues notifications builds the same string."""

    job_id: str
    status: str
    occurrence: int
    dest: Dest

    @classmethod
    def parse(cls, raw: str) -> Nid:
        job, status, occ, dest = str(raw).split("|", 3)
        return cls(job, status, int(occ), Dest.parse(dest))

    def __str__(self) -> str:
        return f"{self.job_id}|{self.status}|{self.occurrence}|{self.dest}"


class Change(StrEnum):
    """What someone did (or was refused). Values are what the audit trail records."""

    RENAME = "rename"
    CANCEL = "cancel"
    SUBSCRIBE = "subscribe"  # a person's own DM
    UNSUBSCRIBE = "unsubscribe"
    SUBSCRIBE_CHANNEL = "subscribe_channel"
    UNSUBSCRIBE_CHANNEL = "unsubscribe_channel"
    LOGIN = "login"
    LOGOUT = "logout"
    PAUSE = "pause"  # a key stopped working, so the subscriptions made with it paused
    SNOOZE = "snooze"  # a person's own DM notifications (snooze, mute, and undoing them)
    SNOOZE_CHANNEL = "snooze_channel"
    SUMMARY = "summary"  # a person's own daily summary
    SUMMARY_CHANNEL = "summary_channel"
    START = "start"
    SKIP_FILES = "skip_files"  # remove a needs_review job's failed files (then start it)
    RETRY = "retry"  # clone a finished job and start the clone
    CLAIM = "claim"  # "I'm on it" for a job that needs review (and Unclaim)
    VIEW_SUBSCRIPTIONS = "view_subscriptions"  # a place's list of subscriptions

    @property
    def changes_jobs(self) -> bool:
        """Needs the right to change things: a linked key, or an operator with the team key."""
        return self in _CHANGING

    @property
    def audited_as(self) -> str:
        """The audit trail's action: subscribing a channel is a ``subscribe``."""
        return {
            Change.SUBSCRIBE_CHANNEL: "subscribe",
            Change.UNSUBSCRIBE_CHANNEL: "unsubscribe",
            Change.SNOOZE_CHANNEL: "snooze",
            Change.SUMMARY_CHANNEL: "summary",
        }.get(self, self.value)

    @property
    def verb(self) -> str:
        """How a refusal names it: "You can't <verb>"."""
        return _VERBS.get(self, self.value)

    @property
    def needs_key(self) -> bool:
        """False for what a person may do to their own DM with no key at all (stop, quiet, look)."""
        return self not in _KEYLESS

    @property
    def in_channel(self) -> Change:
        """The variant of this change made to a channel's notifications (itself when none)."""
        return _CHANNEL_VARIANT.get(self, self)

    @property
    def someone_elses(self) -> str:
        """The refusal when a person acts on another person's DM."""
        return _OTHERS.get(self, "That is someone else's; only they can change it.")


_CHANGING = frozenset(
    {
        Change.RENAME,
        Change.CANCEL,
        Change.SUBSCRIBE_CHANNEL,
        Change.UNSUBSCRIBE_CHANNEL,
        Change.SNOOZE_CHANNEL,
        Change.SUMMARY_CHANNEL,
        Change.START,
        Change.SKIP_FILES,
        Change.RETRY,
        Change.CLAIM,
    }
)
_KEYLESS = frozenset({Change.UNSUBSCRIBE, Change.SNOOZE, Change.LOGOUT, Change.VIEW_SUBSCRIPTIONS})
_CHANNEL_VARIANT = {
    Change.SUBSCRIBE: Change.SUBSCRIBE_CHANNEL,
    Change.UNSUBSCRIBE: Change.UNSUBSCRIBE_CHANNEL,
    Change.SNOOZE: Change.SNOOZE_CHANNEL,
    Change.SUMMARY: Change.SUMMARY_CHANNEL,
}
_OTHERS = {
    Change.SUBSCRIBE: "That is someone else's DM; only they can subscribe it.",
    Change.UNSUBSCRIBE: "That is someone else's subscription; only they can remove it.",
    Change.SNOOZE: "Those are someone else's notifications; only they can quiet them.",
    Change.SUMMARY: "That is someone else's daily summary; only they can change it.",
    Change.VIEW_SUBSCRIPTIONS: "That list is someone else's; only they can see it.",
}
_VERBS = {
    Change.CANCEL: "cancel this",
    Change.RENAME: "rename this",
    Change.SUBSCRIBE_CHANNEL: "subscribe a channel",
    Change.UNSUBSCRIBE_CHANNEL: "unsubscribe a channel",
    Change.SNOOZE_CHANNEL: "quiet a channel's notifications",
    Change.SUMMARY_CHANNEL: "set a channel's daily summary",
    Change.START: "start this",
    Change.SKIP_FILES: "remove this job's files",
    Change.RETRY: "retry this",
    Change.CLAIM: "claim this",
}


class _Stored(BaseModel):
    """Kept in Redis with short keys (the aliases); unknown keys are ignored."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_none=True)


class FileIssue(_Stored):
    """One failed file, as a notification shows it."""

    name: str = ""
    error: str = ""
    fix: str = ""


class JobSnapshot(_Stored):
    """What a notification shows of a job, taken when its new status was seen."""

    id: str
    name: str = ""
    status: str
    job_type: str | None = Field(default=None, alias="type")
    ran_s: float | None = None
    message: str | None = Field(default=None, alias="msg")
    files: list[FileIssue] = Field(default_factory=list)
    more_files: int = 0
    good_files: int | None = Field(default=None, alias="good")  # files that did not fail
    progress: float | None = Field(default=None, alias="pct")  # 0-100, while running
    eta_min: int | None = Field(default=None, alias="eta")
    step: str | None = None

    @classmethod
    def from_json(cls, raw: str | bytes) -> JobSnapshot:
        return cls.model_validate_json(raw)


DEFAULT_EVENTS: tuple[str, ...] = ("completed", "failed", "cancelled", "stopped", "needs_review")
"""What a subscription tells of unless ``events:`` says otherwise."""
KNOWN_EVENTS: tuple[str, ...] = tuple(s.value for s in JobStatus)


@dataclass(frozen=True)
class Subscription:
    dest: Dest
    job_id: str | None  # None = every job the key can see
    key_ref: KeyRef
    events: tuple[str, ...]
    by: str
    at_ms: int
    job_name: str | None = None
    broken: str | None = None  # why the target no longer takes messages

    @property
    def all_jobs(self) -> bool:
        return self.job_id is None


class Mode(StrEnum):
    PERSONAL = "personal"
    TEAM = "team"
    NONE = "none"


@dataclass(frozen=True)
class Identity:
    """Who acts for ``user_id``. ``api_key`` stays a SecretStr; repr never shows it."""

    user_id: str
    mode: Mode
    operator: bool = False
    account: str | None = None
    team_id: str | None = None
    api_key: SecretStr | None = None

    @property
    def key_ref(self) -> KeyRef | None:
        return {Mode.PERSONAL: KeyRef.user(self.user_id), Mode.TEAM: TEAM}.get(self.mode)

    @property
    def may_read(self) -> bool:
        return self.mode is not Mode.NONE

    def may(self, change: Change) -> bool:
        """Whether this identity may make ``change`` (a DM's owner is checked by ``Access``)."""
        if not change.changes_jobs:
            return self.may_read or not change.needs_key
        return self.mode is Mode.PERSONAL or (self.mode is Mode.TEAM and self.operator)


Where = Literal["dm", "here", "channel"]


def is_channel_id(channel_id: str | None) -> bool:
    """A channel (public ``C…`` or private ``G…``), not a DM (``D…``)."""
    return bool(channel_id) and str(channel_id)[:1] in ("C", "G")


@dataclass(frozen=True)
class Actor:
    """Who asks, from where: one per request, built at the edge from what Slack sent.

    ``channel_id`` is where they acted (None on Home, in a modal opened from Home);
    ``team_id`` / ``enterprise_id`` are the workspace and Grid organisation Slack named.
    """

    user_id: str
    channel_id: str | None = None
    team_id: str | None = None
    enterprise_id: str | None = None

    @property
    def dm(self) -> Dest:
        return Dest.dm(self.user_id)

    @property
    def channel(self) -> Dest | None:
        """The channel they acted in, as a place; None in a DM or with no channel."""
        if self.channel_id is None or not is_channel_id(self.channel_id):
            return None
        return Dest.channel(self.channel_id)

    def where(self) -> Dest:
        """The place they acted in: the channel, else their own DM with the bot."""
        return self.channel or self.dm

    def places(self) -> list[Dest]:
        """Where this person can look: their DM, and the channel they acted in."""
        return [self.dm] + ([self.channel] if self.channel else [])

    def place(self, where: Where, named: str | None = None) -> Dest:
        """Where notifications go: ``dm`` the person; ``here`` the channel acted in (in the
        bot's own DM: the person's DM); ``channel`` the ``named`` one."""
        return place_for(where, self.user_id, self.channel_id, named)


def place_for(where: Where, user_id: str, channel_id: str | None, named: str | None = None) -> Dest:
    """``Actor.place`` for a bare user and channel."""
    if where == "channel" and named:
        return Dest.channel(named)
    if where == "here" and channel_id and not channel_id.startswith("D"):
        return Dest.channel(channel_id)
    return Dest.dm(user_id)


ALL_SCOPE = "*"
"""A ``Quiet`` scope: what a target's every-job subscriptions bring (not its job ones)."""


@dataclass(frozen=True)
class Quiet:
    """A target's snooze (``until_ms``) or mute (``until_ms`` 0, until undone) of one job, or of
    its every-job subscriptions (``scope`` ``ALL_SCOPE``)."""

    dest: Dest
    scope: str
    until_ms: int
    by: str = ""
    at_ms: int = 0

    @property
    def muted(self) -> bool:
        return self.until_ms == 0

    def active(self, now_ms: int) -> bool:
        return self.muted or self.until_ms > now_ms


class Seen(StrEnum):
    """What the bot did with one status change for one target (a job's history)."""

    QUEUED = "queued"
    SENT = "sent"
    FILTERED = "filtered"
    SNOOZED = "snoozed"
    MUTED = "muted"
    PAUSED = "paused"
    CAUGHT_UP = "caught_up"
    BROKEN = "broken"
    FINISHED_FIRST = "finished_first"


@dataclass(frozen=True)
class HistoryEntry:
    at_ms: int
    status: str
    occurrence: int
    dest: Dest
    what: Seen
    channel: str = ""
    ts: str = ""
    via: str = ""  # sent as part of a summary: ``snooze`` / ``catchup``


_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class DailySummary:
    """A daily summary for ``dest`` at ``hour:minute`` in ``tz`` (an IANA zone name)."""

    dest: Dest
    hour: int
    minute: int
    tz: str = "UTC"
    by: str = ""

    @staticmethod
    def parse_clock(text: str) -> tuple[int, int]:
        """``9:00`` / ``17:30`` -> (hour, minute); ValueError otherwise."""
        m = _CLOCK.match(text.strip())
        if not m:
            raise ValueError(f"not a time of day: {text[:20]!r}")
        return int(m.group(1)), int(m.group(2))

    @property
    def clock(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"

    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def next_after(self, after_ms: int) -> int:
        """The first time (ms) strictly after ``after_ms`` that is ``hour:minute`` in ``tz``."""
        zone = self.zone()
        local = datetime.fromtimestamp(after_ms / 1000, zone)
        for days in range(0, 3):
            day = (local + timedelta(days=days)).date()
            at = datetime(day.year, day.month, day.day, self.hour, self.minute, tzinfo=zone)
            at_ms = int(at.timestamp() * 1000)
            if at_ms > after_ms:
                return at_ms
        raise AssertionError("unreachable: a day always has the time")  # pragma: no cover

    def day_of(self, at_ms: int) -> str:
        """The local date (``YYYYMMDD``) of a summary due at ``at_ms``: one summary per day."""
        return datetime.fromtimestamp(at_ms / 1000, self.zone()).strftime("%Y%m%d")

    def to_json(self) -> str:
        return json.dumps({"at": self.clock, "tz": self.tz, "by": self.by})

    @classmethod
    def from_json(cls, dest: Dest, raw: str) -> DailySummary:
        d = json.loads(raw)
        hour, minute = cls.parse_clock(str(d["at"]))
        return cls(dest, hour, minute, str(d.get("tz") or "UTC"), str(d.get("by") or ""))
