"""``/_fake/...``: read the fake workspace and steer it over HTTP."""

from __future__ import annotations

import asyncio
import time

from fastapi import FastAPI, Request

from .fake import FakeSlack
from .snapshot import snapshot


def register_control(app: FastAPI, fake: FakeSlack) -> None:
    @app.get("/_fake/state")
    async def state(request: Request, since: int = 0, wait: float = 0.0):
        """The whole workspace; with ``since`` waits up to ``wait`` s for a newer version."""
        deadline = time.monotonic() + min(max(wait, 0.0), 25.0)
        fake.long_polls += 1
        try:
            while fake.version <= since and time.monotonic() < deadline:
                if fake.closing.is_set() or await request.is_disconnected():
                    return {"version": fake.version}
                await asyncio.sleep(0.1)
        finally:
            fake.long_polls -= 1
        return snapshot(fake)

    @app.get("/_fake/calls")
    async def calls(method: str | None = None):
        return [
            {
                "method": c.method,
                "args": c.args,
                "response": c.response,
                "ts": c.ts,
                "status": c.status,
            }
            for c in fake.calls(method)
        ]

    @app.post("/_fake/faults")
    async def add_fault(request: Request):
        body = await request.json()
        method = body.pop("method")
        fake.add_fault(method, **body)
        return {"ok": True}

    @app.delete("/_fake/faults")
    async def clear_faults():
        fake.clear_faults()
        return {"ok": True}

    @app.post("/_fake/reset")
    async def reset():
        fake.reset()
        return {"ok": True}
