"""SeekrFlow data-jobs API client: models, typed errors, and the async client.

Nothing in this package imports Slack.
"""

from .client import KeyRejectedHook, SeekrFlow, normalize_base_url
from .errors import (
    InputsLocked,
    InvalidJobId,
    JobNotFound,
    KeyRejected,
    NotCancellable,
    RateLimited,
    SeekrFlowError,
    ServerError,
    Unavailable,
    UnexpectedResponse,
    ValidationFailed,
)
from .job_ids import MAX_JOB_ID_LENGTH, validate_job_id
from .models import (
    CANCELLABLE,
    NEEDS_PERSON,
    TERMINAL,
    AlignmentJob,
    AlignmentOutput,
    DataJob,
    DataJobDetail,
    DataJobFile,
    DataJobList,
    IngestionFileRecord,
    IngestionJob,
    JobStatus,
    JobType,
    JobUpdate,
    SortBy,
    SortOrder,
    TimelineEvent,
)
from .retry import NO_RETRY, RetryPolicy, parse_retry_after

__all__ = [
    "CANCELLABLE",
    "MAX_JOB_ID_LENGTH",
    "NEEDS_PERSON",
    "NO_RETRY",
    "TERMINAL",
    "AlignmentJob",
    "AlignmentOutput",
    "DataJob",
    "DataJobDetail",
    "DataJobFile",
    "DataJobList",
    "IngestionFileRecord",
    "IngestionJob",
    "InputsLocked",
    "InvalidJobId",
    "JobNotFound",
    "JobStatus",
    "JobType",
    "JobUpdate",
    "KeyRejected",
    "KeyRejectedHook",
    "NotCancellable",
    "RateLimited",
    "RetryPolicy",
    "SeekrFlow",
    "SeekrFlowError",
    "ServerError",
    "SortBy",
    "SortOrder",
    "TimelineEvent",
    "Unavailable",
    "UnexpectedResponse",
    "ValidationFailed",
    "normalize_base_url",
    "parse_retry_after",
    "validate_job_id",
]
