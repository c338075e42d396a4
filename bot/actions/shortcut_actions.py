"""The message shortcut "Inspect data jobs": the cards of the jobs a message names.

Each card goes to the person alone, in the conversation the message is in (through the
shortcut's response_url, so it works where the bot is not a member); where that is not
possible, the jobs are shown in a modal.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.refs import ids_in
from bot.render.job_card import job_card
from bot.render.notices import notice
from bot.render.unfurl import NO_IDS, job_preview, jobs_modal, missing_text
from bot.seekrflow import JobNotFound
from bot.services import jobs

from .common import clicker

logger = logging.getLogger(__name__)


def _texts(message: dict[str, Any]) -> list[str]:
    return [
        str(message.get("text") or ""),
        json.dumps(message.get("blocks") or []),
        json.dumps(message.get("attachments") or []),
    ]


async def _ephemeral(respond: AsyncRespond, msg: dict[str, Any]) -> None:
    """To the person alone, where the message is; Slack's refusal raises (then: a modal)."""
    answer = await respond(**msg, response_type="ephemeral", replace_original=False)
    status = getattr(answer, "status_code", 200)
    if status >= 400:
        raise LookupError(f"response_url answered {status}")


async def on_inspect_message(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    await ack()
    user = clicker(body)
    ids = ids_in(*_texts(body.get("message") or {}))
    if not ids:
        await respond(**NO_IDS, response_type="ephemeral")
        return
    seekr = await deps.access.reader(user)
    found = await asyncio.gather(*(seekr.get_job(i) for i in ids), return_exceptions=True)
    for f in found:
        if isinstance(f, BaseException) and not isinstance(f, JobNotFound):
            raise f  # a rejected key or SeekrFlow down: said as for any command
    shown = [j for j in found if not isinstance(j, BaseException)]
    missing = len(found) - len(shown)
    try:
        if respond is None or not body.get("response_url"):
            raise LookupError("no response_url")
        for job in shown:
            subscribed = await deps.subscribing.is_subscribed(user, job.id)
            await _ephemeral(respond, job_card(job, now=jobs.now(), subscribed=subscribed))
        if missing:
            await _ephemeral(respond, notice(missing_text(missing)))
    except Exception as exc:  # noqa: BLE001 - no ephemeral here: a modal instead
        logger.info("shortcut cards as a modal (%s)", type(exc).__name__)
        view = jobs_modal([job_preview(j) for j in shown], missing)
        await client.views_open(trigger_id=body["trigger_id"], view=view)
