"""The job card's Refresh, Rename and Cancel buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.errors import user_message
from bot.payloads import JobRef, RenameMeta, decode
from bot.render.answers import answer
from bot.render.modal import rename_modal, unavailable_modal
from bot.replies import replace_source
from bot.values import Actor

from .common import action_value, clicked_ts


async def on_refresh(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    await replace_source(body, respond, client, answer(await deps.jobs.card(actor, ref.job_id)))


async def on_cancel(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    await replace_source(body, respond, client, answer(await deps.jobs.cancel(actor, ref.job_id)))


async def on_rename(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps, actor: Actor
) -> None:
    """Open the modal at once (the trigger expires in 3 s), then check the job's name."""
    await ack()
    ref = decode(JobRef, action_value(body))
    await deps.jobs.may_rename(actor, ref.job_id)
    meta = RenameMeta(
        job_id=ref.job_id,
        old_name=ref.name or "",
        channel_id=actor.channel_id,
        message_ts=clicked_ts(body),
    )
    opened = await client.views_open(
        trigger_id=body["trigger_id"], view=rename_modal(meta, ref.name or "")
    )
    view = opened.get("view") or {}
    try:
        name = await deps.jobs.rename_form(actor, ref.job_id)
    except Exception as exc:  # noqa: BLE001 - said in the open form, not as a second message
        await client.views_update(
            view_id=view.get("id"), hash=view.get("hash"), view=unavailable_modal(user_message(exc))
        )
        return
    if name != ref.name:
        fresh = meta.model_copy(update={"old_name": name[:255]})
        await client.views_update(
            view_id=view.get("id"), hash=view.get("hash"), view=rename_modal(fresh, name)
        )
