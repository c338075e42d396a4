"""The subcommands of ``/datajobs``, one line each. Unknown text gets help."""

from __future__ import annotations

from . import cancel, inspect, lifecycle, list_jobs, rename, subscribe, summary, why
from . import identity as identity_commands
from .base import Subcommand

SUBCOMMANDS: tuple[Subcommand, ...] = (
    list_jobs.SUBCOMMAND,
    inspect.SUBCOMMAND,
    rename.SUBCOMMAND,
    cancel.SUBCOMMAND,
    lifecycle.START,
    lifecycle.RETRY,
    subscribe.SUBSCRIBE,
    subscribe.UNSUBSCRIBE,
    subscribe.SUBSCRIPTIONS,
    why.WHY,
    summary.SUMMARY,
    identity_commands.LOGIN,
    identity_commands.LOGOUT,
    identity_commands.WHOAMI,
)


def lookup(name: str) -> Subcommand | None:
    name = name.lower()
    for sub in SUBCOMMANDS:
        if name == sub.name or name in sub.aliases:
            return sub
    return None
