"""``/datajobs inspect <job>``: an id, an id prefix or a name (``bot.refs``)."""

from __future__ import annotations

from .base import Invocation, Subcommand
from .parse import Inspect, parse_inspect


async def run(cmd: Inspect, inv: Invocation) -> None:
    await inv.reply(await inv.deps.jobs.card(inv.actor, cmd.ref))


SUBCOMMAND = Subcommand(
    name="inspect",
    usage="inspect <job>",
    summary="the job card: status, progress, files, recent events, and buttons.",
    examples=(
        "inspect dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",
        "inspect dj-1b75f4",
        'inspect "Customer support refresh"',
    ),
    parse=parse_inspect,
    run=run,
    ack="Looking up the job…",
    aliases=("show",),
)
