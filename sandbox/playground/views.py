"""Modals: views.open / views.update / views.push and what a view_submission ack does."""

from __future__ import annotations

import copy
import secrets
from typing import TYPE_CHECKING, Any

from .blockcheck import check_view
from .world import APP_ID, BOT_ID, TEAM_ID, SlackError

if TYPE_CHECKING:
    from .fake import FakeSlack

MAX_STACK = 3


def _new_hash() -> str:
    return f"{secrets.randbelow(10**10)}.{secrets.token_hex(4)}"


def _build(
    fake: FakeSlack,
    view: dict,
    *,
    user: str,
    view_id: str | None = None,
    root: str | None = None,
    previous: str | None = None,
) -> dict:
    vid = view_id or fake.next_id("V")
    return {
        "id": vid,
        "team_id": TEAM_ID,
        "type": view.get("type", "modal"),
        "title": view.get("title"),
        "submit": view.get("submit"),
        "close": view.get("close"),
        "blocks": copy.deepcopy(view.get("blocks") or []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "external_id": view.get("external_id", ""),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "state": {"values": {}},
        "hash": _new_hash(),
        "root_view_id": root or vid,
        "previous_view_id": previous,
        "app_id": APP_ID,
        "bot_id": BOT_ID,
        "user": user,
        "open": True,
        "errors": {},
    }


def _public(view: dict) -> dict:
    return {k: copy.deepcopy(v) for k, v in view.items() if k not in ("user", "open", "errors")}


def _stack(fake: FakeSlack, user: str) -> list[dict]:
    return [v for v in fake._views.values() if v["user"] == user and v["open"]]


def views_open(fake: FakeSlack, args: dict) -> dict:
    view = args.get("view")
    trig = fake.take_trigger(args.get("trigger_id"))
    check_view(view)
    with fake.lock:
        for v in _stack(fake, trig["user"]):
            v["open"] = False  # a new modal replaces whatever was open
        built = _build(fake, view, user=trig["user"])
        fake._views[built["id"]] = built
        fake._touch()
        return {"view": _public(built)}


def views_push(fake: FakeSlack, args: dict) -> dict:
    view = args.get("view")
    trig = fake.take_trigger(args.get("trigger_id"))
    check_view(view)
    with fake.lock:
        stack = _stack(fake, trig["user"])
        if not stack:
            raise SlackError("not_found")
        if len(stack) >= MAX_STACK:
            raise SlackError("push_limit_reached")
        built = _build(fake, view, user=trig["user"], root=stack[0]["id"], previous=stack[-1]["id"])
        fake._views[built["id"]] = built
        fake._touch()
        return {"view": _public(built)}


def _find(fake: FakeSlack, args: dict) -> dict:
    if args.get("view_id"):
        found = fake._views.get(args["view_id"])
    elif args.get("external_id"):
        found = next(
            (v for v in fake._views.values() if v["external_id"] == args["external_id"]), None
        )
    else:
        raise SlackError("invalid_arguments", errors=["view_id or external_id is required"])
    if found is None:
        raise SlackError("not_found")
    return found


def views_update(fake: FakeSlack, args: dict) -> dict:
    view = args.get("view")
    check_view(view)
    with fake.lock:
        current = _find(fake, args)
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        built = _build(
            fake,
            view,
            user=current["user"],
            view_id=current["id"],
            root=current["root_view_id"],
            previous=current["previous_view_id"],
        )
        built["open"] = current["open"]
        fake._views[current["id"]] = built
        fake._touch()
        return {"view": _public(built)}


def submitted_view(fake: FakeSlack, view_id: str, values: dict) -> dict:
    """The ``view`` object a view_submission carries: the view as shown, with its state."""
    with fake.lock:
        view = fake._views.get(view_id)
        if view is None:
            raise SlackError("not_found")
        view["state"] = {"values": copy.deepcopy(values)}
        return _public(view)


def apply_submission_ack(fake: FakeSlack, view_id: str, ack: dict | None) -> dict:
    """Do what Slack does with the app's answer to a view_submission.

    Returns ``{"closed": bool, "errors": {...}}`` for whoever shows the modal.
    """
    ack = ack or {}
    with fake.lock:
        view = fake._views.get(view_id)
        if view is None:
            raise SlackError("not_found")
        action = ack.get("response_action")
        view["errors"] = {}
        if action == "errors":
            view["errors"] = dict(ack.get("errors") or {})
            fake._touch()
            return {"closed": False, "errors": view["errors"]}
        if action == "update":
            check_view(ack.get("view"))
            updated = _build(
                fake,
                ack["view"],
                user=view["user"],
                view_id=view_id,
                root=view["root_view_id"],
                previous=view["previous_view_id"],
            )
            fake._views[view_id] = updated
        elif action == "push":
            check_view(ack.get("view"))
            stack = _stack(fake, view["user"])
            if len(stack) >= MAX_STACK:
                raise SlackError("push_limit_reached")
            pushed = _build(
                fake, ack["view"], user=view["user"], root=view["root_view_id"], previous=view_id
            )
            fake._views[pushed["id"]] = pushed
        elif action == "clear":
            for v in _stack(fake, view["user"]):
                v["open"] = False
        else:
            view["open"] = False
        fake._touch()
        return {
            "closed": not view["open"] if action not in ("update", "push") else False,
            "errors": {},
        }


def close_view(fake: FakeSlack, view_id: str) -> None:
    with fake.lock:
        view: Any = fake._views.get(view_id)
        if view is not None:
            view["open"] = False
            fake._touch()


def views_publish(fake: FakeSlack, args: dict) -> dict:
    """App Home: the view ``user_id`` sees on the bot's Home tab (replaced whole each time)."""
    view = args.get("view")
    user = args.get("user_id")
    with fake.lock:
        if not isinstance(user, str) or user not in fake.users:
            raise SlackError("user_not_found")
    if not isinstance(view, dict) or view.get("type") != "home":
        raise SlackError("invalid_arguments", errors=["a published view must be of type home"])
    check_view(view)
    with fake.lock:
        old = fake._homes.get(user)
        built = _build(fake, view, user=user, view_id=old["id"] if old else None)
        fake._views[built["id"]] = built | {"open": False}  # found by id when a button is clicked
        fake._homes[user] = built
        fake._touch()
        return {"view": _public(built)}
