"""Benchmark the API's main lists on national-size data: `python -m bench.api`.

For every list of `/api/v1/` (read from the OpenAPI document), times a page of 100 and a page of
500 through Django's test client with a national-unit token, prints p50/p95 and the number of
queries of each (bounded: the same at both sizes), and the raw SQL of the same statements run on a
cursor (the ratio says what the API adds to the database's own work). Prints key=value lines.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/masar_bench_dash
    .venv/bin/python manage.py migrate
    .venv/bin/python -m bench.api          # generates the portfolio first when the database is empty
"""

import argparse
import statistics

from bench.dashboards import ensure_data, p95, setup_django, timed


def token():
    from masar.accounts.models import Role, User
    from masar.exchange.services import token_issue

    user, _ = User.objects.get_or_create(username="bench-api", defaults={"role": Role.NATIONAL_ADMIN})
    return token_issue(user=user, name="bench", actor=None).secret


NOT_RECORDS = ("/api/v1/webhooks/", "/api/v1/imports/")  # a system's own subscriptions, a person's imports


def lists(client, headers):
    """Return the lists of records of the API (read from its OpenAPI document)."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [
        path
        for path, operations in paths.items()
        if "get" in operations and "{" not in path and path not in NOT_RECORDS
    ]


def measure(client, headers, path, limit, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"{path}?limit={limit}"

    def call():
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)

    call()
    times = timed(call, repeat)
    with CaptureQueriesContext(connection) as captured:
        call()
    statements = [q["sql"] for q in captured.captured_queries]
    reads = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]

    def raw():
        with connection.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()

    sql_times = timed(raw, repeat)
    name = path.strip("/").split("/")[-1].replace("-", "_") + f"_{limit}"
    print(f"{name}_p50_ms={statistics.median(times):.1f}")
    print(f"{name}_p95_ms={p95(times):.1f}")
    print(f"{name}_queries={len(statements)}")
    print(f"{name}_sql_ms={statistics.median(sql_times):.1f}")
    print(f"{name}_sql_ratio={statistics.median(times) / max(statistics.median(sql_times), 0.01):.2f}")
    return len(statements)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from masar.portfolio.models import Project

    setup_test_environment()
    ensure_data(health=True)
    print(f"database={connection.vendor}")
    print(f"projects={Project.objects.count()}")
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token()}"}
    for path in lists(client, headers):
        small = measure(client, headers, path, 100, args.repeat)
        large = measure(client, headers, path, 500, args.repeat)
        print(f"{path.strip('/').split('/')[-1].replace('-', '_')}_queries_bounded={int(small == large)}")


if __name__ == "__main__":
    main()
