"""Benchmark the open-data doors at national size: `python -m bench.opendata [--repeat N] [--fresh]`.

Works in a database of its own: with DATABASE_URL pointing at PostgreSQL, the database
`masar_bench_opendata` on that server (created when missing); otherwise the SQLite file
`masar_bench_opendata.sqlite3` in the temporary directory. The data (flagged is_sample, source
"synthetic (bench.opendata)") is generated once with bulk_create and reused by the next run (`--fresh`
generates it again): 500 organizations, 20,000 projects (60 % public), and 500 published datasets
with their three files each (small contents: the files' generation is timed by the worker, not here),
plus 50 withdrawn ones the doors must not serve.

Times, through Django's test client, `package_search` as a harvester and a portal call it — 100 full
records with five facets, then the same with a free-text `q` — and replays the SELECT statements a
request runs directly on a cursor (the database's own share of the work). Prints key=value lines:

- package_search_p95_ms, package_search_queries (all of a request, the exchange log's entry included),
  package_search_raw_p95_ms, package_search_ratio (p95 over the raw p95);
- package_search_q_p95_ms, package_search_q_raw_p95_ms, package_search_q_ratio, package_search_q_count;
- package_show_p95_ms;
- dcat_catalogue_warm_s: the worker rendering every page of the catalogue at each address (after a refresh);
  dcat_catalog_page_ms (median), dcat_catalog_page_p95_ms, dcat_catalog_page_queries, dcat_catalog_page_ratio:
  the first page of `/catalog.ttl` (100 datasets) as harvesters find it; dcat_catalog_page_cold_ms: the same page
  rendered on the request (a record on it changed since the worker's last refresh).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.opendata
"""

import argparse
import datetime
import hashlib
import json
import logging
import random
import statistics
import sys
import time
from decimal import Decimal

from bench.own_database import database_url, setup_django

DATABASE = "masar_bench_opendata"
PREFIX = "BOD"
SOURCE = "synthetic (bench.opendata)"
PROVENANCE = {"is_sample": True, "source": SOURCE}
SEED = 14
ORGANIZATIONS = 500
MINISTRIES = 24
PROJECTS = 20_000
PUBLISHED = 500
WITHDRAWN = 50
BATCH = 2000
WORDS = (
    "الرقمنة",
    "الخدمات الإدارية",
    "البنية التحتية",
    "الأمن السيبراني",
    "الاقتصاد الرقمي",
    "المنصة الوطنية",
    "التعليم",
    "الصحة",
    "النقل",
    "الجهات",
    "المالية العمومية",
    "البيانات المفتوحة",
)
FACETS = ["organization", "groups", "tags", "res_format", "license_id"]


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


# The database of its own ------------------------------------------------------------------------


def holds_only_bench_data():
    """Return True when the database holds this benchmark's data, False when it is empty; exit otherwise."""
    from masar.organizations.models import Organization

    if not Organization.objects.exists():
        return False
    if Organization.objects.exclude(code__startswith=f"{PREFIX}-").exists():
        sys.exit(f"{DATABASE} holds data that bench.opendata did not generate: drop it or run with --fresh")
    return True


# The data ------------------------------------------------------------------------------------------


def insert(model, objects):
    model._default_manager.bulk_create(objects, batch_size=BATCH)
    return objects


def audit(model, count):
    from masar.audit.models import Action
    from masar.audit.services import audit_record

    audit_record(
        actor=None,
        action=Action.BULK_CREATE,
        instance=None,
        model=model,
        object_id=SOURCE,
        changes={"count": count, "seed": SEED},
    )


def organizations(rng):
    from masar.organizations.models import Organization, OrganizationKind

    def place(nodes):
        for node in nodes:
            node.path = f"{node.parent.path if node.parent_id else '/'}{node.pk}/"
            node.depth = node.path.count("/") - 2
        Organization.objects.bulk_update(nodes, ["path", "depth"], batch_size=BATCH)

    root = insert(
        Organization,
        [Organization(code=f"{PREFIX}-GOV", kind=OrganizationKind.GOVERNMENT, name_ar="الحكومة", **PROVENANCE)],
    )
    place(root)
    ministries = [
        Organization(
            code=f"{PREFIX}-M{n:02d}",
            parent=root[0],
            kind=OrganizationKind.MINISTRY,
            order=n,
            name_ar=f"وزارة {rng.choice(WORDS)} {n}",
            name_fr=f"Ministère {n}",
            name_en=f"Ministry {n}",
            **PROVENANCE,
        )
        for n in range(1, MINISTRIES + 1)
    ]
    place(insert(Organization, ministries))
    units = [
        Organization(
            code=f"{PREFIX}-U{n:04d}",
            parent=rng.choice(ministries),
            kind=OrganizationKind.DIRECTORATE,
            order=n,
            name_ar=f"الإدارة العامة {rng.choice(WORDS)} {n}",
            **PROVENANCE,
        )
        for n in range(ORGANIZATIONS - 1 - MINISTRIES)
    ]
    place(insert(Organization, units))
    audit(Organization, ORGANIZATIONS)
    return ministries, ministries + units


def strategy_and_projects(rng, owners):
    from masar.core.models import Classification
    from masar.portfolio.models import Project, ProjectStatus
    from masar.portfolio.services import search_text_of
    from masar.strategy.models import Axis, Program, Strategy, StrategyKind

    strategy = insert(
        Strategy,
        [
            Strategy(
                code=f"{PREFIX}-S1",
                kind=StrategyKind.PROGRAM,
                owner=owners[0],
                period_start=datetime.date(2025, 1, 1),
                period_end=datetime.date(2026, 12, 31),
                name_ar="البرنامج الوطني للتحول الرقمي",
                classification=Classification.PUBLIC,
                **PROVENANCE,
            )
        ],
    )[0]
    axes = insert(Axis, [Axis(strategy=strategy, order=i, name_ar=WORDS[i], **PROVENANCE) for i in range(1, 5)])
    programs = insert(
        Program,
        [
            Program(
                strategy=strategy,
                axis=a,
                order=a.order * 10 + i,
                code=f"{PREFIX}-PG{a.order}{i}",
                name_ar=WORDS[i],
                **PROVENANCE,
            )
            for a in axes
            for i in range(1, 4)
        ],
    )
    for start in range(0, PROJECTS, BATCH):
        batch = []
        for n in range(start, min(PROJECTS, start + BATCH)):
            program = rng.choice(programs)
            begin = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(2500))
            r = rng.random()
            project = Project(
                code=f"{PREFIX}-P{n:06d}",
                owner=rng.choice(owners),
                strategy=strategy,
                axis_id=program.axis_id,
                program=program,
                name_ar=f"مشروع {rng.choice(WORDS)} {n}",
                description_ar=" ".join(rng.choices(WORDS, k=8)),
                planned_start=begin,
                planned_end=begin + datetime.timedelta(days=rng.randint(180, 1500)),
                planned_budget=Decimal(rng.randint(50, 20_000) * 1000),
                status=rng.choice(ProjectStatus.values),
                classification=Classification.PUBLIC
                if r < 0.6
                else Classification.RESTRICTED
                if r < 0.9
                else Classification.CONFIDENTIAL,
                **PROVENANCE,
            )
            project.search_text = search_text_of(project)
            batch.append(project)
        insert(Project, batch)
    for model, count in ((Strategy, 1), (Axis, len(axes)), (Program, len(programs)), (Project, PROJECTS)):
        audit(model, count)
    return strategy


def publications(rng, ministries, owners, strategy):
    """Create the published datasets and their files (small contents) as the services leave them."""
    from django.utils import timezone

    from masar.core.models import Classification
    from masar.opendata.models import (
        Dataset,
        EuTheme,
        Licence,
        NationalTheme,
        Publication,
        PublicationStatus,
        PublicView,
        Resource,
        ResourceFormat,
        UpdateFrequency,
    )
    from masar.opendata.services import _keep_search_text  # the one owner of search_text and theme_keys

    owners_of_data = ministries + rng.sample(owners[len(ministries) :], 76)
    datasets = insert(
        Dataset,
        [
            Dataset(
                code=f"{PREFIX.lower()}-projects-{n:03d}",
                name_ar=f"مشاريع {owner.name_ar}",
                record_type="projects",
                owner=owner,
                classification=Classification.PUBLIC,
                update_frequency=rng.choice(UpdateFrequency.values),
                lineage=["pages"],
            )
            for n, owner in enumerate(owners_of_data)
        ],
    )
    now = timezone.now()
    rows = []
    for n in range(PUBLISHED + WITHDRAWN):
        published = now - datetime.timedelta(days=rng.randrange(730), seconds=rng.randrange(86400))
        words = rng.sample(WORDS, 3)
        publication = Publication(
            name=f"{PREFIX.lower()}-dataset-{n:04d}",
            dataset=rng.choice(datasets),
            view=PublicView.PROJECTS,
            strategy=strategy,
            title_ar=f"مشاريع {words[0]} {n}",
            title_fr=f"Projets {n}",
            title_en=f"Projects {n}",
            description_ar=" ".join(words) + " — مشاريع البرنامج مع حالتها وتقييمها",
            description_fr="Les projets du programme avec leur état et leur notation",
            description_en="The program's projects with their status and rating",
            licence=rng.choice(Licence.values),
            themes=rng.sample(EuTheme.values, 2),
            national_themes=[rng.choice(NationalTheme.values)],
            keywords=rng.sample(WORDS, 3),
            temporal_start=datetime.date(2025, 1, 1),
            temporal_end=datetime.date(2026, 12, 31),
            status=PublicationStatus.PUBLISHED if n < PUBLISHED else PublicationStatus.WITHDRAWN,
            published_at=published,
            modified_at=published + datetime.timedelta(days=rng.randrange(30)),
        )
        _keep_search_text(publication)
        rows.append(publication)
    insert(Publication, rows)
    resources = []
    for publication in rows:
        for fmt in ResourceFormat.values:
            content = f"code,name\r\n{publication.name},{publication.title_ar}\r\n".encode() * 4
            resources.append(
                Resource(
                    publication=publication,
                    format=fmt,
                    content=content,
                    sha256=hashlib.sha256(content).hexdigest(),
                    size=len(content),
                    row_count=4,
                    generated_at=publication.modified_at,
                    modified_at=publication.modified_at,
                )
            )
    insert(Resource, resources)
    audit(Publication, len(rows))


def ensure_data(fresh):
    from masar.opendata.models import Publication
    from masar.portfolio.models import Project

    if holds_only_bench_data() and not fresh:
        if Project.objects.count() == PROJECTS and Publication.objects.count() == PUBLISHED + WITHDRAWN:
            print("data=reused")
            return
        sys.exit(f"{DATABASE} holds an unfinished generation: run with --fresh")
    rng = random.Random(SEED)
    start = time.perf_counter()
    from django.db import transaction

    with transaction.atomic():
        ministries, owners = organizations(rng)
        strategy = strategy_and_projects(rng, owners)
        publications(rng, ministries, owners, strategy)
    print(f"generate_s={time.perf_counter() - start:.1f}")
    analyze()


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# The measures ----------------------------------------------------------------------------------------


def reads_of(client, url):
    """Return the SELECT statements one request runs, and how many statements it runs in all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    statements = [q["sql"] for q in captured.captured_queries]
    return [s for s in statements if s.lstrip()[:6].upper() in ("SELECT", "WITH")], len(statements)


def replay(reads):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def measure(name, client, url, repeat):
    client.get(url)  # warm the process (imports, translations), as a running server is
    times = timed(lambda: client.get(url), repeat)
    reads, statements = reads_of(client, url)
    raw = timed(replay(reads), repeat)
    print(f"{name}_p95_ms={p95(times):.1f}")
    print(f"{name}_median_ms={statistics.median(times):.1f}")
    print(f"{name}_queries={statements}")
    print(f"{name}_raw_p95_ms={p95(raw):.1f}")
    print(f"{name}_ratio={p95(times) / max(p95(raw), 0.001):.2f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark's database and generate again")
    args = parser.parse_args(argv)
    setup_django(database_url(DATABASE, args.fresh))
    for name in ("masar", "masar.request"):
        logging.getLogger(name).setLevel(logging.ERROR)  # not one log line per request timed

    from urllib.parse import urlencode

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from masar.opendata.selectors import catalogue
    from masar.portfolio.models import Project

    call_command("migrate", verbosity=0)
    print(f"database={connection.vendor}")
    ensure_data(args.fresh)
    print(f"projects={Project.objects.count()}")
    print(f"datasets_served={catalogue().count()}")
    client = Client()
    facets = json.dumps(FACETS)
    search = "/api/3/action/package_search?" + urlencode({"rows": 100, "facet.field": facets})
    measure("package_search", client, search, args.repeat)
    word = WORDS[1]
    searched = "/api/3/action/package_search?" + urlencode({"rows": 100, "q": word, "facet.field": facets})
    count = json.loads(client.get(searched).content)["result"]["count"]
    measure("package_search_q", client, searched, args.repeat)
    print(f"package_search_q_count={count}")
    name = catalogue().values_list("name", flat=True).first()
    times = timed(lambda: client.get(f"/api/3/action/package_show?id={name}"), args.repeat)
    print(f"package_show_p95_ms={p95(times):.1f}")
    measure_dcat(client, args.repeat)


def measure_dcat(client, repeat):
    """Time the first page of /catalog.ttl as harvesters find it (the worker rendered it), and rendered on request."""
    from django.core.cache import cache

    from masar.opendata.dcat import catalogue_warm

    cache.clear()
    started = time.perf_counter()
    pages = catalogue_warm()  # what the worker does after each refresh of the open data
    print(f"dcat_catalogue_warm_s={time.perf_counter() - started:.1f}")
    print(f"dcat_catalogue_pages_rendered={pages}")
    times = timed(lambda: client.get("/catalog.ttl"), repeat)
    print(f"dcat_catalog_page_ms={statistics.median(times):.1f}")
    print(f"dcat_catalog_page_p95_ms={p95(times):.1f}")
    reads, statements = reads_of(client, "/catalog.ttl")
    raw = timed(replay(reads), repeat)
    print(f"dcat_catalog_page_queries={statements}")
    print(f"dcat_catalog_page_ratio={p95(times) / max(p95(raw), 0.001):.2f}")

    def cold():
        cache.clear()
        return client.get("/catalog.ttl")

    times = timed(cold, max(3, repeat // 10))
    print(f"dcat_catalog_page_cold_ms={statistics.median(times):.1f}")


if __name__ == "__main__":
    main()
