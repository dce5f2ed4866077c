"""Prometheus metrics: request counts and latencies by route template, and database pool figures.

Labels use the route template (`/api/v1/meetings/{meeting_id}`), never the raw path, so
that the number of series stays bounded; a path no route matches is `<unmatched>`.

Several worker processes: set `PROMETHEUS_MULTIPROC_DIR` to an empty, writable directory
before the processes start (and empty it on every restart). prometheus_client then keeps
each worker's counters in files there and `/metrics` adds them up, whichever worker answers.
The pool figures are read from the answering worker's engine at scrape time and carry its
`pid`, so with several workers each scrape shows one worker's pool.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool
from starlette.types import Scope

UNMATCHED = "<unmatched>"
# Methods outside this set are counted as OTHER, so junk methods cannot create series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

# `*_created` series double the output and no dashboard of ours reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]

REQUESTS = Counter(
    "sco_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "sco_http_request_duration_seconds",
    "Time from receiving a request to sending the last byte of its answer.",
    ["method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def route_template(scope: Scope) -> str:
    """The path template of the route that answered (`/api/v1/areas/{code}`), or `<unmatched>`.

    FastAPI keeps an included router's routes with their own, prefix-less path
    (`/areas/{code}`); the prefix is the leading part of the request path that the route's
    template does not cover (prefixes here hold no parameters).
    """
    route = scope.get("route")
    if route is None:
        if "app_root_path" in scope:  # answered by a mounted app (static files)
            mounted_at = str(scope["root_path"])[len(str(scope["app_root_path"])) :]
            return mounted_at + "/{path}"
        return UNMATCHED
    template = getattr(route, "path", None)
    if not isinstance(template, str):
        return UNMATCHED
    if ":path}" in template:  # a parameter that spans segments: the prefix is unknown
        return template
    segments = str(scope["path"]).split("/")
    own = template.count("/")
    prefix = "/".join(segments[: len(segments) - own]) if len(segments) > own else ""
    return prefix + template


# One (counter, histogram) pair per label set, so a request skips the label lookups.
_children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}


def observe(method: str, route: str, status: int, seconds: float) -> None:
    key = (method, route, status)
    pair = _children.get(key)
    if pair is None:
        labels = (method if method in KNOWN_METHODS else "OTHER", route, str(status))
        pair = _children[key] = (REQUESTS.labels(*labels), LATENCY.labels(*labels))
    pair[0].inc()
    pair[1].observe(seconds)


class PoolCollector(Collector):
    """The engine's connection pool as gauges, read when scraped."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        pool = self.engine.pool
        if not isinstance(pool, QueuePool):  # NullPool/StaticPool keep no such figures
            return
        labels = ["pid"]
        pid = [str(os.getpid())]
        figures = {
            "sco_db_pool_size": ("Connections the pool keeps open.", pool.size()),
            "sco_db_pool_checked_out": ("Connections in use by requests.", pool.checkedout()),
            "sco_db_pool_checked_in": ("Idle connections in the pool.", pool.checkedin()),
            "sco_db_pool_overflow": (
                "Connections beyond the pool size (negative: size not yet reached).",
                pool.overflow(),
            ),
        }
        for name, (documentation, value) in figures.items():
            gauge = GaugeMetricFamily(name, documentation, labels=labels)
            gauge.add_metric(pid, value)
            yield gauge


def _request_registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def render(engine: Engine) -> bytes:
    """The Prometheus text exposition of every metric of this service."""
    pool_registry = CollectorRegistry(auto_describe=False)
    pool_registry.register(PoolCollector(engine))
    return generate_latest(_request_registry()) + generate_latest(pool_registry)
