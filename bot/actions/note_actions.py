"""A notification's own buttons: Retry (failed), Claim / Unclaim and Skip failed files and
start (needs review). The answer goes to the clicker; a claim updates the notification."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.payloads import JobRef, decode

from .common import action_value, channel_of, clicker, replace_source, reply_new


async def on_note_retry(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    await reply_new(
        respond, await deps.lifecycle.retry(clicker(body), ref.job_id, channel_of(body))
    )


async def on_note_skip(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    card = await deps.lifecycle.skip_and_start(clicker(body), ref.job_id, channel_of(body))
    await reply_new(respond, card)


async def _claim(body, respond, client, deps: Deps, *, claim: bool) -> None:
    ref = decode(JobRef, action_value(body))
    ts = (body.get("container") or {}).get("message_ts")
    shown = await deps.claiming.set(
        clicker(body), ref.job_id, channel_of(body), claim=claim, message_ts=ts
    )
    if shown is not None:
        await replace_source(body, respond, client, shown)


async def on_note_claim(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    await ack()
    await _claim(body, respond, client, deps, claim=True)


async def on_note_unclaim(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    await ack()
    await _claim(body, respond, client, deps, claim=False)
