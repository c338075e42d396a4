"""``/datajobs rename <job> <new name…>``"""

from __future__ import annotations

from bot.render.notices import notice, renamed_text
from bot.services.jobs import changer_for
from bot.values import Change

from .base import Invocation, Subcommand
from .parse import Rename, parse_rename


async def run(cmd: Rename, inv: Invocation) -> None:
    job_id = await inv.job_id(cmd.ref, Change.RENAME)
    changer = await changer_for(
        inv.deps.access, inv.user_id, Change.RENAME, job_id=job_id, channel=inv.channel_id
    )
    old, job = await changer.rename(job_id, cmd.name)
    await inv.reply(notice(renamed_text(old, job.name, job.id)))


SUBCOMMAND = Subcommand(
    name="rename",
    usage="rename <job> <new name>",
    summary="renames a job (1–255 characters; only before alignment starts).",
    examples=(
        "rename dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d Q3 support tickets",
        'rename "Old name" New name',
    ),
    parse=parse_rename,
    run=run,
    ack="Renaming…",
)
