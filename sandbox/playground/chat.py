"""Message operations shared by the chat.* methods and response_url posts."""

from __future__ import annotations

import copy
import re
import time
from typing import TYPE_CHECKING, Any

from .blockcheck import check_message_blocks
from .world import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, Channel, SlackError

if TYPE_CHECKING:
    from .fake import FakeSlack

TEXT_TRUNCATE = 40_000
CONTENT_KEYS = ("text", "blocks", "attachments", "metadata")


def resolve_channel(fake: FakeSlack, ref: Any) -> Channel:
    """A channel id, a ``#name``, or a user id (meaning the bot's DM with them)."""
    if not ref or not isinstance(ref, str):
        raise SlackError("channel_not_found")
    with fake.lock:
        if ref[0] in "UW" and ref in fake.users:
            user = fake.users[ref]
            if user.deleted:
                raise SlackError("account_inactive")
            return fake.open_dm(ref)
        channel = fake.channels.get(ref) or fake.channel_by_name(ref)
        if channel is None:
            raise SlackError("channel_not_found")
        return channel


def check_postable(fake: FakeSlack, channel: Channel) -> None:
    """The errors Slack gives a bot posting where it cannot."""
    with fake.lock:
        if channel.is_archived:
            raise SlackError("is_archived")
        if channel.is_im:
            user = fake.users.get(channel.user or "")
            if user is None or user.deleted:
                raise SlackError("account_inactive")
            return
        if BOT_USER_ID not in channel.members:
            if channel.is_private:
                raise SlackError("channel_not_found")
            if not fake.chat_write_public:
                raise SlackError("not_in_channel")


def content(args: dict, *, require: bool = True) -> dict:
    """The message content of ``args``, validated as Slack does."""
    out = {k: copy.deepcopy(args[k]) for k in CONTENT_KEYS if args.get(k) not in (None, "")}
    if require and not any(k in out for k in ("text", "blocks", "attachments")):
        raise SlackError("no_text")
    check_message_blocks(out.get("blocks"))
    if "text" in out:
        out["text"] = str(out["text"])[:TEXT_TRUNCATE]
    meta = out.get("metadata")
    if meta is not None and (not isinstance(meta, dict) or "event_type" not in meta):
        raise SlackError("invalid_metadata_format")
    return out


def post_message(fake: FakeSlack, channel: Channel, args: dict) -> dict:
    body = content(args)
    with fake.lock:
        msg: dict[str, Any] = {
            "type": "message",
            "ts": fake.next_ts(),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "channel": channel.id,
            "text": "",
            **body,
        }
        thread_ts = args.get("thread_ts")
        if thread_ts:
            parent = _find(fake, channel.id, str(thread_ts))
            if parent is None:
                raise SlackError("thread_not_found")
            msg["thread_ts"] = parent["ts"]
            parent.setdefault("thread_ts", parent["ts"])
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            parent["latest_reply"] = msg["ts"]
            parent["reply_users"] = sorted(set(parent.get("reply_users", [])) | {BOT_USER_ID})
            if _truthy(args.get("reply_broadcast")):
                msg["subtype"] = "thread_broadcast"
        fake._messages.setdefault(channel.id, []).append(msg)
        fake._touch()
        return copy.deepcopy(msg)


def update_message(fake: FakeSlack, channel_id: str, ts: str, args: dict) -> dict:
    body = content(args, require=False)
    with fake.lock:
        msg = _find(fake, channel_id, ts) or _find_ephemeral(fake, channel_id, ts)
        if msg is None:
            raise SlackError("message_not_found")
        if msg.get("user") != BOT_USER_ID and not msg.get("is_ephemeral"):
            raise SlackError("cant_update_message")
        if "blocks" in args and "blocks" not in body:
            msg.pop("blocks", None)  # blocks=[] clears them, as Slack does
        msg.update(body)
        msg["edited"] = {"user": BOT_USER_ID, "ts": fake.next_ts()}
        fake._touch()
        return copy.deepcopy(msg)


def delete_message(fake: FakeSlack, channel_id: str, ts: str) -> None:
    with fake.lock:
        for store in (fake._messages.get(channel_id, []), fake._ephemerals):
            for i, m in enumerate(store):
                if m["ts"] == ts and m["channel"] == channel_id:
                    del store[i]
                    fake._touch()
                    return
    raise SlackError("message_not_found")


def post_ephemeral(
    fake: FakeSlack, channel: Channel, user: str, args: dict, *, from_slack: bool = False
) -> dict:
    """A message only ``user`` sees; ``from_slack`` marks Slack's own notes (not the app's)."""
    body = content(args)
    with fake.lock:
        msg = {
            "type": "message",
            "ts": fake.next_ts(),
            "user": user,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "channel": channel.id,
            "is_ephemeral": True,
            "text": "",
            **body,
        }
        if from_slack:
            msg.update(from_slack=True, bot_id=None, app_id=None)
        if args.get("thread_ts"):
            msg["thread_ts"] = str(args["thread_ts"])
        fake._ephemerals.append(msg)
        fake._touch()
        return copy.deepcopy(msg)


def _find(fake: FakeSlack, channel_id: str, ts: str) -> dict | None:
    return next((m for m in fake._messages.get(channel_id, []) if m["ts"] == ts), None)


def _find_ephemeral(fake: FakeSlack, channel_id: str, ts: str) -> dict | None:
    return next((m for m in fake._ephemerals if m["channel"] == channel_id and m["ts"] == ts), None)


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes")


def apply_response_url(fake: FakeSlack, rid: str, body: dict) -> dict:
    """What Slack does with a POST to a response_url; returns the outcome for the record."""
    with fake.lock:
        info = fake._response_urls.get(rid)
        if info is None:
            raise SlackError("invalid_url")
        if time.monotonic() - info["created"] > 30 * 60:
            raise SlackError("expired_url")
        if info["uses"] >= 5:
            raise SlackError("used_url")
        info["uses"] += 1
        channel = fake.channels.get(info["channel"]) or fake.open_dm(info["user"])
        source = info.get("last_ts") or info.get("message_ts")
        if _truthy(body.get("delete_original")):
            if source is None:
                raise SlackError("cannot_delete_original")
            delete_message(fake, channel.id, source)
            return {"action": "deleted", "ts": source, "channel": channel.id}
        if _truthy(body.get("replace_original")) and source is not None:
            msg = update_message(fake, channel.id, source, body)
            return {"action": "replaced", "ts": msg["ts"], "channel": channel.id}
        if body.get("response_type") == "in_channel":
            msg = post_message(fake, channel, body)
            action = "in_channel"
        else:
            msg = post_ephemeral(fake, channel, info["user"], body)
            action = "ephemeral"
        if info.get("message_ts") is None:
            info["last_ts"] = msg["ts"]  # a later replace_original edits this reply
        return {"action": action, "ts": msg["ts"], "channel": channel.id}


def links_in(text: str) -> list[str]:
    """The links of a message as Slack stores them: ``<https://…>`` or ``<https://…|label>``."""
    return [m.group(1) for m in re.finditer(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>", text or "")]


def unfurl(fake: FakeSlack, channel_id: str, ts: str, unfurls: Any) -> dict:
    """chat.unfurl: attach previews to the links of a person's message (only its own links)."""
    if not isinstance(unfurls, dict) or not unfurls:
        raise SlackError("invalid_unfurls")
    with fake.lock:
        msg = _find(fake, channel_id, ts)
        if msg is None:
            raise SlackError("cannot_find_message")
        links = set(links_in(msg.get("text", "")))
        for url, preview in unfurls.items():
            if url not in links:
                raise SlackError("cannot_unfurl_url")
            if not isinstance(preview, dict) or not preview.get("blocks"):
                raise SlackError("invalid_unfurls")
            check_message_blocks(preview["blocks"])
        msg.setdefault("unfurls", {}).update(copy.deepcopy(unfurls))
        fake._touch()
        return copy.deepcopy(msg)


def escape(text: str) -> str:
    """What Slack stores for typed text: ``&``, ``<`` and ``>`` escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
