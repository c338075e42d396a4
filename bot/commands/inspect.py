"""``/datajobs inspect <job>``: an id, an id prefix or a name (``bot.refs``)."""

from __future__ import annotations

from bot.services import jobs
from bot.services.finding import find_job

from .base import Invocation, Subcommand
from .parse import Inspect, parse_inspect


async def run(cmd: Inspect, inv: Invocation) -> None:
    seekr = await inv.deps.access.reader(inv.user_id)
    job_id = await find_job(seekr, cmd.ref)  # an id as given; a prefix or name with this client
    subscribed = await inv.deps.subscribing.is_subscribed(inv.user_id, job_id)
    claimed = await inv.deps.claiming.holder(job_id)
    await inv.reply(await jobs.card_for(seekr, job_id, subscribed=subscribed, claimed_by=claimed))


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
