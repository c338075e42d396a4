"""The Web API methods the fake answers: name -> handler(fake, args) -> response fields."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import chat
from .views import views_open, views_publish, views_push, views_update
from .world import APP_ID, BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID, TEAM_NAME, SlackError

if TYPE_CHECKING:
    from .fake import FakeSlack

Handler = Callable[["FakeSlack", dict], dict]


def _need(args: dict, *names: str) -> None:
    for name in names:
        if args.get(name) in (None, ""):
            raise SlackError("invalid_arguments", errors=[f"missing required field: {name}"])


def _public(msg: dict) -> dict:
    out = {k: v for k, v in msg.items() if k not in ("channel", "is_ephemeral")}
    return out


def auth_test(fake: FakeSlack, args: dict) -> dict:
    return {
        "url": f"https://{TEAM_DOMAIN}.slack.com/",
        "team": TEAM_NAME,
        "user": "datajobs",
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def chat_post_message(fake: FakeSlack, args: dict) -> dict:
    _need(args, "channel")
    channel = chat.resolve_channel(fake, args["channel"])
    chat.check_postable(fake, channel)
    msg = chat.post_message(fake, channel, args)
    return {"channel": channel.id, "ts": msg["ts"], "message": _public(msg)}


def chat_update(fake: FakeSlack, args: dict) -> dict:
    _need(args, "channel", "ts")
    channel = chat.resolve_channel(fake, args["channel"])
    if channel.is_archived:
        raise SlackError("is_archived")
    msg = chat.update_message(fake, channel.id, str(args["ts"]), args)
    return {
        "channel": channel.id,
        "ts": msg["ts"],
        "text": msg.get("text", ""),
        "message": _public(msg),
    }


def chat_delete(fake: FakeSlack, args: dict) -> dict:
    _need(args, "channel", "ts")
    channel = chat.resolve_channel(fake, args["channel"])
    chat.delete_message(fake, channel.id, str(args["ts"]))
    return {"channel": channel.id, "ts": str(args["ts"])}


def chat_post_ephemeral(fake: FakeSlack, args: dict) -> dict:
    _need(args, "channel", "user")
    channel = chat.resolve_channel(fake, args["channel"])
    chat.check_postable(fake, channel)
    with fake.lock:
        if args["user"] not in channel.members and not channel.is_im:
            raise SlackError("user_not_in_channel")
    msg = chat.post_ephemeral(fake, channel, args["user"], args)
    return {"message_ts": msg["ts"]}


def chat_get_permalink(fake: FakeSlack, args: dict) -> dict:
    _need(args, "channel", "message_ts")
    channel = chat.resolve_channel(fake, args["channel"])
    ts = str(args["message_ts"])
    if fake.message(channel.id, ts) is None:
        raise SlackError("message_not_found")
    link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
    return {"channel": channel.id, "permalink": link}


def chat_unfurl(fake: FakeSlack, args: dict) -> dict:
    _need(args, "unfurls")
    if args.get("unfurl_id"):
        raise SlackError("not_implemented")  # this workspace sends channel and message_ts
    _need(args, "channel", "ts")
    channel = chat.resolve_channel(fake, args["channel"])
    chat.unfurl(fake, channel.id, str(args["ts"]), args["unfurls"])
    return {}


def conversations_open(fake: FakeSlack, args: dict) -> dict:
    if args.get("channel"):
        return {"channel": {"id": chat.resolve_channel(fake, args["channel"]).id}}
    _need(args, "users")
    users = [u for u in str(args["users"]).split(",") if u]
    if len(users) != 1:
        raise SlackError("not_implemented")  # group DMs are not part of this workspace
    channel = fake.open_dm(users[0])
    out: dict[str, Any] = {"channel": {"id": channel.id}}
    if chat._truthy(args.get("return_im")):
        out["channel"] = channel.to_api()
    return out


def conversations_info(fake: FakeSlack, args: dict) -> dict:
    _need(args, "channel")
    with fake.lock:
        channel = fake.channels.get(args["channel"])
        if channel is None or (channel.is_private and BOT_USER_ID not in channel.members):
            raise SlackError("channel_not_found")
        return {"channel": channel.to_api()}


def _visible(fake: FakeSlack, args: dict):
    _need(args, "channel")
    with fake.lock:
        channel = fake.channels.get(args["channel"])
        if channel is None or (
            not channel.is_im and channel.is_private and BOT_USER_ID not in channel.members
        ):
            raise SlackError("channel_not_found")
        if not channel.is_im and BOT_USER_ID not in channel.members:
            raise SlackError("not_in_channel")
        return channel


def _shape(msgs: list[dict], args: dict) -> list[dict]:
    keep_meta = chat._truthy(args.get("include_all_metadata"))
    out = []
    for m in msgs:
        m = _public(copy.deepcopy(m))
        if not keep_meta:
            m.pop("metadata", None)
        out.append(m)
    return out


def _page(msgs: list[dict], args: dict) -> tuple[list[dict], dict]:
    limit = max(1, min(int(args.get("limit") or 100), 999))
    start = int(args.get("cursor") or 0)
    page = msgs[start : start + limit]
    more = start + limit < len(msgs)
    meta = {
        "has_more": more,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }
    return page, meta


def conversations_history(fake: FakeSlack, args: dict) -> dict:
    channel = _visible(fake, args)
    msgs = [
        m
        for m in fake.messages(channel.id)
        if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
    ]
    incl = chat._truthy(args.get("inclusive"))
    if args.get("oldest"):
        lo = float(args["oldest"])
        msgs = [m for m in msgs if float(m["ts"]) > lo or (incl and float(m["ts"]) == lo)]
    if args.get("latest"):
        hi = float(args["latest"])
        msgs = [m for m in msgs if float(m["ts"]) < hi or (incl and float(m["ts"]) == hi)]
    page, meta = _page(list(reversed(msgs)), args)
    return {"messages": _shape(page, args), **meta}


def conversations_replies(fake: FakeSlack, args: dict) -> dict:
    channel = _visible(fake, args)
    _need(args, "ts")
    ts = str(args["ts"])
    msgs = fake.messages(channel.id)
    parent = next((m for m in msgs if m["ts"] == ts), None)
    if parent is None:
        raise SlackError("thread_not_found")
    root = parent.get("thread_ts", parent["ts"])
    thread = [m for m in msgs if m["ts"] == root or m.get("thread_ts") == root]
    incl = chat._truthy(args.get("inclusive"))
    if args.get("oldest"):  # the parent always comes first, as in Slack
        lo = float(args["oldest"])
        thread = [
            m
            for m in thread
            if m["ts"] == root or float(m["ts"]) > lo or (incl and float(m["ts"]) == lo)
        ]
    page, meta = _page(thread, args)
    return {"messages": _shape(page, args), **meta}


def users_info(fake: FakeSlack, args: dict) -> dict:
    _need(args, "user")
    with fake.lock:
        user = fake.users.get(args["user"])
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user.to_api()}


def usergroups_users_list(fake: FakeSlack, args: dict) -> dict:
    _need(args, "usergroup")
    with fake.lock:
        if args["usergroup"] not in fake.usergroups:
            raise SlackError("no_such_subteam")
        return {"users": list(fake.usergroups[args["usergroup"]])}


def apps_connections_open(fake: FakeSlack, args: dict) -> dict:
    raise SlackError("not_allowed_token_type")


METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.delete": chat_delete,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.getPermalink": chat_get_permalink,
    "chat.unfurl": chat_unfurl,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "users.info": users_info,
    "usergroups.users.list": usergroups_users_list,
    "views.open": views_open,
    "views.update": views_update,
    "views.push": views_push,
    "views.publish": views_publish,
    "apps.connections.open": apps_connections_open,
}

__all__ = ["APP_ID", "METHODS"]
