"""SeekrFlow data-jobs API client: models, typed errors, and the async client.

Nothing in this package imports Slack.
"""

from .client import SeekrFlow, normalize_base_url
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
    "SeekrFlow", "normalize_base_url", "validate_job_id", "MAX_JOB_ID_LENGTH",
    "RetryPolicy", "NO_RETRY", "parse_retry_after",
    "SeekrFlowError", "InvalidJobId", "KeyRejected", "JobNotFound", "InputsLocked",
    "NotCancellable", "ValidationFailed", "RateLimited", "ServerError", "Unavailable",
    "UnexpectedResponse",
    "DataJob", "DataJobDetail", "DataJobList", "IngestionJob", "IngestionFileRecord",
    "AlignmentJob", "AlignmentOutput", "DataJobFile", "TimelineEvent", "JobUpdate", "JobStatus", "JobType",
    "SortBy", "SortOrder", "CANCELLABLE", "TERMINAL", "NEEDS_PERSON",
]
