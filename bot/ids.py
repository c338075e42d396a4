"""Every Slack identifier the bot uses: the command, action_ids, callback_ids, block_ids, and
the bot scopes it asks for.

``manifest.yaml`` is held to these by a test.
"""

from __future__ import annotations

from enum import StrEnum


class Command(StrEnum):
    DATAJOBS = "/datajobs"


class Action(StrEnum):
    # list message
    LIST_TYPE = "list_type"
    LIST_SORT = "list_sort"
    LIST_ORDER = "list_order"
    LIST_PREV = "list_prev"
    LIST_NEXT = "list_next"
    LIST_REFRESH = "list_refresh"
    ROW_INSPECT = "row_inspect"
    ROW_MENU = "row_menu"
    ROW_PICK = "row_pick"
    # job card
    JOB_REFRESH = "job_refresh"
    JOB_RENAME = "job_rename"
    JOB_CANCEL = "job_cancel"
    JOB_SUBSCRIBE = "job_subscribe"
    JOB_UNSUBSCRIBE = "job_unsubscribe"
    JOB_START = "job_start"
    JOB_SKIP_START = "job_skip_start"
    JOB_RETRY = "job_retry"
    # subscriptions list
    SUBS_UNSUBSCRIBE = "subs_unsubscribe"
    SUBS_MENU = "subs_menu"
    SUBS_PAGE = "subs_page"
    # a notification's menu (snooze, mute, why)
    NOTE_MENU = "note_menu"
    NOTE_RETRY = "note_retry"
    NOTE_SKIP_START = "note_skip_start"
    NOTE_CLAIM = "note_claim"
    NOTE_UNCLAIM = "note_unclaim"
    # App Home
    HOME_REFRESH = "home_refresh"
    HOME_LOGIN = "home_login"
    HOME_INSPECT = "home_inspect"
    HOME_START = "home_start"
    HOME_SKIP_START = "home_skip_start"
    HOME_RETRY = "home_retry"
    HOME_UNSUBSCRIBE = "home_unsubscribe"
    # rename modal input
    RENAME_INPUT = "rename_input"
    # login modal inputs
    LOGIN_KEY_INPUT = "login_key_input"
    LOGIN_TEAM_INPUT = "login_team_input"


class View(StrEnum):
    RENAME = "rename_job"
    LOGIN = "login"
    JOBS_IN_MESSAGE = "jobs_in_message"


class Shortcut(StrEnum):
    """callback_ids of the shortcuts declared in ``manifest.yaml``."""

    INSPECT_MESSAGE = "inspect_data_jobs"


class Block(StrEnum):
    LIST_CONTROLS = "list_controls"
    LIST_PAGER = "list_pager"
    JOB_ACTIONS = "job_actions"
    RENAME_NAME = "rename_name"
    LOGIN_KEY = "login_key"
    LOGIN_TEAM = "login_team"


LIST_ACTIONS = (
    Action.LIST_TYPE,
    Action.LIST_SORT,
    Action.LIST_ORDER,
    Action.LIST_PREV,
    Action.LIST_NEXT,
    Action.LIST_REFRESH,
)
ROW_ACTIONS = (Action.ROW_INSPECT, Action.ROW_MENU, Action.ROW_PICK)
HOME_ACTIONS = (
    Action.HOME_REFRESH,
    Action.HOME_LOGIN,
    Action.HOME_INSPECT,
    Action.HOME_START,
    Action.HOME_SKIP_START,
    Action.HOME_RETRY,
    Action.HOME_UNSUBSCRIBE,
)

# The bot scopes manifest.yaml asks for (a test keeps the two equal; `doctor` checks a token).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "channels:read",
    "groups:read",
    "im:read",
    "mpim:read",
    "channels:history",
    "groups:history",
    "im:history",
    "mpim:history",
    "usergroups:read",
    "users:read",
    "links:read",
    "links:write",
)
