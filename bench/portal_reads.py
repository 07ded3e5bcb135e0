"""The reads `bench.portal` times: the catalogue's selectors called alone (what the portal's pages are made of)
and the SQL a request runs, captured and replayed bare on a cursor."""

import statistics
import time

PAGE = 20  # rows of the directory's page (the portal's PER_PAGE)


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


# Captured SQL ------------------------------------------------------------------------------------------------


def captured(function):
    """Run function; return the statements it ran (as the database got them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as capture:
        function()
    return [q["sql"] for q in capture.captured_queries]


def reads_of(statements):
    return [s for s in statements if s.lstrip().split(None, 1)[0].upper() in ("SELECT", "WITH")]


def replay_ms(reads, repeat):
    """Return the median time of running reads bare on a cursor, every row fetched."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()

    run()
    return statistics.median(timed(run, repeat))


def explain(name, reads):
    from bench.pages import explain as explain_slowest

    explain_slowest(name, reads, "")


# The selectors alone -----------------------------------------------------------------------------------------


def directory_read(filters, page):
    """Read one page of the directory as a paginated list does: its rows, with their related names, and the count."""
    from masar.catalogue.selectors import service_list
    from masar.core.policy import Reader

    services = service_list(Reader.public(), filters)
    rows = list(services[(page - 1) * PAGE : page * PAGE])
    for row in rows:
        str(row.owner), str(row.category), str(row.life_event)
    return rows, services.count()


def service_read(pk):
    """Read what a service page shows: the service, its documents, the projects digitizing it, public comments."""
    from masar.catalogue.selectors import public_comments, service_documents, service_for_reader, service_projects
    from masar.core.policy import Reader

    reader = Reader.public()
    service = service_for_reader(reader, pk)
    service_documents(service)
    list(service_projects(reader, service))
    list(public_comments(service))


def usage_year_read(pk):
    """Read a year of a service's monthly usage per channel (what a usage chart on its page would read)."""
    import datetime

    from masar.catalogue.models import ServiceUsage

    year_ago = datetime.date.today() - datetime.timedelta(days=366)
    list(ServiceUsage.objects.filter(service_id=pk, month__gte=year_ago).values("month", "channel", "transactions"))


def measure_selector(name, calls, repeat, args):
    """Time calls (each a function; repeats cycle through them) with the cache emptied before each."""
    from django.core.cache import cache

    def cold(n):
        cache.clear()
        start = time.perf_counter()
        calls[n % len(calls)]()
        return (time.perf_counter() - start) * 1000

    calls[0]()  # what a process reads once is not the selector's
    times = [cold(n) for n in range(repeat)]
    cache.clear()
    statements = captured(calls[0])
    print(f"selector_{name}_p95_ms={p95(times):.1f}")
    print(f"selector_{name}_queries={len(statements)}")
    if args.explain:
        explain(f"selector_{name}", reads_of(statements))


def measure_selectors(asks, ministries, sample, args):
    from masar.catalogue.selectors import digitization_by_owner, latest_usage_month
    from masar.core.policy import Reader

    for ask in asks:
        calls = [lambda f=f, p=ask.page: directory_read(f, p) for f in ask.filters]
        measure_selector(f"directory_{ask.name}", calls, args.repeat, args)
    measure_selector("service", [lambda pk=pk: service_read(pk) for pk in sample], args.repeat, args)
    measure_selector("service_usage_year", [lambda pk=pk: usage_year_read(pk) for pk in sample], args.repeat, args)
    measure_selector("latest_usage_month", [lambda: latest_usage_month(Reader.public())], args.repeat, args)

    def digitization():
        reader = Reader.public()
        return digitization_by_owner(reader, roots=ministries, month=latest_usage_month(reader))

    measure_selector("digitization_by_owner", [digitization], args.repeat, args)
