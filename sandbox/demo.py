"""``python -m sandbox demo``: the whole bot on one machine, no accounts needed.

Starts the SeekrFlow simulator (jobs moving on their own), Redis (``REDIS_URL``
or an embedded in-process one), the bot in HTTP mode, and — when no Slack
tokens are set — the Slack playground, a local page that stands in for Slack.
With ``SLACK_APP_TOKEN`` and ``SLACK_BOT_TOKEN`` set, the bot connects to that
workspace by Socket Mode instead, with the simulator behind it.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr
from starlette.responses import RedirectResponse

from bot.ids import Shortcut
from bot.settings import Settings
from sandbox.embedded_redis import start_embedded_redis
from sandbox.playground import FakeSlack, create_slack_app
from sandbox.server_thread import ServerThread, port_is_free

logger = logging.getLogger(__name__)

DEMO_SPEED = 4.0  # the simulator's clock runs 4x: jobs visibly move
DEMO_POLL_INTERVAL = 2.0  # unless POLL_INTERVAL is set
SIM_API_KEY = "sim-key"
DEMO_OPERATORS = ("U0ALICE", "U0BOB")  # may rename and cancel with the team key; carol may not
PLAYGROUND = "/playground"


@dataclass
class Demo:
    url: str  # the one URL to open
    bot_url: str
    simulator_url: str
    settings: Settings
    fake: FakeSlack | None = None
    embedded_redis: bool = False
    _stops: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def stop(self) -> None:
        if self.fake is not None:
            self.fake.closing.set()
        while self._stops:
            try:
                self._stops.pop()()
            except Exception:
                logger.exception("error while stopping the demo")


def _hints(settings: Settings) -> list[str]:
    who = (
        "alice and bob are operators: they may rename, cancel and subscribe channels with "
        "the team key; carol may read and subscribe herself."
        if not settings.operators
        else "Operators come from OPERATORS."
    )
    return [
        "Switch person with 'Signed in as'. " + who,
        "/datajobs login takes another simulated key: sim-key-other.",
        f"Jobs move on their own ({DEMO_SPEED:g}x speed): subscribe to one and watch your DMs.",
        "Home (under Apps) shows what needs you. Paste a link such as "
        f"{settings.seekr_app_url}/data-jobs/<id> to see its preview; a message's ⋯ menu has "
        "Inspect data jobs.",
    ]


def _wait_healthy(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not become healthy")
        time.sleep(0.2)


def start_demo(
    settings: Settings,
    *,
    port: int,
    seed: int = 7,
    speed: float = DEMO_SPEED,
    redis_url: str | None = None,
    socket_mode: bool = False,
) -> Demo:
    """Start every part in this process (servers in threads); ``Demo.stop()`` ends them."""
    from bot.web import create_web
    from sandbox.simulator import create_app as create_simulator

    stops: list[Callable[[], None]] = []
    try:
        sim = ServerThread(
            create_simulator(api_key=SIM_API_KEY, seed=seed, speed=speed, autoplay=True)
        ).start()
        stops.append(sim.stop)
        embedded = redis_url is None
        if embedded:
            redis_url, stop_redis = start_embedded_redis()
            stops.append(stop_redis)
        bot_url = f"http://127.0.0.1:{port}"
        overrides: dict[str, Any] = {
            "seekr_api_key": SecretStr(SIM_API_KEY),
            "seekr_base_url": sim.url,
            "seekr_team_id": None,
            "redis_url": redis_url,
            "host": "127.0.0.1",
            "port": port,
        }
        if "POLL_INTERVAL" not in os.environ:
            overrides["poll_interval"] = DEMO_POLL_INTERVAL
        if not settings.operators:
            overrides["operators"] = list(DEMO_OPERATORS)
        if settings.bot_encryption_key is None:
            from cryptography.fernet import Fernet

            overrides["bot_encryption_key"] = SecretStr(Fernet.generate_key().decode())
        fake = None
        if socket_mode:
            url = bot_url + "/healthz"
        else:
            fake = FakeSlack(base_url=bot_url + PLAYGROUND)
            secret = secrets.token_hex(16)
            overrides.update(
                slack_bot_token=SecretStr(fake.bot_token),
                slack_signing_secret=SecretStr(secret),
                slack_app_token=None,
                slack_api_url=f"{bot_url}{PLAYGROUND}/api/",
            )
            playground = create_slack_app(fake, bot_url=bot_url, signing_secret=secret)
            url = bot_url + PLAYGROUND + "/"
            fake.hints = _hints(settings)
            fake.unfurl_domains = [urlsplit(settings.seekr_app_url).hostname or ""]
            fake.shortcuts = [
                {"name": "Inspect data jobs", "callback_id": Shortcut.INSPECT_MESSAGE}
            ]
        demo_settings = settings.model_copy(update=overrides)
        api = create_web(demo_settings)
        if fake is not None:  # the playground shares the bot's port: one URL to open
            api.mount(PLAYGROUND, playground)
            api.add_api_route(
                "/",
                lambda: RedirectResponse(PLAYGROUND + "/"),
                methods=["GET"],
                include_in_schema=False,
            )
        bot = ServerThread(api, port=port).start()
        stops.append(bot.stop)
        _wait_healthy(bot_url)
    except BaseException:
        for stop in reversed(stops):
            stop()
        raise
    return Demo(
        url=url,
        bot_url=bot_url,
        simulator_url=sim.url,
        settings=demo_settings,
        fake=fake,
        embedded_redis=embedded,
        _stops=stops,
    )


def run_demo(settings: Settings, port: int = 3000, seed: int = 7) -> int:
    """Run until Ctrl-C (or SIGTERM); print one URL to open."""
    if port == 3000 and os.environ.get("PORT"):
        port = settings.port
    if not port_is_free(port):
        print(f"port {port} is already in use on 127.0.0.1: run `python -m sandbox demo --port N`")
        return 2
    for noisy in ("uvicorn.error", "httpx"):  # one line per request would bury the URL
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    has_tokens = settings.slack_app_token is not None and settings.slack_bot_token is not None
    redis_url = os.environ.get("REDIS_URL") or None
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        demo = start_demo(
            settings, port=port, seed=seed, redis_url=redis_url, socket_mode=has_tokens
        )
    except Exception as exc:
        logger.debug("demo start-up failed", exc_info=True)
        print(f"the demo could not start: {exc}")
        return 1
    if demo.embedded_redis:
        print(
            "Redis: embedded in this process (fakeredis) - subscriptions and notification "
            "state will not outlive it. Set REDIS_URL to use a real Redis."
        )
    print(f"SeekrFlow: simulated, jobs moving at {DEMO_SPEED:g}x speed.")
    if has_tokens:
        print("Slack: connected to your workspace by Socket Mode - type /datajobs list there.")
    print(f"Open {demo.url}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        print("Stopping…", flush=True)
        demo.stop()
    return 0
