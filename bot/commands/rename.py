"""``/datajobs rename <job> <new name…>``"""

from __future__ import annotations

from .base import Invocation, Subcommand
from .parse import Rename, parse_rename


async def run(cmd: Rename, inv: Invocation) -> None:
    await inv.reply(await inv.deps.jobs.rename(inv.actor, cmd.ref, cmd.name))


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
