"""The client against the SeekrFlow simulator over real HTTP: every method, every
error the simulator can produce, and retries as the simulator's request log sees them."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.seekrflow import (
    CANCELLABLE,
    TERMINAL,
    InputsLocked,
    InvalidJobId,
    JobNotFound,
    JobUpdate,
    KeyRejected,
    NotCancellable,
    RateLimited,
    RetryPolicy,
    SeekrFlow,
    ServerError,
    Unavailable,
    ValidationFailed,
)
from tests.support.fixtures_client import FAST


@pytest.fixture
def client(simulator, http_pool):
    simulator.control.clear_requests()
    return SeekrFlow(
        http_pool, base_url=simulator.url + "/v1/", api_key=simulator.api_key, retry=FAST
    )


def log(simulator) -> list[dict]:
    return simulator.control.requests()


def ts(entry: dict) -> float:
    return datetime.fromisoformat(entry["ts"]).timestamp()


async def first(client, *statuses: str):
    return next(j for j in await client.list_jobs(limit=100) if j.status in statuses)


# -- every method --------------------------------------------------------------


async def test_list_shows_the_keys_jobs_and_pages_through_them(client, simulator):
    everything = await client.list_jobs(limit=100)
    assert len(everything) >= 10 and {j.user_id for j in everything} == {"user-sim"}
    assert [j.created_at for j in everything] == sorted(
        (j.created_at for j in everything), reverse=True
    )
    page1 = await client.list_jobs(limit=5)
    page2 = await client.list_jobs(limit=5, offset=5)
    assert [j.id for j in page1 + page2] == [j.id for j in everything[:10]]
    entry = log(simulator)[-1]
    assert entry["key_user"] == "user-sim"
    assert entry["query"] == {
        "sort_by": "created_at",
        "sort_order": "desc",
        "limit": "5",
        "offset": "5",
    }


async def test_list_filters_by_type_and_sorts_by_name(client):
    vdb = await client.list_jobs(job_type="context_grounded_vector_db", limit=100)
    assert vdb and {j.job_type for j in vdb} == {"context_grounded_vector_db"}
    named = await client.list_jobs(sort_by="name", sort_order="asc", limit=100)
    assert [j.name for j in named] == sorted((j.name for j in named), key=str.casefold)


async def test_get_returns_the_full_detail(client):
    reviews = [j for j in await client.list_jobs(limit=100) if j.status == "needs_review"]
    details = [await client.get_job(j.id) for j in reviews]
    assert [(d.id, d.name) for d in details] == [(j.id, j.name) for j in reviews]
    failed = [r for d in details for r in d.failed_records]
    assert failed, "jobs that need review show their failed files"
    assert all(r.error_message and r.suggested_fix for r in failed)
    running = await client.get_job((await first(client, "running")).id)
    assert running.alignment_job is not None and running.alignment_job.progress is not None
    assert running.timeline and running.timeline == sorted(
        running.timeline, key=lambda e: e.timestamp
    )


async def test_rename_and_update_change_the_job(client, simulator):
    job = await first(client, "ready_to_start", "needs_review", "file_processing")
    renamed = await client.rename_job(job.id, "Support refresh v2")
    assert renamed.name == "Support refresh v2"
    updated = await client.update_job(
        job.id, JobUpdate(description="Q4 scope", system_prompt="Cite the policy.")
    )
    assert (updated.description, updated.system_prompt) == ("Q4 scope", "Cite the policy.")
    again = await client.get_job(job.id)
    assert (again.name, again.description) == ("Support refresh v2", "Q4 scope")
    assert [(e["method"], e["status"]) for e in log(simulator)[-3:]] == [
        ("PATCH", 200),
        ("PATCH", 200),
        ("GET", 200),
    ]


async def test_cancel_cancels_a_running_job_once(client, simulator):
    job = await first(client, *CANCELLABLE)
    simulator.control.clear_requests()
    cancelled = await client.cancel_job(job.id)
    assert cancelled.status == "cancelled" and cancelled.terminal
    assert [(e["method"], e["path"], e["status"]) for e in log(simulator)] == [
        ("POST", f"/v1/flow/data-jobs/{job.id}/cancel", 200)
    ]


# -- every error the simulator gives -------------------------------------------


async def test_cancelling_a_finished_job_is_not_cancellable(client, simulator):
    job = await first(client, *TERMINAL)
    with pytest.raises(NotCancellable, match="cannot be cancelled"):
        await client.cancel_job(job.id)
    assert [e["status"] for e in log(simulator)][-1] == 304


async def test_renaming_after_alignment_started_is_locked(client):
    job = await first(client, "running")
    with pytest.raises(InputsLocked, match="inputs are locked"):
        await client.rename_job(job.id, "too late")
    assert (await client.get_job(job.id)).name == job.name


async def test_another_keys_job_is_invisible(client, simulator, http_pool):
    other = SeekrFlow(http_pool, base_url=simulator.url, api_key=simulator.other_key, retry=FAST)
    theirs = (await other.list_jobs())[0]
    assert theirs.id not in {j.id for j in await client.list_jobs(limit=100)}
    for call in (client.get_job, client.cancel_job):
        with pytest.raises(JobNotFound, match=theirs.id):
            await call(theirs.id)
    with pytest.raises(JobNotFound):
        await client.rename_job(theirs.id, "mine now")
    assert (await other.get_job(theirs.id)).name == theirs.name


async def test_unknown_and_revoked_keys_are_rejected(simulator, http_pool):
    simulator.control.add_key("sk-temp", user_id="user-temp")
    temp = SeekrFlow(http_pool, base_url=simulator.url, api_key="sk-temp", retry=FAST)
    assert await temp.list_jobs() == []
    simulator.control.revoke_key("sk-temp")
    simulator.control.clear_requests()
    for key in ("sk-temp", "sk-never-issued"):
        c = SeekrFlow(http_pool, base_url=simulator.url, api_key=key, retry=FAST)
        with pytest.raises(KeyRejected) as info:
            await c.list_jobs()
        assert info.value.status == 401 and key not in str(info.value)
    assert len(log(simulator)) == 2  # a rejected key is not retried


async def test_the_team_header_is_sent_and_a_wrong_team_is_refused(simulator, http_pool):
    simulator.control.add_key("sk-team", user_id="user-t", team_id="team-7")
    good = SeekrFlow(http_pool, base_url=simulator.url, api_key="sk-team", team_id="team-7")
    await good.list_jobs()
    assert log(simulator)[-1]["team_id"] == "team-7"
    bad = SeekrFlow(http_pool, base_url=simulator.url, api_key="sk-team", team_id="team-8")
    with pytest.raises(KeyRejected) as info:
        await bad.list_jobs()
    assert info.value.status == 403


async def test_the_servers_422_detail_is_kept(client, simulator):
    job = await first(client, "ready_to_start")
    sneaky = JobUpdate.model_construct(name="")  # skips the client's own check
    with pytest.raises(ValidationFailed) as info:
        await client.update_job(job.id, sneaky)
    assert info.value.detail[0]["loc"] == ["body", "name"]
    assert str(info.value).startswith("SeekrFlow refused the request: name:")


async def test_unknown_statuses_are_shown_as_is(client, simulator):
    job = await first(client, "running")
    simulator.control.set_status(job.id, "paused_for_quota", "Waiting for GPU quota.")
    detail = await client.get_job(job.id)
    assert detail.status == "paused_for_quota" and not detail.cancellable
    listed = {j.id: j.status for j in await client.list_jobs(limit=100)}
    assert listed[job.id] == "paused_for_quota"


async def test_invalid_ids_never_reach_the_simulator(client, simulator):
    for bad in ("../../_sim/reset", "dj 1", "dj-1/cancel", "dj\x00", "%2e%2e"):
        with pytest.raises(InvalidJobId):
            await client.get_job(bad)
        with pytest.raises(InvalidJobId):
            await client.cancel_job(bad)
    assert log(simulator) == []


# -- retries as the request log sees them --------------------------------------


async def test_429_with_retry_after_then_success(client, simulator):
    job = (await client.list_jobs())[0]
    simulator.control.clear_requests()
    simulator.control.add_fault(429, count=1, retry_after=1)
    assert (await client.get_job(job.id)).id == job.id
    entries = log(simulator)
    assert [e["status"] for e in entries] == [429, 200]
    assert ts(entries[1]) - ts(entries[0]) >= 0.95  # waited what the server asked


async def test_a_persistent_503_gives_up_after_the_attempts(client, simulator):
    simulator.control.add_fault(503)
    with pytest.raises(ServerError, match="HTTP 503"):
        await client.list_jobs()
    assert [e["status"] for e in log(simulator)] == [503] * FAST.attempts


async def test_a_500_on_a_read_is_retried_and_shows_in_the_request_log(client, simulator):
    simulator.control.add_fault(500, count=1)
    assert await client.list_jobs()
    assert [e["status"] for e in log(simulator)] == [500, 200]
    simulator.control.clear_requests()
    simulator.control.add_fault(500)
    with pytest.raises(ServerError, match="HTTP 500"):
        await client.list_jobs()
    assert [e["status"] for e in log(simulator)] == [500] * client.retry.attempts


async def test_changes_are_sent_exactly_once_even_when_they_fail(client, simulator):
    job = await first(client, *CANCELLABLE)
    ready = await first(client, "ready_to_start")
    simulator.control.clear_requests()
    simulator.control.add_fault(503, methods=["PATCH", "POST"])
    with pytest.raises(ServerError):
        await client.cancel_job(job.id)
    with pytest.raises(ServerError):
        await client.rename_job(ready.id, "again")
    simulator.control.clear_faults()
    simulator.control.add_fault(429, retry_after=0, methods=["POST"])
    with pytest.raises(RateLimited):
        await client.cancel_job(job.id)
    assert [(e["method"], e["status"]) for e in log(simulator)] == [
        ("POST", 503),
        ("PATCH", 503),
        ("POST", 429),
    ]


async def test_retries_stop_at_the_time_budget(simulator, http_pool):
    policy = RetryPolicy(attempts=20, base=0.01, cap=0.01, budget=3.0)
    c = SeekrFlow(http_pool, base_url=simulator.url, api_key=simulator.api_key, retry=policy)
    simulator.control.add_fault(429, retry_after=1)
    with pytest.raises(RateLimited):
        await c.list_jobs()
    entries = log(simulator)
    assert 2 <= len(entries) <= 3  # 1 s waits fit at most twice into 3 s, never 20 tries
    assert ts(entries[-1]) - ts(entries[0]) <= 3.0


async def test_a_slow_simulator_is_unavailable_after_the_timeout(simulator, http_pool):
    c = SeekrFlow(
        http_pool, base_url=simulator.url, api_key=simulator.api_key, retry=FAST, timeout=0.5
    )
    simulator.control.set_latency(1.5)
    try:
        with pytest.raises(Unavailable, match=r"did not answer within 0\.5 seconds"):
            await c.list_jobs()
    finally:
        simulator.control.set_latency(0)
    assert len(log(simulator)) == FAST.attempts  # a read is asked again
