"""A separate virtual environment with the official ``seekrai`` SDK, built once and cached.

The SDK is never a dependency of the bot (it pins httpx<0.28 and pulls in
pyarrow). It is installed with ``--no-deps`` plus the dependencies from its
METADATA: certifi unpinned (its ``>=2026.10.19`` pin may not exist yet) and
numpy left out (the SDK never imports it; pyarrow, which it does import, does
not need it). The venv is cached under
``$DATAJOBS_CONFORMANCE_CACHE`` or ``~/.cache/datajobs-conformance``, keyed by
SDK version, and built under a file lock so parallel runs share one build.
"""

from __future__ import annotations

import fcntl
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

SDK_VERSION = "0.35.1"
SDK_REQUIREMENTS = [
    "anyio>=4.14.2,<5",
    "certifi",
    "typer>=0.9,<0.13",
    "requests>=2.31.0,<3",
    "tqdm>=4.66.2,<5",
    "tabulate>=0.9.0,<0.10",
    "pydantic>=2.7,<3",
    "filelock>=3.13.1,<4",
    "eval-type-backport>=0.1.3,<0.3",
    "click>=8.1.7,<9",
    "httpx[http2]>=0.27.0,<0.28",
    "pyarrow>=25.0.1",
]
_PIP = [
    "-m",
    "pip",
    "install",
    "--quiet",
    "--disable-pip-version-check",
    "--timeout",
    "30",
    "--retries",
    "2",
]


class VenvUnavailable(Exception):
    """The SDK venv could not be built (e.g. no network); the message says why."""


def cache_root() -> pathlib.Path:
    configured = os.environ.get("DATAJOBS_CONFORMANCE_CACHE")
    root = (
        pathlib.Path(configured)
        if configured
        else pathlib.Path.home() / ".cache" / "datajobs-conformance"
    )
    try:
        root.mkdir(parents=True, exist_ok=True)
        return root
    except OSError:
        fallback = pathlib.Path(tempfile.gettempdir()) / "datajobs-conformance"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


def _run(what: str, cmd: list[str], timeout: float, failure: type[Exception]) -> None:
    try:
        done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise failure(f"{what} took longer than {timeout:.0f}s") from None
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise failure(f"{what} failed: {tail}")


def sdk_python(version: str = SDK_VERSION) -> pathlib.Path:
    """Path to the venv's python with ``seekrai==version`` importable; builds it if needed."""
    root = cache_root()
    venv = root / f"seekrai-{version}"
    python = venv / "bin" / "python"
    ready = venv / ".ready"
    with open(root / f"seekrai-{version}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ready.exists() and python.exists():
            return python
        shutil.rmtree(venv, ignore_errors=True)
        _run("creating the venv", [sys.executable, "-m", "venv", str(venv)], 120, VenvUnavailable)
        _run(
            f"installing seekrai=={version}",
            [str(python), *_PIP, "--no-deps", f"seekrai=={version}"],
            300,
            VenvUnavailable,
        )
        _run(
            "installing the SDK's dependencies",
            [str(python), *_PIP, *SDK_REQUIREMENTS],
            600,
            VenvUnavailable,
        )
        # Installed but not importable is a real finding, not a reason to skip.
        _run(
            "importing seekrai",
            [str(python), "-c", "from seekrai import SeekrFlow"],
            120,
            RuntimeError,
        )
        ready.write_text(version)
        return python
