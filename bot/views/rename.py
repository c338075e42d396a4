"""The rename modal's submission: validate inline, close, rename, tell the person."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import ops
from bot.commands.subscribe_ops import is_subscribed
from bot.deps import Deps
from bot.errors import tell_user
from bot.ids import Action, Block
from bot.payloads import BadPayload, RenameMeta, decode
from bot.render.job_card import job_card
from bot.render.modal import name_problem
from bot.render.notices import notice, renamed_note, renamed_text

logger = logging.getLogger(__name__)

STALE = "This form is out of date. Close it and press Rename on the job again."


def submitted_name(view: dict[str, Any]) -> str | None:
    values = (view.get("state") or {}).get("values") or {}
    return ((values.get(Block.RENAME_NAME) or {}).get(Action.RENAME_INPUT) or {}).get("value")


async def on_rename_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient,
                           deps: Deps, context: Any, **_: Any) -> None:
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
    context["reply_channel"] = meta.channel_id
    seekr = await deps.access.writer(user, "rename", job_id=meta.job_id, channel=meta.channel_id)
    old, job = await ops.rename(seekr, meta.job_id, name.strip())
    await tell_user(client, user, meta.channel_id, notice(renamed_text(old, job.name, job.id)))
    if meta.message_ts and meta.channel_id:  # the card the button was on: who renamed it, when
        card = job_card(job, now=ops.now(), notes=[renamed_note(user, ops.now())],
                        subscribed=await is_subscribed(deps, user, job.id))
        try:
            await client.chat_update(channel=meta.channel_id, ts=meta.message_ts, **card)
        except SlackApiError as exc:
            logger.info("renamed card not updated (%s)", exc.response.get("error"))
