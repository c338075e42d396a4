"""Interactive elements: buttons, confirm dialogs, selects, overflow menus (within their limits)."""

from __future__ import annotations

from typing import Any

from . import limits as L
from .text import cut, plain


def button(
    text: str,
    action_id: str,
    value: str,
    *,
    style: str | None = None,
    confirm: dict[str, Any] | None = None,
) -> dict[str, Any]:
    el: dict[str, Any] = {
        "type": "button",
        "text": plain(text, L.MAX_BUTTON_TEXT),
        "action_id": action_id,
        "value": value[: L.MAX_BUTTON_VALUE],
    }
    if style:
        el["style"] = style
    if confirm:
        el["confirm"] = confirm
    return el


def confirm_dialog(
    title: str, text: str, yes: str, no: str = "Keep it", style: str = "danger"
) -> dict[str, Any]:
    """A Slack confirm dialog; ``text`` is plain text (not parsed for mentions)."""
    return {
        "title": plain(title, L.MAX_CONFIRM_TITLE),
        "text": plain(text, L.MAX_CONFIRM_TEXT),
        "confirm": plain(yes, L.MAX_CONFIRM_BUTTON),
        "deny": plain(no, L.MAX_CONFIRM_BUTTON),
        "style": style,
    }


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, L.MAX_OPTION_TEXT), "value": value}


def static_select(
    action_id: str,
    placeholder: str,
    options: list[dict[str, Any]],
    initial_value: str | None = None,
) -> dict[str, Any]:
    options = options[: L.MAX_OPTIONS]
    el: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder, 150),
        "options": options,
    }
    for opt in options:
        if initial_value is not None and opt["value"] == initial_value:
            el["initial_option"] = opt
    return el


def grouped_select(
    action_id: str, placeholder: str, groups: list[tuple[str, list[dict[str, Any]]]]
) -> dict[str, Any]:
    return {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder, 150),
        "option_groups": [
            {"label": plain(label, 75), "options": opts[: L.MAX_OPTIONS]}
            for label, opts in groups[: L.MAX_OPTIONS]
            if opts
        ],
    }


def overflow(action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "overflow",
        "action_id": action_id,
        "options": options[: L.MAX_OVERFLOW_OPTIONS],
    }


def actions(block_id: str | None, *elements: dict[str, Any]) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "actions",
        "elements": list(elements)[: L.MAX_ACTIONS_ELEMENTS],
    }
    if block_id:
        block["block_id"] = cut(block_id, L.MAX_BLOCK_ID)
    return block
