"""``/datajobs cancel <id>``"""

from __future__ import annotations

from bot.services.jobs import changer_for
from bot.values import Change

from .base import Invocation, Subcommand
from .parse import Cancel, parse_cancel


async def run(cmd: Cancel, inv: Invocation) -> None:
    changer = await changer_for(
        inv.deps.access, inv.user_id, Change.CANCEL, job_id=cmd.job_id, channel=inv.channel_id
    )
    await inv.reply(await changer.cancel(cmd.job_id))


SUBCOMMAND = Subcommand(
    name="cancel",
    usage="cancel <id>",
    summary="cancels a pending, queued or running job.",
    examples=("cancel dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",),
    parse=parse_cancel,
    run=run,
    ack="Cancelling…",
)
