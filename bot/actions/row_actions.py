"""A list row's Inspect / Cancel (button, overflow menu or picker): a new card, to the clicker."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.deps import Deps
from bot.payloads import RowAction, decode
from bot.render.answers import answer
from bot.replies import ephemeral
from bot.values import Actor

from .common import action_value


async def on_row_action(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, deps: Deps, actor: Actor
) -> None:
    await ack()
    row = decode(RowAction, action_value(body))
    if row.op == "inspect":
        await ephemeral(respond, answer(await deps.jobs.card(actor, row.job_id)))
    else:
        await ephemeral(respond, answer(await deps.jobs.ask_cancel(actor, row.job_id)))
