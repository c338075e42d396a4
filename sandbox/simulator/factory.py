"""Building jobs: ids from the simulator's seeded random source, files, plans."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import lifecycle
from .catalog import suggested_fix
from .records import KeyInfo, Plan, SimFile, SimJob


@dataclass
class FileSpec:
    filename: str
    error: str | None = None
    suggested_fix: str | None = None
    start_after: float = 0.0
    duration: float = 12.0


class Ids:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def short(self) -> str:
        return f"{self.rng.getrandbits(96):024x}"


def build_job(
    ids: Ids,
    owner: KeyInfo,
    *,
    name: str,
    job_type: str,
    created_at: datetime,
    files: list[FileSpec],
    plan: Plan,
    description: str | None = None,
    system_prompt: str | None = None,
    instructions: str | None = None,
    vector_database_id: str | None = None,
    speed: float = 1.0,
) -> SimJob:
    """A new job as SeekrFlow creates it; its ingestion starts at `created_at`."""
    job_id = "dj-" + ids.uuid()
    job = SimJob(
        id=job_id,
        user_id=owner.user_id,
        team_id=owner.team_id,
        name=name,
        job_type=job_type,
        status="file_processing",
        created_at=created_at,
        updated_at=created_at,
        description=description,
        system_prompt=system_prompt,
        system_prompt_updated_at=created_at if system_prompt else None,
        instructions=instructions,
        instructions_updated_at=created_at if instructions else None,
        vector_database_id=vector_database_id,
        plan=plan,
        speed=speed,
    )
    ingest = [f for f in files if f.error or not f.filename.lower().endswith(".md")]
    if ingest:
        job.ingestion_job_id = "ij-" + ids.uuid()
    for spec in files:
        ingested = spec in ingest
        job.files.append(
            SimFile(
                file_id="file-" + ids.short(),
                alignment_file_id="file-" + ids.short(),
                filename=spec.filename,
                bytes=ids.rng.randint(2_000, 40_000_000),
                created_at=created_at,
                record_id=("ifr-" + ids.uuid()) if ingested else None,
                method="accuracy-optimized" if ingested else None,
                error=spec.error,
                planned_fix=spec.suggested_fix or suggested_fix(spec.error),
                start_after=spec.start_after,
                duration=spec.duration,
                worker_id=f"worker-{ids.rng.randint(1, 16):02d}" if ingested else None,
                metaflow_job_id=f"IngestionFlow/{ids.rng.randint(10_000, 99_999)}"
                if ingested
                else None,
            )
        )
    job.event(created_at, "Created", "Data job created.")
    lifecycle.start_ingestion(job, created_at)
    return job


def timing(files: list[FileSpec], plan: Plan, speed: float = 1.0) -> dict[str, float]:
    """Seconds after creation at which each phase starts, when nothing intervenes."""
    ready = max(
        (
            f.start_after + f.duration
            for f in files
            if f.error or not f.filename.lower().endswith(".md")
        ),
        default=0.0,
    )
    pending = ready + (plan.autostart_after or 0.0)
    queued = pending + plan.pending_seconds
    running = queued + plan.queued_seconds
    phases = {
        "file_processing": 0.0,
        "ready_to_start": ready,
        "pending": pending,
        "queued": queued,
        "running": running,
        "end": running + plan.running_seconds,
    }
    return {name: at / speed for name, at in phases.items()}


def ago(now: datetime, seconds: float) -> datetime:
    return now - timedelta(seconds=seconds)
