"""The buttons on App Home: each acts, then publishes the person's Home again with what it did.

A Home view has no channel and no response_url: a job's card goes to the person's DM with
the bot (its Messages tab), where its buttons work as on any card.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot import replies
from bot.deps import Deps
from bot.ids import Action
from bot.payloads import BadPayload, JobRef, LoginMeta, SubRef, decode
from bot.render.answers import answer, sentence
from bot.render.identity import NOT_STORED_NO_ENCRYPTION, login_modal
from bot.render.notices import home_note
from bot.values import Actor

from .common import action_id, action_value


async def _home(client: AsyncWebClient, deps: Deps, actor: Actor, note: str, *, fresh: bool):
    shown = await deps.home.view(actor, note, fresh=fresh)
    await replies.home(client, actor.user_id, answer(shown))


async def on_home_refresh(ack: AsyncAck, client: AsyncWebClient, deps: Deps, actor: Actor) -> None:
    await ack()
    await _home(client, deps, actor, "Refreshed.", fresh=True)


async def on_home_login(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps, actor: Actor
) -> None:
    await ack()
    if not deps.linking.can_store_keys:
        await _home(client, deps, actor, NOT_STORED_NO_ENCRYPTION, fresh=False)
        return
    meta = LoginMeta().encode()
    await client.views_open(trigger_id=body["trigger_id"], view=login_modal(private_metadata=meta))


async def on_home_job(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps, actor: Actor
) -> None:
    """Inspect, Start, Skip failed files and start, Retry: the card to the DM, Home updated."""
    await ack()
    ref = decode(JobRef, action_value(body))
    clicked = Action(action_id(body))
    jobs = deps.jobs
    run = {
        Action.HOME_INSPECT: jobs.card,
        Action.HOME_START: jobs.start,
        Action.HOME_SKIP_START: jobs.skip_and_start,
        Action.HOME_RETRY: jobs.retry,
    }[clicked]
    card = await run(actor, ref.job_id)
    await replies.to_dm(client, actor.user_id, answer(card))
    note = home_note(clicked, sentence(card))
    await _home(client, deps, actor, note, fresh=clicked is not Action.HOME_INSPECT)


async def on_home_unsubscribe(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps, actor: Actor
) -> None:
    """Home lists only the person's own DM subscriptions."""
    await ack()
    ref = decode(SubRef, action_value(body))
    if ref.dest != actor.dm:
        raise BadPayload("a Home subscription of another target")
    done = await deps.subscribing.unsubscribe(actor, ref.dest, ref.job_id, ref.key_ref)
    await _home(client, deps, actor, sentence(done), fresh=False)
