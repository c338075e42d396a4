"""Bot replicas as real processes (`python -m bot`), started and stopped by pid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from sandbox.harness.ports import free_port
from sandbox.harness.processes import stop_process
from sandbox.playground.world import DEFAULT_BOT_TOKEN

ROOT = Path(__file__).resolve().parents[2]


class Replica:
    def __init__(self, name: str, env: dict[str, str], logdir: Path):
        self.name = name
        self.port = free_port()
        self.env = {**os.environ, **env, "PORT": str(self.port), "HOST": "127.0.0.1"}
        self.log = logdir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Replica:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return self

    def wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        rebinds = 3
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                if rebinds and "address already in use" in self.tail(5):
                    # another process took the port between choosing it and binding it
                    rebinds -= 1
                    self.port = free_port()
                    self.env["PORT"] = str(self.port)
                    self.start()
                    continue
                raise RuntimeError(f"{self.name} exited:\n{self.tail()}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} never became healthy:\n{self.tail()}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        stop_process(self.proc, sig, grace=15)

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def replica_env(redis_url: str, simulator, fake_slack, **extra: str) -> dict[str, str]:
    env = {
        "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
        "SLACK_SIGNING_SECRET": "fault-test-secret",
        "SLACK_API_URL": fake_slack.api_url,
        "SEEKR_API_KEY": simulator.api_key,
        "SEEKR_BASE_URL": simulator.url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "INFO",
        "POLL_INTERVAL": "0.5",
        "DELIVERY_LEASE": "6",
    }
    env.update(extra)
    return env


def log_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="bot-replicas-"))
