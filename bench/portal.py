"""Benchmark the public portal on a national catalogue: `python -m bench.portal [--services N] [--fresh]`.

Works in a database of its own: with DATABASE_URL pointing at PostgreSQL, the database `masar_bench_portal`
on that server (created when missing, dropped first with `--fresh`); otherwise the SQLite file
`masar_bench_portal.sqlite3` in the temporary directory. The catalogue (`bench.portal_data`: 5,000 services
over about 500 organizations, 3–6 required documents each, ratings, complaints, project links, and the monthly
usage of each channel of each service over ten years, about 2,000,000 rows) is generated once and reused by
the next run of the same size.

Times, through Django's test client, anonymous requests as visitors make them:

- the directory (`portal-directory`): no filter, texts typed as people type them (a word, a phrase, no hamza,
  taa marbuta written as haa, French and English words), channel and level, an organization (its whole subtree),
  a life event, the second page;
- the service page (`portal-service-detail`) of many different services.

Cold: the cache emptied before each request (no page in the page cache, no search in the search cache); warm:
the same request again, as the next visitor gets it from `masar.core.pagecache`. Prints key=value lines:

- services, usage_rows (and the other counts), generate_s when generated; typed_queries_found: how many of the
  typed texts find a service (the search index holds the services);
- directory_cold_p95_ms, directory_warm_p95_ms, directory_cold_queries, directory_warm_queries (over all the
  directory's requests; queries: the most of one request), the same per request (`directory_q_cold_p95_ms`, ...)
  and `*_warm_hits` (warm requests the page cache answered);
- service_page_cold_p95_ms, service_page_warm_p95_ms, service_page_cold_queries, service_page_warm_queries;
- directory_raw_sql_ms: the main read of the directory without filter (its SELECTs on the services table: the
  page's rows and their count) run bare on a cursor, median; directory_reads_sql_ms: every SELECT of that cold
  request; directory_raw_sql_ratio: that request's cold median over directory_raw_sql_ms; service_page_raw_sql_ms
  and service_page_raw_sql_ratio alike over every SELECT of a cold service page;
- home_* and delivering_*: the portal's two other pages (what `digitization_by_owner` costs them);
- selector_*: the reads the pages are made of, called directly (`service_list` per filter, the service page's
  reads, a year of one service's usage, `digitization_by_owner` over the ministries for the latest month,
  `latest_usage_month`): p95 with the cache emptied before each call, and queries.

`--explain` prints `EXPLAIN (ANALYZE, BUFFERS)` of the slowest read of each page and selector (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.portal
"""

import argparse
import logging
import os
import random
import statistics
import sys
import time

from bench.own_database import database_url, setup_django
from bench.portal_data import PREFIX, Sizes
from bench.portal_reads import captured, explain, measure_selectors, p95, reads_of, replay_ms
from bench.portal_words import TYPED_QUERIES

DATABASE = "masar_bench_portal"


# The data ------------------------------------------------------------------------------------------------


def size_of_data():
    """Return (services, organizations, months) of the benchmark's data, or None when there is none.

    Exit when the database holds anything the benchmark did not generate: its figures would not be this one's.
    """
    from masar.catalogue.models import Service, ServiceUsage
    from masar.organizations.models import Organization

    if not Organization.objects.exists():
        return None
    if Organization.objects.exclude(code__startswith=f"{PREFIX}-").exists():
        sys.exit(f"{DATABASE} holds organizations bench.portal did not generate: drop it or run with --fresh")
    months = ServiceUsage.objects.dates("month", "month").count()
    return Service.objects.count(), Organization.objects.count(), months


def ensure_data(sizes):
    """Generate the catalogue unless the database holds one of this size; return the services and ministries."""
    from bench.portal_data import generate
    from masar.catalogue.models import Service
    from masar.organizations.models import Organization, OrganizationKind

    found = size_of_data()
    if found is None:
        started = time.perf_counter()
        generate(sizes)
        print(f"generate_s={time.perf_counter() - started:.1f}")
        analyze()
    elif found[0] != sizes.services or found[2] != sizes.months:
        sys.exit(f"{DATABASE} holds {found[0]} services over {found[2]} months: run with --fresh to generate again")
    else:
        print("data=reused")
    ministries = list(Organization.objects.filter(kind=OrganizationKind.MINISTRY).order_by("pk"))
    return list(Service.objects.order_by("pk").values_list("pk", "classification")), ministries


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def print_sizes():
    from masar.catalogue.models import Feedback, Rating, RequiredDocument, Service, ServiceProject, ServiceUsage
    from masar.organizations.models import Organization
    from masar.search.models import SearchEntry

    print(f"services={Service.objects.count()}")
    print(f"usage_rows={ServiceUsage.objects.count()}")
    print(f"organizations={Organization.objects.count()}")
    print(f"required_documents={RequiredDocument.objects.count()}")
    print(f"ratings={Rating.objects.count()}")
    print(f"feedback={Feedback.objects.count()}")
    print(f"project_links={ServiceProject.objects.count()}")
    print(f"search_entries_services={SearchEntry.objects.filter(kind='service').count()}")


def print_found():
    """Print how many of the texts people type find a service (none when the index does not hold the services)."""
    from masar.catalogue.selectors import ServiceFilters, service_list
    from masar.core.policy import Reader

    found = sum(service_list(Reader.public(), ServiceFilters(q=text)).exists() for text in TYPED_QUERIES)
    print(f"typed_queries_found={found}/{len(TYPED_QUERIES)}")


# What is requested -------------------------------------------------------------------------------------------


class Ask:
    """One directory request: its name, the filters each repeat asks (cycled) and the page."""

    def __init__(self, name, filters, page=1):
        self.name, self.filters, self.page = name, filters, page

    def at(self, n):
        return self.filters[n % len(self.filters)]


def directory_asks(ministries):
    """Return the directory's requests: no filter, typed texts, channel and level, the busiest ministry, a life
    event, page 2."""
    from django.db.models import Count

    from masar.catalogue.models import Channel, DigitizationLevel, LifeEvent, Service
    from masar.catalogue.selectors import ServiceFilters

    counts = dict(Service.objects.values_list("owner__path").annotate(n=Count("pk")))
    busiest = max(ministries, key=lambda m: sum(n for path, n in counts.items() if path.startswith(m.path)))
    event = LifeEvent.objects.order_by("order", "pk").first()
    return [
        Ask("all", [ServiceFilters()]),
        Ask("q", [ServiceFilters(q=text) for text in TYPED_QUERIES]),
        Ask("channel_level", [ServiceFilters(channel=Channel.WEB, level=DigitizationLevel.PROCESSING)]),
        Ask("organization", [ServiceFilters(organization=busiest.pk)]),
        Ask("life_event", [ServiceFilters(life_event=event.pk if event else None)]),
        Ask("page2", [ServiceFilters()], page=2),
    ]


def public_sample(services, count, seed):
    """Return count different public services, drawn with a fixed seed."""
    from masar.core.models import Classification

    public = [pk for pk, classification in services if classification == Classification.PUBLIC]
    return random.Random(seed).sample(public, min(count, len(public)))


# The pages -----------------------------------------------------------------------------------------------------


def portal_url(name, args=(), query=None, language="ar"):
    """Return the address of a portal page in a language, or "" while the portal has no such page."""
    from urllib.parse import urlencode

    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    try:
        with translation.override(language):
            url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def directory_query(filters, page):
    """Return the directory's parameters asking what filters and page ask."""
    fields = ("q", "organization", "life_event", "category", "channel", "audience", "level", "min_level")
    query = {name: getattr(filters, name) for name in fields if getattr(filters, name) not in (None, "")}
    if filters.with_once_only:
        query["once_only"] = 1
    if page > 1:
        query["page"] = page
    return query


class Timed:
    """The figures of one page over its requests."""

    def __init__(self):
        self.cold, self.warm, self.hits = [], [], 0
        self.cold_statements, self.warm_statements = [], []


def measure_page(urls, repeat):
    """Request each url cold (cache emptied) then warm (the same again); repeats cycle through urls."""
    from django.core.cache import cache
    from django.test import Client

    from masar.core.pagecache import CACHE_HEADER

    client = Client()
    figures = Timed()

    def get(url):
        client.cookies.clear()  # every visitor is a new one
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url}: status {response.status_code}")
        return elapsed, response

    get(urls[0])  # what a process reads once (translations, templates) is not the page's
    for n in range(repeat):
        url = urls[n % len(urls)]
        cache.clear()
        figures.cold.append(get(url)[0])
        elapsed, response = get(url)
        figures.warm.append(elapsed)
        figures.hits += response.get(CACHE_HEADER) == "hit"
    cache.clear()
    figures.cold_statements = captured(lambda: get(urls[0]))
    figures.warm_statements = captured(lambda: get(urls[0]))
    return figures


def print_page(key, figures):
    print(f"{key}_cold_p95_ms={p95(figures.cold):.1f}")
    print(f"{key}_warm_p95_ms={p95(figures.warm):.1f}")
    print(f"{key}_cold_queries={len(figures.cold_statements)}")
    print(f"{key}_warm_queries={len(figures.warm_statements)}")
    print(f"{key}_warm_hits={figures.hits}/{len(figures.warm)}")


def measure_directory(asks, args):
    whole = Timed()
    plain = None
    for ask in asks:
        urls = [portal_url("portal-directory", query=directory_query(f, ask.page)) for f in ask.filters]
        figures = measure_page(urls, args.repeat)
        print_page(f"directory_{ask.name}", figures)
        whole.cold += figures.cold
        whole.warm += figures.warm
        whole.hits += figures.hits
        whole.cold_statements = max(whole.cold_statements, figures.cold_statements, key=len)
        whole.warm_statements = max(whole.warm_statements, figures.warm_statements, key=len)
        plain = plain or figures
        if args.explain:
            explain(f"directory_{ask.name}", reads_of(figures.cold_statements))
    print_page("directory", whole)
    reads = reads_of(plain.cold_statements)
    main = [sql for sql in reads if 'FROM "catalogue_service"' in sql]
    raw = replay_ms(main, args.repeat)
    print(f"directory_raw_sql_ms={raw:.2f}")
    print(f"directory_reads_sql_ms={replay_ms(reads, args.repeat):.2f}")
    print(f"directory_raw_sql_ratio={statistics.median(plain.cold) / max(raw, 0.001):.2f}")


def measure_service_page(sample, args):
    urls = [portal_url("portal-service-detail", args=[pk]) for pk in sample]
    figures = measure_page(urls, args.repeat)
    print_page("service_page", figures)
    reads = reads_of(figures.cold_statements)
    raw = replay_ms(reads, args.repeat)
    print(f"service_page_raw_sql_ms={raw:.2f}")
    print(f"service_page_raw_sql_ratio={statistics.median(figures.cold) / max(raw, 0.001):.2f}")
    if args.explain:
        explain("service_page", reads)


def measure_pages(asks, sample, args):
    from django.core.signals import request_started
    from django.db import reset_queries

    if not portal_url("portal-directory") or not sample or not portal_url("portal-service-detail", args=[sample[0]]):
        print("portal_pages=absent")
        return
    # Each request would empty the log of queries that CaptureQueriesContext slices: keep it for the capture.
    request_started.disconnect(reset_queries)
    try:
        measure_directory(asks, args)
        measure_service_page(sample, args)
        for name in ("portal-home", "portal-delivering"):  # the other public pages, digitization_by_owner's readers
            figures = measure_page([portal_url(name)], args.repeat)
            print_page(name.removeprefix("portal-"), figures)
            if args.explain:
                explain(name.removeprefix("portal-"), reads_of(figures.cold_statements))
    finally:
        request_started.connect(reset_queries)


# The run ----------------------------------------------------------------------------------------------------


def parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=Sizes.services)
    parser.add_argument("--organizations", type=int, default=Sizes.organizations)
    parser.add_argument("--months", type=int, default=Sizes.months, help="months of usage (120: ten years)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark's database and generate again")
    parser.add_argument("--explain", action="store_true", help="print the plans of the slowest reads (PostgreSQL)")
    parser.add_argument("--no-selectors", action="store_true", help="time the pages only")
    return parser


def run(args):
    """Generate (or reuse) the catalogue, then time the selectors and the pages; print key=value lines."""
    from django.db import connection

    print(f"database={connection.vendor}")
    sizes = Sizes(services=args.services, organizations=args.organizations, months=args.months)
    services, ministries = ensure_data(sizes)
    print_sizes()
    print_found()
    print(f"load={os.getloadavg()[0]:.2f}")
    asks = directory_asks(ministries)
    sample = public_sample(services, args.repeat, seed=args.repeat)
    if not args.no_selectors:
        measure_selectors(asks, ministries, sample, args)
    measure_pages(asks, sample, args)
    print(f"load_end={os.getloadavg()[0]:.2f}")


def main(argv=None):
    args = parser().parse_args(argv)
    # The test client's host; the visitors are anonymous (no second factor to pass).
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")
    setup_django(database_url(DATABASE, args.fresh))
    for name in ("masar", "masar.request"):
        logging.getLogger(name).setLevel(logging.ERROR)  # not one log line per request timed
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    run(args)


if __name__ == "__main__":
    main()
