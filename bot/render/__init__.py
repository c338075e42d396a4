"""Pure Block Kit rendering: models in, message and view dicts out."""

from .job_card import job_card
from .jobs_list import list_message
from .modal import name_problem, rename_modal, unavailable_modal
from .notices import cancel_prompt, cancelled_note, help_message, notice, renamed_text
from .text import clip, date_token, esc, message, status_emoji, status_label

__all__ = [
    "cancel_prompt",
    "cancelled_note",
    "clip",
    "date_token",
    "esc",
    "help_message",
    "job_card",
    "list_message",
    "message",
    "name_problem",
    "notice",
    "rename_modal",
    "renamed_text",
    "status_emoji",
    "status_label",
    "unavailable_modal",
]
