"""The playground renders what the Web API receives: Block Kit and mrkdwn, safely.

Messages are posted over HTTP to the fake Slack as a bot would; a headless
Chromium shows the page. The "bot" here is an address where nothing listens,
so an action that reaches it gets Slack's failure note.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from sandbox.harness.ports import refusing_socket
from sandbox.playground import FakeSlack, create_slack_app
from sandbox.server_thread import ServerThread
from tests.support.browser import Browser, message

pytestmark = pytest.mark.browser

HOSTILE = '&lt;img src=x onerror="window.pwned=1"&gt; &amp; &lt;!channel&gt;'


@pytest.fixture(scope="module")
def playground():
    fake = FakeSlack()
    refusing = refusing_socket()  # the bot's URL: connections are refused
    nobody = f"http://127.0.0.1:{refusing.getsockname()[1]}"
    server = ServerThread(create_slack_app(fake, bot_url=nobody, signing_secret="s")).start()
    fake.base_url = server.url
    yield fake, server.url
    server.stop()
    refusing.close()


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture
def page(playground, browser):
    fake, url = playground
    fake.reset()
    page = browser.browser.new_page(
        viewport={"width": 1300, "height": 900}, timezone_id="America/Los_Angeles"
    )
    page.set_default_timeout(30_000)
    page.on("pageerror", lambda exc: browser.errors.append(str(exc)))
    page.goto(url + "/")
    yield page
    page.close()
    assert browser.errors == []


def post(url: str, fake: FakeSlack, **args) -> dict:
    r = httpx.post(
        f"{url}/api/chat.postMessage",
        json={"channel": "C0DATAJOBS", **args},
        headers={"Authorization": f"Bearer {fake.bot_token}"},
        timeout=10,
    )
    assert r.json()["ok"], r.json()
    return r.json()


def test_mrkdwn_formats_and_never_injects(playground, page):
    fake, url = playground
    text = (
        "*bold* _italic_ ~gone~ `a_b*c` <https://example.com/x?a=1&amp;b=2|the docs> "
        "<@U0BOB> <#C0GENERAL|> <!here> <!date^1392734382^{date_num} at {time}|Feb 18> "
        f"{HOSTILE} <javascript:alert(1)|click me> snake_case_name"
    )
    post(url, fake, text=text)
    msg = message(page, "bold")
    body = msg.locator(".msg-body")
    assert body.locator("b").inner_text() == "bold"
    assert body.locator("i").inner_text() == "italic"
    assert body.locator("s").inner_text() == "gone"
    assert body.locator("code").inner_text() == "a_b*c"
    link = body.locator("a")
    assert link.count() == 1
    assert link.inner_text() == "the docs"
    assert link.get_attribute("href") == "https://example.com/x?a=1&b=2"
    assert body.locator(".mention").all_inner_texts() == ["@bob", "@here"]
    assert body.locator(".channel-link").inner_text() == "#general"
    assert body.locator("time").inner_text() == "2014-02-18 at 6:39 AM"  # the reader's zone
    shown = body.inner_text()
    assert '<img src=x onerror="window.pwned=1"> & <!channel>' in shown
    assert "click me" in shown and "snake_case_name" in shown
    assert body.locator("img").count() == 0
    assert page.evaluate("window.pwned") is None


def test_blocks_render_and_unknown_block_shows_json(playground, page):
    fake, url = playground
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Job :white_check_mark:"}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "*Status* running"},
            "fields": [
                {"type": "mrkdwn", "text": "*Id*\n`dj-1`"},
                {"type": "plain_text", "text": "*not bold*"},
            ],
            "accessory": {
                "type": "button",
                "action_id": "acc",
                "value": "1",
                "text": {"type": "plain_text", "text": "Open"},
            },
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "updated _now_"}]},
        {"type": "divider"},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "go",
                    "style": "danger",
                    "value": "x",
                    "text": {"type": "plain_text", "text": "Cancel"},
                },
                {
                    "type": "static_select",
                    "action_id": "pick",
                    "placeholder": {"type": "plain_text", "text": "Pick"},
                    "options": [{"text": {"type": "plain_text", "text": "One"}, "value": "1"}],
                },
                {
                    "type": "overflow",
                    "action_id": "more",
                    "options": [
                        {"text": {"type": "plain_text", "text": "Inspect"}, "value": "i"},
                        {"text": {"type": "plain_text", "text": "Delete"}, "value": "d"},
                    ],
                },
            ],
        },
        {"type": "mystery_block", "payload": "still visible"},
    ]
    post(url, fake, text="fallback", blocks=blocks)
    msg = message(page, "Status")
    assert msg.locator(".blk-header").inner_text() == "Job ✅"
    assert msg.locator(".section-fields .field").count() == 2
    assert msg.locator(".section-fields .field").nth(1).inner_text() == "*not bold*"
    assert msg.locator(".section-accessory button").inner_text() == "Open"
    assert msg.locator(".blk-context i").inner_text() == "now"
    assert msg.locator("hr.blk-divider").count() == 1
    assert "danger" in msg.get_by_role("button", name="Cancel").get_attribute("class")
    assert msg.locator("select option").all_inner_texts() == ["Pick", "One"]
    msg.locator(".overflow-btn").click()
    assert msg.locator(".overflow-item").all_inner_texts() == ["Inspect", "Delete"]
    assert "still visible" in msg.locator("pre.unknown-block").inner_text()
    assert "mystery_block" in msg.locator("pre.unknown-block").inner_text()


def test_confirm_dialog_comes_before_the_action(playground, page):
    fake, url = playground
    confirm = {
        "title": {"type": "plain_text", "text": "Cancel job?"},
        "text": {"type": "plain_text", "text": "Cancel <b>Nightly</b>?"},
        "confirm": {"type": "plain_text", "text": "Cancel job"},
        "deny": {"type": "plain_text", "text": "Keep it"},
        "style": "danger",
    }
    post(
        url,
        fake,
        text="card",
        blocks=[
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "cancel",
                        "value": "x",
                        "confirm": confirm,
                        "text": {"type": "plain_text", "text": "Cancel"},
                    }
                ],
            }
        ],
    )
    msg = message(page, "Cancel")
    msg.get_by_role("button", name="Cancel").click()
    dialog = page.locator(".confirm")
    assert dialog.locator(".confirm-text").inner_text() == "Cancel <b>Nightly</b>?"
    dialog.get_by_role("button", name="Keep it").click()
    assert dialog.count() == 0
    assert fake.ephemerals() == []  # nothing was sent
    msg.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Cancel job").click()
    note = message(page, "did not respond")  # sent; the bot is not there
    assert "Slackbot" in note.inner_text()


def test_threads_open_and_messages_update_in_place(playground, page):
    fake, url = playground
    parent = post(url, fake, text="first version")
    post(url, fake, text="a reply in the thread", thread_ts=parent["ts"])
    msg = message(page, "first version")
    assert "a reply in the thread" not in page.locator("#messages").inner_text()
    msg.locator(".thread-link").click()
    message(page, "a reply in the thread", where="#thread")
    httpx.post(
        f"{url}/api/chat.update",
        json={"channel": "C0DATAJOBS", "ts": parent["ts"], "text": "second version"},
        headers={"Authorization": f"Bearer {fake.bot_token}"},
        timeout=10,
    )
    updated = page.locator(f'#messages .msg[data-ts="{parent["ts"]}"]').filter(
        has_text="second version"
    )
    updated.wait_for()
    assert "(edited)" in updated.inner_text()
    assert page.locator("#messages .msg").filter(has_text="first version").count() == 0


def test_web_api_calls_are_shown_live(playground, page):
    fake, url = playground
    fake.add_fault("chat.postMessage", error="not_in_channel", count=1)
    r = httpx.post(
        f"{url}/api/chat.postMessage",
        json={"channel": "C0DATAJOBS", "text": "x"},
        headers={"Authorization": f"Bearer {fake.bot_token}"},
        timeout=10,
    )
    assert r.json()["error"] == "not_in_channel"
    failed = page.locator("#call-list li.fail").filter(has_text="chat.postMessage")
    failed.wait_for()
    assert "not_in_channel" in failed.inner_text()


def test_invite_adds_the_bot_to_a_channel(playground, page):
    fake, _ = playground
    page.locator("#channel-list .conv").filter(has_text="random").locator("button").click()
    assert "not in this channel" in page.locator("#channel-note").inner_text()
    page.fill("#composer-input", "/invite @datajobs")
    page.press("#composer-input", "Enter")
    message(page, "has joined the channel")
    assert "U0DATAJOBS" in fake.channels["C0RANDOM"].members
    expect(page.locator("#channel-note")).not_to_contain_text("not in this channel")
