"""``/datajobs cancel <id>``"""

from __future__ import annotations

from . import ops
from .base import Invocation, Subcommand
from .parse import Cancel, parse_cancel


async def run(cmd: Cancel, inv: Invocation) -> None:
    seekr = await inv.deps.access.writer(inv.user_id, "cancel", job_id=cmd.job_id,
                                         channel=inv.channel_id)
    await inv.reply(await ops.cancel(seekr, cmd.job_id, inv.user_id))


SUBCOMMAND = Subcommand(
    name="cancel",
    usage="cancel <id>",
    summary="cancels a pending, queued or running job.",
    examples=("cancel dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",),
    parse=parse_cancel,
    run=run,
    ack="Cancelling…",
)
