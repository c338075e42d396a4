"""The simulator's control API under /_sim/ (no auth; loopback only; never faulted)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field

from .factory import FileSpec
from .faults import FaultRule
from .records import Plan
from .state import JobNotFound, Simulator

router = APIRouter(prefix="/_sim")

JobType = Literal["principle_files", "context_grounded_files", "context_grounded_vector_db"]


class FileIn(BaseModel):
    filename: str = Field(min_length=1)
    error: str | None = None
    suggested_fix: str | None = None
    seconds: float = Field(default=12.0, ge=0)  # processing time


class JobIn(BaseModel):
    name: str
    api_key: str | None = None
    job_type: JobType = "principle_files"
    status: str | None = None
    status_message: str | None = None
    files: list[FileIn] | None = None
    created_at: datetime | None = None
    description: str | None = None
    system_prompt: str | None = None
    instructions: str | None = None
    vector_database_id: str | None = None
    autostart: bool = True
    outcome: Literal["completed", "failed", "cancelled", "stopped"] = "completed"
    failure_message: str | None = None
    running_seconds: float = Field(default=240.0, gt=0)


class StatusIn(BaseModel):
    status: str = Field(min_length=1)
    status_message: str | None = None


class KeyIn(BaseModel):
    api_key: str = Field(min_length=1)
    user_id: str | None = None
    team_id: str | None = None


class LatencyIn(BaseModel):
    seconds: float = Field(ge=0, le=120)
    path_prefix: str = "/v1/"
    after: bool = False  # carry the request out, then answer late


class FaultIn(BaseModel):
    status: int = Field(ge=400, le=599)
    count: int | None = Field(default=None, ge=1)
    rate: float | None = Field(default=None, ge=0, le=1)
    retry_after: float | None = Field(default=None, ge=0)
    methods: list[str] | None = None
    path_prefix: str = "/v1/"


class ClockIn(BaseModel):
    paused: bool | None = None
    speed: float | None = Field(default=None, gt=0, le=10_000)


class TickIn(BaseModel):
    seconds: float = Field(ge=0, le=365 * 86_400)


class ResetIn(BaseModel):
    seed: int | None = None


def sim_of(request: Request) -> Simulator:
    return request.app.state.sim


@router.post("/jobs", status_code=201)
async def create_job(request: Request, body: JobIn) -> dict[str, Any]:
    files = None
    if body.files is not None:
        files = [
            FileSpec(f.filename, f.error, f.suggested_fix, start_after=2.0 * i, duration=f.seconds)
            for i, f in enumerate(body.files)
        ]
    created = body.created_at
    if created is not None and created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    plan = Plan(
        autostart_after=45.0 if body.autostart else None,
        outcome=body.outcome,
        running_seconds=body.running_seconds,
        outcome_at=0.5,
        failure_message=body.failure_message,
    )
    extra = body.model_dump(
        include={"description", "system_prompt", "instructions", "vector_database_id"},
        exclude_unset=True,
    )
    try:
        return sim_of(request).create_job(
            name=body.name,
            api_key=body.api_key,
            job_type=body.job_type,
            status=body.status,
            status_message=body.status_message,
            files=files,
            created_at=created,
            plan=plan,
            **extra,
        )
    except KeyError:
        raise HTTPException(404, f"unknown api_key {body.api_key!r}") from None


@router.get("/jobs/{job_id}")
async def peek_job(request: Request, job_id: str) -> dict[str, Any]:
    try:
        return sim_of(request).peek_job(job_id)
    except JobNotFound:
        raise HTTPException(404, f"no job {job_id}") from None


@router.post("/jobs/{job_id}/status")
async def move_job(request: Request, job_id: str, body: StatusIn) -> dict[str, Any]:
    try:
        return sim_of(request).move_job(job_id, body.status, body.status_message)
    except JobNotFound:
        raise HTTPException(404, f"no job {job_id}") from None


@router.get("/keys")
async def list_keys(request: Request) -> list[dict[str, Any]]:
    return [{"user_id": k.user_id, "team_id": k.team_id} for k in sim_of(request).keys.values()]


@router.post("/keys", status_code=201)
async def add_key(request: Request, body: KeyIn) -> dict[str, Any]:
    info = sim_of(request).add_key(body.api_key, body.user_id, body.team_id)
    return {"user_id": info.user_id, "team_id": info.team_id}


@router.delete("/keys/{api_key}", status_code=204)
async def revoke_key(request: Request, api_key: str) -> Response:
    if not sim_of(request).revoke_key(api_key):
        raise HTTPException(404, "unknown api_key")
    return Response(status_code=204)


@router.post("/latency")
async def set_latency(request: Request, body: LatencyIn) -> dict[str, Any]:
    faults = sim_of(request).faults
    faults.set_latency(body.seconds, body.path_prefix, body.after)
    return {"latency": [vars(lat) for lat in faults.latency]}


@router.post("/faults", status_code=201)
async def add_fault(request: Request, body: FaultIn) -> dict[str, Any]:
    methods = frozenset(m.upper() for m in body.methods) if body.methods else None
    rule = FaultRule(
        body.status, body.count, body.rate, body.retry_after, methods, body.path_prefix
    )
    sim_of(request).faults.add(rule)
    return body.model_dump()


@router.delete("/faults", status_code=204)
async def clear_faults(request: Request) -> Response:
    sim_of(request).faults.clear()
    return Response(status_code=204)


@router.get("/clock")
async def get_clock(request: Request) -> dict[str, Any]:
    return sim_of(request).clock_state()


@router.post("/clock")
async def set_clock(request: Request, body: ClockIn) -> dict[str, Any]:
    return sim_of(request).set_clock(paused=body.paused, speed=body.speed)


@router.post("/tick")
async def tick(request: Request, body: TickIn) -> dict[str, Any]:
    return sim_of(request).tick(body.seconds)


@router.get("/requests")
async def requests(request: Request) -> list[dict[str, Any]]:
    return sim_of(request).request_log()


@router.delete("/requests", status_code=204)
async def clear_requests(request: Request) -> Response:
    sim_of(request).clear_requests()
    return Response(status_code=204)


@router.post("/reset")
async def reset(request: Request, body: ResetIn | None = None) -> dict[str, Any]:
    sim = sim_of(request)
    sim.reset(body.seed if body else None)
    return {"seed": sim.seed, "jobs": len(sim.jobs), **sim.clock_state()}
