"""A list row's Inspect / Cancel (button, overflow menu or picker)."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.commands import ops
from bot.commands.subscribe_ops import is_subscribed
from bot.deps import Deps
from bot.payloads import RowAction, decode
from bot.render.job_card import job_card
from bot.render.notices import cancel_prompt

from .common import action_value, clicker, reply_new


async def on_row_action(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond,
                        deps: Deps, **_: Any) -> None:
    await ack()
    row = decode(RowAction, action_value(body))
    user = clicker(body)
    if row.op == "inspect":
        seekr = await deps.access.reader(user)
        subscribed = await is_subscribed(deps, user, row.job_id)
        await reply_new(respond, await ops.card_for(seekr, row.job_id, subscribed=subscribed))
        return
    seekr = await deps.access.writer(user, "cancel", job_id=row.job_id)
    job = await seekr.get_job(row.job_id)
    if job.cancellable:
        await reply_new(respond, cancel_prompt(job))
    else:
        await reply_new(respond, job_card(job, now=ops.now(), notes=[ops.not_cancellable(job)]))
