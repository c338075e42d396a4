"""SeekrFlow's data-jobs endpoints (list, get, update, cancel, start, remove-files, clone),
thin over `Simulator`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from .records import KeyInfo
from .state import InputsLocked, JobNotFound, NotCancellable, Simulator, WrongState

router = APIRouter(prefix="/v1/flow/data-jobs")


class DataJobType(StrEnum):
    principle_files = "principle_files"
    context_grounded_files = "context_grounded_files"
    context_grounded_vector_db = "context_grounded_vector_db"


class SortableField(StrEnum):
    name = "name"
    created_at = "created_at"
    job_type = "job_type"


class DataJobUpdateRequest(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = None
    system_prompt: str | None = None
    instructions: str | None = None
    vector_database_id: str | None = None


def sim_of(request: Request) -> Simulator:
    return request.app.state.sim


def caller(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_team_id: Annotated[str | None, Header()] = None,
) -> KeyInfo:
    """`Authorization: <key>` (no Bearer); `x-team-id` must match the key's team if it has one."""
    if not authorization:
        raise HTTPException(401, "Not authenticated")
    key = sim_of(request).key(authorization)
    if key is None:
        raise HTTPException(401, "Invalid API key")
    if x_team_id and key.team_id and x_team_id != key.team_id:
        raise HTTPException(403, "Not a member of this team")
    return key


Caller = Annotated[KeyInfo, Depends(caller)]


def _not_found(job_id: str) -> HTTPException:
    return HTTPException(404, f"Data job {job_id} not found")


@router.get("")
async def list_data_jobs(
    request: Request,
    key: Caller,
    job_type: DataJobType | None = None,
    sort_by: SortableField = SortableField.created_at,
    sort_order: Literal["asc", "desc"] = "desc",
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    data = sim_of(request).list_jobs(
        key,
        job_type=job_type.value if job_type else None,
        sort_by=sort_by.value,
        sort_order=sort_order,
        limit=limit,
        offset=offset,
    )
    return JSONResponse({"object": "list", "data": data})


@router.get("/{data_job_id}")
async def get_data_job(request: Request, key: Caller, data_job_id: str) -> JSONResponse:
    try:
        return JSONResponse(sim_of(request).get_job(key, data_job_id))
    except JobNotFound:
        raise _not_found(data_job_id) from None


@router.patch("/{data_job_id}")
async def update_data_job(
    request: Request, key: Caller, data_job_id: str, update: Annotated[DataJobUpdateRequest, Body()]
) -> JSONResponse:
    fields = update.model_dump(exclude_unset=True)
    if fields.get("name", "") is None:
        del fields["name"]
    try:
        return JSONResponse(sim_of(request).update_job(key, data_job_id, fields))
    except JobNotFound:
        raise _not_found(data_job_id) from None
    except InputsLocked:
        raise HTTPException(409, "Data job inputs are locked once alignment has started.") from None


@router.post("/{data_job_id}/cancel")
async def cancel_data_job(request: Request, key: Caller, data_job_id: str) -> Response:
    try:
        return JSONResponse(sim_of(request).cancel_job(key, data_job_id))
    except JobNotFound:
        raise _not_found(data_job_id) from None
    except NotCancellable:
        return Response(status_code=304)


class RemoveFilesBody(BaseModel):
    """The SDK's ``DataJobRemoveFilesRequest``."""

    file_ids: list[str] = Field(min_length=1)


class CloneBody(BaseModel):
    """The SDK's ``DataJobCloneRequest``."""

    name: str | None = Field(default=None, min_length=1, max_length=255)


@router.post("/{data_job_id}/start")
async def start_data_job(request: Request, key: Caller, data_job_id: str) -> JSONResponse:
    try:
        return JSONResponse(sim_of(request).start_job(key, data_job_id))
    except JobNotFound:
        raise _not_found(data_job_id) from None
    except WrongState as exc:
        raise HTTPException(409, str(exc)) from None


@router.post("/{data_job_id}/remove-files")
async def remove_data_job_files(
    request: Request, key: Caller, data_job_id: str, body: Annotated[RemoveFilesBody, Body()]
) -> JSONResponse:
    try:
        return JSONResponse(sim_of(request).remove_files(key, data_job_id, body.file_ids))
    except JobNotFound:
        raise _not_found(data_job_id) from None
    except InputsLocked:
        raise HTTPException(409, "Data job inputs are locked once alignment has started.") from None
    except WrongState as exc:
        raise HTTPException(409, str(exc)) from None


@router.post("/{data_job_id}/clone")
async def clone_data_job(
    request: Request, key: Caller, data_job_id: str, body: Annotated[CloneBody, Body()]
) -> JSONResponse:
    try:
        return JSONResponse(sim_of(request).clone_job(key, data_job_id, body.name), status_code=200)
    except JobNotFound:
        raise _not_found(data_job_id) from None
