"""How the bot logs: readable text by default, one JSON object per line with ``LOG_FORMAT=json``.

Each line carries what is known where it was written: the Slack user, channel, job id and
the request id (``request``) that the person also sees as the reference in an error
message. They travel in a ``ContextVar`` bound at the edge (``bind``), so tasks a listener
starts keep them.

No secret reaches a line in either format: every message, its arguments and any traceback
pass ``Redact``, which removes the configured secrets, every SeekrFlow key the bot has read
(``forget_in_logs``) and anything shaped like a Slack token.

JSON lines are written by ``python-json-logger``, a small, well-kept formatter: it renders
extra fields, exceptions and non-JSON values correctly, which a hand-written one rarely does.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

CONTEXT_FIELDS = ("slack_user", "channel", "job_id", "request")
_context: ContextVar[dict[str, str]] = ContextVar("log_context", default={})  # noqa: B039 - never mutated

MASK = "[redacted]"
# Slack tokens: bot/user/app/config/refresh tokens, and signed webhook URLs
_TOKEN_SHAPES = re.compile(
    r"xox[abposre]-[A-Za-z0-9-]{6,}|xapp-[A-Za-z0-9-]{6,}|hooks\.slack\.com/[A-Za-z0-9/_-]+"
)
_MAX_SECRETS = 10_000
_secrets: set[str] = set()


def bind(**fields: str | None) -> Any:
    """Add fields to this context's log lines (None leaves a field alone); returns a token
    for ``unbind``."""
    known = {k: str(v) for k, v in fields.items() if v and k in CONTEXT_FIELDS}
    return _context.set({**_context.get(), **known})


def unbind(token: Any) -> None:
    _context.reset(token)


@contextmanager
def bound(**fields: str | None) -> Iterator[None]:
    token = bind(**fields)
    try:
        yield
    finally:
        unbind(token)


def reference() -> str:
    """The reference shown to a person for an error: this request's id when there is one."""
    return _context.get().get("request") or secrets.token_hex(4)


def new_request_id() -> str:
    return secrets.token_hex(4)


def forget_in_logs(*values: str | None) -> None:
    """Never let these strings (a key just read or typed) appear in a log line."""
    for value in values:
        if value and len(value) >= 6 and len(_secrets) < _MAX_SECRETS:
            _secrets.add(value)


def redact(text: str) -> str:
    for value in sorted(_secrets, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return _TOKEN_SHAPES.sub(MASK, text)


class Redact(logging.Filter):
    """Renders each record's message (and traceback) once, without secrets."""

    _fmt = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the line
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info:
            record.exc_text = redact(self._fmt.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class Context(logging.Filter):
    """Puts the bound fields on the record (JSON: as keys; text: as ``k=v`` at the end)."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _context.get()
        for name in CONTEXT_FIELDS:
            if name in fields and not hasattr(record, name):
                setattr(record, name, redact(fields[name]))
        record.context = "".join(f" {k}={fields[k]}" for k in CONTEXT_FIELDS if k in fields)
        return True


def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s",
        timestamp="time",  # ISO 8601, UTC, with microseconds
        rename_fields={"levelname": "level", "name": "logger"},
        reserved_attrs=[*_RESERVED, "context"],
    )


def text_formatter() -> logging.Formatter:
    return logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s%(context)s")


def configure(level: str = "INFO", fmt: str = "text", secrets_: Iterable[str | None] = ()) -> None:
    """The process's one logging setup: a stderr handler on the root logger."""
    forget_in_logs(*secrets_)
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(Context())
    handler.addFilter(Redact())
    handler.setFormatter(json_formatter() if fmt == "json" else text_formatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    logging.captureWarnings(True)  # Python's warnings become lines of the same format


_RESERVED = [
    "args",
    "created",
    "exc_info",
    "exc_text",
    "filename",
    "funcName",
    "levelno",
    "lineno",
    "module",
    "msecs",
    "msg",
    "pathname",
    "process",
    "processName",
    "relativeCreated",
    "stack_info",
    "thread",
    "threadName",
    "taskName",
]
