"""Subscribing and unsubscribing, shared by the commands and the buttons.

Rules: a DM subscription is the person's own and needs only read access; a
channel's subscription belongs to the channel and needs the right to change
things (``subscribe_channel`` / ``unsubscribe_channel`` in ``bot.access``). The
bot checks a channel can take its messages before subscribing it. Each
subscription records the key (``key_ref``) the watcher polls it with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.errors import NotAllowed
from bot.identity.audit import AuditAction
from bot.render import subscriptions as R
from bot.render.text import clip
from bot.seekrflow import TERMINAL
from bot.store import SubscriptionStore, channel_dest, dm_dest

from .subscribe_parse import Subscribe, Target, Unsubscribe

_BOT_NAME: dict[str, str] = {}


@dataclass(frozen=True)
class Place:
    dest: str
    channel_id: str | None    # None for the person's DM


def store(deps: Deps) -> SubscriptionStore:
    return SubscriptionStore(deps.redis)


def place_for(target: Target, user_id: str, channel_id: str | None) -> Place:
    """Where notifications go. ``here`` in the bot's own DM means the person's DM."""
    if target.kind == "channel" and target.channel_id:
        return Place(channel_dest(target.channel_id), target.channel_id)
    if target.kind == "here" and channel_id and not channel_id.startswith("D"):
        return Place(channel_dest(channel_id), channel_id)
    return Place(dm_dest(user_id), None)


async def bot_name(deps: Deps) -> str:
    if "name" not in _BOT_NAME:
        try:
            _BOT_NAME["name"] = (await deps.slack.auth_test()).get("user") or "datajobs"
        except SlackApiError:
            return "datajobs"
    return _BOT_NAME["name"]


async def channel_problem(deps: Deps, channel_id: str) -> str | None:
    """Why the bot could not post in the channel, as a sentence; None when it can."""
    label = f"<#{channel_id}>"
    invite = f"`/invite @{clip(await bot_name(deps), 80)}`"
    try:
        info = (await deps.slack.conversations_info(channel=channel_id))["channel"]
    except SlackApiError as exc:
        if exc.response.get("error") == "channel_not_found":
            return (f":lock: I can't see {label}. If it is a private channel, invite me with "
                    f"{invite} in that channel, then subscribe again.")
        raise
    if info.get("is_archived"):
        return f":file_cabinet: {label} is archived, so I can't post there."
    if not info.get("is_member") and not info.get("is_im"):
        return f":wave: I'm not in {label} yet: invite me with {invite} there, then subscribe again."
    return None


async def _client_and_ref(deps: Deps, user_id: str, place: Place, verb: str, job_id: str | None):
    """The SeekrFlow client that checks the job, and the key_ref the watcher will poll with."""
    identity = await deps.access.identity(user_id)
    if place.channel_id is None:
        seekr = await deps.access.reader(user_id)
    else:
        seekr = await deps.access.writer(user_id, f"{verb}_channel", job_id=job_id,
                                         channel=place.channel_id)
    if identity.key_ref is None:     # pragma: no cover - reader/writer refuse first
        raise NotAllowed("No SeekrFlow key acts for you here.")
    return seekr, identity


async def subscribe(deps: Deps, cmd: Subscribe, user_id: str,
                    channel_id: str | None) -> dict[str, Any]:
    place = place_for(cmd.target, user_id, channel_id)
    seekr, identity = await _client_and_ref(deps, user_id, place, "subscribe", cmd.job_id)
    if place.channel_id:
        problem = await channel_problem(deps, place.channel_id)
        if problem:
            return R.channel_problem(problem)
    subs = store(deps)
    if cmd.job_id is None:
        res = await subs.subscribe_all(place.dest, events=cmd.events, key_ref=identity.key_ref,
                                       by=user_id)
        await _audit(deps, AuditAction.SUBSCRIBE, user_id, None, place, identity)
        return R.subscribed_all(place.dest, cmd.events, created=res.created,
                                previous=res.previous_events)
    job = await seekr.get_job(cmd.job_id)       # an unknown job is refused here (JobNotFound)
    if job.status in TERMINAL:
        return R.already_finished(job.id, job.name, job.status)
    res = await subs.subscribe_job(place.dest, job, events=cmd.events,
                                   key_ref=identity.key_ref, by=user_id)
    await _audit(deps, AuditAction.SUBSCRIBE, user_id, job.id, place, identity)
    return R.subscribed(place.dest, job.id, job.name, cmd.events, created=res.created,
                        previous=res.previous_events)


async def unsubscribe(deps: Deps, cmd: Unsubscribe, user_id: str,
                      channel_id: str | None) -> dict[str, Any]:
    place = place_for(cmd.target, user_id, channel_id)
    removed = await remove(deps, user_id, place, cmd.job_id, key_ref=None)
    return R.unsubscribed(place.dest, cmd.job_id, removed=removed)


async def remove(deps: Deps, user_id: str, place: Place, job_id: str | None,
                 key_ref: str | None) -> bool:
    """Remove one subscription (``job_id`` None = the every-job ones, of ``key_ref`` or all)."""
    identity = await deps.access.identity(user_id)
    if place.channel_id is not None:
        await deps.access.writer(user_id, "unsubscribe_channel", job_id=job_id,
                                 channel=place.channel_id)
    subs = store(deps)
    if job_id is not None:
        removed = await subs.unsubscribe_job(place.dest, job_id)
    else:
        refs = {s.key_ref for s in await subs.list(place.dest) if s.all_jobs}
        if key_ref is not None:
            refs &= {key_ref}
        removed = False
        for ref in refs:
            removed = await subs.unsubscribe_all(place.dest, ref) or removed
    if removed:
        await _audit(deps, AuditAction.UNSUBSCRIBE, user_id, job_id, place, identity)
    return removed


async def listing(deps: Deps, place: Place, note: str | None = None) -> dict[str, Any]:
    subs = store(deps)
    return R.subscriptions_list(place.dest, await subs.list(place.dest),
                                broken=await subs.broken_reason(place.dest), note=note)


async def is_subscribed(deps: Deps, user_id: str, job_id: str) -> bool:
    """Whether the person's DM is subscribed to the job (for the job card's button)."""
    return await store(deps).is_subscribed(dm_dest(user_id), job_id)


async def _audit(deps: Deps, action: str, user_id: str, job_id: str | None, place: Place,
                 identity) -> None:
    await deps.access.audit.record(action, user_id, job_id=job_id or "all",
                                   identity=identity.key_ref, channel=place.channel_id,
                                   detail=place.dest)
