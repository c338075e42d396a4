"""Every button and select on the list and the job card, clicked as Slack sends it."""

from __future__ import annotations

import json

import httpx

from bot.ids import Action
from sandbox.playground.blockcheck import block_problems
from tests.support.fixtures_bot import all_text, api_requests, element


def _rows(msg):
    return [b for b in msg["blocks"] if b.get("accessory")]


def _list(bot, text="list limit:3"):
    _, url = bot.command(text)
    bot.reply(url)
    return bot.shown(url)


def test_next_and_previous_page_in_place(bot, simulator):
    first = _list(bot)
    first_ids = [r["text"]["text"] for r in _rows(first)]
    bot.driver.click(Action.LIST_NEXT, message=first)
    bot.replies(bot.driver.last_response_url)
    second = bot.fake.message(first["channel"], first["ts"])  # replaced in place
    assert "showing 4–6" in all_text(second)
    assert [r["text"]["text"] for r in _rows(second)] != first_ids
    assert element(second, Action.LIST_PREV) is not None
    bot.driver.click(Action.LIST_PREV, message=second)
    bot.replies(bot.driver.last_response_url)
    back = bot.fake.message(first["channel"], first["ts"])
    assert [r["text"]["text"] for r in _rows(back)] == first_ids
    assert element(back, Action.LIST_PREV) is None


def test_type_select_refilters_the_same_message(bot, simulator):
    first = _list(bot, "list limit:5")
    simulator.control.clear_requests()
    bot.driver.click(Action.LIST_TYPE, "context_grounded_files", message=first)
    bot.replies(bot.driver.last_response_url)
    after = bot.fake.message(first["channel"], first["ts"])
    rows = _rows(after)
    assert rows and all("context_grounded_files" in r["text"]["text"] for r in rows)
    select = element(after, Action.LIST_TYPE)
    assert select["initial_option"]["value"] == "context_grounded_files"
    assert api_requests(simulator)[-1]["query"]["job_type"] == "context_grounded_files"
    assert api_requests(simulator)[-1]["query"]["limit"] in ("6", 6)  # the limit is kept


def test_sort_and_order_selects(bot, simulator):
    first = _list(bot, "list limit:5")
    bot.driver.click(Action.LIST_SORT, "name", message=first)
    bot.replies(bot.driver.last_response_url)
    sorted_msg = bot.fake.message(first["channel"], first["ts"])
    bot.driver.click(Action.LIST_ORDER, "asc", message=sorted_msg)
    bot.replies(bot.driver.last_response_url)
    asc = bot.fake.message(first["channel"], first["ts"])
    names = [r["text"]["text"].split("*")[1].lower() for r in _rows(asc)]
    assert names == sorted(names)
    q = api_requests(simulator)[-1]["query"]
    assert (q["sort_by"], q["sort_order"]) == ("name", "asc")


def test_forged_list_state_is_refused_without_a_request(bot, simulator):
    first = _list(bot)
    simulator.control.clear_requests()
    bot.driver.click(Action.LIST_NEXT, json.dumps({"l": 10_000}), message=first)
    body = bot.reply(bot.driver.last_response_url)
    assert "out of date or damaged" in all_text(body)
    assert api_requests(simulator) == []


def test_row_inspect_and_row_cancel(bot, simulator):
    job = simulator.control.create_job("Row job", status="running")
    listing = _list(bot, "list limit:1")
    (row,) = _rows(listing)
    assert row["accessory"]["type"] == "overflow"
    values = [o["value"] for o in row["accessory"]["options"]]
    bot.driver.click(Action.ROW_MENU, values[0], message=listing)
    card = bot.reply(bot.driver.last_response_url)
    assert "Row job" in all_text(card) and element(card, Action.JOB_CANCEL)
    bot.driver.click(Action.ROW_MENU, values[1], message=listing)
    url = bot.driver.last_response_url
    bot.reply(url)
    prompt = bot.shown(url)
    assert "Cancel *Row job*" in all_text(prompt)
    assert simulator.control.job(job["id"])["status"] == "running"  # asked first
    bot.driver.click(Action.JOB_CANCEL, message=prompt)
    bot.replies(bot.driver.last_response_url)
    done = bot.fake.message(prompt["channel"], prompt["ts"])
    assert "Cancelled by <@U0ALICE>" in all_text(done)
    assert simulator.control.job(job["id"])["status"] == "cancelled"


def test_card_refresh_shows_the_new_status(bot, simulator):
    job = simulator.control.create_job("Refresh me", status="running")
    _, url = bot.command(f"inspect {job['id']}")
    bot.reply(url)
    card = bot.shown(url)
    simulator.control.set_status(job["id"], "completed")
    bot.driver.click(Action.JOB_REFRESH, message=card)
    bot.replies(bot.driver.last_response_url)
    after = bot.fake.message(card["channel"], card["ts"])
    assert ":white_check_mark: completed" in all_text(after)
    assert element(after, Action.JOB_CANCEL) is None


def test_cancel_button_updates_the_message_in_place(bot, simulator):
    job = simulator.control.create_job("Cancel me", status="running")
    _, url = bot.command(f"inspect {job['id']}")
    bot.reply(url)
    card = bot.shown(url)
    bot.driver.click(Action.JOB_CANCEL, message=card)
    bot.replies(bot.driver.last_response_url)
    after = bot.fake.message(card["channel"], card["ts"])
    text = all_text(after)
    assert "cancelled" in text and "Cancelled by <@U0ALICE> at <!date^" in text
    assert element(after, Action.JOB_CANCEL) is None
    assert block_problems(after["blocks"], limit=50) == []


def test_cancel_click_on_a_job_that_finished_since(bot, simulator):
    job = simulator.control.create_job("Raced", status="running")
    _, url = bot.command(f"inspect {job['id']}")
    bot.reply(url)
    card = bot.shown(url)
    simulator.control.set_status(job["id"], "completed")
    simulator.control.clear_requests()
    bot.driver.click(Action.JOB_CANCEL, message=card)
    bot.replies(bot.driver.last_response_url)
    after = bot.fake.message(card["channel"], card["ts"])
    assert "Not cancelled" in all_text(after) and "completed" in all_text(after)
    cancels = [r for r in api_requests(simulator) if r["path"].endswith("/cancel")]
    assert [r["status"] for r in cancels] == [304]  # SeekrFlow said: not cancellable


def test_cancel_button_on_a_channel_message_uses_chat_update(bot, simulator, fake_slack):
    job = simulator.control.create_job("Posted", status="queued")
    _, url = bot.command(f"inspect {job['id']}")
    card = bot.reply(url)
    # the same card posted in the channel, as a shared message would be
    r = httpx.post(
        fake_slack.api_url + "chat.postMessage",
        headers={"Authorization": f"Bearer {bot.settings.slack_bot_token.get_secret_value()}"},
        json={"channel": "C0DATAJOBS", "text": card["text"], "blocks": card["blocks"]},
    )
    ts = r.json()["ts"]
    message = fake_slack.fake.message("C0DATAJOBS", ts)
    bot.driver.click(Action.JOB_CANCEL, message=message)
    bot.wait(lambda f: f.calls("chat.update"))
    after = fake_slack.fake.message("C0DATAJOBS", ts)
    assert "Cancelled by <@U0ALICE>" in all_text(after)


def test_slack_429_on_chat_update_is_retried_after_retry_after(bot, simulator, fake_slack):
    job = simulator.control.create_job("Rate limited", status="running")
    card = bot.reply(bot.command(f"inspect {job['id']}")[1])
    posted = httpx.post(
        fake_slack.api_url + "chat.postMessage",
        headers={"Authorization": f"Bearer {bot.settings.slack_bot_token.get_secret_value()}"},
        json={"channel": "C0DATAJOBS", "text": card["text"], "blocks": card["blocks"]},
    )
    ts = posted.json()["ts"]
    fake_slack.fake.add_fault("chat.update", status=429, retry_after=1, count=1)
    bot.driver.click(Action.JOB_REFRESH, message=fake_slack.fake.message("C0DATAJOBS", ts))
    updates = bot.wait(lambda f: [c for c in f.calls("chat.update") if c.status == 200])
    statuses = [c.status for c in fake_slack.fake.calls("chat.update")]
    assert statuses == [429, 200]
    assert updates[0].ts - fake_slack.fake.calls("chat.update")[0].ts >= 1.0  # waited Retry-After
    assert "Rate limited" in all_text(fake_slack.fake.message("C0DATAJOBS", ts))
