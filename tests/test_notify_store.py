"""Subscription and notification state on a real redis-server: atomic, idempotent, bounded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster

from bot.seekrflow import DataJob
from bot.store import NotifyState, Observation, SubscriptionStore, keys
from bot.values import DEFAULT_EVENTS, Dest, JobSnapshot, KeyRef

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def job(jid: str, status: str = "running", name: str = "ingest <docs>") -> DataJob:
    return DataJob(
        id=jid,
        user_id="user-sim",
        name=name,
        job_type="principle_files",
        created_at=T0,
        updated_at=T0,
        status=status,
    )


@pytest.fixture(params=["single", "cluster"])
async def r(request, redis_url):
    """Each test runs on one redis-server and on a three-node Redis Cluster."""
    if request.param == "single":
        client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    else:
        cluster = request.getfixturevalue("redis_cluster")
        cluster.flush()
        client = RedisCluster.from_url(cluster.url, decode_responses=True)
    yield client
    await client.aclose()


async def test_subscribe_twice_is_one_subscription(r):
    subs = SubscriptionStore(r)
    first = await subs.subscribe_job(
        Dest.dm("U1"), job("dj-1"), events=DEFAULT_EVENTS, key_ref="team", by="U1"
    )
    again = await subs.subscribe_job(
        Dest.dm("U1"), job("dj-1"), events=DEFAULT_EVENTS, key_ref="team", by="U1"
    )
    assert first.created and not again.created
    assert [s.job_id for s in await subs.list(Dest.dm("U1"))] == ["dj-1"]
    assert await r.hlen(keys.job_subs("dj-1")) == 1
    assert await r.zrange(keys.watch("team"), 0, -1) == ["dj-1"]


async def test_finished_job_is_refused_and_stores_nothing(r):
    subs = SubscriptionStore(r)
    with pytest.raises(ValueError):
        await subs.subscribe_job(
            Dest.dm("U1"), job("dj-2", "completed"), events=DEFAULT_EVENTS, key_ref="team", by="U1"
        )
    assert not await r.exists(
        keys.dest_subs(Dest.dm("U1")),
        keys.job_subs("dj-2"),
        keys.job("dj-2"),
        keys.watch("team"),
        keys.poll_due(),
    )


async def test_unsubscribe_removes_only_that_target_and_unwatches_last(r):
    subs = SubscriptionStore(r)
    for dest in (Dest.dm("U1"), Dest.channel("C1")):
        await subs.subscribe_job(dest, job("dj-1"), events=DEFAULT_EVENTS, key_ref="team", by="U1")
    assert await subs.unsubscribe_job(Dest.dm("U1"), "dj-1")
    assert not await subs.unsubscribe_job(Dest.dm("U1"), "dj-1")
    assert [s.job_id for s in await subs.list(Dest.channel("C1"))] == ["dj-1"]
    assert await r.zcard(keys.watch("team")) == 1
    assert await subs.unsubscribe_job(Dest.channel("C1"), "dj-1")
    assert await r.zcard(keys.watch("team")) == 0
    assert 0 < await r.ttl(keys.job("dj-1")) <= keys.FINISHED_TTL_S  # nobody listens: expires


async def _sub(r, dest, jid, events=DEFAULT_EVENTS):
    await SubscriptionStore(r).subscribe_job(dest, job(jid), events=events, key_ref="team", by="U1")


def obs(jid, status, ver, fresh=False):
    return Observation(jid, status, ver, 1, JobSnapshot(id=jid, name=jid, status=status), fresh)


async def test_concurrent_observers_enqueue_a_transition_once(r):
    state = NotifyState(r)
    await _sub(r, Dest.dm("U1"), "dj-1")
    await _sub(r, Dest.channel("C1"), "dj-1")
    results = await asyncio.gather(
        *[state.observe("team", [obs("dj-1", "failed", 2_000_000_000_000)], 1) for _ in range(8)]
    )
    assert sorted(x[0] for x in results) == [0] * 7 + [1]
    assert await r.zrange(keys.pending(Dest.dm("U1")), 0, -1) == ["dj-1|failed|1|u:U1"]
    assert await r.zrange(keys.pending(Dest.channel("C1")), 0, -1) == ["dj-1|failed|1|c:C1"]
    assert await r.xlen(keys.outbox()) == 2
    # finished: no longer watched, subscription gone, state expires
    assert await r.zcard(keys.watch("team")) == 0
    assert await SubscriptionStore(r).list(Dest.dm("U1")) == []
    assert 0 < await r.ttl(keys.job("dj-1")) <= keys.FINISHED_TTL_S


async def test_stale_observation_is_ignored(r):
    state = NotifyState(r)
    await _sub(r, Dest.dm("U1"), "dj-1")
    assert await state.observe("team", [obs("dj-1", "needs_review", 3_000_000_000_000)], 1) == [1]
    assert await state.observe("team", [obs("dj-1", "running", 2_000_000_000_000)], 1) == [-1]
    assert (await state.statuses(["dj-1"]))["dj-1"] == "needs_review"


async def test_events_filter_decides_who_hears(r):
    state = NotifyState(r)
    await _sub(r, Dest.dm("U1"), "dj-1", events=("failed",))
    await _sub(r, Dest.dm("U2"), "dj-1")
    await state.observe("team", [obs("dj-1", "completed", 2_000_000_000_000)], 1)
    assert await r.zcard(keys.pending(Dest.dm("U1"))) == 0
    assert await r.zcard(keys.pending(Dest.dm("U2"))) == 1


async def test_delivery_protocol_commit_defer_broken(r):
    state = NotifyState(r)
    await state.ensure_group()
    await _sub(r, Dest.dm("U1"), "dj-1")
    await state.observe("team", [obs("dj-1", "failed", 2_000_000_000_000)], 1)
    ((_, entries),) = await r.xreadgroup(keys.OUTBOX_GROUP, "c1", {keys.outbox(): ">"})
    entry = entries[0][0]
    b = await state.begin(Dest.dm("U1"), "c1", 1000, 30_000, entry)
    assert (
        b.verdict == "go"
        and [str(n) for n in b.nids] == ["dj-1|failed|1|u:U1"]
        and b.attempt is None
    )
    # a second sender for the same target while the lease is held backs off
    assert (await state.begin(Dest.dm("U1"), "c2", 1000, 30_000, "")).verdict == "busy"
    pre = await state.prepost(
        Dest.dm("U1"),
        b.owner,
        1000,
        {"fence": b.fence, "nids": [str(n) for n in b.nids]},
        now_ms=1000,
    )
    assert pre.verdict == "go" and pre.generation == 1
    # a stale owner may not start a post
    pre = await state.prepost(
        Dest.dm("U1"), "c9|1", 1000, {"fence": 1, "nids": [str(n) for n in b.nids]}, now_ms=1000
    )
    assert pre.verdict == "lost"
    left, dups = await state.commit(
        Dest.dm("U1"),
        b.owner,
        b.nids,
        ts="1.1",
        channel="D1",
        clear_attempt_fence=b.fence,
        gate_ms=1000,
        now_ms=1000,
        entry_id=entry,
    )
    assert left == 0 and dups == []
    # a sender that had lost its lease reports its own post of the same notification: extra copy
    _, dups = await state.commit(
        Dest.dm("U1"), "c9|1", b.nids, ts="1.2", channel="D1", clear_attempt_fence=None
    )
    assert dups == b.nids
    assert await r.hget(keys.job("dj-1"), "n:dj-1|failed|1|u:U1") == "1.1"
    assert await r.get(keys.attempt(Dest.dm("U1"))) is None
    assert (await r.xpending(keys.outbox(), keys.OUTBOX_GROUP))["pending"] == 0
    assert await r.hget(keys.job("dj-1"), "n:dj-1|failed|1|u:U1") == "1.1"
    # paced: the next wake-up for this target within the second is deferred
    await _sub(r, Dest.dm("U1"), "dj-2")
    await state.observe("team", [obs("dj-2", "failed", 2_000_000_000_000)], 1)
    assert (await state.begin(Dest.dm("U1"), "c1", 1100, 30_000, "")).verdict == "defer"
    assert await r.zscore(keys.retry(), str(Dest.dm("U1"))) is not None
    # broken target: queued notifications are dead-lettered, not retried
    await r.delete(keys.gate(Dest.dm("U1")))
    b = await state.begin(Dest.dm("U1"), "c1", 3000, 30_000, "")
    assert await state.mark_broken(Dest.dm("U1"), b.owner, "account_inactive", 3000, "") == 1
    assert await r.xlen(keys.dead()) == 1
    assert await SubscriptionStore(r).broken_reason(Dest.dm("U1")) == "account_inactive"
    await _sub(r, Dest.dm("U1"), "dj-3")  # subscribing again clears the mark
    assert await SubscriptionStore(r).broken_reason(Dest.dm("U1")) is None


async def test_poll_claim_is_exclusive_and_fenced(r):
    state = NotifyState(r)
    await _sub(r, Dest.dm("U1"), "dj-1")
    a = await state.claim_polls(now_ms=10**13, lease_ms=60_000)
    b = await state.claim_polls(now_ms=10**13, lease_ms=60_000)
    assert [str(k) for k, _ in a] == ["team"] and b == []
    ((_, fence),) = a
    assert await state.finish_poll("team", fence - 1, 10**13, 0) == 0  # stale poller
    assert await state.finish_poll("team", fence, 10**13 + 5, 0) == 1


async def test_a_clock_gone_stale_opens_one_restore_window_and_holds_posts_until_checked(r):
    """The state's last write much older than the heartbeat interval: a restore window opens
    (once, however many replicas notice), and a post goes ahead only with its id."""
    state = NotifyState(r)
    t = 1_000_000
    gen, window = await state.heartbeat("a", 15_000, t)
    assert (gen, window) == (0, None)  # a first start: nothing to have gone back from
    gen, window = await state.heartbeat("a", 15_000, t + 2_000)
    assert window is None
    # nothing written for 60 s: restored from an older snapshot, or every replica was down
    later = t + 62_000
    _, w1 = await state.heartbeat("b", 15_000, later)
    assert w1 is not None and w1.reason == "clock" and w1.gone_ms == 60_000
    assert w1.since_ms == t + 2_000 - state.rules.margin_ms and w1.active(later)
    _, w2 = await state.heartbeat("a", 15_000, later + 2_000)
    assert w2 is not None and w2.id == w1.id  # the same window, not a second one
    await r.set(keys.lock(Dest.dm("U1")), "c1|7", px=30_000)
    held = await state.prepost(
        Dest.dm("U1"), "c1|7", 1000, {"fence": 7, "nids": []}, now_ms=later + 2_500
    )
    assert held.verdict == "check" and held.window is not None and held.window.id == w1.id
    assert await r.get(keys.attempt(Dest.dm("U1"))) is None  # nothing recorded, nothing posted
    went = await state.prepost(
        Dest.dm("U1"),
        "c1|7",
        1000,
        {"fence": 7, "nids": []},
        now_ms=later + 2_600,
        checked=w1.id,
    )
    assert went.verdict == "go" and went.generation == 1
    # the window closes by itself while the replicas go on beating
    await r.set(keys.clock(), w1.until_ms - 1_000)
    _, closed = await state.heartbeat("a", 15_000, w1.until_ms + 1)
    assert closed is None


async def test_a_post_counter_gone_back_opens_a_restore_window_even_with_a_fresh_clock(r):
    """A snapshot only seconds old: the clock looks fine, but a replica saw the post counter
    higher than it is now."""
    state = NotifyState(r)
    t = 5_000_000
    await state.heartbeat("a", 15_000, t)
    await r.set(keys.generation(), 40)
    gen, window = await state.heartbeat("a", 15_000, t + 2_000, highest_gen=40)
    assert (gen, window) == (40, None)
    await r.set(keys.generation(), 31)  # Redis is back at an older snapshot
    await r.set(keys.lock(Dest.dm("U1")), "c1|3", px=30_000)
    pre = await state.prepost(
        Dest.dm("U1"), "c1|3", 1000, {"fence": 3, "nids": []}, now_ms=t + 3_000, highest_gen=40
    )
    assert pre.verdict == "check" and pre.generation == 31
    assert pre.window is not None and pre.window.reason == "generation"
    assert pre.window.since_ms == t + 2_000 - state.rules.margin_ms


async def test_a_target_with_fifty_subscriptions_stays_in_the_compact_encoding(r):
    """Each record stays under 64 bytes with real Slack ids, so Redis keeps the target's hash
    as a listpack (about a third of a hash table's memory per subscription)."""
    subs = SubscriptionStore(r)
    dest = Dest.dm("U012AB3CD4E")
    for i in range(50):
        await subs.subscribe_job(
            dest,
            job(f"dj-{i:08x}-5c9e-4d33-b164-a2393bc5ab6d", "running"),
            events=DEFAULT_EVENTS,
            key_ref=KeyRef.user("U098ZY7XW6V"),
            by="U012AB3CD4E",
        )
    assert await r.object("encoding", keys.dest_subs(dest)) == "listpack"
    listed = await subs.list(dest)
    assert len(listed) == 50 and {s.events for s in listed} == {DEFAULT_EVENTS}
    assert {s.key_ref for s in listed} == {KeyRef.user("U098ZY7XW6V")}


async def test_records_written_as_json_before_the_compact_format_still_work(r):
    import json

    dest = Dest.dm("U1")
    legacy = {"events": ["failed"], "key_ref": "team", "by": "U1", "at": 5, "name": "old one"}
    await r.hset(keys.dest_subs(dest), "dj-9", json.dumps(legacy))
    await r.hset(keys.job_subs("dj-9"), str(dest), "failed")
    await r.hset(keys.job("dj-9"), mapping={"status": "running", "kr:team": 1})
    await r.zadd(keys.watch("team"), {"dj-9": 1})
    subs = SubscriptionStore(r)
    (listed,) = await subs.list(dest)
    assert listed.job_name == "old one" and listed.events == ("failed",) and listed.by == "U1"
    assert await subs.unsubscribe_job(dest, "dj-9")
    assert await r.zrange(keys.watch("team"), 0, -1) == []  # its key let go of the job


async def test_outbox_lag_is_the_oldest_notification_not_yet_in_slack(r):
    """What ``datajobs_outbox_lag_seconds`` reports: 0 with nothing waiting, else the age of
    the oldest waiting notification, whether its target was woken, taken or deferred."""
    from bot.store.stats import Stats

    state, stats, now = NotifyState(r), Stats(r), 1_800_000_000_000
    await state.ensure_group()
    assert await stats.oldest_waiting_ms(now) == 0
    await r.zadd(keys.pending(Dest.dm("U1")), {"dj-1|completed|1|u:U1": now - 5000})
    await r.xadd(keys.outbox(), {"dest": "u:U1"})
    assert await stats.oldest_waiting_ms(now) == 5000  # woken, not read yet
    await r.xreadgroup(keys.OUTBOX_GROUP, "sender", {keys.outbox(): ">"}, count=10)
    assert await stats.oldest_waiting_ms(now) == 5000  # taken by a sender, not acknowledged
    await r.zadd(keys.pending(Dest.channel("C1")), {"dj-2|failed|1|c:C1": now - 9000})
    await r.zadd(keys.retry(), {"c:C1": now + 1000})
    assert await stats.oldest_waiting_ms(now) == 9000  # deferred (a 429), older still
