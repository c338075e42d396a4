"""Notifications as data: one job's new status, a digest, and the subscriptions list."""

from __future__ import annotations

from bot.ids import Action
from bot.payloads import QuietRef, RowAction, SubRef, decode
from bot.render.notification import MAX_FILES, render_digest, render_notification
from bot.render.subscriptions import MAX_ROWS, subscriptions_list
from bot.values import TEAM, Dest, FileIssue, JobSnapshot, KeyRef, Subscription
from sandbox.playground.blockcheck import block_problems
from tests.support.fixtures_bot import all_text, element

HOSTILE = "<!channel> <https://evil.example|click> @here & *bold*"


def snap(status="failed", **kw) -> JobSnapshot:
    base = dict(id="dj-1", name=f"ingest {HOSTILE}", status=status, job_type="principle_files")
    return JobSnapshot(**{**base, **kw})


def test_a_failure_names_the_job_its_message_and_each_file_with_its_fix():
    files = [FileIssue(name=f"f{i}.pdf", error=f"bad <{i}>", fix=f"fix {i}") for i in range(3)]
    body = render_notification(snap(message="alignment crashed <!here>", files=files, ran_s=125))
    text = all_text(body)
    assert "dj-1" in text and "2 min" in text
    for i in range(3):
        assert f"f{i}.pdf" in text and f"fix {i}" in text
    assert body["text"]  # a fallback for notifications and screen readers
    assert "<!channel>" not in text and "<!here>" not in text and "<https://" not in text
    assert block_problems(body["blocks"], limit=50) == []
    inspect = element(body, Action.ROW_INSPECT)
    assert decode(RowAction, inspect["value"]) == RowAction(op="inspect", job_id="dj-1")


def test_files_beyond_the_shown_ones_are_counted():
    files = [FileIssue(name=f"f{i}.pdf", error="bad") for i in range(MAX_FILES)]
    text = all_text(render_notification(snap(files=files, more_files=7)))
    assert f"f{MAX_FILES - 1}.pdf" in text and "7" in text


def test_a_completion_shows_no_problems():
    done = snap("completed", message="all good", files=[FileIssue(name="unseen.pdf")])
    body = render_notification(done)
    assert "all good" not in all_text(body) and "unseen.pdf" not in all_text(body)
    # headline with Inspect, the context line, and the menu (snooze, mute, why)
    assert [b["type"] for b in body["blocks"]] == ["section", "context", "actions"]


def test_a_thread_root_says_updates_are_in_the_thread():
    plain = all_text(render_notification(snap()))
    root = all_text(render_notification(snap(), thread_root=True))
    assert root != plain and root.startswith(plain.split("\n")[0])


def test_a_digest_counts_by_status_and_names_every_job_it_lists():
    snaps = [snap("failed", id=f"dj-{i}", name=f"job {i}") for i in range(3)]
    snaps.append(snap("completed", id="dj-9", name="done job"))
    body = render_digest(snaps)
    text = all_text(body)
    assert "3 failed" in body["text"] and "1 completed" in body["text"]
    for s in snaps:
        assert s.id in text and s.name in text
    assert block_problems(body["blocks"], limit=50) == []


def test_a_digest_of_part_of_a_burst_names_its_jobs_and_says_the_others_follow():
    snaps = [snap("completed", id=f"dj-{i}", name=f"job {i} <!channel>") for i in range(40)]
    body = render_digest(snaps, more=60)
    text = all_text(body)
    assert all(s.id in text for s in snaps) and "<!channel>" not in text
    assert "100 subscribed jobs changed" in text and "the other 60 follow" in text
    assert block_problems(body["blocks"], limit=50) == []


def sub(dest: Dest, job_id: str | None, name: str | None = None, key_ref: KeyRef = TEAM):
    return Subscription(dest=dest, job_id=job_id, key_ref=key_ref, events=("failed",), by="U1",
                        at_ms=0, job_name=name)  # fmt: skip


def test_each_subscription_row_unsubscribes_exactly_that_subscription():
    chan = Dest.channel("C0DATAJOBS")
    subs = [sub(chan, None, key_ref=KeyRef.user("U0CAROL")), sub(chan, "dj-7", f"x {HOSTILE}")]
    body = subscriptions_list(chan, subs)
    text = all_text(body)
    assert "<#C0DATAJOBS>" in text and "dj-7" in text and "<!channel>" not in text
    values = [
        decode(SubRef, b["accessory"]["value"])
        for b in body["blocks"]
        if (b.get("accessory") or {}).get("action_id") == Action.SUBS_UNSUBSCRIBE
    ]
    assert values == [
        SubRef(dest=chan, job_id=None, key_ref=KeyRef.user("U0CAROL")),
        SubRef(dest=chan, job_id="dj-7", key_ref=TEAM),
    ]


def test_a_long_list_stays_within_slacks_limits_and_says_how_many_more():
    me = Dest.dm("U1")
    subs = [sub(me, f"dj-{i}", f"job {i}") for i in range(MAX_ROWS + 15)]
    body = subscriptions_list(me, subs)
    assert block_problems(body["blocks"], limit=50) == []
    assert "15" in all_text(body["blocks"][-1])
    assert str(MAX_ROWS + 15) in body["text"]


def test_a_broken_target_says_why_in_words():
    chan = Dest.channel("C1")
    text = all_text(subscriptions_list(chan, [sub(chan, "dj-1")], broken="is_archived"))
    assert "archived" in text and "is_archived" not in text


def test_no_subscriptions_says_how_to_make_one():
    text = all_text(subscriptions_list(Dest.dm("U1"), []))
    assert "/datajobs subscribe" in text


def test_a_notification_menu_snoozes_mutes_and_asks_why_about_its_own_job():
    menu = element(render_notification(snap(id="dj-7")), Action.NOTE_MENU)
    ops = [decode(QuietRef, o["value"]) for o in menu["options"]]
    assert [o.op for o in ops] == ["hour", "morning", "mute", "unquiet", "why"]
    assert {o.job_id for o in ops} == {"dj-7"} and all(o.dest is None for o in ops)
    assert "1 hour" in menu["options"][0]["text"]["text"]


def test_a_running_job_shows_progress_and_eta_and_others_do_not():
    running = render_notification(snap("running", progress=42.0, eta_min=12, step="Align <x>"))
    text = all_text(running)
    assert "42%" in text and "12 min left" in text and "Align &lt;x&gt;" in text
    assert "%" not in all_text(render_notification(snap("completed", progress=42.0)))
