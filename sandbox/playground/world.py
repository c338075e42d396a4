"""The fake workspace: its users, channels, recorded calls and injected faults."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

TEAM_ID = "T0DEMO"
TEAM_NAME = "Demo Workspace"
TEAM_DOMAIN = "demo"
APP_ID = "A0DATAJOBS"
BOT_ID = "B0DATAJOBS"
BOT_USER_ID = "U0DATAJOBS"
BOT_NAME = "datajobs"
DEFAULT_BOT_TOKEN = "xoxb-fake-playground-token"


class SlackError(Exception):
    """A Web API error: answered as ``{"ok": false, "error": code}``."""

    def __init__(self, error: str, **extra: Any):
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class User:
    id: str
    name: str
    real_name: str = ""
    deleted: bool = False
    is_bot: bool = False
    tz: str = "UTC"
    tz_offset: int = 0

    def to_api(self) -> dict:
        return {
            "id": self.id,
            "team_id": TEAM_ID,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name or self.name,
            "is_bot": self.is_bot,
            "tz": self.tz,
            "tz_offset": self.tz_offset,
            "profile": {"real_name": self.real_name or self.name, "display_name": self.name},
        }


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_archived: bool = False
    is_im: bool = False
    user: str | None = None  # the other person of a DM
    members: set[str] = field(default_factory=set)

    def to_api(self, viewer: str = BOT_USER_ID) -> dict:
        out: dict[str, Any] = {
            "id": self.id,
            "created": 1700000000,
            "is_archived": self.is_archived,
            "is_member": viewer in self.members or self.is_im,
        }
        if self.is_im:
            out.update(is_im=True, user=self.user, is_channel=False, is_private=True)
        else:
            out.update(
                name=self.name,
                is_channel=not self.is_private,
                is_group=self.is_private,
                is_private=self.is_private,
                is_im=False,
                num_members=len(self.members),
            )
        return out


@dataclass
class Call:
    """One Web API call as the fake saw it (the token is never kept)."""

    method: str
    args: dict
    response: dict
    ts: float
    status: int = 200


@dataclass
class Fault:
    method: str  # a Web API method, "response_url", or "*"
    error: str | None = None
    status: int | None = None
    retry_after: float | None = None
    count: int | None = None  # None: until removed / expired
    seconds: float | None = None  # active for this long after being added
    channel: str | None = None
    delay: float | None = None  # answer late (the call still takes effect)
    added: float = field(default_factory=time.monotonic)
    hits: int = 0

    def active(self) -> bool:
        if self.count is not None and self.hits >= self.count:
            return False
        return self.seconds is None or time.monotonic() - self.added < self.seconds

    def matches(self, method: str, args: dict) -> bool:
        if self.method not in ("*", method):
            return False
        if self.channel is not None and args.get("channel") != self.channel:
            return False
        return self.active()


def default_users() -> list[User]:
    return [
        User("U0ALICE", "alice", "Alice Adams", tz="Europe/Berlin", tz_offset=3600),
        User("U0BOB", "bob", "Bob Brown"),
        User("U0CAROL", "carol", "Carol Chen"),
        User(BOT_USER_ID, BOT_NAME, "datajobs", is_bot=True),
    ]


def default_channels() -> list[Channel]:
    people = {"U0ALICE", "U0BOB", "U0CAROL"}
    return [
        Channel("C0GENERAL", "general", members=people | {BOT_USER_ID}),
        Channel("C0DATAJOBS", "data-jobs", members=people | {BOT_USER_ID}),
        Channel("C0RANDOM", "random", members=set(people)),
        Channel("G0PRIVATE", "ml-private", is_private=True, members={"U0ALICE"}),
        Channel("C0ARCHIVED", "old-project", is_archived=True, members=people | {BOT_USER_ID}),
    ]
