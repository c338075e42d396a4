"""The job card as data: fields, progress, ETA, files, timeline, buttons, and limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ids import Action
from bot.payloads import JobRef, decode
from bot.render.job_card import job_card
from bot.seekrflow import DataJobDetail
from sandbox.playground.blockcheck import block_problems

NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)


def detail(status="running", *, failed=0, ok=0, alignment=None, timeline=0, **extra):
    records = [
        dict(
            record_id=f"r{i}",
            ingestion_job_id="ij",
            alignment_file_id=f"f{i}",
            user_id="u",
            filename=f"file-{i}.pdf",
            status="failed",
            error_message=f"Unreadable PDF <{i}>" + " detail" * 30,
            suggested_fix="Re-export the PDF & upload it again",
            created_at=NOW,
        )
        for i in range(failed)
    ]
    records += [
        dict(
            record_id=f"ok{i}",
            ingestion_job_id="ij",
            alignment_file_id=f"g{i}",
            user_id="u",
            filename=f"good-{i}.pdf",
            status="completed",
            created_at=NOW,
        )
        for i in range(ok)
    ]
    events = [
        dict(
            timestamp=NOW - timedelta(minutes=timeline - i),
            event_type="status",
            message=f"event {i}",
        )
        for i in range(timeline)
    ]
    return DataJobDetail(
        id="dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",
        user_id="u",
        name="Support docs",
        job_type="principle_files",
        status=status,
        created_at=NOW,
        updated_at=NOW,
        ingestion_jobs=[
            dict(id="ij", status="completed", created_at=NOW, updated_at=NOW, records=records)
        ]
        if records
        else [],
        alignment_job=alignment,
        timeline=events,
        **extra,
    )


def text(msg):
    return (
        "\n".join(b["text"]["text"] for b in msg["blocks"] if isinstance(b.get("text"), dict))
        + "\n".join(f["text"] for b in msg["blocks"] for f in b.get("fields") or [])
        + "\n".join(
            e.get("text", "")
            for b in msg["blocks"]
            if b["type"] == "context"
            for e in b["elements"]
        )
    )


def buttons(msg):
    return {
        el["action_id"]: el for b in msg["blocks"] if b["type"] == "actions" for el in b["elements"]
    }


def test_card_shows_what_a_person_needs():
    msg = job_card(detail(status_message="Aligning step 2 of 3"), now=NOW)
    t = text(msg)
    for part in (
        "Support docs",
        ":arrows_counterclockwise: running",
        "Aligning step 2 of 3",
        "dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",
        "principle_files",
        "<!date^",
    ):
        assert part in t
    assert msg["text"].startswith("running: Support docs")


def test_progress_bar_step_and_eta():
    msg = job_card(
        detail(
            alignment={
                "status": "running",
                "progress": "42.5",
                "current_step": "generating",
                "step_progress": 10,
                "eta_minutes": 30,
            }
        ),
        now=NOW,
    )
    t = text(msg)
    assert "▓" * 8 + "░" * 12 + " 42%" in t
    assert "*Step:* generating (10%)" in t
    eta = int((NOW + timedelta(minutes=30)).timestamp())
    assert f"<!date^{eta}^" in t and "about 30 min" in t


def test_estimated_completion_wins_over_minutes():
    at = NOW + timedelta(hours=2)
    msg = job_card(
        detail(alignment={"progress": 5, "estimated_completion_at": at, "eta_minutes": 1}), now=NOW
    )
    assert f"<!date^{int(at.timestamp())}^" in text(msg)


def test_files_counts_and_failed_files_with_fixes():
    msg = job_card(detail("needs_review", failed=2, ok=3), now=NOW)
    t = text(msg)
    assert "*Files (5):* completed: 3 · failed: 2" in t
    assert "*file-0.pdf*: Unreadable PDF &lt;0&gt;" in t
    assert "_Fix:_ Re-export the PDF &amp; upload it again" in t


def test_timeline_shows_the_last_five():
    t = text(job_card(detail(timeline=9), now=NOW))
    assert "last 5 of 9" in t and "event 8" in t and "event 4" in t and "event 3" not in t


def test_buttons_follow_the_status():
    running = buttons(job_card(detail("running"), now=NOW))
    assert {Action.JOB_REFRESH, Action.JOB_RENAME, Action.JOB_CANCEL} <= set(running)
    cancel = running[Action.JOB_CANCEL]
    assert cancel["style"] == "danger"
    assert "Support docs" in cancel["confirm"]["text"]["text"]
    assert len(cancel["confirm"]["text"]["text"]) <= 300
    assert decode(JobRef, running[Action.JOB_RENAME]["value"]).name == "Support docs"
    for status in ("completed", "failed", "cancelled", "needs_review", "mystery"):
        assert Action.JOB_CANCEL not in buttons(job_card(detail(status), now=NOW))


def test_unknown_status_is_shown_not_a_crash():
    assert ":grey_question: teleporting" in text(job_card(detail("teleporting"), now=NOW))


def test_500_failed_files_stay_within_block_kit_limits():
    msg = job_card(detail("needs_review", failed=500), now=NOW)
    assert block_problems(msg["blocks"], limit=50) == []
    assert len(msg["blocks"]) <= 50
    assert all(
        len(b["text"]["text"]) <= 3000 for b in msg["blocks"] if isinstance(b.get("text"), dict)
    )
    t = text(msg)
    shown = t.count("_Fix:_")
    assert 0 < shown < 500
    assert f"+{500 - shown} more failed files" in t
    assert Action.JOB_REFRESH in buttons(msg)  # the buttons survive the truncation


def test_notes_come_first():
    msg = job_card(detail("cancelled"), now=NOW, notes=["Cancelled by <@U1>"])
    assert msg["blocks"][1]["type"] == "context"
    assert msg["blocks"][1]["elements"][0]["text"] == "Cancelled by <@U1>"
