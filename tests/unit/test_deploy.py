"""docker-compose.yml and the balancer's configuration describe the topology the scale-out test runs: a balancer
in front of webhook workers that leave the jobs to a scheduler service, PostgreSQL and Redis. (No Docker engine
runs here: these files are read, and kept in step with tests/e2e/test_scaleout.py.)"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def services(compose: str) -> dict[str, str]:
    """Top-level services of docker-compose.yml and the text of each (no YAML library needed for this)."""
    body = compose.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    found = re.split(r"\n  (?=[a-z0-9-]+:\n)", "\n" + body)
    return {block.split(":", 1)[0].strip(): block for block in found if block.strip()}


def test_compose_runs_the_scale_out_topology() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    found = services(compose)
    assert {"balancer", "scheduler", "postgres", "redis"} <= set(found)
    workers = [name for name, text in found.items() if '["webhook"]' in text]
    assert len(workers) >= 2
    for name in workers:
        assert 'SCHEDULER_ENABLED: "false"' in found[name], name
    assert '["scheduler"]' in found["scheduler"]
    assert "REDIS_URL: redis://redis:6379/0" in compose and "postgresql+asyncpg://" in compose
    balancer = (ROOT / "deploy" / "haproxy.cfg").read_text(encoding="utf-8")
    assert sorted(re.findall(r"^\s+server \S+ (\w+):8080", balancer, re.M)) == sorted(workers)
    assert "balance roundrobin" in balancer and "GET /healthz" in balancer
