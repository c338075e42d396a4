"""Stopping a process this test run started, by its own pid only."""

from __future__ import annotations

import os
import signal
import subprocess


def stop_process(
    proc: subprocess.Popen | None, sig: int = signal.SIGTERM, grace: float = 10.0
) -> None:
    """Send ``sig`` to ``proc``; if it has not exited after ``grace`` seconds, SIGKILL it."""
    if proc is None or proc.poll() is not None:
        return
    os.kill(proc.pid, sig)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
