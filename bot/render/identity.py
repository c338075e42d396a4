"""Pure Block Kit for login, logout and whoami: data in, dicts out. Never a key in the output."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.ids import Action, Block, View
from bot.values import Identity, KeyRef, Mode

from .text import date_token, esc, message, mrkdwn, plain

KEY_MAX = 512
TEAM_ID_MAX = 128

KEY_IN_TEXT = (
    ":no_entry: I did not keep that. Never type a key into a command: the text has already "
    "passed through Slack. *Rotate that key in SeekrFlow now* (revoke it and make a new one), "
    "then run `/datajobs login` with nothing after it and paste the new key into the form."
)
NOT_STORED_NO_ENCRYPTION = (
    ":lock: This bot cannot keep personal SeekrFlow keys: its administrator has not set "
    "`BOT_ENCRYPTION_KEY`, and keys are never stored unencrypted. Ask them to set it."
)


def login_modal(*, private_metadata: str, error: str | None = None) -> dict[str, Any]:
    """The form for a key and an optional team id. ``error`` is shown above the fields."""
    intro = (
        "Paste your SeekrFlow API key. The bot checks it with SeekrFlow, keeps it "
        "encrypted, and from then on acts with it for you: you see and change what this "
        "key may. `/datajobs logout` forgets it."
    )
    blocks: list[dict[str, Any]] = [{"type": "section", "text": mrkdwn(intro)}]
    if error:
        blocks.append({"type": "section", "text": mrkdwn(f":warning: {esc(error)}")})
    blocks += [
        {
            "type": "input",
            "block_id": Block.LOGIN_KEY,
            "label": plain("SeekrFlow API key"),
            "element": {
                "type": "plain_text_input",
                "action_id": Action.LOGIN_KEY_INPUT,
                "max_length": KEY_MAX,
                "placeholder": plain("Paste the key here"),
            },
        },
        {
            "type": "input",
            "block_id": Block.LOGIN_TEAM,
            "optional": True,
            "label": plain("Team id"),
            "hint": plain("Only if your key acts for an RBAC team (SEEKR_TEAM_ID)."),
            "element": {
                "type": "plain_text_input",
                "action_id": Action.LOGIN_TEAM_INPUT,
                "max_length": TEAM_ID_MAX,
            },
        },
    ]
    return {
        "type": "modal",
        "callback_id": View.LOGIN,
        "title": plain("Link SeekrFlow key"),
        "submit": plain("Link"),
        "close": plain("Cancel"),
        "private_metadata": private_metadata,
        "blocks": blocks,
    }


def checking_modal() -> dict[str, Any]:
    return _notice_modal(":hourglass_flowing_sand: Checking your key with SeekrFlow…")


def linked_text(account: str | None, team_id: str | None) -> str:
    who = (
        f"SeekrFlow account `{esc(account)}`"
        if account
        else ("your SeekrFlow account (it has no data jobs yet, so I cannot name it)")
    )
    team = f", team `{esc(team_id)}`" if team_id else ""
    return (
        f":white_check_mark: Key linked: it works for {who}{team}. Everything you do with "
        "`/datajobs` now runs with this key. `/datajobs whoami` shows it, "
        "`/datajobs logout` forgets it."
    )


def linked_modal(account: str | None, team_id: str | None) -> dict[str, Any]:
    return _notice_modal(linked_text(account, team_id))


def _notice_modal(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": f"{View.LOGIN}_done",
        "title": plain("Link SeekrFlow key"),
        "close": plain("Done"),
        "blocks": [{"type": "section", "text": mrkdwn(text)}],
    }


def logout_message(had_key: bool, *, team_key: bool) -> dict[str, Any]:
    if not had_key:
        return message("You had no SeekrFlow key linked; nothing to forget.")
    after = (
        "From now on the team key acts for you (reading; changes need an operator)."
        if team_key
        else "No key acts for you now: `/datajobs login` to link one again."
    )
    return message(
        f":wave: Your SeekrFlow key is forgotten. {after} Subscriptions you made "
        "with it are paused until you log in again."
    )


def _when(ts: float | None) -> str:
    if not ts:
        return ""
    return f", linked {date_token(datetime.fromtimestamp(ts, tz=UTC))}"


def whoami_message(
    identity: Identity,
    *,
    linked_at: float | None = None,
    can_store_keys: bool = True,
    key_dead: bool = False,
    operators_configured: bool = True,
    key_unreadable: bool = False,
) -> dict[str, Any]:
    lines: list[str] = []
    if key_unreadable:
        lines.append(
            ":warning: The key you linked can no longer be decrypted (the bot's "
            "`BOT_ENCRYPTION_KEY` changed), so it is not used: `/datajobs login` again."
        )
    if identity.mode is Mode.PERSONAL:
        acct = f"account `{esc(identity.account)}`" if identity.account else "its account"
        team = f", team `{esc(identity.team_id)}`" if identity.team_id else ""
        lines.append(
            f":bust_in_silhouette: You act with *your own SeekrFlow key* ({acct}{team}"
            f"{_when(linked_at)})."
        )
        lines.append(
            "You may list, inspect, rename, cancel and subscribe (also channels): "
            "whatever that key may do in SeekrFlow. `/datajobs logout` forgets it."
        )
        if key_dead:
            lines.append(
                ":warning: SeekrFlow stopped accepting it (revoked?). "
                "`/datajobs login` with a new key."
            )
    elif identity.mode is Mode.TEAM and identity.operator:
        lines.append(":busts_in_silhouette: You act with the *team key*, as an *operator*.")
        lines.append(
            "You may list, inspect, rename, cancel and subscribe (also channels). "
            "`/datajobs login` to act with your own key instead."
        )
    elif identity.mode is Mode.TEAM:
        lines.append(":busts_in_silhouette: You act with the *team key*, for reading.")
        lines.append(
            "You may list, inspect and subscribe yourself. Renaming, cancelling and "
            "subscribing a channel need an operator"
            + ("" if operators_configured else " (none are configured)")
            + ", or your own key: `/datajobs login`."
        )
    else:
        lines.append(":no_entry: No SeekrFlow key acts for you: this workspace has no team key.")
        lines.append("`/datajobs login` to link your own key.")
    if identity.mode is not Mode.PERSONAL and not can_store_keys:
        lines.append("_This bot cannot keep personal keys: `BOT_ENCRYPTION_KEY` is not set._")
    return message("\n".join(lines))


def pause_text(key_ref: KeyRef, reason: str, count: int) -> str:
    """Told once to each target whose subscriptions paused because ``key_ref`` stopped working."""
    owner = key_ref.owner
    whose = f"<@{owner}>'s SeekrFlow key" if owner else "the team's SeekrFlow key (SEEKR_API_KEY)"
    fix = (
        (
            f"<@{owner}> can `/datajobs login` again to resume them, or someone can "
            "`/datajobs subscribe` again with their own key."
        )
        if owner
        else ("They resume once whoever runs the bot fixes the key.")
    )
    subs = "1 job subscription here is" if count == 1 else f"{count} job subscriptions here are"
    return f":pause_button: {subs} paused: {whose} {reason}. {fix}"
