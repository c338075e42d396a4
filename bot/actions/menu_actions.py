"""A notification's ⋯ menu (snooze, mute, unsubscribe, why) and the ``subscriptions`` list's
row menus and pages. Whose notifications they are is the service's to check."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.payloads import QuietRef, SubsPage, decode
from bot.render.answers import answer, sentence
from bot.replies import ephemeral, replace_source
from bot.values import Actor

from .common import action_value


async def on_note_menu(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, deps: Deps, actor: Actor
) -> None:
    """Snooze, mute or unquiet the notification's job where the notification is; or why."""
    await ack()
    ref = decode(QuietRef, action_value(body))
    dest = actor.where()
    if ref.op == "why":
        await ephemeral(respond, answer(await deps.explaining.why(actor, ref.job_id or "")))
    elif ref.op == "unsubscribe":
        await ephemeral(
            respond, answer(await deps.subscribing.unsubscribe(actor, dest, ref.job_id))
        )
    else:
        await ephemeral(respond, answer(await deps.quieting.apply(actor, dest, ref.job_id, ref.op)))


async def on_subs_menu(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    """A subscriptions row's menu: snooze, mute, unquiet or unsubscribe; the list is updated in
    place with what happened on top."""
    await ack()
    ref = decode(QuietRef, action_value(body))
    dest = ref.dest or actor.where()
    if ref.op == "why":
        await ephemeral(respond, answer(await deps.explaining.why(actor, ref.job_id or "")))
        return
    if ref.op == "unsubscribe":
        done: object = await deps.subscribing.unsubscribe(actor, dest, ref.job_id, ref.key_ref)
    else:
        done = await deps.quieting.apply(actor, dest, ref.job_id, ref.op)
    listing = await deps.subscribing.listing(actor, dest, note=sentence(done))
    await replace_source(body, respond, client, answer(listing))


async def on_subs_page(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    ref = decode(SubsPage, action_value(body))
    listing = await deps.subscribing.listing(actor, ref.dest, page=ref.page)
    await replace_source(body, respond, client, answer(listing))
