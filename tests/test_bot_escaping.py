"""Hostile job names, file names and messages are inert in every surface."""

from __future__ import annotations

import re

import pytest

from bot.ids import Action, Block, View
from tests.support.fixtures_bot import all_text, element, texts_of

HOSTILE = ["<!channel>", "<https://evil.example|click>", "&amp;", "<@U0BOB>", "<!subteam^S1>"]
NAME = "Q3 " + " ".join(HOSTILE)
# What may appear in Slack text: our own date tokens and mentions of the person who acted.
OWN_TOKEN = re.compile(r"<!date\^\d+\^[^|>]+\|[^>]+>|<@U0ALICE>")


def assert_inert(surface):
    for text in texts_of(surface):
        stripped = OWN_TOKEN.sub("", text)
        assert "<" not in stripped and ">" not in stripped, text
    joined = all_text(surface)
    assert "&lt;!channel&gt;" in joined
    assert "&lt;https://evil.example|click&gt;" in joined
    assert "&amp;amp;" in joined  # a literal "&amp;" stays visible as typed


def _no_mentions_anywhere(fake_slack):
    for call in fake_slack.fake.calls():
        assert "link_names" not in call.args and call.args.get("parse") != "full"


@pytest.fixture
def hostile_job(simulator):
    return simulator.control.create_job(
        NAME,
        status="running",
        files=[{"filename": "<!here>.pdf", "error": "bad <https://x|y> & co"}],
    )


def test_list_escapes_names(bot, hostile_job, fake_slack):
    _, url = bot.command("list limit:1")
    msg = bot.reply(url)
    assert_inert(msg)
    options = [
        o["text"]["text"]
        for b in msg["blocks"]
        if b.get("accessory", {}).get("options")
        for o in b["accessory"]["options"]
    ]
    assert options  # a running job: Inspect / Cancel menu
    _no_mentions_anywhere(fake_slack)


def test_card_escapes_names_files_and_messages(bot, hostile_job, simulator, fake_slack):
    simulator.control.set_status(hostile_job["id"], "running", status_message="<!everyone> now")
    msg = bot.ask(f"inspect {hostile_job['id']}")
    assert_inert(msg)
    text = all_text(msg)
    assert "&lt;!here&gt;.pdf" in text and "&lt;!everyone&gt; now" in text
    confirm = element(msg, Action.JOB_CANCEL)["confirm"]
    assert "&lt;!channel&gt;" in confirm["text"]["text"]
    _no_mentions_anywhere(fake_slack)


def test_cancel_prompt_and_result_escape_names(bot, hostile_job):
    _, url = bot.command("list limit:1")
    bot.reply(url)
    listing = bot.shown(url)
    menu = next(b["accessory"] for b in listing["blocks"] if b.get("accessory"))
    bot.driver.click(Action.ROW_MENU, menu["options"][1]["value"], message=listing)
    purl = bot.driver.last_response_url
    bot.reply(purl)
    prompt = bot.shown(purl)
    assert_inert(prompt)
    bot.driver.click(Action.JOB_CANCEL, message=prompt)
    bot.replies(bot.driver.last_response_url)
    assert_inert(bot.fake.message(prompt["channel"], prompt["ts"]))


def test_rename_reply_escapes_what_was_typed(bot, simulator):
    job = simulator.control.create_job("plain", status="ready_to_start")
    typed = NAME.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # as Slack sends
    msg = bot.ask(f"rename {job['id']} {typed}")
    assert simulator.control.job(job["id"])["name"] == NAME
    assert_inert(msg)


def test_modal_outcome_escapes_and_input_keeps_raw_text(bot, simulator):
    job = simulator.control.create_job(NAME, status="ready_to_start")
    _, url = bot.command(f"inspect {job['id']}")
    bot.reply(url)
    bot.driver.click(Action.JOB_RENAME, message=bot.shown(url))
    view = bot.wait(
        lambda f: [v for v in f.open_views("U0ALICE") if v.get("callback_id") == View.RENAME]
    )[-1]
    assert view["blocks"][0]["element"]["initial_value"] == NAME  # raw, editable as is
    bot.driver.submit(view, {Block.RENAME_NAME: {Action.RENAME_INPUT: NAME + " v2"}})
    (said,) = bot.wait(
        lambda f: [m for m in f.ephemerals(user="U0ALICE") if "Renamed" in m.get("text", "")]
    )
    assert_inert(said)
    assert simulator.control.job(job["id"])["name"] == NAME + " v2"


def test_error_messages_escape_what_was_typed(bot):
    # typing "@channel" reaches the bot as <!channel> (should_escape is on)
    text = all_text(bot.ask("inspect <!channel>"))  # a name: looked up, and not found
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text and "No job" in text
    response, _ = bot.command("inspect dj-<!channel>")  # not a job id: refused in the ack itself
    text = all_text(response.json())
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text and "not a job id" in text
    response, _ = bot.command("<!here> please")
    assert "<!here>" not in all_text(response.json())
