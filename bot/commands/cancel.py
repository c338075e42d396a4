"""``/datajobs cancel <job>``"""

from __future__ import annotations

from bot.services.jobs import changer_for
from bot.values import Change

from .base import Invocation, Subcommand
from .parse import Cancel, parse_cancel


async def run(cmd: Cancel, inv: Invocation) -> None:
    job_id = await inv.job_id(cmd.ref, Change.CANCEL)
    changer = await changer_for(
        inv.deps.access, inv.user_id, Change.CANCEL, job_id=job_id, channel=inv.channel_id
    )
    await inv.reply(await changer.cancel(job_id))


SUBCOMMAND = Subcommand(
    name="cancel",
    usage="cancel <job>",
    summary="cancels a pending, queued or running job.",
    examples=("cancel dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d", 'cancel "Nightly ingest"'),
    parse=parse_cancel,
    run=run,
    ack="Cancelling…",
)
