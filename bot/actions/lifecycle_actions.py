"""The job card's Start, Skip failed files and start, and Retry buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.payloads import JobRef, decode

from .common import action_value, channel_of, clicker, replace_source


async def on_start(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    card = await deps.lifecycle.start(clicker(body), ref.job_id, channel_of(body))
    await replace_source(body, respond, client, card)


async def on_skip_start(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    card = await deps.lifecycle.skip_and_start(clicker(body), ref.job_id, channel_of(body))
    await replace_source(body, respond, client, card)


async def on_retry(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    """The original's card is updated in place: "Retried by @x as <new job>"."""
    await ack()
    ref = decode(JobRef, action_value(body))
    card = await deps.lifecycle.retry(clicker(body), ref.job_id, channel_of(body))
    await replace_source(body, respond, client, card)
