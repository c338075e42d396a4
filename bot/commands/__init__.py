"""``/datajobs``: one dispatcher over a table of subcommands."""

from __future__ import annotations

from typing import Any

from bot.ids import Command
from bot.listening import listener

from .base import Invocation, Subcommand
from .dispatch import interpret, on_datajobs, usage
from .table import SUBCOMMANDS, lookup

__all__ = ["SUBCOMMANDS", "Invocation", "Subcommand", "interpret", "lookup", "register", "usage"]


def register(app: Any) -> None:
    app.command(Command.DATAJOBS)(listener(on_datajobs))
