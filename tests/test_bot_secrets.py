"""Tokens, the signing secret and API keys never reach a log line or a Slack message."""

from __future__ import annotations

import json
import logging

from bot.ids import Action
from tests.support.fixtures_bot import all_text


def test_no_secret_in_logs_or_anything_sent_to_slack(make_bot, simulator, fake_slack, caplog):
    simulator.control.add_key("sk-personal-SECRET-123", user_id="user-sim")
    bot = make_bot(seekr_api_key="sk-personal-SECRET-123")
    caplog.set_level(logging.DEBUG)
    job = simulator.control.create_job(
        "Secretive", status="running", api_key="sk-personal-SECRET-123"
    )
    bot.ask("list")
    card = bot.reply(bot.command(f"inspect {job['id']}")[1])
    bot.driver.click(Action.JOB_CANCEL, message=bot.shown(bot.driver.last_response_url))
    bot.replies(bot.driver.last_response_url)
    simulator.control.revoke_key("sk-personal-SECRET-123")
    rejected = bot.ask("list")
    assert "did not accept the API key" in all_text(rejected)
    secrets = [
        "sk-personal-SECRET-123",
        bot.settings.slack_bot_token.get_secret_value(),
        bot.settings.slack_signing_secret.get_secret_value(),
    ]
    lines = [r.getMessage() + " " + str(r.args) for r in caplog.records]
    logged = "\n".join(
        line for line in lines if "/_sim/" not in line
    )  # the test's own control calls
    sent = (
        json.dumps([p["body"] for p in fake_slack.fake.response_url_posts()])
        + json.dumps([c.args for c in fake_slack.fake.calls()])
        + json.dumps(card)
    )
    assert logged and sent
    for secret in secrets:
        assert secret not in logged
        assert secret not in sent
