"""A fake Slack Web API over HTTP, backed by ``FakeSlack``.

Serves ``/api/{method}`` (so ``SLACK_API_URL = <url>/api/``), response_urls at
``/response/{id}`` and a control/state API at ``/_fake/...``. It answers as
Slack does: HTTP 200 with ``{"ok": true, ...}`` or ``{"ok": false, "error": ...}``;
HTTP 429 with ``Retry-After`` when rate limited; a bearer token is required.

Errors a bot meets here, as Slack gives them: posting to an archived channel
-> ``is_archived``; to a public channel the bot is not in -> ``not_in_channel``;
to a private one -> ``channel_not_found``; to a deactivated user's DM ->
``account_inactive``; ``conversations.open`` with a deactivated or unknown
user -> ``user_not_found``. Faults added with ``FakeSlack.add_fault`` come first.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bot.ids import BOT_SCOPES

from .chat import apply_response_url
from .fake import FakeSlack
from .methods import METHODS
from .world import SlackError

JSON_FIELDS = ("blocks", "attachments", "metadata", "view", "unfurls")

__all__ = ["FakeSlack", "create_slack_app", "read_args"]


async def read_args(request: Request) -> dict[str, Any]:
    """Arguments from the query string, a form body, or a JSON body — as Slack accepts them."""
    args: dict[str, Any] = dict(request.query_params)
    ctype = request.headers.get("content-type", "")
    raw = await request.body()
    if raw and "application/json" in ctype:
        body = json.loads(raw)
        if isinstance(body, dict):
            args.update(body)
    elif raw:
        form = await request.form()
        args.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in JSON_FIELDS:
        if isinstance(args.get(key), str) and args[key].strip()[:1] in ("[", "{"):
            try:
                args[key] = json.loads(args[key])
            except ValueError:
                pass
    return args


def _token(request: Request, args: dict) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return args.get("token")


def _error(
    error: str, status: int = 200, headers: dict | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse({"ok": False, "error": error, **extra}, status_code=status, headers=headers)


async def _fault_response(fake: FakeSlack, method: str, args: dict) -> JSONResponse | None:
    fault = fake.take_fault(method, args)
    if fault is None:
        return None
    if fault.status == 429:
        retry = fault.retry_after if fault.retry_after is not None else 1
        body = {"ok": False, "error": "ratelimited"}
        fake.record(method, args, body, 429)
        return _error("ratelimited", 429, {"Retry-After": str(round(retry))})
    if fault.status:
        body = {"ok": False, "error": fault.error or "internal_error"}
        fake.record(method, args, body, fault.status)
        return JSONResponse(body, status_code=fault.status)
    if fault.error:
        body = {"ok": False, "error": fault.error}
        fake.record(method, args, body)
        return JSONResponse(body)
    if fault.delay:
        return await _delayed(fake, method, args, fault.delay)
    return None


async def _delayed(fake: FakeSlack, method: str, args: dict, delay: float) -> JSONResponse:
    """The call takes effect at once; its answer comes ``delay`` seconds later (or never)."""
    response = _run(fake, method, args)
    await asyncio.sleep(delay)
    return response


def _paced(fake: FakeSlack, method: str, args: dict) -> JSONResponse | None:
    """Slack's special limit on chat.postMessage: about one message per second per channel."""
    if method != "chat.postMessage" or not fake.post_rate:
        return None
    channel, now = str(args.get("channel", "")), time.monotonic()
    with fake.lock:
        last = fake._last_post.get(channel)
        if last is not None and now - last < 1.0 / fake.post_rate:
            fake.record(method, args, {"ok": False, "error": "ratelimited"}, 429)
            return _error("ratelimited", 429, {"Retry-After": "1"})
        fake._last_post[channel] = now
    return None


def _run(fake: FakeSlack, method: str, args: dict) -> JSONResponse:
    handler = METHODS.get(method)
    if handler is None:
        body: dict[str, Any] = {"ok": False, "error": "unknown_method"}
    else:
        try:
            body = {"ok": True, **handler(fake, args)}
        except SlackError as exc:
            body = {"ok": False, "error": exc.error, **exc.extra}
            if exc.error == "invalid_blocks":
                body["response_metadata"] = {"messages": exc.extra.get("errors", [])}
    fake.record(method, args, body)
    return JSONResponse(body)


def create_slack_app(
    fake: FakeSlack, *, bot_url: str | None = None, signing_secret: str | None = None
) -> FastAPI:
    """The fake Slack as an ASGI app; with ``bot_url`` and ``signing_secret``, also the
    playground."""
    app = FastAPI(title="Fake Slack", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.fake = fake

    @app.api_route("/api/{method}", methods=["GET", "POST"])
    async def web_api(method: str, request: Request):
        args = await read_args(request)
        token = _token(request, args)
        if not token:
            fake.record(method, args, {"ok": False, "error": "not_authed"})
            return _error("not_authed")
        if token != fake.bot_token:
            fake.record(method, args, {"ok": False, "error": "invalid_auth"})
            return _error("invalid_auth")
        faulted = await _fault_response(fake, method, args) or _paced(fake, method, args)
        response = faulted if faulted is not None else _run(fake, method, args)
        response.headers["x-oauth-scopes"] = ",".join(
            BOT_SCOPES if fake.scopes is None else fake.scopes
        )
        return response

    @app.post("/response/{rid}")
    async def response_url(rid: str, request: Request):
        args = await read_args(request)
        post = {"id": rid, "url": str(request.url), "body": args, "ts": time.time()}
        fault = fake.take_fault(
            "response_url", {"channel": (fake.response_url_info(rid) or {}).get("channel")}
        )
        if fault is not None and (fault.status or fault.error):
            status = fault.status or 400
            post["error"] = fault.error or "ratelimited"
            with fake.lock:
                fake._response_posts.append(post)
            headers = {"Retry-After": str(int(fault.retry_after or 1))} if status == 429 else None
            return _error(post["error"], status, headers)
        try:
            post["result"] = apply_response_url(fake, rid, args)
            status, body = 200, {"ok": True}
        except SlackError as exc:
            post["error"] = exc.error
            status = 404 if exc.error.endswith("_url") else 400
            body = {"ok": False, "error": exc.error}
        with fake.lock:
            fake._response_posts.append(post)
            fake._touch()
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        return JSONResponse(body, status_code=status)

    from .control import register_control

    register_control(app, fake)
    if bot_url and signing_secret:
        from .ui import register_ui

        register_ui(app, fake, bot_url=bot_url, signing_secret=signing_secret)
    return app
