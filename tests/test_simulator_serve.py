"""The simulator runs alone (`python -m sandbox simulator`) and can keep a demo moving."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from sandbox.harness.ports import port_for_later
from tests.support.fixtures_sim import make_simulator, stop_simulator

JOBS = "/v1/flow/data-jobs"


def test_python_m_bot_simulator_serves_the_api_on_loopback():
    port = port_for_later()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEEKR_", "SLACK_"))}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sandbox",
            "simulator",
            "--port",
            str(port),
            "--api-key",
            "demo-key",
            "--seed",
            "3",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url, deadline, body = f"http://127.0.0.1:{port}", time.monotonic() + 30, None
        while time.monotonic() < deadline and body is None:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                r = httpx.get(
                    url + JOBS,
                    headers={"Authorization": "demo-key"},
                    params={"limit": 100},
                    timeout=2,
                )
                body = r.json()
            except httpx.TransportError:
                time.sleep(0.1)
        assert body is not None, "simulator did not answer in time"
        assert len(body["data"]) == 30 and body["data"][0]["user_id"] == "user-sim"
        assert httpx.get(url + JOBS, headers={"Authorization": "sim-key"}).status_code == 401
        clock = httpx.get(url + "/_sim/clock").json()
        assert clock["paused"] is False and clock["speed"] == 1
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def test_ambient_jobs_appear_for_the_main_key():
    handle = make_simulator(ambient_every=60)
    try:
        h = handle.headers()
        before = httpx.get(handle.url + JOBS, headers=h, params={"limit": 100}).json()["data"]
        handle.control.tick(130)
        after = httpx.get(handle.url + JOBS, headers=h, params={"limit": 100}).json()["data"]
        new = [j for j in after if j["id"] not in {b["id"] for b in before}]
        assert len(new) == 2
        assert all(
            j["status"] in ("file_processing", "ready_to_start", "needs_review") for j in new
        )
        other = httpx.get(handle.url + JOBS, headers=handle.headers(handle.other_key)).json()
        assert len(other["data"]) == 3
    finally:
        stop_simulator(handle)
