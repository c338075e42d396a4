"""A client for a person's own linked key: a 401/403 tells them to link a new key.

The team key's rejection is for whoever runs the bot to fix; a linked key's
rejection is the person's to fix, so the error says so (``detail="personal"``).
"""

from __future__ import annotations

from typing import Any

PERSONAL_KEY_REJECTED = (
    "SeekrFlow rejected your linked key (revoked or expired?). Use `/datajobs login` "
    "with a new key, or `/datajobs logout` to act with the team key."
)


class PersonalClient:
    def __init__(self, client: Any):
        self._client = client

    def __repr__(self) -> str:
        return f"PersonalClient({self._client!r})"

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        async def call(*args: Any, **kwargs: Any) -> Any:
            from bot.seekrflow import KeyRejected

            try:
                return await attr(*args, **kwargs)
            except KeyRejected as exc:
                raise KeyRejected(PERSONAL_KEY_REJECTED, status=exc.status,
                                  detail="personal") from None

        return call
