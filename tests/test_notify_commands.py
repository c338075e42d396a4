"""subscribe / unsubscribe / subscriptions over signed HTTP, as a person in Slack would use them."""

from __future__ import annotations

import json

import pytest
import redis

from bot.ids import Action
from bot.store import keys
from bot.store.sub_record import SubRecord
from tests.support.fixtures_bot import all_text, element

ALICE, BOB = "U0ALICE", "U0BOB"
CHAN = "C0DATAJOBS"


@pytest.fixture
def running_job(simulator):
    return simulator.control.create_job("feature <store> & co", status="running")


@pytest.fixture(params=["single", "cluster"])
def backend(request, redis_url):
    """Every test runs against one redis-server and against a three-node Redis Cluster."""
    if request.param == "single":
        return {"redis_url": redis_url}, redis.Redis.from_url(redis_url, decode_responses=True)
    cluster = request.getfixturevalue("redis_cluster")
    cluster.flush()
    return (
        {"redis_url": cluster.url, "redis_cluster": True},
        redis.RedisCluster.from_url(cluster.url, decode_responses=True),
    )


@pytest.fixture
def bot(make_bot, backend):
    return make_bot(**backend[0])


@pytest.fixture
def r(backend):
    client = backend[1]
    yield client
    client.close()


def subs_of(r, dest):
    """What Redis keeps of each subscription: its key and its events."""
    out = {}
    for scope, raw in r.hgetall(keys.dest_subs(dest)).items():
        events = r.hget(keys.job_subs(scope), str(dest)) or ""
        out[scope] = {"key_ref": str(SubRecord.decode(raw).key_ref), "events": events.split(",")}
    return out


def test_subscribe_dm_by_default_and_twice_is_one(bot, running_job, r):
    first = all_text(bot.ask(f"subscribe {running_job['id']}"))
    again = all_text(bot.ask(f"subscribe {running_job['id']}"))
    assert "Subscribed" in first and "DM you" in first and "feature &lt;store&gt; &amp; co" in first
    assert "Already subscribed" in again
    assert list(subs_of(r, f"u:{ALICE}")) == [running_job["id"]]
    assert subs_of(r, f"u:{ALICE}")[running_job["id"]]["key_ref"] == "team"


@pytest.mark.parametrize("target", [f"<#{CHAN}|data-jobs>", f"<#{CHAN}|>", "here"])
def test_subscribe_channel_forms(bot, running_job, r, target):
    text = all_text(bot.ask(f"subscribe {running_job['id']} {target}", channel=CHAN))
    assert f"post in <#{CHAN}>" in text
    assert list(subs_of(r, f"c:{CHAN}")) == [running_job["id"]]
    assert subs_of(r, f"u:{ALICE}") == {}


def test_channel_subscription_belongs_to_the_channel(bot, running_job, r):
    bot.ask(f"subscribe {running_job['id']} here", channel=CHAN)
    listed = bot.ask("subscriptions", channel=CHAN, user=BOB)
    assert "feature &lt;store&gt; &amp; co" in all_text(listed)
    assert element(listed, Action.SUBS_MENU) is not None


def test_events_filter_is_stored_and_validated(bot, running_job, r):
    text = all_text(bot.ask(f"subscribe {running_job['id']} events:failed,needs_review"))
    assert "failed or needs review" in text
    rec = subs_of(r, f"u:{ALICE}")[running_job["id"]]
    assert rec["events"] == ["failed", "needs_review"]
    response, _ = bot.command(f"subscribe {running_job['id']} events:exploded")
    assert "`exploded` is not a job status" in all_text(response.json())
    assert subs_of(r, f"u:{ALICE}")[running_job["id"]]["events"] == ["failed", "needs_review"]


def test_finished_job_says_so_and_stores_nothing(bot, simulator, r):
    done = simulator.control.create_job("old run", status="completed")
    text = all_text(bot.ask(f"subscribe {done['id']}"))
    assert "already finished" in text
    assert subs_of(r, f"u:{ALICE}") == {}


def test_unknown_job_is_refused(bot, r):
    text = all_text(bot.ask("subscribe dj-00000000-0000-0000-0000-000000000000"))
    assert ":mag:" in text and "Subscribed" not in text
    assert subs_of(r, f"u:{ALICE}") == {}


def test_private_channel_without_the_bot_says_invite_me(bot, running_job, r):
    text = all_text(bot.ask(f"subscribe {running_job['id']} <#G0PRIVATE|>", channel=CHAN))
    assert "/invite @datajobs" in text
    assert subs_of(r, "c:G0PRIVATE") == {}


def test_subscribe_all_and_unsubscribe_all(bot, r):
    assert "every job" in all_text(bot.ask("subscribe all here", channel=CHAN))
    assert r.hexists(keys.all_subs("team"), f"c:{CHAN}")
    assert "Unsubscribed" in all_text(bot.ask("unsubscribe all here", channel=CHAN))
    assert not r.exists(keys.all_subs("team"))


def test_unsubscribe_without_target_removes_only_my_dm(bot, running_job, r):
    bot.ask(f"subscribe {running_job['id']}")
    bot.ask(f"subscribe {running_job['id']} here", channel=CHAN)
    assert "Unsubscribed your DM" in all_text(bot.ask(f"unsubscribe {running_job['id']}"))
    assert subs_of(r, f"u:{ALICE}") == {}
    assert list(subs_of(r, f"c:{CHAN}")) == [running_job["id"]]
    assert "was not subscribed" in all_text(bot.ask(f"unsubscribe {running_job['id']}"))


def menu_option(msg, op, action=Action.SUBS_MENU):
    menu = element(msg, action)
    return next(o for o in menu["options"] if json.loads(o["value"])["a"] == op)


def test_unsubscribe_in_the_lists_menu_updates_it(bot, running_job, r):
    bot.ask(f"subscribe {running_job['id']}")
    _, url = bot.command("subscriptions mine")
    bot.reply(url)
    listed = bot.shown(url)
    option = menu_option(listed, "unsubscribe")
    bot.driver.click(Action.SUBS_MENU, message=listed, user=ALICE, selected_option=option)
    bot.wait(lambda f: not r.hlen(keys.dest_subs(f"u:{ALICE}")))
    assert subs_of(r, f"u:{ALICE}") == {}
    bot.wait(lambda f: "Unsubscribed your DM" in all_text(bot.shown(url)))


def test_an_old_lists_unsubscribe_button_still_works(bot, running_job, r):
    bot.ask(f"subscribe {running_job['id']}")
    value = json.dumps({"d": f"u:{ALICE}", "j": running_job["id"], "k": "team"})
    bot.driver.click(Action.SUBS_UNSUBSCRIBE, value, user=ALICE, channel=CHAN)
    bot.wait(lambda f: not r.hlen(keys.dest_subs(f"u:{ALICE}")))


def test_subscriptions_in_a_channel_show_the_channels_and_count_yours(bot, simulator, r):
    jobs = [simulator.control.create_job(f"mine {i}", status="running") for i in range(19)]
    for j in jobs:
        bot.ask(f"subscribe {j['id']}", channel=CHAN)
    text = all_text(bot.ask("subscriptions", channel=CHAN))
    assert f"Subscriptions of <#{CHAN}>: none" in text
    assert "You also have 19 subscriptions of your own" in text
    assert "/datajobs subscriptions mine" in text


def test_a_long_list_pages_with_next_and_previous(bot, simulator, r):
    jobs = [simulator.control.create_job(f"job {i:02d}", status="running") for i in range(20)]
    for j in jobs:
        bot.ask(f"subscribe {j['id']}")
    _, url = bot.command("subscriptions mine")
    first = bot.reply(url)
    assert "page 1 of 2" in all_text(first) and "job 19" not in all_text(first)
    listed = bot.shown(url)
    nxt = element(listed, Action.SUBS_PAGE)
    bot.driver.click(Action.SUBS_PAGE, nxt["value"], message=listed, user=ALICE)
    bot.wait(lambda f: "page 2 of 2" in all_text(bot.shown(url)))
    second = bot.shown(url)
    assert "page 2 of 2" in all_text(second) and "job 19" in all_text(second)
    assert "job 00" not in all_text(second)


def test_job_card_button_reflects_and_toggles(bot, running_job, r):
    _, url = bot.command(f"inspect {running_job['id']}")
    bot.reply(url)
    card = bot.shown(url)
    sub = element(card, Action.JOB_SUBSCRIBE)
    assert sub is not None and element(card, Action.JOB_UNSUBSCRIBE) is None
    bot.driver.click(Action.JOB_SUBSCRIBE, sub["value"], message=card, user=ALICE)
    bot.wait(lambda f: r.hexists(keys.dest_subs(f"u:{ALICE}"), running_job["id"]))
    _, url = bot.command(f"inspect {running_job['id']}")
    bot.reply(url)
    card = bot.shown(url)
    unsub = element(card, Action.JOB_UNSUBSCRIBE)
    assert unsub is not None and element(card, Action.JOB_SUBSCRIBE) is None
    bot.driver.click(Action.JOB_UNSUBSCRIBE, unsub["value"], message=card, user=ALICE)
    bot.wait(lambda f: not r.hexists(keys.dest_subs(f"u:{ALICE}"), running_job["id"]))
