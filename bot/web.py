"""The bot's HTTP face: POST /slack/events (signed Slack requests), GET /healthz, GET /metrics.

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
from fastapi.responses import JSONResponse, Response
from redis.exceptions import ResponseError
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from starlette.requests import ClientDisconnect

from bot import edge, logs, metrics
from bot.app import create_app
from bot.deps import Deps, build_deps
from bot.settings import Settings, SettingsError, require
from bot.store.connect import watcher_client
from bot.store.stats import Stats, redis_facts
from bot.watcher import Watcher, build_watcher

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


class Refusals:
    """How many requests the edge refused, by why (reported on /healthz)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, why: str) -> None:
        self.counts[why] = self.counts.get(why, 0) + 1


class SlackEvents:
    """``POST /slack/events``: signature first, then the body's shape, then Bolt.

    Never a 5xx, never a traceback: whatever goes wrong is one log line with a reference,
    and the answer is a 4xx (or, for a slash command, a sentence to the person).
    """

    def __init__(self, handler: AsyncSlackRequestHandler, signing_secret: str):
        self.handler = handler
        self.secret = signing_secret.encode()
        self.refused = Refusals()

    async def __call__(self, request: Request) -> Response:
        started = time.monotonic()
        with logs.bound(request=logs.new_request_id()):
            response, kind, outcome = await self._answer(request)
        metrics.slack_request(kind, outcome, time.monotonic() - started)
        return response

    async def _answer(self, request: Request) -> tuple[Response, str, str]:
        """The answer, the payload's kind and what became of the request (for the metrics)."""
        try:
            if int(request.headers.get("content-length") or 0) > edge.MAX_BODY_BYTES:
                return self._refuse(413, "too large"), "unknown", "too_large"
            body = await request.body()
        except (ValueError, ClientDisconnect):
            return self._refuse(400, "unreadable"), "unknown", "unreadable"
        if len(body) > edge.MAX_BODY_BYTES:
            return self._refuse(413, "too large"), "unknown", "too_large"
        if not self._signed(request, body):
            return self._refuse(401, "unsigned or stale"), "unknown", "bad_signature"
        ref = logs.reference()
        try:
            payload = edge.parse_body(body, request.headers.get("content-type"))
        except edge.Malformed as exc:
            logger.warning("refused a signed request ref=%s: %s", ref, exc.reason)
            return self._refuse(400, "malformed"), "unknown", "malformed"
        kind = edge.kind_of(payload)
        user, channel = edge.who_where(payload)
        logs.bind(slack_user=user, channel=channel)
        problem = edge.shape_problem(payload)
        if problem is not None:
            logger.warning("refused a signed request ref=%s: unexpected %s", ref, problem)
            self.refused.add("unexpected shape")
            if kind == "command":  # Slack shows the ack's text to the person
                text = edge.INCOMPLETE.format(ref=ref)
                answer = JSONResponse({"response_type": "ephemeral", "text": text})
                return answer, kind, "unexpected_shape"
            return Response(status_code=400), kind, "unexpected_shape"
        try:
            response = await self.handler.handle(request)
        except Exception as exc:  # noqa: BLE001 - one line with a reference, never a 500
            logger.error("request failed ref=%s: %s", ref, type(exc).__name__)
            return Response(status_code=400), kind, "failed"
        if response.status_code >= 500:  # Bolt's own error answer: the person was told
            logger.error("request failed ref=%s: HTTP %s from Bolt", ref, response.status_code)
            return Response(status_code=200), kind, "failed"
        return response, kind, "ok"

    def _signed(self, request: Request, body: bytes) -> bool:
        return edge.signed(
            self.secret,
            body,
            request.headers.get("x-slack-request-timestamp", ""),
            request.headers.get("x-slack-signature", ""),
        )

    def _refuse(self, status: int, why: str) -> Response:
        self.refused.add(why)
        logger.info("refused a request: %s", why)
        return Response(status_code=status)


class CheckedSocketMode(AsyncSocketModeHandler):
    """Socket Mode with the edge's shape check: an odd payload is acknowledged and dropped."""

    async def handle(self, client, req: SocketModeRequest) -> None:
        started = time.monotonic()
        payload = req.payload if isinstance(req.payload, dict) else {}
        kind = edge.kind_of(payload) if payload else "unknown"
        user, channel = edge.who_where(payload)
        with logs.bound(request=logs.new_request_id(), slack_user=user, channel=channel):
            problem = edge.shape_problem(payload) if payload else "payload is not an object"
            if problem is not None:
                ref = logs.reference()
                logger.warning("refused a Socket Mode request ref=%s: unexpected %s", ref, problem)
                body = None
                if kind == "command":
                    body = {"response_type": "ephemeral", "text": edge.INCOMPLETE.format(ref=ref)}
                await client.send_socket_mode_response(
                    SocketModeResponse(envelope_id=req.envelope_id, payload=body)
                )
                metrics.slack_request(kind, "unexpected_shape", time.monotonic() - started)
                return
            await super().handle(client, req)
        metrics.slack_request(kind, "ok", time.monotonic() - started)


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


async def _refusals(refused: Refusals) -> dict[str, Any]:
    return {"refused": dict(refused.counts)}


async def check_redis(deps: Deps) -> None:
    """At start-up: a warning for a Redis that may lose or evict the bot's state, and the
    same facts on ``/healthz`` (read again each time, so a fix shows without a restart)."""
    try:
        facts = await redis_facts(deps.redis)
    except ResponseError:  # a Redis-compatible store without INFO
        logger.info("Redis does not answer INFO: its persistence and eviction are not checked")
    except Exception as exc:  # noqa: BLE001 - unreachable now: /healthz says so
        logger.warning("could not read Redis's settings at start-up (%s)", type(exc).__name__)
    else:
        for warning in facts.warnings():
            logger.warning("%s", warning)

    async def facts_now() -> dict[str, Any]:
        try:
            return (await redis_facts(deps.redis)).health()
        except ResponseError:
            return {"redis_settings": "not reported (no INFO)"}

    deps.health_checks.append(facts_now)


async def refresh_gauges(stats: Stats) -> None:
    """The gauges read from Redis at scrape time; a Redis that does not answer leaves the
    last values (the scrape itself still succeeds)."""
    try:
        for (kind, target), count in (await stats.subscriptions()).items():
            metrics.SUBSCRIPTIONS.labels(kind, target).set(count)
        metrics.OUTBOX_LAG.set((await stats.oldest_waiting_ms()) / 1000)
    except Exception as exc:  # noqa: BLE001 - metrics must never fail the scrape
        logger.info("metrics: Redis not read (%s)", type(exc).__name__)


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
        if settings.slack_signing_secret is not None:
            api.state.events = SlackEvents(
                AsyncSlackRequestHandler(bolt), settings.slack_signing_secret.get_secret_value()
            )
            deps.health_checks.append(lambda: _refusals(api.state.events.refused))
        await check_redis(deps)
        api.state.stats = Stats(deps.redis)
        api.state.watcher = await attach_watcher(deps)
        socket = None
        if settings.slack_app_token is not None:
            socket = CheckedSocketMode(bolt, settings.slack_app_token.get_secret_value())
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
        async def slack_events(request: Request) -> Response:
            return await request.app.state.events(request)

    @api.get(HEALTH_PATH)
    async def healthz(request: Request):
        status, body = await health(request.app.state.deps)
        return JSONResponse(body, status_code=status)

    @api.get(METRICS_PATH)
    async def metrics_text(request: Request) -> Response:
        await refresh_gauges(request.app.state.stats)
        return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE_LATEST)

    return api
