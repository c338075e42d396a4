"""The simulator's four data-jobs endpoints over real HTTP: shapes, status codes, errors."""

from __future__ import annotations

import httpx
import pytest

JOBS = "/v1/flow/data-jobs"


@pytest.fixture
def http(simulator):
    with httpx.Client(base_url=simulator.url, headers=simulator.headers(), timeout=10) as c:
        yield c


def _all(http, **params):
    return http.get(JOBS, params={"limit": 100, **params}).json()["data"]


def test_list_is_an_object_list_of_the_keys_jobs(http):
    r = http.get(JOBS)
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "list"
    assert len(body["data"]) == 25  # default limit; 30 seeded
    assert {j["user_id"] for j in _all(http)} == {"user-sim"}
    assert len(_all(http)) == 30


def test_seed_spans_every_type_and_status(http):
    jobs = _all(http)
    assert {j["job_type"] for j in jobs} == {
        "principle_files",
        "context_grounded_files",
        "context_grounded_vector_db",
    }
    assert {j["status"] for j in jobs} == {
        "file_processing",
        "needs_review",
        "ready_to_start",
        "pending",
        "queued",
        "running",
        "completed",
        "failed",
        "cancelled",
        "stopped",
    }


def test_seed_is_deterministic_per_seed(simulator, http):
    first = [(j["id"], j["name"]) for j in _all(http)]
    simulator.control.reset()
    assert [(j["id"], j["name"]) for j in _all(http)] == first
    simulator.control.reset(seed=8)
    assert [(j["id"], j["name"]) for j in _all(http)] != first


def test_filter_sort_and_paginate(http):
    jobs = _all(http, job_type="principle_files")
    assert jobs and {j["job_type"] for j in jobs} == {"principle_files"}
    by_name = [j["name"].lower() for j in _all(http, sort_by="name", sort_order="asc")]
    assert by_name == sorted(by_name)
    newest_first = [j["created_at"] for j in _all(http)]
    assert newest_first == sorted(newest_first, reverse=True)
    page1 = http.get(JOBS, params={"limit": 10}).json()["data"]
    page3 = http.get(JOBS, params={"limit": 10, "offset": 20}).json()["data"]
    past = http.get(JOBS, params={"limit": 10, "offset": 30}).json()["data"]
    assert len(page1) == 10 and len(page3) == 10 and past == []
    assert not {j["id"] for j in page1} & {j["id"] for j in page3}


@pytest.mark.parametrize(
    "params, loc",
    [
        ({"limit": 0}, ["query", "limit"]),
        ({"limit": 101}, ["query", "limit"]),
        ({"offset": -1}, ["query", "offset"]),
        ({"job_type": "video"}, ["query", "job_type"]),
        ({"sort_by": "status"}, ["query", "sort_by"]),
        ({"sort_order": "up"}, ["query", "sort_order"]),
        ({"limit": "ten"}, ["query", "limit"]),
    ],
)
def test_bad_list_params_are_422_with_fastapi_detail(http, params, loc):
    r = http.get(JOBS, params=params)
    assert r.status_code == 422
    (err,) = r.json()["detail"]
    assert err["loc"] == loc and err["msg"] and err["type"]


def test_detail_has_the_nested_shapes(http):
    job = next(j for j in _all(http) if j["status"] == "running")
    r = http.get(f"{JOBS}/{job['id']}")
    assert r.status_code == 200
    d = r.json()
    assert d["id"] == job["id"] and d["name"] == job["name"]
    a = d["alignment_job"]
    assert a["status"] == "running" and d["alignment_job_id"] == a["id"]
    assert 0 < a["progress"] < 100 and a["current_step"] and a["eta_minutes"] >= 1
    assert a["estimated_completion_at"].endswith("Z")
    assert [e["event_type"] for e in d["timeline"]][:1] == ["Created"]
    assert "Alignment Running" in [e["event_type"] for e in d["timeline"]]


def test_needs_review_job_has_failed_records_with_fixes(http):
    jobs = [
        http.get(f"{JOBS}/{j['id']}").json() for j in _all(http) if j["status"] == "needs_review"
    ]
    failed = [
        r
        for d in jobs
        for ij in d["ingestion_jobs"]
        for r in ij["records"]
        if r["status"] == "failed"
    ]
    assert failed
    for rec in failed:
        assert rec["error_message"] and rec["suggested_fix"] and rec["failed_at"]
    assert all(d["status_message"] for d in jobs)


def test_unknown_key_is_401_and_missing_key_too(simulator):
    for headers in ({"Authorization": "not-a-key"}, {}, {"Authorization": "Bearer sim-key"}):
        r = httpx.get(simulator.url + JOBS, headers=headers)
        assert r.status_code == 401
        assert isinstance(r.json()["detail"], str)


def test_another_keys_job_is_404_and_not_listed(simulator, http):
    theirs = httpx.get(simulator.url + JOBS, headers=simulator.headers(simulator.other_key))
    assert theirs.status_code == 200
    their_ids = {j["id"] for j in theirs.json()["data"]}
    assert len(their_ids) == 3
    assert not their_ids & {j["id"] for j in _all(http)}
    jid = next(iter(their_ids))
    assert http.get(f"{JOBS}/{jid}").status_code == 404
    assert http.patch(f"{JOBS}/{jid}", json={"name": "mine now"}).status_code == 404
    assert http.post(f"{JOBS}/{jid}/cancel").status_code == 404
    assert http.get(f"{JOBS}/dj-does-not-exist").json() == {
        "detail": "Data job dj-does-not-exist not found"
    }


def test_patch_renames_before_alignment(http):
    job = next(j for j in _all(http) if j["status"] == "ready_to_start")
    r = http.patch(f"{JOBS}/{job['id']}", json={"name": "Renamed <v2>", "description": "d"})
    assert r.status_code == 200
    assert r.json()["name"] == "Renamed <v2>" and r.json()["description"] == "d"
    assert http.get(f"{JOBS}/{job['id']}").json()["name"] == "Renamed <v2>"


@pytest.mark.parametrize("name", ["", "x" * 256])
def test_patch_name_length_is_422(http, name):
    job = next(j for j in _all(http) if j["status"] == "ready_to_start")
    r = http.patch(f"{JOBS}/{job['id']}", json={"name": name})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "name"]
    assert http.get(f"{JOBS}/{job['id']}").json()["name"] == job["name"]


@pytest.mark.parametrize(
    "status", ["pending", "queued", "running", "completed", "failed", "cancelled", "stopped"]
)
def test_patch_is_409_once_alignment_started(http, status):
    job = next(j for j in _all(http) if j["status"] == status)
    r = http.patch(f"{JOBS}/{job['id']}", json={"name": "too late"})
    assert r.status_code == 409
    assert "locked" in r.json()["detail"]
    assert http.get(f"{JOBS}/{job['id']}").json()["name"] == job["name"]


def test_cancel_running_job(http):
    job = next(j for j in _all(http) if j["status"] == "running")
    r = http.post(f"{JOBS}/{job['id']}/cancel")
    assert r.status_code == 200
    d = r.json()
    assert d["status"] == "cancelled" and d["alignment_job"]["status"] == "cancelled"
    assert d["timeline"][-1]["event_type"] == "Alignment Cancelled"
    again = http.post(f"{JOBS}/{job['id']}/cancel")
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize(
    "status",
    ["completed", "failed", "needs_review", "ready_to_start", "file_processing", "stopped"],
)
def test_cancel_not_cancellable_is_304_empty(http, status):
    job = next(j for j in _all(http) if j["status"] == status)
    r = http.post(f"{JOBS}/{job['id']}/cancel")
    assert r.status_code == 304 and r.content == b""
    assert http.get(f"{JOBS}/{job['id']}").json()["status"] == status
