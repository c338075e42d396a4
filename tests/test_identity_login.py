"""/datajobs login, logout and whoami over real HTTP: signed Slack requests, simulator, Redis."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
import redis
import redis.asyncio as aioredis

from bot.ids import Block, View
from bot.seekrflow.models import DataJob
from bot.store import SubscriptionStore, generate_key, keys
from bot.values import Dest
from tests.support.identity_helpers import (
    every_redis_value,
    login,
    new_key,
    open_login,
    submit_login,
    view_text,
)

ENC = generate_key()


@pytest.fixture
def keyed_bot(make_bot):
    return make_bot(bot_encryption_key=ENC)


def test_login_with_a_good_key_names_the_account_and_keeps_it_encrypted(
    keyed_bot, simulator, redis_url, caplog
):
    key = new_key(simulator, "user-carol", team_id="team-ml")
    caplog.set_level(logging.DEBUG)
    view = open_login(keyed_bot, "U0CAROL")
    assert "API key" in str(view["blocks"])
    ack = submit_login(keyed_bot, view, key, "team-ml")
    assert ack["response_action"] == "update"
    shown = view_text(ack["view"])
    assert "Key linked" in shown and "user-carol" in shown and "team-ml" in shown
    # it was checked with SeekrFlow, with that very key
    assert any(r["key_user"] == "user-carol" for r in simulator.control.requests())
    # whoami now says the personal key acts
    who = keyed_bot.ask("whoami", user="U0CAROL")["text"]
    assert "your own SeekrFlow key" in who and "user-carol" in who
    # never in clear: not in Redis, not in any log line, not in any Slack call
    assert key.encode() not in every_redis_value(redis_url)
    audit = [r.getMessage() for r in caplog.records if r.name == "bot.audit"]
    assert any('"login"' in m and "user-carol" in m for m in audit)  # the bot's lines are seen
    assert all(key not in r.getMessage() for r in caplog.records)
    assert all(key not in str(c.response) for c in keyed_bot.fake.calls())
    assert all(key not in str(p) for p in keyed_bot.fake.response_url_posts())


def test_login_with_a_bad_key_shows_a_field_error_and_keeps_nothing(keyed_bot, redis_url):
    view = open_login(keyed_bot, "U0CAROL")
    ack = submit_login(keyed_bot, view, "sk-wrong-key-123")
    assert ack["response_action"] == "errors"
    assert "did not accept this key" in ack["errors"][Block.LOGIN_KEY]
    assert b"sk-wrong-key-123" not in every_redis_value(redis_url)
    assert "team key" in keyed_bot.ask("whoami", user="U0CAROL")["text"]


def test_login_field_checks_need_no_seekrflow_call(keyed_bot, simulator):
    view = open_login(keyed_bot, "U0CAROL")
    simulator.control.clear_requests()
    ack = submit_login(keyed_bot, view, "sk has spaces")
    assert ack["response_action"] == "errors" and "spaces" in ack["errors"][Block.LOGIN_KEY]
    ack = submit_login(keyed_bot, view, new_key(simulator, "user-carol"), "bad team/id")
    assert ack["response_action"] == "errors" and Block.LOGIN_TEAM in ack["errors"]
    assert not [r for r in simulator.control.requests() if r["path"].startswith("/v1/")]


def test_key_typed_as_command_text_is_refused_and_not_stored(
    keyed_bot, simulator, redis_url, caplog
):
    caplog.set_level(logging.DEBUG)
    key = new_key(simulator, "user-carol")
    simulator.control.clear_requests()
    answer = keyed_bot.ask(f"login {key}", user="U0CAROL")
    assert "Rotate that key" in answer["text"] and key not in str(answer)
    assert not keyed_bot.fake.calls("views.open")
    assert key.encode() not in every_redis_value(redis_url)
    assert not [r for r in simulator.control.requests() if r["path"].startswith("/v1/")]
    assert all(key not in r.getMessage() for r in caplog.records)
    assert "team key" in keyed_bot.ask("whoami", user="U0CAROL")["text"]


def test_logout_forgets_the_key(keyed_bot, simulator, redis_url):
    key = new_key(simulator, "user-carol")
    login(keyed_bot, "U0CAROL", key)
    assert "forgotten" in keyed_bot.ask("logout", user="U0CAROL")["text"]
    assert "team key" in keyed_bot.ask("whoami", user="U0CAROL")["text"]
    assert "nothing to forget" in keyed_bot.ask("logout", user="U0CAROL")["text"]
    simulator.control.clear_requests()
    keyed_bot.ask("list", user="U0CAROL")
    users = {r["key_user"] for r in simulator.control.requests() if r["path"].startswith("/v1/")}
    assert users == {"user-sim"}  # the team key reads again


def test_whoami_says_what_each_person_may_do(make_bot):
    bot = make_bot(operators=["U0ALICE"])
    operator = bot.ask("whoami", user="U0ALICE")["text"]
    assert "team key" in operator and "operator" in operator and "cancel" in operator
    reader = bot.ask("whoami", user="U0CAROL")["text"]
    assert "for reading" in reader and "need an operator" in reader
    assert "BOT_ENCRYPTION_KEY" in reader  # this bot cannot keep personal keys


def test_without_encryption_key_login_is_refused_and_says_why(bot):
    answer = bot.ask("login", user="U0CAROL")
    assert "BOT_ENCRYPTION_KEY" in answer["text"] and "never stored unencrypted" in answer["text"]
    assert not bot.fake.calls("views.open")


def test_slow_seekrflow_gets_a_checking_view_then_the_outcome(keyed_bot, simulator):
    key = new_key(simulator, "user-carol")
    view = open_login(keyed_bot, "U0CAROL")
    simulator.control.set_latency(2.5)
    try:
        ack = submit_login(keyed_bot, view, key)
    finally:
        simulator.control.set_latency(0)
    assert ack["response_action"] == "update" and "Checking" in view_text(ack["view"])
    done = keyed_bot.wait(
        lambda f: [v for v in f.open_views("U0CAROL") if "Key linked" in view_text(v)]
    )
    assert "user-carol" in view_text(done[0])


def test_slow_bad_key_comes_back_as_the_form_with_the_error(keyed_bot, simulator, redis_url):
    view = open_login(keyed_bot, "U0CAROL")
    simulator.control.set_latency(2.5)
    try:
        ack = submit_login(keyed_bot, view, "sk-revoked-or-wrong")
    finally:
        simulator.control.set_latency(0)
    assert "Checking" in view_text(ack["view"])
    again = keyed_bot.wait(
        lambda f: [
            v
            for v in f.open_views("U0CAROL")
            if v.get("callback_id") == View.LOGIN and "did not accept" in view_text(v)
        ]
    )
    assert again and b"sk-revoked-or-wrong" not in every_redis_value(redis_url)


def subscribe_with_carols_key(redis_url: str, job) -> None:
    """The channel C0DATAJOBS and Carol's DM follow ``job``, polled with Carol's linked key."""

    async def subscribe() -> None:
        r = aioredis.Redis.from_url(redis_url, decode_responses=True)
        subs = SubscriptionStore(r)
        for dest in (Dest.channel("C0DATAJOBS"), Dest.dm("U0CAROL")):
            await subs.subscribe_job(
                dest, job, events=("completed",), key_ref="user:U0CAROL", by="U0CAROL"
            )
        await r.aclose()

    asyncio.run(subscribe())


def test_logout_pauses_subscriptions_made_with_the_key_and_tells_the_channel_once(
    keyed_bot, simulator, redis_url
):
    key = new_key(simulator, "user-carol", jobs=0)
    job = DataJob.model_validate(
        simulator.control.create_job("mine", api_key=key, status="running")
    )
    login(keyed_bot, "U0CAROL", key)
    subscribe_with_carols_key(redis_url, job)
    answer = keyed_bot.ask("logout", user="U0CAROL")["text"]
    assert "paused until you log in again" in answer
    paused = keyed_bot.wait(
        lambda f: [m for m in f.messages("C0DATAJOBS") if "paused" in m.get("text", "")]
    )
    assert "<@U0CAROL>" in paused[0]["text"] and "no longer linked" in paused[0]["text"]
    keyed_bot.ask("logout", user="U0CAROL")  # a second logout tells nobody again
    dm = keyed_bot.fake.open_dm("U0CAROL").id
    assert [m for m in keyed_bot.fake.messages(dm) if "paused" in m.get("text", "")] == []
    assert (
        len([m for m in keyed_bot.fake.messages("C0DATAJOBS") if "paused" in m.get("text", "")])
        == 1
    )


def test_a_replica_without_the_encryption_key_pauses_nobody(make_bot, simulator, redis_url, caplog):
    """A replica started without BOT_ENCRYPTION_KEY cannot read linked keys: it must not take
    them for logged out, pause their subscriptions and tell everyone."""
    keyed = make_bot(bot_encryption_key=ENC, poll_interval=3600)
    key = new_key(simulator, "user-carol", jobs=0)
    job = DataJob.model_validate(
        simulator.control.create_job("mine", api_key=key, status="running")
    )
    login(keyed, "U0CAROL", key)
    keyed.stop()
    caplog.set_level(logging.WARNING)
    plain = make_bot(poll_interval=0.3)  # the only watcher now, and it cannot read the key

    subscribe_with_carols_key(redis_url, job)
    plain.wait(lambda f: [r for r in caplog.records if "cannot read the linked key" in r.message])
    time.sleep(1.0)  # several more polls
    r = redis.Redis.from_url(redis_url)
    try:
        assert not r.hexists(keys.dead_key_refs(), "user:U0CAROL")
    finally:
        r.close()
    dm = plain.fake.open_dm("U0CAROL").id
    for channel in (dm, "C0DATAJOBS"):
        assert [m for m in plain.fake.messages(channel) if "paused" in m.get("text", "")] == []


def test_a_key_stored_under_a_dropped_encryption_key_is_not_used_and_whoami_says_so(
    make_bot, simulator
):
    old = make_bot(bot_encryption_key=ENC)
    login(old, "U0CAROL", new_key(simulator, "user-carol"))
    old.stop()
    bot = make_bot(bot_encryption_key=generate_key())  # ENC dropped without a rotation
    text = bot.ask("whoami", user="U0CAROL")["text"]
    assert "can no longer be decrypted" in text and "team key" in text


def test_rotation_prepending_a_new_key_keeps_linked_keys_working(make_bot, simulator):
    old = make_bot(bot_encryption_key=ENC)
    login(old, "U0CAROL", new_key(simulator, "user-carol"))
    old.stop()
    bot = make_bot(bot_encryption_key=f"{generate_key()},{ENC}")
    text = bot.ask("whoami", user="U0CAROL")["text"]
    assert "your own SeekrFlow key" in text and "user-carol" in text


def test_personal_keys_only_mode_without_a_team_key(make_bot, simulator):
    bot = make_bot(seekr_api_key=None, bot_encryption_key=ENC)
    simulator.control.clear_requests()
    text = str(bot.ask("list", user="U0ALICE"))
    assert "No SeekrFlow key acts for you" in text and "/datajobs login" in text
    assert [r for r in simulator.control.requests() if r["path"].startswith("/v1/")] == []
    login(bot, "U0ALICE", new_key(simulator, "user-alice"))
    assert "user-alice job 0" in str(bot.ask("list", user="U0ALICE"))
