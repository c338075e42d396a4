"""``/datajobs list [type:…] [sort:…] [order:…] [limit:N]``"""

from __future__ import annotations

from .base import Invocation, Subcommand
from .parse import ListJobs, parse_list


async def run(cmd: ListJobs, inv: Invocation) -> None:
    await inv.reply(await inv.deps.jobs.list_page(inv.actor, cmd.state))


SUBCOMMAND = Subcommand(
    name="list",
    usage="list [type:<job_type>] [sort:name|created_at|job_type] [order:asc|desc] [limit:N]",
    summary="a page of your data jobs (10 by default, up to 100).",
    examples=("list", "list type:principle_files sort:name order:asc limit:20"),
    parse=parse_list,
    run=run,
    ack="Fetching your data jobs…",
    aliases=("ls",),
)
