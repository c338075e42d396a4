"""Start, Skip failed files and start, and Retry, from the job card and the command, over signed
HTTP against the simulator, with the bot's watcher running on a private Redis."""

from __future__ import annotations

import time

import httpx
import pytest
import redis

from bot.ids import Action
from bot.store import keys
from tests.support.fixtures_bot import all_text, element

ALICE, CAROL, CHAN = "U0ALICE", "U0CAROL", "C0DATAJOBS"


@pytest.fixture
def bot(make_bot):
    return make_bot(poll_interval=0.3, delivery_lease=4.0, seekr_timeout=2.0, review_reminder=1.5)


@pytest.fixture
def r(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


def posts(simulator, suffix=""):
    return [
        q
        for q in simulator.control.requests()
        if q["method"] in ("POST", "PATCH") and q["path"].endswith(suffix)
    ]


def card_of(bot, job_id, user=ALICE):
    _, url = bot.command(f"inspect {job_id}", user=user)
    bot.reply(url)
    return bot.shown(url), url


def click(bot, card, action, user=ALICE):
    button = element(card, action)
    assert button is not None, f"no {action} on the card"
    response = bot.driver.click(action, button["value"], message=card, user=user)
    assert response.status_code == 200


def notifications(fake, channel):
    return [
        m
        for m in fake.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "datajob_notification"
    ]


def test_start_from_the_card_starts_a_ready_job(bot, simulator):
    job = simulator.control.create_job("ready run", status="ready_to_start")
    card, url = card_of(bot, job["id"])
    assert element(card, Action.JOB_START)["confirm"]["confirm"]["text"] == "Start"
    click(bot, card, Action.JOB_START)
    bot.wait(lambda f: "Started by <@U0ALICE>" in all_text(bot.shown(url)))
    assert simulator.control.job(job["id"])["status"] == "pending"
    assert len(posts(simulator, "/start")) == 1


def test_skip_removes_exactly_the_failed_files_then_starts(bot, simulator):
    ctl = simulator.control
    job = ctl.create_job(
        "mixed files",
        status="needs_review",
        files=[
            {"filename": "good.pdf"},
            {"filename": "scan <bad>.pdf", "error": "unreadable PDF"},
            {"filename": "locked.pdf", "error": "password protected"},
        ],
    )
    before = ctl.job(job["id"])["files"]
    failed = sorted(f["file_id"] for f in before if f["status"] == "failed")
    good = [f["file_id"] for f in before if f["status"] != "failed"]
    card, url = card_of(bot, job["id"])
    button = element(card, Action.JOB_SKIP_START)
    confirm = button["confirm"]["text"]["text"]
    assert "scan &lt;bad&gt;.pdf" in confirm and "locked.pdf" in confirm
    assert "good.pdf" not in confirm
    ctl.clear_requests()
    click(bot, card, Action.JOB_SKIP_START)
    bot.wait(lambda f: "removed the failed files" in all_text(bot.shown(url)))
    after = ctl.job(job["id"])
    assert [f["file_id"] for f in after["files"]] == good
    assert after["status"] == "pending"
    changes = [q["path"].rsplit("/", 1)[1] for q in posts(simulator)]
    assert changes == ["remove-files", "start"]
    assert sorted(failed) == failed and len(failed) == 2
    assert "started it" in all_text(bot.shown(url))


def test_a_retry_copies_dm_and_channel_subscriptions_and_both_hear_of_the_clone(bot, simulator, r):
    ctl, fake = simulator.control, bot.fake
    job = ctl.create_job("nightly <eval>", status="running", files=[{"filename": "a.pdf"}])
    bot.ask(f"subscribe {job['id']} events:failed,completed")
    bot.ask(f"subscribe {job['id']} here events:failed,completed,running", channel=CHAN)
    ctl.set_status(job["id"], "failed", "out of memory")
    dm = fake.open_dm(ALICE).id
    bot.wait(lambda f: notifications(f, dm) and notifications(f, CHAN))
    card, url = card_of(bot, job["id"])
    click(bot, card, Action.JOB_RETRY)
    shown = bot.wait(lambda f: "Retried by <@U0ALICE>" in (t := all_text(bot.shown(url))) and t)
    (clone,) = [j for j in _all_jobs(simulator) if j.get("origin_data_job_id") == job["id"]]
    assert clone["name"] == "nightly <eval> (retry 1)" and clone["id"] in shown
    assert ctl.job(clone["id"])["status"] == "pending"  # started at once
    assert r.hexists(keys.dest_subs(f"u:{ALICE}"), clone["id"])
    assert r.hexists(keys.dest_subs(f"c:{CHAN}"), clone["id"])
    assert r.hget(keys.job_subs(clone["id"]), f"u:{ALICE}") == "failed,completed"
    assert r.hget(keys.job_subs(clone["id"]), f"c:{CHAN}") == "failed,completed,running"
    ctl.set_status(clone["id"], "completed")
    bot.wait(
        lambda f: any("(retry 1)" in m["text"] and "completed" in m["text"]
                      for m in notifications(f, dm))
        and any("(retry 1)" in m["text"] for m in notifications(f, CHAN))
    )  # fmt: skip


def _all_jobs(simulator):
    r = httpx.get(
        f"{simulator.url}/v1/flow/data-jobs",
        params={"limit": 100},
        headers={"Authorization": simulator.api_key},
        timeout=10,
    )
    body = r.json()
    return body["data"] if isinstance(body, dict) else body


def test_someone_without_the_right_makes_no_seekrflow_post(bot, simulator):
    ctl = simulator.control
    ready = ctl.create_job("ready", status="ready_to_start")
    failed = ctl.create_job("broken", status="failed")
    ctl.clear_requests()
    for job, action, verb in (
        (ready, Action.JOB_START, "start"),
        (failed, Action.JOB_RETRY, "retry"),
    ):
        card, _ = card_of(bot, job["id"], user=CAROL)
        click(bot, card, action, user=CAROL)
        refused = bot.reply(bot.driver.last_response_url)
        assert f"can't {verb} this" in all_text(refused)
        assert f"can't {verb} this" in all_text(bot.ask(f"{verb} {job['id']}", user=CAROL))
    assert posts(simulator) == []
    assert ctl.job(ready["id"])["status"] == "ready_to_start"


def test_a_clone_whose_answer_is_lost_is_never_cloned_twice(bot, simulator):
    ctl = simulator.control
    job = ctl.create_job("flaky", status="failed")
    path = f"/v1/flow/data-jobs/{job['id']}/clone"
    ctl.set_latency(4.0, path_prefix=path, after=True)  # made, but answered after the timeout
    card, url = card_of(bot, job["id"])
    click(bot, card, Action.JOB_RETRY)
    bot.wait(lambda f: "Retried by" in all_text(bot.shown(url)), timeout=30)
    ctl.set_latency(0, path_prefix=path)
    card, url2 = card_of(bot, job["id"])
    click(bot, card, Action.JOB_RETRY)  # clicked again
    bot.wait(lambda f: "Retried by" in all_text(bot.shown(url2)), timeout=30)
    assert len(posts(simulator, "/clone")) == 1
    clones = [j for j in _all_jobs(simulator) if j.get("origin_data_job_id") == job["id"]]
    assert len(clones) == 1


async def test_a_retried_job_not_ready_at_once_is_started_by_the_watcher_when_ready(
    redis_url, simulator, fake_slack
):
    from bot.store import RetryStore
    from bot.values import TEAM, Dest
    from tests.support.notify import eventually, running_watcher, settle

    ctl = simulator.control
    job = ctl.create_job("still ingesting", files=[{"filename": "a.pdf", "seconds": 30}])
    assert ctl.job(job["id"])["status"] == "file_processing"
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        detail = await h.client.get_job(job["id"])
        await h.subs.subscribe_job(
            Dest.dm(ALICE), detail, events=("completed",), key_ref=TEAM, by=ALICE
        )
        await RetryStore(h.redis).start_when_ready(job["id"], TEAM)
        ctl.tick(20)  # still processing its file: nothing is started
        await settle(1.5)  # several polls
        assert not posts(simulator, "/start")
        ctl.tick(15)  # ready_to_start (the simulator itself would start it 45 s later)
        await eventually(lambda: posts(simulator, "/start"))
        await eventually(lambda: ctl.job(job["id"])["status"] == "pending")
        await eventually(lambda: _not_pending_start(h, job["id"]))
        await settle(1.0)
        assert len(posts(simulator, "/start")) == 1


async def _not_pending_start(h, job_id) -> bool:
    return not await h.redis.hexists(keys.autostart(), job_id)


def test_claim_on_a_review_notification_says_who_is_on_it_everywhere_and_stops_the_reminder(
    bot, simulator, r
):
    ctl, fake = simulator.control, bot.fake
    job = ctl.create_job(
        "needs eyes",
        status="running",
        files=[{"filename": "ok.pdf"}, {"filename": "bad.pdf", "error": "unreadable PDF"}],
    )
    bot.ask(f"subscribe {job['id']} here", channel=CHAN)
    ctl.set_status(job["id"], "needs_review")
    (note,) = bot.wait(lambda f: notifications(f, CHAN))
    assert element(note, Action.NOTE_SKIP_START) is not None
    # someone who may not change jobs is refused, and nothing is kept
    response = bot.driver.click(
        Action.NOTE_CLAIM, element(note, Action.NOTE_CLAIM)["value"], message=note, user=CAROL
    )
    assert response.status_code == 200
    assert "can't claim this" in all_text(bot.reply(bot.driver.last_response_url))
    assert not r.hexists(keys.claims(), job["id"])
    bot.driver.click(
        Action.NOTE_CLAIM, element(note, Action.NOTE_CLAIM)["value"], message=note, user=ALICE
    )
    claimed = bot.wait(
        lambda f: "<@U0ALICE> is on it" in all_text(m := f.message(CHAN, note["ts"])) and m
    )
    assert element(claimed, Action.NOTE_UNCLAIM) is not None
    card, _ = card_of(bot, job["id"])
    assert "<@U0ALICE> is on it" in all_text(card)
    time.sleep(2.5)  # past REVIEW_REMINDER: claimed, so no reminder
    assert not [m for m in fake.messages(CHAN) if "still needs review" in m.get("text", "")]
    bot.driver.click(
        Action.NOTE_UNCLAIM, element(claimed, Action.NOTE_UNCLAIM)["value"], message=claimed
    )
    bot.wait(lambda f: "is on it" not in all_text(f.message(CHAN, note["ts"])))
    # claimed again, then the job leaves review: the claim ends with it
    bot.driver.click(
        Action.NOTE_CLAIM, element(note, Action.NOTE_CLAIM)["value"], message=note, user=ALICE
    )
    bot.wait(lambda f: r.hexists(keys.claims(), job["id"]))
    ctl.set_status(job["id"], "running")
    bot.wait(lambda f: not r.hexists(keys.claims(), job["id"]))
    entries = r.xrange(keys.audit_stream())
    assert [
        e[1]["after"]
        for e in entries
        if e[1].get("action") == "claim" and e[1].get("outcome") == "ok"
    ] == ["claimed", "unclaimed", "claimed"]


def test_an_unclaimed_review_gets_one_reminder_in_its_thread_and_by_dm(bot, simulator):
    ctl, fake = simulator.control, bot.fake
    job = ctl.create_job("forgotten", status="running")
    bot.ask(f"subscribe {job['id']} here", channel=CHAN)
    bot.ask(f"subscribe {job['id']}")
    ctl.set_status(job["id"], "needs_review")
    (root,) = bot.wait(lambda f: notifications(f, CHAN))
    dm = fake.open_dm(ALICE).id
    reminders = bot.wait(
        lambda f: (
            len(found := [m for c in (CHAN, dm) for m in f.all_messages().get(c, [])
                          if "still needs review" in m.get("text", "")]) >= 2
        ) and found
    )  # fmt: skip
    time.sleep(2.0)
    everywhere = [
        m
        for msgs in fake.all_messages().values()
        for m in msgs
        if "still needs review" in m.get("text", "")
    ]
    assert len(everywhere) == 2
    in_channel = [m for m in fake.all_messages().get(CHAN, []) if "still needs review" in m["text"]]
    assert in_channel[0].get("thread_ts") == root["ts"]
    assert reminders
