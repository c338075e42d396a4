"""`create_app()`: the simulator's ASGI app — the real endpoints behind a gate that logs
every request and applies injected latency and faults, plus the /_sim/ control API."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from http import HTTPStatus

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from . import api, control_api, wire
from .faults import FaultRule
from .state import Simulator

REAL_PREFIX = "/v1/"
CLIENT_GONE = 499  # logged when a client gives up while latency is injected (nginx's code)


def fault_response(rule: FaultRule) -> Response:
    headers = {}
    if rule.retry_after is not None:
        headers["Retry-After"] = f"{rule.retry_after:g}"
    if rule.status == 429:
        return JSONResponse({"detail": "Rate limit exceeded. Please slow down."}, 429, headers)
    if rule.status in (502, 504):
        phrase = f"{rule.status} {HTTPStatus(rule.status).phrase}"
        return HTMLResponse(
            f"<html><head><title>{phrase}</title></head><body>"
            f"<center><h1>{phrase}</h1></center></body></html>",
            rule.status,
            headers,
        )
    try:
        phrase = HTTPStatus(rule.status).phrase
    except ValueError:
        phrase = "Error"
    if rule.status == 503:
        phrase = "Service temporarily unavailable."
    return JSONResponse({"detail": phrase}, rule.status, headers)


async def _wait_unless_gone(request: Request, seconds: float) -> bool:
    """Sleep out injected latency; False as soon as the client has hung up."""
    await request.body()  # cached for the endpoint, so the disconnect check cannot eat it
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (left := deadline - loop.time()) > 0:
        await asyncio.sleep(min(0.05, left))
        if await request.is_disconnected():
            return False
    return True


def create_app(
    *,
    api_key: str = "sim-key",
    seed: int = 7,
    speed: float = 1.0,
    autoplay: bool = True,
    ambient_every: float | None = None,
) -> FastAPI:
    """The simulated SeekrFlow. The `Simulator` is at ``app.state.sim``.

    `autoplay=False` starts with the lifecycle clock paused (tests tick it);
    `ambient_every` makes a new job appear for the main key every so many seconds.
    """
    app = FastAPI(
        title="SeekrFlow simulator", docs_url=None, redoc_url=None, openapi_url="/_sim/openapi.json"
    )
    app.state.sim = Simulator(
        api_key=api_key, seed=seed, speed=speed, autoplay=autoplay, ambient_every=ambient_every
    )
    app.include_router(api.router)
    app.include_router(control_api.router)

    @app.middleware("http")
    async def real_api_gate(request: Request, call_next) -> Response:
        path = request.url.path
        if not path.startswith(REAL_PREFIX):
            return await call_next(request)
        sim: Simulator = request.app.state.sim
        key = sim.key(request.headers.get("authorization"))
        entry = {
            "ts": wire.ts(datetime.now(UTC)),
            "method": request.method,
            "path": path,
            "query": dict(request.query_params),
            "status": None,
            "key_user": key.user_id if key else None,
            "team_id": request.headers.get("x-team-id"),
        }
        sim.log(entry)
        delay = sim.faults.delay_for(path)
        if delay and not await _wait_unless_gone(request, delay):
            entry["status"] = CLIENT_GONE
            return Response(status_code=CLIENT_GONE)
        rule = sim.faults.fire(request.method, path)
        response = fault_response(rule) if rule else await call_next(request)
        late = sim.faults.delay_for(path, after=True)
        if late:  # carried out already; the answer comes late (the client may have gone)
            await asyncio.sleep(late)
        entry["status"] = response.status_code
        return response

    return app
