"""Retries: only where safe, honouring Retry-After, bounded in tries and in time (scripted server).

The request log of the server is the evidence: it shows exactly how many
requests reached it and when.
"""

from __future__ import annotations

import time

import pytest

from bot.seekrflow import (
    RateLimited,
    RetryPolicy,
    ServerError,
    Unavailable,
    parse_retry_after,
)
from tests.support.fixtures_client import FAST
from tests.support.scripted_server import Reply, job_json

JOB = "dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d"


async def test_429_then_success_waits_what_the_server_asked(scripted, make_client):
    scripted.script(Reply(429, headers={"Retry-After": "1"}))
    job = await make_client(scripted.url).get_job(JOB)
    assert job.id == JOB
    first, second = scripted.requests  # exactly two requests
    assert second.ts - first.ts >= 1.0


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_gateway_errors_are_retried_until_the_attempts_run_out(scripted, make_client, status):
    scripted.default = Reply(status, json={"detail": "bad gateway"})
    with pytest.raises(ServerError) as info:
        await make_client(
            scripted.url, retry=RetryPolicy(attempts=4, base=0.01, cap=0.05)
        ).list_jobs()
    assert info.value.status == status
    assert len(scripted.requests) == 4


async def test_a_gateway_error_then_success_returns_the_job(scripted, make_client):
    scripted.script(Reply(503), Reply(502))
    job = await make_client(scripted.url).get_job(JOB)
    assert job.status == "running"
    assert len(scripted.requests) == 3


async def test_a_500_on_a_read_is_retried_then_the_job_returned(scripted, make_client):
    scripted.script(Reply(500, json={"detail": "boom"}))
    job = await make_client(scripted.url).get_job(JOB)
    assert job.status == "running"
    assert [r.method for r in scripted.requests] == ["GET", "GET"]


async def test_a_read_timeout_on_a_get_is_retried(scripted, make_client):
    scripted.script(Reply(200, json=job_json(), delay=3))
    job = await make_client(scripted.url, timeout=0.5).get_job(JOB)
    assert job.status == "running"
    assert len(scripted.requests) == 2


@pytest.mark.parametrize("action", ["rename", "cancel"])
async def test_a_500_or_a_read_timeout_on_a_change_is_not_retried(scripted, make_client, action):
    client = make_client(scripted.url, timeout=0.5)
    call = client.rename_job(JOB, "x") if action == "rename" else client.cancel_job(JOB)
    scripted.default = Reply(500, json={"detail": "boom"})
    with pytest.raises(ServerError):
        await call
    scripted.default = Reply(200, json=job_json(), delay=3)
    call = client.rename_job(JOB, "x") if action == "rename" else client.cancel_job(JOB)
    with pytest.raises(Unavailable):
        await call
    assert len(scripted.requests) == 2  # one each: never sent twice


async def test_backoff_grows_between_attempts(scripted, make_client):
    scripted.default = Reply(503)
    policy = RetryPolicy(attempts=3, base=0.4, cap=10)
    with pytest.raises(ServerError):
        await make_client(scripted.url, retry=policy).get_job(JOB)
    t = [r.ts for r in scripted.requests]
    assert len(t) == 3
    assert t[1] - t[0] >= 0.2  # base * 2**0, jittered to 50-100 %
    assert t[2] - t[1] >= 0.4  # base * 2**1, jittered


@pytest.mark.parametrize("action", ["rename", "cancel"])
@pytest.mark.parametrize("status", [429, 503])
async def test_changes_are_never_retried_on_an_answer(scripted, make_client, action, status):
    scripted.default = Reply(status, headers={"Retry-After": "0"})
    client = make_client(scripted.url)
    with pytest.raises((RateLimited, ServerError)):
        if action == "rename":
            await client.rename_job(JOB, "new")
        else:
            await client.cancel_job(JOB)
    assert len(scripted.requests) == 1


async def test_a_retry_after_longer_than_the_budget_fails_at_once(scripted, make_client):
    scripted.default = Reply(429, headers={"Retry-After": "30"})
    started = time.monotonic()
    with pytest.raises(RateLimited) as info:
        await make_client(scripted.url, retry=RetryPolicy(attempts=3, budget=5)).get_job(JOB)
    assert time.monotonic() - started < 30  # did not sleep the 30 s
    assert info.value.retry_after == 30
    assert "try again in 30 seconds" in str(info.value)
    assert len(scripted.requests) == 1


async def test_the_time_budget_stops_retries_before_the_attempts_run_out(scripted, make_client):
    scripted.default = Reply(429, headers={"Retry-After": "0.5"})
    policy = RetryPolicy(attempts=50, base=0.01, cap=0.01, budget=2.0)
    started = time.monotonic()
    with pytest.raises(RateLimited):
        await make_client(scripted.url, retry=policy).list_jobs()
    elapsed = time.monotonic() - started
    # 0.5 s waits (each leaving >= 0.25 s to spare) fit at most 3 times into 2 s:
    # never 50 attempts, never a wait that ends past the budget.
    assert 2 <= len(scripted.requests) <= 4
    assert scripted.requests[-1].ts - scripted.requests[0].ts <= 2.0
    assert elapsed < 2.0 + 10  # the last request itself is short; generous for a loaded machine


async def test_a_retry_gets_only_what_is_left_of_the_budget_as_timeout(scripted, make_client):
    # First answer: 503 quickly. Second: would take 5 s, but under 2 s of budget are left.
    scripted.script(Reply(503), Reply(200, json=job_json(), delay=5))
    policy = RetryPolicy(attempts=3, base=0.05, cap=0.05, budget=2.0)
    with pytest.raises(Unavailable) as info:
        await make_client(scripted.url, retry=policy, timeout=30).get_job(JOB)
    assert "did not answer within" in str(info.value)
    assert float(str(info.value).split("within ")[1].split(" ")[0]) <= 2.0
    assert len(scripted.requests) == 2


async def test_reads_retry_on_a_dropped_connection_changes_do_not(dropping, make_client):
    client = make_client(dropping.url)
    with pytest.raises(Unavailable):
        await client.get_job(JOB)
    assert dropping.accepted == FAST.attempts
    before = dropping.accepted
    with pytest.raises(Unavailable):
        await client.cancel_job(JOB)
    with pytest.raises(Unavailable):
        await client.rename_job(JOB, "x")
    # The request may have reached the server: exactly one try each.
    assert dropping.accepted - before == 2


async def test_connection_refused_fails_fast_and_is_bounded(closed_url, make_client):
    started = time.monotonic()
    with pytest.raises(Unavailable):
        await make_client(closed_url).get_job(JOB)
    with pytest.raises(Unavailable):
        await make_client(closed_url).cancel_job(JOB)  # nothing was sent: may try twice
    assert time.monotonic() - started < FAST.budget * 2 + 10


def test_retry_after_parsing():
    now = 1_700_000_000.0
    assert parse_retry_after("3", now=now) == 3
    assert parse_retry_after(" 1.5 ", now=now) == 1.5
    assert parse_retry_after("Tue, 14 Nov 2023 22:13:40 GMT", now=now) == 20
    assert parse_retry_after("Tue, 14 Nov 2023 22:13:00 GMT", now=now) == 0  # in the past
    assert parse_retry_after("-5", now=now) == 0
    for bad in (None, "", "soon", "nan", "inf", "Tue, 99 Nov"):
        assert parse_retry_after(bad, now=now) is None


def test_policy_refuses_nonsense():
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(budget=-1)
    policy = RetryPolicy(base=1, cap=3)
    assert all(0.5 <= policy.backoff(1) <= 1 for _ in range(50))
    assert all(1.5 <= policy.backoff(5) <= 3 for _ in range(50))  # capped
