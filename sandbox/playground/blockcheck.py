"""The Block Kit limits Slack enforces, so an oversize message fails here as it would there."""

from __future__ import annotations

from typing import Any

from .world import SlackError

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
TEXT_MAX = 3000
FIELD_MAX = 2000
HEADER_MAX = 150
BUTTON_TEXT_MAX = 75
VALUE_MAX = 2000
ID_MAX = 255
TITLE_MAX = 24
METADATA_MAX = 3000


def _text_len(obj: Any) -> int:
    return len(obj.get("text", "")) if isinstance(obj, dict) else 0


def _check_element(el: dict, where: str, problems: list[str]) -> None:
    if not isinstance(el, dict) or "type" not in el:
        problems.append(f"{where}: element without a type")
        return
    if len(el.get("action_id", "")) > ID_MAX:
        problems.append(f"{where}: action_id longer than {ID_MAX}")
    if el["type"] == "button":
        if _text_len(el.get("text")) > BUTTON_TEXT_MAX:
            problems.append(f"{where}: button text longer than {BUTTON_TEXT_MAX}")
        if len(el.get("value", "")) > VALUE_MAX:
            problems.append(f"{where}: button value longer than {VALUE_MAX}")
    if el["type"] in ("static_select", "overflow"):
        opts = el.get("options") or []
        limit = 5 if el["type"] == "overflow" else 100
        if len(opts) > limit:
            problems.append(f"{where}: more than {limit} options")
        for opt in opts:
            if _text_len(opt.get("text")) > 75 or len(opt.get("value", "")) > 150:
                problems.append(f"{where}: option text or value too long")
    confirm = el.get("confirm")
    if confirm and (_text_len(confirm.get("title")) > 100 or _text_len(confirm.get("text")) > 300):
        problems.append(f"{where}: confirm title or text too long")


def block_problems(blocks: list, *, limit: int) -> list[str]:
    """Each way ``blocks`` breaks Slack's published limits (empty when fine)."""
    problems: list[str] = []
    if not isinstance(blocks, list):
        return ["blocks must be an array"]
    if len(blocks) > limit:
        problems.append(f"more than {limit} blocks ({len(blocks)})")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        where = f"blocks[{i}]"
        if not isinstance(block, dict) or "type" not in block:
            problems.append(f"{where}: block without a type")
            continue
        bid = block.get("block_id")
        if bid is not None:
            if len(bid) > ID_MAX:
                problems.append(f"{where}: block_id longer than {ID_MAX}")
            if bid in seen_ids:
                problems.append(f"{where}: duplicate block_id {bid!r}")
            seen_ids.add(bid)
        kind = block["type"]
        if kind == "header" and _text_len(block.get("text")) > HEADER_MAX:
            problems.append(f"{where}: header text longer than {HEADER_MAX}")
        if kind == "section":
            if "text" not in block and not block.get("fields"):
                problems.append(f"{where}: section needs text or fields")
            if _text_len(block.get("text")) > TEXT_MAX:
                problems.append(f"{where}: section text longer than {TEXT_MAX}")
            fields = block.get("fields") or []
            if len(fields) > 10 or any(_text_len(f) > FIELD_MAX for f in fields):
                problems.append(f"{where}: more than 10 fields or a field over {FIELD_MAX}")
            if block.get("accessory"):
                _check_element(block["accessory"], where, problems)
        if kind == "context" and len(block.get("elements") or []) > 10:
            problems.append(f"{where}: more than 10 context elements")
        if kind == "actions":
            elements = block.get("elements") or []
            if len(elements) > 25:
                problems.append(f"{where}: more than 25 elements")
            for j, el in enumerate(elements):
                _check_element(el, f"{where}.elements[{j}]", problems)
        if kind == "input" and isinstance(block.get("element"), dict):
            _check_element(block["element"], where, problems)
    return problems


def check_message_blocks(blocks: list | None) -> None:
    if blocks is None:
        return
    problems = block_problems(blocks, limit=MESSAGE_BLOCKS)
    if problems:
        raise SlackError("invalid_blocks", errors=problems)


def check_view(view: Any) -> None:
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        raise SlackError("invalid_arguments", errors=["view must be a modal or home view"])
    problems = block_problems(view.get("blocks") or [], limit=VIEW_BLOCKS)
    for key in ("title", "submit", "close"):
        if _text_len(view.get(key)) > TITLE_MAX:
            problems.append(f"view.{key} longer than {TITLE_MAX}")
    if view.get("type") == "modal" and not view.get("title"):
        problems.append("a modal needs a title")
    has_input = any(
        b.get("type") == "input" for b in view.get("blocks") or [] if isinstance(b, dict)
    )
    if has_input and not view.get("submit"):
        problems.append("a modal with input blocks needs a submit button")
    if len(view.get("private_metadata") or "") > METADATA_MAX:
        problems.append(f"private_metadata longer than {METADATA_MAX}")
    if problems:
        raise SlackError("invalid_arguments", errors=problems)
