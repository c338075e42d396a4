"""The job card's Start, Skip failed files and start, and Retry buttons: the card updated
in place with what happened (Retry: "Retried by @x as <new job>" on the original's card)."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.payloads import JobRef, decode
from bot.render.answers import answer
from bot.replies import replace_source
from bot.values import Actor

from .common import action_value


async def on_start(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    await replace_source(body, respond, client, answer(await deps.jobs.start(actor, ref.job_id)))


async def on_skip_start(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    card = await deps.jobs.skip_and_start(actor, ref.job_id)
    await replace_source(body, respond, client, answer(card))


async def on_retry(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    await replace_source(body, respond, client, answer(await deps.jobs.retry(actor, ref.job_id)))
