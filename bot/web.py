"""The bot's HTTP face: POST /slack/events (signed Slack requests) and GET /healthz.

With ``SLACK_APP_TOKEN`` set the bot also connects by Socket Mode; /healthz is
served either way (the Docker HEALTHCHECK uses it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

from bot.app import create_app
from bot.deps import Deps, build_deps
from bot.settings import Settings, SettingsError, require
from bot.store.connect import watcher_client
from bot.watcher import Watcher, build_watcher

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def check_settings(settings: Settings) -> None:
    """Stop start-up with one line naming the first missing setting."""
    require(settings, "SLACK_BOT_TOKEN")
    if settings.slack_app_token is None:
        require(settings, "SLACK_SIGNING_SECRET")
    elif not settings.slack_app_token.get_secret_value().startswith("xapp-"):
        raise SettingsError("SLACK_APP_TOKEN: must be an app-level token starting with xapp-")
    if settings.seekr_api_key is None and settings.bot_encryption_key is None:
        raise SettingsError(
            "SEEKR_API_KEY is required but not set "
            "(or set BOT_ENCRYPTION_KEY so people can link their own keys)"
        )


async def health(deps: Deps) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"ok": True, "app": "up"}
    try:
        await asyncio.wait_for(deps.redis.ping(), timeout=2.0)
        body["redis"] = "up"
    except Exception as exc:  # noqa: BLE001 - any failure means "unreachable"
        body.update(ok=False, redis="unreachable", redis_error=type(exc).__name__)
    for check in deps.health_checks:
        try:
            facts = await asyncio.wait_for(check(), timeout=2.0)
        except Exception as exc:  # noqa: BLE001
            facts = {"check_error": type(exc).__name__}
        body.update({k: v for k, v in facts.items() if k != "ok"})
        if facts.get("ok") is False:
            body["ok"] = False
    body["time"] = time.time()
    return (200 if body["ok"] else 503), body


async def attach_watcher(deps: Deps) -> Watcher:
    """Start the watcher for a running bot: polls with each subscription's key (through
    ``deps.key_resolver``, which pauses a key that is gone or rejected and tells its targets
    once), reports to ``/healthz``, and stops with the app (SIGTERM)."""
    redis = watcher_client(deps.settings)
    deps.closers.append(redis.aclose)
    watcher = build_watcher(deps.settings, redis, deps.http, resolve=deps.key_resolver)
    await watcher.start()
    deps.health_checks.append(watcher.health)
    deps.closers.append(watcher.stop)
    return watcher


def create_web(settings: Settings) -> FastAPI:
    check_settings(settings)

    @asynccontextmanager
    async def lifespan(api: FastAPI):
        deps = build_deps(settings)
        bolt = create_app(settings, deps)
        api.state.deps = deps
        api.state.bolt = bolt
        api.state.handler = AsyncSlackRequestHandler(bolt)
        api.state.watcher = await attach_watcher(deps)
        socket = None
        if settings.slack_app_token is not None:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            socket = AsyncSocketModeHandler(bolt, settings.slack_app_token.get_secret_value())
            await socket.connect_async()
            logger.info("connected to Slack by Socket Mode")
        try:
            yield
        finally:
            if socket is not None:
                await socket.close_async()
            await deps.aclose()

    api = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)

    if settings.slack_signing_secret is not None:

        @api.post(EVENTS_PATH)
        async def slack_events(request: Request):
            return await request.app.state.handler.handle(request)

    @api.get(HEALTH_PATH)
    async def healthz(request: Request):
        status, body = await health(request.app.state.deps)
        return JSONResponse(body, status_code=status)

    return api
