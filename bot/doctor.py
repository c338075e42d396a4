"""`python -m bot doctor`: check a setup before people meet what is wrong with it.

With the same settings as the bot, one line per check: the settings; the Slack token
(``auth.test``) and the scopes it was granted against the manifest's; the signing secret or
app token for the chosen mode; SeekrFlow reachable and the team key accepted (one list
call); Redis reachable, with an append-only file, no eviction, and cluster mode as
configured; people's linked keys readable with BOT_ENCRYPTION_KEY (none is ever shown).
Exit 0 only when every required check passes; each failure names its fix.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TextIO

import httpx
from redis.asyncio import Redis
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.ids import BOT_SCOPES
from bot.seekrflow import NO_RETRY, KeyRejected, SeekrFlow, SeekrFlowError
from bot.settings import Settings, SettingsError
from bot.store import Cipher, UndecryptableSecret, keys
from bot.store.connect import request_client
from bot.store.stats import redis_facts
from bot.web import check_settings

TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    detail: str
    required: bool = True

    def line(self) -> str:
        mark = "ok  " if self.ok else ("FAIL" if self.required else "warn")
        return f"{mark}  {self.name}: {self.detail}"


def check_config(settings: Settings) -> Result:
    try:
        check_settings(settings)
    except SettingsError as exc:
        return Result("settings", False, f"{exc}")
    keys = "team key set" if settings.seekr_api_key else "no team key"
    linking = (
        "people may link their own keys"
        if settings.bot_encryption_key
        else "no BOT_ENCRYPTION_KEY, so no personal keys"
    )
    ops = len(settings.operators)
    operators = f"{ops} operator{'s' if ops != 1 else ''}" if ops else "no operators"
    return Result("settings", True, f"valid: {keys}; {linking}; {operators}")


def check_mode(settings: Settings) -> Result:
    if settings.slack_app_token is not None:
        ok = settings.slack_app_token.get_secret_value().startswith("xapp-")
        detail = (
            "Socket Mode: SLACK_APP_TOKEN is an app-level token"
            if ok
            else "SLACK_APP_TOKEN must be an app-level token (xapp-…): Basic Information → "
            "App-Level Tokens, scope connections:write"
        )
        return Result("mode", ok, detail)
    if settings.slack_signing_secret is None:
        return Result(
            "mode",
            False,
            "HTTP mode needs SLACK_SIGNING_SECRET (Basic Information → Signing Secret), "
            "or set SLACK_APP_TOKEN for Socket Mode",
        )
    return Result("mode", True, "HTTP: SLACK_SIGNING_SECRET is set (requests to /slack/events)")


async def check_slack(settings: Settings) -> list[Result]:
    if settings.slack_bot_token is None:
        return [Result("slack", False, "SLACK_BOT_TOKEN is not set (OAuth & Permissions → Bot "
                                       "User OAuth Token, xoxb-…)")]  # fmt: skip
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=TIMEOUT_S,  # type: ignore[arg-type]  # annotated int; aiohttp takes float seconds
    )
    try:
        resp = await client.auth_test()
    except SlackApiError as exc:
        error = str((exc.response or {}).get("error") or "unknown")[:60]
        return [Result("slack", False, f"auth.test refused the token ({error}): use the Bot User "
                                       "OAuth Token of the installed app")]  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - any failure to reach Slack is this check's
        return [Result("slack", False, f"{settings.slack_api_url} did not answer "
                                       f"({type(exc).__name__}): check SLACK_API_URL")]  # fmt: skip
    who = f"token works: bot {resp.get('user_id')} in {resp.get('team') or resp.get('team_id')}"
    results = [Result("slack", True, who)]
    header = next((v for k, v in resp.headers.items() if k.lower() == "x-oauth-scopes"), None)
    if header is None:
        results.append(
            Result("scopes", False, "Slack did not say which scopes were granted", required=False)
        )
        return results
    granted = {s.strip() for s in str(header).split(",") if s.strip()}
    missing = [s for s in BOT_SCOPES if s not in granted]
    if missing:
        results.append(
            Result(
                "scopes",
                False,
                f"missing {', '.join(missing)}: add them to the app (paste manifest.yaml, or "
                "OAuth & Permissions → Bot Token Scopes) and reinstall it",
            )
        )
    else:
        results.append(Result("scopes", True, f"all {len(BOT_SCOPES)} the manifest asks for"))
    return results


async def check_seekrflow(settings: Settings) -> Result:
    if settings.seekr_api_key is None:
        return Result(
            "seekrflow",
            True,
            "no team key (SEEKR_API_KEY) to check; people link their own with /datajobs login",
            required=False,
        )
    team = f"team {settings.seekr_team_id}" if settings.seekr_team_id else "no SEEKR_TEAM_ID"
    async with httpx.AsyncClient(timeout=TIMEOUT_S) as http:
        client = SeekrFlow(
            http,
            base_url=settings.seekr_base_url,
            api_key=settings.seekr_api_key.get_secret_value(),
            team_id=settings.seekr_team_id,
            retry=NO_RETRY,
            timeout=TIMEOUT_S,
        )
        try:
            jobs = await client.list_jobs(limit=1)
        except KeyRejected:
            return Result(
                "seekrflow",
                False,
                f"{settings.seekr_base_url} rejected SEEKR_API_KEY ({team}): set a working "
                "key, and SEEKR_TEAM_ID if it belongs to a team",
            )
        except SeekrFlowError as exc:
            return Result(
                "seekrflow",
                False,
                f"{settings.seekr_base_url} did not list jobs ({exc}): check SEEKR_BASE_URL",
            )
    seen = "it sees jobs" if jobs else "it sees no jobs yet"
    return Result("seekrflow", True, f"the team key is accepted ({team}); {seen}")


async def check_redis(settings: Settings) -> list[Result]:
    redis = Redis.from_url(
        settings.redis_url, socket_timeout=TIMEOUT_S, socket_connect_timeout=5,
        decode_responses=True,
    )  # fmt: skip
    try:
        await redis.ping()
        facts = await redis_facts(redis)
    except Exception as exc:  # noqa: BLE001 - any failure to reach Redis is this check's
        return [Result("redis", False, f"not reachable at REDIS_URL ({type(exc).__name__}): "
                                       "check the URL, its password and the network")]  # fmt: skip
    finally:
        await redis.aclose()
    results = [Result("redis", True, "reachable")]
    results.append(await check_linked_keys(settings))
    results.append(
        Result("redis aof", True, "appendonly yes")
        if facts.aof
        else Result(
            "redis aof",
            False,
            "appendonly is off: a restart loses recent subscriptions and sent marks. "
            "Set appendonly yes (redis.conf, or CONFIG SET appendonly yes)",
        )
    )
    if facts.may_evict:
        results.append(
            Result(
                "redis eviction",
                False,
                f"maxmemory-policy {facts.policy} may evict the bot's keys: "
                "set maxmemory-policy noeviction",
            )
        )
    else:
        why = "noeviction" if facts.policy == "noeviction" else "no maxmemory limit"
        results.append(Result("redis eviction", True, why))
    if facts.cluster != settings.redis_cluster:
        fix = "REDIS_CLUSTER=true" if facts.cluster else "REDIS_CLUSTER=false (or unset)"
        what = "a cluster node" if facts.cluster else "not a cluster"
        results.append(Result("redis cluster", False, f"Redis is {what}: set {fix}"))
    else:
        results.append(
            Result("redis cluster", True, "cluster" if facts.cluster else "a single server")
        )
    return results


async def check_linked_keys(settings: Settings) -> Result:
    """People's linked keys in Redis are readable with this BOT_ENCRYPTION_KEY (none shown)."""
    redis = request_client(settings)
    try:
        tokens = list((await redis.hgetall(keys.linked_keys())).values())
    except Exception as exc:  # noqa: BLE001 - the redis checks above say what is wrong
        return Result("linked keys", False, f"not read ({type(exc).__name__})", required=False)
    finally:
        await redis.aclose()
    cipher = Cipher(settings.bot_encryption_key)
    if not tokens:
        return Result("linked keys", True, "none yet")
    if not cipher.available:
        return Result(
            "linked keys",
            False,
            f"{len(tokens)} people linked a key, but BOT_ENCRYPTION_KEY is not set here: set the "
            "same BOT_ENCRYPTION_KEY as the replicas that stored them",
        )
    unreadable = 0
    for token in tokens:
        try:
            cipher.decrypt(token)
        except UndecryptableSecret:
            unreadable += 1
    if unreadable:
        return Result(
            "linked keys",
            False,
            f"{unreadable} of {len(tokens)} cannot be decrypted with BOT_ENCRYPTION_KEY: put the "
            "key they were stored with back (after the new one), or those people log in again",
        )
    return Result("linked keys", True, f"{len(tokens)}, all readable with BOT_ENCRYPTION_KEY")


async def _run(settings: Settings) -> list[Result]:
    results = [check_config(settings), check_mode(settings)]
    checks: list[Callable[[Settings], Awaitable[Result | list[Result]]]] = [
        check_slack,
        check_seekrflow,
        check_redis,
    ]
    for outcome in await asyncio.gather(*(c(settings) for c in checks)):
        results += outcome if isinstance(outcome, list) else [outcome]
    return results


def doctor(settings: Settings, out: TextIO) -> int:
    results = asyncio.run(_run(settings))
    for r in results:
        print(r.line(), file=out)
    failed = [r.name for r in results if r.required and not r.ok]
    if failed:
        print(f"{len(failed)} check(s) failed: {', '.join(dict.fromkeys(failed))}", file=out)
        return 1
    print("every required check passed", file=out)
    return 0
