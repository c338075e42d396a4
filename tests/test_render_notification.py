"""Notifications as data: one job's new status, a digest, and the subscriptions list."""

from __future__ import annotations

from bot.ids import Action
from bot.payloads import QuietRef, RowAction, SubsPage, decode
from bot.render.notification import MAX_FILES, render_digest, render_notification
from bot.render.subscriptions import PAGE_ROWS, subscriptions_list
from bot.values import TEAM, Dest, FileIssue, JobSnapshot, KeyRef, Quiet, Subscription
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


def menus(body) -> list[list[QuietRef]]:
    return [
        [decode(QuietRef, o["value"]) for o in b["accessory"]["options"]]
        for b in body["blocks"]
        if (b.get("accessory") or {}).get("action_id") == Action.SUBS_MENU
    ]


def test_each_subscription_rows_menu_acts_on_exactly_that_subscription():
    chan = Dest.channel("C0DATAJOBS")
    subs = [sub(chan, None, key_ref=KeyRef.user("U0CAROL")), sub(chan, "dj-7", f"x {HOSTILE}")]
    body = subscriptions_list(chan, subs)
    text = all_text(body)
    assert "<#C0DATAJOBS>" in text and "dj-7" in text and "<!channel>" not in text
    rows = menus(body)
    assert [[o.op for o in row] for row in rows] == [["hour", "morning", "mute", "unsubscribe"]] * 2
    assert {(o.dest, o.job_id, o.key_ref) for o in rows[0]} == {
        (chan, None, KeyRef.user("U0CAROL"))
    }
    assert {(o.dest, o.job_id, o.key_ref) for o in rows[1]} == {(chan, "dj-7", TEAM)}


def test_a_snoozed_row_says_until_when_and_offers_to_undo_it():
    me = Dest.dm("U1")
    body = subscriptions_list(
        me,
        [sub(me, "dj-1"), sub(me, "dj-2")],
        quiets={"dj-1": Quiet(me, "dj-1", 2_000_000_000_000), "dj-2": Quiet(me, "dj-2", 0)},
    )
    text = all_text(body)
    assert ":zzz: snoozed until <!date^2000000000^" in text and ":mute: muted" in text
    assert [[o.op for o in row] for row in menus(body)] == [
        ["hour", "morning", "unquiet", "unsubscribe"]
    ] * 2


def test_a_long_list_pages_within_slacks_limits():
    me = Dest.dm("U1")
    subs = [sub(me, f"dj-{i:02d}", f"job {i:02d}") for i in range(PAGE_ROWS * 2 + 5)]
    first = subscriptions_list(me, subs)
    last = subscriptions_list(me, subs, page=2)
    for body in (first, last):
        assert block_problems(body["blocks"], limit=50) == []
    assert "page 1 of 3" in all_text(first) and "page 3 of 3" in all_text(last)
    assert "job 00" in all_text(first) and "job 34" not in all_text(first)
    assert "job 34" in all_text(last) and "job 00" not in all_text(last)
    nxt = element(first, Action.SUBS_PAGE)
    assert decode(SubsPage, nxt["value"]) == SubsPage(dest=me, page=1)
    assert str(PAGE_ROWS * 2 + 5) in first["text"]


def test_in_a_channel_the_list_says_how_many_of_your_own_there_are():
    chan = Dest.channel("C1")
    text = all_text(subscriptions_list(chan, [], own=19))
    assert "none" in text and "19 subscriptions of your own" in text
    assert "/datajobs subscriptions mine" in text


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


def test_a_snooze_answer_names_the_job_escaped_and_says_until_when():
    from bot.outcomes import Quieted, Unquieted
    from bot.render.answers import answer

    def quieted(q: Quiet, tz: str, *, name: str) -> dict:
        return answer(Quieted(q, tz, name=name))

    def unquieted(dest: Dest, scope: str, **kw) -> dict:
        return answer(Unquieted(dest, scope, **kw))

    me = Dest.dm("U1")
    text = all_text(quieted(Quiet(me, "dj-1", 2_000_000_000_000), "Europe/Berlin", name=HOSTILE))
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "<!date^2000000000^" in text and "Europe/Berlin" in text and "one summary" in text
    muted = all_text(quieted(Quiet(me, "dj-1", 0), "UTC", name="x"))
    assert "Muted *x*" in muted and "unmuted" in muted
    back = all_text(unquieted(me, "dj-1", was=True, released=3, name="x"))
    assert "3 held changes follow in one summary" in back
