"""Modal submissions."""

from __future__ import annotations

from typing import Any

from bot.ids import View
from bot.listening import listener

from .login import on_login_submit
from .rename import on_rename_submit


def register(app: Any) -> None:
    app.view(View.RENAME)(listener(on_rename_submit))
    app.view(View.LOGIN)(listener(on_login_submit))
