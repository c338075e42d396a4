"""Block Kit limits (docs.slack.dev block reference) and helpers that keep within them."""

from __future__ import annotations

from typing import Any

from .text import cut, mrkdwn

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_OPTIONS = 100
MAX_OVERFLOW_OPTIONS = 5
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30
MAX_MODAL_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_BLOCK_ID = 255


def section(
    text: str, accessory: dict[str, Any] | None = None, block_id: str | None = None
) -> dict:
    block: dict[str, Any] = {"type": "section", "text": mrkdwn(cut(text, MAX_SECTION_TEXT))}
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id[:MAX_BLOCK_ID]
    return block


def context(*texts: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [mrkdwn(cut(t, MAX_SECTION_TEXT)) for t in texts[:MAX_CONTEXT_ELEMENTS]],
    }


def chunk_lines(
    lines: list[str], limit: int = MAX_SECTION_TEXT, max_chunks: int = 10
) -> tuple[list[str], int]:
    """Pack lines into texts of at most ``limit`` chars; return (texts, lines left out)."""
    chunks: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        line = cut(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        chunks.append(current)
        if len(chunks) == max_chunks:
            return chunks, len(lines) - i
        current = line
    if current:
        chunks.append(current)
    return chunks, 0


def more_note(count: int, what: str) -> str:
    return f"+{count} more {what}"


def header(text: str) -> dict[str, Any]:
    """A header block (plain text, at most ``MAX_HEADER`` characters)."""
    return {"type": "header", "text": {"type": "plain_text", "text": text[:MAX_HEADER]}}
