"""The compact card a link to a job unfurls into: name, status, progress, Inspect. Pure."""

from __future__ import annotations

from typing import Any

from bot.ids import Action, View
from bot.payloads import RowAction, encode
from bot.seekrflow.models import DataJobDetail

from . import limits as L
from .elements import button
from .jobs_list import job_headline, job_updated_line
from .text import clip, message, percent, progress_bar


def job_preview(job: DataJobDetail) -> dict[str, Any]:
    """One unfurl (``chat.unfurl``'s value for a URL): blocks only."""
    lines = [job_headline(job)]
    aj = job.alignment_job
    pct = percent(aj.progress) if aj else None
    if pct is not None:
        lines.append(f"`{progress_bar(pct)}`")
    if job.status_message:
        lines.append(clip(job.status_message, 300))
    lines.append(job_updated_line(job))
    inspect = encode(RowAction(op="inspect", job_id=job.id))
    return {
        "blocks": [
            L.section("\n".join(lines), accessory=button("Inspect", Action.ROW_INSPECT, inspect))
        ]
    }


def jobs_modal(previews: list[dict[str, Any]], missing: int) -> dict[str, Any]:
    """The jobs of a message, in a modal (where an ephemeral message cannot go): no buttons,
    since a modal's buttons have nowhere to answer; ``/datajobs inspect`` has them."""
    blocks = []
    for p in previews:
        for b in p["blocks"]:
            blocks.append({k: v for k, v in b.items() if k != "accessory"})
    if missing:
        blocks.append(L.context(missing_text(missing)))
    blocks.append(L.context("`/datajobs inspect <id>` shows a card with its buttons."))
    return {
        "type": "modal",
        "callback_id": View.JOBS_IN_MESSAGE,
        "title": {"type": "plain_text", "text": "Data jobs"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks[: L.MAX_BLOCKS],
    }


def missing_text(missing: int) -> str:
    return (
        f":mag: {missing} job id(s) in that message are not jobs your key can see "
        "(or no longer exist)."
    )


NO_IDS = message(
    ":mag: I found no data job id (`dj-…`) in that message. The shortcut shows the jobs "
    "whose full ids a message holds."
)
