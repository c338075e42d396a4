"""The message shortcut "Inspect data jobs": the cards of the jobs a message names.

Each card goes to the person alone, in the conversation the message is in (through the
shortcut's response_url, so it works where the bot is not a member); where that is not
possible, the jobs are shown in a modal.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.refs import ids_in
from bot.render.answers import answer, missing
from bot.render.unfurl import NO_IDS, job_preview, jobs_modal
from bot.replies import ephemeral, ephemeral_or_raise
from bot.values import Actor

logger = logging.getLogger(__name__)


def _texts(message: dict[str, Any]) -> list[str]:
    return [
        str(message.get("text") or ""),
        json.dumps(message.get("blocks") or []),
        json.dumps(message.get("attachments") or []),
    ]


async def on_inspect_message(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    ids = ids_in(*_texts(body.get("message") or {}))
    if not ids:
        await ephemeral(respond, NO_IDS)
        return
    found = await deps.jobs.cards_in(actor, ids)
    try:
        for card in found.cards:
            await ephemeral_or_raise(respond, body, answer(card))
        if found.missing:
            await ephemeral_or_raise(respond, body, missing(found.missing))
    except Exception as exc:  # noqa: BLE001 - no ephemeral here: a modal instead
        logger.info("shortcut cards as a modal (%s)", type(exc).__name__)
        view = jobs_modal([job_preview(c.job) for c in found.cards], found.missing)
        await client.views_open(trigger_id=body["trigger_id"], view=view)
