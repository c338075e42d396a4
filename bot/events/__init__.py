"""Events API listeners: App Home opened, links to SeekrFlow shared."""

from __future__ import annotations

from typing import Any

from bot.listening import listener

from .home import on_home_opened
from .links import on_link_shared


def register(app: Any) -> None:
    app.event("app_home_opened")(listener(on_home_opened))
    app.event("link_shared")(listener(on_link_shared))
