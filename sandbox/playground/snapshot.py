"""A JSON picture of the fake workspace, for the playground page and for debugging."""

from __future__ import annotations

from .fake import FakeSlack


def snapshot(fake: FakeSlack, calls_tail: int = 40) -> dict:
    with fake.lock:
        channels = [
            c.to_api() | {"name": c.name or _dm_name(fake, c.user), "members": sorted(c.members)}
            for c in fake.channels.values()
        ]
        users = [u.to_api() for u in fake.users.values()]
        views = [{k: v for k, v in view.items()} for view in fake._views.values() if view["open"]]
        calls = [
            {
                "method": c.method,
                "ok": c.response.get("ok"),
                "error": c.response.get("error"),
                "status": c.status,
                "ts": c.ts,
                "channel": c.args.get("channel"),
            }
            for c in fake._calls[-calls_tail:]
        ]
        calls += [
            {
                "method": "response_url",
                "ok": "error" not in p,
                "error": p.get("error"),
                "status": 200 if "error" not in p else 400,
                "ts": p.get("ts", 0),
                "channel": (p.get("result") or {}).get("channel"),
                "action": (p.get("result") or {}).get("action"),
            }
            for p in fake._response_posts[-calls_tail:]
        ]
        calls = sorted(calls, key=lambda c: c["ts"])[-calls_tail:]
        return {
            "version": fake.version,
            "bot_user_id": fake.bot_user_id,
            "channels": channels,
            "users": users,
            "messages": fake.all_messages(),
            "ephemerals": fake.ephemerals(),
            "views": views,
            "homes": {u: v for u, v in fake._homes.items()},
            "calls": calls,
            "hints": list(fake.hints),
            "shortcuts": list(fake.shortcuts),
        }


def _dm_name(fake: FakeSlack, user_id: str | None) -> str:
    user = fake.users.get(user_id or "")
    return user.name if user else (user_id or "")
