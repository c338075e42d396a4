"""Fixtures for the SeekrFlow simulator, served over real HTTP on a loopback port.

`simulator`: one server per test module, reset through its control API before each
test, with the lifecycle clock paused so tests drive it with `.control.tick(seconds)`.
"""

from __future__ import annotations

import pytest

from sandbox.harness.servers import SIM_KEY, SimulatorHandle, make_simulator, stop_simulator

__all__ = ["SIM_KEY", "SimulatorHandle", "make_simulator", "stop_simulator"]


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
