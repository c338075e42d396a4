"""The job card's Refresh, Rename and Cancel buttons."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.errors import user_message
from bot.payloads import JobRef, RenameMeta, decode
from bot.render.modal import rename_modal, unavailable_modal
from bot.seekrflow import SeekrFlowError
from bot.services import jobs
from bot.services.jobs import changer_for
from bot.values import Change

from .common import action_value, channel_of, clicker, replace_source

logger = logging.getLogger(__name__)


async def on_refresh(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    seekr = await deps.access.reader(clicker(body))
    subscribed = await deps.subscribing.is_subscribed(clicker(body), ref.job_id)
    claimed = await deps.claiming.holder(ref.job_id)
    card = await jobs.card_for(seekr, ref.job_id, subscribed=subscribed, claimed_by=claimed)
    await replace_source(body, respond, client, card)


async def on_cancel(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, deps: Deps
) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    changer = await changer_for(
        deps.access, clicker(body), Change.CANCEL, job_id=ref.job_id, channel=channel_of(body)
    )
    await replace_source(body, respond, client, await changer.cancel(ref.job_id))


async def on_rename(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps
) -> None:
    """Open the modal at once (the trigger expires in 3 s), then check the job."""
    await ack()
    ref = decode(JobRef, action_value(body))
    user = clicker(body)
    seekr, _ = await deps.access.writer(
        user, Change.RENAME, job_id=ref.job_id, channel=channel_of(body)
    )
    container = body.get("container") or {}
    card_ts = None if container.get("is_ephemeral") else container.get("message_ts")
    meta = RenameMeta(
        job_id=ref.job_id, old_name=ref.name or "", channel_id=channel_of(body), message_ts=card_ts
    )
    opened = await client.views_open(
        trigger_id=body["trigger_id"], view=rename_modal(meta, ref.name or "")
    )
    view = opened.get("view") or {}
    try:
        job = await seekr.get_job(ref.job_id)
    except SeekrFlowError as exc:
        await client.views_update(
            view_id=view.get("id"), hash=view.get("hash"), view=unavailable_modal(user_message(exc))
        )
        return
    if job.name != ref.name:
        fresh = meta.model_copy(update={"old_name": job.name[:255]})
        await client.views_update(
            view_id=view.get("id"), hash=view.get("hash"), view=rename_modal(fresh, job.name)
        )
