"""The list message as data: rows, paging, selects, and Block Kit limits at 100 rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ids import Action, Block
from bot.payloads import ListState, RowAction, decode
from bot.render.jobs_list import ROW_BLOCKS_MAX, list_message
from bot.seekrflow import DataJob
from sandbox.playground.blockcheck import block_problems

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def job(i: int, status: str = "completed", name: str | None = None) -> DataJob:
    return DataJob(
        id=f"dj-{i:08d}-0000-4000-8000-000000000000",
        user_id="u",
        name=name or f"Job {i}",
        job_type="principle_files",
        status=status,
        created_at=T0 + timedelta(hours=i),
        updated_at=T0 + timedelta(hours=i),
    )


def elements(msg, action_id):
    found = []
    for b in msg["blocks"]:
        for el in [*list(b.get("elements") or []), b.get("accessory")]:
            if isinstance(el, dict) and el.get("action_id") == action_id:
                found.append(el)
    return found


def test_rows_have_status_name_id_type_and_date():
    msg = list_message([job(1, "failed")], ListState(), has_more=False)
    row = next(b for b in msg["blocks"] if b.get("accessory"))
    text = row["text"]["text"]
    assert ":x: failed" in text and "*Job 1*" in text and "dj-00000001" in text
    assert "principle_files" in text and "<!date^" in text
    assert row["accessory"]["action_id"] == Action.ROW_INSPECT  # nothing to cancel
    assert decode(RowAction, row["accessory"]["value"]).op == "inspect"


def test_cancellable_rows_get_inspect_and_cancel():
    msg = list_message([job(1, "running")], ListState(), has_more=False)
    menu = next(b for b in msg["blocks"] if b.get("accessory"))["accessory"]
    assert menu["type"] == "overflow"
    ops = [decode(RowAction, o["value"]).op for o in menu["options"]]
    assert ops == ["inspect", "cancel"]


def test_paging_buttons():
    first = list_message([job(i) for i in range(10)], ListState(), has_more=True)
    assert elements(first, Action.LIST_PREV) == [] and len(elements(first, Action.LIST_NEXT)) == 1
    nxt = decode(ListState, elements(first, Action.LIST_NEXT)[0]["value"])
    assert nxt.offset == 10 and nxt.limit == 10
    last = list_message([job(1)], ListState(offset=20), has_more=False)
    assert elements(last, Action.LIST_NEXT) == []
    prev = decode(ListState, elements(last, Action.LIST_PREV)[0]["value"])
    assert prev.offset == 10


def test_controls_carry_the_state_and_show_the_current_choice():
    state = ListState(job_type="context_grounded_files", sort_by="name", sort_order="asc", limit=7)
    msg = list_message([job(1)], state, has_more=False)
    controls = next(
        b for b in msg["blocks"] if b.get("block_id", "").startswith(Block.LIST_CONTROLS)
    )
    assert decode(ListState, controls["block_id"].split("|", 1)[1]) == state
    chosen = {el["action_id"]: el["initial_option"]["value"] for el in controls["elements"]}
    assert chosen == {
        Action.LIST_TYPE: "context_grounded_files",
        Action.LIST_SORT: "name",
        Action.LIST_ORDER: "asc",
    }


def test_empty_list_says_so():
    msg = list_message([], ListState(job_type="principle_files"), has_more=False)
    assert "No data jobs that this key can see with that type." in str(msg["blocks"])
    assert msg["text"] == "No data jobs to show."


def test_a_page_of_100_fits_block_kit_and_keeps_every_job_reachable():
    jobs = [
        job(i, "running" if i % 3 else "completed", name=f"<b>{'n' * 240}</b> {i}")
        for i in range(100)
    ]
    msg = list_message(jobs, ListState(limit=100), has_more=True)
    assert block_problems(msg["blocks"], limit=50) == []
    assert len(msg["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in msg["blocks"] if b.get("text"))
    (picker,) = elements(msg, Action.ROW_PICK)
    groups = {g["label"]["text"]: g["options"] for g in picker["option_groups"]}
    assert len(groups["Inspect"]) == 100 and len(groups["Cancel"]) == 66
    assert all(
        len(o["text"]["text"]) <= 75 and len(o["value"]) <= 150
        for opts in groups.values()
        for o in opts
    )
    shown = " ".join(b["text"]["text"] for b in msg["blocks"] if b.get("text"))
    assert all(f"dj-{i:08d}" in shown for i in range(100))
    assert "&lt;b&gt;" in shown and "<b>" not in shown
    assert len(msg["text"]) <= 3000


def test_up_to_the_row_budget_each_job_has_its_own_row():
    jobs = [job(i) for i in range(ROW_BLOCKS_MAX)]
    msg = list_message(jobs, ListState(limit=ROW_BLOCKS_MAX), has_more=False)
    assert len([b for b in msg["blocks"] if b.get("accessory")]) == ROW_BLOCKS_MAX
    assert len(msg["blocks"]) <= 50
    assert block_problems(msg["blocks"], limit=50) == []
