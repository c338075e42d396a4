"""Modal submissions."""

from __future__ import annotations

from typing import Any

from bot.errors import guarded
from bot.ids import View

from .rename import on_rename_submit


def register(app: Any) -> None:
    app.view(View.RENAME)(guarded(on_rename_submit))
