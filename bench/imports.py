"""Benchmark bulk imports on PostgreSQL: `python -m bench.imports`.

Generates, as files a sending system would send, 20,000 projects with three milestones each
(one CSV row per milestone) and 1,000,000 monthly indicator values by region, imports them through
the import path (`masar.imports.services.import_start`, committed, as the national unit), and
in the same run COPYs the same value rows into a bare table. Prints key=value lines:

- import_projects_rows_per_s: project rows (one per milestone) through the row path and the services;
- import_measurements_rows_per_s: value rows through the COPY path (staging, set-based checks, upsert);
- copy_rows_per_s: a plain COPY of the same CSV into a bare table of text columns;
- import_copy_ratio: import_measurements_rows_per_s / copy_rows_per_s (aim: 0.5 or more).

    psql -h 127.0.0.1 -U postgres -c 'create database masar_bench_imports'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/masar_bench_imports .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/masar_bench_imports .venv/bin/python -m bench.imports --scale 0.05

`--scale` multiplies both sizes (0.01: 200 projects and 10,000 values, for a quick check). Data of
an earlier run (codes starting with BIMP) is removed first, so each run imports into the same state.
"""

import argparse
import csv
import datetime
import os
import random
import sys
import tempfile
import time

PREFIX = "BIMP"
SOURCE = "bench"
REGIONS = 25
MONTHS = 100
PROJECTS = 20_000
VALUES = 1_000_000
MILESTONES = 3


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masar.settings")
    os.environ.setdefault("DEBUG", "0")  # no debug cursor recording every query
    os.environ.setdefault("SECRET_KEY", "masar-benchmark-only")
    import django

    django.setup()


def months():
    first = datetime.date(datetime.date.today().year - 10, 1, 1)
    return [datetime.date(first.year + m // 12, m % 12 + 1, 1) for m in range(MONTHS)]


def ensure_structure(indicator_count):
    """Return (importer, strategy code, region codes, indicator codes), creating what is missing."""
    from masar.accounts.models import Role, User
    from masar.core.services import model_create
    from masar.organizations.models import Organization, OrganizationKind, Region, RegionKind
    from masar.organizations.services import organization_create, region_create
    from masar.strategy.models import Axis, Strategy

    government = Organization.objects.filter(code=f"{PREFIX}-GOV").first() or organization_create(
        actor=None, kind=OrganizationKind.GOVERNMENT, code=f"{PREFIX}-GOV", name_ar="حكومة قياس الاستيراد"
    )
    ministry = Organization.objects.filter(code=f"{PREFIX}-M").first() or organization_create(
        actor=None, parent=government, kind=OrganizationKind.MINISTRY, code=f"{PREFIX}-M", name_ar="وزارة القياس"
    )
    importer = User.objects.filter(username="bench-importer").first() or User.objects.create_user(
        username="bench-importer", password=None, role=Role.NATIONAL_ADMIN, organization=government
    )
    strategy = Strategy.objects.filter(code=f"{PREFIX}-S").first() or model_create(
        model=Strategy,
        actor=None,
        data=dict(
            kind="program",
            code=f"{PREFIX}-S",
            name_ar="برنامج القياس",
            owner=ministry,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2030, 12, 31),
        ),
    )
    if not Axis.objects.filter(strategy=strategy, order=1).exists():
        model_create(model=Axis, actor=None, data=dict(strategy=strategy, order=1, name_ar="محور"))
    country = Region.objects.filter(code=f"{PREFIX}-C").first() or region_create(
        actor=None, kind=RegionKind.COUNTRY, code=f"{PREFIX}-C", name_ar="بلد"
    )
    regions = []
    for number in range(1, REGIONS + 1):
        code = f"{PREFIX}-R{number:02d}"
        if not Region.objects.filter(code=code).exists():
            region_create(actor=None, parent=country, kind=RegionKind.GOVERNORATE, code=code, name_ar=f"ولاية {number}")
        regions.append(code)
    return importer, strategy.code, regions, ensure_indicators(ministry, indicator_count)


def ensure_indicators(ministry, count):
    from masar.core.services import model_create
    from masar.indicators.models import Indicator

    codes = []
    for number in range(1, count + 1):
        code = f"{PREFIX}-I{number:04d}"
        if not Indicator.objects.filter(code=code).exists():
            model_create(
                model=Indicator,
                actor=None,
                data=dict(
                    code=code,
                    name_ar=f"مؤشر {number}",
                    unit_ar="عدد",
                    owner=ministry,
                    kind="count",
                    frequency="monthly",
                    disaggregation="region",
                    aggregation="sum",
                    classification="public",
                ),
            )
        codes.append(code)
    return codes


def wipe():
    """Remove what an earlier run imported, so every run starts from the same state."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM indicators_measurement WHERE indicator_id IN"
            " (SELECT id FROM indicators_indicator WHERE code LIKE %s)",
            [f"{PREFIX}-%"],
        )
        cursor.execute(
            "DELETE FROM portfolio_milestone WHERE project_id IN (SELECT id FROM portfolio_project WHERE code LIKE %s)",
            [f"{PREFIX}-%"],
        )
        cursor.execute("DELETE FROM portfolio_project WHERE code LIKE %s", [f"{PREFIX}-%"])
        cursor.execute("DELETE FROM imports_externalreference WHERE source_system = %s", [SOURCE])
    with connection.cursor() as cursor:  # outside a transaction: every run starts from tables without dead rows
        tables = ("indicators_measurement", "portfolio_milestone", "portfolio_project", "imports_externalreference")
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def write_projects(path, count, strategy):
    header = [
        "source_system", "external_id", "code", "name_ar", "owner", "strategy", "axis", "planned_start",
        "planned_end", "planned_budget", "classification", "milestone_order", "milestone_name_ar",
        "milestone_planned_date",
    ]  # fmt: skip
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number in range(count):
            project = [SOURCE, f"p{number}", f"{PREFIX}-P{number:06d}", f"مشروع {number}", f"{PREFIX}-M", strategy, 1]
            dates = ["2025-01-01", "2027-12-31", 100000 + number, "public"]
            for order in range(1, MILESTONES + 1):
                writer.writerow([*project, *dates, order, f"معلم {order}", f"2026-{order * 3:02d}-01"])
    return count * MILESTONES


def write_values(path, indicators, regions, rng):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source_system", "external_id", "indicator", "period", "region", "value"])
        rows = 0
        for indicator in indicators:
            for region in regions:
                value = rng.randint(1000, 5000)
                for month in months():
                    # A series moves by at most a tenth a month: no jump needing a comment (the value form's rule).
                    value = max(1, round(value * rng.uniform(0.9, 1.1)))
                    writer.writerow([SOURCE, f"v{rows}", indicator, month.strftime("%Y-%m"), region, value])
                    rows += 1
    return rows


def timed_import(importer, kind, path):
    from django.core.files import File

    from masar.imports.services import import_start

    start = time.perf_counter()
    with open(path, "rb") as handle:
        job = import_start(actor=importer, kind=kind, upload=File(handle, name=os.path.basename(path)), dry_run=False)
    elapsed = time.perf_counter() - start
    if job.status != "done":
        sys.exit(f"the {kind} import was refused: {job.errors[:5]}")
    return job, elapsed


def timed_copy(path):
    """COPY the same value file into a bare table of text columns; return the seconds it took."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_bare (source_system text, external_id text, indicator text, period text,"
            " region text, value text) ON COMMIT DROP"
        )
        start = time.perf_counter()
        with (
            open(path, "rb") as handle,
            cursor.copy("COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the sizes (e.g. 0.01 for a quick check)")
    args = parser.parse_args(argv)
    setup_django()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench.imports measures the PostgreSQL path: set DATABASE_URL to a PostgreSQL database")
    settings.IMPORT_WORKER_ROWS = 10**9  # time the import itself, not the queue: run it here
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="masar-bench-imports-")
    projects = max(1, round(PROJECTS * args.scale))
    indicator_count = max(1, round(VALUES * args.scale / (REGIONS * MONTHS)))
    importer, strategy, regions, indicators = ensure_structure(indicator_count)
    wipe()
    folder = tempfile.mkdtemp(prefix="masar-bench-files-")
    projects_path, values_path = os.path.join(folder, "projects.csv"), os.path.join(folder, "values.csv")
    project_rows = write_projects(projects_path, projects, strategy)
    value_rows = write_values(values_path, indicators, regions, random.Random(7))
    print(f"database={connection.vendor}")
    print(f"scale={args.scale}")
    print(f"projects={projects}")
    print(f"project_rows={project_rows}")
    print(f"measurement_rows={value_rows}")
    job, seconds = timed_import(importer, "projects", projects_path)
    print(f"import_projects_s={seconds:.1f}")
    print(f"import_projects_rows_per_s={project_rows / seconds:.0f}")
    job, seconds = timed_import(importer, "measurements", values_path)
    print(f"import_measurements_created={job.created_count}")
    print(f"import_measurements_s={seconds:.1f}")
    import_rate = value_rows / seconds
    print(f"import_measurements_rows_per_s={import_rate:.0f}")
    seconds = timed_copy(values_path)
    copy_rate = value_rows / seconds
    print(f"copy_s={seconds:.2f}")
    print(f"copy_rows_per_s={copy_rate:.0f}")
    print(f"import_copy_ratio={import_rate / copy_rate:.2f}")


if __name__ == "__main__":
    main()
