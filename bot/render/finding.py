"""What a person sees when a job they named could not be found, or could be several. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.refs import Reference, RefKind
from bot.seekrflow.models import DataJob

from . import limits as L
from .jobs_list import job_line, row_accessory_inspect
from .text import clip, message

SHOWN_MAX = 10


def _whose(ref: Reference) -> str:
    if ref.kind is RefKind.PREFIX:
        return f"whose id starts with `{clip(ref.text, 120)}`"
    return f"whose name is or contains `{clip(ref.text, 120)}`"


def _list_hint(ref: Reference) -> str:
    if ref.kind is RefKind.PREFIX:
        return "Check the id with `/datajobs list`."
    return f'Try `/datajobs list name:"{clip(ref.text, 40)}"` to see what is there.'


def no_such_job_text(ref: Reference, looked: int, complete: bool) -> str:
    if complete:
        scope = (
            f"among the {looked:,} job(s) your key can see" if looked else "(your key sees no jobs)"
        )
        return f":mag: No job {_whose(ref)} {scope}. {_list_hint(ref)}"
    return (
        f":mag: No job {_whose(ref)} among the newest {looked:,} jobs, which is as far "
        "as I look. Give the job's id, or narrow it with `/datajobs list name:…`."
    )


def ambiguous_message(ref: Reference, matches: Sequence[DataJob], complete: bool) -> dict[str, Any]:
    """The candidates, each with an Inspect button; nothing has been done."""
    if complete:
        head = (
            f":twisted_rightwards_arrows: {len(matches)} jobs match `{clip(ref.text, 120)}`, "
            "so I did nothing. Pick one, or give its id:"
        )
    else:
        head = (
            f":twisted_rightwards_arrows: I looked only at the newest jobs, and these match "
            f"`{clip(ref.text, 120)}`; there may be others. Nothing was done: pick one, or give "
            "its id:"
        )
    blocks = [L.section(head)]
    blocks += [
        L.section(job_line(j), accessory=row_accessory_inspect(j)) for j in matches[:SHOWN_MAX]
    ]
    if len(matches) > SHOWN_MAX:
        blocks.append(L.context(L.more_note(len(matches) - SHOWN_MAX, "matching jobs") + " "
                                + _list_hint(ref)))  # fmt: skip
    return message(f"{len(matches)} jobs match `{clip(ref.text, 120)}`; nothing was done.", blocks)
