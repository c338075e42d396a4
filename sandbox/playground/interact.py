"""What Slack does when a person types a command, clicks, or submits a modal in the playground.

Each step builds the same signed request Slack would send, posts it to the
bot's ``/slack/events``, and applies the bot's answer (an ack body shown as
an ephemeral reply, a modal's field errors, a closed modal) to the fake.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from . import chat
from .fake import FakeSlack
from .requests import (
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
from .signing import sign
from .views import apply_submission_ack, close_view, submitted_view
from .world import APP_ID, TEAM_DOMAIN, TEAM_ID, SlackError

logger = logging.getLogger(__name__)

ACK_TIMEOUT = 3.0  # Slack gives an app 3 seconds to answer
URL = re.compile(r"https?://[^\s<>|]+")


def _failure(answer: httpx.Response | str) -> str | None:
    """None when the app answered 200; else what went wrong (``_post``'s error, or the status)."""
    if isinstance(answer, str):
        return answer
    return None if answer.status_code == 200 else f"http_status_{answer.status_code}"


class Interactions:
    def __init__(
        self,
        fake: FakeSlack,
        bot_url: str,
        signing_secret: str,
        http: httpx.AsyncClient | None = None,
    ):
        self.fake = fake
        self.events_url = bot_url.rstrip("/") + "/slack/events"
        self.secret = signing_secret
        self.http = http or httpx.AsyncClient()

    async def _post(self, body: bytes, content_type: str = FORM) -> httpx.Response | str:
        headers = {"Content-Type": content_type, **sign(self.secret, body)}
        try:
            return await self.http.post(
                self.events_url, content=body, headers=headers, timeout=ACK_TIMEOUT
            )
        except httpx.TimeoutException:
            return "operation_timeout"
        except httpx.HTTPError as exc:
            logger.info("the bot did not answer: %s", type(exc).__name__)
            return "dispatch_failed"

    def _channel_name(self, channel_id: str) -> str:
        with self.fake.lock:
            channel = self.fake.channels.get(channel_id)
            if channel is None or channel.is_im:
                return "directmessage"
            return channel.name

    def _user_name(self, user_id: str) -> str:
        with self.fake.lock:
            user = self.fake.users.get(user_id)
            return user.name if user else user_id.lower()

    def _system_note(self, channel_id: str, user_id: str, text: str) -> None:
        """A grey line from Slackbot that only the person sees (as Slack shows failures)."""
        with self.fake.lock:
            ch = self.fake.channels.get(channel_id) or self.fake.open_dm(user_id)
        chat.post_ephemeral(self.fake, ch, user_id, {"text": text}, from_slack=True)

    async def command(
        self, text: str, *, user: str, channel: str, command: str = "/datajobs"
    ) -> dict:
        if channel.startswith("D"):
            self.fake.open_dm(user)
        response_url = self.fake.new_response_url(channel, user)
        body = slash_command_body(
            text,
            user_id=user,
            channel_id=channel,
            command=command,
            response_url=response_url,
            trigger_id=self.fake.new_trigger_id(user),
            user_name=self._user_name(user),
            channel_name=self._channel_name(channel),
            team_id=TEAM_ID,
            team_domain=TEAM_DOMAIN,
            api_app_id=APP_ID,
        )
        answer = await self._post(body)
        error = _failure(answer)
        if error is not None:
            self._system_note(channel, user, f'{command} failed with the error "{error}"')
            return {"ok": False, "error": error}
        self._show_ack(answer, channel, user)
        return {"ok": True}

    def _show_ack(self, answer: httpx.Response, channel: str, user: str) -> None:
        """A slash command's ack body is a reply, ephemeral unless it says in_channel."""
        raw = answer.content.strip()
        if not raw:
            return
        try:
            reply: Any = json.loads(raw)
        except ValueError:
            reply = {"text": answer.text}
        if not isinstance(reply, dict) or not (reply.get("text") or reply.get("blocks")):
            return
        with self.fake.lock:
            ch = self.fake.channels.get(channel) or self.fake.open_dm(user)
        try:
            if reply.get("response_type") == "in_channel":
                chat.post_message(self.fake, ch, reply)
            else:
                chat.post_ephemeral(self.fake, ch, user, reply)
        except SlackError as exc:
            self._system_note(channel, user, f"The app's reply was refused: {exc.error}")

    def invite_bot(self, *, user: str, channel: str) -> dict:
        """``/invite @datajobs``: the bot joins the channel; everyone sees that it did."""
        with self.fake.lock:
            ch = self.fake.channels.get(channel)
            if ch is None or ch.is_im:
                return {"ok": False, "error": "channel_not_found"}
            if self.fake.bot_user_id in ch.members:
                self._system_note(channel, user, "datajobs is already in this channel.")
                return {"ok": True}
            self.fake.set_member(channel, self.fake.bot_user_id)
            joined = {
                "type": "message",
                "subtype": "channel_join",
                "ts": self.fake.next_ts(),
                "user": self.fake.bot_user_id,
                "channel": channel,
                "text": f"<@{self.fake.bot_user_id}> has joined the channel",
                "inviter": user,
            }
            self.fake._messages.setdefault(channel, []).append(joined)
            self.fake._touch()
        return {"ok": True}

    async def action(
        self,
        *,
        user: str,
        action_id: str,
        value: str | None = None,
        block_id: str | None = None,
        channel: str | None = None,
        message_ts: str | None = None,
        view_id: str | None = None,
        values: dict | None = None,
    ) -> dict:
        trigger_id = self.fake.new_trigger_id(user)
        if view_id:
            view = self.fake.views.get(view_id)
            if view is None:
                return {"ok": False, "error": "view_not_found"}
            view["state"] = {"values": values or {}}
            body = block_actions_body(
                action_id,
                value,
                user_id=user,
                channel_id=None,
                response_url=None,
                trigger_id=trigger_id,
                view=view,
                block_id=block_id,
                user_name=self._user_name(user),
            )
        else:
            message = self.fake.message(channel or "", message_ts or "")
            if message is None:
                return {"ok": False, "error": "message_not_found"}
            response_url = self.fake.new_response_url(
                channel, user, message_ts=message_ts, ephemeral=bool(message.get("is_ephemeral"))
            )
            body = block_actions_body(
                action_id,
                value,
                user_id=user,
                channel_id=channel,
                message=message,
                response_url=response_url,
                trigger_id=trigger_id,
                block_id=block_id,
                user_name=self._user_name(user),
                channel_name=self._channel_name(channel or ""),
            )
        answer = await self._post(body)
        error = _failure(answer)
        if error is not None:
            if channel:
                self._system_note(channel, user, f"The app did not respond ({error}).")
            return {"ok": False, "error": error}
        return {"ok": True}

    async def open_home(self, *, user: str) -> dict:
        """The person opens the app's Home tab: Slack sends ``app_home_opened``."""
        answer = await self._post(event_body(app_home_opened(user)), JSON)
        return {"ok": _failure(answer) is None}

    async def say(self, *, user: str, channel: str, text: str) -> dict:
        """The person posts a plain message; its links to an unfurl domain get ``link_shared``."""
        with self.fake.lock:
            ch = self.fake.channels.get(channel)
            if ch is None or (not ch.is_im and user not in ch.members and ch.is_private):
                return {"ok": False, "error": "channel_not_found"}
        stored = URL.sub(lambda m: f"<{m.group(0)}>", chat.escape(text))
        msg = self.fake.post_as(channel, user, stored)
        urls = [
            u for u in chat.links_in(stored) if urlsplit(u).hostname in self.fake.unfurl_domains
        ]
        if urls:
            await self._post(event_body(link_shared(user, channel, msg["ts"], urls)), JSON)
        return {"ok": True, "ts": msg["ts"]}

    async def shortcut(self, *, user: str, channel: str, message_ts: str, callback_id: str) -> dict:
        """A message shortcut chosen from a message's "More actions" menu."""
        message = self.fake.message(channel, message_ts)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        body = message_action_body(
            callback_id,
            message,
            user_id=user,
            channel_id=channel,
            response_url=self.fake.new_response_url(channel, user),
            trigger_id=self.fake.new_trigger_id(user),
            user_name=self._user_name(user),
            channel_name=self._channel_name(channel),
        )
        answer = await self._post(body)
        error = _failure(answer)
        if error is not None:
            self._system_note(channel, user, f"The app did not respond ({error}).")
            return {"ok": False, "error": error}
        return {"ok": True}

    async def submit(self, *, user: str, view_id: str, values: dict) -> dict:
        try:
            view = submitted_view(self.fake, view_id, values)
        except SlackError as exc:
            return {"ok": False, "error": exc.error}
        body = view_submission_body(
            view,
            values,
            user_id=user,
            user_name=self._user_name(user),
            trigger_id=self.fake.new_trigger_id(user),
        )
        answer = await self._post(body)
        error = _failure(answer)
        if error is not None:
            return {
                "ok": False,
                "error": "We had some trouble connecting. Try again?",
                "code": error,
            }
        raw = answer.content.strip()
        ack = None
        if raw:
            try:
                ack = json.loads(raw)
            except ValueError:
                return {"ok": False, "error": "The app answered something Slack cannot read."}
        try:
            return {"ok": True, **apply_submission_ack(self.fake, view_id, ack)}
        except SlackError as exc:
            return {"ok": False, "error": exc.error}

    async def close(self, *, user: str, view_id: str) -> dict:
        view = self.fake.views.get(view_id)
        close_view(self.fake, view_id)
        if view and view.get("notify_on_close"):
            public = {k: v for k, v in view.items() if k not in ("user", "open", "errors")}
            payload = {
                "type": "view_closed",
                "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
                "user": {"id": user, "name": self._user_name(user), "team_id": TEAM_ID},
                "api_app_id": APP_ID,
                "view": public,
                "is_cleared": False,
            }
            await self._post(urlencode({"payload": json.dumps(payload)}).encode())
        return {"ok": True}
