"""Subscriptions and notifications on a three-node Redis Cluster (every key in one hash slot)."""

from __future__ import annotations

from redis.asyncio.cluster import RedisCluster

from bot.store import keys
from bot.values import DEFAULT_EVENTS, Dest
from tests.support.notify import eventually, running_watcher, settle

ALICE, CHAN = "U0ALICE", "C0DATAJOBS"


def notifications(fake, channel):
    return [
        m
        for m in fake.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "datajob_notification"
    ]


async def test_keys_share_one_slot(redis_cluster):
    r = RedisCluster.from_url(redis_cluster.url, decode_responses=True)
    try:
        slots = {
            r.keyslot(k)
            for k in (
                keys.job("dj-1"),
                keys.outbox(),
                keys.pending("u:U1"),
                keys.dest_subs("c:C1"),
                keys.poll_due(),
                keys.retry(),
            )
        }
    finally:
        await r.aclose()
    assert len(slots) == 1


async def test_subscribe_notify_thread_and_unsubscribe_on_cluster(
    redis_cluster, simulator, fake_slack
):
    redis_cluster.flush()
    ctl, fake = simulator.control, fake_slack.fake
    job = ctl.create_job("cluster job", status="running")
    other = ctl.create_job("dropped job", status="running")
    async with running_watcher(redis_cluster.url, simulator, fake_slack, cluster=True) as h:
        for dest in (Dest.dm(ALICE), Dest.channel(CHAN)):
            detail = await h.client.get_job(job["id"])
            first = await h.subs.subscribe_job(
                dest, detail, events=DEFAULT_EVENTS, key_ref="team", by=ALICE
            )
            again = await h.subs.subscribe_job(
                dest, detail, events=DEFAULT_EVENTS, key_ref="team", by=ALICE
            )
            assert first.created and not again.created
        await h.subs.subscribe_job(
            Dest.dm(ALICE),
            await h.client.get_job(other["id"]),
            events=DEFAULT_EVENTS,
            key_ref="team",
            by=ALICE,
        )
        assert await h.subs.unsubscribe_job(Dest.dm(ALICE), other["id"])
        ctl.set_status(job["id"], "needs_review", "missing system prompt")
        (root,) = await eventually(lambda: notifications(fake, CHAN))
        ctl.set_status(other["id"], "failed")
        ctl.set_status(job["id"], "failed", "alignment failed")
        await eventually(lambda: len(notifications(fake, CHAN)) == 2)
        dm = fake.open_dm(ALICE).id
        await eventually(lambda: len(notifications(fake, dm)) == 2)
        await settle(1.5)
        listed = await h.subs.list(Dest.dm(ALICE))
    assert len(notifications(fake, CHAN)) == 2 and len(notifications(fake, dm)) == 2
    reply = notifications(fake, CHAN)[1]
    assert reply["thread_ts"] == root["ts"] and "failed" in fake.message(CHAN, root["ts"])["text"]
    assert all("dropped job" not in m["text"] for m in notifications(fake, dm))
    assert listed == []  # finished: the subscription is done
    nids = [n for m in notifications(fake, dm) for n in m["metadata"]["event_payload"]["nids"]]
    assert sorted(nids) == sorted(
        {f"{job['id']}|needs_review|1|u:{ALICE}", f"{job['id']}|failed|1|u:{ALICE}"}
    )
