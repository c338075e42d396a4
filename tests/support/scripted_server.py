"""Tiny loopback HTTP servers that answer what a test scripts, for client edge cases.

``ScriptedServer`` serves a FastAPI app that pops one scripted ``Reply`` per
request (then falls back to a valid job detail) and records every request.
``DroppingServer`` is a raw TCP listener that accepts, reads, and closes
without answering: the connection breaks after the request was sent.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from sandbox.server_thread import ServerThread


def job_json(
    job_id: str = "dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d", status: str = "running", **extra: Any
) -> dict[str, Any]:
    """A data-job detail as the API documents it (plus ``extra`` fields)."""
    body: dict[str, Any] = {
        "id": job_id,
        "user_id": "user-1",
        "name": "Customer support refresh",
        "job_type": "principle_files",
        "alignment_job_id": None,
        "created_at": "2025-11-14T07:35:21.700005Z",
        "updated_at": "2025-11-14T07:37:52.464993Z",
        "status": status,
        "ingestion_jobs": [],
        "files": [],
        "timeline": [],
    }
    body.update(extra)
    return body


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    ts: float
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


class ScriptedServer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._script: list[Reply] = []
        self.requests: list[Seen] = []
        self.default = Reply(200, json=job_json())
        self._stopping = threading.Event()
        app = FastAPI()

        @app.api_route("/{path:path}", methods=["GET", "POST", "PATCH", "PUT", "DELETE"])
        async def anything(path: str, request: Request) -> Response:
            body = await request.body()
            with self._lock:
                self.requests.append(
                    Seen(
                        time.monotonic(),
                        request.method,
                        request.url.path,
                        request.url.query,
                        dict(request.headers),
                        body,
                    )
                )
                reply = self._script.pop(0) if self._script else self.default
            until = time.monotonic() + reply.delay
            while time.monotonic() < until and not self._stopping.is_set():
                await asyncio.sleep(0.05)
            if reply.text is not None:
                content = reply.text.encode()
            elif reply.json is not None:
                content = json.dumps(reply.json).encode()
            else:
                content = b""
            headers = {"content-type": "application/json", **reply.headers}
            if reply.status in (204, 304):
                headers.pop("content-type")
            return Response(content, status_code=reply.status, headers=headers)

        self.thread = ServerThread(app, log_level="warning")

    @property
    def url(self) -> str:
        return self.thread.url

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def start(self) -> ScriptedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # cut delayed replies short so shutdown is quick
        self.thread.stop()


class DroppingServer:
    """Accepts connections, reads the request, closes without a response."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                except OSError:
                    pass

    def start(self) -> DroppingServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=5)
        self.sock.close()
