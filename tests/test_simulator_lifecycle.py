"""Jobs live the SeekrFlow lifecycle on the simulator's clock, driven here by ticks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

JOBS = "/v1/flow/data-jobs"
EMPTY = "The file appears to be empty."


@pytest.fixture
def http(simulator):
    with httpx.Client(base_url=simulator.url, headers=simulator.headers(), timeout=10) as c:
        yield c


def _get(http, job_id):
    r = http.get(f"{JOBS}/{job_id}")
    assert r.status_code == 200
    return r.json()


def _events(detail):
    return [e["event_type"] for e in detail["timeline"]]


def _when(detail, event_type):
    stamp = next(e["timestamp"] for e in detail["timeline"] if e["event_type"] == event_type)
    return datetime.fromisoformat(stamp)


def test_a_new_job_goes_all_the_way_to_completed(simulator, http):
    sim = simulator.control
    job = sim.create_job("Lifecycle", files=[{"filename": "a.pdf"}, {"filename": "b.docx"}])
    d = _get(http, job["id"])
    assert d["status"] == "file_processing" and d["alignment_job"] is None
    records = d["ingestion_jobs"][0]["records"]
    assert {r["filename"] for r in records} == {"a.pdf", "b.docx"}
    assert _events(d) == ["Created", "File Processing Started"]

    sim.tick(5)  # a.pdf processing, b.docx starts at 2 s
    d = _get(http, job["id"])
    assert {r["status"] for r in d["ingestion_jobs"][0]["records"]} == {"running"}
    assert d["ingestion_jobs"][0]["status"] == "running"

    sim.tick(10)  # both done after 14 s
    d = _get(http, job["id"])
    assert d["status"] == "ready_to_start"
    assert {r["status"] for r in d["ingestion_jobs"][0]["records"]} == {"completed"}
    assert all(r["completed_at"] for r in d["ingestion_jobs"][0]["records"])
    assert _events(d)[-2:] == ["File Processing Completed", "Ready To Start"]

    sim.tick(45)  # autostart
    d = _get(http, job["id"])
    assert d["status"] == "pending" and d["alignment_job"]["status"] == "pending"
    assert d["alignment_job_id"] == d["alignment_job"]["id"]
    sim.tick(8)
    assert _get(http, job["id"])["status"] == "queued"
    sim.tick(20)
    d = _get(http, job["id"])
    assert d["status"] == "running" and d["alignment_job"]["progress"] < 1  # 1 s in

    sim.tick(60)
    early = _get(http, job["id"])["alignment_job"]
    sim.tick(90)
    later = _get(http, job["id"])["alignment_job"]
    assert 0 < early["progress"] < later["progress"] < 100
    assert early["eta_minutes"] > later["eta_minutes"] >= 1
    assert early["current_step"] != later["current_step"]
    assert early["estimated_completion_at"] == later["estimated_completion_at"]

    sim.tick(100)
    d = _get(http, job["id"])
    assert d["status"] == "completed"
    a = d["alignment_job"]
    assert a["status"] == "completed" and a["progress"] == 100 and a["completed_at"]
    assert a["eta_minutes"] is None and a["estimated_completion_at"] is None
    assert _events(d)[-4:] == [
        "Alignment Started",
        "Alignment Queued",
        "Alignment Running",
        "Alignment Completed",
    ]
    run = _when(d, "Alignment Completed") - _when(d, "Alignment Running")
    assert run == timedelta(seconds=240)


def test_one_long_tick_replays_the_same_history(simulator, http):
    sim = simulator.control
    a = sim.create_job("Stepwise", files=[{"filename": "x.pdf"}])
    b = sim.create_job("At once", files=[{"filename": "x.pdf"}])
    for _ in range(40):
        sim.tick(10)
    da, db = _get(http, a["id"]), _get(http, b["id"])
    assert da["status"] == db["status"] == "completed"
    assert _events(da) == _events(db)
    sim.reset()
    b = sim.create_job("At once", files=[{"filename": "x.pdf"}])
    sim.tick(400)
    assert _events(_get(http, b["id"])) == _events(da)


def test_failed_files_put_the_job_in_review_with_fixes(simulator, http):
    sim = simulator.control
    job = sim.create_job(
        "Review me",
        job_type="context_grounded_files",
        files=[
            {"filename": "good.pdf"},
            {"filename": "empty.pdf", "error": EMPTY},
            {
                "filename": "locked.pdf",
                "error": (
                    "The PDF may be corrupted, password-protected, or in an unsupported format."
                ),
            },
        ],
    )
    sim.tick(600)
    d = _get(http, job["id"])
    assert d["status"] == "needs_review"
    assert "2 of 3 files failed" in d["status_message"]
    failed = {
        r["filename"]: r for r in d["ingestion_jobs"][0]["records"] if r["status"] == "failed"
    }
    assert failed["empty.pdf"]["error_message"] == EMPTY
    assert failed["empty.pdf"]["suggested_fix"] == "Upload a file with content."
    assert failed["locked.pdf"]["suggested_fix"] == "Upload a valid, unprotected PDF."
    assert failed["empty.pdf"]["failed_at"] and failed["empty.pdf"]["completed_at"] is None
    files = {f["name"]: f for f in d["files"]}
    assert files["empty.pdf"]["status"] == "failed"
    assert files["empty.pdf"]["suggested_fix"] == "Upload a file with content."
    assert "File Processing Failed" in _events(d)
    assert d["alignment_job"] is None  # nobody starts a job that needs review


def test_missing_system_prompt_needs_review_until_patched(simulator, http):
    job = simulator.control.create_job(
        "No prompt", files=[{"filename": "a.pdf"}], system_prompt=None, autostart=False
    )
    simulator.control.tick(30)
    d = _get(http, job["id"])
    assert d["status"] == "needs_review" and "system prompt" in d["status_message"]
    r = http.patch(f"{JOBS}/{job['id']}", json={"system_prompt": "You are an expert."})
    assert r.status_code == 200
    assert r.json()["status"] == "ready_to_start" and r.json()["status_message"] is None
    assert r.json()["system_prompt_updated_at"]


def test_markdown_uploads_skip_ingestion(simulator, http):
    job = simulator.control.create_job("Markdown only", files=[{"filename": "notes.md"}])
    d = _get(http, job["id"])
    assert d["status"] == "ready_to_start" and d["ingestion_jobs"] == []
    assert d["files"][0]["record_id"] is None and d["files"][0]["name"] == "notes.md"


def test_a_run_can_fail_with_a_message(simulator, http):
    job = simulator.control.create_job(
        "Doomed",
        status="running",
        outcome="failed",
        failure_message="Alignment failed: fewer than 50 valid QA pairs were generated.",
    )
    simulator.control.tick(600)
    d = _get(http, job["id"])
    assert d["status"] == "failed" and d["alignment_job"]["status"] == "failed"
    assert d["status_message"].startswith("Alignment failed: fewer than 50")
    assert d["alignment_job"]["status_message"] == d["status_message"]
    assert d["alignment_job"]["progress"] == 50  # it failed half-way
    assert _events(d)[-1] == "Alignment Failed"


def test_moving_by_hand_keeps_alignment_consistent(simulator, http):
    sim = simulator.control
    job = sim.create_job("By hand", autostart=False)
    d = sim.set_status(job["id"], "queued")
    assert d["alignment_job"]["status"] == "queued" and d["alignment_job_id"]
    d = sim.set_status(job["id"], "completed")
    assert d["alignment_job"]["progress"] == 100 and d["alignment_job"]["completed_at"]
    assert d["timeline"][-1]["event_type"] == "Alignment Completed"
    d = sim.set_status(job["id"], "failed", "Out of quota.")
    assert d["status_message"] == "Out of quota." and d["alignment_job"]["status"] == "failed"
    d = sim.set_status(job["id"], "ready_to_start")
    assert d["alignment_job"] is None and d["alignment_job_id"] is None
    assert _get(http, job["id"])["status"] == "ready_to_start"


def test_unknown_status_is_served_as_is_and_stays(simulator, http):
    job = next(
        j for j in http.get(JOBS, params={"limit": 100}).json()["data"] if j["status"] == "running"
    )
    d = simulator.control.set_status(job["id"], "paused_for_maintenance", "Back at 18:00 UTC.")
    assert d["status"] == "paused_for_maintenance"
    simulator.control.tick(3600)
    listed = {j["id"]: j for j in http.get(JOBS, params={"limit": 100}).json()["data"]}
    assert listed[job["id"]]["status"] == "paused_for_maintenance"
    assert listed[job["id"]]["status_message"] == "Back at 18:00 UTC."
    assert _events(_get(http, job["id"]))[-1] == "Status Changed"
    assert http.post(f"{JOBS}/{job['id']}/cancel").status_code == 304
    assert http.patch(f"{JOBS}/{job['id']}", json={"name": "x"}).status_code == 409


def test_history_replays_from_a_past_created_at(simulator, http):
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    job = simulator.control.create_job(
        "Old one", created_at=two_days_ago, files=[{"filename": "a.pdf"}]
    )
    d = _get(http, job["id"])
    assert d["status"] == "completed"
    assert _when(d, "Created") == two_days_ago
    assert _when(d, "Alignment Completed") < two_days_ago + timedelta(minutes=10)


def test_seeded_active_jobs_move_on(simulator, http):
    before = {j["id"]: j["status"] for j in http.get(JOBS, params={"limit": 100}).json()["data"]}
    simulator.control.tick(3600)
    after = {j["id"]: j["status"] for j in http.get(JOBS, params={"limit": 100}).json()["data"]}
    for jid, status in before.items():
        if status in ("pending", "queued", "running"):
            assert after[jid] in ("completed", "failed"), (status, after[jid])
        if status in ("completed", "failed", "cancelled", "stopped", "needs_review"):
            assert after[jid] == status
    assert any(s == "file_processing" for s in before.values())
    assert not any(s == "file_processing" for s in after.values())


def test_an_unknown_status_holds_the_run_and_running_resumes_it(simulator, http):
    sim = simulator.control
    job = sim.create_job("Paused run", status="running")
    sim.tick(60)  # a quarter of 240 s
    sim.set_status(job["id"], "paused_for_maintenance")
    sim.tick(600)
    held = _get(http, job["id"])
    assert held["status"] == "paused_for_maintenance"
    assert held["alignment_job"]["progress"] == 25 and held["alignment_job"]["eta_minutes"] is None
    resumed = sim.set_status(job["id"], "running")
    assert resumed["alignment_job"]["progress"] == 25
    sim.tick(60)
    assert _get(http, job["id"])["alignment_job"]["progress"] == 50
    sim.tick(120)
    assert _get(http, job["id"])["status"] == "completed"


def test_speed_shortens_durations_and_timestamps_stay_on_the_clock(simulator, http):
    sim = simulator.control
    slow = sim.create_job("Speed 1", status="running")
    sim.set_clock(speed=4)
    fast = sim.create_job("Speed 4", status="running")
    sim.tick(30)  # 30 s: a quarter of the sped-up run, half of what remains of the slow one
    assert _get(http, fast["id"])["alignment_job"]["progress"] == 50
    assert _get(http, slow["id"])["alignment_job"]["progress"] == 50
    assert _get(http, fast["id"])["alignment_job"]["eta_minutes"] == 1
    sim.tick(31)
    d = _get(http, fast["id"])
    assert d["status"] == "completed"
    assert _when(d, "Alignment Completed") - _when(d, "Alignment Running") == timedelta(seconds=60)
    clock = datetime.fromisoformat(sim.clock()["now"])
    assert _when(d, "Alignment Completed") <= clock
