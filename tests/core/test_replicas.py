"""Reads on a real PostgreSQL streaming replica, writes on the primary, and a writer who always sees their change.

Needs the two clusters `bin/pg-replica start` builds (a primary and a replica made with `pg_basebackup -R`):

    eval "$(bin/pg-replica start)"
    DATABASE_URL=$MASAR_TEST_PRIMARY_URL DATABASE_REPLICA_URLS=$MASAR_TEST_REPLICA_URL \\
        .venv/bin/python -m pytest tests/core/test_replicas.py -p no:cacheprovider
    bin/pg-replica stop

Skipped without MASAR_TEST_REPLICA_URL and MASAR_TEST_PRIMARY_URL. The proofs are the database's own: a replica
whose replay is paused (`pg_wal_replay_pause()`) does not have a row the primary committed, so a page showing the
old value was read on the replica and a page showing the new one on the primary; the queries each connection ran
are captured too, and the replica connection answers `pg_is_in_recovery()` true. The last test stops the replica.
"""

import contextlib
import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masar.core.replicas import STICKY_COOKIE, replica_health_forget
from masar.portfolio.models import Project
from tests.api.factories import bearer, if_match
from tests.portfolio.factories import make_project

PRIMARY_URL = os.environ.get("MASAR_TEST_PRIMARY_URL", "")
REPLICA_URL = os.environ.get("MASAR_TEST_REPLICA_URL", "")
REPLICA = "replica_0"
SCRIPT = Path(__file__).resolve().parents[2] / "bin" / "pg-replica"

pytestmark = [
    pytest.mark.skipif(
        not (PRIMARY_URL and REPLICA_URL),
        reason='needs a streaming replica: eval "$(bin/pg-replica start)" and DATABASE_URL/DATABASE_REPLICA_URLS',
    ),
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA] if REPLICA_URL else ["default"]),
]


@pytest.fixture(autouse=True)
def _configured(settings):
    """Refuse to pass vacuously: the settings must route to the replica the environment names."""
    replica = urlparse(REPLICA_URL)
    primary = urlparse(PRIMARY_URL)
    assert settings.REPLICA_DATABASES == [REPLICA], "set DATABASE_REPLICA_URLS=$MASAR_TEST_REPLICA_URL"
    assert int(settings.DATABASES[REPLICA]["PORT"]) == replica.port
    assert int(settings.DATABASES["default"]["PORT"]) == primary.port, "set DATABASE_URL=$MASAR_TEST_PRIMARY_URL"
    settings.REPLICA_MAX_LAG_SECONDS = 3600  # replay is paused on purpose below: the lag test sets its own limit
    replica_health_forget()
    yield
    replica_health_forget()


def _value(alias, sql, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def wait_for_replica(column="pg_last_wal_replay_lsn()"):
    """Wait until the replica has replayed (or received) everything the primary has written so far."""
    target = _value("default", "SELECT pg_current_wal_lsn()::text")
    for _ in range(200):
        if _value(REPLICA, f"SELECT {column} >= %s::pg_lsn", [target]):
            return
        time.sleep(0.05)
    pytest.fail(f"the replica did not reach {target} in 10 s")


@contextlib.contextmanager
def replay_paused():
    """Hold the replica's replay: what the primary commits meanwhile is received but not visible there."""
    wait_for_replica()
    _value(REPLICA, "SELECT pg_wal_replay_pause()::text")
    try:
        for _ in range(200):
            if _value(REPLICA, "SELECT pg_get_wal_replay_pause_state()") == "paused":
                break
            time.sleep(0.05)
        yield
    finally:
        _value(REPLICA, "SELECT pg_wal_replay_resume()::text")


@contextlib.contextmanager
def queries_on(alias):
    connections[alias].ensure_connection()
    with CaptureQueriesContext(connections[alias]) as captured:
        yield captured


def touching(captured, table):
    return [q["sql"] for q in captured.captured_queries if table in q["sql"]]


def name_on(alias, project):
    return _value(alias, "SELECT name_ar FROM portfolio_project WHERE id = %s", [project.pk])


def edit_payload(project, **changes):
    return {
        "version": project.version,
        "name_ar": project.name_ar,
        "status": project.status,
        "currency": project.currency,
        "funding_kind": project.funding_kind,
        "classification": project.classification,
        **changes,
    }


@pytest.fixture
def project(ministry_a, axis, manager_a):
    found = make_project("RPL-1", ministry_a, axis, name_ar="بوابة الخدمات", manager=manager_a)
    wait_for_replica()
    return found


PAGES = [  # a page, the table it reads its records from, and whether it names the project
    ("/ar/projects/", "portfolio_project", True),
    ("/ar/dashboards/", "portfolio_project", False),
    ("/ar/dashboards/public/", "portfolio_project", False),
    ("/ar/search/?q=بوابة", "search_searchentry", True),
    ("/ar/exports/projects.csv", "portfolio_project", True),  # streamed: its rows are read after the view returned
]


def test_pages_read_their_records_on_the_replica(project, client_for, coordinator_a):
    assert _value(REPLICA, "SELECT pg_is_in_recovery()") is True
    assert _value("default", "SELECT pg_is_in_recovery()") is False
    reader = client_for(coordinator_a)
    for path, table, names_it in PAGES:
        with queries_on("default") as primary, queries_on(REPLICA) as replica:
            response = reader.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200
        assert not names_it or "بوابة الخدمات".encode() in body
        assert touching(replica, table), f"{path} read nothing of {table} on the replica"
        assert not touching(primary, table), f"{path} read {table} on the primary"


def test_api_reads_are_served_by_the_replica(project, coordinator_a):
    caller = bearer(coordinator_a)
    wait_for_replica()
    with queries_on("default") as primary, queries_on(REPLICA) as replica:
        response = caller.get(f"/api/v1/projects/{project.pk}/")
    assert response.status_code == 200, response.content
    assert response.json()["code"] == "RPL-1"
    assert touching(replica, "portfolio_project")
    assert not touching(primary, "portfolio_project")


def test_a_row_the_replica_has_not_replayed_is_missing_for_readers_until_replay(
    project, ministry_a, axis, client_for, coordinator_a
):
    reader = client_for(coordinator_a)
    with replay_paused():
        make_project("RPL-2", ministry_a, axis)  # committed on the primary, not yet replayed
        assert Project.objects.using("default").filter(code="RPL-2").exists()
        assert "RPL-2" not in reader.get("/ar/projects/").content.decode()
        assert "RPL-1" in reader.get("/ar/projects/").content.decode()  # the page itself works
    wait_for_replica()
    assert "RPL-2" in reader.get("/ar/projects/").content.decode()


def test_a_writer_sees_their_change_while_replay_is_paused_and_others_read_the_replica(
    project, client_for, manager_a, coordinator_a
):
    writer, other = client_for(manager_a), client_for(coordinator_a)
    detail = f"/ar/projects/{project.pk}/"
    with replay_paused():
        with queries_on("default") as primary:
            response = writer.post(f"{detail}edit/", edit_payload(project, name_ar="بوابة الخدمات الموحدة"))
        assert response.status_code == 302
        assert STICKY_COOKIE in response.cookies
        assert touching(primary, 'UPDATE "portfolio_project"'), "the write went to the primary"
        assert name_on("default", project) == "بوابة الخدمات الموحدة"
        assert name_on(REPLICA, project) == "بوابة الخدمات"  # the replica has not replayed it

        assert "بوابة الخدمات الموحدة" in writer.get(detail).content.decode()
        assert "بوابة الخدمات الموحدة" not in other.get(detail).content.decode()
        assert "بوابة الخدمات" in other.get(detail).content.decode()
    wait_for_replica()
    assert "بوابة الخدمات الموحدة" in other.get(detail).content.decode()


def test_an_api_writer_is_pinned_to_the_primary_by_its_token(project, manager_a, coordinator_a):
    writer, other = bearer(manager_a), bearer(coordinator_a)
    url = f"/api/v1/projects/{project.pk}/"
    with replay_paused():
        response = writer.patch(
            url, data={"name_ar": "بوابة المواطن"}, content_type="application/json", **if_match(project)
        )
        assert response.status_code == 200, response.content
        assert name_on(REPLICA, project) == "بوابة الخدمات"

        writer_cookieless = Client(HTTP_AUTHORIZATION=writer.defaults["HTTP_AUTHORIZATION"])  # API clients keep none
        assert writer_cookieless.get(url).json()["name"]["ar"] == "بوابة المواطن"
        assert other.get(url).json()["name"]["ar"] == "بوابة الخدمات"
    wait_for_replica()
    assert other.get(url).json()["name"]["ar"] == "بوابة المواطن"


def test_a_replica_lagging_beyond_the_limit_is_skipped(project, ministry_a, axis, client_for, coordinator_a, settings):
    reader = client_for(coordinator_a)
    with replay_paused():
        make_project("RPL-3", ministry_a, axis)
        wait_for_replica("pg_last_wal_receive_lsn()")  # received, not replayed: the replica lags
        assert "RPL-3" not in reader.get("/ar/projects/").content.decode()  # positive control: the replica answers

        settings.REPLICA_MAX_LAG_SECONDS = 0
        replica_health_forget()
        with queries_on(REPLICA) as replica:
            page = reader.get("/ar/projects/").content.decode()
        assert "RPL-3" in page
        assert not touching(replica, "portfolio_project")


def test_a_stopped_replica_makes_reads_fall_back_to_the_primary(
    project, ministry_a, axis, client_for, coordinator_a, settings
):
    settings.REPLICA_CHECK_SECONDS = 3600  # the replica's last verdict (usable) stands: the stop is found mid-request
    reader = client_for(coordinator_a)
    assert "RPL-1" in reader.get("/ar/projects/").content.decode()  # the replica is in use, its verdict cached
    subprocess.run([str(SCRIPT), "replica-stop"], check=True, timeout=60, capture_output=True)
    try:
        make_project("RPL-4", ministry_a, axis)
        first = reader.get("/ar/projects/")  # fails on the replica mid-request, answered from the primary
        assert first.status_code == 200
        assert "RPL-4" in first.content.decode()
        cache.clear()  # the list is kept per reader: make the second read go to the database again
        with queries_on("default") as primary:
            second = reader.get("/ar/projects/")  # the replica is known down: straight to the primary
        assert second.status_code == 200
        assert "RPL-4" in second.content.decode()
        assert touching(primary, "portfolio_project")
    finally:
        connections[REPLICA].close()
        subprocess.run([str(SCRIPT), "replica-start"], check=True, timeout=90, capture_output=True)
