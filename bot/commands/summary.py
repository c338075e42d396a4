"""``/datajobs summary [daily HH:MM [#channel|here] | off [#channel|here]]``."""

from __future__ import annotations

from .base import Invocation, Subcommand
from .summary_parse import SummaryOff, SummarySet, SummaryShow, parse_summary


async def run_summary(cmd: SummaryShow | SummaryOff | SummarySet, inv: Invocation) -> None:
    summaries = inv.deps.summaries
    if isinstance(cmd, SummaryShow):
        await inv.reply(await summaries.show(inv.actor))
        return
    dest = inv.actor.place(cmd.target.kind, cmd.target.channel_id)
    if isinstance(cmd, SummaryOff):
        await inv.reply(await summaries.off(inv.actor, dest))
    else:
        await inv.reply(await summaries.set(inv.actor, dest, cmd.hour, cmd.minute))


SUMMARY = Subcommand(
    name="summary",
    usage="summary [daily HH:MM [#channel|here] | off [#channel|here]]",
    summary="a daily summary of your (or a channel's) subscribed jobs, at a time of your day.",
    examples=("summary daily 09:00", "summary daily 17:30 here", "summary off"),
    parse=parse_summary,
    run=run_summary,
    ack=None,
)
