"""The watcher end to end: simulator status changes -> Slack messages, over real HTTP and Redis."""

from __future__ import annotations

from bot.store import keys
from bot.values import DEFAULT_EVENTS, Dest
from tests.support.notify import eventually, running_watcher, settle

ALICE = "U0ALICE"
CHAN = "C0DATAJOBS"


def notifications(fake, channel):
    return [
        m
        for m in fake.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "datajob_notification"
    ]


def dm_channel(fake, user=ALICE):
    return fake.open_dm(user).id


async def subscribe(h, dest, job_id, events=DEFAULT_EVENTS):
    job = await h.client.get_job(job_id)
    return await h.subs.subscribe_job(dest, job, events=events, key_ref="team", by=ALICE)


async def test_failed_job_sends_one_dm_with_message_and_files(redis_url, simulator, fake_slack):
    ctl, fake = simulator.control, fake_slack.fake
    job = ctl.create_job(
        "<b>ingest & docs</b>",
        status="running",
        files=[{"filename": "a.pdf", "error": "unreadable PDF"}],
    )
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        await subscribe(h, Dest.dm(ALICE), job["id"])
        ctl.set_status(job["id"], "failed", "alignment crashed <oom>")
        dm = dm_channel(fake)
        (msg,) = await eventually(lambda: notifications(fake, dm))
        await settle(1.5)
        assert len(notifications(fake, dm)) == 1
    text = str(msg["blocks"])
    assert "&lt;b&gt;ingest &amp; docs&lt;/b&gt;" in msg["text"] and "failed" in msg["text"]
    assert "alignment crashed &lt;oom&gt;" in text and "<b>" not in text
    assert "a.pdf" in text and "ran " in text
    assert any(
        b.get("accessory", {}).get("text", {}).get("text") == "Inspect" for b in msg["blocks"]
    )
    assert msg["metadata"]["event_payload"]["nids"] == [f"{job['id']}|failed|1|u:{ALICE}"]


async def test_events_filter_only_failures(redis_url, simulator, fake_slack):
    ctl, fake = simulator.control, fake_slack.fake
    ok = ctl.create_job("will pass", status="running")
    bad = ctl.create_job("will fail", status="running")
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        for j in (ok, bad):
            await subscribe(h, Dest.dm(ALICE), j["id"], events=("failed",))
        ctl.set_status(ok["id"], "completed")
        ctl.set_status(bad["id"], "failed", "boom")
        dm = dm_channel(fake)
        await eventually(lambda: notifications(fake, dm))
        await settle(1.5)
        msgs = notifications(fake, dm)
    assert [m["text"].split(" ")[0:2] for m in msgs] == [["will", "fail"]]


async def test_channel_thread_and_root_updated_in_place(redis_url, simulator, fake_slack):
    ctl, fake = simulator.control, fake_slack.fake
    job = ctl.create_job("nightly corpus", status="running")
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        await subscribe(
            h, Dest.channel(CHAN), job["id"], events=("needs_review", "running", "completed")
        )
        ctl.set_status(job["id"], "needs_review", "two files failed")
        (root,) = await eventually(lambda: notifications(fake, CHAN))
        assert "needs review" in root["text"]
        ctl.set_status(job["id"], "running")
        await eventually(lambda: len(notifications(fake, CHAN)) == 2)
        ctl.set_status(job["id"], "completed")
        await eventually(lambda: len(notifications(fake, CHAN)) == 3)
        stored = await h.redis.hget(keys.job(job["id"]), f"root:c:{CHAN}")
    msgs = notifications(fake, CHAN)
    replies = [m for m in msgs if m.get("thread_ts") == root["ts"] and m["ts"] != root["ts"]]
    assert len(replies) == 2 and "completed" in replies[-1]["text"]
    top = fake.message(CHAN, root["ts"])
    assert "completed" in top["text"] and top.get("edited")
    assert stored == f"{CHAN}|{root['ts']}"


async def test_many_changes_in_one_channel_become_one_digest(redis_url, simulator, fake_slack):
    ctl, fake = simulator.control, fake_slack.fake
    jobs = [ctl.create_job(f"batch job {i}", status="running") for i in range(6)]
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        for j in jobs:
            await subscribe(h, Dest.channel(CHAN), j["id"])
        await settle(1.0)  # let one poll record the baseline
        for j in jobs:
            ctl.set_status(j["id"], "completed")
        await eventually(
            lambda: (
                sum(len(m["metadata"]["event_payload"]["nids"]) for m in notifications(fake, CHAN))
                == 6
            )
        )
        await settle(1.5)
    msgs = notifications(fake, CHAN)
    assert len(msgs) <= 2, [m["text"] for m in msgs]
    assert any("subscribed jobs changed" in m["text"] for m in msgs)


async def test_a_burst_of_100_jobs_names_every_job_in_a_few_digests(
    redis_url, simulator, fake_slack
):
    """Never "...and 60 more": each job's name is in the channel, in as few messages as one
    digest's size allows, paced at about one message per second."""
    ctl, fake = simulator.control, fake_slack.fake
    jobs = [ctl.create_job(f"burst job {i:03}", status="running") for i in range(100)]
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        for j in jobs:
            await subscribe(h, Dest.channel(CHAN), j["id"])
        await settle(1.0)  # let one poll record the baseline
        for j in jobs:
            ctl.set_status(j["id"], "completed")

        def told():
            msgs = notifications(fake, CHAN)
            return {n for m in msgs for n in m["metadata"]["event_payload"]["nids"]}

        await eventually(lambda: len(told()) == 100, timeout=30)
        await settle(1.5)
    msgs = notifications(fake, CHAN)
    text = "\n".join(str(m["blocks"]) for m in msgs)
    assert all(j["name"] in text and j["id"] in text for j in jobs)
    assert "more" not in text.replace("follow in the next message", "")
    assert 3 <= len(msgs) <= 4, [m["text"] for m in msgs]
    assert "100 subscribed jobs changed; 40 here" in msgs[0]["text"]


async def test_archived_channel_is_marked_broken_and_reported_once(
    redis_url, simulator, fake_slack
):
    ctl, fake = simulator.control, fake_slack.fake
    jobs = [ctl.create_job(f"archived-{i}", status="running") for i in range(2)]
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        for j in jobs:
            await subscribe(h, Dest.channel(CHAN), j["id"])
        fake.archive(CHAN)
        ctl.set_status(jobs[0]["id"], "failed")
        await eventually(lambda: h.subs.broken_reason(Dest.channel(CHAN)))
        ctl.set_status(jobs[1]["id"], "failed")
        await settle(2.0)
        assert await h.subs.broken_reason(Dest.channel(CHAN)) == "is_archived"
        assert await h.redis.xlen(keys.dead()) == 1
    posts = [c for c in fake.calls("chat.postMessage") if c.args.get("channel") == CHAN]
    assert len(posts) == 1  # tried once, not retried forever
    told = notifications(fake, dm_channel(fake)) + [
        m for m in fake.messages(dm_channel(fake)) if "no longer post" in m.get("text", "")
    ]
    assert len(told) == 1 and "archived" in told[0]["text"]


async def test_slack_429_delays_only_that_channel(redis_url, simulator, fake_slack):
    ctl, fake = simulator.control, fake_slack.fake
    a = ctl.create_job("rate limited", status="running")
    b = ctl.create_job("free flowing", status="running")
    # the first post to CHAN is refused, however long the machine takes to get there
    fake.add_fault("chat.postMessage", status=429, retry_after=3, channel=CHAN, count=1)
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        await subscribe(h, Dest.channel(CHAN), a["id"])
        await subscribe(h, Dest.channel("C0GENERAL"), b["id"])
        ctl.set_status(a["id"], "completed")
        ctl.set_status(b["id"], "completed")
        await eventually(lambda: notifications(fake, "C0GENERAL"))
        assert notifications(fake, CHAN) == []
        await eventually(lambda: notifications(fake, CHAN), timeout=30)
        await settle(1.0)
        assert len(notifications(fake, CHAN)) == 1
    tries = [c for c in fake.calls("chat.postMessage") if c.args.get("channel") == CHAN]
    assert [c.status for c in tries] == [429, 200]
    assert tries[1].ts - tries[0].ts >= 2.9  # Retry-After honoured before trying again


async def test_unknown_outcome_is_checked_in_history_not_posted_twice(
    redis_url, simulator, fake_slack
):
    ctl, fake = simulator.control, fake_slack.fake
    job = ctl.create_job("slow slack", status="running")
    # the answer comes after the client gave up, but the message is stored
    fake.add_fault("chat.postMessage", delay=3.0, count=1)
    async with running_watcher(redis_url, simulator, fake_slack, delivery_lease=3.0) as h:
        await subscribe(h, Dest.dm(ALICE), job["id"])
        ctl.set_status(job["id"], "completed")
        dm = dm_channel(fake)
        await eventually(lambda: notifications(fake, dm))
        await eventually(lambda: fake.calls("conversations.history"), timeout=30)

        async def drained():
            return await h.redis.zcard(keys.pending(Dest.dm(ALICE))) == 0

        await eventually(drained)
        await settle(2.0)
    assert len(notifications(fake, dm)) == 1
    assert len(fake.calls("chat.postMessage")) == 1


async def test_subscribe_all_covers_jobs_created_later(redis_url, simulator, fake_slack):
    ctl, fake = simulator.control, fake_slack.fake
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        await h.subs.subscribe_all(Dest.channel(CHAN), events=("failed",), key_ref="team", by=ALICE)
        await settle(1.0)  # the first poll records what already exists
        new = ctl.create_job("created after subscribing", status="running")
        ok = ctl.create_job("another new one", status="running")
        await settle(1.0)
        ctl.set_status(new["id"], "failed", "bad input")
        ctl.set_status(ok["id"], "completed")
        (msg,) = await eventually(lambda: notifications(fake, CHAN))
        await settle(1.5)
    assert len(notifications(fake, CHAN)) == 1
    assert "created after subscribing" in msg["text"] and "failed" in msg["text"]


async def test_an_extra_copy_from_a_sender_that_lost_its_lease_is_removed(
    redis_url, simulator, fake_slack
):
    """Another sender's copy of the notification is already committed; this post is deleted."""
    ctl, fake = simulator.control, fake_slack.fake
    job = ctl.create_job("posted twice", status="running")
    async with running_watcher(redis_url, simulator, fake_slack, start=False) as h:
        w = h.watcher
        await w.state.ensure_group()
        await subscribe(h, Dest.channel(CHAN), job["id"])
        ctl.set_status(job["id"], "completed")
        await w.poller.poll_key("team")
        nid = f"{job['id']}|completed|1|c:{CHAN}"
        await h.redis.hset(keys.job(job["id"]), f"n:{nid}", "1700000000.000001")
        ((_, entries),) = await h.redis.xreadgroup(
            keys.OUTBOX_GROUP, w.replica, {keys.outbox(): ">"}
        )
        outcome = await w.delivery.handle(entries[0][0], Dest.channel(CHAN))
    assert outcome == "duplicate-removed"
    assert notifications(fake, CHAN) == [] and len(fake.calls("chat.delete")) == 1


async def test_deactivated_person_is_marked_broken_not_retried(redis_url, simulator, fake_slack):
    ctl, fake = simulator.control, fake_slack.fake
    jobs = [ctl.create_job(f"for carol {i}", status="running") for i in range(2)]
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        for j in jobs:
            await subscribe(h, Dest.dm("U0CAROL"), j["id"])
        fake.deactivate("U0CAROL")
        ctl.set_status(jobs[0]["id"], "failed")
        await eventually(lambda: h.subs.broken_reason(Dest.dm("U0CAROL")))
        ctl.set_status(jobs[1]["id"], "failed")
        await settle(2.0)
        reason = await h.subs.broken_reason(Dest.dm("U0CAROL"))
        queued = await h.redis.zcard(keys.pending(Dest.dm("U0CAROL")))
    assert reason in ("account_inactive", "user_not_found") and queued == 0
    attempts = fake.calls("conversations.open") + fake.calls("chat.postMessage")
    assert len(attempts) == 1  # one try, then marked broken: no retry loop
