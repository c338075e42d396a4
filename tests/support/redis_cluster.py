"""A three-node Redis Cluster on loopback (no replicas), for running the store and watcher on it."""

from __future__ import annotations

import random
import socket
import subprocess
import time

import pytest

from sandbox.harness.redis_server import RedisServer


def cluster_port() -> int:
    """A free loopback port whose cluster bus port (port + 10000) is free and valid too."""
    for _ in range(200):
        port = random.randint(20000, 45000)
        if all(_free(p) for p in (port, port + 10000)):
            return port
    raise RuntimeError("no free port pair for a cluster node")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class RedisCluster3:
    def __init__(self, nodes: int = 3):
        self.servers = [
            RedisServer(
                port=cluster_port(),
                extra=[
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--cluster-node-timeout",
                    "5000",
                ],
            )
            for _ in range(nodes)
        ]

    @property
    def url(self) -> str:
        return self.servers[0].url

    def start(self) -> RedisCluster3:
        """Start the nodes and form the cluster; on any failure stop what was started."""
        try:
            return self._start()
        except BaseException:
            self.cleanup()
            raise

    def _start(self) -> RedisCluster3:
        for s in self.servers:
            s.start()
        addrs = [f"127.0.0.1:{s.port}" for s in self.servers]
        subprocess.run(
            [
                "redis-cli",
                "--cluster",
                "create",
                *addrs,
                "--cluster-replicas",
                "0",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            states = [
                subprocess.run(
                    ["redis-cli", "-p", str(s.port), "cluster", "info"],
                    capture_output=True,
                    text=True,
                    timeout=10,
                    check=False,
                ).stdout
                for s in self.servers
            ]
            if all("cluster_state:ok" in st for st in states):
                return self
            time.sleep(0.2)
        raise TimeoutError("the cluster never reached cluster_state:ok")

    def flush(self) -> None:
        import redis

        for s in self.servers:
            r = redis.Redis(host="127.0.0.1", port=s.port)
            r.flushall()
            r.close()

    def cleanup(self) -> None:
        for s in self.servers:
            s.cleanup()


@pytest.fixture(scope="session")
def redis_cluster():
    cluster = RedisCluster3().start()
    try:
        yield cluster
    finally:
        cluster.cleanup()
