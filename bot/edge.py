"""The edge: what a request from outside must be before any of the bot looks at it.

In this order, for every POST to ``/slack/events``:
1. its signature and timestamp (``signed``), before a byte of the body is parsed:
   unsigned, badly signed or stale is refused (401) at once;
2. its body, parsed the way Bolt will parse it: anything that is not a form, or JSON
   that is not an object, is refused (400);
3. the fields the bot relies on, validated once, here (``shape_problem``): who sent it
   (``user``), where (``channel``), and what the handlers read (``trigger_id``,
   ``response_url``, ``actions``, ``view``, the command text). A slash command of the
   wrong shape gets a sentence back (Slack shows it to the person); anything else, 400.

Socket Mode payloads (already JSON objects) get the same check 3.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

MAX_BODY_BYTES = 1_000_000  # Slack's largest payloads (a big modal's state) are far below this

SLACK_ID = r"^[A-Z0-9]{2,30}$"
SlackId = Annotated[str, StringConstraints(pattern=SLACK_ID)]
Text = Annotated[str, StringConstraints(max_length=40_000)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]{1,2000}$")]
Short = Annotated[str, StringConstraints(max_length=300)]


class Malformed(Exception):
    """The body cannot be what Slack sends; ``reason`` says why in a few words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


MAX_AGE_S = 300  # Slack's own advice: refuse a request more than five minutes old


def signed(secret: bytes, body: bytes, timestamp: str, signature: str) -> bool:
    """Slack's v0 signature over the raw bytes (docs: "Verifying requests from Slack").

    Not slack-sdk's ``SignatureVerifier``: it decodes the body as UTF-8 before hashing, so a
    signed body that is not UTF-8 would look unsigned (401) instead of malformed (400).
    """
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    if abs(time.time() - int(timestamp)) > MAX_AGE_S:
        return False
    mac = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return hmac.compare_digest("v0=" + mac.hexdigest(), signature)


def new_ref() -> str:
    return secrets.token_hex(4)


def parse_body(body: bytes, content_type: str | None) -> dict[str, Any]:
    """The payload, as Bolt will read it (``slack_bolt.request.internals.parse_body``)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("not UTF-8") from None
    if not text:
        raise Malformed("empty body")
    try:
        if (content_type or "").split(";")[0].strip() == "application/json" or text.startswith("{"):
            payload: Any = json.loads(text)
        elif "payload" in text:
            payload = json.loads(dict(parse_qsl(text, keep_blank_values=True)).get("payload", ""))
        else:
            payload = dict(parse_qsl(text, keep_blank_values=True))
    except (ValueError, RecursionError):
        raise Malformed("unparseable payload") from None
    if not isinstance(payload, dict):
        raise Malformed("payload is not an object")
    return payload


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class _Who(_Shape):
    id: SlackId


class _Place(_Shape):
    id: SlackId


class _Container(_Shape):
    channel_id: SlackId | None = None
    message_ts: Short | None = None
    is_ephemeral: bool | None = None


class _Option(_Shape):
    value: Text


class _Action(_Shape):
    action_id: Short
    block_id: Short | None = None
    value: Text | None = None
    selected_option: _Option | None = None


class _ViewState(_Shape):
    values: dict[Short, dict[Short, dict[str, Any]]] = Field(default_factory=dict)


class _View(_Shape):
    id: Short
    type: Short
    callback_id: Short | None = None
    hash: Short | None = None
    private_metadata: Text | None = None
    state: _ViewState | None = None


class SlashCommand(_Shape):
    command: Short
    user_id: SlackId
    channel_id: SlackId | None = None
    team_id: SlackId | None = None
    text: Text = ""
    trigger_id: Short | None = None
    response_url: Url | None = None


class Interaction(_Shape):
    """A button, select or modal payload. A field that is present has its documented shape
    (an explicit null is refused: Bolt reads ``"type" in payload["view"]``)."""

    type: Short
    user: _Who
    channel: _Place | None = Field(default=None)
    container: _Container | None = Field(default=None)
    trigger_id: Short | None = Field(default=None)
    response_url: Url | None = Field(default=None)
    actions: list[_Action] | None = Field(default=None)
    view: _View | None = Field(default=None)
    message: dict[str, Any] | None = Field(default=None)


class SlackEvent(_Shape):
    type: Literal["url_verification", "event_callback", "app_rate_limited"]


def kind_of(payload: Mapping[str, Any]) -> str:
    """``command``, ``interaction`` or ``event``: what the payload says it is."""
    if "command" in payload:
        return "command"
    if payload.get("type") in ("url_verification", "event_callback", "app_rate_limited"):
        return "event"
    return "interaction"


def who_where(payload: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The Slack user and channel a payload comes from, when it says (for log lines)."""
    raw_event = payload.get("event")
    event: dict[str, Any] = raw_event if isinstance(raw_event, dict) else {}
    user = payload.get("user_id") or payload.get("user") or event.get("user")
    channel = payload.get("channel_id") or payload.get("channel") or event.get("channel")
    if isinstance(user, dict):
        user = user.get("id")
    if isinstance(channel, dict):
        channel = channel.get("id")
    ok = [v if isinstance(v, str) and re.match(SLACK_ID, v) else None for v in (user, channel)]
    return ok[0], ok[1]


_MODELS: dict[str, type[_Shape]] = {
    "command": SlashCommand,
    "interaction": Interaction,
    "event": SlackEvent,
}


def shape_problem(payload: Mapping[str, Any]) -> str | None:
    """None when the fields the bot relies on have the shapes Slack documents; else which
    field is wrong (a field name, never its value)."""
    try:
        _MODELS[kind_of(payload)].model_validate(payload)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "payload"
        return f"{kind_of(payload)}: {where}"
    return None


INCOMPLETE = (
    ":warning: Slack sent me an incomplete or damaged request (reference `{ref}`), so I did "
    "nothing. Try the command again; if it keeps happening, tell whoever runs the bot."
)
