"""Who may act: personal keys, the team key with OPERATORS, the clicker's rights, the audit."""

from __future__ import annotations

import json

import pytest
import redis as redis_sync
from slack_sdk import WebClient

from bot.ids import Action
from bot.services.access import refusal
from bot.store import generate_key, keys
from bot.values import Change
from tests.support.fixtures_bot import all_text, api_requests, element
from tests.support.identity_helpers import login, new_key

REFUSED = refusal(Change.CANCEL)


def card_in_channel(bot, job_id: str, user: str = "U0ALICE", channel: str = "C0DATAJOBS") -> dict:
    """``user`` inspects a job; the card is then shared in ``channel`` (as a notification is)."""
    card = bot.ask(f"inspect {job_id}", user=user)
    web = WebClient(token=bot.fake.bot_token, base_url=bot.slack.api_url)
    posted = web.chat_postMessage(channel=channel, text=card["text"], blocks=card["blocks"])
    return bot.fake.message(channel, posted["ts"])


def click_value(msg: dict, action_id: str) -> str:
    return element(msg, action_id)["value"]


def audit_entries(redis_url: str) -> list[dict]:
    r = redis_sync.Redis.from_url(redis_url, decode_responses=True)
    try:
        return [fields for _id, fields in r.xrange(keys.audit_stream())]
    finally:
        r.close()


def test_non_operator_cancel_is_refused_with_no_seekrflow_call(bot, simulator, redis_url):
    job = simulator.control.create_job("Keep running", status="running")
    simulator.control.clear_requests()
    answer = bot.ask(f"cancel {job['id']}", user="U0CAROL")
    assert REFUSED in all_text(answer)
    assert api_requests(simulator) == []
    assert simulator.control.job(job["id"])["status"] == "running"
    refused = [e for e in audit_entries(redis_url) if e["outcome"] == "refused"]
    assert refused and refused[-1]["action"] == "cancel" and refused[-1]["actor"] == "U0CAROL"
    assert refused[-1]["job_id"] == job["id"] and refused[-1]["channel"] == "C0DATAJOBS"


def test_non_operator_buttons_are_refused_with_no_seekrflow_call(bot, simulator):
    job = simulator.control.create_job("Keep running", status="running")
    card = card_in_channel(bot, job["id"])
    simulator.control.clear_requests()
    bot.driver.click(
        Action.JOB_CANCEL, click_value(card, Action.JOB_CANCEL), message=card, user="U0CAROL"
    )
    shown = bot.replies(bot.driver.last_response_url)[0]
    assert REFUSED in all_text(shown)
    bot.driver.click(
        Action.JOB_RENAME, click_value(card, Action.JOB_RENAME), message=card, user="U0CAROL"
    )
    shown = bot.replies(bot.driver.last_response_url)[0]
    assert "You can't rename this" in all_text(shown)
    assert not bot.fake.open_views("U0CAROL")  # no rename modal for her
    assert api_requests(simulator) == []
    assert simulator.control.job(job["id"])["status"] == "running"
    assert "Keep running" in all_text(bot.fake.message(card["channel"], card["ts"]))


def test_operator_by_user_id_cancels(bot, simulator):
    job = simulator.control.create_job("Stop me", status="running")
    answer = bot.ask(f"cancel {job['id']}", user="U0ALICE")
    assert "Cancelled by <@U0ALICE>" in all_text(answer)
    assert simulator.control.job(job["id"])["status"] == "cancelled"


def test_operator_through_a_user_group_cancels(make_bot, simulator):
    bot = make_bot(operators=["S0DATATEAM"])  # Alice and Bob are its members; Carol is not
    job = simulator.control.create_job("Stop me", status="running")
    assert REFUSED in all_text(bot.ask(f"cancel {job['id']}", user="U0CAROL"))
    assert "Cancelled by <@U0BOB>" in all_text(bot.ask(f"cancel {job['id']}", user="U0BOB"))
    assert simulator.control.job(job["id"])["status"] == "cancelled"
    assert bot.fake.calls("usergroups.users.list")


def test_a_click_on_someone_elses_message_uses_the_clickers_key(make_bot, simulator):
    bot = make_bot(bot_encryption_key=generate_key())
    job = simulator.control.create_job("Team job", status="running")  # owned by user-sim
    card = card_in_channel(bot, job["id"], user="U0ALICE")  # Alice, an operator, shared it
    login(bot, "U0CAROL", new_key(simulator, "user-carol"))
    simulator.control.clear_requests()
    bot.driver.click(
        Action.JOB_CANCEL, click_value(card, Action.JOB_CANCEL), message=card, user="U0CAROL"
    )
    shown = bot.replies(bot.driver.last_response_url)[0]
    assert "there is no data job" in all_text(shown).lower()
    reqs = api_requests(simulator)
    assert reqs and {r["key_user"] for r in reqs} == {"user-carol"}
    assert {r["status"] for r in reqs} == {404}
    assert simulator.control.job(job["id"])["status"] == "running"


def test_a_linked_key_lets_a_non_operator_change_her_own_jobs(make_bot, simulator):
    bot = make_bot(bot_encryption_key=generate_key())
    key = new_key(simulator, "user-carol", jobs=0)
    mine = simulator.control.create_job("Carol's run", api_key=key, status="running")
    login(bot, "U0CAROL", key)
    answer = bot.ask(f"cancel {mine['id']}", user="U0CAROL")
    assert "Cancelled by <@U0CAROL>" in all_text(answer)
    assert simulator.control.job(mine["id"])["status"] == "cancelled"
    assert {r["key_user"] for r in api_requests(simulator) if r["path"].endswith("/cancel")} == {
        "user-carol"
    }


def test_rename_and_cancel_are_audited_from_what_to_what(bot, simulator, redis_url):
    job = simulator.control.create_job("Before", status="ready_to_start")
    bot.ask(f"rename {job['id']} After <it>", user="U0ALICE")
    running = simulator.control.create_job("Running", status="running")
    bot.ask(f"cancel {running['id']}", user="U0ALICE")
    entries = audit_entries(redis_url)
    rename = [e for e in entries if e["action"] == "rename"][-1]
    assert (
        rename["actor"],
        rename["job_id"],
        rename["before"],
        rename["after"],
        rename["outcome"],
    ) == ("U0ALICE", job["id"], "Before", "After <it>", "ok")
    cancel = [e for e in entries if e["action"] == "cancel"][-1]
    assert (cancel["job_id"], cancel["after"], cancel["outcome"]) == (
        running["id"],
        "cancelled",
        "ok",
    )
    assert cancel["before"] in ("running", "pending|queued|running")  # read first, or not
    assert cancel["identity"] == "team"


@pytest.mark.parametrize("who", ["U0CAROL"])
def test_refusal_names_the_way_out(bot, simulator, who):
    job = simulator.control.create_job("Name me", status="ready_to_start")
    text = all_text(bot.ask(f"rename {job['id']} New", user=who))
    assert "You can't rename this: ask an operator or `/datajobs login`" in text
    assert simulator.control.job(job["id"])["name"] == "Name me"
    assert json.dumps(text)  # a plain sentence, no stack trace
    assert "Traceback" not in text


def test_a_revoked_linked_key_tells_the_person_to_link_a_new_one(make_bot, simulator):
    bot = make_bot(bot_encryption_key=generate_key())
    key = new_key(simulator, "user-carol")
    login(bot, "U0CAROL", key)
    simulator.control.revoke_key(key)
    text = all_text(bot.ask("list", user="U0CAROL"))
    assert "rejected your linked key" in text and "/datajobs login" in text
    assert "whoever set up the bot" not in text and key not in text


def test_rename_from_a_card_shows_on_that_card_who_renamed_it_and_when(bot, simulator, redis_url):
    from bot.ids import Block, View

    job = simulator.control.create_job("Old name", status="ready_to_start")
    card = card_in_channel(bot, job["id"], user="U0BOB")
    bot.driver.click(
        Action.JOB_RENAME, click_value(card, Action.JOB_RENAME), message=card, user="U0ALICE"
    )
    view = bot.wait(
        lambda f: [v for v in f.open_views("U0ALICE") if v.get("callback_id") == View.RENAME]
    )[-1]
    bot.driver.submit(view, {Block.RENAME_NAME: {Action.RENAME_INPUT: "New name"}})
    updated = bot.wait(
        lambda f: (
            "Renamed by" in all_text(f.message(card["channel"], card["ts"]))
            and f.message(card["channel"], card["ts"])
        )
    )
    text = all_text(updated)
    assert "Renamed by <@U0ALICE> at <!date^" in text and "New name" in text
    assert simulator.control.job(job["id"])["name"] == "New name"
    rename = [e for e in audit_entries(redis_url) if e["action"] == "rename"][-1]
    assert (rename["before"], rename["after"], rename["actor"]) == (
        "Old name",
        "New name",
        "U0ALICE",
    )
