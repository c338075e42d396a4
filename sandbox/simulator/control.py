"""`SimulatorControl`: a small synchronous client of the simulator's /_sim/ control API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx


class SimulatorControl:
    def __init__(self, base_url: str, *, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url + "/_sim", timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SimulatorControl:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        response = self._http.request(method, path, json=json)
        response.raise_for_status()
        return response.json() if response.content else None

    # jobs
    def create_job(
        self,
        name: str,
        *,
        api_key: str | None = None,
        job_type: str = "principle_files",
        status: str | None = None,
        files: list[dict[str, Any]] | None = None,
        created_at: datetime | str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Create a job (201) and return its detail. `files`: [{"filename", "error"?}]."""
        body: dict[str, Any] = {"name": name, "job_type": job_type, **extra}
        if api_key is not None:
            body["api_key"] = api_key
        if status is not None:
            body["status"] = status
        if files is not None:
            body["files"] = files
        if created_at is not None:
            body["created_at"] = (
                created_at.isoformat() if isinstance(created_at, datetime) else created_at
            )
        return self._call("POST", "/jobs", body)

    def job(self, job_id: str) -> dict[str, Any]:
        """A job's detail whoever owns it."""
        return self._call("GET", f"/jobs/{job_id}")

    def set_status(
        self, job_id: str, status: str, status_message: str | None = None
    ) -> dict[str, Any]:
        body = {"status": status}
        if status_message is not None:
            body["status_message"] = status_message
        return self._call("POST", f"/jobs/{job_id}/status", body)

    # keys
    def add_key(
        self, api_key: str, *, user_id: str | None = None, team_id: str | None = None
    ) -> dict[str, Any]:
        return self._call(
            "POST", "/keys", {"api_key": api_key, "user_id": user_id, "team_id": team_id}
        )

    def revoke_key(self, api_key: str) -> None:
        self._call("DELETE", f"/keys/{api_key}")

    # latency and faults
    def set_latency(
        self, seconds: float, *, path_prefix: str | None = None, after: bool = False
    ) -> dict[str, Any]:
        """Delay the real endpoints; ``after``: carry the request out first, answer late (a
        change made whose answer the client never sees)."""
        body: dict[str, Any] = {"seconds": seconds, "after": after}
        if path_prefix is not None:
            body["path_prefix"] = path_prefix
        return self._call("POST", "/latency", body)

    def add_fault(
        self,
        status: int,
        *,
        count: int | None = None,
        rate: float | None = None,
        retry_after: float | None = None,
        methods: list[str] | None = None,
        path_prefix: str | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "status": status,
            "count": count,
            "rate": rate,
            "retry_after": retry_after,
            "methods": methods,
        }
        if path_prefix is not None:
            body["path_prefix"] = path_prefix
        return self._call("POST", "/faults", body)

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    # clock
    def clock(self) -> dict[str, Any]:
        return self._call("GET", "/clock")

    def set_clock(
        self, *, paused: bool | None = None, speed: float | None = None
    ) -> dict[str, Any]:
        return self._call("POST", "/clock", {"paused": paused, "speed": speed})

    def pause(self) -> dict[str, Any]:
        return self.set_clock(paused=True)

    def play(self, speed: float | None = None) -> dict[str, Any]:
        return self.set_clock(paused=False, speed=speed)

    def tick(self, seconds: float) -> dict[str, Any]:
        return self._call("POST", "/tick", {"seconds": seconds})

    # request log
    def requests(self) -> list[dict[str, Any]]:
        return self._call("GET", "/requests")

    def clear_requests(self) -> None:
        self._call("DELETE", "/requests")

    def reset(self, seed: int | None = None) -> dict[str, Any]:
        return self._call("POST", "/reset", {"seed": seed})
