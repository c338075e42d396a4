"""Every outcome of a SeekrFlow call a caller can act on, as one typed error.

The client maps HTTP statuses and transport failures onto these in one place
(``bot.seekrflow.client``). Messages never contain the API key.
"""

from __future__ import annotations


class SeekrFlowError(Exception):
    """Base class. ``status`` is the HTTP status when there was one."""

    status: int | None = None

    def __init__(self, message: str, *, status: int | None = None, detail: object = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.detail = detail


class InvalidJobId(SeekrFlowError):
    """The id cannot be a data-job id (slashes, dots-dot, spaces, control chars, too long)."""


class KeyRejected(SeekrFlowError):
    """401/403: the API key (or team scope) was not accepted."""


class JobNotFound(SeekrFlowError):
    """404: no such job, or not visible to this key."""

    status = 404


class InputsLocked(SeekrFlowError):
    """409: the job's inputs are locked because alignment has started."""

    status = 409


class WrongState(SeekrFlowError):
    """409 on start, remove-files or clone: the job is not in a state that allows it (the
    message says which state it is in, as SeekrFlow put it)."""

    status = 409


class NotCancellable(SeekrFlowError):
    """304 on cancel: the job's alignment is not pending, queued or running."""

    status = 304


class ValidationFailed(SeekrFlowError):
    """422: the server refused the input; ``detail`` keeps its FastAPI-style detail list."""

    status = 422


class RateLimited(SeekrFlowError):
    """429: too many requests. ``retry_after`` is seconds, when the server said."""

    status = 429

    def __init__(self, message: str, *, retry_after: float | None = None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(SeekrFlowError):
    """5xx from SeekrFlow."""


class Unavailable(SeekrFlowError):
    """SeekrFlow did not answer: timeout or connection refused/reset."""


class UnexpectedResponse(SeekrFlowError):
    """Any other status, or a body that is not what the API documents."""
