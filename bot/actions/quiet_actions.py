"""A notification's menu (snooze, mute, why) and the subscriptions list's menu and pages."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.payloads import QuietRef, SubsPage, decode
from bot.services.access import NotAllowed
from bot.values import Dest

from .common import action_value, channel_of, clicker, replace_source, reply_new


def where_clicked(body: dict[str, Any]) -> Dest:
    """The place of the message clicked: a channel, or (in a DM with the bot) the clicker's DM."""
    channel = channel_of(body) or ""
    if channel[:1] in ("C", "G"):
        return Dest.channel(channel)
    return Dest.dm(clicker(body))


async def on_note_menu(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, deps: Deps
) -> None:
    """Snooze, mute or unquiet the notification's job where the notification is; or why."""
    await ack()
    ref = decode(QuietRef, action_value(body))
    user = clicker(body)
    dest = where_clicked(body)
    if ref.op == "why":
        channel = dest.ident if dest.is_channel else None
        await reply_new(respond, await deps.explaining.why(user, channel, ref.job_id or ""))
        return
    if ref.op == "unsubscribe":
        await reply_new(respond, await deps.subscribing.unsubscribe(user, dest, ref.job_id))
        return
    await reply_new(respond, await deps.quieting.apply(user, dest, ref.job_id, ref.op))


def _own_list(user: str, dest: Dest) -> None:
    if dest.is_dm and dest.ident != user:
        raise NotAllowed("That list is someone else's; only they can see it.")


async def on_subs_menu(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    """A subscriptions row's menu: snooze, mute, unquiet or unsubscribe; the list is updated in
    place with the answer on top."""
    await ack()
    ref = decode(QuietRef, action_value(body))
    user = clicker(body)
    dest = ref.dest or where_clicked(body)
    _own_list(user, dest)
    if ref.op == "unsubscribe":
        answer = await deps.subscribing.unsubscribe(user, dest, ref.job_id, ref.key_ref)
    elif ref.op == "why":
        await reply_new(
            respond, await deps.explaining.why(user, channel_of(body), ref.job_id or "")
        )
        return
    else:
        answer = await deps.quieting.apply(user, dest, ref.job_id, ref.op)
    listing = await deps.subscribing.listing(dest, note=answer.get("text"), user_id=user)
    await replace_source(body, respond, client, listing)


async def on_subs_page(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    await ack()
    ref = decode(SubsPage, action_value(body))
    user = clicker(body)
    _own_list(user, ref.dest)
    listing = await deps.subscribing.listing(ref.dest, page=ref.page, user_id=user)
    await replace_source(body, respond, client, listing)
