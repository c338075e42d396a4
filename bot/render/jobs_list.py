"""The list message: filters, one row per job, Previous / Next. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.ids import Action, Block
from bot.payloads import ListState, RowAction, encode
from bot.seekrflow.models import DataJob, JobType, SortBy, SortOrder

from . import limits as L
from .elements import actions, button, grouped_select, option, overflow, static_select
from .text import clip, date_token, message, status_label

ANY_TYPE = "any"
# header + controls + scan note + pager (+ one spare for a note)
_OVERHEAD = 5
ROW_BLOCKS_MAX = L.MAX_BLOCKS - _OVERHEAD

TYPE_LABELS = {
    JobType.PRINCIPLE_FILES: "Principle files",
    JobType.CONTEXT_GROUNDED_FILES: "Context-grounded files",
    JobType.CONTEXT_GROUNDED_VECTOR_DB: "Context-grounded vector DB",
}
SORT_LABELS = {SortBy.CREATED_AT: "Created", SortBy.NAME: "Name", SortBy.JOB_TYPE: "Type"}
ORDER_LABELS = {SortOrder.DESC: "Descending", SortOrder.ASC: "Ascending"}


def controls_block_id(state: ListState) -> str:
    """The controls block carries the list state, so a select can re-render the same list."""
    return f"{Block.LIST_CONTROLS}|{encode(state)}"


def job_headline(job: DataJob) -> str:
    """A job's status and name, the first line wherever a job is listed."""
    return f"{status_label(job.status)} *{clip(job.name, 200)}*"


def job_updated_line(job: DataJob) -> str:
    """Its id and when it last changed (Home, link previews)."""
    return f"`{clip(job.id, 130)}` · updated {date_token(job.updated_at)}"


def job_line(job: DataJob) -> str:
    return (
        f"{job_headline(job)}\n"
        f"`{clip(job.id, 130)}` · {clip(job.job_type, 60)} · created {date_token(job.created_at)}"
    )


def _row_value(op: str, job: DataJob) -> str:
    return encode(RowAction(op=op, job_id=job.id))


def row_accessory_inspect(job: DataJob) -> dict[str, Any]:
    return button("Inspect", Action.ROW_INSPECT, _row_value("inspect", job))


def row_accessory(job: DataJob) -> dict[str, Any]:
    inspect = _row_value("inspect", job)
    if job.cancellable:
        cancel = _row_value("cancel", job)
        if max(len(inspect), len(cancel)) <= L.MAX_OPTION_VALUE:
            return overflow(
                Action.ROW_MENU, [option("Inspect", inspect), option("Cancel job…", cancel)]
            )
    return row_accessory_inspect(job)


def _controls(state: ListState) -> dict[str, Any]:
    types = [option("Any type", ANY_TYPE)] + [option(v, k.value) for k, v in TYPE_LABELS.items()]
    sorts = [option(f"Sort: {v}", k.value) for k, v in SORT_LABELS.items()]
    orders = [option(v, k.value) for k, v in ORDER_LABELS.items()]
    return actions(
        controls_block_id(state),
        static_select(
            Action.LIST_TYPE,
            "Job type",
            types,
            state.job_type.value if state.job_type else ANY_TYPE,
        ),
        static_select(Action.LIST_SORT, "Sort by", sorts, state.sort_by.value),
        static_select(Action.LIST_ORDER, "Order", orders, state.sort_order.value),
    )


def _pager(state: ListState, has_more: bool) -> dict[str, Any]:
    elements = []
    if state.offset > 0:
        prev = state.with_(offset=max(0, state.offset - state.limit))
        elements.append(button("◀ Previous", Action.LIST_PREV, encode(prev)))
    if has_more:
        elements.append(
            button(
                "Next ▶", Action.LIST_NEXT, encode(state.with_(offset=state.offset + state.limit))
            )
        )
    elements.append(button("Refresh", Action.LIST_REFRESH, encode(state)))
    return actions(Block.LIST_PAGER, *elements)


def filters_text(state: ListState) -> str:
    """The bot's own filters, as a person would say them ("" when none)."""
    parts = []
    if state.statuses:
        parts.append("status " + " or ".join(s.value.replace("_", " ") for s in state.statuses))
    if state.name:
        parts.append(f"name contains “{clip(state.name, 60)}”")
    return " · ".join(parts)


def _summary(state: ListState, shown: int) -> str:
    kind = TYPE_LABELS.get(state.job_type, "all types") if state.job_type else "all types"
    span = f"{state.offset + 1}–{state.offset + shown}" if shown else "none"
    filters = filters_text(state)
    return (
        f"*Data jobs* · {kind}{' · ' + filters if filters else ''} · sorted by "
        f"{SORT_LABELS[state.sort_by].lower()}, {ORDER_LABELS[state.sort_order].lower()} "
        f"· showing {span}"
    )


def scan_note(looked: int, bounded: bool) -> str:
    """How far a filtered list read: the filters are applied here, not by SeekrFlow."""
    if bounded:
        return (
            f":mag: I read the first {looked:,} jobs in this order, which is as far as one list "
            "goes; there may be more matches beyond. Narrow it with `type:` or `name:`."
        )
    return f":mag: Found by reading {looked:,} job(s) in this order."


def _compact_rows(jobs: Sequence[DataJob]) -> list[dict[str, Any]]:
    """Too many rows for one block each: pack them into texts and add one picker."""
    texts, left = L.chunk_lines([job_line(j) for j in jobs], max_chunks=ROW_BLOCKS_MAX - 2)
    blocks = [L.section(t) for t in texts]
    if left:
        blocks.append(L.context(L.more_note(left, "jobs on this page")))
    inspect = [option(clip(j.name, 75), _row_value("inspect", j)) for j in jobs]
    cancel = [option(clip(j.name, 75), _row_value("cancel", j)) for j in jobs if j.cancellable]
    fits = [o for o in inspect + cancel if len(o["value"]) <= L.MAX_OPTION_VALUE]
    if fits:
        blocks.append(
            actions(
                None,
                grouped_select(
                    Action.ROW_PICK,
                    "Inspect or cancel a job…",
                    [
                        ("Inspect", [o for o in inspect if o in fits]),
                        ("Cancel", [o for o in cancel if o in fits]),
                    ],
                ),
            )
        )
    return blocks


def list_message(
    jobs: Sequence[DataJob],
    state: ListState,
    *,
    has_more: bool,
    looked: int | None = None,
    bounded: bool = False,
) -> dict[str, Any]:
    """``jobs`` is the page to show (already cut to ``state.limit``); ``looked`` is how many
    jobs a filtered list read to find them."""
    blocks: list[dict[str, Any]] = [L.section(_summary(state, len(jobs))), _controls(state)]
    if looked is not None:
        blocks.append(L.context(scan_note(looked, bounded)))
    if not jobs:
        where = "on this page" if state.offset else "that this key can see"
        which = (
            " that match." if state.filtered else (" with that type." if state.job_type else ".")
        )
        blocks.append(L.section(f"No data jobs {where}{which}"))
    elif len(jobs) <= ROW_BLOCKS_MAX:
        blocks += [L.section(job_line(j), accessory=row_accessory(j)) for j in jobs]
    else:
        blocks += _compact_rows(jobs)
    blocks.append(_pager(state, has_more))
    text = f"{len(jobs)} data job(s): " + ", ".join(clip(j.name, 80) for j in jobs[:20])
    if len(jobs) > 20:
        text += f" {L.more_note(len(jobs) - 20, 'jobs')}"
    return message(text if jobs else "No data jobs to show.", blocks)
