"""``/datajobs why <job>`` and ``/datajobs summary …``."""

from __future__ import annotations

from bot.refs import Reference
from bot.services.explaining import places_for
from bot.services.subscribing import place_for

from .base import Invocation, Subcommand
from .parse import parse_job_only
from .subscribe_parse import SummaryOff, SummarySet, SummaryShow, parse_summary


async def run_why(ref: Reference, inv: Invocation) -> None:
    job_id = await inv.job_id(ref)
    await inv.reply(await inv.deps.explaining.why(inv.user_id, inv.channel_id, job_id))


async def run_summary(cmd: SummaryShow | SummaryOff | SummarySet, inv: Invocation) -> None:
    summaries = inv.deps.summaries
    if isinstance(cmd, SummaryShow):
        await inv.reply(await summaries.show(places_for(inv.user_id, inv.channel_id)))
        return
    t = cmd.target
    dest = place_for(t.kind, inv.user_id, inv.channel_id, t.channel_id)
    if isinstance(cmd, SummaryOff):
        await inv.reply(await summaries.off(inv.user_id, dest))
    else:
        await inv.reply(await summaries.set(inv.user_id, dest, cmd.hour, cmd.minute))


WHY = Subcommand(
    name="why",
    usage="why <job>",
    summary="what I did with each change of a job: sent, filtered, snoozed, paused…",
    examples=("why dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",),
    parse=parse_job_only,
    run=run_why,
    ack="Looking back…",
)

SUMMARY = Subcommand(
    name="summary",
    usage="summary [daily HH:MM [#channel|here] | off [#channel|here]]",
    summary="a daily summary of your (or a channel's) subscribed jobs, at a time of your day.",
    examples=("summary daily 09:00", "summary daily 17:30 here", "summary off"),
    parse=parse_summary,
    run=run_summary,
    ack=None,
)
