"""Where an answer goes: the one module that knows how to reach the person.

- ``ephemeral``: to the person alone, where they acted (a command's or click's response_url);
- ``replace_source``: the message the button was on, updated in place;
- ``to_dm``: the person's DM with the bot (its Messages tab: from Home, which has no channel);
- ``tell_user``: ephemeral in a channel when there is one, else (or when that fails) the DM;
- ``home``: the person's App Home view;
- a modal is opened or updated by the listener itself, which holds the trigger.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

Message = dict[str, Any]


class NotDelivered(Exception):
    """Slack's response_url refused the answer (e.g. a conversation the bot cannot post to)."""


async def ephemeral(respond: Any, msg: Message, *, replace: bool = False) -> None:
    """A new ephemeral message to the person (``replace``: instead of the one clicked)."""
    await respond(**msg, response_type="ephemeral", replace_original=replace)


async def ephemeral_or_raise(respond: Any, body: dict[str, Any], msg: Message) -> None:
    """``ephemeral``, raising ``NotDelivered`` when there is no response_url or Slack says no."""
    if respond is None or not body.get("response_url"):
        raise NotDelivered("no response_url")
    answer = await respond(**msg, response_type="ephemeral", replace_original=False)
    status = getattr(answer, "status_code", 200)
    if status >= 400:
        raise NotDelivered(f"response_url answered {status}")


async def replace_source(body: dict[str, Any], respond: Any, client: Any, msg: Message) -> None:
    """Update the message the button was on, in place."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("is_ephemeral") or not (channel and ts):
        await respond(**msg, replace_original=True)
    else:
        await client.chat_update(channel=channel, ts=ts, **msg)


async def to_dm(client: Any, user_id: str, msg: Message) -> None:
    dm = await client.conversations_open(users=user_id)
    await client.chat_postMessage(channel=dm["channel"]["id"], **msg)


async def tell_user(client: Any, user_id: str, channel_id: str | None, msg: Message) -> None:
    """Ephemeral where the person was; a DM when that fails or there is no channel."""
    if channel_id:
        try:
            await client.chat_postEphemeral(channel=channel_id, user=user_id, **msg)
            return
        except Exception as exc:  # noqa: BLE001 - fall back to a DM, whatever the reason
            logger.info("ephemeral to %s failed (%s); sending a DM", channel_id, type(exc).__name__)
    await to_dm(client, user_id, msg)


async def home(client: Any, user_id: str, view: Message) -> None:
    await client.views_publish(user_id=user_id, view=view)
