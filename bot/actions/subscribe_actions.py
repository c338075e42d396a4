"""The job card's Subscribe / Unsubscribe button and the ``subscriptions`` list's Unsubscribe."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.payloads import JobRef, SubRef, decode
from bot.services import jobs
from bot.values import DEFAULT_EVENTS, Dest

from .common import action_value, clicker, replace_source


async def _card_with_note(deps: Deps, user: str, job_id: str, answer: dict[str, Any]):
    seekr = await deps.access.reader(user)
    note = answer.get("text", "")
    return await jobs.card_for(
        seekr, job_id, notes=[note], subscribed=await deps.subscribing.is_subscribed(user, job_id)
    )


async def on_job_subscribe(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    """Subscribe the clicker's DM to the job, and show the card with the button flipped."""
    await ack()
    ref = decode(JobRef, action_value(body))
    user = clicker(body)
    answer = await deps.subscribing.subscribe(user, Dest.dm(user), ref.job_id, DEFAULT_EVENTS)
    await replace_source(
        body, respond, client, await _card_with_note(deps, user, ref.job_id, answer)
    )


async def on_job_unsubscribe(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    user = clicker(body)
    answer = await deps.subscribing.unsubscribe(user, Dest.dm(user), ref.job_id)
    await replace_source(
        body, respond, client, await _card_with_note(deps, user, ref.job_id, answer)
    )


async def on_list_unsubscribe(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    """Remove one row of the list, then show the list again, updated in place."""
    await ack()
    ref = decode(SubRef, action_value(body))
    user = clicker(body)
    answer = await deps.subscribing.unsubscribe(user, ref.dest, ref.job_id, ref.key_ref)
    await replace_source(
        body, respond, client, await deps.subscribing.listing(ref.dest, note=answer.get("text"))
    )
