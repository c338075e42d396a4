"""A list row's Inspect / Cancel (button, overflow menu or picker)."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.deps import Deps
from bot.payloads import RowAction, decode
from bot.render.job_card import job_card
from bot.render.notices import cancel_prompt, not_cancellable
from bot.services import jobs
from bot.values import Change

from .common import action_value, clicker, reply_new


async def on_row_action(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    row = decode(RowAction, action_value(body))
    user = clicker(body)
    if row.op == "inspect":
        seekr = await deps.access.reader(user)
        subscribed = await deps.subscribing.is_subscribed(user, row.job_id)
        await reply_new(respond, await jobs.card_for(seekr, row.job_id, subscribed=subscribed))
        return
    seekr, _ = await deps.access.writer(user, Change.CANCEL, job_id=row.job_id)
    job = await seekr.get_job(row.job_id)
    if job.cancellable:
        await reply_new(respond, cancel_prompt(job))
    else:
        await reply_new(respond, job_card(job, now=jobs.now(), notes=[not_cancellable(job)]))
