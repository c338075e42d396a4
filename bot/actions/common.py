"""What every button handler reads of a click: what was clicked (untrusted until decoded)."""

from __future__ import annotations

from typing import Any


def action_value(body: dict[str, Any]) -> str | None:
    """A button's value or a select's / overflow's chosen value (untrusted)."""
    action = (body.get("actions") or [{}])[0]
    selected = action.get("selected_option") or {}
    return selected.get("value") or action.get("value")


def action_id(body: dict[str, Any]) -> str:
    return (body.get("actions") or [{}])[0].get("action_id") or ""


def action_block_id(body: dict[str, Any]) -> str:
    return (body.get("actions") or [{}])[0].get("block_id") or ""


def clicked_ts(body: dict[str, Any]) -> str | None:
    """The message the click was on (None for an ephemeral one, which cannot be updated)."""
    container = body.get("container") or {}
    return None if container.get("is_ephemeral") else container.get("message_ts")
