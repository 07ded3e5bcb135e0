"""Masar's metrics in the Prometheus text format: requests by route and status, latency, and the job queue.

Under gunicorn each worker is a process; with PROMETHEUS_MULTIPROC_DIR set (bin/serve sets it) every worker
writes its counters to files there and a scrape answered by any worker adds them all up. The queue's figures are
read from the queue itself at each scrape, so they are the same whichever worker answers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector
from redis.exceptions import RedisError

from masar.core.taskqueue import queue_counts

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Labels are bounded: a route is the URL pattern's name, never the path (ids and query strings would make one
# series per project); any method outside this set is counted as "other".
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
ROUTE_STATIC = "static"  # a file WhiteNoise answered before any URL was resolved
ROUTE_UNMATCHED = "unmatched"  # no URL pattern: a 404, or a redirect made before resolving (/ to /ar/)

# Not registered in prometheus_client's global registry: exposition() builds the registry of each scrape.
REQUESTS = Counter(
    "masar_http_requests",
    "HTTP requests answered, by route name, method and status code.",
    ["route", "method", "status"],
    registry=None,
)
LATENCY = Histogram(
    "masar_http_request_duration_seconds",
    "Time from the request reaching Masar to its response leaving the application, by route name.",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=None,
)


def route_label(request: HttpRequest) -> str:
    """The name of the URL pattern that answered (e.g. "portfolio-project-detail"), bounded whatever the path."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or ROUTE_UNMATCHED
    if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return ROUTE_STATIC
    return ROUTE_UNMATCHED


def request_observe(*, route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    REQUESTS.labels(route=route, method=method if method in METHODS else "other", status=str(status)).inc()
    LATENCY.labels(route=route).observe(seconds)


class QueueCollector(Collector):
    """The background queue at scrape time: jobs waiting, running and failed per queue."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        reachable = GaugeMetricFamily("masar_queue_up", "1 when the job queue could be read at this scrape, else 0.")
        depth = GaugeMetricFamily(
            "masar_queue_depth", "Jobs ready to run that no worker has picked up yet.", labels=["queue"]
        )
        running = GaugeMetricFamily("masar_jobs_running", "Jobs a worker is running now.", labels=["queue"])
        failed = GaugeMetricFamily(
            "masar_jobs_failed", "Jobs that ended in an error, among the results the queue keeps.", labels=["queue"]
        )
        try:
            counts = queue_counts()
        except (DatabaseError, RedisError):
            # A scrape still answers with what it knows; /readyz says why the queue cannot be read.
            reachable.add_metric([], 0)
            yield reachable
            return
        reachable.add_metric([], 1)
        for row in counts:
            depth.add_metric([row.queue], row.waiting)
            running.add_metric([row.queue], row.running)
            failed.add_metric([row.queue], row.failed)
        yield from (reachable, depth, running, failed)


def multiprocess_mode() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def exposition() -> bytes:
    """The text a Prometheus scrape reads: every worker's request metrics added up, and the queue now."""
    registry = CollectorRegistry(auto_describe=True)
    if multiprocess_mode():
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(QueueCollector())
    return generate_latest(registry)
