"""The rename modal's submission: validate inline, close, rename, tell the person."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.ids import Action, Block
from bot.listening import answering_in
from bot.payloads import BadPayload, RenameMeta, decode
from bot.render.answers import answer
from bot.render.modal import name_problem
from bot.replies import tell_user
from bot.values import Actor

logger = logging.getLogger(__name__)

STALE = "This form is out of date. Close it and press Rename on the job again."


def submitted_name(view: dict[str, Any]) -> str | None:
    values = (view.get("state") or {}).get("values") or {}
    return ((values.get(Block.RENAME_NAME) or {}).get(Action.RENAME_INPUT) or {}).get("value")


async def on_rename_submit(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps, actor: Actor
) -> None:
    view = body["view"]
    try:
        meta = decode(RenameMeta, view.get("private_metadata"))
    except BadPayload:
        await ack(response_action="errors", errors={Block.RENAME_NAME: STALE})
        return
    name = submitted_name(view)
    problem = name_problem(name)
    if problem or name is None:
        await ack(response_action="errors", errors={Block.RENAME_NAME: problem or STALE})
        return
    await ack()
    actor = dataclasses.replace(actor, channel_id=meta.channel_id)  # where Rename was pressed
    async with answering_in(meta.channel_id):  # errors go there too
        await _rename(client, deps, actor, meta, name.strip())


async def _rename(
    client: AsyncWebClient, deps: Deps, actor: Actor, meta: RenameMeta, name: str
) -> None:
    renamed = await deps.jobs.rename(actor, meta.job_id, name)
    await tell_user(client, actor.user_id, meta.channel_id, answer(renamed))
    if meta.message_ts and meta.channel_id:  # the card the button was on: who renamed it, when
        card = await deps.jobs.renamed_card(actor, renamed)
        try:
            await client.chat_update(channel=meta.channel_id, ts=meta.message_ts, **answer(card))
        except SlackApiError as exc:
            logger.info("renamed card not updated (%s)", exc.response.get("error"))
