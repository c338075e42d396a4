"""Run the simulator alone: `python -m sandbox simulator --port 8700 --api-key sim-key --seed 7`."""

from __future__ import annotations

import logging

import uvicorn

from .app import create_app

logger = logging.getLogger(__name__)


AMBIENT_EVERY = 180.0  # a new job every three minutes keeps the stand-alone demo moving


def serve_simulator(
    host: str = "127.0.0.1",
    port: int = 8700,
    api_key: str = "sim-key",
    seed: int = 7,
    speed: float = 1.0,
    ambient_every: float | None = AMBIENT_EVERY,
) -> int:
    app = create_app(
        api_key=api_key, seed=seed, speed=speed, autoplay=True, ambient_every=ambient_every
    )
    logger.info(
        "SeekrFlow simulator on http://%s:%d (seed %d, speed %g); control API at /_sim/",
        host,
        port,
        seed,
        speed,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    return 0
