"""start, remove-files and clone over real HTTP against the simulator: the documented lifecycle,
the SDK's wire shapes, and POSTs never sent twice."""

from __future__ import annotations

import pytest

from bot.seekrflow import SeekrFlow, WrongState
from tests.support.fixtures_client import FAST


@pytest.fixture
def client(simulator, http_pool):
    simulator.control.clear_requests()
    return SeekrFlow(http_pool, base_url=simulator.url, api_key=simulator.api_key, retry=FAST)


def posts(simulator, suffix):
    return [
        q
        for q in simulator.control.requests()
        if q["method"] == "POST" and q["path"].endswith(suffix)
    ]


async def test_start_only_from_ready_to_start_and_409_names_the_status(client, simulator):
    ctl = simulator.control
    ready = ctl.create_job("ready one", status="ready_to_start")
    started = await client.start_job(ready["id"])
    assert started.status == "pending" and started.alignment_job_id
    with pytest.raises(WrongState) as exc:
        await client.start_job(ready["id"])
    assert "pending" in exc.value.message and "ready_to_start" in exc.value.message
    assert len(posts(simulator, "/start")) == 2  # each sent once: a 409 is not retried


async def test_removing_the_failed_files_of_a_review_job_makes_it_ready(client, simulator):
    ctl = simulator.control
    job = ctl.create_job(
        "half broken",
        status="needs_review",
        files=[
            {"filename": "good.pdf"},
            {"filename": "bad.pdf", "error": "unreadable PDF"},
            {"filename": "worse.pdf", "error": "password protected"},
        ],
    )
    detail = await client.get_job(job["id"])
    failed = [f.file_id for f in detail.files if f.status == "failed"]
    viable = [f.file_id for f in detail.files if f.status != "failed"]
    assert len(failed) == 2 and len(viable) == 1
    with pytest.raises(WrongState) as exc:  # never the last viable file
        await client.remove_files(job["id"], failed + viable)
    assert "viable" in exc.value.message
    after = await client.remove_files(job["id"], failed)
    assert after.status == "ready_to_start"
    assert [f.file_id for f in after.files] == viable
    started = await client.start_job(job["id"])
    assert started.status == "pending"
    with pytest.raises(WrongState) as exc:  # SeekrFlow's own words say why
        await client.remove_files(job["id"], viable)
    assert "locked" in exc.value.message


async def test_a_clone_copies_the_job_and_its_viable_files_and_names_its_origin(client, simulator):
    ctl = simulator.control
    src = ctl.create_job(
        "nightly",
        status="failed",
        files=[{"filename": "a.pdf"}, {"filename": "b.pdf", "error": "bad"}],
    )
    clone = await client.clone_job(src["id"], "nightly (retry 2)")
    assert clone.id != src["id"] and clone.origin_data_job_id == src["id"]
    assert clone.name == "nightly (retry 2)" and clone.job_type == src["job_type"]
    assert clone.status == "ready_to_start"
    assert [f.name for f in clone.files] == ["a.pdf"]
    assert clone.system_prompt == src["system_prompt"]
    listed = {j.id: j for j in await client.list_jobs(limit=100)}
    assert listed[clone.id].origin_data_job_id == src["id"]
    assert len(posts(simulator, "/clone")) == 1
