"""Button, select and overflow handlers."""

from __future__ import annotations

from typing import Any

from bot.ids import LIST_ACTIONS, ROW_ACTIONS, Action, Shortcut
from bot.listening import listener

from .home_actions import on_home_job, on_home_login, on_home_refresh, on_home_unsubscribe
from .job_actions import on_cancel, on_refresh, on_rename
from .lifecycle_actions import on_retry, on_skip_start, on_start
from .list_actions import on_list_action
from .menu_actions import on_note_menu, on_subs_menu, on_subs_page
from .note_actions import on_note_claim, on_note_retry, on_note_skip, on_note_unclaim
from .row_actions import on_row_action
from .shortcut_actions import on_inspect_message
from .subscribe_actions import on_job_subscribe, on_job_unsubscribe, on_list_unsubscribe


def register(app: Any) -> None:
    for action_id in LIST_ACTIONS:
        app.action(action_id)(listener(on_list_action))
    for action_id in ROW_ACTIONS:
        app.action(action_id)(listener(on_row_action))
    app.action(Action.JOB_REFRESH)(listener(on_refresh))
    app.action(Action.JOB_CANCEL)(listener(on_cancel))
    app.action(Action.JOB_RENAME)(listener(on_rename))
    app.action(Action.JOB_START)(listener(on_start))
    app.action(Action.JOB_SKIP_START)(listener(on_skip_start))
    app.action(Action.JOB_RETRY)(listener(on_retry))
    app.action(Action.JOB_SUBSCRIBE)(listener(on_job_subscribe))
    app.action(Action.JOB_UNSUBSCRIBE)(listener(on_job_unsubscribe))
    app.action(Action.SUBS_UNSUBSCRIBE)(listener(on_list_unsubscribe))
    app.action(Action.SUBS_MENU)(listener(on_subs_menu))
    app.action(Action.SUBS_PAGE)(listener(on_subs_page))
    app.action(Action.NOTE_MENU)(listener(on_note_menu))
    app.action(Action.NOTE_RETRY)(listener(on_note_retry))
    app.action(Action.NOTE_SKIP_START)(listener(on_note_skip))
    app.action(Action.NOTE_CLAIM)(listener(on_note_claim))
    app.action(Action.NOTE_UNCLAIM)(listener(on_note_unclaim))
    app.action(Action.HOME_REFRESH)(listener(on_home_refresh))
    app.action(Action.HOME_LOGIN)(listener(on_home_login))
    for action_id in (Action.HOME_INSPECT, Action.HOME_START, Action.HOME_SKIP_START,
                      Action.HOME_RETRY):  # fmt: skip
        app.action(action_id)(listener(on_home_job))
    app.action(Action.HOME_UNSUBSCRIBE)(listener(on_home_unsubscribe))
    app.shortcut(Shortcut.INSPECT_MESSAGE)(listener(on_inspect_message))
