"""The rename modal's submission: validate inline, close, rename, tell the person."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.errors import answering_in, tell_user
from bot.ids import Action, Block
from bot.payloads import BadPayload, RenameMeta, decode
from bot.render.job_card import job_card
from bot.render.modal import name_problem
from bot.render.notices import notice, renamed_note, renamed_text
from bot.services import jobs
from bot.services.jobs import changer_for
from bot.values import Change

logger = logging.getLogger(__name__)

STALE = "This form is out of date. Close it and press Rename on the job again."


def submitted_name(view: dict[str, Any]) -> str | None:
    values = (view.get("state") or {}).get("values") or {}
    return ((values.get(Block.RENAME_NAME) or {}).get(Action.RENAME_INPUT) or {}).get("value")


async def on_rename_submit(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps
) -> None:
    view = body["view"]
    try:
        meta = decode(RenameMeta, view.get("private_metadata"))
    except BadPayload:
        await ack(response_action="errors", errors={Block.RENAME_NAME: STALE})
        return
    name = submitted_name(view)
    problem = name_problem(name)
    if problem:
        await ack(response_action="errors", errors={Block.RENAME_NAME: problem})
        return
    await ack()
    user = body["user"]["id"]
    async with answering_in(meta.channel_id):  # errors go where the person pressed Rename
        await _rename(client, deps, user, meta, name.strip())


async def _rename(
    client: AsyncWebClient, deps: Deps, user: str, meta: RenameMeta, name: str
) -> None:
    changer = await changer_for(
        deps.access, user, Change.RENAME, job_id=meta.job_id, channel=meta.channel_id
    )
    old, job = await changer.rename(meta.job_id, name)
    await tell_user(client, user, meta.channel_id, notice(renamed_text(old, job.name, job.id)))
    if meta.message_ts and meta.channel_id:  # the card the button was on: who renamed it, when
        card = job_card(
            job,
            now=jobs.now(),
            notes=[renamed_note(user, jobs.now())],
            subscribed=await deps.subscribing.is_subscribed(user, job.id),
        )
        try:
            await client.chat_update(channel=meta.channel_id, ts=meta.message_ts, **card)
        except SlackApiError as exc:
            logger.info("renamed card not updated (%s)", exc.response.get("error"))
