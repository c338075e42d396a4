"""What a notification needs to know about a job, taken when the transition is seen.

Stored with the transition (so a notification sent later, by another replica,
shows the job as it was then) and kept small: names and messages are capped.
"""

from __future__ import annotations

from bot.seekrflow import DataJob, DataJobDetail
from bot.values import FileIssue, JobSnapshot

MAX_FILES = 10


def ran_seconds(job: DataJob | DataJobDetail) -> float | None:
    """How long the job ran: its alignment run when there is one, else creation to last update."""
    aj = getattr(job, "alignment_job", None)
    if aj is not None and aj.created_at is not None:
        end = aj.completed_at or aj.stopped_at or aj.updated_at or job.updated_at
        return max(0.0, (end - aj.created_at).total_seconds())
    return max(0.0, (job.updated_at - job.created_at).total_seconds())


def snapshot(job: DataJob | DataJobDetail) -> JobSnapshot:
    msg = job.status_message
    aj = getattr(job, "alignment_job", None)
    if not msg and aj is not None and aj.status_message:
        msg = aj.status_message
    files: list[FileIssue] = []
    more = 0
    failed = job.failed_records if isinstance(job, DataJobDetail) else []
    if failed:
        files = [
            FileIssue(
                name=r.filename[:200],
                error=(r.error_message or "")[:300],
                fix=(r.suggested_fix or "")[:300],
            )
            for r in failed[:MAX_FILES]
        ]
        more = max(0, len(failed) - MAX_FILES)
    elif isinstance(job, DataJobDetail):
        bad = [f for f in job.files if f.status == "failed" or f.suggested_fix]
        files = [
            FileIssue(name=(f.name or f.file_id)[:200], fix=(f.suggested_fix or "")[:300])
            for f in bad[:MAX_FILES]
        ]
    return JobSnapshot(
        id=job.id,
        name=job.name[:300],
        status=job.status,
        job_type=job.job_type,
        ran_s=ran_seconds(job),
        message=msg[:1000] if msg else None,
        files=files,
        more_files=more,
        good_files=(
            sum(f.status != "failed" for f in job.files) if isinstance(job, DataJobDetail) else None
        ),
        **live(job),
    )


def percent(value: float | str | None) -> float | None:
    """SeekrFlow's progress (a number or a string such as ``"42.5"`` / ``"42%"``) as 0-100."""
    if value is None:
        return None
    try:
        pct = float(str(value).strip().rstrip("%"))
    except ValueError:
        return None
    if pct != pct:  # NaN
        return None
    if 0 <= pct <= 1 and "." in str(value) and "%" not in str(value):
        pct *= 100  # a fraction
    return max(0.0, min(100.0, pct))


def live(job: DataJob | DataJobDetail) -> dict:
    """A running job's progress, ETA and step (for the live thread root)."""
    aj = getattr(job, "alignment_job", None)
    if job.status != "running" or aj is None:
        return {}
    return {
        "progress": percent(aj.progress),
        "eta_min": None if aj.eta_minutes is None else max(0, int(aj.eta_minutes)),
        "step": (aj.current_step or "")[:80] or None,
    }
