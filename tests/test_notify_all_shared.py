"""A `subscribe all` hears of a job's change even when another key's poll records it.

Two keys see the same job: one holds a channel's `subscribe all`, the other a person's DM
subscription to the job. The status compare-and-set is per job, so only the poll that sees
the change first records it; the channel must be told all the same, exactly once.

The poll interval is long, so each key polls once when its first subscription is made and
not again during the test. The DM subscription's first poll is held in the simulator by
injected latency while the job fails, so that poll, with the DM's key, is the one that
records the failure; the request log shows the channel's key read nothing meanwhile.
The last test drives the two polls one by one, in the order that needs the job marked by
a poll that found it unchanged.
"""

from __future__ import annotations

import time

import httpx
import pytest
import redis as redis_sync
import redis.asyncio as aioredis

from bot.seekrflow import SeekrFlow
from bot.store import SubscriptionStore, generate_key, keys
from bot.values import DEFAULT_EVENTS, Dest, KeyRef
from bot.watcher import build_watcher
from tests.support.identity_helpers import login, new_key
from tests.support.notify import eventually, settle, watcher_settings
from tests.test_identity_pause import notifications
from tests.test_identity_pause_shared import CAROL, CAROL_TEAM, TEAM_ACCOUNT, list_reads

pytestmark = pytest.mark.slow  # several keys polling over many periods

BOB, ALICE = (
    "U0BOB",
    "U0ALICE",
)  # Alice is an operator: she may subscribe a channel with the team key
CHAN, OTHER_CHAN = "C0DATAJOBS", "C0GENERAL"
HOLD = 3.0  # seconds each SeekrFlow read of the DM subscription's first poll is held


@pytest.fixture
def shared(make_bot, simulator, redis_url):
    bot = make_bot(bot_encryption_key=generate_key(), poll_interval=60.0)
    key = new_key(simulator, TEAM_ACCOUNT, jobs=0, team_id=CAROL_TEAM)
    job = simulator.control.create_job("shared run", status="running")
    login(bot, CAROL, key, team=CAROL_TEAM)
    r = redis_sync.Redis.from_url(redis_url, decode_responses=True)
    yield bot, job, r
    simulator.control.set_latency(0, path_prefix="/v1/flow/data-jobs")
    r.close()


def ask(bot, user, text, channel=CHAN) -> str:
    reply = str(bot.ask(text, user=user, channel=channel))
    assert "can't" not in reply and "Subscribed" in reply, reply
    return reply


# (who subscribes the channels to every job, the team id of that key; who subscribes a DM to
# the job with the other key, that key's team id)
CASES = {
    "team key holds subscribe all": (ALICE, None, CAROL, CAROL_TEAM),
    "personal key holds subscribe all": (CAROL, CAROL_TEAM, BOB, None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_subscribe_all_is_told_when_another_keys_poll_records_the_change(shared, simulator, case):
    bot, job, r = shared
    ctl, fake = simulator.control, bot.fake
    all_user, all_team, dm_user, dm_team = CASES[case]

    ask(bot, all_user, "subscribe all here events:failed")
    ask(bot, all_user, "subscribe all here events:completed", channel=OTHER_CHAN)
    # the channel's key has polled once and seen the job
    bot.wait(lambda f: r.hget(keys.job(job["id"]), "status") == "running")

    ctl.set_latency(HOLD, path_prefix="/v1/flow/data-jobs")
    ctl.clear_requests()
    ask(bot, dm_user, f"subscribe {job['id']}")
    # the DM key's first poll is reading the list (held): the job fails meanwhile
    bot.wait(lambda f: list_reads(ctl, dm_team))
    ctl.set_status(job["id"], "failed", status_message="disk full")

    dm = fake.open_dm(dm_user).id
    bot.wait(lambda f: notifications(f, CHAN) and notifications(f, dm), timeout=40.0)
    # the change was recorded by the DM key's poll: the channel's key read nothing since
    assert list_reads(ctl, all_team) == []

    ctl.set_latency(0, path_prefix="/v1/flow/data-jobs")
    time.sleep(2.0)  # a repeat would have arrived by now
    (note,) = notifications(fake, CHAN)
    assert "shared run" in str(note) and "disk full" in str(note)
    assert len(notifications(fake, dm)) == 1
    assert notifications(fake, OTHER_CHAN) == []  # that subscription wants completions only


@pytest.mark.parametrize("team_key_dead", [False, True])
async def test_subscribe_all_made_after_the_job_subscription_is_told_too(
    redis_url, simulator, fake_slack, team_key_dead
):
    """The DM subscription stored the job's status before the channel's key first saw the job,
    so that key's poll finds it unchanged; the DM key's poll records the failure. A channel
    whose `subscribe all` key was found dead is paused: it hears nothing."""
    ctl, fake = simulator.control, fake_slack.fake
    key = new_key(simulator, TEAM_ACCOUNT, jobs=0, team_id=CAROL_TEAM)
    job = ctl.create_job("shared run", status="running")
    http = httpx.AsyncClient()
    redis = aioredis.Redis.from_url(redis_url, decode_responses=True)
    clients = {
        "team": SeekrFlow(http, base_url=simulator.url, api_key=simulator.api_key),
        f"user:{CAROL}": SeekrFlow(http, base_url=simulator.url, api_key=key, team_id=CAROL_TEAM),
    }

    async def resolve(key_ref: KeyRef) -> SeekrFlow:
        return clients[str(key_ref)]

    settings = watcher_settings(redis_url, simulator, fake_slack, poll_interval=60.0)
    watcher = build_watcher(settings, redis, http, resolve=resolve)
    subs = SubscriptionStore(redis)
    try:
        detail = await clients[f"user:{CAROL}"].get_job(job["id"])
        await subs.subscribe_job(
            Dest.dm(CAROL), detail, events=DEFAULT_EVENTS, key_ref=f"user:{CAROL}", by=CAROL
        )
        await subs.subscribe_all(Dest.channel(CHAN), events=("failed",), key_ref="team", by=ALICE)
        await subs.subscribe_all(
            Dest.channel(OTHER_CHAN), events=("completed",), key_ref="team", by=ALICE
        )
        assert 1 not in await watcher.poller.poll_key("team")  # nothing changed yet
        if team_key_dead:
            await redis.hset(keys.dead_key_refs(), "team", '{"reason": "rejected"}')
        ctl.set_status(job["id"], "failed", status_message="disk full")
        assert 1 in await watcher.poller.poll_key(f"user:{CAROL}")  # this key records it

        await watcher.start()
        dm = fake.open_dm(CAROL).id
        await eventually(
            lambda: notifications(fake, dm) and (team_key_dead or notifications(fake, CHAN))
        )
        await settle(2.0)  # both keys poll again meanwhile: a repeat would have arrived
        assert len(notifications(fake, dm)) == 1
        if team_key_dead:
            assert notifications(fake, CHAN) == []
        else:
            (note,) = notifications(fake, CHAN)
            assert "shared run" in str(note) and "disk full" in str(note)
        assert notifications(fake, OTHER_CHAN) == []
    finally:
        await watcher.stop()
        await http.aclose()
        await redis.aclose()
