"""Benchmark the dashboards on national-size data: `python -m bench.dashboards`.

Times the national, one sectoral and the public dashboard through Django's test client, cold
(cache cleared before each request) and warm (served from the cache), and the raw SQL of the
same aggregates (the statements a cold request runs, executed directly on a cursor); counts the
queries of a cold and of a warm request. The public dashboard is timed for an anonymous visitor
(whom the public page cache serves when warm) and for a signed-in reader (whom the dashboards'
own cache serves: `public_signed_in_*`). Prints key=value lines.

Run it against PostgreSQL on the realistic national dataset (20,000 projects with their monthly
updates, obstacles, decisions and indicators), copied from the database that holds it:

    createdb -h 127.0.0.1 -U postgres -T masar_bench_national masar_bench_dash
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/masar_bench_dash
    .venv/bin/python manage.py migrate
    .venv/bin/python -m bench.dashboards

or generate it into an empty database (`manage.py migrate`, then `manage.py generate_portfolio
--organizations 500 --regions 25 --projects 20000 --years 10 --seed 1`). With no project in the
database the benchmark generates that portfolio itself; with no rating it computes them once
(`--no-health` skips it). `realistic=0` in the output says the data has no delivery history
(no progress update): its figures flatter the code.
"""

import argparse
import logging
import os
import statistics
import time


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masar.settings")
    os.environ.setdefault("DEBUG", "0")  # time what production runs
    os.environ.setdefault("SECRET_KEY", "masar-benchmark-only")
    import django

    django.setup()


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def ensure_data(*, health):
    from django.core.management import call_command

    from masar.delivery.models import ProjectHealth
    from masar.portfolio.models import Project

    if not Project.objects.exists():
        call_command("generate_portfolio", organizations=500, regions=25, projects=20000, years=10, seed=1, verbosity=0)
    if health and not ProjectHealth.objects.exists():
        from masar.delivery.services.ratings import health_refresh_all

        start = time.perf_counter()
        health_refresh_all()
        print(f"health_refresh_s={time.perf_counter() - start:.1f}")


def analyze_once(connection):
    """Gather the planner's statistics of a PostgreSQL database never analyzed (a fresh copy or generation).

    Without them the planner reads each project's latest update through the status index: the dashboards'
    spend took minutes instead of a fifth of a second.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_analyze IS NULL AND last_autoanalyze IS NULL FROM pg_stat_user_tables"
            " WHERE relname = 'delivery_progressupdate'"
        )
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("ANALYZE")
            print("analyzed=1")


def reader():
    from masar.accounts.models import Role, User

    user, _ = User.objects.get_or_create(username="bench-dashboards", defaults={"role": Role.NATIONAL_ADMIN})
    return user


def busiest_ministry():

    from masar.organizations.models import Organization, OrganizationKind
    from masar.portfolio.models import Project

    ministries = list(Organization.objects.filter(kind=OrganizationKind.MINISTRY))
    counts = {m.pk: Project.objects.filter(owner__path__startswith=m.path).count() for m in ministries}
    return max(ministries, key=lambda m: counts[m.pk])


def measure(client, name, url, repeat):
    """Print the cold and warm times of one page, its queries, and the time of its reads replayed as raw SQL."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cold():
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def warm():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    cold()  # load the code paths and the database's buffers once
    cold_times = timed(cold, repeat)
    with CaptureQueriesContext(connection) as captured:
        cold()
    statements = [q["sql"] for q in captured.captured_queries]
    # Replay the reads only (server-side cursors and session writes are not the aggregates).
    reads = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    warm()
    with CaptureQueriesContext(connection) as captured_warm:
        warm()
    # Counted now: every request's start empties the connection's log the capture reads.
    warm_queries = len(captured_warm.captured_queries)
    warm_times = timed(warm, repeat)

    def raw():
        with connection.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()

    sql_times = timed(raw, repeat)
    ratio = statistics.median(cold_times) / statistics.median(sql_times)
    print(f"{name}_cold_median_ms={statistics.median(cold_times):.1f}")
    print(f"{name}_cold_p95_ms={p95(cold_times):.1f}")
    print(f"{name}_sql_median_ms={statistics.median(sql_times):.1f}")
    print(f"{name}_cold_ratio={ratio:.2f}")
    print(f"{name}_warm_median_ms={statistics.median(warm_times):.1f}")
    print(f"{name}_warm_p95_ms={p95(warm_times):.1f}")
    print(f"{name}_queries={len(statements)}")
    print(f"{name}_queries_warm={warm_queries}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-health", action="store_true", help="do not compute missing ratings")
    args = parser.parse_args()
    # The reader signs in with force_login, which passes no second factor; static names stay plain (hashed
    # ones need collectstatic's manifest and cost the same look-up). Here, not in setup_django: other
    # benchmarks share it and start servers with this environment.
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    setup_django()
    for name in ("masar", "masar.request"):
        logging.getLogger(name).setLevel(logging.ERROR)  # not one log line per request timed
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from masar.decisions.models import Decision
    from masar.delivery.models import Obstacle, ProgressUpdate, ProjectHealth
    from masar.indicators.models import Indicator
    from masar.portfolio.models import Project

    # The test client's host; not setup_test_environment(), whose copy of every template's context
    # for the test client's inspection cost more than the dashboards' own rendering.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    ensure_data(health=not args.no_health)
    analyze_once(connection)
    print(f"database={connection.vendor}")
    print(f"projects={Project.objects.count()}")
    print(f"ratings={ProjectHealth.objects.count()}")
    updates = ProgressUpdate.objects.count()
    print(f"progress_updates={updates}")
    print(f"obstacles={Obstacle.objects.count()}")
    print(f"decisions={Decision.objects.count()}")
    print(f"indicators={Indicator.objects.count()}")
    print(f"realistic={int(updates > 0)}")
    print(f"load_average={os.getloadavg()[0]:.2f}")
    client = Client()
    client.force_login(reader())
    ministry = busiest_ministry()
    print(f"sectoral_projects={Project.objects.filter(owner__path__startswith=ministry.path).count()}")
    measure(client, "national", "/en/dashboards/", args.repeat)
    measure(client, "sectoral", f"/en/dashboards/organizations/{ministry.pk}/", args.repeat)
    measure(Client(), "public", "/en/dashboards/public/", args.repeat)
    measure(client, "public_signed_in", "/en/dashboards/public/", args.repeat)
    print(f"load_average_end={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
