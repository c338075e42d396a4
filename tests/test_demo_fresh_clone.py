"""README's first command works from a fresh clone into a fresh virtual environment.

Clones the repository, runs the command exactly as README gives it (the port
comes from ``PORT``), waits for the one URL it prints, uses the playground
through it (a command, a subscription), then stops it with Ctrl-C by pid.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from sandbox.harness.ports import port_for_later

REPO = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]  # a cold pip cache needs minutes

INSTALL_AND_START_S = 420  # pip's cache makes it far quicker; a cold cache needs the time
ANSWER_S = 60


def readme_command() -> str:
    text = (REPO / "README.md").read_text()
    found = re.search(r"^\s+(python3 -m venv \.venv && .*sandbox demo)\s*$", text, re.MULTILINE)
    assert found, "README.md no longer starts with the demo command"
    return found.group(1)


class Output:
    """Collects a process's stdout lines in a thread, so waiting never blocks on a pipe."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream) -> None:
        for line in iter(stream.readline, ""):
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, proc: subprocess.Popen, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if m := re.search(pattern, line):
                    return m
            if proc.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"never printed {pattern!r}; output:\n" + "\n".join(self.lines[-40:]))


@pytest.fixture
def clone(tmp_path):
    dest = tmp_path / "datajobs"
    subprocess.run(["git", "clone", "-q", str(REPO), str(dest)], check=True, timeout=120)
    return dest


def wait_reply(base: str, text: str, timeout: float = ANSWER_S) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = httpx.get(base + "_fake/state", timeout=10).json()
        for msg in state["ephemerals"]:
            if text in (msg.get("text") or ""):
                return msg
        time.sleep(0.3)
    raise AssertionError(f"no reply containing {text!r}")


def test_readme_first_command_from_a_fresh_clone(clone):
    port = port_for_later()  # bound only after the install: outside the ephemeral range
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "SEEKR_", "REDIS_", "VIRTUAL_ENV", "PYTHON"))
    }
    env.update(PORT=str(port), PIP_DISABLE_PIP_VERSION_CHECK="1")
    proc = subprocess.Popen(
        ["bash", "-c", readme_command()],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    out = Output(proc.stdout)
    try:
        url = out.wait_for(r"Open (http://127\.0\.0\.1:\d+/\S*)", proc, INSTALL_AND_START_S).group(
            1
        )
        assert url.startswith(f"http://127.0.0.1:{port}/")
        assert sum("http://" in line for line in out.lines) == 1, out.lines  # one URL to open
        assert any("will not outlive" in line for line in out.lines)
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200 and "Slack playground" in page.text

        # the page's composer: a command goes to the bot as a signed request, the answer comes back
        sent = httpx.post(
            url + "_ui/command",
            timeout=30,
            json={"user": "U0ALICE", "channel": "C0DATAJOBS", "text": "list"},
        )
        assert sent.json() == {"ok": True}
        listing = wait_reply(url, "data job(s)")
        job_id = re.search(r"dj-[0-9a-f-]{36}", str(listing["blocks"])).group(0)
        # a subscription (Lua scripts on the embedded Redis) is taken and confirmed
        httpx.post(
            url + "_ui/command",
            timeout=30,
            json={"user": "U0ALICE", "channel": "C0DATAJOBS", "text": f"subscribe {job_id}"},
        )
        wait_reply(url, "ubscribed")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C, to the group this test started
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            code = proc.wait(timeout=10)
    assert code == 0, "\n".join(out.lines[-40:])
    assert any("Stopping" in line for line in out.lines)
    assert not any("Traceback" in line for line in out.lines), "\n".join(out.lines[-60:])
