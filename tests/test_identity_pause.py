"""A subscription polls with its maker's key; a revoked or unlinked key pauses it, told once."""

from __future__ import annotations

import httpx
from slack_sdk.web.async_client import AsyncWebClient

from bot.seekrflow import SeekrFlow
from bot.services.access import build_access
from bot.services.pausing import KeyResolver, PauseNotices
from bot.store import LinkedKey, SubscriptionStore, generate_key
from bot.store.connect import watcher_client
from bot.values import Dest, KeyRef
from bot.watcher import Watcher
from sandbox.playground.world import DEFAULT_BOT_TOKEN
from tests.support.identity_helpers import every_redis_value, new_key
from tests.support.notify import eventually, settle, watcher_settings

CAROL, CHAN = "U0CAROL", "C0DATAJOBS"


def notices(fake, channel):
    return [m for m in fake.messages(channel) if "paused" in m.get("text", "")]


def notifications(fake, channel):
    return [
        m
        for m in fake.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "datajob_notification"
    ]


class Harness:
    def __init__(self, redis_url, simulator, fake_slack):
        self.settings = watcher_settings(
            redis_url, simulator, fake_slack, bot_encryption_key=generate_key()
        )
        self.redis = watcher_client(self.settings)
        self.http = httpx.AsyncClient()
        self.slack = AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=fake_slack.api_url)
        self.access = build_access(self.settings, self.http, self.redis, self.slack)
        self.resolver = KeyResolver(
            self.access, PauseNotices(self.access, self.slack, self.access.audit)
        )
        self.subs = SubscriptionStore(self.redis)
        self.watcher = Watcher(
            self.redis, self.slack, self.resolver, poll_interval=0.3, delivery_lease=4.0
        )
        self.simulator = simulator

    async def subscribe(self, dest: Dest, key: str, job_id: str, by: str = CAROL) -> None:
        client = SeekrFlow(self.http, base_url=self.simulator.url, api_key=key)
        job = await client.get_job(job_id)
        await self.subs.subscribe_job(
            dest, job, events=("completed", "failed"), key_ref=KeyRef.user(by), by=by
        )

    async def close(self):
        await self.watcher.stop()
        await self.http.aclose()
        await self.redis.aclose()


async def test_revoked_key_pauses_its_subscriptions_and_tells_each_target_once(
    redis_url, simulator, fake_slack
):
    ctl, fake = simulator.control, fake_slack.fake
    key = new_key(simulator, "user-carol", jobs=0)
    first = ctl.create_job("first", api_key=key, status="running")
    second = ctl.create_job("second", api_key=key, status="running")
    h = Harness(redis_url, simulator, fake_slack)
    try:
        await h.access.keystore.save(CAROL, LinkedKey(api_key=key, account="user-carol"))
        await h.subscribe(Dest.dm(CAROL), key, first["id"])
        await h.subscribe(Dest.channel(CHAN), key, first["id"])
        await h.subscribe(Dest.channel(CHAN), key, second["id"])
        await h.watcher.start()
        # it polls with Carol's key
        await eventually(lambda: any(r["key_user"] == "user-carol" for r in ctl.requests()))
        ctl.revoke_key(key)
        dm = fake.open_dm(CAROL).id
        await eventually(lambda: notices(fake, dm) and notices(fake, CHAN))
        ctl.set_status(first["id"], "completed")
        await settle(2.0)  # several poll periods
        assert len(notices(fake, dm)) == 1 and len(notices(fake, CHAN)) == 1
        assert "2 job subscriptions here are paused" in notices(fake, CHAN)[0]["text"]
        assert "<@U0CAROL>" in notices(fake, CHAN)[0]["text"]
        assert notifications(fake, dm) == [] and notifications(fake, CHAN) == []  # paused
        # a paused personal key makes no more SeekrFlow requests
        ctl.clear_requests()
        await settle(1.5)
        assert [r for r in ctl.requests() if r["path"].startswith("/v1/")] == []

        # Carol links a new key: the subscriptions resume, the change is delivered
        fresh = f"{key}-new"
        ctl.add_key(fresh, user_id="user-carol")
        await h.access.keystore.save(CAROL, LinkedKey(api_key=fresh, account="user-carol"))
        assert await h.access.key_state.revive(KeyRef.user(CAROL))
        await h.access.key_state.poll_now(KeyRef.user(CAROL))
        await eventually(lambda: notifications(fake, dm) and notifications(fake, CHAN))
        assert len(notices(fake, dm)) == 1 and len(notices(fake, CHAN)) == 1
    finally:
        await h.close()


async def test_unlinked_key_pauses_without_any_request(redis_url, simulator, fake_slack):
    ctl, fake = simulator.control, fake_slack.fake
    key = new_key(simulator, "user-carol", jobs=0)
    job = ctl.create_job("mine", api_key=key, status="running")
    h = Harness(redis_url, simulator, fake_slack)
    try:
        await h.subscribe(Dest.channel(CHAN), key, job["id"])  # no key linked for Carol
        ctl.clear_requests()
        await h.watcher.start()
        (notice,) = await eventually(lambda: notices(fake, CHAN))
        assert "no longer linked" in notice["text"]
        await settle(1.5)
        assert len(notices(fake, CHAN)) == 1
        assert [r for r in ctl.requests() if r["path"].startswith("/v1/")] == []
    finally:
        await h.close()


def test_through_the_bot_a_revoked_key_pauses_with_exactly_one_notice(
    make_bot, simulator, redis_url
):
    import time

    from tests.support.identity_helpers import login

    bot = make_bot(bot_encryption_key=generate_key(), poll_interval=0.3)
    ctl, fake = simulator.control, bot.fake
    key = new_key(simulator, "user-carol", jobs=0)
    job = ctl.create_job("carol's run", api_key=key, status="running")
    login(bot, "U0CAROL", key)
    for where in (" here", ""):
        reply = str(bot.ask(f"subscribe {job['id']}{where}", user="U0CAROL", channel=CHAN))
        assert "carol's run" in reply and "can't" not in reply
    bot.wait(
        lambda f: any(
            r["key_user"] == "user-carol"
            and r["method"] == "GET"
            and r["path"] == "/v1/flow/data-jobs"
            for r in ctl.requests()
        )
    )
    ctl.revoke_key(key)
    dm = fake.open_dm(CAROL).id
    bot.wait(lambda f: notices(f, dm) and notices(f, CHAN))
    ctl.set_status(job["id"], "completed")
    time.sleep(2.0)  # several poll periods pass
    assert len(notices(fake, dm)) == 1 and len(notices(fake, CHAN)) == 1
    assert notifications(fake, CHAN) == [] and notifications(fake, dm) == []
    assert "stopped accepting it" in bot.ask("whoami", user="U0CAROL")["text"]
    # with subscriptions, poll state, audit and notices all in Redis: the key is nowhere in it
    assert key.encode() not in every_redis_value(redis_url)
