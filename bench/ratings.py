"""Benchmark the nightly rating refresh on national-size data: `python -m bench.ratings`.

Times `health_refresh_all` over every project of the database (median of --repeat runs after one run
that stores the ratings), counts its queries, then executes the same reads directly on a cursor (the
statements the refresh sent, captured) to give the raw SQL time and the ratio. Prints key=value lines.
Run it against PostgreSQL with the realistic national dataset, copied (see bench/dashboards.py):

    createdb -h 127.0.0.1 -U postgres -T masar_bench_national masar_bench_ratings
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/masar_bench_ratings
    .venv/bin/python -m bench.ratings

On a database with projects but no progress update (a bare `generate_portfolio`), --seed-updates
inserts, in SQL, up to 36 monthly updates a project, milestone reports, obstacles and re-baselines,
labelled `source='bench.ratings'`, so that the refresh reads what it reads at national size.
"""

import argparse
import os
import statistics
import time

SOURCE = "bench.ratings"

# Up to 36 monthly updates for every project that has started, to the month before today (or its end):
# the latest is submitted for one project in three, approved otherwise.
SEED_UPDATES = """
INSERT INTO delivery_progressupdate (version, is_sample, source, period, percent_complete, spend_to_date,
    declared_confidence, narrative, status, return_reason, project_id, classification, confirmed_warnings,
    sample_fields, updated_at)
SELECT 1, true, %(source)s, months.period, LEAST(100, 100.0 * (g + 1) / 36)::numeric(5, 2),
    round(COALESCE(p.planned_budget, 0) * (g + 1) / (40 - p.id %% 9), 2),
    (ARRAY['green', 'amber_green', 'amber', 'amber_red', 'red'])[1 + (p.id + g) %% 5], '',
    CASE WHEN g = 35 AND p.id %% 3 = 0 THEN 'submitted' ELSE 'approved' END, '', p.id, 'restricted', '[]', '[]',
    now()
FROM portfolio_project p
CROSS JOIN generate_series(0, 35) AS g
CROSS JOIN LATERAL (
    SELECT (date_trunc('month', LEAST(p.planned_end, current_date - 31)) - make_interval(months => 35 - g))::date
) AS months(period)
WHERE p.status <> 'planned' AND months.period >= date_trunc('month', p.planned_start)
"""
# A report of every milestone due in an update's month, a few weeks late for some.
SEED_REPORTS = """
INSERT INTO delivery_milestonereport (actual_date, milestone_id, update_id)
SELECT m.planned_date + (m.id %% 45)::int, m.id, u.id
FROM portfolio_milestone m
JOIN delivery_progressupdate u ON u.project_id = m.project_id AND u.period = date_trunc('month', m.planned_date)
WHERE u.source = %(source)s
"""
# One obstacle for one project in four, unresolved for half of them.
SEED_OBSTACLES = """
INSERT INTO delivery_obstacle (version, is_sample, source, category, severity, description, proposed_solution,
    status, reported_at, must_act_id, project_id, classification, sample_fields, updated_at)
SELECT 1, true, %(source)s, 'funding', (ARRAY['low', 'medium', 'high', 'critical'])[1 + (p.id / 4) %% 4],
    'bench', '', CASE WHEN p.id %% 8 = 0 THEN 'open' ELSE 'resolved' END, now(), p.owner_id, p.id, 'restricted',
    '[]', now()
FROM portfolio_project p WHERE p.id %% 4 = 0
"""
# The original plan for one project in five, re-baselined once for one in ten, three times for one in twenty.
SEED_BASELINES = """
INSERT INTO delivery_baseline (version, number, planned_start, planned_end, planned_budget, milestone_dates,
    reason, status, requested_at, decision_note, project_id, classification, updated_at)
SELECT 1, n, p.planned_start, p.planned_end - (60 / n), p.planned_budget,
    COALESCE((SELECT jsonb_object_agg(m.id::text, to_char(m.planned_date - 30, 'YYYY-MM-DD'))
              FROM portfolio_milestone m WHERE m.project_id = p.id), '{}'::jsonb),
    CASE WHEN n = 1 THEN '' ELSE 'bench' END, 'approved', now(), '', p.id, 'restricted', now()
FROM portfolio_project p
CROSS JOIN generate_series(1, 4) AS n
WHERE p.id %% 5 = 0 AND (n = 1 OR (n = 2 AND p.id %% 10 = 0) OR (n > 2 AND p.id %% 20 = 0))
"""


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masar.settings")
    os.environ.setdefault("DEBUG", "0")  # time what production runs
    os.environ.setdefault("SECRET_KEY", "masar-benchmark-only")
    import django

    django.setup()


def seed_updates():
    """Insert labelled updates, reports, obstacles and baselines when the database has no update at all."""
    from django.db import connection, transaction

    from masar.delivery.models import ProgressUpdate

    if ProgressUpdate.objects.exists():
        return
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in (SEED_UPDATES, SEED_REPORTS, SEED_OBSTACLES, SEED_BASELINES):
            cursor.execute(statement, {"source": SOURCE})
        cursor.execute("ANALYZE")
    print(f"seed_s={time.perf_counter() - start:.1f}")


def refresh_once():
    """Run the refresh; return its seconds and the statements it sent."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masar.delivery.services.ratings import health_refresh_all

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        count = health_refresh_all()
        seconds = time.perf_counter() - start
    return count, seconds, [q["sql"] for q in captured.captured_queries]


def raw_seconds(statements):
    """Execute the statements on a cursor, fetching every row, and return the seconds it took."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
    return time.perf_counter() - start


def is_read(sql):
    return sql.lstrip().upper().startswith("SELECT") and "pg_advisory" not in sql and "audit_auditentry" not in sql


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after the first (median reported)")
    parser.add_argument("--seed-updates", action="store_true", help="add updates to a database that has none")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from masar.delivery.models import ProgressUpdate
    from masar.portfolio.models import Project

    if args.seed_updates:
        seed_updates()
    print(f"database={connection.vendor}")
    print(f"projects={Project.objects.count()}")
    print(f"updates={ProgressUpdate.objects.count()}")
    count, first, _ = refresh_once()  # stores every rating: the timed runs update in place, as nightly
    print(f"ratings_first_run_s={first:.2f}")
    runs = [refresh_once() for _ in range(args.repeat)]
    seconds = statistics.median(run[1] for run in runs)
    statements = runs[-1][2]
    reads = [sql for sql in statements if is_read(sql)]
    sql_seconds = statistics.median(raw_seconds(reads) for _ in range(args.repeat))
    print(f"ratings_refresh_s={seconds:.2f}")
    print(f"ratings_queries={len(statements)}")
    print(f"ratings_read_queries={len(reads)}")
    print(f"ratings_per_s={count / seconds:.0f}")
    print(f"ratings_sql_s={sql_seconds:.2f}")
    print(f"ratings_ratio={seconds / sql_seconds:.2f}")
    print(f"load={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
