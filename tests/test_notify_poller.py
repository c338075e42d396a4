"""How the watcher reads SeekrFlow: pages where jobs are dense, GETs where they are far apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import NotifyState
from bot.values import DEFAULT_EVENTS, Dest
from bot.watcher.plan import GET_ONLY, keep_paging, next_delay, planned_pages
from tests.support.notify import running_watcher


def test_plan_reads_pages_for_dense_jobs_and_gets_far_ones():
    dense = {f"j{i}": 0 for i in range(30)}
    assert planned_pages(list(dense), dense, has_all=False) == 1
    far = {"a": 0, "b": 9}  # one recent, one on page 10
    assert planned_pages(list(far), far, has_all=False) == 1  # 1 page + 1 GET, not 10 pages
    fetched = {"a": GET_ONLY, "b": GET_ONLY}
    assert planned_pages(list(fetched), fetched, has_all=False) == 0
    assert planned_pages(list(fetched), fetched, has_all=True) == 1  # new jobs appear on page 1
    assert planned_pages(["new"], {}, has_all=False) is None  # unknown: discover


def test_discovery_stops_when_gets_are_cheaper():
    assert keep_paging(0, 5, None) and keep_paging(4, 5, None)
    assert not keep_paging(5, 5, None) and not keep_paging(1, 0, None)
    assert keep_paging(2, 0, 3) and not keep_paging(3, 9, 3)


def test_backoff_grows_with_failures_and_honours_retry_after():
    assert all(9 <= next_delay(10, 0) <= 11 for _ in range(50))
    assert all(10 <= next_delay(10, 3) <= 80 for _ in range(50))
    assert next_delay(1, 1, retry_after=30) >= 30
    assert next_delay(10, 30) <= 300


@pytest.mark.slow  # 250 jobs, several poll cycles
async def test_a_poll_costs_pages_not_one_get_per_job(redis_url, simulator, fake_slack):
    """250 jobs in the list, 12 watched: 11 recent ones and one deep in the list."""
    ctl = simulator.control
    ctl.add_key("poll-key", user_id="user-poll")
    base = datetime.now(UTC) - timedelta(days=3)
    ids = [
        ctl.create_job(
            f"j{i}", api_key="poll-key", status="running", created_at=base + timedelta(minutes=i)
        )["id"]
        for i in range(250)
    ]
    watched = [*ids[-11:], ids[5]]  # newest 11, plus one at position 244
    async with running_watcher(
        redis_url, simulator, fake_slack, start=False, seekr_api_key="poll-key"
    ) as h:
        for j in watched:
            await h.subs.subscribe_job(
                Dest.dm("U0ALICE"),
                await h.client.get_job(j),
                events=DEFAULT_EVENTS,
                key_ref="team",
                by="U0ALICE",
            )
        poller = h.watcher.poller
        counts = []
        for _ in range(3):
            ctl.clear_requests()
            await poller.poll_key("team")
            counts.append(len([r for r in ctl.requests() if r["path"].startswith("/v1/")]))
        ctl.set_status(watched[0], "queued")
        ctl.clear_requests()
        results = await poller.poll_key("team")
        changed = [r for r in ctl.requests() if r["path"].startswith("/v1/")]
        assert await NotifyState(h.redis).statuses([watched[0]]) == {watched[0]: "queued"}
    # floor: min(3 pages, 12 jobs) = 3; the best mix is 1 page + 1 GET = 2
    assert counts[1:] == [2, 2], counts
    assert counts[0] <= 3
    assert len(changed) == 3 and 1 in results  # + one detail GET for the changed job
