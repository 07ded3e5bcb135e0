"""Benchmark the indicator pages on national-size data: `python -m bench.indicators`.

Generates (once) synthetic indicators with monthly values per region — by default 3,000
indicators × 25 regions × 10 years ≈ 9 million measurements — then times, on warm caches:

- the national scorecard (league table) through the selector the page uses, and the raw SQL that
  reads and aggregates the same data;
- one indicator's page through Django's test client, its selectors alone, and the raw SQL that
  does the same aggregation and reads; the page cold (cache emptied) and warm, and the replay of the
  SELECT statements it runs (`*_reads_*`);
- the indicator list (first page) warm: p95, queries, and the ratio to the replay of its SELECT statements.

Prints key=value lines. Run it against PostgreSQL (the production database):

    psql -h 127.0.0.1 -U postgres -c 'create database masar_bench_ind'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/masar_bench_ind .venv/bin/python -m bench.indicators

`--indicators/--regions/--years` scale the data down; data of the same size is reused, data of
another size is replaced. On SQLite the values are inserted in multi-row batches (use small sizes).

`--realistic` generates nothing: it measures the realistic national dataset already in the database
(`manage.py generate_portfolio`: 300 indicators, about 490,000 values) as its national administrator, with
the page of the indicator that has the most values.
"""

import argparse
import datetime
import io
import logging
import os
import random
import statistics
import sys
import time
from decimal import Decimal

BENCH = "BENCH"
MINISTRIES = 20
NULL = "\\N"  # COPY's text format for NULL
RULES = [("sum", "count"), ("mean", "index"), ("weighted_mean", "percentage"), ("ratio", "ratio")]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masar.settings")
    # Time what production runs: no debug cursor recording every query.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "masar-benchmark-only")
    # The benchmark's national administrator signs in with force_login, which never passes a second factor.
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")
    # Plain static names: hashed ones need collectstatic's manifest and cost the same look-up (as bench.dashboards).
    os.environ.setdefault("STATIC_MANIFEST", "0")
    import django

    django.setup()


def months_of(years):
    first = datetime.date(datetime.date.today().year - years, 1, 1)
    return [datetime.date(first.year + m // 12, m % 12 + 1, 1) for m in range(years * 12)]


def ensure_structure(regions_wanted):
    from masar.accounts.models import Role, User
    from masar.organizations.models import Organization, OrganizationKind, Region, RegionKind
    from masar.organizations.services import organization_create, region_create

    government = Organization.objects.filter(code=f"{BENCH}-GOV").first() or organization_create(
        actor=None, kind=OrganizationKind.GOVERNMENT, code=f"{BENCH}-GOV", name_ar="حكومة القياس"
    )
    ministries = []
    for number in range(1, MINISTRIES + 1):
        code = f"{BENCH}-M{number:02d}"
        ministries.append(
            Organization.objects.filter(code=code).first()
            or organization_create(
                actor=None,
                parent=government,
                kind=OrganizationKind.MINISTRY,
                code=code,
                name_ar=f"وزارة القياس {number}",
            )
        )
    country = Region.objects.filter(code="BX").first() or region_create(
        actor=None, kind=RegionKind.COUNTRY, code="BX", name_ar="بلد القياس"
    )
    regions = []
    for number in range(1, regions_wanted + 1):
        code = f"BX-{number:02d}"
        regions.append(
            Region.objects.filter(code=code).first()
            or region_create(
                actor=None, parent=country, kind=RegionKind.GOVERNORATE, code=code, name_ar=f"ولاية القياس {number}"
            )
        )
    user = User.objects.filter(username="bench.national").first() or User.objects.create_user(
        username="bench.national", password=None, role=Role.NATIONAL_ADMIN, organization=government
    )
    return ministries, regions, user


def bench_indicators():
    from masar.indicators.models import Indicator

    return Indicator.objects.filter(code__startswith=f"{BENCH}-I")


def existing_size():
    from masar.indicators.models import Measurement

    indicators = bench_indicators()
    count = indicators.count()
    if not count:
        return None
    measurements = Measurement.objects.filter(indicator__in=indicators).count()
    return count, measurements


def wipe():
    from django.db import connection

    from masar.indicators.models import Baseline, Indicator, Measurement, ScorecardWeight, Target

    indicators = bench_indicators()
    Measurement.objects.filter(indicator__in=indicators)._raw_delete(connection.alias)
    for model in (Baseline, Target, ScorecardWeight):
        model.objects.filter(indicator__in=indicators)._raw_delete(connection.alias)
    Indicator.objects.filter(code__startswith=f"{BENCH}-I").delete()


def generate(count, regions, months, ministries):
    """Create the indicators, their baselines and targets, and every monthly value per region, approved."""
    from django.db import connection, transaction

    from masar.indicators.models import Baseline, Indicator, Target

    rng = random.Random(2026)
    with transaction.atomic():
        indicators = []
        for number in range(count):
            rule, kind = RULES[number % len(RULES)]
            indicators.append(
                Indicator(
                    code=f"{BENCH}-I{number:05d}",
                    name_ar=f"مؤشر القياس {number}",
                    name_fr=f"Indicateur {number}",
                    unit_ar="وحدة",
                    owner=ministries[number % len(ministries)],
                    classification="public",
                    kind=kind,
                    aggregation=rule,
                    frequency="monthly",
                    disaggregation="region",
                    factor=Decimal(100 if kind == "ratio" else 1),
                    is_sample=True,
                    source="benchmark",
                )
            )
        Indicator.objects.bulk_create(indicators, batch_size=1000)
        indicators = list(bench_indicators().order_by("code"))
        baselines, targets, starts = [], [], {}
        for indicator in indicators:
            start = rng.uniform(20, 60)
            starts[indicator.pk] = start
            baselines.append(Baseline(indicator=indicator, date=months[0], value=Decimal(f"{start:.4f}")))
            targets.append(
                Target(indicator=indicator, period=months[len(months) // 2], value=Decimal(f"{start * 1.4:.4f}"))
            )
            targets.append(Target(indicator=indicator, period=months[-1], value=Decimal(f"{min(start * 1.8, 99):.4f}")))
        Baseline.objects.bulk_create(baselines, batch_size=2000)
        Target.objects.bulk_create(targets, batch_size=2000)
        columns = [
            "indicator_id",
            "period",
            "region_id",
            "value",
            "numerator",
            "denominator",
            "weight",
            "comment",
            "status",
            "needs_review",
            "version",
            "is_sample",
            "source",
            "rejection_reason",
            "sample_fields",
            "updated_at",
        ]
        rows = _rows(indicators, regions, months, starts, rng)
        if connection.vendor == "postgresql":
            _copy(connection, columns, rows)
        else:
            _insert(connection, columns, rows)
    if connection.vendor == "postgresql":
        # What autovacuum does in production: statistics, and the visibility map for index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE indicators_measurement")
            cursor.execute("ANALYZE")


def _rows(indicators, regions, months, starts, rng):
    """Yield one row of text columns per indicator × region × month (the values trend up with noise)."""
    steps = len(months)
    iso = [m.isoformat() for m in months]
    for indicator in indicators:
        start = starts[indicator.pk]
        ratio = indicator.aggregation == "ratio"
        weighted = indicator.aggregation == "weighted_mean"
        pace = rng.uniform(0.5, 1.2)
        for region in regions:
            offset = rng.uniform(-10, 10)
            weight = f"{rng.randint(20, 900)}" if weighted else None
            for step in range(steps):
                value = max(start + offset + pace * 0.8 * start * step / steps + rng.uniform(-1.5, 1.5), 0.5)
                if ratio:
                    denominator = 1000 + region.pk % 7 * 100
                    numerator = min(value * denominator / 100, denominator)
                    yield (
                        indicator.pk,
                        iso[step],
                        region.pk,
                        f"{numerator / denominator * 100:.4f}",
                        f"{numerator:.4f}",
                        f"{denominator}",
                        None,
                    )
                else:
                    yield indicator.pk, iso[step], region.pk, f"{min(value, 100.0):.4f}", None, None, weight


def _copy(connection, columns, rows):
    """Load rows with COPY, indexes dropped first and rebuilt after (much faster than maintaining them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'indicators_measurement' "
            "AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'indicators_measurement'::regclass)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Synthetic rows with known-good keys: skip the deferred foreign-key checks of nine million rows
        # (a superuser's privilege; the benchmark database is throwaway).
        cursor.execute("ALTER TABLE indicators_measurement DISABLE TRIGGER ALL")
    raw = connection.connection
    now = datetime.datetime.now(datetime.UTC).isoformat()
    sql = f"COPY indicators_measurement ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        buffer = io.StringIO()
        for n, (indicator, period, region, value, numerator, denominator, weight) in enumerate(rows, start=1):
            buffer.write(
                f"{indicator}\t{period}\t{region}\t{value}\t{numerator or NULL}\t{denominator or NULL}\t"
                f"{weight or NULL}\t\tapproved\tf\t1\tt\tbenchmark\t\t[]\t{now}\n"
            )
            if n % 200_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("ALTER TABLE indicators_measurement ENABLE TRIGGER ALL")
        for _name, definition in indexes:
            cursor.execute(definition)


def _insert(connection, columns, rows):
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    now = datetime.datetime.now(datetime.UTC).isoformat()
    batch = []
    with connection.cursor() as cursor:

        def flush():
            sql = f"INSERT INTO indicators_measurement ({', '.join(columns)}) VALUES " + ", ".join(
                [placeholders] * len(batch)
            )
            cursor.execute(sql, [value for row in batch for value in row])
            batch.clear()

        for indicator, period, region, value, numerator, denominator, weight in rows:
            batch.append(
                (
                    indicator,
                    period,
                    region,
                    value,
                    numerator,
                    denominator,
                    weight,
                    "",
                    "approved",
                    False,
                    1,
                    True,
                    "benchmark",
                    "",
                    "[]",
                    now,
                )
            )
            if len(batch) == 60:
                flush()
        if batch:
            flush()


def timed(function, repeat):
    """Return the median wall time of function in milliseconds, after one warm-up call."""
    function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


# The same reads as the scorecard selector, by hand: each indicator's latest approved period (an index
# lookup), then that period's values rolled up by the indicator's rule. Runs on PostgreSQL and SQLite.
SCORECARD_SQL = """
WITH latest AS (
    SELECT i.id, i.aggregation, i.disaggregation, i.kind, i.factor,
           (SELECT m.period FROM indicators_measurement m
            WHERE m.indicator_id = i.id AND m.status = 'approved' ORDER BY m.period DESC LIMIT 1) AS period
    FROM indicators_indicator i
)
SELECT l.id, l.period, (
    SELECT CASE WHEN l.aggregation = 'sum' THEN CAST(SUM(m.value) AS DOUBLE PRECISION)
                WHEN l.aggregation = 'mean' OR (l.aggregation = 'weighted_mean' AND l.disaggregation = 'national')
                     THEN CAST(AVG(m.value) AS DOUBLE PRECISION)
                WHEN l.aggregation = 'weighted_mean'
                     THEN CAST(SUM(m.value * m.weight) AS DOUBLE PRECISION)
                          / NULLIF(CAST(SUM(m.weight) AS DOUBLE PRECISION), 0)
                ELSE CAST(SUM(m.numerator) AS DOUBLE PRECISION)
                     / NULLIF(CAST(SUM(m.denominator) AS DOUBLE PRECISION), 0)
           END
    FROM indicators_measurement m
    WHERE m.indicator_id = l.id AND m.status = 'approved' AND m.period = l.period
)
FROM latest l WHERE l.period IS NOT NULL
"""
TRAJECTORY_SQL = [
    "SELECT indicator_id, date, value FROM indicators_baseline WHERE region_id IS NULL",
    "SELECT indicator_id, period, value, kind FROM indicators_target WHERE region_id IS NULL",
    "SELECT indicator_id, weight, version FROM indicators_scorecardweight",
    "SELECT i.id, i.code, i.name_ar, i.owner_id, o.path FROM indicators_indicator i "
    "JOIN organizations_organization o ON o.id = i.owner_id",
]
SERIES_SQL = """
SELECT period,
       CAST(SUM(value * weight) AS DOUBLE PRECISION) / NULLIF(CAST(SUM(weight) AS DOUBLE PRECISION), 0), COUNT(*)
FROM indicators_measurement WHERE indicator_id = %s AND status = 'approved' GROUP BY period ORDER BY period
"""
PAGE_SQL = [
    (
        "SELECT m.*, r.code, r.name_ar FROM indicators_measurement m JOIN organizations_region r ON r.id = m.region_id "
        "WHERE m.indicator_id = %s AND m.status = 'approved' AND m.period = %s ORDER BY r.code",
        "latest",
    ),
    (
        "SELECT m.*, r.code FROM indicators_measurement m LEFT JOIN organizations_region r ON r.id = m.region_id "
        "WHERE m.indicator_id = %s ORDER BY m.period DESC, r.code, m.id LIMIT 50",
        None,
    ),
    ("SELECT COUNT(*) FROM indicators_measurement WHERE indicator_id = %s", None),
    ("SELECT date, value FROM indicators_baseline WHERE indicator_id = %s", None),
    ("SELECT period, value, kind, region_id FROM indicators_target WHERE indicator_id = %s", None),
]


def raw_scorecard(connection):
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")  # as the selector does: compiling costs more than it saves
        cursor.execute(SCORECARD_SQL)
        rows = cursor.fetchall()
        for sql in TRAJECTORY_SQL:
            cursor.execute(sql)
            cursor.fetchall()
    return rows


def raw_indicator_page(connection, indicator_id):
    with connection.cursor() as cursor:
        cursor.execute(SERIES_SQL, [indicator_id])
        series = cursor.fetchall()
        latest = series[-1][0] if series else None
        for sql, extra in PAGE_SQL:
            cursor.execute(sql, [indicator_id, latest] if extra else [indicator_id])
            cursor.fetchall()
    return series


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_page(client, url, repeat):
    """Time a page through the client, cold (cache emptied first) and warm, and the raw SQL of the reads it runs.

    The raw SQL is the page's own SELECT statements replayed on one cursor: what the page costs the database,
    against which its Django work (ORM, Python, template) is the rest.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def cold():
        cache.clear()
        get()

    cpu = []  # this process's CPU time per call of the last sampled function: the Django side, without waits

    def samples(function):
        function()
        times = []
        cpu.clear()
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            function()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        return times

    def replay(statements):
        reads = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]

        def run():
            with connection.cursor() as cursor:
                for sql in reads:
                    cursor.execute(sql)
                    cursor.fetchall()

        return statistics.median(samples(run))

    cold_times = samples(cold)
    with CaptureQueriesContext(connection) as captured_cold:
        cold()
    warm_times = samples(get)
    warm_cpu = statistics.median(cpu)
    with CaptureQueriesContext(connection) as captured:
        get()
    return {
        "cold_median": statistics.median(cold_times),
        "warm_median": statistics.median(warm_times),
        "warm_p95": p95(warm_times),
        "warm_cpu": warm_cpu,
        "queries": len(captured.captured_queries),
        "reads_median": replay([q["sql"] for q in captured.captured_queries]),
        "cold_reads_median": replay([q["sql"] for q in captured_cold.captured_queries]),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=3000)
    parser.add_argument("--regions", type=int, default=25)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--realistic",
        action="store_true",
        help="measure the indicators of the realistic national dataset (manage.py generate_portfolio) already in "
        "the database, as its national administrator, instead of generating the indicator set",
    )
    args = parser.parse_args(argv)
    setup_django()
    for name in ("masar", "masar.request"):
        logging.getLogger(name).setLevel(logging.ERROR)  # not one log line per request timed (as bench.pages)

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from masar.indicators.models import Indicator
    from masar.indicators.selectors import history_page, indicator_overview, scorecards

    call_command("migrate", verbosity=0)
    print(f"database={connection.vendor}")
    if args.realistic:
        from bench.pages import readers_of_dataset
        from masar.indicators.models import Measurement

        user, _coordinator = readers_of_dataset()
        indicators = Indicator.objects.all()
        print("data=realistic")
        print(f"indicators={indicators.count()}")
        print(f"measurements={Measurement.objects.count()}")
    else:
        ministries, regions, user = ensure_structure(args.regions)
        months = months_of(args.years)
        wanted = (args.indicators, args.indicators * args.regions * len(months))
        print(f"indicators={args.indicators}")
        print(f"regions={args.regions}")
        print(f"months={len(months)}")
        size = existing_size()
        if size == wanted:
            print("data=reused")
        else:
            if size:
                wipe()
            start = time.perf_counter()
            generate(args.indicators, regions, months, ministries)
            print(f"generate_s={time.perf_counter() - start:.1f}")
        print(f"measurements={existing_size()[1]}")
        indicators = bench_indicators().filter(aggregation="weighted_mean")

    scorecard_ms = timed(lambda: scorecards(user), args.repeat)
    scorecard_sql_ms = timed(lambda: raw_scorecard(connection), args.repeat)
    cards = scorecards(user)
    print(f"scorecard_ministries={len(cards)}")
    print(f"scorecard_ms={scorecard_ms:.1f}")
    print(f"scorecard_sql_ms={scorecard_sql_ms:.1f}")
    print(f"scorecard_ratio={scorecard_ms / scorecard_sql_ms:.2f}")

    if args.realistic:  # the indicator with the most values, as bench.pages chooses it
        indicator = indicators.annotate(n=Count("measurements")).order_by("-n", "pk").first()
    else:
        indicator = indicators.order_by("code")[args.indicators // 2 // len(RULES)]
    indicator = Indicator.objects.select_related("owner").get(pk=indicator.pk)

    def selectors():
        indicator_overview(indicator)
        list(history_page(indicator, user, 1, 25))

    client = Client()
    client.force_login(user)
    samples = max(args.repeat, 20)  # a p95 needs a few more samples than a median
    selectors_ms = timed(selectors, args.repeat)
    page_sql_ms = timed(lambda: raw_indicator_page(connection, indicator.pk), args.repeat)
    page = measure_page(client, f"/ar/indicators/{indicator.pk}/", samples)
    print(f"indicator_code={indicator.code}")
    print(f"indicator_selectors_ms={selectors_ms:.1f}")
    print(f"indicator_sql_ms={page_sql_ms:.1f}")
    print(f"indicator_selectors_ratio={selectors_ms / page_sql_ms:.2f}")
    print(f"indicator_page_ms={page['warm_median']:.1f}")
    print(f"indicator_page_p95_ms={page['warm_p95']:.1f}")
    print(f"indicator_page_cpu_ms={page['warm_cpu']:.1f}")
    print(f"indicator_page_ratio={page['warm_median'] / page_sql_ms:.2f}")
    print(f"indicator_page_cold_ms={page['cold_median']:.1f}")
    print(f"indicator_page_cold_ratio={page['cold_median'] / page_sql_ms:.2f}")
    print(f"indicator_page_queries={page['queries']}")
    print(f"indicator_page_reads_ms={page['reads_median']:.1f}")
    print(f"indicator_page_reads_ratio={page['warm_median'] / page['reads_median']:.2f}")
    print(f"indicator_page_cold_reads_ratio={page['cold_median'] / page['cold_reads_median']:.2f}")

    listing = measure_page(client, "/ar/indicators/", samples)
    print(f"indicator_list_ms={listing['warm_median']:.1f}")
    print(f"indicator_list_p95_ms={listing['warm_p95']:.1f}")
    print(f"indicator_list_cpu_ms={listing['warm_cpu']:.1f}")
    print(f"indicator_list_cold_ms={listing['cold_median']:.1f}")
    print(f"indicator_list_queries={listing['queries']}")
    print(f"indicator_list_sql_ms={listing['reads_median']:.1f}")
    print(f"indicator_list_ratio={listing['warm_median'] / listing['reads_median']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
