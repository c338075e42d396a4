"""The request bodies Slack sends an app, byte for byte in shape.

Slash commands are form posts; interactions are a form post with one field,
``payload``, holding JSON.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from .world import APP_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID

FORM = "application/x-www-form-urlencoded"
DEPRECATED_TOKEN = "verification-token-unused"


def _user(user_id: str, user_name: str | None) -> dict:
    name = user_name or user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": TEAM_ID}


def slash_command_body(
    text: str,
    *,
    user_id: str,
    channel_id: str,
    response_url: str,
    trigger_id: str,
    command: str = "/datajobs",
    user_name: str | None = None,
    channel_name: str | None = None,
    team_id: str = TEAM_ID,
    team_domain: str = TEAM_DOMAIN,
    api_app_id: str = APP_ID,
) -> bytes:
    fields = [
        ("token", DEPRECATED_TOKEN),
        ("team_id", team_id),
        ("team_domain", team_domain),
        ("channel_id", channel_id),
        (
            "channel_name",
            channel_name or ("directmessage" if channel_id.startswith("D") else channel_id),
        ),
        ("user_id", user_id),
        ("user_name", user_name or user_id.lower()),
        ("command", command),
        ("text", text),
        ("api_app_id", api_app_id),
        ("is_enterprise_install", "false"),
        ("response_url", response_url),
        ("trigger_id", trigger_id),
    ]
    return urlencode(fields).encode()


def find_element(
    blocks: list, action_id: str, block_id: str | None = None
) -> tuple[dict, str] | None:
    """The interactive element with ``action_id`` in ``blocks`` and its block's id."""
    for block in blocks or []:
        if block_id is not None and block.get("block_id") != block_id:
            continue
        candidates = list(block.get("elements") or [])
        for key in ("accessory", "element"):
            if isinstance(block.get(key), dict):
                candidates.append(block[key])
        for el in candidates:
            if isinstance(el, dict) and el.get("action_id") == action_id:
                return el, block.get("block_id", "")
    return None


def _action(
    action_id: str,
    value: str | None,
    element: dict | None,
    block_id: str,
    selected_option: dict | None,
) -> dict:
    kind = (element or {}).get("type") or ("static_select" if selected_option else "button")
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": kind,
        "action_ts": f"{time.time():.6f}",
    }
    if kind == "button":
        action["text"] = (element or {}).get("text") or {"type": "plain_text", "text": action_id}
        action["value"] = value if value is not None else (element or {}).get("value", "")
        if (element or {}).get("style"):
            action["style"] = element["style"]
    else:
        if selected_option is None and value is not None:
            options = (element or {}).get("options") or []
            selected_option = next(
                (o for o in options if o.get("value") == value),
                {"text": {"type": "plain_text", "text": value}, "value": value},
            )
        action["selected_option"] = selected_option
        if kind != "overflow" and (element or {}).get("placeholder"):
            action["placeholder"] = element["placeholder"]
    return action


def _state(blocks: list, action: dict) -> dict:
    """state.values: every stateful element of the surface (selects keep their choice)."""
    values: dict[str, dict] = {}
    for block in blocks or []:
        elements = list(block.get("elements") or [])
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        for el in elements:
            if not isinstance(el, dict) or el.get("type") != "static_select":
                continue
            chosen = el.get("initial_option")
            if el.get("action_id") == action["action_id"] and "selected_option" in action:
                chosen = action["selected_option"]
            values.setdefault(block.get("block_id", ""), {})[el["action_id"]] = {
                "type": "static_select",
                "selected_option": chosen,
            }
    return {"values": values}


def block_actions_payload(
    action_id: str,
    value: str | None = None,
    *,
    user_id: str,
    channel_id: str | None,
    response_url: str | None,
    trigger_id: str,
    message: dict | None = None,
    view: dict | None = None,
    block_id: str | None = None,
    selected_option: dict | None = None,
    user_name: str | None = None,
    channel_name: str | None = None,
) -> dict:
    surface = view if view is not None else (message or {})
    blocks = list(surface.get("blocks") or [])
    for preview in ((message or {}).get("unfurls") or {}).values():  # buttons in link previews
        blocks += preview.get("blocks") or []
    found = find_element(blocks, action_id, block_id)
    element, found_block = found if found else (None, block_id or "")
    action = _action(action_id, value, element, block_id or found_block, selected_option)
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, user_name),
        "api_app_id": APP_ID,
        "token": DEPRECATED_TOKEN,
        "trigger_id": trigger_id,
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": _state(surface.get("blocks") or [], action),
        "actions": [action],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view["id"]}
        payload["view"] = view
    else:
        ephemeral = bool((message or {}).get("is_ephemeral"))
        payload["container"] = {
            "type": "message",
            "message_ts": (message or {}).get("ts"),
            "channel_id": channel_id,
            "is_ephemeral": ephemeral,
        }
        if message is not None and not ephemeral:
            payload["message"] = {
                k: v for k, v in message.items() if k not in ("channel", "is_ephemeral")
            }
    if channel_id:
        payload["channel"] = {"id": channel_id, "name": channel_name or channel_id}
    if response_url:
        payload["response_url"] = response_url
    return payload


def block_actions_body(action_id: str, value: str | None = None, **kw: Any) -> bytes:
    """Form body ``payload=<json>`` of a block_actions interaction (see block_actions_payload)."""
    return urlencode(
        {"payload": json.dumps(block_actions_payload(action_id, value, **kw))}
    ).encode()


def input_values(values: dict) -> dict:
    """view.state.values; a bare string stands for a plain_text_input's value."""
    out: dict[str, dict] = {}
    for block_id, actions in values.items():
        out[block_id] = {}
        for action_id, v in actions.items():
            out[block_id][action_id] = (
                v if isinstance(v, dict) else {"type": "plain_text_input", "value": v}
            )
    return out


def view_submission_body(
    view: dict, values: dict, *, user_id: str, user_name: str | None = None, trigger_id: str = ""
) -> bytes:
    submitted = {k: v for k, v in view.items() if k not in ("user", "open", "errors")}
    submitted["state"] = {"values": input_values(values)}
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "user": _user(user_id, user_name),
        "api_app_id": APP_ID,
        "token": DEPRECATED_TOKEN,
        "trigger_id": trigger_id,
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


JSON = "application/json"


def event_body(event: dict) -> bytes:
    """An Events API ``event_callback`` (JSON, not a form)."""
    now = int(time.time())
    envelope = {
        "token": DEPRECATED_TOKEN,
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {**event, "event_ts": event.get("event_ts") or f"{time.time():.6f}"},
        "type": "event_callback",
        "event_id": f"Ev{now}{abs(hash(json.dumps(event, sort_keys=True))) % 10**6:06d}",
        "event_time": now,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
    return json.dumps(envelope).encode()


def app_home_opened(user_id: str, tab: str = "home", view: dict | None = None) -> dict:
    event = {"type": "app_home_opened", "user": user_id, "channel": "D" + user_id[1:], "tab": tab}
    if view is not None:
        event["view"] = view
    return event


def link_shared(user_id: str, channel_id: str, message_ts: str, urls: list[str]) -> dict:
    return {
        "type": "link_shared",
        "channel": channel_id,
        "is_bot_user_member": True,
        "user": user_id,
        "message_ts": message_ts,
        "unfurl_id": f"{channel_id}.{message_ts}.unfurl",
        "source": "conversations_history",
        "links": [{"domain": urlsplit(u).hostname or "", "url": u} for u in urls],
    }


def message_action_body(
    callback_id: str,
    message: dict,
    *,
    user_id: str,
    channel_id: str,
    response_url: str,
    trigger_id: str,
    user_name: str | None = None,
    channel_name: str | None = None,
) -> bytes:
    """A message shortcut chosen on ``message`` (form post, one ``payload`` field)."""
    payload = {
        "type": "message_action",
        "token": DEPRECATED_TOKEN,
        "action_ts": f"{time.time():.6f}",
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "user": _user(user_id, user_name),
        "channel": {"id": channel_id, "name": channel_name or channel_id},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": {k: v for k, v in message.items() if k not in ("channel", "is_ephemeral")},
    }
    return urlencode({"payload": json.dumps(payload)}).encode()
