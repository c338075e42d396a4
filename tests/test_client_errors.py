"""Every outcome of a call becomes one typed error with a readable message (scripted server).

The same mappings are exercised against the simulator in test_client_sim.py;
here a loopback server answers what the simulator never would (403, 418,
garbage bodies, HTTP-date Retry-After, a key echoed back).
"""

from __future__ import annotations

import email.utils
import time

import pytest

from bot.seekrflow import (
    NO_RETRY,
    DataJobDetail,
    InputsLocked,
    JobNotFound,
    JobUpdate,
    KeyRejected,
    NotCancellable,
    RateLimited,
    SeekrFlowError,
    ServerError,
    Unavailable,
    UnexpectedResponse,
    ValidationFailed,
)
from tests.support.fixtures_client import API_KEY
from tests.support.scripted_server import Reply, job_json

JOB = "dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d"


async def outcome(client, action: str) -> SeekrFlowError:
    calls = {
        "list": lambda: client.list_jobs(),
        "get": lambda: client.get_job(JOB),
        "rename": lambda: client.rename_job(JOB, "new name"),
        "cancel": lambda: client.cancel_job(JOB),
    }
    with pytest.raises(SeekrFlowError) as info:
        await calls[action]()
    err = info.value
    assert API_KEY not in str(err) and API_KEY not in repr(err.detail)
    assert str(err).endswith((".", ")")) and str(err)[0].isupper()  # a sentence
    return err


@pytest.mark.parametrize(
    ("status", "action", "kind", "says"),
    [
        (401, "get", KeyRejected, "did not accept the API key"),
        (403, "list", KeyRejected, "refused this API key"),
        (404, "get", JobNotFound, f"no data job {JOB}, or this API key cannot see it"),
        (409, "rename", InputsLocked, "inputs are locked because alignment has started"),
        (
            304,
            "cancel",
            NotCancellable,
            "cannot be cancelled: it is not pending, queued or running",
        ),
        (304, "get", UnexpectedResponse, "unexpected HTTP 304"),
        (500, "get", ServerError, "HTTP 500"),
        (502, "cancel", ServerError, "HTTP 502"),
        (418, "get", UnexpectedResponse, "unexpected HTTP 418"),
        (301, "list", UnexpectedResponse, "unexpected HTTP 301"),
        (400, "rename", UnexpectedResponse, "unexpected HTTP 400"),
    ],
)
async def test_status_codes_map_to_typed_errors(scripted, make_client, status, action, kind, says):
    scripted.script(Reply(status, json={"detail": "nope"}))
    err = await outcome(make_client(scripted.url, retry=NO_RETRY), action)
    assert type(err) is kind
    assert says in str(err)
    assert err.status == status
    assert len(scripted.requests) == 1


async def test_422_keeps_the_servers_detail_and_summarizes_it(scripted, make_client):
    detail = [
        {
            "type": "string_too_long",
            "loc": ["body", "name"],
            "msg": "String should have at most 255 characters",
            "input": "x" * 300,
        },
        {"type": "missing", "loc": ["body", "system_prompt"], "msg": "Field required"},
    ]
    scripted.script(Reply(422, json={"detail": detail}))
    err = await outcome(make_client(scripted.url), "rename")
    assert isinstance(err, ValidationFailed)
    assert err.detail == detail
    assert str(err) == (
        "SeekrFlow refused the request: name: String should have at most "
        "255 characters; system_prompt: Field required."
    )


async def test_a_server_echoing_the_key_does_not_leak_it(scripted, make_client):
    detail = [{"loc": ["header", "authorization"], "msg": f"bad key {API_KEY}", "input": API_KEY}]
    scripted.script(Reply(422, json={"detail": detail}))
    err = await outcome(make_client(scripted.url), "get")  # asserts the key is absent
    assert "[redacted]" in str(err)


async def test_429_reads_retry_after_in_seconds(scripted, make_client):
    scripted.script(Reply(429, json={"detail": "slow down"}, headers={"Retry-After": "7"}))
    err = await outcome(make_client(scripted.url, retry=NO_RETRY), "get")
    assert isinstance(err, RateLimited) and err.retry_after == 7
    assert "try again in 7 seconds" in str(err)


async def test_429_reads_retry_after_as_an_http_date(scripted, make_client):
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    scripted.script(Reply(429, headers={"Retry-After": when}))
    err = await outcome(make_client(scripted.url, retry=NO_RETRY), "list")
    assert isinstance(err, RateLimited)
    assert 100 <= err.retry_after <= 121


@pytest.mark.parametrize("header", [None, "soon", ""])
async def test_429_without_a_usable_retry_after(scripted, make_client, header):
    scripted.script(Reply(429, headers={"Retry-After": header} if header is not None else {}))
    err = await outcome(make_client(scripted.url, retry=NO_RETRY), "get")
    assert isinstance(err, RateLimited) and err.retry_after is None
    assert "try again shortly" in str(err)


@pytest.mark.parametrize(
    ("reply", "says"),
    [
        (Reply(200, text="<html>gateway</html>"), "was not valid JSON"),
        (Reply(200, json={"id": JOB}), "was not in the documented shape (user_id: Field required)"),
        (Reply(200, json=job_json(created_at="yesterday")), "created_at"),
        (Reply(200, json=["not", "a", "job"]), "was not in the documented shape"),
        (Reply(204), "was not valid JSON"),
    ],
)
async def test_garbled_bodies_are_unexpected_responses(scripted, make_client, reply, says):
    scripted.script(reply)
    err = await outcome(make_client(scripted.url), "get")
    assert isinstance(err, UnexpectedResponse)
    assert says in str(err)


async def test_a_garbled_list_is_an_unexpected_response(scripted, make_client):
    scripted.script(Reply(200, json={"object": "list", "data": [{"id": "dj-1"}]}))
    err = await outcome(make_client(scripted.url), "list")
    assert isinstance(err, UnexpectedResponse) and "data-job list" in str(err)


async def test_connection_refused_is_unavailable(closed_url, make_client):
    err = await outcome(make_client(closed_url), "get")
    assert isinstance(err, Unavailable)
    assert "Could not connect to SeekrFlow at 127.0.0.1:" in str(err)


async def test_a_slow_server_is_unavailable_after_the_timeout(scripted, make_client):
    scripted.default = Reply(200, json=job_json(), delay=3)
    err = await outcome(make_client(scripted.url, timeout=0.3), "get")
    assert isinstance(err, Unavailable)
    assert "did not answer within 0.3 seconds" in str(err)
    assert len(scripted.requests) == 3  # a read is asked again, within the attempts


async def test_a_dropped_connection_is_unavailable(dropping, make_client):
    err = await outcome(make_client(dropping.url, retry=NO_RETRY), "cancel")
    assert isinstance(err, Unavailable)
    assert "broke before it answered" in str(err)


async def test_unknown_fields_and_statuses_parse_and_show_as_is(scripted, make_client):
    future = job_json(
        status="paused_for_quota",
        brand_new_field={"nested": [1, 2]},
        alignment_job={"id": "aj-1", "status": "warming_up", "progress": "42.5", "gpu": "h100"},
        ingestion_jobs=[
            {
                "id": "ij-1",
                "status": "throttled",
                "created_at": "2025-11-14T07:35:21Z",
                "updated_at": "2025-11-14T07:35:21Z",
                "shard": 3,
                "records": [
                    {
                        "record_id": "r1",
                        "ingestion_job_id": "ij-1",
                        "alignment_file_id": "af-1",
                        "user_id": "user-1",
                        "filename": "a.pdf",
                        "status": "failed",
                        "error_message": "The file appears to be empty.",
                        "suggested_fix": "Upload a file with content.",
                        "created_at": "2025-11-14T07:35:21Z",
                        "pages": 0,
                    }
                ],
            }
        ],
        timeline=[
            {
                "timestamp": "2025-11-14T07:35:21Z",
                "event_type": "Teleported",
                "message": "New kind of event.",
                "metadata": {"x": 1},
            }
        ],
    )
    scripted.script(
        Reply(200, json=future),
        Reply(200, json={"object": "list", "data": [future], "has_more": True}),
    )
    client = make_client(scripted.url)
    job = await client.get_job(JOB)
    assert isinstance(job, DataJobDetail)
    assert job.status == "paused_for_quota" and not job.cancellable and not job.terminal
    assert job.brand_new_field == {"nested": [1, 2]}
    assert job.alignment_job.status == "warming_up" and job.alignment_job.gpu == "h100"
    assert job.ingestion_jobs[0].status == "throttled"
    assert [r.suggested_fix for r in job.failed_records] == ["Upload a file with content."]
    assert job.timeline[0].event_type == "Teleported"
    (row,) = await client.list_jobs()
    assert row.status == "paused_for_quota"


async def test_every_method_parses_a_good_answer(scripted, make_client):
    client = make_client(scripted.url)
    scripted.script(
        Reply(200, json={"object": "list", "data": [job_json(status="queued")]}),
        Reply(200, json=job_json(status="running")),
        Reply(200, json=job_json(name="Renamed")),
        Reply(200, json=job_json(description="new")),
        Reply(200, json=job_json(status="cancelled")),
    )
    assert [j.status for j in await client.list_jobs()] == ["queued"]
    assert (await client.get_job(JOB)).status == "running"
    assert (await client.rename_job(JOB, "Renamed")).name == "Renamed"
    assert (await client.update_job(JOB, JobUpdate(description="new"))).description == "new"
    assert (await client.cancel_job(JOB)).status == "cancelled"
    assert [(r.method, r.path) for r in scripted.requests] == [
        ("GET", "/v1/flow/data-jobs"),
        ("GET", f"/v1/flow/data-jobs/{JOB}"),
        ("PATCH", f"/v1/flow/data-jobs/{JOB}"),
        ("PATCH", f"/v1/flow/data-jobs/{JOB}"),
        ("POST", f"/v1/flow/data-jobs/{JOB}/cancel"),
    ]


@pytest.mark.parametrize(
    ("key", "team"), [("sk-1 2", None), ("sk-1\n", None), ("sk-ключ", None), ("sk-1", "team 7")]
)
async def test_keys_that_cannot_travel_in_a_header_are_refused_unsent(
    scripted, make_client, key, team
):
    client = make_client(scripted.url, api_key=key, team_id=team)  # constructing never fails
    with pytest.raises(KeyRejected) as info:
        await client.list_jobs()
    assert key not in str(info.value)
    assert scripted.requests == []


async def test_a_body_that_cannot_be_decoded_is_an_unexpected_response(scripted, make_client):
    scripted.script(Reply(200, text="definitely not gzip", headers={"Content-Encoding": "gzip"}))
    err = await outcome(make_client(scripted.url), "get")
    assert isinstance(err, UnexpectedResponse) and "could not be read" in str(err)
