"""The simulator's in-memory records: keys, jobs, file records, alignment runs, plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class KeyInfo:
    api_key: str
    user_id: str
    team_id: str | None = None


@dataclass
class SimFile:
    """One uploaded file. Markdown uploads skip ingestion (``record_id`` None)."""

    file_id: str
    alignment_file_id: str
    filename: str
    bytes: int
    created_at: datetime
    record_id: str | None = None
    status: str | None = None  # record status: queued, running, completed, failed
    method: str | None = None
    queue_position: int | None = None
    error: str | None = None  # planned error_message; shown once the record fails
    planned_fix: str | None = None
    suggested_fix: str | None = None
    start_after: float = 0.0  # planned seconds after ingestion start (at speed 1)
    duration: float = 10.0
    begins_at: datetime | None = None  # this ingestion run's schedule, at the job's speed
    ends_at: datetime | None = None
    processing_at: datetime | None = None
    completed_at: datetime | None = None
    failed_at: datetime | None = None
    worker_id: str | None = None
    metaflow_job_id: str | None = None

    @property
    def ingested(self) -> bool:
        return self.record_id is not None


@dataclass
class SimAlignment:
    id: str
    created_at: datetime
    updated_at: datetime
    status: str
    running_started_at: datetime | None = None
    running_seconds: float = 240.0
    completed_at: datetime | None = None
    stopped_at: datetime | None = None
    status_message: str | None = None
    frozen_fraction: float | None = None  # progress kept once the run stops


@dataclass
class Plan:
    """How this job's future unfolds when nobody intervenes."""

    autostart_after: float | None = 45.0  # seconds in ready_to_start before the run starts
    pending_seconds: float = 8.0
    queued_seconds: float = 20.0
    running_seconds: float = 240.0
    outcome: str = "completed"  # completed | failed | cancelled | stopped
    outcome_at: float = 1.0  # fraction of the run at which a non-completed outcome lands
    failure_message: str | None = None


@dataclass
class SimJob:
    id: str
    user_id: str
    team_id: str | None
    name: str
    job_type: str
    status: str
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    status_message: str | None = None
    system_prompt: str | None = None
    system_prompt_updated_at: datetime | None = None
    instructions: str | None = None
    instructions_updated_at: datetime | None = None
    vector_database_id: str | None = None
    alignment_job_id: str | None = None
    origin_data_job_id: str | None = None  # set on a clone
    files: list[SimFile] = field(default_factory=list)
    ingestion_job_id: str | None = None
    ingestion_created_at: datetime | None = None
    ingestion_started_at: datetime | None = None
    ingestion_updated_at: datetime | None = None
    alignment: SimAlignment | None = None
    timeline: list[dict[str, Any]] = field(default_factory=list)
    fine_tuning_job_ids: list[str] = field(default_factory=list)
    plan: Plan = field(default_factory=Plan)
    speed: float = 1.0  # planned durations are divided by this
    phase_ends_at: datetime | None = None  # when the current status ends on its own

    def event(self, ts: datetime, event_type: str, message: str, **metadata: Any) -> None:
        self.timeline.append(
            {"timestamp": ts, "event_type": event_type, "message": message, "metadata": metadata}
        )
