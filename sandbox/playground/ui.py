"""The playground page: static files, and the endpoints the page calls to act as a person.

The browser never sees the signing secret: it asks this server to type a
command or click, and the server sends the signed request Slack would.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from .fake import FakeSlack
from .interact import Interactions

STATIC = Path(__file__).parent / "static"
MAX_TEXT = 4000


def register_ui(app: FastAPI, fake: FakeSlack, *, bot_url: str, signing_secret: str) -> None:
    http = httpx.AsyncClient()
    interactions = Interactions(fake, bot_url, signing_secret, http)
    app.state.interactions = interactions
    app.router.on_shutdown.append(http.aclose)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def index(request: Request):
        if not request.url.path.endswith("/"):
            return RedirectResponse(str(request.url.replace(path=request.url.path + "/")))
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    def _user(body: dict) -> str | None:
        user = body.get("user")
        with fake.lock:
            return user if user in fake.users and not fake.users[user].is_bot else None

    @app.post("/_ui/command")
    async def command(request: Request):
        body = await request.json()
        user, channel = _user(body), str(body.get("channel") or "")
        text = str(body.get("text") or "")[:MAX_TEXT]
        if user is None or not channel:
            return JSONResponse({"ok": False, "error": "unknown user or channel"}, 400)
        return await interactions.command(
            text, user=user, channel=channel, command=str(body.get("command") or "/datajobs")
        )

    @app.post("/_ui/invite")
    async def invite(request: Request):
        body = await request.json()
        user = _user(body)
        if user is None or not body.get("channel"):
            return JSONResponse({"ok": False, "error": "unknown user or channel"}, 400)
        return interactions.invite_bot(user=user, channel=str(body["channel"]))

    @app.post("/_ui/action")
    async def action(request: Request):
        body = await request.json()
        user = _user(body)
        if user is None or not body.get("action_id"):
            return JSONResponse({"ok": False, "error": "unknown user or action"}, 400)
        return await interactions.action(
            user=user,
            action_id=str(body["action_id"]),
            value=body.get("value"),
            block_id=body.get("block_id"),
            channel=body.get("channel"),
            message_ts=body.get("message_ts"),
            view_id=body.get("view_id"),
            values=body.get("values"),
        )

    @app.post("/_ui/submit")
    async def submit(request: Request):
        body = await request.json()
        user = _user(body)
        if user is None or not body.get("view_id"):
            return JSONResponse({"ok": False, "error": "unknown user or view"}, 400)
        return await interactions.submit(
            user=user, view_id=str(body["view_id"]), values=body.get("values") or {}
        )

    @app.post("/_ui/close")
    async def close(request: Request):
        body = await request.json()
        user = _user(body)
        if user is None or not body.get("view_id"):
            return JSONResponse({"ok": False, "error": "unknown user or view"}, 400)
        return await interactions.close(user=user, view_id=str(body["view_id"]))

    @app.post("/_ui/home")
    async def home(request: Request):
        body = await request.json()
        user = _user(body)
        if user is None:
            return JSONResponse({"ok": False, "error": "unknown user"}, 400)
        return await interactions.open_home(user=user)

    @app.post("/_ui/message")
    async def message(request: Request):
        body = await request.json()
        user, channel = _user(body), str(body.get("channel") or "")
        text = str(body.get("text") or "")[:MAX_TEXT]
        if user is None or not channel or not text.strip():
            return JSONResponse({"ok": False, "error": "unknown user, channel or no text"}, 400)
        return await interactions.say(user=user, channel=channel, text=text)

    @app.post("/_ui/shortcut")
    async def shortcut(request: Request):
        body = await request.json()
        user = _user(body)
        if user is None or not body.get("channel") or not body.get("message_ts"):
            return JSONResponse({"ok": False, "error": "unknown user or message"}, 400)
        return await interactions.shortcut(
            user=user,
            channel=str(body["channel"]),
            message_ts=str(body["message_ts"]),
            callback_id=str(body.get("callback_id") or ""),
        )
