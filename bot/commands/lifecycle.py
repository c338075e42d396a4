"""``/datajobs start <job>`` and ``/datajobs retry <job>``."""

from __future__ import annotations

from bot.refs import Reference
from bot.values import Change

from .base import Invocation, Subcommand
from .parse import parse_job_only


async def run_start(ref: Reference, inv: Invocation) -> None:
    job_id = await inv.job_id(ref, Change.START)
    await inv.reply(await inv.deps.lifecycle.start(inv.user_id, job_id, inv.channel_id))


async def run_retry(ref: Reference, inv: Invocation) -> None:
    job_id = await inv.job_id(ref, Change.RETRY)
    await inv.reply(await inv.deps.lifecycle.retry(inv.user_id, job_id, inv.channel_id))


START = Subcommand(
    name="start",
    usage="start <job>",
    summary="starts a job that is ready to start.",
    examples=("start dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",),
    parse=parse_job_only,
    run=run_start,
    ack="Starting…",
)

RETRY = Subcommand(
    name="retry",
    usage="retry <job>",
    summary="copies a failed, cancelled or stopped job with its good files, and starts the copy.",
    examples=("retry dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",),
    parse=parse_job_only,
    run=run_retry,
    ack="Retrying…",
)
