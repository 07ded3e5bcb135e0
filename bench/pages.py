"""Time every main page at national size: `python -m bench.pages`.

Each page is requested through Django's test client by three readers — a national administrator,
the coordinator of the busiest ministry and an anonymous visitor — cold (cache cleared before each
request) and warm (the same request repeated), and its reads are replayed as raw SQL on a cursor
(the SELECTs one cold request runs, captured with CaptureQueriesContext), so each page gets a
ratio to the database's own time. For every page the slowest of those reads is shown with its
`EXPLAIN (ANALYZE, BUFFERS)` plan (PostgreSQL). An anonymous visitor on an internal page gets a
redirect to sign in or a 403: its status is printed and nothing is timed. The exports (20,000
rows) and the council pack are timed building the whole file, as the request or the worker does.

    createdb -h 127.0.0.1 -U postgres -T masar_bench_national masar_bench_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/masar_bench_pages .venv/bin/python -m bench.pages

Prints key=value lines: `<page>_<reader>_p95_ms` (warm), `<page>_<reader>_cold_p95_ms`,
`<page>_<reader>_queries` (of a warm request), `<page>_<reader>_ratio` (cold median over the
median of its raw SQL), then `pages_over_100ms_warm`. It runs on the realistic national dataset of
`generate_portfolio` (generated first when the database has no project): its national administrator and the
sector coordinator with the busiest inbox read the pages.
"""

import argparse
import logging
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.dashboards import p95, setup_django, timed

READERS = ("admin", "coordinator", "anonymous")
EXPORT_ROWS = 20_000


@dataclass
class Page:
    """One thing to time: an address (or a function building a file) and who reads it."""

    name: str
    url: str = ""
    build: object = None  # a function of the reader's user, for what is not one request
    readers: tuple = READERS
    repeat: int | None = None  # fewer repeats for what takes seconds
    ok: tuple = (200,)


@dataclass
class Figures:
    slow_pages: list = field(default_factory=list)
    explained: set = field(default_factory=set)


def read_statements(captured):
    """Return the reads of a request as statements to replay (a server-side cursor's SELECT included)."""
    reads = []
    for query in captured:
        sql = query["sql"].lstrip()
        head = sql[:12].upper()
        if head.startswith("DECLARE"):
            sql = sql[sql.upper().index(" FOR ") + 5 :]
        elif not head.startswith(("SELECT", "WITH")):
            continue
        reads.append(sql)
    return reads


def replay(reads):
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in reads:
            cursor.execute(sql)
            cursor.fetchall()


def slowest(reads):
    """Return the slowest read and its time (each run twice, the second timed)."""
    from django.db import connection

    best = (0.0, "")
    with connection.cursor() as cursor:
        for sql in reads:
            cursor.execute(sql)
            cursor.fetchall()
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            best = max(best, ((time.perf_counter() - start) * 1000, sql))
    return best


def explain(name, reads, explain_dir):
    from django.db import connection

    if connection.vendor != "postgresql" or not reads:
        return
    ms, sql = slowest(reads)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"{name}_slowest_query_ms={ms:.1f}")
    if explain_dir:
        path = Path(explain_dir) / f"{name}.txt"
        path.write_text(f"{sql}\n\n{plan}\n", encoding="utf-8")
        print(f"{name}_explain={path}")
        return
    print(f"{name}_explain:")
    print("    " + sql.replace("\n", " ")[:2000])
    for line in plan.splitlines():
        print("    " + line)


def measure(page, reader, user, args, figures):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    key = f"{page.name}_{reader}"
    client = Client()
    if user is not None:
        client.force_login(user)

    def request():
        if page.build is not None:
            page.build(user)
            return 200
        response = client.get(page.url)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        return response.status_code

    cache.clear()
    status = request()
    if status not in page.ok:
        print(f"{key}_status={status}")
        return
    repeat = page.repeat or args.repeat

    def cold():
        cache.clear()
        request()

    cold_times = timed(cold, repeat)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        cold()
    cold_queries = list(captured.captured_queries)  # a slice of the log read when asked: keep it now
    reads = read_statements(cold_queries)
    request()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as warm_captured:
        request()
    warm_queries = list(warm_captured.captured_queries)
    warm_times = timed(request, repeat)
    sql_times = timed(lambda: replay(reads), repeat)
    sql_median = statistics.median(sql_times)
    print(f"{key}_p95_ms={p95(warm_times):.1f}")
    print(f"{key}_median_ms={statistics.median(warm_times):.1f}")
    print(f"{key}_cold_p95_ms={p95(cold_times):.1f}")
    print(f"{key}_queries={len(warm_queries)}")
    print(f"{key}_cold_queries={len(cold_queries)}")
    print(f"{key}_sql_median_ms={sql_median:.1f}")
    if sql_median > 0:
        print(f"{key}_ratio={statistics.median(cold_times) / sql_median:.2f}")
    if page.url and p95(warm_times) > 100:
        figures.slow_pages.append(f"{key}:{p95(warm_times):.0f}")
    if page.name not in figures.explained:
        figures.explained.add(page.name)
        explain(page.name, reads, args.explain_dir)


def readers_of_dataset():
    """Return the dataset's first national administrator and the sector coordinator with the most notifications."""
    from django.db.models import Count

    from masar.accounts.models import User
    from masar.core.roles import Role

    admin = User.objects.filter(role=Role.NATIONAL_ADMIN, is_active=True).order_by("username").first()
    coordinator = (
        User.objects.filter(role=Role.SECTOR_COORDINATOR, is_active=True)
        .annotate(n=Count("notifications"))
        .order_by("-n", "username")
        .first()
    )
    if admin is None or coordinator is None:
        raise SystemExit("The database has no national administrator or coordinator: run generate_portfolio first.")
    return admin, coordinator


def subjects(ministry):
    """Return the records the pages are about: a busy project, the strategy, the busiest axis, an indicator."""
    from django.db.models import Count

    from masar.indicators.models import Indicator
    from masar.portfolio.models import Project
    from masar.strategy.models import Axis

    project = (
        Project.objects.filter(owner__path__startswith=ministry.path)
        .annotate(n=Count("updates", distinct=True) + Count("obstacles", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    axis = Axis.objects.annotate(n=Count("projects")).order_by("-n", "pk").first()
    indicator = Indicator.objects.annotate(n=Count("measurements")).order_by("-n", "pk").first()
    return project, axis, indicator


def export_build(kind, fmt, query=""):
    """Return a function building an export of this kind in the worker, as the background task does."""

    def build(user):
        from masar.exports.models import Export
        from masar.exports.services import export_build as build_export

        export = Export.objects.create(user=user, kind=kind, format=fmt, query=query, language="en", total=0)
        build_export(export=export)
        export.refresh_from_db()
        if export.file:
            export.file.delete(save=False)
        export.delete()

    return build


def pack_build(user):
    from masar.reports.models import CouncilPack
    from masar.reports.services import pack_build as build

    pack = CouncilPack.objects.create(requested_by=user, language="ar", classification="restricted")
    build(pack_id=pack.pk)
    pack.refresh_from_db()
    if pack.file:
        pack.file.delete(save=False)
    pack.delete()


def pages(ministry, project, axis, indicator, args):
    from bench.memory import biggest_queries
    from masar.exports.models import ExportKind

    internal = ("admin", "coordinator")
    slow = max(1, min(args.repeat, 3))
    listed = [
        Page("home", "/en/"),
        Page("projects", "/en/projects/"),
        Page("projects_filtered", f"/en/projects/?organization={ministry.pk}&status=in_progress&rating=red"),
        Page("projects_sorted", "/en/projects/?sort=-rating"),
        Page("projects_page100", "/en/projects/?page=100"),
        Page("project", f"/en/projects/{project.pk}/"),
        Page("strategy", f"/en/strategies/{axis.strategy_id}/"),
        Page("roadmap_axis", f"/en/delivery/roadmap/?axis={axis.pk}"),
        Page("obstacles", "/en/delivery/blocked/"),  # public: being blocked is published like a rating
        Page("decisions", "/en/meetings/decisions/"),
        Page("indicators", "/en/indicators/"),
        Page("review", "/en/my-work/", readers=internal),
        Page("inbox", "/en/delivery/inbox/", readers=internal),
    ]
    if indicator is not None:
        listed.append(Page("indicator", f"/en/indicators/{indicator.pk}/"))
    biggest = biggest_queries()
    for kind in ExportKind.values:
        name = kind.replace("-", "_")
        # A signed-in reader's export of more than 5,000 rows is built by the worker: time that, in both formats.
        # A visitor is streamed the public rows by the request (up to 20,000).
        listed.append(Page(f"export_{name}_csv", f"/en/exports/{kind}.csv", readers=("anonymous",), repeat=slow))
        for fmt in ("csv", "xlsx"):
            # The same lists bench.memory builds: every list whole, the indicator values of the busiest indicator.
            worker = export_build(kind, fmt, biggest.get(kind, ""))
            listed.append(Page(f"export_{name}_{fmt}_worker", build=worker, readers=internal, repeat=slow))
    listed.append(Page("pack", build=pack_build, readers=("admin",), repeat=slow))
    return listed


def print_memory():
    try:
        from bench.memory import memory_figures
    except ImportError:
        return
    for key, value in memory_figures().items():
        print(f"{key}={value:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--only", default="", help="time only the pages whose name has this (or one of these, comma-separated)"
    )
    parser.add_argument("--skip", default="", help="leave out the pages whose name contains this (e.g. export,pack)")
    parser.add_argument("--readers", default=",".join(READERS), help="a comma-separated subset of " + ",".join(READERS))
    parser.add_argument("--explain-dir", default="", help="write the plans there rather than print them")
    args = parser.parse_args()
    # Without `collectstatic` there is no manifest to read the static files' hashed names from.
    os.environ.setdefault("STATIC_MANIFEST", "0")
    # The second factor is one check of the session per request; the benchmark's readers sign in without one.
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")
    setup_django()
    for name in ("masar", "masar.request"):
        logging.getLogger(name).setLevel(logging.ERROR)  # not one log line per request timed
    from django.core.signals import request_started
    from django.db import reset_queries

    # Each request would empty the log of queries that CaptureQueriesContext slices: keep it for the capture.
    request_started.disconnect(reset_queries)
    from django.conf import settings
    from django.db import connection

    from bench.dashboards import ensure_data
    from masar.delivery.models import Notification, Obstacle, ProgressUpdate
    from masar.portfolio.models import Project

    # The test client's host, without setup_test_environment(): its copy of every template's context for the
    # client's inspection is work production never does (as in bench.dashboards).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if args.explain_dir:
        os.makedirs(args.explain_dir, exist_ok=True)
    ensure_data(health=True)
    admin, coordinator = readers_of_dataset()
    ministry = coordinator.organization
    project, axis, indicator = subjects(ministry)
    print(f"database={connection.vendor}")
    print(f"projects={Project.objects.count()}")
    print(f"progress_updates={ProgressUpdate.objects.count()}")
    print(f"obstacles={Obstacle.objects.count()}")
    print(f"notifications={Notification.objects.count()}")
    print(f"ministry_projects={Project.objects.filter(owner__path__startswith=ministry.path).count()}")
    print(f"axis_projects={axis.projects.count()}")
    print(f"load={os.getloadavg()[0]:.2f}")
    users = {"admin": admin, "coordinator": coordinator, "anonymous": None}
    readers = [r for r in args.readers.split(",") if r]
    figures = Figures()
    for page in pages(ministry, project, axis, indicator, args):
        if args.only and not any(part in page.name for part in args.only.split(",") if part):
            continue
        if args.skip and any(part in page.name for part in args.skip.split(",") if part):
            continue
        for reader in readers:
            if reader in page.readers:
                measure(page, reader, users[reader], args, figures)
            elif reader == "anonymous" and page.url:
                from django.test import Client

                print(f"{page.name}_anonymous_status={Client().get(page.url).status_code}")
    print(f"pages_over_100ms_warm={','.join(figures.slow_pages) or 'none'}")
    print(f"load_end={os.getloadavg()[0]:.2f}")
    print_memory()


if __name__ == "__main__":
    main()
