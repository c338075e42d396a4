"""Fixtures for the SeekrFlow simulator, served over real HTTP on a loopback port.

`simulator`: one server per test module, reset through its control API before each
test, with the lifecycle clock paused so tests drive it with `.control.tick(seconds)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

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


@pytest.fixture(scope="module")
def simulator_server():
    handle = make_simulator()
    try:
        yield handle
    finally:
        stop_simulator(handle)


@pytest.fixture
def simulator(simulator_server) -> SimulatorHandle:
    """A freshly reset simulator (seed 7, clock paused) shared by the module's tests."""
    simulator_server.control.reset()
    return simulator_server
