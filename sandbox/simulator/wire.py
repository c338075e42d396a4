"""Records -> JSON exactly as SeekrFlow sends it (field names of the official SDK)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .catalog import file_type
from .progress import eta_minutes, fraction, remaining_seconds, step_at
from .records import SimFile, SimJob


def ts(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with microseconds and a Z, as the API writes them."""
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def list_item(job: SimJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "user_id": job.user_id,
        "team_id": job.team_id,
        "name": job.name,
        "description": job.description,
        "job_type": job.job_type,
        "alignment_job_id": job.alignment_job_id,
        "origin_data_job_id": job.origin_data_job_id,
        "deleted": False,
        "created_at": ts(job.created_at),
        "updated_at": ts(job.updated_at),
        "status": job.status,
        "status_message": job.status_message,
        "system_prompt": job.system_prompt,
        "system_prompt_updated_at": ts(job.system_prompt_updated_at),
        "instructions": job.instructions,
        "instructions_updated_at": ts(job.instructions_updated_at),
        "resolved_instructions": job.instructions,
        "vector_database_id": job.vector_database_id,
    }


def _record(job: SimJob, f: SimFile) -> dict[str, Any]:
    return {
        "record_id": f.record_id,
        "ingestion_job_id": job.ingestion_job_id,
        "alignment_file_id": f.alignment_file_id,
        "user_id": job.user_id,
        "team_id": job.team_id,
        "filename": f.filename,
        "metaflow_job_id": f.metaflow_job_id if f.processing_at else None,
        "method": f.method,
        "status": f.status,
        "queue_position": f.queue_position if f.status == "queued" else None,
        "error_message": f.error if f.status == "failed" else None,
        "suggested_fix": f.suggested_fix if f.status == "failed" else None,
        "worker_id": f.worker_id if f.status == "running" else None,
        "deleted": False,
        "created_at": ts(f.created_at),
        "processing_at": ts(f.processing_at),
        "completed_at": ts(f.completed_at),
        "failed_at": ts(f.failed_at),
    }


def _ingestion_status(records: list[SimFile]) -> str:
    statuses = {f.status for f in records}
    if statuses <= {"queued"}:
        return "queued"
    if statuses & {"queued", "running"}:
        return "running"
    return "failed" if "failed" in statuses else "completed"


def _file(f: SimFile) -> dict[str, Any]:
    return {
        "file_id": f.alignment_file_id,
        "record_id": f.record_id,
        "name": f.filename,
        "type": file_type(f.filename),
        "created_at": ts(f.created_at),
        "status": f.status,
        "suggested_fix": f.suggested_fix if f.status == "failed" else None,
        "bytes": f.bytes,
    }


def _alignment(job: SimJob, now: datetime) -> dict[str, Any] | None:
    a = job.alignment
    if a is None:
        return None
    frac = fraction(job, now)
    started = a.status == "running" or a.frozen_fraction is not None
    step, step_progress = step_at(frac) if started else (None, None)
    left = remaining_seconds(job, now)
    return {
        "id": a.id,
        "created_at": ts(a.created_at),
        "updated_at": ts(a.updated_at),
        "completed_at": ts(a.completed_at),
        "stopped_at": ts(a.stopped_at),
        "status": a.status,
        "current_step": step,
        "progress": round(frac * 100, 1),
        "step_progress": None if step_progress is None else round(step_progress, 1),
        "estimated_completion_at": None if left is None else ts(now + timedelta(seconds=left)),
        "eta_minutes": eta_minutes(job, now),
        "status_message": a.status_message,
    }


def detail(job: SimJob, now: datetime) -> dict[str, Any]:
    body = list_item(job)
    records = [f for f in job.files if f.ingested]
    ingestion = []
    if records and job.ingestion_job_id:
        ingestion.append(
            {
                "id": job.ingestion_job_id,
                "status": _ingestion_status(records),
                "created_at": ts(job.ingestion_created_at),
                "updated_at": ts(job.ingestion_updated_at),
                "file_ids": [f.file_id for f in records],
                "records": [_record(job, f) for f in records],
            }
        )
    timeline = sorted(job.timeline, key=lambda e: e["timestamp"])
    body.update(
        {
            "additional_alignment_file_ids": [],
            "ingestion_jobs": ingestion,
            "alignment_job": _alignment(job, now),
            "files": [_file(f) for f in job.files],
            "fine_tuning_job_ids": list(job.fine_tuning_job_ids),
            "timeline": [dict(e, timestamp=ts(e["timestamp"])) for e in timeline],
        }
    )
    return body
