"""Where an alignment run stands: share done, current step, time left."""

from __future__ import annotations

import math
from datetime import datetime

from .catalog import ALIGNMENT_ACTIVE, STEPS
from .records import SimJob


def fraction(job: SimJob, now: datetime) -> float:
    """Share of the alignment run done, 0..1."""
    a = job.alignment
    if a is None:
        return 0.0
    if a.frozen_fraction is not None:
        return a.frozen_fraction
    if a.status != "running" or a.running_started_at is None:
        return 0.0
    done = (now - a.running_started_at).total_seconds() / max(a.running_seconds, 1e-6)
    return min(max(done, 0.0), 0.999)


def step_at(frac: float) -> tuple[str, float]:
    """(current_step, step_progress 0..100) for a run fraction."""
    edge = 0.0
    for name, weight in STEPS:
        if frac < edge + weight or name == STEPS[-1][0]:
            return name, min(100.0, max(0.0, (frac - edge) / weight * 100))
        edge += weight
    return STEPS[-1][0], 100.0


def remaining_seconds(job: SimJob, now: datetime) -> float | None:
    a, p = job.alignment, job.plan
    if a is None or a.status not in ALIGNMENT_ACTIVE or job.status not in ALIGNMENT_ACTIVE:
        return None
    if a.status == "running":
        return a.running_seconds * (1 - fraction(job, now))
    left = max((job.phase_ends_at - now).total_seconds(), 0.0) if job.phase_ends_at else 0.0
    queued = p.queued_seconds / job.speed if a.status == "pending" else 0.0
    return left + queued + a.running_seconds


def eta_minutes(job: SimJob, now: datetime) -> int | None:
    left = remaining_seconds(job, now)
    return None if left is None else max(1, math.ceil(left / 60))
