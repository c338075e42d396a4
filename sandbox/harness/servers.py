"""The simulator and the fake Slack, each served on a thread on a free loopback port."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.playground import FakeSlack, create_slack_app
from sandbox.server_thread import ServerThread
from sandbox.simulator import create_app
from sandbox.simulator.control import SimulatorControl
from sandbox.simulator.state import OTHER_KEY

SIM_KEY = "sim-key"


@dataclass
class SimulatorHandle:
    url: str  # base URL without /v1 (what SEEKR_BASE_URL takes)
    control: SimulatorControl
    api_key: str = SIM_KEY
    other_key: str = OTHER_KEY
    server: ServerThread | None = None

    @property
    def sim(self):
        """The in-process `Simulator` (read-only use in assertions)."""
        return self.server.server.config.app.state.sim

    def headers(self, api_key: str | None = None, team_id: str | None = None) -> dict[str, str]:
        h = {"Authorization": api_key or self.api_key}
        if team_id:
            h["x-team-id"] = team_id
        return h


def make_simulator(
    *,
    api_key: str = SIM_KEY,
    seed: int = 7,
    speed: float = 1.0,
    autoplay: bool = False,
    **app_options,
) -> SimulatorHandle:
    """Start a simulator in a ServerThread; the caller stops it with `stop_simulator`."""
    server = ServerThread(
        create_app(api_key=api_key, seed=seed, speed=speed, autoplay=autoplay, **app_options),
        log_level="warning",
    ).start()
    return SimulatorHandle(
        url=server.url, control=SimulatorControl(server.url), api_key=api_key, server=server
    )


def stop_simulator(handle: SimulatorHandle) -> None:
    handle.control.close()
    if handle.server is not None:
        handle.server.stop()


@dataclass
class FakeSlackServer:
    fake: FakeSlack
    server: ServerThread

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def api_url(self) -> str:
        return self.server.url + "/api/"


def start_fake_slack(**fake_kwargs) -> FakeSlackServer:
    fake = FakeSlack(**fake_kwargs)
    server = ServerThread(create_slack_app(fake), log_level="warning").start()
    fake.base_url = server.url
    return FakeSlackServer(fake, server)
