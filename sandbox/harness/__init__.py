"""What the tests and the benchmarks start and stop: free loopback ports, processes stopped by
pid, a private redis-server, bot replicas, the simulator and the fake Slack on threads, and a
running watcher. Never imported by ``bot/``."""
