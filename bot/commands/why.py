"""``/datajobs why <job>``: what the bot did with each change of a job, where you can see."""

from __future__ import annotations

from bot.refs import Reference

from .base import Invocation, Subcommand
from .parse import parse_job_only


async def run_why(ref: Reference, inv: Invocation) -> None:
    await inv.reply(await inv.deps.explaining.why(inv.actor, ref))


WHY = Subcommand(
    name="why",
    usage="why <job>",
    summary="what I did with each change of a job: sent, filtered, snoozed, paused…",
    examples=("why dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",),
    parse=parse_job_only,
    run=run_why,
    ack="Looking back…",
)
