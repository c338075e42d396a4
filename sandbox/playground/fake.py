"""FakeSlack: the in-process state of the fake Slack workspace.

Thread-safe: the server mutates it on its own loop while tests read it from
another thread; every reader returns copies.
"""

from __future__ import annotations

import copy
import itertools
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from .world import (
    BOT_USER_ID,
    DEFAULT_BOT_TOKEN,
    Call,
    Channel,
    Fault,
    SlackError,
    User,
    default_channels,
    default_users,
)

RESPONSE_URL_USES = 5
RESPONSE_URL_TTL = 30 * 60.0


class FakeSlack:
    def __init__(
        self,
        *,
        bot_token: str = DEFAULT_BOT_TOKEN,
        base_url: str = "",
        chat_write_public: bool = False,
        trigger_ttl: float = 30.0,
    ):
        self.lock = threading.RLock()
        self.bot_token = bot_token
        self.base_url = base_url.rstrip("/")
        self.bot_user_id = BOT_USER_ID
        self.chat_write_public = chat_write_public
        self.trigger_ttl = trigger_ttl  # Slack's is 3 s; tests run on busy machines
        self.closing = threading.Event()  # set on shutdown: long-polls answer at once
        self.long_polls = 0  # pages waiting for a newer state right now
        self.hints: list[str] = []  # shown on the playground page (plain text)
        # the app manifest's unfurl_domains: links to these get a link_shared event
        self.unfurl_domains: list[str] = ["flow.seekr.com"]
        # the app's message shortcuts ({name, callback_id}), offered on each message's menu
        self.shortcuts: list[dict[str, str]] = []
        self._ids = itertools.count(1)
        self._last_ts = 0.0
        self.version = 0
        self.reset()

    # ---------------------------------------------------------------- world
    def reset(self) -> None:
        with self.lock:
            self.users: dict[str, User] = {u.id: u for u in default_users()}
            self.channels: dict[str, Channel] = {c.id: c for c in default_channels()}
            self.usergroups: dict[str, list[str]] = {"S0DATATEAM": ["U0ALICE", "U0BOB"]}
            self._messages: dict[str, list[dict]] = {}
            self._ephemerals: list[dict] = []
            self._views: dict[str, dict] = {}
            self._homes: dict[str, dict] = {}  # user -> the Home view published for them
            self._triggers: dict[str, dict] = {}
            self._response_urls: dict[str, dict] = {}
            self._response_posts: list[dict] = []
            self._calls: list[Call] = []
            self._faults: list[Fault] = []
            # the scopes the token was granted (every response's x-oauth-scopes header);
            # None: exactly those the app's manifest asks for
            self.scopes: list[str] | None = None
            # chat.postMessage per channel and second before Slack answers 429 (None: no limit)
            self.post_rate: float | None = None
            self._last_post: dict[str, float] = {}
            self._touch()

    def _touch(self) -> None:
        self.version += 1

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def next_ts(self) -> str:
        with self.lock:
            now = max(time.time(), self._last_ts + 0.000001)
            self._last_ts = now
            return f"{now:.6f}"

    def add_user(self, user_id: str, name: str, *, deleted: bool = False, **kw: Any) -> User:
        with self.lock:
            self.users[user_id] = User(user_id, name, deleted=deleted, **kw)
            self._touch()
            return self.users[user_id]

    def deactivate(self, user_id: str) -> None:
        with self.lock:
            self.users[user_id].deleted = True
            self._touch()

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_private: bool = False,
        members: set[str] | None = None,
        bot_member: bool = True,
    ) -> Channel:
        with self.lock:
            people = set(members if members is not None else {"U0ALICE", "U0BOB", "U0CAROL"})
            if bot_member:
                people.add(BOT_USER_ID)
            self.channels[channel_id] = Channel(
                channel_id, name, is_private=is_private, members=people
            )
            self._touch()
            return self.channels[channel_id]

    def archive(self, channel_id: str, archived: bool = True) -> None:
        with self.lock:
            self.channels[channel_id].is_archived = archived
            self._touch()

    def set_member(self, channel_id: str, user_id: str = BOT_USER_ID, member: bool = True) -> None:
        with self.lock:
            members = self.channels[channel_id].members
            (members.add if member else members.discard)(user_id)
            self._touch()

    def channel_by_name(self, name: str) -> Channel | None:
        name = name.lstrip("#")
        with self.lock:
            return next((c for c in self.channels.values() if c.name == name and not c.is_im), None)

    def open_dm(self, user_id: str) -> Channel:
        """The bot's DM with ``user_id`` (created on first use); errors as conversations.open."""
        with self.lock:
            user = self.users.get(user_id)
            if user is None or user.deleted:
                raise SlackError("user_not_found")
            if user.is_bot:
                raise SlackError("cannot_dm_bot")
            cid = "D" + user_id[1:]
            if cid not in self.channels:
                self.channels[cid] = Channel(
                    cid, "", is_im=True, user=user_id, members={user_id, BOT_USER_ID}
                )
                self._touch()
            return self.channels[cid]

    # ----------------------------------------------------------- recording
    def record(self, method: str, args: dict, response: dict, status: int = 200) -> None:
        with self.lock:
            clean = {k: v for k, v in args.items() if k != "token"}
            self._calls.append(
                Call(method, copy.deepcopy(clean), copy.deepcopy(response), time.time(), status)
            )
            self._touch()

    def calls(self, method: str | None = None) -> list[Call]:
        with self.lock:
            return [copy.deepcopy(c) for c in self._calls if method in (None, c.method)]

    def messages(self, channel: str) -> list[dict]:
        """Every message in ``channel`` (thread replies included), oldest first."""
        with self.lock:
            return copy.deepcopy(self._messages.get(channel, []))

    def all_messages(self) -> dict[str, list[dict]]:
        with self.lock:
            return copy.deepcopy(self._messages)

    def message(self, channel: str, ts: str) -> dict | None:
        with self.lock:
            for m in self._messages.get(channel, []):
                if m["ts"] == ts:
                    return copy.deepcopy(m)
            for m in self._ephemerals:
                if m["channel"] == channel and m["ts"] == ts:
                    return copy.deepcopy(m)
        return None

    def ephemerals(self, channel: str | None = None, user: str | None = None) -> list[dict]:
        with self.lock:
            return [
                copy.deepcopy(m)
                for m in self._ephemerals
                if channel in (None, m["channel"]) and user in (None, m["user"])
            ]

    @property
    def views(self) -> dict[str, dict]:
        with self.lock:
            return copy.deepcopy(self._views)

    def home(self, user: str) -> dict | None:
        """The App Home view last published for ``user``."""
        with self.lock:
            view = self._homes.get(user)
            return copy.deepcopy(view) if view else None

    def post_as(self, channel: str, user: str, text: str) -> dict:
        """A person posts ``text`` in ``channel`` (links written ``<url>`` as Slack stores them)."""
        with self.lock:
            msg = {"type": "message", "ts": self.next_ts(), "user": user, "channel": channel,
                   "team": "T0DEMO", "text": text}  # fmt: skip
            self._messages.setdefault(channel, []).append(msg)
            self._touch()
            return copy.deepcopy(msg)

    def open_views(self, user: str) -> list[dict]:
        """The modal stack ``user`` sees, bottom first."""
        with self.lock:
            return [
                copy.deepcopy(v)
                for v in self._views.values()
                if v["user"] == user and v.get("open")
            ]

    def response_url_posts(self, url: str | None = None) -> list[dict]:
        rid = url.rstrip("/").rsplit("/", 1)[-1] if url else None
        with self.lock:
            return [copy.deepcopy(p) for p in self._response_posts if rid in (None, p["id"])]

    def wait_for(
        self, predicate: Callable[[FakeSlack], Any], timeout: float = 15.0, interval: float = 0.05
    ) -> Any:
        """Poll until ``predicate(self)`` is truthy; return its value or raise TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate(self)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError("fake Slack never reached the expected state")
            time.sleep(interval)

    # -------------------------------------------------- interaction handles
    def new_trigger_id(self, user: str = "U0ALICE") -> str:
        with self.lock:
            tid = f"{next(self._ids)}.{secrets.token_hex(6)}"
            self._triggers[tid] = {"user": user, "created": time.monotonic()}
            return tid

    def take_trigger(self, trigger_id: str | None) -> dict:
        with self.lock:
            trig = self._triggers.get(trigger_id or "")
            if trig is None:
                raise SlackError("invalid_trigger_id")
            if time.monotonic() - trig["created"] > self.trigger_ttl:
                raise SlackError("expired_trigger_id")
            return trig

    def new_response_url(
        self,
        channel: str,
        user: str = "U0ALICE",
        *,
        message_ts: str | None = None,
        ephemeral: bool = False,
    ) -> str:
        """A response_url for an interaction in ``channel`` (optionally from a message)."""
        with self.lock:
            rid = secrets.token_hex(8)
            self._response_urls[rid] = {
                "channel": channel,
                "user": user,
                "message_ts": message_ts,
                "ephemeral": ephemeral,
                "uses": 0,
                "created": time.monotonic(),
            }
            return f"{self.base_url}/response/{rid}"

    def response_url_info(self, rid: str) -> dict | None:
        with self.lock:
            info = self._response_urls.get(rid)
            return dict(info) if info else None

    # --------------------------------------------------------------- faults
    def add_fault(
        self,
        method: str,
        *,
        error: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        count: int | None = None,
        seconds: float | None = None,
        channel: str | None = None,
        delay: float | None = None,
    ) -> Fault:
        fault = Fault(method, error, status, retry_after, count, seconds, channel, delay)
        with self.lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()

    def take_fault(self, method: str, args: dict) -> Fault | None:
        with self.lock:
            for fault in self._faults:
                if fault.matches(method, args):
                    fault.hits += 1
                    return fault
        return None
