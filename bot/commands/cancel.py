"""``/datajobs cancel <job>``"""

from __future__ import annotations

from .base import Invocation, Subcommand
from .parse import Cancel, parse_cancel


async def run(cmd: Cancel, inv: Invocation) -> None:
    await inv.reply(await inv.deps.jobs.cancel(inv.actor, cmd.ref))


SUBCOMMAND = Subcommand(
    name="cancel",
    usage="cancel <job>",
    summary="cancels a pending, queued or running job.",
    examples=("cancel dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d", 'cancel "Nightly ingest"'),
    parse=parse_cancel,
    run=run,
    ack="Cancelling…",
)
