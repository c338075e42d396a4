"""Pydantic models of the SeekrFlow data-jobs wire format.

Field names follow the official SDK (`seekrai.types.data_jobs`). Every model
keeps fields it does not know (``extra="allow"``), and statuses are plain
strings so a status the bot has never seen is shown as-is instead of crashing.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class JobType(StrEnum):
    PRINCIPLE_FILES = "principle_files"
    CONTEXT_GROUNDED_FILES = "context_grounded_files"
    CONTEXT_GROUNDED_VECTOR_DB = "context_grounded_vector_db"


class JobStatus(StrEnum):
    """Known data-job statuses. Models carry ``str``: unknown values pass through."""

    FILE_PROCESSING = "file_processing"
    NEEDS_REVIEW = "needs_review"
    READY_TO_START = "ready_to_start"
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    CANCELLED = "cancelled"
    FAILED = "failed"
    COMPLETED = "completed"
    STOPPED = "stopped"


CANCELLABLE = frozenset({JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING})
TERMINAL = frozenset(
    {JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.STOPPED}
)
NEEDS_PERSON = frozenset({JobStatus.NEEDS_REVIEW})


class SortBy(StrEnum):
    NAME = "name"
    CREATED_AT = "created_at"
    JOB_TYPE = "job_type"


class SortOrder(StrEnum):
    ASC = "asc"
    DESC = "desc"


class DataJob(_Wire):
    """One row of ``GET /v1/flow/data-jobs`` (the SDK's ``DataJobResponse``)."""

    id: str
    user_id: str
    team_id: str | None = None
    name: str
    job_type: str
    alignment_job_id: str | None = None
    origin_data_job_id: str | None = None
    deleted: bool = False
    created_at: datetime
    updated_at: datetime
    status: str
    status_message: str | None = None
    description: str | None = None
    system_prompt: str | None = None
    system_prompt_updated_at: datetime | None = None
    instructions: str | None = None
    instructions_updated_at: datetime | None = None
    resolved_instructions: str | None = None
    vector_database_id: str | None = None

    @property
    def cancellable(self) -> bool:
        return self.status in CANCELLABLE

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL


class DataJobList(_Wire):
    object: str = "list"
    data: list[DataJob] = Field(default_factory=list)


class IngestionFileRecord(_Wire):
    record_id: str
    ingestion_job_id: str
    alignment_file_id: str
    user_id: str
    team_id: str | None = None
    filename: str
    metaflow_job_id: str | None = None
    method: str | None = None
    status: str
    queue_position: int | None = None
    error_message: str | None = None
    suggested_fix: str | None = None
    worker_id: str | None = None
    deleted: bool = False
    created_at: datetime
    processing_at: datetime | None = None
    completed_at: datetime | None = None
    failed_at: datetime | None = None


class IngestionJob(_Wire):
    id: str
    status: str
    created_at: datetime
    updated_at: datetime
    file_ids: list[str] = Field(default_factory=list)
    records: list[IngestionFileRecord] = Field(default_factory=list)


class AlignmentOutput(_Wire):
    """A file an alignment run produced (the SDK's ``AlignmentOutput``)."""

    id: str
    filename: str
    bytes: int | None = None
    created_at: datetime | None = None
    file_type: str | None = None
    purpose: str | None = None


class AlignmentJob(_Wire):
    id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    stopped_at: datetime | None = None
    status: str | None = None
    current_step: str | None = None
    progress: float | str | None = None
    step_progress: float | str | None = None
    estimated_completion_at: datetime | None = None
    eta_minutes: int | None = None
    status_message: str | None = None
    output_files: list[AlignmentOutput] = Field(default_factory=list)


class DataJobFile(_Wire):
    file_id: str
    record_id: str | None = None
    name: str | None = None
    type: str | None = None
    created_at: datetime | None = None
    status: str | None = None
    suggested_fix: str | None = None
    bytes: int | None = None


class TimelineEvent(_Wire):
    timestamp: datetime
    event_type: str
    message: str
    metadata: dict[str, Any] = Field(default_factory=dict)


class DataJobDetail(DataJob):
    """``GET /v1/flow/data-jobs/{id}`` (the SDK's ``DataJobDetailResponse``)."""

    additional_alignment_file_ids: list[str] = Field(default_factory=list)
    ingestion_jobs: list[IngestionJob] = Field(default_factory=list)
    alignment_job: AlignmentJob | None = None
    files: list[DataJobFile] = Field(default_factory=list)
    fine_tuning_job_ids: list[str] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)

    @property
    def failed_records(self) -> list[IngestionFileRecord]:
        return [r for ij in self.ingestion_jobs for r in ij.records if r.status == "failed"]


class JobUpdate(BaseModel):
    """Body of ``PATCH /v1/flow/data-jobs/{id}``; only set fields are sent."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = None
    system_prompt: str | None = None
    instructions: str | None = None
    vector_database_id: str | None = None
