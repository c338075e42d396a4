"""The rename modal. Pure."""

from __future__ import annotations

from typing import Any

from bot.ids import Action, Block, View
from bot.payloads import RenameMeta, encode

from .text import plain

NAME_MAX = 255


def rename_modal(meta: RenameMeta, current_name: str) -> dict[str, Any]:
    """``current_name`` is the raw name: an input's initial value is shown as typed, not parsed."""
    return {
        "type": "modal",
        "callback_id": View.RENAME,
        "private_metadata": encode(meta),
        "title": plain("Rename data job", 24),
        "submit": plain("Rename", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            {
                "type": "input",
                "block_id": Block.RENAME_NAME,
                "label": plain("New name", 2000),
                "hint": plain(f"1–{NAME_MAX} characters.", 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": Action.RENAME_INPUT,
                    "initial_value": current_name[:NAME_MAX],
                    "max_length": NAME_MAX,
                },
            }
        ],
    }


def name_problem(name: str | None) -> str | None:
    """Why a submitted name cannot be used, or None."""
    name = (name or "").strip()
    if not name:
        return "Give the job a name (1–255 characters)."
    if len(name) > NAME_MAX:
        return f"That name is {len(name)} characters; a name can be at most {NAME_MAX}."
    return None


def unavailable_modal(text: str) -> dict[str, Any]:
    """Replaces the rename modal when the job cannot be renamed; ``text`` is safe mrkdwn."""
    return {
        "type": "modal",
        "title": plain("Rename data job", 24),
        "close": plain("Close", 24),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000], "verbatim": True}}
        ],
    }
