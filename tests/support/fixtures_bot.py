"""The running bot, wired to the simulator, the fake Slack and a private Redis.

``make_bot(**settings_overrides)`` starts one (create_web in a ServerThread);
``bot`` is the default one, started once per test module and handed to each test
with the simulator reset, the fake Slack reset and Redis flushed. Helpers wait for
what a person would see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.settings import Settings
from bot.web import create_web
from sandbox.playground.world import DEFAULT_BOT_TOKEN
from sandbox.server_thread import ServerThread

from .fixtures_slack import SlackDriver

SIGNING_SECRET = "test-signing-secret-0123456789"


@dataclass
class BotHandle:
    url: str
    driver: SlackDriver
    settings: Settings
    server: ServerThread
    simulator: Any
    slack: Any
    _stopped: bool = field(default=False, repr=False)

    @property
    def fake(self):
        return self.slack.fake

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self.driver.close()
            self.server.stop()

    # ---- what the person sees --------------------------------------------
    def command(self, text: str, **kw: Any):
        """Send ``/datajobs text``; return (ack response, response_url)."""
        response = self.driver.command(text, **kw)
        return response, self.driver.last_response_url

    def replies(self, response_url: str, count: int = 1, timeout: float = 20.0) -> list[dict]:
        """Wait until ``count`` posts reached ``response_url``; return their bodies."""
        posts = self.fake.wait_for(
            lambda f: (p := f.response_url_posts(response_url)) and len(p) >= count and p,
            timeout=timeout,
        )
        return [p["body"] for p in posts]

    def reply(self, response_url: str, timeout: float = 20.0) -> dict:
        return self.replies(response_url, 1, timeout)[0]

    def ask(self, text: str, **kw: Any) -> dict:
        """Command, check it was acknowledged, and return the answer that followed."""
        response, url = self.command(text, **kw)
        assert response.status_code == 200, response.text
        return self.reply(url)

    def shown(self, response_url: str) -> dict:
        """The message the person now sees for this response_url (after replaces)."""
        post = self.fake.wait_for(
            lambda f: [p for p in f.response_url_posts(response_url) if p.get("result")]
        )[-1]
        return self.fake.message(post["result"]["channel"], post["result"]["ts"])

    def wait(self, predicate: Callable[[Any], Any], timeout: float = 20.0) -> Any:
        return self.fake.wait_for(predicate, timeout=timeout)


def bot_settings(simulator, fake_slack, redis_url: str, /, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        slack_bot_token=DEFAULT_BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=None,
        slack_api_url=fake_slack.api_url,
        seekr_api_key=simulator.api_key,
        seekr_base_url=simulator.url,
        seekr_team_id=None,
        redis_url=redis_url,
        host="127.0.0.1",
        seekr_timeout=5.0,
        operators=["U0ALICE"],  # the driver's default user may change jobs with the team key
    )
    values.update(overrides)
    return Settings(**values)


def start_bot(simulator, fake_slack, redis_url: str, /, **overrides: Any) -> BotHandle:
    settings = bot_settings(simulator, fake_slack, redis_url, **overrides)
    server = ServerThread(create_web(settings), log_level="warning").start()
    return BotHandle(
        url=server.url,
        driver=_driver(server, settings, fake_slack),
        settings=settings,
        server=server,
        simulator=simulator,
        slack=fake_slack,
    )


def _driver(server: ServerThread, settings: Settings, fake_slack: Any) -> SlackDriver:
    secret = settings.slack_signing_secret
    return SlackDriver(server.url, fake_slack, secret.get_secret_value() if secret else "")


@pytest.fixture
def make_bot(simulator, fake_slack, redis_url):
    started: list[BotHandle] = []

    def factory(**overrides: Any) -> BotHandle:
        handle = start_bot(simulator, fake_slack, redis_url, **overrides)
        started.append(handle)
        return handle

    try:
        yield factory
    finally:
        for handle in started:
            handle.stop()


@pytest.fixture(scope="module")
def shared_bot(simulator_server, fake_slack_server, redis_server):
    handle = start_bot(simulator_server, fake_slack_server, redis_server.url)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def bot(shared_bot, simulator, fake_slack, redis_url) -> BotHandle:
    """The default bot (settings never change), shared by the module's tests."""
    handle = BotHandle(
        url=shared_bot.url,
        driver=_driver(shared_bot.server, shared_bot.settings, fake_slack),
        settings=shared_bot.settings,
        server=shared_bot.server,
        simulator=simulator,
        slack=fake_slack,
    )
    try:
        yield handle
    finally:
        handle.driver.close()


def texts_of(surface: Any) -> list[str]:
    """Every ``text`` string in a message or view (fallback, blocks, buttons, options)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(surface)
    return found


def all_text(surface: Any) -> str:
    return "\n".join(texts_of(surface))


def element(surface: dict, action_id: str) -> dict | None:
    """The first interactive element with ``action_id`` in a message or view."""
    for block in surface.get("blocks") or []:
        for el in [
            *list(block.get("elements") or []),
            block.get("accessory"),
            block.get("element"),
        ]:
            if isinstance(el, dict) and el.get("action_id") == action_id:
                return el
    return None


def api_requests(simulator) -> list[dict]:
    """The SeekrFlow API requests the simulator saw (its control calls excluded)."""
    return [r for r in simulator.control.requests() if r["path"].startswith("/v1/")]
