"""The job card's Subscribe / Unsubscribe button and the ``subscriptions`` list's Unsubscribe."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.payloads import JobRef, SubRef, decode
from bot.render.answers import answer, sentence
from bot.replies import replace_source
from bot.values import DEFAULT_EVENTS, Actor

from .common import action_value


async def on_job_subscribe(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    """Subscribe the clicker's DM to the job, and show the card with the button flipped."""
    await ack()
    ref = decode(JobRef, action_value(body))
    done = await deps.subscribing.subscribe(actor, actor.dm, ref.job_id, DEFAULT_EVENTS)
    card = await deps.jobs.card(actor, ref.job_id, sentence(done))
    await replace_source(body, respond, client, answer(card))


async def on_job_unsubscribe(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    done = await deps.subscribing.unsubscribe(actor, actor.dm, ref.job_id)
    card = await deps.jobs.card(actor, ref.job_id, sentence(done))
    await replace_source(body, respond, client, answer(card))


async def on_list_unsubscribe(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    """Remove one row of the list, then show the list again, updated in place."""
    await ack()
    ref = decode(SubRef, action_value(body))
    done = await deps.subscribing.unsubscribe(actor, ref.dest, ref.job_id, ref.key_ref)
    listing = await deps.subscribing.listing(actor, ref.dest, note=sentence(done))
    await replace_source(body, respond, client, answer(listing))
