"""A notification's own buttons: Retry (failed), Claim / Unclaim and Skip failed files and
start (needs review). The card goes to the clicker alone; a claim updates the notification."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.payloads import JobRef, decode
from bot.render.answers import answer
from bot.replies import ephemeral, replace_source
from bot.values import Actor

from .common import action_value, clicked_ts


async def on_note_retry(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, deps: Deps, actor: Actor
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    await ephemeral(respond, answer(await deps.jobs.retry(actor, ref.job_id)))


async def on_note_skip(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, deps: Deps, actor: Actor
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    await ephemeral(respond, answer(await deps.jobs.skip_and_start(actor, ref.job_id)))


async def _claim(
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
    *,
    claim: bool,
) -> None:
    ref = decode(JobRef, action_value(body))
    ts = (body.get("container") or {}).get("message_ts") or clicked_ts(body)
    shown = await deps.claiming.set(actor, ref.job_id, claim=claim, message_ts=ts)
    if shown is not None:
        await replace_source(body, respond, client, answer(shown))


async def on_note_claim(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    await _claim(body, respond, client, deps, actor, claim=True)


async def on_note_unclaim(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    await _claim(body, respond, client, deps, actor, claim=False)
