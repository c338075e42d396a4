"""One job, two subscribers with different keys: each subscription polls with its own key,
and a key that stops working (revoked, or its owner logged out) pauses only the
subscriptions made with it. The other subscriber keeps being notified, exactly once.

Carol's personal key works for the same SeekrFlow account as the team key, under her own
team id, so the simulator's request log tells her key's reads (team id ``team-carol``)
from the team key's (no team id).
"""

from __future__ import annotations

import time

import pytest

from bot.store import generate_key
from tests.support.identity_helpers import login, new_key
from tests.test_identity_pause import notices, notifications

pytestmark = pytest.mark.slow  # several keys pausing and resuming over many poll periods

CAROL, BOB, CHAN = "U0CAROL", "U0BOB", "C0DATAJOBS"
TEAM_ACCOUNT = "user-sim"  # the simulator's account behind the team key
CAROL_TEAM = "team-carol"


def list_reads(ctl, team_id):
    return [
        r
        for r in ctl.requests()
        if r["method"] == "GET"
        and r["key_user"] == TEAM_ACCOUNT
        and r["path"] == "/v1/flow/data-jobs"
        and r["team_id"] == team_id
    ]


def carol_requests(ctl):
    return [
        r for r in ctl.requests() if r["path"].startswith("/v1/") and r["team_id"] == CAROL_TEAM
    ]


@pytest.fixture
def shared(make_bot, simulator):
    """A running bot; a running team job; Carol linked with her own key for that account."""
    bot = make_bot(bot_encryption_key=generate_key(), poll_interval=0.3)
    key = new_key(simulator, TEAM_ACCOUNT, jobs=0, team_id=CAROL_TEAM)
    job = simulator.control.create_job("shared run", status="running")
    login(bot, CAROL, key, team=CAROL_TEAM)
    return bot, key, job


def subscribe(bot, user, text):
    reply = str(bot.ask(text, user=user, channel=CHAN))
    assert "shared run" in reply and "can't" not in reply, reply


def both_keys_poll(bot, ctl):
    """While both subscriptions are live, the job is read with Carol's key and the team key."""
    bot.wait(lambda f: list_reads(ctl, CAROL_TEAM) and list_reads(ctl, None))


def assert_only_bob_hears_of_the_failure(bot, ctl, job, *quiet_channels):
    fake = bot.fake
    bob = fake.open_dm(BOB).id
    ctl.clear_requests()
    ctl.set_status(job["id"], "failed", status_message="disk full")
    (note,) = bot.wait(lambda f: notifications(f, bob))
    assert "shared run" in note["text"] or "shared run" in str(note.get("blocks"))
    time.sleep(2.0)  # several poll periods pass: nothing more may arrive
    assert len(notifications(fake, bob)) == 1
    for channel in quiet_channels:
        assert notifications(fake, channel) == []
    assert notices(fake, bob) == []
    assert carol_requests(ctl) == []  # the dead key is not used any more


@pytest.mark.parametrize("first", [CAROL, BOB])
def test_revoked_personal_key_pauses_only_its_subscription(shared, simulator, first):
    bot, key, job = shared
    ctl, fake = simulator.control, bot.fake
    # each to their DM: Carol with her key, Bob with the team key; whoever subscribes first
    for user in sorted((CAROL, BOB), key=lambda u: u != first):
        subscribe(bot, user, f"subscribe {job['id']}")
    both_keys_poll(bot, ctl)

    ctl.revoke_key(key)
    carol = fake.open_dm(CAROL).id
    (notice,) = bot.wait(lambda f: notices(f, carol))
    assert "1 job subscription here is paused" in notice["text"]
    assert "<@U0CAROL>" in notice["text"] and key not in notice["text"]

    assert_only_bob_hears_of_the_failure(bot, ctl, job, carol)
    assert len(notices(fake, carol)) == 1


def test_logout_pauses_only_the_subscriptions_made_with_that_key(shared, simulator):
    bot, _key, job = shared
    ctl, fake = simulator.control, bot.fake
    subscribe(bot, CAROL, f"subscribe {job['id']} here")  # the channel, with her key
    subscribe(bot, CAROL, f"subscribe {job['id']}")  # her DM, with her key
    subscribe(bot, BOB, f"subscribe {job['id']}")  # his DM, with the team key
    both_keys_poll(bot, ctl)

    assert "paused until you log in again" in bot.ask("logout", user=CAROL)["text"]
    (notice,) = bot.wait(lambda f: notices(f, CHAN))
    assert "1 job subscription here is paused" in notice["text"]
    assert "no longer linked" in notice["text"]

    carol = fake.open_dm(CAROL).id
    assert_only_bob_hears_of_the_failure(bot, ctl, job, CHAN, carol)
    assert len(notices(fake, CHAN)) == 1
    assert notices(fake, carol) == []  # she was told in the answer to her logout


def test_a_key_stops_watching_a_job_only_with_its_last_subscription(shared, simulator):
    bot, _key, job = shared
    ctl, fake = simulator.control, bot.fake
    subscribe(bot, CAROL, f"subscribe {job['id']} here")
    subscribe(bot, CAROL, f"subscribe {job['id']}")
    subscribe(bot, BOB, f"subscribe {job['id']}")
    both_keys_poll(bot, ctl)

    # her DM subscription goes; the channel's, made with her key, still polls with it
    assert "Unsubscribed" in str(bot.ask(f"unsubscribe {job['id']}", user=CAROL, channel=CHAN))
    ctl.clear_requests()
    bot.wait(lambda f: list_reads(ctl, CAROL_TEAM))

    # the last subscription made with her key goes: her key stops polling; the team key does not
    assert "Unsubscribed" in str(bot.ask(f"unsubscribe {job['id']} here", user=CAROL, channel=CHAN))
    time.sleep(1.0)  # a poll already under way may finish
    assert_only_bob_hears_of_the_failure(bot, ctl, job, CHAN, fake.open_dm(CAROL).id)


def test_a_channel_resubscribed_with_the_team_key_no_longer_depends_on_the_old_key(
    shared, simulator
):
    bot, key, job = shared
    ctl, fake = simulator.control, bot.fake
    subscribe(bot, CAROL, f"subscribe {job['id']} here")  # the channel, with her key
    bot.wait(lambda f: list_reads(ctl, CAROL_TEAM))
    # an operator subscribes the same channel again: one subscription, now with the team key
    subscribe(bot, "U0ALICE", f"subscribe {job['id']} here")
    subscribe(bot, BOB, f"subscribe {job['id']}")
    time.sleep(1.0)  # a poll already under way may finish
    ctl.clear_requests()
    time.sleep(1.0)
    assert carol_requests(ctl) == [] and list_reads(ctl, None)

    ctl.revoke_key(key)  # nothing polls with it any more: nobody is told of a pause
    ctl.set_status(job["id"], "failed", status_message="disk full")
    bot.wait(lambda f: notifications(f, CHAN) and notifications(f, fake.open_dm(BOB).id))
    time.sleep(2.0)
    assert len(notifications(fake, CHAN)) == 1 and notices(fake, CHAN) == []
