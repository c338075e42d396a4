"""Signed requests built here are what Slack sends: Bolt verifies and parses them."""

from __future__ import annotations

import time

import pytest
from fastapi import FastAPI, Request
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from sandbox.playground.requests import slash_command_body
from sandbox.playground.signing import sign
from sandbox.server_thread import ServerThread
from tests.support.fixtures_slack import SlackDriver

SECRET = "test-signing-secret"
OFFICIAL_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGl"
    b"gcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)

MODAL = {
    "type": "modal",
    "callback_id": "rename_view",
    "private_metadata": "job-1",
    "title": {"type": "plain_text", "text": "Rename"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "name",
            "label": {"type": "plain_text", "text": "Name"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}
CARD = [
    {"type": "section", "block_id": "card", "text": {"type": "mrkdwn", "text": "job"}},
    {
        "type": "actions",
        "block_id": "buttons",
        "elements": [
            {
                "type": "button",
                "action_id": "refresh",
                "value": "job-1",
                "text": {"type": "plain_text", "text": "Refresh"},
            },
            {
                "type": "static_select",
                "action_id": "sort",
                "placeholder": {"type": "plain_text", "text": "Sort"},
                "options": [
                    {"text": {"type": "plain_text", "text": "Name"}, "value": "name"},
                    {"text": {"type": "plain_text", "text": "Created"}, "value": "created_at"},
                ],
            },
        ],
    },
]


def test_sign_matches_slacks_worked_example():
    headers = sign("8f742231b10e8888abcd99yyyzzz85a5", OFFICIAL_BODY, 1531420618)
    assert headers["X-Slack-Signature"] == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )
    assert headers["X-Slack-Request-Timestamp"] == "1531420618"


def test_signature_verifier_accepts_fresh_and_rejects_stale_or_forged():
    verifier = SignatureVerifier(SECRET)
    body = slash_command_body(
        "list",
        user_id="U0ALICE",
        channel_id="C0GENERAL",
        response_url="http://127.0.0.1/r",
        trigger_id="1.2",
    )
    fresh = sign(SECRET, body)
    assert verifier.is_valid_request(body, fresh)
    stale = sign(SECRET, body, int(time.time()) - 301)
    assert not verifier.is_valid_request(body, stale)
    assert not verifier.is_valid_request(body, sign("another-secret", body))
    assert not verifier.is_valid_request(body + b"x", fresh)


def _bolt_app(api_url: str, token: str) -> FastAPI:
    app = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=token, base_url=api_url))

    @app.command("/datajobs")
    async def command(ack, command, respond, client, body):
        await ack()
        if command["text"] == "modal":
            await client.views_open(trigger_id=body["trigger_id"], view=MODAL)
        elif command["text"] == "card":
            await client.chat_postMessage(channel=command["channel_id"], text="card", blocks=CARD)
        else:
            await respond(
                f"{command['text']}|{command['user_id']}|{command['channel_id']}|"
                f"{command['team_id']}|{command['api_app_id']}"
            )

    @app.action("refresh")
    async def refresh(ack, action, respond, body):
        await ack()
        assert body["container"]["message_ts"] == body["message"]["ts"]
        await respond(
            replace_original=True, text=f"refreshed {action['value']} by {body['user']['id']}"
        )

    @app.action("sort")
    async def sort(ack, action, body, client):
        await ack()
        chosen = action["selected_option"]["value"]
        state = body["state"]["values"]["buttons"]["sort"]["selected_option"]["value"]
        await client.chat_update(
            channel=body["channel"]["id"],
            ts=body["message"]["ts"],
            text=f"sorted by {chosen}/{state}",
        )

    @app.view("rename_view")
    async def submit(ack, view, body, client):
        name = view["state"]["values"]["name"]["value"]["value"]
        if not name.strip():
            await ack(response_action="errors", errors={"name": "A name is required."})
            return
        await ack()
        await client.chat_postMessage(
            channel=body["user"]["id"], text=f"{view['private_metadata']} is now {name}"
        )

    handler = AsyncSlackRequestHandler(app)
    api = FastAPI()

    @api.post("/slack/events")
    async def events(req: Request):
        return await handler.handle(req)

    return api


@pytest.fixture
def driver(fake_slack):
    server = ServerThread(
        _bolt_app(fake_slack.api_url, fake_slack.fake.bot_token), log_level="warning"
    ).start()
    drv = SlackDriver(server.url, fake_slack, SECRET)
    yield drv
    drv.close()
    server.stop()


def test_slash_command_fields_reach_bolt(driver, fake_slack):
    assert (
        driver.command("list type:alignment", user="U0BOB", channel="C0GENERAL").status_code == 200
    )
    fake_slack.fake.wait_for(lambda f: f.ephemerals("C0GENERAL", "U0BOB"))
    text = fake_slack.fake.ephemerals("C0GENERAL", "U0BOB")[0]["text"]
    assert text == "list type:alignment|U0BOB|C0GENERAL|T0DEMO|A0DATAJOBS"


def test_forged_or_stale_request_is_refused(driver, fake_slack):
    assert driver.command("list", secret="not-the-secret").status_code == 401
    assert driver.command("list", timestamp=int(time.time()) - 301).status_code == 401
    time.sleep(0.3)
    assert fake_slack.fake.ephemerals() == [] and fake_slack.fake.calls() == []


def test_button_click_replaces_the_message_it_was_on(driver, fake_slack):
    driver.command("card")
    card = fake_slack.fake.wait_for(lambda f: f.messages("C0DATAJOBS"))[0]
    assert driver.click("refresh", message=card, user="U0BOB").status_code == 200
    fake_slack.fake.wait_for(lambda f: f.messages("C0DATAJOBS")[0]["text"].startswith("refreshed"))
    assert fake_slack.fake.messages("C0DATAJOBS")[0]["text"] == "refreshed job-1 by U0BOB"
    assert len(fake_slack.fake.messages("C0DATAJOBS")) == 1


def test_select_sends_selected_option_and_state(driver, fake_slack):
    driver.command("card")
    card = fake_slack.fake.wait_for(lambda f: f.messages("C0DATAJOBS"))[0]
    driver.click("sort", "name", message=card)
    fake_slack.fake.wait_for(lambda f: f.messages("C0DATAJOBS")[0]["text"].startswith("sorted"))
    assert fake_slack.fake.messages("C0DATAJOBS")[0]["text"] == "sorted by name/name"


def test_modal_errors_inline_then_submits_and_closes(driver, fake_slack):
    fake = fake_slack.fake
    driver.command("modal")
    view = fake.wait_for(lambda f: f.open_views("U0ALICE"))[0]
    assert driver.submit(view, {"name": {"value": "  "}}).status_code == 200
    assert fake.open_views("U0ALICE")[0]["errors"] == {"name": "A name is required."}
    assert driver.submit(view, {"name": {"value": "new name"}}).status_code == 200
    assert fake.open_views("U0ALICE") == []
    dm = fake.wait_for(lambda f: f.messages("D0ALICE"))
    assert dm[0]["text"] == "job-1 is now new name"
