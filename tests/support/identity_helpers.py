"""Helpers for identity tests: log in through the modal, read everything in Redis."""

from __future__ import annotations

import secrets
from typing import Any

import redis as redis_sync

from bot.ids import Action, Block, View


def new_key(simulator, user_id: str, *, jobs: int = 1, team_id: str | None = None) -> str:
    """A fresh SeekrFlow key in the simulator for ``user_id``, owning ``jobs`` running jobs."""
    key = f"sk-test-{secrets.token_hex(12)}"
    simulator.control.add_key(key, user_id=user_id, team_id=team_id)
    for i in range(jobs):
        simulator.control.create_job(f"{user_id} job {i}", api_key=key, status="running")
    return key


def open_login(bot, user: str) -> dict:
    """``/datajobs login`` and return the modal that opened for ``user``."""
    response, _ = bot.command("login", user=user)
    assert response.status_code == 200, response.text
    views = bot.wait(
        lambda f: [v for v in f.open_views(user) if v.get("callback_id") == View.LOGIN]
    )
    return views[-1]


def submit_login(bot, view: dict, key: str, team: str = "", user: str = "U0CAROL") -> dict:
    """Submit the login modal; return the bot's answer to the submission (the ack body)."""
    values = {
        Block.LOGIN_KEY: {Action.LOGIN_KEY_INPUT: key},
        Block.LOGIN_TEAM: {Action.LOGIN_TEAM_INPUT: team},
    }
    response = bot.driver.submit(view, values, user=user)
    assert response.status_code == 200, response.text
    return response.json() if response.content.strip() else {}


def login(bot, user: str, key: str, team: str = "") -> dict:
    """Log in through the modal and return once the key is stored: when checking it takes
    longer than the ack allows, the answer is "Checking…" and the outcome comes later."""
    ack = submit_login(bot, open_login(bot, user), key, team, user=user)
    assert ack.get("response_action") == "update", ack
    if "Key linked" not in view_text(ack["view"]):
        bot.wait(
            lambda f: [
                c
                for c in f.calls("views.update")
                if "Key linked" in view_text(c.args.get("view") or {})
            ]
        )
    return ack


def view_text(view: dict[str, Any]) -> str:
    return "\n".join(str((b.get("text") or {}).get("text", "")) for b in view.get("blocks", []))


def every_redis_value(url: str) -> bytes:
    """Every key name and every value of every type in the whole Redis, joined."""
    r = redis_sync.Redis.from_url(url)
    out: list[bytes] = []
    try:
        for key in r.scan_iter(count=1000):
            out.append(key)
            kind = r.type(key).decode()
            if kind == "string":
                out.append(r.get(key) or b"")
            elif kind == "hash":
                for f, v in r.hgetall(key).items():
                    out += [f, v]
            elif kind == "list":
                out += r.lrange(key, 0, -1)
            elif kind == "set":
                out += list(r.smembers(key))
            elif kind == "zset":
                out += [m for m, _ in r.zrange(key, 0, -1, withscores=True)]
            elif kind == "stream":
                for _id, fields in r.xrange(key):
                    for f, v in fields.items():
                        out += [f, v]
                for group in r.xinfo_groups(key):
                    out.append(group["name"])
            else:
                raise AssertionError(f"unread Redis type {kind}")
    finally:
        r.close()
    return b"\n".join(out)
