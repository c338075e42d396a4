"""With SLACK_APP_TOKEN set the bot takes Slack's requests over Socket Mode.

A small Socket Mode endpoint stands in for Slack: ``apps.connections.open`` hands
out a WebSocket URL, the socket says hello, delivers a slash command envelope
and records the bot's ack; the answer still goes to the fake Slack's response_url.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

from aiohttp import WSMsgType, web

from sandbox.playground.world import BOT_USER_ID, DEFAULT_BOT_TOKEN, TEAM_ID
from tests.support.fixtures_bot import all_text

APP_TOKEN = "xapp-1-socket-test"


class SocketSlack:
    """Serves apps.connections.open, auth.test and one WebSocket, on its own loop."""

    def __init__(self):
        # bound now and handed to aiohttp: nothing else can take the port before it serves
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.loop = asyncio.new_event_loop()
        self.acks: list[dict] = []
        self.app_tokens: list[str] = []
        self.sockets: list[web.WebSocketResponse] = []
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_post("/api/apps.connections.open", self._open)
        app.router.add_post("/api/auth.test", self._auth_test)
        app.router.add_get("/link", self._link)
        self.runner = web.AppRunner(app)
        self.loop.run_until_complete(self.runner.setup())
        self.loop.run_until_complete(web.SockSite(self.runner, self.sock).start())
        self._ready.set()
        self.loop.run_forever()

    def start(self) -> SocketSlack:
        self.thread.start()
        assert self._ready.wait(30), "the fake Socket Mode server did not start"
        return self

    def stop(self) -> None:
        async def close():
            for ws in self.sockets:
                await ws.close()
            await self.runner.cleanup()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def _open(self, request: web.Request) -> web.Response:
        self.app_tokens.append(request.headers.get("Authorization", ""))
        return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"})

    async def _auth_test(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "ok": True,
                "user_id": BOT_USER_ID,
                "team_id": TEAM_ID,
                "bot_id": "B0DATAJOBS",
                "user": "datajobs",
            }
        )

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "debug_info": {"approximate_connection_time": 3600},
            }
        )
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.acks.append(json.loads(msg.data))
        return ws

    def deliver(self, envelope: dict) -> None:
        async def send():
            await self.sockets[-1].send_json(envelope)

        asyncio.run_coroutine_threadsafe(send(), self.loop).result(10)


def test_slash_command_over_socket_mode(make_bot, fake_slack):
    socket = SocketSlack().start()
    try:
        bot = make_bot(
            slack_app_token=APP_TOKEN, slack_signing_secret=None, slack_api_url=socket.api_url
        )
        deadline = time.monotonic() + 20
        while not socket.sockets and time.monotonic() < deadline:
            time.sleep(0.05)
        assert socket.sockets, "the bot never opened the socket"
        assert socket.app_tokens == [f"Bearer {APP_TOKEN}"]  # the app-level token, not xoxb
        response_url = fake_slack.fake.new_response_url("C0DATAJOBS")
        socket.deliver(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "token": "unused",
                    "team_id": TEAM_ID,
                    "team_domain": "demo",
                    "channel_id": "C0DATAJOBS",
                    "channel_name": "data-jobs",
                    "user_id": "U0ALICE",
                    "user_name": "alice",
                    "command": "/datajobs",
                    "text": "list limit:2",
                    "api_app_id": "A0DATAJOBS",
                    "response_url": response_url,
                    "trigger_id": "1.socket",
                },
            }
        )
        while not socket.acks and time.monotonic() < deadline + 10:
            time.sleep(0.05)
        (ack,) = socket.acks
        assert ack["envelope_id"] == "env-1"
        assert ack["payload"]["text"] == "Fetching your data jobs…"
        answer = bot.reply(response_url)
        assert "showing 1–2" in all_text(answer)
        # HTTP still serves /healthz but not unsigned Slack requests
        assert bot.driver.http.post(bot.url + "/slack/events", content=b"x").status_code == 404
        assert DEFAULT_BOT_TOKEN not in json.dumps(socket.acks)
    finally:
        socket.stop()
