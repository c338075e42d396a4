"""How a data job moves on its own clock, and how it is moved by hand.

file_processing -> ready_to_start | needs_review -> pending -> queued -> running
-> completed | failed | cancelled | stopped. Every transition is stamped at the
moment it happened (the end of the phase), so a long tick replays history exactly.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .catalog import ALIGNMENT_ACTIVE, ALIGNMENT_STATUSES
from .progress import fraction
from .records import SimAlignment, SimJob

EVENTS: dict[str, tuple[str, str]] = {
    "pending": ("Alignment Started", "Alignment job created."),
    "queued": ("Alignment Queued", "Waiting for an available worker."),
    "running": ("Alignment Running", "Alignment is running."),
    "completed": ("Alignment Completed", "Alignment finished; the dataset is ready."),
    "failed": ("Alignment Failed", "Alignment failed."),
    "cancelled": ("Alignment Cancelled", "Alignment cancelled by user."),
    "stopped": ("Alignment Stopped", "Alignment stopped by an administrator."),
    "needs_review": ("Needs Review", "Manual action required."),
    "ready_to_start": ("Ready To Start", "All files processed; ready to start alignment."),
}
DEFAULT_MESSAGES: dict[str, str | None] = {
    "pending": "Waiting to be scheduled.",
    "queued": "Queued: waiting for an available worker.",
    "failed": "Alignment failed.",
    "cancelled": "Alignment was cancelled.",
    "stopped": "Alignment was stopped by an administrator.",
}


def _s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def _d(job: SimJob, planned: float) -> timedelta:
    """A planned duration at the job's speed."""
    return timedelta(seconds=planned / job.speed)


def _ingested(job: SimJob):
    return [f for f in job.files if f.ingested]


# ---------------------------------------------------------------- ingestion
def start_ingestion(job: SimJob, now: datetime) -> None:
    files = _ingested(job)
    if not files:
        finish_ingestion(job, now)
        return
    job.status, job.alignment, job.alignment_job_id = "file_processing", None, None
    job.ingestion_started_at = job.ingestion_updated_at = job.updated_at = now
    if job.ingestion_created_at is None:
        job.ingestion_created_at = now
    for f in files:
        f.status, f.processing_at, f.completed_at, f.failed_at = "queued", None, None, None
        f.suggested_fix = None
        f.begins_at = now + _d(job, f.start_after)
        f.ends_at = f.begins_at + _d(job, f.duration)
    job.phase_ends_at = max(f.ends_at for f in files)
    _update_records(job, now)
    job.event(
        now,
        "File Processing Started",
        "Started processing files.",
        ingestion_job_id=job.ingestion_job_id,
        status="running",
        record_count=len(files),
    )


def _update_records(job: SimJob, now: datetime) -> None:
    queued = []
    for f in _ingested(job):
        if f.status in ("completed", "failed"):
            continue
        begins, ends = f.begins_at, f.ends_at
        if now < begins:
            f.status = "queued"
            queued.append((begins, f))
            continue
        f.processing_at, f.queue_position = begins, None
        moved_at = ends if now >= ends else begins
        job.ingestion_updated_at = max(job.ingestion_updated_at or moved_at, moved_at)
        if now < ends:
            f.status = "running"
        elif f.error:
            f.status, f.failed_at, f.suggested_fix = "failed", ends, f.planned_fix
        else:
            f.status, f.completed_at = "completed", ends
    for pos, (_, f) in enumerate(sorted(queued, key=lambda p: p[0]), start=1):
        f.queue_position = pos
    done = sum(f.status in ("completed", "failed") for f in _ingested(job))
    if job.status == "file_processing":
        job.status_message = f"Processing files ({done} of {len(_ingested(job))} done)."


def finalize_records(job: SimJob, now: datetime) -> None:
    """Every file record reaches its planned end now (used when a job is moved by hand)."""
    for f in _ingested(job):
        if f.status in ("completed", "failed"):
            continue
        f.processing_at = f.processing_at or now
        f.queue_position = None
        if f.error:
            f.status, f.failed_at, f.suggested_fix = "failed", now, f.planned_fix
        else:
            f.status, f.completed_at = "completed", now


def review_reasons(job: SimJob) -> list[str]:
    reasons = []
    files = _ingested(job)
    failed = [f for f in files if f.status == "failed"]
    if failed:
        reasons.append(
            f"{len(failed)} of {len(files)} files failed processing; "
            "fix or remove them to continue."
        )
    if job.job_type != "context_grounded_vector_db" and not job.files:
        reasons.append("Add at least one file before starting.")
    if job.job_type == "principle_files" and not job.system_prompt:
        reasons.append("A system prompt is required before starting.")
    if job.job_type == "context_grounded_vector_db" and not job.vector_database_id:
        reasons.append("A vector database is required before starting.")
    return reasons


def finish_ingestion(job: SimJob, at: datetime) -> None:
    files = _ingested(job)
    if files:
        _update_records(job, at)
        finalize_records(job, at)
        failed = sum(f.status == "failed" for f in files)
        job.ingestion_updated_at = at
        meta = dict(ingestion_job_id=job.ingestion_job_id, record_count=len(files))
        if failed:
            job.event(
                at,
                "File Processing Failed",
                f"{failed} of {len(files)} files failed.",
                status="failed",
                failed_count=failed,
                **meta,
            )
        else:
            job.event(
                at,
                "File Processing Completed",
                "Finished processing files.",
                status="completed",
                **meta,
            )
    derive_pre_alignment(job, at, announce=True)


def derive_pre_alignment(job: SimJob, at: datetime, *, announce: bool) -> None:
    """needs_review or ready_to_start, from the files and prerequisites."""
    reasons = review_reasons(job)
    status = "needs_review" if reasons else "ready_to_start"
    changed = status != job.status
    job.status, job.updated_at = status, at
    job.status_message = " ".join(reasons) or None
    job.phase_ends_at = None
    if status == "ready_to_start" and job.plan.autostart_after is not None:
        job.phase_ends_at = at + _d(job, job.plan.autostart_after)
    if announce or changed:
        event_type, message = EVENTS[status]
        job.event(at, event_type, job.status_message or message)


# ---------------------------------------------------------------- alignment
def _enter(job: SimJob, status: str, at: datetime, message: str | None = None) -> None:
    a = job.alignment
    job.status = a.status = status
    job.updated_at = a.updated_at = at
    job.status_message = message if message is not None else DEFAULT_MESSAGES.get(status)
    a.status_message = job.status_message if status not in ALIGNMENT_ACTIVE else None
    event_type, default = EVENTS[status]
    job.event(at, event_type, message or default, alignment_job_id=a.id, status=status)


def _new_alignment(job: SimJob, at: datetime, new_id: str) -> None:
    job.alignment = SimAlignment(
        id=new_id,
        created_at=at,
        updated_at=at,
        status="pending",
        running_seconds=job.plan.running_seconds / job.speed,
    )
    job.alignment_job_id = new_id


def start_alignment(job: SimJob, at: datetime) -> None:
    _new_alignment(job, at, "aj-" + job.id.removeprefix("dj-"))
    _enter(job, "pending", at)
    job.phase_ends_at = at + _d(job, job.plan.pending_seconds)


def _run(job: SimJob, at: datetime, resume_from: float = 0.0) -> None:
    """Run (or resume a run already `resume_from` done) toward the planned outcome."""
    a = job.alignment
    a.running_started_at, a.frozen_fraction = at - _s(a.running_seconds * resume_from), None
    _enter(job, "running", at)
    share = 1.0 if job.plan.outcome == "completed" else job.plan.outcome_at
    job.phase_ends_at = max(at, a.running_started_at + _s(a.running_seconds * share))


def _land(job: SimJob, status: str, at: datetime, message: str | None = None) -> None:
    a = job.alignment
    if status == "completed":
        a.frozen_fraction, a.completed_at = 1.0, at
    else:
        a.frozen_fraction = fraction(job, at) if a.status == "running" else 0.0
        if status in ("cancelled", "stopped"):
            a.stopped_at = at
    _enter(job, status, at, message)
    job.phase_ends_at = None


def _step(job: SimJob, at: datetime) -> None:
    """The current phase ended at `at`: move to the next one."""
    p = job.plan
    if job.status == "file_processing":
        finish_ingestion(job, at)
    elif job.status == "ready_to_start":
        start_alignment(job, at)
    elif job.status == "pending":
        _enter(job, "queued", at)
        job.phase_ends_at = at + _d(job, p.queued_seconds)
    elif job.status == "queued":
        _run(job, at)
    elif job.status == "running":
        _land(job, p.outcome, at, p.failure_message if p.outcome == "failed" else None)
    else:
        job.phase_ends_at = None


def update(job: SimJob, now: datetime) -> None:
    """Bring the job up to `now`, replaying every transition on the way."""
    for _ in range(32):
        if job.phase_ends_at is None or job.phase_ends_at > now:
            break
        _step(job, job.phase_ends_at)
    if job.status == "file_processing":
        _update_records(job, now)


def cancel(job: SimJob, now: datetime) -> None:
    _land(job, "cancelled", now)


def rescale(job: SimJob, now: datetime, speed: float) -> None:
    """The clock's speed changed: what is still to come runs at the new speed."""
    k = job.speed / speed
    job.speed = speed

    def later(t: datetime | None) -> datetime | None:
        return t if t is None or t <= now else now + (t - now) * k

    job.phase_ends_at = later(job.phase_ends_at)
    for f in _ingested(job):
        f.begins_at, f.ends_at = later(f.begins_at), later(f.ends_at)
    a = job.alignment
    if a is not None and a.frozen_fraction is None:
        done = fraction(job, now)
        a.running_seconds *= k
        if a.running_started_at is not None:
            a.running_started_at = now - _s(a.running_seconds * done)


# ---------------------------------------------------------------- by hand
def set_status(job: SimJob, status: str, now: datetime, message: str | None, new_id: str) -> None:
    """Move a job to any status, keeping the alignment fields consistent."""
    if status == "file_processing":
        start_ingestion(job, now)
    elif status in ("needs_review", "ready_to_start"):
        finalize_records(job, now)
        job.alignment, job.alignment_job_id = None, None
        job.status, job.phase_ends_at = status, None
        reasons = " ".join(review_reasons(job)) or "Manual action required."
        job.status_message = message or (reasons if status == "needs_review" else None)
        job.event(now, EVENTS[status][0], job.status_message or EVENTS[status][1])
    elif status in ALIGNMENT_STATUSES:
        finalize_records(job, now)
        if job.alignment is None:
            _new_alignment(job, now, new_id)
        if status == "running":
            if job.status != "running":
                paused = job.alignment.status == "running" and job.alignment.frozen_fraction
                _run(job, now, resume_from=paused or 0.0)
        elif status in ALIGNMENT_ACTIVE:
            job.alignment.frozen_fraction = None
            _enter(job, status, now)
            seconds = job.plan.pending_seconds if status == "pending" else job.plan.queued_seconds
            job.phase_ends_at = now + _d(job, seconds)
        else:
            _land(job, status, now, message)
        if message is not None:
            job.status_message = message
    else:  # a status this simulator does not know: shown as-is, the run (if any) holds
        if job.alignment is not None and job.alignment.frozen_fraction is None:
            job.alignment.frozen_fraction = fraction(job, now)
        job.status, job.status_message, job.phase_ends_at = status, message, None
        job.event(now, "Status Changed", f"Status changed to {status}.", status=status)
    job.updated_at = now
