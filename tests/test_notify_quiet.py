"""Snooze, mute, why, catch-up and daily summaries, through the running bot over signed HTTP:
simulator status changes -> the bot's watcher -> the fake Slack, on a private Redis."""

from __future__ import annotations

import json
import time

import pytest
import redis

from bot.ids import Action
from bot.store import generate_key, keys
from tests.support.fixtures_bot import all_text, element
from tests.support.identity_helpers import login, new_key

ALICE, BOB, CAROL = "U0ALICE", "U0BOB", "U0CAROL"
CHAN = "C0DATAJOBS"
ENC = generate_key()
EVENTS = "events:needs_review,running,completed"


@pytest.fixture
def bot(make_bot):
    return make_bot(poll_interval=0.3, delivery_lease=4.0, bot_encryption_key=ENC)


@pytest.fixture
def r(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


def notifications(fake, channel):
    return [
        m
        for m in fake.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "datajob_notification"
    ]


def pick(msg, action, op):
    """Choose ``op`` on the ``action`` overflow menu of ``msg``."""
    menu = element(msg, action)
    return next(o for o in menu["options"] if json.loads(o["value"])["a"] == op)


def choose(bot, msg, op, *, channel, user=ALICE, action=Action.NOTE_MENU) -> dict:
    """Pick a menu entry on a message; return the ephemeral answer the clicker got."""
    option = pick(msg, action, op)
    response = bot.driver.click(
        action, message=msg, channel=channel, user=user, selected_option=option
    )
    assert response.status_code == 200
    return bot.reply(bot.driver.last_response_url)


def end_snooze(r, dest: str, scope: str) -> None:
    """The snooze's time passes (its end moved to the past)."""
    rec = json.loads(r.hget(keys.snoozes(dest), scope))
    rec["u"] = 1
    r.hset(keys.snoozes(dest), scope, json.dumps(rec))
    r.zadd(keys.snooze_due(), {f"{dest}|{scope}": 1})


def quiet_for(seconds: float) -> None:
    time.sleep(seconds)


def test_a_snooze_from_a_notification_holds_changes_and_tells_one_summary_when_it_ends(
    bot, simulator, r
):
    ctl, fake = simulator.control, bot.fake
    job = ctl.create_job("nightly <corpus>", status="running")
    bot.ask(f"subscribe {job['id']} {EVENTS}")
    ctl.set_status(job["id"], "needs_review", "2 files failed")
    dm = fake.open_dm(ALICE).id
    (note,) = bot.wait(lambda f: notifications(f, dm))
    answer = all_text(choose(bot, note, "hour", channel=dm))
    assert "Snoozed" in answer and "<!date^" in answer and "Europe/Berlin" in answer
    ctl.set_status(job["id"], "running")
    bot.wait(lambda f: r.hlen(keys.held(f"u:{ALICE}")) == 1)
    ctl.set_status(job["id"], "completed")
    bot.wait(lambda f: r.hlen(keys.held(f"u:{ALICE}")) == 2)
    quiet_for(1.0)
    assert len(notifications(fake, dm)) == 1  # nothing told while snoozed

    end_snooze(r, f"u:{ALICE}", job["id"])
    summary = bot.wait(lambda f: len(notifications(f, dm)) == 2 and notifications(f, dm)[-1])
    text = all_text(summary)
    assert "While it was snoozed: 2 changes" in text
    assert "is running" in text and "completed" in text and "&lt;corpus&gt;" in text
    assert sorted(summary["metadata"]["event_payload"]["nids"]) == [
        f"{job['id']}|completed|1|u:{ALICE}",
        f"{job['id']}|running|1|u:{ALICE}",
    ]
    quiet_for(1.5)
    assert len(notifications(fake, dm)) == 2 and r.hlen(keys.held(f"u:{ALICE}")) == 0


def test_mute_from_the_list_drops_changes_until_unmuted_there(bot, simulator, r):
    ctl, fake = simulator.control, bot.fake
    job = ctl.create_job("feature store", status="running")
    bot.ask(f"subscribe {job['id']} {EVENTS}")
    _, url = bot.command("subscriptions mine")
    bot.reply(url)
    listed = bot.shown(url)
    option = pick(listed, Action.SUBS_MENU, "mute")
    bot.driver.click(Action.SUBS_MENU, message=listed, user=ALICE, selected_option=option)
    bot.wait(lambda f: ":mute: muted" in all_text(bot.shown(url)))
    ctl.set_status(job["id"], "needs_review")
    bot.wait(lambda f: '"muted"' in "".join(r.lrange(keys.job_log(job["id"]), 0, -1)))
    dm = fake.open_dm(ALICE).id
    quiet_for(1.0)
    assert notifications(fake, dm) == []

    listed = bot.shown(url)
    option = pick(listed, Action.SUBS_MENU, "unquiet")
    bot.driver.click(Action.SUBS_MENU, message=listed, user=ALICE, selected_option=option)
    bot.wait(lambda f: "back on; nothing was held" in all_text(bot.shown(url)))
    ctl.set_status(job["id"], "running")
    (note,) = bot.wait(lambda f: notifications(f, dm))
    assert "is running" in note["text"]


def test_subscribing_again_ends_a_snooze_and_tells_what_it_held(bot, simulator, r):
    ctl, fake = simulator.control, bot.fake
    job = ctl.create_job("retrain", status="running")
    bot.ask(f"subscribe {job['id']} {EVENTS}")
    _, url = bot.command("subscriptions mine")
    bot.reply(url)
    listed = bot.shown(url)
    option = pick(listed, Action.SUBS_MENU, "morning")
    bot.driver.click(Action.SUBS_MENU, message=listed, user=ALICE, selected_option=option)
    bot.wait(lambda f: ":zzz: snoozed until" in all_text(bot.shown(url)))
    until = json.loads(r.hget(keys.snoozes(f"u:{ALICE}"), job["id"]))["u"]
    # tomorrow 9:00 in Alice's time zone (Europe/Berlin): 8:00 or 7:00 UTC, a day or less away
    assert time.gmtime(until / 1000).tm_hour in (7, 8) and until - time.time() * 1000 < 33 * 3600e3
    ctl.set_status(job["id"], "needs_review")
    bot.wait(lambda f: r.hlen(keys.held(f"u:{ALICE}")) == 1)
    bot.ask(f"subscribe {job['id']} {EVENTS}")
    dm = fake.open_dm(ALICE).id
    (summary,) = bot.wait(lambda f: notifications(f, dm))
    assert "While it was snoozed: 1 change" in all_text(summary)
    assert not r.hexists(keys.snoozes(f"u:{ALICE}"), job["id"])


def test_quieting_a_channel_needs_the_right_to_subscribe_it(bot, simulator, r):
    ctl = simulator.control
    job = ctl.create_job("shared", status="running")
    bot.ask(f"subscribe {job['id']} here {EVENTS}", channel=CHAN)
    ctl.set_status(job["id"], "needs_review")
    (note,) = bot.wait(lambda f: notifications(f, CHAN))
    refused = all_text(choose(bot, note, "mute", channel=CHAN, user=BOB))
    assert "can't quiet a channel's notifications" in refused
    assert not r.exists(keys.snoozes(f"c:{CHAN}"))
    assert "Muted" in all_text(choose(bot, note, "mute", channel=CHAN, user=ALICE))
    assert r.hexists(keys.snoozes(f"c:{CHAN}"), job["id"])


def test_why_tells_sent_filtered_and_snoozed_with_a_link_to_what_was_sent(bot, simulator, r):
    ctl, fake = simulator.control, bot.fake
    job = ctl.create_job("weekly <eval>", status="running")
    bot.ask(f"subscribe {job['id']}")  # DM: completions, failures, reviews
    bot.ask(f"subscribe {job['id']} here events:failed", channel=CHAN)
    ctl.set_status(job["id"], "needs_review")
    dm = fake.open_dm(ALICE).id
    (note,) = bot.wait(lambda f: notifications(f, dm))
    choose(bot, note, "hour", channel=dm)
    ctl.set_status(job["id"], "completed")
    bot.wait(lambda f: r.hlen(keys.held(f"u:{ALICE}")) == 1)
    text = all_text(bot.ask(f"why {job['id']}", channel=CHAN))
    assert "weekly &lt;eval&gt;" in text
    assert f"<https://demo.slack.com/archives/{dm}/p" in text  # the sent one
    assert "held by a snooze" in text  # the completion, for the DM
    assert "filtered out" in text  # both changes, for the channel (it wants failures only)
    assert f"<#{CHAN}>" in text and "Your DM" in text
    # the same answer from the notification's menu, in the DM
    assert "held by a snooze" in all_text(choose(bot, note, "why", channel=dm))


def test_a_paused_key_holds_changes_and_tells_them_once_as_a_catch_up(bot, simulator, r):
    ctl, fake = simulator.control, bot.fake
    key = new_key(simulator, "user-sim", jobs=0)  # Carol's own key, seeing the team's jobs
    job = ctl.create_job("long run", status="running")
    login(bot, CAROL, key)
    bot.ask(f"subscribe {job['id']} {EVENTS}", user=CAROL)
    bot.ask(f"subscribe {job['id']} {EVENTS}", user=BOB)  # the team key keeps it watched
    assert "paused" in bot.ask("logout", user=CAROL)["text"]
    ctl.set_status(job["id"], "needs_review")
    bob_dm, carol_dm = fake.open_dm(BOB).id, fake.open_dm(CAROL).id
    bot.wait(lambda f: notifications(f, bob_dm))
    bot.wait(lambda f: r.hlen(keys.held(f"u:{CAROL}")) == 1)
    text = all_text(bot.ask(f"why {job['id']}", user=CAROL, channel=carol_dm))
    assert "held while the subscription's key was paused" in text and "paused" in text
    ctl.set_status(job["id"], "running")
    bot.wait(lambda f: r.hlen(keys.held(f"u:{CAROL}")) == 2)
    assert notifications(fake, carol_dm) == []

    login(bot, CAROL, key)  # the key works again
    (summary,) = bot.wait(lambda f: notifications(f, carol_dm))
    text = all_text(summary)
    assert "While its SeekrFlow key was not working: 2 changes" in text
    assert "needs review" in text and "is running" in text
    quiet_for(1.5)
    assert len(notifications(fake, carol_dm)) == 1


def test_why_for_a_job_that_finished_before_anyone_subscribed(bot, simulator):
    done = simulator.control.create_job("old run", status="completed")
    assert "already finished" in all_text(bot.ask(f"subscribe {done['id']}"))
    text = all_text(bot.ask(f"why {done['id']}"))
    assert "had already finished when someone tried to subscribe" in text


def test_daily_summary_commands_use_the_setters_time_zone(bot, r):
    answer = all_text(bot.ask("summary daily 9:05 here", channel=CHAN))
    assert "every day at 09:05 (Europe/Berlin)" in answer and f"<#{CHAN}>" in answer
    stored = json.loads(r.hget(keys.daily(), f"c:{CHAN}"))
    assert stored == {"at": "09:05", "tz": "Europe/Berlin", "by": ALICE}
    due = r.zscore(keys.daily_due(), f"c:{CHAN}")
    assert time.gmtime(due / 1000).tm_min == 5 and 0 < due - time.time() * 1000 <= 24 * 3600e3
    shown = all_text(bot.ask("summary", channel=CHAN))
    assert f"<#{CHAN}>: every day at 09:05" in shown and "Your DM: no daily summary" in shown
    refused = all_text(bot.ask("summary daily 10:00 here", channel=CHAN, user=BOB))
    assert "can't set a channel's daily summary" in refused
    response, _ = bot.command("summary daily 25:00")
    bad = all_text(response.json())
    assert "`25:00` is not a time of day" in bad
    assert "is off" in all_text(bot.ask("summary off here", channel=CHAN))
    assert not r.hexists(keys.daily(), f"c:{CHAN}")
