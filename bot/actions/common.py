"""Helpers every button handler uses: who clicked, what they clicked, where to answer."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient


def clicker(body: dict[str, Any]) -> str:
    return body["user"]["id"]


def channel_of(body: dict[str, Any]) -> str | None:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


def action_value(body: dict[str, Any]) -> str | None:
    """A button's value or a select's / overflow's chosen value (untrusted)."""
    action = (body.get("actions") or [{}])[0]
    selected = action.get("selected_option") or {}
    return selected.get("value") or action.get("value")


def action_block_id(body: dict[str, Any]) -> str:
    return (body.get("actions") or [{}])[0].get("block_id") or ""


async def replace_source(
    body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, msg: dict[str, Any]
) -> None:
    """Update the message the button was on, in place."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("is_ephemeral") or not (channel and ts):
        await respond(**msg, replace_original=True)
    else:
        await client.chat_update(channel=channel, ts=ts, **msg)


async def reply_new(respond: AsyncRespond, msg: dict[str, Any]) -> None:
    """A new ephemeral message to the person who clicked."""
    await respond(**msg, response_type="ephemeral", replace_original=False)
