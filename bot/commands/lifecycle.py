"""``/datajobs start <job>`` and ``/datajobs retry <job>``."""

from __future__ import annotations

from bot.refs import Reference

from .base import Invocation, Subcommand
from .parse import parse_job_only


async def run_start(ref: Reference, inv: Invocation) -> None:
    await inv.reply(await inv.deps.jobs.start(inv.actor, ref))


async def run_retry(ref: Reference, inv: Invocation) -> None:
    await inv.reply(await inv.deps.jobs.retry(inv.actor, ref))


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
