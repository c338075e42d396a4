"""The simulator's control API: keys, faults, latency, request log, clock, reset."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

JOBS = "/v1/flow/data-jobs"


@pytest.fixture
def http(simulator):
    with httpx.Client(base_url=simulator.url, headers=simulator.headers(), timeout=10) as c:
        yield c


def _until(predicate, timeout=20.0, every=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("condition not met before the deadline")


def test_count_faults_fail_n_requests_then_recover_and_are_logged(simulator, http):
    simulator.control.clear_requests()
    simulator.control.add_fault(500, count=2)
    assert [http.get(JOBS).status_code for _ in range(3)] == [500, 500, 200]
    log = simulator.control.requests()
    assert [e["status"] for e in log] == [500, 500, 200]
    assert {e["key_user"] for e in log} == {"user-sim"}
    assert all(e["method"] == "GET" and e["path"] == JOBS for e in log)


def test_429_carries_retry_after(simulator, http):
    simulator.control.add_fault(429, count=1, retry_after=3)
    r = http.get(JOBS)
    assert r.status_code == 429 and r.headers["Retry-After"] == "3"
    assert "detail" in r.json()
    assert http.get(JOBS).status_code == 200


def test_faults_can_target_methods(simulator, http):
    job = next(
        j
        for j in http.get(JOBS, params={"limit": 100}).json()["data"]
        if j["status"] == "ready_to_start"
    )
    simulator.control.add_fault(503, rate=1.0, methods=["PATCH"])
    assert http.get(f"{JOBS}/{job['id']}").status_code == 200
    r = http.patch(f"{JOBS}/{job['id']}", json={"name": "never applied"})
    assert r.status_code == 503
    assert http.get(f"{JOBS}/{job['id']}").json()["name"] == job["name"]
    simulator.control.clear_faults()
    assert http.patch(f"{JOBS}/{job['id']}", json={"name": "applied"}).status_code == 200


def test_rate_faults_fail_some_requests_deterministically(simulator, http):
    def run():
        simulator.control.reset()
        simulator.control.add_fault(502, rate=0.5)
        return [http.get(JOBS, params={"limit": 1}).status_code for _ in range(30)]

    first = run()
    assert 0 < first.count(502) < 30 and first.count(502) + first.count(200) == 30
    assert run() == first
    simulator.control.clear_faults()
    simulator.control.add_fault(500, rate=0.0)
    assert {http.get(JOBS, params={"limit": 1}).status_code for _ in range(10)} == {200}


def test_bad_gateway_is_html_like_a_proxy(simulator, http):
    simulator.control.add_fault(502, count=1)
    r = http.get(JOBS)
    assert r.status_code == 502 and r.headers["content-type"].startswith("text/html")


def test_faults_and_latency_never_touch_the_control_api(simulator):
    simulator.control.add_fault(500, rate=1.0)
    simulator.control.set_latency(10)
    with httpx.Client(base_url=simulator.url, timeout=4) as c:
        assert c.get("/_sim/clock").status_code == 200
        assert c.get("/_sim/requests").status_code == 200


def test_latency_delays_the_real_endpoints(simulator):
    simulator.control.set_latency(3)
    with (
        httpx.Client(base_url=simulator.url, headers=simulator.headers(), timeout=0.5) as c,
        pytest.raises(httpx.ReadTimeout),
    ):
        c.get(JOBS)
    # the timed-out request is logged, and marked once the server notices the hang-up
    assert [e["path"] for e in simulator.control.requests()] == [JOBS]
    assert _until(lambda: simulator.control.requests()[0]["status"] == 499)
    simulator.control.set_latency(0)
    with httpx.Client(base_url=simulator.url, headers=simulator.headers(), timeout=5) as c:
        assert c.get(JOBS).status_code == 200


def test_latency_by_path_prefix(simulator, http):
    job = http.get(JOBS).json()["data"][0]
    simulator.control.set_latency(10, path_prefix=f"{JOBS}/")
    assert http.get(JOBS).status_code == 200  # not under the prefix
    with (
        httpx.Client(base_url=simulator.url, headers=simulator.headers(), timeout=0.5) as c,
        pytest.raises(httpx.ReadTimeout),
    ):
        c.get(f"{JOBS}/{job['id']}")


def test_request_log_names_the_user_never_the_key(simulator, http):
    simulator.control.clear_requests()
    http.get(JOBS, params={"limit": 5, "job_type": "principle_files"})
    httpx.get(simulator.url + JOBS, headers={"Authorization": "stolen-key"})
    httpx.get(simulator.url + JOBS, headers=simulator.headers(team_id="team-7"))
    simulator.control.clock()  # control calls are not logged
    log = simulator.control.requests()
    assert len(log) == 3
    assert log[0]["query"] == {"limit": "5", "job_type": "principle_files"}
    assert log[0]["key_user"] == "user-sim" and log[0]["status"] == 200
    assert log[1]["key_user"] is None and log[1]["status"] == 401
    assert log[2]["team_id"] == "team-7"
    text = json.dumps(log)
    assert "sim-key" not in text and "stolen-key" not in text
    assert all(e["ts"].endswith("Z") for e in log)
    simulator.control.clear_requests()
    assert simulator.control.requests() == []


def test_added_keys_see_their_users_jobs_and_revoked_keys_are_401(simulator, http):
    simulator.control.add_key("second-key-of-sim", user_id="user-sim")
    simulator.control.add_key("newcomer-key", user_id="user-new", team_id="team-a")
    mine = {j["id"] for j in http.get(JOBS, params={"limit": 100}).json()["data"]}
    h2 = simulator.headers("second-key-of-sim")
    assert {
        j["id"]
        for j in httpx.get(simulator.url + JOBS, headers=h2, params={"limit": 100}).json()["data"]
    } == mine
    new = simulator.headers("newcomer-key")
    assert httpx.get(simulator.url + JOBS, headers=new).json()["data"] == []
    job = simulator.control.create_job("Newcomer's job", api_key="newcomer-key")
    assert job["user_id"] == "user-new" and job["team_id"] == "team-a"
    assert [j["id"] for j in httpx.get(simulator.url + JOBS, headers=new).json()["data"]] == [
        job["id"]
    ]
    assert http.get(f"{JOBS}/{job['id']}").status_code == 404
    wrong_team = simulator.headers("newcomer-key", team_id="team-b")
    assert httpx.get(simulator.url + JOBS, headers=wrong_team).status_code == 403
    right_team = simulator.headers("newcomer-key", team_id="team-a")
    assert httpx.get(simulator.url + JOBS, headers=right_team).status_code == 200
    simulator.control.revoke_key("newcomer-key")
    assert httpx.get(simulator.url + JOBS, headers=new).status_code == 401


def test_control_rejects_unknown_things(simulator):
    with httpx.Client(base_url=simulator.url + "/_sim", timeout=10) as c:
        assert c.post("/jobs/dj-nope/status", json={"status": "running"}).status_code == 404
        assert c.post("/jobs", json={"name": "x", "api_key": "nobody"}).status_code == 404
        assert c.post("/jobs", json={"name": "x", "job_type": "video"}).status_code == 422
        assert c.post("/faults", json={"status": 200}).status_code == 422
        assert c.delete("/keys/never-added").status_code == 404


def test_autoplay_moves_jobs_and_pause_freezes_them(simulator, http):
    job = simulator.control.create_job("Live", files=[{"filename": "a.pdf", "seconds": 30}])
    simulator.control.play(speed=60)
    done = _until(lambda: http.get(f"{JOBS}/{job['id']}").json()["status"] != "file_processing")
    assert done
    # speed shortens durations; the clock itself keeps to the wall clock
    drift = datetime.fromisoformat(simulator.control.clock()["now"]) - datetime.now(UTC)
    assert abs(drift) < timedelta(seconds=60)
    simulator.control.pause()
    frozen = http.get(f"{JOBS}/{job['id']}").json()
    clock = simulator.control.clock()
    assert clock["paused"] is True and clock["speed"] == 60
    time.sleep(0.2)
    assert http.get(f"{JOBS}/{job['id']}").json() == frozen


def test_reset_restores_the_seeded_world(simulator, http):
    before = http.get(JOBS, params={"limit": 100}).json()["data"]
    simulator.control.create_job("Extra")
    simulator.control.revoke_key(simulator.other_key)
    simulator.control.add_fault(500)
    simulator.control.set_latency(10)
    simulator.control.tick(600)
    state = simulator.control.reset()
    assert state["seed"] == 7 and state["paused"] is True
    with httpx.Client(base_url=simulator.url, headers=simulator.headers(), timeout=5) as c:
        after = c.get(JOBS, params={"limit": 100}).json()["data"]
    assert [j["id"] for j in after] == [j["id"] for j in before]
    assert (
        httpx.get(simulator.url + JOBS, headers=simulator.headers(simulator.other_key)).status_code
        == 200
    )
    assert len(simulator.control.requests()) == 2


def test_latency_keeps_the_patch_body(simulator, http):
    job = next(
        j
        for j in http.get(JOBS, params={"limit": 100}).json()["data"]
        if j["status"] == "ready_to_start"
    )
    simulator.control.set_latency(0.2)
    r = http.patch(f"{JOBS}/{job['id']}", json={"name": "Slow rename"})
    assert r.status_code == 200 and r.json()["name"] == "Slow rename"


def test_control_can_read_any_job(simulator):
    theirs = httpx.get(simulator.url + JOBS, headers=simulator.headers(simulator.other_key))
    job = theirs.json()["data"][0]
    simulator.control.revoke_key(simulator.other_key)
    assert simulator.control.job(job["id"])["name"] == job["name"]
    with pytest.raises(httpx.HTTPStatusError):
        simulator.control.job("dj-nope")
