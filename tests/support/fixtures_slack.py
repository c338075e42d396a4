"""The fake Slack server fixture and a driver that talks to the bot the way Slack does."""

from __future__ import annotations

import httpx
import pytest

from sandbox.harness.servers import FakeSlackServer, start_fake_slack
from sandbox.playground.chat import links_in
from sandbox.playground.requests import (
    FORM,
    JSON,
    app_home_opened,
    block_actions_body,
    event_body,
    link_shared,
    message_action_body,
    slash_command_body,
    view_submission_body,
)
from sandbox.playground.signing import sign
from sandbox.playground.views import apply_submission_ack


@pytest.fixture(scope="module")
def fake_slack_server():
    running = start_fake_slack()
    try:
        yield running
    finally:
        running.server.stop()


@pytest.fixture
def fake_slack(fake_slack_server):
    """The module's fake Slack, back to its first state: a fresh world for each test."""
    fake = fake_slack_server.fake
    fake.reset()
    fake.chat_write_public, fake.trigger_ttl = False, 30.0
    return fake_slack_server


class SlackDriver:
    """Sends signed requests into the bot's ``/slack/events`` as Slack would.

    Each request gets a fresh response_url and trigger_id served by the fake,
    so whatever the bot does with them lands in ``fake_slack.fake``.
    """

    def __init__(
        self, bot_url: str, fake_slack: FakeSlackServer, signing_secret: str, timeout: float = 15.0
    ):
        self.events_url = bot_url.rstrip("/") + "/slack/events"
        self.slack = fake_slack
        self.fake = fake_slack.fake
        self.secret = signing_secret
        self.http = httpx.Client(timeout=timeout)
        self.last_response_url: str | None = None
        self.last_trigger_id: str | None = None

    def close(self) -> None:
        self.http.close()

    def post(
        self,
        body: bytes,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
        headers: dict | None = None,
        content_type: str = FORM,
    ) -> httpx.Response:
        signed = sign(secret or self.secret, body, timestamp)
        return self.http.post(
            self.events_url,
            content=body,
            headers={"Content-Type": content_type, **signed, **(headers or {})},
        )

    def event(self, event: dict, **kw) -> httpx.Response:
        """An Events API callback (JSON), e.g. ``app_home_opened`` or ``link_shared``."""
        return self.post(event_body(event), content_type=JSON, **kw)

    def open_home(self, user: str = "U0ALICE") -> httpx.Response:
        return self.event(app_home_opened(user))

    def share(self, text: str, user: str = "U0ALICE", channel: str = "C0DATAJOBS") -> dict:
        """``user`` posts ``text``; Slack sends link_shared for its links (every domain here:
        the bot must pick its own). Returns the posted message."""
        msg = self.fake.post_as(channel, user, text)
        urls = links_in(text)
        if urls:
            response = self.event(link_shared(user, channel, msg["ts"], urls))
            assert response.status_code == 200, response.text
        return msg

    def shortcut(
        self, callback_id: str, message: dict, user: str = "U0ALICE", channel: str | None = None
    ) -> httpx.Response:
        """A message shortcut chosen on ``message``."""
        channel = channel or message.get("channel") or "C0DATAJOBS"
        response_url, trigger_id = self._handles(channel, user)
        body = message_action_body(
            callback_id,
            message,
            user_id=user,
            channel_id=channel,
            response_url=response_url,
            trigger_id=trigger_id,
        )
        return self.post(body)

    def _handles(
        self, channel: str, user: str, message_ts: str | None = None, ephemeral: bool = False
    ) -> tuple[str, str]:
        self.last_response_url = self.fake.new_response_url(
            channel, user, message_ts=message_ts, ephemeral=ephemeral
        )
        self.last_trigger_id = self.fake.new_trigger_id(user)
        return self.last_response_url, self.last_trigger_id

    def command(
        self,
        text: str,
        user: str = "U0ALICE",
        channel: str = "C0DATAJOBS",
        command: str = "/datajobs",
        **kw,
    ) -> httpx.Response:
        response_url, trigger_id = self._handles(channel, user)
        body = slash_command_body(
            text,
            user_id=user,
            channel_id=channel,
            command=command,
            response_url=response_url,
            trigger_id=trigger_id,
        )
        return self.post(body, **kw)

    def click(
        self,
        action_id: str,
        value: str | None = None,
        *,
        message: dict | None = None,
        view: dict | None = None,
        user: str = "U0ALICE",
        channel: str | None = None,
        block_id: str | None = None,
        selected_option: dict | None = None,
        **kw,
    ) -> httpx.Response:
        """Click ``action_id`` on ``message`` (as stored by the fake) or in an open ``view``."""
        if view is not None:
            response_url, trigger_id = None, self.fake.new_trigger_id(user)
            self.last_trigger_id = trigger_id
            channel = None
        else:
            channel = channel or (message or {}).get("channel") or "C0DATAJOBS"
            response_url, trigger_id = self._handles(
                channel,
                user,
                message_ts=(message or {}).get("ts"),
                ephemeral=bool((message or {}).get("is_ephemeral")),
            )
        body = block_actions_body(
            action_id,
            value,
            user_id=user,
            channel_id=channel,
            message=message,
            view=view,
            response_url=response_url,
            trigger_id=trigger_id,
            block_id=block_id,
            selected_option=selected_option,
        )
        return self.post(body, **kw)

    def submit(self, view: dict, values: dict, user: str = "U0ALICE", **kw) -> httpx.Response:
        """Submit an open modal; Slack then closes it, shows field errors, or swaps it."""
        trigger_id = self.fake.new_trigger_id(user)
        body = view_submission_body(view, values, user_id=user, trigger_id=trigger_id)
        response = self.post(body, **kw)
        if response.status_code == 200:
            ack = response.json() if response.content.strip() else None
            apply_submission_ack(self.fake, view["id"], ack)
        return response
