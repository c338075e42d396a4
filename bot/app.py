"""``create_app(settings, deps)``: a fresh Bolt app with every package's listeners."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import actions, commands, events, listening, views
from bot.deps import Deps
from bot.settings import Settings


def deps_middleware(deps: Deps) -> Callable[..., Awaitable[None]]:
    """Puts ``deps`` into Bolt's context, so listeners take it as a keyword argument."""

    async def inject(context: Any, next: Callable[[], Awaitable[None]]) -> None:
        context["deps"] = deps
        await next()

    return inject


def create_app(settings: Settings, deps: Deps) -> AsyncApp:
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    )
    app = AsyncApp(
        client=deps.slack,
        signing_secret=secret,
        # Socket Mode needs no signature: Slack authenticated the socket.
        request_verification_enabled=secret is not None,
        process_before_response=False,
    )
    app.use(deps_middleware(deps))
    listening.register(app)
    commands.register(app)
    actions.register(app)
    views.register(app)
    events.register(app)
    return app
