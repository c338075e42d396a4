"""The buttons on App Home: each acts, then publishes the person's Home again with what it did.

A Home view has no channel and no response_url: a job's card goes to the person's DM with
the bot (its Messages tab), where its buttons work as on any card.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.ids import Action
from bot.payloads import BadPayload, JobRef, LoginMeta, SubRef, decode
from bot.render.identity import NOT_STORED_NO_ENCRYPTION, login_modal
from bot.render.notices import home_note
from bot.services import jobs
from bot.values import Dest

from .common import action_value, clicker


async def _to_dm(client: AsyncWebClient, user: str, msg: dict[str, Any]) -> None:
    dm = await client.conversations_open(users=user)
    await client.chat_postMessage(channel=dm["channel"]["id"], **msg)


async def on_home_refresh(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps):
    await ack()
    await deps.home.changed(client, clicker(body), "Refreshed.")


async def on_home_login(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps):
    await ack()
    user = clicker(body)
    if not deps.access.keystore.available:
        await deps.home.publish(client, user, NOT_STORED_NO_ENCRYPTION)
        return
    meta = LoginMeta().encode()
    await client.views_open(trigger_id=body["trigger_id"], view=login_modal(private_metadata=meta))


async def on_home_job(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps):
    """Inspect, Start, Skip failed files and start, Retry: the card to the DM, Home updated."""
    await ack()
    user = clicker(body)
    ref = decode(JobRef, action_value(body))
    action_id = body["actions"][0]["action_id"]
    if action_id == Action.HOME_INSPECT:
        seekr = await deps.access.reader(user)
        subscribed = await deps.subscribing.is_subscribed(user, ref.job_id)
        card = await jobs.card_for(seekr, ref.job_id, subscribed=subscribed)
        await _to_dm(client, user, card)
        await deps.home.publish(client, user, home_note(action_id, card))
        return
    life = deps.lifecycle
    run = {
        Action.HOME_START: life.start,
        Action.HOME_SKIP_START: life.skip_and_start,
        Action.HOME_RETRY: life.retry,
    }[Action(action_id)]
    card = await run(user, ref.job_id, None)
    await _to_dm(client, user, card)
    await deps.home.changed(client, user, home_note(action_id, card))


async def on_home_unsubscribe(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps
):
    await ack()
    user = clicker(body)
    ref = decode(SubRef, action_value(body))
    if ref.dest != Dest.dm(user):  # Home lists only the person's own DM subscriptions
        raise BadPayload("a Home subscription of another target")
    answer = await deps.subscribing.unsubscribe(user, ref.dest, ref.job_id, ref.key_ref)
    await deps.home.publish(client, user, answer.get("text") or "Unsubscribed.")
