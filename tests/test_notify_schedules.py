"""Time-driven notifications across replicas: daily summaries told once, snoozes that outlive a
restart, live progress on a channel's thread root. Real Redis, the simulator, the fake Slack."""

from __future__ import annotations

import json
import time
from contextlib import AsyncExitStack

from bot.store import DailyStore, QuietStore, keys
from bot.values import DailySummary, Dest, Quiet
from tests.support.fixtures_bot import all_text
from tests.support.notify import eventually, running_watcher, settle

ALICE, CHAN = "U0ALICE", "C0DATAJOBS"


def notifications(fake, channel):
    return [
        m
        for m in fake.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "datajob_notification"
    ]


def summaries(fake, channel):
    return [m for m in notifications(fake, channel) if "Daily summary" in m.get("text", "")]


async def subscribe(h, dest, job_id, events):
    job = await h.client.get_job(job_id)
    await h.subs.subscribe_job(dest, job, events=events, key_ref="team", by=ALICE)


async def test_a_daily_summary_is_told_once_with_three_replicas_and_after_a_restart(
    redis_url, simulator, fake_slack
):
    ctl, fake = simulator.control, fake_slack.fake
    jobs = {
        "failed": ctl.create_job("broken <ingest>", status="running"),
        "completed": ctl.create_job("good run", status="running"),
        "needs_review": ctl.create_job("odd files", status="running"),
    }
    dest = Dest.channel(CHAN)
    async with AsyncExitStack() as stack:
        replicas = [
            await stack.enter_async_context(running_watcher(redis_url, simulator, fake_slack))
            for _ in range(3)
        ]
        h = replicas[0]
        for j in jobs.values():
            await subscribe(h, dest, j["id"], ("failed", "completed", "needs_review"))
        for status, j in jobs.items():
            ctl.set_status(j["id"], status, "two files failed" if status != "completed" else None)
        # the watcher records each outcome for the channel as it sees it
        await eventually(lambda: _outcomes(h, dest, 3))
        store = DailyStore(h.redis)
        summary = DailySummary(dest, 9, 0, "Europe/Berlin", by=ALICE)
        due = int(time.time() * 1000) + 800
        await store.set(summary, due)
        (told,) = await eventually(lambda: summaries(fake, CHAN), timeout=15)
        await settle(3.0)  # every replica's schedule loop ran several times meanwhile
        assert len(summaries(fake, CHAN)) == 1
        # the next one is tomorrow (Berlin 9:00), not again today
        nxt = await store.next_due(dest)
        assert nxt == summary.next_after(due)

        # a restart that finds the same day's summary due again tells nothing more
        await h.redis.zadd(keys.daily_due(), {str(dest): due})
    async with running_watcher(redis_url, simulator, fake_slack):
        await eventually(lambda: running_due_moved(redis_url, dest, due), timeout=10)
        await settle(1.5)
    assert len(summaries(fake, CHAN)) == 1
    text = all_text(told)
    assert "3 jobs" in text and "1 failed" in text and "1 completed" in text
    assert "Need attention (2)" in text and "broken &lt;ingest&gt;" in text and "odd files" in text
    buttons = [
        b["accessory"]["value"]
        for b in told["blocks"]
        if (b.get("accessory") or {}).get("action_id") == "row_inspect"
    ]
    assert sorted(json.loads(v)["j"] for v in buttons) == sorted(
        [jobs["failed"]["id"], jobs["needs_review"]["id"]]
    )


def running_due_moved(redis_url, dest, due) -> bool:
    import redis as sync_redis

    r = sync_redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        score = r.zscore(keys.daily_due(), str(dest))
        return score is not None and score > due + 3_600_000
    finally:
        r.close()


async def test_a_snooze_outlives_a_restart_and_ends_once_across_two_replicas(
    redis_url, simulator, fake_slack
):
    ctl, fake = simulator.control, fake_slack.fake
    job = ctl.create_job("slow align", status="running")
    me = Dest.dm(ALICE)
    events = ("needs_review", "running", "completed")
    async with running_watcher(redis_url, simulator, fake_slack) as a:
        await subscribe(a, me, job["id"], events)
        hour = int(time.time() * 1000) + 3_600_000
        await QuietStore(a.redis).quiet(Quiet(me, job["id"], hour, by=ALICE))
        ctl.set_status(job["id"], "needs_review")
        await eventually(lambda: a.redis.hlen(keys.held(me)))
    # the bot restarts as two replicas: the snooze still holds
    async with (
        running_watcher(redis_url, simulator, fake_slack) as b,
        running_watcher(redis_url, simulator, fake_slack),
    ):
        ctl.set_status(job["id"], "running")
        await eventually(lambda: _held(b, me, 2))
        await settle(1.0)
        dm = fake.open_dm(ALICE).id
        assert notifications(fake, dm) == []
        # the hour passes
        await b.redis.hset(keys.snoozes(me), job["id"], json.dumps({"u": 1, "by": ALICE}))
        await b.redis.zadd(keys.snooze_due(), {f"{me}|{job['id']}": 1})
        (summary,) = await eventually(lambda: notifications(fake, dm))
        await settle(2.0)
        assert len(notifications(fake, dm)) == 1
    text = all_text(summary)
    assert "While it was snoozed: 2 changes" in text
    assert "needs review" in text and "is running" in text


async def _outcomes(h, dest, n) -> bool:
    return await h.redis.xlen(keys.activity(dest)) == n


async def _held(h, dest, n) -> bool:
    return await h.redis.hlen(keys.held(dest)) == n


async def test_a_running_jobs_channel_root_shows_live_progress_updated_in_place(
    redis_url, simulator, fake_slack
):
    ctl, fake = simulator.control, fake_slack.fake
    job = ctl.create_job("big align", status="queued", running_seconds=600)
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        await subscribe(h, Dest.channel(CHAN), job["id"], ("running", "completed"))
        ctl.set_status(job["id"], "running")
        (root,) = await eventually(lambda: notifications(fake, CHAN))
        ctl.tick(150)  # a quarter of the run
        await eventually(lambda: updates(fake, root["ts"]), timeout=15)
        shown = fake.message(CHAN, root["ts"])
        text = all_text(shown)
        assert "is running" in text and "%" in text and "left" in text
        assert "25%" in text or "24%" in text or "26%" in text
        # at most once a minute per message: more progress, several polls, no more updates
        ctl.tick(60)
        await settle(2.0)
        assert len(updates(fake, root["ts"])) == 1
        # a status change is never held back by it: it is told, and the root shows it
        ctl.set_status(job["id"], "completed")
        await eventually(lambda: len(notifications(fake, CHAN)) == 2)
        await eventually(lambda: "completed" in all_text(fake.message(CHAN, root["ts"])))
        assert "%" not in all_text(fake.message(CHAN, root["ts"]))


def updates(fake, ts):
    return [c for c in fake.calls("chat.update") if c.args.get("ts") == ts]


async def test_a_run_taking_half_again_its_eta_gets_one_looks_slow_note_in_its_thread(
    redis_url, simulator, fake_slack
):
    ctl, fake = simulator.control, fake_slack.fake
    job = ctl.create_job("slowpoke", status="queued", running_seconds=1200)
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        await subscribe(h, Dest.channel(CHAN), job["id"], ("running", "completed"))
        ctl.set_status(job["id"], "running")
        (root,) = await eventually(lambda: notifications(fake, CHAN))
        ctl.tick(60)
        await eventually(lambda: updates(fake, root["ts"]), timeout=15)
        assert await h.redis.hexists(keys.job(job["id"]), "run_seen")
        await settle(1.0)
        assert not slow_notes(fake)  # on time so far
        # an hour and a half passes (the ETA was about 20 min): the next look says so, once
        await h.redis.hset(keys.job(job["id"]), "run_seen", int(time.time() * 1000) - 5_400_000)
        for _ in range(2):
            await h.redis.delete(keys.progress_gate(Dest.channel(CHAN), job["id"]))
            ctl.tick(30)
            await settle(1.5)
        (note,) = slow_notes(fake)
        assert note.get("thread_ts") == root["ts"] and "slowpoke" in note["text"]


def slow_notes(fake):
    return [
        m
        for msgs in fake.all_messages().values()
        for m in msgs
        if "looks slow" in m.get("text", "")
    ]
