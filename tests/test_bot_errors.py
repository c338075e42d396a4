"""Every error reaches the person as a specific sentence; forged requests cause nothing."""

from __future__ import annotations

import json
import logging
import re
import time
from urllib.parse import urlencode

from bot.ids import Action
from sandbox.playground.requests import slash_command_body
from tests.support.fixtures_bot import all_text, api_requests

GHOST = "dj-00000000-0000-0000-0000-000000000000"


def test_unknown_id(bot, simulator):
    msg = bot.ask(f"inspect {GHOST}")
    assert f"There is no data job {GHOST}, or this API key cannot see it." in all_text(msg)


def test_another_keys_job_is_unknown_too(bot, simulator):
    other = simulator.control.create_job("Not yours", api_key=simulator.other_key)
    msg = bot.ask(f"cancel {other['id']}")
    assert "cannot see it" in all_text(msg)
    assert simulator.control.job(other["id"])["status"] != "cancelled"


def test_key_rejected(make_bot):
    bot = make_bot(seekr_api_key="not-a-real-key")
    text = all_text(bot.ask("list"))
    assert "SeekrFlow did not accept the API key" in text
    assert "not-a-real-key" not in text


def test_seekrflow_down(make_bot, closed_url):
    bot = make_bot(seekr_base_url=closed_url)
    response, url = bot.command("list")
    assert response.json()["text"] == "Fetching your data jobs…"
    assert "Could not connect to SeekrFlow" in all_text(bot.reply(url))


def test_seekrflow_slow_gets_an_ack_then_did_not_answer(make_bot, simulator):
    bot = make_bot(seekr_timeout=2.0)
    simulator.control.set_latency(10)
    try:
        response, url = bot.command("list")
        # Bolt answers 404 "unhandled request" when a listener has not acked within 3 s.
        assert response.status_code == 200
        assert response.json()["text"] == "Fetching your data jobs…"
        text = all_text(bot.reply(url, timeout=30))
        assert "SeekrFlow did not answer" in text and "within 2 seconds" in text
    finally:
        simulator.control.set_latency(0)


def test_seekrflow_slow_but_answering_gets_the_answer(make_bot, simulator):
    bot = make_bot(seekr_timeout=15.0)
    simulator.control.set_latency(4)
    try:
        response, url = bot.command("list limit:2")
        assert response.status_code == 200 and "Fetching" in response.json()["text"]
        assert "showing 1–2" in all_text(bot.reply(url, timeout=30))
    finally:
        simulator.control.set_latency(0)


def test_rate_limited_says_when_to_retry(bot, simulator):
    simulator.control.add_fault(429, count=20, retry_after=40)
    try:
        text = all_text(bot.ask("list"))
    finally:
        simulator.control.clear_faults()
    assert "limiting how often it is called; try again in 40 seconds" in text


def test_server_error(bot, simulator):
    simulator.control.add_fault(500, count=20)
    try:
        text = all_text(bot.ask(f"inspect {GHOST}"))
    finally:
        simulator.control.clear_faults()
    assert "SeekrFlow had a problem on its side (HTTP 500)" in text


def test_unexpected_error_shows_a_reference_that_is_logged(bot, simulator, fake_slack, caplog):
    job = simulator.control.create_job("Posted", status="running")
    posted = bot.driver.http.post(
        fake_slack.api_url + "chat.postMessage",
        headers={"Authorization": f"Bearer {bot.settings.slack_bot_token.get_secret_value()}"},
        json={
            "channel": "C0DATAJOBS",
            "text": "card",
            "blocks": [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": Action.JOB_REFRESH,
                            "text": {"type": "plain_text", "text": "Refresh"},
                            "value": json.dumps({"j": job["id"]}),
                        }
                    ],
                }
            ],
        },
    ).json()
    fake_slack.fake.add_fault("chat.update", error="cant_update_message")
    caplog.set_level(logging.ERROR, logger="bot")
    bot.driver.click(
        Action.JOB_REFRESH, message=fake_slack.fake.message("C0DATAJOBS", posted["ts"])
    )
    text = bot.reply(bot.driver.last_response_url)["text"]
    ref = re.search(r"reference `([0-9a-f]{8})`", text).group(1)
    assert "Traceback" not in text
    deadline = time.monotonic() + 10
    while not any(ref in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(ref in r.getMessage() for r in caplog.records)


def test_forged_signature_and_stale_timestamp_are_refused(bot, simulator, fake_slack):
    simulator.control.clear_requests()
    url = fake_slack.fake.new_response_url("C0DATAJOBS")
    body = slash_command_body(
        "cancel " + GHOST,
        user_id="U0ALICE",
        channel_id="C0DATAJOBS",
        response_url=url,
        trigger_id="1.x",
    )
    calls_before = len(fake_slack.fake.calls())
    forged = bot.driver.post(body, secret="not-the-secret")
    stale = bot.driver.post(body, timestamp=int(time.time()) - 301)
    unsigned = bot.driver.http.post(
        bot.driver.events_url,
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    interaction = bot.driver.post(urlencode({"payload": "{}"}).encode(), secret="wrong")
    assert [r.status_code for r in (forged, stale, unsigned, interaction)] == [401] * 4
    time.sleep(0.5)  # give a (wrongly) started listener time to show itself
    assert api_requests(simulator) == []
    assert len(fake_slack.fake.calls()) == calls_before
    assert fake_slack.fake.response_url_posts(url) == []
